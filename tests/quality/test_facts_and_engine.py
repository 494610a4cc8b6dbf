"""Gathering a file's facts from the database (only clean versions count, and only the latest
clean one; a fixed number of queries), and keeping the reports (a new one only when the inputs
changed)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import User
from casework import services as cs
from casework.choices import CustodyEventKind, WitnessVulnerability
from casework.models import Case, Witness
from files.choices import AnticipatedPlea, DocumentKind, FileStage, RedactionStatus, ScanStatus, Schedule
from files.models import FileSubmission, QualityReport, UnusedItem
from files.quality.engine import current_report, evaluate_submission, refresh_report, report_findings, thresholds
from files.quality.facts import QUERY_BUDGET, gather_facts, inputs_digest
from files.quality.rules import Thresholds
from files.tasks_quality import run_quality_checks

from .conftest import GapCase, add_document, add_exhibit, add_version

pytestmark = pytest.mark.django_db


def facts(case: Case, stage: str = FileStage.FIRST_HEARING_GAP) -> Any:
    case.refresh_from_db()
    return gather_facts(case=case, stage=stage, anticipated_plea=AnticipatedPlea.GUILTY, as_of=timezone.localdate())


def draft(case: Case, by: User, stage: str = FileStage.FIRST_HEARING_GAP) -> FileSubmission:
    return FileSubmission.objects.create(case=case, stage=stage, anticipated_plea=AnticipatedPlea.GUILTY, created_by=by)


# -- facts ---------------------------------------------------------------------------------------


def test_facts_describe_the_case(gap_case: GapCase) -> None:
    f = facts(gap_case.case)
    assert f.case_id == str(gap_case.case.public_id)
    assert [(s.name, s.custody_status) for s in f.suspects] == [("John SMITH", CustodyEventKind.CHARGED_AND_BAILED)]
    assert [(o.code, o.mode_of_trial, o.suspect_id) for o in f.offences] == [
        ("TH68001", "either_way", str(gap_case.suspect.public_id))
    ]
    assert [(w.is_key, w.has_dates_to_avoid) for w in f.witnesses] == [(True, True)]
    assert f.mg5 is not None
    assert (f.mg5.has_summary, f.mg5.certified, f.mg5.interview_summary_words) == (True, True, 6)
    assert f.points[0].document_ids == (str(gap_case.statement.public_id),)
    statement = next(d for d in f.documents if d.kind == DocumentKind.MG11)
    assert statement.witness_id == str(gap_case.witness.public_id)
    assert f.has_officer_in_case
    assert not f.cps_decision_sought


def test_only_the_latest_clean_version_of_each_document_counts(gap_case: GapCase, officer_a: User) -> None:
    add_version(gap_case.statement, officer_a)  # v2 clean
    add_version(gap_case.statement, officer_a, scan_status=ScanStatus.PENDING)  # v3 waiting
    never_clean = add_document(gap_case.case, DocumentKind.CCTV, officer_a, scan_status=ScanStatus.INFECTED)
    f = facts(gap_case.case)
    statement = next(d for d in f.documents if d.id == str(gap_case.statement.public_id))
    assert statement.version_number == 2
    assert str(never_clean.public_id) not in {d.id for d in f.documents}
    assert {(u.document_id, u.scan_status, u.newest_number, u.clean_number) for u in f.unclean_uploads} == {
        (str(gap_case.statement.public_id), ScanStatus.PENDING, 3, 2),
        (str(never_clean.public_id), ScanStatus.INFECTED, 1, None),
    }


def test_links_are_public_ids(gap_case: GapCase, officer_a: User, disclosure_a: User) -> None:
    photo = add_document(gap_case.case, DocumentKind.PHOTOGRAPH, officer_a)
    exhibit = add_exhibit(gap_case.case, officer_a, documents=[photo])
    gap_case.point.evidence_exhibits.add(exhibit)
    redacted = add_document(gap_case.case, DocumentKind.OTHER, officer_a, redaction_status=RedactionStatus.REDACTED)
    UnusedItem.objects.create(
        case=gap_case.case,
        schedule=Schedule.MG6C,
        item_number=1,
        description="999 call log",
        location="Control room",
        rebuttable_presumption=True,
        document=redacted,
        created_by=disclosure_a,
    )
    f = facts(gap_case.case)
    assert f.exhibits[0].document_ids == (str(photo.public_id),)
    assert f.points[0].exhibit_ids == (str(exhibit.public_id),)
    assert [(u.rebuttable_presumption, u.document_id) for u in f.unused_items] == [(True, str(redacted.public_id))]


def test_a_submitted_pre_charge_file_means_the_cps_was_asked_to_charge(gap_case: GapCase, officer_a: User) -> None:
    FileSubmission.objects.create(
        case=gap_case.case, stage=FileStage.PRE_CHARGE_FCT, status="submitted", created_by=officer_a
    )
    assert facts(gap_case.case).cps_decision_sought


def _grow(gap_case: GapCase, officer_a: User, disclosure_a: User, n: int) -> None:
    case = gap_case.case
    for i in range(n):
        suspect = cs.suspect_add(case=case, details=cs.SuspectDetails(first_names=f"S{i}", last_name="X"), by=officer_a)
        offence = cs.offence_add(
            case=case,
            details=cs.OffenceDetails(suspect=suspect, code="CJ88001", committed_on=date(2026, 1, 1)),
            by=officer_a,
        )
        cs.custody_event_record(
            suspect=suspect,
            details=cs.CustodyDetails(kind=CustodyEventKind.RELEASED_UNDER_INVESTIGATION, occurred_at=timezone.now()),
            by=officer_a,
        )
        witness = cs.witness_add(
            case=case,
            details=cs.WitnessDetails(
                first_names=f"W{i}", last_name="Y", vulnerability=WitnessVulnerability.VULNERABLE
            ),
            by=officer_a,
        )
        cs.victim_add(case=case, details=cs.VictimDetails(first_names=f"V{i}", last_name="Z"), by=officer_a)
        document = add_document(case, DocumentKind.MG11, officer_a, witness=witness)
        add_version(document, officer_a)
        add_exhibit(case, officer_a, reference=f"XY/{i + 1}", documents=[document])
        UnusedItem.objects.create(
            case=case,
            schedule=Schedule.MG6D,
            item_number=i + 1,
            description="x",
            location="y",
            created_by=disclosure_a,
        )
        point = gap_case.point.__class__.objects.create(case=case, offence=offence, text=f"Point {i}")
        point.evidence_documents.add(document)


def test_gathering_makes_the_same_few_queries_however_big_the_case(
    gap_case: GapCase, officer_a: User, disclosure_a: User
) -> None:
    case = gap_case.case
    with CaptureQueriesContext(connection) as small:
        facts_small = gather_facts(case=case, stage="first_hearing_gap", anticipated_plea="guilty", as_of=date.today())
    _grow(gap_case, officer_a, disclosure_a, 6)
    case.refresh_from_db()
    with CaptureQueriesContext(connection) as big:
        facts_big = gather_facts(case=case, stage="first_hearing_gap", anticipated_plea="guilty", as_of=date.today())
    assert len(facts_big.documents) == len(facts_small.documents) + 6
    assert len(big.captured_queries) == len(small.captured_queries) <= QUERY_BUDGET


# -- reports -------------------------------------------------------------------------------------


def test_the_check_stores_a_report_only_when_the_inputs_changed(gap_case: GapCase, officer_a: User) -> None:
    submission = draft(gap_case.case, officer_a)
    first = refresh_report(submission.pk)
    assert first is not None
    assert first.blocking_count == 0
    assert refresh_report(submission.pk) is None  # nothing changed
    assert run_quality_checks(submission.pk) == "unchanged"
    gap_case.pnc_print.delete()
    assert run_quality_checks(submission.pk) == "stored"
    latest = QualityReport.objects.filter(submission=submission).order_by("-created_at", "-id").first()
    assert latest is not None
    assert (latest.blocking_count, latest.ruleset_version) == (1, "2026.1")
    assert [f.fq_code for f in report_findings(latest) if f.blocking] == ["FQ18"]
    assert QualityReport.objects.filter(submission=submission).count() == 2


def test_the_check_leaves_submitted_and_missing_files_alone(gap_case: GapCase, officer_a: User) -> None:
    submission = draft(gap_case.case, officer_a)
    FileSubmission.objects.filter(pk=submission.pk).update(status="submitted")
    assert run_quality_checks(submission.pk) == "unchanged"
    assert run_quality_checks(987654321) == "unchanged"
    assert not QualityReport.objects.exists()


def test_a_page_recomputes_a_stale_report(gap_case: GapCase, officer_a: User) -> None:
    submission = draft(gap_case.case, officer_a)
    before = current_report(submission)
    assert before is not None
    assert before.blocking_count == 0
    # The background check never ran (nobody called request_quality_check): the page still sees it.
    cs.witness_add(
        case=gap_case.case,
        details=cs.WitnessDetails(first_names="Vee", last_name="Eye", vulnerability=WitnessVulnerability.INTIMIDATED),
        by=officer_a,
    )
    gap_case.case.mg5.delete()
    after = current_report(submission)
    assert after is not None
    assert after.pk != before.pk
    assert after.blocking_count == 2
    assert current_report(submission) == after  # and not again while nothing changes


def test_time_passing_changes_the_digest(gap_case: GapCase, officer_a: User) -> None:
    submission = draft(gap_case.case, officer_a)
    with time_machine.travel(timezone.now(), tick=False):
        today = evaluate_submission(submission).digest
        assert evaluate_submission(submission).digest == today
    with time_machine.travel(timezone.now() + timedelta(days=1), tick=False):
        assert evaluate_submission(submission).digest != today


def test_thresholds_come_from_settings(gap_case: GapCase, settings: Any) -> None:
    settings.FILES_QUALITY_THRESHOLDS = {"time_limit_warning_days": 60, "unknown": 1}
    assert thresholds() == Thresholds(time_limit_warning_days=60)
    f = gather_facts(case=gap_case.case, stage="early_advice", anticipated_plea="unknown", as_of=date.today())
    assert inputs_digest(f, Thresholds()) != inputs_digest(f, Thresholds(time_limit_warning_days=60))


def test_a_witness_may_have_no_dates_to_avoid(gap_case: GapCase, officer_a: User) -> None:
    witness = cs.witness_add(
        case=gap_case.case, details=cs.WitnessDetails(first_names="No", last_name="Dates"), by=officer_a
    )
    ngap = "first_hearing_ngap"
    assert "mg10.dates_to_avoid" in {
        f.rule_id for f in evaluate_submission(draft(gap_case.case, officer_a, ngap)).findings
    }
    Witness.objects.filter(pk=witness.pk).update(no_dates_to_avoid=True)
    gap_case.case.refresh_from_db()
    submission = FileSubmission.objects.get(stage=ngap)
    assert "mg10.dates_to_avoid" not in {f.rule_id for f in evaluate_submission(submission).findings}
