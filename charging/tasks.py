"""Scheduled charging jobs (Celery beat, config.settings.base.CELERY_BEAT_SCHEDULE)."""

from __future__ import annotations

from celery import shared_task

from . import services


@shared_task(name="charging.tasks.escalate_overdue_action_items", acks_late=True)
def escalate_overdue_action_items() -> int:
    """Hourly: tell the police about action plan items past their due date (each item once)."""
    return services.escalate_overdue_action_items()


@shared_task(name="charging.tasks.finalise_unanswered_action_plans", acks_late=True)
def finalise_unanswered_action_plans() -> int:
    """Hourly: administratively finalise action plans left unanswered past the configured period."""
    return services.finalise_unanswered_action_plans()
