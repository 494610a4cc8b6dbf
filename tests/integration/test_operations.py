"""Operations: /healthz, JSON logs without personal data."""

from __future__ import annotations

import json

import pytest
import structlog
from django.test import Client

from config.logging import build_logging


@pytest.mark.django_db
def test_healthz_reports_database_and_broker(client: Client, settings: object) -> None:
    response = client.get("/healthz")
    body = response.json()
    assert body["checks"]["database"] is True
    # The suite runs with a real broker (Redis or the filesystem fallback), so it must answer.
    assert body["checks"]["broker"] is True
    assert response.status_code == 200
    assert body["status"] == "ok"


@pytest.mark.django_db
def test_healthz_says_unhealthy_when_the_broker_is_down(client: Client, settings: object) -> None:
    from config.celery import app

    original = app.conf.broker_url
    app.conf.broker_url = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    try:
        response = client.get("/healthz")
    finally:
        app.conf.broker_url = original
    assert response.status_code == 503
    assert response.json()["checks"] == {"database": True, "broker": False}


def test_logs_are_json_and_drop_personal_data(capsys: pytest.CaptureFixture[str]) -> None:
    import logging.config

    logging.config.dictConfig(build_logging(level="INFO", json=True))
    structlog.get_logger("casebridge.test").info(
        "case_viewed", case="abc", ip="10.1.2.3", username="officer_a", email="x@y"
    )
    line = capsys.readouterr().err.strip().splitlines()[-1]
    record = json.loads(line)
    assert record["event"] == "case_viewed"
    assert record["case"] == "abc"
    assert not {"ip", "username", "email"} & record.keys()
    logging.getLogger().handlers.clear()
