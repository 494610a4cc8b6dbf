"""The case material records API: exhibits and movements, unused material and decisions, the MG5
and its points to prove. Order of answers: 404 (outside scope or missing, the same body), 403,
400 with the service's message on the field, then the change."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from accounts.choices import AuditEventType
from accounts.models import AuditEvent, User
from files.choices import ProsecutorDecision
from files.models import CaseSummary, Exhibit, PointToProve, UnusedItem
from files.services import case_summary as mg5_service
from files.services import exhibits as exhibit_service
from files.services import unused as unused_service

from .conftest import Records, World, db_state, send_to_cps

pytestmark = pytest.mark.django_db

Signed = Callable[[User], Client]
BASE = "/api/v1/cases/{case}/"


def api(records_or_world: Records | World, path: str = "") -> str:
    return BASE.format(case=records_or_world.case.public_id) + path


def post(client: Client, url: str, data: dict[str, Any]) -> Any:
    return client.post(url, data, content_type="application/json")


def patch(client: Client, url: str, data: dict[str, Any]) -> Any:
    return client.patch(url, data, content_type="application/json")


def fields(response: Any) -> dict[str, list[str]]:
    assert response.status_code == 400, (response.status_code, response.content)
    body = response.json()["error"]
    assert body["code"] == "invalid"
    result: dict[str, list[str]] = body["fields"]
    return result


# -- exhibits ------------------------------------------------------------------------------------


def test_exhibits_list_and_retrieve_with_only_visible_documents(
    records: Records, officer_a: User, disclosure_a: User, as_user: Signed
) -> None:
    officer = as_user(officer_a)
    [exhibit] = officer.get(api(records, "exhibits/")).json()
    assert exhibit["reference"] == "JS/1"
    assert exhibit["location"] == "Forensic lab"
    assert [d["title"] for d in exhibit["documents"]] == ["Statement of Mary Jones"]
    detail = officer.get(api(records, f"exhibits/{records.exhibit.public_id}/")).json()
    assert detail == exhibit
    full = as_user(disclosure_a).get(api(records, f"exhibits/{records.exhibit.public_id}/")).json()
    assert {d["title"] for d in full["documents"]} == {"Statement of Mary Jones", "Covert observation log Bravo"}
    assert AuditEvent.objects.filter(event_type=AuditEventType.CASE_VIEWED, data__part="exhibits").exists()


def test_an_exhibit_is_created_with_the_next_reference(world: World, officer_a: User, as_user: Signed) -> None:
    response = post(
        as_user(officer_a),
        api(world, "exhibits/"),
        {
            "description": "Phone",
            "producer_name": "John Smith",
            "location": "Store",
            "documents": [str(world.cctv.public_id)],
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["reference"], body["producer_initials"], body["number"]) == ("JS/1", "JS", 1)
    assert [d["id"] for d in body["documents"]] == [str(world.cctv.public_id)]


def test_creating_an_exhibit_reports_the_services_messages(world: World, officer_a: User, as_user: Signed) -> None:
    client = as_user(officer_a)
    before = db_state()
    response = post(client, api(world, "exhibits/"), {"description": "", "producer_name": "", "location": ""})
    assert fields(response) == {
        "description": [exhibit_service.DESCRIPTION_REQUIRED],
        "producer_name": [exhibit_service.PRODUCER_REQUIRED],
        "location": [exhibit_service.LOCATION_REQUIRED],
    }
    response = post(
        client,
        api(world, "exhibits/"),
        {"description": "x", "producer_name": "J S", "location": "y", "documents": [str(world.sensitive.public_id)]},
    )
    assert fields(response) == {"documents": [exhibit_service.DOCUMENT_NOT_ON_CASE]}
    response = post(
        client,
        api(world, "exhibits/"),
        {"description": "x", "producer_name": "J S", "location": "y", "documents": [str(uuid.uuid4())]},
    )
    assert fields(response) == {"documents": [exhibit_service.DOCUMENT_NOT_ON_CASE]}
    assert db_state() == before


def test_patching_an_exhibit_changes_only_what_is_given(records: Records, officer_a: User, as_user: Signed) -> None:
    response = patch(
        as_user(officer_a), api(records, f"exhibits/{records.exhibit.public_id}/"), {"description": "Brown wallet"}
    )
    assert response.status_code == 200, response.content
    assert response.json()["description"] == "Brown wallet"
    exhibit = Exhibit.objects.get(pk=records.exhibit.pk)
    assert exhibit.producer_name == "John Smith"
    assert exhibit.documents.count() == 2  # the sensitive link the officer cannot see is kept


def test_movements_are_listed_and_recorded(records: Records, officer_a: User, as_user: Signed) -> None:
    client = as_user(officer_a)
    url = api(records, f"exhibits/{records.exhibit.public_id}/movements/")
    [first] = client.get(url).json()
    assert (first["from_location"], first["to_location"]) == ("Property store A", "Forensic lab")
    moved_at = (timezone.now() - timedelta(minutes=30)).isoformat()
    wrong = post(
        client, url, {"moved_at": moved_at, "from_location": "Store B", "to_location": "Court", "handled_by": "X"}
    )
    assert fields(wrong) == {"from_location": [exhibit_service.FROM_NOT_CURRENT.format(location="Forensic lab")]}
    response = post(
        client, url, {"moved_at": moved_at, "from_location": "Forensic lab", "to_location": "Court", "handled_by": "X"}
    )
    assert response.status_code == 201, response.content
    assert response.json()["to_location"] == "Court"
    assert Exhibit.objects.get(pk=records.exhibit.pk).location == "Court"


def test_the_cps_reads_exhibits_but_is_refused_changes(records: Records, lawyer_north: User, as_user: Signed) -> None:
    send_to_cps(records.case)
    client = as_user(lawyer_north)
    assert client.get(api(records, "exhibits/")).status_code == 200
    before = db_state()
    refused = post(client, api(records, "exhibits/"), {"description": "x"})
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "permission_denied"
    assert patch(client, api(records, f"exhibits/{records.exhibit.public_id}/"), {}).status_code == 403
    assert post(client, api(records, f"exhibits/{records.exhibit.public_id}/movements/"), {}).status_code == 403
    assert db_state() == before


# -- unused material -----------------------------------------------------------------------------


def test_investigators_never_see_mg6d_items_in_the_api(records: Records, officer_a: User, as_user: Signed) -> None:
    client = as_user(officer_a)
    items = client.get(api(records, "unused-items/")).json()
    assert [(i["schedule"], i["item_number"]) for i in items] == [("mg6c", 1)]
    assert client.get(api(records, "unused-items/?schedule=mg6d")).json() == []
    hidden = client.get(api(records, f"unused-items/{records.mg6d.public_id}/"))
    missing = client.get(api(records, f"unused-items/{uuid.uuid4()}/"))
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json()
    assert "Zulu" not in hidden.content.decode()


def test_the_disclosure_officer_schedules_and_updates_items(world: World, disclosure_a: User, as_user: Signed) -> None:
    client = as_user(disclosure_a)
    created = post(
        client,
        api(world, "unused-items/"),
        {"schedule": "mg6d", "description": "Report Q", "location": "Intel", "sensitivity_reason": "Informant"},
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["schedule"], body["item_number"], body["prosecutor_decision"]) == ("mg6d", 1, "")
    missing_reason = post(
        client, api(world, "unused-items/"), {"schedule": "mg6d", "description": "R", "location": "I"}
    )
    assert fields(missing_reason) == {"sensitivity_reason": [unused_service.SENSITIVITY_REASON_REQUIRED]}
    sensitive_on_6c = post(
        client,
        api(world, "unused-items/"),
        {"schedule": "mg6c", "description": "R", "location": "I", "document": str(world.sensitive.public_id)},
    )
    assert fields(sensitive_on_6c) == {"document": [unused_service.SENSITIVE_DOCUMENT_ON_MG6C]}
    updated = patch(client, api(world, f"unused-items/{body['id']}/"), {"rebuttable_presumption": True})
    assert updated.status_code == 200
    assert updated.json()["rebuttable_presumption"] is True


def test_investigators_may_not_schedule(world: World, officer_a: User, as_user: Signed) -> None:
    client = as_user(officer_a)
    before = db_state()
    response = post(client, api(world, "unused-items/"), {"schedule": "mg6c"})
    assert response.status_code == 403
    assert db_state() == before


def test_the_cps_lawyer_records_decisions_that_fit_the_schedule(
    records: Records, lawyer_north: User, as_user: Signed
) -> None:
    send_to_cps(records.case)
    client = as_user(lawyer_north)
    assert len(client.get(api(records, "unused-items/")).json()) == 2
    wrong = post(
        client, api(records, f"unused-items/{records.mg6c.public_id}/decision/"), {"decision": "agree_sensitive"}
    )
    assert fields(wrong)["decision"][0].startswith("‘Agree sensitive’ is not a decision for the MG6C schedule")
    response = post(
        client,
        api(records, f"unused-items/{records.mg6d.public_id}/decision/"),
        {"decision": "agree_sensitive", "note": "Agreed"},
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["prosecutor_decision"], body["prosecutor_decision_label"]) == ("agree_sensitive", "Agree sensitive")
    assert body["decided_by"]["id"] == str(lawyer_north.public_id)


def test_the_police_may_not_decide_and_a_decided_description_is_fixed(
    records: Records, disclosure_a: User, lawyer_north: User, as_user: Signed
) -> None:
    send_to_cps(records.case)
    client = as_user(disclosure_a)
    url = api(records, f"unused-items/{records.mg6c.public_id}/")
    assert post(client, f"{url}decision/", {"decision": "disclose"}).status_code == 403
    unused_service.unused_item_decide(item=records.mg6c, decision=ProsecutorDecision.INSPECT, by=lawyer_north)
    response = patch(client, url, {"description": "Changed"})
    assert fields(response) == {
        "description": [unused_service.DESCRIPTION_LOCKED.format(decision="Prosecutor to inspect")]
    }
    assert UnusedItem.objects.get(pk=records.mg6c.pk).description == "Incident log 4471"


# -- the MG5 -------------------------------------------------------------------------------------


def test_an_unwritten_mg5_reads_as_empty(world: World, officer_a: User, as_user: Signed) -> None:
    body = as_user(officer_a).get(api(world, "case-summary/")).json()
    assert body == {
        "summary": "",
        "interview_summary": "",
        "certified": False,
        "certified_by": None,
        "certified_at": None,
        "updated_at": None,
        "points_to_prove": [],
    }
    assert not CaseSummary.objects.exists()


def test_the_mg5_is_updated_certified_and_cleared(
    records: Records, officer_a: User, supervisor_a: User, as_user: Signed
) -> None:
    officer, supervisor = as_user(officer_a), as_user(supervisor_a)
    assert post(officer, api(records, "case-summary/certify/"), {}).status_code == 403
    certified = post(supervisor, api(records, "case-summary/certify/"), {})
    assert certified.status_code == 200
    assert certified.json()["certified"] is True
    again = post(supervisor, api(records, "case-summary/certify/"), {})
    assert fields(again) == {"non_field_errors": [mg5_service.ALREADY_CERTIFIED]}
    changed = patch(officer, api(records, "case-summary/"), {"interview_summary": "Admitted"})
    assert changed.status_code == 200
    body = changed.json()
    assert (body["summary"], body["interview_summary"], body["certified"]) == (
        "The suspect took the wallet.",
        "Admitted",
        False,
    )
    [point] = body["points_to_prove"]
    assert point["evidence_exhibits"][0]["reference"] == "JS/1"


def test_points_to_prove_are_listed_created_and_updated(records: Records, officer_a: User, as_user: Signed) -> None:
    client = as_user(officer_a)
    url = api(records, "case-summary/points-to-prove/")
    [existing] = client.get(url).json()
    assert existing["offence"] == str(records.world.theft.public_id)
    created = post(
        client,
        url,
        {
            "offence": str(records.world.assault.public_id),
            "text": "Used unlawful force",
            "evidence_documents": [str(records.world.statement.public_id)],
            "evidence_exhibits": [str(records.exhibit.public_id)],
        },
    )
    assert created.status_code == 201, created.content
    point_id = created.json()["id"]
    assert created.json()["order"] == 1
    updated = patch(client, f"{url}{point_id}/", {"order": 2, "evidence_documents": []})
    assert updated.status_code == 200
    assert (updated.json()["order"], updated.json()["evidence_documents"]) == (2, [])
    assert [e["reference"] for e in updated.json()["evidence_exhibits"]] == ["JS/1"]
    assert client.get(f"{url}{point_id}/").json() == updated.json()
    assert PointToProve.objects.count() == 2


def test_points_to_prove_refuse_what_cannot_be_used(records: Records, officer_a: User, as_user: Signed) -> None:
    client = as_user(officer_a)
    url = api(records, "case-summary/points-to-prove/")
    before = db_state()
    unknown_offence = post(client, url, {"offence": str(uuid.uuid4()), "text": "x"})
    assert fields(unknown_offence) == {"offence": [mg5_service.OFFENCE_NOT_ON_CASE]}
    theft = str(records.world.theft.public_id)
    blank = post(client, url, {"offence": theft, "text": " "})
    assert fields(blank) == {"text": [mg5_service.POINT_TEXT_REQUIRED]}
    sensitive = post(
        client, url, {"offence": theft, "text": "x", "evidence_documents": [str(records.world.sensitive.public_id)]}
    )
    assert fields(sensitive) == {"evidence_documents": [mg5_service.EVIDENCE_DOCUMENT_NOT_ON_CASE]}
    unknown_exhibit = post(client, url, {"offence": theft, "text": "x", "evidence_exhibits": [str(uuid.uuid4())]})
    assert fields(unknown_exhibit) == {"evidence_exhibits": [mg5_service.EVIDENCE_EXHIBIT_NOT_ON_CASE]}
    assert db_state() == before


def test_the_cps_reads_the_mg5_but_may_not_change_it(records: Records, lawyer_north: User, as_user: Signed) -> None:
    send_to_cps(records.case)
    client = as_user(lawyer_north)
    assert client.get(api(records, "case-summary/")).json()["summary"] == "The suspect took the wallet."
    before = db_state()
    assert patch(client, api(records, "case-summary/"), {"summary": "x"}).status_code == 403
    assert post(client, api(records, "case-summary/points-to-prove/"), {}).status_code == 403
    assert db_state() == before
