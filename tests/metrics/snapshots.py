"""Hand-made snapshot rows for the tests of reading (selectors, pages, API), stored the way
``metrics.compute.recompute_day`` stores computed ones (``write_day``: the day recorded as built and the rollup
kept), so the readers see exactly what they would see in production."""

from __future__ import annotations

from typing import Any

from metrics.compute import write_day
from metrics.models import MetricSnapshot
from metrics.registry import REGISTRY


def add_snapshot(**fields: Any) -> MetricSnapshot:
    """One more snapshot row of (metric, day), keeping the day's others."""
    metric = REGISTRY[fields["metric"]]
    fields.setdefault("version", metric.version)
    row = MetricSnapshot(**fields)
    others = list(MetricSnapshot.objects.filter(metric=metric.id, day=row.day))
    for other in others:
        other.pk = None
    write_day(row.day, [metric.id], [*others, row])
    return row
