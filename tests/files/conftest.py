"""Fixtures for the case material tests: a case of force A already sent to CPS North (so the CPS of
the case can see it), the real test files in ``tests/fixtures/files``, a private MEDIA_ROOT for
every test, and a real ClamAV daemon (clamd) with the repository's test signature database.

clamd and the Celery worker
---------------------------
The session fixture ``clamd`` starts ``clamd`` in the foreground with a generated ``clamd.conf``
(unix socket in a temporary directory, ``DatabaseDirectory`` = ``files/clamav``, which holds only
the EICAR test signature), waits until it answers PING and stops it (by its PID) after the session.

The real worker process (``celery_worker_process`` from ``tests/tasks/conftest.py``) must reach the
same clamd and the same stored files. It inherits ``os.environ``, and base settings read
``CLAMAV_SOCKET`` and ``DJANGO_MEDIA_ROOT`` from it, so both are set here **when this module is
imported**, not in a fixture: the worker is session-wide and may already have been started for
``tests/tasks`` before any fixture here runs, but every conftest is imported during collection,
before the first test. The worker tests point this process's storage at the same directory
(``worker_media_root``).
"""

from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils import timezone

from accounts.models import Organisation, Unit, User
from casework import services as case_services
from casework.models import Case
from files.choices import DocumentKind, ScanStatus, Sensitivity
from files.models import Document, DocumentVersion
from files.scanning import ClamdClient
from files.services import DocumentDetails, document_upload
from tests.tasks.conftest import celery_queue, celery_worker_process  # noqa: F401

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "files"
SIGNATURES = ROOT / "files" / "clamav"

# Assembled here rather than kept in a file, so no anti-virus quarantines part of the repository.
EICAR = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$" + b"EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"

_RUNTIME = Path(tempfile.mkdtemp(prefix="cb-files-"))
atexit.register(shutil.rmtree, _RUNTIME, ignore_errors=True)
CLAMD_SOCKET = _RUNTIME / "clamd.sock"
WORKER_MEDIA_ROOT = _RUNTIME / "media"
WORKER_MEDIA_ROOT.mkdir()
os.environ["CLAMAV_SOCKET"] = str(CLAMD_SOCKET)
os.environ["DJANGO_MEDIA_ROOT"] = str(WORKER_MEDIA_ROOT)

URN = "10/AA/54321/26"


# -- files -----------------------------------------------------------------------------------------


def fixture_bytes(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def upload(name: str, content: bytes | None = None, *, as_name: str | None = None) -> SimpleUploadedFile:
    """A file as the browser or an API client sends it: the fixture's content under any name."""
    data = fixture_bytes(name) if content is None else content
    return SimpleUploadedFile(as_name or name, data, content_type="application/octet-stream")


def eicar(name: str = "eicar.txt") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, EICAR, content_type="text/plain")


def stored_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file())


def use_media_root(settings: Any, root: Path) -> Path:
    settings.MEDIA_ROOT = str(root)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(root), "base_url": None},
        },
    }
    return root


@pytest.fixture(autouse=True)
def media_root(settings: Any, tmp_path: Path) -> Path:
    """Every test stores files in its own empty directory, so a test can count what is left."""
    root = tmp_path / "media"
    root.mkdir()
    return use_media_root(settings, root)


@pytest.fixture
def worker_media_root(settings: Any) -> Path:
    """The directory the real worker process stores and reads files in (``DJANGO_MEDIA_ROOT``)."""
    return use_media_root(settings, WORKER_MEDIA_ROOT)


# -- ClamAV ----------------------------------------------------------------------------------------


def _clamd_conf() -> str:
    return "\n".join(
        [
            f"LocalSocket {CLAMD_SOCKET}",
            "LocalSocketMode 600",
            f"DatabaseDirectory {SIGNATURES}",
            f"PidFile {_RUNTIME / 'clamd.pid'}",
            f"TemporaryDirectory {_RUNTIME}",
            "Foreground yes",
            "LogSyslog no",
            "LogTime yes",
            # At least FILE_UPLOAD_MAX_BYTES (200 MB), as in production.
            "StreamMaxLength 250M",
            "MaxThreads 4",
            "Bytecode no",
            "",
        ]
    )


@pytest.fixture(scope="session")
def clamd() -> Iterator[ClamdClient]:
    """A real clamd for this test session, answering on CLAMAV_SOCKET."""
    binary = shutil.which("clamd") or "/usr/sbin/clamd"
    if not Path(binary).exists():
        pytest.fail("clamd is not installed: apt-get install clamav-daemon (.ci/run installs it)")
    conf = _RUNTIME / "clamd.conf"
    conf.write_text(_clamd_conf())
    log = _RUNTIME / "clamd.log"
    with open(log, "wb") as out:
        process = subprocess.Popen([binary, "--config-file", str(conf)], stdout=out, stderr=subprocess.STDOUT)
    client = ClamdClient(socket_path=str(CLAMD_SOCKET), timeout=30)
    deadline = time.monotonic() + 60
    while not client.ping():
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"clamd did not start:\n{log.read_text()}")
        time.sleep(0.1)
    with override_settings(CLAMAV_SOCKET=str(CLAMD_SOCKET), CLAMAV_HOST=""):
        yield client
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()


# -- the case --------------------------------------------------------------------------------------


@pytest.fixture
def case_a(officer_a: User, unit_a1: Unit, force_a: Organisation) -> Case:
    """A case of force A (unit AA), sent to CPS North."""
    case = case_services.case_create(
        urn=URN, details=case_services.CaseDetails(summary="Assault outside a pub"), by=officer_a
    )
    Case.objects.filter(pk=case.pk).update(sent_to_cps_at=timezone.now())
    case.refresh_from_db()
    return case


UploadFn = Callable[..., Document]


@pytest.fixture
def add_document(case_a: Case, officer_a: User) -> UploadFn:
    """``add_document(name="statement.pdf", kind=..., sensitivity=..., by=..., scan=...)`` uploads a
    fixture through the service; ``scan`` sets the version's scan status directly (no clamd)."""

    def add(
        name: str = "statement.pdf",
        *,
        kind: str = DocumentKind.MG11,
        title: str = "Statement of Alan Brown",
        sensitivity: str = Sensitivity.NORMAL,
        by: User | None = None,
        scan: str | None = None,
        content: bytes | None = None,
    ) -> Document:
        details = DocumentDetails(kind=kind, title=title, sensitivity=sensitivity)
        (document,) = document_upload(case=case_a, details=details, files=[upload(name, content)], by=by or officer_a)
        if scan is not None:
            DocumentVersion.objects.filter(document=document).update(scan_status=scan, scanned_at=timezone.now())
        return document

    return add


@pytest.fixture
def clean_document(add_document: UploadFn) -> Document:
    return add_document(scan=ScanStatus.CLEAN)


@pytest.fixture
def sensitive_document(add_document: UploadFn, disclosure_a: User) -> Document:
    return add_document(
        title="Informant log", kind=DocumentKind.MG6D, sensitivity=Sensitivity.SENSITIVE, by=disclosure_a, scan="clean"
    )
