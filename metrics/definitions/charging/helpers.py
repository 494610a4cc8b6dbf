"""The helpers the charging metrics share, and the file-quality metrics (``metrics.definitions.quality``)
with them: day arithmetic in SQL, the audit trail of a charging request, and folding grouped day counts into
histograms.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.db.models import CharField, Expression, F, Func, IntegerField, OuterRef, QuerySet, Subquery, UUIDField
from django.db.models.functions import Cast, TruncDate

from accounts.choices import AuditEventType
from accounts.models import AuditEvent
from casework.models import Case
from charging.models import ChargingRequest

from ...dimensions import case_dimension_values
from ...registry import HISTOGRAM_DAYS, Contribution, Dims
from .._common import LONDON, dims_of

# ---------------------------------------------------------------------------------------------
# Shared helpers

REQUEST_LABEL = ChargingRequest._meta.label_lower  # AuditEvent.object_type of a charging request
# The annotation holding a whole number of days (a plain name: "days_" would read as a lookup in filters).
NDAYS = "ndays"


def local_date(expression: str | Expression) -> TruncDate:
    """The Europe/London calendar date of a timestamp, in SQL."""
    return TruncDate(expression, tzinfo=LONDON)


def days_between(start: Expression, end: Expression) -> Func:
    """Whole days from the date ``start`` to the date ``end`` (PostgreSQL: date - date is an integer)."""
    return Func(end, start, template="(%(expressions)s)", arg_joiner=" - ", output_field=IntegerField())


def request_events(event_type: AuditEventType, request_ref: str = "public_id", **data: str) -> QuerySet[AuditEvent]:
    """The audit events of one type on the charging request named by ``OuterRef(request_ref)`` (its public
    id), for use in a subquery. ``data`` narrows on the event's data (``status="returned_not_to_standard"``)."""
    return AuditEvent.objects.filter(
        object_type=REQUEST_LABEL,
        object_id=Cast(OuterRef(request_ref), output_field=CharField()),
        event_type=event_type,
        **{f"data__{key}": value for key, value in data.items()},
    )


def requests_with_event(event_type: AuditEventType, since: datetime, until: datetime, **data: str) -> QuerySet[Any]:
    """The public ids of the charging requests with an event of that type in [since, until), as a subquery."""
    events = AuditEvent.objects.filter(
        object_type=REQUEST_LABEL,
        event_type=event_type,
        occurred_at__gte=since,
        occurred_at__lt=until,
        **{f"data__{key}": value for key, value in data.items()},
    )
    return events.annotate(request_uuid=Cast("object_id", output_field=UUIDField())).values("request_uuid")


def first_event_at(event_type: AuditEventType, request_ref: str = "public_id", **data: str) -> Subquery:
    return Subquery(request_events(event_type, request_ref, **data).order_by("occurred_at").values("occurred_at")[:1])


def day_contributions(rows: Iterable[Any], days: str = NDAYS, n: str = "n") -> list[Contribution]:
    """Rows grouped by dimensions and a whole number of days (with how many had it) as contributions of a DAYS
    metric: numerator the total days, denominator how many, and the histogram of days."""
    grouped: dict[Dims, Counter[int]] = defaultdict(Counter)
    for row in rows:
        grouped[dims_of(row)][max(int(row[days]), 0)] += int(row[n])
    contributions = []
    for dims, by_days in grouped.items():
        buckets = [0] * HISTOGRAM_DAYS
        for value, how_many in by_days.items():
            buckets[min(value, HISTOGRAM_DAYS - 1)] += how_many
        total = sum(value * how_many for value, how_many in by_days.items())
        contributions.append(Contribution(dims, float(total), float(by_days.total()), tuple(buckets)))
    return contributions


def _request_dims() -> dict[str, Any]:
    return {**case_dimension_values("case__"), "category_": F("category")}


def _cases_of(requests: QuerySet[Any], path: str = "case_id") -> QuerySet[Case]:
    return Case.objects.filter(pk__in=requests.values(path))
