"""Case API for a case's suspects (and custody events), victims (and updates), witnesses, offences
and hearings: each operation's effect and audit, and the issue's bad inputs."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from accounts.choices import AuditEventType
from accounts.models import AuditEvent, Court, User
from casework import services as s
from casework.api.common import COURT_UNKNOWN
from casework.bail import BAIL_NEEDS_AUTHORITY
from casework.choices import BailRegime, OffenceStatus
from casework.identifiers import PNC_CHECK_LETTER, pnc_check_letter
from casework.models import CustodyEvent, OffenceAllegation, Suspect, Victim, VictimUpdate, Witness
from casework.services._common import DATE_IN_FUTURE
from casework.services.custody import OFFENCE_NOT_SUSPECTS
from casework.services.offences import CODE_NOT_CRIMINAL, CODE_UNKNOWN, SUSPECT_NOT_ON_CASE
from casework.services.offences import RANGE_REVERSED as OFFENCE_RANGE_REVERSED
from casework.services.people import NO_DATES_TO_AVOID_WITH_DATES, PNC_ON_CASE, UPDATE_BEFORE_EVENT
from casework.services.people import RANGE_REVERSED as DATES_REVERSED
from tests.api.conftest import Records, db_state, errors, pnc

pytestmark = pytest.mark.django_db

ClientFor = Callable[[User], Client]


def send(client: Client, method: str, path: str, data: dict[str, Any]) -> Any:
    return getattr(client, method)(path, data, content_type="application/json")


def viewed(records: Records, part: str) -> bool:
    return AuditEvent.objects.filter(
        event_type=AuditEventType.CASE_VIEWED, case_id=records.case.public_id, data__part=part
    ).exists()


def audited(event_type: str, obj: Any) -> AuditEvent:
    return AuditEvent.objects.get(event_type=event_type, object_id=str(obj.public_id))


@pytest.fixture
def client_a(officer_a: User, as_user: ClientFor) -> Client:
    return as_user(officer_a)


@pytest.fixture
def base(records: Records) -> str:
    return f"/api/v1/cases/{records.case.public_id}"


def invalid(client: Client, method: str, path: str, data: dict[str, Any]) -> dict[str, list[str]]:
    """The field errors of a request that must change nothing."""
    before = db_state()
    fields = errors(send(client, method, path, data))
    assert db_state() == before
    return fields


# -- suspects ------------------------------------------------------------------------------------


def test_suspects_are_listed_with_their_custody_history(records: Records, client_a: Client, base: str) -> None:
    response = client_a.get(f"{base}/suspects/")
    assert response.status_code == 200
    [suspect] = response.json()
    assert suspect["id"] == str(records.suspect.public_id)
    assert suspect["full_name"] == "John SMITH"
    assert [e["id"] for e in suspect["custody_events"]] == [str(records.custody_event.public_id)]
    assert viewed(records, "suspects")


def test_adding_a_suspect_normalises_identifiers_and_is_audited(records: Records, client_a: Client, base: str) -> None:
    response = send(
        client_a,
        "post",
        f"{base}/suspects/",
        {"first_names": "Jane", "last_name": "Doe", "date_of_birth": "1990-05-01", "pnc_id": pnc(2020, 77)[2:]},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    suspect = Suspect.objects.get(public_id=body["id"])
    assert suspect.case == records.case
    assert suspect.pnc_id == pnc(2020, 77)
    assert body["date_of_birth"] == "1990-05-01"
    assert body["is_youth"] is False
    assert body["custody_events"] == []
    assert audited(AuditEventType.SUSPECT_ADDED, suspect).case_id == records.case.public_id


def test_a_pnc_id_with_the_wrong_check_letter_is_400_and_adds_nobody(client_a: Client, base: str) -> None:
    right = pnc_check_letter("2019", "54321")
    wrong = next(letter for letter in "ABCDEF" if letter != right)
    fields = invalid(
        client_a, "post", f"{base}/suspects/", {"first_names": "A", "last_name": "B", "pnc_id": f"2019/0054321{wrong}"}
    )
    assert fields == {"pnc_id": [PNC_CHECK_LETTER]}


def test_a_pnc_id_already_on_the_case_is_400(client_a: Client, base: str) -> None:
    fields = invalid(client_a, "post", f"{base}/suspects/", {"first_names": "A", "last_name": "B", "pnc_id": pnc()})
    assert fields == {"pnc_id": [PNC_ON_CASE]}


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"first_names": "A", "last_name": "B", "date_of_birth": "01/02/1990"}, "date_of_birth"),
        ({"first_names": "A", "last_name": "B", "needs_appropriate_adult": "perhaps"}, "needs_appropriate_adult"),
        ({"first_names": "A"}, "last_name"),
    ],
)
def test_a_suspect_with_input_of_the_wrong_type_is_400(
    data: dict[str, Any], field: str, client_a: Client, base: str
) -> None:
    assert field in invalid(client_a, "post", f"{base}/suspects/", data)


def test_a_suspect_is_read_and_patched(records: Records, client_a: Client, base: str) -> None:
    path = f"{base}/suspects/{records.suspect.public_id}/"
    assert client_a.get(path).json()["pnc_id"] == pnc()
    assert AuditEvent.objects.filter(
        event_type=AuditEventType.CASE_VIEWED, object_id=str(records.suspect.public_id)
    ).exists()
    response = send(client_a, "patch", path, {"interpreter_language": "Polish"})
    assert response.status_code == 200, response.content
    records.suspect.refresh_from_db()
    assert records.suspect.interpreter_language == "Polish"
    assert records.suspect.pnc_id == pnc()
    assert records.suspect.first_names == "John"
    assert audited(AuditEventType.SUSPECT_UPDATED, records.suspect).data == {"changed": ["interpreter_language"]}


# -- custody and bail ----------------------------------------------------------------------------


def test_custody_events_are_listed_oldest_first(records: Records, client_a: Client, base: str) -> None:
    response = client_a.get(f"{base}/suspects/{records.suspect.public_id}/custody-events/")
    assert response.status_code == 200
    assert [e["kind"] for e in response.json()] == ["detained"]
    assert viewed(records, "custody_events")


def _bail(client: Client, base: str, records: Records, **extra: Any) -> Any:
    return send(
        client,
        "post",
        f"{base}/suspects/{records.suspect.public_id}/custody-events/",
        {
            "kind": "pre_charge_bail",
            "occurred_at": "2025-01-06T18:00:00Z",
            "arrested_on": "2025-01-06",
            "bail_start_date": "2025-01-06",
            **extra,
        },
    )


def test_release_on_bail_derives_the_regime_and_is_audited(records: Records, client_a: Client, base: str) -> None:
    response = _bail(client_a, base, records, conditions="Live and sleep at home address")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["bail_regime"] == BailRegime.PCSC_2022
    assert body["bail_regime_label"].startswith("Police, Crime, Sentencing and Courts Act 2022")
    assert body["period_ends_at"].startswith("2025-04-05T23:59")  # 3 months beginning with 6 January
    assert body["authority"] == "custody_officer"
    event = CustodyEvent.objects.get(public_id=body["id"])
    assert event.recorded_by.username == "officer_a"
    assert audited(AuditEventType.CUSTODY_EVENT_RECORDED, event).case_id == records.case.public_id


def test_a_bail_extension_without_the_authority_it_needs_is_400(records: Records, client_a: Client, base: str) -> None:
    assert _bail(client_a, base, records).status_code == 201
    fields = invalid(
        client_a,
        "post",
        f"{base}/suspects/{records.suspect.public_id}/custody-events/",
        {
            "kind": "bail_extended",
            "occurred_at": "2025-04-01T10:00:00Z",
            "period_ends_on": "2025-06-06",
            "authority": "custody_officer",
        },
    )
    assert fields == {
        "authority": [
            BAIL_NEEDS_AUTHORITY.format(end="6 June 2025", needed="an inspector", given="a custody officer (sergeant)")
        ]
    }


def test_a_bail_extension_with_the_authority_is_recorded(records: Records, client_a: Client, base: str) -> None:
    assert _bail(client_a, base, records).status_code == 201
    response = send(
        client_a,
        "post",
        f"{base}/suspects/{records.suspect.public_id}/custody-events/",
        {
            "kind": "bail_extended",
            "occurred_at": "2025-04-01T10:00:00Z",
            "period_ends_on": "2025-06-06",
            "authority": "inspector",
            "authorised_by": "Insp 123 Grey",
        },
    )
    assert response.status_code == 201, response.content
    assert response.json()["period_ends_at"].startswith("2025-06-06T23:59")


def test_a_remand_on_an_offence_of_another_case_is_400(
    records: Records, officer_a: User, client_a: Client, base: str
) -> None:
    other_case = s.case_create(urn="10/AA/99999/26", details=s.CaseDetails(), by=officer_a)
    details = s.SuspectDetails(first_names="X", last_name="Y")
    other_suspect = s.suspect_add(case=other_case, details=details, by=officer_a)
    other_offence = s.offence_add(
        case=other_case,
        details=s.OffenceDetails(suspect=other_suspect, code="CJ88001", committed_on=date(2026, 1, 1)),
        by=officer_a,
    )
    fields = invalid(
        client_a,
        "post",
        f"{base}/suspects/{records.suspect.public_id}/custody-events/",
        {
            "kind": "remanded_in_custody",
            "occurred_at": "2026-01-05T10:00:00Z",
            "offence": str(other_offence.public_id),
            "first_remand_date": "2026-01-05",
        },
    )
    assert fields == {"offence": [OFFENCE_NOT_SUSPECTS]}


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"kind": "beamed_up", "occurred_at": "2026-01-05T10:00:00Z"}, "kind"),
        ({"kind": "detained", "occurred_at": "yesterday"}, "occurred_at"),
        ({"kind": "detained", "occurred_at": "2026-01-05T10:00:00Z", "offence": "x"}, "offence"),
        ({"kind": "detained", "occurred_at": "2026-01-05T10:00:00Z", "authority": "chief"}, "authority"),
    ],
)
def test_a_custody_event_with_input_of_the_wrong_type_is_400(
    data: dict[str, Any], expected: str, records: Records, client_a: Client, base: str
) -> None:
    assert expected in invalid(client_a, "post", f"{base}/suspects/{records.suspect.public_id}/custody-events/", data)


def test_a_warrant_names_its_court_by_code(records: Records, client_a: Client, base: str) -> None:
    path = f"{base}/suspects/{records.suspect.public_id}/custody-events/"
    data = {
        "kind": "warrant_further_detention",
        "occurred_at": "2026-01-04T20:00:00Z",
        "period_ends_at": "2026-01-06T10:00:00Z",
    }
    assert invalid(client_a, "post", path, {**data, "court": "ZZ99"}) == {"court": [COURT_UNKNOWN.format(code="ZZ99")]}
    response = send(client_a, "post", path, {**data, "court": "b10aa00"})
    assert response.status_code == 201, response.content
    assert response.json()["court"]["code"] == "B10AA00"
    assert response.json()["authority"] == "magistrates_court"


# -- victims -------------------------------------------------------------------------------------


def test_victims_are_listed_read_added_and_patched(records: Records, client_a: Client, base: str) -> None:
    [listed] = client_a.get(f"{base}/victims/").json()
    assert listed["updates"][0]["id"] == str(records.victim_update.public_id)
    assert viewed(records, "victims")
    assert client_a.get(f"{base}/victims/{records.victim.public_id}/").json()["full_name"] == "Mary JONES"

    created = send(
        client_a,
        "post",
        f"{base}/victims/",
        {"first_names": "Ann", "last_name": "Lee", "enhanced_rights": ["vulnerable_or_intimidated"]},
    )
    assert created.status_code == 201, created.content
    victim = Victim.objects.get(public_id=created.json()["id"])
    assert created.json()["enhanced_rights_labels"] == ["Vulnerable or intimidated"]
    assert audited(AuditEventType.VICTIM_ADDED, victim)
    records.case.refresh_from_db()
    assert "vulnerable_victim" in records.case.flags

    patched = send(client_a, "patch", f"{base}/victims/{victim.public_id}/", {"contact_preference": "email"})
    assert patched.status_code == 200, patched.content
    victim.refresh_from_db()
    assert victim.contact_preference == "email"
    assert victim.enhanced_rights == ["vulnerable_or_intimidated"]
    assert audited(AuditEventType.VICTIM_UPDATED, victim).data == {"changed": ["contact_preference"]}


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"first_names": "A", "last_name": "B", "enhanced_rights": ["royalty"]}, "enhanced_rights"),
        ({"first_names": "A", "last_name": "B", "contact_preference": "pigeon"}, "contact_preference"),
        ({"first_names": "A", "last_name": "B", "first_statement_on": "2026-13-01"}, "first_statement_on"),
    ],
)
def test_a_victim_with_input_of_the_wrong_type_is_400(
    data: dict[str, Any], field: str, client_a: Client, base: str
) -> None:
    assert field in invalid(client_a, "post", f"{base}/victims/", data)


def test_a_made_statement_needs_its_date(records: Records, client_a: Client, base: str) -> None:
    fields = invalid(client_a, "patch", f"{base}/victims/{records.victim.public_id}/", {"personal_statement": "made"})
    assert fields == {"personal_statement_on": ["Enter the date the Victim Personal Statement was made"]}


def test_victims_code_updates_are_listed_and_recorded(records: Records, client_a: Client, base: str) -> None:
    path = f"{base}/victims/{records.victim.public_id}/updates/"
    assert [u["reason"] for u in client_a.get(path).json()] == ["arrest"]
    assert viewed(records, "victim_updates")
    response = send(
        client_a,
        "post",
        path,
        {"reason": "bail_or_rui", "event_on": "2026-01-05", "given_on": "2026-01-05", "method": "letter"},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["method_label"] == "Letter"
    assert body["given_by"]["id"] == str(records.case.officer_in_case.public_id)  # type: ignore[union-attr]
    update = VictimUpdate.objects.get(public_id=body["id"])
    assert audited(AuditEventType.VICTIM_UPDATE_GIVEN, update).case_id == records.case.public_id


def test_an_update_given_before_its_event_is_400(records: Records, client_a: Client, base: str) -> None:
    fields = invalid(
        client_a,
        "post",
        f"{base}/victims/{records.victim.public_id}/updates/",
        {"reason": "charged", "event_on": "2026-01-05", "given_on": "2026-01-04", "method": "phone"},
    )
    assert fields == {"given_on": [UPDATE_BEFORE_EVENT]}


# -- witnesses -----------------------------------------------------------------------------------


def test_witnesses_are_listed_read_added_and_patched(records: Records, client_a: Client, base: str) -> None:
    [listed] = client_a.get(f"{base}/witnesses/").json()
    assert listed["dates_to_avoid"][0]["reason"] == "Holiday"
    assert viewed(records, "witnesses")
    assert client_a.get(f"{base}/witnesses/{records.witness.public_id}/").json()["full_name"] == "Alan BROWN"

    created = send(
        client_a,
        "post",
        f"{base}/witnesses/",
        {
            "first_names": "PC",
            "last_name": "Green",
            "witness_type": "police",
            "vulnerability": "intimidated",
            "special_measures": ["screens"],
            "dates_to_avoid": [{"starts_on": "2026-12-01", "ends_on": "2026-12-03"}],
        },
    )
    assert created.status_code == 201, created.content
    witness = Witness.objects.get(public_id=created.json()["id"])
    assert created.json()["special_measures_labels"] == ["Screens"]
    assert [(d.starts_on, d.ends_on) for d in witness.dates_to_avoid.all()] == [(date(2026, 12, 1), date(2026, 12, 3))]
    assert audited(AuditEventType.WITNESS_ADDED, witness)

    patched = send(client_a, "patch", f"{base}/witnesses/{witness.public_id}/", {"is_key": True})
    assert patched.status_code == 200, patched.content
    witness.refresh_from_db()
    assert witness.is_key is True
    assert witness.dates_to_avoid.count() == 1  # kept when not given
    cleared = send(client_a, "patch", f"{base}/witnesses/{witness.public_id}/", {"dates_to_avoid": []})
    assert cleared.json()["dates_to_avoid"] == []
    assert AuditEvent.objects.filter(event_type=AuditEventType.WITNESS_UPDATED).count() == 2


def test_a_witness_date_range_reversed_is_400(records: Records, client_a: Client, base: str) -> None:
    fields = invalid(
        client_a,
        "patch",
        f"{base}/witnesses/{records.witness.public_id}/",
        {"dates_to_avoid": [{"starts_on": "2026-12-03", "ends_on": "2026-12-01"}]},
    )
    assert fields == {"dates_to_avoid": [DATES_REVERSED]}


def test_a_witness_with_no_dates_to_avoid_is_added_and_kept_by_other_changes(
    records: Records, client_a: Client, base: str
) -> None:
    created = send(
        client_a, "post", f"{base}/witnesses/", {"first_names": "Nia", "last_name": "Dale", "no_dates_to_avoid": True}
    )
    assert created.status_code == 201, created.content
    assert created.json()["no_dates_to_avoid"] is True
    witness = Witness.objects.get(public_id=created.json()["id"])
    assert witness.no_dates_to_avoid is True

    patched = send(client_a, "patch", f"{base}/witnesses/{witness.public_id}/", {"is_key": True})
    assert patched.json()["no_dates_to_avoid"] is True, "a PATCH without it keeps it"
    dates_given = send(
        client_a,
        "patch",
        f"{base}/witnesses/{witness.public_id}/",
        {"no_dates_to_avoid": False, "dates_to_avoid": [{"starts_on": "2026-12-01", "ends_on": "2026-12-03"}]},
    )
    assert dates_given.status_code == 200, dates_given.content
    witness.refresh_from_db()
    assert witness.no_dates_to_avoid is False
    last_update = AuditEvent.objects.filter(
        event_type=AuditEventType.WITNESS_UPDATED, object_id=str(witness.public_id)
    ).latest("id")
    assert set(last_update.data["changed"]) == {"dates_to_avoid", "no_dates_to_avoid"}


def test_no_dates_to_avoid_while_dates_to_avoid_are_given_is_400(records: Records, client_a: Client, base: str) -> None:
    assert records.witness.dates_to_avoid.exists()
    fields = invalid(client_a, "patch", f"{base}/witnesses/{records.witness.public_id}/", {"no_dates_to_avoid": True})
    assert fields == {"no_dates_to_avoid": [NO_DATES_TO_AVOID_WITH_DATES]}


def test_special_measures_need_a_vulnerability(client_a: Client, base: str) -> None:
    fields = invalid(
        client_a, "post", f"{base}/witnesses/", {"first_names": "A", "last_name": "B", "special_measures": ["screens"]}
    )
    assert list(fields) == ["vulnerability"]


# -- offences ------------------------------------------------------------------------------------


def _offence(records: Records, **extra: Any) -> dict[str, Any]:
    return {"suspect": str(records.suspect.public_id), "code": "TH68001", "committed_on": "2026-01-03", **extra}


def test_offences_are_listed_read_added_and_patched(records: Records, client_a: Client, base: str) -> None:
    [listed] = client_a.get(f"{base}/offences/").json()
    assert listed["code"] == "CJ88001"
    assert viewed(records, "offences")
    assert client_a.get(f"{base}/offences/{records.offence.public_id}/").json()["title"] == "Common assault"

    created = send(client_a, "post", f"{base}/offences/", _offence(records, code="th68001a", location="Grey Street"))
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["code"], body["offence_code"], body["qualifier"]) == ("TH68001A", "TH68001", "A")
    assert body["qualifier_label"] == "A – attempting"
    offence = OffenceAllegation.objects.get(public_id=body["id"])
    assert offence.suspect == records.suspect
    assert audited(AuditEventType.OFFENCE_ADDED, offence)

    patched = send(client_a, "patch", f"{base}/offences/{offence.public_id}/", {"status": "charged"})
    assert patched.status_code == 200, patched.content
    offence.refresh_from_db()
    assert offence.status == OffenceStatus.CHARGED
    assert offence.qualifier == "A"
    assert audited(AuditEventType.OFFENCE_UPDATED, offence).data["after"] == {"code": "TH68001A", "status": "charged"}

    recoded = send(client_a, "patch", f"{base}/offences/{offence.public_id}/", {"code": "CJ88001"})
    assert recoded.json()["code"] == "CJ88001"  # the new code carries its own (absent) qualifier


def test_an_offence_with_a_date_in_the_future_is_400(records: Records, client_a: Client, base: str) -> None:
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    fields = invalid(client_a, "post", f"{base}/offences/", _offence(records, committed_on=tomorrow))
    assert fields == {"committed_on": [DATE_IN_FUTURE.format(label="The offence date")]}


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ({"code": "ZZ99999"}, {"code": [CODE_UNKNOWN.format(code="ZZ99999")]}),
        ({"code": "0101AP001"}, {"code": [CODE_NOT_CRIMINAL.format(code="0101AP001")]}),
        ({"committed_until": "2026-01-01"}, {"committed_until": [OFFENCE_RANGE_REVERSED]}),
    ],
)
def test_an_offence_the_service_refuses_is_400_with_its_message(
    extra: dict[str, Any], expected: dict[str, list[str]], records: Records, client_a: Client, base: str
) -> None:
    assert invalid(client_a, "post", f"{base}/offences/", _offence(records, **extra)) == expected


def test_an_offence_against_a_suspect_of_another_case_is_400(
    records: Records, officer_a: User, client_a: Client, base: str
) -> None:
    other_case = s.case_create(urn="10/AA/99999/26", details=s.CaseDetails(), by=officer_a)
    other = s.suspect_add(case=other_case, details=s.SuspectDetails(first_names="X", last_name="Y"), by=officer_a)
    fields = invalid(client_a, "post", f"{base}/offences/", _offence(records, suspect=str(other.public_id)))
    assert fields == {"suspect": [SUSPECT_NOT_ON_CASE]}
    path = f"{base}/offences/{records.offence.public_id}/"
    assert invalid(client_a, "patch", path, {"suspect": str(other.public_id)}) == {"suspect": [SUSPECT_NOT_ON_CASE]}


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"suspect": "not-a-uuid"}, "suspect"),
        ({"committed_on": "3 January"}, "committed_on"),
        ({"status": "acquitted"}, "status"),
        ({"qualifier": "Z"}, "qualifier"),
    ],
)
def test_an_offence_with_input_of_the_wrong_type_is_400(
    extra: dict[str, Any], field: str, records: Records, client_a: Client, base: str
) -> None:
    assert field in invalid(client_a, "post", f"{base}/offences/", _offence(records, **extra))


# -- hearings ------------------------------------------------------------------------------------


def test_hearings_are_listed_read_added_and_patched(
    records: Records, crown_court: Court, client_a: Client, base: str
) -> None:
    [listed] = client_a.get(f"{base}/hearings/").json()
    assert listed["hearing_type_label"] == "First hearing"
    assert viewed(records, "hearings")
    assert client_a.get(f"{base}/hearings/{records.hearing.public_id}/").json()["outcome"] == ""

    created = send(
        client_a,
        "post",
        f"{base}/hearings/",
        {"court": "C10AA00", "starts_at": "2026-06-01T10:00:00+01:00", "hearing_type": "ptph"},
    )
    assert created.status_code == 201, created.content
    assert created.json()["court"]["name"] == "Newcastle Crown Court"
    assert created.json()["starts_at"] == "2026-06-01T10:00:00+01:00"
    hearing_id = created.json()["id"]
    assert AuditEvent.objects.filter(event_type=AuditEventType.HEARING_ADDED, object_id=hearing_id).exists()

    patched = send(
        client_a, "patch", f"{base}/hearings/{hearing_id}/", {"outcome": "adjourned", "outcome_notes": "No interpreter"}
    )
    assert patched.status_code == 200, patched.content
    assert patched.json()["outcome_label"] == "Adjourned"
    assert patched.json()["court"]["code"] == "C10AA00"
    assert AuditEvent.objects.filter(event_type=AuditEventType.HEARING_UPDATED, object_id=hearing_id).exists()


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"court": "NOPE"}, {"court": [COURT_UNKNOWN.format(code="NOPE")]}),
        ({"hearing_type": "party"}, {"hearing_type": ['"party" is not a valid choice.']}),
        ({"starts_at": "next Tuesday"}, None),
    ],
)
def test_a_hearing_with_bad_input_is_400(
    data: dict[str, Any], expected: dict[str, list[str]] | None, records: Records, client_a: Client, base: str
) -> None:
    payload = {"court": "B10AA00", "starts_at": "2026-06-01T10:00:00Z", "hearing_type": "remand", **data}
    fields = invalid(client_a, "post", f"{base}/hearings/", payload)
    if expected is None:
        assert list(fields) == list(data)
    else:
        assert fields == expected


def test_an_inactive_court_is_refused_by_the_service(
    records: Records, magistrates_court: Court, client_a: Client, base: str
) -> None:
    Court.objects.filter(pk=magistrates_court.pk).update(is_active=False)
    fields = invalid(
        client_a,
        "post",
        f"{base}/hearings/",
        {"court": "B10AA00", "starts_at": "2026-06-01T10:00:00Z", "hearing_type": "remand"},
    )
    assert fields == {"court": ["Choose the court"]}
