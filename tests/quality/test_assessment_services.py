"""The CPS assessment of a submitted file, the police response to each failure, and the CPS legal
manager's decision on a dispute: every rule, permission and out-of-order step."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.choices import AuditEventType
from accounts.models import AuditEvent, User
from files.choices import AnticipatedPlea, DisputeOutcome, FailureResponse, FileStage
from files.models import AssessmentFailure, CpsAssessment, FileSubmission
from files.services import assessment as service
from files.services import submissions

from .conftest import GapCase

pytestmark = pytest.mark.django_db

FQ = service.FailureDetails


@pytest.fixture
def submitted(gap_case: GapCase, officer_a: User) -> FileSubmission:
    draft = submissions.submission_start(
        case=gap_case.case, stage=FileStage.FIRST_HEARING_GAP, anticipated_plea=AnticipatedPlea.GUILTY, by=officer_a
    )
    submission = submissions.submission_submit(submission=draft, by=officer_a)
    submission.case.refresh_from_db()  # now sent to the CPS
    return submission


@pytest.fixture
def failed(submitted: FileSubmission, lawyer_north: User) -> CpsAssessment:
    return service.assessment_record(
        submission=submitted,
        met_standard=False,
        notes="Returned at triage",
        failures=[FQ("FQ18", "No PNC print for the co-accused"), FQ("fq03", "Interview summary is a transcript")],
        by=lawyer_north,
    )


def failure(assessment: CpsAssessment, code: str) -> AssessmentFailure:
    return assessment.failures.get(code=code)


def errors(exc: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return exc.value.message_dict


def test_the_cps_records_that_a_file_met_the_standard(submitted: FileSubmission, paralegal_north: User) -> None:
    assessment = service.assessment_record(submission=submitted, met_standard=True, by=paralegal_north)
    assert (assessment.met_standard, assessment.failures.count()) == (True, 0)
    event = AuditEvent.objects.get(event_type=AuditEventType.FILE_ASSESSED)
    assert event.data == {"submission": str(submitted.public_id), "met_standard": True, "failures": []}


def test_a_failed_file_gets_failure_codes_with_notes(failed: CpsAssessment) -> None:
    assert [(f.code, f.note) for f in failed.failures.order_by("code")] == [
        ("FQ03", "Interview summary is a transcript"),
        ("FQ18", "No PNC print for the co-accused"),
    ]
    assert AuditEvent.objects.get(event_type=AuditEventType.FILE_ASSESSED).data["failures"] == ["FQ03", "FQ18"]


@pytest.mark.parametrize(
    ("met", "failures", "expected"),
    [
        (None, [], {"met_standard": [service.MET_REQUIRED]}),
        (False, [], {"failures": [service.FAILURES_REQUIRED]}),
        (True, [FQ("FQ01")], {"failures": [service.FAILURES_WHEN_MET]}),
        (False, [FQ("FQ99"), FQ("XX")], {"failures": [service.CODE_UNKNOWN.format(codes="FQ99, XX")]}),
        (False, [FQ("FQ01"), FQ("fq01")], {"failures": [service.CODE_REPEATED.format(codes="FQ01")]}),
    ],
)
def test_assessment_input_is_checked(
    submitted: FileSubmission, lawyer_north: User, met: bool | None, failures: list[Any], expected: Any
) -> None:
    with pytest.raises(ValidationError) as exc:
        service.assessment_record(submission=submitted, met_standard=met, failures=failures, by=lawyer_north)
    assert errors(exc) == expected
    assert not CpsAssessment.objects.exists()


def test_a_file_is_assessed_once(failed: CpsAssessment, lawyer_north: User) -> None:
    with pytest.raises(ValidationError) as exc:
        service.assessment_record(submission=failed.submission, met_standard=True, by=lawyer_north)
    assert errors(exc) == {"__all__": [service.ALREADY_ASSESSED]}


def test_a_draft_cannot_be_assessed(gap_case: GapCase, officer_a: User, lawyer_north: User) -> None:
    draft = submissions.submission_start(
        case=gap_case.case, stage=FileStage.FIRST_HEARING_GAP, anticipated_plea=AnticipatedPlea.GUILTY, by=officer_a
    )
    gap_case.case.sent_to_cps_at = gap_case.case.created_at
    gap_case.case.save(update_fields=["sent_to_cps_at"])
    draft.case.refresh_from_db()
    with pytest.raises(ValidationError) as exc:
        service.assessment_record(submission=draft, met_standard=True, by=lawyer_north)
    assert errors(exc) == {"__all__": [service.NOT_SUBMITTED]}


@pytest.mark.parametrize("who", ["officer_a", "manager_cps_north", "lawyer_south", "lawyer_cpsd"])
def test_only_a_cps_lawyer_or_paralegal_of_the_area_assesses(submitted: FileSubmission, who: str, request: Any) -> None:
    with pytest.raises(PermissionDenied):
        service.assessment_record(submission=submitted, met_standard=True, by=request.getfixturevalue(who))


def test_the_police_accept_a_failure(failed: CpsAssessment, officer_a: User) -> None:
    answered = service.failure_respond(failure=failure(failed, "FQ18"), response=FailureResponse.ACCEPTED, by=officer_a)
    assert (answered.response, answered.responded_by) == (FailureResponse.ACCEPTED, officer_a)
    assert AuditEvent.objects.get(event_type=AuditEventType.FAILURE_RESPONDED).data["response"] == "accepted"


def test_a_dispute_needs_a_reason(failed: CpsAssessment, officer_a: User) -> None:
    with pytest.raises(ValidationError) as exc:
        service.failure_respond(
            failure=failure(failed, "FQ18"), response=FailureResponse.DISPUTED, note=" ", by=officer_a
        )
    assert errors(exc) == {"note": [service.DISPUTE_REASON_REQUIRED]}
    with pytest.raises(ValidationError) as exc:
        service.failure_respond(failure=failure(failed, "FQ18"), response="maybe", by=officer_a)
    assert errors(exc) == {"response": [service.RESPONSE_REQUIRED]}


def test_each_failure_is_answered_once(failed: CpsAssessment, officer_a: User) -> None:
    service.failure_respond(failure=failure(failed, "FQ18"), response=FailureResponse.ACCEPTED, by=officer_a)
    with pytest.raises(ValidationError) as exc:
        service.failure_respond(
            failure=failure(failed, "FQ18"), response=FailureResponse.DISPUTED, note="Changed my mind", by=officer_a
        )
    assert errors(exc) == {"__all__": [service.ALREADY_RESPONDED]}


@pytest.mark.parametrize("who", ["lawyer_north", "officer_b", "manager_police_a"])
def test_only_the_owning_forces_case_builders_respond(failed: CpsAssessment, who: str, request: Any) -> None:
    with pytest.raises(PermissionDenied):
        service.failure_respond(
            failure=failure(failed, "FQ18"), response=FailureResponse.ACCEPTED, by=request.getfixturevalue(who)
        )


def test_a_legal_manager_decides_a_dispute(failed: CpsAssessment, officer_a: User, manager_cps_north: User) -> None:
    disputed = service.failure_respond(
        failure=failure(failed, "FQ18"),
        response=FailureResponse.DISPUTED,
        note="There is no co-accused",
        by=officer_a,
    )
    decided = service.dispute_decide(
        failure=disputed, outcome=DisputeOutcome.OVERTURNED, note="Agreed: one suspect only", by=manager_cps_north
    )
    assert (decided.dispute_outcome, decided.decided_by) == (DisputeOutcome.OVERTURNED, manager_cps_north)
    event = AuditEvent.objects.get(event_type=AuditEventType.DISPUTE_DECIDED)
    assert event.data == {"code": "FQ18", "outcome": "overturned", "note": "Agreed: one suspect only"}
    with pytest.raises(ValidationError) as exc:
        service.dispute_decide(failure=decided, outcome=DisputeOutcome.UPHELD, note="Again", by=manager_cps_north)
    assert errors(exc) == {"__all__": [service.ALREADY_DECIDED]}


def test_deciding_a_failure_that_was_not_disputed_is_refused(
    failed: CpsAssessment, officer_a: User, manager_cps_north: User
) -> None:
    with pytest.raises(ValidationError) as exc:
        service.dispute_decide(failure=failure(failed, "FQ18"), outcome="upheld", note="x", by=manager_cps_north)
    assert errors(exc) == {"__all__": [service.NOT_DISPUTED_YET]}
    accepted = service.failure_respond(failure=failure(failed, "FQ03"), response="accepted", by=officer_a)
    with pytest.raises(ValidationError) as exc:
        service.dispute_decide(failure=accepted, outcome="upheld", note="x", by=manager_cps_north)
    assert errors(exc) == {"__all__": [service.NOT_DISPUTED_ACCEPTED]}


def test_a_decision_needs_an_outcome_and_a_note(
    failed: CpsAssessment, officer_a: User, manager_cps_north: User
) -> None:
    disputed = service.failure_respond(failure=failure(failed, "FQ18"), response="disputed", note="No", by=officer_a)
    with pytest.raises(ValidationError) as exc:
        service.dispute_decide(failure=disputed, outcome="", note="", by=manager_cps_north)
    assert errors(exc) == {"outcome": [service.OUTCOME_REQUIRED], "note": [service.DECISION_NOTE_REQUIRED]}


@pytest.mark.parametrize("who", ["lawyer_north", "officer_a", "supervisor_a"])
def test_only_a_cps_legal_manager_decides(failed: CpsAssessment, officer_a: User, who: str, request: Any) -> None:
    disputed = service.failure_respond(failure=failure(failed, "FQ18"), response="disputed", note="No", by=officer_a)
    with pytest.raises(PermissionDenied):
        service.dispute_decide(failure=disputed, outcome="upheld", note="x", by=request.getfixturevalue(who))
