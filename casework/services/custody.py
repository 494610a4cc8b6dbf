"""A suspect's custody and bail history: each event checked against PACE and the bail law that
applies (``casework.bail``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from accounts.audit import audit_record
from accounts.choices import AuditEventType, CourtKind
from accounts.models import Court, User

from .. import bail
from ..choices import Authority, BailRegime, CustodyEventKind
from ..deadlines import calculations
from ..models import CustodyEvent, OffenceAllegation, Suspect
from ._common import lock_case, not_in_future, notify_case_changed, raise_if, require_perm

REQUIRED = "Enter the {what}"
NO_BAIL_TO_EXTEND = "There is no pre-charge bail to extend: record the release on bail first"
EXTENSION_NOT_LATER = "An extension must end after the current bail period, which ends on {end}"
DETENTION_NOT_DETAINED = "Record the detention (with its relevant time) before extending it"
SUPERINTENDENT_ONLY = "Only a superintendent (or above) can extend detention to 36 hours"
WARRANT_NEEDS_COURT = "A warrant of further detention is issued by a magistrates' court: choose the court"
WARRANT_BEYOND_96 = "Detention cannot run beyond 96 hours from the relevant time ({limit})"
REMAND_NEEDS_OFFENCE = "Custody time limits run per offence: choose the offence the suspect is remanded on"
OFFENCE_NOT_SUSPECTS = "Choose one of this suspect's offences"
IN_FUTURE = "The time must not be in the future"


@dataclass
class CustodyDetails:
    kind: str
    occurred_at: datetime
    relevant_time: datetime | None = None
    arrested_on: date | None = None
    bail_start_date: date | None = None
    period_ends_on: date | None = None
    period_ends_at: datetime | None = None
    authority: str = ""
    authorised_by: str = ""
    court: Court | None = None
    offence: OffenceAllegation | None = None
    first_remand_date: date | None = None
    conditions: str = ""
    notes: str = ""
    # A bail extension in an exceptional case (PACE s.47ZG: a court may go beyond 18 months, to 24).
    exceptional: bool = False


def _end_of_day(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(23, 59)))


def _beyond_legal_maximum(
    current: CustodyEvent, current_end: date, proposed_end: date, authority: str, exceptional: bool
) -> str | None:
    """The precise refusal when an extension would take pre-charge bail past the most the law allows
    (``calculations.check_bail_extension``: 18 months in a standard case under the 2022 law, 24 in an
    exceptional one), or None. Who may grant a lawful extension is checked separately."""
    assert current.bail_start_date is not None
    regime = BailRegime(current.bail_regime or BailRegime.PCSC_2022)
    steps = calculations.bail_period_ends(regime, current.bail_start_date)
    allowed = [end for step, end in steps if exceptional or not step.exceptional]
    if not allowed or proposed_end <= allowed[-1]:
        return None
    try:
        calculations.check_bail_extension(
            regime=regime,
            bail_start_date=current.bail_start_date,
            current_end=current_end,
            proposed_end=proposed_end,
            authority=Authority(authority),
            exceptional=exceptional,
        )
    except calculations.BailRuleError as exc:
        return str(exc)
    return None  # pragma: no cover - past the maximum is always refused


def _latest(suspect: Suspect, *kinds: str) -> CustodyEvent | None:
    return suspect.custody_events.filter(kind__in=kinds).order_by("-occurred_at", "-id").first()


@transaction.atomic
def custody_event_record(*, suspect: Suspect, details: CustodyDetails, by: User) -> CustodyEvent:
    """Record one step in custody or on bail. The bail regime is derived from the arrest date, and
    an extension is refused unless the authority given may grant that long (domain.md 5.3)."""
    case = suspect.case
    require_perm(by, "casework.change_case", case)
    lock_case(case)
    errors: dict[str, str] = {}
    kind = details.kind
    fields: dict[str, object] = {}
    if kind not in CustodyEventKind.values:
        raise_if({"kind": "Choose what happened"})
    if details.occurred_at > timezone.now() + timedelta(minutes=5):
        errors["occurred_at"] = IN_FUTURE
    if details.authority and details.authority not in Authority.values:
        raise_if({"authority": "Choose who authorised it"})

    if kind == CustodyEventKind.DETAINED:
        if details.relevant_time is None:
            errors["relevant_time"] = REQUIRED.format(what="PACE relevant time")
        else:
            fields["period_ends_at"] = bail.pace_limit(details.relevant_time)
    elif kind in (CustodyEventKind.DETENTION_EXTENDED, CustodyEventKind.WARRANT_OF_FURTHER_DETENTION):
        detained = _latest(suspect, CustodyEventKind.DETAINED)
        if detained is None or detained.relevant_time is None:
            errors["kind"] = DETENTION_NOT_DETAINED
        elif kind == CustodyEventKind.DETENTION_EXTENDED:
            if details.authority != Authority.SUPERINTENDENT:
                errors["authority"] = SUPERINTENDENT_ONLY
            fields["relevant_time"] = detained.relevant_time
            fields["period_ends_at"] = bail.pace_limit(detained.relevant_time, bail.PACE_SUPERINTENDENT_HOURS)
        else:
            limit = bail.pace_limit(detained.relevant_time, bail.PACE_MAXIMUM_HOURS)
            if details.court is None or details.court.kind != CourtKind.MAGISTRATES:
                errors["court"] = WARRANT_NEEDS_COURT
            if details.period_ends_at is None:
                errors["period_ends_at"] = REQUIRED.format(what="time the warrant runs to")
            elif details.period_ends_at > limit:
                errors["period_ends_at"] = WARRANT_BEYOND_96.format(
                    limit=f"{timezone.localtime(limit):%-d %B %Y %H:%M}"
                )
            fields.update(
                relevant_time=detained.relevant_time,
                period_ends_at=details.period_ends_at,
                authority=Authority.MAGISTRATES_COURT,
            )
    elif kind == CustodyEventKind.PRE_CHARGE_BAIL:
        if details.arrested_on is None:
            errors["arrested_on"] = REQUIRED.format(what="date of arrest")
        if details.bail_start_date is None:
            errors["bail_start_date"] = REQUIRED.format(what="bail start date")
        not_in_future(errors, "arrested_on", "The arrest date", details.arrested_on)
        if details.arrested_on and details.bail_start_date:
            regime = bail.regime_for(details.arrested_on)
            end = details.period_ends_on or bail.initial_period_end(regime, details.bail_start_date)
            if end is not None:
                try:
                    bail.check_authority(
                        regime, details.bail_start_date, end, Authority(details.authority or Authority.CUSTODY_OFFICER)
                    )
                except bail.BailRuleError as exc:
                    errors["period_ends_on"] = str(exc)
            fields.update(
                bail_regime=regime,
                period_ends_at=_end_of_day(end) if end else None,
                authority=details.authority or Authority.CUSTODY_OFFICER,
            )
    elif kind == CustodyEventKind.BAIL_EXTENDED:
        current = _latest(suspect, CustodyEventKind.PRE_CHARGE_BAIL, CustodyEventKind.BAIL_EXTENDED)
        if current is None or current.bail_start_date is None:
            errors["kind"] = NO_BAIL_TO_EXTEND
        elif details.period_ends_on is None:
            errors["period_ends_on"] = REQUIRED.format(what="new end of the bail period")
        elif not details.authority:
            errors["authority"] = "Choose who authorised the extension"
        else:
            current_end = timezone.localdate(current.period_ends_at) if current.period_ends_at else None
            beyond = (
                _beyond_legal_maximum(
                    current, current_end, details.period_ends_on, details.authority, details.exceptional
                )
                if current_end and details.period_ends_on > current_end
                else None
            )
            if current_end and details.period_ends_on <= current_end:
                errors["period_ends_on"] = EXTENSION_NOT_LATER.format(end=f"{current_end:%-d %B %Y}")
            elif beyond:
                errors["period_ends_on"] = beyond
            else:
                try:
                    bail.check_authority(
                        BailRegime(current.bail_regime or BailRegime.PCSC_2022),
                        current.bail_start_date,
                        details.period_ends_on,
                        Authority(details.authority),
                    )
                except bail.BailRuleError as exc:
                    errors["authority"] = str(exc)
            if details.authority == Authority.MAGISTRATES_COURT and details.court is None:
                errors["court"] = "Choose the magistrates' court that extended bail"
            fields.update(
                bail_regime=current.bail_regime,
                bail_start_date=current.bail_start_date,
                arrested_on=current.arrested_on,
                period_ends_at=_end_of_day(details.period_ends_on),
            )
    elif kind == CustodyEventKind.REMANDED_IN_CUSTODY:
        if details.offence is None:
            errors["offence"] = REMAND_NEEDS_OFFENCE
        elif details.offence.suspect_id != suspect.pk:
            errors["offence"] = OFFENCE_NOT_SUSPECTS
        if details.first_remand_date is None:
            errors["first_remand_date"] = REQUIRED.format(what="date of the first remand")
        not_in_future(errors, "first_remand_date", "The first remand date", details.first_remand_date)
    raise_if(errors)

    values: dict[str, object] = {
        "kind": kind,
        "occurred_at": details.occurred_at,
        "relevant_time": details.relevant_time,
        "arrested_on": details.arrested_on,
        "bail_start_date": details.bail_start_date,
        "authority": details.authority,
        "authorised_by": details.authorised_by.strip(),
        "court": details.court,
        "offence": details.offence,
        "first_remand_date": details.first_remand_date,
        "conditions": details.conditions.strip(),
        "notes": details.notes.strip(),
    }
    values.update(fields)
    event = CustodyEvent.objects.create(suspect=suspect, recorded_by=by, **values)  # type: ignore[arg-type]
    case.save(update_fields=["updated_at"])
    notify_case_changed(case)
    audit_record(
        by=by,
        event_type=AuditEventType.CUSTODY_EVENT_RECORDED,
        obj=event,
        case_id=case.public_id,
        summary=f"{suspect.full_name}: {event.get_kind_display()}",
        data={
            "kind": kind,
            "period_ends_at": event.period_ends_at.isoformat() if event.period_ends_at else None,
            "authority": event.authority,
        },
    )
    return event
