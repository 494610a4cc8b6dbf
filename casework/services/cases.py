"""Creating and changing cases, and moving them through the status lifecycle."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q

from accounts.audit import audit_record
from accounts.choices import AuditEventType, OrganisationKind, Role
from accounts.models import Organisation, Unit, User

from ..choices import CaseFlag, CaseStatus
from ..identifiers import IdentifierError, UrnFormat, parse_urn
from ..models import Case
from ..models import UrnFormat as UrnFormatRow
from ..workflow import Mover, TransitionError, check_transition
from ._common import (
    derived_flags,
    lock_case,
    not_in_future,
    notify_case_changed,
    notify_case_created,
    raise_if,
    refresh_search,
    require_perm,
    search_columns,
)

URN_TAKEN = "A case with this URN already exists. Search for it instead of creating it again."
URN_OTHER_FORCE = "This URN belongs to force {code}; you can only create cases for {force}."
URN_UNKNOWN_UNIT = "Unit {unit} is not a current unit of {force}. Check the URN."
OIC_NOT_IN_FORCE = "The officer in case must be an officer of {force}."
SUPERVISOR_NOT_IN_FORCE = "The supervisor must be a police supervisor of {force}."
UNKNOWN_STATUS = "Choose a status from the list"
REASON_REQUIRED = "Give the reason for this change of status"
AREA_FIXED_BY_FORCE = "{force} cases go to {area}; the CPS Area cannot be changed."
BTP_NEEDS_AREA = "British Transport Police cases go to the CPS Area where the offence happened: choose that Area."


@dataclass
class CaseDetails:
    """What an officer says about a case; the same for the page and the API."""

    summary: str = ""
    flags: list[str] = field(default_factory=list)
    officer_in_case: User | None = None
    supervisor: User | None = None
    reported_on: date | None = None
    cps_area: Organisation | None = None


def urn_formats_for(force: Organisation) -> list[UrnFormat]:
    rows = UrnFormatRow.objects.filter(Q(force__isnull=True) | Q(force=force)).order_by("force_id")
    return [UrnFormat(r.unit_pattern, r.serial_pattern) for r in rows] or [UrnFormat()]


def _check_details(errors: dict[str, str], force: Organisation, details: CaseDetails) -> None:
    unknown = set(details.flags) - set(CaseFlag.values)
    if unknown:
        errors["flags"] = f"Unknown flag: {', '.join(sorted(unknown))}"
    oic = details.officer_in_case
    if oic is not None and not (oic.organisation_id == force.pk and oic.is_police and oic.is_active):
        errors["officer_in_case"] = OIC_NOT_IN_FORCE.format(force=force.name)
    sup = details.supervisor
    if sup is not None and not (
        sup.organisation_id == force.pk and sup.has_role(Role.POLICE_SUPERVISOR, Role.POLICE_MANAGER) and sup.is_active
    ):
        errors["supervisor"] = SUPERVISOR_NOT_IN_FORCE.format(force=force.name)
    not_in_future(errors, "reported_on", "The date reported", details.reported_on)
    if force.served_by_id is None and details.cps_area is None:
        errors["cps_area"] = BTP_NEEDS_AREA
    if force.served_by_id is not None and details.cps_area is not None and details.cps_area.pk != force.served_by_id:
        errors["cps_area"] = AREA_FIXED_BY_FORCE.format(force=force.name, area=force.served_by)
    if details.cps_area is not None and details.cps_area.kind != OrganisationKind.CPS_AREA:
        errors["cps_area"] = BTP_NEEDS_AREA


def _snapshot(case: Case) -> dict[str, Any]:
    return {
        "summary": case.summary,
        "flags": sorted(case.flags),
        "officer_in_case": str(case.officer_in_case.public_id) if case.officer_in_case else None,
        "supervisor": str(case.supervisor.public_id) if case.supervisor else None,
        "reported_on": case.reported_on.isoformat() if case.reported_on else None,
        "cps_area": case.cps_area.code if case.cps_area else None,
    }


@transaction.atomic
def case_create(*, urn: str, details: CaseDetails, by: User) -> Case:
    """Open a case for the officer's own force. The URN names the force and unit (domain.md 9.1);
    the CPS Area is the one that serves the force (for BTP, the Area chosen)."""
    require_perm(by, "casework.create_case")
    force = by.organisation
    assert force is not None  # guaranteed by the permission
    errors: dict[str, str] = {}
    unit: Unit | None = None
    try:
        parsed = parse_urn(urn, urn_formats_for(force))
    except IdentifierError as exc:
        errors["urn"] = str(exc)
    else:
        if parsed.force_code != force.code:
            errors["urn"] = URN_OTHER_FORCE.format(code=parsed.force_code, force=force.name)
        else:
            unit = Unit.objects.filter(organisation=force, code=parsed.unit_code, is_active=True).first()
            if unit is None:
                errors["urn"] = URN_UNKNOWN_UNIT.format(unit=parsed.unit_code, force=force.name)
            elif Case.objects.filter(urn=parsed.normalised).exists():
                errors["urn"] = URN_TAKEN
    _check_details(errors, force, details)
    raise_if(errors)
    case = Case(
        urn=parsed.normalised,
        urn_as_entered=urn.strip()[:40],
        force=force,
        unit=unit,
        cps_area=details.cps_area or force.served_by,
        summary=details.summary.strip(),
        flags=sorted(set(details.flags)),
        officer_in_case=details.officer_in_case or (by if by.has_role(Role.POLICE_INVESTIGATOR) else None),
        supervisor=details.supervisor,
        reported_on=details.reported_on,
        created_by=by,
    )
    # The search columns go in with the row: a new case has no people, offences or material to read for them.
    case.search_text, case.search_names = search_columns(case)
    try:
        with transaction.atomic():
            case.save(force_insert=True)
    except IntegrityError as exc:  # two officers creating the same URN at the same moment
        raise ValidationError({"urn": [URN_TAKEN]}) from exc
    notify_case_created(case)
    audit_record(
        by=by,
        event_type=AuditEventType.CASE_CREATED,
        obj=case,
        case_id=case.public_id,
        summary=f"Case {case.urn_display} created",
        data=_snapshot(case),
    )
    return case


@transaction.atomic
def case_update(*, case: Case, details: CaseDetails, by: User) -> Case:
    require_perm(by, "casework.change_case", case)
    case = lock_case(case)
    errors: dict[str, str] = {}
    _check_details(errors, case.force, details)
    raise_if(errors)
    before = _snapshot(case)
    case.summary = details.summary.strip()
    case.flags = sorted(set(details.flags) | derived_flags(case))
    case.officer_in_case = details.officer_in_case
    case.supervisor = details.supervisor
    case.reported_on = details.reported_on
    if details.cps_area is not None or case.force.served_by_id is not None:
        case.cps_area = details.cps_area or case.force.served_by
    case.save()
    refresh_search(case)
    after = _snapshot(case)
    changed = {k: {"from": before[k], "to": after[k]} for k in after if before[k] != after[k]}
    if changed:
        audit_record(
            by=by,
            event_type=AuditEventType.CASE_UPDATED,
            obj=case,
            case_id=case.public_id,
            summary="Case details changed: " + ", ".join(sorted(changed)),
            data=changed,
        )
    return case


@transaction.atomic
def case_transition(*, case: Case, to: str, by: User | None, reason: str, mover: Mover = Mover.POLICE) -> Case:
    """Move a case to another status, if the lifecycle table allows it and the mover may make the
    move. A person moves a case as their side (police or CPS); the charging services use ``SYSTEM``."""
    if mover is not Mover.SYSTEM:
        assert by is not None
        require_perm(by, "casework.change_status", case)
        mover = Mover.CPS if by.is_cps else Mover.POLICE
    if to not in CaseStatus.values:
        raise_if({"status": UNKNOWN_STATUS})
    if not reason.strip():
        raise_if({"reason": REASON_REQUIRED})
    case = lock_case(case)
    try:
        check_transition(case.status, to, mover)
    except (TransitionError, ValueError) as exc:
        raise ValidationError({"status": [str(exc)]}) from exc
    previous = case.status
    case.status = CaseStatus(to)
    case.save(update_fields=["status", "updated_at"])
    notify_case_changed(case)  # closing a case closes its deadlines
    audit_record(
        by=by,
        event_type=AuditEventType.CASE_STATUS_CHANGED,
        obj=case,
        case_id=case.public_id,
        summary=f"Status changed from {CaseStatus(previous).label} to {CaseStatus(to).label}",
        data={"from": previous, "to": to, "reason": reason.strip(), "by": mover.value},
    )
    return case
