from django.urls import path

from .views import cases, deadlines, hearings, offences, people

app_name = "casework"

case = "<uuid:case_id>/"

urlpatterns = [
    path("", cases.case_list, name="case-list"),
    path("new/", cases.case_create, name="case-create"),
    path(case, cases.case_detail, name="case-detail"),
    path(f"{case}change/", cases.case_edit, name="case-edit"),
    path(f"{case}status/", cases.case_status_change, name="case-status-change"),
    path(f"{case}people/", cases.case_people, name="case-people"),
    path(f"{case}offences/", cases.case_offences, name="case-offences"),
    path(f"{case}material/", cases.case_material, name="case-material"),
    path(f"{case}deadlines/", deadlines.case_deadlines_page, name="case-deadlines"),
    path(f"{case}timeline/", cases.case_timeline_page, name="case-timeline"),
    path(f"{case}suspects/new/", people.suspect_add, name="suspect-add"),
    path(f"{case}suspects/<uuid:suspect_id>/change/", people.suspect_edit, name="suspect-edit"),
    path(f"{case}suspects/<uuid:suspect_id>/custody/new/", people.custody_event_add, name="custody-event-add"),
    path(f"{case}victims/new/", people.victim_add, name="victim-add"),
    path(f"{case}victims/<uuid:victim_id>/change/", people.victim_edit, name="victim-edit"),
    path(f"{case}victims/<uuid:victim_id>/updates/new/", people.victim_update_add, name="victim-update-add"),
    path(f"{case}witnesses/new/", people.witness_add, name="witness-add"),
    path(f"{case}witnesses/<uuid:witness_id>/change/", people.witness_edit, name="witness-edit"),
    path(f"{case}offences/new/", offences.offence_add, name="offence-add"),
    path(f"{case}offences/<uuid:offence_id>/change/", offences.offence_edit, name="offence-edit"),
    path(f"{case}hearings/new/", hearings.hearing_add, name="hearing-add"),
    path(f"{case}hearings/<uuid:hearing_id>/change/", hearings.hearing_edit, name="hearing-edit"),
]
