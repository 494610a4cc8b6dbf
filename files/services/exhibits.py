"""Exhibits and their continuity (the MG12 exhibit list).

An exhibit is referenced by its producer's initials and the next number for those initials on the
case ("JS/1", "JS/2", then "AB/1" for another producer). The reference is written on the physical
label, so it never changes once given, even if the producer's name is corrected later.

Continuity: every time an exhibit changes hands or place, a movement records when, from where, to
where, who handled it and why. A movement must start where the exhibit is recorded to be, and the
exhibit is then recorded at the movement's destination, so the chain has no gaps.

Linked documents are documents of the same case. Whoever may not see sensitive (MG6D) material
neither sees nor can link a sensitive document, and editing an exhibit keeps the sensitive links
the editor cannot see.

Every write locks the case row first, so concurrent writes on one case queue up, and decides the
permission on that current row (the case may have just been sent to the CPS).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.db.models import Max, Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone

from accounts.audit import audit_record
from accounts.choices import AuditEventType
from accounts.models import User
from casework.models import Case
from casework.selectors import CASE_NOT_FOUND
from casework.services._common import lock_case, notify_case_changed, raise_if, require_perm

from ..choices import Sensitivity
from ..models import Document, Exhibit, ExhibitMovement
from ..selectors import can_see_sensitive, document_list_for

DESCRIPTION_REQUIRED = "Enter a description of the exhibit"
PRODUCER_REQUIRED = "Enter the name of the person who produced the exhibit"
LOCATION_REQUIRED = "Enter where the exhibit is now"
INITIALS_INVALID = "Initials must be 1 to 5 letters, like JS"
INITIALS_NOT_DERIVABLE = "Enter the producer’s initials: they cannot be worked out from the name given"
DOCUMENT_NOT_ON_CASE = "Choose documents of this case"
MOVED_AT_REQUIRED = "Enter the date and time the exhibit moved"
MOVED_AT_IN_FUTURE = "The date and time of the move must be in the past"
MOVED_BEFORE_LAST_MOVE = "The move cannot be before the last recorded move, on {when}"
FROM_NOT_CURRENT = "The exhibit is recorded at ‘{location}’: a move must start from where it is now"
FROM_REQUIRED = "Enter where the exhibit moved from"
TO_REQUIRED = "Enter where the exhibit moved to"
TO_SAME_AS_FROM = "Enter a different place: the exhibit must move somewhere new"
HANDLED_BY_REQUIRED = "Enter who handled the exhibit"

MAX_INITIALS = 5
_INITIALS = re.compile(rf"[A-Z]{{1,{MAX_INITIALS}}}")
# Ranks and titles that often precede a producer's name and are not part of their initials.
_TITLES = frozenset(
    {"PC", "PS", "DC", "DS", "DI", "DCI", "SGT", "INSP", "PCSO", "MR", "MRS", "MS", "MISS", "MX", "DR", "PROF"}
)


@dataclass
class ExhibitDetails:
    description: str
    producer_name: str
    location: str
    producer_initials: str = ""
    documents: list[Document] = field(default_factory=list)


@dataclass
class ExhibitChanges:
    """What may change after an exhibit is added. Its reference is fixed (it is on the label) and
    its location changes only by a recorded movement."""

    description: str
    producer_name: str
    documents: list[Document] = field(default_factory=list)


@dataclass
class MovementDetails:
    moved_at: datetime | None
    from_location: str
    to_location: str
    handled_by: str
    reason: str = ""


# ---------------------------------------------------------------------------------------------
# Reads


def exhibit_list_for(*, user: User, case: Case) -> QuerySet[Exhibit]:
    """The case's exhibits, each with only the linked documents this user may see. Call with a
    case obtained through a scoped selector."""
    return (
        Exhibit.objects.filter(case=case)
        .select_related("created_by")
        .prefetch_related(
            Prefetch("documents", queryset=document_list_for(user=user, case=case).order_by("title", "id")),
            Prefetch("movements", queryset=ExhibitMovement.objects.select_related("recorded_by")),
        )
        .order_by("producer_initials", "number")
    )


def exhibit_get_for(*, user: User, case: Case, public_id: uuid.UUID | str) -> Exhibit:
    try:
        return exhibit_list_for(user=user, case=case).get(public_id=public_id)
    except (Exhibit.DoesNotExist, ValueError) as exc:
        raise Http404(CASE_NOT_FOUND) from exc


# ---------------------------------------------------------------------------------------------
# Rules


def initials_from_name(name: str) -> str:
    """ "John Smith" → "JS"; "PC 1234 Mary-Jane O'Brien" → "MJO". Ranks, titles and numbers are
    skipped; a name of more than five parts keeps the first four initials and the surname's."""
    words = [w for w in re.split(r"[\s\-]+", name.strip()) if w]
    letters = [w.lstrip("'’.")[:1].upper() for w in words if w.upper().strip(".") not in _TITLES]
    letters = [c for c in letters if c.isascii() and c.isalpha()]
    if len(letters) > MAX_INITIALS:
        letters = [*letters[: MAX_INITIALS - 1], letters[-1]]
    return "".join(letters)


def _clean_initials(errors: dict[str, str], given: str, producer_name: str) -> str:
    if given.strip():
        initials = given.strip().replace(".", "").replace(" ", "").upper()
        if not _INITIALS.fullmatch(initials):
            errors["producer_initials"] = INITIALS_INVALID
        return initials
    initials = initials_from_name(producer_name)
    if producer_name.strip() and not initials:
        errors["producer_initials"] = INITIALS_NOT_DERIVABLE
    return initials


def _clean_documents(errors: dict[str, str], case: Case, documents: Iterable[Document], by: User) -> list[Document]:
    """Documents of this case that ``by`` may see; anything else gets one message, so a sensitive
    document cannot be told apart from one of another case."""
    documents = list(documents)
    visible = set(
        document_list_for(user=by, case=case).filter(pk__in=[d.pk for d in documents]).values_list("pk", flat=True)
    )
    if any(d.pk not in visible for d in documents):
        errors["documents"] = DOCUMENT_NOT_ON_CASE
    return list({d.pk: d for d in documents}.values())


def _touch(case: Case) -> None:
    Case.objects.filter(pk=case.pk).update(updated_at=timezone.now())
    notify_case_changed(case)  # draft files are re-checked


def _next_number(case: Case, initials: str) -> int:
    current = Exhibit.objects.filter(case=case, producer_initials=initials).aggregate(n=Max("number"))["n"]
    return (current or 0) + 1


# ---------------------------------------------------------------------------------------------
# Writes


@transaction.atomic(durable=True)
def exhibit_add(*, case: Case, details: ExhibitDetails, by: User) -> Exhibit:
    """Add an exhibit with the next reference for the producer's initials on this case. The case
    row is locked first, so two exhibits added at the same moment cannot take the same number."""
    case = lock_case(case)
    require_perm(by, "files.manage_exhibits", case)
    errors: dict[str, str] = {}
    if not details.description.strip():
        errors["description"] = DESCRIPTION_REQUIRED
    if not details.producer_name.strip():
        errors["producer_name"] = PRODUCER_REQUIRED
    if not details.location.strip():
        errors["location"] = LOCATION_REQUIRED
    initials = _clean_initials(errors, details.producer_initials, details.producer_name)
    documents = _clean_documents(errors, case, details.documents, by)
    raise_if(errors)
    number = _next_number(case, initials)
    exhibit = Exhibit.objects.create(
        case=case,
        reference=f"{initials}/{number}",
        producer_name=details.producer_name.strip(),
        producer_initials=initials,
        number=number,
        description=details.description.strip(),
        location=details.location.strip(),
        created_by=by,
    )
    exhibit.documents.set(documents)
    _touch(case)
    audit_record(
        by=by,
        event_type=AuditEventType.EXHIBIT_ADDED,
        obj=exhibit,
        case_id=case.public_id,
        summary=f"Exhibit {exhibit.reference} added",
        data={"reference": exhibit.reference, "documents": [str(d.public_id) for d in documents]},
    )
    return exhibit


@transaction.atomic(durable=True)
def exhibit_update(*, exhibit: Exhibit, changes: ExhibitChanges, by: User) -> Exhibit:
    """Change an exhibit's description, producer's name and linked documents. Links to sensitive
    documents the editor may not see are kept as they are."""
    case = exhibit.case
    case = lock_case(case)
    require_perm(by, "files.manage_exhibits", case)
    exhibit = Exhibit.objects.select_for_update().get(pk=exhibit.pk)
    errors: dict[str, str] = {}
    if not changes.description.strip():
        errors["description"] = DESCRIPTION_REQUIRED
    if not changes.producer_name.strip():
        errors["producer_name"] = PRODUCER_REQUIRED
    documents = _clean_documents(errors, case, changes.documents, by)
    raise_if(errors)
    hidden: list[Document] = []
    if not can_see_sensitive(by, case):
        hidden = list(exhibit.documents.filter(sensitivity=Sensitivity.SENSITIVE))
    before_documents = set(exhibit.documents.values_list("pk", flat=True))
    after_documents = {d.pk for d in documents} | {d.pk for d in hidden}
    changed = sorted(
        name
        for name, old, new in (
            ("description", exhibit.description, changes.description.strip()),
            ("producer_name", exhibit.producer_name, changes.producer_name.strip()),
            ("documents", before_documents, after_documents),
        )
        if old != new
    )
    if not changed:
        return exhibit
    exhibit.description = changes.description.strip()
    exhibit.producer_name = changes.producer_name.strip()
    exhibit.save(update_fields=["description", "producer_name"])
    exhibit.documents.set([*documents, *hidden])
    _touch(case)
    audit_record(
        by=by,
        event_type=AuditEventType.EXHIBIT_UPDATED,
        obj=exhibit,
        case_id=case.public_id,
        summary=f"Exhibit {exhibit.reference} updated: {', '.join(changed)}",
        data={"changed": changed},
    )
    return exhibit


@transaction.atomic(durable=True)
def exhibit_move(*, exhibit: Exhibit, details: MovementDetails, by: User) -> ExhibitMovement:
    """Record a continuity entry. The move starts where the exhibit is recorded to be, is not dated
    in the future or before the last recorded move, and leaves the exhibit at its destination."""
    case = exhibit.case
    case = lock_case(case)
    require_perm(by, "files.manage_exhibits", case)
    exhibit = Exhibit.objects.select_for_update().get(pk=exhibit.pk)
    errors: dict[str, str] = {}
    from_location, to_location = details.from_location.strip(), details.to_location.strip()
    if details.moved_at is None:
        errors["moved_at"] = MOVED_AT_REQUIRED
    elif details.moved_at > timezone.now():
        errors["moved_at"] = MOVED_AT_IN_FUTURE
    else:
        last = exhibit.movements.order_by("-moved_at", "-id").first()
        if last is not None and details.moved_at < last.moved_at:
            when = timezone.localtime(last.moved_at)
            errors["moved_at"] = MOVED_BEFORE_LAST_MOVE.format(when=f"{when:%-d %B %Y at %H:%M}")
    if not from_location:
        errors["from_location"] = FROM_REQUIRED
    elif from_location.casefold() != exhibit.location.strip().casefold():
        errors["from_location"] = FROM_NOT_CURRENT.format(location=exhibit.location)
    if not to_location:
        errors["to_location"] = TO_REQUIRED
    elif to_location.casefold() == exhibit.location.strip().casefold():
        errors["to_location"] = TO_SAME_AS_FROM
    if not details.handled_by.strip():
        errors["handled_by"] = HANDLED_BY_REQUIRED
    raise_if(errors)
    assert details.moved_at is not None
    movement = ExhibitMovement.objects.create(
        exhibit=exhibit,
        moved_at=details.moved_at,
        from_location=exhibit.location,
        to_location=to_location,
        handled_by=details.handled_by.strip(),
        reason=details.reason.strip(),
        recorded_by=by,
    )
    exhibit.location = to_location
    exhibit.save(update_fields=["location"])
    _touch(case)
    audit_record(
        by=by,
        event_type=AuditEventType.EXHIBIT_MOVED,
        obj=exhibit,
        case_id=case.public_id,
        summary=f"Exhibit {exhibit.reference} moved from {movement.from_location} to {movement.to_location}",
        data={
            "from": movement.from_location,
            "to": movement.to_location,
            "moved_at": movement.moved_at.isoformat(),
            "handled_by": movement.handled_by,
        },
    )
    return movement
