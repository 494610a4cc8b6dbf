"""Incremental snapshots always equal a from-scratch recompute.

Hypothesis generates a sequence of real service calls spread over days of travelled time: cases with offences
(some summary-only, committed long enough ago that their s.127 limit has already run out), victims, MG3s sent,
accepted, allocated and decided (charge, no further action, action plan), actions answered and resubmitted,
bail, extensions, release under investigation and charge recorded in the custody history (some after the
fact), Victims' Code updates, a case's first offence changed, alerts raised, escalated and acknowledged. After
each step the production path runs (``metrics.tasks.build_snapshots``, and ``recompute_recent`` at each
midnight crossed, as Celery beat would). At the end every snapshot row must be the same as when every day is
recomputed from scratch.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from accounts.models import User
from alerts import services as alert_services
from alerts import services_ack
from alerts.models import Alert
from casework import services as cs
from casework.choices import Authority, CustodyEventKind, EnhancedRights
from casework.models import Case, Suspect, Victim
from casework.services.custody import CustodyDetails
from charging import services as ch
from charging.choices import ActionItemStatus, ChargingCategory, DecisionOutcome, RequestStatus
from charging.choices import TestSought as CodeTest
from charging.models import ChargingRequest
from metrics import tasks
from metrics.compute import build_dirty_days, recompute_period
from metrics.models import BuiltDay, DirtyDay, MetricRollup, MetricSnapshot
from metrics.registry import trimmed
from metrics.rollup import rebuild_months

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
START = datetime(2026, 3, 2, 9, 0, tzinfo=LONDON)  # a Monday
FIRST_DAY = START.date() - timedelta(days=6)
CODES = ("CJ88001", "TH68001", "OF61016", "PH97003")

ACTIONS = (
    "new_case",
    "refer",
    "accept",
    "allocate",
    "decide",
    "answer",
    "resubmit",
    "bail",
    "extend_bail",
    "rui",
    "charge_event",
    "victim_update",
    "change_offence",
    "alerts",
    "acknowledge",
    "advance_hours",
    "advance_days",
)


@dataclass
class People:
    officer: User
    supervisor: User
    paralegal: User
    lawyer: User
    managers: list[User]


@dataclass
class World:
    people: People
    traveller: Any
    cases: list[Case] = field(default_factory=list)
    serial: int = 10000


def _snapshot_set() -> set[tuple[Any, ...]]:
    return {
        (
            row.metric,
            row.day,
            row.force_id,
            row.unit_id,
            row.cps_area_id,
            row.offence_group,
            row.category,
            round(row.numerator, 9),
            round(row.denominator, 9),
            tuple(trimmed(row.histogram)) if row.histogram is not None else None,
        )
        for row in MetricSnapshot.objects.all()
    }


def _rollup_set() -> set[tuple[Any, ...]]:
    return {
        (
            row.metric,
            row.grain,
            row.period,
            row.force_id,
            row.category,
            row.dimension,
            row.value,
            round(row.numerator, 9),
            round(row.denominator, 9),
            tuple(trimmed(row.histogram)) if row.histogram is not None else None,
        )
        for row in MetricRollup.objects.all()
    }


def _clear() -> None:
    """Remove what the previous example made (the examples share one test transaction): every case and what
    refers to it, and the snapshots."""
    tables = [
        Case._meta.db_table,
        MetricSnapshot._meta.db_table,
        DirtyDay._meta.db_table,
        BuiltDay._meta.db_table,
        MetricRollup._meta.db_table,
    ]
    with connection.cursor() as cursor:
        # Deferred foreign-key checks still pending in the shared transaction would block the TRUNCATE.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f"TRUNCATE {', '.join(tables)} CASCADE")


def _pick(items: list[Any], n: int) -> Any:
    return items[n % len(items)] if items else None


def _requests(world: World, *statuses: str) -> list[ChargingRequest]:
    return list(ChargingRequest.objects.filter(status__in=statuses).order_by("id"))


def _now() -> datetime:
    return timezone.now()


def _build() -> None:
    """What the beat's two-minute builder does, run until it has caught up (a change of dimension can mark
    more days than one run builds)."""
    tasks.build_snapshots()
    while build_dirty_days():
        pass


def _advance_to(world: World, moment: datetime) -> None:
    """Travel to ``moment``, running the beat jobs at each midnight crossed on the way."""
    while True:
        today = timezone.localdate()
        next_roll_over = datetime.combine(today + timedelta(days=1), datetime.min.time(), tzinfo=LONDON) + timedelta(
            minutes=5
        )
        if next_roll_over > moment:
            break
        world.traveller.move_to(next_roll_over)
        tasks.recompute_recent()
        _build()
    world.traveller.move_to(moment)


def _custody(world: World, suspect: Suspect, kind: str, n: int, **extra: Any) -> None:
    # Up to three days after the fact, but never before the suspect's last recorded event.
    last = suspect.custody_events.order_by("-occurred_at").values_list("occurred_at", flat=True).first()
    occurred = _now() - timedelta(hours=n % 73)
    if last is not None and occurred <= last:
        occurred = _now()
    if kind == CustodyEventKind.PRE_CHARGE_BAIL:
        start = timezone.localdate(occurred)
        extra.update(
            arrested_on=start - timedelta(days=1),
            bail_start_date=start,
            period_ends_on=start + timedelta(days=1 + n % 20),
            authority=Authority.CUSTODY_OFFICER,
        )
    cs.custody_event_record(
        suspect=suspect, details=CustodyDetails(kind=kind, occurred_at=occurred, **extra), by=world.people.officer
    )


def _step(world: World, action: str, n: int) -> None:
    p = world.people
    today = timezone.localdate()
    if action == "new_case":
        world.serial += 1
        case = cs.case_create(urn=f"10/AA/{world.serial}/26", details=cs.CaseDetails(summary="Assault"), by=p.officer)
        suspect = cs.suspect_add(case=case, details=cs.SuspectDetails("Sam", f"Doe{world.serial}"), by=p.officer)
        # Committed 181 to 186 days ago: a summary-only offence's six-month limit runs out within a few days
        # either side of today, so some have already been breached when they are recorded.
        cs.offence_add(
            case=case,
            details=cs.OffenceDetails(
                suspect=suspect, code=CODES[n % len(CODES)], committed_on=today - timedelta(days=181 + n % 6)
            ),
            by=p.officer,
        )
        rights: list[str] = [EnhancedRights.VULNERABLE_OR_INTIMIDATED] if n % 2 else []
        cs.victim_add(case=case, details=cs.VictimDetails("Alex", "Roe", enhanced_rights=rights), by=p.officer)
        world.cases.append(case)
    elif action == "refer":
        case = _pick([c for c in world.cases if not c.charging_requests.exists()], n)
        if case is None:
            return
        category = (ChargingCategory.GREEN, ChargingCategory.RED)[n % 2]
        request = ch.request_create(
            case=case,
            details=ch.Mg3Details(
                category=category,
                suspect_status="Released on bail",
                offence_summary="Punched the victim",
                proposed_charges="Assault",
                defence_account="No comment",
                lines_of_inquiry_done="CCTV seized",
                outstanding_evidence=[],
            ),
            by=p.officer,
        )
        request = ch.request_submit(request=request, by=p.officer)
        ch.request_approve(request=request, by=p.supervisor)
    elif action == "accept":
        request = _pick(_requests(world, RequestStatus.WITH_CPS_TRIAGE), n)
        if request is not None:
            ch.request_accept(request=request, by=p.paralegal)
    elif action == "allocate":
        request = _pick(_requests(world, RequestStatus.ACCEPTED_AWAITING_ALLOCATION), n)
        if request is not None:
            ch.request_allocate(request=request, by=p.lawyer)
    elif action == "decide":
        request = _pick(_requests(world, RequestStatus.ALLOCATED, RequestStatus.RESUBMITTED), n)
        if request is None:
            return
        outcome = (
            DecisionOutcome.CHARGE,
            DecisionOutcome.NO_FURTHER_ACTION_EVIDENTIAL,
            DecisionOutcome.ACTION_PLAN,
            DecisionOutcome.ACTION_PLAN,
        )[n % 4]
        extra: dict[str, Any] = {}
        if outcome == DecisionOutcome.CHARGE:
            extra = {
                "test_applied": CodeTest.FULL_CODE_TEST,
                "charges": [ch.ChargeDetails(offence=o) for o in request.case.offences.all()],
            }
        elif outcome == DecisionOutcome.ACTION_PLAN:
            due = today + timedelta(days=n % 5)
            extra = {"action_items": [ch.ActionItemDetails(action="Get CCTV", reason="Identification", due_on=due)]}
        ch.decision_record(request=request, by=p.lawyer, outcome=outcome, reasons="Reasons given", **extra)
    elif action == "answer":
        request = _pick(_requests(world, RequestStatus.ACTION_PLAN_ISSUED), n)
        if request is None:
            return
        for item in ch.current_action_items(request):
            if item.status == ActionItemStatus.OPEN:
                ch.action_item_answer(item=item, by=p.officer, status=ActionItemStatus.DONE, response="Done")
    elif action == "resubmit":
        request = _pick(_requests(world, RequestStatus.ACTION_PLAN_ISSUED), n)
        if request is not None:
            ch.request_resubmit(request=request, by=p.officer, summary="CCTV attached")
    elif action in ("bail", "extend_bail", "rui", "charge_event"):
        suspects = Suspect.objects.filter(case__in=world.cases).order_by("id")
        if action == "extend_bail":
            suspects = suspects.filter(custody_events__kind=CustodyEventKind.PRE_CHARGE_BAIL).distinct()
        suspect = _pick(list(suspects), n)
        if suspect is None:
            return
        if action == "bail":
            _custody(world, suspect, CustodyEventKind.PRE_CHARGE_BAIL, n)
        elif action == "extend_bail":
            _custody(
                world, suspect, CustodyEventKind.BAIL_EXTENDED, 0, period_ends_on=today + timedelta(days=21 + n % 30),
                authority=Authority.INSPECTOR,
            )  # fmt: skip
        elif action == "rui":
            _custody(world, suspect, CustodyEventKind.RELEASED_UNDER_INVESTIGATION, n)
        else:
            _custody(world, suspect, CustodyEventKind.CHARGED_AND_BAILED, n)
    elif action == "victim_update":
        victim = _pick(list(Victim.objects.filter(case__in=world.cases).order_by("id")), n)
        if victim is not None:
            given = today - timedelta(days=n % 2)
            cs.victim_update_record(
                victim=victim, reason="arrest", event_on=given - timedelta(days=n % 9), given_on=given,
                method="phone", summary="", by=p.officer,
            )  # fmt: skip
    elif action == "change_offence":
        case = _pick(world.cases, n)
        if case is None:
            return
        offence = case.offences.order_by("created_at", "id").first()
        assert offence is not None
        cs.offence_update(
            offence=offence,
            details=cs.OffenceDetails(
                suspect=offence.suspect, code=CODES[(n + 1) % len(CODES)], committed_on=offence.committed_on
            ),
            by=p.officer,
        )
    elif action == "alerts":
        alert_services.sweep_alerts(now=_now())
        alert_services.escalate_unacknowledged(now=_now())
    elif action == "acknowledge":
        alert = _pick(list(Alert.objects.filter(acknowledged_at__isnull=True).order_by("id")), n)
        if alert is not None:
            services_ack.acknowledge(alert, by=alert.recipient, note="Dealt with")
    elif action == "advance_hours":
        _advance_to(world, _now() + timedelta(hours=1 + n % 20))
    elif action == "advance_days":
        _advance_to(world, _now() + timedelta(days=1 + n % 2, hours=n % 5))


@pytest.mark.usefixtures("unit_a1", "offence_codes")
@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
# Cases where a change must mark days other than its own: bail recorded 60 hours after the fact (the days in
# between change population; its 14-day period means no deadline marks them), a bail period extended after it
# ran out (the breach leaves its old due day), and a case's first offence changed while its suspect is on bail
# (every day on bail moves offence group). Each fails if the marking it needs is removed.
@example(steps=[("bail", 133, True), ("advance_days", 0, False)])
@example(steps=[("bail", 0, True), ("advance_days", 1, True), ("extend_bail", 0, True)])
@example(steps=[("bail", 21, True), ("advance_days", 1, True), ("change_offence", 0, False)])
@given(
    steps=st.lists(st.tuples(st.sampled_from(ACTIONS), st.integers(0, 10_000), st.booleans()), min_size=1, max_size=10)
)
def test_incremental_snapshots_equal_a_recompute_from_scratch(
    steps: list[tuple[str, int, bool]],
    officer_a: User,
    supervisor_a: User,
    paralegal_north: User,
    lawyer_north: User,
    manager_police_a: User,
    manager_cps_north: User,
) -> None:
    _clear()
    people = People(officer_a, supervisor_a, paralegal_north, lawyer_north, [manager_police_a, manager_cps_north])
    with time_machine.travel(START, tick=False) as traveller:
        world = World(people=people, traveller=traveller)
        # One case from the start, so the steps that need one have something to act on.
        _step(world, "new_case", 0)
        _build()
        # A day later, so that the steps are not all on the day that case was opened.
        _advance_to(world, START + timedelta(days=1))
        # The builder runs after some steps and not others (it runs every two minutes, so changes pile up
        # between runs), always at the roll-over after midnight, and once more at the end.
        for action, n, build in steps:
            with contextlib.suppress(ValidationError, PermissionDenied):  # refused as a whole: nothing changed
                _step(world, action, n)
            traveller.shift(timedelta(minutes=7))
            if build:
                _build()
        _build()

        incremental = _snapshot_set()
        # The rollup the dashboards read, kept by adding and taking away days as they were rebuilt, equals
        # one built from scratch from the snapshots.
        incremental_rollup = _rollup_set()
        rebuild_months(FIRST_DAY, timezone.localdate())
        assert incremental_rollup == _rollup_set()
        for model in (MetricSnapshot, BuiltDay, MetricRollup):
            model.objects.all().delete()
        # Nothing can fall before this: the oldest offence is committed 186 days before the start, so its
        # six-month limit runs out at most 5 days before it; custody events go back at most three days.
        recompute_period(FIRST_DAY, timezone.localdate())
        assert incremental == _snapshot_set()
        assert incremental_rollup == _rollup_set()
