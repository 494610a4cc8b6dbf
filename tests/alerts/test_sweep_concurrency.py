"""Overlapping sweeps, each on its own database connection (a thread each, committed data): every alert is
raised exactly once, both sweeps finish, and a sweep skips rows another holds instead of waiting for them."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import Organisation, Unit, User
from alerts.models import Alert, AlertDelivery
from alerts.services import escalate_unacknowledged, sweep_alerts
from casework.choices import DeadlineKind
from casework.deadlines.holidays import load_public_holidays
from casework.models import Deadline
from tests.alerts.test_sweep import NOW, deadline_row, make_case

pytestmark = pytest.mark.django_db(transaction=True)

CASES = 120


@pytest.fixture
def due_deadlines(force_a: Organisation, unit_a1: Unit, officer_a: User, supervisor_a: User) -> list[Deadline]:
    load_public_holidays()
    rows = []
    kinds = (DeadlineKind.SUMMARY_TIME_LIMIT, DeadlineKind.CUSTODY_TIME_LIMIT, DeadlineKind.ACTION_PLAN_ITEM)
    for n in range(CASES):
        case = make_case(force=force_a, unit=unit_a1, officer=officer_a, supervisor=supervisor_a, urn=f"10AA{n:05d}26")
        # Every one due: 1 to 5 days before a time limit (past its 7-day threshold), or an action overdue.
        kind = kinds[n % 3]
        due = NOW - timedelta(days=1) if kind == DeadlineKind.ACTION_PLAN_ITEM else NOW + timedelta(days=1 + n % 5)
        rows.append(deadline_row(case, kind, due))
    return Deadline.objects.bulk_create(rows)


def run_together(*jobs: Callable[[], int]) -> list[int | Exception]:
    """Start the jobs at the same moment, each in a thread with its own connection; their results in order."""
    barrier = threading.Barrier(len(jobs))
    results: list[int | Exception] = [RuntimeError("did not finish")] * len(jobs)

    def run(i: int, job: Callable[[], int]) -> None:
        try:
            barrier.wait(timeout=10)
            results[i] = job()
        except Exception as exc:  # noqa: BLE001 - reported by the test, not swallowed
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a sweep is stuck"
    return results


def test_two_sweeps_at_once_raise_every_alert_exactly_once_and_both_finish(due_deadlines: list[Deadline]) -> None:
    results = run_together(
        lambda: sweep_alerts(now=NOW, batch_size=7),
        lambda: sweep_alerts(now=NOW, batch_size=7),
    )

    assert all(isinstance(r, int) for r in results), results
    created = Alert.objects.count()
    assert created == 2 * CASES  # one threshold per deadline, to the officer and the supervisor
    assert sum(r for r in results if isinstance(r, int)) == created  # no alert counted by both
    assert AlertDelivery.objects.count() == created
    assert Alert.objects.values("deadline", "recipient").distinct().count() == created
    assert not Deadline.objects.filter(next_alert_at__lte=NOW).exists()


def test_sweeps_racing_over_already_alerted_deadlines_raise_nothing(due_deadlines: list[Deadline]) -> None:
    sweep_alerts(now=NOW)
    before = Alert.objects.count()
    # Wind every cursor back: both sweeps take every deadline again, and find each alert already raised.
    Deadline.objects.update(next_alert_at=NOW - timedelta(days=90))

    results = run_together(
        lambda: sweep_alerts(now=NOW, batch_size=5),
        lambda: sweep_alerts(now=NOW, batch_size=5),
        lambda: sweep_alerts(now=NOW, batch_size=5),
    )

    assert results == [0, 0, 0]
    assert Alert.objects.count() == before
    assert AlertDelivery.objects.count() == before


def test_a_sweep_skips_deadlines_another_holds_instead_of_waiting(due_deadlines: list[Deadline]) -> None:
    held = sorted(d.pk for d in due_deadlines)[:10]
    locked = threading.Event()
    release = threading.Event()

    def hold() -> None:
        try:
            with transaction.atomic():
                list(Deadline.objects.select_for_update().filter(pk__in=held).values_list("pk", flat=True))
                locked.set()
                release.wait(timeout=30)
        finally:
            connection.close()

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        assert locked.wait(timeout=10)
        # Runs in this thread while the rows are held: it must not block on them.
        first = sweep_alerts(now=NOW, batch_size=8)
        assert first == 2 * (CASES - len(held))
        assert not Alert.objects.filter(deadline_id__in=held).exists()
        assert Deadline.objects.filter(pk__in=held, next_alert_at__lte=NOW).count() == len(held)
    finally:
        release.set()
        holder.join(timeout=30)

    # The next run picks up where the held rows were left.
    assert sweep_alerts(now=NOW, batch_size=8) == 2 * len(held)
    assert Alert.objects.count() == 2 * CASES


def test_two_escalations_at_once_make_each_managers_copy_once(
    due_deadlines: list[Deadline], manager_police_a: User
) -> None:
    sweep_alerts(now=NOW)
    overdue = Alert.objects.filter(threshold="overdue").count()
    assert overdue > 0

    later = timezone.now() + timedelta(days=2)  # past every alert's acknowledgement window
    results = run_together(
        lambda: escalate_unacknowledged(now=later, batch_size=3),
        lambda: escalate_unacknowledged(now=later, batch_size=3),
    )

    assert all(isinstance(r, int) for r in results), results
    copies = Alert.objects.filter(threshold__startswith="escalated:")
    # One copy for the manager per deadline and threshold, however many of its alerts were escalated.
    expected = Alert.objects.exclude(threshold__startswith="escalated:").values("deadline", "threshold").distinct()
    assert copies.count() == expected.count()
    assert sum(r for r in results if isinstance(r, int)) == copies.count()
    assert AlertDelivery.objects.filter(alert__in=copies).count() == copies.count()
