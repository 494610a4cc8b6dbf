"""Police charging pages: the case's Charging tab (DG6 "who decides", the requests and their decisions), the MG3
police part, the supervisor's review, withdrawal, answering an action plan item by item, resubmission (MG3A),
reopening an administratively finalised request, and a police charge under DG6 Annex 1.

Reads go through the scoped selectors (outside the user's scope is the same 404 as "does not exist"); every
write is a ``charging.services`` call, whose refusals are shown against the fields they are about. A user who
can see the request but may not do the thing gets the 403 page.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import rules
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch, prefetch_related_objects
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.audit import audit_record
from accounts.choices import AuditEventType
from accounts.models import User
from casework.models import Case, OffenceAllegation
from casework.selectors import case_get_visible_to
from casework.views._common import apply_service_errors, case_context, current_user, posted
from files.selectors import document_list_for
from files.services.submissions import submission_list_visible_to

from .. import services
from ..choices import ActionItemStatus, AnticipatedPlea, ChargingDecider, DecisionOutcome, RequestStatus
from ..forms_police import (
    ActionAnswerForm,
    Mg3Form,
    PoliceChargeForm,
    ReopenForm,
    ResubmitForm,
    ReviewForm,
    VersionedForm,
    WithdrawForm,
    carriable_submissions,
    initial_from_request,
    parse_target_date,
)
from ..models import ActionPlanItem, ChargingDecision, ChargingRequest, PoliceChargeDecision
from ..routing import NO_OFFENCES, routing_for_case
from ..selectors import (
    QUEUE_STATUSES,
    action_item_get_for,
    decisions_for,
    due_at,
    latest_action_plan,
    request_get_for,
    requests_for_case,
    resubmissions_for,
)
from ..workflow import TERMINAL

# GOV.UK tag colours; every tag carries its status in words too.
REQUEST_TAG_CLASSES: dict[str, str] = {
    RequestStatus.DRAFT: "govuk-tag--grey",
    RequestStatus.AWAITING_SUPERVISOR: "govuk-tag--light-blue",
    RequestStatus.WITH_CPS_TRIAGE: "govuk-tag--blue",
    RequestStatus.RETURNED_NOT_TO_STANDARD: "govuk-tag--red",
    RequestStatus.ACCEPTED_AWAITING_ALLOCATION: "govuk-tag--yellow",
    RequestStatus.ALLOCATED: "govuk-tag--purple",
    RequestStatus.ACTION_PLAN_ISSUED: "govuk-tag--orange",
    RequestStatus.RESUBMITTED: "govuk-tag--blue",
    RequestStatus.DECIDED: "govuk-tag--green",
    RequestStatus.ADMINISTRATIVELY_FINALISED: "govuk-tag--grey",
    RequestStatus.WITHDRAWN: "govuk-tag--grey",
}
ITEM_TAG_CLASSES: dict[str, str] = {
    ActionItemStatus.OPEN: "govuk-tag--yellow",
    ActionItemStatus.DONE: "govuk-tag--green",
    ActionItemStatus.CANNOT_BE_DONE: "govuk-tag--orange",
    ActionItemStatus.DISPUTED: "govuk-tag--purple",
}

# Messages shown on a redirect when a page no longer applies; tests import them.
NOT_A_DRAFT = "Only a draft charging request can be changed or withdrawn: this one is “{status}”"
NOT_AWAITING_REVIEW = "This charging request is not waiting for a supervisor's review: it is “{status}”"
NOT_AWAITING_POLICE = "This charging request is not waiting for the police to answer an action plan: it is “{status}”"
NOT_FINALISED = "Only an administratively finalised charging request can be reopened: this one is “{status}”"

# Where a field of the MG3 is on the edit page, for error summaries on other pages.
MG3_ANCHORS: dict[str, str] = {
    **{name: f"id_{name}" for name in services.MG3_TEXT_FIELDS},
    "category": "id_category_0",
    "test_sought": "id_test_sought_0",
    "anticipated_plea": "id_anticipated_plea_0",
    "submission": "id_submission",
}
ACTIONS_ANCHOR = "request-actions"


# ---------------------------------------------------------------------------------------------
# Shared


def _can(user: User, perm: str, obj: object) -> bool:
    """Asked of the rules directly, as the services do (a superuser has no charging powers)."""
    return bool(user.is_active and rules.has_perm(perm, user, obj))


def _require(user: User, perm: str, obj: object) -> None:
    if not _can(user, perm, obj):
        raise PermissionDenied


def _case(request: HttpRequest, case_id: uuid.UUID) -> Case:
    return case_get_visible_to(user=current_user(request), public_id=case_id)


def _request(request: HttpRequest, case_id: uuid.UUID, request_id: uuid.UUID) -> tuple[Case, ChargingRequest]:
    case = _case(request, case_id)
    return case, request_get_for(user=current_user(request), case=case, public_id=request_id)


def case_charging_url(case: Case) -> str:
    return reverse("charging:case-charging", args=[case.public_id])


def detail_url(case: Case, charging_request: ChargingRequest) -> str:
    return reverse("charging:request-detail", args=[case.public_id, charging_request.public_id])


def _not_now(request: HttpRequest, case: Case, charging_request: ChargingRequest, message: str) -> HttpResponse:
    """A page that does not apply to the request as it now stands: back to the request, saying why."""
    messages.info(request, message.format(status=charging_request.get_status_display()))
    return redirect(detail_url(case, charging_request))


def _version(form: forms.Form) -> int | None:
    value = form.cleaned_data.get("version")
    return value if isinstance(value, int) else None


def evidence_rows(charging_request: ChargingRequest) -> list[dict[str, Any]]:
    """The MG3's outstanding evidence with each target date read as a date (stored as ISO text)."""
    return [
        {**row, "target_on": parse_target_date(str(row.get("target_date", "")))}
        for row in charging_request.outstanding_evidence or []
    ]


@dataclass(frozen=True)
class Step:
    label: str
    at: datetime


def request_steps(charging_request: ChargingRequest) -> list[Step]:
    """Every step the request has reached, with its time, in the order they happen."""
    r = charging_request
    sent = "Approved and sent to CPS Direct" if r.to_cps_direct else "Approved and sent to the CPS"
    steps = [
        ("Referred (MG3 started)", r.created_at),
        ("Submitted for supervisor review", r.submitted_at),
        (sent, r.received_by_cps_at),
        ("Returned: not to the National File Standard", r.returned_at),
        ("Accepted by CPS triage", r.accepted_at),
        ("Allocated to a lawyer", r.allocated_at),
        ("Action plan or early advice issued", r.action_plan_issued_at),
        ("Answered and resubmitted (MG3A)", r.resubmitted_at),
        ("Administratively finalised", r.finalised_at),
        ("Decided", r.decided_at),
    ]
    return [Step(label, at) for label, at in steps if at is not None]


@dataclass(frozen=True)
class Due:
    at: datetime | None
    owed: bool
    overdue: bool


def due_of(charging_request: ChargingRequest, now: datetime) -> Due:
    """When the CPS owes its decision, and whether that time has passed while the CPS still holds it."""
    at = due_at(charging_request)
    owed = charging_request.status in QUEUE_STATUSES
    return Due(at=at, owed=owed, overdue=bool(owed and at is not None and at < now))


def cps_links(user: User, case: Case, charging_request: ChargingRequest) -> list[tuple[str, str]]:
    """The CPS pages this user may open for the request, as (text, url)."""
    r, args = charging_request, [case.public_id, charging_request.public_id]
    links: list[tuple[str, str]] = []
    if r.status == RequestStatus.WITH_CPS_TRIAGE and _can(user, "charging.triage_request", r):
        links.append(("Triage this request", reverse("charging:request-triage", args=args)))
    waiting = r.status == RequestStatus.ACCEPTED_AWAITING_ALLOCATION or (
        r.status == RequestStatus.RESUBMITTED and r.allocated_lawyer_id is None
    )
    if waiting and _can(user, "charging.assign_request", r):
        links.append(("Assign this request to a lawyer", reverse("charging:request-allocate", args=args)))
    elif waiting and _can(user, "charging.take_request", r):
        links.append(("Take this request", reverse("charging:request-allocate", args=args)))
    if _can(user, "charging.decide_request", r):
        links.append(("Open the lawyer's workspace", reverse("charging:workspace", args=args)))
    return links


@dataclass(frozen=True)
class PoliceActions:
    """The police buttons the user may use on the request as it stands."""

    edit: bool = False
    submit: bool = False
    withdraw: bool = False
    review: bool = False
    answer: bool = False
    resubmit: bool = False
    reopen: bool = False
    take_back: bool = False

    @classmethod
    def of(cls, user: User, charging_request: ChargingRequest) -> PoliceActions:
        status = charging_request.status
        builder = _can(user, "charging.submit_request", charging_request)
        supervisor = _can(user, "charging.approve_request", charging_request)
        draft = status == RequestStatus.DRAFT
        return cls(
            edit=draft and builder,
            submit=draft and builder,
            withdraw=draft and (builder or supervisor),
            review=status == RequestStatus.AWAITING_SUPERVISOR and supervisor,
            answer=builder and status in (RequestStatus.ACTION_PLAN_ISSUED, RequestStatus.ADMINISTRATIVELY_FINALISED),
            resubmit=builder and status == RequestStatus.ACTION_PLAN_ISSUED,
            reopen=builder and status == RequestStatus.ADMINISTRATIVELY_FINALISED,
            take_back=builder and status == RequestStatus.RETURNED_NOT_TO_STANDARD,
        )

    @property
    def any(self) -> bool:
        return any((self.edit, self.submit, self.withdraw, self.review, self.resubmit, self.reopen, self.take_back))


def decision_rows(
    user: User, case: Case, charging_request: ChargingRequest, decisions: list[ChargingDecision], *, answer: bool
) -> list[dict[str, Any]]:
    """What ``charging/_decisions.html`` shows: each decision with its charges, its actions (with the answer,
    the material linked to it that this user may see, and the answer link on the current plan) and any
    correction. No queries beyond ``decisions_for`` and one for the material the user may see."""
    visible = set(document_list_for(user=user, case=case).prefetch_related(None).values_list("pk", flat=True))
    plan = latest_action_plan(decisions)
    today = timezone.localdate()
    waiting = charging_request.status == RequestStatus.ACTION_PLAN_ISSUED
    rows = []
    for decision in decisions:
        current = plan is not None and decision.pk == plan.pk
        items = []
        for item in decision.action_items.all():
            items.append(
                {
                    "item": item,
                    "tag_class": ITEM_TAG_CLASSES.get(item.status, "govuk-tag--grey"),
                    "overdue": waiting and current and item.status == ActionItemStatus.OPEN and item.due_on < today,
                    "documents": [d for d in item.documents.all() if d.pk in visible],
                    "answer_url": reverse(
                        "charging:action-answer", args=[case.public_id, charging_request.public_id, item.public_id]
                    )
                    if answer and current
                    else None,
                }
            )
        rows.append(
            {
                "decision": decision,
                "charges": list(decision.charges.all()),
                "items": items,
                "corrected_by": list(decision.corrected_by.all()),
                "current_plan": current,
                "deferred": decision.outcome in (DecisionOutcome.ACTION_PLAN, DecisionOutcome.EARLY_ADVICE),
            }
        )
    return rows


# ---------------------------------------------------------------------------------------------
# The case's Charging tab


def _latest(decisions: list[ChargingDecision]) -> ChargingDecision | None:
    return max(decisions, key=lambda d: (d.decided_at, d.pk), default=None)


@login_required
def case_charging(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    user = current_user(request)
    case = _case(request, case_id)
    charging_requests = list(
        requests_for_case(user=user, case=case).prefetch_related(
            Prefetch("decisions", queryset=ChargingDecision.objects.order_by("decided_at", "id"))
        )
    )
    # Who decides, on the case's offences as they stand and the plea of the latest request.
    prefetch_related_objects([case], "victims")
    offences = list(case.offences.select_related("offence_code", "suspect").order_by("created_at", "id"))
    plea = charging_requests[0].anticipated_plea if charging_requests else AnticipatedPlea.UNKNOWN
    routing = routing_for_case(case, anticipated_plea=plea, offences=offences)
    now = timezone.now()
    rows = [
        {
            "request": r,
            "tag_class": REQUEST_TAG_CLASSES.get(r.status, "govuk-tag--grey"),
            "steps": request_steps(r),
            "due": due_of(r, now),
            "latest_decision": _latest(list(r.decisions.all())),
            "cps_links": cps_links(user, case, r),
        }
        for r in charging_requests
    ]
    police_charges = list(
        PoliceChargeDecision.objects.filter(case=case)
        .select_related("decided_by")
        .prefetch_related(Prefetch("offences", queryset=OffenceAllegation.objects.select_related("offence_code")))
    )
    has_open = any(r.status not in TERMINAL for r in charging_requests)
    can_create = _can(user, "charging.create_request", case)
    context = case_context(case, user, "charging")
    context.update(
        rows=rows,
        routing=routing,
        routing_plea=AnticipatedPlea(plea).label,
        police_decides=routing is not None and routing.decider == ChargingDecider.POLICE,
        offence_rules=list(zip(offences, routing.offence_rules, strict=True)) if routing else [],
        no_offences_message=NO_OFFENCES,
        police_charges=police_charges,
        can_police_charge=_can(user, "charging.police_charge", case),
        can_create=can_create,
        can_start=can_create and not has_open,
        has_open=has_open,
    )
    return render(request, "charging/case_charging.html", context)


# ---------------------------------------------------------------------------------------------
# The MG3


def _mg3_page(
    request: HttpRequest, case: Case, form: Mg3Form, *, title: str, submit: str, back_url: str
) -> HttpResponse:
    context = {"case": case, "form": form, "title": title, "submit_label": submit, "back_url": back_url}
    return render(request, "charging/police/mg3_form.html", context, status=400 if form.errors else 200)


@login_required
def request_create(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    user = current_user(request)
    case = _case(request, case_id)
    _require(user, "charging.create_request", case)
    submissions = carriable_submissions(submission_list_visible_to(user=user, case=case), None)
    form = Mg3Form(posted(request), submissions=submissions, versioned=False)
    if request.method == "POST" and form.is_valid():
        try:
            created = services.request_create(case=case, details=form.details(), by=user)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "Charging request (MG3) saved as a draft")
            return redirect(detail_url(case, created))
    return _mg3_page(
        request,
        case,
        form,
        title="Start a charging request (MG3)",
        submit="Save as a draft",
        back_url=case_charging_url(case),
    )


@login_required
def request_edit(request: HttpRequest, case_id: uuid.UUID, request_id: uuid.UUID) -> HttpResponse:
    user = current_user(request)
    case, charging_request = _request(request, case_id, request_id)
    _require(user, "charging.submit_request", charging_request)
    if request.method != "POST" and charging_request.status != RequestStatus.DRAFT:
        return _not_now(request, case, charging_request, NOT_A_DRAFT)
    submissions = carriable_submissions(submission_list_visible_to(user=user, case=case), charging_request.submission)
    form = Mg3Form(
        posted(request),
        initial=initial_from_request(charging_request),
        submissions=submissions,
        evidence=list(charging_request.outstanding_evidence or []),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.request_update(
                request=charging_request, details=form.details(), by=user, expected_version=_version(form)
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "Charging request (MG3) saved")
            return redirect(detail_url(case, charging_request))
    return _mg3_page(
        request,
        case,
        form,
        title="Change the charging request (MG3)",
        submit="Save changes",
        back_url=detail_url(case, charging_request),
    )


def _detail(
    request: HttpRequest,
    case: Case,
    charging_request: ChargingRequest,
    *,
    action_errors: list[tuple[str, str]] | None = None,
    status: int = 200,
) -> HttpResponse:
    user = current_user(request)
    actions = PoliceActions.of(user, charging_request)
    decisions = decisions_for(charging_request)
    context = case_context(case, user, "charging")
    context.update(
        tab_title="Charging request (MG3)",
        charging_request=charging_request,
        mg3_evidence=evidence_rows(charging_request),
        tag_class=REQUEST_TAG_CLASSES.get(charging_request.status, "govuk-tag--grey"),
        steps=request_steps(charging_request),
        due=due_of(charging_request, timezone.now()),
        decision_rows=decision_rows(user, case, charging_request, decisions, answer=actions.answer),
        resubmissions=list(resubmissions_for(charging_request)),
        actions=actions,
        version=charging_request.version,
        cps_links=cps_links(user, case, charging_request),
        action_errors=action_errors or [],
        actions_anchor=ACTIONS_ANCHOR,
        back_url=case_charging_url(case),
    )
    return render(request, "charging/police/request_detail.html", context, status=status)


@login_required
def request_detail(request: HttpRequest, case_id: uuid.UUID, request_id: uuid.UUID) -> HttpResponse:
    user = current_user(request)
    case, charging_request = _request(request, case_id, request_id)
    audit_record(
        by=user,
        event_type=AuditEventType.CASE_VIEWED,
        obj=charging_request,
        case_id=case.public_id,
        data={"part": "charging_request"},
    )
    return _detail(request, case, charging_request)


def error_links(case: Case, charging_request: ChargingRequest, exc: ValidationError) -> list[tuple[str, str]]:
    """A service's refusal as error summary links: an MG3 field's message links to that field on the edit
    page; anything else to the request's buttons on this page."""
    edit = reverse("charging:request-edit", args=[case.public_id, charging_request.public_id])
    links: list[tuple[str, str]] = []
    for key, messages_ in exc.message_dict.items():
        href = f"{edit}#{MG3_ANCHORS[key]}" if key in MG3_ANCHORS else f"#{ACTIONS_ANCHOR}"
        links.extend((href, message) for message in messages_)
    return links


def _post_step(
    request: HttpRequest,
    case_id: uuid.UUID,
    request_id: uuid.UUID,
    step: Callable[..., ChargingRequest],
    success: str,
) -> HttpResponse:
    """A button on the request page that moves the request (``step`` is the service, called with the request,
    the user and the version the page showed): refusals go back to that page's error summary."""
    user = current_user(request)
    case, charging_request = _request(request, case_id, request_id)
    form = VersionedForm(request.POST)
    if not form.is_valid():
        errors = [(f"#{ACTIONS_ANCHOR}", str(e)) for e in form.non_field_errors()]
        return _detail(request, case, charging_request, action_errors=errors, status=400)
    try:
        step(request=charging_request, by=user, expected_version=_version(form))
    except ValidationError as exc:
        charging_request.refresh_from_db()
        return _detail(
            request, case, charging_request, action_errors=error_links(case, charging_request, exc), status=400
        )
    messages.success(request, success)
    return redirect(detail_url(case, charging_request))


@login_required
@require_POST
def request_submit(request: HttpRequest, case_id: uuid.UUID, request_id: uuid.UUID) -> HttpResponse:
    return _post_step(
        request, case_id, request_id, services.request_submit, "Charging request submitted for supervisor review"
    )


@login_required
@require_POST
def request_take_back(request: HttpRequest, case_id: uuid.UUID, request_id: uuid.UUID) -> HttpResponse:
    """The officer takes a request CPS triage returned back to a draft, to put it right and send it again."""
    return _post_step(
        request,
        case_id,
        request_id,
        services.request_take_back,
        "Charging request taken back: change the MG3 and the file, then submit it again",
    )


# ---------------------------------------------------------------------------------------------
# Supervisor review, withdrawal


@login_required
def request_review(request: HttpRequest, case_id: uuid.UUID, request_id: uuid.UUID) -> HttpResponse:
    user = current_user(request)
    case, charging_request = _request(request, case_id, request_id)
    _require(user, "charging.approve_request", charging_request)
    if request.method != "POST" and charging_request.status != RequestStatus.AWAITING_SUPERVISOR:
        return _not_now(request, case, charging_request, NOT_AWAITING_REVIEW)
    form = ReviewForm(posted(request), initial={"version": charging_request.version})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["decision"] == ReviewForm.APPROVE:
                services.request_approve(
                    request=charging_request,
                    by=user,
                    expected_version=_version(form),
                    to_cps_direct=bool(data["to_cps_direct"]),
                )
                done = "sent to CPS Direct" if data["to_cps_direct"] else "sent to the CPS"
                message = f"Charging request approved and {done}"
            else:
                services.request_return_to_police(
                    request=charging_request, by=user, reason=data["reason"], expected_version=_version(form)
                )
                message = "Charging request returned to the officer"
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, message)
            return redirect(detail_url(case, charging_request))
    context = {
        "case": case,
        "form": form,
        "charging_request": charging_request,
        "mg3_evidence": evidence_rows(charging_request),
        "title": "Review the charging request",
        "submit_label": "Confirm your decision",
        "back_url": detail_url(case, charging_request),
    }
    return render(request, "charging/police/review.html", context, status=400 if form.errors else 200)


@login_required
def request_withdraw(request: HttpRequest, case_id: uuid.UUID, request_id: uuid.UUID) -> HttpResponse:
    user = current_user(request)
    case, charging_request = _request(request, case_id, request_id)
    if not (
        _can(user, "charging.submit_request", charging_request)
        or _can(user, "charging.approve_request", charging_request)
    ):
        raise PermissionDenied
    if request.method != "POST" and charging_request.status != RequestStatus.DRAFT:
        return _not_now(request, case, charging_request, NOT_A_DRAFT)
    form = WithdrawForm(posted(request), initial={"version": charging_request.version})
    done = _text_step(
        request,
        case,
        charging_request,
        form,
        step=services.request_withdraw,
        field="reason",
        success="Charging request withdrawn",
    )
    if done is not None:
        return done
    return _form_page(
        request,
        "charging/police/withdraw.html",
        case,
        form,
        title="Withdraw the charging request",
        submit="Withdraw the request",
        back_url=detail_url(case, charging_request),
        charging_request=charging_request,
    )


def _text_step(
    request: HttpRequest,
    case: Case,
    charging_request: ChargingRequest,
    form: forms.Form,
    *,
    step: Callable[..., ChargingRequest],
    field: str,
    success: str,
) -> HttpResponse | None:
    """On a valid POST, call the service ``step`` with the form's one text ``field`` (as that keyword) and the
    version the form carried; on success redirect to the request with ``success``, on refusal put the
    service's messages on the form and return None so the page is shown again."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        step(
            request=charging_request,
            by=current_user(request),
            expected_version=_version(form),
            **{field: form.cleaned_data[field]},
        )
    except ValidationError as exc:
        apply_service_errors(form, exc)
        return None
    messages.success(request, success)
    return redirect(detail_url(case, charging_request))


def _form_page(
    request: HttpRequest,
    template: str,
    case: Case,
    form: forms.Form,
    *,
    title: str,
    submit: str,
    back_url: str,
    **extra: Any,
) -> HttpResponse:
    context = {"case": case, "form": form, "title": title, "submit_label": submit, "back_url": back_url, **extra}
    return render(request, template, context, status=400 if form.errors else 200)


# ---------------------------------------------------------------------------------------------
# Action plans, MG3A, reopening


def _apply_answer_errors(form: ActionAnswerForm, exc: ValidationError) -> None:
    """The service uses ``status`` both for the answer chosen and for the request's status: a message about
    the request goes at the top, not against the radios."""
    for key, messages_ in exc.message_dict.items():
        for message in messages_:
            field = key if key in form.fields and message != services.ANSWER_NOT_OPEN else None
            form.add_error(field, message)


@login_required
def action_answer(request: HttpRequest, case_id: uuid.UUID, request_id: uuid.UUID, item_id: uuid.UUID) -> HttpResponse:
    user = current_user(request)
    case, charging_request = _request(request, case_id, request_id)
    item: ActionPlanItem = action_item_get_for(user=user, case=case, public_id=item_id)
    if item.request_id != charging_request.pk:
        raise Http404("Action not found")
    _require(user, "charging.submit_request", charging_request)
    awaiting = (RequestStatus.ACTION_PLAN_ISSUED, RequestStatus.ADMINISTRATIVELY_FINALISED)
    if request.method != "POST" and charging_request.status not in awaiting:
        return _not_now(request, case, charging_request, NOT_AWAITING_POLICE)
    answered = item.status != ActionItemStatus.OPEN
    initial = {
        "status": item.status if answered else None,
        "response": item.response,
        "documents": [d.public_id for d in item.documents.all()],
    }
    form = ActionAnswerForm(posted(request), initial=initial, documents=document_list_for(user=user, case=case))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.action_item_answer(
                item=item, by=user, status=data["status"], response=data["response"], documents=list(data["documents"])
            )
        except ValidationError as exc:
            _apply_answer_errors(form, exc)
        else:
            messages.success(request, f"Action {item.number} answered: {ActionItemStatus(data['status']).label}")
            return redirect(detail_url(case, charging_request))
    return _form_page(
        request,
        "charging/police/action_answer.html",
        case,
        form,
        title=f"Answer action {item.number}",
        submit="Save the answer",
        back_url=detail_url(case, charging_request),
        item=item,
        charging_request=charging_request,
    )


def _current_items(charging_request: ChargingRequest) -> list[dict[str, Any]]:
    plan = latest_action_plan(decisions_for(charging_request))
    items = list(plan.action_items.all()) if plan else []
    return [{"item": i, "tag_class": ITEM_TAG_CLASSES.get(i.status, "govuk-tag--grey")} for i in items]


@login_required
def request_resubmit(request: HttpRequest, case_id: uuid.UUID, request_id: uuid.UUID) -> HttpResponse:
    user = current_user(request)
    case, charging_request = _request(request, case_id, request_id)
    _require(user, "charging.submit_request", charging_request)
    if request.method != "POST" and charging_request.status != RequestStatus.ACTION_PLAN_ISSUED:
        return _not_now(request, case, charging_request, NOT_AWAITING_POLICE)
    form = ResubmitForm(posted(request), initial={"version": charging_request.version})
    done = _text_step(
        request,
        case,
        charging_request,
        form,
        step=services.request_resubmit,
        field="summary",
        success="Charging request resubmitted to the CPS (MG3A)",
    )
    if done is not None:
        return done
    items = _current_items(charging_request)
    return _form_page(
        request,
        "charging/police/resubmit.html",
        case,
        form,
        title="Resubmit the charging request (MG3A)",
        submit="Resubmit to the CPS",
        back_url=detail_url(case, charging_request),
        items=items,
        unanswered=[row["item"].number for row in items if row["item"].status == ActionItemStatus.OPEN],
        non_field_anchor="actions",
        charging_request=charging_request,
    )


@login_required
def request_reopen(request: HttpRequest, case_id: uuid.UUID, request_id: uuid.UUID) -> HttpResponse:
    user = current_user(request)
    case, charging_request = _request(request, case_id, request_id)
    _require(user, "charging.submit_request", charging_request)
    if request.method != "POST" and charging_request.status != RequestStatus.ADMINISTRATIVELY_FINALISED:
        return _not_now(request, case, charging_request, NOT_FINALISED)
    form = ReopenForm(posted(request), initial={"version": charging_request.version})
    done = _text_step(
        request,
        case,
        charging_request,
        form,
        step=services.request_reopen,
        field="summary",
        success="Charging request reopened and sent back to the CPS",
    )
    if done is not None:
        return done
    return _form_page(
        request,
        "charging/police/reopen.html",
        case,
        form,
        title="Reopen the charging request",
        submit="Reopen and send to the CPS",
        back_url=detail_url(case, charging_request),
        charging_request=charging_request,
    )


# ---------------------------------------------------------------------------------------------
# A police charge under DG6 Annex 1


@login_required
def police_charge(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    user = current_user(request)
    case = _case(request, case_id)
    _require(user, "charging.police_charge", case)
    offences = case.offences.select_related("offence_code", "suspect").order_by("created_at", "id")
    form = PoliceChargeForm(posted(request), offences=offences)
    if request.method == "POST" and form.is_valid():
        try:
            decision = services.police_charge_record(case=case, details=form.details(), by=user)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            count = decision.offences.count()
            messages.success(
                request, f"Police charging decision recorded: {count} offence{'s' if count != 1 else ''} charged"
            )
            return redirect(case_charging_url(case))
    return _form_page(
        request,
        "charging/police/police_charge.html",
        case,
        form,
        title="Record a police charging decision",
        submit="Record the charging decision",
        back_url=case_charging_url(case),
    )
