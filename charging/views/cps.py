"""CPS charging pages: the Area's (or CPS Direct's) charging queue, triage of a request against the National
File Standard, allocation to a lawyer, the lawyer's workspace (the file, the case and its history side by
side), the charging decision and its correction (DG6, domain.md 2.2–2.5).

Only CPS users reach these pages: anyone else, and a CPS user of another Area, gets the same 404 as for a
request that does not exist (``charging.selectors``). A CPS user who can see the request but whose role does
not allow the action gets the 403 page. Every write is a ``charging.services`` call; its refusals are shown
against the fields they are about, and each success redirects to the workspace with a banner.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import rules
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from accounts.audit import audit_record
from accounts.choices import AuditEventType
from accounts.models import User
from casework.choices import EnhancedRights, SpecialMeasure
from casework.models import OffenceAllegation
from casework.selectors import case_detail_visible_to, case_get_visible_to, case_timeline
from casework.views._common import OFFENCE_STATUS_TAG_CLASSES, apply_service_errors, current_user, labels, posted
from config import keyset
from files.choices import Sensitivity
from files.selectors import can_see_sensitive, document_list_for
from files.views.submissions import readiness_for

from .. import services
from ..choices import (
    FINAL_OUTCOMES,
    ActionItemStatus,
    ChargingCategory,
    DecisionOutcome,
    RequestStatus,
)
from ..forms_cps import (
    ACCEPT,
    AssignForm,
    CorrectionForm,
    DecisionForm,
    QueueFilterForm,
    TakeForm,
    TriageForm,
    action_item_forms,
)
from ..models import ChargingDecision, ChargingRequest
from ..selectors import (
    QUEUE_STATUSES,
    REQUEST_NOT_FOUND,
    charging_queue_page,
    decisions_for,
    due_at,
    request_get_for,
    resubmissions_for,
)

# The queue is shown a page at a time (previous and next, no page numbers: nothing counts the queue).
QUEUE_PAGE_SIZE = 50
QUEUE_CURSOR_SALT = "charging.queue.cursor"

ALLOCATABLE = (RequestStatus.ACCEPTED_AWAITING_ALLOCATION, RequestStatus.RESUBMITTED)

# GOV.UK tag colours; a tag always carries its meaning in words too.
CATEGORY_TAG_CLASSES: dict[str, str] = {
    ChargingCategory.RED: "govuk-tag--red",
    ChargingCategory.GREEN_PRIORITY: "govuk-tag--orange",
    ChargingCategory.GREEN: "govuk-tag--green",
}
STATUS_TAG_CLASSES: dict[str, str] = {
    RequestStatus.WITH_CPS_TRIAGE: "govuk-tag--light-blue",
    RequestStatus.ACCEPTED_AWAITING_ALLOCATION: "govuk-tag--yellow",
    RequestStatus.ALLOCATED: "govuk-tag--blue",
    RequestStatus.RESUBMITTED: "govuk-tag--purple",
    RequestStatus.ACTION_PLAN_ISSUED: "govuk-tag--pink",
    RequestStatus.RETURNED_NOT_TO_STANDARD: "govuk-tag--orange",
    RequestStatus.DECIDED: "govuk-tag--green",
}
ITEM_TAG_CLASSES: dict[str, str] = {
    ActionItemStatus.OPEN: "govuk-tag--grey",
    ActionItemStatus.DONE: "govuk-tag--green",
    ActionItemStatus.CANNOT_BE_DONE: "govuk-tag--orange",
    ActionItemStatus.DISPUTED: "govuk-tag--red",
}

# ---------------------------------------------------------------------------------------------
# Shared


def _cps_user(request: HttpRequest) -> User:
    """The signed-in CPS user. Anyone else gets the 404 of a request that does not exist: the police have
    their own charging pages, and nobody else has charging at all."""
    user = current_user(request)
    if not user.is_cps:
        raise Http404(REQUEST_NOT_FOUND)
    return user


def _cps_request(request: HttpRequest, case_id: uuid.UUID, request_id: uuid.UUID) -> tuple[User, ChargingRequest]:
    user = _cps_user(request)
    case = case_get_visible_to(user=user, public_id=case_id)
    return user, request_get_for(user=user, case=case, public_id=request_id)


def _may(user: User, perm: str, charging_request: ChargingRequest) -> bool:
    # The rules directly, as the services ask them: Django's has_perm says yes to a superuser.
    return bool(user.is_active and rules.has_perm(perm, user, charging_request))


def _require(user: User, perm: str, charging_request: ChargingRequest) -> None:
    if not _may(user, perm, charging_request):
        raise PermissionDenied


def _may_correct(user: User, charging_request: ChargingRequest) -> bool:
    return _may(user, "charging.decide_request", charging_request) or _may(
        user, "charging.assign_request", charging_request
    )


def workspace_url(charging_request: ChargingRequest) -> str:
    return reverse("charging:workspace", args=[charging_request.case.public_id, charging_request.public_id])


def _back_to_workspace(request: HttpRequest, charging_request: ChargingRequest, message: str) -> HttpResponse:
    """A page whose moment has passed (someone else triaged, allocated or decided the request first)."""
    messages.info(request, message)
    return redirect(workspace_url(charging_request))


def error_list(*pairs: tuple[forms.Form | None, list[tuple[str, str]] | None]) -> list[tuple[str, str]]:
    """The (anchor, message) pairs of the GOV.UK error summary for several forms on one page, in page order.
    Each form may come with extra pairs of its own (a message about a group of rows, say)."""
    result: list[tuple[str, str]] = []
    for form, extra in pairs:
        if form is not None and form.is_bound:
            fields = list(form.visible_fields())
            top = fields[0].error_anchor if fields else "main-content"  # type: ignore[attr-defined]
            result.extend((top, str(message)) for message in form.non_field_errors())
            for field in fields:
                result.extend((field.error_anchor, str(message)) for message in field.errors)  # type: ignore[attr-defined]
        result.extend(extra or [])
    return result


def _is_overdue(when: datetime | None, now: datetime) -> bool:
    return when is not None and when < now


def _came_back(charging_request: ChargingRequest) -> bool:
    """Back from the police as an MG3A: resubmitted after the last action plan (or reopened)."""
    if charging_request.status not in QUEUE_STATUSES:
        return False
    resubmitted, issued = charging_request.resubmitted_at, charging_request.action_plan_issued_at
    return resubmitted is not None and (issued is None or resubmitted > issued)


def _request_summary(charging_request: ChargingRequest) -> dict[str, Any]:
    """What every CPS page says about the request at the top: category, status, when due, who has it."""
    now = timezone.now()
    due = due_at(charging_request)
    return {
        "charging_request": charging_request,
        "case": charging_request.case,
        "category_tag_class": CATEGORY_TAG_CLASSES.get(charging_request.category, "govuk-tag--grey"),
        "request_status_tag_class": STATUS_TAG_CLASSES.get(charging_request.status, "govuk-tag--grey"),
        "due": due,
        "overdue": charging_request.status in QUEUE_STATUSES and _is_overdue(due, now),
        "came_back": _came_back(charging_request),
        "workspace_url": workspace_url(charging_request),
    }


def _offences(charging_request: ChargingRequest) -> QuerySet[OffenceAllegation]:
    return (
        OffenceAllegation.objects.filter(case_id=charging_request.case_id)
        .select_related("offence_code", "suspect")
        .order_by("created_at", "id")
    )


# ---------------------------------------------------------------------------------------------
# The queue


def _without(request: HttpRequest, name: str) -> str:
    params = request.GET.copy()
    for key in (name, "after", "before"):
        params.pop(key, None)
    query = params.urlencode()
    return f"{reverse('charging:queue')}{'?' + query if query else ''}"


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    user = _cps_user(request)
    form = QueueFilterForm(request.GET)
    context: dict[str, Any] = {"form": form, "organisation": user.organisation}
    if not form.is_valid():
        context["error_list"] = error_list((form, None))
        return render(request, "charging/cps/queue.html", context, status=400)
    now = timezone.now()
    page = charging_queue_page(
        user=user,
        filters=form.filters(),
        after=request.GET.get("after", ""),
        before=request.GET.get("before", ""),
        size=QUEUE_PAGE_SIZE,
        salt=QUEUE_CURSOR_SALT,
    )
    rows = [
        {
            "request": r,
            "category_tag_class": CATEGORY_TAG_CLASSES.get(r.category, "govuk-tag--grey"),
            "status_tag_class": STATUS_TAG_CLASSES.get(r.status, "govuk-tag--grey"),
            "overdue": _is_overdue(r.due_at, now),  # type: ignore[attr-defined]
            "came_back": _came_back(r),
            "url": workspace_url(r),
        }
        for r in page.rows
    ]
    chosen = form.chosen()
    context.update(
        rows=rows,
        filtered=bool(chosen),
        chosen=[{"label": label, "remove_url": _without(request, name)} for name, label in chosen],
        **keyset.links(request, page, reverse("charging:queue")),
    )
    return render(request, "charging/cps/queue.html", context)


# ---------------------------------------------------------------------------------------------
# The lawyer's workspace


def _decision_rows(user: User, charging_request: ChargingRequest, decisions: list[ChargingDecision]) -> list[Any]:
    corrected_by = {d.corrects_id: d for d in decisions if d.corrects_id}
    sees_sensitive = can_see_sensitive(user, charging_request.case)
    may_correct = charging_request.status == RequestStatus.DECIDED and _may_correct(user, charging_request)
    rows = []
    for decision in decisions:
        correction = corrected_by.get(decision.pk)
        items = [
            {
                "item": item,
                "tag_class": ITEM_TAG_CLASSES.get(item.status, "govuk-tag--grey"),
                "documents": [
                    d for d in item.documents.all() if sees_sensitive or d.sensitivity != Sensitivity.SENSITIVE
                ],
            }
            for item in decision.action_items.all()
        ]
        rows.append(
            {
                "decision": decision,
                "final": decision.outcome in FINAL_OUTCOMES,
                "charges": list(decision.charges.all()),
                "items": items,
                "corrected_by": correction,
                "correct_url": reverse(
                    "charging:decision-correct",
                    args=[charging_request.case.public_id, charging_request.public_id, decision.public_id],
                )
                if may_correct and correction is None and decision.outcome in FINAL_OUTCOMES
                else None,
            }
        )
    # Newest first: the decision that stands is the first thing the lawyer reads.
    return list(reversed(rows))


def _actions(user: User, charging_request: ChargingRequest) -> dict[str, bool]:
    status = charging_request.status
    return {
        "triage": status == RequestStatus.WITH_CPS_TRIAGE and _may(user, "charging.triage_request", charging_request),
        "take": status in ALLOCATABLE and _may(user, "charging.take_request", charging_request),
        "assign": status in ALLOCATABLE and _may(user, "charging.assign_request", charging_request),
        "decide": status == RequestStatus.ALLOCATED and _may(user, "charging.decide_request", charging_request),
    }


def _file_context(user: User, charging_request: ChargingRequest) -> dict[str, Any]:
    """The file the request carries and its latest quality report, as the files pages present it."""
    submission = charging_request.submission
    return {
        "submission": submission,
        "readiness": readiness_for(user, submission, refresh=False) if submission is not None else None,
    }


@login_required
def workspace(request: HttpRequest, case_id: uuid.UUID, request_id: uuid.UUID) -> HttpResponse:
    user, charging_request = _cps_request(request, case_id, request_id)
    case = case_detail_visible_to(user=user, public_id=case_id)
    decisions = decisions_for(charging_request)
    audit_record(
        by=user,
        event_type=AuditEventType.CASE_VIEWED,
        obj=charging_request,
        case_id=case.public_id,
        data={"part": "charging_workspace"},
    )
    context = _request_summary(charging_request)
    context.update(
        _file_context(user, charging_request),
        case=case,
        actions=_actions(user, charging_request),
        take_form=TakeForm(initial={"version": charging_request.version}),
        decisions=_decision_rows(user, charging_request, decisions),
        resubmissions=list(resubmissions_for(charging_request)),
        documents=list(document_list_for(user=user, case=case)),
        events=list(case_timeline(case=case, user=user).reverse()),
        victims=[
            {"victim": v, "enhanced_rights": labels(v.enhanced_rights, EnhancedRights)} for v in case.victims.all()
        ],
        witnesses=[
            {"witness": w, "special_measures": labels(w.special_measures, SpecialMeasure)} for w in case.witnesses.all()
        ],
        offences=[
            {"offence": o, "status_tag_class": OFFENCE_STATUS_TAG_CLASSES.get(o.status, "govuk-tag--grey")}
            for o in case.offences.all()
        ],
    )
    return render(request, "charging/cps/workspace.html", context)


# ---------------------------------------------------------------------------------------------
# Triage


@login_required
def request_triage(request: HttpRequest, case_id: uuid.UUID, request_id: uuid.UUID) -> HttpResponse:
    user, charging_request = _cps_request(request, case_id, request_id)
    _require(user, "charging.triage_request", charging_request)
    if request.method != "POST" and charging_request.status != RequestStatus.WITH_CPS_TRIAGE:
        return _back_to_workspace(request, charging_request, "This request is no longer waiting for triage")
    form = TriageForm(posted(request), initial={"version": charging_request.version})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["decision"] == ACCEPT:
                services.request_accept(request=charging_request, by=user, expected_version=data["version"])
                message = "Request accepted into the queue"
            else:
                services.request_return_not_to_standard(
                    request=charging_request,
                    by=user,
                    reason=data["reason"],
                    failure_codes=list(data["failure_codes"]),
                    expected_version=data["version"],
                )
                message = "Request returned to the police as not to the National File Standard"
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, message)
            return redirect(workspace_url(charging_request))
    context = _request_summary(charging_request)
    context.update(
        _file_context(user, charging_request),
        form=form,
        error_list=error_list((form, None)),
        failure_options=_failure_options(form),
    )
    return render(request, "charging/cps/triage.html", context, status=400 if form.errors else 200)


def _failure_options(form: TriageForm) -> list[dict[str, Any]]:
    chosen = set(form["failure_codes"].value() or [])
    field = form.fields["failure_codes"]
    return [
        {"index": index, "value": value, "label": label, "checked": value in chosen}
        for index, (value, label) in enumerate(field.choices)  # type: ignore[attr-defined]
    ]


# ---------------------------------------------------------------------------------------------
# Allocation


@login_required
def request_allocate(request: HttpRequest, case_id: uuid.UUID, request_id: uuid.UUID) -> HttpResponse:
    """A lawyer of the Area takes the request; a legal manager of the Area allocates it to one of its lawyers."""
    user, charging_request = _cps_request(request, case_id, request_id)
    can_take = _may(user, "charging.take_request", charging_request)
    can_assign = _may(user, "charging.assign_request", charging_request)
    if not (can_take or can_assign):
        raise PermissionDenied
    if request.method != "POST" and charging_request.status not in ALLOCATABLE:
        return _back_to_workspace(request, charging_request, "This request is not waiting for a lawyer")
    initial = {"version": charging_request.version}
    take_form = TakeForm(initial=initial) if can_take else None
    assign_form = AssignForm(organisation=user.organisation, initial=initial) if can_assign else None
    if request.method == "POST":
        # The service decides who may take or assign; a refusal is the 403 page.
        if request.POST.get("action") == "assign":
            assign_form = AssignForm(request.POST, organisation=user.organisation)
            form: forms.Form = assign_form
        else:
            take_form = TakeForm(request.POST)
            form = take_form
        if form.is_valid():
            lawyer = form.cleaned_data.get("lawyer")
            try:
                services.request_allocate(
                    request=charging_request, by=user, lawyer=lawyer, expected_version=form.cleaned_data["version"]
                )
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                name = "you" if lawyer is None or lawyer.pk == user.pk else lawyer.get_full_name() or lawyer.username
                messages.success(request, f"Request allocated to {name}")
                return redirect(workspace_url(charging_request))
    context = _request_summary(charging_request)
    context.update(
        take_form=take_form,
        assign_form=assign_form,
        error_list=error_list((take_form, None), (assign_form, None)),
    )
    errors = bool(context["error_list"])
    return render(request, "charging/cps/allocate.html", context, status=400 if errors else 200)


# ---------------------------------------------------------------------------------------------
# The decision


@login_required
def decision_record(request: HttpRequest, case_id: uuid.UUID, request_id: uuid.UUID) -> HttpResponse:
    user, charging_request = _cps_request(request, case_id, request_id)
    _require(user, "charging.decide_request", charging_request)
    if request.method != "POST" and charging_request.status != RequestStatus.ALLOCATED:
        return _back_to_workspace(request, charging_request, "This request is not waiting for a decision")
    offences = _offences(charging_request)
    offence_list = list(offences)
    data = posted(request)
    form = DecisionForm(data, offences=offence_list, initial={"version": charging_request.version})
    rows = action_item_forms(data, offences)
    items_error: list[tuple[str, str]] = []
    if data is not None:
        filled = [row for row in rows if row.is_bound]
        checked = [row.is_valid() for row in filled]  # every row checked, so every row shows its errors
        rows_valid = all(checked)
        if form.is_valid() and rows_valid:
            cleaned = form.cleaned_data
            charge = cleaned["outcome"] == DecisionOutcome.CHARGE
            try:
                services.decision_record(
                    request=charging_request,
                    by=user,
                    outcome=cleaned["outcome"],
                    reasons=cleaned["reasons"],
                    test_applied=cleaned["test_applied"] if charge else "",
                    threshold_review_on=cleaned["threshold_review_on"] if charge else None,
                    charges=form.charge_details() if charge else [],
                    # Rows typed for a final outcome are sent too: the service says only a deferral lists actions.
                    action_items=[row.details() for row in filled],
                    expected_version=cleaned["version"],
                )
            except ValidationError as exc:
                found = dict(exc.message_dict)
                items_error = [("id_item-1-action", str(m)) for m in found.pop("action_items", [])]
                if found:
                    apply_service_errors(form, ValidationError(found))
            else:
                messages.success(request, f"Charging decision recorded: {DecisionOutcome(cleaned['outcome']).label}")
                return redirect(workspace_url(charging_request))
    row_errors: list[tuple[str, str]] = error_list(*((row, None) for row in rows))
    context = _request_summary(charging_request)
    context.update(
        form=form,
        rows=rows,
        items_error=[message for _, message in items_error],
        error_list=error_list((form, items_error)) + row_errors,
        offences=offence_list,
    )
    status = 400 if context["error_list"] else 200
    return render(request, "charging/cps/decision_form.html", context, status=status)


# ---------------------------------------------------------------------------------------------
# Correcting a decision


@login_required
def decision_correct(
    request: HttpRequest, case_id: uuid.UUID, request_id: uuid.UUID, decision_id: uuid.UUID
) -> HttpResponse:
    """Correct a final decision by recording a new one that points at it; the old one stays on the record."""
    user, charging_request = _cps_request(request, case_id, request_id)
    if not _may_correct(user, charging_request):
        raise PermissionDenied
    decisions = decisions_for(charging_request)
    corrects = next((d for d in decisions if d.public_id == decision_id), None)
    if corrects is None:
        raise Http404("Decision not found")
    already = any(d.corrects_id == corrects.pk for d in decisions)
    correctable = (
        charging_request.status == RequestStatus.DECIDED and corrects.outcome in FINAL_OUTCOMES and not already
    )
    if request.method != "POST" and not correctable:
        message = services.CORRECTS_SUPERSEDED if already else services.CORRECTS_NOT_FINAL
        return _back_to_workspace(request, charging_request, message)
    with_charges = corrects.outcome == DecisionOutcome.CHARGE
    offence_list = list(_offences(charging_request)) if with_charges else []
    form = CorrectionForm(
        posted(request),
        offences=offence_list,
        with_charges=with_charges,
        initial=CorrectionForm.initial_from(corrects, charging_request.version),
    )
    if request.method == "POST" and form.is_valid():
        cleaned = form.cleaned_data
        try:
            services.decision_correct(
                request=charging_request,
                corrects=corrects,
                by=user,
                reasons=cleaned["reasons"],
                test_applied=cleaned.get("test_applied", "") if with_charges else "",
                threshold_review_on=cleaned.get("threshold_review_on") if with_charges else None,
                charges=form.charge_details() if with_charges else [],
                expected_version=cleaned["version"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "Charging decision corrected: the original stays on the record")
            return redirect(workspace_url(charging_request))
    context = _request_summary(charging_request)
    context.update(
        form=form,
        corrects=corrects,
        corrects_charges=list(corrects.charges.all()),
        with_charges=with_charges,
        error_list=error_list((form, None)),
    )
    return render(request, "charging/cps/correction_form.html", context, status=400 if form.errors else 200)
