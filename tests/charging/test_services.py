"""The charging services and the CPS queue: MG3 to charging decision (DG6, domain.md 2.2–2.5)."""

from __future__ import annotations

import threading
from datetime import date, timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from accounts.choices import AuditEventType
from accounts.models import AuditEvent, Organisation, Unit, User
from casework.choices import CaseStatus
from casework.models import Case, OffenceAllegation, OffenceCode
from casework.selectors import case_timeline
from charging import services as s
from charging.choices import ChargingCategory, DecisionOutcome, RequestStatus
from charging.choices import TestSought as CodeTest
from charging.models import ChargingDecision, ChargingRequest, DecisionCharge
from charging.selectors import charging_queue_for
from files.choices import FileStage, SubmissionStatus
from files.models import FileSubmission, QualityReport

from .builders import add_offence, make_case, mg3

pytestmark = pytest.mark.django_db


_case, _offence = make_case, add_offence


def _mg3(**overrides: Any) -> s.Mg3Details:
    return mg3(**{"outstanding_evidence": [{"what": "Medical statement", "target_date": "2026-03-01"}], **overrides})


@pytest.fixture
def case(officer_a: User, unit_a1: Unit, offence_codes: dict[str, OffenceCode]) -> Case:
    return _case("10/AA/12345/26", officer_a)


@pytest.fixture
def offence(case: Case, officer_a: User) -> OffenceAllegation:
    return _offence(case, officer_a)


def _to_allocated(case: Case, officer: User, supervisor: User, triage: User, lawyer: User) -> ChargingRequest:
    request = s.request_create(case=case, details=_mg3(), by=officer)
    request = s.request_submit(request=request, by=officer, expected_version=request.version)
    request = s.request_approve(request=request, by=supervisor, expected_version=request.version)
    request = s.request_accept(request=request, by=triage, expected_version=request.version)
    return s.request_allocate(request=request, by=lawyer, expected_version=request.version)


@pytest.fixture
def allocated(
    case: Case, offence: OffenceAllegation, officer_a: User, supervisor_a: User, paralegal_north: User,
    lawyer_north: User,
) -> ChargingRequest:  # fmt: skip
    return _to_allocated(case, officer_a, supervisor_a, paralegal_north, lawyer_north)


def _snapshot(request: ChargingRequest) -> tuple[Any, ...]:
    request.refresh_from_db()
    request.case.refresh_from_db()
    return (request.status, request.version, request.case.status, ChargingDecision.objects.count())


# -- the happy path ------------------------------------------------------------------------------


def test_mg3_to_a_decision_to_charge_moves_the_case_and_is_audited(
    case: Case,
    offence: OffenceAllegation,
    officer_a: User,
    supervisor_a: User,
    paralegal_north: User,
    lawyer_north: User,
) -> None:
    request = s.request_create(case=case, details=_mg3(), by=officer_a)
    assert request.status == RequestStatus.DRAFT
    assert request.cps_area == case.cps_area
    request = s.request_submit(request=request, by=officer_a, expected_version=1)
    assert request.status == RequestStatus.AWAITING_SUPERVISOR
    request = s.request_approve(request=request, by=supervisor_a, expected_version=2)
    assert request.status == RequestStatus.WITH_CPS_TRIAGE
    case.refresh_from_db()
    assert case.status == CaseStatus.AWAITING_CHARGING_DECISION
    assert case.sent_to_cps_at is not None
    request = s.request_accept(request=request, by=paralegal_north, expected_version=3)
    request = s.request_allocate(request=request, by=lawyer_north, expected_version=4)
    assert request.allocated_lawyer == lawyer_north

    decision = s.decision_record(
        request=request,
        by=lawyer_north,
        outcome=DecisionOutcome.CHARGE,
        reasons="Full Code Test met: CCTV and two witnesses.",
        test_applied=CodeTest.FULL_CODE_TEST,
        charges=[s.ChargeDetails(offence=offence, wording="Wounding with intent")],
        expected_version=5,
    )
    request.refresh_from_db()
    case.refresh_from_db()
    assert request.status == RequestStatus.DECIDED
    assert request.version == 6
    assert request.decided_at is not None
    assert case.status == CaseStatus.CHARGED
    assert [c.code for c in decision.charges.all()] == ["OF61016"]
    assert DecisionCharge.objects.get().offence == offence

    expected = [
        AuditEventType.CHARGING_REQUEST_CREATED,
        AuditEventType.CHARGING_REQUEST_SUBMITTED,
        AuditEventType.CHARGING_REQUEST_APPROVED,
        AuditEventType.CHARGING_REQUEST_ACCEPTED,
        AuditEventType.CHARGING_REQUEST_ALLOCATED,
        AuditEventType.CHARGING_DECISION_RECORDED,
    ]
    charging_events = AuditEvent.objects.filter(event_type__in=expected).order_by("occurred_at", "id")
    assert [e.event_type for e in charging_events] == expected
    assert {e.case_id for e in charging_events} == {case.public_id}
    timeline = [e.event_type for e in case_timeline(case=case, user=lawyer_north)]
    for event_type in expected:
        assert event_type in timeline
    assert timeline.count(AuditEventType.CASE_STATUS_CHANGED) == 2


def test_a_legal_manager_assigns_a_lawyer_of_the_area(
    case: Case, offence: OffenceAllegation, officer_a: User, supervisor_a: User, paralegal_north: User,
    lawyer_north: User, lawyer_south: User, manager_cps_north: User,
) -> None:  # fmt: skip
    request = s.request_create(case=case, details=_mg3(), by=officer_a)
    request = s.request_submit(request=request, by=officer_a)
    request = s.request_approve(request=request, by=supervisor_a)
    request = s.request_accept(request=request, by=paralegal_north)
    with pytest.raises(ValidationError) as exc:
        s.request_allocate(request=request, by=manager_cps_north, lawyer=lawyer_south)
    assert exc.value.message_dict["lawyer"] == [s.LAWYER_NOT_IN_AREA]
    request = s.request_allocate(request=request, by=manager_cps_north, lawyer=lawyer_north)
    assert request.allocated_lawyer == lawyer_north


def test_an_action_plan_hands_the_request_back_without_moving_the_case(
    allocated: ChargingRequest, lawyer_north: User
) -> None:
    item = s.ActionItemDetails(
        action="Obtain the medical statement", reason="Proves really serious harm", due_on=date.today()
    )
    s.decision_record(
        request=allocated,
        by=lawyer_north,
        outcome=DecisionOutcome.ACTION_PLAN,
        reasons="Need the medical evidence",
        action_items=[item],
    )
    allocated.refresh_from_db()
    assert allocated.status == RequestStatus.ACTION_PLAN_ISSUED
    assert allocated.case.status == CaseStatus.AWAITING_CHARGING_DECISION


def test_no_further_action_moves_the_case(allocated: ChargingRequest, lawyer_north: User) -> None:
    s.decision_record(
        request=allocated,
        by=lawyer_north,
        outcome=DecisionOutcome.NO_FURTHER_ACTION_EVIDENTIAL,
        reasons="No realistic prospect of conviction",
    )
    allocated.case.refresh_from_db()
    assert allocated.case.status == CaseStatus.NO_FURTHER_ACTION


# -- bad input changes nothing -------------------------------------------------------------------


def test_submit_is_refused_with_a_message_per_empty_mg3_field(case: Case, officer_a: User) -> None:
    request = s.request_create(case=case, details=_mg3(offence_summary="", defence_account=" "), by=officer_a)
    with pytest.raises(ValidationError) as exc:
        s.request_submit(request=request, by=officer_a)
    errors = exc.value.message_dict
    assert errors["offence_summary"] == [s.FIELD_REQUIRED.format(label="a summary of the offence")]
    assert errors["defence_account"] == [s.FIELD_REQUIRED.format(label="the suspect's account")]
    assert "proposed_charges" not in errors
    assert _snapshot(request)[:2] == (RequestStatus.DRAFT, 1)


def test_submit_is_refused_while_the_carried_file_has_blocking_findings(case: Case, officer_a: User) -> None:
    submission = FileSubmission.objects.create(
        case=case, stage=FileStage.PRE_CHARGE_FCT, status=SubmissionStatus.SUBMITTED, created_by=officer_a
    )
    QualityReport.objects.create(submission=submission, ruleset_version="1", inputs_digest="x", blocking_count=2)
    request = s.request_create(case=case, details=_mg3(submission=submission), by=officer_a)
    with pytest.raises(ValidationError) as exc:
        s.request_submit(request=request, by=officer_a)
    assert exc.value.message_dict["submission"] == [s.SUBMISSION_BLOCKED.format(count=2)]
    assert _snapshot(request)[:2] == (RequestStatus.DRAFT, 1)


def test_deciding_without_reasons_changes_nothing(
    allocated: ChargingRequest, offence: OffenceAllegation, lawyer_north: User
) -> None:
    before = _snapshot(allocated)
    with pytest.raises(ValidationError) as exc:
        s.decision_record(
            request=allocated,
            by=lawyer_north,
            outcome=DecisionOutcome.CHARGE,
            reasons="  ",
            test_applied=CodeTest.FULL_CODE_TEST,
            charges=[s.ChargeDetails(offence=offence)],
        )
    assert exc.value.message_dict["reasons"] == [s.REASONS_REQUIRED]
    assert _snapshot(allocated) == before


def test_charging_an_offence_not_on_the_case_changes_nothing(
    allocated: ChargingRequest, officer_a: User, lawyer_north: User
) -> None:
    other_case = _case("10/AA/54321/26", officer_a)
    elsewhere = _offence(other_case, officer_a, code="CJ88001")
    before = _snapshot(allocated)
    with pytest.raises(ValidationError) as exc:
        s.decision_record(
            request=allocated,
            by=lawyer_north,
            outcome=DecisionOutcome.CHARGE,
            reasons="Evidence is strong",
            test_applied=CodeTest.FULL_CODE_TEST,
            charges=[s.ChargeDetails(offence=elsewhere)],
        )
    assert exc.value.message_dict["charges"] == [s.OFFENCE_NOT_ON_CASE]
    assert _snapshot(allocated) == before
    assert not DecisionCharge.objects.exists()


def test_a_threshold_test_charge_needs_a_review_date(
    allocated: ChargingRequest, offence: OffenceAllegation, lawyer_north: User
) -> None:
    before = _snapshot(allocated)
    with pytest.raises(ValidationError) as exc:
        s.decision_record(
            request=allocated,
            by=lawyer_north,
            outcome=DecisionOutcome.CHARGE,
            reasons="Substantial bail risk; evidence still coming",
            test_applied=CodeTest.THRESHOLD_TEST,
            charges=[s.ChargeDetails(offence=offence)],
        )
    assert exc.value.message_dict["threshold_review_on"] == [s.REVIEW_DATE_REQUIRED]
    assert _snapshot(allocated) == before
    decision = s.decision_record(
        request=allocated,
        by=lawyer_north,
        outcome=DecisionOutcome.CHARGE,
        reasons="Substantial bail risk; evidence still coming",
        test_applied=CodeTest.THRESHOLD_TEST,
        threshold_review_on=timezone.localdate() + timedelta(days=14),
        charges=[s.ChargeDetails(offence=offence)],
    )
    assert decision.threshold_review_on is not None


def test_a_move_the_lifecycle_refuses_changes_nothing(case: Case, officer_a: User, paralegal_north: User) -> None:
    request = s.request_create(case=case, details=_mg3(), by=officer_a)
    request = s.request_submit(request=request, by=officer_a)
    before = _snapshot(request)
    with pytest.raises(ValidationError) as exc:
        s.request_submit(request=request, by=officer_a)
    assert "already at" in exc.value.message_dict["status"][0]
    assert _snapshot(request) == before


def test_returns_need_reasons(case: Case, officer_a: User, supervisor_a: User, paralegal_north: User) -> None:
    request = s.request_create(case=case, details=_mg3(), by=officer_a)
    request = s.request_submit(request=request, by=officer_a)
    with pytest.raises(ValidationError):
        s.request_return_to_police(request=request, by=supervisor_a, reason=" ")
    request = s.request_return_to_police(request=request, by=supervisor_a, reason="Add the CCTV log")
    assert request.status == RequestStatus.DRAFT
    request = s.request_submit(request=request, by=officer_a)
    request = s.request_approve(request=request, by=supervisor_a)
    with pytest.raises(ValidationError):
        s.request_return_not_to_standard(request=request, by=paralegal_north, reason="")
    request = s.request_return_not_to_standard(request=request, by=paralegal_north, reason="MG5 missing")
    assert request.status == RequestStatus.RETURNED_NOT_TO_STANDARD


def test_a_stale_version_is_a_conflict_and_changes_nothing(case: Case, officer_a: User) -> None:
    request = s.request_create(case=case, details=_mg3(), by=officer_a)
    with pytest.raises(ValidationError) as exc:
        s.request_submit(request=request, by=officer_a, expected_version=request.version + 1)
    assert exc.value.message_dict["version"] == [s.CONFLICT]
    assert _snapshot(request)[:2] == (RequestStatus.DRAFT, 1)


# -- permissions ---------------------------------------------------------------------------------


def test_outsiders_cannot_act(
    case: Case,
    offence: OffenceAllegation,
    officer_a: User,
    officer_b: User,
    supervisor_a: User,
    paralegal_north: User,
    lawyer_north: User,
    lawyer_south: User,
    manager_cps_north: User,
) -> None:
    with pytest.raises(PermissionDenied):
        s.request_create(case=case, details=_mg3(), by=officer_b)
    request = s.request_create(case=case, details=_mg3(), by=officer_a)
    with pytest.raises(PermissionDenied):
        s.request_submit(request=request, by=officer_b)
    request = s.request_submit(request=request, by=officer_a)
    with pytest.raises(PermissionDenied):
        s.request_approve(request=request, by=officer_a)  # not a supervisor
    request = s.request_approve(request=request, by=supervisor_a)
    for outsider in (officer_b, lawyer_south, officer_a):
        with pytest.raises(PermissionDenied):
            s.request_accept(request=request, by=outsider)
    request = s.request_accept(request=request, by=paralegal_north)
    with pytest.raises(PermissionDenied):
        s.request_allocate(request=request, by=lawyer_south)
    with pytest.raises(PermissionDenied):
        s.request_allocate(request=request, by=paralegal_north)
    request = s.request_allocate(request=request, by=manager_cps_north, lawyer=lawyer_north)
    other_lawyer = type(lawyer_north).objects.create(
        username="lawyer_north2", organisation=lawyer_north.organisation, roles=list(lawyer_north.roles)
    )
    for outsider in (lawyer_south, other_lawyer, officer_b, manager_cps_north):
        with pytest.raises(PermissionDenied):
            s.decision_record(
                request=request, by=outsider, outcome=DecisionOutcome.NO_FURTHER_ACTION_EVIDENTIAL, reasons="x"
            )
    assert not ChargingDecision.objects.exists()


# -- the queue -----------------------------------------------------------------------------------


def test_the_queue_puts_red_first_then_the_soonest_due_and_is_scoped(
    case: Case,
    officer_a: User,
    officer_b: User,
    supervisor_a: User,
    lawyer_north: User,
    lawyer_south: User,
    lawyer_cpsd: User,
    paralegal_north: User,
) -> None:
    cases = iter(_case(f"10/AA/{n:05d}/26", officer_a) for n in range(20001, 20010))

    def sent(category: str, received_hours_ago: float, direct: bool = False) -> ChargingRequest:
        request = s.request_create(case=next(cases), details=_mg3(category=category), by=officer_a)
        request = s.request_submit(request=request, by=officer_a)
        request = s.request_approve(request=request, by=supervisor_a, to_cps_direct=direct)
        ChargingRequest.objects.filter(pk=request.pk).update(
            received_by_cps_at=timezone.now() - timedelta(hours=received_hours_ago)
        )
        return request

    old_green = sent(ChargingCategory.GREEN, 27 * 24)  # due in a day
    new_priority = sent(ChargingCategory.GREEN_PRIORITY, 1)  # due in ~5 days
    red = sent(ChargingCategory.RED, 0, direct=True)
    new_green = sent(ChargingCategory.GREEN, 1)
    s.request_create(case=case, details=_mg3(category=ChargingCategory.RED), by=officer_a)  # a draft

    assert list(charging_queue_for(user=lawyer_north)) == [red, old_green, new_priority, new_green]
    assert list(charging_queue_for(user=paralegal_north)) == [red, old_green, new_priority, new_green]
    assert list(charging_queue_for(user=lawyer_cpsd)) == [red]
    for outsider in (lawyer_south, officer_a, officer_b, supervisor_a):
        assert not charging_queue_for(user=outsider).exists()

    with override_settings(CHARGING_DUE_HOURS={"green_priority": 30 * 24}):
        assert list(charging_queue_for(user=lawyer_north)) == [red, old_green, new_green, new_priority]


# -- two lawyers' screens at once ----------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_decisions_only_one_succeeds(
    area_north: Organisation,
    force_a: Organisation,
    unit_a1: Unit,
    officer_a: User,
    supervisor_a: User,
    paralegal_north: User,
    lawyer_north: User,
    offence_codes: dict[str, OffenceCode],
) -> None:
    case = _case("10/AA/12345/26", officer_a)
    offence = _offence(case, officer_a)
    request = _to_allocated(case, officer_a, supervisor_a, paralegal_north, lawyer_north)
    version = request.version
    barrier = threading.Barrier(2)
    results: list[str] = []
    lock = threading.Lock()

    def decide(outcome: str) -> None:
        try:
            barrier.wait(timeout=10)
            s.decision_record(
                request=ChargingRequest.objects.get(pk=request.pk),
                by=lawyer_north,
                outcome=outcome,
                reasons="Decided",
                test_applied=CodeTest.FULL_CODE_TEST if outcome == DecisionOutcome.CHARGE else "",
                charges=[s.ChargeDetails(offence=offence)] if outcome == DecisionOutcome.CHARGE else [],
                expected_version=version,
            )
            outcome_text = "ok"
        except ValidationError as exc:
            outcome_text = " ".join(m for ms in exc.message_dict.values() for m in ms)
        finally:
            connection.close()
        with lock:
            results.append(outcome_text)

    threads = [
        threading.Thread(target=decide, args=(DecisionOutcome.CHARGE,)),
        threading.Thread(target=decide, args=(DecisionOutcome.NO_FURTHER_ACTION_PUBLIC_INTEREST,)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(results)[-1] == "ok"
    assert results.count("ok") == 1
    failure = next(r for r in results if r != "ok")
    assert s.CONFLICT in failure or "cannot move" in failure
    assert ChargingDecision.objects.filter(request=request).count() == 1
    request.refresh_from_db()
    assert request.status == RequestStatus.DECIDED
    assert request.version == version + 1


def test_a_decided_request_takes_no_second_decision_and_the_first_is_kept(
    allocated: ChargingRequest, lawyer_north: User
) -> None:
    first = s.decision_record(
        request=allocated, by=lawyer_north, outcome=DecisionOutcome.NO_FURTHER_ACTION_EVIDENTIAL, reasons="Weak"
    )
    before = _snapshot(allocated)
    with pytest.raises(ValidationError) as exc:
        s.decision_record(
            request=allocated, by=lawyer_north, outcome=DecisionOutcome.OUT_OF_COURT_DISPOSAL, reasons="Caution"
        )
    assert "already at “Decided”" in exc.value.message_dict["status"][0]
    assert _snapshot(allocated) == before
    assert ChargingDecision.objects.get() == first
    assert ChargingDecision.objects.get().reasons == "Weak"
