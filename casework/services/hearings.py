"""Court hearings on a case: listed by either side, outcomes recorded as they happen."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction

from accounts.audit import audit_record
from accounts.choices import AuditEventType
from accounts.models import Court, User

from ..choices import HearingOutcome, HearingType
from ..models import Case, Hearing
from ._common import lock_case, notify_case_changed, raise_if, require_perm

COURT_REQUIRED = "Choose the court"
TYPE_REQUIRED = "Choose the type of hearing"


@dataclass
class HearingDetails:
    court: Court | None
    starts_at: datetime
    hearing_type: str
    outcome: str = ""
    outcome_notes: str = ""


def _clean(details: HearingDetails) -> None:
    errors: dict[str, str] = {}
    if details.court is None or not details.court.is_active:
        errors["court"] = COURT_REQUIRED
    if details.hearing_type not in HearingType.values:
        errors["hearing_type"] = TYPE_REQUIRED
    if details.outcome not in HearingOutcome.values:
        errors["outcome"] = "Choose an outcome"
    raise_if(errors)


@transaction.atomic
def hearing_add(*, case: Case, details: HearingDetails, by: User) -> Hearing:
    require_perm(by, "casework.record_hearing", case)
    case = lock_case(case)
    _clean(details)
    assert details.court is not None  # checked in _clean
    hearing = Hearing.objects.create(
        case=case,
        court=details.court,
        starts_at=details.starts_at,
        hearing_type=details.hearing_type,
        outcome=details.outcome,
        outcome_notes=details.outcome_notes.strip(),
    )
    case.save(update_fields=["updated_at"])
    notify_case_changed(case)  # sending to the Crown Court and the start of trial move custody time limits
    audit_record(
        by=by,
        event_type=AuditEventType.HEARING_ADDED,
        obj=hearing,
        case_id=case.public_id,
        summary=f"{hearing.get_hearing_type_display()} listed at {hearing.court.name}",
    )
    return hearing


@transaction.atomic
def hearing_update(*, hearing: Hearing, details: HearingDetails, by: User) -> Hearing:
    case = hearing.case
    require_perm(by, "casework.record_hearing", case)
    case = lock_case(case)
    _clean(details)
    assert details.court is not None  # checked in _clean
    hearing.court = details.court
    hearing.starts_at = details.starts_at
    hearing.hearing_type = details.hearing_type
    hearing.outcome = details.outcome
    hearing.outcome_notes = details.outcome_notes.strip()
    hearing.save()
    case.save(update_fields=["updated_at"])
    notify_case_changed(case)  # sending to the Crown Court and the start of trial move custody time limits
    audit_record(
        by=by,
        event_type=AuditEventType.HEARING_UPDATED,
        obj=hearing,
        case_id=case.public_id,
        summary=f"{hearing.get_hearing_type_display()} at {hearing.court.name} updated"
        + (f": {hearing.get_outcome_display()}" if hearing.outcome else ""),
    )
    return hearing
