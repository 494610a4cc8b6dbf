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
