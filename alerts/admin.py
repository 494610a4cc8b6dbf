"""Alerts, their email deliveries and every delivery attempt, read-only for administrators: the record that
a warning was (or was not) delivered is evidence, so nobody edits it here. Undelivered emails are retried
from the "Undelivered alerts" page (``alerts.views_admin``), which audits the retry."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import Alert, AlertDelivery, DeliveryAttempt


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class DeliveryAttemptInline(admin.TabularInline):  # type: ignore[type-arg]
    model = DeliveryAttempt
    fields = ("attempted_at", "outcome", "error")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Alert)
class AlertAdmin(ReadOnlyAdmin):
    list_display = ("subject", "recipient", "threshold", "due_at", "urgent", "created_at", "acknowledged_at")
    list_filter = ("urgent", "requires_acknowledgement", ("created_at", admin.DateFieldListFilter))
    search_fields = ("subject", "recipient__username", "public_id", "case_id")
    list_select_related = ("recipient",)
    date_hierarchy = "created_at"
    show_full_result_count = False
    exclude = ("deadline",)  # a raw select of every deadline would be slow and says nothing the subject does not


@admin.register(AlertDelivery)
class AlertDeliveryAdmin(ReadOnlyAdmin):
    list_display = ("alert", "channel", "status", "digest", "attempts", "next_attempt_at", "sent_at")
    list_filter = ("status", "channel", "digest")
    search_fields = ("alert__subject", "alert__recipient__username", "alert__public_id")
    list_select_related = ("alert",)
    show_full_result_count = False
    inlines = [DeliveryAttemptInline]


@admin.register(DeliveryAttempt)
class DeliveryAttemptAdmin(ReadOnlyAdmin):
    list_display = ("attempted_at", "delivery", "outcome", "error")
    list_filter = ("outcome", ("attempted_at", admin.DateFieldListFilter))
    list_select_related = ("delivery", "delivery__alert")
    date_hierarchy = "attempted_at"
    show_full_result_count = False
