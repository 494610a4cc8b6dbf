"""Delay alerts: one per deadline, threshold and recipient (a unique constraint, so a sweep that runs twice,
or two sweeps at once, raise it once), with a transactional outbox of email deliveries and a record of every
delivery attempt."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from casework.models import Deadline

from .choices import AttemptOutcome, DeliveryChannel, DeliveryStatus


class Alert(models.Model):
    """An alert to one person that a deadline is near or past. ``threshold`` is the threshold's stable key
    (``T-14d``, ``T-2wd``, ``T-2h``, ``overdue``; ``escalated:<key>`` for the copy a manager gets)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # Indexed by alert_once_per_threshold (deadline, threshold, recipient).
    deadline = models.ForeignKey(Deadline, on_delete=models.CASCADE, related_name="alerts", db_index=False)
    # Copied from the deadline: the inbox and the API scope alerts by the case the user may see.
    case_id = models.UUIDField()
    # Indexed by alert_inbox_idx (recipient, acknowledged_at, -created_at).
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="alerts", db_index=False
    )
    threshold = models.CharField(max_length=40)
    due_at = models.DateTimeField(help_text="The deadline's due time when the alert was raised.")
    subject = models.CharField(max_length=300)
    # What the email may carry: the URN, what is due and when. No personal detail leaves the system.
    body = models.TextField(blank=True)
    urgent = models.BooleanField(default=False, help_text="Emailed at once, not in the daily digest.")
    requires_acknowledgement = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledgement_note = models.TextField(blank=True)
    dismissed_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True, help_text="When managers were told of it.")

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["deadline", "threshold", "recipient"], name="alert_once_per_threshold"),
            models.CheckConstraint(
                condition=models.Q(acknowledged_at__isnull=True) | ~models.Q(acknowledgement_note=""),
                name="alert_acknowledgement_has_note",
            ),
            models.CheckConstraint(
                condition=models.Q(requires_acknowledgement=False)
                | models.Q(dismissed_at__isnull=True)
                | models.Q(acknowledged_at__isnull=False),
                name="alert_statutory_dismissed_only_when_acknowledged",
            ),
        ]
        indexes = [
            models.Index(fields=["recipient", "acknowledged_at", "-created_at"], name="alert_inbox_idx"),
            # The inbox's order (``alerts.selectors.INBOX_ORDERING``: waiting first, then newest first), so a
            # page of it is read straight from the index, not sorted out of everything the person ever had.
            models.Index(
                models.F("recipient"),
                models.ExpressionWrapper(
                    models.Q(acknowledged_at__isnull=True), output_field=models.BooleanField()
                ).desc(),
                models.F("created_at").desc(),
                models.F("id").desc(),
                name="alert_inbox_order_idx",
            ),
            models.Index(
                fields=["created_at"],
                name="alert_unacknowledged_idx",
                condition=models.Q(acknowledged_at__isnull=True, escalated_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject} → {self.recipient_id}"


class AlertDelivery(models.Model):
    """The transactional outbox: written in the same transaction as its alert, then sent by a Celery task
    (at once for an urgent alert, in the daily digest otherwise), retried with backoff until it is sent or
    has failed ``ALERT_DELIVERY_MAX_ATTEMPTS`` times."""

    # Indexed by alert_delivery_once_per_channel (alert, channel).
    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="deliveries", db_index=False)
    channel = models.CharField(max_length=20, choices=DeliveryChannel.choices, default=DeliveryChannel.EMAIL)
    status = models.CharField(max_length=20, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    digest = models.BooleanField(default=False, help_text="Goes in the recipient's daily digest.")
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["alert", "channel"], name="alert_delivery_once_per_channel")]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                name="alert_delivery_due_idx",
                condition=models.Q(status__in=["pending", "retrying"]),
            ),
            # The administrators' undelivered list and its capped count read only these rows: without the index
            # both scanned every delivery ever made, nearly all of them sent.
            models.Index(
                fields=["created_at", "id"],
                name="alert_delivery_undelivered_idx",
                condition=models.Q(status__in=["failed", "no_address", "retrying"]),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} for alert {self.alert_id}: {self.get_status_display()}"


class DeliveryAttempt(models.Model):
    """One try at delivering, with its outcome: the proof that a warning was (or was not) delivered."""

    delivery = models.ForeignKey(AlertDelivery, on_delete=models.CASCADE, related_name="attempt_log")
    attempted_at = models.DateTimeField(auto_now_add=True)
    outcome = models.CharField(max_length=20, choices=AttemptOutcome.choices)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["attempted_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} at {self.attempted_at:%Y-%m-%d %H:%M:%S}"
