"""Building the daily snapshots: one day at a time, from scratch for that day, so a day rebuilt incrementally
(because its data changed) equals the same day rebuilt in a full recompute.

- ``recompute_day(day)`` replaces every snapshot row of that day (all metrics, or the ones named) in one
  transaction: readers see the old rows or the new ones, never a half-built day. The same transaction records
  the day as built (``BuiltDay``) and brings the rollup the dashboards read up to date (``metrics.rollup``).
- ``mark_dirty(days)`` / ``mark_case_dirty(case)`` record which days' source data changed. The case-changed
  hooks (``casework.services._common.CASE_CHANGED_HOOKS``) call it in the same transaction as the change, so
  a committed change always leaves its days marked. The days derived rows are about to leave (a deadline's old
  due day) are read before the deadline store recomputes the case's deadlines
  (``mark_case_dirty_before_derived``), the rest after everything else, and all of them are marked there in one
  write. A case being created has only today, and its deadlines' days (``case_days``).
  What changes with no change to a case (alerts raised, acknowledged and escalated; stock metrics on a new
  day) is caught by ``metrics.tasks.recompute_recent`` just after midnight, which marks yesterday and today.
- ``build_dirty_days()`` (Celery: ``metrics.tasks.build_snapshots``) rebuilds the marked days, each under a
  row lock taken with SKIP LOCKED so two workers never build the same day; a day marked again while it is
  being built stays marked and is built once more.
- ``recompute_period(start, end)`` rebuilds any period (``manage.py recompute_metrics``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from contextvars import ContextVar
from datetime import date, timedelta

from django.apps import apps
from django.db import transaction
from django.utils import timezone

from casework.hooks import is_being_created
from casework.models import Case, OffenceAllegation

from . import rollup
from .models import BuiltDay, DirtyDay, MetricSnapshot
from .registry import CASE_DAY_SOURCES, DERIVED_CASE_DAY_SOURCES, REGISTRY, trimmed


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
        for row in merged.values():
            if row.histogram is not None:
                row.histogram = trimmed(row.histogram)
        rows.extend(merged.values())
    write_day(day, [m.id for m in metrics], rows)
    return len(rows)


def write_day(day: date, metric_ids: Sequence[str], rows: Sequence[MetricSnapshot]) -> None:
    """Replace the metrics' snapshot rows of ``day`` by ``rows``, record the day as built for them and bring
    the rollup up to date, in one transaction."""
    metrics = [REGISTRY[m] for m in metric_ids]
    ids = list(metric_ids)
    flow = [m.id for m in metrics if not m.stock]
    stock = [m.id for m in metrics if m.stock]
    month = rollup.month_of(day)
    with transaction.atomic():
        rollup.lock_month(month)
        rollup.month_delta(day, flow, -1)
        MetricSnapshot.objects.filter(day=day, metric__in=ids).delete()
        MetricSnapshot.objects.bulk_create(rows, batch_size=2000)
        rollup.month_delta(day, flow, +1)
        rollup.drop_empty(month, flow)
        BuiltDay.objects.bulk_create(
            [BuiltDay(metric=metric_id, day=day) for metric_id in ids],
            update_conflicts=True,
            unique_fields=["metric", "day"],
            update_fields=["built_at"],
        )
        rollup.rebuild_stock_month(month, stock)
        rollup.rebuild_day(day, ids)


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


def _dimensions_may_have_changed(case: Case) -> bool:
    """Whether this change may have moved the case to other dimension values (``metrics.dimensions``): its CPS
    Area, force or unit differ from the previous version in its row history (pghistory), or its first offence,
    which gives its offence group, was added or changed today."""
    versions = list(
        apps.get_model("casework", "CaseEvent")
        .objects.filter(pgh_obj_id=case.pk)
        .order_by("-pgh_id")
        .values_list("force_id", "unit_id", "cps_area_id")[:2]
    )
    if len(versions) == 2 and versions[0] != versions[1]:
        return True
    first = OffenceAllegation.objects.filter(case_id=case.pk).order_by("created_at", "id").values("updated_at")[:1]
    changed = [row["updated_at"] for row in first]
    return bool(changed) and timezone.localdate(changed[0]) >= timezone.localdate()


def case_days(case: Case, *, before: Iterable[date] = ()) -> set[date]:
    """Today and every day up to today the case's events fall on (``registry.CASE_DAY_SOURCES``), with the
    ``before`` days (its derived rows' days before they were recomputed). When the case's dimensions may have
    changed, every day from its earliest event to today: the case then moves between dimension values on all
    of them, including the days in between its events that a stock metric (people on bail, open referrals)
    counts it on.

    A case being created (``casework.services._common.is_being_created``) has no events and no earlier version,
    so only the derived sources (the deadlines the store has just given it, if any) are read."""
    today = timezone.localdate()
    days: set[date] = {today, *(d for d in before if d <= today)}
    if is_being_created(case):
        for source in DERIVED_CASE_DAY_SOURCES:
            days.update(d for d in source(case) if d <= today)
        return days
    for source in CASE_DAY_SOURCES:
        days.update(d for d in source(case) if d <= today)
    if _dimensions_may_have_changed(case):
        first = min(days)
        days.update(first + timedelta(days=n) for n in range((today - first).days + 1))
    return days


# The days of a case's derived rows before the other hooks recompute them, from the first hook to the last, by
# case id. Not stored in the database: both hooks run in the same call of the case-changed hooks.
_DERIVED_DAYS_BEFORE: ContextVar[dict[int, frozenset[date]] | None] = ContextVar(
    "metrics_derived_days_before", default=None
)


def mark_case_dirty(case: Case) -> None:
    """Mark the days a change to the case may alter (``case_days``), the last case-changed hook: with the days its
    derived rows had before the others ran (``mark_case_dirty_before_derived``), so that a deadline given a new
    due time marks both its old day and its new one."""
    pending = _DERIVED_DAYS_BEFORE.get() or {}
    before = pending.get(case.pk, frozenset())
    if case.pk in pending:
        _DERIVED_DAYS_BEFORE.set({pk: days for pk, days in pending.items() if pk != case.pk})
    mark_dirty(case_days(case, before=before))


def mark_case_dirty_before_derived(case: Case) -> None:
    """The first case-changed hook: note the days of the case's derived rows (its deadlines) before the
    deadline store recomputes them, for ``mark_case_dirty`` to mark with the rest. Nothing else the hooks read
    changes in between, so only the derived sources are read here; a case being created has none yet."""
    if is_being_created(case):
        return
    days = frozenset(d for source in DERIVED_CASE_DAY_SOURCES for d in source(case))
    _DERIVED_DAYS_BEFORE.set({**(_DERIVED_DAYS_BEFORE.get() or {}), case.pk: days})


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
