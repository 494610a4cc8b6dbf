"""A task sent through the real broker is run by a real worker process and changes the database."""

from __future__ import annotations

import subprocess

import pytest
from django.utils import timezone

from accounts.models import WorkerHeartbeat
from accounts.tasks import record_worker_heartbeat
from tests.tasks.conftest import wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_heartbeat_task_travels_through_the_broker_to_a_worker(
    celery_worker_process: subprocess.Popen[bytes], celery_queue: str
) -> None:
    sent_at = timezone.now()
    WorkerHeartbeat.objects.all().delete()
    record_worker_heartbeat.apply_async(queue=celery_queue)
    assert wait_for(lambda: WorkerHeartbeat.objects.filter(seen_at__gte=sent_at).exists()), (
        "the worker never ran the task"
    )
    assert celery_worker_process.poll() is None
