"""Who is told of what on a charging request, and the emails that follow once the change commits
(accounts.notifications, accounts.tasks.send_notification_emails)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError

from accounts import tasks
from accounts.models import Notification, Unit, User
from casework.models import Case, OffenceAllegation, OffenceCode
from charging import services as s
from charging.choices import ActionItemStatus, DecisionOutcome, RequestStatus
from charging.choices import TestSought as CodeTest
from charging.models import ChargingRequest

from .builders import add_offence, make_case, mg3

pytestmark = pytest.mark.django_db

REASONS = "Full Code Test met: CCTV shows Jamie Smith; Mary Jones identifies him."


_case, _offence, _mg3 = make_case, add_offence, mg3


@pytest.fixture
def case(officer_a: User, supervisor_a: User, unit_a1: Unit, offence_codes: dict[str, OffenceCode]) -> Case:
    return _case("10/AA/12345/26", officer_a, supervisor_a)


@pytest.fixture
def offence(case: Case, officer_a: User) -> OffenceAllegation:
    return _offence(case, officer_a)


@pytest.fixture
def submitted(case: Case, offence: OffenceAllegation, officer_a: User) -> ChargingRequest:
    request = s.request_create(case=case, details=_mg3(), by=officer_a)
    return s.request_submit(request=request, by=officer_a)


@pytest.fixture
def with_cps(submitted: ChargingRequest, supervisor_a: User) -> ChargingRequest:
    return s.request_approve(request=submitted, by=supervisor_a)


@pytest.fixture
def allocated(with_cps: ChargingRequest, paralegal_north: User, lawyer_north: User) -> ChargingRequest:
    request = s.request_accept(request=with_cps, by=paralegal_north)
    return s.request_allocate(request=request, by=lawyer_north)


def _plan(request: ChargingRequest, lawyer: User) -> None:
    s.decision_record(
        request=request,
        by=lawyer,
        outcome=DecisionOutcome.ACTION_PLAN,
        reasons="Medical evidence needed",
        action_items=[
            s.ActionItemDetails(
                action="Obtain the medical statement",
                reason="Proves really serious harm",
                due_on=timezone.localdate() + timedelta(days=7),
            ),
            s.ActionItemDetails(
                action="Trace W2", reason="Independent witness", due_on=timezone.localdate() + timedelta(days=3)
            ),
        ],
    )


def _told(kind: str) -> dict[str, Notification]:
    return {n.recipient.username: n for n in Notification.objects.filter(kind=kind).select_related("recipient")}


def _charging_tab(case: Case) -> str:
    return reverse("charging:case-charging", kwargs={"case_id": case.public_id})


# -- who is told of what ---------------------------------------------------------------------------


def test_a_decision_tells_the_officer_in_case_and_the_supervisor_not_the_lawyer(
    allocated: ChargingRequest, offence: OffenceAllegation, lawyer_north: User, case: Case
) -> None:
    Notification.objects.all().delete()
    s.decision_record(
        request=allocated,
        by=lawyer_north,
        outcome=DecisionOutcome.CHARGE,
        reasons=REASONS,
        test_applied=CodeTest.FULL_CODE_TEST,
        charges=[s.ChargeDetails(offence=offence)],
    )
    told = _told("charging_decision")
    assert set(told) == {"officer_a", "supervisor_a"}
    note = told["officer_a"]
    assert note.subject == "Charging decision: Charge (10AA1234526)"
    assert note.case_id == case.public_id
    assert note.link == _charging_tab(case)
    assert note.read_at is None
    assert note.emailed_at is None
    assert Notification.objects.count() == 2


def test_an_action_plan_tells_the_police_when_the_first_action_is_due(
    allocated: ChargingRequest, lawyer_north: User
) -> None:
    _plan(allocated, lawyer_north)
    told = _told("charging_action_plan")
    assert set(told) == {"officer_a", "supervisor_a"}
    first_due = timezone.localdate() + timedelta(days=3)
    assert told["supervisor_a"].body == f"2 action(s); the first is due on {first_due:%d %B %Y}."
    assert not Notification.objects.filter(recipient=lawyer_north).exists()


def test_a_supervisors_return_tells_the_officer_not_the_supervisor(
    submitted: ChargingRequest, supervisor_a: User
) -> None:
    s.request_return_to_police(request=submitted, by=supervisor_a, reason="Add the CCTV log")
    told = _told("charging_returned")
    assert set(told) == {"officer_a"}
    assert told["officer_a"].body == "Add the CCTV log"


def test_a_return_as_not_to_standard_tells_the_officer_and_the_supervisor(
    with_cps: ChargingRequest, paralegal_north: User
) -> None:
    s.request_return_not_to_standard(
        request=with_cps, by=paralegal_north, reason="The MG5 is not certified", failure_codes=["FQ01"]
    )
    told = _told("charging_returned")
    assert set(told) == {"officer_a", "supervisor_a"}
    assert told["supervisor_a"].body == "Failures: FQ01\n\nThe MG5 is not certified"
    assert "not to the National File Standard" in told["officer_a"].subject


def test_whoever_started_the_request_is_told_too_once_each(
    case: Case, offence: OffenceAllegation, officer_a2: User, supervisor_a: User
) -> None:
    request = s.request_create(case=case, details=_mg3(), by=officer_a2)
    request = s.request_submit(request=request, by=officer_a2)
    s.request_return_to_police(request=request, by=supervisor_a, reason="Add the CCTV log")
    assert sorted(_told("charging_returned")) == ["officer_a", "officer_a2"]


def test_someone_who_has_left_is_not_told(submitted: ChargingRequest, officer_a: User, supervisor_a: User) -> None:
    User.objects.filter(pk=officer_a.pk).update(is_active=False)
    s.request_return_to_police(request=submitted, by=supervisor_a, reason="Add the CCTV log")
    assert not Notification.objects.exists()


def test_a_resubmission_tells_the_allocated_lawyer(
    allocated: ChargingRequest, officer_a: User, lawyer_north: User
) -> None:
    _plan(allocated, lawyer_north)
    for item in s.current_action_items(allocated):
        s.action_item_answer(item=item, by=officer_a, status=ActionItemStatus.DONE, response="Done")
    Notification.objects.all().delete()
    s.request_resubmit(request=allocated, by=officer_a, summary="Both actions done")
    told = _told("charging_resubmitted")
    assert set(told) == {"lawyer_north"}
    assert told["lawyer_north"].subject == "Charging request resubmitted (MG3A) (10AA1234526)"
    assert Notification.objects.count() == 1


# -- nothing is told of a change that did not happen ------------------------------------------------


def test_a_refused_decision_tells_nobody(
    allocated: ChargingRequest, lawyer_north: User, django_capture_on_commit_callbacks: Any
) -> None:
    Notification.objects.all().delete()
    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(ValidationError):
        s.decision_record(request=allocated, by=lawyer_north, outcome=DecisionOutcome.CHARGE, reasons="")
    assert not Notification.objects.exists()
    assert callbacks == []


def test_a_change_rolled_back_after_notifying_leaves_no_notification_and_sends_no_email(
    with_cps: ChargingRequest,
    paralegal_north: User,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Any,
) -> None:
    real = s._notify_police

    def notify_then_fail(*args: Any, **kwargs: Any) -> None:
        real(*args, **kwargs)
        assert Notification.objects.exists()  # the rows were written inside the transaction...
        raise RuntimeError("the database went away")

    monkeypatch.setattr(s, "_notify_police", notify_then_fail)
    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(RuntimeError):
        s.request_return_not_to_standard(request=with_cps, by=paralegal_north, reason="MG5 missing")
    # ...and went with it.
    assert not Notification.objects.exists()
    assert callbacks == []
    with_cps.refresh_from_db()
    assert with_cps.status == RequestStatus.WITH_CPS_TRIAGE


# -- emails ----------------------------------------------------------------------------------------


@pytest.fixture
def run_email_task_in_process(monkeypatch: pytest.MonkeyPatch) -> list[list[int]]:
    """``send_notification_emails.delay`` runs the task here instead of through the broker."""
    sent: list[list[int]] = []

    def delay(ids: list[int]) -> None:
        sent.append(list(ids))
        tasks.send_notification_emails.apply(args=[ids])

    monkeypatch.setattr(tasks.send_notification_emails, "delay", delay)
    return sent


def _decide(request: ChargingRequest, lawyer: User, offence: OffenceAllegation) -> None:
    s.decision_record(
        request=request,
        by=lawyer,
        outcome=DecisionOutcome.CHARGE,
        reasons=REASONS,
        test_applied=CodeTest.FULL_CODE_TEST,
        charges=[s.ChargeDetails(offence=offence)],
    )


def test_each_notification_is_emailed_once_after_commit_with_a_link_to_the_case(
    allocated: ChargingRequest,
    offence: OffenceAllegation,
    lawyer_north: User,
    case: Case,
    officer_a: User,
    supervisor_a: User,
    run_email_task_in_process: list[list[int]],
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    Notification.objects.all().delete()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _decide(allocated, lawyer_north, offence)
    assert mail.outbox == []  # nothing leaves before the change has committed
    # The email is one of the on-commit callbacks (the case-changed hooks queue the file checks too).
    for callback in callbacks:
        callback()
    notes = list(Notification.objects.order_by("id"))
    assert run_email_task_in_process == [[n.pk for n in notes]]
    assert sorted(m.to[0] for m in mail.outbox) == sorted([officer_a.email, supervisor_a.email])
    link = f"{settings.SITE_URL.rstrip('/')}{_charging_tab(case)}"
    for message in mail.outbox:
        assert message.subject == "Casebridge: Charging decision: Charge (10AA1234526)"
        assert link in message.body
        # The email leaves the secure system: the lawyer's reasons stay in Casebridge.
        assert "Mary Jones" not in message.body
        assert REASONS not in message.body
    assert all(n.emailed_at is not None for n in Notification.objects.all())

    # A retried or repeated task sends nothing again.
    assert tasks.send_notification_emails([n.pk for n in notes]) == 0
    assert len(mail.outbox) == 2


def test_someone_without_an_email_address_is_skipped(
    allocated: ChargingRequest,
    offence: OffenceAllegation,
    lawyer_north: User,
    supervisor_a: User,
    officer_a: User,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    User.objects.filter(pk=supervisor_a.pk).update(email="")
    Notification.objects.all().delete()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=False):
        _decide(allocated, lawyer_north, offence)
    ids = list(Notification.objects.values_list("pk", flat=True))
    assert tasks.send_notification_emails(ids) == 1
    assert [m.to for m in mail.outbox] == [[officer_a.email]]
    assert Notification.objects.get(recipient=supervisor_a).emailed_at is None
    assert Notification.objects.get(recipient=officer_a).emailed_at is not None


def test_a_broker_outage_does_not_undo_or_break_the_change(
    allocated: ChargingRequest,
    offence: OffenceAllegation,
    lawyer_north: User,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    def broker_down(ids: list[int]) -> None:
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(tasks.send_notification_emails, "delay", broker_down)
    # The decision has committed by the time the email is queued: the lawyer must not see an error page
    # (and be tempted to decide again) because the mail queue is down.
    with django_capture_on_commit_callbacks(execute=True):
        _decide(allocated, lawyer_north, offence)
    allocated.refresh_from_db()
    assert allocated.status == RequestStatus.DECIDED
    assert Notification.objects.filter(kind="charging_decision").count() == 2


@pytest.mark.django_db(transaction=True)
def test_committed_notifications_are_emailed_by_the_on_commit_hook(
    area_north: Any,
    force_a: Any,
    unit_a1: Unit,
    officer_a: User,
    supervisor_a: User,
    paralegal_north: User,
    lawyer_north: User,
    offence_codes: dict[str, OffenceCode],
    run_email_task_in_process: list[list[int]],
) -> None:
    case = _case("10/AA/12345/26", officer_a, supervisor_a)
    offence = _offence(case, officer_a)
    request = s.request_create(case=case, details=_mg3(), by=officer_a)
    request = s.request_submit(request=request, by=officer_a)
    request = s.request_approve(request=request, by=supervisor_a)
    request = s.request_accept(request=request, by=paralegal_north)
    request = s.request_allocate(request=request, by=lawyer_north)
    mail.outbox.clear()
    _decide(request, lawyer_north, offence)
    assert sorted(m.to[0] for m in mail.outbox) == sorted([officer_a.email, supervisor_a.email])
    assert Notification.objects.filter(kind="charging_decision", emailed_at__isnull=True).count() == 0
