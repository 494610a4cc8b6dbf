"""A real Celery worker process for task tests.

The worker runs ``celery -A config worker --pool=solo`` on its own queue, against the same broker
as the tests (Redis DB 15 here and in CI) and the same test database, so a task sent by a test
travels through the broker and its effect is visible in the database. Tests using it need
``django_db(transaction=True)``: the worker is another connection and sees only committed rows.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def _database_url() -> str:
    db = connection.settings_dict
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or "5432"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    if host.startswith("/"):
        return f"postgres://{db['USER']}{password}@/{db['NAME']}?host={host}&port={port}"
    return f"postgres://{db['USER']}{password}@{host}:{port}/{db['NAME']}"


@pytest.fixture(scope="session")
def celery_queue() -> str:
    return f"test-{uuid.uuid4().hex[:12]}"


def start_celery_worker(
    *, database_url: str, queue: str, log: Path, extra_env: dict[str, str] | None = None
) -> subprocess.Popen[bytes]:
    """Start a worker on ``queue`` and wait until it is ready. ``extra_env`` reaches the worker's settings
    (tests/alerts gives it a loopback SMTP server this way)."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": database_url,
        **(extra_env or {}),
    }
    with open(log, "wb") as log_file:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "--pool=solo",
                "-Q",
                queue,
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "--loglevel=INFO",
                f"--hostname=test-{queue}@%h",
            ],
            cwd=ROOT,
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
    deadline = time.monotonic() + 60
    while b"ready." not in log.read_bytes():
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise RuntimeError(f"Celery worker did not start:\n{log.read_text()}")
        time.sleep(0.2)
    return process


def stop_celery_worker(process: subprocess.Popen[bytes]) -> None:
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()


@pytest.fixture(scope="session")
def celery_worker_process(
    django_db_setup: None, django_db_blocker: object, celery_queue: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[subprocess.Popen[bytes]]:
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        database_url = _database_url()
    log = tmp_path_factory.mktemp("celery") / "worker.log"
    process = start_celery_worker(database_url=database_url, queue=celery_queue, log=log)
    yield process
    stop_celery_worker(process)


def wait_for(predicate: object, timeout: float = 30.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():  # type: ignore[operator]
            return True
        time.sleep(0.1)
    return False


@pytest.fixture
def broker_url() -> str:
    return str(settings.CELERY_BROKER_URL)
