"""Offences alleged or charged against a suspect."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction

from accounts.audit import audit_record
from accounts.choices import AuditEventType
from accounts.models import User

from ..choices import ModeOfTrial, OffenceQualifier, OffenceStatus
from ..models import Case, OffenceAllegation, OffenceCode, Suspect
from ._common import lock_case, not_in_future, raise_if, refresh_search, require_perm

CODE_UNKNOWN = "There is no current CJS offence code {code}. Search the offence list for the right code."
CODE_NOT_CRIMINAL = "{code} is not a criminal offence (it is a civil, family, licensing or breach matter)."
RANGE_REVERSED = "The last date of the offence must be the same as or after the first date"
SUSPECT_NOT_ON_CASE = "Choose a suspect on this case"
OFFENCE_HAS_REMANDS = (
    "This offence has custody events recorded against its suspect: add the offence to the other suspect instead"
)
DATE_REQUIRED = "Enter the date of the offence"


@dataclass
class OffenceDetails:
    suspect: Suspect
    code: str
    committed_on: date | None
    qualifier: str = ""
    committed_until: date | None = None
    location: str = ""
    particulars: str = ""
    status: str = OffenceStatus.ALLEGED


def split_code(raw: str) -> tuple[str, str]:
    """``TH68001A`` → (``TH68001``, ``A``): the eighth character qualifies the offence."""
    code = "".join(raw.split()).upper()
    if len(code) == 8 and code[-1] in {"A", "B", "C", "I"}:
        return code[:7], code[-1]
    return code, ""


def _clean(case: Case, details: OffenceDetails) -> tuple[OffenceCode, str]:
    errors: dict[str, str] = {}
    code_text, qualifier_in_code = split_code(details.code)
    qualifier = details.qualifier or qualifier_in_code
    offence_code = OffenceCode.objects.filter(code=code_text, is_active=True).first()
    if offence_code is None:
        # A code like COML025 is eight characters without a qualifier: try the whole code too.
        whole = "".join(details.code.split()).upper()
        offence_code = OffenceCode.objects.filter(code=whole, is_active=True).first()
        if offence_code is not None:
            qualifier = details.qualifier
    if offence_code is None:
        errors["code"] = CODE_UNKNOWN.format(code=details.code.strip() or "(blank)")
    elif offence_code.mode_of_trial == ModeOfTrial.NOT_CRIMINAL:
        errors["code"] = CODE_NOT_CRIMINAL.format(code=offence_code.code)
    if qualifier not in OffenceQualifier.values:
        errors["qualifier"] = "Choose A, B, C, I or no qualifier"
    if details.suspect.case_id != case.pk:
        errors["suspect"] = SUSPECT_NOT_ON_CASE
    if details.committed_on is None:
        errors["committed_on"] = DATE_REQUIRED
    not_in_future(errors, "committed_on", "The offence date", details.committed_on)
    not_in_future(errors, "committed_until", "The last date of the offence", details.committed_until)
    if details.committed_on and details.committed_until and details.committed_until < details.committed_on:
        errors["committed_until"] = RANGE_REVERSED
    if details.status not in OffenceStatus.values:
        errors["status"] = "Choose alleged, charged or not proceeded with"
    raise_if(errors)
    assert offence_code is not None  # checked above
    assert details.committed_on is not None  # checked above
    return offence_code, qualifier


@transaction.atomic
def offence_add(*, case: Case, details: OffenceDetails, by: User) -> OffenceAllegation:
    require_perm(by, "casework.change_case", case)
    case = lock_case(case)
    offence_code, qualifier = _clean(case, details)
    offence = OffenceAllegation.objects.create(
        case=case,
        suspect=details.suspect,
        offence_code=offence_code,
        qualifier=qualifier,
        committed_on=details.committed_on,  # type: ignore[misc]  # checked in _clean
        committed_until=details.committed_until,
        location=details.location.strip(),
        particulars=details.particulars.strip(),
        status=details.status,
    )
    refresh_search(case)
    case.save(update_fields=["updated_at"])
    audit_record(
        by=by,
        event_type=AuditEventType.OFFENCE_ADDED,
        obj=offence,
        case_id=case.public_id,
        summary=f"Offence {offence.code_with_qualifier} ({offence.offence_code.title}) added against "
        f"{details.suspect.full_name}",
    )
    return offence


@transaction.atomic
def offence_update(*, offence: OffenceAllegation, details: OffenceDetails, by: User) -> OffenceAllegation:
    case = offence.case
    require_perm(by, "casework.change_case", case)
    case = lock_case(case)
    offence_code, qualifier = _clean(case, details)
    if details.suspect.pk != offence.suspect_id and offence.custody_events.exists():
        raise_if({"suspect": OFFENCE_HAS_REMANDS})
    before = {"code": offence.code_with_qualifier, "status": offence.status}
    offence.suspect = details.suspect
    offence.offence_code = offence_code
    offence.qualifier = qualifier
    offence.committed_on = details.committed_on  # type: ignore[assignment]  # checked in _clean
    offence.committed_until = details.committed_until
    offence.location = details.location.strip()
    offence.particulars = details.particulars.strip()
    offence.status = details.status
    offence.save()
    refresh_search(case)
    case.save(update_fields=["updated_at"])
    audit_record(
        by=by,
        event_type=AuditEventType.OFFENCE_UPDATED,
        obj=offence,
        case_id=case.public_id,
        summary=f"Offence {offence.code_with_qualifier} updated",
        data={"before": before, "after": {"code": offence.code_with_qualifier, "status": offence.status}},
    )
    return offence
