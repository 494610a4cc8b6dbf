"""File submissions: a file assembled for one National File Standard stage, checked by the quality
rules, and — once submitted — an immutable record of exactly what was sent.

- A draft is started for a stage and an anticipated plea (one draft per case and stage at a time)
  and follows the case: its quality report is recomputed as the material changes.
- Submitting recomputes the report in the same transaction (``on_submission``) and refuses while
  any finding blocks, unless a police supervisor has overridden them with a reason (and nothing new
  has started blocking since). It then freezes the file: a ``SubmissionItem`` for exactly the latest
  clean version of each document, and ``snapshot``, the case data that was sent.
- A submitted file never changes; only a draft may be withdrawn.

Sending the case to the CPS: a pre-charge file does not send the case — the charging referral (a
later feature) does. A file for a first hearing or later is how a police-charged case reaches the
CPS (the IDPC), so submitting one sends the case to its CPS Area if it has not been sent already.

Reads (which files a user may see) are here too: police of the owning force see every file of a
case they can see; the CPS sees only submitted files of a case sent to it. Anything else is 404.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone

from accounts.audit import audit_record
from accounts.choices import AuditEventType
from accounts.models import User
from casework.hooks import is_being_created
from casework.models import Case, CustodyEvent, Suspect, Witness
from casework.selectors import CASE_NOT_FOUND
from casework.services._common import lock_case, raise_if, require_perm

from ..choices import AnticipatedPlea, FileStage, SubmissionStatus
from ..models import (
    CaseSummary,
    DocumentVersion,
    Exhibit,
    FileSubmission,
    PointToProve,
    QualityReport,
    SubmissionItem,
    UnusedItem,
)
from ..quality.engine import Evaluation, evaluate_submission, report_findings, store_report
from ..quality.rules import RULESET_VERSION

STAGE_REQUIRED = "Select the stage the file is for"
PLEA_REQUIRED = "Select the anticipated plea"
GAP_NEEDS_GUILTY_PLEA = (
    "A first-hearing GAP file is for an anticipated guilty plea: select guilty, or start a not-guilty (NGAP) file"
)
DRAFT_EXISTS = (
    "There is already a draft {stage} file for this case. Carry on with it, or withdraw it before starting another"
)
ALREADY_SUBMITTED = "This file has been submitted. A submitted file cannot be changed"
ALREADY_WITHDRAWN = "This file has been withdrawn. A withdrawn file cannot be changed"
OVERRIDE_REASON_REQUIRED = "Give the reason for submitting the file with blocking problems"
NOTHING_TO_OVERRIDE = "The file has no blocking problems to override"
SUBMIT_BLOCKED = (
    "The file cannot be submitted: {count} must be fixed first, or overridden by a police supervisor with a reason"
)
NEW_BLOCKING_SINCE_OVERRIDE = (
    "The file cannot be submitted: {count} appeared after the supervisor's override. "
    "Fix them, or ask a supervisor to review the file and override again"
)

# Stages whose submission sends a police-charged case to the CPS (see the module docstring).
SENDS_CASE_TO_CPS = frozenset(
    {
        FileStage.FIRST_HEARING_GAP,
        FileStage.FIRST_HEARING_NGAP,
        FileStage.FIRST_HEARING_CROWN,
        FileStage.MAGS_TRIAL_UPGRADE,
        FileStage.CROWN_COURT_FULL,
    }
)
DEBOUNCE_SECONDS_DEFAULT = 5


def problems(count: int) -> str:
    return f"{count} blocking problem{'' if count == 1 else 's'}"


# ---------------------------------------------------------------------------------------------
# Reads


def submission_list_visible_to(*, user: User, case: Case) -> QuerySet[FileSubmission]:
    """The case's files the user may see. Call with a case from a scoped selector."""
    submissions = FileSubmission.objects.filter(case=case).select_related(
        "case", "created_by", "submitted_by", "override_by"
    )
    if not user.is_police:
        submissions = submissions.filter(status=SubmissionStatus.SUBMITTED)
    return submissions.order_by("-created_at", "-id")


def submission_get_visible_to(*, user: User, case: Case, public_id: uuid.UUID | str) -> FileSubmission:
    try:
        return submission_list_visible_to(user=user, case=case).get(public_id=public_id)
    except (FileSubmission.DoesNotExist, ValueError, ValidationError) as exc:
        raise Http404(CASE_NOT_FOUND) from exc


def reports_of(submission: FileSubmission) -> QuerySet[QualityReport]:
    return QualityReport.objects.filter(submission=submission).order_by("-created_at", "-id")


def items_of(submission: FileSubmission) -> QuerySet[SubmissionItem]:
    return (
        SubmissionItem.objects.filter(submission=submission)
        .select_related("version__document")
        .order_by("version__document__kind", "version__document__title", "version__document_id")
    )


# ---------------------------------------------------------------------------------------------
# Background checks


def request_quality_check(case: Case) -> None:
    """Ask for the quality checks of the case's draft files to be re-run, because its material
    changed. Call it from any service that changes what a file is judged on (documents and their
    scan results, exhibits, the MG5 and points to prove, unused material, people, offences, custody).

    Queued on commit, after ``FILES_QUALITY_DEBOUNCE_SECONDS`` (default 5): a burst of changes queues
    one task per draft, because the first change claims a cache key for that long and the task runs
    just after the key expires, when every change of the burst has committed. A case being created has no
    files yet, so there is nothing to re-run (and no query to run after its commit)."""
    if is_being_created(case):
        return
    case_pk = case.pk
    debounce = int(getattr(settings, "FILES_QUALITY_DEBOUNCE_SECONDS", DEBOUNCE_SECONDS_DEFAULT))

    def enqueue() -> None:
        from ..tasks_quality import run_quality_checks

        drafts = FileSubmission.objects.filter(case_id=case_pk, status=SubmissionStatus.DRAFT)
        for submission_id in drafts.values_list("pk", flat=True):
            if cache.add(f"files:quality-check:{submission_id}", 1, timeout=debounce):
                run_quality_checks.apply_async(
                    args=[submission_id], countdown=debounce + 1, queue=settings.FILES_TASK_QUEUE or None
                )

    transaction.on_commit(enqueue)


def _check_now(submission_id: int) -> None:
    from ..tasks_quality import run_quality_checks

    run_quality_checks.apply_async(args=[submission_id], queue=settings.FILES_TASK_QUEUE or None)


# ---------------------------------------------------------------------------------------------
# Writes


def _locked(submission: FileSubmission) -> FileSubmission:
    return FileSubmission.objects.select_for_update().select_related("case").get(pk=submission.pk)


def _require_draft(submission: FileSubmission) -> None:
    if submission.status == SubmissionStatus.SUBMITTED:
        raise_if({"__all__": ALREADY_SUBMITTED})
    if submission.status == SubmissionStatus.WITHDRAWN:
        raise_if({"__all__": ALREADY_WITHDRAWN})


@transaction.atomic(durable=True)
def submission_start(*, case: Case, stage: str, anticipated_plea: str, by: User) -> FileSubmission:
    """Start a draft file for a National File Standard stage. While a draft, the file follows the
    case (its material is read afresh by every quality check)."""
    require_perm(by, "files.build_submission", case)
    case = lock_case(case)
    errors: dict[str, str] = {}
    if stage not in FileStage.values:
        errors["stage"] = STAGE_REQUIRED
    if anticipated_plea not in AnticipatedPlea.values:
        errors["anticipated_plea"] = PLEA_REQUIRED
    elif stage == FileStage.FIRST_HEARING_GAP and anticipated_plea != AnticipatedPlea.GUILTY:
        errors["anticipated_plea"] = GAP_NEEDS_GUILTY_PLEA
    if (
        "stage" not in errors
        and FileSubmission.objects.filter(case=case, stage=stage, status=SubmissionStatus.DRAFT).exists()
    ):
        errors["stage"] = DRAFT_EXISTS.format(stage=FileStage(stage).label)
    raise_if(errors)
    submission = FileSubmission.objects.create(case=case, stage=stage, anticipated_plea=anticipated_plea, created_by=by)
    audit_record(
        by=by,
        event_type=AuditEventType.SUBMISSION_CREATED,
        obj=submission,
        case_id=case.public_id,
        summary=f"File started: {FileStage(stage).label}",
        data={"stage": stage, "anticipated_plea": anticipated_plea},
    )
    transaction.on_commit(lambda: _check_now(submission.pk))
    return submission


@transaction.atomic(durable=True)
def submission_override(*, submission: FileSubmission, reason: str, by: User) -> FileSubmission:
    """A police supervisor lets the file be submitted with the blocking problems it has now,
    giving the reason. The override covers exactly those problems: any that appears later blocks
    again. The report the supervisor overrode is stored, and the override time is its time."""
    require_perm(by, "files.override_quality", submission.case)
    lock_case(submission.case)
    submission = _locked(submission)
    _require_draft(submission)
    reason = reason.strip()
    if not reason:
        raise_if({"reason": OVERRIDE_REASON_REQUIRED})
    evaluation = evaluate_submission(submission)
    if not evaluation.blocking:
        raise_if({"__all__": NOTHING_TO_OVERRIDE})
    report = store_report(submission, evaluation)
    submission.override_reason = reason
    submission.override_by = by
    submission.override_at = report.created_at
    submission.save(update_fields=["override_reason", "override_by", "override_at", "updated_at"])
    audit_record(
        by=by,
        event_type=AuditEventType.QUALITY_OVERRIDDEN,
        obj=submission,
        case_id=submission.case.public_id,
        summary=f"{problems(len(evaluation.blocking))} overridden: {reason}"[:500],
        data={
            "reason": reason,
            "report": str(report.public_id),
            "overridden": sorted(f.key for f in evaluation.blocking),
            "fq_codes": sorted({f.fq_code for f in evaluation.blocking if f.fq_code}),
        },
    )
    return submission


def overridden_keys(submission: FileSubmission) -> set[str]:
    """The blocking problems the supervisor's override covers: those of the report it was made on."""
    if submission.override_at is None:
        return set()
    report = (
        QualityReport.objects.filter(submission=submission, created_at__lte=submission.override_at)
        .order_by("-created_at", "-id")
        .first()
    )
    return {f.key for f in report_findings(report) if f.blocking} if report is not None else set()


@transaction.atomic(durable=True)
def submission_submit(*, submission: FileSubmission, by: User) -> FileSubmission:
    """Submit the file: check it now, refuse while anything blocks (unless overridden), then freeze
    what was sent. Refusing leaves nothing behind."""
    require_perm(by, "files.build_submission", submission.case)
    case = lock_case(submission.case)
    submission = _locked(submission)
    _require_draft(submission)
    evaluation = evaluate_submission(submission)
    blocking = evaluation.blocking
    overridden = overridden_keys(submission)
    if blocking and not overridden:
        raise_if({"__all__": SUBMIT_BLOCKED.format(count=problems(len(blocking)))})
    new = [f for f in blocking if f.key not in overridden]
    if new:
        raise_if({"__all__": NEW_BLOCKING_SINCE_OVERRIDE.format(count=problems(len(new)))})
    report = store_report(submission, evaluation, on_submission=True)
    now = timezone.now()
    versions = dict(
        DocumentVersion.objects.filter(public_id__in=[d.version_id for d in evaluation.facts.documents]).values_list(
            "public_id", "pk"
        )
    )
    SubmissionItem.objects.bulk_create(
        [SubmissionItem(submission=submission, version_id=pk) for pk in versions.values()]
    )
    submission.snapshot = build_snapshot(case=case, submission=submission, evaluation=evaluation, report=report)
    submission.status = SubmissionStatus.SUBMITTED
    submission.submitted_by = by
    submission.submitted_at = now
    submission.save(update_fields=["snapshot", "status", "submitted_by", "submitted_at", "updated_at"])
    sent = _send_case_to_cps(case, submission, now)
    # A submitted pre-charge file means the CPS was asked to charge: the case's other drafts change.
    request_quality_check(case)
    audit_record(
        by=by,
        event_type=AuditEventType.FILE_SUBMITTED,
        obj=submission,
        case_id=case.public_id,
        summary=f"File submitted: {FileStage(submission.stage).label}"
        + (f" with {problems(len(blocking))} overridden" if blocking else ""),
        data={
            "stage": submission.stage,
            "anticipated_plea": submission.anticipated_plea,
            "items": len(versions),
            "ruleset_version": RULESET_VERSION,
            "report": str(report.public_id),
            "blocking": len(blocking),
            "advisory": report.advisory_count,
            "overridden": sorted(f.key for f in blocking),
            "sent_to_cps": sent,
        },
    )
    return submission


def _send_case_to_cps(case: Case, submission: FileSubmission, now: Any) -> bool:
    """A first-hearing (or later) file reaches the CPS with the case; say whether this sent it."""
    if submission.stage not in SENDS_CASE_TO_CPS or case.sent_to_cps_at is not None:
        return False
    Case.objects.filter(pk=case.pk).update(sent_to_cps_at=now, updated_at=now)
    case.sent_to_cps_at = now
    return True


@transaction.atomic(durable=True)
def submission_withdraw(*, submission: FileSubmission, by: User) -> FileSubmission:
    """Withdraw a draft (a status change only; its reports stay). A submitted file cannot be
    withdrawn: it was sent."""
    require_perm(by, "files.build_submission", submission.case)
    lock_case(submission.case)
    submission = _locked(submission)
    _require_draft(submission)
    submission.status = SubmissionStatus.WITHDRAWN
    submission.save(update_fields=["status", "updated_at"])
    audit_record(
        by=by,
        event_type=AuditEventType.SUBMISSION_WITHDRAWN,
        obj=submission,
        case_id=submission.case.public_id,
        summary=f"Draft {submission.get_stage_display()} file withdrawn",
    )
    return submission


# ---------------------------------------------------------------------------------------------
# The snapshot: the case data that was sent, as it was.


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _name(person: Any) -> str:
    return str(person.full_name)


def _under_18(person: Any, day: Any) -> bool:
    age = person.age_on(day)
    return age is not None and age < 18


def build_snapshot(
    *, case: Case, submission: FileSubmission, evaluation: Evaluation, report: QualityReport
) -> dict[str, Any]:
    """What was sent, in a fixed number of queries: people (victims without contact details), the
    offences, the MG5 with its points to prove, exhibits, unused material and the document versions.
    Sensitive entries are marked so that a page shows them only to those who may see them."""
    today = evaluation.facts.as_of
    custody = CustodyEvent.objects.order_by("occurred_at", "id")
    suspects = Suspect.objects.filter(case=case).prefetch_related(Prefetch("custody_events", queryset=custody))
    witnesses = Witness.objects.filter(case=case).prefetch_related("dates_to_avoid")
    mg5 = CaseSummary.objects.filter(case=case).select_related("certified_by").first()
    points = (
        PointToProve.objects.filter(case=case)
        .select_related("offence")
        .prefetch_related("evidence_documents", "evidence_exhibits")
        .order_by("offence__created_at", "offence_id", "order", "id")
    )
    exhibits = Exhibit.objects.filter(case=case).prefetch_related("documents").order_by("producer_initials", "number")
    unused = UnusedItem.objects.filter(case=case).select_related("document").order_by("schedule", "item_number")
    offences = case.offences.select_related("offence_code", "suspect").order_by("created_at", "id")
    return {
        "ruleset_version": RULESET_VERSION,
        "inputs_digest": evaluation.digest,
        "report": str(report.public_id),
        "as_of": today.isoformat(),
        "case": {
            "urn": case.urn_display,
            "flags": sorted(case.flags),
            "summary": case.summary,
            "officer_in_case": case.officer_in_case.get_full_name() if case.officer_in_case else "",
        },
        "stage": submission.stage,
        "anticipated_plea": submission.anticipated_plea,
        "override": (
            {
                "reason": submission.override_reason,
                "by": submission.override_by.get_full_name() if submission.override_by else "",
                "at": _iso(submission.override_at),
            }
            if submission.override_at
            else None
        ),
        "suspects": [
            {
                "id": str(s.public_id),
                "name": _name(s),
                "date_of_birth": _iso(s.date_of_birth),
                "pnc_id": s.pnc_id,
                "asn": s.asn,
                "interpreter_language": s.interpreter_language,
                "needs_appropriate_adult": s.needs_appropriate_adult,
                "vulnerabilities": s.vulnerabilities,
                "custody_status": (list(s.custody_events.all())[-1].kind if s.custody_events.all() else ""),
            }
            for s in suspects.order_by("created_at", "id")
        ],
        "offences": [
            {
                "id": str(o.public_id),
                "suspect": str(o.suspect.public_id),
                "code": o.code_with_qualifier,
                "title": o.offence_code.title,
                "mode_of_trial": o.offence_code.mode_of_trial,
                "committed_on": _iso(o.committed_on),
                "committed_until": _iso(o.committed_until),
                "location": o.location,
                "particulars": o.particulars,
                "status": o.status,
            }
            for o in offences
        ],
        "witnesses": [
            {
                "id": str(w.public_id),
                "name": _name(w),
                "under_18": _under_18(w, today),
                "witness_type": w.witness_type,
                "is_key": w.is_key,
                "vulnerability": w.vulnerability,
                "special_measures": list(w.special_measures),
                "willing_to_attend": w.willing_to_attend,
                "no_dates_to_avoid": w.no_dates_to_avoid,
                "dates_to_avoid": [
                    {"from": _iso(d.starts_on), "to": _iso(d.ends_on), "reason": d.reason}
                    for d in w.dates_to_avoid.all()
                ],
            }
            for w in witnesses.order_by("created_at", "id")
        ],
        # Victims without their contact details or contact preference: those stay with the police.
        "victims": [
            {
                "id": str(v.public_id),
                "name": _name(v),
                "under_18": _under_18(v, today),
                "is_organisation": v.is_organisation,
                "enhanced_rights": list(v.enhanced_rights),
                "personal_statement": v.personal_statement,
                "first_statement_on": _iso(v.first_statement_on),
            }
            for v in case.victims.order_by("created_at", "id")
        ],
        "mg5": (
            {
                "summary": mg5.summary,
                "interview_summary": mg5.interview_summary,
                "certified_by": mg5.certified_by.get_full_name() if mg5.certified_by else "",
                "certified_at": _iso(mg5.certified_at),
            }
            if mg5 is not None
            else None
        ),
        "points_to_prove": [
            {
                "id": str(p.public_id),
                "offence": str(p.offence.public_id),
                "text": p.text,
                "documents": sorted(str(d.public_id) for d in p.evidence_documents.all()),
                "exhibits": sorted(e.reference for e in p.evidence_exhibits.all()),
            }
            for p in points
        ],
        "exhibits": [
            {
                "id": str(e.public_id),
                "reference": e.reference,
                "description": e.description,
                "producer": e.producer_name,
                "location": e.location,
                "documents": sorted(str(d.public_id) for d in e.documents.all()),
            }
            for e in exhibits
        ],
        "unused_items": [
            {
                "id": str(u.public_id),
                "schedule": u.schedule,
                "item_number": u.item_number,
                "description": u.description,
                "location": u.location,
                "sensitivity_reason": u.sensitivity_reason,
                "rebuttable_presumption": u.rebuttable_presumption,
                "document": str(u.document.public_id) if u.document else None,
            }
            for u in unused
        ],
        "documents": [
            {
                "id": d.id,
                "title": d.title,
                "kind": d.kind,
                "version": d.version_number,
                "version_id": d.version_id,
                "sha256": d.sha256,
                "sensitive": d.sensitive,
            }
            for d in sorted(evaluation.facts.documents, key=lambda d: (d.kind, d.title, d.id))
        ],
        "quality": {"blocking": report.blocking_count, "advisory": report.advisory_count},
    }
