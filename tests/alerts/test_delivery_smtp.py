"""Alert emails through a real SMTP server on loopback (aiosmtpd): delivered once with the link and no personal
detail, a failing server retried with backoff until it recovers or the attempts run out, two delivery runs at
once, the daily digest, and a real Celery worker sending to the server."""

from __future__ import annotations

import subprocess
import threading
import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from alerts import delivery
from alerts.choices import AttemptOutcome, DeliveryStatus
from alerts.models import AlertDelivery
from alerts.tasks import deliver_due as deliver_due_task
from casework.models import Deadline
from tests.alerts._delivery_support import (
    SUSPECT_FIRST,
    SUSPECT_LAST,
    RecordingHandler,
    make_alert,
    make_case,
    minutes,
    smtp_server,
    smtp_settings,
)
from tests.tasks.conftest import _database_url, start_celery_worker, stop_celery_worker, wait_for

T0 = datetime.fromisoformat("2026-03-20T09:00:00+00:00")


@pytest.fixture
def deadline(officer_a: User, unit_a1: object) -> Deadline:
    return make_case(officer_a)[1]


def _attempts(row: AlertDelivery) -> list[str]:
    return list(row.attempt_log.order_by("id").values_list("outcome", flat=True))


@pytest.mark.django_db
def test_an_urgent_alert_is_emailed_once_with_its_link_and_no_personal_detail(
    deadline: Deadline, officer_a: User
) -> None:
    row = make_alert(deadline, officer_a, next_attempt_at=T0)
    with smtp_server() as (server, port), smtp_settings(port), override_settings(SITE_URL="https://casebridge.test/"):
        assert delivery.deliver_due(now=T0) == 1
        assert delivery.deliver_due(now=T0 + minutes(5)) == 0  # sent rows are never picked again

    assert len(server.messages) == 1
    message = server.messages[0]
    assert server.envelopes[0][1] == [officer_a.email]
    assert message["Subject"] == f"Casebridge: {row.alert.subject}"
    assert message["Auto-Submitted"] == "auto-generated"
    body = server.bodies()[0]
    link = f"https://casebridge.test{reverse('alerts:alert-detail', args=[row.alert.public_id])}"
    assert link in body
    assert row.alert.body in body
    assert "Due: Mon 30 Mar 2026, 23:59 (UK time)" in body
    # Neither the suspect named in the deadline's label nor the recipient's own name leaves the system.
    for personal in (SUSPECT_FIRST, SUSPECT_LAST, deadline.label, officer_a.last_name):
        assert personal not in body
        assert personal not in str(message["Subject"])

    row.refresh_from_db()
    assert row.status == DeliveryStatus.SENT
    assert row.sent_at == T0
    assert row.attempts == 1
    assert row.next_attempt_at is None
    assert _attempts(row) == [AttemptOutcome.SENT]


@pytest.mark.django_db
@override_settings(ALERT_RETRY_BASE_SECONDS=60, ALERT_DELIVERY_MAX_ATTEMPTS=6)
def test_a_server_saying_try_again_is_recorded_and_retried_with_backoff_until_it_recovers(
    deadline: Deadline, officer_a: User
) -> None:
    row = make_alert(deadline, officer_a, next_attempt_at=T0)
    with smtp_server() as (server, port), smtp_settings(port):
        server.data_reply = "451 4.3.0 try again"
        assert delivery.deliver_due(now=T0) == 0
        row.refresh_from_db()
        assert (row.status, row.attempts, row.next_attempt_at) == (DeliveryStatus.RETRYING, 1, T0 + minutes(1))
        assert "451" in row.last_error
        assert "try again" in row.last_error

        # Not due again before the backoff is over; the second failure doubles the wait.
        assert delivery.deliver_due(now=T0 + timedelta(seconds=59)) == 0
        assert row.attempt_log.count() == 1
        assert delivery.deliver_due(now=T0 + minutes(1)) == 0
        row.refresh_from_db()
        assert (row.attempts, row.next_attempt_at) == (2, T0 + minutes(1) + minutes(2))

        server.data_reply = None  # the server recovers
        assert delivery.deliver_due(now=T0 + minutes(3)) == 1

    row.refresh_from_db()
    assert (row.status, row.attempts, row.last_error) == (DeliveryStatus.SENT, 3, "")
    assert _attempts(row) == [AttemptOutcome.FAILED, AttemptOutcome.FAILED, AttemptOutcome.SENT]
    assert "451" in row.attempt_log.order_by("id").first().error  # type: ignore[union-attr]
    assert len(server.messages) == 1


@pytest.mark.django_db
def test_a_mail_server_that_is_not_listening_is_a_failed_attempt_then_the_retry_sends(
    deadline: Deadline, officer_a: User
) -> None:
    row = make_alert(deadline, officer_a, next_attempt_at=T0)
    with smtp_server() as (server, port):
        pass  # the port is free again: nothing listens on it now
    with smtp_settings(port):
        assert delivery.deliver_due(now=T0) == 0
    row.refresh_from_db()
    assert row.status == DeliveryStatus.RETRYING
    assert "ConnectionRefusedError" in row.last_error
    assert row.next_attempt_at == T0 + delivery.retry_delay(1)

    with smtp_server(port) as (server, port), smtp_settings(port):
        assert delivery.deliver_due(now=row.next_attempt_at) == 1
    assert len(server.messages) == 1
    row.refresh_from_db()
    assert row.status == DeliveryStatus.SENT
    assert _attempts(row) == [AttemptOutcome.FAILED, AttemptOutcome.SENT]


@pytest.mark.django_db
@override_settings(ALERT_RETRY_BASE_SECONDS=60, ALERT_DELIVERY_MAX_ATTEMPTS=3)
def test_after_the_last_attempt_fails_the_alert_is_undelivered_and_listed_for_administrators(
    deadline: Deadline, officer_a: User, admin_user: User, as_user: object
) -> None:
    row = make_alert(deadline, officer_a, next_attempt_at=T0)
    when = T0
    with smtp_server() as (server, port), smtp_settings(port):
        server.data_reply = "451 4.3.0 try again"
        for _ in range(3):
            delivery.deliver_due(now=when)
            row.refresh_from_db()
            when = row.next_attempt_at or when
        assert delivery.deliver_due(now=T0 + timedelta(days=1)) == 0  # a failed delivery is not retried by itself

    row.refresh_from_db()
    assert (row.status, row.attempts, row.next_attempt_at) == (DeliveryStatus.FAILED, 3, None)
    assert _attempts(row) == [AttemptOutcome.FAILED] * 3
    assert server.messages == []

    page = as_user(admin_user).get(reverse("alerts_admin:undelivered-list"))  # type: ignore[operator]
    assert page.status_code == 200
    html = page.content.decode()
    assert row.alert.subject in html
    assert "451 4.3.0 try again" in html
    assert "3 attempts" in html
    assert "Undelivered" in html


@pytest.mark.django_db
def test_a_mailbox_the_server_refuses_for_good_fails_at_once(deadline: Deadline, officer_a: User) -> None:
    row = make_alert(deadline, officer_a, next_attempt_at=T0)
    with smtp_server() as (server, port), smtp_settings(port):
        server.rcpt_reply = "550 5.1.1 no such mailbox"
        delivery.deliver_due(now=T0)
    row.refresh_from_db()
    assert (row.status, row.attempts) == (DeliveryStatus.FAILED, 1)
    assert "550" in row.last_error


@pytest.mark.django_db
def test_the_daily_digest_is_one_email_per_recipient_listing_their_alerts(
    deadline: Deadline, officer_a: User, supervisor_a: User, officer_a2: User
) -> None:
    later = deadline.due_at + timedelta(days=10)
    a1 = make_alert(deadline, officer_a, threshold="T-28wd", urgent=False)
    a2 = make_alert(deadline, officer_a, threshold="T-14wd", urgent=False, due_at=later)
    s1 = make_alert(deadline, supervisor_a, threshold="T-28wd", urgent=False)
    urgent = make_alert(deadline, officer_a2, threshold="T-2wd", urgent=True, next_attempt_at=T0)

    with smtp_server() as (server, port), smtp_settings(port):
        assert delivery.send_daily_digests(now=T0) == 2
        assert delivery.send_daily_digests(now=T0 + timedelta(days=1)) == 0

    by_recipient = {rcpts[0]: msg for (_, rcpts), msg in zip(server.envelopes, server.messages, strict=True)}
    assert set(by_recipient) == {officer_a.email, supervisor_a.email}
    officer_mail = by_recipient[officer_a.email]
    assert officer_mail["Subject"] == "Casebridge: your daily summary of 2 delay alerts"
    body = str(officer_mail.get_body(preferencelist=("plain",)).get_content())  # type: ignore[union-attr]
    assert a1.alert.subject in body
    assert a2.alert.subject in body
    assert reverse("alerts:alert-detail", args=[a1.alert.public_id]) in body
    assert reverse("alerts:alert-detail", args=[s1.alert.public_id]) not in body
    # Due times in UK time: 30 March is after the clock change (BST).
    assert "Due: Mon 30 Mar 2026, 23:59 (UK time)" in body
    assert "Due: Thu 9 Apr 2026, 23:59 (UK time)" in body
    assert SUSPECT_LAST not in body

    for row in (a1, a2, s1):
        row.refresh_from_db()
        assert (row.status, row.attempts, row.sent_at) == (DeliveryStatus.SENT, 1, T0)
        assert _attempts(row) == [AttemptOutcome.SENT]
    urgent.refresh_from_db()
    assert urgent.status == DeliveryStatus.PENDING  # urgent alerts are not the digest's business


@pytest.mark.django_db
@override_settings(ALERT_RETRY_BASE_SECONDS=60)
def test_a_failed_digest_is_retried_by_deliver_due_once_its_backoff_is_over(
    deadline: Deadline, officer_a: User
) -> None:
    rows = [make_alert(deadline, officer_a, threshold=t, urgent=False) for t in ("T-28wd", "T-14wd")]
    with smtp_server() as (server, port), smtp_settings(port):
        server.data_reply = "451 4.3.0 try again"
        assert delivery.send_daily_digests(now=T0) == 0
        for row in rows:
            row.refresh_from_db()
            assert (row.status, row.attempts, row.next_attempt_at) == (DeliveryStatus.RETRYING, 1, T0 + minutes(1))
        server.data_reply = None
        assert delivery.deliver_due(now=T0 + timedelta(seconds=30)) == 0
        assert delivery.deliver_due(now=T0 + minutes(1)) == 1
    assert len(server.messages) == 1
    assert "2 delay alerts" in str(server.messages[0]["Subject"])
    for row in rows:
        row.refresh_from_db()
        assert row.status == DeliveryStatus.SENT
        assert _attempts(row) == [AttemptOutcome.FAILED, AttemptOutcome.SENT]


# -- concurrency and the real worker -------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_delivery_runs_at_once_send_each_alert_exactly_once(officer_a: User, unit_a1: object) -> None:
    _, deadline = make_case(officer_a)
    rows = [make_alert(deadline, officer_a, threshold=f"T-{n}d", next_attempt_at=T0) for n in range(20)]
    start = threading.Barrier(2)
    sent: list[int] = []
    errors: list[Exception] = []

    def run() -> None:
        try:
            start.wait()
            sent.append(delivery.deliver_due(now=T0))
        except Exception as exc:  # noqa: BLE001 - any failure in the thread is reported by the assertion below
            errors.append(exc)
        finally:
            connection.close()  # each thread has its own database connection

    with smtp_server() as (server, port), smtp_settings(port):
        server.delay = 0.05  # a slow server, so the two runs overlap
        threads = [threading.Thread(target=run) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)

    assert errors == []
    assert sum(sent) == 20
    assert all(n > 0 for n in sent), f"the runs did not overlap: {sent}"
    subjects = [str(m["Subject"]) for m in server.messages]
    assert len(subjects) == 20
    assert len(set(subjects)) == 20
    for row in rows:
        row.refresh_from_db()
        assert row.status == DeliveryStatus.SENT
        assert _attempts(row) == [AttemptOutcome.SENT]


@pytest.fixture(scope="module")
def loopback_smtp() -> Iterator[tuple[RecordingHandler, int]]:
    with smtp_server() as (server, port):
        yield server, port


@pytest.fixture(scope="module")
def smtp_worker(
    django_db_setup: None,
    django_db_blocker: object,
    loopback_smtp: tuple[RecordingHandler, int],
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """A real Celery worker whose settings send mail to the loopback server (config/settings/test.py reads
    CASEBRIDGE_TEST_EMAIL_URL)."""
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        database_url = _database_url()
    queue = f"test-alerts-{uuid.uuid4().hex[:12]}"
    log: Path = tmp_path_factory.mktemp("celery-smtp") / "worker.log"
    _, port = loopback_smtp
    process = start_celery_worker(
        database_url=database_url,
        queue=queue,
        log=log,
        extra_env={"CASEBRIDGE_TEST_EMAIL_URL": f"smtp://127.0.0.1:{port}", "SITE_URL": "https://casebridge.test"},
    )
    yield queue, process
    stop_celery_worker(process)


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_sends_due_alerts_to_the_smtp_server(
    officer_a: User,
    unit_a1: object,
    smtp_worker: tuple[str, subprocess.Popen[bytes]],
    loopback_smtp: tuple[RecordingHandler, int],
) -> None:
    queue, process = smtp_worker
    server, _ = loopback_smtp
    _, deadline = make_case(officer_a)
    row = make_alert(deadline, officer_a, next_attempt_at=timezone.now() - minutes(1))

    deliver_due_task.apply_async(kwargs={"delivery_ids": [row.pk]}, queue=queue)

    assert wait_for(lambda: AlertDelivery.objects.filter(pk=row.pk, status=DeliveryStatus.SENT).exists()), (
        "the worker never sent the alert"
    )
    messages = [m for m in server.messages if str(m["Subject"]) == f"Casebridge: {row.alert.subject}"]
    assert len(messages) == 1
    body = str(messages[0].get_body(preferencelist=("plain",)).get_content())
    assert f"https://casebridge.test{reverse('alerts:alert-detail', args=[row.alert.public_id])}" in body
    assert _attempts(row) == [AttemptOutcome.SENT]
    assert process.poll() is None
