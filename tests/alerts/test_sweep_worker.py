"""The sweep task sent through the real broker to a real Celery worker process (tests/tasks/conftest.py),
and the beat entries that run the sweep and the escalation."""

from __future__ import annotations

import subprocess
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from accounts.models import Organisation, Unit, User, WorkerHeartbeat
from accounts.tasks import record_worker_heartbeat
from alerts import tasks
from alerts.models import Alert, AlertDelivery
from casework.choices import DeadlineKind
from casework.deadlines.holidays import load_public_holidays
from casework.models import Deadline
from tests.alerts.test_sweep import make_case, make_deadline
from tests.tasks.conftest import celery_queue, celery_worker_process, wait_for  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_the_beat_schedule_runs_the_sweep_and_the_escalation() -> None:
    schedule = {entry["task"]: entry["schedule"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert schedule[tasks.sweep_alerts.name] <= 5 * 60  # "every few minutes"
    assert tasks.escalate_unacknowledged.name in schedule


def test_the_sweep_task_raises_the_alerts_in_a_worker(
    celery_worker_process: subprocess.Popen[bytes],  # noqa: F811
    celery_queue: str,  # noqa: F811
    force_a: Organisation,
    unit_a1: Unit,
    officer_a: User,
    supervisor_a: User,
) -> None:
    load_public_holidays()
    case = make_case(force=force_a, unit=unit_a1, officer=officer_a, supervisor=supervisor_a)
    # Non-urgent on purpose: an urgent alert would queue its email on the default queue, outside this test.
    deadline = make_deadline(case, DeadlineKind.SUMMARY_TIME_LIMIT, timezone.now() + timedelta(days=5))
    later = make_deadline(case, DeadlineKind.SUMMARY_TIME_LIMIT, timezone.now() + timedelta(days=90), subject_key="2")

    tasks.sweep_alerts.apply_async(queue=celery_queue)

    assert wait_for(lambda: Alert.objects.filter(deadline=deadline).count() == 2), "the worker raised no alert"
    assert sorted(Alert.objects.values_list("threshold", "recipient__username")) == [
        ("T-7d", "officer_a"),
        ("T-7d", "supervisor_a"),
    ]
    assert AlertDelivery.objects.filter(alert__deadline=deadline, digest=True).count() == 2
    assert wait_for(lambda: Deadline.objects.get(pk=deadline.pk).next_alert_at == deadline.due_at)
    assert not Alert.objects.filter(deadline=later).exists()

    # Sent again, it raises nothing new.
    tasks.sweep_alerts.apply_async(queue=celery_queue)
    tasks.sweep_alerts.apply_async(queue=celery_queue)
    heartbeat_sent = timezone.now()
    record_worker_heartbeat.apply_async(queue=celery_queue)  # runs after the two sweeps (one at a time)
    assert wait_for(lambda: WorkerHeartbeat.objects.filter(seen_at__gte=heartbeat_sent).exists())
    assert Alert.objects.count() == 2
    assert celery_worker_process.poll() is None
