"""Suspects, victims and witnesses on a case, and the Victims' Code updates given to victims."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from accounts.audit import audit_record
from accounts.choices import AuditEventType
from accounts.models import User

from ..choices import (
    ContactPreference,
    EnhancedRights,
    SpecialMeasure,
    VictimPersonalStatement,
    VictimUpdateReason,
    WitnessType,
    WitnessVulnerability,
)
from ..identifiers import IdentifierError, normalise_asn, normalise_pnc_id
from ..models import Case, Suspect, Victim, VictimUpdate, Witness, WitnessUnavailability
from ._common import (
    lock_case,
    not_in_future,
    notify_case_changed,
    raise_if,
    refresh_search,
    require_perm,
    sync_derived_flags,
)

NAME_REQUIRED = "Enter the {part}"
PNC_ON_CASE = "This PNC ID is already recorded for another suspect on this case."
VPS_DATE_REQUIRED = "Enter the date the Victim Personal Statement was made"
UPDATE_BEFORE_EVENT = "The update cannot be given before the event it is about"
RANGE_REVERSED = "The last date must be the same as or after the first date"
SPECIAL_MEASURES_NEED_CATEGORY = "Special measures are for vulnerable or intimidated witnesses: choose which"
NO_DATES_TO_AVOID_WITH_DATES = (
    "Either enter the dates the witness cannot attend court or say they have no dates to avoid, not both"
)


def _names(errors: dict[str, str], first_names: str, last_name: str) -> None:
    if not first_names.strip():
        errors["first_names"] = NAME_REQUIRED.format(part="first names")
    if not last_name.strip():
        errors["last_name"] = NAME_REQUIRED.format(part="last name")


def _dob(errors: dict[str, str], value: date | None) -> None:
    not_in_future(errors, "date_of_birth", "Date of birth", value)


def _choices(errors: dict[str, str], name: str, values: list[str], allowed: list[str]) -> None:
    unknown = set(values) - set(allowed)
    if unknown:
        errors[name] = f"Unknown choice: {', '.join(sorted(unknown))}"


def _touch(case: Case) -> None:
    Case.objects.filter(pk=case.pk).update(updated_at=timezone.now())


def _jsonable(data: dict[str, Any]) -> dict[str, Any]:
    return {k: (v.isoformat() if isinstance(v, date) else v) for k, v in data.items()}


# ---------------------------------------------------------------------------------------------
# Suspects


@dataclass
class SuspectDetails:
    first_names: str
    last_name: str
    date_of_birth: date | None = None
    pnc_id: str = ""
    asn: str = ""
    custody_record_number: str = ""
    interpreter_language: str = ""
    vulnerabilities: str = ""
    needs_appropriate_adult: bool = False


def _clean_suspect(case: Case, details: SuspectDetails, existing: Suspect | None) -> SuspectDetails:
    errors: dict[str, str] = {}
    _names(errors, details.first_names, details.last_name)
    _dob(errors, details.date_of_birth)
    pnc, asn = "", ""
    if details.pnc_id.strip():
        try:
            pnc = normalise_pnc_id(details.pnc_id, this_year=timezone.localdate().year)
        except IdentifierError as exc:
            errors["pnc_id"] = str(exc)
        else:
            clash = case.suspects.filter(pnc_id=pnc)
            if existing is not None:
                clash = clash.exclude(pk=existing.pk)
            if clash.exists():
                errors["pnc_id"] = PNC_ON_CASE
    if details.asn.strip():
        try:
            asn = normalise_asn(details.asn)
        except IdentifierError as exc:
            errors["asn"] = str(exc)
    raise_if(errors)
    return SuspectDetails(
        **{
            **asdict(details),
            "pnc_id": pnc,
            "asn": asn,
            "first_names": details.first_names.strip(),
            "last_name": details.last_name.strip(),
        }
    )


@transaction.atomic
def suspect_add(*, case: Case, details: SuspectDetails, by: User) -> Suspect:
    require_perm(by, "casework.change_case", case)
    case = lock_case(case)
    clean = _clean_suspect(case, details, None)
    suspect = Suspect.objects.create(case=case, **asdict(clean))
    sync_derived_flags(case)
    refresh_search(case)
    _touch(case)
    audit_record(
        by=by,
        event_type=AuditEventType.SUSPECT_ADDED,
        obj=suspect,
        case_id=case.public_id,
        summary=f"Suspect {suspect.full_name} added",
    )
    return suspect


@transaction.atomic
def suspect_update(*, suspect: Suspect, details: SuspectDetails, by: User) -> Suspect:
    case = suspect.case
    require_perm(by, "casework.change_case", case)
    case = lock_case(case)
    clean = _clean_suspect(case, details, suspect)
    changed = {k: v for k, v in _jsonable(asdict(clean)).items() if _jsonable({k: getattr(suspect, k)})[k] != v}
    for key, value in asdict(clean).items():
        setattr(suspect, key, value)
    suspect.save()
    sync_derived_flags(case)
    refresh_search(case)
    _touch(case)
    if changed:
        audit_record(
            by=by,
            event_type=AuditEventType.SUSPECT_UPDATED,
            obj=suspect,
            case_id=case.public_id,
            summary=f"Suspect {suspect.full_name} updated: {', '.join(sorted(changed))}",
            data={"changed": sorted(changed)},
        )
    return suspect


# ---------------------------------------------------------------------------------------------
# Victims


@dataclass
class VictimDetails:
    first_names: str
    last_name: str
    date_of_birth: date | None = None
    is_organisation: bool = False
    enhanced_rights: list[str] = field(default_factory=list)
    contact_preference: str = ContactPreference.PHONE
    contact_details: str = ""
    personal_statement: str = VictimPersonalStatement.NOT_YET_OFFERED
    personal_statement_on: date | None = None
    first_statement_on: date | None = None


def _clean_victim(details: VictimDetails) -> None:
    errors: dict[str, str] = {}
    _names(errors, details.first_names, details.last_name)
    _dob(errors, details.date_of_birth)
    _choices(errors, "enhanced_rights", details.enhanced_rights, EnhancedRights.values)
    _choices(errors, "contact_preference", [details.contact_preference], ContactPreference.values)
    _choices(errors, "personal_statement", [details.personal_statement], VictimPersonalStatement.values)
    if details.personal_statement == VictimPersonalStatement.MADE and details.personal_statement_on is None:
        errors["personal_statement_on"] = VPS_DATE_REQUIRED
    not_in_future(errors, "personal_statement_on", "The statement date", details.personal_statement_on)
    not_in_future(errors, "first_statement_on", "The first statement date", details.first_statement_on)
    raise_if(errors)


@transaction.atomic
def victim_add(*, case: Case, details: VictimDetails, by: User) -> Victim:
    require_perm(by, "casework.change_case", case)
    case = lock_case(case)
    _clean_victim(details)
    victim = Victim.objects.create(
        case=case,
        **{**asdict(details), "first_names": details.first_names.strip(), "last_name": details.last_name.strip()},
    )
    sync_derived_flags(case)
    refresh_search(case)
    _touch(case)
    audit_record(
        by=by,
        event_type=AuditEventType.VICTIM_ADDED,
        obj=victim,
        case_id=case.public_id,
        summary=f"Victim {victim.full_name} added",
    )
    return victim


@transaction.atomic
def victim_update(*, victim: Victim, details: VictimDetails, by: User) -> Victim:
    case = victim.case
    require_perm(by, "casework.change_case", case)
    case = lock_case(case)
    _clean_victim(details)
    values = {**asdict(details), "first_names": details.first_names.strip(), "last_name": details.last_name.strip()}
    changed = sorted(k for k, v in values.items() if getattr(victim, k) != v)
    for key, value in values.items():
        setattr(victim, key, value)
    victim.save()
    sync_derived_flags(case)
    refresh_search(case)
    _touch(case)
    if changed:
        audit_record(
            by=by,
            event_type=AuditEventType.VICTIM_UPDATED,
            obj=victim,
            case_id=case.public_id,
            summary=f"Victim {victim.full_name} updated: {', '.join(changed)}",
            data={"changed": changed},
        )
    return victim


@transaction.atomic
def victim_update_record(
    *, victim: Victim, reason: str, event_on: date, given_on: date, method: str, summary: str, by: User
) -> VictimUpdate:
    """Record a Victims' Code Right 6 update given to the victim (1 working day for victims with
    enhanced rights, 5 otherwise — the timeliness is measured by the deadlines feature)."""
    case = victim.case
    require_perm(by, "casework.record_victim_update", case)
    case = lock_case(case)
    errors: dict[str, str] = {}
    _choices(errors, "reason", [reason], VictimUpdateReason.values)
    _choices(errors, "method", [method], ContactPreference.values)
    not_in_future(errors, "event_on", "The event date", event_on)
    not_in_future(errors, "given_on", "The date given", given_on)
    if given_on < event_on:
        errors["given_on"] = UPDATE_BEFORE_EVENT
    raise_if(errors)
    update = VictimUpdate.objects.create(
        victim=victim,
        reason=reason,
        event_on=event_on,
        given_on=given_on,
        method=method,
        summary=summary.strip(),
        given_by=by,
    )
    _touch(case)
    notify_case_changed(case)  # a Victims' Code update meets the victim's deadline
    audit_record(
        by=by,
        event_type=AuditEventType.VICTIM_UPDATE_GIVEN,
        obj=update,
        case_id=case.public_id,
        summary=f"Update given to {victim.full_name}: {VictimUpdateReason(reason).label}",
        data={"reason": reason, "event_on": event_on.isoformat(), "given_on": given_on.isoformat()},
    )
    return update


# ---------------------------------------------------------------------------------------------
# Witnesses


@dataclass
class WitnessDetails:
    first_names: str
    last_name: str
    date_of_birth: date | None = None
    witness_type: str = WitnessType.EYEWITNESS
    is_key: bool = False
    vulnerability: str = WitnessVulnerability.NONE
    special_measures: list[str] = field(default_factory=list)
    willing_to_attend: bool = True
    notes: str = ""
    dates_to_avoid: list[tuple[date, date, str]] = field(default_factory=list)
    # The witness said they have no dates to avoid ("none" on the MG11 rear): with dates_to_avoid
    # empty, it tells "none" apart from "not asked yet" for the file quality rule FQ16.
    no_dates_to_avoid: bool = False


def _clean_witness(details: WitnessDetails) -> None:
    errors: dict[str, str] = {}
    _names(errors, details.first_names, details.last_name)
    _dob(errors, details.date_of_birth)
    _choices(errors, "witness_type", [details.witness_type], WitnessType.values)
    _choices(errors, "vulnerability", [details.vulnerability], WitnessVulnerability.values)
    _choices(errors, "special_measures", details.special_measures, SpecialMeasure.values)
    if (
        details.special_measures
        and details.vulnerability == WitnessVulnerability.NONE
        and "special_measures" not in errors
    ):
        errors["vulnerability"] = SPECIAL_MEASURES_NEED_CATEGORY
    if any(end < start for start, end, _ in details.dates_to_avoid):
        errors["dates_to_avoid"] = RANGE_REVERSED
    if details.no_dates_to_avoid and details.dates_to_avoid:
        errors["no_dates_to_avoid"] = NO_DATES_TO_AVOID_WITH_DATES
    raise_if(errors)


def _witness_fields(details: WitnessDetails) -> dict[str, Any]:
    data = asdict(details)
    data.pop("dates_to_avoid")
    data["first_names"], data["last_name"] = details.first_names.strip(), details.last_name.strip()
    return data


def _replace_unavailability(witness: Witness, ranges: list[tuple[date, date, str]]) -> None:
    witness.dates_to_avoid.all().delete()
    WitnessUnavailability.objects.bulk_create(
        [WitnessUnavailability(witness=witness, starts_on=s, ends_on=e, reason=r[:200]) for s, e, r in ranges]
    )


@transaction.atomic
def witness_add(*, case: Case, details: WitnessDetails, by: User) -> Witness:
    require_perm(by, "casework.change_case", case)
    case = lock_case(case)
    _clean_witness(details)
    witness = Witness.objects.create(case=case, **_witness_fields(details))
    _replace_unavailability(witness, details.dates_to_avoid)
    refresh_search(case)
    _touch(case)
    audit_record(
        by=by,
        event_type=AuditEventType.WITNESS_ADDED,
        obj=witness,
        case_id=case.public_id,
        summary=f"Witness {witness.full_name} added",
    )
    return witness


@transaction.atomic
def witness_update(*, witness: Witness, details: WitnessDetails, by: User) -> Witness:
    case = witness.case
    require_perm(by, "casework.change_case", case)
    case = lock_case(case)
    _clean_witness(details)
    fields = _witness_fields(details)
    changed = sorted(k for k, v in fields.items() if getattr(witness, k) != v)
    current = sorted((u.starts_on, u.ends_on, u.reason) for u in witness.dates_to_avoid.all())
    if current != sorted((start, end, reason[:200]) for start, end, reason in details.dates_to_avoid):
        changed.append("dates_to_avoid")
    for key, value in fields.items():
        setattr(witness, key, value)
    witness.save()
    _replace_unavailability(witness, details.dates_to_avoid)
    refresh_search(case)
    _touch(case)
    if changed:
        audit_record(
            by=by,
            event_type=AuditEventType.WITNESS_UPDATED,
            obj=witness,
            case_id=case.public_id,
            summary=f"Witness {witness.full_name} updated: {', '.join(changed)}",
            data={"changed": changed},
        )
    return witness
