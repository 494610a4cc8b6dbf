"""The structured MG5 (police report / case summary): entered once, printed many times.

The case builders write an objective, balanced summary and the interview summary, and for each
offence the points the prosecution must prove, each linked to the evidence (documents and
exhibits of the case) that proves it. A police supervisor certifies the MG5 (Manual of Guidance:
the supervisor certifies the report; file quality failure FQ01 when missing). Any change after
certification clears it: what was certified is no longer what the MG5 says.

The MG5 is disclosed to the defence and the court, so sensitive (MG6D) material is never evidence
on it ("if in doubt, leave it out"; sensitive information goes on the MG6).

Every write locks the case row first, so concurrent writes on one case queue up, and decides the
permission on that current row (the case may have just been sent to the CPS).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import KW_ONLY, dataclass, field

from django.db import transaction
from django.db.models import Max, Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone

from accounts.audit import audit_record
from accounts.choices import AuditEventType
from accounts.models import User
from casework.models import Case, OffenceAllegation
from casework.selectors import CASE_NOT_FOUND
from casework.services._common import lock_case, notify_case_changed, raise_if, require_perm

from ..choices import Sensitivity
from ..models import CaseSummary, Document, Exhibit, PointToProve

SUMMARY_REQUIRED_TO_CERTIFY = "Write the case summary before it is certified"
ALREADY_CERTIFIED = "The MG5 is already certified. It needs certifying again only after it changes"
POINT_TEXT_REQUIRED = "Enter the point to prove"
POINT_TEXT_TOO_LONG = "The point to prove must be 500 characters or fewer"
OFFENCE_NOT_ON_CASE = "Choose an offence on this case"
EVIDENCE_DOCUMENT_NOT_ON_CASE = "Choose documents of this case"
EVIDENCE_DOCUMENT_SENSITIVE = "Sensitive material cannot be evidence on the MG5, which is disclosed to the defence"
EVIDENCE_EXHIBIT_NOT_ON_CASE = "Choose exhibits of this case"
ORDER_INVALID = "The order must be a whole number, 1 or more"

POINT_TEXT_MAX = 500


@dataclass
class PointDetails:
    text: str
    _: KW_ONLY
    order: int | None = None
    evidence_documents: list[Document] = field(default_factory=list)
    evidence_exhibits: list[Exhibit] = field(default_factory=list)


# ---------------------------------------------------------------------------------------------
# Reads


def case_summary_of(case: Case) -> CaseSummary:
    """The case's MG5, or an unsaved empty one when nothing has been written yet (reading never
    writes). Call with a case obtained through a scoped selector."""
    summary = CaseSummary.objects.select_related("certified_by").filter(case=case).first()
    return summary if summary is not None else CaseSummary(case=case)


def points_to_prove_of(case: Case) -> QuerySet[PointToProve]:
    """Points to prove with their evidence. Evidence documents are never sensitive (the service
    refuses them), so the same list is right for everyone who may see the case."""
    return (
        PointToProve.objects.filter(case=case)
        .select_related("offence__offence_code", "offence__suspect")
        .prefetch_related(
            Prefetch(
                "evidence_documents",
                queryset=Document.objects.exclude(sensitivity=Sensitivity.SENSITIVE).order_by("title", "id"),
            ),
            Prefetch("evidence_exhibits", queryset=Exhibit.objects.order_by("producer_initials", "number")),
        )
        .order_by("offence__created_at", "offence_id", "order", "id")
    )


def point_to_prove_get(*, case: Case, public_id: uuid.UUID | str) -> PointToProve:
    try:
        return points_to_prove_of(case).get(public_id=public_id)
    except (PointToProve.DoesNotExist, ValueError) as exc:
        raise Http404(CASE_NOT_FOUND) from exc


# ---------------------------------------------------------------------------------------------
# Rules


def _touch(case: Case) -> None:
    Case.objects.filter(pk=case.pk).update(updated_at=timezone.now())
    notify_case_changed(case)  # draft files are re-checked


def _locked_summary(case: Case) -> CaseSummary:
    summary, _ = CaseSummary.objects.select_for_update().get_or_create(case=case)
    return summary


def _clear_certification(summary: CaseSummary) -> bool:
    """Clear the certification of a changed MG5; say whether there was one."""
    if summary.certified_at is None:
        return False
    summary.certified_by = None
    summary.certified_at = None
    summary.save(update_fields=["certified_by", "certified_at", "updated_at"])
    return True


def _clean_point(case: Case, details: PointDetails) -> dict[str, str]:
    errors: dict[str, str] = {}
    text = details.text.strip()
    if not text:
        errors["text"] = POINT_TEXT_REQUIRED
    elif len(text) > POINT_TEXT_MAX:
        errors["text"] = POINT_TEXT_TOO_LONG
    if details.order is not None and details.order < 1:
        errors["order"] = ORDER_INVALID
    documents = details.evidence_documents
    if any(d.case_id != case.pk for d in documents):
        errors["evidence_documents"] = EVIDENCE_DOCUMENT_NOT_ON_CASE
    elif any(d.sensitivity == Sensitivity.SENSITIVE for d in documents):
        errors["evidence_documents"] = EVIDENCE_DOCUMENT_SENSITIVE
    if any(e.case_id != case.pk for e in details.evidence_exhibits):
        errors["evidence_exhibits"] = EVIDENCE_EXHIBIT_NOT_ON_CASE
    return errors


def _ids(rows: Iterable[Document | Exhibit]) -> list[str]:
    return sorted(str(r.public_id) for r in rows)


# ---------------------------------------------------------------------------------------------
# Writes


@transaction.atomic(durable=True)
def case_summary_update(*, case: Case, summary: str, interview_summary: str, by: User) -> CaseSummary:
    """Write the MG5's case summary and interview summary. A change clears any certification."""
    case = lock_case(case)
    require_perm(by, "files.edit_case_summary", case)
    mg5 = _locked_summary(case)
    new = {"summary": summary.strip(), "interview_summary": interview_summary.strip()}
    changed = sorted(name for name, value in new.items() if getattr(mg5, name) != value)
    if not changed:
        return mg5
    for name, value in new.items():
        setattr(mg5, name, value)
    mg5.save(update_fields=[*new, "updated_at"])
    cleared = _clear_certification(mg5)
    _touch(case)
    audit_record(
        by=by,
        event_type=AuditEventType.CASE_SUMMARY_UPDATED,
        obj=mg5,
        case_id=case.public_id,
        summary=f"MG5 updated: {', '.join(changed)}" + ("; certification cleared" if cleared else ""),
        data={"changed": changed, "certification_cleared": cleared},
    )
    return mg5


@transaction.atomic(durable=True)
def case_summary_certify(*, case: Case, by: User) -> CaseSummary:
    """A police supervisor of the owning force certifies the MG5 as it now stands."""
    case = lock_case(case)
    require_perm(by, "files.certify_case_summary", case)
    mg5 = _locked_summary(case)
    errors: dict[str, str] = {}
    if not mg5.summary.strip():
        errors["summary"] = SUMMARY_REQUIRED_TO_CERTIFY
    elif mg5.certified_at is not None:
        errors["__all__"] = ALREADY_CERTIFIED
    raise_if(errors)
    mg5.certified_by = by
    mg5.certified_at = timezone.now()
    mg5.save(update_fields=["certified_by", "certified_at", "updated_at"])
    _touch(case)
    audit_record(
        by=by,
        event_type=AuditEventType.CASE_SUMMARY_CERTIFIED,
        obj=mg5,
        case_id=case.public_id,
        summary="MG5 certified",
    )
    return mg5


@transaction.atomic(durable=True)
def point_to_prove_add(*, case: Case, offence: OffenceAllegation, details: PointDetails, by: User) -> PointToProve:
    """Add a point to prove for an offence on the case, with the evidence that proves it. Without
    an order it goes last for that offence. Clears any certification of the MG5."""
    case = lock_case(case)
    require_perm(by, "files.edit_case_summary", case)
    errors = _clean_point(case, details)
    if offence.case_id != case.pk:
        errors["offence"] = OFFENCE_NOT_ON_CASE
    raise_if(errors)
    order = details.order
    if order is None:
        last = PointToProve.objects.filter(offence=offence).aggregate(n=Max("order"))["n"]
        order = (last or 0) + 1
    point = PointToProve.objects.create(case=case, offence=offence, text=details.text.strip(), order=order)
    point.evidence_documents.set(details.evidence_documents)
    point.evidence_exhibits.set(details.evidence_exhibits)
    mg5 = _locked_summary(case)
    mg5.save(update_fields=["updated_at"])
    cleared = _clear_certification(mg5)
    _touch(case)
    audit_record(
        by=by,
        event_type=AuditEventType.CASE_SUMMARY_UPDATED,
        obj=point,
        case_id=case.public_id,
        summary=f"MG5 point to prove added for {offence.code_with_qualifier}"
        + ("; certification cleared" if cleared else ""),
        data={
            "point": str(point.public_id),
            "offence": str(offence.public_id),
            "action": "point_added",
            "evidence_documents": _ids(details.evidence_documents),
            "evidence_exhibits": _ids(details.evidence_exhibits),
            "certification_cleared": cleared,
        },
    )
    return point


@transaction.atomic(durable=True)
def point_to_prove_update(*, point: PointToProve, details: PointDetails, by: User) -> PointToProve:
    """Change a point to prove or the evidence linked to it. Clears any certification of the MG5."""
    case = point.case
    case = lock_case(case)
    require_perm(by, "files.edit_case_summary", case)
    point = PointToProve.objects.select_for_update().select_related("offence__offence_code").get(pk=point.pk)
    errors = _clean_point(case, details)
    raise_if(errors)
    order = details.order if details.order is not None else point.order
    before = {
        "text": point.text,
        "order": point.order,
        "evidence_documents": _ids(point.evidence_documents.all()),
        "evidence_exhibits": _ids(point.evidence_exhibits.all()),
    }
    after = {
        "text": details.text.strip(),
        "order": order,
        "evidence_documents": _ids(details.evidence_documents),
        "evidence_exhibits": _ids(details.evidence_exhibits),
    }
    changed = sorted(name for name in before if before[name] != after[name])
    if not changed:
        return point
    point.text = details.text.strip()
    point.order = order
    point.save(update_fields=["text", "order"])
    point.evidence_documents.set(details.evidence_documents)
    point.evidence_exhibits.set(details.evidence_exhibits)
    mg5 = _locked_summary(case)
    mg5.save(update_fields=["updated_at"])
    cleared = _clear_certification(mg5)
    _touch(case)
    audit_record(
        by=by,
        event_type=AuditEventType.CASE_SUMMARY_UPDATED,
        obj=point,
        case_id=case.public_id,
        summary=f"MG5 point to prove for {point.offence.code_with_qualifier} updated: {', '.join(changed)}"
        + ("; certification cleared" if cleared else ""),
        data={
            "point": str(point.public_id),
            "action": "point_updated",
            "changed": changed,
            "certification_cleared": cleared,
        },
    )
    return point
