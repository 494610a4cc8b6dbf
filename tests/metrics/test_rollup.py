"""The rollup the dashboards read (``MetricRollup``) gives the same figures as adding up the daily snapshots,
for every kind of question the dashboard and the API ask it, and without reading a single snapshot row.

The snapshots are made up (random but seeded: several forces, units, CPS Areas, offence groups and
categories over three months) and stored the way ``recompute_day`` stores them (``write_day``), including
days rebuilt with other values, so the rollup has had days both added and taken away. Each figure is then
read twice: through ``SnapshotReader`` (which plans the read from the rollup) and through the daily path
(``_aggregate_daily``) that adds up the snapshots themselves.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Organisation, Unit, User
from metrics.compute import write_day
from metrics.models import MetricRollup, MetricSnapshot
from metrics.registry import HISTOGRAM_DAYS, REGISTRY, trimmed
from metrics.rollup import rebuild_months
from metrics.selectors import MetricQuery, SnapshotReader, _aggregate_daily, metrics_scope_for

pytestmark = pytest.mark.django_db

FLOW_COUNT = "referrals"
FLOW_DAYS = "days_referral_to_decision"
FLOW_PERCENT = "charge_rate"
STOCK = "open_referrals"
METRICS = (FLOW_COUNT, FLOW_DAYS, FLOW_PERCENT, STOCK)
FIRST, LAST = date(2026, 1, 1), date(2026, 3, 31)
GROUPS = ("green", "green_priority", "red", "")
OFFENCE_GROUPS = ("either_way", "summary_only", "gbh_abh", "")


def _rows(
    rng: random.Random, day: date, forces: list[tuple[Organisation, list[Unit]]], areas: list[int | None]
) -> list[MetricSnapshot]:
    rows = []
    for metric_id in METRICS:
        metric = REGISTRY[metric_id]
        seen = set()
        for _ in range(rng.randint(0, 6)):
            force, units = rng.choice(forces)
            unit = rng.choice([*units, None])
            key = (
                force.pk,
                unit.pk if unit else None,
                rng.choice(areas),
                rng.choice(OFFENCE_GROUPS),
                rng.choice(GROUPS),
            )
            if key in seen:
                continue
            seen.add(key)
            count = rng.randint(1, 5)
            histogram = None
            numerator, denominator = float(count), 0.0
            if metric.unit == "days":
                histogram = [0] * HISTOGRAM_DAYS
                values = [rng.randint(0, 40) for _ in range(count)]
                for value in values:
                    histogram[value] += 1
                histogram = trimmed(histogram)
                numerator, denominator = float(sum(values)), float(count)
            elif metric.unit == "percent":
                numerator, denominator = float(rng.randint(0, count)), float(count)
            rows.append(
                MetricSnapshot(
                    metric=metric_id, version=metric.version, day=day, force_id=key[0], unit_id=key[1],
                    cps_area_id=key[2], offence_group=key[3], category=key[4], numerator=numerator,
                    denominator=denominator, histogram=histogram,
                )
            )  # fmt: skip
    return rows


@pytest.fixture
def made_up_snapshots(force_a: Organisation, force_b: Organisation, unit_a1: Unit, area_north: Organisation) -> None:
    rng = random.Random(20261126)
    unit_a2 = Unit.objects.create(organisation=force_a, code="ZZ", name="Second unit")
    unit_b1 = Unit.objects.create(organisation=force_b, code="YY", name="Unit of B")
    forces = [(force_a, [unit_a1, unit_a2]), (force_b, [unit_b1])]
    areas = [area_north.pk, None]
    day = FIRST
    while day <= LAST:
        if rng.random() < 0.8:  # some days never built
            write_day(day, list(METRICS), _rows(rng, day, forces, areas))
        day += timedelta(days=1)
    # Days rebuilt with other figures (their old rows taken out of the months, the new ones put in), and one
    # rebuilt with nothing at all.
    for _ in range(15):
        redo = FIRST + timedelta(days=rng.randint(0, (LAST - FIRST).days))
        write_day(redo, list(METRICS), _rows(rng, redo, forces, areas))
    write_day(date(2026, 2, 10), list(METRICS), [])


QUERIES = [
    # (start, end, group_by, filters besides the force)
    (FIRST, LAST, "", {}),
    (FIRST, LAST, "unit", {}),
    (FIRST, LAST, "cps_area", {}),
    (FIRST, LAST, "offence_group", {}),
    (FIRST, LAST, "category", {}),
    (FIRST, LAST, "", {"category": "red"}),
    (FIRST, LAST, "unit", {"category": "green"}),
    (FIRST, LAST, "category", {"category": ""}),
    # Periods that start or end inside a month: totals from the days of the part-months.
    (date(2026, 1, 10), date(2026, 3, 20), "", {}),
    (date(2026, 1, 10), date(2026, 3, 20), "", {"category": "green_priority"}),
    (date(2026, 2, 5), date(2026, 2, 25), "", {}),
]


def test_the_rollup_gives_the_figures_of_the_daily_snapshots(
    made_up_snapshots: None, manager_police_a: User, force_a: Organisation
) -> None:
    # One test for every (metric, question): the made-up data takes a few seconds to store.
    scope = metrics_scope_for(manager_police_a)
    for metric_id in METRICS:
        metric = REGISTRY[metric_id]
        for start, end, group_by, extra in QUERIES:
            query = MetricQuery(
                metric=metric_id, start=start, end=end, group_by=group_by, filters={"force": force_a.pk, **extra}
            )
            reader = SnapshotReader(manager_police_a)
            with CaptureQueriesContext(connection) as queries:
                series, total = reader.series(query), reader.total(query)
            assert not [q for q in queries if MetricSnapshot._meta.db_table in q["sql"]], query
            built = reader._built_days(query)
            assert series == _aggregate_daily(metric, query, scope, whole=False, built=built), query
            assert total == _aggregate_daily(metric, query, scope, whole=True, built=built), query
            # A stock metric's last day may hold nothing in a category; a flow metric always has something.
            assert total or metric.stock, query


def test_a_breakdown_of_a_part_month_is_read_from_the_daily_snapshots_and_agrees(
    made_up_snapshots: None, manager_police_a: User, force_a: Organisation
) -> None:
    query = MetricQuery(
        metric=FLOW_COUNT,
        start=date(2026, 1, 10),
        end=date(2026, 3, 20),
        group_by="unit",
        filters={"force": force_a.pk},
    )
    reader = SnapshotReader(manager_police_a)
    with CaptureQueriesContext(connection) as queries:
        total = reader.total(query)
    assert [q for q in queries if MetricSnapshot._meta.db_table in q["sql"]]
    days = MetricSnapshot.objects.filter(
        metric=FLOW_COUNT, force=force_a, day__gte=query.start, day__lte=query.end
    ).values_list("unit_id", "numerator")
    expected: dict[int | None, float] = {}
    for unit_id, numerator in days:
        expected[unit_id] = expected.get(unit_id, 0.0) + numerator
    assert {p.group: p.value for p in total} == expected


def test_a_dashboard_page_reads_every_metric_in_a_handful_of_queries(
    made_up_snapshots: None, manager_police_a: User, force_a: Organisation
) -> None:
    reader = SnapshotReader(manager_police_a)
    reader.prefetch(date(2025, 10, 1), LAST)
    with CaptureQueriesContext(connection) as queries:
        for metric_id in REGISTRY:
            for start, end in ((FIRST, LAST), (date(2025, 10, 1), date(2025, 12, 31))):
                query = MetricQuery(metric=metric_id, start=start, end=end, filters={"force": force_a.pk})
                reader.series(query)
                reader.total(query)
    # The built days once, then the month rows once, for all 25 metrics and both periods.
    assert len(queries) == 2


def test_rebuilding_the_months_from_scratch_changes_nothing(made_up_snapshots: None) -> None:
    def cells() -> set[tuple[object, ...]]:
        return {
            (r.metric, r.grain, r.period, r.force_id, r.category, r.dimension, r.value, round(r.numerator, 9),
             round(r.denominator, 9), tuple(trimmed(r.histogram)) if r.histogram else None)
            for r in MetricRollup.objects.all()
        }  # fmt: skip

    kept = cells()
    assert kept
    rebuild_months(FIRST, LAST)
    assert cells() == kept


def test_recompute_metrics_rollups_rebuilds_a_lost_rollup_from_the_snapshots(
    made_up_snapshots: None, manager_police_a: User, force_a: Organisation
) -> None:
    query = MetricQuery(metric=FLOW_COUNT, start=FIRST, end=LAST, filters={"force": force_a.pk})
    before = SnapshotReader(manager_police_a).series(query)
    MetricRollup.objects.filter(period__gte=date(2026, 2, 1)).delete()  # February and March lost
    assert SnapshotReader(manager_police_a).series(query) != before

    out = StringIO()
    call_command("recompute_metrics", "--start", "2026-02-10", "--end", "2026-03-05", "--rollups", stdout=out)
    assert out.getvalue().strip() == "Rebuilt the rollup of 2 months (February 2026 to March 2026) for every metric."
    assert SnapshotReader(manager_police_a).series(query) == before
