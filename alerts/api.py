"""Delay alerts through the API: the caller's own alerts on cases they may see, and acknowledging or
dismissing one. Reads go through ``alerts.selectors`` and changes through ``alerts.services_ack``, as the
pages do, so another person's alert, or one of a case out of scope, answers the same 404 as a missing one.

- ``GET /api/v1/alerts/``: newest first by cursor; filters ``unacknowledged``, ``urgent``, ``case``,
  ``include_dismissed``.
- ``GET /api/v1/alerts/{id}/``: one alert (dismissed ones too).
- ``POST /api/v1/alerts/{id}/acknowledge/`` ``{"note": "..."}``: acknowledge with a note.
- ``POST /api/v1/alerts/{id}/dismiss/``: dismiss; an alert of a statutory time limit only once acknowledged.
"""

from __future__ import annotations

import uuid

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.pagination import CursorPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import User
from casework.choices import DeadlineKind, DeadlineStatus
from config.api_docs import ERROR_RESPONSES

from . import services_ack
from .models import Alert
from .selectors import AlertFilters, alert_get_for, alerts_for, threshold_in_words


class AlertDeadlineOutput(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.UUIDField(source="public_id")
    kind = serializers.ChoiceField(choices=DeadlineKind.choices)
    # "label" is also an attribute of Field in the stubs; the key is what clients read.
    label = serializers.CharField(help_text="What is due.")  # type: ignore[assignment]
    due_at = serializers.DateTimeField(help_text="When it is due now (it may have moved since the alert).")
    rule = serializers.CharField(help_text="The rule that produced it and its source.")
    statutory = serializers.BooleanField()
    status = serializers.ChoiceField(choices=DeadlineStatus.choices)


class AlertOutput(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.UUIDField(source="public_id")
    case_id = serializers.UUIDField(help_text="Public id of the case.")
    case_urn = serializers.CharField(source="deadline.case.urn_display", help_text="The case's URN.")
    deadline = AlertDeadlineOutput()
    threshold = serializers.CharField(
        help_text="The alert point: `T-14d`, `T-2wd` (working days), `T-2h`, `overdue`, or `escalated:<point>`."
    )
    threshold_label = serializers.SerializerMethodField(help_text="The alert point in words, e.g. '14 days before'.")
    due_at = serializers.DateTimeField(help_text="The deadline's due time when the alert was raised.")
    subject = serializers.CharField()
    body = serializers.CharField()
    urgent = serializers.BooleanField()
    requires_acknowledgement = serializers.BooleanField(
        help_text="Warns of a statutory time limit: it cannot be dismissed until acknowledged."
    )
    created_at = serializers.DateTimeField()
    read_at = serializers.DateTimeField(allow_null=True)
    acknowledged_at = serializers.DateTimeField(allow_null=True)
    acknowledgement_note = serializers.CharField()
    dismissed_at = serializers.DateTimeField(allow_null=True)
    escalated_at = serializers.DateTimeField(allow_null=True)

    def get_threshold_label(self, alert: Alert) -> str:
        return threshold_in_words(alert.threshold)


class AlertCursorPagination(CursorPagination):
    """Keyset pages, newest first (no COUNT); the order ends in the unique id so pages never skip or repeat."""

    page_size = 50
    ordering = ("-created_at", "-id")


def _user(request: Request) -> User:
    user = request.user
    assert isinstance(user, User)  # every alert view requires an authenticated user
    return user


class AlertListApi(APIView):
    pagination_class = AlertCursorPagination

    class FilterInput(serializers.Serializer):  # type: ignore[type-arg]
        unacknowledged = serializers.BooleanField(required=False, default=False, help_text="Only unacknowledged.")
        urgent = serializers.BooleanField(required=False, default=False, help_text="Only urgent alerts.")
        case = serializers.UUIDField(required=False, help_text="Public id of a case: only its alerts.")
        include_dismissed = serializers.BooleanField(
            required=False, default=False, help_text="Include alerts you have dismissed."
        )

        class Meta:
            ref_name = "AlertFilterInput"

    @extend_schema(
        parameters=[FilterInput],
        responses={200: AlertOutput(many=True), **ERROR_RESPONSES},
        operation_id="alerts_list",
    )
    def get(self, request: Request) -> Response:
        """Your alerts on cases you may see, newest first, by cursor. Dismissed alerts are left out unless
        asked for."""
        params = self.FilterInput(data=request.query_params)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        filters = AlertFilters(
            unacknowledged=data["unacknowledged"],
            urgent=data["urgent"],
            case_id=data.get("case"),
            include_dismissed=data["include_dismissed"],
        )
        paginator = AlertCursorPagination()
        page = paginator.paginate_queryset(alerts_for(user=_user(request), filters=filters), request, view=self)
        return paginator.get_paginated_response(AlertOutput(page, many=True).data)


class AlertDetailApi(APIView):
    @extend_schema(responses={200: AlertOutput, **ERROR_RESPONSES}, operation_id="alerts_retrieve")
    def get(self, request: Request, alert_id: uuid.UUID) -> Response:
        """One of your alerts. Another person's alert, or one of a case you cannot see, answers 404."""
        return Response(AlertOutput(alert_get_for(user=_user(request), public_id=alert_id)).data)


class AlertAcknowledgeApi(APIView):
    class AcknowledgeInput(serializers.Serializer):  # type: ignore[type-arg]
        note = serializers.CharField(
            required=False,
            allow_blank=True,
            default="",
            max_length=services_ack.NOTE_MAX_LENGTH,
            error_messages={"max_length": services_ack.NOTE_TOO_LONG},
            help_text="What has been done, or will be done and by when, about the deadline. Required.",
        )

        class Meta:
            ref_name = "AlertAcknowledgeInput"

    @extend_schema(
        request=AcknowledgeInput,
        responses={200: AlertOutput, **ERROR_RESPONSES},
        operation_id="alerts_acknowledge",
    )
    def post(self, request: Request, alert_id: uuid.UUID) -> Response:
        """Acknowledge one of your alerts with a note. Audited with the case."""
        user = _user(request)
        alert = alert_get_for(user=user, public_id=alert_id)
        params = self.AcknowledgeInput(data=request.data)
        params.is_valid(raise_exception=True)
        alert = services_ack.acknowledge(alert, by=user, note=params.validated_data["note"])
        return Response(AlertOutput(alert).data)


class AlertDismissApi(APIView):
    @extend_schema(request=None, responses={200: AlertOutput, **ERROR_RESPONSES}, operation_id="alerts_dismiss")
    def post(self, request: Request, alert_id: uuid.UUID) -> Response:
        """Dismiss one of your alerts. One that warns of a statutory time limit must be acknowledged first
        (400, and nothing changes). Audited with the case."""
        user = _user(request)
        alert = services_ack.dismiss(alert_get_for(user=user, public_id=alert_id), by=user)
        return Response(AlertOutput(alert).data)
