"""Background file-quality checks. Celery autodiscovers ``files.tasks`` only, which imports this
module (``from . import tasks_quality``); the task's name is given explicitly so that it does not
depend on how the module was found.

Queued by ``files.services.submissions.request_quality_check`` (debounced) when a case's material
changes, and once when a draft file is started.
"""

from __future__ import annotations

from celery import shared_task

from .quality.engine import refresh_report


@shared_task(name="files.tasks_quality.run_quality_checks", acks_late=True)
def run_quality_checks(submission_id: int) -> str:
    """Re-run the quality rules for a draft file and store a report if its inputs changed.
    Idempotent: a second run with nothing changed stores nothing; a file no longer a draft is left
    alone (its report on submission is final)."""
    report = refresh_report(submission_id)
    return "stored" if report is not None else "unchanged"
