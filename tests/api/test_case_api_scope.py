"""Who may reach each case API endpoint. Outsiders (another force, another CPS Area, CPS Direct,
a system administrator, and the case's own CPS Area before the case is sent) get a 404 identical
to a record that does not exist, and nothing changes. Once the case is sent, its CPS Area may read
it all but change nothing except hearings; a police manager may read but not build the case."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from accounts.choices import AuditEventType
from accounts.models import AuditEvent, User
from casework import services as s
from casework.services._common import NOT_ALLOWED
from casework.services.cases import URN_OTHER_FORCE
from tests.api.conftest import Records, aware, db_state, errors, send_to_cps

pytestmark = pytest.mark.django_db

ClientFor = Callable[[User], Client]

NOT_FOUND = {"error": {"status": 404, "code": "not_found", "message": "Not found."}}
FORBIDDEN = {"error": {"status": 403, "code": "permission_denied", "message": NOT_ALLOWED}}

C = "/api/v1/cases/{case}"
READS: list[str] = [
    C + "/",
    C + "/timeline/",
    C + "/suspects/",
    C + "/suspects/{suspect}/",
    C + "/suspects/{suspect}/custody-events/",
    C + "/victims/",
    C + "/victims/{victim}/",
    C + "/victims/{victim}/updates/",
    C + "/witnesses/",
    C + "/witnesses/{witness}/",
    C + "/offences/",
    C + "/offences/{offence}/",
    C + "/hearings/",
    C + "/hearings/{hearing}/",
]
HEARING_WRITES: list[tuple[str, str, dict[str, Any]]] = [
    ("post", C + "/hearings/", {"court": "B10AA00", "starts_at": "2026-06-01T10:00:00Z", "hearing_type": "remand"}),
    ("patch", C + "/hearings/{hearing}/", {"outcome": "effective"}),
]
POLICE_WRITES: list[tuple[str, str, dict[str, Any]]] = [
    ("patch", C + "/", {"summary": "Changed"}),
    ("post", C + "/suspects/", {"first_names": "Jane", "last_name": "Doe"}),
    ("patch", C + "/suspects/{suspect}/", {"interpreter_language": "Welsh"}),
    (
        "post",
        C + "/suspects/{suspect}/custody-events/",
        {"kind": "released_under_investigation", "occurred_at": "2026-01-05T10:00:00Z"},
    ),
    ("post", C + "/victims/", {"first_names": "Ann", "last_name": "Lee"}),
    ("patch", C + "/victims/{victim}/", {"contact_details": "07700 900000"}),
    (
        "post",
        C + "/victims/{victim}/updates/",
        {"reason": "interview", "event_on": "2026-01-05", "given_on": "2026-01-05", "method": "phone"},
    ),
    ("post", C + "/witnesses/", {"first_names": "Alan", "last_name": "Grey"}),
    ("patch", C + "/witnesses/{witness}/", {"is_key": True}),
    ("post", C + "/offences/", {"suspect": "{suspect}", "code": "TH68001", "committed_on": "2026-01-03"}),
    ("patch", C + "/offences/{offence}/", {"location": "Grey Street"}),
]
STATUS_WRITE: tuple[str, str, dict[str, Any]] = (
    "post",
    C + "/status/",
    {"to": "no_further_action", "reason": "Victim withdrew support"},
)
WRITES = [*POLICE_WRITES, STATUS_WRITE, *HEARING_WRITES]
ENDPOINTS: list[tuple[str, str, dict[str, Any]]] = [("get", path, {}) for path in READS] + WRITES

OUTSIDERS = ["officer_b", "lawyer_south", "lawyer_cpsd", "admin_user", "lawyer_north"]


def call(client: Client, method: str, template: str, data: dict[str, Any], ids: dict[str, str]) -> Any:
    path = template.format(**ids)
    if method == "get":
        return client.get(path)
    body = {key: value.format(**ids) if isinstance(value, str) else value for key, value in data.items()}
    return getattr(client, method)(path, body, content_type="application/json")


def random_ids(ids: dict[str, str]) -> dict[str, str]:
    return {key: str(uuid.uuid4()) for key in ids}


def label(endpoint: tuple[str, str, dict[str, Any]]) -> str:
    return f"{endpoint[0].upper()} {endpoint[1].removeprefix(C)}"


@pytest.fixture
def case_b_of_force_a(officer_a: User, records: Records) -> Records:
    """A second case of the same force, with its own people, offences and hearing."""
    case = s.case_create(urn="10/AA/67890/26", details=s.CaseDetails(), by=officer_a)
    suspect = s.suspect_add(case=case, details=s.SuspectDetails(first_names="Other", last_name="One"), by=officer_a)
    offence = s.offence_add(
        case=case,
        details=s.OffenceDetails(suspect=suspect, code="CJ88001", committed_on=records.offence.committed_on),
        by=officer_a,
    )
    victim = s.victim_add(case=case, details=s.VictimDetails(first_names="V", last_name="W"), by=officer_a)
    witness = s.witness_add(case=case, details=s.WitnessDetails(first_names="W", last_name="X"), by=officer_a)
    hearing = s.hearing_add(
        case=case,
        details=s.HearingDetails(court=records.hearing.court, starts_at=aware(2026, 4, 1, 10), hearing_type="remand"),
        by=officer_a,
    )
    return Records(case, suspect, offence, records.custody_event, victim, records.victim_update, witness, hearing)


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=label)
def test_outsiders_get_the_same_404_as_for_a_missing_record_and_change_nothing(
    endpoint: tuple[str, str, dict[str, Any]],
    records: Records,
    request: pytest.FixtureRequest,
    as_user: ClientFor,
) -> None:
    method, template, data = endpoint
    assert records.case.sent_to_cps_at is None  # so lawyer_north, of the case's own Area, is an outsider too
    for outsider in OUTSIDERS:
        client = as_user(request.getfixturevalue(outsider))
        before = db_state()
        outside = call(client, method, template, data, records.ids())
        missing = call(client, method, template, data, random_ids(records.ids()))
        assert (outside.status_code, outside.json()) == (missing.status_code, missing.json()) == (404, NOT_FOUND), (
            outsider
        )
        assert db_state() == before, outsider


@pytest.mark.parametrize("outsider", OUTSIDERS)
def test_the_case_list_never_shows_a_case_out_of_scope(
    outsider: str, records: Records, request: pytest.FixtureRequest, as_user: ClientFor
) -> None:
    client = as_user(request.getfixturevalue(outsider))
    for query in ("", "?q=smith", "?q=10/AA/12345/26", "?status=investigation"):
        response = client.get(f"/api/v1/cases/{query}")
        assert response.status_code == 200
        assert response.json()["results"] == []


@pytest.mark.parametrize("user", ["lawyer_north", "admin_user", "manager_police_a"])
def test_only_case_builders_may_open_cases(
    user: str, unit_a1: object, request: pytest.FixtureRequest, as_user: ClientFor
) -> None:
    client = as_user(request.getfixturevalue(user))
    before = db_state()
    response = client.post("/api/v1/cases/", {"urn": "10/AA/54321/26"}, content_type="application/json")
    assert (response.status_code, response.json()) == (403, FORBIDDEN)
    assert db_state() == before


def test_an_officer_of_another_force_cannot_open_a_case_for_this_one(
    officer_b: User, unit_a1: object, as_user: ClientFor
) -> None:
    client = as_user(officer_b)
    before = db_state()
    response = client.post("/api/v1/cases/", {"urn": "10/AA/54321/26"}, content_type="application/json")
    assert errors(response) == {"urn": [URN_OTHER_FORCE.format(code="10", force="Kent Police")]}
    assert db_state() == before


def test_a_child_is_reached_only_through_its_own_case(
    records: Records, officer_a: User, as_user: ClientFor, case_b_of_force_a: Records
) -> None:
    client = as_user(officer_a)
    wrong = {**case_b_of_force_a.ids(), "case": str(records.case.public_id)}
    for method, template, data in ENDPOINTS:
        if "{" not in template.removeprefix(C):
            continue
        response = call(client, method, template, data, wrong)
        assert (response.status_code, response.json()) == (404, NOT_FOUND), (method, template)


@pytest.mark.parametrize("path", READS, ids=lambda p: p.removeprefix(C))
def test_the_cps_area_reads_everything_once_the_case_is_sent(
    path: str, records: Records, lawyer_north: User, as_user: ClientFor
) -> None:
    send_to_cps(records.case)
    response = as_user(lawyer_north).get(path.format(**records.ids()))
    assert response.status_code == 200, response.content
    assert AuditEvent.objects.filter(event_type=AuditEventType.CASE_VIEWED, actor=lawyer_north).count() == 1


@pytest.mark.parametrize("endpoint", POLICE_WRITES, ids=label)
@pytest.mark.parametrize("user", ["lawyer_north", "manager_police_a"])
def test_those_who_may_read_but_not_build_the_case_are_refused_writes(
    user: str,
    endpoint: tuple[str, str, dict[str, Any]],
    records: Records,
    request: pytest.FixtureRequest,
    as_user: ClientFor,
) -> None:
    send_to_cps(records.case)
    client = as_user(request.getfixturevalue(user))
    before = db_state()
    response = call(client, *endpoint, records.ids())
    assert (response.status_code, response.json()) == (403, FORBIDDEN)
    assert db_state() == before


@pytest.mark.parametrize("user", ["lawyer_north", "manager_police_a"])
def test_only_the_police_may_take_no_further_action_during_an_investigation(
    user: str, records: Records, request: pytest.FixtureRequest, as_user: ClientFor
) -> None:
    """The CPS may move a case (e.g. charged to pre-trial) but not close a police investigation;
    a police manager holds no case-building role at all."""
    send_to_cps(records.case)
    response = call(as_user(request.getfixturevalue(user)), *STATUS_WRITE, records.ids())
    if user == "manager_police_a":
        assert (response.status_code, response.json()) == (403, FORBIDDEN)
    else:
        assert response.status_code == 400
        assert "not by hand here" in response.json()["error"]["fields"]["to"][0]
    records.case.refresh_from_db()
    assert records.case.status == "investigation"
    assert not AuditEvent.objects.filter(event_type=AuditEventType.CASE_STATUS_CHANGED).exists()


def test_the_cps_area_of_a_sent_case_records_hearings(records: Records, lawyer_north: User, as_user: ClientFor) -> None:
    send_to_cps(records.case)
    client = as_user(lawyer_north)
    added, updated = (call(client, *endpoint, records.ids()) for endpoint in HEARING_WRITES)
    assert added.status_code == 201, added.content
    assert updated.status_code == 200, updated.content
    assert updated.json()["outcome"] == "effective"
    assert AuditEvent.objects.filter(event_type=AuditEventType.HEARING_ADDED, actor=lawyer_north).count() == 1
    assert AuditEvent.objects.filter(event_type=AuditEventType.HEARING_UPDATED, actor=lawyer_north).count() == 1


def test_a_police_manager_may_not_record_hearings(records: Records, manager_police_a: User, as_user: ClientFor) -> None:
    client = as_user(manager_police_a)
    before = db_state()
    for endpoint in HEARING_WRITES:
        response = call(client, *endpoint, records.ids())
        assert (response.status_code, response.json()) == (403, FORBIDDEN)
    assert db_state() == before
