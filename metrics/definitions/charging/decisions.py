"""Referrals for a charging decision and the decisions on them: referrals received, the outcomes of the
final decisions, administrative finalisations, and the timeliness of decisions.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from django.db.models import Count, F, Q, QuerySet

from accounts.choices import AuditEventType
from casework.models import Case
from charging.choices import FINAL_OUTCOMES, ChargingCategory, DecisionOutcome
from charging.models import ChargingDecision, ChargingRequest

from ...dimensions import case_dimension_values
from ...registry import CategoryKind, Contribution, Metric, MetricUnit, Owner, register
from .._common import counts, day_bounds, period_bounds
from .helpers import NDAYS, _cases_of, _request_dims, day_contributions, days_between, local_date, requests_with_event

NON_CUSTODY = (ChargingCategory.GREEN, ChargingCategory.GREEN_PRIORITY)
NON_CUSTODY_DAYS = 28


# ---------------------------------------------------------------------------------------------
# Referrals


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
        category_kind=CategoryKind.CHARGING,
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


# ---------------------------------------------------------------------------------------------
# Decisions: outcomes, administrative finalisation


def _final_decisions(since: datetime, until: datetime) -> QuerySet[ChargingDecision]:
    """Final decisions made in [since, until), corrections left out (they repeat the decision they correct)."""
    return ChargingDecision.objects.filter(
        outcome__in=FINAL_OUTCOMES, corrects__isnull=True, decided_at__gte=since, decided_at__lt=until
    )


def _final_decision_cases(start: date, end: date) -> QuerySet[Case]:
    return _cases_of(_final_decisions(*period_bounds(start, end)), "request__case_id")


def _outcome_share(outcome: DecisionOutcome) -> Any:
    def compute(day: date) -> Iterable[Contribution]:
        rows = (
            _final_decisions(*day_bounds(day))
            .values(**case_dimension_values("request__case__"), category_=F("request__category"))
            .annotate(n=Count("id", filter=Q(outcome=outcome)), d=Count("id"))
        )
        return counts(rows, "n", "d")

    return compute


_DECISION_READS = (
    "charging.ChargingDecision.outcome",
    "charging.ChargingDecision.decided_at",
    "charging.ChargingDecision.corrects",
    "charging.ChargingRequest.category",
)
_FINAL_DENOMINATOR = (
    "Final charging decisions made by the CPS on the day (charge, no further action or out-of-court disposal; "
    "a correction is not a new decision)"
)

CHARGE_RATE = register(
    Metric(
        id="charge_rate",
        category_kind=CategoryKind.CHARGING,
        name="Charge rate",
        definition=(
            "The share of the CPS's final charging decisions that were to charge (the CPS's published charge "
            "rate: suspects charged over all legal decisions). Action plans and early advice defer the decision "
            "and are not counted; a corrected decision counts once, on the day it was first made."
        ),
        numerator="Final decisions to charge made on the day",
        denominator=_FINAL_DENOMINATOR,
        unit=MetricUnit.PERCENT,
        owner=Owner.CPS,
        reads=_DECISION_READS,
        version=1,
        compute=_outcome_share(DecisionOutcome.CHARGE),
        cases=_final_decision_cases,
    )
)

NFA_EVIDENTIAL = register(
    Metric(
        id="nfa_evidential",
        category_kind=CategoryKind.CHARGING,
        name="No further action: evidential",
        definition=(
            "The share of final charging decisions that were no further action because there was no realistic "
            "prospect of conviction (the evidential stage of the Full Code Test)."
        ),
        numerator="Final decisions of no further action (evidential) made on the day",
        denominator=_FINAL_DENOMINATOR,
        unit=MetricUnit.PERCENT,
        owner=Owner.CPS,
        reads=_DECISION_READS,
        version=1,
        compute=_outcome_share(DecisionOutcome.NO_FURTHER_ACTION_EVIDENTIAL),
        cases=_final_decision_cases,
    )
)

NFA_PUBLIC_INTEREST = register(
    Metric(
        id="nfa_public_interest",
        category_kind=CategoryKind.CHARGING,
        name="No further action: public interest",
        definition=(
            "The share of final charging decisions that were no further action because a prosecution was not "
            "in the public interest."
        ),
        numerator="Final decisions of no further action (public interest) made on the day",
        denominator=_FINAL_DENOMINATOR,
        unit=MetricUnit.PERCENT,
        owner=Owner.CPS,
        reads=_DECISION_READS,
        version=1,
        compute=_outcome_share(DecisionOutcome.NO_FURTHER_ACTION_PUBLIC_INTEREST),
        cases=_final_decision_cases,
    )
)

OOCD = register(
    Metric(
        id="oocd",
        category_kind=CategoryKind.CHARGING,
        name="Out-of-court disposals",
        definition="The share of final charging decisions where the CPS authorised an out-of-court disposal.",
        numerator="Final decisions authorising an out-of-court disposal made on the day",
        denominator=_FINAL_DENOMINATOR,
        unit=MetricUnit.PERCENT,
        owner=Owner.CPS,
        reads=_DECISION_READS,
        version=1,
        compute=_outcome_share(DecisionOutcome.OUT_OF_COURT_DISPOSAL),
        cases=_final_decision_cases,
    )
)


def _finalised(since: datetime, until: datetime) -> QuerySet[ChargingRequest]:
    return ChargingRequest.objects.filter(
        public_id__in=requests_with_event(AuditEventType.CHARGING_REQUEST_FINALISED, since, until)
    )


def _administrative_finalisations(day: date) -> Iterable[Contribution]:
    rows = _finalised(*day_bounds(day)).values(**_request_dims()).annotate(n=Count("id"))
    return counts(rows)


ADMINISTRATIVE_FINALISATIONS = register(
    Metric(
        id="administrative_finalisations",
        category_kind=CategoryKind.CHARGING,
        name="Administrative finalisations",
        definition=(
            "Charging requests administratively finalised because the action plan (or early advice) went "
            "unanswered past the configured period. A case-management status, not a legal decision: a request "
            "reopened and finalised again counts again on its new day. Read from the audit trail, because the "
            "request keeps only its latest finalisation."
        ),
        numerator="Charging requests administratively finalised on the day",
        denominator="",
        unit=MetricUnit.COUNT,
        owner=Owner.JOINT,
        reads=("accounts.AuditEvent (charging_request_finalised)", "charging.ChargingRequest.category"),
        version=1,
        compute=_administrative_finalisations,
        cases=lambda start, end: _cases_of(_finalised(*period_bounds(start, end))),
    )
)


# ---------------------------------------------------------------------------------------------
# Timeliness of decisions


def _decided(since: datetime, until: datetime) -> QuerySet[ChargingRequest]:
    """Requests that got their final decision in [since, until) (``decided_at`` is set only by a final decision
    and never moved by a correction), with ``ndays`` from when the CPS received them."""
    return ChargingRequest.objects.filter(
        decided_at__gte=since, decided_at__lt=until, received_by_cps_at__isnull=False
    ).annotate(ndays=days_between(local_date("received_by_cps_at"), local_date("decided_at")))


def _days_referral_to_decision(day: date) -> Iterable[Contribution]:
    rows = _decided(*day_bounds(day)).values(NDAYS, **_request_dims()).annotate(n=Count("id"))
    return day_contributions(rows)


DAYS_REFERRAL_TO_DECISION = register(
    Metric(
        id="days_referral_to_decision",
        category_kind=CategoryKind.CHARGING,
        name="Days from referral to charging decision",
        definition=(
            "For each charging request that got its final decision on the day, the calendar days from when the "
            "CPS received it to the decision, with the mean, median and 90th percentile, by charging category. "
            "Action plans and early advice on the way are included (the clock does not stop for them). A request "
            "returned as not to the National File Standard counts from when it was sent back to the CPS, because "
            "the CPS could not start on a file it had returned."
        ),
        numerator="Total days from receipt to final decision, over the requests decided on the day",
        denominator="Charging requests that got their final decision on the day",
        unit=MetricUnit.DAYS,
        owner=Owner.CPS,
        reads=(
            "charging.ChargingRequest.received_by_cps_at",
            "charging.ChargingRequest.decided_at",
            "charging.ChargingRequest.category",
        ),
        version=1,
        compute=_days_referral_to_decision,
        cases=lambda start, end: _cases_of(_decided(*period_bounds(start, end))),
    )
)


def _non_custody_decided(since: datetime, until: datetime) -> QuerySet[ChargingRequest]:
    return _decided(since, until).filter(category__in=NON_CUSTODY)


def _non_custody_within_28_days(day: date) -> Iterable[Contribution]:
    rows = (
        _non_custody_decided(*day_bounds(day))
        .values(**_request_dims())
        .annotate(n=Count("id", filter=Q(ndays__lte=NON_CUSTODY_DAYS)), d=Count("id"))
    )
    return counts(rows, "n", "d")


NON_CUSTODY_WITHIN_28_DAYS = register(
    Metric(
        id="non_custody_within_28_days",
        category_kind=CategoryKind.CHARGING,
        name="Non-custody decisions within 28 days",
        definition=(
            "Of the Green and Green Priority (non-custody) charging requests that got their final decision on the "
            "day, the share decided within 28 calendar days of the CPS receiving them (the decision's date at "
            "most 28 days after the receipt's date). Received counts from the last time the request was sent to "
            "the CPS, as for the days from referral to decision."
        ),
        numerator="Non-custody requests decided on the day, within 28 days of receipt",
        denominator="Non-custody (Green and Green Priority) requests that got their final decision on the day",
        unit=MetricUnit.PERCENT,
        owner=Owner.CPS,
        reads=(
            "charging.ChargingRequest.received_by_cps_at",
            "charging.ChargingRequest.decided_at",
            "charging.ChargingRequest.category",
        ),
        version=1,
        compute=_non_custody_within_28_days,
        cases=lambda start, end: _cases_of(_non_custody_decided(*period_bounds(start, end))),
    )
)
