"""Action plan metrics: the turnaround from an action plan to the police resubmission, and the action
plan items answered on time.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery

from charging.choices import ANSWERED_STATUSES, INTERIM_OUTCOMES
from charging.models import ActionPlanItem, ChargingDecision, Resubmission

from ...dimensions import case_dimension_values
from ...registry import CategoryKind, Contribution, Metric, MetricUnit, Owner, register
from .._common import counts, day_bounds, period_bounds
from .helpers import NDAYS, _cases_of, day_contributions, days_between, local_date

# ---------------------------------------------------------------------------------------------
# Action plans


def _resubmissions(since: datetime, until: datetime) -> QuerySet[Resubmission]:
    """Resubmissions (MG3A, and reopenings of finalised requests) in [since, until), with ``ndays`` since the
    action plan or early advice they answer: the latest one issued on the request before them."""
    plan = ChargingDecision.objects.filter(
        request=OuterRef("request"), outcome__in=INTERIM_OUTCOMES, decided_at__lte=OuterRef("submitted_at")
    ).order_by("-decided_at", "-id")
    return (
        Resubmission.objects.filter(submitted_at__gte=since, submitted_at__lt=until)
        .annotate(plan_at=Subquery(plan.values("decided_at")[:1]))
        .filter(plan_at__isnull=False)
        .annotate(ndays=days_between(local_date("plan_at"), local_date("submitted_at")))
    )


def _action_plan_turnaround(day: date) -> Iterable[Contribution]:
    rows = (
        _resubmissions(*day_bounds(day))
        .values(NDAYS, **case_dimension_values("request__case__"), category_=F("request__category"))
        .annotate(n=Count("id"))
    )
    return day_contributions(rows)


ACTION_PLAN_TURNAROUND = register(
    Metric(
        id="action_plan_turnaround",
        category_kind=CategoryKind.CHARGING,
        name="Action plan turnaround",
        definition=(
            "For each police resubmission on the day (an MG3A answering an action plan or early advice, or the "
            "reopening of an administratively finalised request when the material arrived), the calendar days "
            "from the action plan it answers (the latest one issued on the request before it) to the "
            "resubmission; mean, median and 90th percentile."
        ),
        numerator="Total days from action plan to resubmission, over the resubmissions on the day",
        denominator="Resubmissions (MG3A or reopening) on the day",
        unit=MetricUnit.DAYS,
        owner=Owner.POLICE,
        reads=(
            "charging.Resubmission.submitted_at",
            "charging.ChargingDecision.outcome",
            "charging.ChargingDecision.decided_at",
            "charging.ChargingRequest.category",
        ),
        version=1,
        compute=_action_plan_turnaround,
        cases=lambda start, end: _cases_of(_resubmissions(*period_bounds(start, end)), "request__case_id"),
    )
)


def _answered(since: datetime, until: datetime) -> QuerySet[ActionPlanItem]:
    return ActionPlanItem.objects.filter(
        status__in=ANSWERED_STATUSES, responded_at__gte=since, responded_at__lt=until
    ).annotate(answered_on=local_date("responded_at"))


def _action_items_on_time(day: date) -> Iterable[Contribution]:
    rows = (
        _answered(*day_bounds(day))
        .values(**case_dimension_values("request__case__"), category_=F("request__category"))
        .annotate(n=Count("id", filter=Q(answered_on__lte=F("due_on"))), d=Count("id"))
    )
    return counts(rows, "n", "d")


ACTION_ITEMS_ON_TIME = register(
    Metric(
        id="action_items_on_time",
        category_kind=CategoryKind.CHARGING,
        name="Action plan items answered on time",
        definition=(
            "Of the action plan items the police answered on the day (done, cannot be done, or disputed), the "
            "share answered on or before their due date. An answer changed before the resubmission counts on the "
            "day of its latest change (only that is kept); an item never answered is not counted here (see "
            "administrative finalisations)."
        ),
        numerator="Action plan items answered on the day, on or before their due date",
        denominator="Action plan items answered on the day",
        unit=MetricUnit.PERCENT,
        owner=Owner.POLICE,
        reads=(
            "charging.ActionPlanItem.status",
            "charging.ActionPlanItem.responded_at",
            "charging.ActionPlanItem.due_on",
        ),
        version=1,
        compute=_action_items_on_time,
        cases=lambda start, end: _cases_of(_answered(*period_bounds(start, end)), "request__case_id"),
    )
)
