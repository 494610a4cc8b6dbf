"""The alerts API: a caller lists, reads, acknowledges and dismisses only their own alerts on cases they may
see; everything else is a 404 identical to a missing alert, and a refusal changes nothing."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.choices import AuditEventType
from accounts.models import AuditEvent, Organisation, User
from alerts import services_ack
from alerts.models import Alert
from casework.choices import DeadlineKind
from casework.models import Case

from ._inbox_support import alert_state, make_alert, make_case, make_deadline

pytestmark = pytest.mark.django_db


def api(user: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def case(officer_a: User) -> Case:
    return make_case(officer_a)


@pytest.fixture
def statutory(case: Case, officer_a: User) -> Alert:
    return make_alert(make_deadline(case), officer_a, threshold="T-14d", urgent=True)


@pytest.fixture
def ordinary(case: Case, officer_a: User) -> Alert:
    deadline = make_deadline(case, kind=DeadlineKind.VICTIM_UPDATE, label="Victims' Code update: M Jones")
    return make_alert(deadline, officer_a, threshold="overdue")


def ids(response: Any) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def test_the_list_gives_the_callers_alerts_newest_first_with_the_deadline(
    statutory: Alert, ordinary: Alert, officer_a: User, case: Case
) -> None:
    response = api(officer_a).get("/api/v1/alerts/")
    assert ids(response) == [str(ordinary.public_id), str(statutory.public_id)]
    row = response.json()["results"][1]
    assert row["case_id"] == str(case.public_id)
    assert row["case_urn"] == case.urn_display
    assert row["threshold"] == "T-14d"
    assert row["threshold_label"] == "14 days before"
    assert row["urgent"] is True
    assert row["requires_acknowledgement"] is True
    assert row["acknowledged_at"] is None
    assert row["deadline"]["kind"] == "summary_time_limit"
    assert row["deadline"]["label"] == "Summary time limit: J Smith, common assault"
    assert row["deadline"]["statutory"] is True
    assert row["deadline"]["status"] == "open"


def test_the_list_filters(statutory: Alert, ordinary: Alert, officer_a: User) -> None:
    client = api(officer_a)
    services_ack.acknowledge(statutory, by=officer_a, note="Done")
    other_case = make_case(officer_a)
    elsewhere = make_alert(make_deadline(other_case), officer_a)
    assert set(ids(client.get("/api/v1/alerts/?unacknowledged=true"))) == {
        str(ordinary.public_id),
        str(elsewhere.public_id),
    }
    assert ids(client.get("/api/v1/alerts/?urgent=true")) == [str(statutory.public_id)]
    assert ids(client.get(f"/api/v1/alerts/?case={other_case.public_id}")) == [str(elsewhere.public_id)]
    services_ack.dismiss(ordinary, by=officer_a)
    assert str(ordinary.public_id) not in ids(client.get("/api/v1/alerts/"))
    assert str(ordinary.public_id) in ids(client.get("/api/v1/alerts/?include_dismissed=true"))


def test_a_bad_filter_is_a_400_naming_the_field(officer_a: User) -> None:
    response = api(officer_a).get("/api/v1/alerts/?case=not-a-uuid")
    assert response.status_code == 400
    assert "case" in response.json()["error"]["fields"]


def test_the_list_pages_by_cursor(officer_a: User, case: Case) -> None:
    deadline = make_deadline(case)
    for n in range(1, 56):
        make_alert(deadline, officer_a, threshold=f"T-{n}h")
    client = api(officer_a)
    first = client.get("/api/v1/alerts/").json()
    assert len(first["results"]) == 50
    second = client.get(first["next"]).json()
    assert len(second["results"]) == 5
    assert not {r["id"] for r in first["results"]} & {r["id"] for r in second["results"]}


def test_reading_one_alert(statutory: Alert, officer_a: User) -> None:
    response = api(officer_a).get(f"/api/v1/alerts/{statutory.public_id}/")
    assert response.status_code == 200
    assert response.json()["id"] == str(statutory.public_id)
    assert response.json()["subject"] == statutory.subject


def test_acknowledging_with_a_note(statutory: Alert, officer_a: User) -> None:
    response = api(officer_a).post(
        f"/api/v1/alerts/{statutory.public_id}/acknowledge/", {"note": "Summons applied for"}, format="json"
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["acknowledged_at"] is not None
    assert body["acknowledgement_note"] == "Summons applied for"
    assert body["read_at"] is not None
    statutory.refresh_from_db()
    assert statutory.acknowledgement_note == "Summons applied for"
    event = AuditEvent.objects.get(event_type=AuditEventType.ALERT_ACKNOWLEDGED)
    assert event.case_id == statutory.case_id


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, services_ack.NOTE_REQUIRED),
        ({"note": "   "}, services_ack.NOTE_REQUIRED),
        ({"note": "x" * (services_ack.NOTE_MAX_LENGTH + 1)}, services_ack.NOTE_TOO_LONG),
    ],
)
def test_acknowledging_without_a_usable_note_is_a_400_that_changes_nothing(
    statutory: Alert, officer_a: User, data: dict[str, str], message: str
) -> None:
    before = alert_state()
    response = api(officer_a).post(f"/api/v1/alerts/{statutory.public_id}/acknowledge/", data, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"note": [message]}
    assert alert_state() == before


def test_acknowledging_twice_is_refused(statutory: Alert, officer_a: User) -> None:
    client = api(officer_a)
    url = f"/api/v1/alerts/{statutory.public_id}/acknowledge/"
    assert client.post(url, {"note": "First"}, format="json").status_code == 200
    before = alert_state()
    response = client.post(url, {"note": "Second"}, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"non_field_errors": [services_ack.ALREADY_ACKNOWLEDGED]}
    assert alert_state() == before


def test_dismissing_a_statutory_alert_before_acknowledging_it_is_refused(statutory: Alert, officer_a: User) -> None:
    before = alert_state()
    response = api(officer_a).post(f"/api/v1/alerts/{statutory.public_id}/dismiss/")
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {
        "non_field_errors": [
            "Acknowledge this alert with a note before dismissing it: it warns of a statutory time limit"
        ]
    }
    assert alert_state() == before


def test_dismissing(statutory: Alert, ordinary: Alert, officer_a: User) -> None:
    client = api(officer_a)
    response = client.post(f"/api/v1/alerts/{ordinary.public_id}/dismiss/")
    assert response.status_code == 200
    assert response.json()["dismissed_at"] is not None
    client.post(f"/api/v1/alerts/{statutory.public_id}/acknowledge/", {"note": "Charged"}, format="json")
    assert client.post(f"/api/v1/alerts/{statutory.public_id}/dismiss/").status_code == 200
    assert AuditEvent.objects.filter(event_type=AuditEventType.ALERT_DISMISSED).count() == 2


ENDPOINTS = [
    ("get", ""),
    ("post", "acknowledge/"),
    ("post", "dismiss/"),
]


@pytest.mark.parametrize(
    "persona", ["officer_b", "lawyer_south", "officer_a2", "supervisor_a", "manager_cps_north", "admin_user"]
)
@pytest.mark.parametrize(("method", "suffix"), ENDPOINTS)
def test_someone_elses_alert_is_a_404_identical_to_a_missing_one(
    ordinary: Alert, persona: str, method: str, suffix: str, request: pytest.FixtureRequest
) -> None:
    client = api(request.getfixturevalue(persona))
    before = alert_state()
    data = {"note": "Not mine"}
    response = getattr(client, method)(f"/api/v1/alerts/{ordinary.public_id}/{suffix}", data, format="json")
    missing = getattr(client, method)(f"/api/v1/alerts/{uuid.uuid4()}/{suffix}", data, format="json")
    assert response.status_code == missing.status_code == 404
    assert response.json() == missing.json()
    assert alert_state() == before
    assert str(ordinary.public_id) not in ids(client.get("/api/v1/alerts/?include_dismissed=true"))


@pytest.mark.parametrize(("method", "suffix"), ENDPOINTS)
def test_an_alert_of_a_case_out_of_scope_is_a_404(
    lawyer_north: User, officer_a: User, area_south: Organisation, method: str, suffix: str
) -> None:
    case = make_case(officer_a)
    alert = make_alert(make_deadline(case, kind=DeadlineKind.CHARGING_DECISION), lawyer_north)
    Case.objects.filter(pk=case.pk).update(cps_area=area_south)
    client = api(lawyer_north)
    before = alert_state()
    response = getattr(client, method)(f"/api/v1/alerts/{alert.public_id}/{suffix}", {"note": "x"}, format="json")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    assert ids(client.get("/api/v1/alerts/")) == []
    assert ids(client.get(f"/api/v1/alerts/?case={case.public_id}")) == []
    assert alert_state() == before


def test_an_alert_of_a_case_not_yet_sent_to_the_cps_is_hidden_from_the_lawyer(
    lawyer_north: User, officer_a: User
) -> None:
    case = make_case(officer_a, sent_to_cps=False)
    alert = make_alert(make_deadline(case), lawyer_north)
    client = api(lawyer_north)
    assert ids(client.get("/api/v1/alerts/")) == []
    assert client.get(f"/api/v1/alerts/{alert.public_id}/").status_code == 404


@pytest.mark.parametrize(("method", "suffix"), [*ENDPOINTS, ("get", "LIST")])
def test_signed_out_callers_get_401_and_nothing_changes(ordinary: Alert, method: str, suffix: str) -> None:
    url = "/api/v1/alerts/" if suffix == "LIST" else f"/api/v1/alerts/{ordinary.public_id}/{suffix}"
    before = alert_state()
    response = getattr(APIClient(), method)(url, {"note": "x"}, format="json")
    assert response.status_code == 401
    assert alert_state() == before


def test_dismissed_stamps_survive_in_the_detail(ordinary: Alert, officer_a: User) -> None:
    Alert.objects.filter(pk=ordinary.pk).update(dismissed_at=timezone.now())
    response = api(officer_a).get(f"/api/v1/alerts/{ordinary.public_id}/")
    assert response.status_code == 200
    assert response.json()["dismissed_at"] is not None
