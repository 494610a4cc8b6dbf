"""The Celery app. Tasks live in each app's ``tasks.py`` and are found by autodiscovery; each is routed to the
queue of its kind of work by ``CELERY_TASK_ROUTES`` (config/settings/base.py), and a worker reads the queues
given with ``-Q`` (``make run``: all of them; docker-compose.yml: one kind per worker service)."""

from __future__ import annotations

import os
from typing import Any

from celery import Celery, Task
from celery.signals import task_postrun, task_prerun

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")

app = Celery("casebridge")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@task_prerun.connect
@task_postrun.connect
def close_old_connections(sender: Task[Any, Any] | None = None, **kwargs: Any) -> None:
    """Around each task, what Django does around each request: drop a connection past ``CONN_MAX_AGE`` or
    left unusable (an error, a broken transaction), so that the next query reconnects (health checked, with
    ``CONN_HEALTH_CHECKS``). With ``CELERY_DB_REUSE_MAX`` set, Celery keeps connections between tasks and
    relies on this. Not for eager tasks: they run inside the caller's transaction."""
    if sender is not None and getattr(sender.request, "is_eager", False):
        return
    from django.db import close_old_connections as close

    close()
