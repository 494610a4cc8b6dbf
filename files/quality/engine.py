"""Running the quality rules for a file submission and keeping the reports.

A report is stored only when its inputs changed: ``inputs_digest`` covers the facts, the thresholds
and the rule-set version, and the facts include the day the file is judged on (time limits move with
the calendar), so a draft's report is at most a day stale even when nothing is touched.

Two paths keep a draft's report current: the background task (``files.tasks_quality``), queued with
a debounce when the case's material changes, and ``current_report`` on the pages — which recomputes
when the inputs differ from the latest report's, so a page is right even if the task has not run.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from casework.models import Case

from ..choices import SubmissionStatus
from ..models import FileSubmission, QualityReport
from .facts import gather_facts, inputs_digest
from .rules import RULESET_VERSION, FileFacts, Finding, Thresholds, counts, evaluate


def thresholds() -> Thresholds:
    """The rule set's thresholds, with any overrides from ``settings.FILES_QUALITY_THRESHOLDS``
    (a dict of ``Thresholds`` field names)."""
    overrides: dict[str, Any] = dict(getattr(settings, "FILES_QUALITY_THRESHOLDS", {}) or {})
    known = {f.name for f in fields(Thresholds)}
    return Thresholds(**{key: value for key, value in overrides.items() if key in known})


@dataclass(frozen=True)
class Evaluation:
    facts: FileFacts
    findings: list[Finding]
    digest: str

    @property
    def blocking(self) -> list[Finding]:
        return [f for f in self.findings if f.blocking]


def evaluate_submission(submission: FileSubmission, *, as_of: date | None = None) -> Evaluation:
    """The findings for the file as the case stands now (the case row is re-read: its flags and
    officer in case may have changed since ``submission.case`` was loaded)."""
    limits = thresholds()
    # Only what the facts read of the case row: it also carries the search columns (names, document text).
    case = Case.objects.only("id", "public_id", "flags", "officer_in_case_id").get(pk=submission.case_id)
    facts = gather_facts(
        case=case,
        stage=submission.stage,
        anticipated_plea=submission.anticipated_plea,
        as_of=as_of or timezone.localdate(),
    )
    return Evaluation(facts=facts, findings=evaluate(facts, limits), digest=inputs_digest(facts, limits))


def store_report(submission: FileSubmission, evaluation: Evaluation, *, on_submission: bool = False) -> QualityReport:
    blocking, advisory = counts(evaluation.findings)
    return QualityReport.objects.create(
        submission=submission,
        ruleset_version=RULESET_VERSION,
        inputs_digest=evaluation.digest,
        findings=[f.as_dict() for f in evaluation.findings],
        blocking_count=blocking,
        advisory_count=advisory,
        on_submission=on_submission,
    )


def latest_report(submission: FileSubmission) -> QualityReport | None:
    return QualityReport.objects.filter(submission=submission).order_by("-created_at", "-id").first()


def report_findings(report: QualityReport) -> list[Finding]:
    return [Finding.from_dict(item) for item in report.findings or []]


@transaction.atomic
def refresh_report(submission_id: int) -> QualityReport | None:
    """Store a new report for a draft if its inputs changed since the latest one; return it, or
    None when nothing was stored (not a draft, gone, or unchanged). Safe to run any number of times
    and concurrently: the submission row is locked, so two runs cannot both store the same report."""
    submission = FileSubmission.objects.select_for_update().filter(pk=submission_id).first()
    if submission is None or submission.status != SubmissionStatus.DRAFT:
        return None
    evaluation = evaluate_submission(submission)
    # The digest is all that is compared: the latest report's findings are not read back.
    latest_digest = (
        QualityReport.objects.filter(submission=submission)
        .order_by("-created_at", "-id")
        .values_list("inputs_digest", flat=True)
        .first()
    )
    if latest_digest == evaluation.digest:
        return None
    return store_report(submission, evaluation)


def current_report(submission: FileSubmission) -> QualityReport | None:
    """The report a page shows. A draft's is brought up to date first (the fallback for when the
    background check has not run yet); a submitted file's is the one made on submission; a
    withdrawn draft keeps its last."""
    if submission.status == SubmissionStatus.DRAFT:
        refresh_report(submission.pk)
    elif submission.status == SubmissionStatus.SUBMITTED:
        on_submission = (
            QualityReport.objects.filter(submission=submission, on_submission=True)
            .order_by("-created_at", "-id")
            .first()
        )
        if on_submission is not None:
            return on_submission
    return latest_report(submission)
