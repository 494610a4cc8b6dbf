"""Time limits, bail and released under investigation, alerts and the Victims' Code (domain.md 8.3, items 7, 8
and 10): statutory time-limit breaches and near misses, the pre-charge bail and RUI populations by age, alerts
left unacknowledged and escalated, and how often victims were updated on time.

What the record can and cannot say, and the choices made:

- A statutory deadline (``Deadline.statutory``: s.127 MCA 1980, s.39A CJA 1988, PACE detention, pre-charge
  bail, custody time limit) is *met* only when what it guards happened in time; one met late stays open
  (``casework.deadlines.store``). So a breach is a statutory deadline that is still open, counted on the day it
  was due. The current day counts the limits running out later that day that are not yet met. A limit on a
  case later closed (no further action, out-of-court disposal, concluded) is cancelled by the store and no
  longer counts.
- ``Deadline`` has no "met at" time. A near miss is read from ``Deadline.computed_at``, which the store stamps
  when the deadline turns met (and again if a met deadline's wording or due time is recomputed later): a met
  statutory deadline counts as a near miss on its due day if it was recorded as met in the 7 days up to its
  due time. A deadline met before Casebridge first recorded it counts from when it was recorded; one whose
  met row was rewritten after its due time is not counted (it cannot be told from the record).
- Bail and RUI come from the custody and bail history (``CustodyEvent``): a suspect is on pre-charge bail at
  the end of a day when their latest event by then released them on bail or extended it, and released under
  investigation when it released them under investigation. Any later event (charge, summons, release with no
  further action, re-arrest, RUI or bail) ends it. A charging decision that is not also recorded in the custody
  history does not end it.
- Ages are whole calendar months (the 2022 bail ladder's steps): "0-3m" until three months after the bail start
  date (for RUI, the day of release), then "3-6m", "6-9m" and "9m+". They go in the ``category`` dimension.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db.models import Count, Exists, F, Func, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from alerts.models import Alert
from alerts.policy import ESCALATED_PREFIX
from casework.choices import CustodyEventKind, DeadlineStatus
from casework.deadlines.calculations import victim_update_due
from casework.deadlines.holidays import calendar_from_db
from casework.models import Case, CustodyEvent, Deadline, VictimUpdate

from ..dimensions import case_dimension_values
from ..registry import (
    CasesBehind,
    CategoryCases,
    CategoryKind,
    Contribution,
    Dims,
    Metric,
    MetricUnit,
    Owner,
    register,
    register_case_days,
    register_derived_case_days,
)
from ._common import LONDON, counts, day_bounds, dims_of, period_bounds

NEAR_MISS_DAYS = 7
# (months since the start, band) in order; past the last, "9m+".
AGE_BANDS = ((3, "0-3m"), (6, "3-6m"), (9, "6-9m"))
OLDEST_BAND = "9m+"
AGE_BAND_CHOICES = [
    ("0-3m", "Under 3 months"),
    ("3-6m", "3 to 6 months"),
    ("6-9m", "6 to 9 months"),
    (OLDEST_BAND, "9 months or more"),
]
BAIL_KINDS = (CustodyEventKind.PRE_CHARGE_BAIL, CustodyEventKind.BAIL_EXTENDED)
RUI_KINDS = (CustodyEventKind.RELEASED_UNDER_INVESTIGATION,)


def age_band(started: date, day: date) -> str:
    """The age band of something that started on ``started``, at the end of ``day``."""
    for months, band in AGE_BANDS:
        if day < started + relativedelta(months=months):
            return band
    return OLDEST_BAND


# -- time limits ----------------------------------------------------------------------------------


def _due_between(since: object, until: object) -> Q:
    return Q(deadlines__statutory=True, deadlines__due_at__gte=since, deadlines__due_at__lt=until)


def _breaches(day: date) -> Iterable[Contribution]:
    start, end = day_bounds(day)
    rows = (
        Deadline.objects.filter(statutory=True, status=DeadlineStatus.OPEN, due_at__gte=start, due_at__lt=end)
        .values(**case_dimension_values("case__"))
        .annotate(n=Count("id"))
    )
    return counts(rows)


def _breach_cases(start: date, end: date) -> QuerySet[Case]:
    since, until = period_bounds(start, end)
    return Case.objects.filter(_due_between(since, until), deadlines__status=DeadlineStatus.OPEN).distinct()


def _near_miss_q(prefix: str = "") -> Q:
    window = timedelta(days=NEAR_MISS_DAYS)
    return Q(
        **{
            f"{prefix}status": DeadlineStatus.MET,
            f"{prefix}met_at__gt": F(f"{prefix}due_at") - window,
            f"{prefix}met_at__lte": F(f"{prefix}due_at"),
        }
    )


def _near_misses(day: date) -> Iterable[Contribution]:
    start, end = day_bounds(day)
    rows = (
        Deadline.objects.filter(_near_miss_q(), statutory=True, due_at__gte=start, due_at__lt=end)
        .values(**case_dimension_values("case__"))
        .annotate(n=Count("id"))
    )
    return counts(rows)


def _near_miss_cases(start: date, end: date) -> QuerySet[Case]:
    since, until = period_bounds(start, end)
    return Case.objects.filter(_due_between(since, until), _near_miss_q("deadlines__")).distinct()


STATUTORY_READS = (
    "casework.Deadline.statutory",
    "casework.Deadline.status",
    "casework.Deadline.due_at",
)

TIME_LIMIT_BREACHES = register(
    Metric(
        id="time_limit_breaches",
        name="Statutory time limits breached",
        definition=(
            "Statutory time limits (the s.127 six-month limit for summary offences, the s.39A limit for domestic "
            "abuse common assault, the PACE detention limit, the end of a pre-charge bail period and custody time "
            "limits) that ran out on the day without being met: the charge, release or trial they guard did not "
            "happen in time."
        ),
        numerator="Statutory deadlines due on the day and not met",
        denominator="",
        unit=MetricUnit.COUNT,
        owner=Owner.JOINT,
        reads=STATUTORY_READS,
        version=1,
        compute=_breaches,
        cases=_breach_cases,
        notes=(
            "Today's figure includes limits that run out later today and are not yet met. A limit on a case that "
            "was later closed (no further action, out-of-court disposal, concluded) no longer counts."
        ),
    )
)

TIME_LIMIT_NEAR_MISSES = register(
    Metric(
        id="time_limit_near_misses",
        name="Statutory time limits met with less than 7 days to spare",
        definition=(
            "Statutory time limits due on the day that were met, but only in the last 7 days before they ran out: "
            "the charge (or summons) within 7 days of the end of a s.127 or s.39A limit, detention or pre-charge "
            "bail ended within 7 days of its limit, a trial started within 7 days of the custody time limit."
        ),
        numerator="Statutory deadlines due on the day and met in the 7 days before they were due",
        denominator="",
        unit=MetricUnit.COUNT,
        owner=Owner.JOINT,
        reads=(*STATUTORY_READS, "casework.Deadline.met_at"),
        version=2,
        compute=_near_misses,
        cases=_near_miss_cases,
        notes=(
            "When a limit was met is when the event that met it happened, as recorded on the case (a charge's "
            "date, the time detention or bail ended, the day the trial started). Where the record does not say, "
            "it is when Casebridge first recorded the limit as met."
        ),
    )
)


# -- pre-charge bail and released under investigation ----------------------------------------------


def _current_events(end: object) -> QuerySet[CustodyEvent]:
    """Each suspect's latest custody event before ``end`` (their position at that moment)."""
    later = CustodyEvent.objects.filter(suspect_id=OuterRef("suspect_id"), occurred_at__lt=end).filter(
        Q(occurred_at__gt=OuterRef("occurred_at")) | Q(occurred_at=OuterRef("occurred_at"), id__gt=OuterRef("id"))
    )
    return CustodyEvent.objects.filter(occurred_at__lt=end).filter(~Exists(later))


def _started(since_bail_start: bool) -> Func:
    """When a suspect's time in the population began: their bail start date (bail), or their release."""
    released_on = TruncDate("occurred_at", tzinfo=LONDON)
    return Coalesce("bail_start_date", released_on) if since_bail_start else released_on


def _population(day: date, kinds: tuple[str, ...], since_bail_start: bool) -> list[Contribution]:
    _start, end = day_bounds(day)
    rows = (
        _current_events(end)
        .filter(kind__in=kinds)
        .values(**case_dimension_values("suspect__case__"), started_=_started(since_bail_start))
        .annotate(n=Count("suspect_id", distinct=True))
    )
    totals: dict[Dims, float] = defaultdict(float)
    for row in rows:
        totals[dims_of(row, age_band(row["started_"], day))] += row["n"]
    return [Contribution(dims, n) for dims, n in totals.items()]


def _population_cases(kinds: tuple[str, ...]) -> CasesBehind:
    def cases(start: date, end: date) -> QuerySet[Case]:
        """The cases with a suspect in the population at the end of the period's last day."""
        _since, until = period_bounds(start, end)
        on = _current_events(until).filter(kind__in=kinds).values("suspect__case_id")
        return Case.objects.filter(pk__in=on)

    return cases


def _population_cases_in_band(kinds: tuple[str, ...], *, since_bail_start: bool) -> CategoryCases:
    def narrow(cases: QuerySet[Case], band: str, start: date, end: date) -> QuerySet[Case]:
        """The cases with a suspect in the population, in that age band, at the end of the period's last day.
        Only the suspects of ``cases`` (already narrowed to the force and the other filters) are read: the age
        band is worked out here, one row at a time, exactly as the metric counts it."""
        _since, until = period_bounds(start, end)
        rows = (
            _current_events(until)
            .filter(kind__in=kinds, suspect__case__in=cases.values("pk"))
            .values("suspect__case_id", started_=_started(since_bail_start))
        )
        in_band = {row["suspect__case_id"] for row in rows if age_band(row["started_"], end) == band}
        return cases.filter(pk__in=in_band)

    return narrow


BAIL_POPULATION = register(
    Metric(
        id="bail_population",
        category_kind=CategoryKind.AGE_BAND,
        category_choices=lambda: AGE_BAND_CHOICES,
        category_cases=_population_cases_in_band(BAIL_KINDS, since_bail_start=True),
        name="Suspects on pre-charge bail, by time on bail",
        definition=(
            "Suspects on pre-charge bail at the end of the day, by how long since their bail start date: under 3 "
            "months, 3 to 6, 6 to 9, and 9 months or more (the category). A suspect is on bail from their release "
            "on bail until the next event in their custody history (charge, summons, release with no further "
            "action, release under investigation or re-arrest)."
        ),
        numerator="Suspects whose latest custody event by the end of the day is a release on bail or its extension",
        denominator="",
        unit=MetricUnit.COUNT,
        owner=Owner.POLICE,
        reads=(
            "casework.CustodyEvent.kind",
            "casework.CustodyEvent.occurred_at",
            "casework.CustodyEvent.bail_start_date",
        ),
        version=1,
        compute=lambda day: _population(day, BAIL_KINDS, since_bail_start=True),
        cases=_population_cases(BAIL_KINDS),
        stock=True,
        notes="A charging decision that is not also recorded in the custody history does not end bail.",
    )
)

RUI_POPULATION = register(
    Metric(
        id="rui_population",
        category_kind=CategoryKind.AGE_BAND,
        category_choices=lambda: AGE_BAND_CHOICES,
        category_cases=_population_cases_in_band(RUI_KINDS, since_bail_start=False),
        name="Suspects released under investigation, by time since release",
        definition=(
            "Suspects released under investigation (RUI) at the end of the day, by how long since their release: "
            "under 3 months, 3 to 6, 6 to 9, and 9 months or more (the category). RUI has no statutory limit; it "
            "ends with the next event in the suspect's custody history."
        ),
        numerator="Suspects whose latest custody event by the end of the day is a release under investigation",
        denominator="",
        unit=MetricUnit.COUNT,
        owner=Owner.POLICE,
        reads=("casework.CustodyEvent.kind", "casework.CustodyEvent.occurred_at"),
        version=1,
        compute=lambda day: _population(day, RUI_KINDS, since_bail_start=False),
        cases=_population_cases(RUI_KINDS),
        stock=True,
        notes="A charging decision that is not also recorded in the custody history does not end RUI.",
    )
)


# -- alerts ---------------------------------------------------------------------------------------


def _escalate_after() -> timedelta:
    return timedelta(hours=int(settings.ALERT_ESCALATE_AFTER_HOURS))


def _originals() -> QuerySet[Alert]:
    """Alerts to the people the deadline belongs to: a manager's escalated copy would count the same alert
    again."""
    return Alert.objects.exclude(threshold__startswith=ESCALATED_PREFIX)


def _overdue_at(end: object) -> QuerySet[Alert]:
    return _originals().filter(
        Q(acknowledged_at__isnull=True) | Q(acknowledged_at__gte=end),
        requires_acknowledgement=True,
        created_at__lt=end - _escalate_after(),  # type: ignore[operator]
    )


def _overdue_alerts(day: date) -> Iterable[Contribution]:
    _start, end = day_bounds(day)
    rows = _overdue_at(end).values(**case_dimension_values("deadline__case__")).annotate(n=Count("id"))
    return counts(rows)


def _overdue_alert_cases(start: date, end: date) -> QuerySet[Case]:
    _since, until = period_bounds(start, end)
    return Case.objects.filter(pk__in=_overdue_at(until).values("deadline__case_id"))


def _escalations(day: date) -> Iterable[Contribution]:
    start, end = day_bounds(day)
    rows = (
        _originals()
        .filter(escalated_at__gte=start, escalated_at__lt=end)
        .values(**case_dimension_values("deadline__case__"))
        .annotate(n=Count("id"))
    )
    return counts(rows)


def _escalation_cases(start: date, end: date) -> QuerySet[Case]:
    since, until = period_bounds(start, end)
    escalated = _originals().filter(escalated_at__gte=since, escalated_at__lt=until)
    return Case.objects.filter(pk__in=escalated.values("deadline__case_id"))


ALERTS_OVERDUE = register(
    Metric(
        id="alerts_overdue_unacknowledged",
        name="Alerts left unacknowledged",
        definition=(
            "Alerts that must be acknowledged (those of statutory time limits) and, at the end of the day, had "
            "waited longer than the escalation period (ALERT_ESCALATE_AFTER_HOURS, 24 hours by default) without "
            "being acknowledged. Each alert to the person it was raised for counts once; managers' escalated copies "
            "are not counted again."
        ),
        numerator="Alerts needing acknowledgement, raised more than the escalation period before the end of the day "
        "and not acknowledged by then",
        denominator="",
        unit=MetricUnit.COUNT,
        owner=Owner.JOINT,
        reads=(
            "alerts.Alert.requires_acknowledgement",
            "alerts.Alert.created_at",
            "alerts.Alert.acknowledged_at",
            "alerts.Alert.threshold",
        ),
        version=1,
        compute=_overdue_alerts,
        cases=_overdue_alert_cases,
        stock=True,
    )
)

ALERTS_ESCALATED = register(
    Metric(
        id="alerts_escalated",
        name="Alerts escalated to managers",
        definition=(
            "Alerts escalated to the managers of the person they were raised for on the day: overdue, or not "
            "acknowledged within the escalation period. Each escalated alert counts once, however many managers "
            "were told."
        ),
        numerator="Alerts escalated on the day",
        denominator="",
        unit=MetricUnit.COUNT,
        owner=Owner.JOINT,
        reads=("alerts.Alert.escalated_at", "alerts.Alert.threshold"),
        version=1,
        compute=_escalations,
        cases=_escalation_cases,
    )
)


# -- Victims' Code updates ------------------------------------------------------------------------


def _victim_updates(day: date) -> Iterable[Contribution]:
    rows = (
        VictimUpdate.objects.filter(given_on=day)
        .values(
            **case_dimension_values("victim__case__"),
            event_on_=F("event_on"),
            rights_=F("victim__enhanced_rights"),
        )
        .annotate(n=Count("id"))
    )
    calendar = None
    totals: dict[Dims, list[float]] = defaultdict(lambda: [0.0, 0.0])
    for row in rows:
        calendar = calendar or calendar_from_db()
        due = victim_update_due(event_on=row["event_on_"], enhanced_rights=bool(row["rights_"]), calendar=calendar)
        total = totals[dims_of(row)]
        total[0] += row["n"] if day <= due else 0
        total[1] += row["n"]
    return [Contribution(dims, on_time, given) for dims, (on_time, given) in totals.items()]


def _victim_update_cases(start: date, end: date) -> QuerySet[Case]:
    return Case.objects.filter(victims__updates__given_on__gte=start, victims__updates__given_on__lte=end).distinct()


VICTIM_UPDATES_ON_TIME = register(
    Metric(
        id="victim_updates_on_time",
        name="Victims' Code updates given on time",
        definition=(
            "Of the Victims' Code updates given to victims on the day (Right 6: arrest, interview, release, bail or "
            "RUI, charge, no further action and the like), the share given within the period the Code allows after "
            "the event: 1 working day for a victim entitled to enhanced rights, 5 working days otherwise (weekends "
            "and England and Wales public holidays do not count)."
        ),
        numerator="Updates given on the day within the due period after the event",
        denominator="Updates given on the day",
        unit=MetricUnit.PERCENT,
        owner=Owner.POLICE,
        reads=(
            "casework.VictimUpdate.event_on",
            "casework.VictimUpdate.given_on",
            "casework.Victim.enhanced_rights",
            "casework.PublicHoliday.date",
        ),
        version=1,
        compute=_victim_updates,
        cases=_victim_update_cases,
        notes=(
            "Whether a victim has enhanced rights is read as it is now, so changing it changes the figures for "
            "updates already given. Only updates that were given are measured; one never given is a deadline "
            "(see the time limits)."
        ),
    )
)


# -- the days a change to a case can alter ---------------------------------------------------------


def _days_between(first: date, last: date) -> set[date]:
    return {first + timedelta(days=n) for n in range((last - first).days + 1)}


@register_derived_case_days
def _deadline_days(case: Case) -> Iterable[date]:
    """The due day of every statutory deadline of the case (breaches and near misses are counted there). The
    metrics hook reads it both before and after the store recomputes the deadlines, so a deadline that moved
    marks its old due day and its new one."""
    return {
        timezone.localdate(due)
        for due in Deadline.objects.filter(case=case, statutory=True).values_list("due_at", flat=True)
    }


@register_case_days
def _custody_days(case: Case) -> Iterable[date]:
    """The day of each custody event; for one recorded today, every day from when it happened to today (an
    event recorded after the fact changes the bail and RUI populations of all the days in between)."""
    today = timezone.localdate()
    start_of_today = day_bounds(today)[0]
    days: set[date] = set()
    for occurred_at, recorded_at in CustodyEvent.objects.filter(suspect__case=case).values_list(
        "occurred_at", "recorded_at"
    ):
        occurred_on = timezone.localdate(occurred_at)
        days.add(occurred_on)
        if recorded_at >= start_of_today and occurred_on < today:
            days |= _days_between(occurred_on, today)
    return days


@register_case_days
def _victim_update_days(case: Case) -> Iterable[date]:
    """The day each update was given (a change to the victim's enhanced rights changes whether it was on
    time)."""
    return set(VictimUpdate.objects.filter(victim__case=case).values_list("given_on", flat=True))


@register_case_days
def _alert_days(case: Case) -> Iterable[date]:
    """The days an alert of the case was raised, became overdue for acknowledgement, was acknowledged or
    escalated."""
    after = _escalate_after()
    days: set[date] = set()
    for created_at, acknowledged_at, escalated_at in Alert.objects.filter(deadline__case=case).values_list(
        "created_at", "acknowledged_at", "escalated_at"
    ):
        days.update({timezone.localdate(created_at), timezone.localdate(created_at + after)})
        days.update(timezone.localdate(at) for at in (acknowledged_at, escalated_at) if at is not None)
    return days
