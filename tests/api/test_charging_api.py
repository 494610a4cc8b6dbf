"""Charging API: the MG3 from the officer to a CPS decision, action plans answered item by item and resubmitted
(MG3A), corrections, the CPS queue, DG6 routing and police charges. Every refusal names the field to correct and
changes nothing; a stale ``version`` is a 409."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from accounts.choices import AuditEventType
from accounts.models import AuditEvent, Notification, Unit, User
from casework.choices import CaseStatus, OffenceStatus
from casework.models import Case, OffenceAllegation, OffenceCode
from charging import services as s
from charging.api.overview import QUEUE_CPS_ONLY
from charging.api.requests import ASSIGN_TO_WHOM
from charging.choices import ActionItemStatus, RequestStatus
from charging.models import ChargingDecision, ChargingRequest
from charging.routing import NO_OFFENCES
from charging.workflow import TRANSITION_NOT_ALLOWED
from files.choices import DocumentKind, Sensitivity
from files.models import Document
from files.selectors import can_see_sensitive
from tests.api.charging_support import (
    MG3,
    action_plan,
    add_offence,
    allocated,
    charge,
    db_state,
    draft,
    fields,
    make_case,
    patch,
    post,
    with_cps,
)

pytestmark = pytest.mark.django_db

ClientFor = Callable[[User], Client]


@pytest.fixture
def case(officer_a: User, unit_a1: Unit, offence_codes: dict[str, OffenceCode]) -> Case:
    return make_case(officer_a)


@pytest.fixture
def offence(case: Case, officer_a: User) -> OffenceAllegation:
    return add_offence(case, officer_a)


@pytest.fixture
def allocated_request(
    case: Case, offence: OffenceAllegation, officer_a: User, supervisor_a: User, paralegal_north: User,
    lawyer_north: User,
) -> ChargingRequest:  # fmt: skip
    return allocated(case, officer_a, supervisor_a, paralegal_north, lawyer_north)


def url(request: ChargingRequest, tail: str = "") -> str:
    return f"/api/v1/cases/{request.case.public_id}/charging-requests/{request.public_id}/{tail}"


def version(request: ChargingRequest) -> int:
    request.refresh_from_db()
    return request.version


# -- the whole way, through the API --------------------------------------------------------------


def test_an_mg3_goes_from_the_officer_to_a_decision_to_charge(
    case: Case, offence: OffenceAllegation, officer_a: User, supervisor_a: User, paralegal_north: User,
    lawyer_north: User, as_user: ClientFor,
) -> None:  # fmt: skip
    officer, supervisor = as_user(officer_a), as_user(supervisor_a)
    triage, lawyer = as_user(paralegal_north), as_user(lawyer_north)

    created = post(officer, f"/api/v1/cases/{case.public_id}/charging-requests/", {**MG3, "offence_summary": ""})
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["status"] == "draft"
    assert body["status_label"] == "Draft"
    assert body["version"] == 1
    assert body["case"]["urn_display"] == "10/AA/12345/26"
    assert body["cps_area"]["code"] == "north-east"
    assert body["dg6"]["decider"] == "cps"  # s.18 wounding is indictable only
    assert body["outstanding_evidence"] == [{"what": "Medical statement", "target_date": "2026-03-01"}]
    assert body["decisions"] == []
    assert body["due_at"] is None
    path = f"/api/v1/cases/{case.public_id}/charging-requests/{body['id']}/"

    changed = patch(officer, path, {"version": 1, "offence_summary": "Stabbed the victim"})
    assert changed.status_code == 200, changed.content
    assert changed.json()["offence_summary"] == "Stabbed the victim"
    assert changed.json()["proposed_charges"] == MG3["proposed_charges"]  # parts left out stay as they were
    assert changed.json()["version"] == 2

    assert post(officer, path + "submit/", {"version": 2}).json()["status"] == "awaiting_supervisor"
    sent = post(supervisor, path + "approve/", {"version": 3}).json()
    assert sent["status"] == "with_cps_triage"
    assert sent["received_by_cps_at"] is not None
    assert sent["due_at"] is not None
    assert post(triage, path + "accept/", {"version": 4}).json()["status"] == "accepted_awaiting_allocation"
    taken = post(lawyer, path + "allocate/", {"version": 5}).json()
    assert taken["allocated_lawyer"] == {"id": str(lawyer_north.public_id), "name": lawyer_north.get_full_name()}

    decided = post(
        lawyer,
        path + "decisions/",
        {
            "version": 6,
            "outcome": "charge",
            "reasons": "Full Code Test met: CCTV and two witnesses.",
            "test_applied": "full_code_test",
            "charges": [{"offence": str(offence.public_id), "wording": "Wounding with intent"}],
        },
    )
    assert decided.status_code == 201, decided.content
    decision = decided.json()
    assert decision["outcome_label"] == "Charge"
    assert decision["charges"] == [
        {
            "offence": str(offence.public_id),
            "code": "OF61016",
            "title": "Wounding with intent to do grievous bodily harm",
            "wording": "Wounding with intent",
        }
    ]
    final = lawyer.get(path).json()
    assert final["status"] == "decided"
    assert final["version"] == 7
    assert [d["id"] for d in final["decisions"]] == [decision["id"]]
    case.refresh_from_db()
    offence.refresh_from_db()
    assert case.status == CaseStatus.CHARGED
    assert offence.status == OffenceStatus.CHARGED
    moves = AuditEvent.objects.filter(case_id=case.public_id, event_type__startswith="charging_").count()
    assert moves == 7  # created, updated, submitted, approved, accepted, allocated, decision recorded


def test_reads_are_recorded_as_views_of_the_case(
    allocated_request: ChargingRequest, lawyer_north: User, as_user: ClientFor
) -> None:
    client = as_user(lawyer_north)
    client.get(url(allocated_request))
    viewed = AuditEvent.objects.filter(event_type=AuditEventType.CASE_VIEWED, actor=lawyer_north).get()
    assert viewed.case_id == allocated_request.case.public_id
    assert viewed.data == {"via": "api", "part": "charging_request"}


# -- bad input changes nothing -------------------------------------------------------------------


def test_submit_names_every_missing_mg3_part_and_changes_nothing(
    case: Case, offence: OffenceAllegation, officer_a: User, as_user: ClientFor
) -> None:
    request = draft(case, officer_a, offence_summary="", defence_account=" ")
    client = as_user(officer_a)
    before = db_state()
    errors = fields(post(client, url(request, "submit/"), {"version": 1}))
    assert errors == {
        "offence_summary": [s.FIELD_REQUIRED.format(label="a summary of the offence")],
        "defence_account": [s.FIELD_REQUIRED.format(label="the suspect's account")],
    }
    assert db_state() == before


def test_a_stale_version_is_a_conflict_and_changes_nothing(
    case: Case, offence: OffenceAllegation, officer_a: User, as_user: ClientFor
) -> None:
    request = draft(case, officer_a)
    client = as_user(officer_a)
    assert patch(client, url(request), {"version": 1, "venue": "Newcastle"}).status_code == 200
    before = db_state()
    # A second person still holding version 1 tries to change it and to submit it.
    stale = patch(client, url(request), {"version": 1, "venue": "Sunderland"})
    assert stale.status_code == 409
    assert stale.json() == {"error": {"status": 409, "code": "conflict", "message": s.CONFLICT}}
    assert post(client, url(request, "submit/"), {"version": 1}).status_code == 409
    assert db_state() == before
    request.refresh_from_db()
    assert request.venue == "Newcastle"


def test_every_change_must_say_which_version_it_read(
    case: Case, offence: OffenceAllegation, officer_a: User, as_user: ClientFor
) -> None:
    request = draft(case, officer_a)
    before = db_state()
    assert fields(post(as_user(officer_a), url(request, "submit/"), {})) == {"version": ["This field is required."]}
    assert db_state() == before


def test_creating_with_an_unknown_category_or_a_file_of_another_case_is_refused(
    case: Case, officer_a: User, as_user: ClientFor
) -> None:
    client = as_user(officer_a)
    before = db_state()
    path = f"/api/v1/cases/{case.public_id}/charging-requests/"
    assert "category" in fields(post(client, path, {"category": "amber"}))
    unknown_file = fields(post(client, path, {"submission": "6f2d0c3e-0000-4000-8000-000000000000"}))
    assert unknown_file == {"submission": [s.SUBMISSION_OTHER_CASE]}
    assert db_state() == before


def test_a_move_the_lifecycle_does_not_allow_says_where_the_request_can_go(
    allocated_request: ChargingRequest, paralegal_north: User, as_user: ClientFor
) -> None:
    before = db_state()
    errors = fields(post(as_user(paralegal_north), url(allocated_request, "accept/"), {"version": 5}))
    assert errors["status"] == [
        TRANSITION_NOT_ALLOWED.format(
            source="Allocated to a lawyer",
            target="Accepted, awaiting allocation",
            options="“Action plan issued”, “Decided”",
        )
    ]
    assert db_state() == before


def test_a_charge_naming_an_offence_of_another_case_is_refused(
    allocated_request: ChargingRequest, officer_a: User, lawyer_north: User, as_user: ClientFor
) -> None:
    other_case = make_case(officer_a, urn="10/AA/54321/26")
    elsewhere = add_offence(other_case, officer_a)
    before = db_state()
    errors = fields(
        post(
            as_user(lawyer_north),
            url(allocated_request, "decisions/"),
            {
                "version": 5,
                "outcome": "charge",
                "reasons": "Met",
                "test_applied": "full_code_test",
                "charges": [{"offence": str(elsewhere.public_id)}],
            },
        )
    )
    assert errors == {"charges": [s.OFFENCE_NOT_ON_CASE]}
    assert db_state() == before


def test_a_decision_without_reasons_or_test_is_refused_field_by_field(
    allocated_request: ChargingRequest, offence: OffenceAllegation, lawyer_north: User, as_user: ClientFor
) -> None:
    before = db_state()
    errors = fields(
        post(
            as_user(lawyer_north),
            url(allocated_request, "decisions/"),
            {"version": 5, "outcome": "charge", "reasons": " ", "charges": [{"offence": str(offence.public_id)}]},
        )
    )
    assert errors == {"reasons": [s.REASONS_REQUIRED], "test_applied": [s.TEST_REQUIRED]}
    assert db_state() == before


# -- triage and allocation -----------------------------------------------------------------------


def test_triage_returns_a_file_not_to_standard_naming_the_failures(
    case: Case, offence: OffenceAllegation, officer_a: User, supervisor_a: User, paralegal_north: User,
    as_user: ClientFor,
) -> None:  # fmt: skip
    request = with_cps(case, officer_a, supervisor_a)
    client = as_user(paralegal_north)
    before = db_state()
    payload = {"version": 3, "reason": "No MG5", "failure_codes": ["FQ99"]}
    assert fields(post(client, url(request, "return-not-to-standard/"), payload)) == {
        "failure_codes": [s.UNKNOWN_CHOICE]
    }
    assert db_state() == before
    payload["failure_codes"] = ["FQ01"]
    returned = post(client, url(request, "return-not-to-standard/"), payload)
    assert returned.status_code == 200, returned.content
    assert returned.json()["status"] == RequestStatus.RETURNED_NOT_TO_STANDARD
    told = Notification.objects.get(recipient=officer_a)
    assert "FQ01" in told.body
    assert "No MG5" in told.body
    # Only the police take it back, to put it right and send it again.
    assert post(client, url(request, "take-back/"), {"version": 4}).status_code == 403
    police = as_user(officer_a)
    assert post(police, url(request, "take-back/"), {"version": 3}).status_code == 409
    taken = post(police, url(request, "take-back/"), {"version": 4})
    assert taken.status_code == 200, taken.content
    assert taken.json()["status"] == RequestStatus.DRAFT


def test_a_legal_manager_assigns_only_a_lawyer_of_the_area_and_must_name_one(
    case: Case, offence: OffenceAllegation, officer_a: User, supervisor_a: User, paralegal_north: User,
    manager_cps_north: User, lawyer_north: User, lawyer_south: User, as_user: ClientFor,
) -> None:  # fmt: skip
    request = with_cps(case, officer_a, supervisor_a)
    request = s.request_accept(request=request, by=paralegal_north)
    client = as_user(manager_cps_north)
    before = db_state()
    path = url(request, "allocate/")
    assert fields(post(client, path, {"version": 4})) == {"lawyer": [ASSIGN_TO_WHOM]}
    assert fields(post(client, path, {"version": 4, "lawyer": str(lawyer_south.public_id)})) == {
        "lawyer": [s.LAWYER_NOT_IN_AREA]
    }
    unknown = fields(post(client, path, {"version": 4, "lawyer": "6f2d0c3e-0000-4000-8000-000000000000"}))
    assert unknown == {"lawyer": [s.LAWYER_NOT_IN_AREA]}
    assert db_state() == before
    assigned = post(client, path, {"version": 4, "lawyer": str(lawyer_north.public_id)})
    assert assigned.status_code == 200
    assert assigned.json()["allocated_lawyer"]["id"] == str(lawyer_north.public_id)


# -- action plans and MG3A -----------------------------------------------------------------------


def test_an_action_plan_is_answered_item_by_item_and_resubmitted_to_the_same_lawyer(
    allocated_request: ChargingRequest, offence: OffenceAllegation, officer_a: User, lawyer_north: User,
    as_user: ClientFor,
) -> None:  # fmt: skip
    lawyer, officer = as_user(lawyer_north), as_user(officer_a)
    due = (timezone.localdate() + timedelta(days=7)).isoformat()
    issued = post(
        lawyer,
        url(allocated_request, "decisions/"),
        {
            "version": 5,
            "outcome": "action_plan",
            "reasons": "Need the medical evidence",
            "action_items": [
                {
                    "action": "Obtain the medical statement",
                    "reason": "Proves really serious harm",
                    "due_on": due,
                    "offence": str(offence.public_id),
                    "point_to_prove": "Really serious harm",
                },
                {
                    "action": "Trace the second witness",
                    "reason": "Identification",
                    "due_on": due,
                    "owner": "other_police",
                },
            ],
        },
    )
    assert issued.status_code == 201, issued.content
    assert [i["number"] for i in issued.json()["action_items"]] == [1, 2]

    items = officer.get(url(allocated_request, "action-items/")).json()
    assert [(i["action"], i["status"], i["owner"]) for i in items] == [
        ("Obtain the medical statement", "open", "officer_in_case"),
        ("Trace the second witness", "open", "other_police"),
    ]
    assert items[0]["offence_code"] == "OF61016"
    assert items[0]["due_on"] == due

    document = Document.objects.create(
        case=allocated_request.case, kind=DocumentKind.MG11, title="Dr Patel MG11", created_by=officer_a
    )
    answer = post(
        officer,
        url(allocated_request, f"action-items/{items[0]['id']}/answer/"),
        {"status": "done", "response": "Statement obtained", "documents": [str(document.public_id)]},
    )
    assert answer.status_code == 200, answer.content
    assert answer.json()["status_label"] == "Done"
    assert answer.json()["documents"] == [{"id": str(document.public_id), "kind": "mg11", "title": "Dr Patel MG11"}]

    before = db_state()
    refused = fields(post(officer, url(allocated_request, "resubmit/"), {"version": 6, "summary": "Done"}))
    assert refused == {"action_items": [s.UNANSWERED_ITEMS.format(numbers="action 2")]}
    assert db_state() == before

    post(
        officer,
        url(allocated_request, f"action-items/{items[1]['id']}/answer/"),
        {"status": "cannot_be_done", "response": "The witness has moved abroad"},
    )
    back = post(officer, url(allocated_request, "resubmit/"), {"version": 6, "summary": "Medical statement attached"})
    assert back.status_code == 200, back.content
    assert back.json()["status"] == RequestStatus.ALLOCATED
    assert back.json()["allocated_lawyer"]["id"] == str(lawyer_north.public_id)
    assert back.json()["resubmission_count"] == 1
    [mg3a] = officer.get(url(allocated_request, "resubmissions/")).json()
    assert mg3a["number"] == 1
    assert mg3a["summary"] == "Medical statement attached"
    assert not mg3a["reopened"]
    assert Notification.objects.filter(recipient=lawyer_north, kind="charging_resubmitted").count() == 1


def test_an_answer_needs_a_status_and_words_and_only_material_of_the_case(
    allocated_request: ChargingRequest, officer_a: User, lawyer_north: User, as_user: ClientFor
) -> None:
    decision = action_plan(allocated_request, lawyer_north)
    item = decision.action_items.order_by("number").first()
    assert item is not None
    other_case = make_case(officer_a, urn="10/AA/54321/26")
    elsewhere = Document.objects.create(case=other_case, kind=DocumentKind.MG11, title="X", created_by=officer_a)
    client = as_user(officer_a)
    path = url(allocated_request, f"action-items/{item.public_id}/answer/")
    before = db_state()
    assert "status" in fields(post(client, path, {"status": "open", "response": "x"}))
    assert fields(post(client, path, {"status": "disputed", "response": " "})) == {
        "response": [s.ANSWER_TEXT[ActionItemStatus.DISPUTED]]
    }
    assert fields(post(client, path, {"status": "done", "response": "x", "documents": [str(elsewhere.public_id)]})) == {
        "documents": [s.DOCUMENT_NOT_ON_CASE]
    }
    assert db_state() == before


def test_sensitive_material_is_not_shown_to_those_who_may_not_see_it(
    allocated_request: ChargingRequest, officer_a: User, disclosure_a: User, lawyer_north: User,
    manager_police_a: User, as_user: ClientFor,
) -> None:  # fmt: skip
    decision = action_plan(allocated_request, lawyer_north)
    item = decision.action_items.order_by("number").first()
    assert item is not None
    sensitive = Document.objects.create(
        case=allocated_request.case,
        kind=DocumentKind.MG11,
        title="Informant log",
        sensitivity=Sensitivity.SENSITIVE,
        created_by=disclosure_a,
    )
    s.action_item_answer(item=item, by=disclosure_a, status="done", response="See log", documents=[sensitive])
    seen = {
        user.username: as_user(user).get(url(allocated_request, "action-items/")).json()[0]["documents"]
        for user in (disclosure_a, lawyer_north, manager_police_a)
    }
    for user in (disclosure_a, lawyer_north, manager_police_a):
        expected = ["Informant log"] if can_see_sensitive(user, allocated_request.case) else []
        assert [d["title"] for d in seen[user.username]] == expected
    assert any(not can_see_sensitive(u, allocated_request.case) for u in (lawyer_north, manager_police_a))


def test_a_finalised_request_is_reopened_when_the_material_arrives(
    allocated_request: ChargingRequest, officer_a: User, lawyer_north: User, as_user: ClientFor
) -> None:
    action_plan(allocated_request, lawyer_north)
    later = timezone.now() + timedelta(days=90)
    assert s.finalise_unanswered_action_plans(now=later) == 1
    client = as_user(officer_a)
    current = version(allocated_request)
    before = db_state()
    assert fields(post(client, url(allocated_request, "reopen/"), {"version": current, "summary": ""})) == {
        "summary": ["Say what material has arrived"]
    }
    assert db_state() == before
    reopened = post(client, url(allocated_request, "reopen/"), {"version": current, "summary": "Medical arrived"})
    assert reopened.status_code == 200, reopened.content
    assert reopened.json()["status"] == RequestStatus.ALLOCATED
    assert reopened.json()["resubmissions"][0]["reopened"] is True


# -- corrections ---------------------------------------------------------------------------------


def test_a_correction_is_a_new_decision_and_the_old_one_is_kept(
    allocated_request: ChargingRequest, offence: OffenceAllegation, lawyer_north: User, manager_cps_north: User,
    as_user: ClientFor,
) -> None:  # fmt: skip
    original = charge(allocated_request, lawyer_north, offence)
    path = url(allocated_request, f"decisions/{original.public_id}/correct/")
    payload: dict[str, Any] = {
        "version": version(allocated_request),
        "reasons": "Wording corrected",
        "test_applied": "full_code_test",
        "charges": [{"offence": str(offence.public_id), "wording": "Wounding with intent, s.18 OAPA 1861"}],
    }
    corrected = post(as_user(manager_cps_north), path, payload)
    assert corrected.status_code == 201, corrected.content
    assert corrected.json()["corrects"] == str(original.public_id)
    assert corrected.json()["outcome"] == "charge"
    old = as_user(lawyer_north).get(url(allocated_request, f"decisions/{original.public_id}/")).json()
    assert old["corrected_by"] == corrected.json()["id"]
    assert old["charges"][0]["wording"] == "Wounding with intent"
    assert ChargingDecision.objects.count() == 2

    before = db_state()
    payload["version"] = version(allocated_request)
    assert fields(post(as_user(lawyer_north), path, payload)) == {"corrects": [s.CORRECTS_SUPERSEDED]}
    assert db_state() == before


# -- the queue and a request by its own id -------------------------------------------------------


def test_the_queue_puts_red_first_and_filters(
    officer_a: User, unit_a1: Unit, supervisor_a: User, paralegal_north: User, lawyer_north: User,
    offence_codes: dict[str, OffenceCode], as_user: ClientFor,
) -> None:  # fmt: skip
    green_case, red_case = make_case(officer_a), make_case(officer_a, urn="10/AA/54321/26")
    add_offence(green_case, officer_a)
    add_offence(red_case, officer_a)
    green = with_cps(green_case, officer_a, supervisor_a)
    red = with_cps(red_case, officer_a, supervisor_a, category="red")
    s.request_allocate(request=s.request_accept(request=green, by=paralegal_north), by=lawyer_north)
    client = as_user(lawyer_north)

    queue = client.get("/api/v1/charging-queue/").json()
    assert queue["count"] == 2
    assert [r["id"] for r in queue["results"]] == [str(red.public_id), str(green.public_id)]
    assert queue["results"][0]["category_label"] == "Red (custody, remand sought)"
    assert queue["results"][0]["overdue"] is False
    mine = client.get("/api/v1/charging-queue/?mine=true").json()["results"]
    assert [r["id"] for r in mine] == [str(green.public_id)]
    unallocated = client.get("/api/v1/charging-queue/?unallocated=true&category=red").json()["results"]
    assert [r["id"] for r in unallocated] == [str(red.public_id)]
    assert "category" in fields(client.get("/api/v1/charging-queue/?category=amber"))

    by_id = client.get(f"/api/v1/charging-requests/{red.public_id}/")
    assert by_id.status_code == 200
    assert by_id.json()["case"]["id"] == str(red_case.public_id)
    assert by_id.json()["offence_summary"] == MG3["offence_summary"]


def test_the_queue_refuses_the_police(officer_a: User, unit_a1: Unit, as_user: ClientFor) -> None:
    response = as_user(officer_a).get("/api/v1/charging-queue/")
    assert response.status_code == 403
    assert response.json()["error"]["message"] == QUEUE_CPS_ONLY


# -- DG6 routing and police charges --------------------------------------------------------------


def test_routing_says_who_charges_with_the_rule_and_reason(case: Case, officer_a: User, as_user: ClientFor) -> None:
    client = as_user(officer_a)
    path = f"/api/v1/cases/{case.public_id}/charging-routing/"
    empty = client.get(path).json()
    assert empty["decider"] is None
    assert empty["reason"] == NO_OFFENCES
    common_assault = add_offence(case, officer_a, code="CJ88001")
    police = client.get(path + "?anticipated_plea=guilty").json()
    assert police["decider"] == "police"
    assert police["decider_label"] == "Police"
    assert police["offences"][0]["offence"]["id"] == str(common_assault.public_id)
    add_offence(case, officer_a, code="OF61016")
    cps = client.get(path + "?anticipated_plea=guilty").json()
    assert cps["decider"] == "cps"
    assert cps["mixed"] is True
    assert [o["decider"] for o in cps["offences"]] == ["police", "cps"]
    assert "anticipated_plea" in fields(client.get(path + "?anticipated_plea=maybe"))


def test_a_supervisor_records_a_police_charge_where_dg6_allows_it(
    case: Case, officer_a: User, supervisor_a: User, lawyer_north: User, as_user: ClientFor
) -> None:
    common_assault = add_offence(case, officer_a, code="CJ88001")
    client = as_user(supervisor_a)
    path = f"/api/v1/cases/{case.public_id}/police-charges/"
    before = db_state()
    assert fields(post(client, path, {"offences": [], "rationale": " ", "anticipated_plea": "guilty"})) == {
        "offences": [s.CHARGES_REQUIRED],
        "rationale": [s.RATIONALE_REQUIRED],
    }
    assert db_state() == before
    recorded = post(
        client,
        path,
        {"offences": [str(common_assault.public_id)], "rationale": "Full admission", "anticipated_plea": "guilty"},
    )
    assert recorded.status_code == 201, recorded.content
    body = recorded.json()
    assert body["offences"] == [{"id": str(common_assault.public_id), "code": "CJ88001", "title": "Common assault"}]
    assert body["dg6_rule"]
    assert body["emergency_authorised_by"] == ""
    assert [c["id"] for c in client.get(path).json()] == [body["id"]]
    case.refresh_from_db()
    assert case.status == CaseStatus.CHARGED


def test_a_police_charge_of_a_case_dg6_reserves_for_the_cps_is_refused(
    case: Case, offence: OffenceAllegation, supervisor_a: User, as_user: ClientFor
) -> None:
    before = db_state()
    errors = fields(
        post(
            as_user(supervisor_a),
            f"/api/v1/cases/{case.public_id}/police-charges/",
            {"offences": [str(offence.public_id)], "rationale": "Admitted", "anticipated_plea": "guilty"},
        )
    )
    assert errors["offences"][0].startswith("DG6 Annex 1 reserves this case for the CPS")
    assert db_state() == before
