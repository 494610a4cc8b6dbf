"""Building real cases through the services for the deadline store tests."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest

from accounts.models import Unit, User
from casework import services as cs
from casework.deadlines.calendar import LONDON
from casework.deadlines.holidays import load_public_holidays
from casework.models import Case, Deadline, OffenceAllegation, OffenceCode, Suspect
from charging import services as charging
from charging.choices import ChargingCategory
from charging.models import ChargingRequest


def at(*args: int) -> datetime:
    """A Europe/London wall-clock time."""
    return datetime(*args, tzinfo=LONDON)  # type: ignore[misc]


@pytest.fixture
def holidays(db: None) -> None:
    load_public_holidays()


@pytest.fixture
def case(
    officer_a: User, supervisor_a: User, unit_a1: Unit, offence_codes: dict[str, OffenceCode], holidays: None
) -> Case:
    return cs.case_create(
        urn="10/AA/12345/26", details=cs.CaseDetails(summary="Assault", supervisor=supervisor_a), by=officer_a
    )


@pytest.fixture
def suspect(case: Case, officer_a: User) -> Suspect:
    return cs.suspect_add(case=case, details=cs.SuspectDetails("Jamie", "Smith"), by=officer_a)


def add_offence(
    case: Case, suspect: Suspect, by: User, code: str = "PH97003", committed_on: date = date(2026, 1, 5), **extra: Any
) -> OffenceAllegation:
    return cs.offence_add(
        case=case,
        details=cs.OffenceDetails(suspect=suspect, code=code, committed_on=committed_on, **extra),
        by=by,
    )


def mg3(**overrides: Any) -> charging.Mg3Details:
    values: dict[str, Any] = {
        "category": ChargingCategory.GREEN,
        "suspect_status": "Released on bail",
        "offence_summary": "Assaulted the victim",
        "proposed_charges": "Common assault",
        "defence_account": "No comment interview",
        "lines_of_inquiry_done": "CCTV seized",
    }
    values.update(overrides)
    return charging.Mg3Details(**values)


def allocated_request(
    case: Case, officer: User, supervisor: User, triage: User, lawyer: User, **overrides: Any
) -> ChargingRequest:
    request = charging.request_create(case=case, details=mg3(**overrides), by=officer)
    request = charging.request_submit(request=request, by=officer)
    request = charging.request_approve(request=request, by=supervisor)
    request = charging.request_accept(request=request, by=triage)
    return charging.request_allocate(request=request, by=lawyer)


def deadline(case: Case, kind: str, subject_key: str | None = None) -> Deadline:
    rows = Deadline.objects.filter(case=case, kind=kind)
    if subject_key is not None:
        rows = rows.filter(subject_key=subject_key)
    return rows.get()


# The real Celery worker of tests/tasks, for the sweep's worker test.
from tests.tasks.conftest import celery_queue, celery_worker_process  # noqa: E402, F401
