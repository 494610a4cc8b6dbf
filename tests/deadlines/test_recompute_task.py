"""The periodic recomputation of stored deadlines (casework.tasks.recompute_open_deadlines): what only
time changes is picked up, in batches after a cursor, each case under its row lock, skipping a case
someone else holds; once through a real Celery worker."""

from __future__ import annotations

import subprocess
import threading
from collections.abc import Iterator
from datetime import date

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection, transaction

from accounts.models import Unit, User
from casework import services as cs
from casework import tasks
from casework.choices import CustodyEventKind, DeadlineKind, DeadlineStatus
from casework.deadlines.calendar import LONDON
from casework.deadlines.store import CURSOR_KEY, DUE_CURSOR_KEY, recompute_open_deadlines
from casework.models import Case, Deadline, OffenceCode, Suspect
from config.celery import app
from tests.deadlines.conftest import add_offence, at
from tests.tasks.conftest import wait_for

OPEN, MET = DeadlineStatus.OPEN, DeadlineStatus.MET


@pytest.fixture(autouse=True)
def fresh_cursors() -> Iterator[None]:
    cache.delete_many([CURSOR_KEY, DUE_CURSOR_KEY])
    yield
    cache.delete_many([CURSOR_KEY, DUE_CURSOR_KEY])


def detain(suspect: Suspect, by: User) -> None:
    cs.custody_event_record(
        suspect=suspect,
        details=cs.CustodyDetails(
            kind=CustodyEventKind.DETAINED, occurred_at=at(2026, 3, 2, 8, 0), relevant_time=at(2026, 3, 2, 8, 0)
        ),
        by=by,
    )


def reviews(case: Case) -> list[tuple[int, str]]:
    rows = Deadline.objects.filter(case=case, kind=DeadlineKind.PACE_REVIEW).order_by("due_at")
    return [(r.due_at.astimezone(LONDON).hour, r.status) for r in rows]


@pytest.mark.django_db
def test_the_sweep_picks_up_what_time_changes(case: Case, suspect: Suspect, officer_a: User) -> None:
    with time_machine.travel(at(2026, 3, 2, 9, 0)):
        detain(suspect, officer_a)
    assert reviews(case) == [(14, OPEN)]
    with time_machine.travel(at(2026, 3, 2, 15, 0)):
        assert recompute_open_deadlines() == 1
    # The first review time has passed while detained; the next (9 hours on) is open.
    assert reviews(case) == [(14, MET), (23, OPEN)]
    with time_machine.travel(at(2026, 3, 2, 15, 0)):
        assert recompute_open_deadlines() == 1
    assert reviews(case) == [(14, MET), (23, OPEN)]


@pytest.mark.django_db
def test_a_review_time_that_passed_is_picked_up_first_whatever_the_catch_up_cycle_reaches(
    case: Case, officer_a: User
) -> None:
    later = cs.case_create(urn="10/AA/22222/26", details=cs.CaseDetails(), by=officer_a)
    with time_machine.travel(at(2026, 3, 2, 9, 0)):
        detain(cs.suspect_add(case=later, details=cs.SuspectDetails("Ann", "Lee"), by=officer_a), officer_a)
    with time_machine.travel(at(2026, 3, 2, 15, 0)):
        # One case per pass: the catch-up cycle takes the first case by id; the review that came due, the other.
        assert recompute_open_deadlines(batch_size=1) == 2
        assert cache.get(CURSOR_KEY) == case.pk
        assert reviews(later) == [(14, MET), (23, OPEN)]
        # The due-time cursor has moved on: the same review is not picked up again.
        assert recompute_open_deadlines(batch_size=1) == 1


@pytest.mark.django_db
def test_the_sweep_works_in_batches_after_its_cursor_and_wraps_round(
    case: Case, suspect: Suspect, officer_a: User, unit_a1: Unit, offence_codes: dict[str, OffenceCode]
) -> None:
    other = cs.case_create(urn="10/AA/22222/26", details=cs.CaseDetails(), by=officer_a)
    closed = cs.case_create(urn="10/AA/33333/26", details=cs.CaseDetails(), by=officer_a)
    cs.case_transition(case=closed, to="no_further_action", by=officer_a, reason="No crime")
    first, second = sorted([case.pk, other.pk])
    assert recompute_open_deadlines(batch_size=1) == 1
    assert cache.get(CURSOR_KEY) == first
    assert recompute_open_deadlines(batch_size=1) == 1
    assert cache.get(CURSOR_KEY) == second
    # The closed case (no open deadline) is not swept: the end of the list, back to the start.
    assert recompute_open_deadlines(batch_size=1) == 0
    assert cache.get(CURSOR_KEY) == 0
    assert recompute_open_deadlines(batch_size=5) == 2


@pytest.mark.django_db(transaction=True)
def test_the_sweep_skips_a_case_another_transaction_holds(
    case: Case, suspect: Suspect, officer_a: User, unit_a1: Unit, offence_codes: dict[str, OffenceCode]
) -> None:
    other = cs.case_create(urn="10/AA/22222/26", details=cs.CaseDetails(), by=officer_a)
    locked, release = threading.Event(), threading.Event()

    def hold() -> None:
        try:
            with transaction.atomic():
                Case.objects.select_for_update().get(pk=case.pk)
                locked.set()
                release.wait(10)
        finally:
            connection.close()

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        assert locked.wait(10)
        # Not waited for: only the other case is recomputed.
        assert recompute_open_deadlines(batch_size=10) == 1
    finally:
        release.set()
        holder.join()
    assert other.pk != case.pk
    assert recompute_open_deadlines(batch_size=10) == 2


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_runs_the_sweep_and_restores_the_deadlines(
    celery_worker_process: subprocess.Popen[bytes], celery_queue: str, case: Case, suspect: Suspect, officer_a: User
) -> None:
    with time_machine.travel(at(2026, 2, 2, 10, 0)):
        add_offence(case, suspect, officer_a, "PH97003", date(2026, 1, 5))
    wanted = list(Deadline.objects.filter(case=case).values_list("kind", "subject_key", "due_at", "status"))
    assert [kind for kind, *_ in wanted] == [DeadlineKind.SUMMARY_TIME_LIMIT]
    Deadline.objects.filter(case=case).delete()  # as if the rows had been lost
    tasks.recompute_open_deadlines.apply_async(queue=celery_queue)
    assert wait_for(lambda: Deadline.objects.filter(case=case).exists()), "the worker never recomputed the case"
    assert list(Deadline.objects.filter(case=case).values_list("kind", "subject_key", "due_at", "status")) == wanted
    assert celery_worker_process.poll() is None


def test_the_task_is_registered_under_the_name_beat_runs() -> None:
    from django.conf import settings

    scheduled = {str(entry["task"]) for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "casework.tasks.recompute_open_deadlines" in scheduled
    app.loader.import_default_modules()
    assert "casework.tasks.recompute_open_deadlines" in app.tasks
