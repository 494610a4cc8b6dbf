"""Uploads scanned by a real Celery worker process talking to a real clamd.

The worker (``celery_worker_process``, started from ``tests/tasks/conftest.py``) inherits
``CLAMAV_SOCKET`` and ``DJANGO_MEDIA_ROOT`` from this process's environment, set when
``tests/files/conftest.py`` is imported; this test stores its files in that same directory
(``worker_media_root``) and sends the tasks to the worker's own queue (``FILES_TASK_QUEUE``)."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest

from accounts.choices import AuditEventType
from accounts.models import AuditEvent, User
from casework.models import Case
from files import services
from files.choices import DocumentKind, ScanStatus
from files.models import DocumentVersion
from files.scanning import ClamdClient
from tests.files.conftest import eicar, upload
from tests.tasks.conftest import wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_the_worker_clears_a_clean_pdf_extracts_its_text_and_quarantines_eicar(
    clamd: ClamdClient,
    worker_media_root: Path,
    celery_worker_process: subprocess.Popen[bytes],
    celery_queue: str,
    settings: Any,
    case_a: Case,
    officer_a: User,
) -> None:
    settings.FILES_TASK_QUEUE = celery_queue
    (statement,) = services.document_upload(
        case=case_a,
        details=services.DocumentDetails(kind=DocumentKind.MG11, title="Statement"),
        files=[upload("statement.pdf")],
        by=officer_a,
    )
    (notes,) = services.document_upload(
        case=case_a,
        details=services.DocumentDetails(kind=DocumentKind.OTHER, title="Notes"),
        files=[eicar("notes.txt")],
        by=officer_a,
    )
    pdf = statement.versions.get()
    infected = notes.versions.get()

    def done() -> bool:
        pdf.refresh_from_db()
        infected.refresh_from_db()
        return pdf.text_extracted_at is not None and infected.scan_status != ScanStatus.PENDING

    assert wait_for(done, timeout=60), f"the worker did not finish: pdf={pdf.scan_status}, eicar={infected.scan_status}"
    assert pdf.scan_status == ScanStatus.CLEAN
    assert pdf.is_downloadable
    assert pdf.page_count == 2
    assert "Witness statement of Alan Brown" in pdf.text
    assert infected.scan_status == ScanStatus.INFECTED
    assert infected.scan_detail.startswith("Eicar-Test-Signature")
    assert not DocumentVersion.objects.get(pk=infected.pk).is_downloadable
    quarantined = AuditEvent.objects.get(event_type=AuditEventType.DOCUMENT_QUARANTINED)
    assert quarantined.object_id == str(notes.public_id)
    assert celery_worker_process.poll() is None
