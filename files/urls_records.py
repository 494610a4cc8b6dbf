"""Case material records: exhibits and continuity, the unused material schedules, the MG5 editor
and the printable MG forms. Included by ``files.urls`` (namespace ``files``) under
``/cases/<uuid:case_id>/material/``, so every view takes the ``case_id`` of that prefix."""

from django.urls import path

from .views import case_summary, exhibits, printouts, unused

urlpatterns = [
    path("exhibits/", exhibits.exhibit_list, name="exhibit-list"),
    path("exhibits/new/", exhibits.exhibit_add, name="exhibit-add"),
    path("exhibits/<uuid:exhibit_id>/", exhibits.exhibit_detail, name="exhibit-detail"),
    path("exhibits/<uuid:exhibit_id>/change/", exhibits.exhibit_edit, name="exhibit-edit"),
    path("exhibits/<uuid:exhibit_id>/moves/new/", exhibits.exhibit_move, name="exhibit-move"),
    path("unused/", unused.unused_list, name="unused-list"),
    path("unused/<str:schedule>/new/", unused.unused_add, name="unused-add"),
    path("unused/<uuid:item_id>/", unused.unused_detail, name="unused-detail"),
    path("unused/<uuid:item_id>/change/", unused.unused_edit, name="unused-edit"),
    path("unused/<uuid:item_id>/decision/", unused.unused_decide, name="unused-decide"),
    path("mg5/", case_summary.case_summary, name="case-summary"),
    path("mg5/change/", case_summary.case_summary_edit, name="case-summary-edit"),
    path("mg5/certify/", case_summary.case_summary_certify, name="case-summary-certify"),
    path("mg5/offences/<uuid:offence_id>/points/new/", case_summary.point_add, name="point-to-prove-add"),
    path("mg5/points/<uuid:point_id>/change/", case_summary.point_edit, name="point-to-prove-edit"),
    path("print/mg5/", printouts.print_mg5, name="print-mg5"),
    path("print/mg9/", printouts.print_mg9, name="print-mg9"),
    path("print/mg12/", printouts.print_mg12, name="print-mg12"),
    path("print/mg6c/", printouts.print_mg6c, name="print-mg6c"),
    path("print/mg6d/", printouts.print_mg6d, name="print-mg6d"),
]
