"""The charging jobs and the notification emails, run by a real Celery worker through the broker
(tests/tasks/conftest.py), and the beat schedule that runs them every hour."""

from __future__ import annotations

import subprocess
from datetime import date, timedelta

import pytest
import time_machine
from django.conf import settings
from django.utils import timezone

from accounts.choices import AuditEventType
from accounts.models import AuditEvent, Notification, Organisation, Unit, User, WorkerHeartbeat
from accounts.tasks import record_worker_heartbeat, send_notification_emails
from casework import services as cs
from casework.models import Case, OffenceCode
from charging import services as s
from charging import tasks as charging_tasks
from charging.choices import ActionItemStatus, DecisionOutcome, RequestStatus
from charging.models import ActionPlanItem, ChargingRequest
from config.celery import app
from tests.tasks.conftest import wait_for

CHARGING_TASKS = ("charging.tasks.finalise_unanswered_action_plans", "charging.tasks.escalate_overdue_action_items")
worker = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def _case(officer: User, supervisor: User) -> Case:
    case = cs.case_create(
        urn="10/AA/12345/26", details=cs.CaseDetails(summary="Wounding", supervisor=supervisor), by=officer
    )
    suspect = cs.suspect_add(case=case, details=cs.SuspectDetails("Jamie", "Smith"), by=officer)
    cs.offence_add(
        case=case, details=cs.OffenceDetails(suspect=suspect, code="OF61016", committed_on=date(2026, 1, 5)), by=officer
    )
    return case


def _allocated(case: Case, officer: User, supervisor: User, triage: User, lawyer: User) -> ChargingRequest:
    details = s.Mg3Details(
        suspect_status="Released on bail",
        offence_summary="Stabbed the victim",
        proposed_charges="s.18 wounding",
        defence_account="No comment",
        lines_of_inquiry_done="CCTV seized",
    )
    request = s.request_create(case=case, details=details, by=officer)
    request = s.request_submit(request=request, by=officer)
    request = s.request_approve(request=request, by=supervisor)
    request = s.request_accept(request=request, by=triage)
    return s.request_allocate(request=request, by=lawyer)


def _plan_issued_days_ago(request: ChargingRequest, lawyer: User, days_ago: int, *due_in: int) -> None:
    """An action plan the lawyer issued ``days_ago`` days ago, its actions due ``due_in`` days after that."""
    issued = timezone.now() - timedelta(days=days_ago)
    with time_machine.travel(issued):
        s.decision_record(
            request=request,
            by=lawyer,
            outcome=DecisionOutcome.ACTION_PLAN,
            reasons="Further information required",
            action_items=[
                s.ActionItemDetails(
                    action=f"Action due {n}", reason="It matters", due_on=timezone.localdate() + timedelta(days=n)
                )
                for n in due_in
            ],
        )


def _drain(queue: str) -> None:
    """Wait until the worker has run everything sent before: it runs one task at a time, in order."""
    sent_at = timezone.now()
    record_worker_heartbeat.apply_async(queue=queue)
    assert wait_for(lambda: WorkerHeartbeat.objects.filter(seen_at__gte=sent_at).exists()), "the worker is stuck"


@pytest.fixture
def allocated(
    area_north: Organisation, force_a: Organisation, unit_a1: Unit, officer_a: User, supervisor_a: User,
    paralegal_north: User, lawyer_north: User, offence_codes: dict[str, OffenceCode],
) -> ChargingRequest:  # fmt: skip
    return _allocated(_case(officer_a, supervisor_a), officer_a, supervisor_a, paralegal_north, lawyer_north)


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_the_worker_finalises_an_action_plan_left_unanswered(
    celery_worker_process: subprocess.Popen[bytes], celery_queue: str, allocated: ChargingRequest, lawyer_north: User
) -> None:
    days = settings.CHARGING_ADMIN_FINALISATION_DAYS
    _plan_issued_days_ago(allocated, lawyer_north, days + 10, 3)
    charging_tasks.finalise_unanswered_action_plans.apply_async(queue=celery_queue)

    def finalised() -> bool:
        allocated.refresh_from_db()
        return allocated.status == RequestStatus.ADMINISTRATIVELY_FINALISED

    assert wait_for(finalised), "the worker never finalised the request"
    assert allocated.finalised_at is not None
    assert AuditEvent.objects.filter(
        event_type=AuditEventType.CHARGING_REQUEST_FINALISED, object_id=str(allocated.public_id)
    ).exists()
    assert set(
        Notification.objects.filter(kind="charging_finalised").values_list("recipient__username", flat=True)
    ) == {"officer_a", "supervisor_a", "lawyer_north"}
    assert celery_worker_process.poll() is None


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_the_worker_leaves_a_plan_still_within_its_time_alone(
    celery_worker_process: subprocess.Popen[bytes], celery_queue: str, allocated: ChargingRequest, lawyer_north: User
) -> None:
    days = settings.CHARGING_ADMIN_FINALISATION_DAYS
    # Issued long ago, but its last action fell due only recently.
    _plan_issued_days_ago(allocated, lawyer_north, days + 10, 3, 20)
    charging_tasks.finalise_unanswered_action_plans.apply_async(queue=celery_queue)
    _drain(celery_queue)
    allocated.refresh_from_db()
    assert allocated.status == RequestStatus.ACTION_PLAN_ISSUED


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_the_worker_escalates_each_overdue_action_once(
    celery_worker_process: subprocess.Popen[bytes],
    celery_queue: str,
    allocated: ChargingRequest,
    lawyer_north: User,
    officer_a: User,
) -> None:
    _plan_issued_days_ago(allocated, lawyer_north, 10, 2, 3, 30)
    overdue, answered, later = ActionPlanItem.objects.filter(request=allocated).order_by("number")
    s.action_item_answer(item=answered, by=officer_a, status=ActionItemStatus.CANNOT_BE_DONE, response="No CCTV")
    charging_tasks.escalate_overdue_action_items.apply_async(queue=celery_queue)

    def escalated() -> bool:
        overdue.refresh_from_db()
        return overdue.escalated_at is not None

    assert wait_for(escalated), "the worker never escalated the overdue action"
    for item in (answered, later):
        item.refresh_from_db()
        assert item.escalated_at is None
    told = Notification.objects.filter(kind="charging_action_overdue")
    assert sorted(told.values_list("recipient__username", flat=True)) == ["officer_a", "supervisor_a"]

    # Run again: the worker has nothing new to say.
    charging_tasks.escalate_overdue_action_items.apply_async(queue=celery_queue)
    _drain(celery_queue)
    assert Notification.objects.filter(kind="charging_action_overdue").count() == 2
    assert (
        AuditEvent.objects.filter(
            event_type=AuditEventType.CHARGING_ACTION_ESCALATED, object_id=str(allocated.public_id)
        ).count()
        == 1
    )


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_the_worker_emails_notifications_queued_when_a_change_commits(
    celery_worker_process: subprocess.Popen[bytes],
    celery_queue: str,
    allocated: ChargingRequest,
    lawyer_north: User,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The on-commit hook sends the task through the broker, to this test's worker.
    monkeypatch.setattr(
        send_notification_emails,
        "delay",
        lambda ids: send_notification_emails.apply_async(args=[ids], queue=celery_queue),
    )
    s.decision_record(
        request=allocated, by=lawyer_north, outcome=DecisionOutcome.NO_FURTHER_ACTION_EVIDENTIAL, reasons="Weak"
    )
    notes = Notification.objects.filter(kind="charging_decision")
    assert notes.count() == 2
    assert wait_for(lambda: not notes.filter(emailed_at__isnull=True).exists()), "the worker never sent the emails"


# -- the beat schedule ----------------------------------------------------------------------------


def test_beat_runs_both_charging_jobs_and_they_are_registered_tasks() -> None:
    # Interval entries are seconds; crontab entries (the daily alert digest) are not charging's.
    scheduled: dict[str, float] = {
        str(entry["task"]): float(entry["schedule"])
        for entry in settings.CELERY_BEAT_SCHEDULE.values()
        if isinstance(entry["schedule"], int | float)
    }
    for name in CHARGING_TASKS:
        assert name in scheduled, f"{name} is not on the beat schedule"
        assert scheduled[name] <= 60 * 60, f"{name} runs less often than hourly"
    # What a worker does on start: autodiscover every app's tasks module.
    app.loader.import_default_modules()
    for name in CHARGING_TASKS:
        assert name in app.tasks, f"{name} is scheduled but no task has that name"
