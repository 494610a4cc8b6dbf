"""Case API for the case's stored deadlines (``casework.deadlines.store``): what is due, for whom, when,
and the rule that produced it, as the case's Deadlines tab shows them."""

from __future__ import annotations

import uuid
from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from config.api_docs import ERROR_RESPONSES

from ..choices import DeadlineKind, DeadlineStatus
from ..deadlines.store import case_deadlines
from ..models import Deadline
from .common import audit_viewed, validated, visible_case
from .serializers import ChoiceLabelField

STATUS_UNKNOWN = "Choose a status: open, met or cancelled"


# Inline enums: a shared `status` or `kind` component would collide with the other APIs' enums.
@extend_schema_field({"type": "string", "enum": list(DeadlineStatus.values)})
class DeadlineStatusField(serializers.CharField):
    pass


@extend_schema_field({"type": "string", "enum": list(DeadlineKind.values)})
class DeadlineKindField(serializers.CharField):
    pass


class DeadlineOutput(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.UUIDField(source="public_id")
    kind = DeadlineKindField(help_text="What the deadline is.")
    kind_label = ChoiceLabelField(DeadlineKind, source="kind")
    label = serializers.CharField(help_text="What is due, in words.")  # type: ignore[assignment]
    suspect = serializers.SerializerMethodField(help_text="Public id of the suspect it concerns, if any.")
    suspect_name = serializers.SerializerMethodField()
    offence = serializers.SerializerMethodField(help_text="Public id of the offence it concerns, if any.")
    due_at = serializers.DateTimeField(help_text="When it is due (ISO 8601; a day's deadline is due at 23:59 UK time).")
    rule = serializers.CharField(help_text="The rule that produced it and its source.")
    statutory = serializers.BooleanField(
        help_text="Set by statute: missing it ends a prosecution or frees a defendant."
    )
    status = DeadlineStatusField()
    status_label = ChoiceLabelField(DeadlineStatus, source="status")

    class Meta:
        ref_name = "Deadline"

    @extend_schema_field(serializers.UUIDField(allow_null=True))
    def get_suspect(self, obj: Deadline) -> Any:
        return str(obj.suspect.public_id) if obj.suspect else None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_suspect_name(self, obj: Deadline) -> str | None:
        return obj.suspect.full_name if obj.suspect else None

    @extend_schema_field(serializers.UUIDField(allow_null=True))
    def get_offence(self, obj: Deadline) -> Any:
        return str(obj.offence.public_id) if obj.offence else None


class DeadlineListApi(APIView):
    class FilterInput(serializers.Serializer):  # type: ignore[type-arg]
        status = serializers.CharField(required=False)

        def validate_status(self, value: str) -> str:
            if value not in DeadlineStatus.values:
                raise serializers.ValidationError(STATUS_UNKNOWN)
            return value

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "status",
                str,
                required=False,
                enum=list(DeadlineStatus.values),
                description="Only deadlines with this status (open, met or cancelled).",
            )
        ],
        responses={200: DeadlineOutput(many=True), **ERROR_RESPONSES},
        operation_id="cases_deadlines_list",
    )
    def get(self, request: Request, case_id: uuid.UUID) -> Response:
        """The case's deadlines, soonest first: open ones kept current as the case changes, and those met
        or no longer applying."""
        case = visible_case(request, case_id)
        params = validated(self.FilterInput, request.query_params)
        statuses = [params["status"]] if "status" in params else None
        audit_viewed(request, case, "deadlines")
        return Response(DeadlineOutput(case_deadlines(case=case, statuses=statuses), many=True).data)
