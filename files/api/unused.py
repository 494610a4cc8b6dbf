"""Case API for the unused material schedules (MG6C non-sensitive, MG6D sensitive) and the
prosecutor's decision on each item.

MG6D items exist in this API only for those who may see sensitive material (the disclosure
officer, police supervisors and the CPS of the case): for anyone else they are left out of lists
and answer 404, with the same body as a missing item. The police (``files.manage_unused``)
schedule and change items; the CPS (``files.decide_unused``) record decisions.
"""

from __future__ import annotations

import uuid
from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from casework.api.common import acting_user, audit_viewed, ensure_allowed, validated, visible_case
from casework.api.serializers import ChoiceLabelField, UserRefOutput
from casework.models import Case
from config.api_docs import ERROR_RESPONSES

from ..choices import ProsecutorDecision, Schedule, Sensitivity
from ..models import Document, UnusedItem
from ..selectors import can_see_sensitive, unused_items_for
from ..services import unused as service
from .exhibits import DocumentRefOutput, documents_from

DECISION_CHOICES = [d for d in ProsecutorDecision.values if d]


def _item(request: Request, case: Case, item_id: uuid.UUID) -> UnusedItem:
    return service.unused_item_get_for(user=acting_user(request), case=case, public_id=item_id)


def _document(request: Request, case: Case, public_id: uuid.UUID | None) -> Document | None:
    if public_id is None:
        return None
    [document] = documents_from(request, case, [public_id], field="document", message=service.DOCUMENT_NOT_ON_CASE)
    return document


def output(request: Request, case: Case, items: Any, *, many: bool = False) -> Any:
    context = {"sees_sensitive": can_see_sensitive(acting_user(request), case)}
    return UnusedItemDetailApi.OutputSerializer(items, many=many, context=context).data


class UnusedItemDetailApi(APIView):
    """One scheduled item; ``PATCH`` changes it (not its description once the prosecutor has decided)."""

    class OutputSerializer(serializers.Serializer):  # type: ignore[type-arg]
        id = serializers.UUIDField(source="public_id")
        schedule = serializers.CharField(help_text="mg6c (non-sensitive) or mg6d (sensitive).")
        schedule_label = ChoiceLabelField(Schedule, source="schedule")
        item_number = serializers.IntegerField(help_text="Consecutive on its schedule.")
        description = serializers.CharField()
        location = serializers.CharField()
        sensitivity_reason = serializers.CharField(help_text="MG6D only; blank on MG6C.")
        rebuttable_presumption = serializers.BooleanField()
        document = serializers.SerializerMethodField()
        prosecutor_decision = serializers.CharField(help_text="Blank until the prosecutor decides.")
        prosecutor_decision_label = ChoiceLabelField(ProsecutorDecision, source="prosecutor_decision")
        decision_note = serializers.CharField()
        decided_by = UserRefOutput(allow_null=True)
        decided_at = serializers.DateTimeField(allow_null=True)
        created_at = serializers.DateTimeField()

        class Meta:
            ref_name = "UnusedItem"

        @extend_schema_field(DocumentRefOutput(allow_null=True))
        def get_document(self, item: UnusedItem) -> dict[str, Any] | None:
            # A document marked sensitive after it was linked stays out of sight of those who may
            # not see sensitive material (``sees_sensitive`` in the context).
            document = item.document
            if document is None or (
                document.sensitivity == Sensitivity.SENSITIVE and not self.context["sees_sensitive"]
            ):
                return None
            return dict(DocumentRefOutput(document).data)

    class UpdateInputSerializer(serializers.Serializer):  # type: ignore[type-arg]
        description = serializers.CharField(allow_blank=True, max_length=5000)
        location = serializers.CharField(allow_blank=True, max_length=300)
        sensitivity_reason = serializers.CharField(allow_blank=True, max_length=5000)
        rebuttable_presumption = serializers.BooleanField()
        document = serializers.UUIDField(allow_null=True, help_text="Public id of a document of this case, or null.")

        class Meta:
            ref_name = "UnusedItemChange"

    @extend_schema(responses={200: OutputSerializer, **ERROR_RESPONSES}, operation_id="cases_unused_items_retrieve")
    def get(self, request: Request, case_id: uuid.UUID, item_id: uuid.UUID) -> Response:
        case = visible_case(request, case_id)
        item = _item(request, case, item_id)
        audit_viewed(request, case, "unused_item", item)
        return Response(output(request, case, item))

    @extend_schema(
        request=UpdateInputSerializer(partial=True),
        responses={200: OutputSerializer, **ERROR_RESPONSES},
        operation_id="cases_unused_items_update",
    )
    def patch(self, request: Request, case_id: uuid.UUID, item_id: uuid.UUID) -> Response:
        """Change the fields given; those left out stay as they are."""
        case = visible_case(request, case_id)
        item = _item(request, case, item_id)
        ensure_allowed(request, "files.manage_unused", case)
        data = validated(self.UpdateInputSerializer, request.data, partial=True)
        document = _document(request, case, data["document"]) if "document" in data else item.document
        details = service.UnusedItemDetails(
            description=data.get("description", item.description),
            location=data.get("location", item.location),
            sensitivity_reason=data.get("sensitivity_reason", item.sensitivity_reason),
            rebuttable_presumption=data.get("rebuttable_presumption", item.rebuttable_presumption),
            document=document,
        )
        service.unused_item_update(item=item, details=details, by=acting_user(request))
        return Response(output(request, case, _item(request, case, item_id)))


class UnusedItemListApi(APIView):
    """The case's scheduled unused material, MG6C then MG6D, each in item order (MG6D only for
    those who may see sensitive material); ``POST`` schedules an item as the next number."""

    class InputSerializer(serializers.Serializer):  # type: ignore[type-arg]
        schedule = serializers.ChoiceField(choices=Schedule.values, help_text="mg6c or mg6d.")
        description = serializers.CharField(allow_blank=True, max_length=5000)
        location = serializers.CharField(allow_blank=True, max_length=300)
        sensitivity_reason = serializers.CharField(
            required=False, allow_blank=True, max_length=5000, help_text="Required on MG6D; not allowed on MG6C."
        )
        rebuttable_presumption = serializers.BooleanField(required=False, default=False)
        document = serializers.UUIDField(
            required=False, allow_null=True, help_text="Public id of a document of this case."
        )

        class Meta:
            ref_name = "UnusedItemCreate"

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "schedule", OpenApiTypes.STR, enum=Schedule.values, description="Only items of this schedule."
            )
        ],
        responses={200: UnusedItemDetailApi.OutputSerializer(many=True), **ERROR_RESPONSES},
        operation_id="cases_unused_items_list",
    )
    def get(self, request: Request, case_id: uuid.UUID) -> Response:
        case = visible_case(request, case_id)
        audit_viewed(request, case, "unused_items")
        items = unused_items_for(user=acting_user(request), case=case).order_by("schedule", "item_number")
        schedule = request.query_params.get("schedule")
        if schedule:
            if schedule not in Schedule.values:
                raise serializers.ValidationError({"schedule": [service.SCHEDULE_REQUIRED]})
            items = items.filter(schedule=schedule)
        return Response(output(request, case, items, many=True))

    @extend_schema(
        request=InputSerializer,
        responses={201: UnusedItemDetailApi.OutputSerializer, **ERROR_RESPONSES},
        operation_id="cases_unused_items_create",
    )
    def post(self, request: Request, case_id: uuid.UUID) -> Response:
        case = visible_case(request, case_id)
        ensure_allowed(request, "files.manage_unused", case)
        data: dict[str, Any] = validated(self.InputSerializer, request.data)
        details = service.UnusedItemDetails(
            description=data["description"],
            location=data["location"],
            sensitivity_reason=data.get("sensitivity_reason", ""),
            rebuttable_presumption=data.get("rebuttable_presumption", False),
            document=_document(request, case, data.get("document")),
        )
        item = service.unused_item_add(case=case, schedule=data["schedule"], details=details, by=acting_user(request))
        return Response(output(request, case, _item(request, case, item.public_id)), status=status.HTTP_201_CREATED)


class UnusedItemDecisionApi(APIView):
    """The prosecutor's decision on an item, in its schedule's column."""

    class InputSerializer(serializers.Serializer):  # type: ignore[type-arg]
        decision = serializers.ChoiceField(
            choices=DECISION_CHOICES,
            help_text="MG6C: disclose, not_disclosable or inspect. MG6D: agree_sensitive or pii_application.",
        )
        note = serializers.CharField(required=False, allow_blank=True, max_length=5000)

        class Meta:
            ref_name = "UnusedItemDecision"

    @extend_schema(
        request=InputSerializer,
        responses={200: UnusedItemDetailApi.OutputSerializer, **ERROR_RESPONSES},
        operation_id="cases_unused_items_decide",
    )
    def post(self, request: Request, case_id: uuid.UUID, item_id: uuid.UUID) -> Response:
        case = visible_case(request, case_id)
        item = _item(request, case, item_id)
        ensure_allowed(request, "files.decide_unused", case)
        data = validated(self.InputSerializer, request.data)
        service.unused_item_decide(
            item=item, decision=data["decision"], note=data.get("note", ""), by=acting_user(request)
        )
        return Response(output(request, case, _item(request, case, item_id)))
