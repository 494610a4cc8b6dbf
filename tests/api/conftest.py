"""Fixtures for the case API tests: reference rows (courts, offence codes) and a case of force A
with one of everything on it, built through the services as the API would build it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import pytest
from django.db.models import Max
from django.utils import timezone

from accounts.choices import CourtKind
from accounts.models import AuditEvent, Court, Organisation, Unit, User
from casework import services as s
from casework.choices import CustodyEventKind, HearingType, ModeOfTrial, VictimUpdateReason
from casework.identifiers import pnc_check_letter
from casework.models import (
    Case,
    CustodyEvent,
    Hearing,
    OffenceAllegation,
    OffenceCode,
    Suspect,
    Victim,
    VictimUpdate,
    Witness,
    WitnessUnavailability,
)

URN = "10/AA/12345/26"


def pnc(year: int = 2019, serial: int = 12345) -> str:
    return f"{year}/{serial:07d}{pnc_check_letter(str(year), str(serial))}"


def aware(*args: int) -> datetime:
    return timezone.make_aware(datetime(*args))  # type: ignore[arg-type]


@pytest.fixture
def offence_codes(db: None) -> dict[str, OffenceCode]:
    rows = [
        ("CJ88001", "Common assault", "CS", ModeOfTrial.SUMMARY_ONLY),
        ("TH68001", "Theft from the person of another", "CE", ModeOfTrial.EITHER_WAY),
        ("OF61016", "Wounding with intent to do grievous bodily harm", "CI", ModeOfTrial.INDICTABLE_ONLY),
        ("0101AP001", "Application for an extension", "B7", ModeOfTrial.NOT_CRIMINAL),
    ]
    return {
        code: OffenceCode.objects.create(code=code, title=title, category=category, mode_of_trial=mode)
        for code, title, category, mode in rows
    }


@pytest.fixture
def magistrates_court(db: None) -> Court:
    return Court.objects.create(code="B10AA00", name="Newcastle Magistrates' Court", kind=CourtKind.MAGISTRATES)


@pytest.fixture
def crown_court(db: None) -> Court:
    return Court.objects.create(code="C10AA00", name="Newcastle Crown Court", kind=CourtKind.CROWN)


@pytest.fixture
def case_a(officer_a: User, unit_a1: Unit, force_a: Organisation) -> Case:
    return s.case_create(urn=URN, details=s.CaseDetails(summary="Assault outside a pub"), by=officer_a)


@dataclass
class Records:
    """One of everything on ``case_a``."""

    case: Case
    suspect: Suspect
    offence: OffenceAllegation
    custody_event: CustodyEvent
    victim: Victim
    victim_update: VictimUpdate
    witness: Witness
    hearing: Hearing

    def ids(self) -> dict[str, str]:
        return {
            "case": str(self.case.public_id),
            "suspect": str(self.suspect.public_id),
            "offence": str(self.offence.public_id),
            "victim": str(self.victim.public_id),
            "witness": str(self.witness.public_id),
            "hearing": str(self.hearing.public_id),
        }


@pytest.fixture
def records(case_a: Case, officer_a: User, offence_codes: dict[str, OffenceCode], magistrates_court: Court) -> Records:
    suspect = s.suspect_add(
        case=case_a, details=s.SuspectDetails(first_names="John", last_name="Smith", pnc_id=pnc()), by=officer_a
    )
    offence = s.offence_add(
        case=case_a,
        details=s.OffenceDetails(suspect=suspect, code="CJ88001", committed_on=date(2026, 1, 3)),
        by=officer_a,
    )
    custody_event = s.custody_event_record(
        suspect=suspect,
        details=s.CustodyDetails(
            kind=CustodyEventKind.DETAINED, occurred_at=aware(2026, 1, 3, 22), relevant_time=aware(2026, 1, 3, 22)
        ),
        by=officer_a,
    )
    victim = s.victim_add(case=case_a, details=s.VictimDetails(first_names="Mary", last_name="Jones"), by=officer_a)
    victim_update = s.victim_update_record(
        victim=victim,
        reason=VictimUpdateReason.ARREST,
        event_on=date(2026, 1, 3),
        given_on=date(2026, 1, 4),
        method="phone",
        summary="Told of the arrest",
        by=officer_a,
    )
    witness = s.witness_add(
        case=case_a,
        details=s.WitnessDetails(
            first_names="Alan", last_name="Brown", dates_to_avoid=[(date(2026, 8, 1), date(2026, 8, 14), "Holiday")]
        ),
        by=officer_a,
    )
    hearing = s.hearing_add(
        case=case_a,
        details=s.HearingDetails(
            court=magistrates_court, starts_at=aware(2026, 3, 2, 10), hearing_type=HearingType.FIRST_HEARING
        ),
        by=officer_a,
    )
    case_a.refresh_from_db()
    return Records(case_a, suspect, offence, custody_event, victim, victim_update, witness, hearing)


def send_to_cps(case: Case) -> None:
    Case.objects.filter(pk=case.pk).update(sent_to_cps_at=timezone.now())
    case.refresh_from_db()


def db_state() -> dict[str, Any]:
    """Everything a refused or invalid request must leave alone."""
    models: list[Any] = [
        Case,
        Suspect,
        OffenceAllegation,
        CustodyEvent,
        Victim,
        VictimUpdate,
        Witness,
        WitnessUnavailability,
        Hearing,
        AuditEvent,
    ]
    state: dict[str, Any] = {model.__name__: model.objects.count() for model in models}
    state["last_case_change"] = Case.objects.aggregate(Max("updated_at"))["updated_at__max"]
    state["statuses"] = sorted(Case.objects.values_list("status", flat=True))
    return state


def errors(response: Any) -> dict[str, list[str]]:
    assert response.status_code == 400, (response.status_code, response.content)
    body = response.json()["error"]
    assert body["code"] == "invalid"
    fields: dict[str, list[str]] = body["fields"]
    return fields
