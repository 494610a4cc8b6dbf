"""Parallel query is off for the web's database connections and left to the server everywhere else
(``DATABASE_PARALLEL_QUERY`` in config/settings/base.py): a web request's short queries pay more to start
PostgreSQL's parallel workers than they gain, while the metric builds and management commands aggregate enough to
use them.

The web side is checked on a real gunicorn serving the app, as production runs it, with one extra path that
answers with what the request's own connection says; the other side in a process that loads the Celery app, as a
worker does. Each process loads the settings itself, from its own environment."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connection

from tests.tasks.conftest import ROOT, _database_url

pytestmark = pytest.mark.django_db

SHOW = "SHOW max_parallel_workers_per_gather"


@pytest.fixture
def server_setting() -> str:
    """The server's own setting, as this (test) process's connection has it; the tests mean nothing if it is 0."""
    with connection.cursor() as cursor:
        cursor.execute(SHOW)
        value = str(cursor.fetchone()[0])
    if value == "0":
        pytest.skip("the PostgreSQL server has parallel query off already")
    return value


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("SERVER_SOFTWARE", "DATABASE_PARALLEL_QUERY")}
    return {**env, "DJANGO_SETTINGS_MODULE": "config.settings.test", "DATABASE_URL": _database_url(), **extra}


def _in_a_process(script: str, **extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=_env(**extra), capture_output=True, text=True, timeout=120
    )


# What a Celery worker loads (config.celery, then Django), then the setting its connection has.
WORKER = (
    "import django; from config.celery import app; django.setup(); from django.db import connection;"
    f" cursor = connection.cursor(); cursor.execute({SHOW!r}); print(cursor.fetchone()[0])"
)


@pytest.fixture
def gunicorn(tmp_path: Path) -> Iterator[str]:
    """gunicorn serving Casebridge (tests/parallel_query_wsgi.py wraps config.wsgi); its base URL."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    gunicorn_bin = Path(sys.executable).parent / "gunicorn"
    log = tmp_path / "gunicorn.log"
    with log.open("wb") as log_file:
        process = subprocess.Popen(
            [
                str(gunicorn_bin),
                "tests.parallel_query_wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "1",
            ],
            cwd=ROOT,
            # Each request's connection closed when it ends, so that no session of gunicorn's is still open on
            # the test database when pytest drops it.
            env=_env(DATABASE_CONN_MAX_AGE="0"),
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{base}/_test/alive", timeout=2).close()  # noqa: S310 - our own loopback URL
                break
            except OSError as exc:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"gunicorn did not start:\n{log.read_text(errors='replace')}") from exc
                time.sleep(0.3)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


def test_a_web_request_runs_with_parallel_query_off(server_setting: str, gunicorn: str) -> None:
    with urllib.request.urlopen(f"{gunicorn}/_test/parallel-query", timeout=30) as response:  # noqa: S310
        assert response.read().decode() == "0"


def test_a_worker_keeps_the_server_setting(server_setting: str) -> None:
    done = _in_a_process(WORKER)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == server_setting


def test_the_setting_decides_for_any_process(server_setting: str) -> None:
    off = _in_a_process(WORKER, DATABASE_PARALLEL_QUERY="off")
    assert off.stdout.strip() == "0", off.stderr
    on_in_gunicorn = _in_a_process(WORKER, DATABASE_PARALLEL_QUERY="on", SERVER_SOFTWARE="gunicorn/23.0.0")
    assert on_in_gunicorn.stdout.strip() == server_setting, on_in_gunicorn.stderr


def test_an_unknown_value_is_refused_with_the_choices() -> None:
    done = _in_a_process("import django; django.setup()", DATABASE_PARALLEL_QUERY="sometimes")
    assert done.returncode != 0
    assert "DATABASE_PARALLEL_QUERY must be one of auto, on, off, not 'sometimes'" in done.stderr
