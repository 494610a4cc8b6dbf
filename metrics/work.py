"""Your work: live counts of one person's own work, for officers and lawyers, who have no organisation-wide
figures (``metrics.selectors.metrics_scope_for``).

These are read from the person's own rows, not from the snapshots: each count is one indexed query over
what the person owns (the officer's cases, the lawyer's allocations and decisions), always narrowed to the
cases they may still see (``accounts.access``), so the cost follows one person's workload, never the number of
cases in the system.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from django.utils import timezone

from accounts.access import case_scope_for
from accounts.models import User
from alerts.selectors import AlertFilters, alerts_for
from charging.choices import FINAL_OUTCOMES, INTERIM_OUTCOMES, ActionItemStatus, RequestStatus
from charging.models import ActionPlanItem, ChargingDecision, ChargingRequest
from charging.selectors import QueueFilters, charging_queue_for

# A charging request still open: not decided, withdrawn or administratively finalised.
CLOSED_REQUEST_STATUSES = (
    RequestStatus.DECIDED,
    RequestStatus.WITHDRAWN,
    RequestStatus.ADMINISTRATIVELY_FINALISED,
)


@dataclass(frozen=True)
class OfficerWork:
    open_requests: int
    open_actions: int
    overdue_actions: int
    alerts_waiting: int


@dataclass(frozen=True)
class LawyerWork:
    allocated: int
    overdue: int
    decisions_this_month: int
    interim_this_month: int
    month_start: date


def officer_work_for(*, user: User, today: date | None = None) -> OfficerWork:
    """The officer's own cases (they are its officer in case): charging requests still open, action plan
    items the police have not answered (and those past their due date), and their alerts not yet
    acknowledged."""
    today = today or timezone.localdate()
    scope = case_scope_for(user).as_q("case__")
    requests = ChargingRequest.objects.filter(scope, case__officer_in_case_id=user.pk)
    items = ActionPlanItem.objects.filter(
        case_scope_for(user).as_q("request__case__"),
        request__case__officer_in_case_id=user.pk,
        request__status=RequestStatus.ACTION_PLAN_ISSUED,
        status=ActionItemStatus.OPEN,
    )
    return OfficerWork(
        open_requests=requests.exclude(status__in=CLOSED_REQUEST_STATUSES).count(),
        open_actions=items.count(),
        overdue_actions=items.filter(due_on__lt=today).count(),
        alerts_waiting=alerts_for(user=user, filters=AlertFilters(unacknowledged=True)).count(),
    )


def lawyer_work_for(*, user: User, today: date | None = None) -> LawyerWork:
    """The lawyer's allocations in the charging queue (and those past the category's time aim), and the
    charging decisions they recorded since the first of this month (final decisions, and action plans or
    early advice, counted apart)."""
    today = today or timezone.localdate()
    month_start = today.replace(day=1)
    since: datetime = timezone.make_aware(datetime.combine(month_start, time.min))
    decisions = ChargingDecision.objects.filter(
        case_scope_for(user).as_q("request__case__"), decided_by_id=user.pk, decided_at__gte=since
    )
    return LawyerWork(
        allocated=charging_queue_for(user=user, filters=QueueFilters(mine=True)).count(),
        overdue=charging_queue_for(user=user, filters=QueueFilters(mine=True, overdue=True)).count(),
        decisions_this_month=decisions.filter(outcome__in=FINAL_OUTCOMES).count(),
        interim_this_month=decisions.filter(outcome__in=INTERIM_OUTCOMES).count(),
        month_start=month_start,
    )
