"""Background jobs of the metrics app, run by Celery beat (``CELERY_BEAT_SCHEDULE`` in config/settings/base.py;
the task names are fixed there). Both are idempotent: running one twice, or two at once, builds each day once
(``metrics.compute.build_dirty_days`` takes each day under a row lock)."""

from __future__ import annotations

from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from . import compute


@shared_task(name="metrics.tasks.build_snapshots", acks_late=True)
def build_snapshots() -> int:
    """Every two minutes: rebuild the snapshots of the days whose data changed (oldest first, a bounded
    number per run; the next run carries on), always including today: alerts are raised, acknowledged and
    escalated with no change to a case, so nothing else marks the day they change. Returns how many days
    were built."""
    compute.mark_dirty([timezone.localdate()])
    return compute.build_dirty_days()


@shared_task(name="metrics.tasks.recompute_recent", acks_late=True)
def recompute_recent() -> int:
    """Just after midnight: mark yesterday and today for rebuilding. Today needs its first snapshot of the
    stock metrics (people on bail, open referrals) even if no case changes; yesterday takes in what changed
    with no change to a case (alerts raised, acknowledged, escalated). Returns how many days were marked."""
    today = timezone.localdate()
    days = [today - timedelta(days=1), today]
    compute.mark_dirty(days)
    return len(days)
