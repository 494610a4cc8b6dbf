"""Raising delay alerts from the stored deadlines, and escalating the ones nobody acted on.

Both jobs are set-based and resumable. They take a batch of due rows in one query with ``SELECT ... FOR
UPDATE SKIP LOCKED`` (two overlapping runs never take the same rows and never wait for each other), work
out the whole batch with a handful of queries, write it with bulk statements and commit it before taking
the next. Only due rows are read: the cost follows the number of alerts to raise, not the number of cases.
A run stopped half way (a worker killed, a time limit) loses nothing: the next run carries on from the
rows not yet advanced.

"Exactly once" rests on the unique constraint ``alert_once_per_threshold`` (deadline, threshold,
recipient): every insert is ``ON CONFLICT DO NOTHING``, so a repeated sweep, an overlapping sweep, or a
deadline that moved and comes round to a threshold it already alerted, raise nothing new.

Who is told, what is urgent and what an alert says: ``alerts.policy``.

Delivery is not done here. Each alert actually created gets its outbox row (``AlertDelivery``) in the same
transaction; urgent ones are handed to ``alerts.delivery.enqueue_urgent(delivery_ids)`` after commit, when
that module provides it.
"""

from __future__ import annotations

import importlib
import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import User
from casework.choices import DeadlineStatus
from casework.deadlines.calculations import next_alert_at, thresholds_crossed
from casework.deadlines.calendar import WorkingCalendar
from casework.deadlines.holidays import calendar_from_db
from casework.deadlines.rules import DeadlineRules, ScheduleKind, get_rules, schedule_for
from casework.models import Case, Deadline
from charging.choices import RequestStatus
from charging.models import ChargingRequest

from . import policy
from .choices import DeliveryChannel, DeliveryStatus
from .models import Alert, AlertDelivery

logger = logging.getLogger(__name__)

# Charging requests whose allocated lawyer no longer owes anything on them (``charging.workflow``).
CLOSED_REQUEST_STATUSES = frozenset({RequestStatus.DECIDED, RequestStatus.ADMINISTRATIVELY_FINALISED})

# One statement per batch. ``d.id = ANY(...)`` lets the planner fetch the batch's rows by primary key instead
# of merging the whole index with the list.
_ADVANCE_SQL = """
UPDATE {deadline} AS d SET next_alert_at = v.next_alert_at
FROM unnest(%(ids)s::bigint[], %(next)s::timestamptz[]) AS v(id, next_alert_at)
WHERE d.id = v.id AND d.id = ANY(%(ids)s::bigint[])
"""

# The alerts and, for exactly those inserted, their outbox rows, in one statement. ``ON CONFLICT ON CONSTRAINT
# alert_once_per_threshold DO NOTHING`` is what makes an alert once (what ``bulk_create(ignore_conflicts=True)``
# does, without building a model instance and compiling every field of every row in Python, which was most of
# the sweep's time in benchmarks/alert_sweep.py); ``RETURNING`` says which rows were really inserted, so no
# re-select is needed to find them.
_INSERT_SQL = """
WITH new AS (
    INSERT INTO {alert} (public_id, deadline_id, case_id, recipient_id, threshold, due_at, subject, body, urgent,
                         requires_acknowledgement, acknowledgement_note, created_at)
    SELECT gen_random_uuid(), v.deadline_id, v.case_id, v.recipient_id, v.threshold, v.due_at, v.subject, v.body,
           v.urgent, v.requires_acknowledgement, '', %(created_at)s
    FROM unnest(%(deadline)s::bigint[], %(case)s::uuid[], %(recipient)s::bigint[], %(threshold)s::text[],
                %(due_at)s::timestamptz[], %(subject)s::text[], %(body)s::text[], %(urgent)s::boolean[],
                %(acknowledge)s::boolean[])
         AS v(deadline_id, case_id, recipient_id, threshold, due_at, subject, body, urgent, requires_acknowledgement)
    ON CONFLICT ON CONSTRAINT alert_once_per_threshold DO NOTHING
    RETURNING id, urgent
)
INSERT INTO {delivery} (alert_id, channel, status, digest, attempts, next_attempt_at, last_error, created_at)
SELECT id, %(channel)s, %(status)s, NOT urgent, 0, CASE WHEN urgent THEN %(now)s::timestamptz END, '', %(created_at)s
FROM new
RETURNING id, digest
"""


# -- recipients ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _CaseFacts:
    id: int
    public_id: str
    urn: str
    force_id: int
    unit_id: int | None
    cps_area_id: int | None
    officer_in_case_id: int | None
    supervisor_id: int | None


def _cases(case_ids: Iterable[int]) -> dict[int, _CaseFacts]:
    rows = Case.objects.filter(id__in=set(case_ids)).values_list(
        "id",
        "public_id",
        "urn",
        "force_id",
        "unit_id",
        "cps_area_id",
        "force__served_by_id",
        "officer_in_case_id",
        "supervisor_id",
    )
    return {
        pk: _CaseFacts(pk, str(public_id), urn, force, unit, area or served_by, oic, supervisor)
        for pk, public_id, urn, force, unit, area, served_by, oic, supervisor in rows
    }


def _allocated_lawyers(case_ids: set[int]) -> dict[int, int]:
    """Each case's allocated lawyer (``alerts.policy``): an open request's first, else the latest decided one's."""
    if not case_ids:
        return {}
    rows = (
        ChargingRequest.objects.filter(case_id__in=case_ids, allocated_lawyer__isnull=False)
        .exclude(status=RequestStatus.WITHDRAWN)
        .values_list("case_id", "allocated_lawyer_id", "status", "created_at", "id")
    )
    best: dict[int, tuple[bool, datetime, int, int]] = {}
    for case_id, lawyer_id, status, created_at, pk in rows:
        rank = (status not in CLOSED_REQUEST_STATUSES, created_at, pk, lawyer_id)
        if case_id not in best or rank > best[case_id]:
            best[case_id] = rank
    return {case_id: rank[3] for case_id, rank in best.items()}


class _Recipients:
    """Resolves the recipients of a whole batch of deadlines with a fixed number of queries."""

    def __init__(self, cases: dict[int, _CaseFacts], kinds_by_case: dict[int, set[str]]) -> None:
        self.cases = cases
        lawyer_cases = {
            case_id
            for case_id, kinds in kinds_by_case.items()
            if any(policy.Party.ALLOCATED_LAWYER in policy.recipients_for(kind) for kind in kinds)
        }
        self.lawyers = _allocated_lawyers(lawyer_cases)
        named = {
            pk
            for case in cases.values()
            for pk in (case.officer_in_case_id, case.supervisor_id, self.lawyers.get(case.id))
            if pk is not None
        }
        self.active = set(User.objects.filter(id__in=named, is_active=True).values_list("id", flat=True))
        self._unit_supervisors: dict[int, list[int]] = defaultdict(list)
        self._force_managers: dict[int, list[int]] = defaultdict(list)
        self._area_managers: dict[int, list[int]] = defaultdict(list)
        self._load_fallbacks(kinds_by_case)

    def _named(self, case: _CaseFacts, party: policy.Party) -> int | None:
        pk = {
            policy.Party.OFFICER_IN_CASE: case.officer_in_case_id,
            policy.Party.SUPERVISOR: case.supervisor_id,
            policy.Party.ALLOCATED_LAWYER: self.lawyers.get(case.id),
        }[party]
        return pk if pk in self.active else None

    def _load_fallbacks(self, kinds_by_case: dict[int, set[str]]) -> None:
        forces: set[int] = set()
        areas: set[int] = set()
        for case_id, kinds in kinds_by_case.items():
            case = self.cases[case_id]
            parties = {party for kind in kinds for party in policy.recipients_for(kind)}
            missing = {party for party in parties if self._named(case, party) is None}
            if missing & policy.POLICE_PARTIES:
                forces.add(case.force_id)
            if missing & policy.CPS_PARTIES and case.cps_area_id is not None:
                areas.add(case.cps_area_id)
        if not forces and not areas:
            return
        police_roles = [policy.POLICE_FALLBACK_UNIT_ROLE, policy.POLICE_FALLBACK_FORCE_ROLE]
        rows = User.objects.filter(is_active=True).filter(
            Q(organisation_id__in=forces, roles__overlap=police_roles)
            | Q(organisation_id__in=areas, roles__contains=[policy.CPS_FALLBACK_ROLE])
        )
        for pk, organisation_id, unit_id, roles in rows.values_list("id", "organisation_id", "unit_id", "roles"):
            if organisation_id in forces:
                if policy.POLICE_FALLBACK_UNIT_ROLE in roles and unit_id is not None:
                    self._unit_supervisors[unit_id].append(pk)
                if policy.POLICE_FALLBACK_FORCE_ROLE in roles:
                    self._force_managers[organisation_id].append(pk)
            if organisation_id in areas and policy.CPS_FALLBACK_ROLE in roles:
                self._area_managers[organisation_id].append(pk)

    def for_deadline(self, case: _CaseFacts, kind: str) -> list[int]:
        chosen: set[int] = set()
        for party in policy.recipients_for(kind):
            pk = self._named(case, party)
            if pk is not None:
                chosen.add(pk)
            elif party in policy.POLICE_PARTIES:
                unit = self._unit_supervisors.get(case.unit_id) if case.unit_id is not None else None
                chosen.update(unit or self._force_managers.get(case.force_id) or ())
            elif case.cps_area_id is not None:
                chosen.update(self._area_managers.get(case.cps_area_id, ()))
        return sorted(chosen)


# -- writing alerts --------------------------------------------------------------------------------


@dataclass
class _NewAlerts:
    """Alerts to insert, column by column (what ``unnest`` takes)."""

    deadline: list[int] = field(default_factory=list)
    case: list[str] = field(default_factory=list)
    recipient: list[int] = field(default_factory=list)
    threshold: list[str] = field(default_factory=list)
    due_at: list[datetime] = field(default_factory=list)
    subject: list[str] = field(default_factory=list)
    body: list[str] = field(default_factory=list)
    urgent: list[bool] = field(default_factory=list)
    acknowledge: list[bool] = field(default_factory=list)

    def add(
        self,
        *,
        deadline: int,
        case: str,
        recipients: Iterable[int],
        threshold: str,
        due_at: datetime,
        text: policy.AlertText,
        urgent: bool,
        acknowledge: bool,
    ) -> None:
        for recipient in recipients:
            self.deadline.append(deadline)
            self.case.append(case)
            self.recipient.append(recipient)
            self.threshold.append(threshold)
            self.due_at.append(due_at)
            self.subject.append(text.subject)
            self.body.append(text.body)
            self.urgent.append(urgent)
            self.acknowledge.append(acknowledge)

    def __len__(self) -> int:
        return len(self.deadline)


def _create_alerts(alerts: _NewAlerts, *, now: datetime) -> int:
    """Insert the alerts the unique constraint does not already hold, each with its outbox row (urgent: due
    ``now``; otherwise waiting for the daily digest); hand the urgent ones to delivery after commit. Returns
    how many alerts were created."""
    if not alerts:
        return 0
    params = {name: getattr(alerts, name) for name in _NewAlerts.__dataclass_fields__}
    params |= {
        "now": now,
        "created_at": timezone.now(),
        "channel": DeliveryChannel.EMAIL,
        "status": DeliveryStatus.PENDING,
    }
    sql = _INSERT_SQL.format(alert=Alert._meta.db_table, delivery=AlertDelivery._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        created = cursor.fetchall()
    urgent = [pk for pk, digest in created if not digest]
    if urgent:
        transaction.on_commit(partial(_enqueue_urgent, urgent))
    return len(created)


# -- the sweep -------------------------------------------------------------------------------------


def sweep_alerts(*, now: datetime | None = None, batch_size: int | None = None) -> int:
    """Raise the alerts of every open deadline whose next alert point has been reached; returns how many
    alerts were created.

    Per deadline only the newest threshold reached is raised (a deadline first seen five days before its
    limit gets the 7-day alert, not the 60-, 30- and 14-day ones as well; past the limit, the overdue one),
    and its cursor ``next_alert_at`` moves to the next alert point after ``now`` (null after the overdue
    point). Thresholds and points: ``casework.deadlines.calculations`` with the schedule of the deadline's
    kind (domain.md 12.2)."""
    now = now or timezone.now()
    size = batch_size or settings.ALERT_SWEEP_BATCH
    calendar = calendar_from_db()
    rules = get_rules()
    created = 0
    while True:
        batch_created, seen = _sweep_batch(now=now, size=size, calendar=calendar, rules=rules)
        created += batch_created
        if seen < size:
            return created


def _sweep_batch(*, now: datetime, size: int, calendar: WorkingCalendar, rules: DeadlineRules) -> tuple[int, int]:
    """One batch in one transaction: (alerts created, deadlines taken)."""
    with transaction.atomic(durable=True):
        rows = list(
            Deadline.objects.select_for_update(skip_locked=True)
            .filter(status=DeadlineStatus.OPEN, next_alert_at__lte=now)
            .order_by("next_alert_at", "id")
            .values_list("id", "case_id", "kind", "due_at", "statutory")[:size]
        )
        if not rows:
            return 0, 0
        kinds_by_case: dict[int, set[str]] = defaultdict(set)
        for _pk, case_id, kind, _due, _statutory in rows:
            kinds_by_case[case_id].add(kind)
        cases = _cases(kinds_by_case)
        recipients = _Recipients(cases, kinds_by_case)
        schedules: dict[str, ScheduleKind] = {}

        alerts = _NewAlerts()
        advanced_ids: list[int] = []
        advanced_to: list[datetime | None] = []
        for pk, case_id, kind, due_at, statutory in rows:
            schedule = schedules.get(kind) or schedules.setdefault(kind, schedule_for(kind))
            advanced_ids.append(pk)
            advanced_to.append(next_alert_at(schedule, due_at, now, calendar, rules=rules))
            crossed = thresholds_crossed(schedule, due_at, now, calendar, rules=rules)
            case = cases.get(case_id)
            if not crossed or case is None:
                continue
            threshold = crossed[-1]
            people = recipients.for_deadline(case, kind)
            if not people:
                logger.warning("No one to tell of deadline %s (%s) on case %s", pk, kind, case.public_id)
                continue
            alerts.add(
                deadline=pk,
                case=case.public_id,
                recipients=people,
                threshold=threshold.key,
                due_at=due_at,
                text=policy.alert_text(
                    urn=case.urn,
                    kind=kind,
                    threshold=threshold,
                    due_at=due_at,
                    case_public_id=case.public_id,
                    statutory=statutory,
                ),
                urgent=policy.is_urgent(schedule=schedule, threshold_key=threshold.key, statutory=statutory),
                acknowledge=policy.requires_acknowledgement(statutory=statutory),
            )

        created = _create_alerts(alerts, now=now)
        with connection.cursor() as cursor:
            cursor.execute(
                _ADVANCE_SQL.format(deadline=Deadline._meta.db_table), {"ids": advanced_ids, "next": advanced_to}
            )
        return created, len(rows)


def _enqueue_urgent(delivery_ids: list[int]) -> None:
    """Hand urgent deliveries to ``alerts.delivery.enqueue_urgent`` if that module provides it. Without it
    nothing is lost: the outbox rows are due now and the periodic delivery job sends them."""
    try:
        delivery = importlib.import_module("alerts.delivery")
    except ModuleNotFoundError as exc:
        if exc.name != "alerts.delivery":
            raise
        return
    enqueue = getattr(delivery, "enqueue_urgent", None)
    if enqueue is not None:
        enqueue(delivery_ids)


# -- escalation ------------------------------------------------------------------------------------


def escalate_unacknowledged(*, now: datetime | None = None, batch_size: int | None = None) -> int:
    """Tell the managers of the recipient's organisation (police managers, CPS legal managers) of every
    alert of an open deadline that is overdue, or that had to be acknowledged and was not within
    ``ALERT_ESCALATE_AFTER_HOURS``. Each manager gets one copy per deadline and threshold, with the
    threshold ``escalated:<key>`` (so the unique constraint makes it once), urgent; the original is
    stamped ``escalated_at`` and never escalated again. Returns how many copies were created."""
    now = now or timezone.now()
    size = batch_size or settings.ALERT_SWEEP_BATCH
    after_hours = int(settings.ALERT_ESCALATE_AFTER_HOURS)
    created = 0
    while True:
        batch_created, seen = _escalate_batch(now=now, size=size, after_hours=after_hours)
        created += batch_created
        if seen < size:
            return created


def _escalate_batch(*, now: datetime, size: int, after_hours: int) -> tuple[int, int]:
    cutoff = now - timedelta(hours=after_hours)
    with transaction.atomic(durable=True):
        rows = list(
            Alert.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(escalated_at__isnull=True, deadline__status=DeadlineStatus.OPEN)
            .exclude(threshold__startswith=policy.ESCALATED_PREFIX)
            .filter(
                Q(threshold=policy.OVERDUE)
                | Q(requires_acknowledgement=True, acknowledged_at__isnull=True, created_at__lte=cutoff)
            )
            .order_by("created_at", "id")
            .values_list(
                "id",
                "deadline_id",
                "case_id",
                "recipient_id",
                "recipient__organisation_id",
                "threshold",
                "due_at",
                "subject",
                "body",
                "requires_acknowledgement",
            )[:size]
        )
        if not rows:
            return 0, 0
        organisations = {row[4] for row in rows if row[4] is not None}
        managers: dict[int, list[int]] = defaultdict(list)
        for pk, organisation_id in User.objects.filter(
            is_active=True, organisation_id__in=organisations, roles__overlap=list(policy.ESCALATION_ROLES)
        ).values_list("id", "organisation_id"):
            managers[organisation_id].append(pk)

        copies = _NewAlerts()
        for _pk, deadline_id, case_id, recipient_id, organisation_id, threshold, due_at, subject, body, ack in rows:
            told = [m for m in managers.get(organisation_id, ()) if m != recipient_id]
            if not told:
                logger.warning("No manager to escalate alert on deadline %s to", deadline_id)
                continue
            copies.add(
                deadline=deadline_id,
                case=str(case_id),
                recipients=told,
                threshold=f"{policy.ESCALATED_PREFIX}{threshold}",
                due_at=due_at,
                text=policy.escalation_text(
                    subject=subject, body=body, threshold_key=threshold, after_hours=after_hours
                ),
                urgent=True,
                acknowledge=ack,
            )
        created = _create_alerts(copies, now=now)
        Alert.objects.filter(id__in=[row[0] for row in rows]).update(escalated_at=now)
        return created, len(rows)
