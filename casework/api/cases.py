"""Case API (read side for now; writes arrive with the case-file feature)."""

from __future__ import annotations

import uuid

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.pagination import CursorPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.audit import audit_record
from accounts.choices import AuditEventType
from config.api_docs import ERROR_RESPONSES

from ..models import Case
from ..selectors import case_get_visible_to, case_list_visible_to


class CaseOutput(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.UUIDField(source="public_id")
    urn = serializers.CharField()
    status = serializers.CharField()
    force_code = serializers.CharField(source="force.code")
    force_name = serializers.CharField(source="force.name")
    unit_code = serializers.CharField(source="unit.code", allow_null=True, default=None)
    cps_area = serializers.CharField(source="cps_area.name", allow_null=True, default=None)
    updated_at = serializers.DateTimeField()


class CasePagination(CursorPagination):
    ordering = ("-updated_at", "-id")
    page_size = 50


class CaseListApi(ListAPIView):  # type: ignore[type-arg]
    """Cases the caller may see, newest first, by cursor (no COUNT over the table)."""

    serializer_class = CaseOutput
    pagination_class = CasePagination

    def get_queryset(self) -> QuerySet[Case]:
        return case_list_visible_to(user=self.request.user)  # type: ignore[arg-type]

    @extend_schema(responses={200: CaseOutput(many=True), **ERROR_RESPONSES}, operation_id="cases_list")
    def get(self, request: Request, *args: object, **kwargs: object) -> Response:
        return super().get(request, *args, **kwargs)


class CaseDetailApi(APIView):
    @extend_schema(responses={200: CaseOutput, **ERROR_RESPONSES}, operation_id="cases_retrieve")
    def get(self, request: Request, case_id: uuid.UUID) -> Response:
        case = case_get_visible_to(user=request.user, public_id=case_id)  # type: ignore[arg-type]
        audit_record(
            by=request.user,  # type: ignore[arg-type]
            event_type=AuditEventType.CASE_VIEWED,
            obj=case,
            case_id=case.public_id,
            data={"via": "api"},
        )  # type: ignore[arg-type]
        return Response(CaseOutput(case).data)
