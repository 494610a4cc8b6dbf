"""Scheduled casework jobs (Celery beat, config.settings.base.CELERY_BEAT_SCHEDULE)."""

from __future__ import annotations

from celery import shared_task

from .deadlines import store


@shared_task(name="casework.tasks.recompute_open_deadlines", acks_late=True)
def recompute_open_deadlines() -> int:
    """Every 30 minutes: recompute the stored deadlines of the next batch of open cases (what only the
    passing of time changes: the next PACE review, RUI review points). Returns how many cases."""
    return store.recompute_open_deadlines()
