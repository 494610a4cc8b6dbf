"""The alert sweep and escalation (alerts.services): which threshold is raised, to whom, once, with what
urgency and wording, across time and the clock changes. Deadlines are written directly (as the deadline
store would), with ``next_alert_at`` from ``casework.deadlines.calculations``."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from accounts.choices import Role
from accounts.models import Organisation, Unit, User
from alerts import policy
from alerts.models import Alert, AlertDelivery
from alerts.services import escalate_unacknowledged, sweep_alerts
from casework.choices import STATUTORY_DEADLINES, DeadlineKind, DeadlineStatus
from casework.deadlines.calculations import next_alert_at, pace_limit
from casework.deadlines.calendar import LONDON
from casework.deadlines.holidays import calendar_from_db, load_public_holidays
from casework.deadlines.rules import schedule_for
from casework.models import Case, Deadline
from charging.choices import RequestStatus
from charging.models import ChargingRequest
from tests.factories.accounts import UserFactory
from tests.factories.casework import CaseFactory

SUSPECT = "Jamie SMITHERTON"
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def holidays(db: None) -> None:
    load_public_holidays()


# -- helpers (also used by the concurrency and worker tests) -----------------------------------------


def make_case(
    *,
    force: Organisation,
    unit: Unit | None,
    officer: User | None,
    supervisor: User | None,
    urn: str = "10AA1234526",
) -> Case:
    return CaseFactory(force=force, unit=unit, officer_in_case=officer, supervisor=supervisor, urn=urn)


def deadline_row(
    case: Case, kind: str, due_at: datetime, *, subject_key: str = "", after: datetime | None = None
) -> Deadline:
    """An unsaved open deadline whose cursor is its first alert point (or the first after ``after``). Its
    label names the suspect, as stored deadlines do: no alert may carry it."""
    return Deadline(
        case=case,
        kind=kind,
        subject_key=subject_key,
        label=f"{DeadlineKind(kind).label}: {SUSPECT}",
        due_at=due_at,
        rule="test rule",
        statutory=kind in STATUTORY_DEADLINES,
        next_alert_at=next_alert_at(schedule_for(kind), due_at, after, calendar_from_db()),
    )


def make_deadline(case: Case, kind: str, due_at: datetime, **extra: Any) -> Deadline:
    deadline = deadline_row(case, kind, due_at, **extra)
    deadline.save()
    return deadline


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def alerts_of(deadline: Deadline) -> list[tuple[str, str]]:
    return sorted(Alert.objects.filter(deadline=deadline).values_list("threshold", "recipient__username"))


# -- fixtures ---------------------------------------------------------------------------------------


@pytest.fixture
def case(force_a: Organisation, unit_a1: Unit, officer_a: User, supervisor_a: User) -> Case:
    return make_case(force=force_a, unit=unit_a1, officer=officer_a, supervisor=supervisor_a)


@pytest.fixture
def allocate(officer_a: User) -> Callable[..., ChargingRequest]:
    def _allocate(case: Case, lawyer: User, status: str = RequestStatus.ALLOCATED) -> ChargingRequest:
        return ChargingRequest.objects.create(
            case=case, status=status, allocated_lawyer=lawyer, created_by=officer_a, cps_area=case.cps_area
        )

    return _allocate


NOW = at("2026-06-01T09:00:00+01:00")


# -- which threshold ---------------------------------------------------------------------------------


def test_a_deadline_first_seen_five_days_before_its_limit_gets_only_the_7_day_alert(case: Case) -> None:
    due = NOW + timedelta(days=5)
    deadline = make_deadline(case, DeadlineKind.SUMMARY_TIME_LIMIT, due)

    assert sweep_alerts(now=NOW) == 2

    assert alerts_of(deadline) == [("T-7d", "officer_a"), ("T-7d", "supervisor_a")]
    deadline.refresh_from_db()
    assert deadline.next_alert_at == due  # the overdue point is next
    alert = Alert.objects.filter(deadline=deadline).first()
    assert alert is not None
    assert alert.case_id == case.public_id
    assert alert.due_at == due
    assert alert.requires_acknowledgement is True
    assert alert.urgent is False


def test_a_deadline_past_its_limit_gets_only_the_overdue_alert_and_is_done(case: Case) -> None:
    deadline = make_deadline(case, DeadlineKind.SUMMARY_TIME_LIMIT, NOW - timedelta(hours=1))

    sweep_alerts(now=NOW)

    assert alerts_of(deadline) == [("overdue", "officer_a"), ("overdue", "supervisor_a")]
    deadline.refresh_from_db()
    assert deadline.next_alert_at is None


def test_a_deadline_not_yet_at_its_first_threshold_is_left_alone(case: Case) -> None:
    deadline = make_deadline(case, DeadlineKind.SUMMARY_TIME_LIMIT, NOW + timedelta(days=61))
    cursor = deadline.next_alert_at

    assert sweep_alerts(now=NOW) == 0

    deadline.refresh_from_db()
    assert deadline.next_alert_at == cursor
    assert not Alert.objects.exists()


def test_closed_deadlines_are_not_swept(case: Case) -> None:
    met = make_deadline(case, DeadlineKind.SUMMARY_TIME_LIMIT, NOW + timedelta(days=3))
    Deadline.objects.filter(pk=met.pk).update(status=DeadlineStatus.MET)

    assert sweep_alerts(now=NOW) == 0
    assert not Alert.objects.exists()


# -- exactly once --------------------------------------------------------------------------------------


def test_running_the_sweep_twice_raises_nothing_new(case: Case) -> None:
    deadline = make_deadline(case, DeadlineKind.CUSTODY_TIME_LIMIT, NOW + timedelta(days=3))
    assert sweep_alerts(now=NOW) == 2

    assert sweep_alerts(now=NOW) == 0
    assert sweep_alerts(now=NOW + timedelta(minutes=2)) == 0
    assert Alert.objects.count() == 2
    assert AlertDelivery.objects.count() == 2
    # Even with the cursor wound back (a recompute, a restored backup), the constraint keeps it once.
    Deadline.objects.filter(pk=deadline.pk).update(next_alert_at=NOW - timedelta(days=30))
    assert sweep_alerts(now=NOW) == 0
    assert Alert.objects.count() == 2
    assert AlertDelivery.objects.count() == 2


def test_the_sweep_works_through_every_due_deadline_in_batches(
    force_a: Organisation, unit_a1: Unit, officer_a: User, supervisor_a: User
) -> None:
    rows = [
        deadline_row(
            make_case(force=force_a, unit=unit_a1, officer=officer_a, supervisor=supervisor_a, urn=f"10AA{n:05d}26"),
            DeadlineKind.PRE_CHARGE_BAIL,
            NOW + timedelta(days=10, hours=n),
        )
        for n in range(7)
    ]
    Deadline.objects.bulk_create(rows)

    assert sweep_alerts(now=NOW, batch_size=2) == 14

    assert set(Alert.objects.values_list("threshold", flat=True)) == {"T-14d"}
    assert not Deadline.objects.filter(next_alert_at__lte=NOW).exists()


def test_a_deadline_moved_later_does_not_raise_again_a_threshold_it_was_alerted_at(case: Case) -> None:
    due = at("2026-07-01T17:00:00+01:00")
    deadline = make_deadline(case, DeadlineKind.PRE_CHARGE_BAIL, due)
    with time_machine.travel(due - timedelta(days=13), tick=False):
        assert sweep_alerts() == 2
    assert alerts_of(deadline) == [("T-14d", "officer_a"), ("T-14d", "supervisor_a")]

    # Bail extended by a month: the store moves the deadline and resets its cursor.
    moved = due + timedelta(days=30)
    Deadline.objects.filter(pk=deadline.pk).update(
        due_at=moved, next_alert_at=next_alert_at(schedule_for(deadline.kind), moved, None, calendar_from_db())
    )
    with time_machine.travel(moved - timedelta(days=13), tick=False):
        assert sweep_alerts() == 0  # T-14d was alerted for this deadline already
    with time_machine.travel(moved - timedelta(days=6), tick=False):
        assert sweep_alerts() == 2
    assert alerts_of(deadline) == [
        ("T-14d", "officer_a"),
        ("T-14d", "supervisor_a"),
        ("T-7d", "officer_a"),
        ("T-7d", "supervisor_a"),
    ]


def test_travelling_through_a_statutory_limit_raises_each_threshold_once_in_turn(case: Case) -> None:
    due = at("2026-09-15T23:59:00+01:00")
    deadline = make_deadline(case, DeadlineKind.SUMMARY_TIME_LIMIT, due)
    seen: list[str] = []
    for days_before in (61, 59, 45, 29, 29, 13, 8, 6, 1):
        with time_machine.travel(due - timedelta(days=days_before), tick=False):
            sweep_alerts()
        seen.append(",".join(sorted({t for t, _ in alerts_of(deadline)})))
    with time_machine.travel(due + timedelta(minutes=1), tick=False):
        sweep_alerts()
        sweep_alerts()

    assert seen == [
        "",
        "T-60d",
        "T-60d",
        "T-30d,T-60d",
        "T-30d,T-60d",
        "T-14d,T-30d,T-60d",
        "T-14d,T-30d,T-60d",
        "T-14d,T-30d,T-60d,T-7d",
        "T-14d,T-30d,T-60d,T-7d",
    ]
    assert Alert.objects.filter(deadline=deadline, threshold="overdue").count() == 2
    assert Alert.objects.filter(deadline=deadline).count() == 10
    overdue = Alert.objects.filter(deadline=deadline, threshold="overdue").first()
    assert overdue is not None
    assert overdue.urgent is True
    deadline.refresh_from_db()
    assert deadline.next_alert_at is None


def test_custody_time_limit_alerts_count_working_days_back_over_a_bank_holiday(case: Case) -> None:
    # Expiry Tuesday 1 September 2026. Two working days before it, over the summer bank holiday (Monday
    # 31 August) and the weekend: Thursday 27 August.
    deadline = make_deadline(case, DeadlineKind.CUSTODY_TIME_LIMIT, at("2026-09-01T23:59:00+01:00"))
    with time_machine.travel(at("2026-08-27T23:58:59+01:00"), tick=False):
        sweep_alerts()
    assert {t for t, _ in alerts_of(deadline)} == {"T-7wd"}
    with time_machine.travel(at("2026-08-27T23:59:00+01:00"), tick=False):
        sweep_alerts()
    assert {t for t, _ in alerts_of(deadline)} == {"T-7wd", "T-2wd"}
    assert Alert.objects.get(deadline=deadline, threshold="T-2wd", recipient__username="officer_a").urgent is True

    # 7 working days before Thursday 7 May 2026 skips the early May bank holiday (Monday 4 May): 27 April.
    other = make_deadline(case, DeadlineKind.CUSTODY_TIME_LIMIT, at("2026-05-07T23:59:00+01:00"), subject_key="2")
    with time_machine.travel(at("2026-04-27T23:58:59+01:00"), tick=False):
        sweep_alerts()
    assert {t for t, _ in alerts_of(other)} == {"T-14wd"}
    with time_machine.travel(at("2026-04-27T23:59:00+01:00"), tick=False):
        sweep_alerts()
    assert {t for t, _ in alerts_of(other)} == {"T-14wd", "T-7wd"}


# -- PACE across the 2026 clock changes -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("relevant_time", "limit_utc", "limit_text"),
    [
        # Clocks go forward at 01:00 GMT on Sunday 29 March: 24 elapsed hours from 22:00 GMT on the Saturday
        # end at 23:00 BST on the Sunday, so the 2-hour alert is at 21:00 BST (20:00 UTC), not 20:00 BST.
        ("2026-03-28T22:00:00+00:00", "2026-03-29T22:00:00+00:00", "23:00 on Sunday 29 March 2026"),
        # Clocks go back at 02:00 BST on Sunday 25 October: 24 elapsed hours from 22:00 BST on the Saturday
        # end at 21:00 GMT on the Sunday, so the 2-hour alert is at 19:00 GMT, not 20:00.
        ("2026-10-24T22:00:00+01:00", "2026-10-25T21:00:00+00:00", "21:00 on Sunday 25 October 2026"),
    ],
)
def test_the_pace_2_hour_alert_comes_2_real_hours_before_the_limit_across_the_clock_change(
    case: Case, relevant_time: str, limit_utc: str, limit_text: str
) -> None:
    limit = pace_limit(at(relevant_time), 24)
    assert limit == at(limit_utc)
    deadline = make_deadline(case, DeadlineKind.PACE_DETENTION, limit)
    alert_at = at(limit_utc) - timedelta(hours=2)

    with time_machine.travel(alert_at - timedelta(seconds=1), tick=False):
        assert sweep_alerts() == 0
    with time_machine.travel(alert_at, tick=False):
        assert sweep_alerts() == 2

    alert = Alert.objects.filter(deadline=deadline).first()
    assert alert is not None
    assert alert.threshold == "T-2h"
    assert alert.urgent is True
    assert limit_text in alert.subject
    deadline.refresh_from_db()
    assert deadline.next_alert_at == at(limit_utc)
    with time_machine.travel(at(limit_utc), tick=False):
        assert sweep_alerts() == 2
    assert {t for t, _ in alerts_of(deadline)} == {"T-2h", "overdue"}


# -- who is told -----------------------------------------------------------------------------------------


def test_a_custody_time_limit_goes_to_both_sides(
    case: Case, lawyer_north: User, allocate: Callable[..., ChargingRequest]
) -> None:
    allocate(case, lawyer_north, RequestStatus.DECIDED)
    deadline = make_deadline(case, DeadlineKind.CUSTODY_TIME_LIMIT, NOW + timedelta(days=2))

    sweep_alerts(now=NOW)

    assert {u for _, u in alerts_of(deadline)} == {"officer_a", "supervisor_a", "lawyer_north"}


def test_the_charging_decision_goes_to_the_lawyer_of_the_open_request_only(
    case: Case, lawyer_north: User, area_north: Organisation, allocate: Callable[..., ChargingRequest]
) -> None:
    earlier = UserFactory(username="earlier_lawyer", organisation=area_north, roles=[Role.CPS_LAWYER])
    allocate(case, earlier, RequestStatus.DECIDED)
    allocate(case, lawyer_north, RequestStatus.ALLOCATED)
    deadline = make_deadline(case, DeadlineKind.CHARGING_DECISION, NOW - timedelta(minutes=5))

    sweep_alerts(now=NOW)

    assert alerts_of(deadline) == [("overdue", "lawyer_north")]
    alert = Alert.objects.get(deadline=deadline)
    assert alert.urgent is False  # not statutory
    assert alert.requires_acknowledgement is False


def test_with_no_allocated_lawyer_the_areas_legal_managers_are_told(
    case: Case, manager_cps_north: User, lawyer_north: User
) -> None:
    deadline = make_deadline(case, DeadlineKind.THRESHOLD_TEST_REVIEW, NOW - timedelta(minutes=5))

    sweep_alerts(now=NOW)

    assert alerts_of(deadline) == [("overdue", "manager_cps_north")]


def test_a_missing_or_inactive_officer_is_replaced_by_the_units_supervisors(
    force_a: Organisation, unit_a1: Unit, officer_a: User, supervisor_a: User, manager_police_a: User
) -> None:
    officer_a.is_active = False
    officer_a.save(update_fields=["is_active"])
    no_supervisor = make_case(force=force_a, unit=unit_a1, officer=officer_a, supervisor=None)
    deadline = make_deadline(no_supervisor, DeadlineKind.ACTION_PLAN_ITEM, NOW - timedelta(minutes=5))

    sweep_alerts(now=NOW)

    assert alerts_of(deadline) == [("overdue", "supervisor_a")]


def test_a_case_without_unit_or_named_people_goes_to_the_forces_managers(
    force_a: Organisation, manager_police_a: User, supervisor_a: User, officer_b: User
) -> None:
    nobody = make_case(force=force_a, unit=None, officer=None, supervisor=None)
    deadline = make_deadline(nobody, DeadlineKind.VICTIM_UPDATE, NOW - timedelta(minutes=5))

    sweep_alerts(now=NOW)

    assert alerts_of(deadline) == [("overdue", "manager_police_a")]


# -- what it says, urgency and the outbox ----------------------------------------------------------------


def test_the_alert_carries_the_urn_what_and_when_and_the_link_but_no_names(case: Case) -> None:
    due = at("2026-06-04T16:30:00+01:00")
    make_deadline(case, DeadlineKind.PRE_CHARGE_BAIL, due)

    sweep_alerts(now=NOW)

    alert = Alert.objects.filter(recipient__username="officer_a").get()
    assert alert.subject == "10/AA/12345/26: Pre-charge bail period end due in 7 days (16:30 on Thursday 4 June 2026)"
    assert "10/AA/12345/26" in alert.body
    assert "16:30 on Thursday 4 June 2026 (UK time)" in alert.body
    path = reverse("casework:case-deadlines", args=[case.public_id])
    assert path == policy.deadlines_path(case.public_id)
    assert path in alert.body
    for text in (alert.subject, alert.body):
        assert "SMITHERTON" not in text.upper()
        assert "Jamie" not in text


def test_urgent_alerts_are_due_at_once_and_the_rest_wait_for_the_digest(
    case: Case,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Any,
) -> None:
    import alerts.delivery

    handed: list[list[int]] = []
    monkeypatch.setattr(alerts.delivery, "enqueue_urgent", lambda ids: handed.append(list(ids)))
    urgent = make_deadline(case, DeadlineKind.PACE_DETENTION, NOW + timedelta(hours=1))
    digest = make_deadline(case, DeadlineKind.SUMMARY_TIME_LIMIT, NOW + timedelta(days=20))

    with django_capture_on_commit_callbacks(execute=True):
        sweep_alerts(now=NOW)

    urgent_deliveries = AlertDelivery.objects.filter(alert__deadline=urgent)
    assert {(d.digest, d.next_attempt_at, d.status) for d in urgent_deliveries} == {(False, NOW, "pending")}
    digest_deliveries = AlertDelivery.objects.filter(alert__deadline=digest)
    assert {(d.digest, d.next_attempt_at) for d in digest_deliveries} == {(True, None)}
    assert len(handed) == 1
    assert sorted(handed[0]) == sorted(urgent_deliveries.values_list("id", flat=True))


@pytest.mark.parametrize(
    ("kind", "due_in", "urgent", "acknowledge"),
    [
        (DeadlineKind.CUSTODY_TIME_LIMIT, timedelta(days=10), False, True),  # T-7wd
        (DeadlineKind.CUSTODY_TIME_LIMIT, timedelta(days=1), True, True),  # T-2wd
        (DeadlineKind.PACE_REVIEW, timedelta(hours=1), True, False),
        (DeadlineKind.SUMMARY_TIME_LIMIT, timedelta(days=6), False, True),
        (DeadlineKind.SUMMARY_TIME_LIMIT, -timedelta(minutes=1), True, True),
        (DeadlineKind.FIRST_HEARING_FILE, -timedelta(minutes=1), False, False),
    ],
)
def test_urgency_and_acknowledgement_follow_the_policy(
    case: Case, kind: str, due_in: timedelta, urgent: bool, acknowledge: bool
) -> None:
    make_deadline(case, kind, NOW + due_in)

    sweep_alerts(now=NOW)

    assert set(Alert.objects.values_list("urgent", "requires_acknowledgement")) == {(urgent, acknowledge)}


# -- escalation ---------------------------------------------------------------------------------------


def test_an_overdue_alert_is_escalated_once_to_the_managers_of_the_recipients_organisation(
    case: Case, manager_police_a: User, manager_cps_north: User
) -> None:
    deadline = make_deadline(case, DeadlineKind.ACTION_PLAN_ITEM, NOW - timedelta(minutes=5))
    sweep_alerts(now=NOW)

    assert escalate_unacknowledged(now=NOW) == 1

    # The officer's and the supervisor's alerts make one copy for the force's manager, not two.
    assert alerts_of(deadline) == [
        ("escalated:overdue", "manager_police_a"),
        ("overdue", "officer_a"),
        ("overdue", "supervisor_a"),
    ]
    copy = Alert.objects.get(threshold="escalated:overdue")
    assert copy.urgent is True
    assert copy.subject.startswith("Escalated: 10/AA/12345/26")
    assert "overdue" in copy.body
    assert AlertDelivery.objects.get(alert=copy).digest is False
    assert not Alert.objects.filter(threshold="overdue", escalated_at__isnull=True).exists()
    assert escalate_unacknowledged(now=NOW + timedelta(hours=1)) == 0
    assert Alert.objects.count() == 3


def test_an_unacknowledged_statutory_alert_is_escalated_after_the_configured_hours(
    case: Case, manager_police_a: User, settings: Any
) -> None:
    settings.ALERT_ESCALATE_AFTER_HOURS = 24
    make_deadline(case, DeadlineKind.SUMMARY_TIME_LIMIT, NOW + timedelta(days=20))
    with time_machine.travel(NOW, tick=False):
        sweep_alerts()
    acknowledged = Alert.objects.get(recipient__username="supervisor_a")
    Alert.objects.filter(pk=acknowledged.pk).update(acknowledged_at=NOW, acknowledgement_note="In hand")

    assert escalate_unacknowledged(now=NOW + timedelta(hours=23)) == 0
    assert escalate_unacknowledged(now=NOW + timedelta(hours=25)) == 1

    copy = Alert.objects.get(threshold="escalated:T-30d")
    assert copy.recipient == manager_police_a
    assert copy.requires_acknowledgement is True
    assert "not acknowledged within 24 hours" in copy.body
    assert Alert.objects.get(pk=acknowledged.pk).escalated_at is None
    assert Alert.objects.get(recipient__username="officer_a").escalated_at == NOW + timedelta(hours=25)
    # The managers' copy is never escalated in its turn.
    assert escalate_unacknowledged(now=NOW + timedelta(days=5)) == 0


def test_a_lawyers_alert_is_escalated_to_the_cps_legal_managers(
    case: Case,
    lawyer_north: User,
    manager_cps_north: User,
    manager_police_a: User,
    allocate: Callable[..., ChargingRequest],
) -> None:
    allocate(case, lawyer_north)
    make_deadline(case, DeadlineKind.CHARGING_DECISION, NOW - timedelta(minutes=5))
    sweep_alerts(now=NOW)

    escalate_unacknowledged(now=NOW)

    assert Alert.objects.get(threshold="escalated:overdue").recipient == manager_cps_north


def test_alerts_of_a_deadline_that_was_met_are_not_escalated(case: Case, manager_police_a: User) -> None:
    deadline = make_deadline(case, DeadlineKind.ACTION_PLAN_ITEM, NOW - timedelta(minutes=5))
    sweep_alerts(now=NOW)
    Deadline.objects.filter(pk=deadline.pk).update(status=DeadlineStatus.MET)

    assert escalate_unacknowledged(now=NOW) == 0


def test_the_sweep_defaults_to_the_current_time(case: Case) -> None:
    due = timezone.now().astimezone(LONDON) + timedelta(days=3)
    make_deadline(case, DeadlineKind.SUMMARY_TIME_LIMIT, due)

    assert sweep_alerts() == 2
    assert datetime.now(UTC) < due
