"""Every write on a charging request (MG3) and its decisions (DG6, domain.md 2.2–2.5).

Each service locks the request row, checks the lifecycle (``charging.workflow``) and who may act
(``charging.rules``), refuses a stale ``expected_version`` (optimistic concurrency: two people with the same
request open), bumps the version and writes its audit event in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import rules
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.audit import audit_record
from accounts.choices import AuditEventType
from accounts.models import User
from casework.choices import CaseStatus
from casework.models import Case, OffenceAllegation
from casework.services.cases import case_transition
from casework.workflow import Mover
from files.choices import SubmissionStatus
from files.models import FileSubmission

from .choices import ChargingActor, ChargingCategory, DecisionOutcome, RequestStatus, TestSought
from .models import ChargingDecision, ChargingRequest, DecisionCharge
from .workflow import TransitionError, check_reason, check_transition, target_for_outcome

NOT_ALLOWED = "You are not allowed to do this on this charging request."
CONFLICT = "Someone else changed this request since you opened it: reload to see what changed"
FIELD_REQUIRED = "Enter {label}"
SUBMISSION_NOT_SUBMITTED = "The file this request carries has not been submitted yet"
SUBMISSION_OTHER_CASE = "Choose a file on this case"
SUBMISSION_BLOCKED = "The file this request carries has {count} blocking quality failure(s): fix them first"
REASONS_REQUIRED = "Give the reasons for the decision"
CHARGES_REQUIRED = "Choose at least one offence to charge"
OFFENCE_NOT_ON_CASE = "Choose offences on this case"
REVIEW_DATE_REQUIRED = "Give the date the Threshold Test decision will be reviewed"
TEST_REQUIRED = "Say which test was applied: the Full Code Test or the Threshold Test"
LAWYER_NOT_IN_AREA = "Choose a CPS lawyer of this Area"
UNKNOWN_CHOICE = "Choose from the list"
NO_CPS_AREA = "The case has no CPS Area to send the request to"

# The MG3 police part a supervisor cannot send without (domain.md 2.2).
MG3_REQUIRED: dict[str, str] = {
    "suspect_status": "the suspect's status",
    "offence_summary": "a summary of the offence",
    "proposed_charges": "the proposed charges",
    "defence_account": "the suspect's account",
    "lines_of_inquiry_done": "the lines of inquiry done",
}

MG3_TEXT_FIELDS = (
    "suspect_status",
    "pace_clock",
    "bail_status",
    "offence_summary",
    "proposed_charges",
    "defence_account",
    "lines_of_inquiry_done",
    "lines_not_pursued",
    "victim_witness_needs",
    "digital_strategy",
    "unused_material_info",
    "venue",
)

_CASE_STATUS_FOR_OUTCOME: dict[str, CaseStatus] = {
    DecisionOutcome.CHARGE: CaseStatus.CHARGED,
    DecisionOutcome.NO_FURTHER_ACTION_EVIDENTIAL: CaseStatus.NO_FURTHER_ACTION,
    DecisionOutcome.NO_FURTHER_ACTION_PUBLIC_INTEREST: CaseStatus.NO_FURTHER_ACTION,
    DecisionOutcome.OUT_OF_COURT_DISPOSAL: CaseStatus.OUT_OF_COURT_DISPOSAL,
}


@dataclass
class Mg3Details:
    """The police part of the MG3, as the officer fills it in."""

    category: str = ChargingCategory.GREEN
    test_sought: str = TestSought.FULL_CODE_TEST
    anticipated_plea: str = "unknown"
    venue: str = ""
    suspect_status: str = ""
    pace_clock: str = ""
    bail_status: str = ""
    offence_summary: str = ""
    proposed_charges: str = ""
    defence_account: str = ""
    lines_of_inquiry_done: str = ""
    lines_not_pursued: str = ""
    outstanding_evidence: list[dict[str, str]] = field(default_factory=list)
    victim_witness_needs: str = ""
    digital_strategy: str = ""
    unused_material_info: str = ""
    submission: FileSubmission | None = None


@dataclass
class ChargeDetails:
    offence: OffenceAllegation
    wording: str = ""


def _require(user: User, perm: str, obj: Any) -> None:
    # rules.has_perm, not user.has_perm: a superuser must not get charging powers through the back door.
    if not (user.is_active and rules.has_perm(perm, user, obj)):
        raise PermissionDenied(NOT_ALLOWED)


def _raise_if(errors: dict[str, str]) -> None:
    if errors:
        raise ValidationError({name: [message] for name, message in errors.items()})


def _lock(request: ChargingRequest) -> ChargingRequest:
    """Re-read the request row with a lock, so two people acting on one request queue up; the second then
    sees the first's version and status."""
    return ChargingRequest.objects.select_for_update(of=("self",)).select_related("case").get(pk=request.pk)


def _check_version(request: ChargingRequest, expected_version: int | None) -> None:
    if expected_version is not None and request.version != expected_version:
        raise ValidationError({"version": [CONFLICT]}, code="conflict")


def _check_move(request: ChargingRequest, target: RequestStatus, actor: ChargingActor, reason: str = "") -> None:
    try:
        transition = check_transition(request.status, target, actor)
        check_reason(transition, reason)
    except TransitionError as exc:
        raise ValidationError({"status": [str(exc)]}) from exc


def _move(request: ChargingRequest, target: RequestStatus, **stamps: Any) -> None:
    request.status = target
    request.version += 1
    for name, value in stamps.items():
        setattr(request, name, value)
    request.save()


def _audit(
    request: ChargingRequest, by: User, event: AuditEventType, summary: str, data: dict[str, Any] | None = None
) -> None:
    audit_record(
        by=by,
        event_type=event,
        obj=request,
        case_id=request.case.public_id,
        summary=summary,
        data={"status": request.status, "version": request.version, **(data or {})},
    )


def _clean_details(case: Case, details: Mg3Details) -> None:
    errors: dict[str, str] = {}
    if details.category not in ChargingCategory.values:
        errors["category"] = UNKNOWN_CHOICE
    if details.test_sought not in TestSought.values:
        errors["test_sought"] = UNKNOWN_CHOICE
    sub = details.submission
    if sub is not None and sub.case_id != case.pk:
        errors["submission"] = SUBMISSION_OTHER_CASE
    _raise_if(errors)


def _apply_details(request: ChargingRequest, details: Mg3Details) -> None:
    request.category = details.category
    request.test_sought = details.test_sought
    request.anticipated_plea = details.anticipated_plea
    for name in MG3_TEXT_FIELDS:
        setattr(request, name, str(getattr(details, name)).strip())
    request.outstanding_evidence = [
        {"what": str(item.get("what", "")).strip(), "target_date": str(item.get("target_date", ""))}
        for item in details.outstanding_evidence
    ]
    request.submission = details.submission


@transaction.atomic
def request_create(*, case: Case, details: Mg3Details, by: User) -> ChargingRequest:
    """Start an MG3 on the case: the police builders of the owning force."""
    _require(by, "charging.create_request", case)
    _clean_details(case, details)
    request = ChargingRequest(case=case, created_by=by, cps_area=case.cps_area)
    _apply_details(request, details)
    request.save()
    _audit(request, by, AuditEventType.CHARGING_REQUEST_CREATED, "Charging request (MG3) started")
    return request


def mg3_errors(request: ChargingRequest) -> dict[str, str]:
    """What the MG3 is missing before it can be submitted, one precise message per field."""
    errors = {
        name: FIELD_REQUIRED.format(label=label)
        for name, label in MG3_REQUIRED.items()
        if not str(getattr(request, name)).strip()
    }
    sub = request.submission
    if sub is not None:
        if sub.status != SubmissionStatus.SUBMITTED:
            errors["submission"] = SUBMISSION_NOT_SUBMITTED
        else:
            report = sub.reports.order_by("-created_at", "-id").first()
            if report is not None and report.blocking_count and not sub.override_at:
                errors["submission"] = SUBMISSION_BLOCKED.format(count=report.blocking_count)
    return errors


@transaction.atomic
def request_submit(*, request: ChargingRequest, by: User, expected_version: int | None = None) -> ChargingRequest:
    """The officer submits the MG3 for supervisor review; refused while required MG3 parts are empty or the
    file it carries has blocking National File Standard failures."""
    request = _lock(request)
    _require(by, "charging.submit_request", request)
    _check_version(request, expected_version)
    _check_move(request, RequestStatus.AWAITING_SUPERVISOR, ChargingActor.POLICE_OFFICER)
    _raise_if(mg3_errors(request))
    _move(request, RequestStatus.AWAITING_SUPERVISOR, submitted_at=timezone.now())
    _audit(request, by, AuditEventType.CHARGING_REQUEST_SUBMITTED, "Charging request submitted for supervisor review")
    return request


@transaction.atomic
def request_approve(
    *, request: ChargingRequest, by: User, expected_version: int | None = None, to_cps_direct: bool = False
) -> ChargingRequest:
    """The police supervisor certifies the MG3 and sends it to the CPS Area that serves the case (or, for a
    custody case out of hours, CPS Direct); the case now awaits the charging decision."""
    request = _lock(request)
    _require(by, "charging.approve_request", request)
    _check_version(request, expected_version)
    _check_move(request, RequestStatus.WITH_CPS_TRIAGE, ChargingActor.POLICE_SUPERVISOR)
    case = Case.objects.select_for_update().get(pk=request.case_id)
    if case.cps_area_id is None:
        _raise_if({"cps_area": NO_CPS_AREA})
    _raise_if(mg3_errors(request))
    now = timezone.now()
    if case.status == CaseStatus.INVESTIGATION:
        case_transition(
            case=case,
            to=CaseStatus.AWAITING_CHARGING_DECISION,
            by=by,
            reason="Charging request sent to the CPS",
            mover=Mover.SYSTEM,
        )
    Case.objects.filter(pk=case.pk).update(
        sent_to_cps_at=case.sent_to_cps_at or now, sent_to_cps_direct=case.sent_to_cps_direct or to_cps_direct
    )
    request.case.refresh_from_db()
    _move(
        request,
        RequestStatus.WITH_CPS_TRIAGE,
        cps_area_id=case.cps_area_id,
        to_cps_direct=to_cps_direct,
        approved_at=now,
        received_by_cps_at=now,
    )
    _audit(
        request,
        by,
        AuditEventType.CHARGING_REQUEST_APPROVED,
        "Charging request approved and sent to the CPS",
        {"to_cps_direct": to_cps_direct},
    )
    return request


@transaction.atomic
def request_return_to_police(
    *, request: ChargingRequest, by: User, reason: str, expected_version: int | None = None
) -> ChargingRequest:
    """The supervisor sends the MG3 back to the officer, saying what to put right."""
    request = _lock(request)
    _require(by, "charging.approve_request", request)
    _check_version(request, expected_version)
    _check_move(request, RequestStatus.DRAFT, ChargingActor.POLICE_SUPERVISOR, reason)
    _move(request, RequestStatus.DRAFT)
    _audit(
        request,
        by,
        AuditEventType.CHARGING_REQUEST_RETURNED,
        "Charging request returned to the officer",
        {"reason": reason.strip()},
    )
    return request


@transaction.atomic
def request_accept(*, request: ChargingRequest, by: User, expected_version: int | None = None) -> ChargingRequest:
    """CPS triage accepts the request into the Area's queue."""
    request = _lock(request)
    _require(by, "charging.triage_request", request)
    _check_version(request, expected_version)
    _check_move(request, RequestStatus.ACCEPTED_AWAITING_ALLOCATION, ChargingActor.CPS_TRIAGE)
    _move(request, RequestStatus.ACCEPTED_AWAITING_ALLOCATION, accepted_at=timezone.now())
    _audit(request, by, AuditEventType.CHARGING_REQUEST_ACCEPTED, "Charging request accepted by CPS triage")
    return request


@transaction.atomic
def request_return_not_to_standard(
    *, request: ChargingRequest, by: User, reason: str, expected_version: int | None = None
) -> ChargingRequest:
    """CPS triage returns the request because the file does not meet the National File Standard."""
    request = _lock(request)
    _require(by, "charging.triage_request", request)
    _check_version(request, expected_version)
    _check_move(request, RequestStatus.RETURNED_NOT_TO_STANDARD, ChargingActor.CPS_TRIAGE, reason)
    _move(request, RequestStatus.RETURNED_NOT_TO_STANDARD)
    _audit(
        request,
        by,
        AuditEventType.CHARGING_REQUEST_RETURNED,
        "Charging request returned: not to the National File Standard",
        {"reason": reason.strip()},
    )
    return request


@transaction.atomic
def request_allocate(
    *, request: ChargingRequest, by: User, lawyer: User | None = None, expected_version: int | None = None
) -> ChargingRequest:
    """A lawyer of the Area takes the request, or a legal manager of the Area assigns it to one."""
    request = _lock(request)
    lawyer = lawyer or by
    if lawyer.pk == by.pk:
        _require(by, "charging.take_request", request)
        actor = ChargingActor.CPS_LAWYER
    else:
        _require(by, "charging.assign_request", request)
        actor = ChargingActor.CPS_LEGAL_MANAGER
        if not rules.has_perm("charging.take_request", lawyer, request) or not lawyer.is_active:
            _raise_if({"lawyer": LAWYER_NOT_IN_AREA})
    _check_version(request, expected_version)
    _check_move(request, RequestStatus.ALLOCATED, actor)
    _move(request, RequestStatus.ALLOCATED, allocated_lawyer=lawyer, allocated_at=timezone.now())
    _audit(
        request,
        by,
        AuditEventType.CHARGING_REQUEST_ALLOCATED,
        f"Charging request allocated to {lawyer.get_full_name() or lawyer.username}",
        {"lawyer": str(lawyer.public_id)},
    )
    return request


@transaction.atomic
def decision_record(
    *,
    request: ChargingRequest,
    by: User,
    outcome: str,
    reasons: str,
    test_applied: str = "",
    threshold_review_on: date | None = None,
    charges: list[ChargeDetails] | None = None,
    expected_version: int | None = None,
) -> ChargingDecision:
    """The allocated lawyer records the charging decision, with reasons (Code for Crown Prosecutors). A
    charge names offences on this case; a Threshold Test charge names the date it will be reviewed. A final
    outcome moves the case (charged, no further action, out-of-court disposal); an action plan or early advice
    hands the request back to the police. The decision row is never changed afterwards."""
    request = _lock(request)
    _require(by, "charging.decide_request", request)
    _check_version(request, expected_version)
    errors: dict[str, str] = {}
    if outcome not in DecisionOutcome.values:
        _raise_if({"outcome": UNKNOWN_CHOICE})
    target = target_for_outcome(outcome)
    _check_move(request, target, ChargingActor.CPS_LAWYER)
    if not reasons.strip():
        errors["reasons"] = REASONS_REQUIRED
    if test_applied and test_applied not in TestSought.values:
        errors["test_applied"] = UNKNOWN_CHOICE
    charges = charges or []
    if outcome == DecisionOutcome.CHARGE:
        if not test_applied:
            errors["test_applied"] = TEST_REQUIRED
        if not charges:
            errors["charges"] = CHARGES_REQUIRED
        elif any(c.offence.case_id != request.case_id for c in charges):
            errors["charges"] = OFFENCE_NOT_ON_CASE
        if test_applied == TestSought.THRESHOLD_TEST and threshold_review_on is None:
            errors["threshold_review_on"] = REVIEW_DATE_REQUIRED
    elif charges:
        errors["charges"] = "Only a decision to charge names charges"
    _raise_if(errors)
    decision = ChargingDecision.objects.create(
        request=request,
        outcome=outcome,
        reasons=reasons.strip(),
        test_applied=test_applied,
        threshold_review_on=threshold_review_on if test_applied == TestSought.THRESHOLD_TEST else None,
        decided_by=by,
    )
    for charge in charges:
        DecisionCharge.objects.create(
            decision=decision,
            offence=charge.offence,
            code=charge.offence.code_with_qualifier,
            wording=charge.wording.strip(),
        )
    case_status = _CASE_STATUS_FOR_OUTCOME.get(outcome)
    if case_status is not None:
        case_transition(
            case=request.case,
            to=case_status,
            by=by,
            reason=f"Charging decision: {DecisionOutcome(outcome).label}",
            mover=Mover.SYSTEM,
        )
    stamps: dict[str, Any] = {"decided_at": decision.decided_at} if target == RequestStatus.DECIDED else {}
    _move(request, target, **stamps)
    _audit(
        request,
        by,
        AuditEventType.CHARGING_DECISION_RECORDED,
        f"Charging decision recorded: {DecisionOutcome(outcome).label}",
        {
            "decision": str(decision.public_id),
            "outcome": outcome,
            "test_applied": test_applied,
            "charges": [c.code for c in decision.charges.all()],
        },
    )
    return decision
