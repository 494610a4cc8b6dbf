"""Background jobs of the accounts app."""

from __future__ import annotations

import socket

from celery import shared_task
from django.utils import timezone

from .models import WorkerHeartbeat


@shared_task(name="accounts.tasks.record_worker_heartbeat", acks_late=True)
def record_worker_heartbeat() -> None:
    """Run by beat every minute: proves a worker is taking tasks from the broker."""
    WorkerHeartbeat.objects.update_or_create(hostname=socket.gethostname(), defaults={"seen_at": timezone.now()})


@shared_task(
    name="accounts.tasks.send_notification_emails",
    acks_late=True,
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
)
def send_notification_emails(notification_ids: list[int]) -> int:
    """Email each notification not yet emailed; the row is stamped so a retried task never sends twice.

    The email says only what happened and on which URN (the subject) and links back: the body of the
    notification (a lawyer's reasons, an action's wording) is case detail and stays in Casebridge."""
    from django.conf import settings
    from django.core.mail import send_mail
    from django.db import transaction

    from .models import Notification

    sent = 0
    for pk in notification_ids:
        with transaction.atomic():
            note = (
                # Lock the notification only: the recipient's row must stay free (sign-in updates it)
                # while the mail server is being talked to.
                Notification.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("recipient")
                .filter(pk=pk, emailed_at__isnull=True)
                .first()
            )
            if note is None or not note.recipient.email or not note.recipient.is_active:
                continue
            link = f"{settings.SITE_URL.rstrip('/')}{note.link}" if note.link else settings.SITE_URL
            send_mail(
                subject=f"Casebridge: {note.subject}",
                message=f"{note.subject}\n\nSign in to Casebridge to see it: {link}\n",
                from_email=None,
                recipient_list=[note.recipient.email],
            )
            note.emailed_at = timezone.now()
            note.save(update_fields=["emailed_at"])
            sent += 1
    return sent
