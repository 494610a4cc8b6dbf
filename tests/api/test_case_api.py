"""Case API: list and search, open, read whole, change details and status, timeline; token auth;
cursor paging; bounded queries for the whole case."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date, timedelta

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.choices import AuditEventType
from accounts.models import AuditEvent, Court, Organisation, Unit, User
from accounts.services import api_token_issue
from casework import services as s
from casework.choices import CaseFlag, CaseStatus, CustodyEventKind, EnhancedRights, HearingType, VictimUpdateReason
from casework.identifiers import URN_INVALID
from casework.models import Case, OffenceCode
from casework.services._common import DATE_IN_FUTURE, NOT_ALLOWED
from casework.services.cases import OIC_NOT_IN_FORCE, REASON_REQUIRED, URN_TAKEN
from casework.workflow import TRANSITION_NOT_ALLOWED, TRANSITION_NOT_YOURS
from config.api_errors import exception_handler
from tests.api.conftest import URN, Records, aware, db_state, errors, pnc
from tests.factories.casework import CaseFactory

pytestmark = pytest.mark.django_db

ClientFor = Callable[[User], Client]


def post(client: Client, path: str, data: dict[str, object]) -> object:
    return client.post(path, data, content_type="application/json")


# -- list ----------------------------------------------------------------------------------------


def test_the_list_shows_cases_in_scope_with_display_forms(
    case_a: Case, officer_a: User, officer_b: User, unit_b1: Unit, as_user: ClientFor
) -> None:
    CaseFactory(force=officer_b.organisation, unit=unit_b1, urn="46AF5555526")
    response = as_user(officer_a).get("/api/v1/cases/")
    assert response.status_code == 200
    [listed] = response.json()["results"]
    assert listed["id"] == str(case_a.public_id)
    assert listed["urn"] == "10AA1234526"
    assert listed["urn_display"] == URN
    assert listed["status"] == "investigation"
    assert listed["status_label"] == "Investigation"
    assert listed["force"] == {"code": "10", "name": "Northumbria Police"}
    assert listed["unit"]["code"] == "AA"
    assert listed["cps_area"]["code"] == "north-east"
    assert listed["officer_in_case"] == {"id": str(officer_a.public_id), "name": officer_a.get_full_name()}
    assert "pk" not in listed
    assert all(str(case_a.pk) != value for value in listed.values())


def test_the_list_filters_mirror_the_case_search(
    records: Records, officer_a: User, supervisor_a: User, unit_a2: Unit, as_user: ClientFor
) -> None:
    other = CaseFactory(
        force=officer_a.organisation,
        unit=unit_a2,
        urn="10AB7777726",
        status=CaseStatus.CHARGED,
        flags=[CaseFlag.DOMESTIC_ABUSE, CaseFlag.YOUTH],
        officer_in_case=supervisor_a,
    )
    client = as_user(supervisor_a)

    def ids(query: str) -> set[str]:
        response = client.get(f"/api/v1/cases/?{query}")
        assert response.status_code == 200, response.content
        return {c["id"] for c in response.json()["results"]}

    mine, theirs = str(records.case.public_id), str(other.public_id)
    assert ids("") == {mine, theirs}
    assert ids("status=charged") == {theirs}
    assert ids("status=charged&status=investigation") == {mine, theirs}
    assert ids("flag=domestic_abuse&flag=youth") == {theirs}
    assert ids("flag=domestic_abuse&flag=rasso") == set()
    assert ids(f"officer_in_case={officer_a.public_id}") == {mine}
    assert ids("unit=ab") == {theirs}
    assert ids("q=smith") == {mine}
    assert ids("q=10/AA/12345/26") == {mine}
    assert ids("q=smith&sort=relevance") == {mine}
    today = timezone.localdate()
    assert ids(f"updated_from={today}&updated_to={today}") == {mine, theirs}
    assert ids(f"updated_to={today - timedelta(days=1)}") == set()
    urns = [c["urn"] for c in client.get("/api/v1/cases/?sort=urn").json()["results"]]
    assert urns == ["10AA1234526", "10AB7777726"]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("status=bogus", "status"),
        ("flag=bogus", "flag"),
        ("officer_in_case=not-a-uuid", "officer_in_case"),
        ("updated_from=31/12/2026", "updated_from"),
        ("sort=sideways", "sort"),
    ],
)
def test_bad_list_filters_are_400_naming_the_field(query: str, field: str, officer_a: User, as_user: ClientFor) -> None:
    assert field in errors(as_user(officer_a).get(f"/api/v1/cases/?{query}"))


def test_the_list_pages_by_cursor_without_repeats_or_out_of_scope_cases(
    officer_a: User, force_a: Organisation, unit_a1: Unit, force_b: Organisation, unit_b1: Unit, as_user: ClientFor
) -> None:
    ours = {str(c.public_id) for c in CaseFactory.create_batch(53, force=force_a, unit=unit_a1)}
    for n in range(3):
        CaseFactory(force=force_b, unit=unit_b1, urn=f"46AF{n:07d}26")
    client = as_user(officer_a)
    seen: list[str] = []
    url: str | None = "/api/v1/cases/"
    pages = 0
    while url:
        body = client.get(url).json()
        assert len(body["results"]) <= 50
        seen.extend(c["id"] for c in body["results"])
        url = body["next"]
        pages += 1
    assert pages == 2
    assert len(seen) == len(set(seen)) == 53
    assert set(seen) == ours


def test_relevance_paging_keeps_page_edges_exact(
    officer_a: User, force_a: Organisation, unit_a1: Unit, as_user: ClientFor
) -> None:
    cases = CaseFactory.create_batch(55, force=force_a, unit=unit_a1)
    for n, case in enumerate(cases):
        # Different ranks for the same words, so the cursor sits on fractional ranks.
        Case.objects.filter(pk=case.pk).update(search_text="burglary " * (1 + n % 7) + f"case {n}")
    client = as_user(officer_a)
    seen: list[str] = []
    url: str | None = "/api/v1/cases/?q=burglary&sort=relevance"
    while url:
        body = client.get(url).json()
        seen.extend(c["id"] for c in body["results"])
        url = body["next"]
    assert len(seen) == len(set(seen)) == 55


# -- create --------------------------------------------------------------------------------------


def test_creating_a_case_returns_it_and_is_audited(
    officer_a: User, supervisor_a: User, unit_a1: Unit, as_user: ClientFor
) -> None:
    response = post(
        as_user(officer_a),
        "/api/v1/cases/",
        {
            "urn": "10aa 54321 26",
            "summary": "Theft of a bicycle",
            "flags": ["hate_crime"],
            "supervisor": str(supervisor_a.public_id),
            "reported_on": "2026-01-02",
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    case = Case.objects.get(public_id=body["id"])
    assert case.urn == "10AA5432126"
    assert body["urn_display"] == "10/AA/54321/26"
    assert body["flags"] == ["hate_crime"]
    assert body["flag_labels"] == ["Hate crime"]
    assert body["supervisor"]["id"] == str(supervisor_a.public_id)
    assert body["officer_in_case"]["id"] == str(officer_a.public_id)
    assert body["reported_on"] == "2026-01-02"
    assert case.supervisor == supervisor_a
    event = AuditEvent.objects.get(event_type=AuditEventType.CASE_CREATED, case_id=case.public_id)
    assert event.actor == officer_a


@pytest.mark.parametrize(
    ("payload", "field", "message"),
    [
        ({"urn": "not a urn"}, "urn", URN_INVALID),
        ({"urn": URN}, "urn", URN_TAKEN),
        ({"urn": "10/AA/99999/26", "reported_on": "tomorrow"}, "reported_on", None),
        ({"urn": "10/AA/99999/26", "flags": ["sparkly"]}, "flags", None),
        ({"urn": "10/AA/99999/26", "officer_in_case": "nobody"}, "officer_in_case", None),
        (
            {"urn": "10/AA/99999/26", "officer_in_case": str(uuid.UUID(int=7))},
            "officer_in_case",
            OIC_NOT_IN_FORCE.format(force="Northumbria Police"),
        ),
    ],
)
def test_creating_a_case_with_bad_input_is_400_and_changes_nothing(
    payload: dict[str, object], field: str, message: str | None, case_a: Case, officer_a: User, as_user: ClientFor
) -> None:
    client = as_user(officer_a)
    before = db_state()
    fields = errors(post(client, "/api/v1/cases/", payload))
    assert field in fields
    if message is not None:
        assert fields[field] == [message]
    assert db_state() == before


def test_an_officer_of_another_force_as_oic_reads_the_same_as_an_unknown_id(
    officer_a: User, officer_b: User, unit_a1: Unit, as_user: ClientFor
) -> None:
    client = as_user(officer_a)
    other = post(client, "/api/v1/cases/", {"urn": "10/AA/99999/26", "officer_in_case": str(officer_b.public_id)})
    unknown = post(client, "/api/v1/cases/", {"urn": "10/AA/99999/26", "officer_in_case": str(uuid.uuid4())})
    expected = {"officer_in_case": [OIC_NOT_IN_FORCE.format(force="Northumbria Police")]}
    assert errors(other) == errors(unknown) == expected


def test_a_future_report_date_is_refused_by_the_service(officer_a: User, unit_a1: Unit, as_user: ClientFor) -> None:
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    fields = errors(post(as_user(officer_a), "/api/v1/cases/", {"urn": "10/AA/99999/26", "reported_on": tomorrow}))
    assert fields == {"reported_on": [DATE_IN_FUTURE.format(label="The date reported")]}


# -- retrieve ------------------------------------------------------------------------------------


def test_the_case_detail_has_everything_and_is_audited(records: Records, officer_a: User, as_user: ClientFor) -> None:
    response = as_user(officer_a).get(f"/api/v1/cases/{records.case.public_id}/")
    assert response.status_code == 200
    body = response.json()
    [suspect] = body["suspects"]
    assert suspect["id"] == str(records.suspect.public_id)
    assert suspect["pnc_id"] == pnc()
    [event] = suspect["custody_events"]
    assert event["kind"] == "detained"
    assert event["kind_label"] == "Detained in police custody"
    assert event["period_ends_at"] is not None
    [offence] = body["offences"]
    assert offence["code"] == "CJ88001"
    assert offence["title"] == "Common assault"
    assert offence["suspect"] == str(records.suspect.public_id)
    assert offence["mode_of_trial_label"] == "Summary only"
    [victim] = body["victims"]
    assert victim["updates"][0]["reason_label"] == "Suspect arrested"
    assert victim["updates"][0]["given_by"]["id"] == str(officer_a.public_id)
    [witness] = body["witnesses"]
    assert witness["dates_to_avoid"] == [{"starts_on": "2026-08-01", "ends_on": "2026-08-14", "reason": "Holiday"}]
    [hearing] = body["hearings"]
    assert hearing["court"] == {"code": "B10AA00", "name": "Newcastle Magistrates' Court", "kind": "magistrates"}
    assert hearing["starts_at"].startswith("2026-03-02T10:00:00")
    event_row = AuditEvent.objects.get(event_type=AuditEventType.CASE_VIEWED, case_id=records.case.public_id)
    assert event_row.actor == officer_a
    assert event_row.data == {"via": "api"}


def _fill(case: Case, officer: User, suspects: int, offences_each: int, court: Court) -> None:
    for n in range(suspects):
        suspect = s.suspect_add(
            case=case,
            details=s.SuspectDetails(first_names=f"Suspect{n}", last_name="Smith", pnc_id=pnc(serial=1000 + n)),
            by=officer,
        )
        for m in range(offences_each):
            s.offence_add(
                case=case,
                details=s.OffenceDetails(
                    suspect=suspect, code=["CJ88001", "TH68001", "OF61016A"][m % 3], committed_on=date(2026, 1, 3)
                ),
                by=officer,
            )
        s.custody_event_record(
            suspect=suspect,
            details=s.CustodyDetails(
                kind=CustodyEventKind.DETAINED, occurred_at=aware(2026, 1, 3, 22), relevant_time=aware(2026, 1, 3, 22)
            ),
            by=officer,
        )
        victim = s.victim_add(
            case=case,
            details=s.VictimDetails(
                first_names=f"Victim{n}", last_name="Jones", enhanced_rights=[EnhancedRights.SERIOUS_CRIME]
            ),
            by=officer,
        )
        s.victim_update_record(
            victim=victim,
            reason=VictimUpdateReason.ARREST,
            event_on=date(2026, 1, 3),
            given_on=date(2026, 1, 4),
            method="email",
            summary="",
            by=officer,
        )
        s.witness_add(
            case=case,
            details=s.WitnessDetails(
                first_names=f"Witness{n}", last_name="Brown", dates_to_avoid=[(date(2026, 8, 1), date(2026, 8, 2), "")]
            ),
            by=officer,
        )
        s.hearing_add(
            case=case,
            details=s.HearingDetails(court=court, starts_at=aware(2026, 3, 2 + n, 10), hearing_type=HearingType.REMAND),
            by=officer,
        )


def test_the_case_detail_costs_the_same_queries_however_big_the_case(
    officer_a: User,
    supervisor_a: User,
    unit_a1: Unit,
    offence_codes: dict[str, OffenceCode],
    magistrates_court: Court,
    as_user: ClientFor,
) -> None:
    small = s.case_create(urn="10/AA/11111/26", details=s.CaseDetails(supervisor=supervisor_a), by=officer_a)
    big = s.case_create(urn="10/AA/22222/26", details=s.CaseDetails(supervisor=supervisor_a), by=officer_a)
    _fill(small, officer_a, suspects=1, offences_each=1, court=magistrates_court)
    _fill(big, officer_a, suspects=10, offences_each=3, court=magistrates_court)
    client = as_user(officer_a)
    client.get(f"/api/v1/cases/{small.public_id}/")  # warm the session and caches
    with CaptureQueriesContext(connection) as small_queries:
        small_body = client.get(f"/api/v1/cases/{small.public_id}/").json()
    with CaptureQueriesContext(connection) as big_queries:
        big_body = client.get(f"/api/v1/cases/{big.public_id}/").json()
    assert len(big_body["suspects"]) == 10
    assert len(big_body["offences"]) == 30
    assert len(big_body["victims"]) == len(big_body["witnesses"]) == len(big_body["hearings"]) == 10
    assert len(small_body["suspects"]) == 1
    assert len(big_queries) == len(small_queries), [q["sql"] for q in big_queries.captured_queries]


# -- update --------------------------------------------------------------------------------------


def test_patch_changes_only_the_details_given_and_is_audited(
    case_a: Case, officer_a: User, supervisor_a: User, as_user: ClientFor
) -> None:
    response = as_user(officer_a).patch(
        f"/api/v1/cases/{case_a.public_id}/",
        {"supervisor": str(supervisor_a.public_id), "flags": ["domestic_abuse"]},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    case_a.refresh_from_db()
    assert case_a.supervisor == supervisor_a
    assert case_a.flags == ["domestic_abuse"]
    assert case_a.summary == "Assault outside a pub"
    assert case_a.officer_in_case == officer_a
    assert response.json()["supervisor"]["id"] == str(supervisor_a.public_id)
    event = AuditEvent.objects.get(event_type=AuditEventType.CASE_UPDATED, case_id=case_a.public_id)
    assert set(event.data) == {"flags", "supervisor"}


def test_patch_can_clear_the_officer_in_case(case_a: Case, officer_a: User, as_user: ClientFor) -> None:
    response = as_user(officer_a).patch(
        f"/api/v1/cases/{case_a.public_id}/", {"officer_in_case": None}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    case_a.refresh_from_db()
    assert case_a.officer_in_case is None


def test_a_case_of_a_force_with_a_serving_area_cannot_be_sent_to_another_area(
    case_a: Case, officer_a: User, area_south: Organisation, as_user: ClientFor
) -> None:
    """Only British Transport Police cases choose their Area; anything else could divert a case."""
    area_before = case_a.cps_area
    response = as_user(officer_a).patch(
        f"/api/v1/cases/{case_a.public_id}/", {"cps_area": "south-east"}, content_type="application/json"
    )
    assert "cannot be changed" in errors(response)["cps_area"][0]
    case_a.refresh_from_db()
    assert case_a.cps_area == area_before


def test_patch_with_an_unknown_cps_area_is_400(case_a: Case, officer_a: User, as_user: ClientFor) -> None:
    client = as_user(officer_a)
    before = db_state()
    response = client.patch(
        f"/api/v1/cases/{case_a.public_id}/", {"cps_area": "atlantis"}, content_type="application/json"
    )
    assert "cps_area" in errors(response)
    assert db_state() == before


# -- status --------------------------------------------------------------------------------------


def test_a_lifecycle_move_is_made_and_audited(case_a: Case, officer_a: User, as_user: ClientFor) -> None:
    response = post(
        as_user(officer_a),
        f"/api/v1/cases/{case_a.public_id}/status/",
        {"to": "no_further_action", "reason": "Victim withdrew support"},
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "no_further_action"
    assert response.json()["status_label"] == "No further action"
    case_a.refresh_from_db()
    assert case_a.status == CaseStatus.NO_FURTHER_ACTION
    event = AuditEvent.objects.get(event_type=AuditEventType.CASE_STATUS_CHANGED, case_id=case_a.public_id)
    assert event.data["reason"] == "Victim withdrew support"


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        (
            {"to": "concluded", "reason": "Done"},
            {"to": [TRANSITION_NOT_ALLOWED.format(source="Investigation", target="Concluded")]},
        ),
        (
            {"to": "awaiting_charging_decision", "reason": "Sending"},
            {
                "to": [
                    TRANSITION_NOT_YOURS.format(
                        source="Investigation", target="Awaiting charging decision", who="the charging process"
                    )
                ]
            },
        ),
        ({"to": "no_further_action", "reason": "  "}, {"reason": [REASON_REQUIRED]}),
    ],
)
def test_a_lifecycle_move_not_allowed_is_400_and_changes_nothing(
    payload: dict[str, object], expected: dict[str, list[str]], case_a: Case, officer_a: User, as_user: ClientFor
) -> None:
    client = as_user(officer_a)
    before = db_state()
    assert errors(post(client, f"/api/v1/cases/{case_a.public_id}/status/", payload)) == expected
    assert db_state() == before


def test_an_unknown_status_is_400_from_the_input(case_a: Case, officer_a: User, as_user: ClientFor) -> None:
    fields = errors(post(as_user(officer_a), f"/api/v1/cases/{case_a.public_id}/status/", {"to": "x", "reason": "r"}))
    assert fields == {"to": ['"x" is not a valid choice.']}


# -- timeline ------------------------------------------------------------------------------------


def test_the_timeline_lists_the_case_history_oldest_first(
    records: Records, officer_a: User, as_user: ClientFor
) -> None:
    client = as_user(officer_a)
    client.get(f"/api/v1/cases/{records.case.public_id}/")  # a view is audited but is not history
    response = client.get(f"/api/v1/cases/{records.case.public_id}/timeline/")
    assert response.status_code == 200
    events = response.json()["results"]
    types = [e["event_type"] for e in events]
    assert types[0] == AuditEventType.CASE_CREATED
    assert AuditEventType.CASE_VIEWED not in types
    assert {
        AuditEventType.SUSPECT_ADDED,
        AuditEventType.OFFENCE_ADDED,
        AuditEventType.CUSTODY_EVENT_RECORDED,
        AuditEventType.VICTIM_ADDED,
        AuditEventType.VICTIM_UPDATE_GIVEN,
        AuditEventType.WITNESS_ADDED,
        AuditEventType.HEARING_ADDED,
    } <= set(types)
    assert events[0]["actor_username"] == "officer_a"
    assert events[0]["actor_organisation"]["code"] == "10"
    assert events[0]["event_type_label"] == "Case created"
    assert AuditEvent.objects.filter(
        event_type=AuditEventType.CASE_VIEWED, case_id=records.case.public_id, data__part="timeline"
    ).exists()


# -- token authentication ------------------------------------------------------------------------


def test_a_bearer_token_reads_and_writes_cases(case_a: Case, officer_a: User, client: Client) -> None:
    _, key = api_token_issue(user=officer_a, name="Force RMS")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    listed = client.get("/api/v1/cases/", **auth)
    assert [c["id"] for c in listed.json()["results"]] == [str(case_a.public_id)]
    created = client.post("/api/v1/cases/", {"urn": "10/AA/77777/26"}, content_type="application/json", **auth)
    assert created.status_code == 201, created.content
    assert AuditEvent.objects.filter(event_type=AuditEventType.CASE_CREATED, actor=officer_a).count() == 2
    assert client.get("/api/v1/cases/").status_code == 401


# -- service errors in the one error shape -------------------------------------------------------


@pytest.mark.parametrize(
    ("error", "fields"),
    [
        (ValidationError({"urn": ["Bad URN"]}), {"urn": ["Bad URN"]}),
        (ValidationError({NON_FIELD_ERRORS: ["Clash"]}), {"non_field_errors": ["Clash"]}),
        (ValidationError("Plain message"), {"non_field_errors": ["Plain message"]}),
        (ValidationError(["One", "Two"]), {"non_field_errors": ["One", "Two"]}),
    ],
)
def test_a_service_validation_error_becomes_a_400_with_fields(
    error: ValidationError, fields: dict[str, list[str]]
) -> None:
    response = exception_handler(error, {})
    assert response is not None
    assert response.status_code == 400
    assert response.data["error"]["fields"] == fields


def test_a_service_permission_error_keeps_its_message() -> None:
    response = exception_handler(PermissionDenied(NOT_ALLOWED), {})
    assert response is not None
    assert response.status_code == 403
    assert response.data == {"error": {"status": 403, "code": "permission_denied", "message": NOT_ALLOWED}}
