"""Enumerations of delay alerts and their delivery."""

from django.db import models


class DeliveryChannel(models.TextChoices):
    EMAIL = "email", "Email"


class DeliveryStatus(models.TextChoices):
    # Waiting to be sent: now (urgent) or in the next daily digest.
    PENDING = "pending", "Waiting to be sent"
    SENT = "sent", "Sent"
    # The last attempt failed; another is due at ``next_attempt_at``.
    RETRYING = "retrying", "Failed, will retry"
    # Every attempt failed: shown to administrators as undelivered.
    FAILED = "failed", "Undelivered"
    # Nothing to send (the recipient has no email address): shown to administrators too.
    NO_ADDRESS = "no_address", "No email address"


class AttemptOutcome(models.TextChoices):
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"
