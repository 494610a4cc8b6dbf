"""Action plans and what follows them: answering, resubmission (MG3A), administrative finalisation and
reopening, escalation of overdue actions, corrections of decisions, and the police's own charging decisions
under DG6 Annex 1 (domain.md 2.3–2.5, 11.1)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.test import override_settings

from accounts.choices import AuditEventType
from accounts.models import AuditEvent, Notification, Unit, User
from casework.choices import CaseStatus, OffenceStatus
from casework.models import Case, OffenceAllegation, OffenceCode
from casework.selectors import case_get_visible_to, case_timeline
from charging import services as s
from charging.choices import ActionItemOwner, ActionItemStatus, ChargingDecider, DecisionOutcome, RequestStatus
from charging.choices import TestSought as CodeTest
from charging.dg6 import RULES_BY_ID
from charging.models import ActionPlanItem, ChargingDecision, ChargingRequest, PoliceChargeDecision, Resubmission
from charging.selectors import QueueFilters, charging_queue_for, decisions_for, latest_action_plan
from files.choices import DocumentKind
from files.models import Document

from .builders import add_offence, allocated, make_case, mg3

pytestmark = pytest.mark.django_db

# A fixed Monday in February: every due date below is relative to it, far from any clock change.
START = datetime(2026, 2, 2, 12, 0, tzinfo=UTC)
TODAY = date(2026, 2, 2)


@pytest.fixture(autouse=True)
def _clock() -> Iterator[None]:
    with time_machine.travel(START):
        yield


_case, _offence, _mg3, _to_allocated = make_case, add_offence, mg3, allocated


def _item(action: str = "Obtain the medical statement", **overrides: Any) -> s.ActionItemDetails:
    values: dict[str, Any] = {
        "action": action,
        "reason": "Proves really serious harm",
        "due_on": TODAY + timedelta(days=7),
    }
    values.update(overrides)
    return s.ActionItemDetails(**values)


def _plan(
    request: ChargingRequest,
    lawyer: User,
    *items: s.ActionItemDetails,
    outcome: str = DecisionOutcome.ACTION_PLAN,
) -> ChargingDecision:
    return s.decision_record(
        request=request, by=lawyer, outcome=outcome, reasons="Further information required", action_items=list(items)
    )


def _items(decision: ChargingDecision) -> list[ActionPlanItem]:
    return list(decision.action_items.order_by("number"))


def _answer(item: ActionPlanItem, by: User, status: str = ActionItemStatus.DONE, text: str = "Done") -> ActionPlanItem:
    return s.action_item_answer(item=item, by=by, status=status, response=text)


def _snapshot(request: ChargingRequest) -> tuple[Any, ...]:
    request.refresh_from_db()
    return (
        request.status,
        request.version,
        request.allocated_lawyer_id,
        ChargingDecision.objects.count(),
        ActionPlanItem.objects.count(),
        Resubmission.objects.count(),
        Notification.objects.count(),
        AuditEvent.objects.count(),
    )


def _events(event_type: str, request: ChargingRequest) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(event_type=event_type, object_id=str(request.public_id)).order_by("id"))


def _messages(exc: pytest.ExceptionInfo[ValidationError], field: str) -> list[str]:
    return list(exc.value.message_dict[field])


@pytest.fixture
def case(officer_a: User, supervisor_a: User, unit_a1: Unit, offence_codes: dict[str, OffenceCode]) -> Case:
    return _case("10/AA/12345/26", officer_a, supervisor_a)


@pytest.fixture
def offence(case: Case, officer_a: User) -> OffenceAllegation:
    return _offence(case, officer_a)


@pytest.fixture
def allocated(
    case: Case, offence: OffenceAllegation, officer_a: User, supervisor_a: User, paralegal_north: User,
    lawyer_north: User,
) -> ChargingRequest:  # fmt: skip
    return _to_allocated(case, officer_a, supervisor_a, paralegal_north, lawyer_north)


@pytest.fixture
def planned(allocated: ChargingRequest, lawyer_north: User) -> ChargingRequest:
    """An action plan with three actions, all due in a week."""
    _plan(allocated, lawyer_north, _item("Obtain the medical statement"), _item("Seize the CCTV"), _item("Trace W2"))
    allocated.refresh_from_db()
    return allocated


def _current(request: ChargingRequest) -> list[ActionPlanItem]:
    return s.current_action_items(request)


def _other_lawyer(lawyer: User, username: str = "lawyer_north2") -> User:
    return User.objects.create(
        username=username, organisation=lawyer.organisation, roles=list(lawyer.roles), email=f"{username}@cps.invalid"
    )


# -- writing an action plan ------------------------------------------------------------------------


def test_an_action_plan_lists_structured_actions_and_waits_for_the_police(
    allocated: ChargingRequest, offence: OffenceAllegation, lawyer_north: User
) -> None:
    decision = _plan(
        allocated,
        lawyer_north,
        _item(offence=offence, point_to_prove="Really serious harm", owner=ActionItemOwner.OFFICER_IN_CASE),
        _item("Schedule the unused material", owner=ActionItemOwner.DISCLOSURE_OFFICER, due_on=TODAY),
    )
    allocated.refresh_from_db()
    assert allocated.status == RequestStatus.ACTION_PLAN_ISSUED
    assert allocated.action_plan_issued_at == decision.decided_at
    assert allocated.decided_at is None
    first, second = _items(decision)
    assert (first.number, first.offence, first.point_to_prove, first.status) == (
        1,
        offence,
        "Really serious harm",
        ActionItemStatus.OPEN,
    )
    assert (second.number, second.owner, second.due_on) == (2, ActionItemOwner.DISCLOSURE_OFFICER, TODAY)
    assert _events(AuditEventType.CHARGING_DECISION_RECORDED, allocated)[-1].data["action_items"] == 2


@pytest.mark.parametrize(
    ("items", "message"),
    [
        pytest.param([], s.ACTION_ITEMS_REQUIRED, id="no actions"),
        pytest.param([_item(reason="  ")], s.ACTION_REASON_REQUIRED.format(n=1), id="missing why"),
        pytest.param([_item(), _item(action="")], s.ACTION_TEXT_REQUIRED.format(n=2), id="missing what"),
        pytest.param([_item(due_on=TODAY - timedelta(days=1))], s.ACTION_DUE_PAST.format(n=1), id="past due date"),
        pytest.param([_item(due_on=None)], s.ACTION_DUE_REQUIRED.format(n=1), id="no due date"),
        pytest.param([_item(), _item(owner="the_cps")], s.ACTION_OWNER_UNKNOWN.format(n=2), id="owner unknown"),
        pytest.param(
            [_item(reason=""), _item(due_on=TODAY - timedelta(days=3))],
            f"{s.ACTION_REASON_REQUIRED.format(n=1)}; {s.ACTION_DUE_PAST.format(n=2)}",
            id="every problem named",
        ),
    ],
)
def test_a_bad_action_plan_is_refused_precisely_and_changes_nothing(
    allocated: ChargingRequest, lawyer_north: User, items: list[s.ActionItemDetails], message: str
) -> None:
    before = _snapshot(allocated)
    with pytest.raises(ValidationError) as exc:
        _plan(allocated, lawyer_north, *items)
    assert _messages(exc, "action_items") == [message]
    assert _snapshot(allocated) == before


def test_an_action_about_an_offence_of_another_case_is_refused(
    allocated: ChargingRequest, officer_a: User, lawyer_north: User
) -> None:
    other = _offence(_case("10/AA/54321/26", officer_a), officer_a, code="CJ88001")
    before = _snapshot(allocated)
    with pytest.raises(ValidationError) as exc:
        _plan(allocated, lawyer_north, _item(offence=other))
    assert _messages(exc, "action_items") == [s.ACTION_OFFENCE_NOT_ON_CASE.format(n=1)]
    assert _snapshot(allocated) == before


def test_only_a_deferred_decision_lists_actions(
    allocated: ChargingRequest, offence: OffenceAllegation, lawyer_north: User
) -> None:
    before = _snapshot(allocated)
    with pytest.raises(ValidationError) as exc:
        s.decision_record(
            request=allocated,
            by=lawyer_north,
            outcome=DecisionOutcome.CHARGE,
            reasons="Full Code Test met",
            test_applied=CodeTest.FULL_CODE_TEST,
            charges=[s.ChargeDetails(offence=offence)],
            action_items=[_item()],
        )
    assert _messages(exc, "action_items") == [s.ACTION_ITEMS_ONLY_DEFERRED]
    assert _snapshot(allocated) == before


def test_early_advice_may_list_actions(allocated: ChargingRequest, lawyer_north: User) -> None:
    decision = _plan(
        allocated, lawyer_north, _item("Interview the second suspect"), outcome=DecisionOutcome.EARLY_ADVICE
    )
    allocated.refresh_from_db()
    assert allocated.status == RequestStatus.ACTION_PLAN_ISSUED
    assert [i.action for i in _current(allocated)] == ["Interview the second suspect"]
    assert decision.outcome == DecisionOutcome.EARLY_ADVICE


def test_early_advice_without_actions_is_answered_by_a_resubmission(
    allocated: ChargingRequest, officer_a: User, lawyer_north: User
) -> None:
    _plan(allocated, lawyer_north, outcome=DecisionOutcome.EARLY_ADVICE)
    allocated.refresh_from_db()
    assert allocated.status == RequestStatus.ACTION_PLAN_ISSUED
    assert _current(allocated) == []
    request = s.request_resubmit(request=allocated, by=officer_a, summary="Second interview done")
    assert request.status == RequestStatus.ALLOCATED


# -- answering actions -----------------------------------------------------------------------------


def test_an_action_is_done_with_material_of_the_case(planned: ChargingRequest, officer_a: User) -> None:
    statement = Document.objects.create(
        case=planned.case, kind=DocumentKind.MG11, title="Statement of Dr Patel", created_by=officer_a
    )
    item = _current(planned)[0]
    answered = s.action_item_answer(
        item=item, by=officer_a, status=ActionItemStatus.DONE, response=" Statement taken ", documents=[statement]
    )
    answered.refresh_from_db()
    assert answered.status == ActionItemStatus.DONE
    assert answered.response == "Statement taken"
    assert answered.responded_by == officer_a
    assert answered.responded_at is not None
    assert list(answered.documents.all()) == [statement]
    event = _events(AuditEventType.CHARGING_ACTION_ANSWERED, planned)[-1]
    assert event.data["item"] == str(item.public_id)
    assert event.data["documents"] == [str(statement.public_id)]
    # An answer can be changed until the resubmission.
    changed = s.action_item_answer(item=item, by=officer_a, status=ActionItemStatus.DISPUTED, response="Not needed")
    assert changed.status == ActionItemStatus.DISPUTED
    assert list(changed.documents.all()) == []


@pytest.mark.parametrize("status", [ActionItemStatus.DONE, ActionItemStatus.CANNOT_BE_DONE, ActionItemStatus.DISPUTED])
def test_an_answer_needs_words(planned: ChargingRequest, officer_a: User, status: str) -> None:
    item = _current(planned)[0]
    before = _snapshot(planned)
    with pytest.raises(ValidationError) as exc:
        s.action_item_answer(item=item, by=officer_a, status=status, response="   ")
    assert _messages(exc, "response") == [s.ANSWER_TEXT[ActionItemStatus(status)]]
    item.refresh_from_db()
    assert (item.status, item.response, item.responded_by) == (ActionItemStatus.OPEN, "", None)
    assert _snapshot(planned) == before


def test_an_answer_must_say_what_happened(planned: ChargingRequest, officer_a: User) -> None:
    item = _current(planned)[0]
    for status in ("", "open", "maybe"):
        with pytest.raises(ValidationError) as exc:
            s.action_item_answer(item=item, by=officer_a, status=status, response="Something")
        assert _messages(exc, "status") == [s.ANSWER_STATUS]
    item.refresh_from_db()
    assert item.status == ActionItemStatus.OPEN


def test_material_of_another_case_is_refused(planned: ChargingRequest, officer_a: User) -> None:
    other_case = _case("10/AA/54321/26", officer_a)
    elsewhere = Document.objects.create(
        case=other_case, kind=DocumentKind.MG11, title="Statement on another case", created_by=officer_a
    )
    item = _current(planned)[0]
    before = _snapshot(planned)
    with pytest.raises(ValidationError) as exc:
        s.action_item_answer(
            item=item, by=officer_a, status=ActionItemStatus.DONE, response="Statement", documents=[elsewhere]
        )
    assert _messages(exc, "documents") == [s.DOCUMENT_NOT_ON_CASE]
    item.refresh_from_db()
    assert item.status == ActionItemStatus.OPEN
    assert not item.documents.exists()
    assert _snapshot(planned) == before


def test_only_the_owning_forces_builders_answer(
    planned: ChargingRequest, officer_b: User, lawyer_north: User, paralegal_north: User
) -> None:
    item = _current(planned)[0]
    for outsider in (officer_b, lawyer_north, paralegal_north):
        with pytest.raises(PermissionDenied):
            _answer(item, outsider)
    item.refresh_from_db()
    assert item.status == ActionItemStatus.OPEN


def test_an_action_of_an_earlier_plan_cannot_be_answered(
    planned: ChargingRequest, officer_a: User, lawyer_north: User
) -> None:
    first_plan = _current(planned)
    for item in first_plan:
        _answer(item, officer_a)
    s.request_resubmit(request=planned, by=officer_a, summary="All three done")
    with pytest.raises(ValidationError) as exc:
        _answer(first_plan[0], officer_a, ActionItemStatus.DISPUTED, "Changed my mind")
    assert _messages(exc, "status") == [s.ANSWER_NOT_OPEN]
    _plan(planned, lawyer_north, _item("Obtain the 999 call recording"))
    with pytest.raises(ValidationError) as exc:
        _answer(first_plan[0], officer_a, ActionItemStatus.DISPUTED, "Changed my mind")
    assert _messages(exc, "item") == [s.ANSWER_OLD_PLAN]
    first_plan[0].refresh_from_db()
    assert first_plan[0].status == ActionItemStatus.DONE


# -- resubmission (MG3A) ---------------------------------------------------------------------------


def test_resubmitting_with_unanswered_actions_lists_them_and_changes_nothing(
    planned: ChargingRequest, officer_a: User
) -> None:
    _answer(_current(planned)[1], officer_a)
    before = _snapshot(planned)
    with pytest.raises(ValidationError) as exc:
        s.request_resubmit(request=planned, by=officer_a, summary="Most of it done")
    assert _messages(exc, "action_items") == [s.UNANSWERED_ITEMS.format(numbers="action 1, action 3")]
    assert _snapshot(planned) == before


def test_resubmitting_needs_a_summary(planned: ChargingRequest, officer_a: User) -> None:
    for item in _current(planned):
        _answer(item, officer_a)
    before = _snapshot(planned)
    with pytest.raises(ValidationError) as exc:
        s.request_resubmit(request=planned, by=officer_a, summary=" ")
    assert _messages(exc, "summary") == [s.RESUBMISSION_SUMMARY]
    assert _snapshot(planned) == before


def test_a_resubmission_goes_back_to_the_same_lawyer(
    planned: ChargingRequest, officer_a: User, lawyer_north: User, officer_b: User
) -> None:
    allocated_at = planned.allocated_at
    for item in _current(planned):
        _answer(item, officer_a, ActionItemStatus.CANNOT_BE_DONE, "Witness has emigrated")
    with pytest.raises(PermissionDenied):
        s.request_resubmit(request=planned, by=officer_b, summary="Done")
    version = planned.version
    request = s.request_resubmit(
        request=planned, by=officer_a, summary="Answered every action", expected_version=version
    )
    request.refresh_from_db()
    assert request.status == RequestStatus.ALLOCATED
    assert request.allocated_lawyer == lawyer_north
    assert request.allocated_at == allocated_at
    assert request.resubmitted_at is not None
    assert request.action_plan_issued_at is not None
    assert request.resubmitted_at > request.action_plan_issued_at
    assert request.resubmission_count == 1
    assert request.version == version + 2  # resubmitted, then back with the lawyer
    resubmission = Resubmission.objects.get(request=request)
    assert (resubmission.number, resubmission.summary, resubmission.reopened, resubmission.submitted_by) == (
        1,
        "Answered every action",
        False,
        officer_a,
    )
    assert len(_events(AuditEventType.CHARGING_REQUEST_RESUBMITTED, request)) == 1
    assert list(charging_queue_for(user=lawyer_north, filters=QueueFilters(mine=True))) == [request]
    # The lawyer can decide it now.
    s.decision_record(
        request=request, by=lawyer_north, outcome=DecisionOutcome.NO_FURTHER_ACTION_EVIDENTIAL, reasons="Weak"
    )


def test_a_resubmission_waits_in_the_queue_when_the_lawyer_has_left(
    planned: ChargingRequest, officer_a: User, lawyer_north: User, manager_cps_north: User
) -> None:
    for item in _current(planned):
        _answer(item, officer_a)
    User.objects.filter(pk=lawyer_north.pk).update(is_active=False)
    request = s.request_resubmit(request=planned, by=officer_a, summary="All done")
    request.refresh_from_db()
    assert request.status == RequestStatus.RESUBMITTED
    assert request.allocated_lawyer is None
    assert request.resubmission_count == 1
    assert list(charging_queue_for(user=manager_cps_north, filters=QueueFilters(unallocated=True))) == [request]
    assert not Notification.objects.filter(recipient=lawyer_north, kind="charging_resubmitted").exists()
    successor = _other_lawyer(lawyer_north)
    request = s.request_allocate(request=request, by=manager_cps_north, lawyer=successor)
    assert (request.status, request.allocated_lawyer) == (RequestStatus.ALLOCATED, successor)


def test_a_second_action_plan_after_a_resubmission(
    planned: ChargingRequest, officer_a: User, lawyer_north: User
) -> None:
    first = latest_action_plan(decisions_for(planned))
    for item in _current(planned):
        _answer(item, officer_a)
    s.request_resubmit(request=planned, by=officer_a, summary="First plan answered")
    second = _plan(planned, lawyer_north, _item("Obtain the 999 call recording"), _item("Canvass the street"))
    planned.refresh_from_db()
    assert planned.status == RequestStatus.ACTION_PLAN_ISSUED
    assert latest_action_plan(decisions_for(planned)) == second != first
    assert [(i.number, i.action) for i in _current(planned)] == [
        (1, "Obtain the 999 call recording"),
        (2, "Canvass the street"),
    ]
    with pytest.raises(ValidationError) as exc:
        s.request_resubmit(request=planned, by=officer_a, summary="Nothing yet")
    assert _messages(exc, "action_items") == [s.UNANSWERED_ITEMS.format(numbers="action 1, action 2")]
    for item in _current(planned):
        _answer(item, officer_a)
    request = s.request_resubmit(request=planned, by=officer_a, summary="Second plan answered")
    assert request.resubmission_count == 2
    assert list(Resubmission.objects.filter(request=request).values_list("number", flat=True)) == [1, 2]


# -- administrative finalisation and reopening ------------------------------------------------------


def _notified(kind: str) -> set[str]:
    return set(Notification.objects.filter(kind=kind).values_list("recipient__username", flat=True))


@override_settings(CHARGING_ADMIN_FINALISATION_DAYS=10)
def test_an_unanswered_plan_is_finalised_after_the_configured_days_past_its_last_due_date(
    allocated: ChargingRequest, lawyer_north: User
) -> None:
    _plan(allocated, lawyer_north, _item(due_on=TODAY + timedelta(days=3)), _item(due_on=TODAY + timedelta(days=7)))
    # 16 days after issue, but only 9 after the last action fell due.
    assert s.finalise_unanswered_action_plans(now=START + timedelta(days=16)) == 0
    allocated.refresh_from_db()
    assert allocated.status == RequestStatus.ACTION_PLAN_ISSUED
    with override_settings(CHARGING_ADMIN_FINALISATION_DAYS=30):
        assert s.finalise_unanswered_action_plans(now=START + timedelta(days=18)) == 0
    version = allocated.version
    when = START + timedelta(days=17)
    assert s.finalise_unanswered_action_plans(now=when) == 1
    allocated.refresh_from_db()
    assert allocated.status == RequestStatus.ADMINISTRATIVELY_FINALISED
    assert allocated.finalised_at == when
    # The case shows it too: a case-management status, not a decision.
    allocated.case.refresh_from_db()
    assert allocated.case.status == CaseStatus.ADMINISTRATIVELY_FINALISED
    assert allocated.version == version + 1
    [event] = _events(AuditEventType.CHARGING_REQUEST_FINALISED, allocated)
    assert event.actor is None
    assert event.data["days"] == 10
    assert _notified("charging_finalised") == {"officer_a", "supervisor_a", "lawyer_north"}
    # Run again: nothing more happens.
    assert s.finalise_unanswered_action_plans(now=when + timedelta(days=1)) == 0
    assert len(_events(AuditEventType.CHARGING_REQUEST_FINALISED, allocated)) == 1
    assert Notification.objects.filter(kind="charging_finalised").count() == 3


@override_settings(CHARGING_ADMIN_FINALISATION_DAYS=10)
def test_early_advice_without_actions_is_finalised_from_its_issue(
    allocated: ChargingRequest, lawyer_north: User
) -> None:
    _plan(allocated, lawyer_north, outcome=DecisionOutcome.EARLY_ADVICE)
    assert s.finalise_unanswered_action_plans(now=START + timedelta(days=9)) == 0
    assert s.finalise_unanswered_action_plans(now=START + timedelta(days=11)) == 1


@override_settings(CHARGING_ADMIN_FINALISATION_DAYS=10)
def test_a_partly_answered_plan_is_not_finalised(planned: ChargingRequest, officer_a: User) -> None:
    _answer(_current(planned)[0], officer_a)
    before = _snapshot(planned)
    assert s.finalise_unanswered_action_plans(now=START + timedelta(days=200)) == 0
    assert _snapshot(planned) == before


@override_settings(CHARGING_ADMIN_FINALISATION_DAYS=10)
def test_a_finalised_request_is_reopened_back_to_its_lawyer(
    planned: ChargingRequest, officer_a: User, lawyer_north: User
) -> None:
    with pytest.raises(ValidationError) as exc:
        s.request_reopen(request=planned, by=officer_a, summary="Material arrived")
    assert _messages(exc, "status") == ["Only an administratively finalised request can be reopened"]
    assert s.finalise_unanswered_action_plans(now=START + timedelta(days=30)) == 1
    planned.refresh_from_db()
    before = _snapshot(planned)
    with pytest.raises(ValidationError) as exc:
        s.request_reopen(request=planned, by=officer_a, summary="  ")
    assert _messages(exc, "summary") == ["Say what material has arrived"]
    assert _snapshot(planned) == before
    Notification.objects.all().delete()
    request = s.request_reopen(request=planned, by=officer_a, summary="The medical statement has arrived")
    request.refresh_from_db()
    assert request.status == RequestStatus.ALLOCATED
    assert request.allocated_lawyer == lawyer_north
    assert request.resubmission_count == 1
    request.case.refresh_from_db()
    assert request.case.status == CaseStatus.AWAITING_CHARGING_DECISION
    resubmission = Resubmission.objects.get(request=request)
    assert resubmission.reopened is True
    assert resubmission.summary == "The medical statement has arrived"
    assert len(_events(AuditEventType.CHARGING_REQUEST_REOPENED, request)) == 1
    assert _notified("charging_resubmitted") == {"lawyer_north"}


# -- escalation of overdue actions -----------------------------------------------------------------


def test_each_overdue_action_is_escalated_once(allocated: ChargingRequest, officer_a: User, lawyer_north: User) -> None:
    decision = _plan(
        allocated,
        lawyer_north,
        _item("Obtain the medical statement", due_on=TODAY + timedelta(days=1)),
        _item("Seize the CCTV", due_on=TODAY + timedelta(days=5)),
        _item("Trace W2", due_on=TODAY + timedelta(days=1)),
    )
    first, second, third = _items(decision)
    _answer(third, officer_a, ActionItemStatus.CANNOT_BE_DONE, "W2 has moved abroad")
    assert s.escalate_overdue_action_items(today=TODAY + timedelta(days=1)) == 0  # due today is not overdue

    assert s.escalate_overdue_action_items(today=TODAY + timedelta(days=3)) == 1
    for item in (first, second, third):
        item.refresh_from_db()
    assert first.escalated_at is not None
    assert second.escalated_at is None
    assert third.escalated_at is None
    [event] = _events(AuditEventType.CHARGING_ACTION_ESCALATED, allocated)
    assert event.data["items"] == [str(first.public_id)]

    def overdue() -> list[Notification]:
        return list(Notification.objects.filter(kind="charging_action_overdue").order_by("id"))

    assert {n.recipient.username for n in overdue()} == {"officer_a", "supervisor_a"}
    assert all("Action 1 was due on 03 February 2026" in n.body for n in overdue())

    # A second run the same day tells nobody anything new.
    assert s.escalate_overdue_action_items(today=TODAY + timedelta(days=3)) == 0
    assert len(overdue()) == 2
    assert len(_events(AuditEventType.CHARGING_ACTION_ESCALATED, allocated)) == 1

    # Later, the second action falls overdue and only it is escalated.
    assert s.escalate_overdue_action_items(today=TODAY + timedelta(days=10)) == 1
    latest = overdue()[2:]
    assert len(latest) == 2
    assert all("Action 2 was due on 07 February 2026" in n.body and "Action 1" not in n.body for n in latest)


def test_actions_of_a_resubmitted_request_are_not_escalated(planned: ChargingRequest, officer_a: User) -> None:
    for item in _current(planned):
        _answer(item, officer_a)
    s.request_resubmit(request=planned, by=officer_a, summary="Done")
    assert s.escalate_overdue_action_items(today=TODAY + timedelta(days=60)) == 0
    assert not Notification.objects.filter(kind="charging_action_overdue").exists()


@override_settings(CHARGING_ADMIN_FINALISATION_DAYS=1)
def test_actions_of_a_plan_finalised_unanswered_are_not_escalated_once_a_new_plan_is_issued(
    allocated: ChargingRequest, officer_a: User, lawyer_north: User
) -> None:
    _plan(allocated, lawyer_north, _item("Obtain the medical statement", due_on=TODAY + timedelta(days=1)))
    # Finalisation ran in the hour before escalation would have.
    assert s.finalise_unanswered_action_plans(now=START + timedelta(days=2)) == 1
    s.request_reopen(request=allocated, by=officer_a, summary="The statement has arrived")
    _plan(allocated, lawyer_north, _item("Obtain the 999 call recording", due_on=TODAY + timedelta(days=5)))
    # The old action cannot be answered any more; chasing it would be noise.
    assert s.escalate_overdue_action_items(today=TODAY + timedelta(days=3)) == 0
    assert not Notification.objects.filter(kind="charging_action_overdue").exists()
    assert s.escalate_overdue_action_items(today=TODAY + timedelta(days=6)) == 1
    [note, *_] = Notification.objects.filter(kind="charging_action_overdue")
    assert "Obtain the 999 call recording" in note.body
    assert "medical statement" not in note.body


# -- correcting a decision -------------------------------------------------------------------------


@pytest.fixture
def two_offences(
    case: Case, offence: OffenceAllegation, officer_a: User
) -> tuple[OffenceAllegation, OffenceAllegation]:
    return offence, _offence(case, officer_a, code="CJ88001")


def _charge(request: ChargingRequest, lawyer: User, *offences: OffenceAllegation) -> ChargingDecision:
    return s.decision_record(
        request=request,
        by=lawyer,
        outcome=DecisionOutcome.CHARGE,
        reasons="Full Code Test met: CCTV and two witnesses.",
        test_applied=CodeTest.FULL_CODE_TEST,
        charges=[s.ChargeDetails(offence=o, wording="As charged") for o in offences],
    )


def _statuses(*offences: OffenceAllegation) -> list[str]:
    return [OffenceAllegation.objects.get(pk=o.pk).status for o in offences]


def test_a_correction_is_a_new_decision_and_the_original_is_kept(
    allocated: ChargingRequest,
    two_offences: tuple[OffenceAllegation, OffenceAllegation],
    lawyer_north: User,
) -> None:
    wounding, assault = two_offences
    original = _charge(allocated, lawyer_north, wounding)
    assert _statuses(wounding, assault) == [OffenceStatus.CHARGED, OffenceStatus.NOT_PROCEEDED]
    allocated.refresh_from_db()
    version = allocated.version
    correction = s.decision_correct(
        request=allocated,
        corrects=original,
        by=lawyer_north,
        reasons="Wrong offence charged: the injury was a common assault",
        test_applied=CodeTest.FULL_CODE_TEST,
        charges=[s.ChargeDetails(offence=assault, wording="Assaulted Mary Jones")],
        expected_version=version,
    )
    original.refresh_from_db()
    assert (original.outcome, original.reasons, [c.code for c in original.charges.all()]) == (
        DecisionOutcome.CHARGE,
        "Full Code Test met: CCTV and two witnesses.",
        ["OF61016"],
    )
    assert original.corrects is None
    assert correction.corrects == original
    assert correction.outcome == DecisionOutcome.CHARGE
    assert [c.code for c in correction.charges.all()] == ["CJ88001"]
    assert _statuses(wounding, assault) == [OffenceStatus.NOT_PROCEEDED, OffenceStatus.CHARGED]
    allocated.refresh_from_db()
    assert (allocated.status, allocated.version) == (RequestStatus.DECIDED, version + 1)
    allocated.case.refresh_from_db()
    assert allocated.case.status == CaseStatus.CHARGED
    [event] = _events(AuditEventType.CHARGING_DECISION_CORRECTED, allocated)
    assert event.data["corrects"] == str(original.public_id)
    assert event.data["charges"] == ["CJ88001"]

    # The same decision cannot be corrected twice: correct the latest one instead.
    before = _snapshot(allocated)
    with pytest.raises(ValidationError) as exc:
        s.decision_correct(
            request=allocated,
            corrects=original,
            by=lawyer_north,
            reasons="Again",
            test_applied=CodeTest.FULL_CODE_TEST,
            charges=[s.ChargeDetails(offence=wounding)],
        )
    assert _messages(exc, "corrects") == [s.CORRECTS_SUPERSEDED]
    assert _snapshot(allocated) == before
    again = s.decision_correct(
        request=allocated,
        corrects=correction,
        by=lawyer_north,
        reasons="Both offences after all",
        test_applied=CodeTest.FULL_CODE_TEST,
        charges=[s.ChargeDetails(offence=wounding), s.ChargeDetails(offence=assault)],
    )
    assert again.corrects == correction
    assert _statuses(wounding, assault) == [OffenceStatus.CHARGED, OffenceStatus.CHARGED]


def test_a_correction_needs_reasons_and_keeps_to_the_rules_of_a_charge(
    allocated: ChargingRequest, offence: OffenceAllegation, lawyer_north: User
) -> None:
    original = _charge(allocated, lawyer_north, offence)
    before = _snapshot(allocated)
    with pytest.raises(ValidationError) as exc:
        s.decision_correct(request=allocated, corrects=original, by=lawyer_north, reasons=" ", charges=[])
    errors = exc.value.message_dict
    assert errors["reasons"] == [s.CORRECTION_REASON]
    assert errors["charges"] == [s.CHARGES_REQUIRED]
    assert errors["test_applied"] == [s.TEST_REQUIRED]
    assert _snapshot(allocated) == before


def test_an_interim_decision_cannot_be_corrected(planned: ChargingRequest, officer_a: User, lawyer_north: User) -> None:
    plan = latest_action_plan(decisions_for(planned))
    assert plan is not None
    for item in _current(planned):
        _answer(item, officer_a)
    s.request_resubmit(request=planned, by=officer_a, summary="Done")
    s.decision_record(
        request=planned, by=lawyer_north, outcome=DecisionOutcome.NO_FURTHER_ACTION_EVIDENTIAL, reasons="Weak"
    )
    before = _snapshot(planned)
    with pytest.raises(ValidationError) as exc:
        s.decision_correct(request=planned, corrects=plan, by=lawyer_north, reasons="The plan was wrong")
    assert _messages(exc, "corrects") == [s.CORRECTS_NOT_FINAL]
    assert _snapshot(planned) == before


def test_only_the_allocated_lawyer_or_the_areas_legal_manager_corrects(
    allocated: ChargingRequest,
    offence: OffenceAllegation,
    lawyer_north: User,
    lawyer_south: User,
    officer_a: User,
    manager_cps_north: User,
) -> None:
    original = s.decision_record(
        request=allocated, by=lawyer_north, outcome=DecisionOutcome.NO_FURTHER_ACTION_EVIDENTIAL, reasons="Weak"
    )
    for outsider in (lawyer_south, officer_a, _other_lawyer(lawyer_north)):
        with pytest.raises(PermissionDenied):
            s.decision_correct(request=allocated, corrects=original, by=outsider, reasons="Typo")
    correction = s.decision_correct(
        request=allocated, corrects=original, by=manager_cps_north, reasons="Reasons mistyped: no prospect"
    )
    assert correction.outcome == DecisionOutcome.NO_FURTHER_ACTION_EVIDENTIAL
    assert correction.decided_by == manager_cps_north


# -- the police's own charging decision (DG6 Annex 1) ------------------------------------------------


@pytest.fixture
def summary_case(officer_a: User, supervisor_a: User, unit_a1: Unit, offence_codes: dict[str, OffenceCode]) -> Case:
    return _case("10/AA/22222/26", officer_a, supervisor_a)


def _police_charge(case: Case, by: User, offences: list[OffenceAllegation], **extra: Any) -> PoliceChargeDecision:
    details = s.PoliceChargeDetails(offences=offences, rationale="Admitted in interview; CCTV", **extra)
    return s.police_charge_record(case=case, details=details, by=by)


def _police_snapshot(case: Case) -> tuple[Any, ...]:
    case.refresh_from_db()
    return (
        case.status,
        list(case.offences.order_by("id").values_list("status", flat=True)),
        PoliceChargeDecision.objects.count(),
        AuditEvent.objects.filter(event_type=AuditEventType.POLICE_CHARGE_RECORDED).count(),
    )


def test_the_police_charge_a_summary_only_offence_with_a_rationale(
    summary_case: Case, officer_a: User, supervisor_a: User
) -> None:
    assault = _offence(summary_case, officer_a, code="CJ88001")
    decision = _police_charge(summary_case, supervisor_a, [assault])
    assert decision.dg6_rule == "police.summary_only"
    assert decision.rationale == "Admitted in interview; CCTV"
    assert decision.emergency_authorised_by == ""
    assert list(decision.offences.all()) == [assault]
    summary_case.refresh_from_db()
    assert summary_case.status == CaseStatus.CHARGED
    assert _statuses(assault) == [OffenceStatus.CHARGED]
    [event] = AuditEvent.objects.filter(event_type=AuditEventType.POLICE_CHARGE_RECORDED)
    assert event.case_id == summary_case.public_id
    assert event.actor == supervisor_a
    assert event.data["rule"] == "police.summary_only"
    assert event.data["offences"] == ["CJ88001"]


@pytest.mark.parametrize(
    ("code", "rule_id"),
    [
        pytest.param("OF61016", "indictable_only", id="indictable-only wounding"),
        pytest.param("PH97003", "dg6_group.harassment_stalking", id="summary-only harassment (DG6 group)"),
    ],
)
def test_the_police_cannot_charge_what_annex_1_reserves_for_the_cps(
    summary_case: Case, officer_a: User, supervisor_a: User, code: str, rule_id: str
) -> None:
    offence = _offence(summary_case, officer_a, code=code)
    before = _police_snapshot(summary_case)
    with pytest.raises(ValidationError) as exc:
        _police_charge(summary_case, supervisor_a, [offence])
    reason = RULES_BY_ID[rule_id].reason.rstrip(".")
    assert _messages(exc, "offences") == [s.POLICE_CHARGE_CPS_CASE.format(reason=reason)]
    assert _police_snapshot(summary_case) == before


def test_a_case_mixing_police_and_cps_offences_all_goes_to_the_cps(
    summary_case: Case, officer_a: User, supervisor_a: User
) -> None:
    assault = _offence(summary_case, officer_a, code="CJ88001")
    _offence(summary_case, officer_a, code="OF61016")
    before = _police_snapshot(summary_case)
    with pytest.raises(ValidationError) as exc:
        _police_charge(summary_case, supervisor_a, [assault])
    assert "indictable-only" in _messages(exc, "offences")[0]
    assert _police_snapshot(summary_case) == before


def test_an_inspectors_emergency_authority_lets_the_police_charge_and_is_recorded(
    summary_case: Case, officer_a: User, supervisor_a: User
) -> None:
    wounding = _offence(summary_case, officer_a, code="OF61016")
    decision = _police_charge(summary_case, supervisor_a, [wounding], emergency_authorised_by=" Insp. Ruth Hale 2231 ")
    assert decision.dg6_rule == "emergency_inspector_authority"
    assert decision.emergency_authorised_by == "Insp. Ruth Hale 2231"
    event = AuditEvent.objects.get(event_type=AuditEventType.POLICE_CHARGE_RECORDED)
    assert event.data["emergency_authorised_by"] == "Insp. Ruth Hale 2231"
    assert _statuses(wounding) == [OffenceStatus.CHARGED]


def test_emergency_authority_is_not_recorded_where_none_was_needed(
    summary_case: Case, officer_a: User, supervisor_a: User
) -> None:
    assault = _offence(summary_case, officer_a, code="CJ88001")
    decision = _police_charge(summary_case, supervisor_a, [assault], emergency_authorised_by="Insp. Ruth Hale")
    assert decision.dg6_rule == "police.summary_only"
    assert decision.emergency_authorised_by == ""


def test_the_police_cannot_charge_while_a_request_is_with_the_cps(
    summary_case: Case, officer_a: User, supervisor_a: User
) -> None:
    assault = _offence(summary_case, officer_a, code="CJ88001")
    request = s.request_create(case=summary_case, details=_mg3(), by=officer_a)
    s.request_submit(request=request, by=officer_a)
    s.request_approve(request=request, by=supervisor_a)
    before = _police_snapshot(summary_case)
    with pytest.raises(ValidationError) as exc:
        _police_charge(summary_case, supervisor_a, [assault])
    assert _messages(exc, "case") == [s.POLICE_CHARGE_OPEN_REQUEST]
    assert _police_snapshot(summary_case) == before


def test_only_a_supervisor_of_the_force_records_a_police_charge(
    summary_case: Case, officer_a: User, officer_b: User, lawyer_north: User, supervisor_a: User
) -> None:
    assault = _offence(summary_case, officer_a, code="CJ88001")
    before = _police_snapshot(summary_case)
    for outsider in (officer_a, officer_b, lawyer_north):
        with pytest.raises(PermissionDenied):
            _police_charge(summary_case, outsider, [assault])
    with pytest.raises(ValidationError) as exc:
        s.police_charge_record(
            case=summary_case, details=s.PoliceChargeDetails(offences=[assault], rationale=" "), by=supervisor_a
        )
    assert _messages(exc, "rationale") == [s.RATIONALE_REQUIRED]
    assert _police_snapshot(summary_case) == before


# -- routing recorded on the request ---------------------------------------------------------------


def test_a_new_request_records_who_annex_1_says_decides(case: Case, summary_case: Case, officer_a: User) -> None:
    empty = s.request_create(case=case, details=_mg3(), by=officer_a)
    assert (empty.dg6_decider, empty.dg6_rule, empty.dg6_reason) == ("", "", "")
    s.request_withdraw(request=empty, by=officer_a, reason="Started before the offences were added")
    _offence(case, officer_a, code="OF61016")
    cps = s.request_create(case=case, details=_mg3(), by=officer_a)
    cps.refresh_from_db()
    assert (cps.dg6_decider, cps.dg6_rule) == (ChargingDecider.CPS, "indictable_only")
    assert cps.dg6_reason == RULES_BY_ID["indictable_only"].reason
    _offence(summary_case, officer_a, code="CJ88001")
    police = s.request_create(case=summary_case, details=_mg3(), by=officer_a)
    police.refresh_from_db()
    assert (police.dg6_decider, police.dg6_rule) == (ChargingDecider.POLICE, "police.summary_only")


# -- the shared timeline ---------------------------------------------------------------------------


@override_settings(CHARGING_ADMIN_FINALISATION_DAYS=10)
def test_every_step_is_on_the_case_timeline_for_the_police_and_for_the_cps_once_sent(
    case: Case, offence: OffenceAllegation, officer_a: User, supervisor_a: User, paralegal_north: User,
    lawyer_north: User,
) -> None:  # fmt: skip
    request = s.request_create(case=case, details=_mg3(), by=officer_a)
    request = s.request_submit(request=request, by=officer_a)
    with pytest.raises(Http404):
        case_get_visible_to(user=lawyer_north, public_id=case.public_id)
    request = s.request_approve(request=request, by=supervisor_a)
    request = s.request_accept(request=request, by=paralegal_north)
    request = s.request_allocate(request=request, by=lawyer_north)
    _plan(request, lawyer_north, _item())
    for item in _current(request):
        _answer(item, officer_a)
    s.request_resubmit(request=request, by=officer_a, summary="Statement taken")
    _plan(request, lawyer_north, _item("Obtain the 999 call recording"))
    s.escalate_overdue_action_items(today=TODAY + timedelta(days=8))
    s.finalise_unanswered_action_plans(now=START + timedelta(days=30))
    s.request_reopen(request=request, by=officer_a, summary="The recording has arrived")
    original = _charge(request, lawyer_north, offence)
    s.decision_correct(
        request=request,
        corrects=original,
        by=lawyer_north,
        reasons="Wording corrected",
        test_applied=CodeTest.FULL_CODE_TEST,
        charges=[s.ChargeDetails(offence=offence, wording="Wounded Mary Jones with intent")],
    )
    steps = [
        AuditEventType.CHARGING_REQUEST_CREATED,
        AuditEventType.CHARGING_REQUEST_SUBMITTED,
        AuditEventType.CHARGING_REQUEST_APPROVED,
        AuditEventType.CHARGING_REQUEST_ACCEPTED,
        AuditEventType.CHARGING_REQUEST_ALLOCATED,
        AuditEventType.CHARGING_DECISION_RECORDED,
        AuditEventType.CHARGING_ACTION_ANSWERED,
        AuditEventType.CHARGING_REQUEST_RESUBMITTED,
        AuditEventType.CHARGING_ACTION_ESCALATED,
        AuditEventType.CHARGING_REQUEST_FINALISED,
        AuditEventType.CHARGING_REQUEST_REOPENED,
        AuditEventType.CHARGING_DECISION_CORRECTED,
    ]
    for user in (officer_a, lawyer_north):
        visible = case_get_visible_to(user=user, public_id=case.public_id)
        timeline = [e.event_type for e in case_timeline(case=visible, user=user)]
        missing = [step for step in steps if step not in timeline]
        assert missing == [], f"{user.username} does not see {missing}"
        assert timeline.count(AuditEventType.CHARGING_DECISION_RECORDED) == 3


def test_a_police_charge_is_on_the_case_timeline(summary_case: Case, officer_a: User, supervisor_a: User) -> None:
    assault = _offence(summary_case, officer_a, code="CJ88001")
    _police_charge(summary_case, supervisor_a, [assault])
    timeline = [e.event_type for e in case_timeline(case=summary_case, user=officer_a)]
    assert AuditEventType.POLICE_CHARGE_RECORDED in timeline
    assert AuditEventType.CASE_STATUS_CHANGED in timeline
