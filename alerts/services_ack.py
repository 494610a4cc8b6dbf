"""What a person does with a delay alert addressed to them: acknowledge it with a note, dismiss it, or mark
it read.

Each service re-reads the alert under a row lock through ``alerts.selectors`` (the recipient's own alert, on
a case they may still see), so a caller holding a stale or foreign ``Alert`` gets the same 404 as the pages
and the API, and two clicks at once queue up rather than both stamping. Refusals raise ``ValidationError``
with a message that says what to do, and change nothing.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from accounts.audit import audit_record
from accounts.choices import AuditEventType
from accounts.models import User

from .models import Alert
from .selectors import ALERT_NOT_FOUND, AlertFilters, alerts_for, threshold_in_words

NOTE_MAX_LENGTH = 2000
NOTE_REQUIRED = "Enter a note saying what has been done about this alert"
NOTE_TOO_LONG = f"The note must be {NOTE_MAX_LENGTH:,} characters or fewer"
ALREADY_ACKNOWLEDGED = "This alert has already been acknowledged"
ALREADY_DISMISSED = "This alert has already been dismissed"
STATUTORY_NOT_DISMISSED = "Acknowledge this alert with a note before dismissing it: it warns of a statutory time limit"


def _lock(alert: Alert, by: User) -> Alert:
    """The alert re-read with a lock, through the same scope as every read; 404 when it is not ``by``'s."""
    try:
        return (
            alerts_for(user=by, filters=AlertFilters(include_dismissed=True))
            .select_for_update(of=("self",))
            .get(pk=alert.pk)
        )
    except Alert.DoesNotExist as exc:
        raise Http404(ALERT_NOT_FOUND) from exc


def _describe(alert: Alert) -> str:
    return f"{alert.deadline.label} ({threshold_in_words(alert.threshold).lower()})"


@transaction.atomic
def acknowledge(alert: Alert, *, by: User, note: str) -> Alert:
    """The recipient says, in a note, what has been done about the deadline. An acknowledged alert stops
    waiting for them (the header count, escalation to managers) and may then be dismissed even when it warns
    of a statutory time limit. Audited with the case."""
    alert = _lock(alert, by)
    note = note.strip()
    if alert.acknowledged_at is not None:
        raise ValidationError(ALREADY_ACKNOWLEDGED, code="acknowledged")
    if not note:
        raise ValidationError({"note": [NOTE_REQUIRED]}, code="required")
    if len(note) > NOTE_MAX_LENGTH:
        raise ValidationError({"note": [NOTE_TOO_LONG]}, code="max_length")
    now = timezone.now()
    alert.acknowledged_at = now
    alert.acknowledgement_note = note
    alert.read_at = alert.read_at or now
    alert.save(update_fields=["acknowledged_at", "acknowledgement_note", "read_at"])
    audit_record(
        by=by,
        event_type=AuditEventType.ALERT_ACKNOWLEDGED,
        obj=alert,
        case_id=alert.case_id,
        summary=f"Alert acknowledged: {_describe(alert)}",
        data={"deadline": str(alert.deadline.public_id), "threshold": alert.threshold, "note": note},
    )
    return alert


@transaction.atomic
def dismiss(alert: Alert, *, by: User) -> Alert:
    """Take an alert out of the recipient's inbox. An alert that warns of a statutory time limit
    (``requires_acknowledgement``) is dismissed only once acknowledged with a note: a statutory limit missed
    ends a prosecution or frees a defendant, so it must not be waved away unread. (The database refuses it
    too, as the last line of defence.) Audited with the case."""
    alert = _lock(alert, by)
    if alert.dismissed_at is not None:
        raise ValidationError(ALREADY_DISMISSED, code="dismissed")
    if alert.requires_acknowledgement and alert.acknowledged_at is None:
        raise ValidationError(STATUTORY_NOT_DISMISSED, code="statutory")
    now = timezone.now()
    alert.dismissed_at = now
    alert.read_at = alert.read_at or now
    alert.save(update_fields=["dismissed_at", "read_at"])
    audit_record(
        by=by,
        event_type=AuditEventType.ALERT_DISMISSED,
        obj=alert,
        case_id=alert.case_id,
        summary=f"Alert dismissed: {_describe(alert)}",
        data={"deadline": str(alert.deadline.public_id), "threshold": alert.threshold},
    )
    return alert


@transaction.atomic
def mark_read(alert: Alert, *, by: User) -> Alert:
    """Stamp the alert read (once; reading it again keeps the first time). Not audited: reading an alert is
    not a view of case data beyond what the inbox shows."""
    alert = _lock(alert, by)
    if alert.read_at is None:
        alert.read_at = timezone.now()
        alert.save(update_fields=["read_at"])
    return alert
