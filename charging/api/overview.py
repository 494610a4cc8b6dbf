"""Charging API beyond one request: the CPS queue, a request reached from the queue by its own id, who
charges a case under DG6 Annex 1, and the police's own charging decisions.

- ``charging-queue/``: the CPS charging queue of the caller's Area (or CPS Direct): Red first, then by when
  each is due, a page at a time (``next`` and ``previous`` links). Only for the CPS.
- ``charging-requests/{request}/``: one request by its id alone (the queue's links), 404 outside scope.
- ``cases/{case}/charging-routing/``: DG6 Annex 1 for the case as it stands, with the rule and the reason.
- ``cases/{case}/police-charges/``: the police's own charging decisions; ``POST`` records one (a police
  supervisor), refused where DG6 reserves the case for the CPS.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import prefetch_related_objects
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param
from rest_framework.views import APIView

from config.api_docs import ERROR_RESPONSES

from .. import services
from ..choices import AnticipatedPlea, ChargingCategory, ChargingDecider
from ..routing import NO_OFFENCES, routing_for_case
from ..selectors import (
    QUEUE_STATUSES,
    QueueFilters,
    charging_queue_for,
    charging_queue_page,
    police_charges_for,
    queue_position,
    request_by_public_id_for,
)
from .common import References, acting_user, audit_viewed, ensure_any, validated, visible_case
from .requests import detail
from .serializers import OffenceRefOutput, PoliceChargeOutput, QueueItemOutput, RequestDetailOutput

QUEUE_CPS_ONLY = "The charging queue is for CPS lawyers, paralegals and legal managers."


QUEUE_PAGE_SIZE = 50
QUEUE_MAX_PAGE_SIZE = 200
# The queue is counted up to here. An Area's queue is usually a few dozen requests, counted exactly; a backlog of
# thousands is reported as "more than 1,000", which is all a lawyer or an integration does with the figure,
# without counting every request each time a page is read.
QUEUE_COUNT_LIMIT = 1000
QUEUE_CURSOR_SALT = "charging.api.queue.cursor"
PAGE_NUMBERS_GONE = (
    "The queue is no longer read by page number: follow the `next` and `previous` links, which stay in place "
    "while requests join and leave the queue."
)
CURSOR_NOT_VALID = "Not a position this queue gave: leave it out to start from the first page."


class QueueFilterInput(serializers.Serializer):  # type: ignore[type-arg]
    category = serializers.ChoiceField(choices=ChargingCategory.choices, required=False)
    status = serializers.ChoiceField(choices=[(s.value, s.label) for s in QUEUE_STATUSES], required=False)
    mine = serializers.BooleanField(required=False, default=False, help_text="Only those allocated to me.")
    unallocated = serializers.BooleanField(required=False, default=False, help_text="Only those with no lawyer.")
    overdue = serializers.BooleanField(required=False, default=False, help_text="Only those past their time aim.")
    after = serializers.CharField(
        required=False, allow_blank=True, help_text="The page after this position (from a `next` link)."
    )
    before = serializers.CharField(
        required=False, allow_blank=True, help_text="The page before this position (from a `previous` link)."
    )
    page = serializers.IntegerField(
        required=False, help_text="Only 1 (the first page): later pages are reached through `next`."
    )
    page_size = serializers.IntegerField(required=False, min_value=1, max_value=QUEUE_MAX_PAGE_SIZE)

    class Meta:
        ref_name = "ChargingQueueFilter"

    def validate_page(self, value: int) -> int:
        if value != 1:
            raise serializers.ValidationError(PAGE_NUMBERS_GONE)
        return value

    def validate_after(self, value: str) -> str:
        if value and queue_position(value, salt=QUEUE_CURSOR_SALT) is None:
            raise serializers.ValidationError(CURSOR_NOT_VALID)
        return value

    def validate_before(self, value: str) -> str:
        return self.validate_after(value)


class QueuePageOutput(serializers.Serializer):  # type: ignore[type-arg]
    count = serializers.IntegerField(
        help_text=f"How many requests the queue holds with these filters, counted up to {QUEUE_COUNT_LIMIT:,}."
    )
    count_capped = serializers.BooleanField(
        help_text=f"The queue holds more than {QUEUE_COUNT_LIMIT:,} (`count`) requests: counting stopped there."
    )
    next = serializers.URLField(allow_null=True, help_text="The next page, or null on the last.")
    previous = serializers.URLField(allow_null=True, help_text="The previous page, or null on the first.")
    results = QueueItemOutput(many=True)

    class Meta:
        # The name the numbered pages had, so that clients generated from the schema keep their type.
        ref_name = "PaginatedChargingQueueItemList"


def _link(request: Request, **cursor: str) -> str:
    url = request.build_absolute_uri()
    for name in ("after", "before", "page"):
        url = remove_query_param(url, name)
    for name, value in cursor.items():
        url = replace_query_param(url, name, value)
    return url


class QueueApi(APIView):
    """The CPS charging queue of the caller's Area (or CPS Direct), Red first, then by when each is due.

    A page at a time: `next` and `previous` carry the position of the page's last (first) request, so a request
    decided or added while the queue is read neither skips nor repeats another, and a page deep in a backlog costs
    what the first does. `count` is exact up to 1,000 (`count_capped` says when there are more). Numbered pages
    (`page`) were replaced by these links; `page=1` still means the first page."""

    @extend_schema(
        parameters=[QueueFilterInput],
        responses={200: QueuePageOutput, **ERROR_RESPONSES},
        operation_id="charging_queue_list",
    )
    def get(self, request: Request) -> Response:
        user = acting_user(request)
        if not user.is_cps:
            raise PermissionDenied(QUEUE_CPS_ONLY)
        params = validated(QueueFilterInput, request.query_params)
        filters = QueueFilters(
            category=params.get("category", ""),
            status=params.get("status", ""),
            mine=params["mine"],
            unallocated=params["unallocated"],
            overdue=params["overdue"],
        )
        page = charging_queue_page(
            user=user,
            filters=filters,
            after=params.get("after", ""),
            before=params.get("before", ""),
            size=params.get("page_size", QUEUE_PAGE_SIZE),
            salt=QUEUE_CURSOR_SALT,
        )
        prefetch_related_objects(page.rows, "cps_area", "created_by")
        counted = (
            charging_queue_for(user=user, filters=filters).order_by().values("pk")[: QUEUE_COUNT_LIMIT + 1].count()
        )
        body: dict[str, Any] = {
            "count": min(counted, QUEUE_COUNT_LIMIT),
            "count_capped": counted > QUEUE_COUNT_LIMIT,
            "next": _link(request, after=page.next_cursor) if page.next_cursor else None,
            "previous": _link(request, before=page.previous_cursor) if page.previous_cursor else None,
            "results": page.rows,
        }
        return Response(QueuePageOutput(body).data)


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
