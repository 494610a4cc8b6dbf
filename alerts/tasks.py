"""Background jobs of the alerts app, run by Celery beat (``CELERY_BEAT_SCHEDULE`` in config/settings/base.py;
the task names are fixed there). Each job calls one service and is idempotent: running it twice, or two at
once, does the work once."""

from __future__ import annotations

from celery import shared_task

from . import services


@shared_task(name="alerts.tasks.sweep_alerts", acks_late=True)
def sweep_alerts() -> int:
    """Every few minutes: raise the alerts of the deadlines whose next alert point has come. A run cut
    short by the time limit has committed its finished batches; the next run carries on."""
    return services.sweep_alerts()


@shared_task(name="alerts.tasks.escalate_unacknowledged", acks_late=True)
def escalate_unacknowledged() -> int:
    """Every quarter of an hour: tell managers of overdue alerts and of statutory alerts left unacknowledged."""
    return services.escalate_unacknowledged()


@shared_task(name="alerts.tasks.deliver_due", acks_late=True)
def deliver_due(delivery_ids: list[int] | None = None) -> int:
    """Every minute (and at once for urgent alerts): send the outbox rows that are due, retrying failures
    with backoff; with ``delivery_ids``, only those."""
    from . import delivery

    return delivery.deliver_due(ids=delivery_ids)


@shared_task(name="alerts.tasks.send_daily_digests", acks_late=True)
def send_daily_digests() -> int:
    """Once a day at ``ALERT_DIGEST_HOUR``: one email per recipient with their waiting non-urgent alerts."""
    from . import delivery

    return delivery.send_daily_digests()
