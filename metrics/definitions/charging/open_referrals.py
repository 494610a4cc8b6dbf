"""Open referrals, a stock at the end of the day: how many charging requests are open, and how long they
have been open.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from django.db.models import Count, DateField, Exists, F, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Least

from accounts.choices import AuditEventType
from casework.models import Case
from charging.choices import RequestStatus
from charging.models import ChargingRequest, Resubmission

from ...registry import CategoryKind, Contribution, Metric, MetricUnit, Owner, register
from .._common import counts, day_bounds, period_bounds
from .helpers import (
    _cases_of,
    _request_dims,
    day_contributions,
    days_between,
    first_event_at,
    local_date,
    request_events,
)

# ---------------------------------------------------------------------------------------------
# Open referrals (stock at the end of the day)


def first_sent_expression() -> Least:
    """When the request first reached the CPS: its first approval event, or ``received_by_cps_at`` where the
    event is missing (PostgreSQL's LEAST ignores NULLs)."""
    return Least("received_by_cps_at", first_event_at(AuditEventType.CHARGING_REQUEST_APPROVED))


def _open_at(end: datetime) -> QuerySet[ChargingRequest]:
    """Requests open at ``end``: first sent to the CPS before it, and by then neither decided, withdrawn, nor
    administratively finalised (without a reopening since)."""
    last_finalised = (
        request_events(AuditEventType.CHARGING_REQUEST_FINALISED)
        .filter(occurred_at__lt=end)
        .order_by("-occurred_at")
        .values("occurred_at")[:1]
    )
    last_reopened = (
        Resubmission.objects.filter(request=OuterRef("pk"), reopened=True, submitted_at__lt=end)
        .order_by("-submitted_at")
        .values("submitted_at")[:1]
    )
    withdrawn = request_events(AuditEventType.CHARGING_REQUEST_WITHDRAWN).filter(occurred_at__lt=end)
    return (
        ChargingRequest.objects.filter(received_by_cps_at__isnull=False)
        .exclude(decided_at__lt=end)
        .annotate(
            first_sent=first_sent_expression(),
            last_finalised=Subquery(last_finalised),
            last_reopened=Subquery(last_reopened),
        )
        .filter(first_sent__lt=end)
        .exclude(Q(status=RequestStatus.WITHDRAWN) & Exists(withdrawn))
        .exclude(
            Q(last_finalised__isnull=False) & (Q(last_reopened__isnull=True) | Q(last_reopened__lt=F("last_finalised")))
        )
    )


def _open_referrals(day: date) -> Iterable[Contribution]:
    rows = _open_at(day_bounds(day)[1]).values(**_request_dims()).annotate(n=Count("id"))
    return counts(rows)


def _open_referral_age(day: date) -> Iterable[Contribution]:
    age = days_between(local_date("first_sent"), Value(day, output_field=DateField()))
    rows = _open_at(day_bounds(day)[1]).values(**_request_dims(), ndays=age).annotate(n=Count("id"))
    return day_contributions(rows)


def _open_cases(start: date, end: date) -> QuerySet[Case]:
    # The stock at the end of the period (what the period's figure shows).
    return _cases_of(_open_at(period_bounds(start, end)[1]))


_OPEN_DEFINITION = (
    "Charging requests open at the end of the day: first sent to the CPS by then, and by then neither decided "
    "(a final decision), withdrawn, nor administratively finalised (a finalised request reopened later is open "
    "again from its reopening). Requests waiting for the police (returned as not to the National File Standard, "
    "or with an action plan) are open: they are still waiting for a decision. A period shows its last day."
)
_OPEN_READS = (
    "charging.ChargingRequest.received_by_cps_at",
    "charging.ChargingRequest.decided_at",
    "charging.ChargingRequest.status",
    "charging.ChargingRequest.category",
    "charging.Resubmission.reopened",
    "accounts.AuditEvent (charging_request_approved, _withdrawn, _finalised)",
)

OPEN_REFERRALS = register(
    Metric(
        id="open_referrals",
        category_kind=CategoryKind.CHARGING,
        name="Open referrals",
        definition=_OPEN_DEFINITION,
        numerator="Charging requests open at the end of the day",
        denominator="",
        unit=MetricUnit.COUNT,
        owner=Owner.JOINT,
        reads=_OPEN_READS,
        version=1,
        compute=_open_referrals,
        cases=_open_cases,
        stock=True,
    )
)

OPEN_REFERRAL_AGE = register(
    Metric(
        id="open_referral_age",
        category_kind=CategoryKind.CHARGING,
        name="Age of open referrals",
        definition=(
            "How long the open referrals have been open at the end of the day: calendar days from when each was "
            "first sent to the CPS to the day, with the mean, median and 90th percentile. " + _OPEN_DEFINITION
        ),
        numerator="Total age in days of the requests open at the end of the day",
        denominator="Charging requests open at the end of the day",
        unit=MetricUnit.DAYS,
        owner=Owner.JOINT,
        reads=_OPEN_READS,
        version=1,
        compute=_open_referral_age,
        cases=_open_cases,
        stock=True,
    )
)
