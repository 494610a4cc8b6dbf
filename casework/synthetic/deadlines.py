"""The stored deadlines of a synthetic case and the alerts raised on them.

Deadlines are not re-implemented here: the application's own engine
(``casework.deadlines.store.compute_deadlines``) computes them from the case's records, and each new row's
alert cursor starts where ``store.first_alert_at`` puts it, exactly as ``recompute_case_deadlines`` would write
them at ``as_of`` - so recomputing a generated case changes nothing.

Alerts are what the two-minute sweep (``alerts.services.sweep_alerts``) and the escalation job would have raised
while the deadline was open: at each alert point reached (the newest one at the time the deadline appeared),
to the recipients ``alerts.policy`` names, with its text, urgency and acknowledgement rule; the cursor is left
at the next point after ``as_of``. Each has its outbox row, sent at once when urgent or in the next daily
digest (pending when that is after ``as_of``), with the attempt that sent it. Most are read; most statutory
ones are acknowledged with a note; overdue ones and unacknowledged statutory ones were escalated to managers.
Only deadlines still open at ``as_of`` carry alerts (the alerts of deadlines met since are not generated).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, cast

from alerts import policy
from casework.choices import STATUTORY_DEADLINES, DeadlineKind, DeadlineStatus
from casework.deadlines.calculations import alert_times
from casework.deadlines.calendar import WorkingCalendar
from casework.deadlines.rules import DeadlineRules, schedule_for
from casework.deadlines.store import Facts, compute_deadlines, first_alert_at
from charging.choices import RequestStatus

from .context import LONDON, local, london_date

if TYPE_CHECKING:
    from .cases import CaseStory

# How long before its due time each kind of deadline typically appears (for its created_at). [K]
LIFETIME: dict[str, timedelta] = {
    DeadlineKind.SUMMARY_TIME_LIMIT: timedelta(days=180),
    DeadlineKind.DA_TIME_LIMIT: timedelta(days=180),
    DeadlineKind.PACE_DETENTION: timedelta(hours=24),
    DeadlineKind.PACE_REVIEW: timedelta(hours=9),
    DeadlineKind.PRE_CHARGE_BAIL: timedelta(days=90),
    DeadlineKind.RUI_AGEING: timedelta(days=90),
    DeadlineKind.CUSTODY_TIME_LIMIT: timedelta(days=56),
    DeadlineKind.CHARGING_DECISION: timedelta(days=7),
    DeadlineKind.ACTION_PLAN_ITEM: timedelta(days=21),
    DeadlineKind.FIRST_HEARING_FILE: timedelta(days=14),
    DeadlineKind.THRESHOLD_TEST_REVIEW: timedelta(days=28),
    DeadlineKind.VICTIM_UPDATE: timedelta(days=3),
    DeadlineKind.VICTIM_RIGHT_TO_REVIEW: timedelta(days=14),
}
WEEK = timedelta(days=7)  # how long before its due time any other kind of deadline appears
CLOSED_REQUESTS = frozenset({RequestStatus.DECIDED, RequestStatus.ADMINISTRATIVELY_FINALISED})


@dataclass(slots=True)
class DeadlineRow:
    pk: int
    public_id: str
    kind: str
    subject_key: str
    suspect_id: int | None
    offence_id: int | None
    label: str
    due_at: datetime
    rule: str
    statutory: bool
    status: str
    next_alert_at: datetime | None
    created_at: datetime
    met_at: datetime | None = None


@dataclass(slots=True)
class AlertRow:
    pk: int
    public_id: str
    deadline_id: int
    recipient_id: int
    threshold: str
    due_at: datetime
    subject: str
    body: str
    urgent: bool
    requires_acknowledgement: bool
    created_at: datetime
    read_at: datetime | None = None
    acknowledged_at: datetime | None = None
    acknowledgement_note: str = ""
    dismissed_at: datetime | None = None
    escalated_at: datetime | None = None
    # Its outbox row: (pk, status, digest, attempts, sent_at) and the attempt that sent it (pk, at) if any.
    delivery: tuple[int, str, bool, int, datetime | None] | None = None
    attempt: tuple[int, datetime] | None = None


def facts_of(s: CaseStory) -> Facts:
    """The story's records in the shape ``compute_deadlines`` reads (duck-typed model instances)."""
    first_hearing = ("first_hearing_gap", "first_hearing_ngap", "first_hearing_crown")
    events = {pk: sorted(items, key=lambda e: (e.occurred_at, e.pk)) for pk, items in s.events.items()}
    return Facts(
        case=cast(Any, s.case),
        suspects={p.pk: cast(Any, p) for p in s.suspects},
        offences=cast(Any, sorted(s.offences, key=lambda o: (o.created_at, o.pk))),
        events=cast(Any, events),
        victims=cast(Any, sorted(s.victims, key=lambda v: (v.created_at, v.pk))),
        hearings=cast(Any, sorted(s.hearings, key=lambda h: (h.starts_at, h.pk))),
        requests=cast(Any, sorted(s.requests, key=lambda r: (r.created_at, r.pk))),
        police_charges=cast(Any, s.police_charges),
        first_hearing_files=[
            sub.submitted_at for sub in s.submissions if sub.stage in first_hearing and sub.submitted_at is not None
        ],
    )


def build(s: CaseStory, calendar: WorkingCalendar, rules: DeadlineRules) -> list[DeadlineRow]:
    """The case's deadlines as ``recompute_case_deadlines`` stores them at ``as_of``."""
    now = s.as_of
    rows: list[DeadlineRow] = []
    seen: set[tuple[str, str]] = set()
    for c in compute_deadlines(facts_of(s), now=now, calendar=calendar, rules=rules):
        key = (str(c.kind), c.subject_key)
        if key in seen:
            continue
        seen.add(key)
        opened = c.status == DeadlineStatus.OPEN
        created = max(s.case.created_at, min(c.due_at - LIFETIME.get(c.kind, WEEK), now))
        rows.append(
            DeadlineRow(
                pk=s.ids("deadline"),
                public_id=s.d.uuid(),
                kind=str(c.kind),
                subject_key=c.subject_key,
                suspect_id=c.suspect_id,
                offence_id=c.offence_id,
                label=c.label[:300],
                due_at=c.due_at,
                rule=c.rule[:500],
                statutory=c.kind in STATUTORY_DEADLINES,
                status=str(c.status),
                next_alert_at=first_alert_at(c.kind, c.due_at, now, calendar) if opened else None,
                created_at=created,
                # When it was met: what the facts say, else (as the store does) when it was first recorded as
                # met - here, by its due time.
                met_at=(getattr(c, "met_at", None) or min(c.due_at, now)) if c.status == DeadlineStatus.MET else None,
            )
        )
    return rows


class Alerts:
    """Raises the alerts of one case's open deadlines as the sweep and escalation would have."""

    def __init__(self, s: CaseStory, calendar: WorkingCalendar, rules: DeadlineRules) -> None:
        self.s = s
        self.calendar = calendar
        self.rules = rules
        ctx = s.chunk.ctx
        self.digest_hour = ctx.digest_hour
        self.escalate_after = timedelta(hours=ctx.escalate_after_hours)
        self.site = ctx.site_url.rstrip("/")

    def lawyer(self) -> int | None:
        """``alerts.services._allocated_lawyers``: an open request's lawyer first, else the latest decided one's."""
        best: tuple[bool, datetime, int] | None = None
        lawyer = None
        for request in self.s.requests:
            if request.allocated_lawyer_id is None or request.status == RequestStatus.WITHDRAWN:
                continue
            rank = (request.status not in CLOSED_REQUESTS, request.created_at, request.pk)
            if best is None or rank > best:
                best, lawyer = rank, request.allocated_lawyer_id
        return lawyer

    def recipients(self, kind: str) -> list[int]:
        s = self.s
        chosen: set[int] = set()
        for party in policy.recipients_for(kind):
            if party == policy.Party.OFFICER_IN_CASE:
                chosen.add(s.oic)
            elif party == policy.Party.SUPERVISOR:
                chosen.add(s.supervisor)
            else:
                lawyer = self.lawyer()
                if lawyer is not None:
                    chosen.add(lawyer)
                else:
                    chosen.update(s.area.managers)
        return sorted(chosen)

    def managers_of(self, recipient: int) -> list[int]:
        s = self.s
        organisation = s.ref.people[recipient].organisation_id
        if organisation == s.force.id:
            return [m for m in s.force.managers if m != recipient]
        office = s.ref.cps_direct if organisation == s.ref.cps_direct.id else s.ref.areas.get(organisation)
        return [m for m in (office.managers if office else []) if m != recipient]

    def raise_for(self, deadline: DeadlineRow) -> list[AlertRow]:
        """The alerts of one open deadline; moves its cursor to the next alert point after ``as_of``."""
        s = self.s
        now = s.as_of
        schedule = schedule_for(deadline.kind)
        points = alert_times(schedule, deadline.due_at, self.calendar, rules=self.rules)
        reached = [(threshold, moment) for threshold, moment in points if moment <= now]
        if not reached:
            return []
        deadline.next_alert_at = next((moment for _t, moment in points if moment > now), None)
        created = deadline.created_at
        sweeps: list[tuple[Any, datetime]] = []
        at_creation = [(t, m) for t, m in reached if m <= created]
        if at_creation:
            sweeps.append((at_creation[-1][0], created))
        sweeps.extend((t, m) for t, m in reached if m > created)
        recipients = self.recipients(deadline.kind)
        alerts: list[AlertRow] = []
        once: set[tuple[str, int]] = set()  # the unique constraint: (threshold, recipient) per deadline
        d = s.d
        for threshold, moment in sweeps:
            raised = min(moment + timedelta(seconds=d.randint(5, 119)), now)
            text = policy.alert_text(
                urn=s.case.urn,
                kind=deadline.kind,
                threshold=threshold,
                due_at=deadline.due_at,
                case_public_id=s.case.public_id,
                statutory=deadline.statutory,
            )
            urgent = policy.is_urgent(schedule=schedule, threshold_key=threshold.key, statutory=deadline.statutory)
            for recipient in recipients:
                if (threshold.key, recipient) in once:
                    continue
                once.add((threshold.key, recipient))
                alert = self._alert(deadline, recipient, threshold.key, text.subject, text.body, urgent, raised)
                alerts.append(alert)
                alerts.extend(self._escalate(deadline, alert, threshold.key == policy.OVERDUE, once))
        return alerts

    def _alert(
        self, deadline: DeadlineRow, recipient: int, threshold: str, subject: str, body: str, urgent: bool, at: datetime
    ) -> AlertRow:
        s, d = self.s, self.s.d
        now = s.as_of
        alert = AlertRow(
            pk=s.ids("alert"),
            public_id=d.uuid(),
            deadline_id=deadline.pk,
            recipient_id=recipient,
            threshold=threshold,
            due_at=deadline.due_at,
            subject=subject,
            body=body,
            urgent=urgent,
            requires_acknowledgement=policy.requires_acknowledgement(statutory=deadline.statutory),
            created_at=at,
        )
        read = at + timedelta(hours=d.uniform(0.1, 30))
        if read <= now and d.chance(0.8):
            alert.read_at = read
            if alert.requires_acknowledgement and d.chance(0.85):
                acknowledged = read + timedelta(minutes=d.randint(1, 240))
                if acknowledged <= now:
                    alert.acknowledged_at = acknowledged
                    alert.acknowledgement_note = d.choice(
                        (
                            "Noted: file being prepared today.",
                            "Supervisor aware; charge authorised this week.",
                            "Extension being sought.",
                            "Action in hand.",
                        )
                    )
            elif not alert.requires_acknowledgement and d.chance(0.3):
                alert.dismissed_at = read + timedelta(minutes=d.randint(1, 60))
                if alert.dismissed_at > now:
                    alert.dismissed_at = None
        self._deliver(alert)
        return alert

    def _deliver(self, alert: AlertRow) -> None:
        s, d = self.s, self.s.d
        now = s.as_of
        if alert.urgent:
            sent = alert.created_at + timedelta(seconds=d.randint(2, 90))
        else:
            day = london_date(alert.created_at)
            digest = local(day, self.digest_hour)
            if digest <= alert.created_at:
                digest = local(day + timedelta(days=1), self.digest_hour)
            sent = digest + timedelta(seconds=d.randint(1, 300))
        if sent <= now:
            alert.delivery = (s.ids("delivery"), "sent", not alert.urgent, 1, sent)
            alert.attempt = (s.ids("attempt"), sent)
        else:
            alert.delivery = (s.ids("delivery"), "pending", not alert.urgent, 0, None)

    def _escalate(
        self, deadline: DeadlineRow, alert: AlertRow, overdue: bool, once: set[tuple[str, int]]
    ) -> list[AlertRow]:
        """``alerts.services.escalate_unacknowledged``: an overdue alert, or a statutory one not acknowledged
        within the period, is copied once to the managers of the recipient's organisation."""
        s = self.s
        if overdue:
            due = alert.created_at
        elif alert.requires_acknowledgement and (
            alert.acknowledged_at is None or alert.acknowledged_at > alert.created_at + self.escalate_after
        ):
            due = alert.created_at + self.escalate_after
        else:
            return []
        if due > s.as_of:
            return []
        # The escalation job runs every few minutes: by ``as_of`` at the latest.
        at = min(due + timedelta(minutes=s.d.randint(1, 30)), s.as_of)
        alert.escalated_at = at
        key = f"{policy.ESCALATED_PREFIX}{alert.threshold}"
        managers = [m for m in self.managers_of(alert.recipient_id) if (key, m) not in once]
        once.update((key, m) for m in managers)
        text = policy.escalation_text(
            subject=alert.subject,
            body=alert.body,
            threshold_key=alert.threshold,
            after_hours=int(self.escalate_after.total_seconds() // 3600),
        )
        return [self._alert(deadline, manager, key, text.subject, text.body, True, at) for manager in managers]


__all__ = ["LONDON", "AlertRow", "Alerts", "DeadlineRow", "build", "facts_of"]
