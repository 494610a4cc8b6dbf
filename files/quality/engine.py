"""Running the quality rules for a file submission and keeping the reports.

A report is stored only when its inputs changed: ``inputs_digest`` covers the facts, the thresholds
and the rule-set version, and the facts include the day the file is judged on (time limits move with
the calendar), so a draft's report is at most a day stale even when nothing is touched.

Two paths keep a draft's report current: the background task (``files.tasks_quality``), queued with
a debounce when the case's material changes, and ``current_report`` on the pages — which recomputes
when the inputs differ from the latest report's, so a page is right even if the task has not run.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, fields
from datetime import date
from functools import cache
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from ..choices import SubmissionStatus
from ..models import FileSubmission, QualityReport
from .facts import gather, inputs_digest
from .prepared import Statement
from .prepared import execute as execute_prepared
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
    """The findings for the file as the case stands now (the case row is re-read with the rest of the facts:
    its flags and officer in case may have changed since ``submission.case`` was loaded)."""
    limits = thresholds()
    facts = gather(
        case_id=submission.case_id,
        submission_id=None,
        stage=submission.stage,
        anticipated_plea=submission.anticipated_plea,
        as_of=as_of or timezone.localdate(),
    ).facts
    return Evaluation(facts=facts, findings=evaluate(facts, limits), digest=inputs_digest(facts, limits))


def store_report(submission: FileSubmission, evaluation: Evaluation, *, on_submission: bool = False) -> QualityReport:
    report = _insert_report(
        submission_id=submission.pk,
        digest=evaluation.digest,
        findings=evaluation.findings,
        on_submission=on_submission,
    )
    report.submission = submission
    return report


# The report's columns, in the order of the INSERT's parameters, and their types.
_REPORT_COLUMNS = (
    ("public_id", "uuid"),
    ("submission_id", "bigint"),
    ("ruleset_version", "text"),
    ("inputs_digest", "text"),
    ("findings", "jsonb"),
    ("blocking_count", "integer"),
    ("advisory_count", "integer"),
    ("on_submission", "boolean"),
    ("created_at", "timestamptz"),
)


@cache
def _insert_statement() -> Statement:
    table = connection.ops.quote_name(QualityReport._meta.db_table)
    columns = ", ".join(name for name, _ in _REPORT_COLUMNS)
    values = ", ".join(f"${n}" for n in range(1, len(_REPORT_COLUMNS) + 1))
    sql = f"INSERT INTO {table} ({columns}) VALUES ({values}) RETURNING id"  # noqa: S608 - names from the model
    return Statement("quality_report_insert", sql, tuple(kind for _, kind in _REPORT_COLUMNS))


def _insert_report(*, submission_id: int, digest: str, findings: list[Finding], on_submission: bool) -> QualityReport:
    """Store a report: one prepared INSERT, and the model instance made from the values it wrote (what
    ``QualityReport.objects.create`` gives, without building and compiling the query each time: that was a
    fifth of a check's Python time)."""
    blocking, advisory = counts(findings)
    items = [f.as_dict() for f in findings]
    values: dict[str, Any] = {
        "public_id": uuid.uuid4(),
        "submission_id": submission_id,
        "ruleset_version": RULESET_VERSION,
        "inputs_digest": digest,
        "findings": items,
        "blocking_count": blocking,
        "advisory_count": advisory,
        "on_submission": on_submission,
        "created_at": timezone.now(),
    }
    sent = {**values, "public_id": str(values["public_id"]), "findings": json.dumps(items)}
    with connection.cursor() as cursor:
        execute_prepared(cursor, _insert_statement(), [sent[name] for name, _ in _REPORT_COLUMNS])
        row = cursor.fetchone()
    assert row is not None  # INSERT ... RETURNING gives the row it inserted
    values["id"] = row[0]
    names = [f.attname for f in QualityReport._meta.concrete_fields]
    return QualityReport.from_db(connection.alias, names, [values[name] for name in names])


def latest_report(submission: FileSubmission) -> QualityReport | None:
    return QualityReport.objects.filter(submission=submission).order_by("-created_at", "-id").first()


def report_findings(report: QualityReport) -> list[Finding]:
    return [Finding.from_dict(item) for item in report.findings or []]


@cache
def _lock_statement() -> Statement:
    """Lock a submission row and read what the check needs of it (prepared: it runs once per check)."""
    table = connection.ops.quote_name(FileSubmission._meta.db_table)
    sql = f"SELECT status, case_id, stage, anticipated_plea FROM {table} WHERE id = $1 FOR UPDATE"  # noqa: S608
    return Statement("quality_lock", sql, ("bigint",))


# Asynchronous commit for the check's own transaction. Its commit no longer waits for the WAL to reach the disk
# (the lock alone makes it a writing transaction): that wait was 6-7 ms of a check's ~15 ms on this machine.
# What a server crash may then lose is the last few hundred milliseconds of committed transactions
# (3 x wal_writer_delay at most), never their consistency: here, a quality report. That is acceptable because a
# report is recomputable from the file: the check is idempotent, re-runs on any change of the case's material,
# and a page recomputes a draft's report whenever its inputs differ from the latest one's (``current_report``).
# Only when the check's transaction is the outermost one: inside a caller's transaction, SET LOCAL would weaken
# the caller's writes too.
ASYNC_COMMIT = "SET LOCAL synchronous_commit TO OFF; "


def refresh_report(submission_id: int) -> QualityReport | None:
    """Store a new report for a draft if its inputs changed since the latest one; return it, or
    None when nothing was stored (not a draft, gone, or unchanged). Safe to run any number of times
    and concurrently: the submission row is locked, so two runs cannot both store the same report.

    Round trips: the lock, then one statement for the case's facts and the latest report's digest (read after
    the lock is held, so a run that waited sees the report of the run it waited for), then the report when the
    digest differs. The rules run only then: an unchanged file costs the facts and their digest."""
    before = ASYNC_COMMIT if not connection.in_atomic_block else ""
    with transaction.atomic():
        with connection.cursor() as cursor:
            execute_prepared(cursor, _lock_statement(), [submission_id], before=before)
            row = cursor.fetchone()
        if row is None or row[0] != SubmissionStatus.DRAFT:
            return None
        _, case_id, stage, anticipated_plea = row
        limits = thresholds()
        gathered = gather(
            case_id=case_id,
            submission_id=submission_id,
            stage=stage,
            anticipated_plea=anticipated_plea,
            as_of=timezone.localdate(),
        )
        digest = inputs_digest(gathered.facts, limits)
        if digest == gathered.latest_digest:
            return None
        findings = evaluate(gathered.facts, limits)
        return _insert_report(submission_id=submission_id, digest=digest, findings=findings, on_submission=False)


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
