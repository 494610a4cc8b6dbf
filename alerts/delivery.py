"""Delivering delay alerts by email from the outbox (``AlertDelivery``), with every attempt recorded.

Urgent alerts are emailed one by one as soon as they commit (``enqueue_urgent``, then ``deliver_due`` every
minute from beat as the safety net); the others wait for the recipient's daily digest
(``send_daily_digests``), one email per person. A failed attempt is retried with exponential backoff
(``ALERT_RETRY_BASE_SECONDS * 2**(attempts - 1)``, at most ``RETRY_CAP_SECONDS``) until
``ALERT_DELIVERY_MAX_ATTEMPTS`` attempts have failed; the delivery is then *failed* and shown to
administrators on the "Undelivered alerts" page, where they can retry it. A recipient without an email
address (or whose account is deactivated) gets *no_address*, shown there too.

Which job sends what:

* ``deliver_due``: urgent deliveries (``digest=False``) that are pending or retrying and due; and digest
  deliveries that are **retrying** and due (a failed digest is retried within minutes, not the next day),
  sent again as one digest per recipient.
* ``send_daily_digests``: every **pending** digest delivery (whatever its ``next_attempt_at``: the digest
  hour is its schedule) and any retrying digest delivery already due, one email per recipient.

Locking (why the lock is held across the SMTP conversation): each email is claimed with ``SELECT ... FOR
UPDATE OF alerts_alertdelivery SKIP LOCKED`` in its own short transaction, which stays open while the mail
server is talked to and commits with the outcome and the ``DeliveryAttempt`` row. Only outbox rows are
locked (never the alert, which people acknowledge, nor the user), one email's rows at a time, and the SMTP
conversation is bounded by ``SMTP_TIMEOUT_SECONDS``. The alternative (claim, commit, send, record) needs a
lease written to the row: a lease that runs out under a slow mail server lets a second worker send the same
email, and an administrator's "retry now" during a send cannot tell a leased row from one waiting for its
backoff without a "sending" status. With the lock as the claim, a second worker skips the row, "retry now"
waits for the send to finish and sees its outcome, and a worker that dies mid-send releases the row with its
transaction, so it is sent on the next run. The one duplicate left is inherent in any outbox: the server
accepted the message and the commit that records it was lost.

Emails carry only the alert's subject and body (a URN and what is due, written without personal detail by
whoever raised the alert) and a link into Casebridge, where the case's pages scope what the reader may see.
"""

from __future__ import annotations

import logging
import smtplib
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.db.models import Case, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from accounts.audit import audit_record
from accounts.choices import AuditEventType
from accounts.models import User
from casework.deadlines.calendar import LONDON

from .choices import AttemptOutcome, DeliveryChannel, DeliveryStatus
from .models import Alert, AlertDelivery, DeliveryAttempt

logger = logging.getLogger(__name__)

# The longest wait between two attempts, whatever the backoff formula gives.
RETRY_CAP_SECONDS = 60 * 60
# A mail server that stops answering must not hold an outbox row (and a worker) for ever (EMAIL_TIMEOUT, when
# set, wins).
SMTP_TIMEOUT_SECONDS = 30
# Deliveries sent by one run of deliver_due; beat runs it every minute and the rest wait for the next run.
DELIVER_BATCH = 200
LAST_ERROR_MAX_CHARS = 2000

NO_ADDRESS_ERROR = "The recipient has no email address."
INACTIVE_ERROR = "The recipient's account is deactivated."
UNDELIVERED_STATUSES = (DeliveryStatus.FAILED, DeliveryStatus.NO_ADDRESS, DeliveryStatus.RETRYING)

# "Retry now" refusals (each changes nothing).
RETRY_ALREADY_SENT = "This alert has already been emailed, so it was not sent again."
RETRY_ALREADY_WAITING = "This alert is already waiting to be emailed."
RETRY_STILL_NO_ADDRESS = "{user} still has no email address. Add one to their account, then retry."
RETRY_INACTIVE = "{user}'s account is deactivated, so the alert cannot be emailed to them."
DELIVERY_NOT_FOUND = "No alert delivery found."


# -- backoff -------------------------------------------------------------------------------------------


def retry_delay(attempts: int) -> timedelta:
    """The wait after the ``attempts``-th failed attempt: the base, doubled for each earlier failure, at
    most ``RETRY_CAP_SECONDS``."""
    base = int(settings.ALERT_RETRY_BASE_SECONDS)
    exponent = max(attempts - 1, 0)
    # Bound the exponent before raising 2 to it: a large attempt count must not build a huge integer.
    seconds = RETRY_CAP_SECONDS if exponent >= 32 else min(base * 2**exponent, RETRY_CAP_SECONDS)
    return timedelta(seconds=seconds)


def _is_permanent(exc: Exception) -> bool:
    """A 5xx answer about the recipient or the message will not change by retrying (a mailbox that does not
    exist); anything else (4xx, a refused connection, a timeout) may."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in exc.recipients.values()]
        return bool(codes) and all(code >= 500 for code in codes)
    if isinstance(exc, smtplib.SMTPResponseException):
        return exc.smtp_code >= 500
    return False


def _describe(exc: Exception) -> str:
    if isinstance(exc, smtplib.SMTPResponseException):
        message = exc.smtp_error.decode(errors="replace") if isinstance(exc.smtp_error, bytes) else exc.smtp_error
        text = f"{exc.smtp_code} {message}"
    elif isinstance(exc, smtplib.SMTPRecipientsRefused):
        text = "; ".join(
            f"{code} {msg.decode(errors='replace') if isinstance(msg, bytes) else msg}"
            for code, msg in exc.recipients.values()
        )
    else:
        text = str(exc) or exc.__class__.__name__
    return f"{exc.__class__.__name__}: {text}"[:LAST_ERROR_MAX_CHARS]


# -- the messages --------------------------------------------------------------------------------------


def alert_link(alert: Alert) -> str:
    """The absolute link in an email: the alert in the recipient's inbox (where it is acknowledged), which
    shows it only to them and only while they may see the case."""
    return f"{settings.SITE_URL.rstrip('/')}{reverse('alerts:alert-detail', args=[alert.public_id])}"


def _due_text(alert: Alert) -> str:
    return timezone.localtime(alert.due_at, LONDON).strftime("%a %-d %b %Y, %H:%M")


_HEADERS = {"Auto-Submitted": "auto-generated", "X-Casebridge-Kind": "delay-alert"}


def alert_message(alert: Alert, *, to: str, connection: BaseEmailBackend) -> EmailMessage:
    lines = [alert.subject, ""]
    if alert.body:
        lines += [alert.body, ""]
    lines += [f"Due: {_due_text(alert)} (UK time)", "", f"Sign in to Casebridge to see it: {alert_link(alert)}", ""]
    return EmailMessage(
        subject=f"Casebridge: {alert.subject}"[:250],
        body="\n".join(lines),
        to=[to],
        connection=connection,
        headers=_HEADERS,
    )


def digest_message(alerts: Sequence[Alert], *, to: str, connection: BaseEmailBackend) -> EmailMessage:
    count = len(alerts)
    lines = [f"You have {count} delay alert{'s' if count != 1 else ''} in Casebridge:", ""]
    for alert in sorted(alerts, key=lambda a: (a.due_at, a.pk)):
        lines += [f"- {alert.subject}", f"  Due: {_due_text(alert)} (UK time)", f"  {alert_link(alert)}", ""]
    lines.append("Sign in to Casebridge to acknowledge them.")
    return EmailMessage(
        subject=f"Casebridge: your daily summary of {count} delay alert{'s' if count != 1 else ''}",
        body="\n".join(lines),
        to=[to],
        connection=connection,
        headers=_HEADERS,
    )


# -- recording outcomes --------------------------------------------------------------------------------


def _record_sent(delivery: AlertDelivery, *, at: datetime) -> None:
    delivery.attempts += 1
    delivery.status = DeliveryStatus.SENT
    delivery.sent_at = at
    delivery.next_attempt_at = None
    delivery.last_error = ""
    delivery.save(update_fields=["attempts", "status", "sent_at", "next_attempt_at", "last_error"])
    DeliveryAttempt.objects.create(delivery=delivery, outcome=AttemptOutcome.SENT)


def _record_failed(delivery: AlertDelivery, *, at: datetime, error: str, permanent: bool = False) -> None:
    delivery.attempts += 1
    delivery.last_error = error
    if permanent or delivery.attempts >= settings.ALERT_DELIVERY_MAX_ATTEMPTS:
        delivery.status = DeliveryStatus.FAILED
        delivery.next_attempt_at = None
    else:
        delivery.status = DeliveryStatus.RETRYING
        delivery.next_attempt_at = at + retry_delay(delivery.attempts)
    delivery.save(update_fields=["attempts", "status", "next_attempt_at", "last_error"])
    DeliveryAttempt.objects.create(delivery=delivery, outcome=AttemptOutcome.FAILED, error=error)


def _record_no_address(delivery: AlertDelivery, *, error: str) -> None:
    delivery.attempts += 1
    delivery.status = DeliveryStatus.NO_ADDRESS
    delivery.next_attempt_at = None
    delivery.last_error = error
    delivery.save(update_fields=["attempts", "status", "next_attempt_at", "last_error"])
    DeliveryAttempt.objects.create(delivery=delivery, outcome=AttemptOutcome.FAILED, error=error)


def _address_problem(user: User) -> str:
    if not user.is_active:
        return INACTIVE_ERROR
    if not user.email:
        return NO_ADDRESS_ERROR
    return ""


@dataclass
class _Mailer:
    """One SMTP connection for a run, opened on first use and reopened after a failure."""

    connection: BaseEmailBackend | None = None

    def send(self, build: Callable[[BaseEmailBackend], EmailMessage]) -> None:
        if self.connection is None:
            timeout = getattr(settings, "EMAIL_TIMEOUT", None) or SMTP_TIMEOUT_SECONDS
            self.connection = get_connection(fail_silently=False, timeout=timeout)
        try:
            build(self.connection).send(fail_silently=False)
        except Exception:
            self.close()
            raise

    def close(self) -> None:
        if self.connection is not None:
            try:
                self.connection.close()
            except Exception:
                logger.debug("closing the SMTP connection failed", exc_info=True)
            self.connection = None


def _now(now: datetime | None) -> datetime:
    return now if now is not None else timezone.now()


def _due(now: datetime) -> Q:
    return Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)


# -- urgent deliveries ---------------------------------------------------------------------------------


def _urgent_due(now: datetime, ids: Iterable[int] | None) -> QuerySet[AlertDelivery]:
    rows = AlertDelivery.objects.filter(
        _due(now),
        channel=DeliveryChannel.EMAIL,
        status__in=[DeliveryStatus.PENDING, DeliveryStatus.RETRYING],
        digest=False,
    )
    if ids is not None:
        rows = rows.filter(pk__in=list(ids))
    return rows


def _deliver_one(mailer: _Mailer, *, now: datetime | None, ids: Iterable[int] | None) -> bool | None:
    """Claim one due urgent delivery, send it and record the outcome, all in one transaction. ``None`` when
    nothing is left to claim; else whether it was sent."""
    moment = _now(now)
    with transaction.atomic():
        delivery = (
            _urgent_due(moment, ids)
            .select_for_update(skip_locked=True, of=("self",))
            .select_related("alert", "alert__recipient")
            .order_by("next_attempt_at", "pk")
            .first()
        )
        if delivery is None:
            return None
        alert = delivery.alert
        recipient = alert.recipient
        problem = _address_problem(recipient)
        if problem:
            _record_no_address(delivery, error=problem)
            return False
        try:
            mailer.send(lambda connection: alert_message(alert, to=recipient.email, connection=connection))
        except Exception as exc:  # noqa: BLE001 - every failure is recorded on the delivery and retried
            _record_failed(delivery, at=_now(now), error=_describe(exc), permanent=_is_permanent(exc))
            return False
        _record_sent(delivery, at=_now(now))
        return True


def deliver_due(*, now: datetime | None = None, limit: int = DELIVER_BATCH, ids: Iterable[int] | None = None) -> int:
    """Email every urgent delivery that is due (pending, or retrying with its backoff over), then retry the
    digests whose backoff is over; returns how many emails were sent. ``ids`` narrows the run to those
    deliveries (``enqueue_urgent``). Two runs at once never send the same delivery (see the module
    docstring)."""
    id_list = list(ids) if ids is not None else None
    mailer = _Mailer()
    sent = 0
    try:
        for _ in range(limit):
            outcome = _deliver_one(mailer, now=now, ids=id_list)
            if outcome is None:
                break
            sent += int(outcome)
        if id_list is None:
            sent += _send_digests(mailer, now=_now(now), include_pending=False)
    finally:
        mailer.close()
    return sent


def enqueue_urgent(delivery_ids: Sequence[int]) -> None:
    """Send these urgent deliveries now, through Celery. Call it after the transaction that wrote them has
    committed. A broker outage costs only the head start: beat's ``deliver_due`` every minute sends them."""
    if not delivery_ids:
        return
    from .tasks import deliver_due as deliver_due_task

    try:
        deliver_due_task.delay(delivery_ids=[int(pk) for pk in delivery_ids])
    except Exception:
        logger.warning("could not queue urgent alert deliveries; beat will send them", exc_info=True)


# -- digests -------------------------------------------------------------------------------------------


def _digest_due(now: datetime, *, include_pending: bool) -> QuerySet[AlertDelivery]:
    due_retry = Q(status=DeliveryStatus.RETRYING) & _due(now)
    wanted = (Q(status=DeliveryStatus.PENDING) | due_retry) if include_pending else due_retry
    return AlertDelivery.objects.filter(wanted, channel=DeliveryChannel.EMAIL, digest=True)


def _digest_one(mailer: _Mailer, *, recipient_id: int, now: datetime, include_pending: bool) -> bool:
    """Claim this recipient's due digest deliveries, send them as one email, record an attempt on each."""
    with transaction.atomic():
        deliveries = list(
            _digest_due(now, include_pending=include_pending)
            .filter(alert__recipient_id=recipient_id)
            .select_for_update(skip_locked=True, of=("self",))
            .select_related("alert", "alert__recipient")
            .order_by("pk")
        )
        if not deliveries:
            return False
        recipient = deliveries[0].alert.recipient
        problem = _address_problem(recipient)
        if problem:
            for delivery in deliveries:
                _record_no_address(delivery, error=problem)
            return False
        alerts = [d.alert for d in deliveries]
        try:
            mailer.send(lambda connection: digest_message(alerts, to=recipient.email, connection=connection))
        except Exception as exc:  # noqa: BLE001 - every failure is recorded on each delivery and retried
            error, permanent = _describe(exc), _is_permanent(exc)
            for delivery in deliveries:
                _record_failed(delivery, at=now, error=error, permanent=permanent)
            return False
        for delivery in deliveries:
            _record_sent(delivery, at=now)
        return True


def _send_digests(mailer: _Mailer, *, now: datetime, include_pending: bool) -> int:
    recipients = (
        _digest_due(now, include_pending=include_pending)
        .order_by()
        .values_list("alert__recipient_id", flat=True)
        .distinct()
    )
    return sum(
        _digest_one(mailer, recipient_id=rid, now=now, include_pending=include_pending) for rid in list(recipients)
    )


def send_daily_digests(*, now: datetime | None = None) -> int:
    """The daily digest: one email per recipient listing their waiting (non-urgent) alerts, with what is
    due, when (UK time) and a link; each delivery it carries is marked sent with its own attempt record.
    Returns how many digest emails were sent."""
    mailer = _Mailer()
    try:
        return _send_digests(mailer, now=_now(now), include_pending=True)
    finally:
        mailer.close()


# -- administrators: undelivered alerts ----------------------------------------------------------------


GAVE_UP_FIRST = Case(
    When(status=DeliveryStatus.FAILED, then=Value(0)),
    When(status=DeliveryStatus.NO_ADDRESS, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)


def undelivered_list() -> QuerySet[AlertDelivery]:
    """Deliveries that have not reached their recipient: failed, without an address, or retrying; the ones
    that gave up first, then the oldest. For system administrators only (the view checks)."""
    return (
        AlertDelivery.objects.filter(status__in=UNDELIVERED_STATUSES)
        .select_related("alert", "alert__recipient", "alert__recipient__organisation")
        .prefetch_related(Prefetch("attempt_log", queryset=DeliveryAttempt.objects.order_by("-attempted_at", "-id")))
        .order_by(GAVE_UP_FIRST, "created_at", "pk")
    )


def undelivered_get(*, alert_id: uuid.UUID, channel: str) -> AlertDelivery:
    delivery = (
        AlertDelivery.objects.select_related("alert", "alert__recipient")
        .filter(alert__public_id=alert_id, channel=channel)
        .first()
    )
    if delivery is None:
        raise Http404(DELIVERY_NOT_FOUND)
    return delivery


def delivery_retry(*, delivery: AlertDelivery, by: User, now: datetime | None = None) -> AlertDelivery:
    """An administrator's "retry now": the delivery is due at once (status *retrying*) and one more attempt
    is queued; if it fails and the attempts are used up, it is *failed* again. The attempt count is kept, so
    the record still says how many times it failed. Audited."""
    moment = _now(now)
    with transaction.atomic(durable=True):
        # Not SKIP LOCKED: if a worker is sending it right now, wait and look at the outcome.
        locked = (
            AlertDelivery.objects.select_for_update(of=("self",)).select_related("alert__recipient").get(pk=delivery.pk)
        )
        recipient = locked.alert.recipient
        if locked.status == DeliveryStatus.SENT:
            raise ValidationError(RETRY_ALREADY_SENT)
        if locked.status == DeliveryStatus.PENDING:
            raise ValidationError(RETRY_ALREADY_WAITING)
        if not recipient.is_active:
            raise ValidationError(RETRY_INACTIVE.format(user=recipient.username))
        if not recipient.email:
            raise ValidationError(RETRY_STILL_NO_ADDRESS.format(user=recipient.username))
        previous = locked.status
        locked.status = DeliveryStatus.RETRYING
        locked.next_attempt_at = moment
        locked.save(update_fields=["status", "next_attempt_at"])
        audit_record(
            by=by,
            event_type=AuditEventType.ALERT_DELIVERY_RETRIED,
            obj=locked.alert,
            case_id=locked.alert.case_id,
            summary=f"Email of a delay alert to {recipient.username} retried",
            data={"channel": locked.channel, "previous_status": previous, "attempts": locked.attempts},
        )
        ids = [locked.pk]
        if not locked.digest:
            transaction.on_commit(lambda: enqueue_urgent(ids))
        else:
            transaction.on_commit(_enqueue_digest_retry)
    return locked


def _enqueue_digest_retry() -> None:
    from .tasks import deliver_due as deliver_due_task

    try:
        deliver_due_task.delay()
    except Exception:
        logger.warning("could not queue a digest retry; beat will send it", exc_info=True)
