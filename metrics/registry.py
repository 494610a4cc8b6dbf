"""The metric registry: one definition of each joint performance measure, shared by the police and the CPS.

Each ``Metric`` says what it measures in plain English, its formula (numerator and denominator), its unit,
which side owns it, the fields it reads and its version, and how to compute one day of it (``compute``) and
which cases are behind a number (``cases``). Definitions live in the ``metrics.definitions`` modules and are
registered with ``register``; ``REGISTRY`` is filled when the app is ready.

How a metric becomes numbers (``metrics.compute``): ``compute(day)`` returns the day's ``Contribution`` per
combination of dimensions. A *flow* metric counts what happened on that day (referrals received, decisions
made); a *stock* metric (``stock=True``) measures the position at the end of that day (open referrals,
people on bail), so a period shows its last day's value rather than a sum. Ratios are the sum of numerators
over the sum of denominators; day-count metrics (``unit=DAYS``) also carry a histogram of whole days so a
period's median and 90th percentile are exact.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from casework.models import Case

# Histogram buckets of whole days: 0..HISTOGRAM_DAYS-1; the last bucket holds everything longer.
HISTOGRAM_DAYS = 366


class MetricUnit(enum.StrEnum):
    COUNT = "count"  # a number of things: numerator summed (denominator unused)
    PERCENT = "percent"  # numerator / denominator × 100
    DAYS = "days"  # mean = numerator (total days) / denominator (how many); histogram for median and p90
    RATIO = "ratio"  # numerator / denominator (e.g. returns per case)


class Owner(enum.StrEnum):
    POLICE = "police"
    CPS = "cps"
    JOINT = "joint"


class CategoryKind(enum.StrEnum):
    """What a metric's ``category`` holds. For most charging measures it is the referral's charging category;
    for a few it is a breakdown of their own (the FQ code of a quality failure, the outcome of a dispute, how
    long someone has been on bail); the rest are not split at all."""

    CHARGING = "charging_category"
    FAILURE_REASON = "failure_reason"
    DISPUTE_OUTCOME = "dispute_outcome"
    AGE_BAND = "age_band"
    NONE = "none"


CATEGORY_KIND_LABELS = {
    CategoryKind.CHARGING: "Charging category",
    CategoryKind.FAILURE_REASON: "File quality failure reason (FQ code)",
    CategoryKind.DISPUTE_OUTCOME: "Dispute outcome",
    CategoryKind.AGE_BAND: "Time since bail or release began",
    CategoryKind.NONE: "Not split into categories",
}


@dataclass(frozen=True)
class Dims:
    """Where a contribution belongs. ``offence_group`` comes from ``metrics.dimensions.offence_group_expression``;
    ``category`` is the charging category ('' where none)."""

    force_id: int | None = None
    unit_id: int | None = None
    cps_area_id: int | None = None
    offence_group: str = ""
    category: str = ""


@dataclass(frozen=True)
class Contribution:
    dims: Dims
    numerator: float
    denominator: float = 0.0
    histogram: tuple[int, ...] | None = None


ComputeDay = Callable[[date], Iterable[Contribution]]
CasesBehind = Callable[[date, date], "QuerySet[Case]"]
CategoryCases = Callable[["QuerySet[Case]", str, date, date], "QuerySet[Case]"]


@dataclass(frozen=True)
class Metric:
    id: str
    name: str
    definition: str
    numerator: str
    denominator: str
    unit: MetricUnit
    owner: Owner
    reads: tuple[str, ...]
    version: int
    compute: ComputeDay = field(compare=False, repr=False)
    # The cases behind the numbers of [start, end] (inclusive days), before the dimension filters and the
    # user's scope are applied by ``metrics.selectors.cases_behind``.
    cases: CasesBehind = field(compare=False, repr=False)
    stock: bool = False
    # Shown with the definition: what the number does not cover, [K] caveats.
    notes: str = ""
    # What ``category`` holds (``CategoryKind``), the values it can take with their labels (for a breakdown
    # and to refuse anything else precisely), and, unless it is the charging category, how to narrow the
    # cases behind a number to one value: (cases, value, start, end) -> cases.
    category_kind: CategoryKind = CategoryKind.NONE
    category_choices: Callable[[], Sequence[tuple[str, str]]] | None = field(default=None, compare=False, repr=False)
    category_cases: CategoryCases | None = field(default=None, compare=False, repr=False)

    @property
    def category_label(self) -> str:
        return CATEGORY_KIND_LABELS[self.category_kind]

    def category_labels(self) -> dict[str, str]:
        if self.category_kind == CategoryKind.CHARGING:
            from charging.choices import ChargingCategory

            return dict(ChargingCategory.choices)
        return dict(self.category_choices()) if self.category_choices is not None else {}


REGISTRY: dict[str, Metric] = {}

# Functions that say which days' snapshots a change to a case may alter (its events' days); the
# case-changed hook marks them dirty (``metrics.compute.mark_case_dirty``).
CASE_DAY_SOURCES: list[Callable[[Case], Iterable[date]]] = []
# Those of them that read rows the other case-changed hooks rewrite (the deadline store's deadlines): the only
# ones whose days can differ before and after those hooks run, so the only ones read before them.
DERIVED_CASE_DAY_SOURCES: list[Callable[[Case], Iterable[date]]] = []


def register(metric: Metric) -> Metric:
    if metric.id in REGISTRY and REGISTRY[metric.id] is not metric:
        raise ValueError(f"Two metrics are registered as {metric.id!r}")
    REGISTRY[metric.id] = metric
    return metric


def register_case_days(source: Callable[[Case], Iterable[date]]) -> Callable[[Case], Iterable[date]]:
    if source not in CASE_DAY_SOURCES:
        CASE_DAY_SOURCES.append(source)
    return source


def register_derived_case_days(source: Callable[[Case], Iterable[date]]) -> Callable[[Case], Iterable[date]]:
    """``register_case_days`` for a source over rows another case-changed hook derives from the case."""
    if source not in DERIVED_CASE_DAY_SOURCES:
        DERIVED_CASE_DAY_SOURCES.append(source)
    return register_case_days(source)


def histogram_of(days: Iterable[int]) -> tuple[int, ...]:
    """Whole-day values as a histogram (negative values count as 0; long ones in the last bucket)."""
    buckets = [0] * HISTOGRAM_DAYS
    for value in days:
        buckets[min(max(int(value), 0), HISTOGRAM_DAYS - 1)] += 1
    return tuple(buckets)


def trimmed(histogram: Iterable[int]) -> list[int]:
    """A histogram without its trailing empty buckets, as it is stored: most values are a few days or weeks,
    so a stored histogram is a few dozen numbers, not 366, and adding them up in SQL costs that much less.
    Readers treat a missing bucket as 0."""
    values = list(histogram)
    while values and not values[-1]:
        values.pop()
    return values
