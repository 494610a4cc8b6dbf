"""The unused material schedules: MG6C (relevant non-sensitive material) and MG6D (relevant
sensitive material), kept as rows and printed as the forms (domain.md 4 and 6.3).

The police disclosure officer (or a police supervisor) schedules each item: a consecutive number
on its schedule, a description sufficient to identify it, where it is, whether it is rebuttable
presumption material, and for MG6D why it is sensitive (the description must not reveal that).
The prosecutor records a decision in the schedule's column: for MG6C disclose, clearly not
disclosable or inspect; for MG6D agree sensitive or a public interest immunity application needed.
Once the prosecutor has decided an item its description is what they decided on, so the police can
no longer change it.

Only those who may see sensitive material (the disclosure officer, police supervisors and the CPS)
ever see an MG6D row; to anyone else it answers 404 like a missing one.

Every write locks the case row first, so concurrent writes on one case queue up, and decides the
permission on that current row (the case may have just been sent to the CPS).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max
from django.http import Http404
from django.utils import timezone

from accounts.audit import audit_record
from accounts.choices import AuditEventType
from accounts.models import User
from casework.models import Case
from casework.selectors import CASE_NOT_FOUND
from casework.services._common import lock_case, notify_case_changed, raise_if, require_perm

from ..choices import ProsecutorDecision, Schedule, Sensitivity
from ..models import Document, UnusedItem
from ..selectors import document_list_for, unused_items_for

SCHEDULE_REQUIRED = "Choose the MG6C (non-sensitive) or MG6D (sensitive) schedule"
DESCRIPTION_REQUIRED = "Enter a description that is enough to identify the item"
LOCATION_REQUIRED = "Enter where the item is kept"
SENSITIVITY_REASON_REQUIRED = "Enter why the item is sensitive"
SENSITIVITY_REASON_ON_MG6C = "Only MG6D (sensitive) items have a reason for sensitivity"
DOCUMENT_NOT_ON_CASE = "Choose a document of this case"
SENSITIVE_DOCUMENT_ON_MG6C = "A sensitive document can only be linked to an item on the MG6D (sensitive) schedule"
DESCRIPTION_LOCKED = (
    "The prosecutor has already decided on this item ({decision}), so its description cannot be changed. "
    "Schedule a new item, or ask the prosecutor to review this one"
)
DECISION_REQUIRED = "Choose the prosecutor’s decision"
DECISION_WRONG_SCHEDULE = "‘{decision}’ is not a decision for the {schedule} schedule: choose {allowed}"

# The prosecutor's column on each schedule (domain.md 4: MG6C and MG6D rows).
DECISIONS_BY_SCHEDULE: dict[str, tuple[ProsecutorDecision, ...]] = {
    Schedule.MG6C: (
        ProsecutorDecision.DISCLOSE,
        ProsecutorDecision.CLEARLY_NOT_DISCLOSABLE,
        ProsecutorDecision.INSPECT,
    ),
    Schedule.MG6D: (ProsecutorDecision.AGREE_SENSITIVE, ProsecutorDecision.PII_APPLICATION),
}
SCHEDULE_NAMES: dict[str, str] = {Schedule.MG6C: "MG6C", Schedule.MG6D: "MG6D"}


@dataclass
class UnusedItemDetails:
    description: str
    location: str
    sensitivity_reason: str = ""
    rebuttable_presumption: bool = False
    document: Document | None = None


# ---------------------------------------------------------------------------------------------
# Reads


def unused_item_get_for(*, user: User, case: Case, public_id: uuid.UUID | str) -> UnusedItem:
    """An item of the case's schedules, or 404 — also for an MG6D item the user may not see."""
    try:
        return unused_items_for(user=user, case=case).select_related("case").get(public_id=public_id)
    except (UnusedItem.DoesNotExist, ValueError) as exc:
        raise Http404(CASE_NOT_FOUND) from exc


def decisions_for(schedule: str) -> tuple[ProsecutorDecision, ...]:
    return DECISIONS_BY_SCHEDULE.get(schedule, ())


# ---------------------------------------------------------------------------------------------
# Rules


def _clean(errors: dict[str, str], case: Case, schedule: str, details: UnusedItemDetails, by: User) -> None:
    if not details.description.strip():
        errors["description"] = DESCRIPTION_REQUIRED
    if not details.location.strip():
        errors["location"] = LOCATION_REQUIRED
    if schedule == Schedule.MG6D and not details.sensitivity_reason.strip():
        errors["sensitivity_reason"] = SENSITIVITY_REASON_REQUIRED
    if schedule == Schedule.MG6C and details.sensitivity_reason.strip():
        errors["sensitivity_reason"] = SENSITIVITY_REASON_ON_MG6C
    document = details.document
    if document is not None:
        if not document_list_for(user=by, case=case).filter(pk=document.pk).exists():
            errors["document"] = DOCUMENT_NOT_ON_CASE
        elif schedule == Schedule.MG6C and document.sensitivity == Sensitivity.SENSITIVE:
            # The MG6C goes to the defence: a sensitive document's title must not appear on it.
            errors["document"] = SENSITIVE_DOCUMENT_ON_MG6C


def _audit_data(item: UnusedItem, **extra: object) -> dict[str, object]:
    """What every audit row of an item carries. ``sensitive`` lets the case timeline leave MG6D
    events out for anyone who may not see sensitive material; no row carries a description."""
    return {
        "schedule": item.schedule,
        "item_number": item.item_number,
        "sensitive": item.schedule == Schedule.MG6D,
        **extra,
    }


def _touch(case: Case) -> None:
    Case.objects.filter(pk=case.pk).update(updated_at=timezone.now())
    notify_case_changed(case)  # draft files are re-checked


# ---------------------------------------------------------------------------------------------
# Writes


@transaction.atomic(durable=True)
def unused_item_add(*, case: Case, schedule: str, details: UnusedItemDetails, by: User) -> UnusedItem:
    """Schedule an item as the next consecutive number on its schedule. The case row is locked, so
    two items scheduled at once cannot take the same number (CPIA Code para 6: schedules)."""
    case = lock_case(case)
    require_perm(by, "files.manage_unused", case)
    errors: dict[str, str] = {}
    if schedule not in Schedule.values:
        errors["schedule"] = SCHEDULE_REQUIRED
    _clean(errors, case, schedule, details, by)
    raise_if(errors)
    last = UnusedItem.objects.filter(case=case, schedule=schedule).aggregate(n=Max("item_number"))["n"]
    item = UnusedItem.objects.create(
        case=case,
        schedule=schedule,
        item_number=(last or 0) + 1,
        description=details.description.strip(),
        location=details.location.strip(),
        sensitivity_reason=details.sensitivity_reason.strip(),
        rebuttable_presumption=details.rebuttable_presumption,
        document=details.document,
        created_by=by,
    )
    _touch(case)
    audit_record(
        by=by,
        event_type=AuditEventType.UNUSED_ITEM_ADDED,
        obj=item,
        case_id=case.public_id,
        summary=f"{SCHEDULE_NAMES[schedule]} item {item.item_number} scheduled",
        data=_audit_data(item),
    )
    return item


@transaction.atomic(durable=True)
def unused_item_update(*, item: UnusedItem, details: UnusedItemDetails, by: User) -> UnusedItem:
    """Change a scheduled item. Its schedule and number stay; once the prosecutor has decided the
    item, its description is fixed."""
    case = item.case
    case = lock_case(case)
    require_perm(by, "files.manage_unused", case)
    item = UnusedItem.objects.select_for_update().get(pk=item.pk)
    errors: dict[str, str] = {}
    _clean(errors, case, item.schedule, details, by)
    description = details.description.strip()
    if item.prosecutor_decision and description != item.description and "description" not in errors:
        decision = ProsecutorDecision(item.prosecutor_decision).label
        errors["description"] = DESCRIPTION_LOCKED.format(decision=decision)
    raise_if(errors)
    new = {
        "description": description,
        "location": details.location.strip(),
        "sensitivity_reason": details.sensitivity_reason.strip(),
        "rebuttable_presumption": details.rebuttable_presumption,
        "document_id": details.document.pk if details.document is not None else None,
    }
    changed = sorted(name.removesuffix("_id") for name, value in new.items() if getattr(item, name) != value)
    if not changed:
        return item
    for name, value in new.items():
        setattr(item, name, value)
    item.save(update_fields=list(new))
    _touch(case)
    audit_record(
        by=by,
        event_type=AuditEventType.UNUSED_ITEM_UPDATED,
        obj=item,
        case_id=case.public_id,
        summary=f"{SCHEDULE_NAMES[item.schedule]} item {item.item_number} updated: {', '.join(changed)}",
        data=_audit_data(item, changed=changed),
    )
    return item


@transaction.atomic(durable=True)
def unused_item_decide(*, item: UnusedItem, decision: str, note: str = "", by: User) -> UnusedItem:
    """Record the prosecutor's decision on a scheduled item, in the column of its schedule. The
    prosecutor may revisit a decision; each one is audited with the one it replaced."""
    case = item.case
    case = lock_case(case)
    require_perm(by, "files.decide_unused", case)
    item = UnusedItem.objects.select_for_update().get(pk=item.pk)
    allowed = decisions_for(item.schedule)
    errors: dict[str, str] = {}
    if not decision:
        errors["decision"] = DECISION_REQUIRED
    elif decision not in allowed:
        label = ProsecutorDecision(decision).label if decision in ProsecutorDecision.values else decision
        errors["decision"] = DECISION_WRONG_SCHEDULE.format(
            decision=label,
            schedule=SCHEDULE_NAMES[item.schedule],
            allowed=" or ".join(f"‘{d.label}’" for d in allowed),
        )
    raise_if(errors)
    previous = item.prosecutor_decision
    item.prosecutor_decision = decision
    item.decision_note = note.strip()
    item.decided_by = by
    item.decided_at = timezone.now()
    item.save(update_fields=["prosecutor_decision", "decision_note", "decided_by", "decided_at"])
    _touch(case)
    audit_record(
        by=by,
        event_type=AuditEventType.UNUSED_ITEM_DECIDED,
        obj=item,
        case_id=case.public_id,
        summary=(f"{SCHEDULE_NAMES[item.schedule]} item {item.item_number}: {ProsecutorDecision(decision).label}"),
        data=_audit_data(item, decision=decision, previous=previous),
    )
    return item
