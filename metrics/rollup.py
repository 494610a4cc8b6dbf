"""Keeping ``MetricRollup`` equal to the snapshots it adds up, in SQL, in the transaction that rebuilds a day.

``metrics.compute.recompute_day`` calls, for the day it rebuilds and under the month's advisory lock (so two
workers building two days of one month take turns):

1. ``month_delta(day, flow, -1)`` before the day's old snapshot rows are deleted, and ``month_delta(day, flow,
   +1)`` after the new ones are written: a flow metric's month is the sum of its days, so taking the old day
   out and putting the new one in keeps it exact, at the cost of the day's rows, not the month's. Cells left
   at nothing are deleted (``drop_empty``), so a unit a case moved away from does not linger as a 0.
2. ``rebuild_stock_month(month, stock)``: a stock metric's month is its position on the month's last built
   day, so the month's rows are replaced by that day's.
3. ``rebuild_day(day, metrics)``: the day's totals (``grain=day``).

``rebuild_months(start, end)`` builds the rollup of whole months from scratch from the snapshots (a migration,
``manage.py recompute_metrics --rollups``, the benchmark); the tests check that the incremental upkeep always
equals it.

Histograms are added up by ``casebridge_int_array_sum`` (an aggregate defined in migration 0002), element by
element, so a month's median and 90th percentile are as exact as a day's.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.db import connection

from .models import ALL_CATEGORIES, BuiltDay, MetricRollup, MetricSnapshot, RollupGrain
from .registry import REGISTRY

SNAPSHOTS = MetricSnapshot._meta.db_table
ROLLUP = MetricRollup._meta.db_table
BUILT = BuiltDay._meta.db_table
ADVISORY_NAMESPACE = 7_311_001  # pg_advisory_xact_lock(namespace, month number): one month's upkeep at a time

# Every cell of a month: totals and one dimension at a time, each for all categories and per category.
_MONTH_SETS = (
    "GROUPING SETS ((), (s.category), (s.unit_id), (s.cps_area_id), (s.offence_group),"
    " (s.category, s.unit_id), (s.category, s.cps_area_id), (s.category, s.offence_group))"
)
_DAY_SETS = "GROUPING SETS ((), (s.category))"
_CATEGORY = f"CASE WHEN GROUPING(s.category) = 0 THEN s.category ELSE '{ALL_CATEGORIES}' END"
_DIMENSION = (
    "CASE WHEN GROUPING(s.unit_id) = 0 THEN 'unit' WHEN GROUPING(s.cps_area_id) = 0 THEN 'cps_area'"
    " WHEN GROUPING(s.offence_group) = 0 THEN 'offence_group' ELSE '' END"
)
_VALUE = (
    "CASE WHEN GROUPING(s.unit_id) = 0 THEN coalesce(s.unit_id::text, '')"
    " WHEN GROUPING(s.cps_area_id) = 0 THEN coalesce(s.cps_area_id::text, '')"
    " WHEN GROUPING(s.offence_group) = 0 THEN s.offence_group ELSE '' END"
)
_COLUMNS = "metric, grain, period, force_id, category, dimension, value, numerator, denominator, histogram, last_day"


def month_of(day: date) -> date:
    return day.replace(day=1)


def next_month(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


def lock_month(month: date) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [ADVISORY_NAMESPACE, month.year * 12 + month.month])


def _month_select(where: str, sign: int) -> str:
    """The month cells of the snapshot rows matching ``where`` (its parameters: %(month)s and the where's)."""
    return (
        f"SELECT s.metric, '{RollupGrain.MONTH}', %(month)s::date, s.force_id, {_CATEGORY}, {_DIMENSION}, {_VALUE},"  # noqa: S608
        f" {sign} * SUM(s.numerator), {sign} * SUM(s.denominator),"
        f" casebridge_int_array_scale(casebridge_int_array_sum(s.histogram), {sign}), max(s.day)"
        f" FROM {SNAPSHOTS} s WHERE {where}"
        f" GROUP BY s.metric, s.force_id, {_MONTH_SETS}"
    )


def month_delta(day: date, metric_ids: Sequence[str], sign: int) -> None:
    """Add (``sign=1``) or take away (``-1``) the day's snapshot rows of the (flow) metrics to their month."""
    if not metric_ids:
        return
    sql = (
        f"INSERT INTO {ROLLUP} AS r ({_COLUMNS}) "
        + _month_select("s.day = %(day)s AND s.metric = ANY(%(metrics)s)", sign)
        + " ON CONFLICT ON CONSTRAINT metric_rollup_one_per_cell DO UPDATE SET"
        " numerator = r.numerator + excluded.numerator, denominator = r.denominator + excluded.denominator,"
        " histogram = casebridge_int_array_add(r.histogram, excluded.histogram),"
        " last_day = greatest(r.last_day, excluded.last_day)"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, {"month": month_of(day), "day": day, "metrics": list(metric_ids)})


def drop_empty(month: date, metric_ids: Sequence[str]) -> None:
    """Delete the month's cells that add up to nothing (everything taken back out)."""
    if not metric_ids:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {ROLLUP} WHERE grain = %s AND period = %s AND metric = ANY(%s)"  # noqa: S608
            " AND abs(numerator) < 1e-9 AND abs(denominator) < 1e-9"
            " AND (histogram IS NULL OR NOT EXISTS (SELECT 1 FROM unnest(histogram) h WHERE h <> 0))",
            [RollupGrain.MONTH, month, list(metric_ids)],
        )


def rebuild_stock_month(month: date, metric_ids: Sequence[str]) -> None:
    """Replace the (stock) metrics' month cells by their month's last built day's position."""
    if not metric_ids:
        return
    params: dict[str, Any] = {"month": month, "next": next_month(month), "metrics": list(metric_ids)}
    last_days = (
        f"SELECT metric, max(day) AS day FROM {BUILT} WHERE metric = ANY(%(metrics)s)"  # noqa: S608
        " AND day >= %(month)s AND day < %(next)s GROUP BY metric"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {ROLLUP} WHERE grain = %(grain)s AND period = %(month)s AND metric = ANY(%(metrics)s)",  # noqa: S608
            {**params, "grain": RollupGrain.MONTH},
        )
        cursor.execute(
            f"INSERT INTO {ROLLUP} ({_COLUMNS}) " + _month_select(f"(s.metric, s.day) IN ({last_days})", 1),
            params,
        )


def rebuild_day(day: date, metric_ids: Sequence[str]) -> None:
    """Replace the day's totals (``grain=day``) of the metrics from its snapshot rows."""
    if not metric_ids:
        return
    params: dict[str, Any] = {"day": day, "metrics": list(metric_ids), "grain": RollupGrain.DAY}
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {ROLLUP} WHERE grain = %(grain)s AND period = %(day)s AND metric = ANY(%(metrics)s)",  # noqa: S608
            params,
        )
        cursor.execute(
            f"INSERT INTO {ROLLUP} ({_COLUMNS}) "  # noqa: S608
            f"SELECT s.metric, %(grain)s, %(day)s::date, s.force_id, {_CATEGORY}, '', '', SUM(s.numerator),"
            " SUM(s.denominator), casebridge_int_array_sum(s.histogram), %(day)s::date"
            f" FROM {SNAPSHOTS} s WHERE s.day = %(day)s AND s.metric = ANY(%(metrics)s)"
            f" GROUP BY s.metric, s.force_id, {_DAY_SETS}",
            params,
        )


def rebuild_months(start: date, end: date, metric_ids: Sequence[str] | None = None) -> None:
    """Build the rollup of every month and day of [start, end] (whole months) from scratch from the
    snapshots. For a migration, ``manage.py recompute_metrics --rollups`` and benchmarks; the daily upkeep is
    incremental (see the module's docstring)."""
    ids = list(metric_ids) if metric_ids is not None else list(REGISTRY)
    flow = [m for m in ids if m in REGISTRY and not REGISTRY[m].stock]
    stock = [m for m in ids if m in REGISTRY and REGISTRY[m].stock]
    month = month_of(start)
    while month <= end:
        following = next_month(month)
        lock_month(month)
        params: dict[str, Any] = {"month": month, "next": following, "metrics": flow, "grain": RollupGrain.MONTH}
        with connection.cursor() as cursor:
            cursor.execute(
                f"DELETE FROM {ROLLUP} WHERE period >= %(month)s AND period < %(next)s AND metric = ANY(%(all)s)",  # noqa: S608
                {**params, "all": ids},
            )
            if flow:
                cursor.execute(
                    f"INSERT INTO {ROLLUP} ({_COLUMNS}) "
                    + _month_select("s.day >= %(month)s AND s.day < %(next)s AND s.metric = ANY(%(metrics)s)", 1),
                    params,
                )
            cursor.execute(
                f"SELECT DISTINCT day FROM {BUILT} WHERE day >= %s AND day < %s AND metric = ANY(%s)",  # noqa: S608
                [month, following, ids],
            )
            days = [row[0] for row in cursor.fetchall()]
        rebuild_stock_month(month, stock)
        for day in days:
            rebuild_day(day, ids)
        month = following
