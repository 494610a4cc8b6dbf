"""Building the daily snapshots: one day at a time, from scratch for that day, so a day rebuilt incrementally
(because its data changed) equals the same day rebuilt in a full recompute.

- ``recompute_day(day)`` replaces every snapshot row of that day (all metrics, or the ones named) in one
  transaction: readers see the old rows or the new ones, never a half-built day.
- ``mark_dirty(days)`` / ``mark_case_dirty(case)`` record which days' source data changed. The case-changed
  hook (``casework.services._common.CASE_CHANGED_HOOKS``) calls ``mark_case_dirty`` in the same transaction as
  the change, so a committed change always leaves its days marked.
- ``build_dirty_days()`` (Celery: ``metrics.tasks.build_snapshots``) rebuilds the marked days, each under a
  row lock taken with SKIP LOCKED so two workers never build the same day; a day marked again while it is
  being built stays marked and is built once more.
- ``recompute_period(start, end)`` rebuilds any period (``manage.py recompute_metrics``).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from casework.models import Case

from .models import DirtyDay, MetricSnapshot
from .registry import CASE_DAY_SOURCES, REGISTRY


def recompute_day(day: date, metric_ids: Iterable[str] | None = None) -> int:
    """Rebuild the snapshots of ``day``; returns how many rows it now has for those metrics."""
    metrics = [REGISTRY[m] for m in metric_ids] if metric_ids is not None else list(REGISTRY.values())
    rows: list[MetricSnapshot] = []
    for metric in metrics:
        merged: dict[tuple[object, ...], MetricSnapshot] = {}
        for c in metric.compute(day):
            key = (c.dims.force_id, c.dims.unit_id, c.dims.cps_area_id, c.dims.offence_group, c.dims.category)
            row = merged.get(key)
            if row is None:
                merged[key] = MetricSnapshot(
                    metric=metric.id,
                    version=metric.version,
                    day=day,
                    force_id=c.dims.force_id,
                    unit_id=c.dims.unit_id,
                    cps_area_id=c.dims.cps_area_id,
                    offence_group=c.dims.offence_group,
                    category=c.dims.category,
                    numerator=c.numerator,
                    denominator=c.denominator,
                    histogram=list(c.histogram) if c.histogram is not None else None,
                )
            else:
                row.numerator += c.numerator
                row.denominator += c.denominator
                if c.histogram is not None:
                    base = row.histogram or [0] * len(c.histogram)
                    row.histogram = [a + b for a, b in zip(base, c.histogram, strict=True)]
        rows.extend(merged.values())
    with transaction.atomic():
        MetricSnapshot.objects.filter(day=day, metric__in=[m.id for m in metrics]).delete()
        MetricSnapshot.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def recompute_period(start: date, end: date, metric_ids: Iterable[str] | None = None) -> int:
    ids = list(metric_ids) if metric_ids is not None else None
    total, day = 0, start
    while day <= end:
        total += recompute_day(day, ids)
        day += timedelta(days=1)
    return total


def mark_dirty(days: Iterable[date]) -> None:
    unique = sorted(set(days))
    if unique:
        DirtyDay.objects.bulk_create(
            [DirtyDay(day=d) for d in unique], update_conflicts=True, unique_fields=["day"], update_fields=["marked_at"]
        )


def mark_case_dirty(case: Case) -> None:
    """Mark today and every day the case's events fall on (``registry.CASE_DAY_SOURCES``)."""
    today = timezone.localdate()
    days: set[date] = {today}
    for source in CASE_DAY_SOURCES:
        days.update(d for d in source(case) if d <= today)
    mark_dirty(days)


def build_dirty_days(limit: int = 31) -> int:
    """Rebuild up to ``limit`` marked days, oldest first; returns how many were built."""
    built = 0
    for _ in range(limit):
        with transaction.atomic():
            dirty = DirtyDay.objects.select_for_update(skip_locked=True).order_by("day").first()
            if dirty is None:
                break
            seen = dirty.marked_at
            recompute_day(dirty.day)
            # Marked again while this was built (a change committed meanwhile): keep it for the next run.
            DirtyDay.objects.filter(pk=dirty.pk, marked_at=seen).delete()
        built += 1
    return built
