"""File-quality metrics (domain.md 7, 8.3): first-time acceptance against the National File Standard (NFS) by
the automated checks and by CPS triage, returns as not to standard, the CPS assessment's failure reasons and
the outcome of police disputes of them.

Two metrics here put something other than a charging category in the ``category`` dimension, because a count
by failure code or by dispute outcome is what they are about: ``quality_failure_reasons`` (the FQ code) and
``dispute_outcomes`` (upheld or overturned). Their definitions say so.

A return "as not to standard" is read from the audit trail (``CHARGING_REQUEST_RETURNED`` events whose data
says the request moved to ``returned_not_to_standard``), because ``ChargingRequest.returned_at`` keeps only the
latest return; the same event type with status ``draft`` is a police supervisor sending the MG3 back to the
officer, which is not a CPS return.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from django.db.models import Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce, Least
from django.utils import timezone

from accounts.choices import AuditEventType
from casework.models import Case
from charging.choices import RequestStatus
from charging.models import ChargingRequest
from files.choices import DisputeOutcome
from files.models import AssessmentFailure, QualityReport
from files.quality.rules import FAILURE_CODES

from ..dimensions import case_dimension_values
from ..registry import CategoryKind, Contribution, Metric, MetricUnit, Owner, register, register_case_days
from ._common import counts, day_bounds, period_bounds
from .charging import first_event_at, request_events, requests_with_event

RETURNED = AuditEventType.CHARGING_REQUEST_RETURNED
NOT_TO_STANDARD = RequestStatus.RETURNED_NOT_TO_STANDARD.value


def _request_dims() -> dict[str, object]:
    return {**case_dimension_values("case__"), "category_": F("category")}


def _cases_of(rows: QuerySet[ChargingRequest] | QuerySet[AssessmentFailure], path: str = "case_id") -> QuerySet[Case]:
    return Case.objects.filter(pk__in=rows.values(path))


# ---------------------------------------------------------------------------------------------
# First-time acceptance: the automated checks


def _received(since: datetime, until: datetime) -> QuerySet[ChargingRequest]:
    """Requests received by the CPS in [since, until), with ``blocking`` of the file each carried: the blocking
    findings of the check run when the file was submitted (a submitted file never changes afterwards), NULL
    when the request carries no file."""
    on_submission = QualityReport.objects.filter(submission=OuterRef("submission"), on_submission=True).order_by(
        "-created_at", "-id"
    )
    return ChargingRequest.objects.filter(received_by_cps_at__gte=since, received_by_cps_at__lt=until).annotate(
        blocking=Subquery(on_submission.values("blocking_count")[:1], output_field=IntegerField())
    )


def _first_time_acceptance_automated(day: date) -> Iterable[Contribution]:
    rows = (
        _received(*day_bounds(day))
        .values(**_request_dims())
        .annotate(n=Count("id", filter=Q(blocking=0)), d=Count("id"))
    )
    return counts(rows, "n", "d")


FIRST_TIME_ACCEPTANCE_AUTOMATED = register(
    Metric(
        id="first_time_acceptance_automated",
        category_kind=CategoryKind.CHARGING,
        name="First-time acceptance: automated National File Standard checks",
        definition=(
            "Of the charging requests received by the CPS on the day, the share whose file passed the automated "
            "National File Standard checks: the check run when the file was submitted found nothing that must be "
            "fixed. A file sent with blocking problems that a police supervisor overrode did not pass, and nor "
            "did a request that carried no file. A request returned and sent again counts on the day it was "
            "sent again, with the file it then carried."
        ),
        numerator="Requests received on the day whose file had no blocking quality finding when submitted",
        denominator="Charging requests received by the CPS on the day",
        unit=MetricUnit.PERCENT,
        owner=Owner.POLICE,
        reads=(
            "charging.ChargingRequest.received_by_cps_at",
            "charging.ChargingRequest.submission",
            "files.QualityReport.on_submission",
            "files.QualityReport.blocking_count",
        ),
        version=1,
        compute=_first_time_acceptance_automated,
        cases=lambda start, end: _cases_of(_received(*period_bounds(start, end))),
    )
)


# ---------------------------------------------------------------------------------------------
# First-time acceptance: CPS triage


def _first_triaged(since: datetime, until: datetime) -> QuerySet[ChargingRequest]:
    """Requests whose first triage outcome fell in [since, until): the earlier of their first return as not to
    standard and their acceptance (a request is accepted at most once, and never returned after it), with
    ``first_return`` (NULL when never returned)."""
    returned_then = requests_with_event(RETURNED, since, until, status=NOT_TO_STANDARD)
    return (
        ChargingRequest.objects.filter(
            Q(accepted_at__gte=since, accepted_at__lt=until) | Q(public_id__in=returned_then)
        )
        .annotate(first_return=first_event_at(RETURNED, status=NOT_TO_STANDARD))
        .annotate(first_triage=Least("first_return", "accepted_at"))
        .filter(first_triage__gte=since, first_triage__lt=until)
    )


def _first_time_acceptance_cps(day: date) -> Iterable[Contribution]:
    rows = (
        _first_triaged(*day_bounds(day))
        .values(**_request_dims())
        .annotate(n=Count("id", filter=Q(first_return__isnull=True)), d=Count("id"))
    )
    return counts(rows, "n", "d")


FIRST_TIME_ACCEPTANCE_CPS = register(
    Metric(
        id="first_time_acceptance_cps",
        category_kind=CategoryKind.CHARGING,
        name="First-time acceptance: CPS triage",
        definition=(
            "Of the charging requests CPS triage dealt with for the first time on the day, the share it accepted "
            "at that first triage, never having returned them as not to the National File Standard. A request's "
            "first triage is the earlier of its first return as not to standard and its acceptance; returns are "
            "read from the audit trail because the request keeps only its latest."
        ),
        numerator="Requests first triaged on the day and accepted at that triage",
        denominator="Requests first triaged on the day (accepted or returned as not to standard)",
        unit=MetricUnit.PERCENT,
        owner=Owner.JOINT,
        reads=(
            "charging.ChargingRequest.accepted_at",
            "charging.ChargingRequest.category",
            "accounts.AuditEvent (charging_request_returned, status returned_not_to_standard)",
        ),
        version=1,
        compute=_first_time_acceptance_cps,
        cases=lambda start, end: _cases_of(_first_triaged(*period_bounds(start, end))),
    )
)


# ---------------------------------------------------------------------------------------------
# Returns per case


def _closed(since: datetime, until: datetime) -> QuerySet[ChargingRequest]:
    """Requests the CPS received that closed in [since, until) — a final decision, or withdrawn by the police
    (a request returned as not to standard can be taken back and withdrawn) — with ``returns``, how many times
    CPS triage returned each as not to standard."""
    withdrawn_then = requests_with_event(AuditEventType.CHARGING_REQUEST_WITHDRAWN, since, until)
    returns = (
        request_events(RETURNED, status=NOT_TO_STANDARD)
        .order_by()
        .values("object_id")
        .annotate(c=Count("id"))
        .values("c")
    )
    return (
        ChargingRequest.objects.filter(received_by_cps_at__isnull=False)
        .filter(
            Q(decided_at__gte=since, decided_at__lt=until)
            | Q(status=RequestStatus.WITHDRAWN, public_id__in=withdrawn_then)
        )
        .annotate(returns=Coalesce(Subquery(returns, output_field=IntegerField()), 0))
    )


def _returns_per_case(day: date) -> Iterable[Contribution]:
    rows = _closed(*day_bounds(day)).values(**_request_dims()).annotate(n=Sum("returns"), d=Count("id"))
    return counts(rows, "n", "d")


def _returned_twice_share(day: date) -> Iterable[Contribution]:
    rows = (
        _closed(*day_bounds(day))
        .values(**_request_dims())
        .annotate(n=Count("id", filter=Q(returns__gte=2)), d=Count("id"))
    )
    return counts(rows, "n", "d")


_CLOSED = (
    "Charging requests closed on the day: given their final decision (charge, no further action or "
    "out-of-court disposal), or withdrawn by the police after the CPS had received them"
)
_RETURNS_READS = (
    "charging.ChargingRequest.decided_at",
    "charging.ChargingRequest.status",
    "charging.ChargingRequest.category",
    "accounts.AuditEvent (charging_request_returned with status returned_not_to_standard, _withdrawn)",
)

RETURNS_PER_CASE = register(
    Metric(
        id="returns_per_case",
        category_kind=CategoryKind.CHARGING,
        name="Returns per case",
        definition=(
            "For the charging requests closed on the day (final decision, or withdrawn after reaching the CPS), "
            "the average number of times CPS triage returned each as not to the National File Standard over its "
            "whole life. Returns by a police supervisor to the officer are not counted."
        ),
        numerator="Returns as not to standard of the requests closed on the day",
        denominator=_CLOSED,
        unit=MetricUnit.RATIO,
        owner=Owner.JOINT,
        reads=_RETURNS_READS,
        version=1,
        compute=_returns_per_case,
        cases=lambda start, end: _cases_of(_closed(*period_bounds(start, end))),
    )
)

RETURNED_TWICE_SHARE = register(
    Metric(
        id="returned_twice_share",
        category_kind=CategoryKind.CHARGING,
        name="Returned two or more times",
        definition=(
            "Of the charging requests closed on the day (final decision, or withdrawn after reaching the CPS), "
            "the share CPS triage returned as not to the National File Standard two or more times."
        ),
        numerator="Requests closed on the day that were returned as not to standard two or more times",
        denominator=_CLOSED,
        unit=MetricUnit.PERCENT,
        owner=Owner.JOINT,
        reads=_RETURNS_READS,
        version=1,
        compute=_returned_twice_share,
        cases=lambda start, end: _cases_of(_closed(*period_bounds(start, end))),
    )
)


# ---------------------------------------------------------------------------------------------
# The CPS assessment: failure reasons and disputes

_FAILURE_CASE = "assessment__submission__case__"
_FAILURE_CASE_ID = "assessment__submission__case_id"


def _failures(since: datetime, until: datetime) -> QuerySet[AssessmentFailure]:
    """Failures recorded by CPS assessments made in [since, until), less those overturned on dispute."""
    return AssessmentFailure.objects.filter(
        assessment__assessed_at__gte=since, assessment__assessed_at__lt=until
    ).exclude(dispute_outcome=DisputeOutcome.OVERTURNED)


def _quality_failure_reasons(day: date) -> Iterable[Contribution]:
    rows = (
        _failures(*day_bounds(day))
        .values(**case_dimension_values(_FAILURE_CASE), category_=F("code"))
        .annotate(n=Count("id"))
    )
    return counts(rows)


QUALITY_FAILURE_REASONS = register(
    Metric(
        id="quality_failure_reasons",
        category_kind=CategoryKind.FAILURE_REASON,
        category_choices=lambda: [(code, f"{code}: {text}") for code, text in FAILURE_CODES.items()],
        category_cases=lambda cases, code, start, end: cases.filter(
            pk__in=_failures(*period_bounds(start, end)).filter(code=code).values(_FAILURE_CASE_ID)
        ),
        name="File quality failure reasons",
        definition=(
            "The failure reasons (FQ01–FQ20, the taxonomy both sides use) the CPS gave when its assessment found "
            "a submitted file did not meet the National File Standard, counted on the day of the assessment. A "
            "failure the police disputed and a CPS legal manager overturned is left out: it was found not to be "
            "a failure. For this metric the category holds the FQ code, not the charging category."
        ),
        numerator="Failure reasons given by CPS assessments made on the day (not overturned), by FQ code",
        denominator="",
        unit=MetricUnit.COUNT,
        owner=Owner.POLICE,
        reads=(
            "files.CpsAssessment.assessed_at",
            "files.AssessmentFailure.code",
            "files.AssessmentFailure.dispute_outcome",
        ),
        version=1,
        compute=_quality_failure_reasons,
        cases=lambda start, end: _cases_of(_failures(*period_bounds(start, end)), "assessment__submission__case_id"),
        notes=(
            "Failures named by CPS triage when returning a charging request are not counted here: they are in "
            "the returns metrics. Filtering the cases behind this metric by category means the FQ code."
        ),
    )
)


def _disputes_decided(since: datetime, until: datetime) -> QuerySet[AssessmentFailure]:
    return AssessmentFailure.objects.filter(
        decided_at__gte=since,
        decided_at__lt=until,
        dispute_outcome__in=[DisputeOutcome.UPHELD, DisputeOutcome.OVERTURNED],
    )


def _dispute_outcomes(day: date) -> Iterable[Contribution]:
    rows = (
        _disputes_decided(*day_bounds(day))
        .values(**case_dimension_values(_FAILURE_CASE), category_=F("dispute_outcome"))
        .annotate(n=Count("id"))
    )
    return counts(rows)


DISPUTE_OUTCOMES = register(
    Metric(
        id="dispute_outcomes",
        category_kind=CategoryKind.DISPUTE_OUTCOME,
        category_choices=lambda: [(DisputeOutcome.UPHELD, "Upheld"), (DisputeOutcome.OVERTURNED, "Overturned")],
        category_cases=lambda cases, outcome, start, end: cases.filter(
            pk__in=_disputes_decided(*period_bounds(start, end))
            .filter(dispute_outcome=outcome)
            .values(_FAILURE_CASE_ID)
        ),
        name="Outcomes of disputed file quality failures",
        definition=(
            "Failures from a CPS assessment that the police disputed and a CPS legal manager decided on the day, "
            "by outcome: upheld (the failure stands) or overturned (it was not a failure). For this metric the "
            "category dimension holds the outcome (upheld or overturned), not the charging category."
        ),
        numerator="Disputed failures decided on the day, by outcome",
        denominator="",
        unit=MetricUnit.COUNT,
        owner=Owner.JOINT,
        reads=("files.AssessmentFailure.dispute_outcome", "files.AssessmentFailure.decided_at"),
        version=1,
        compute=_dispute_outcomes,
        cases=lambda start, end: _cases_of(
            _disputes_decided(*period_bounds(start, end)), "assessment__submission__case_id"
        ),
        notes="Filtering the cases behind this metric by category means the outcome (upheld or overturned).",
    )
)


@register_case_days
def _quality_days(case: Case) -> Iterable[date]:
    """The days of the case's CPS assessments and dispute decisions."""
    failures = AssessmentFailure.objects.filter(assessment__submission__case=case).values_list(
        "assessment__assessed_at", "decided_at"
    )
    return {timezone.localdate(stamp) for row in failures for stamp in row if stamp is not None}
