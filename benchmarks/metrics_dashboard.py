"""Benchmark: the joint metrics dashboard's response time over snapshots for 10k and 1M cases a year.

    . scripts/test-env.sh && .venv/bin/python -m benchmarks.metrics_dashboard                # 10k, then 1M
    . scripts/test-env.sh && .venv/bin/python -m benchmarks.metrics_dashboard --cases 1000000 --runs 11

Runs in its own database (``<DATABASE_URL's name>_bench_metrics_dashboard``, created and migrated here, dropped
at the end unless ``--keep``), never the development or test one.

What is measured: a police manager of one force opening the dashboard with its defaults (the last 12 calendar
months by month, compared with the 12 months before) and with a breakdown by unit. Through the real page
(``metrics:dashboard`` with ``django.test.Client``) when it exists, and always through the reads it is built
on: for every registered metric, ``metrics.selectors.metric_series`` for the period and for the previous
period, by month, for the manager's force. One warm-up, then ``--runs`` timed runs; the median is reported.
Target (issue 7): the same within 20% at both volumes, under 200 ms.

The data: snapshot rows generated directly in SQL, in the shape ``metrics.compute.recompute_day`` writes them,
because a metric's ``compute(day)`` groups that day's events by the case's dimensions and writes one row per
combination that occurred. So a day's row count for a metric is the number of distinct dimension combinations
among its events that day, and that is what is generated:
- the dimension universe: 10 forces of 4 units (as ``benchmarks.alert_sweep``), each force served by one of
  two CPS Areas with 15% of its cases going to CPS Direct, 12 offence groups (the 9 DG6 groups and the 3
  modes of trial, most cases either-way or summary-only), 3 charging categories: 2,880 combinations, each
  with a probability p (the product of those shares; forces and units equal);
- a flow metric (referrals, decisions...) has E = cases / 365 events a day (about one event per case a
  year); a stock metric (open referrals, people on bail...) has E = cases × 30 / 365 items at each day's end
  (each open for 30 days on average);
- each (day, combination) row exists with the probability that at least one of E events falls in it,
  1 - (1 - p)^E, and holds the expected count given that it exists, E·p / (1 - (1 - p)^E) (±50% noise):
  in expectation exactly the rows and totals grouping E events would give;
- every metric is given categories (an upper bound: metrics that are not about charging have one category,
  '', and so fewer rows); day-count metrics get a histogram per row, as recompute writes it (up to its
  last non-empty bucket).
Rows are generated for every day the default dashboard reads: the previous period and the current one, two
years. Either way the rows a year of one force holds is bounded by 365 × 288 combinations per metric, whatever
the number of cases; the 1M volume comes close to that bound, the 10k one is far below it. Every day is
recorded as built, and the rollup the dashboard reads is built from the rows (``metrics.rollup.rebuild_months``,
which the daily upkeep is tested to equal).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlencode

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import NoReverseMatch, reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.choices import OrganisationKind, Role  # noqa: E402
from accounts.models import Organisation, Unit, User  # noqa: E402
from benchmarks._results import record  # noqa: E402
from metrics.models import BuiltDay, MetricRollup, MetricSnapshot  # noqa: E402
from metrics.registry import REGISTRY, Metric, MetricUnit  # noqa: E402
from metrics.rollup import rebuild_months  # noqa: E402
from metrics.selectors import MetricQuery, SnapshotReader  # noqa: E402

UNUSABLE = "!"  # an unusable password hash: nobody signs in as benchmark staff

FORCES = 10
UNITS_PER_FORCE = 4
CPS_DIRECT_SHARE = 0.15
STOCK_OPEN_DAYS = 30
TARGET_MS = 200.0
TARGET_RATIO = 1.2
OFFENCE_GROUPS = {
    "either_way": 0.35,
    "summary_only": 0.30,
    "gbh_abh": 0.10,
    "harassment_stalking": 0.07,
    "indictable_only": 0.05,
    "sexual_offences_act": 0.04,
    "violent_disorder_affray": 0.03,
    "licensing_act": 0.02,
    "consent_required": 0.02,
    "death": 0.005,
    "terrorism": 0.003,
    "official_secrets": 0.002,
}
CATEGORIES = {"green": 0.60, "green_priority": 0.25, "red": 0.15}


def make_organisations() -> User:
    """Two CPS Areas and CPS Direct, ten forces of four units, the combination table, and the manager of
    force 01 who opens the dashboard."""
    areas = [
        Organisation.objects.create(kind=OrganisationKind.CPS_AREA, code=f"bench-area-{a}", name=f"CPS Bench {a}")
        for a in range(2)
    ]
    direct = Organisation.objects.create(kind=OrganisationKind.CPS_DIRECT, code="bench-direct", name="CPS Direct")
    combos: list[tuple[int, int, int, str, str, float]] = []
    groups = sum(OFFENCE_GROUPS.values())
    for f in range(FORCES):
        area = areas[f % 2]
        force = Organisation.objects.create(
            kind=OrganisationKind.POLICE_FORCE, code=f"{f + 1:02d}", name=f"Bench force {f + 1}", served_by=area
        )
        for u in range(UNITS_PER_FORCE):
            unit = Unit.objects.create(organisation=force, code=f"{chr(65 + u)}A", name=f"Unit {u}")
            for cps, p_area in ((area, 1 - CPS_DIRECT_SHARE), (direct, CPS_DIRECT_SHARE)):
                for group, p_group in OFFENCE_GROUPS.items():
                    for category, p_category in CATEGORIES.items():
                        p = p_area * (p_group / groups) * p_category / (FORCES * UNITS_PER_FORCE)
                        combos.append((force.pk, unit.pk, cps.pk, group, category, p))
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_combo")
        cursor.execute(
            "CREATE TEMP TABLE bench_combo (force_id bigint, unit_id bigint, cps_area_id bigint, offence_group text,"
            " category text, p double precision)"
        )
        cursor.executemany("INSERT INTO bench_combo VALUES (%s, %s, %s, %s, %s, %s)", combos)
    first = Organisation.objects.get(kind=OrganisationKind.POLICE_FORCE, code="01")
    return User.objects.create(
        username="bench-manager", organisation=first, roles=[Role.POLICE_MANAGER], password=UNUSABLE
    )


def _values(metric: Metric) -> tuple[str, str, str]:
    """SQL for numerator, denominator and histogram from the row's count ``x.cnt`` and a random bucket ``x.k``."""
    if metric.unit == MetricUnit.DAYS:
        # Stored without trailing empty buckets, as ``recompute_day`` stores them (``registry.trimmed``).
        histogram = "array_fill(0, ARRAY[x.k]) || ARRAY[x.cnt]"
        return "x.cnt * x.k", "x.cnt", histogram
    if metric.unit == MetricUnit.COUNT:
        return "x.cnt", "0", "NULL"
    return "round(x.cnt * x.r)", "x.cnt", "NULL"


def generate(n_cases: int, start: date, end: date) -> dict[str, int]:
    """The days' snapshot rows for every registered metric, for ``n_cases`` cases a year."""
    counts: dict[str, int] = {}
    table = MetricSnapshot._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")  # no per-row foreign-key checks while loading
        for metric in REGISTRY.values():
            events = n_cases / 365 * (STOCK_OPEN_DAYS if metric.stock else 1)
            numerator, denominator, histogram = _values(metric)
            # random() in the subquery's select list: evaluated per row (a volatile subquery is not flattened).
            cursor.execute(
                f"INSERT INTO {table} (metric, version, day, force_id, unit_id, cps_area_id, offence_group,"  # noqa: S608
                " category, numerator, denominator, histogram, computed_at)"
                f" SELECT %s, %s, x.day, x.force_id, x.unit_id, x.cps_area_id, x.offence_group, x.category,"
                f" {numerator}, {denominator}, {histogram}, now()"
                " FROM (SELECT d.day::date AS day, c.*, greatest(1, round(%s * c.p / (1 - power(1 - c.p, %s))"
                "   * (0.5 + random())))::int AS cnt, floor(random() * 60)::int AS k, random() AS r,"
                "   random() < 1 - power(1 - c.p, %s) AS hit"
                "  FROM generate_series(%s::date, %s::date, interval '1 day') AS d(day) CROSS JOIN bench_combo c) x"
                " WHERE x.hit",
                [metric.id, metric.version, events, events, events, start, end],
            )
            counts[metric.id] = int(cursor.rowcount)
        cursor.execute("SET session_replication_role = origin")
        # Every day of the period built for every metric, as ``recompute_day`` records it.
        cursor.execute(
            f"INSERT INTO {BuiltDay._meta.db_table} (metric, day, built_at)"  # noqa: S608
            " SELECT m, d::date, now() FROM unnest(%s::text[]) AS m,"
            " generate_series(%s::date, %s::date, interval '1 day') AS d",
            [list(REGISTRY), start, end],
        )
        cursor.execute(f"VACUUM ANALYZE {table}")
    return counts


def roll_up(start: date, end: date) -> float:
    """Build the rollup the dashboard reads from the generated snapshots (``metrics.rollup.rebuild_months``,
    what the daily upkeep keeps equal to them); returns the seconds it took."""
    started = time.perf_counter()
    rebuild_months(start, end)
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM ANALYZE {MetricRollup._meta.db_table}")
    return time.perf_counter() - started


def truncate() -> None:
    with connection.cursor() as cursor:
        tables = (MetricSnapshot, MetricRollup, BuiltDay)
        cursor.execute(f"TRUNCATE {', '.join(model._meta.db_table for model in tables)}")


def dashboard_reads(user: User, periods: Periods) -> int:
    """The reads the default dashboard is built on: each metric by month for the period and the previous one."""
    force = {"force": user.organisation_id}
    points = 0
    reader = SnapshotReader(user)
    reader.prefetch(periods.previous_start, periods.end)
    for metric_id in REGISTRY:
        for start, end in ((periods.start, periods.end), (periods.previous_start, periods.previous_end)):
            query = MetricQuery(metric=metric_id, start=start, end=end, grain="month", filters=force)
            points += len(reader.series(query)) + len(reader.total(query))
    return points


@dataclass(frozen=True)
class Periods:
    """The dashboard's default period (the whole calendar months of the last 12, the current one up to today)
    and the previous period of the same length, which the comparison reads."""

    start: date
    end: date
    previous_start: date
    previous_end: date

    @classmethod
    def default(cls, today: date) -> Periods:
        index = today.year * 12 + today.month - 1 - 11
        start = date(index // 12, index % 12 + 1, 1)
        days = (today - start).days + 1
        return cls(start, today, start - timedelta(days=days), start - timedelta(days=1))


def dashboard_url() -> str | None:
    try:
        return reverse("metrics:dashboard")
    except NoReverseMatch:
        return None


def timed_runs(fn: Callable[[], Any], runs: int) -> list[float]:
    fn()  # warm-up: first-use costs (template loading, query compilation, cold cache) are not the steady state
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return times


def run(n_cases: int, runs: int, manager: User, periods: Periods, url: str | None) -> dict[str, Any]:
    truncate()
    start, end = periods.previous_start, periods.end
    print(f"\n== {n_cases:,} cases a year: snapshots {start} to {end}, {len(REGISTRY)} metrics")
    started = time.perf_counter()
    counts = generate(n_cases, start, end)
    print(f"generated in {time.perf_counter() - started:.1f} s: {sum(counts.values()):,} snapshot rows")
    rolled = roll_up(start, end)
    rollup_rows = MetricRollup.objects.count()
    print(f"rolled up in {rolled:.1f} s: {rollup_rows:,} rollup rows (months by dimension, and day totals)")
    days = (end - start).days + 1
    force_rows = MetricSnapshot.objects.filter(force_id=manager.organisation_id).count()
    for metric_id, rows in counts.items():
        metric = REGISTRY[metric_id]
        kind = f"{'stock' if metric.stock else 'flow'}, {metric.unit.value}"
        print(f"  {metric_id:<40} {rows:>10,} rows ({rows / days:,.0f} a day; {kind})")
    print(
        f"  rows of the manager's force: {force_rows:,} ({force_rows / days / max(len(counts), 1):,.0f} a day a metric)"
    )
    result: dict[str, Any] = {
        "cases": n_cases,
        "rows": sum(counts.values()),
        "force_rows": force_rows,
        "rollup_rows": rollup_rows,
    }
    points = dashboard_reads(manager, periods)
    reads = timed_runs(lambda: dashboard_reads(manager, periods), runs)
    result["reads"] = statistics.median(reads)
    print(
        f"selector reads ({points} points): median {result['reads']:.1f} ms, min {min(reads):.1f}, max {max(reads):.1f}"
    )
    if url is not None:
        client = Client()
        client.force_login(manager)

        for key, params in (("page", {}), ("page by unit", {"group_by": "unit"})):

            def page(params: dict[str, str] = params) -> None:
                response = client.get(url, params)
                assert response.status_code == 200, response.status_code

            pages = timed_runs(page, runs)
            result[key] = statistics.median(pages)
            print(
                f"dashboard {key} ({url}?{urlencode(params)}): median {result[key]:.1f} ms, "
                f"min {min(pages):.1f}, max {max(pages):.1f}"
            )
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--cases", type=int, nargs="+", default=None, help="default: 10,000 then 1,000,000")
    parser.add_argument("--quick", action="store_true", help="a quick run: 10,000 then 100,000 cases a year")
    parser.add_argument("--runs", type=int, default=7, help="timed runs per figure (after one warm-up)")
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database afterwards")
    parser.add_argument("--no-record", action="store_true", help="do not write benchmarks/results/")
    args = parser.parse_args(argv)
    args.cases = args.cases or ([10_000, 100_000] if args.quick else [10_000, 1_000_000])

    db = connection.settings_dict
    original_name = db["NAME"]
    db["TEST"] = {**db.get("TEST", {}), "NAME": f"{db['NAME']}_bench_metrics_dashboard"}
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False, keepdb=False)
    url = dashboard_url()
    print(
        f"metrics dashboard benchmark: database {connection.settings_dict['NAME']}, {os.cpu_count()} CPUs, "
        f"{len(REGISTRY)} metrics registered, dashboard page: {url or 'not built yet (selector reads only)'}"
    )
    failed = False
    try:
        manager = make_organisations()
        periods = Periods.default(timezone.localdate())
        results = [run(n, args.runs, manager, periods, url) for n in args.cases]
        print("\n== summary (median ms)")
        keys = ["reads", *(["page", "page by unit"] if url else [])]
        for r in results:
            figures = ", ".join(f"{key} {r[key]:.1f} ms" for key in keys)
            print(
                f"{r['cases']:>10,} cases a year: {r['rows']:>11,} snapshot rows "
                f"({r['force_rows']:,} of the force): {figures}"
            )
        if len(results) >= 2:
            small, large = results[0], results[-1]
            for key in keys:
                ratio = large[key] / small[key]
                ok = ratio <= TARGET_RATIO and large[key] < TARGET_MS
                failed |= not ok
                print(
                    f"{key}: {large['cases']:,} / {small['cases']:,} = {ratio:.2f}x; target within "
                    f"{TARGET_RATIO - 1:.0%} and under {TARGET_MS:.0f} ms: {'met' if ok else 'MISSED'}"
                )
        if not args.no_record:
            record(
                "metrics_dashboard",
                {"runs": results, "timed_runs_each": args.runs},
                {"page_ms_at_largest": f"< {TARGET_MS:.0f}", "largest_over_smallest": f"<= {TARGET_RATIO}"},
            )
    finally:
        if not args.keep:
            connection.creation.destroy_test_db(original_name, verbosity=0)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
