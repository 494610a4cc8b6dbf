"""Recomputing a case's deadlines: every deadline its facts give (``compute_deadlines``), upserted into its
``Deadline`` rows with each new or moved row's alert cursor (``recompute_case_deadlines``), on every change
to the case (``recompute_on_change``).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from ...choices import STATUTORY_DEADLINES
from ...hooks import is_being_created
from ...models import Case, Deadline
from .. import calculations
from ..calendar import WorkingCalendar
from ..holidays import calendar_from_db
from ..rules import DeadlineRules, get_rules, schedule_for
from .common import CANCELLED, CLOSED_CASE_STATUSES, KEPT_ON_CLOSED_CASES, MET, OPEN, Computed, RecomputeResult
from .decisions import _ChargingDecisions
from .facts import Facts, _annotate_charges, _load
from .limits import _StatutoryLimits

# -- what the facts give --------------------------------------------------------------------------


class _Builder(_StatutoryLimits, _ChargingDecisions):
    """Every deadline the facts give, each part in turn (the order of ``build`` is the order of ``out``)."""

    def build(self) -> list[Computed]:
        charged = self.charge_dates()
        self.time_limits(charged)
        self.detention()
        self.bail()
        self.released_under_investigation()
        self.custody_time_limits()
        self.charging()
        self.police_charges()
        if self.facts.case.status in CLOSED_CASE_STATUSES:
            self.out = [c for c in self.out if c.status != OPEN or c.kind in KEPT_ON_CLOSED_CASES]
        return self.out


def compute_deadlines(
    facts: Facts, *, now: datetime, calendar: WorkingCalendar, rules: DeadlineRules | None = None
) -> list[Computed]:
    """Every deadline the facts give, open or met (pure, given the facts)."""
    return _Builder(facts, now, calendar, rules or get_rules()).build()


# -- the upsert -----------------------------------------------------------------------------------


def first_alert_at(kind: str, due_at: datetime, now: datetime, calendar: WorkingCalendar) -> datetime:
    """Where the alert sweep's cursor starts for a new (or moved) deadline: the newest alert point already
    reached at ``now``, so the next sweep raises that one at once (a time limit first recorded 20 days before
    it runs out is alerted now, at its 30-day point, not in six days at its 14-day point; one already past is
    alerted as overdue); else the first point to come. The sweep raises only the newest point reached, and
    the unique constraint on alerts stops a moved deadline raising a point it already raised."""
    points = [moment for _threshold, moment in calculations.alert_times(schedule_for(kind), due_at, calendar)]
    reached = [moment for moment in points if moment <= now]
    return max(reached) if reached else points[0]


UPDATED_FIELDS = [
    "label",
    "due_at",
    "rule",
    "statutory",
    "status",
    "suspect",
    "offence",
    "next_alert_at",
    "met_at",
    "computed_at",
]


def _apply(case: Case, computed: list[Computed], now: datetime, calendar: WorkingCalendar) -> RecomputeResult:
    existing = {(d.kind, d.subject_key): d for d in Deadline.objects.filter(case=case)}
    stamp = timezone.now()
    seen: set[tuple[str, str]] = set()
    to_create: list[Deadline] = []
    to_update: list[Deadline] = []
    for c in computed:
        key = (str(c.kind), c.subject_key)
        if key in seen:
            continue
        seen.add(key)
        values: dict[str, Any] = {
            "label": c.label[:300],
            # In UTC: Python never finds two times in the repeated hour of the October clock change equal when
            # one is in Europe/London and the other in UTC (PEP 495), so the row would be rewritten every time.
            "due_at": c.due_at.astimezone(UTC),
            "rule": c.rule[:500],
            "statutory": c.kind in STATUTORY_DEADLINES,
            "status": c.status,
            "suspect_id": c.suspect_id,
            "offence_id": c.offence_id,
        }
        row = existing.get(key)
        # When it was met: what the facts say, else when it was first recorded as met (kept from then on).
        if c.status != MET:
            values["met_at"] = None
        elif c.met_at is not None:
            values["met_at"] = c.met_at.astimezone(UTC)
        else:
            already = row is not None and row.status == MET and row.met_at is not None
            values["met_at"] = row.met_at if already and row is not None else stamp
        next_alert: datetime | None = None
        if row is None:
            if c.status == OPEN:
                next_alert = first_alert_at(c.kind, c.due_at, now, calendar)
            to_create.append(
                Deadline(case=case, kind=c.kind, subject_key=c.subject_key, next_alert_at=next_alert, **values)
            )
            continue
        moved = row.due_at != values["due_at"]
        reopened = c.status == OPEN and row.status != OPEN
        changed = False
        for name, value in values.items():
            if getattr(row, name) != value:
                setattr(row, name, value)
                changed = True
        if c.status != OPEN:
            next_alert = None
        elif moved or reopened:
            next_alert = first_alert_at(c.kind, c.due_at, now, calendar)
        else:
            next_alert = row.next_alert_at
        if row.next_alert_at != next_alert:
            row.next_alert_at = next_alert
            changed = True
        if changed:
            row.computed_at = stamp
            to_update.append(row)
    cancelled = 0
    for key, row in existing.items():
        if key not in seen and row.status == OPEN:
            row.status, row.next_alert_at, row.computed_at = CANCELLED, None, stamp
            to_update.append(row)
            cancelled += 1
    if to_create:
        Deadline.objects.bulk_create(to_create)
    if to_update:
        Deadline.objects.bulk_update(to_update, UPDATED_FIELDS)
    return RecomputeResult(created=len(to_create), updated=len(to_update) - cancelled, cancelled=cancelled)


@transaction.atomic
def recompute_case_deadlines(case: Case, *, now: datetime | None = None) -> RecomputeResult:
    """Bring the case's stored deadlines into line with its facts (see the module docstring). Runs in the
    caller's transaction (a savepoint when there is one), so a change that is rolled back leaves the
    deadlines as they were; recomputing again with nothing changed writes nothing."""
    now = now or timezone.now()
    facts = _load(case.pk)
    _annotate_charges(facts)
    calendar = calendar_from_db()
    return _apply(facts.case, compute_deadlines(facts, now=now, calendar=calendar), now, calendar)


def recompute_on_change(case: Case) -> None:
    """The CASE_CHANGED_HOOKS entry: every write to a case recomputes its deadlines in its transaction.

    A case being created (``is_being_created``) has no facts and no stored deadlines, so its deadlines are worked
    out from no facts, without reading any; the result is nothing (no offence, custody, hearing or charging
    request gives a deadline), and nothing is written. Should a rule ever give a deadline from the case row
    alone, that is found here and the case is recomputed in full, with the holidays from the table: a holiday
    moves the day a deadline is due, never whether there is one."""
    if is_being_created(case):
        bare = Facts(case, suspects={}, offences=[], events={}, victims=[], hearings=[])
        if not compute_deadlines(bare, now=timezone.now(), calendar=WorkingCalendar()):
            return
    recompute_case_deadlines(case)
