"""The quality check's hot path (``files.quality.engine.refresh_report``, the body of the Celery task): what it
sends to the database, how it commits, that it stays safe when two checks of one draft meet, and that the faster
digest, rule plan and report rows give exactly what the plain definitions give (so a deploy does not re-store a
report for every draft, and the synthetic data's digests still match)."""

# The case fixtures of tests/quality/conftest.py, imported here and used as test arguments.
# ruff: noqa: F811

from __future__ import annotations

import hashlib
import json
import threading
import time
import types
import typing
from dataclasses import asdict, fields, is_dataclass
from datetime import date
from typing import Any

import pytest
from django.db import DataError, connection, connections, transaction
from django.test.utils import CaptureQueriesContext
from hypothesis import given, settings
from hypothesis import strategies as st

from accounts.models import User
from files.models import FileSubmission, QualityReport
from files.quality import prepared
from files.quality.engine import refresh_report
from files.quality.facts import inputs_digest
from files.quality.rules import (
    _PLAIN_FACTS,
    RULES,
    RULESET_VERSION,
    FileFacts,
    Finding,
    Index,
    Thresholds,
    _finding,
    evaluate,
    sort_key,
)
from tests.quality.conftest import GapCase, case_a, gap_case, offence_codes  # noqa: F401
from tests.quality.test_rules_properties import files

pytestmark = pytest.mark.django_db


def draft(gap: GapCase, by: User) -> FileSubmission:
    return FileSubmission.objects.create(
        case=gap.case, stage="first_hearing_gap", anticipated_plea="guilty", created_by=by
    )


def statements(captured: CaptureQueriesContext) -> list[str]:
    """What the check sent, without the savepoints of the test's own transaction."""
    return [q["sql"] for q in captured.captured_queries if "SAVEPOINT" not in q["sql"]]


# -- round trips and commits ---------------------------------------------------------------------


def test_a_check_reads_a_draft_in_two_statements_and_writes_only_when_it_changed(
    gap_case: GapCase, officer_a: User
) -> None:
    submission = draft(gap_case, officer_a)
    with CaptureQueriesContext(connection) as changed:
        assert refresh_report(submission.pk) is not None
    with CaptureQueriesContext(connection) as unchanged:
        assert refresh_report(submission.pk) is None
    # The lock, then the case's facts with the latest report's digest, then the report.
    sent = statements(changed)
    assert len(sent) == 3, sent
    assert "FOR UPDATE" in sent[0] or "quality_lock" in sent[0]
    assert "INSERT" in sent[2] or "quality_report_insert" in sent[2]
    assert len(statements(unchanged)) == 2
    assert QualityReport.objects.filter(submission=submission).count() == 1


@pytest.mark.django_db(transaction=True)
def test_only_a_check_in_its_own_transaction_commits_asynchronously(gap_case: GapCase, officer_a: User) -> None:
    submission = draft(gap_case, officer_a)
    with CaptureQueriesContext(connection) as own:
        assert refresh_report(submission.pk) is not None
    sent = [sql for sql in statements(own) if sql not in ("BEGIN", "COMMIT")]
    assert "SET LOCAL synchronous_commit TO OFF" in sent[0]  # with the lock, in the same round trip
    gap_case.pnc_print.delete()
    # Inside a caller's transaction, the caller's writes keep their durability.
    with transaction.atomic(), CaptureQueriesContext(connection) as nested:
        assert refresh_report(submission.pk) is not None
        with connection.cursor() as cursor:
            cursor.execute("SHOW synchronous_commit")
            assert cursor.fetchone() == ("on",)
    assert not any("synchronous_commit TO OFF" in sql for sql in statements(nested))


@pytest.mark.django_db(transaction=True)
def test_a_check_that_waited_for_another_sees_its_report(gap_case: GapCase, officer_a: User) -> None:
    """The facts and the latest digest are read after the lock is granted, so a check that waited for another
    one of the same draft does not store the same report again."""
    submission = draft(gap_case, officer_a)
    first_stored, release = threading.Event(), threading.Event()
    results: dict[str, Any] = {}

    def first() -> None:
        try:
            with transaction.atomic():
                results["first"] = refresh_report(submission.pk)
                first_stored.set()
                release.wait(20)
        finally:
            connection.close()

    def second() -> None:
        try:
            first_stored.wait(20)
            results["second"] = refresh_report(submission.pk)
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    try:
        assert first_stored.wait(20)
        deadline = time.monotonic() + 20
        with connections["default"].cursor() as cursor:
            while True:  # until the second check waits for the first one's lock
                cursor.execute(
                    "SELECT count(*) FROM pg_stat_activity"
                    " WHERE datname = current_database() AND wait_event_type = 'Lock'"
                )
                row = cursor.fetchone()
                if row is not None and row[0] >= 1:
                    break
                assert time.monotonic() < deadline, "the second check never waited for the lock"
                time.sleep(0.02)
    finally:
        release.set()
        for thread in threads:
            thread.join(30)
    assert results["first"] is not None
    assert results["second"] is None
    assert QualityReport.objects.filter(submission=submission).count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_check_on_a_new_database_connection_prepares_its_statements_again(gap_case: GapCase, officer_a: User) -> None:
    submission = draft(gap_case, officer_a)
    assert refresh_report(submission.pk) is not None
    connection.close()  # a worker's connection is replaced every CELERY_DB_REUSE_MAX tasks
    gap_case.pnc_print.delete()
    with CaptureQueriesContext(connection) as again:
        report = refresh_report(submission.pk)
    assert report is not None
    assert [f["rule_id"] for f in report.findings] == ["pnc.print"]
    assert sum("PREPARE" in sql for sql in statements(again)) == 3


def test_a_statement_whose_first_run_failed_is_still_usable() -> None:
    """PREPARE outlives the rollback of a failed first run: the next run must neither prepare it twice (an error)
    nor assume it is there when it is not."""
    statement = prepared.Statement("test_first_run_fails", "SELECT $1::integer", ("text",))
    with connection.cursor() as cursor:
        with pytest.raises(DataError), transaction.atomic():
            prepared.execute(cursor, statement, ["not a number"])
        prepared.execute(cursor, statement, ["7"])
        assert cursor.fetchone() == (7,)


def test_the_report_a_check_returns_is_the_row_it_stored(gap_case: GapCase, officer_a: User) -> None:
    submission = draft(gap_case, officer_a)
    report = refresh_report(submission.pk)
    assert report is not None
    stored = QualityReport.objects.get(pk=report.pk)
    for f in QualityReport._meta.concrete_fields:
        assert getattr(report, f.attname) == getattr(stored, f.attname), f.name
    assert (report._state.adding, report._state.db) == (False, "default")
    assert report.ruleset_version == RULESET_VERSION
    assert report.submission == submission


# -- the faster forms give what the plain definitions give ----------------------------------------


def reference_digest(facts: FileFacts, thresholds: Thresholds) -> str:
    """``inputs_digest`` as first written: ``dataclasses.asdict``, each collection sorted by ``repr``."""
    data = asdict(facts)
    for name, value in data.items():
        if isinstance(value, (list, tuple)):
            data[name] = sorted(value, key=repr)
    payload = {"ruleset": RULESET_VERSION, "thresholds": asdict(thresholds), "facts": data}
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str, separators=(",", ":")).encode()).hexdigest()


def reference_evaluate(facts: FileFacts, thresholds: Thresholds) -> list[Finding]:
    """``evaluate`` as first written: every rule asked whether it applies at the file's stage."""
    ix = Index(facts, thresholds)
    found: dict[tuple[str, str], Finding] = {}
    for rule in RULES:
        severity = rule.stages.get(facts.stage)
        if severity is not None:
            for hit in rule.check(ix):
                finding = _finding(rule, severity, hit)
                found.setdefault((finding.key, finding.explanation), finding)
    return sorted(found.values(), key=sort_key)


@settings(max_examples=150, deadline=None)
@given(facts=files, warning_days=st.integers(0, 90))
def test_digest_findings_and_stored_findings_are_those_of_the_plain_definitions(
    facts: FileFacts, warning_days: int
) -> None:
    thresholds = Thresholds(time_limit_warning_days=warning_days)
    assert inputs_digest(facts, thresholds) == reference_digest(facts, thresholds)
    findings = evaluate(facts, thresholds)
    assert findings == reference_evaluate(facts, thresholds)
    assert [f.as_dict() for f in findings] == [asdict(f) for f in findings]


PLAIN = (str, int, bool, date, type(None))


def _is_plain(hint: Any) -> bool:
    if hint in PLAIN:
        return True
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        return all(_is_plain(a) for a in args)
    return origin is tuple and args == (str, ...)


def test_the_facts_the_digest_copies_shallowly_hold_only_plain_values() -> None:
    """``FileFacts.as_json`` takes a fact's ``__dict__`` as its ``asdict``: true only while no fact holds another."""
    for fact in _PLAIN_FACTS:
        hints = typing.get_type_hints(fact)
        assert all(_is_plain(hints[f.name]) for f in fields(fact)), fact.__name__
    for f in fields(FileFacts):
        hint = typing.get_type_hints(FileFacts)[f.name]
        for arg in (hint, *typing.get_args(hint)):
            if isinstance(arg, type) and is_dataclass(arg):
                assert arg in _PLAIN_FACTS, f"{arg.__name__} (FileFacts.{f.name}) must be in _PLAIN_FACTS"


def test_behind_a_transaction_pooler_the_check_sends_plain_statements(
    gap_case: GapCase, officer_a: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A transaction-pooling PgBouncer may give each transaction another server session, where a statement
    prepared in an earlier one does not exist: with DISABLE_SERVER_SIDE_CURSORS (what Django asks for behind such
    a pooler) nothing is prepared, and the check stores the same report."""
    submission = draft(gap_case, officer_a)
    prepared_report = refresh_report(submission.pk)
    assert prepared_report is not None
    QualityReport.objects.all().delete()
    monkeypatch.setitem(connection.settings_dict, "DISABLE_SERVER_SIDE_CURSORS", True)
    with CaptureQueriesContext(connection) as plain:
        report = refresh_report(submission.pk)
    assert report is not None
    assert not any("PREPARE" in sql or "EXECUTE" in sql for sql in statements(plain))
    assert (report.inputs_digest, report.findings) == (prepared_report.inputs_digest, prepared_report.findings)
