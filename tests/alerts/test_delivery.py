"""The outbox rules of alert delivery, with Django's in-memory mail backend (the SMTP conversation itself is in
test_delivery_smtp.py): what is due, who has no address, the backoff, the digest's share of the work, and
urgent deliveries queued at once."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
from django.core import mail
from django.test import override_settings

from accounts.models import User
from alerts import delivery
from alerts.choices import AttemptOutcome, DeliveryStatus
from alerts.models import AlertDelivery
from casework.models import Deadline
from tests.alerts._delivery_support import make_alert, make_case, minutes

pytestmark = pytest.mark.django_db

T0 = datetime.fromisoformat("2026-03-20T09:00:00+00:00")


@pytest.fixture
def deadline(officer_a: User, unit_a1: object) -> Deadline:
    return make_case(officer_a)[1]


@pytest.fixture
def eager_celery() -> Iterator[None]:
    """Tasks run in this process when queued (the stack's service-test mode); the real worker is exercised
    in test_delivery_smtp.py."""
    from config.celery import app

    before = {"task_always_eager": app.conf.task_always_eager, "task_eager_propagates": app.conf.task_eager_propagates}
    app.conf.update(task_always_eager=True, task_eager_propagates=True)
    try:
        yield
    finally:
        app.conf.update(before)


def _status(row: AlertDelivery) -> str:
    row.refresh_from_db()
    return row.status


@override_settings(ALERT_RETRY_BASE_SECONDS=60)
def test_the_backoff_doubles_from_the_base_and_is_capped() -> None:
    assert [delivery.retry_delay(n).total_seconds() for n in range(1, 6)] == [60, 120, 240, 480, 960]
    assert delivery.retry_delay(7).total_seconds() == delivery.RETRY_CAP_SECONDS
    assert delivery.retry_delay(10_000).total_seconds() == delivery.RETRY_CAP_SECONDS


def test_only_urgent_deliveries_that_are_due_are_sent(deadline: Deadline, officer_a: User) -> None:
    due = make_alert(deadline, officer_a, threshold="T-2wd", next_attempt_at=T0)
    unscheduled = make_alert(deadline, officer_a, threshold="T-7wd", next_attempt_at=None)
    later = make_alert(deadline, officer_a, threshold="T-14wd", next_attempt_at=T0 + minutes(1))
    digest = make_alert(deadline, officer_a, threshold="T-28wd", urgent=False, next_attempt_at=T0)
    failed = make_alert(deadline, officer_a, threshold="overdue", next_attempt_at=T0, status=DeliveryStatus.FAILED)

    assert delivery.deliver_due(now=T0) == 2

    assert len(mail.outbox) == 2
    assert (_status(due), _status(unscheduled)) == (DeliveryStatus.SENT, DeliveryStatus.SENT)
    assert _status(later) == DeliveryStatus.PENDING
    assert _status(digest) == DeliveryStatus.PENDING
    assert _status(failed) == DeliveryStatus.FAILED


def test_the_limit_bounds_one_run_and_the_next_run_sends_the_rest(deadline: Deadline, officer_a: User) -> None:
    for n in range(5):
        make_alert(deadline, officer_a, threshold=f"T-{n}d", next_attempt_at=T0)
    assert delivery.deliver_due(now=T0, limit=3) == 3
    assert delivery.deliver_due(now=T0, limit=3) == 2
    assert len(mail.outbox) == 5


def test_a_recipient_without_an_email_address_is_recorded_for_administrators(
    deadline: Deadline, officer_a: User
) -> None:
    officer_a.email = ""
    officer_a.save(update_fields=["email"])
    row = make_alert(deadline, officer_a, next_attempt_at=T0)

    assert delivery.deliver_due(now=T0) == 0
    assert delivery.deliver_due(now=T0 + timedelta(days=1)) == 0  # not tried again by itself

    row.refresh_from_db()
    assert (row.status, row.attempts, row.last_error) == (DeliveryStatus.NO_ADDRESS, 1, delivery.NO_ADDRESS_ERROR)
    assert list(row.attempt_log.values_list("outcome", "error")) == [(AttemptOutcome.FAILED, delivery.NO_ADDRESS_ERROR)]
    assert mail.outbox == []
    assert row in delivery.undelivered_list()


def test_a_deactivated_recipient_is_not_emailed(deadline: Deadline, officer_a: User) -> None:
    officer_a.is_active = False
    officer_a.save(update_fields=["is_active"])
    row = make_alert(deadline, officer_a, next_attempt_at=T0)
    delivery.deliver_due(now=T0)
    row.refresh_from_db()
    assert (row.status, row.last_error) == (DeliveryStatus.NO_ADDRESS, delivery.INACTIVE_ERROR)
    assert mail.outbox == []


def test_a_digest_for_a_recipient_without_an_address_marks_each_of_their_deliveries(
    deadline: Deadline, officer_a: User, supervisor_a: User
) -> None:
    supervisor_a.email = ""
    supervisor_a.save(update_fields=["email"])
    theirs = [make_alert(deadline, supervisor_a, threshold=t, urgent=False) for t in ("T-28wd", "T-14wd")]
    mine = make_alert(deadline, officer_a, threshold="T-28wd", urgent=False)

    assert delivery.send_daily_digests(now=T0) == 1

    assert [m.to for m in mail.outbox] == [[officer_a.email]]
    assert _status(mine) == DeliveryStatus.SENT
    assert [_status(row) for row in theirs] == [DeliveryStatus.NO_ADDRESS] * 2


def test_the_digest_run_takes_pending_rows_whatever_their_time_and_leaves_retries_to_their_backoff(
    deadline: Deadline, officer_a: User
) -> None:
    pending = make_alert(deadline, officer_a, threshold="T-28wd", urgent=False, next_attempt_at=T0 + timedelta(days=3))
    backing_off = make_alert(
        deadline, officer_a, threshold="T-14wd", urgent=False, status=DeliveryStatus.RETRYING,
        attempts=1, next_attempt_at=T0 + minutes(10),
    )  # fmt: skip

    assert delivery.send_daily_digests(now=T0) == 1

    assert _status(pending) == DeliveryStatus.SENT
    assert _status(backing_off) == DeliveryStatus.RETRYING
    assert "1 delay alert" in mail.outbox[0].subject


def test_deliver_due_leaves_pending_digest_rows_to_the_daily_digest(deadline: Deadline, officer_a: User) -> None:
    pending = make_alert(deadline, officer_a, urgent=False, next_attempt_at=T0)
    assert delivery.deliver_due(now=T0) == 0
    assert _status(pending) == DeliveryStatus.PENDING
    assert mail.outbox == []


def test_a_run_for_given_ids_sends_only_those(deadline: Deadline, officer_a: User) -> None:
    wanted = make_alert(deadline, officer_a, threshold="T-2wd", next_attempt_at=T0)
    other = make_alert(deadline, officer_a, threshold="T-7wd", next_attempt_at=T0)
    assert delivery.deliver_due(now=T0, ids=[wanted.pk]) == 1
    assert (_status(wanted), _status(other)) == (DeliveryStatus.SENT, DeliveryStatus.PENDING)


def test_enqueue_urgent_sends_at_once_through_the_task(deadline: Deadline, officer_a: User, eager_celery: None) -> None:
    row = make_alert(deadline, officer_a, next_attempt_at=None)
    delivery.enqueue_urgent([row.pk])
    assert _status(row) == DeliveryStatus.SENT
    assert [m.to for m in mail.outbox] == [[officer_a.email]]
    delivery.enqueue_urgent([row.pk])  # queued twice (a retried task): still one email
    assert len(mail.outbox) == 1


def test_enqueue_urgent_with_nothing_to_send_queues_nothing(eager_celery: None) -> None:
    delivery.enqueue_urgent([])
    assert mail.outbox == []


def test_the_email_subject_and_body_come_from_the_alert_only(deadline: Deadline, officer_a: User) -> None:
    row = make_alert(deadline, officer_a, next_attempt_at=T0)
    delivery.deliver_due(now=T0)
    message = mail.outbox[0]
    assert message.subject == f"Casebridge: {row.alert.subject}"
    assert deadline.label not in message.body
    assert officer_a.get_full_name() not in message.body
    assert str(row.alert.public_id) in message.body  # the link to the alert
