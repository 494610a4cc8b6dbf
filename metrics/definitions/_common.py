"""Helpers shared by the metric definitions: a day's bounds in Europe/London, and turning grouped rows into
contributions."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any

from casework.deadlines.calculations import start_of_day
from casework.deadlines.calendar import LONDON

from ..registry import Contribution, Dims

__all__ = ["LONDON", "counts", "day_bounds", "dims_of", "period_bounds"]


def day_bounds(day: date) -> tuple[datetime, datetime]:
    """[start, end) of a calendar day in Europe/London, as aware datetimes (right across the clock changes)."""
    return start_of_day(day), start_of_day(day + timedelta(days=1))


def period_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    return day_bounds(start)[0], day_bounds(end)[1]


def dims_of(row: Any, category: str = "") -> Dims:
    """The dimensions of a row grouped with ``metrics.dimensions.case_dimension_values`` (plus ``category_``
    when the query grouped by a charging category)."""
    return Dims(
        force_id=row["force_id_"],
        unit_id=row["unit_id_"],
        cps_area_id=row["cps_area_id_"],
        offence_group=row["offence_group_"] or "",
        category=row.get("category_", category) or "",
    )


def counts(rows: Iterable[Any], numerator: str = "n", denominator: str | None = None) -> list[Contribution]:
    return [
        Contribution(dims_of(row), float(row[numerator] or 0), float(row[denominator] or 0) if denominator else 0.0)
        for row in rows
    ]
