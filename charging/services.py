"""Every write on a charging request (MG3) and its decisions (DG6, domain.md 2.2–2.5).

Each service locks the request row, checks the lifecycle (``charging.workflow``) and who may act
(``charging.rules``), refuses a stale ``expected_version`` (optimistic concurrency: two people with the same
request open), bumps the version and writes its audit event in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import rules
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from accounts.audit import audit_record
from accounts.choices import AuditEventType, Role
from accounts.models import User
from accounts.notifications import notify
from casework.choices import CaseStatus, OffenceStatus
from casework.models import Case, OffenceAllegation
from casework.services._common import notify_case_changed, raise_if
from casework.services.cases import case_transition
from casework.workflow import Mover
from files.choices import SubmissionStatus
from files.models import Document, FileSubmission
from files.quality.rules import FAILURE_CODES

from .choices import (
    ANSWERED_STATUSES,
    FINAL_OUTCOMES,
    ActionItemOwner,
    ActionItemStatus,
    AnticipatedPlea,
    ChargingActor,
    ChargingCategory,
    ChargingDecider,
    DecisionOutcome,
    RequestStatus,
    TestSought,
)
from .models import (
    ActionPlanItem,
    ChargingDecision,
    ChargingRequest,
    DecisionCharge,
    PoliceChargeDecision,
    Resubmission,
)
from .routing import NO_OFFENCES, routing_for_case
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
ONE_OPEN_REQUEST = "This case already has an open charging request: continue with that one"
# A case has at most one charging request that is not closed; a decided or withdrawn one may be followed by
# a new request (for example after a victim's right to review).
CLOSED_REQUEST_STATUSES = (RequestStatus.DECIDED, RequestStatus.WITHDRAWN)
ACTION_ITEMS_REQUIRED = "Add at least one action: say what the police need to do, why, and by when"
ACTION_ITEMS_ONLY_DEFERRED = "Only an action plan or early advice lists actions"
ACTION_TEXT_REQUIRED = "Action {n}: say what is needed"
ACTION_REASON_REQUIRED = "Action {n}: say why it is needed (what it proves or answers)"
ACTION_DUE_REQUIRED = "Action {n}: give the date it is due"
ACTION_DUE_PAST = "Action {n}: the due date must be today or later"
ACTION_OFFENCE_NOT_ON_CASE = "Action {n}: choose an offence on this case"
ACTION_OWNER_UNKNOWN = "Action {n}: choose who owns it from the list"
ANSWER_STATUS = "Say whether the action was done, cannot be done, or is disputed"
ANSWER_TEXT = {
    ActionItemStatus.DONE: "Say what was done",
    ActionItemStatus.CANNOT_BE_DONE: "Say why it cannot be done",
    ActionItemStatus.DISPUTED: "Say why the action is disputed",
}
ANSWER_NOT_OPEN = "The action plan this action belongs to is no longer waiting for the police"
ANSWER_OLD_PLAN = "This action belongs to an earlier action plan; answer the current one"
DOCUMENT_NOT_ON_CASE = "Choose material on this case"
UNANSWERED_ITEMS = "Answer every action before resubmitting: {numbers} not answered yet"
RESUBMISSION_SUMMARY = "Say what has changed since the last submission"
CORRECTION_REASON = "Say what the correction puts right"
CORRECTION_SAME_OUTCOME = (
    "A correction keeps the outcome ({outcome}); to change the outcome the case must be reviewed on its own"
)
CORRECTS_OTHER_REQUEST = "Choose a decision on this charging request"
CORRECTS_NOT_FINAL = "Only a charge, no further action or out-of-court disposal decision can be corrected"
CORRECTS_SUPERSEDED = "That decision has already been corrected: correct the latest one"
POLICE_CHARGE_CPS_CASE = "DG6 Annex 1 reserves this case for the CPS ({reason}). Refer it on an MG3 instead"
POLICE_CHARGE_OPEN_REQUEST = "This case has a charging request with the CPS: the CPS decides it"
RATIONALE_REQUIRED = "Record the rationale for the charging decision"
EMERGENCY_NAME_REQUIRED = "Give the name and rank of the inspector who authorised the emergency charge"

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


@dataclass
class ActionItemDetails:
    """One action in an action plan, as the lawyer writes it."""

    action: str
    reason: str
    due_on: date | None
    owner: str = ActionItemOwner.OFFICER_IN_CASE
    offence: OffenceAllegation | None = None
    point_to_prove: str = ""


def _require(user: User, perm: str, obj: Any) -> None:
    # rules.has_perm, not user.has_perm: a superuser must not get charging powers through the back door.
    if not (user.is_active and rules.has_perm(perm, user, obj)):
        raise PermissionDenied(NOT_ALLOWED)


def _lock(request: ChargingRequest) -> ChargingRequest:
    """Re-read the request row with a lock, so two people acting on one request queue up; the second then
    sees the first's version and status."""
    return ChargingRequest.objects.select_for_update(of=("self",)).select_related("case").get(pk=request.pk)


def _check_version(request: ChargingRequest, expected_version: int | None) -> None:
    if expected_version is not None and request.version != expected_version:
        raise ValidationError({"version": [CONFLICT]}, code="conflict")


def _check_move(
    request: ChargingRequest,
    target: RequestStatus,
    actor: ChargingActor,
    reason: str = "",
    reason_field: str = "reason",
) -> None:
    """The lifecycle's answer under ``status``; a missing reason under the field the user types it in."""
    try:
        transition = check_transition(request.status, target, actor)
    except TransitionError as exc:
        raise ValidationError({"status": [str(exc)]}) from exc
    try:
        check_reason(transition, reason)
    except TransitionError as exc:
        raise ValidationError({reason_field: [str(exc)]}) from exc


def _move(request: ChargingRequest, target: RequestStatus, **stamps: Any) -> None:
    request.status = target
    request.version += 1
    for name, value in stamps.items():
        setattr(request, name, value)
    request.save()


def _audit(
    request: ChargingRequest, by: User | None, event: AuditEventType, summary: str, data: dict[str, Any] | None = None
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
    raise_if(errors)


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
    case = Case.objects.select_for_update().get(pk=case.pk)
    if ChargingRequest.objects.filter(case=case).exclude(status__in=CLOSED_REQUEST_STATUSES).exists():
        raise_if({"case": ONE_OPEN_REQUEST})
    _clean_details(case, details)
    request = ChargingRequest(case=case, created_by=by, cps_area=case.cps_area)
    _apply_details(request, details)
    _apply_routing(request)
    request.save()
    _audit(request, by, AuditEventType.CHARGING_REQUEST_CREATED, "Charging request (MG3) started")
    return request


def _apply_routing(request: ChargingRequest) -> None:
    """Record who DG6 Annex 1 says decides, on the offences and plea as they stand."""
    routing = routing_for_case(request.case, anticipated_plea=request.anticipated_plea)
    if routing is None:
        request.dg6_decider, request.dg6_rule, request.dg6_reason = "", "", ""
        return
    request.dg6_decider = routing.decider
    request.dg6_rule = routing.rule_id
    request.dg6_reason = routing.reason


def _case_link(request: ChargingRequest) -> str:
    return reverse("charging:case-charging", kwargs={"case_id": request.case.public_id})


def _police_people(request: ChargingRequest) -> list[User | None]:
    """The officer in the case and the supervisor, and whoever started the request."""
    case = request.case
    return [case.officer_in_case, case.supervisor, request.created_by]


def _notify_police(request: ChargingRequest, by: User | None, kind: str, subject: str, body: str = "") -> None:
    notify(
        recipients=_police_people(request),
        kind=kind,
        subject=f"{subject} ({request.case.urn})",
        body=body,
        case_id=request.case.public_id,
        link=_case_link(request),
        exclude=by,
    )


def _notify_lawyer(request: ChargingRequest, by: User | None, kind: str, subject: str, body: str = "") -> None:
    notify(
        recipients=[request.allocated_lawyer],
        kind=kind,
        subject=f"{subject} ({request.case.urn})",
        body=body,
        case_id=request.case.public_id,
        link=_case_link(request),
        exclude=by,
    )


@transaction.atomic
def request_update(
    *, request: ChargingRequest, details: Mg3Details, by: User, expected_version: int | None = None
) -> ChargingRequest:
    """The officer changes the MG3 while it is still a draft with the police."""
    request = _lock(request)
    _require(by, "charging.submit_request", request)
    _check_version(request, expected_version)
    if request.status != RequestStatus.DRAFT:
        raise_if({"status": "Only a draft charging request can be changed; this one has been submitted"})
    _clean_details(request.case, details)
    _apply_details(request, details)
    _apply_routing(request)
    request.version += 1
    request.save()
    _audit(request, by, AuditEventType.CHARGING_REQUEST_UPDATED, "Charging request (MG3) changed")
    return request


@transaction.atomic
def request_withdraw(
    *, request: ChargingRequest, by: User, reason: str, expected_version: int | None = None
) -> ChargingRequest:
    """The police withdraw a draft that will not be sent (for example the suspect was charged by the police)."""
    request = _lock(request)
    if not (
        rules.has_perm("charging.submit_request", by, request)
        or rules.has_perm("charging.approve_request", by, request)
    ):
        raise PermissionDenied(NOT_ALLOWED)
    actor = ChargingActor.POLICE_SUPERVISOR if by.has_role(Role.POLICE_SUPERVISOR) else ChargingActor.POLICE_OFFICER
    _check_version(request, expected_version)
    _check_move(request, RequestStatus.WITHDRAWN, actor, reason)
    _move(request, RequestStatus.WITHDRAWN)
    _audit(
        request, by, AuditEventType.CHARGING_REQUEST_WITHDRAWN, "Charging request withdrawn", {"reason": reason.strip()}
    )
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
    raise_if(mg3_errors(request))
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
        raise_if({"cps_area": NO_CPS_AREA})
    raise_if(mg3_errors(request))
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
    notify_case_changed(request.case)  # the CPS now owes its decision
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
    _notify_police(request, by, "charging_returned", "Charging request returned by the supervisor", reason.strip())
    return request


@transaction.atomic
def request_take_back(*, request: ChargingRequest, by: User, expected_version: int | None = None) -> ChargingRequest:
    """After CPS triage returned the request as not to the National File Standard, the officer takes it back
    to a draft to put it right; it then goes through the supervisor to the CPS again."""
    request = _lock(request)
    _require(by, "charging.submit_request", request)
    _check_version(request, expected_version)
    _check_move(request, RequestStatus.DRAFT, ChargingActor.POLICE_OFFICER)
    _move(request, RequestStatus.DRAFT)
    _audit(request, by, AuditEventType.CHARGING_REQUEST_UPDATED, "Charging request taken back to put it right")
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
    *,
    request: ChargingRequest,
    by: User,
    reason: str,
    failure_codes: list[str] | None = None,
    expected_version: int | None = None,
) -> ChargingRequest:
    """CPS triage returns the request because the file does not meet the National File Standard, naming the
    failures from the file quality taxonomy (FQ codes) and saying what to put right."""
    request = _lock(request)
    _require(by, "charging.triage_request", request)
    _check_version(request, expected_version)
    if failure_codes:
        unknown = [code for code in failure_codes if code not in FAILURE_CODES]
        if unknown:
            raise_if({"failure_codes": UNKNOWN_CHOICE})
    _check_move(request, RequestStatus.RETURNED_NOT_TO_STANDARD, ChargingActor.CPS_TRIAGE, reason)
    _move(request, RequestStatus.RETURNED_NOT_TO_STANDARD, returned_at=timezone.now())
    notify_case_changed(request.case)
    _audit(
        request,
        by,
        AuditEventType.CHARGING_REQUEST_RETURNED,
        "Charging request returned: not to the National File Standard",
        {"reason": reason.strip(), "failure_codes": list(failure_codes or [])},
    )
    codes = f"Failures: {', '.join(failure_codes)}\n\n" if failure_codes else ""
    _notify_police(
        request,
        by,
        "charging_returned",
        "Charging request returned as not to the National File Standard",
        f"{codes}{reason.strip()}",
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
            raise_if({"lawyer": LAWYER_NOT_IN_AREA})
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


def _clean_action_items(request: ChargingRequest, outcome: str, items: list[ActionItemDetails]) -> dict[str, str]:
    errors: dict[str, str] = {}
    if outcome == DecisionOutcome.ACTION_PLAN and not items:
        return {"action_items": ACTION_ITEMS_REQUIRED}
    if outcome not in (DecisionOutcome.ACTION_PLAN, DecisionOutcome.EARLY_ADVICE):
        return {"action_items": ACTION_ITEMS_ONLY_DEFERRED} if items else {}
    today = timezone.localdate()
    messages: list[str] = []
    for n, item in enumerate(items, start=1):
        if not item.action.strip():
            messages.append(ACTION_TEXT_REQUIRED.format(n=n))
        if not item.reason.strip():
            messages.append(ACTION_REASON_REQUIRED.format(n=n))
        if item.due_on is None:
            messages.append(ACTION_DUE_REQUIRED.format(n=n))
        elif item.due_on < today:
            messages.append(ACTION_DUE_PAST.format(n=n))
        if item.owner not in ActionItemOwner.values:
            messages.append(ACTION_OWNER_UNKNOWN.format(n=n))
        if item.offence is not None and item.offence.case_id != request.case_id:
            messages.append(ACTION_OFFENCE_NOT_ON_CASE.format(n=n))
    if messages:
        errors["action_items"] = "; ".join(messages)
    return errors


def _clean_charge(
    request: ChargingRequest,
    outcome: str,
    test_applied: str,
    threshold_review_on: date | None,
    charges: list[ChargeDetails],
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if test_applied and test_applied not in TestSought.values:
        errors["test_applied"] = UNKNOWN_CHOICE
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
    return errors


def _create_decision(
    request: ChargingRequest,
    by: User,
    outcome: str,
    reasons: str,
    test_applied: str,
    threshold_review_on: date | None,
    charges: list[ChargeDetails],
    corrects: ChargingDecision | None = None,
) -> ChargingDecision:
    decision = ChargingDecision.objects.create(
        request=request,
        outcome=outcome,
        reasons=reasons.strip(),
        test_applied=test_applied,
        threshold_review_on=threshold_review_on if test_applied == TestSought.THRESHOLD_TEST else None,
        decided_by=by,
        corrects=corrects,
    )
    DecisionCharge.objects.bulk_create(
        DecisionCharge(
            decision=decision, offence=c.offence, code=c.offence.code_with_qualifier, wording=c.wording.strip()
        )
        for c in charges
    )
    return decision


def _put_charges_on_case(request: ChargingRequest, charged: list[OffenceAllegation]) -> None:
    """A charge decision marks the charged offences as charged and the case's other offences as not proceeded
    with (they were put to the prosecutor and not authorised)."""
    ids = [o.pk for o in charged]
    OffenceAllegation.objects.filter(case_id=request.case_id, pk__in=ids).update(status=OffenceStatus.CHARGED)
    OffenceAllegation.objects.filter(case_id=request.case_id, status=OffenceStatus.ALLEGED).exclude(pk__in=ids).update(
        status=OffenceStatus.NOT_PROCEEDED
    )


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
    action_items: list[ActionItemDetails] | None = None,
    expected_version: int | None = None,
) -> ChargingDecision:
    """The allocated lawyer records the charging decision, with reasons (Code for Crown Prosecutors). A
    charge names offences on this case; a Threshold Test charge names the date it will be reviewed. A final
    outcome moves the case (charged, no further action, out-of-court disposal); an action plan or early advice
    hands the request back to the police with structured actions. The decision row is never changed."""
    request = _lock(request)
    _require(by, "charging.decide_request", request)
    _check_version(request, expected_version)
    if outcome not in DecisionOutcome.values:
        raise_if({"outcome": UNKNOWN_CHOICE})
    target = target_for_outcome(outcome)
    _check_move(request, target, ChargingActor.CPS_LAWYER)
    charges = charges or []
    items = action_items or []
    errors: dict[str, str] = {}
    if not reasons.strip():
        errors["reasons"] = REASONS_REQUIRED
    errors.update(_clean_charge(request, outcome, test_applied, threshold_review_on, charges))
    errors.update(_clean_action_items(request, outcome, items))
    raise_if(errors)
    decision = _create_decision(request, by, outcome, reasons, test_applied, threshold_review_on, charges)
    ActionPlanItem.objects.bulk_create(
        ActionPlanItem(
            request=request,
            decision=decision,
            number=n,
            action=item.action.strip(),
            reason=item.reason.strip(),
            offence=item.offence,
            point_to_prove=item.point_to_prove.strip(),
            owner=item.owner,
            due_on=item.due_on or timezone.localdate(),
        )
        for n, item in enumerate(items, start=1)
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
    if outcome == DecisionOutcome.CHARGE:
        _put_charges_on_case(request, [c.offence for c in charges])
    stamps: dict[str, Any] = (
        {"decided_at": decision.decided_at}
        if target == RequestStatus.DECIDED
        else {"action_plan_issued_at": decision.decided_at}
    )
    _move(request, target, **stamps)
    notify_case_changed(request.case)  # decision met; actions, first hearing file, TT review, victims
    label = DecisionOutcome(outcome).label
    _audit(
        request,
        by,
        AuditEventType.CHARGING_DECISION_RECORDED,
        f"Charging decision recorded: {label}",
        {
            "decision": str(decision.public_id),
            "outcome": outcome,
            "test_applied": test_applied,
            "charges": [c.code for c in decision.charges.all()],
            "action_items": len(items),
        },
    )
    if target == RequestStatus.DECIDED:
        _notify_police(request, by, "charging_decision", f"Charging decision: {label}", reasons.strip())
    else:
        due = min((i.due_on for i in items if i.due_on), default=None)
        body = f"{len(items)} action(s); the first is due on {due:%d %B %Y}." if due else reasons.strip()
        _notify_police(request, by, "charging_action_plan", f"{label} issued", body)
    return decision


@transaction.atomic
def decision_correct(
    *,
    request: ChargingRequest,
    corrects: ChargingDecision,
    by: User,
    reasons: str,
    test_applied: str = "",
    threshold_review_on: date | None = None,
    charges: list[ChargeDetails] | None = None,
    expected_version: int | None = None,
) -> ChargingDecision:
    """Correct an issued decision by recording a new one that points at it; the old one is kept unchanged.
    The correction keeps the outcome (a charge stays a charge) and may put right the charges, their wording,
    the test applied or the review date. The allocated lawyer or the Area's legal manager may correct."""
    request = _lock(request)
    if (
        not (
            rules.has_perm("charging.decide_request", by, request)
            or rules.has_perm("charging.assign_request", by, request)
        )
        or not by.is_active
    ):
        raise PermissionDenied(NOT_ALLOWED)
    _check_version(request, expected_version)
    errors: dict[str, str] = {}
    if corrects.request_id != request.pk:
        raise_if({"corrects": CORRECTS_OTHER_REQUEST})
    if corrects.outcome not in FINAL_OUTCOMES or request.status != RequestStatus.DECIDED:
        raise_if({"corrects": CORRECTS_NOT_FINAL})
    if ChargingDecision.objects.filter(corrects=corrects).exists():
        raise_if({"corrects": CORRECTS_SUPERSEDED})
    charges = charges or []
    outcome = corrects.outcome
    if not reasons.strip():
        errors["reasons"] = CORRECTION_REASON
    errors.update(_clean_charge(request, outcome, test_applied, threshold_review_on, charges))
    raise_if(errors)
    decision = _create_decision(
        request, by, outcome, reasons, test_applied, threshold_review_on, charges, corrects=corrects
    )
    if outcome == DecisionOutcome.CHARGE:
        OffenceAllegation.objects.filter(case_id=request.case_id).exclude(
            pk__in=[c.offence.pk for c in charges]
        ).filter(status=OffenceStatus.CHARGED).update(status=OffenceStatus.NOT_PROCEEDED)
        _put_charges_on_case(request, [c.offence for c in charges])
    request.version += 1
    request.save(update_fields=["version", "updated_at"])
    notify_case_changed(request.case)
    _audit(
        request,
        by,
        AuditEventType.CHARGING_DECISION_CORRECTED,
        f"Charging decision corrected: {DecisionOutcome(outcome).label}",
        {
            "decision": str(decision.public_id),
            "corrects": str(corrects.public_id),
            "charges": [c.code for c in decision.charges.all()],
        },
    )
    _notify_police(request, by, "charging_decision", "Charging decision corrected", reasons.strip())
    return decision


def current_action_items(request: ChargingRequest) -> list[ActionPlanItem]:
    """The actions of the latest action plan or early advice on the request (earlier plans were answered)."""
    latest = (
        ChargingDecision.objects.filter(
            request=request, outcome__in=[DecisionOutcome.ACTION_PLAN, DecisionOutcome.EARLY_ADVICE]
        )
        .order_by("-decided_at", "-id")
        .first()
    )
    if latest is None:
        return []
    return list(latest.action_items.order_by("number"))


_AWAITING_POLICE = (RequestStatus.ACTION_PLAN_ISSUED, RequestStatus.ADMINISTRATIVELY_FINALISED)


@transaction.atomic
def action_item_answer(
    *,
    item: ActionPlanItem,
    by: User,
    status: str,
    response: str,
    documents: list[Document] | None = None,
) -> ActionPlanItem:
    """The police answer one action: done (with the material that does it), cannot be done (why), or
    disputed (why). An answer can be changed until the request is resubmitted."""
    request = _lock(item.request)
    _require(by, "charging.submit_request", request)
    item = ActionPlanItem.objects.select_for_update().get(pk=item.pk)
    if request.status not in _AWAITING_POLICE:
        raise_if({"status": ANSWER_NOT_OPEN})
    if item.pk not in {i.pk for i in current_action_items(request)}:
        raise_if({"item": ANSWER_OLD_PLAN})
    errors: dict[str, str] = {}
    if status not in ANSWERED_STATUSES:
        errors["status"] = ANSWER_STATUS
    elif not response.strip():
        errors["response"] = ANSWER_TEXT[ActionItemStatus(status)]
    documents = documents or []
    if any(d.case_id != request.case_id for d in documents):
        errors["documents"] = DOCUMENT_NOT_ON_CASE
    raise_if(errors)
    item.status = status
    item.response = response.strip()
    item.responded_by = by
    item.responded_at = timezone.now()
    item.save()
    item.documents.set(documents)
    notify_case_changed(request.case)  # the action's deadline is met
    _audit(
        request,
        by,
        AuditEventType.CHARGING_ACTION_ANSWERED,
        f"Action {item.number} answered: {ActionItemStatus(status).label}",
        {"item": str(item.public_id), "answer": status, "documents": [str(d.public_id) for d in documents]},
    )
    return item


def _back_to_lawyer(request: ChargingRequest, by: User) -> None:
    """A resubmission returns to the lawyer who has the request, if they can still act on it; otherwise it
    waits in the Area's queue, marked resubmitted, for a lawyer to take or a legal manager to assign."""
    lawyer = request.allocated_lawyer
    if lawyer is not None and lawyer.is_active and rules.has_perm("charging.decide_request", lawyer, request):
        _move(request, RequestStatus.ALLOCATED)
        _notify_lawyer(
            request,
            by,
            "charging_resubmitted",
            "Charging request resubmitted (MG3A)",
            "The police have answered the action plan. The request is back with you.",
        )
    else:
        ChargingRequest.objects.filter(pk=request.pk).update(allocated_lawyer=None)
        request.allocated_lawyer = None


def _record_resubmission(request: ChargingRequest, by: User, summary: str, reopened: bool) -> Resubmission:
    number = (request.resubmissions.aggregate(n=Max("number"))["n"] or 0) + 1
    return Resubmission.objects.create(
        request=request, number=number, summary=summary.strip(), reopened=reopened, submitted_by=by
    )


@transaction.atomic
def request_resubmit(
    *, request: ChargingRequest, by: User, summary: str, expected_version: int | None = None
) -> ChargingRequest:
    """The police answer the action plan (MG3A): every action must be answered; the same request goes back to
    the lawyer who issued the plan."""
    request = _lock(request)
    _require(by, "charging.submit_request", request)
    _check_version(request, expected_version)
    _check_move(request, RequestStatus.RESUBMITTED, ChargingActor.POLICE_OFFICER, summary)
    errors: dict[str, str] = {}
    open_items = [i.number for i in current_action_items(request) if i.status == ActionItemStatus.OPEN]
    if open_items:
        errors["action_items"] = UNANSWERED_ITEMS.format(numbers=", ".join(f"action {n}" for n in open_items))
    if not summary.strip():
        errors["summary"] = RESUBMISSION_SUMMARY
    raise_if(errors)
    resubmission = _record_resubmission(request, by, summary, reopened=False)
    now = timezone.now()
    _move(request, RequestStatus.RESUBMITTED, resubmitted_at=now, resubmission_count=resubmission.number)
    notify_case_changed(request.case)  # a new decision is owed
    _audit(
        request,
        by,
        AuditEventType.CHARGING_REQUEST_RESUBMITTED,
        f"Charging request resubmitted (MG3A {resubmission.number})",
        {"summary": summary.strip(), "resubmission": resubmission.number},
    )
    _back_to_lawyer(request, by)
    return request


@transaction.atomic
def request_reopen(
    *, request: ChargingRequest, by: User, summary: str, expected_version: int | None = None
) -> ChargingRequest:
    """The police reopen an administratively finalised request because the material has arrived."""
    request = _lock(request)
    _require(by, "charging.submit_request", request)
    _check_version(request, expected_version)
    try:
        _check_move(request, RequestStatus.RESUBMITTED, ChargingActor.POLICE_OFFICER, summary)
    except ValidationError:
        if not summary.strip() and request.status == RequestStatus.ADMINISTRATIVELY_FINALISED:
            raise_if({"summary": "Say what material has arrived"})
        raise
    if request.status != RequestStatus.ADMINISTRATIVELY_FINALISED:
        raise_if({"status": "Only an administratively finalised request can be reopened"})
    resubmission = _record_resubmission(request, by, summary, reopened=True)
    if request.case.status == CaseStatus.ADMINISTRATIVELY_FINALISED:
        case_transition(
            case=request.case,
            to=CaseStatus.AWAITING_CHARGING_DECISION,
            by=by,
            reason="Charging request reopened: new material",
            mover=Mover.SYSTEM,
        )
    _move(request, RequestStatus.RESUBMITTED, resubmitted_at=timezone.now(), resubmission_count=resubmission.number)
    notify_case_changed(request.case)  # a new decision is owed
    _audit(
        request,
        by,
        AuditEventType.CHARGING_REQUEST_REOPENED,
        "Charging request reopened: new material",
        {"summary": summary.strip(), "resubmission": resubmission.number},
    )
    _back_to_lawyer(request, by)
    return request


def finalise_unanswered_action_plans(*, now: Any = None) -> int:
    """Administratively finalise each request whose action plan (or early advice) has gone unanswered for
    ``CHARGING_ADMIN_FINALISATION_DAYS`` after its last action fell due (or after it was issued, when it listed
    no actions). Each request is finalised in its own transaction under its row lock. Returns how many."""
    now = now or timezone.now()
    days = settings.CHARGING_ADMIN_FINALISATION_DAYS
    cutoff_day = timezone.localdate(now) - timedelta(days=days)
    candidates = ChargingRequest.objects.filter(
        status=RequestStatus.ACTION_PLAN_ISSUED, action_plan_issued_at__lt=now - timedelta(days=days)
    ).values_list("pk", flat=True)
    finalised = 0
    for pk in candidates:
        with transaction.atomic():
            request = ChargingRequest.objects.select_for_update(of=("self",)).select_related("case").get(pk=pk)
            if request.status != RequestStatus.ACTION_PLAN_ISSUED:
                continue
            items = current_action_items(request)
            last_due = max((i.due_on for i in items), default=None)
            if last_due is not None and last_due > cutoff_day:
                continue
            if any(i.status != ActionItemStatus.OPEN for i in items):
                # Partly answered: the police are working on it; escalation, not finalisation.
                continue
            _check_move(request, RequestStatus.ADMINISTRATIVELY_FINALISED, ChargingActor.SYSTEM)
            if request.case.status == CaseStatus.AWAITING_CHARGING_DECISION:
                case_transition(
                    case=request.case,
                    to=CaseStatus.ADMINISTRATIVELY_FINALISED,
                    by=None,
                    reason=f"Charging request administratively finalised: action plan unanswered for {days} days",
                    mover=Mover.SYSTEM,
                )
            _move(request, RequestStatus.ADMINISTRATIVELY_FINALISED, finalised_at=now)
            notify_case_changed(request.case)
            _audit(
                request,
                None,
                AuditEventType.CHARGING_REQUEST_FINALISED,
                f"Charging request administratively finalised: action plan unanswered for {days} days",
                {"days": days},
            )
            body = (
                "This is a case-management status, not a legal decision. Reopen the request from the case's "
                "Charging tab when the material arrives."
            )
            _notify_police(request, None, "charging_finalised", "Charging request administratively finalised", body)
            _notify_lawyer(request, None, "charging_finalised", "Charging request administratively finalised", body)
            finalised += 1
    return finalised


def escalate_overdue_action_items(*, today: date | None = None) -> int:
    """Escalate each unanswered action past its due date, once: the officer in the case and the supervisor
    are told, and the escalation is audited on the case. Returns how many actions were escalated."""
    today = today or timezone.localdate()
    overdue = (
        ActionPlanItem.objects.filter(
            status=ActionItemStatus.OPEN,
            due_on__lt=today,
            escalated_at__isnull=True,
            request__status=RequestStatus.ACTION_PLAN_ISSUED,
        )
        .values_list("request_id", flat=True)
        .distinct()
    )
    escalated = 0
    for request_pk in list(overdue):
        with transaction.atomic():
            request = ChargingRequest.objects.select_for_update(of=("self",)).select_related("case").get(pk=request_pk)
            # Only the current plan: an earlier plan's actions left open (finalised unanswered, then reopened)
            # can no longer be answered, so chasing them would only confuse.
            current = [i.pk for i in current_action_items(request)]
            items = list(
                ActionPlanItem.objects.select_for_update()
                .filter(pk__in=current, status=ActionItemStatus.OPEN, due_on__lt=today, escalated_at__isnull=True)
                .order_by("number")
            )
            if not items or request.status != RequestStatus.ACTION_PLAN_ISSUED:
                continue
            now = timezone.now()
            ActionPlanItem.objects.filter(pk__in=[i.pk for i in items]).update(escalated_at=now)
            numbers = ", ".join(str(i.number) for i in items)
            _audit(
                request,
                None,
                AuditEventType.CHARGING_ACTION_ESCALATED,
                f"Overdue action plan item(s) escalated: {numbers}",
                {"items": [str(i.public_id) for i in items]},
            )
            body = "\n".join(f"Action {i.number} was due on {i.due_on:%d %B %Y}: {i.action}" for i in items)
            _notify_police(request, None, "charging_action_overdue", "Action plan overdue", body)
            escalated += len(items)
    return escalated


@dataclass
class PoliceChargeDetails:
    offences: list[OffenceAllegation]
    rationale: str
    anticipated_plea: str = AnticipatedPlea.GUILTY
    likely_sentence_over_12_months: bool = False
    suitable_for_magistrates: bool = True
    emergency_authorised_by: str = ""


@transaction.atomic
def police_charge_record(*, case: Case, details: PoliceChargeDetails, by: User) -> PoliceChargeDecision:
    """A police supervisor records the police's own charging decision where DG6 Annex 1 allows it, with the
    rationale DG6 requires. A case DG6 reserves for the CPS is refused unless an inspector gave emergency
    authority (PACE clock about to expire, the CPS unobtainable), which is then recorded by name."""
    _require(by, "charging.police_charge", case)
    case = Case.objects.select_for_update().get(pk=case.pk)
    errors: dict[str, str] = {}
    if not details.offences:
        errors["offences"] = CHARGES_REQUIRED
    elif any(o.case_id != case.pk for o in details.offences):
        errors["offences"] = OFFENCE_NOT_ON_CASE
    if not details.rationale.strip():
        errors["rationale"] = RATIONALE_REQUIRED
    if details.anticipated_plea not in AnticipatedPlea.values:
        errors["anticipated_plea"] = UNKNOWN_CHOICE
    raise_if(errors)
    if (
        ChargingRequest.objects.filter(case=case)
        .exclude(status__in=[RequestStatus.DRAFT, RequestStatus.WITHDRAWN, RequestStatus.DECIDED])
        .exists()
    ):
        raise_if({"case": POLICE_CHARGE_OPEN_REQUEST})
    emergency = bool(details.emergency_authorised_by.strip())
    # Annex 1: where a case mixes police and CPS offences all go to the CPS, so route on every offence.
    routing = routing_for_case(
        case,
        anticipated_plea=details.anticipated_plea,
        likely_sentence_over_12_months=details.likely_sentence_over_12_months,
        suitable_for_magistrates=details.suitable_for_magistrates,
        emergency_inspector_authority=emergency,
    )
    if routing is None:
        raise_if({"offences": NO_OFFENCES})
    assert routing is not None
    if routing.decider != ChargingDecider.POLICE:
        cps_rule = routing.cps_rule or routing.rule
        raise_if({"offences": POLICE_CHARGE_CPS_CASE.format(reason=cps_rule.reason.rstrip("."))})
    if emergency and not routing.emergency_authority_used:
        # The police could charge anyway: no emergency authority is needed, so none is recorded.
        details.emergency_authorised_by = ""
    decision = PoliceChargeDecision.objects.create(
        case=case,
        rationale=details.rationale.strip(),
        dg6_rule=routing.rule_id,
        anticipated_plea=details.anticipated_plea,
        emergency_authorised_by=details.emergency_authorised_by.strip(),
        decided_by=by,
    )
    decision.offences.set(details.offences)
    case_transition(
        case=case, to=CaseStatus.CHARGED, by=by, reason="Charged by the police under DG6", mover=Mover.SYSTEM
    )
    OffenceAllegation.objects.filter(pk__in=[o.pk for o in details.offences]).update(status=OffenceStatus.CHARGED)
    notify_case_changed(case)  # charged in time meets the time limit; the first hearing file is due
    audit_record(
        by=by,
        event_type=AuditEventType.POLICE_CHARGE_RECORDED,
        obj=decision,
        case_id=case.public_id,
        summary=f"Charged by the police under DG6 ({routing.rule_id})",
        data={
            "rule": routing.rule_id,
            "offences": [o.code_with_qualifier for o in details.offences],
            "emergency_authorised_by": decision.emergency_authorised_by,
        },
    )
    return decision
