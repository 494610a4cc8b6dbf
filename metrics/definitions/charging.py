"""Charging metrics (domain.md 8.1, 8.3): referrals, decisions and their timeliness, action plans, open referrals.

Words used in every definition here:
- *received*: ``ChargingRequest.received_by_cps_at``, when a police supervisor last sent the request to the CPS
  (a request returned as not to the National File Standard is received again when it is sent back);
- *first sent*: the first time it reached the CPS (its first ``CHARGING_REQUEST_APPROVED`` audit event);
- *final decision*: a charge, no further action (evidential or public interest) or an out-of-court disposal
  (``charging.choices.FINAL_OUTCOMES``). A correction (``ChargingDecision.corrects``) keeps the outcome and is
  never counted again: only the decision it corrects counts, on the day it was made;
- days are whole calendar days in Europe/London between the two events' dates.

Also the helpers the file-quality metrics (``metrics.definitions.quality``) share: day arithmetic in SQL, the
audit trail of a charging request, and folding grouped day counts into histograms.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from django.db.models import (
    CharField,
    Count,
    DateField,
    Exists,
    Expression,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    UUIDField,
    Value,
)
from django.db.models.functions import Cast, Least, TruncDate
from django.utils import timezone

from accounts.choices import AuditEventType
from accounts.models import AuditEvent
from casework.models import Case
from charging.choices import (
    ANSWERED_STATUSES,
    FINAL_OUTCOMES,
    INTERIM_OUTCOMES,
    ChargingCategory,
    DecisionOutcome,
    RequestStatus,
)
from charging.models import ActionPlanItem, ChargingDecision, ChargingRequest, Resubmission

from ..dimensions import case_dimension_values
from ..registry import (
    HISTOGRAM_DAYS,
    CategoryKind,
    Contribution,
    Dims,
    Metric,
    MetricUnit,
    Owner,
    register,
    register_case_days,
)
from ._common import LONDON, counts, day_bounds, dims_of, period_bounds

# ---------------------------------------------------------------------------------------------
# Shared helpers

REQUEST_LABEL = ChargingRequest._meta.label_lower  # AuditEvent.object_type of a charging request
NON_CUSTODY = (ChargingCategory.GREEN, ChargingCategory.GREEN_PRIORITY)
NON_CUSTODY_DAYS = 28
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


# ---------------------------------------------------------------------------------------------
# Action plans


def _resubmissions(since: datetime, until: datetime) -> QuerySet[Resubmission]:
    """Resubmissions (MG3A, and reopenings of finalised requests) in [since, until), with ``ndays`` since the
    action plan or early advice they answer: the latest one issued on the request before them."""
    plan = ChargingDecision.objects.filter(
        request=OuterRef("request"), outcome__in=INTERIM_OUTCOMES, decided_at__lte=OuterRef("submitted_at")
    ).order_by("-decided_at", "-id")
    return (
        Resubmission.objects.filter(submitted_at__gte=since, submitted_at__lt=until)
        .annotate(plan_at=Subquery(plan.values("decided_at")[:1]))
        .filter(plan_at__isnull=False)
        .annotate(ndays=days_between(local_date("plan_at"), local_date("submitted_at")))
    )


def _action_plan_turnaround(day: date) -> Iterable[Contribution]:
    rows = (
        _resubmissions(*day_bounds(day))
        .values(NDAYS, **case_dimension_values("request__case__"), category_=F("request__category"))
        .annotate(n=Count("id"))
    )
    return day_contributions(rows)


ACTION_PLAN_TURNAROUND = register(
    Metric(
        id="action_plan_turnaround",
        category_kind=CategoryKind.CHARGING,
        name="Action plan turnaround",
        definition=(
            "For each police resubmission on the day (an MG3A answering an action plan or early advice, or the "
            "reopening of an administratively finalised request when the material arrived), the calendar days "
            "from the action plan it answers (the latest one issued on the request before it) to the "
            "resubmission; mean, median and 90th percentile."
        ),
        numerator="Total days from action plan to resubmission, over the resubmissions on the day",
        denominator="Resubmissions (MG3A or reopening) on the day",
        unit=MetricUnit.DAYS,
        owner=Owner.POLICE,
        reads=(
            "charging.Resubmission.submitted_at",
            "charging.ChargingDecision.outcome",
            "charging.ChargingDecision.decided_at",
            "charging.ChargingRequest.category",
        ),
        version=1,
        compute=_action_plan_turnaround,
        cases=lambda start, end: _cases_of(_resubmissions(*period_bounds(start, end)), "request__case_id"),
    )
)


def _answered(since: datetime, until: datetime) -> QuerySet[ActionPlanItem]:
    return ActionPlanItem.objects.filter(
        status__in=ANSWERED_STATUSES, responded_at__gte=since, responded_at__lt=until
    ).annotate(answered_on=local_date("responded_at"))


def _action_items_on_time(day: date) -> Iterable[Contribution]:
    rows = (
        _answered(*day_bounds(day))
        .values(**case_dimension_values("request__case__"), category_=F("request__category"))
        .annotate(n=Count("id", filter=Q(answered_on__lte=F("due_on"))), d=Count("id"))
    )
    return counts(rows, "n", "d")


ACTION_ITEMS_ON_TIME = register(
    Metric(
        id="action_items_on_time",
        category_kind=CategoryKind.CHARGING,
        name="Action plan items answered on time",
        definition=(
            "Of the action plan items the police answered on the day (done, cannot be done, or disputed), the "
            "share answered on or before their due date. An answer changed before the resubmission counts on the "
            "day of its latest change (only that is kept); an item never answered is not counted here (see "
            "administrative finalisations)."
        ),
        numerator="Action plan items answered on the day, on or before their due date",
        denominator="Action plan items answered on the day",
        unit=MetricUnit.PERCENT,
        owner=Owner.POLICE,
        reads=(
            "charging.ActionPlanItem.status",
            "charging.ActionPlanItem.responded_at",
            "charging.ActionPlanItem.due_on",
        ),
        version=1,
        compute=_action_items_on_time,
        cases=lambda start, end: _cases_of(_answered(*period_bounds(start, end)), "request__case_id"),
    )
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


# ---------------------------------------------------------------------------------------------
# Which days a case's change touches


@register_case_days
def _charging_days(case: Case) -> Iterable[date]:
    """Every day a charging timestamp of the case falls on (Europe/London)."""
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


_REQUEST_EVENTS = (
    AuditEventType.CHARGING_REQUEST_APPROVED,
    AuditEventType.CHARGING_REQUEST_RETURNED,
    AuditEventType.CHARGING_REQUEST_WITHDRAWN,
    AuditEventType.CHARGING_REQUEST_FINALISED,
)


@register_case_days
def _charging_event_days(case: Case) -> Iterable[date]:
    """The days of the case's charging events that the request row does not keep: every send to the CPS (a
    request sent again keeps only its latest), return, withdrawal and finalisation; every decision (and
    correction), resubmission and answered action. A stock (open referrals) changes only from the day of such
    an event onwards; when the case's dimensions change, ``metrics.compute.case_days`` marks every day."""
    stamps: list[datetime | None] = list(
        AuditEvent.objects.filter(case_id=case.public_id, event_type__in=_REQUEST_EVENTS).values_list(
            "occurred_at", flat=True
        )
    )
    stamps += ChargingDecision.objects.filter(request__case=case).values_list("decided_at", flat=True)
    stamps += Resubmission.objects.filter(request__case=case).values_list("submitted_at", flat=True)
    stamps += ActionPlanItem.objects.filter(request__case=case, responded_at__isnull=False).values_list(
        "responded_at", flat=True
    )
    return {timezone.localdate(stamp) for stamp in stamps if stamp is not None}
