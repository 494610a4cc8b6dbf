"""Charging metrics (domain.md 8.1, 8.3): referrals, decisions and their timeliness, action plans."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db.models import Count, F, QuerySet

from casework.models import Case
from charging.models import ChargingRequest

from ..dimensions import case_dimension_values
from ..registry import Contribution, Metric, MetricUnit, Owner, register, register_case_days
from ._common import counts, day_bounds, period_bounds


def _referrals(day: date) -> Iterable[Contribution]:
    start, end = day_bounds(day)
    rows = (
        ChargingRequest.objects.filter(received_by_cps_at__gte=start, received_by_cps_at__lt=end)
        .values(**case_dimension_values("case__"), category_=F("category"))
        .annotate(n=Count("id"))
    )
    return counts(rows)


def _referral_cases(start: date, end: date) -> QuerySet[Case]:
    since, until = period_bounds(start, end)
    return Case.objects.filter(
        charging_requests__received_by_cps_at__gte=since, charging_requests__received_by_cps_at__lt=until
    ).distinct()


REFERRALS = register(
    Metric(
        id="referrals",
        name="Referrals for a charging decision",
        definition=(
            "Charging requests (MG3) received by the CPS: sent by a police supervisor to the CPS Area or CPS "
            "Direct. A request resubmitted after an action plan is not a new referral."
        ),
        numerator="Charging requests received by the CPS on the day",
        denominator="",
        unit=MetricUnit.COUNT,
        owner=Owner.JOINT,
        reads=("charging.ChargingRequest.received_by_cps_at", "charging.ChargingRequest.category"),
        version=1,
        compute=_referrals,
        cases=_referral_cases,
    )
)


@register_case_days
def _charging_days(case: Case) -> Iterable[date]:
    """Every day a charging timestamp of the case falls on (Europe/London)."""
    from django.utils import timezone

    stamps = ChargingRequest.objects.filter(case=case).values_list(
        "received_by_cps_at",
        "accepted_at",
        "returned_at",
        "allocated_at",
        "action_plan_issued_at",
        "resubmitted_at",
        "finalised_at",
        "decided_at",
    )
    return {timezone.localdate(stamp) for row in stamps for stamp in row if stamp is not None}
