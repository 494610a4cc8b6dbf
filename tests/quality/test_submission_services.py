"""File submission services: starting a draft, the supervisor's override, submitting (and the
immutable record of what was sent), withdrawing, and the debounced background check."""

from __future__ import annotations

from typing import Any
from unittest import mock

import pytest
from django.apps import apps
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import InternalError, transaction
from django.utils import timezone

from accounts.choices import AuditEventType
from accounts.models import AuditEvent, User
from casework.models import Case
from files.choices import AnticipatedPlea, DocumentKind, FileStage, ScanStatus, Sensitivity, SubmissionStatus
from files.models import FileSubmission, QualityReport, SubmissionItem
from files.quality.engine import report_findings
from files.services import submissions as service

from .conftest import GapCase, add_document, add_version

pytestmark = pytest.mark.django_db

GAP = FileStage.FIRST_HEARING_GAP
GUILTY = AnticipatedPlea.GUILTY


def start(case: Case, by: User, stage: str = GAP, plea: str = GUILTY) -> FileSubmission:
    return service.submission_start(case=case, stage=stage, anticipated_plea=plea, by=by)


def messages_of(exc: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return exc.value.message_dict


# -- starting ------------------------------------------------------------------------------------


def test_an_officer_starts_a_draft_and_it_is_audited(case_a: Case, officer_a: User) -> None:
    submission = start(case_a, officer_a, FileStage.PRE_CHARGE_FCT, AnticipatedPlea.NOT_GUILTY)
    assert (submission.status, submission.stage, submission.created_by) == (
        SubmissionStatus.DRAFT,
        FileStage.PRE_CHARGE_FCT,
        officer_a,
    )
    event = AuditEvent.objects.get(event_type=AuditEventType.SUBMISSION_CREATED)
    assert event.case_id == case_a.public_id
    assert event.data == {"stage": FileStage.PRE_CHARGE_FCT, "anticipated_plea": AnticipatedPlea.NOT_GUILTY}


def test_one_draft_per_case_and_stage(case_a: Case, officer_a: User) -> None:
    start(case_a, officer_a)
    with pytest.raises(ValidationError) as exc:
        start(case_a, officer_a)
    assert messages_of(exc) == {"stage": [service.DRAFT_EXISTS.format(stage=FileStage(GAP).label)]}
    start(case_a, officer_a, FileStage.FIRST_HEARING_NGAP, AnticipatedPlea.NOT_GUILTY)  # another stage is fine


def test_a_withdrawn_draft_makes_room_for_a_new_one(case_a: Case, officer_a: User) -> None:
    service.submission_withdraw(submission=start(case_a, officer_a), by=officer_a)
    assert start(case_a, officer_a).status == SubmissionStatus.DRAFT


def test_a_gap_file_needs_an_anticipated_guilty_plea(case_a: Case, officer_a: User) -> None:
    with pytest.raises(ValidationError) as exc:
        start(case_a, officer_a, GAP, AnticipatedPlea.NOT_GUILTY)
    assert messages_of(exc) == {"anticipated_plea": [service.GAP_NEEDS_GUILTY_PLEA]}


def test_unknown_stage_and_plea_are_refused(case_a: Case, officer_a: User) -> None:
    with pytest.raises(ValidationError) as exc:
        start(case_a, officer_a, "breach", "maybe")
    assert messages_of(exc) == {"stage": [service.STAGE_REQUIRED], "anticipated_plea": [service.PLEA_REQUIRED]}


@pytest.mark.parametrize("who", ["manager_police_a", "lawyer_north", "officer_b"])
def test_only_the_owning_forces_case_builders_start_files(case_a: Case, who: str, request: Any) -> None:
    user = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        start(case_a, user)
    assert not FileSubmission.objects.exists()


# -- submitting ----------------------------------------------------------------------------------


def test_submit_is_blocked_when_mg5_missing(gap_case: GapCase, officer_a: User) -> None:
    gap_case.case.mg5.delete()
    submission = start(gap_case.case, officer_a)
    with pytest.raises(ValidationError) as exc:
        service.submission_submit(submission=submission, by=officer_a)
    assert messages_of(exc)["__all__"][0].startswith("The file cannot be submitted: 2 blocking problems")
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.DRAFT
    # Refusing leaves nothing behind: no report on submission, no items, no audit.
    assert not QualityReport.objects.filter(on_submission=True).exists()
    assert not SubmissionItem.objects.exists()
    assert not AuditEvent.objects.filter(event_type=AuditEventType.FILE_SUBMITTED).exists()


def test_a_ready_file_is_submitted_with_exactly_the_latest_clean_versions(gap_case: GapCase, officer_a: User) -> None:
    # A statement re-uploaded (v2 clean), a PNC print whose v2 is still being scanned, and a
    # document that never passed the scan.
    add_version(gap_case.statement, officer_a)
    add_version(gap_case.pnc_print, officer_a, scan_status=ScanStatus.PENDING)
    infected = add_document(gap_case.case, DocumentKind.OTHER, officer_a, scan_status=ScanStatus.INFECTED)
    submission = start(gap_case.case, officer_a)

    submission = service.submission_submit(submission=submission, by=officer_a)

    assert submission.status == SubmissionStatus.SUBMITTED
    assert (submission.submitted_by, submission.submitted_at is not None) == (officer_a, True)
    sent = {(i.version.document_id, i.version.number) for i in submission.items.select_related("version")}
    assert sent == {(gap_case.statement.pk, 2), (gap_case.pnc_print.pk, 1), (gap_case.mg6.pk, 1)}
    assert infected.pk not in {d for d, _ in sent}
    report = QualityReport.objects.get(submission=submission, on_submission=True)
    assert report.blocking_count == 0
    assert "material.unclean_upload" in {f.rule_id for f in report_findings(report)}
    event = AuditEvent.objects.get(event_type=AuditEventType.FILE_SUBMITTED)
    assert event.data["items"] == 3
    assert event.data["report"] == str(report.public_id)


def test_the_snapshot_records_what_was_sent_without_victim_contact_details(gap_case: GapCase, officer_a: User) -> None:
    submission = service.submission_submit(submission=start(gap_case.case, officer_a), by=officer_a)
    snapshot = submission.snapshot
    assert snapshot["ruleset_version"] == "2026.1"
    assert snapshot["stage"] == GAP
    assert [s["name"] for s in snapshot["suspects"]] == ["John SMITH"]
    assert [o["code"] for o in snapshot["offences"]] == ["TH68001"]
    assert snapshot["witnesses"][0]["dates_to_avoid"] == [
        {"from": "2030-08-01", "to": "2030-08-14", "reason": "Holiday"}
    ]
    assert snapshot["victims"][0]["name"] == "Mary JONES"
    assert "Secret Street" not in str(snapshot)
    assert not {"contact_details", "contact_preference"} & set(snapshot["victims"][0])
    assert snapshot["mg5"]["summary"].startswith("On the day")
    assert snapshot["points_to_prove"][0]["documents"] == [str(gap_case.statement.public_id)]
    sha = {d["id"]: d["sha256"] for d in snapshot["documents"]}
    assert sha[str(gap_case.statement.public_id)] == gap_case.statement.versions.get().sha256


def test_a_submitted_file_never_changes(gap_case: GapCase, officer_a: User, supervisor_a: User) -> None:
    submission = service.submission_submit(submission=start(gap_case.case, officer_a), by=officer_a)
    items_before = set(submission.items.values_list("version_id", flat=True))
    snapshot_before = submission.snapshot

    add_version(gap_case.statement, officer_a)  # a new clean version after submission
    add_document(gap_case.case, DocumentKind.MG7, officer_a)
    gap_case.case.mg5.delete()

    submission.refresh_from_db()
    assert set(submission.items.values_list("version_id", flat=True)) == items_before
    assert submission.snapshot == snapshot_before
    for attempt in (
        lambda: service.submission_submit(submission=submission, by=officer_a),
        lambda: service.submission_withdraw(submission=submission, by=officer_a),
        lambda: service.submission_override(submission=submission, reason="Because", by=supervisor_a),
    ):
        with pytest.raises(ValidationError) as exc:
            attempt()
        assert messages_of(exc) == {"__all__": [service.ALREADY_SUBMITTED]}
    assert QualityReport.objects.filter(submission=submission).count() == 1


def test_the_database_refuses_to_change_what_was_sent_and_history_records_the_submission(
    gap_case: GapCase, officer_a: User
) -> None:
    submission = service.submission_submit(submission=start(gap_case.case, officer_a), by=officer_a)
    sent = submission.snapshot

    # Past every service: the database itself keeps the snapshot of a submitted file.
    with pytest.raises(InternalError, match="submitted_snapshot_kept"), transaction.atomic():
        FileSubmission.objects.filter(pk=submission.pk).update(snapshot={"suspects": []})
    FileSubmission.objects.filter(pk=submission.pk).update(override_reason="Noted")  # other columns may change
    submission.refresh_from_db()
    assert submission.snapshot == sent

    # The history has the draft and its submission (the snapshot is in the row, not copied into each event).
    events = apps.get_model("files", "FileSubmissionEvent").objects.filter(pgh_obj=submission).order_by("pgh_id")
    assert [e.status for e in events][:2] == [SubmissionStatus.DRAFT, SubmissionStatus.SUBMITTED]
    assert not hasattr(events.first(), "snapshot")


def test_a_withdrawn_file_cannot_be_submitted(case_a: Case, officer_a: User) -> None:
    submission = service.submission_withdraw(submission=start(case_a, officer_a), by=officer_a)
    with pytest.raises(ValidationError) as exc:
        service.submission_submit(submission=submission, by=officer_a)
    assert messages_of(exc) == {"__all__": [service.ALREADY_WITHDRAWN]}


def test_submitting_a_first_hearing_file_sends_the_case_to_the_cps(gap_case: GapCase, officer_a: User) -> None:
    assert gap_case.case.sent_to_cps_at is None
    submission = service.submission_submit(submission=start(gap_case.case, officer_a), by=officer_a)
    gap_case.case.refresh_from_db()
    assert gap_case.case.sent_to_cps_at is not None
    assert AuditEvent.objects.get(event_type=AuditEventType.FILE_SUBMITTED, object_id=str(submission.public_id)).data[
        "sent_to_cps"
    ]


def test_submitting_a_pre_charge_file_does_not_send_the_case(case_a: Case, officer_a: User) -> None:
    submission = start(case_a, officer_a, FileStage.EARLY_ADVICE, AnticipatedPlea.UNKNOWN)
    service.submission_submit(submission=submission, by=officer_a)
    case_a.refresh_from_db()
    assert case_a.sent_to_cps_at is None


def test_a_cps_lawyer_cannot_submit(gap_case: GapCase, officer_a: User, lawyer_north: User) -> None:
    submission = start(gap_case.case, officer_a)
    with pytest.raises(PermissionDenied):
        service.submission_submit(submission=submission, by=lawyer_north)


# -- the supervisor's override -------------------------------------------------------------------


def test_a_supervisor_overrides_blocking_problems_with_a_reason(
    gap_case: GapCase, officer_a: User, supervisor_a: User
) -> None:
    gap_case.pnc_print.delete()
    submission = start(gap_case.case, officer_a)
    service.submission_override(submission=submission, reason="PNC down; print to follow today", by=supervisor_a)
    event = AuditEvent.objects.get(event_type=AuditEventType.QUALITY_OVERRIDDEN)
    assert event.data["fq_codes"] == ["FQ18"]
    assert event.data["reason"] == "PNC down; print to follow today"

    submission = service.submission_submit(submission=submission, by=officer_a)
    assert submission.status == SubmissionStatus.SUBMITTED
    assert submission.snapshot["override"]["reason"] == "PNC down; print to follow today"
    submitted = AuditEvent.objects.get(event_type=AuditEventType.FILE_SUBMITTED)
    assert submitted.data["blocking"] == 1


def test_the_override_covers_only_the_problems_it_saw(gap_case: GapCase, officer_a: User, supervisor_a: User) -> None:
    gap_case.pnc_print.delete()
    submission = start(gap_case.case, officer_a)
    service.submission_override(submission=submission, reason="PNC print to follow", by=supervisor_a)
    gap_case.case.mg5.delete()  # a new blocking problem after the override
    with pytest.raises(ValidationError) as exc:
        service.submission_submit(submission=submission, by=officer_a)
    assert messages_of(exc)["__all__"][0].startswith("The file cannot be submitted: 2 blocking problems appeared")


def test_only_a_supervisor_overrides(gap_case: GapCase, officer_a: User) -> None:
    gap_case.pnc_print.delete()
    submission = start(gap_case.case, officer_a)
    with pytest.raises(PermissionDenied):
        service.submission_override(submission=submission, reason="Because", by=officer_a)


def test_an_override_needs_a_reason_and_something_to_override(
    gap_case: GapCase, officer_a: User, supervisor_a: User
) -> None:
    submission = start(gap_case.case, officer_a)
    with pytest.raises(ValidationError) as exc:
        service.submission_override(submission=submission, reason="  ", by=supervisor_a)
    assert messages_of(exc) == {"reason": [service.OVERRIDE_REASON_REQUIRED]}
    with pytest.raises(ValidationError) as exc:
        service.submission_override(submission=submission, reason="Just in case", by=supervisor_a)
    assert messages_of(exc) == {"__all__": [service.NOTHING_TO_OVERRIDE]}


# -- reads ---------------------------------------------------------------------------------------


def test_the_cps_sees_only_submitted_files(
    gap_case: GapCase, officer_a: User, lawyer_north: User, supervisor_a: User
) -> None:
    draft = start(gap_case.case, officer_a, FileStage.PRE_CHARGE_FCT, AnticipatedPlea.GUILTY)
    submitted = service.submission_submit(submission=start(gap_case.case, officer_a), by=officer_a)
    gap_case.case.refresh_from_db()
    assert list(service.submission_list_visible_to(user=lawyer_north, case=gap_case.case)) == [submitted]
    assert set(service.submission_list_visible_to(user=supervisor_a, case=gap_case.case)) == {draft, submitted}
    with pytest.raises(Exception, match="No case found"):
        service.submission_get_visible_to(user=lawyer_north, case=gap_case.case, public_id=draft.public_id)
    with pytest.raises(Exception, match="No case found"):
        service.submission_get_visible_to(user=lawyer_north, case=gap_case.case, public_id="not-a-uuid")


# -- the debounced background check --------------------------------------------------------------


def test_request_quality_check_enqueues_once_per_draft_for_a_burst(
    case_a: Case, officer_a: User, django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    settings.FILES_QUALITY_DEBOUNCE_SECONDS = 7
    cache.clear()
    draft = start(case_a, officer_a, FileStage.PRE_CHARGE_FCT, AnticipatedPlea.GUILTY)
    start(case_a, officer_a, FileStage.EARLY_ADVICE, AnticipatedPlea.UNKNOWN)
    submitted = FileSubmission.objects.filter(stage=FileStage.EARLY_ADVICE)
    submitted.update(status=SubmissionStatus.SUBMITTED, submitted_at=timezone.now())
    with mock.patch("files.tasks_quality.run_quality_checks.apply_async") as send:
        for _ in range(5):  # a burst of changes
            with django_capture_on_commit_callbacks(execute=True):
                service.request_quality_check(case_a)
    send.assert_called_once_with(args=[draft.pk], countdown=8, queue=None)


def test_request_quality_check_waits_for_the_commit(
    case_a: Case, officer_a: User, django_capture_on_commit_callbacks: Any
) -> None:
    cache.clear()
    start(case_a, officer_a)
    with mock.patch("files.tasks_quality.run_quality_checks.apply_async") as send:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            service.request_quality_check(case_a)
        send.assert_not_called()
        assert len(callbacks) == 1


def test_starting_a_draft_queues_its_first_check(
    case_a: Case, officer_a: User, django_capture_on_commit_callbacks: Any
) -> None:
    with (
        mock.patch("files.tasks_quality.run_quality_checks.apply_async") as send,
        django_capture_on_commit_callbacks(execute=True),
    ):
        submission = start(case_a, officer_a)
    send.assert_called_once_with(args=[submission.pk], queue=None)


def test_sensitive_documents_go_with_the_file(gap_case: GapCase, officer_a: User, disclosure_a: User) -> None:
    sensitive = add_document(gap_case.case, DocumentKind.OTHER, disclosure_a, sensitivity=Sensitivity.SENSITIVE)
    submission = service.submission_submit(submission=start(gap_case.case, officer_a), by=officer_a)
    assert sensitive.versions.get().pk in set(submission.items.values_list("version_id", flat=True))
    assert any(d["sensitive"] for d in submission.snapshot["documents"])


def test_submitting_a_pre_charge_file_rechecks_the_cases_other_drafts(
    case_a: Case, officer_a: User, django_capture_on_commit_callbacks: Any
) -> None:
    cache.clear()
    pre_charge = start(case_a, officer_a, FileStage.EARLY_ADVICE, AnticipatedPlea.UNKNOWN)
    first_hearing = start(case_a, officer_a)
    with (
        mock.patch("files.tasks_quality.run_quality_checks.apply_async") as send,
        django_capture_on_commit_callbacks(execute=True),
    ):
        service.submission_submit(submission=pre_charge, by=officer_a)
    send.assert_called_once_with(args=[first_hearing.pk], countdown=6, queue=None)
