"""``/healthz``: is the database answering, is the broker reachable? For load balancers and
``make run``. It says nothing about the data, so it needs no sign-in."""

from __future__ import annotations

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return bool(cursor.fetchone() == (1,))
    except Exception:  # noqa: BLE001 - any failure means unhealthy
        return False


def _broker_ok() -> bool:
    from config.celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return True
    except Exception:  # noqa: BLE001
        return False


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    from accounts.models import WorkerHeartbeat

    checks = {"database": _database_ok(), "broker": _broker_ok()}
    body: dict[str, object] = {"status": "ok" if all(checks.values()) else "unhealthy", "checks": checks}
    if checks["database"]:
        latest = WorkerHeartbeat.objects.order_by("-seen_at").values_list("seen_at", flat=True).first()
        body["worker_last_seen_seconds"] = int((timezone.now() - latest).total_seconds()) if latest else None
    body["version"] = getattr(settings, "SERVICE_VERSION", "dev")
    return JsonResponse(body, status=200 if body["status"] == "ok" else 503)
