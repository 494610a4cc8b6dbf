"""Background jobs of case material: the virus scan of every new version, then the text of clean
PDFs for search. Each takes a version's id, re-reads it and calls a service; running one twice does
nothing the second time. Queued on commit by ``files.services.documents``."""

from __future__ import annotations

from typing import Any

from celery import Task, shared_task
from django.conf import settings

from .models import DocumentVersion
from .scanning import ClamdUnavailable
from .services.documents import needs_text, version_extract_text, version_scan, version_scan_failed

SCAN_MAX_RETRIES = 6  # about an hour and a half of waiting for clamd, backing off from 30 seconds


def _same_queue(task: Task[Any, Any]) -> str | None:
    """Follow-up work goes to the queue this task came from (``FILES_TASK_QUEUE``, or a test's own
    queue), so the workers that scan also extract."""
    delivery = task.request.delivery_info or {}
    return delivery.get("routing_key") or settings.FILES_TASK_QUEUE or None


@shared_task(name="files.tasks.scan_document_version", bind=True, acks_late=True, max_retries=SCAN_MAX_RETRIES)
def scan_document_version(self: Task[Any, Any], version_id: int) -> str:
    """Scan one version with ClamAV: clean, infected (quarantined, audited) or failed (quarantined).
    While clamd cannot be reached the task waits and tries again; when it never comes back, the
    version is quarantined as failed rather than left pending for ever."""
    try:
        status = version_scan(version_id=version_id)
    except ClamdUnavailable as exc:
        if self.request.retries >= SCAN_MAX_RETRIES:
            return version_scan_failed(version_id=version_id, detail=f"clamd unavailable: {exc}")
        raise self.retry(exc=exc, countdown=min(30 * 2**self.request.retries, 1800)) from exc
    version = DocumentVersion.objects.filter(pk=version_id).first()
    if version is not None and needs_text(version):
        extract_document_text.apply_async(args=[version_id], queue=_same_queue(self))
    return status


@shared_task(name="files.tasks.extract_document_text", acks_late=True)
def extract_document_text(version_id: int) -> bool:
    """Store a clean PDF's page count and text for search."""
    return version_extract_text(version_id=version_id)


# The file-quality checks live in their own module; importing it registers them with Celery.
from . import tasks_quality  # noqa: E402, F401
