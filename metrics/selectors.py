"""Reading the snapshots: a metric's values by period and dimension, for what the user may see.

Only ``MetricSnapshot`` rows are read, grouped in the database, so the cost follows the number of periods
and dimension values asked for, not the number of cases. Who sees what (``metrics_scope_for``):
- police managers: their force; CPS legal managers: the forces their Area serves (a joint view of a force and
  the Area that serves it is the same numbers for both sides, because both read the same rows);
- everyone else: no organisation-wide figures (officers and lawyers get their own work on the dashboard).
Bad input raises ``MetricQueryError`` with a message saying exactly what is wrong.
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Max, Q, QuerySet, Sum
from django.db.models.functions import TruncDay, TruncMonth, TruncWeek

from accounts.choices import OrganisationKind, Role
from accounts.models import Organisation, User
from casework.models import Case
from casework.selectors import case_list_visible_to

from .dimensions import DIMENSIONS, offence_group_expression
from .models import MetricSnapshot
from .registry import HISTOGRAM_DAYS, REGISTRY, Metric, MetricUnit

GRAINS = ("day", "week", "month")
# The longest period one query may cover (a year of days, or five years of months and weeks).
MAX_DAYS = {"day": 366, "week": 5 * 366, "month": 5 * 366}

UNKNOWN_METRIC = "There is no metric called “{value}”: see the metric definitions for the ones there are"
UNKNOWN_DIMENSION = "“{value}” is not a dimension: choose one of {choices}"
UNKNOWN_GRAIN = "“{value}” is not a period length: choose day, week or month"
PERIOD_BACKWARDS = "The period ends before it starts"
PERIOD_TOO_LONG = "A period of {days} days is too long for figures by {grain}: at most {max} days"
FORCE_OUT_OF_SCOPE = "You cannot see figures for that force"
NO_SCOPE = "Only police managers and CPS legal managers see organisation-wide figures"


class MetricQueryError(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True)
class MetricsScope:
    """The forces whose figures the user may see (``None``: every force)."""

    force_ids: frozenset[int] | None

    @property
    def is_empty(self) -> bool:
        return self.force_ids is not None and not self.force_ids

    def q(self) -> Q:
        if self.force_ids is None:
            return Q()
        return Q(force_id__in=self.force_ids)


def metrics_scope_for(user: User) -> MetricsScope:
    if not (user.is_authenticated and user.is_active and user.organisation_id is not None):
        return MetricsScope(frozenset())
    organisation = user.organisation
    assert organisation is not None
    if user.is_police and user.has_role(Role.POLICE_MANAGER):
        return MetricsScope(frozenset({organisation.pk}))
    if user.is_cps and user.has_role(Role.CPS_LEGAL_MANAGER) and organisation.kind == OrganisationKind.CPS_AREA:
        served = Organisation.objects.filter(kind=OrganisationKind.POLICE_FORCE, served_by=organisation)
        return MetricsScope(frozenset(served.values_list("pk", flat=True)))
    return MetricsScope(frozenset())


@dataclass(frozen=True)
class MetricQuery:
    metric: str
    start: date
    end: date
    grain: str = "month"
    group_by: str = ""
    # dimension -> value (force/unit/cps_area: primary key; offence_group/category: the code)
    filters: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Point:
    period: date
    group: Any
    value: float | None
    numerator: float
    denominator: float
    median: float | None = None
    p90: float | None = None


def validate(query: MetricQuery) -> Metric:
    metric = REGISTRY.get(query.metric)
    if metric is None:
        raise MetricQueryError("metric", UNKNOWN_METRIC.format(value=query.metric))
    if query.grain not in GRAINS:
        raise MetricQueryError("grain", UNKNOWN_GRAIN.format(value=query.grain))
    choices = ", ".join(DIMENSIONS)
    for name in [query.group_by, *query.filters]:
        if name and name not in DIMENSIONS:
            raise MetricQueryError(
                "group_by" if name == query.group_by else name, UNKNOWN_DIMENSION.format(value=name, choices=choices)
            )
    if query.end < query.start:
        raise MetricQueryError("end", PERIOD_BACKWARDS)
    days = (query.end - query.start).days + 1
    if days > MAX_DAYS[query.grain]:
        raise MetricQueryError("start", PERIOD_TOO_LONG.format(days=days, grain=query.grain, max=MAX_DAYS[query.grain]))
    return metric


def _snapshots(query: MetricQuery, scope: MetricsScope) -> QuerySet[MetricSnapshot]:
    qs = MetricSnapshot.objects.filter(metric=query.metric, day__gte=query.start, day__lte=query.end).filter(scope.q())
    for name, value in query.filters.items():
        column = f"{name}_id" if name in ("force", "unit", "cps_area") else name
        qs = qs.filter(**{column: value})
    return qs


def _period_start(day: date, grain: str) -> date:
    if grain == "month":
        return day.replace(day=1)
    if grain == "week":
        return day - timedelta(days=day.weekday())
    return day


def _period_end(start: date, grain: str) -> date:
    if grain == "month":
        return start.replace(day=calendar.monthrange(start.year, start.month)[1])
    if grain == "week":
        return start + timedelta(days=6)
    return start


def percentile(histogram: list[int], fraction: float) -> float | None:
    """The smallest whole number of days that at least ``fraction`` of the values do not exceed."""
    total = sum(histogram)
    if not total:
        return None
    needed, running = fraction * total, 0
    for days, count in enumerate(histogram):
        running += count
        if running >= needed:
            return float(days)
    return float(HISTOGRAM_DAYS - 1)


def value_of(metric: Metric, numerator: float, denominator: float) -> float | None:
    if metric.unit == MetricUnit.COUNT:
        return numerator
    if not denominator:
        return None
    if metric.unit == MetricUnit.PERCENT:
        return 100.0 * numerator / denominator
    return numerator / denominator


def _histogram_sums(qs: QuerySet[MetricSnapshot], group_column: str) -> list[tuple[date, Any, int, int]]:
    """The histograms of ``qs`` added up in the database, per day (and group): only the buckets that hold
    something come back, as (day, group, bucket, count), so no 366-long array is read per row."""
    rows = qs.exclude(histogram=None).values("day", "histogram", *([group_column] if group_column else []))
    try:
        inner, params = rows.query.sql_with_params()
    except EmptyResultSet:
        return []
    # The column name comes from the fixed dimension names (``validate``); every value is a parameter.
    group = f', s."{group_column}"' if group_column else ""
    select = f'SELECT s."day"{group or ", NULL"}, u.i - 1, SUM(u.h) FROM ({inner}) AS s '  # noqa: S608
    sql = select + "CROSS JOIN LATERAL unnest(s.histogram) WITH ORDINALITY AS u(h, i) "
    sql += f'WHERE u.h > 0 GROUP BY s."day"{group}, u.i'
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [(day, grp, int(index), int(count)) for day, grp, index, count in cursor.fetchall()]


def metric_series(query: MetricQuery, *, user: User) -> list[Point]:
    """The metric's value per period (and per value of ``group_by``), in period order. A stock metric takes
    each period's last day with data; a flow metric adds up the period's days."""
    return _aggregate(query, user, whole=False)


def metric_total(query: MetricQuery, *, user: User) -> list[Point]:
    """The metric over the whole of ``start``..``end`` (per value of ``group_by``): one point each, dated
    ``start``, with the median and 90th percentile of the whole period for day metrics. A stock metric takes
    the period's last day with data."""
    return _aggregate(query, user, whole=True)


def _aggregate(query: MetricQuery, user: User, *, whole: bool) -> list[Point]:
    metric = validate(query)
    scope = metrics_scope_for(user)
    if scope.is_empty:
        raise MetricQueryError("metric", NO_SCOPE)
    force = query.filters.get("force")
    if force is not None and scope.force_ids is not None and int(force) not in scope.force_ids:
        raise MetricQueryError("force", FORCE_OUT_OF_SCOPE)

    def bucket(day: date) -> date:
        return query.start if whole else _period_start(day, query.grain)

    qs = _snapshots(query, scope)
    group_column = ""
    if query.group_by:
        group_column = f"{query.group_by}_id" if query.group_by in ("force", "unit", "cps_area") else query.group_by
    if metric.stock:
        # The last day built in each period (or in the whole period), then that day's rows. The last day is found
        # across every force, not only the user's: a force whose population fell to nothing has no rows that day
        # and must show nothing, not an earlier day's figure.
        built = MetricSnapshot.objects.filter(metric=query.metric, day__gte=query.start, day__lte=query.end)
        if whole:
            last = built.aggregate(last=Max("day"))["last"]
            last_days = {last} if last else set()
        else:
            trunc = {"month": TruncMonth, "week": TruncWeek, "day": TruncDay}[query.grain]("day")
            periods = built.annotate(period=trunc).values("period").annotate(last=Max("day"))
            last_days = {row["last"] for row in periods}
        qs = qs.filter(day__in=last_days)
    group_keys = ["day", group_column] if group_column else ["day"]
    per_day = qs.values(*group_keys).annotate(n=Sum("numerator"), d=Sum("denominator")).order_by(*group_keys)
    sums: dict[tuple[date, Any], list[float]] = defaultdict(lambda: [0.0, 0.0])
    for row in per_day:
        key = (bucket(row["day"]), row.get(group_column) if group_column else None)
        sums[key][0] += row["n"] or 0.0
        sums[key][1] += row["d"] or 0.0
    histograms: dict[tuple[date, Any], list[int]] = {}
    if metric.unit == MetricUnit.DAYS:
        for day, group, index, count in _histogram_sums(qs, group_column):
            key = (bucket(day), group)
            histograms.setdefault(key, [0] * HISTOGRAM_DAYS)[index] += count
    points = []
    for (period, group), (n, d) in sorted(sums.items(), key=lambda item: (item[0][0], str(item[0][1]))):
        histogram = histograms.get((period, group))
        points.append(
            Point(
                period=period,
                group=group,
                value=value_of(metric, n, d),
                numerator=n,
                denominator=d,
                median=percentile(histogram, 0.5) if histogram else None,
                p90=percentile(histogram, 0.9) if histogram else None,
            )
        )
    return points


def period_bounds(period: date, grain: str) -> tuple[date, date]:
    start = _period_start(period, grain)
    return start, _period_end(start, grain)


def cases_behind(query: MetricQuery, *, user: User) -> QuerySet[Case]:
    """The cases behind a number (drill-down): the metric's own cases for the period, narrowed by the
    dimension filters, and only those the user may see (``casework.selectors.case_list_visible_to``)."""
    metric = validate(query)
    qs = metric.cases(query.start, query.end)
    for name, value in query.filters.items():
        if name in ("force", "unit", "cps_area"):
            qs = qs.filter(**{f"{name}_id": value})
        elif name == "offence_group":
            qs = qs.annotate(_offence_group=offence_group_expression()).filter(_offence_group=value)
        elif name == "category":
            qs = qs.filter(charging_requests__category=value)
    visible = case_list_visible_to(user=user)
    return visible.filter(pk__in=qs.values("pk")).order_by("-updated_at", "-id")
