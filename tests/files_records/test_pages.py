"""Exhibit, unused material and MG5 pages: the owners' happy paths, the GOV.UK error summary, the
CPS lawyer of the case once it is sent, and investigators never seeing MG6D material."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.choices import AuditEventType
from accounts.models import AuditEvent, User
from files.choices import ProsecutorDecision, Schedule
from files.models import CaseSummary, Exhibit, PointToProve, UnusedItem
from files.services import case_summary as mg5_service
from files.services import exhibits as exhibit_service
from files.services import unused as unused_service

from .conftest import Records, World, db_state, send_to_cps, strip_nonce

pytestmark = pytest.mark.django_db

Signed = Callable[[User], Client]


def url(name: str, case_id: object, *args: object) -> str:
    return reverse(f"files:{name}", args=[case_id, *args])


def error_summary(response: object) -> str:
    html = response.content.decode()  # type: ignore[attr-defined]
    assert response.status_code == 400  # type: ignore[attr-defined]
    assert 'class="govuk-error-summary"' in html
    return html


# -- exhibits ------------------------------------------------------------------------------------


def test_the_exhibit_list_shows_each_exhibit_and_the_view_is_audited(
    records: Records, officer_a: User, as_user: Signed
) -> None:
    response = as_user(officer_a).get(url("exhibit-list", records.case.public_id))
    html = response.content.decode()
    assert response.status_code == 200
    assert "JS/1" in html
    assert "Black leather wallet" in html
    assert "Forensic lab" in html
    assert "Statement of Mary Jones" in html
    assert "Covert observation log Bravo" not in html  # a sensitive linked document
    assert reverse("files:exhibit-add", args=[records.case.public_id]) in html
    assert AuditEvent.objects.filter(
        event_type=AuditEventType.CASE_VIEWED, case_id=records.case.public_id, data__part="exhibits"
    ).exists()


def test_an_officer_adds_an_exhibit(world: World, officer_a: User, as_user: Signed) -> None:
    client = as_user(officer_a)
    add_url = url("exhibit-add", world.case.public_id)
    assert client.get(add_url).status_code == 200
    response = client.post(
        add_url,
        {
            "description": "Mobile phone",
            "producer_name": "Jane Doe",
            "producer_initials": "",
            "location": "Store B",
            "documents": [str(world.cctv.public_id)],
        },
    )
    assert response.status_code == 302
    assert response["Location"] == url("exhibit-list", world.case.public_id)
    exhibit = Exhibit.objects.get(case=world.case)
    assert (exhibit.reference, exhibit.location) == ("JD/1", "Store B")
    assert list(exhibit.documents.all()) == [world.cctv]


def test_adding_an_exhibit_shows_every_problem_in_the_error_summary(
    world: World, officer_a: User, as_user: Signed
) -> None:
    client = as_user(officer_a)
    before = db_state()
    response = client.post(
        url("exhibit-add", world.case.public_id),
        {"description": "", "producer_name": "", "location": "", "producer_initials": "J5"},
    )
    html = error_summary(response)
    for message in (
        exhibit_service.DESCRIPTION_REQUIRED,
        exhibit_service.PRODUCER_REQUIRED,
        exhibit_service.LOCATION_REQUIRED,
    ):
        assert message in html
    assert "<title>Error: " in html
    assert db_state() == before


def test_the_service_refusal_is_shown_against_the_field(world: World, officer_a: User, as_user: Signed) -> None:
    response = as_user(officer_a).post(
        url("exhibit-add", world.case.public_id),
        {"description": "Phone", "producer_name": "Jane Doe", "producer_initials": "J5", "location": "Store"},
    )
    html = error_summary(response)
    assert exhibit_service.INITIALS_INVALID in html
    assert 'href="#id_producer_initials"' in html


def test_an_investigator_is_offered_only_documents_they_may_see(world: World, officer_a: User, as_user: Signed) -> None:
    html = as_user(officer_a).get(url("exhibit-add", world.case.public_id)).content.decode()
    assert "Statement of Mary Jones" in html
    assert "Covert observation log Bravo" not in html
    response = as_user(officer_a).post(
        url("exhibit-add", world.case.public_id),
        {
            "description": "Phone",
            "producer_name": "Jane Doe",
            "location": "Store",
            "documents": [str(world.sensitive.public_id)],
        },
    )
    assert exhibit_service.DOCUMENT_NOT_ON_CASE in error_summary(response)


def test_an_officer_changes_an_exhibit_and_keeps_the_links_they_cannot_see(
    records: Records, officer_a: User, as_user: Signed
) -> None:
    client = as_user(officer_a)
    edit_url = url("exhibit-edit", records.case.public_id, records.exhibit.public_id)
    page = client.get(edit_url).content.decode()
    assert "Black leather wallet" in page
    assert "Covert observation log Bravo" not in page
    response = client.post(edit_url, {"description": "Brown wallet", "producer_name": "John Smith", "documents": []})
    assert response.status_code == 302
    exhibit = Exhibit.objects.get(pk=records.exhibit.pk)
    assert exhibit.description == "Brown wallet"
    assert list(exhibit.documents.all()) == [records.world.sensitive]


def test_the_exhibit_page_shows_its_continuity(records: Records, officer_a: User, as_user: Signed) -> None:
    html = (
        as_user(officer_a)
        .get(url("exhibit-detail", records.case.public_id, records.exhibit.public_id))
        .content.decode()
    )
    assert "Property store A" in html
    assert "Forensic lab" in html
    assert "PC 1234 Jane Doe" in html
    assert "Covert observation log Bravo" not in html


def test_an_officer_records_a_move(records: Records, officer_a: User, as_user: Signed) -> None:
    when = timezone.localtime(timezone.now() - timedelta(hours=1))
    move_url = url("exhibit-move", records.case.public_id, records.exhibit.public_id)
    client = as_user(officer_a)
    assert 'value="Forensic lab"' in client.get(move_url).content.decode()
    response = client.post(
        move_url,
        {
            "moved_at_day": when.day,
            "moved_at_month": when.month,
            "moved_at_year": when.year,
            "moved_at_time": f"{when:%H:%M}",
            "from_location": "Forensic lab",
            "to_location": "Court",
            "handled_by": "PC 99 Ann Lee",
            "reason": "Trial",
        },
    )
    assert response.status_code == 302, response.content.decode()
    assert Exhibit.objects.get(pk=records.exhibit.pk).location == "Court"


def test_a_move_from_the_wrong_place_is_shown_in_the_error_summary(
    records: Records, officer_a: User, as_user: Signed
) -> None:
    client = as_user(officer_a)
    before = db_state()
    when = timezone.localtime(timezone.now() - timedelta(hours=1))
    response = client.post(
        url("exhibit-move", records.case.public_id, records.exhibit.public_id),
        {
            "moved_at_day": when.day,
            "moved_at_month": when.month,
            "moved_at_year": when.year,
            "moved_at_time": f"{when:%H:%M}",
            "from_location": "Property store A",
            "to_location": "Court",
            "handled_by": "PC 99 Ann Lee",
        },
    )
    html = error_summary(response)
    assert exhibit_service.FROM_NOT_CURRENT.format(location="Forensic lab") in html
    assert db_state() == before


def test_the_cps_may_read_exhibits_but_not_change_them(records: Records, lawyer_north: User, as_user: Signed) -> None:
    send_to_cps(records.case)
    client = as_user(lawyer_north)
    html = client.get(url("exhibit-list", records.case.public_id)).content.decode()
    assert "JS/1" in html
    assert "Covert observation log Bravo" in html  # the CPS of the case may see sensitive material
    assert reverse("files:exhibit-add", args=[records.case.public_id]) not in html
    assert client.get(url("exhibit-add", records.case.public_id)).status_code == 403
    before = db_state()
    response = client.post(
        url("exhibit-edit", records.case.public_id, records.exhibit.public_id),
        {"description": "x", "producer_name": "y"},
    )
    assert response.status_code == 403
    assert db_state() == before


# -- unused material -----------------------------------------------------------------------------


def test_the_disclosure_officer_sees_both_schedules(records: Records, disclosure_a: User, as_user: Signed) -> None:
    html = as_user(disclosure_a).get(url("unused-list", records.case.public_id)).content.decode()
    assert 'data-testid="schedule-mg6c"' in html
    assert "Incident log 4471" in html
    assert 'data-testid="schedule-mg6d"' in html
    assert "Intelligence report Zulu" in html
    assert "Source protection" in html
    assert url("unused-add", records.case.public_id, "mg6d") in html


@pytest.mark.parametrize("who", ["officer_a", "officer_a2", "manager_police_a"])
def test_investigators_and_others_without_sensitive_access_never_see_mg6d(
    records: Records, who: str, request: pytest.FixtureRequest, as_user: Signed
) -> None:
    client = as_user(request.getfixturevalue(who))
    listing = client.get(url("unused-list", records.case.public_id))
    if listing.status_code == 404:  # an officer of another unit, where the force narrows by unit
        return
    html = listing.content.decode()
    assert "Incident log 4471" in html
    assert "Intelligence report Zulu" not in html
    assert "Source protection" not in html
    assert "MG6D" not in html
    assert 'data-testid="schedule-mg6d"' not in html
    for name in ("unused-detail", "unused-edit", "unused-decide"):
        response = client.get(url(name, records.case.public_id, records.mg6d.public_id))
        missing = client.get(url(name, records.case.public_id, uuid.uuid4()))
        assert response.status_code == missing.status_code == 404
        assert strip_nonce(response.content) == strip_nonce(missing.content)
    assert client.get(url("unused-add", records.case.public_id, "mg6d")).status_code == 404
    assert client.get(url("print-mg6d", records.case.public_id)).status_code == 404


def test_the_disclosure_officer_schedules_items(world: World, disclosure_a: User, as_user: Signed) -> None:
    client = as_user(disclosure_a)
    response = client.post(
        url("unused-add", world.case.public_id, "mg6c"),
        {"description": "CAD log", "location": "Control room", "rebuttable_presumption": "on"},
    )
    assert response.status_code == 302
    response = client.post(
        url("unused-add", world.case.public_id, "mg6d"),
        {
            "description": "Report Q",
            "location": "Intel",
            "sensitivity_reason": "Informant",
            "document": str(world.sensitive.public_id),
        },
    )
    assert response.status_code == 302
    rows = list(UnusedItem.objects.values_list("schedule", "item_number", "rebuttable_presumption", "document"))
    assert rows == [("mg6c", 1, True, None), ("mg6d", 1, False, world.sensitive.pk)]


def test_an_mg6d_item_needs_a_reason(world: World, disclosure_a: User, as_user: Signed) -> None:
    response = as_user(disclosure_a).post(
        url("unused-add", world.case.public_id, "mg6d"), {"description": "Report Q", "location": "Intel"}
    )
    assert unused_service.SENSITIVITY_REASON_REQUIRED in error_summary(response)
    assert not UnusedItem.objects.exists()


def test_an_unknown_schedule_is_not_found(world: World, disclosure_a: User, as_user: Signed) -> None:
    assert as_user(disclosure_a).get(url("unused-add", world.case.public_id, "mg6e")).status_code == 404


def test_an_investigator_may_not_schedule(world: World, officer_a: User, as_user: Signed) -> None:
    assert as_user(officer_a).get(url("unused-add", world.case.public_id, "mg6c")).status_code == 403


def test_the_cps_lawyer_reads_both_schedules_and_records_a_decision(
    records: Records, lawyer_north: User, as_user: Signed
) -> None:
    send_to_cps(records.case)
    client = as_user(lawyer_north)
    html = client.get(url("unused-list", records.case.public_id)).content.decode()
    assert "Incident log 4471" in html
    assert "Intelligence report Zulu" in html
    decide_url = url("unused-decide", records.case.public_id, records.mg6d.public_id)
    page = client.get(decide_url).content.decode()
    assert "Agree sensitive" in page
    assert "Disclose</label>" not in page
    response = client.post(decide_url, {"decision": ProsecutorDecision.PII_APPLICATION, "note": "Seek PII hearing"})
    assert response.status_code == 302
    item = UnusedItem.objects.get(pk=records.mg6d.pk)
    assert (item.prosecutor_decision, item.decided_by) == (ProsecutorDecision.PII_APPLICATION, lawyer_north)


def test_a_decision_from_the_other_schedule_is_refused_on_the_page(
    records: Records, lawyer_north: User, as_user: Signed
) -> None:
    send_to_cps(records.case)
    client = as_user(lawyer_north)
    before = db_state()
    response = client.post(
        url("unused-decide", records.case.public_id, records.mg6c.public_id),
        {"decision": ProsecutorDecision.AGREE_SENSITIVE},
    )
    assert response.status_code == 400
    assert 'class="govuk-error-summary"' in response.content.decode()
    assert db_state() == before


def test_the_police_cannot_record_a_prosecutor_decision(records: Records, disclosure_a: User, as_user: Signed) -> None:
    response = as_user(disclosure_a).post(
        url("unused-decide", records.case.public_id, records.mg6c.public_id), {"decision": ProsecutorDecision.DISCLOSE}
    )
    assert response.status_code == 403


def test_a_decided_items_description_is_shown_but_cannot_be_changed(
    records: Records, disclosure_a: User, lawyer_north: User, as_user: Signed
) -> None:
    send_to_cps(records.case)
    unused_service.unused_item_decide(item=records.mg6c, decision=ProsecutorDecision.DISCLOSE, by=lawyer_north)
    client = as_user(disclosure_a)
    edit_url = url("unused-edit", records.case.public_id, records.mg6c.public_id)
    assert "can no longer be changed" in client.get(edit_url).content.decode()
    response = client.post(edit_url, {"description": "Changed", "location": "Archive"})
    assert response.status_code == 302
    item = UnusedItem.objects.get(pk=records.mg6c.pk)
    assert (item.description, item.location) == ("Incident log 4471", "Archive")


# -- the MG5 -------------------------------------------------------------------------------------


def test_the_mg5_page_shows_points_to_prove_per_offence_with_evidence(
    records: Records, officer_a: User, as_user: Signed
) -> None:
    html = as_user(officer_a).get(url("case-summary", records.case.public_id)).content.decode()
    assert "The suspect took the wallet." in html
    assert "Appropriated property belonging to another" in html
    assert "Exhibit JS/1" in html
    assert "CCTV from the Crown pub" in html
    assert "TH68001" in html
    assert "CJ88001" in html
    assert url("point-to-prove-add", records.case.public_id, records.world.assault.public_id) in html
    assert "Not yet certified" in html


def test_an_officer_writes_the_mg5_and_adds_a_point_with_evidence(
    records: Records, officer_a: User, as_user: Signed
) -> None:
    client = as_user(officer_a)
    response = client.post(
        url("case-summary-edit", records.case.public_id), {"summary": "New summary", "interview_summary": "Admitted it"}
    )
    assert response.status_code == 302
    assert CaseSummary.objects.get(case=records.case).summary == "New summary"
    add_url = url("point-to-prove-add", records.case.public_id, records.world.assault.public_id)
    page = client.get(add_url).content.decode()
    assert "Covert observation log Bravo" not in page  # sensitive material is never MG5 evidence
    assert "JS/1" in page
    response = client.post(
        add_url,
        {
            "text": "Assaulted the victim",
            "evidence_documents": [str(records.world.statement.public_id)],
            "evidence_exhibits": [str(records.exhibit.public_id)],
        },
    )
    assert response.status_code == 302
    point = PointToProve.objects.get(offence=records.world.assault)
    assert (point.text, point.order) == ("Assaulted the victim", 1)
    assert list(point.evidence_documents.all()) == [records.world.statement]
    response = client.post(
        url("point-to-prove-edit", records.case.public_id, point.public_id),
        {"text": "Assaulted Mary Jones", "order": "2"},
    )
    assert response.status_code == 302
    point.refresh_from_db()
    assert (point.text, point.order, point.evidence_documents.count()) == ("Assaulted Mary Jones", 2, 0)


def test_a_point_without_text_is_shown_in_the_error_summary(records: Records, officer_a: User, as_user: Signed) -> None:
    response = as_user(officer_a).post(
        url("point-to-prove-add", records.case.public_id, records.world.theft.public_id), {"text": ""}
    )
    assert mg5_service.POINT_TEXT_REQUIRED in error_summary(response)


def test_a_supervisor_certifies_and_an_edit_clears_it_with_a_warning(
    records: Records, officer_a: User, supervisor_a: User, as_user: Signed
) -> None:
    supervisor = as_user(supervisor_a)
    certify_url = url("case-summary-certify", records.case.public_id)
    assert "Certify the MG5" in supervisor.get(certify_url).content.decode()
    assert supervisor.post(certify_url).status_code == 302
    mg5 = CaseSummary.objects.get(case=records.case)
    assert mg5.certified_by == supervisor_a
    officer = as_user(officer_a)
    assert "Certified by" in officer.get(url("case-summary", records.case.public_id)).content.decode()
    edit_url = url("case-summary-edit", records.case.public_id)
    assert "Saving a change clears the certification" in officer.get(edit_url).content.decode()
    officer.post(edit_url, {"summary": "Changed", "interview_summary": "No comment."})
    assert CaseSummary.objects.get(case=records.case).certified_at is None


def test_an_officer_may_not_certify(records: Records, officer_a: User, as_user: Signed) -> None:
    assert as_user(officer_a).post(url("case-summary-certify", records.case.public_id)).status_code == 403


def test_certifying_an_empty_mg5_shows_the_problem(world: World, supervisor_a: User, as_user: Signed) -> None:
    response = as_user(supervisor_a).post(url("case-summary-certify", world.case.public_id))
    assert mg5_service.SUMMARY_REQUIRED_TO_CERTIFY in error_summary(response)


def test_the_cps_lawyer_reads_the_mg5_but_may_not_edit_it(
    records: Records, lawyer_north: User, as_user: Signed
) -> None:
    send_to_cps(records.case)
    client = as_user(lawyer_north)
    html = client.get(url("case-summary", records.case.public_id)).content.decode()
    assert "The suspect took the wallet." in html
    assert url("case-summary-edit", records.case.public_id) not in html
    assert client.get(url("case-summary-edit", records.case.public_id)).status_code == 403


def test_schedule_values_match_the_url_names() -> None:
    assert {f"print-{s}" for s in Schedule.values} == {"print-mg6c", "print-mg6d"}
