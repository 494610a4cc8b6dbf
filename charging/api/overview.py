"""Charging API beyond one request: the CPS queue, a request reached from the queue by its own id, who
charges a case under DG6 Annex 1, and the police's own charging decisions.

- ``charging-queue/``: the CPS charging queue of the caller's Area (or CPS Direct): Red first, then by when
  each is due. Only for the CPS.
- ``charging-requests/{request}/``: one request by its id alone (the queue's links), 404 outside scope.
- ``cases/{case}/charging-routing/``: DG6 Annex 1 for the case as it stands, with the rule and the reason.
- ``cases/{case}/police-charges/``: the police's own charging decisions; ``POST`` records one (a police
  supervisor), refused where DG6 reserves the case for the CPS.
"""

from __future__ import annotations

import uuid

from django.core.exceptions import PermissionDenied
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from config.api_docs import ERROR_RESPONSES

from .. import services
from ..choices import AnticipatedPlea, ChargingCategory, ChargingDecider
from ..routing import NO_OFFENCES, routing_for_case
from ..selectors import QUEUE_STATUSES, QueueFilters, charging_queue_for, police_charges_for, request_by_public_id_for
from .common import References, acting_user, audit_viewed, ensure_any, validated, visible_case
from .requests import detail
from .serializers import OffenceRefOutput, PoliceChargeOutput, QueueItemOutput, RequestDetailOutput

QUEUE_CPS_ONLY = "The charging queue is for CPS lawyers, paralegals and legal managers."


class QueuePagination(PageNumberPagination):
    """Numbered pages: the queue's order (Red first, then when due) is computed, so a keyset cursor over it
    would not be stable; an Area's open queue is small enough to count."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class QueueApi(APIView):
    """The CPS charging queue of the caller's Area (or CPS Direct), Red first, then by when each is due."""

    pagination_class = QueuePagination

    class FilterInput(serializers.Serializer):  # type: ignore[type-arg]
        category = serializers.ChoiceField(choices=ChargingCategory.choices, required=False)
        status = serializers.ChoiceField(choices=[(s.value, s.label) for s in QUEUE_STATUSES], required=False)
        mine = serializers.BooleanField(required=False, default=False, help_text="Only those allocated to me.")
        unallocated = serializers.BooleanField(required=False, default=False, help_text="Only those with no lawyer.")
        overdue = serializers.BooleanField(required=False, default=False, help_text="Only those past their time aim.")
        page = serializers.IntegerField(required=False, min_value=1)
        page_size = serializers.IntegerField(required=False, min_value=1, max_value=QueuePagination.max_page_size)

        class Meta:
            ref_name = "ChargingQueueFilter"

    @extend_schema(
        parameters=[FilterInput],
        responses={200: QueueItemOutput(many=True), **ERROR_RESPONSES},
        operation_id="charging_queue_list",
    )
    def get(self, request: Request) -> Response:
        user = acting_user(request)
        if not user.is_cps:
            raise PermissionDenied(QUEUE_CPS_ONLY)
        params = validated(self.FilterInput, request.query_params)
        filters = QueueFilters(
            category=params.get("category", ""),
            status=params.get("status", ""),
            mine=params["mine"],
            unallocated=params["unallocated"],
            overdue=params["overdue"],
        )
        queue = charging_queue_for(user=user, filters=filters).select_related("cps_area", "created_by")
        paginator = QueuePagination()
        page = paginator.paginate_queryset(queue, request, view=self)
        return paginator.get_paginated_response(QueueItemOutput(page, many=True).data)


class RequestByIdApi(APIView):
    """One charging request by its own id (as the queue lists it), whole; 404 outside the caller's scope."""

    @extend_schema(responses={200: RequestDetailOutput, **ERROR_RESPONSES}, operation_id="charging_requests_by_id")
    def get(self, request: Request, request_id: uuid.UUID) -> Response:
        charging_request = request_by_public_id_for(user=acting_user(request), public_id=request_id)
        audit_viewed(request, charging_request.case, "charging_request", charging_request)
        return Response(detail(request, charging_request))


# -- DG6 routing ---------------------------------------------------------------------------------


class OffenceRoutingOutput(serializers.Serializer):  # type: ignore[type-arg]
    offence = OffenceRefOutput()
    rule = serializers.CharField()
    decider = serializers.CharField()
    reason = serializers.CharField()

    class Meta:
        ref_name = "Dg6OffenceRouting"


class RoutingOutput(serializers.Serializer):  # type: ignore[type-arg]
    decider = serializers.CharField(allow_null=True, help_text="`police` or `cps`; null while there are no offences.")
    decider_label = serializers.CharField(allow_null=True)
    rule = serializers.CharField(allow_null=True, help_text="The DG6 Annex 1 rule that decided it.")
    reason = serializers.CharField(help_text="Why, in the words of DG6 (or what to do first).")
    cps_rule = serializers.CharField(allow_null=True, help_text="The reservation that sends it to the CPS, if any.")
    mixed = serializers.BooleanField(help_text="Police and CPS offences together: all go to the CPS.")
    emergency_authority_used = serializers.BooleanField()
    offences = OffenceRoutingOutput(many=True, help_text="Each offence's own rule.")

    class Meta:
        ref_name = "Dg6Routing"


class RoutingApi(APIView):
    """Who charges this case under DG6 Annex 1 as it stands: the police or the CPS, with the rule and the reason.
    Plea, likely sentence and suitability for the magistrates' court are the police's assessment."""

    class FactsInput(serializers.Serializer):  # type: ignore[type-arg]
        anticipated_plea = serializers.ChoiceField(
            choices=AnticipatedPlea.values, required=False, default=AnticipatedPlea.UNKNOWN
        )
        likely_sentence_over_12_months = serializers.BooleanField(required=False, default=False)
        suitable_for_magistrates = serializers.BooleanField(required=False, default=True)
        emergency_inspector_authority = serializers.BooleanField(
            required=False,
            default=False,
            help_text="An inspector authorises a police charge: the PACE clock is running out and the CPS "
            "cannot be reached.",
        )

        class Meta:
            ref_name = "Dg6RoutingFacts"

    @extend_schema(
        parameters=[FactsInput], responses={200: RoutingOutput, **ERROR_RESPONSES}, operation_id="charging_routing"
    )
    def get(self, request: Request, case_id: uuid.UUID) -> Response:
        case = visible_case(request, case_id)
        facts = validated(self.FactsInput, request.query_params)
        offences = list(case.offences.select_related("offence_code", "suspect").order_by("created_at", "id"))
        routing = routing_for_case(case, offences=offences, **facts)
        if routing is None:
            empty: dict[str, object] = {
                "decider": None,
                "decider_label": None,
                "rule": None,
                "reason": NO_OFFENCES,
                "cps_rule": None,
                "mixed": False,
                "emergency_authority_used": False,
                "offences": [],
            }
            return Response(RoutingOutput(empty).data)
        labels = dict(ChargingDecider.choices)
        body = {
            "decider": routing.decider.value,
            "decider_label": str(labels[routing.decider]),
            "rule": routing.rule_id,
            "reason": routing.reason,
            "cps_rule": routing.cps_rule.id if routing.cps_rule else None,
            "mixed": routing.mixed,
            "emergency_authority_used": routing.emergency_authority_used,
            "offences": [
                {"offence": offence, "rule": rule.id, "decider": rule.decider.value, "reason": rule.reason}
                for offence, rule in zip(offences, routing.offence_rules, strict=True)
            ],
        }
        return Response(RoutingOutput(body).data)


# -- police charges ------------------------------------------------------------------------------


class PoliceChargeInput(serializers.Serializer):  # type: ignore[type-arg]
    offences = serializers.ListField(
        child=serializers.UUIDField(), help_text="Public ids of the offences on this case to charge."
    )
    rationale = serializers.CharField(allow_blank=True, max_length=20000, help_text="The rationale DG6 requires.")
    anticipated_plea = serializers.ChoiceField(choices=AnticipatedPlea.values)
    likely_sentence_over_12_months = serializers.BooleanField(required=False, default=False)
    suitable_for_magistrates = serializers.BooleanField(required=False, default=True)
    emergency_authorised_by = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=200,
        default="",
        help_text="Name and rank of the inspector who authorised an emergency charge of a CPS case.",
    )

    class Meta:
        ref_name = "PoliceChargeInput"


class PoliceChargeListApi(APIView):
    """The police's own charging decisions on the case, newest first; ``POST`` records one (a police supervisor
    of the owning force), where DG6 Annex 1 lets the police charge."""

    @extend_schema(
        responses={200: PoliceChargeOutput(many=True), **ERROR_RESPONSES}, operation_id="charging_police_charges_list"
    )
    def get(self, request: Request, case_id: uuid.UUID) -> Response:
        case = visible_case(request, case_id)
        audit_viewed(request, case, "police_charges")
        return Response(PoliceChargeOutput(police_charges_for(case=case), many=True).data)

    @extend_schema(
        request=PoliceChargeInput,
        responses={201: PoliceChargeOutput, **ERROR_RESPONSES},
        operation_id="charging_police_charges_create",
    )
    def post(self, request: Request, case_id: uuid.UUID) -> Response:
        case = visible_case(request, case_id)
        ensure_any(request, case, "charging.police_charge")
        data = validated(PoliceChargeInput, request.data)
        user = acting_user(request)
        refs = References(case, user)
        offences = refs.offences("offences", list(data["offences"]), unknown=services.OFFENCE_NOT_ON_CASE)
        refs.check()
        decision = services.police_charge_record(
            case=case,
            details=services.PoliceChargeDetails(
                offences=offences,
                rationale=data["rationale"],
                anticipated_plea=data["anticipated_plea"],
                likely_sentence_over_12_months=data["likely_sentence_over_12_months"],
                suitable_for_magistrates=data["suitable_for_magistrates"],
                emergency_authorised_by=data["emergency_authorised_by"],
            ),
            by=user,
        )
        saved = police_charges_for(case=case).get(pk=decision.pk)
        return Response(PoliceChargeOutput(saved).data, status=status.HTTP_201_CREATED)
