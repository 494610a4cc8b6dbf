"""A WSGI app for tests/test_db_parallel_query.py only: Casebridge as gunicorn loads it (``config.wsgi``), plus a
path that answers with the parallel-query setting of the connection serving the request. Never deployed."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.core.signals import request_finished, request_started
from django.db import connection

from config.wsgi import application as casebridge

StartResponse = Callable[..., Any]


def application(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
    path = environ.get("PATH_INFO", "")
    if path == "/_test/alive":
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"alive"]
    if path == "/_test/parallel-query":
        # As Django serves a request: the connection is the one a view would use.
        request_started.send(sender=None, environ=environ)
        try:
            with connection.cursor() as cursor:
                cursor.execute("SHOW max_parallel_workers_per_gather")
                row = cursor.fetchone()
        finally:
            request_finished.send(sender=None)
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [str(row[0] if row else "").encode()]
    result: Iterable[bytes] = casebridge(environ, start_response)
    return result
