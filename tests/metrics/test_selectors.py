"""Reading the snapshots: a stock metric's position is its last built day, even when it fell to nothing."""

from __future__ import annotations

from datetime import date

import pytest

from accounts.models import Organisation, User
from metrics.registry import REGISTRY
from metrics.selectors import MetricQuery, metric_series, metric_total
from tests.metrics.snapshots import add_snapshot

pytestmark = pytest.mark.django_db


def test_a_population_that_fell_to_nothing_shows_nothing_not_an_earlier_days_figure(
    manager_police_a: User, force_a: Organisation, force_b: Organisation
) -> None:
    bail = REGISTRY["bail_population"]
    assert bail.stock

    def row(day: date, force: Organisation, n: float) -> None:
        add_snapshot(metric=bail.id, version=bail.version, day=day, force=force, category="0-3m", numerator=n)

    row(date(2026, 3, 10), force_a, 4)  # force A: four on bail on 10 March...
    row(date(2026, 3, 31), force_b, 2)  # ...none by 31 March (no row), while force B still has two.
    query = MetricQuery(metric=bail.id, start=date(2026, 3, 1), end=date(2026, 3, 31), filters={"force": force_a.pk})
    assert [p.value for p in metric_series(query, user=manager_police_a)] == []
    assert metric_total(query, user=manager_police_a) == []
    # February's position for force A is its last built day in February.
    row(date(2026, 2, 27), force_a, 3)
    february = MetricQuery(metric=bail.id, start=date(2026, 2, 1), end=date(2026, 3, 31), filters={"force": force_a.pk})
    assert [(p.period, p.value) for p in metric_series(february, user=manager_police_a)] == [(date(2026, 2, 1), 3.0)]
