"""The CPS assessment of a submitted file against the National File Standard, the police response
to each failure, and a CPS legal manager's decision on a disputed failure (domain.md 7.1–7.2).

The order is fixed: a file is assessed once, after it is submitted; if it did not meet the standard
the CPS gives one or more failure codes from the shared taxonomy (FQ01–FQ20, ``FAILURE_CODES``);
the police accept or dispute each failure once (a dispute needs a reason); a CPS legal manager then
upholds or overturns each disputed failure, with a note. Every step is audited in its transaction.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.http import Http404
from django.utils import timezone

from accounts.audit import audit_record
from accounts.choices import AuditEventType
from accounts.models import User
from casework.selectors import CASE_NOT_FOUND
from casework.services._common import notify_case_changed, raise_if, require_perm

from ..choices import DisputeOutcome, FailureResponse, SubmissionStatus
from ..models import AssessmentFailure, CpsAssessment, FileSubmission
from ..quality.rules import FAILURE_CODES

NOT_SUBMITTED = "Only a submitted file can be assessed"
ALREADY_ASSESSED = "This file has already been assessed"
MET_REQUIRED = "Select whether the file met the National File Standard"
FAILURES_REQUIRED = "Select at least one reason the file did not meet the standard"
FAILURES_WHEN_MET = (
    "A file that met the standard has no failure reasons: remove them, or select that it did not meet the standard"
)
CODE_UNKNOWN = "Choose failure reasons from the list (unknown: {codes})"
CODE_REPEATED = "Give each failure reason once (repeated: {codes})"
RESPONSE_REQUIRED = "Select whether you accept or dispute the failure"
DISPUTE_REASON_REQUIRED = "Give the reason for disputing the failure"
ALREADY_RESPONDED = "The police have already responded to this failure"
NOT_DISPUTED_YET = "Only a disputed failure can be decided: the police have not responded to this one yet"
NOT_DISPUTED_ACCEPTED = "Only a disputed failure can be decided: the police accepted this one"
ALREADY_DECIDED = "This dispute has already been decided"
OUTCOME_REQUIRED = "Select whether the failure is upheld or overturned"
DECISION_NOTE_REQUIRED = "Give the reason for the decision"


@dataclass(frozen=True)
class FailureDetails:
    code: str
    note: str = ""


# ---------------------------------------------------------------------------------------------
# Reads


def assessment_of(submission: FileSubmission) -> CpsAssessment | None:
    """The file's assessment with its failures, or None. Call with a submission from a scoped
    selector (the CPS sees only submitted files, so only their assessments)."""
    failures = AssessmentFailure.objects.select_related("responded_by", "decided_by").order_by("code", "id")
    return (
        CpsAssessment.objects.filter(submission=submission)
        .select_related("assessed_by")
        .prefetch_related(Prefetch("failures", queryset=failures))
        .first()
    )


def failure_get(*, submission: FileSubmission, public_id: uuid.UUID | str) -> AssessmentFailure:
    try:
        return AssessmentFailure.objects.select_related("assessment__submission__case").get(
            assessment__submission=submission, public_id=public_id
        )
    except (AssessmentFailure.DoesNotExist, ValueError, ValidationError) as exc:
        raise Http404(CASE_NOT_FOUND) from exc


# ---------------------------------------------------------------------------------------------
# Writes


def _clean_failures(errors: dict[str, str], failures: Sequence[FailureDetails]) -> None:
    codes = [f.code.strip().upper() for f in failures]
    unknown = sorted({c for c in codes if c not in FAILURE_CODES})
    repeated = sorted(code for code, n in Counter(codes).items() if n > 1)
    if unknown:
        errors["failures"] = CODE_UNKNOWN.format(codes=", ".join(unknown))
    elif repeated:
        errors["failures"] = CODE_REPEATED.format(codes=", ".join(repeated))


@transaction.atomic(durable=True)
def assessment_record(
    *,
    submission: FileSubmission,
    met_standard: bool | None,
    notes: str = "",
    failures: Sequence[FailureDetails] = (),
    by: User,
) -> CpsAssessment:
    """A CPS lawyer or paralegal records whether the submitted file met the National File Standard
    and, if not, why — in the failure codes both sides use (domain.md 7.2)."""
    require_perm(by, "files.assess_file", submission.case)
    submission = FileSubmission.objects.select_for_update().select_related("case").get(pk=submission.pk)
    if submission.status != SubmissionStatus.SUBMITTED:
        raise_if({"__all__": NOT_SUBMITTED})
    if CpsAssessment.objects.filter(submission=submission).exists():
        raise_if({"__all__": ALREADY_ASSESSED})
    errors: dict[str, str] = {}
    if met_standard is None:
        errors["met_standard"] = MET_REQUIRED
    elif met_standard and failures:
        errors["failures"] = FAILURES_WHEN_MET
    elif not met_standard and not failures:
        errors["failures"] = FAILURES_REQUIRED
    else:
        _clean_failures(errors, failures)
    raise_if(errors)
    assert met_standard is not None
    assessment = CpsAssessment.objects.create(
        submission=submission, met_standard=met_standard, notes=notes.strip(), assessed_by=by
    )
    AssessmentFailure.objects.bulk_create(
        [AssessmentFailure(assessment=assessment, code=f.code.strip().upper(), note=f.note.strip()) for f in failures]
    )
    codes = sorted(f.code.strip().upper() for f in failures)
    audit_record(
        by=by,
        event_type=AuditEventType.FILE_ASSESSED,
        obj=assessment,
        case_id=submission.case.public_id,
        summary="File met the National File Standard"
        if met_standard
        else f"File did not meet the National File Standard: {', '.join(codes)}",
        data={"submission": str(submission.public_id), "met_standard": met_standard, "failures": codes},
    )
    # The metrics (first-time acceptance, failure reasons) and the deadlines read the assessment.
    notify_case_changed(submission.case)
    return assessment


def _locked_failure(failure: AssessmentFailure) -> AssessmentFailure:
    return (
        AssessmentFailure.objects.select_for_update().select_related("assessment__submission__case").get(pk=failure.pk)
    )


@transaction.atomic(durable=True)
def failure_respond(*, failure: AssessmentFailure, response: str, note: str = "", by: User) -> AssessmentFailure:
    """The police accept a failure, or dispute it with a reason. Each failure is answered once."""
    case = failure.assessment.submission.case
    require_perm(by, "files.respond_to_failure", case)
    failure = _locked_failure(failure)
    if failure.response:
        raise_if({"__all__": ALREADY_RESPONDED})
    errors: dict[str, str] = {}
    if response not in {FailureResponse.ACCEPTED, FailureResponse.DISPUTED}:
        errors["response"] = RESPONSE_REQUIRED
    elif response == FailureResponse.DISPUTED and not note.strip():
        errors["note"] = DISPUTE_REASON_REQUIRED
    raise_if(errors)
    failure.response = response
    failure.response_note = note.strip()
    failure.responded_by = by
    failure.responded_at = timezone.now()
    failure.save(update_fields=["response", "response_note", "responded_by", "responded_at"])
    audit_record(
        by=by,
        event_type=AuditEventType.FAILURE_RESPONDED,
        obj=failure,
        case_id=case.public_id,
        summary=f"{failure.code} {FailureResponse(response).label.lower()}",
        data={"code": failure.code, "response": response, "note": failure.response_note},
    )
    notify_case_changed(case)
    return failure


@transaction.atomic(durable=True)
def dispute_decide(*, failure: AssessmentFailure, outcome: str, note: str, by: User) -> AssessmentFailure:
    """A CPS legal manager upholds or overturns a failure the police disputed, saying why."""
    case = failure.assessment.submission.case
    require_perm(by, "files.decide_dispute", case)
    failure = _locked_failure(failure)
    if failure.response == FailureResponse.PENDING:
        raise_if({"__all__": NOT_DISPUTED_YET})
    if failure.response != FailureResponse.DISPUTED:
        raise_if({"__all__": NOT_DISPUTED_ACCEPTED})
    if failure.dispute_outcome:
        raise_if({"__all__": ALREADY_DECIDED})
    errors: dict[str, str] = {}
    if outcome not in {DisputeOutcome.UPHELD, DisputeOutcome.OVERTURNED}:
        errors["outcome"] = OUTCOME_REQUIRED
    if not note.strip():
        errors["note"] = DECISION_NOTE_REQUIRED
    raise_if(errors)
    failure.dispute_outcome = outcome
    failure.dispute_note = note.strip()
    failure.decided_by = by
    failure.decided_at = timezone.now()
    failure.save(update_fields=["dispute_outcome", "dispute_note", "decided_by", "decided_at"])
    audit_record(
        by=by,
        event_type=AuditEventType.DISPUTE_DECIDED,
        obj=failure,
        case_id=case.public_id,
        summary=f"{failure.code}: {DisputeOutcome(outcome).label}",
        data={"code": failure.code, "outcome": outcome, "note": failure.dispute_note},
    )
    notify_case_changed(case)
    return failure
