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
from bisect import bisect_left, bisect_right
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Q, QuerySet, Sum

from accounts.choices import OrganisationKind, Role
from accounts.models import Organisation, User
from casework.models import Case
from casework.selectors import case_list_visible_to
from config.db_router import connection_for_read

from .dimensions import DIMENSIONS, offence_group_expression
from .models import ALL_CATEGORIES, BuiltDay, MetricRollup, MetricSnapshot
from .registry import HISTOGRAM_DAYS, REGISTRY, CategoryKind, Metric, MetricUnit

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
NOT_SPLIT = "{name} is not split into categories"
UNKNOWN_CATEGORY_VALUE = "“{value}” is not a {kind} of {name}: choose one of {choices}"


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
    _validate_category(metric, query)
    if query.end < query.start:
        raise MetricQueryError("end", PERIOD_BACKWARDS)
    days = (query.end - query.start).days + 1
    if days > MAX_DAYS[query.grain]:
        raise MetricQueryError("start", PERIOD_TOO_LONG.format(days=days, grain=query.grain, max=MAX_DAYS[query.grain]))
    return metric


def _validate_category(metric: Metric, query: MetricQuery) -> None:
    """A breakdown or filter by category needs a metric split into categories, and a value it can hold (what
    ``category`` holds depends on the metric: ``Metric.category_kind``)."""
    asked = "category" in query.filters or query.group_by == "category"
    if not asked:
        return
    field = "category" if "category" in query.filters else "group_by"
    if metric.category_kind == CategoryKind.NONE:
        raise MetricQueryError(field, NOT_SPLIT.format(name=metric.name))
    value = query.filters.get("category")
    labels = metric.category_labels()
    if value is not None and value != "" and labels and value not in labels:
        raise MetricQueryError(
            "category",
            UNKNOWN_CATEGORY_VALUE.format(
                value=value,
                kind=metric.category_label[:1].lower() + metric.category_label[1:],
                name=metric.name,
                choices=", ".join(labels),
            ),
        )


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
    with connections[qs.db].cursor() as cursor:  # the replica, where there is one (config.db_router)
        cursor.execute(sql, params)
        return [(day, grp, int(index), int(count)) for day, grp, index, count in cursor.fetchall()]


def metric_series(query: MetricQuery, *, user: User) -> list[Point]:
    """The metric's value per period (and per value of ``group_by``), in period order. A stock metric takes
    each period's last built day; a flow metric adds up the period's days."""
    return SnapshotReader(user).series(query)


def metric_total(query: MetricQuery, *, user: User) -> list[Point]:
    """The metric over the whole of ``start``..``end`` (per value of ``group_by``): one point each, dated
    ``start``, with the median and 90th percentile of the whole period for day metrics. A stock metric takes
    the period's last built day."""
    return SnapshotReader(user).total(query)


# What the rollup (``MetricRollup``) can answer: filters by force and category, and a breakdown by one
# dimension (or by force: every rollup row has its force).
ROLLUP_FILTERS = frozenset({"force", "category"})
ROLLUP_DIMENSIONS = frozenset({"unit", "cps_area", "offence_group"})
# Sources of a period's figure in the rollup: ("month", first day of the month) or ("day", the day).
Source = tuple[str, date]


def _month_end(day: date) -> date:
    return _period_end(day.replace(day=1), "month")


class SnapshotReader:
    """The reads of one page or request. Each figure comes from the rollup when it can (whole months, and the
    days of part-months), in a few queries shared by every metric the page shows; otherwise, from the daily
    snapshots (a breakdown of a part-month, a filter by unit or offence group, figures by week or day).

    ``prefetch(start, end)`` says which period the page will read, so the built days and rollup rows of
    every metric in it are fetched once each."""

    def __init__(self, user: User) -> None:
        self.user = user
        self.scope = metrics_scope_for(user)
        self._window: tuple[date, date] | None = None
        self._built: dict[tuple[date, date], dict[str, dict[date, list[date]]]] = {}
        self._rows: dict[tuple[Any, ...], dict[tuple[str, date], list[tuple[Any, ...]]]] = {}
        # For the page built on this reader to keep what it looked up once (names of units, say).
        self.memo: dict[Any, Any] = {}

    def prefetch(self, start: date, end: date) -> None:
        self._window = (start.replace(day=1), _month_end(end))

    def series(self, query: MetricQuery) -> list[Point]:
        return self._aggregate(query, whole=False)

    def total(self, query: MetricQuery) -> list[Point]:
        return self._aggregate(query, whole=True)

    # -- checks -------------------------------------------------------------------------------------------

    def _check(self, query: MetricQuery) -> Metric:
        metric = validate(query)
        if self.scope.is_empty:
            raise MetricQueryError("metric", NO_SCOPE)
        force = query.filters.get("force")
        if force is not None and self.scope.force_ids is not None and int(force) not in self.scope.force_ids:
            raise MetricQueryError("force", FORCE_OUT_OF_SCOPE)
        return metric

    def _aggregate(self, query: MetricQuery, *, whole: bool) -> list[Point]:
        metric = self._check(query)
        plan = self._plan(metric, query, whole)
        if plan is None:
            return _aggregate_daily(metric, query, self.scope, whole=whole, built=self._built_days(query))
        return self._from_rollup(metric, query, plan)

    # -- which days are built -----------------------------------------------------------------------------

    def _window_for(self, query: MetricQuery) -> tuple[date, date]:
        window = self._window
        if window is not None and window[0] <= query.start and query.end <= window[1]:
            return window
        return query.start.replace(day=1), _month_end(query.end)

    def _built_months(self, query: MetricQuery) -> dict[date, list[date]]:
        """The metric's built days in the window, by month (each month's days in order)."""
        window = self._window_for(query)
        if window not in self._built:
            months: dict[str, dict[date, list[date]]] = defaultdict(dict)
            with connection_for_read(BuiltDay).cursor() as cursor:
                # One row per metric and month (not per day): a page reads two years of 25 metrics.
                cursor.execute(
                    f"SELECT metric, day - extract(day FROM day)::int + 1, array_agg(day ORDER BY day)"  # noqa: S608
                    f' FROM "{BuiltDay._meta.db_table}" WHERE day >= %s AND day <= %s GROUP BY 1, 2',
                    list(window),
                )
                for metric_id, month, days in cursor.fetchall():
                    months[metric_id][month] = days
            self._built[window] = months
        return self._built[window].get(query.metric, {})

    def _built_days(self, query: MetricQuery) -> list[date]:
        return [day for days in sorted(self._built_months(query).items()) for day in days[1]]

    # -- planning -----------------------------------------------------------------------------------------

    def _plan(self, metric: Metric, query: MetricQuery, whole: bool) -> dict[date, list[Source]] | None:
        """The rollup rows behind each period's figure, or None when the rollup cannot give it."""
        if not whole and query.grain != "month":
            return None
        if not set(query.filters) <= ROLLUP_FILTERS:
            return None
        totals_only = query.group_by in ("", "force")
        if not (totals_only or query.group_by in ROLLUP_DIMENSIONS or query.group_by == "category"):
            return None
        by_month = self._built_months(query)
        plan: dict[date, list[Source]] = defaultdict(list)
        for month, days in sorted(by_month.items()):
            if month > query.end or days[-1] < query.start:
                continue
            first, last = bisect_left(days, query.start), bisect_right(days, query.end)
            inside = days[first:last]
            if not inside:
                continue
            key = query.start if whole else month
            if metric.stock:
                # The period's position is its last built day: a later month of the same period replaces it.
                if inside[-1] == days[-1]:
                    plan[key] = [("month", month)]
                elif totals_only:
                    plan[key] = [("day", inside[-1])]
                else:
                    return None
            elif len(inside) == len(days):
                plan[key].append(("month", month))
            elif totals_only:
                plan[key].extend(("day", day) for day in inside)
            else:
                return None
        return plan

    # -- reading the rollup -------------------------------------------------------------------------------

    def _rollup_rows(self, query: MetricQuery, grain: str) -> dict[tuple[str, date], list[tuple[Any, ...]]]:
        """Every metric's rollup rows of the window for the query's force, category and breakdown, by
        (metric, period): (group, numerator, denominator, histogram)."""
        window = self._window_for(query)
        force = query.filters.get("force")
        category = query.filters.get("category")
        dimension = query.group_by if query.group_by in ROLLUP_DIMENSIONS else ""
        key = (window, grain, force, category, dimension, query.group_by == "category")
        if key not in self._rows:
            qs = MetricRollup.objects.filter(
                grain=grain, period__gte=window[0], period__lte=window[1], dimension=dimension
            ).filter(self.scope.q())
            if force is not None:
                qs = qs.filter(force_id=force)
            if category is not None:
                qs = qs.filter(category=category)
            elif query.group_by == "category":
                qs = qs.exclude(category=ALL_CATEGORIES)
            else:
                qs = qs.filter(category=ALL_CATEGORIES)
            fields = ("metric", "period", "force_id", "category", "value", "numerator", "denominator", "histogram")
            rows: dict[tuple[str, date], list[tuple[Any, ...]]] = defaultdict(list)
            for metric_id, period, force_id, row_category, value, n, d, histogram in qs.values_list(*fields):
                group = _rollup_group(query.group_by, force_id, row_category, value)
                rows[(metric_id, period)].append((group, n, d, histogram))
            self._rows[key] = rows
        return self._rows[key]

    def _from_rollup(self, metric: Metric, query: MetricQuery, plan: dict[date, list[Source]]) -> list[Point]:
        sums: dict[tuple[date, Any], list[float]] = defaultdict(lambda: [0.0, 0.0])
        histograms: dict[tuple[date, Any], list[int]] = {}
        days_metric = metric.unit == MetricUnit.DAYS
        for period, sources in plan.items():
            for grain, when in sources:
                for group, n, d, histogram in self._rollup_rows(query, grain).get((metric.id, when), ()):
                    total = sums[(period, group)]
                    total[0] += n
                    total[1] += d
                    if days_metric and histogram:
                        target = histograms.setdefault((period, group), [0] * HISTOGRAM_DAYS)
                        for index, count in enumerate(histogram):
                            if count:
                                target[index] += count
        return _points(metric, sums, histograms)


def _rollup_group(group_by: str, force_id: int | None, category: str, value: str) -> Any:
    if group_by == "force":
        return force_id
    if group_by == "category":
        return category
    if group_by in ("unit", "cps_area"):
        return int(value) if value else None
    if group_by == "offence_group":
        return value
    return None


def _points(
    metric: Metric, sums: dict[tuple[date, Any], list[float]], histograms: dict[tuple[date, Any], list[int]]
) -> list[Point]:
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


def _aggregate_daily(
    metric: Metric, query: MetricQuery, scope: MetricsScope, *, whole: bool, built: list[date]
) -> list[Point]:
    """The figures from the daily snapshots (what the rollup cannot give): their cost follows the number of
    rows in the period, which grows with the number of cases."""

    def bucket(day: date) -> date:
        return query.start if whole else _period_start(day, query.grain)

    qs = _snapshots(query, scope)
    group_column = ""
    if query.group_by:
        group_column = f"{query.group_by}_id" if query.group_by in ("force", "unit", "cps_area") else query.group_by
    if metric.stock:
        # Each period's last built day, then that day's rows. A force with no rows that day has nothing to
        # count (0), not an earlier day's figure.
        lasts: dict[date, date] = {}
        for day in built:
            if query.start <= day <= query.end:
                lasts[bucket(day)] = day
        qs = qs.filter(day__in=set(lasts.values()))
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
    return _points(metric, sums, histograms)


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
            if metric.category_kind == CategoryKind.CHARGING:
                qs = qs.filter(charging_requests__category=value)
            elif metric.category_cases is not None:
                qs = metric.category_cases(qs, value, query.start, query.end)
    visible = case_list_visible_to(user=user)
    return visible.filter(pk__in=qs.values("pk")).order_by("-updated_at", "-id")
