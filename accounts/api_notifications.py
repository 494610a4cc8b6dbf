"""The signed-in user's own notifications through the API: list them, mark one (or all) read."""

from __future__ import annotations

import uuid

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from config.api_docs import ERROR_RESPONSES
from config.api_errors import not_found_response

from .models import User
from .notifications import mark_read, notifications_for

PAGE_SIZE = 100


class NotificationOutput(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.UUIDField(source="public_id")
    kind = serializers.CharField()
    subject = serializers.CharField()
    body = serializers.CharField()
    case_id = serializers.UUIDField(allow_null=True)
    link = serializers.CharField(help_text="Path of the page in Casebridge.")
    created_at = serializers.DateTimeField()
    read_at = serializers.DateTimeField(allow_null=True)


class MarkedOutput(serializers.Serializer):  # type: ignore[type-arg]
    marked_read = serializers.IntegerField()


class NotificationListApi(APIView):
    class FilterInput(serializers.Serializer):  # type: ignore[type-arg]
        unread = serializers.BooleanField(required=False, default=False)

    @extend_schema(
        parameters=[OpenApiParameter("unread", bool, required=False, description="Only unread notifications.")],
        responses={200: NotificationOutput(many=True), **ERROR_RESPONSES},
        operation_id="notifications_list",
        description=f"Your notifications, newest first (at most {PAGE_SIZE}).",
    )
    def get(self, request: Request) -> Response:
        filters = self.FilterInput(data=request.query_params)
        filters.is_valid(raise_exception=True)
        assert isinstance(request.user, User)
        qs = notifications_for(user=request.user)
        if filters.validated_data["unread"]:
            qs = qs.filter(read_at__isnull=True)
        return Response(NotificationOutput(qs[:PAGE_SIZE], many=True).data)


class NotificationReadApi(APIView):
    @extend_schema(
        request=None,
        responses={200: MarkedOutput, **ERROR_RESPONSES},
        operation_id="notifications_mark_read",
        description="Mark one of your notifications read. Another person's notification answers 404.",
    )
    def post(self, request: Request, notification_id: uuid.UUID) -> Response:
        assert isinstance(request.user, User)
        if not notifications_for(user=request.user).filter(public_id=notification_id).exists():
            return not_found_response()
        return Response({"marked_read": mark_read(user=request.user, public_id=notification_id)})


class NotificationReadAllApi(APIView):
    @extend_schema(
        request=None,
        responses={200: MarkedOutput, **ERROR_RESPONSES},
        operation_id="notifications_mark_all_read",
    )
    def post(self, request: Request) -> Response:
        assert isinstance(request.user, User)
        return Response({"marked_read": mark_read(user=request.user)})
