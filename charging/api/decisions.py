"""Charging decision API: what the allocated lawyer decides, and how the police answer an action plan.

- ``.../{request}/decisions/``: every decision on the request, oldest first; ``POST`` records one (the allocated
  lawyer). A final outcome decides the request; an action plan or early advice hands it back to the police
  with structured actions (what, why, who owns it, by when).
- ``.../decisions/{decision}/`` and ``.../correct/``: a decision is never changed; a correction is a new decision
  that names the one it replaces, with the same outcome.
- ``.../action-items/``: the actions of the current action plan; ``.../action-items/{item}/answer/`` answers one
  (done, cannot be done, or disputed, with the material that answers it).
- ``.../resubmissions/``: the MG3As. ``.../resubmit/`` sends the answered plan back to the same lawyer; ``.../reopen/``
  reopens an administratively finalised request when the material arrives.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from config.api_docs import ERROR_RESPONSES
from files.selectors import can_see_sensitive

from .. import services
from ..choices import ActionItemOwner, ActionItemStatus, DecisionOutcome, TestSought
from ..models import ChargingRequest
from ..selectors import action_item_get_for, decisions_for, resubmissions_for
from .common import (
    CONFLICT_RESPONSE,
    References,
    VersionInput,
    acting_user,
    audit_viewed,
    ensure_any,
    service_call,
    validated,
    visible_decision,
    visible_request,
)
from .requests import RESPONSES, detail
from .serializers import ActionItemOutput, DecisionOutput, ResubmissionOutput


def _context(request: Request, charging_request: ChargingRequest) -> dict[str, Any]:
    return {"sees_sensitive": can_see_sensitive(acting_user(request), charging_request.case)}


# -- input shapes --------------------------------------------------------------------------------


class ChargeInput(serializers.Serializer):  # type: ignore[type-arg]
    offence = serializers.UUIDField(help_text="Public id of an offence on this case.")
    wording = serializers.CharField(required=False, allow_blank=True, max_length=5000, default="")

    class Meta:
        ref_name = "DecisionChargeInput"


class ActionItemInput(serializers.Serializer):  # type: ignore[type-arg]
    action = serializers.CharField(allow_blank=True, max_length=5000, help_text="What is needed.")
    reason = serializers.CharField(allow_blank=True, max_length=5000, help_text="Why: what it proves or answers.")
    due_on = serializers.DateField(allow_null=True, help_text="Today or later.")
    owner = serializers.ChoiceField(
        choices=ActionItemOwner.choices, required=False, default=ActionItemOwner.OFFICER_IN_CASE
    )
    offence = serializers.UUIDField(required=False, allow_null=True, help_text="Public id of an offence on this case.")
    point_to_prove = serializers.CharField(required=False, allow_blank=True, max_length=300, default="")

    class Meta:
        ref_name = "ActionPlanItemInput"


class DecisionInput(VersionInput):
    outcome = serializers.ChoiceField(choices=DecisionOutcome.choices)
    reasons = serializers.CharField(
        allow_blank=True, max_length=50000, help_text="Under the Code for Crown Prosecutors."
    )
    test_applied = serializers.ChoiceField(
        choices=TestSought.choices, required=False, allow_blank=True, default="", help_text="Required to charge."
    )
    threshold_review_on = serializers.DateField(
        required=False, allow_null=True, default=None, help_text="Required for a Threshold Test charge."
    )
    charges = ChargeInput(many=True, required=False, default=list, help_text="Only for a decision to charge.")
    action_items = ActionItemInput(
        many=True, required=False, default=list, help_text="Only for an action plan (required) or early advice."
    )

    class Meta:
        ref_name = "ChargingDecisionInput"


class CorrectionInput(VersionInput):
    reasons = serializers.CharField(allow_blank=True, max_length=50000, help_text="What the correction puts right.")
    test_applied = serializers.ChoiceField(choices=TestSought.choices, required=False, allow_blank=True, default="")
    threshold_review_on = serializers.DateField(required=False, allow_null=True, default=None)
    charges = ChargeInput(many=True, required=False, default=list)

    class Meta:
        ref_name = "ChargingDecisionCorrectionInput"


def _charges(refs: References, data: dict[str, Any]) -> list[services.ChargeDetails]:
    offences = refs.offences("charges", [c["offence"] for c in data["charges"]], unknown=services.OFFENCE_NOT_ON_CASE)
    by_id = {o.public_id: o for o in offences}
    return [
        services.ChargeDetails(offence=by_id[c["offence"]], wording=c["wording"])
        for c in data["charges"]
        if c["offence"] in by_id
    ]


def _action_items(refs: References, data: dict[str, Any]) -> list[services.ActionItemDetails]:
    items = []
    unknown = []
    for n, item in enumerate(data["action_items"], start=1):
        offence = refs.offence(item.get("offence"))
        if item.get("offence") is not None and offence is None:
            unknown.append(services.ACTION_OFFENCE_NOT_ON_CASE.format(n=n))
        items.append(
            services.ActionItemDetails(
                action=item["action"],
                reason=item["reason"],
                due_on=item["due_on"],
                owner=item["owner"],
                offence=offence,
                point_to_prove=item["point_to_prove"],
            )
        )
    if unknown:
        refs.fail("action_items", "; ".join(unknown))
    return items


def _created(request: Request, charging_request: ChargingRequest, decision_id: uuid.UUID) -> Response:
    decision = visible_decision(charging_request, decision_id)
    return Response(
        DecisionOutput(decision, context=_context(request, charging_request)).data, status=status.HTTP_201_CREATED
    )


# -- decisions -----------------------------------------------------------------------------------


class DecisionListApi(APIView):
    """Every decision on the request, oldest first; ``POST`` records the allocated lawyer's decision."""

    @extend_schema(
        responses={200: DecisionOutput(many=True), **ERROR_RESPONSES}, operation_id="charging_decisions_list"
    )
    def get(self, request: Request, case_id: uuid.UUID, request_id: uuid.UUID) -> Response:
        charging_request = visible_request(request, case_id, request_id)
        audit_viewed(request, charging_request.case, "charging_decisions", charging_request)
        context = _context(request, charging_request)
        return Response(DecisionOutput(decisions_for(charging_request), many=True, context=context).data)

    @extend_schema(
        request=DecisionInput,
        responses={201: DecisionOutput, **ERROR_RESPONSES, **CONFLICT_RESPONSE},
        operation_id="charging_decisions_create",
    )
    def post(self, request: Request, case_id: uuid.UUID, request_id: uuid.UUID) -> Response:
        """Answers with the new decision; read the request again for its new status and version."""
        charging_request = visible_request(request, case_id, request_id)
        ensure_any(request, charging_request, "charging.decide_request")
        data = validated(DecisionInput, request.data)
        user = acting_user(request)
        refs = References(charging_request.case, user)
        charges = _charges(refs, data)
        items = _action_items(refs, data)
        refs.check()
        with service_call():
            decision = services.decision_record(
                request=charging_request,
                by=user,
                outcome=data["outcome"],
                reasons=data["reasons"],
                test_applied=data["test_applied"],
                threshold_review_on=data["threshold_review_on"],
                charges=charges,
                action_items=items,
                expected_version=data["version"],
            )
        return _created(request, charging_request, decision.public_id)


class DecisionDetailApi(APIView):
    """One decision with its charges and actions, and what corrected it, if anything."""

    @extend_schema(responses={200: DecisionOutput, **ERROR_RESPONSES}, operation_id="charging_decisions_retrieve")
    def get(self, request: Request, case_id: uuid.UUID, request_id: uuid.UUID, decision_id: uuid.UUID) -> Response:
        charging_request = visible_request(request, case_id, request_id)
        decision = visible_decision(charging_request, decision_id)
        audit_viewed(request, charging_request.case, "charging_decision", decision)
        return Response(DecisionOutput(decision, context=_context(request, charging_request)).data)


class DecisionCorrectApi(APIView):
    """Correct a final decision by recording a new one that replaces it (same outcome); the old one is kept.
    The allocated lawyer or the Area's legal manager."""

    @extend_schema(
        request=CorrectionInput,
        responses={201: DecisionOutput, **ERROR_RESPONSES, **CONFLICT_RESPONSE},
        operation_id="charging_decisions_correct",
    )
    def post(self, request: Request, case_id: uuid.UUID, request_id: uuid.UUID, decision_id: uuid.UUID) -> Response:
        charging_request = visible_request(request, case_id, request_id)
        corrects = visible_decision(charging_request, decision_id)
        ensure_any(request, charging_request, "charging.decide_request", "charging.assign_request")
        data = validated(CorrectionInput, request.data)
        user = acting_user(request)
        refs = References(charging_request.case, user)
        charges = _charges(refs, data)
        refs.check()
        with service_call():
            decision = services.decision_correct(
                request=charging_request,
                corrects=corrects,
                by=user,
                reasons=data["reasons"],
                test_applied=data["test_applied"],
                threshold_review_on=data["threshold_review_on"],
                charges=charges,
                expected_version=data["version"],
            )
        return _created(request, charging_request, decision.public_id)


# -- action plans and MG3A -----------------------------------------------------------------------


class ActionItemListApi(APIView):
    """The actions of the current action plan (or early advice), in order; empty when there is none."""

    @extend_schema(
        responses={200: ActionItemOutput(many=True), **ERROR_RESPONSES}, operation_id="charging_action_items_list"
    )
    def get(self, request: Request, case_id: uuid.UUID, request_id: uuid.UUID) -> Response:
        charging_request = visible_request(request, case_id, request_id)
        audit_viewed(request, charging_request.case, "charging_action_items", charging_request)
        items = services.current_action_items(charging_request)
        return Response(ActionItemOutput(items, many=True, context=_context(request, charging_request)).data)


class AnswerInput(serializers.Serializer):  # type: ignore[type-arg]
    status = serializers.ChoiceField(
        choices=[(s.value, s.label) for s in ActionItemStatus if s != ActionItemStatus.OPEN]
    )
    response = serializers.CharField(allow_blank=True, max_length=20000, help_text="What was done, or why not.")
    documents = serializers.ListField(
        child=serializers.UUIDField(), required=False, default=list, help_text="Public ids of material on this case."
    )

    class Meta:
        ref_name = "ActionPlanItemAnswer"


class ActionItemAnswerApi(APIView):
    """The police answer one action: done (with the material), cannot be done (why) or disputed (why). An
    answer can be changed until the request is resubmitted."""

    @extend_schema(
        request=AnswerInput,
        responses={200: ActionItemOutput, **ERROR_RESPONSES},
        operation_id="charging_action_items_answer",
    )
    def post(self, request: Request, case_id: uuid.UUID, request_id: uuid.UUID, item_id: uuid.UUID) -> Response:
        charging_request = visible_request(request, case_id, request_id)
        item = action_item_get_for(user=acting_user(request), case=charging_request.case, public_id=item_id)
        if item.request_id != charging_request.pk:
            # An action of another request on the same case is not reached through this one.
            raise Http404("Action not found")
        ensure_any(request, charging_request, "charging.submit_request")
        data = validated(AnswerInput, request.data)
        user = acting_user(request)
        refs = References(charging_request.case, user)
        documents = refs.documents("documents", list(data["documents"]), unknown=services.DOCUMENT_NOT_ON_CASE)
        refs.check()
        item = services.action_item_answer(
            item=item, by=user, status=data["status"], response=data["response"], documents=documents
        )
        item = action_item_get_for(user=user, case=charging_request.case, public_id=item.public_id)
        return Response(ActionItemOutput(item, context=_context(request, charging_request)).data)


class SummaryInput(VersionInput):
    summary = serializers.CharField(allow_blank=True, max_length=20000, help_text="What changed since last time.")

    class Meta:
        ref_name = "ChargingResubmissionInput"


class ResubmissionListApi(APIView):
    """The request's further submissions (MG3A), oldest first."""

    @extend_schema(
        responses={200: ResubmissionOutput(many=True), **ERROR_RESPONSES}, operation_id="charging_resubmissions_list"
    )
    def get(self, request: Request, case_id: uuid.UUID, request_id: uuid.UUID) -> Response:
        charging_request = visible_request(request, case_id, request_id)
        audit_viewed(request, charging_request.case, "charging_resubmissions", charging_request)
        return Response(ResubmissionOutput(resubmissions_for(charging_request), many=True).data)


class RequestResubmitApi(APIView):
    """The police resubmit the answered action plan (MG3A) to the lawyer who issued it; every action must be
    answered first."""

    @extend_schema(request=SummaryInput, responses=RESPONSES, operation_id="charging_requests_resubmit")
    def post(self, request: Request, case_id: uuid.UUID, request_id: uuid.UUID) -> Response:
        charging_request = visible_request(request, case_id, request_id)
        ensure_any(request, charging_request, "charging.submit_request")
        data = validated(SummaryInput, request.data)
        with service_call():
            charging_request = services.request_resubmit(
                request=charging_request,
                by=acting_user(request),
                summary=data["summary"],
                expected_version=data["version"],
            )
        return Response(detail(request, charging_request))


class RequestReopenApi(APIView):
    """The police reopen an administratively finalised request because the material has arrived."""

    @extend_schema(request=SummaryInput, responses=RESPONSES, operation_id="charging_requests_reopen")
    def post(self, request: Request, case_id: uuid.UUID, request_id: uuid.UUID) -> Response:
        charging_request = visible_request(request, case_id, request_id)
        ensure_any(request, charging_request, "charging.submit_request")
        data = validated(SummaryInput, request.data)
        with service_call():
            charging_request = services.request_reopen(
                request=charging_request,
                by=acting_user(request),
                summary=data["summary"],
                expected_version=data["version"],
            )
        return Response(detail(request, charging_request))
