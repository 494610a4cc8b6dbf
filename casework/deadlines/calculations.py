"""Deadline calculations: pure functions from explicit inputs to dates and times.

Nothing here reads the database or the clock. Holidays come in as a ``WorkingCalendar`` or a
``frozenset[date]``; "now" comes in as an argument; the periods come from ``rules`` (pass a
``DeadlineRules`` to pin them, or leave it out for the defaults with the settings applied).

Time: every datetime taken must be timezone-aware, and every datetime returned is aware and in
Europe/London. Hours are added as *elapsed* time (through UTC), so 24 hours from 22:00 on the
Saturday before the clocks go forward is 23:00 on the Sunday, not 22:00.

Days: statutory periods "from" a day do not count that day, so a period of six months from 31 August
ends on the last day of February; a period "beginning with" a day counts it (pre-charge bail).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from dateutil.relativedelta import relativedelta

from ..choices import Authority, BailRegime, ModeOfTrial
from .calendar import LONDON, CalendarLike, as_calendar, is_ctl_non_working_day
from .rules import AlertSchedule, BailStep, DeadlineRules, ScheduleKind, Unit, charging_due_hours, get_rules

AUTHORITY_RANK: dict[Authority, int] = {
    Authority.CUSTODY_OFFICER: 1,
    Authority.INSPECTOR: 2,
    Authority.SUPERINTENDENT: 3,
    Authority.MAGISTRATES_COURT: 4,
}

NAIVE_DATETIME = "{what} must be timezone-aware"
WARRANT_TOO_LONG = "A warrant of further detention may authorise at most {hours} hours; {asked} hours were asked for."
WARRANT_BEYOND_MAXIMUM = (
    "Detention cannot run beyond {limit} ({hours} hours from the relevant time, PACE s.44); "
    "the warrant as asked would run to {end}."
)
BAIL_NO_LIMIT = "Pre-charge bail before 3 April 2017 had no statutory limit, so there is nothing to extend."
BAIL_NOT_LATER = "An extension must end after the current bail period, which ends on {current}."
BAIL_BEYOND_LEGAL_MAXIMUM = (
    "Pre-charge bail that began on {start} cannot be extended to {proposed}: the legal maximum is {limit} "
    "({months}, {provision})."
)
BAIL_BEYOND_STANDARD_MAXIMUM = (
    "Pre-charge bail that began on {start} cannot be extended to {proposed}: the most a court may allow "
    "in a standard case is {limit} ({months}, {provision}); up to {exceptional_limit} ({exceptional_months}) "
    "only in an exceptional case."
)
BAIL_AUTHORITY_TOO_LOW = (
    "Extending bail to {proposed} needs {needed} ({provision}); {given} can extend it no later than {given_limit}."
)
BAIL_AUTHORITY_NONE = "Extending bail to {proposed} needs {needed} ({provision}); {given} cannot extend bail at all."


# -- time helpers ---------------------------------------------------------------------------------


def _aware(value: datetime, what: str) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(NAIVE_DATETIME.format(what=what))
    return value


def in_london(value: datetime) -> datetime:
    return _aware(value, "The time").astimezone(LONDON)


def add_elapsed(value: datetime, delta: timedelta) -> datetime:
    """``value`` plus ``delta`` of real elapsed time, in Europe/London. (Adding a timedelta to a
    datetime whose tzinfo is a ZoneInfo adds wall-clock time instead, which is an hour out across a
    clock change.)"""
    return (_aware(value, "The time").astimezone(UTC) + delta).astimezone(LONDON)


# Memoised (pure, and a relativedelta's addition is slow Python: ~10 us): the same few periods are added to the
# same days again and again (every bail ladder step, every summary offence). Keyed by equality, so two equal
# periods share an entry; ``relativedelta`` hashes by value.
@functools.lru_cache(maxsize=16384)
def plus(day: date, delta: relativedelta) -> date:
    """Calendar arithmetic: the same-numbered day ``delta`` on, or the last day of a shorter month."""
    result: date = day + delta
    return result


@functools.lru_cache(maxsize=256)
def _period(*, years: int = 0, months: int = 0) -> relativedelta:
    """``relativedelta(years=..., months=...)``, made once per length (making one costs ~9 us). Shared: never
    changed by its users."""
    return relativedelta(years=years, months=months)


def start_of_day(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=LONDON)


@functools.lru_cache(maxsize=8192)
def _long(day: date) -> str:
    # Memoised: ``%B`` goes through the C library's strftime (~9 us), and the same days recur.
    return f"{day.day} {day:%B %Y}"


def _long_time(moment: datetime) -> str:
    local = in_london(moment)
    return f"{local:%H:%M} on {_long(local.date())}"


def _months(delta: relativedelta) -> str:
    months = delta.years * 12 + delta.months
    if months:
        return f"{months} month" + ("s" if months != 1 else "")
    return f"{delta.days} days"


def _with_article(authority: Authority) -> str:
    label = Authority(authority).label.lower()
    return f"an {label}" if label[0] in "aeiou" else f"a {label}"


# -- s.127 MCA 1980 and s.39A CJA 1988: time limits for summary prosecutions ------------------------


@dataclass(frozen=True)
class TimeLimit:
    """The last day on which an information may be laid (or a written charge issued)."""

    expires_on: date
    basis: str
    kind: ScheduleKind
    explanation: str
    # True while s.39A's six-month period has not started (no statement or video interview yet).
    provisional: bool = False


def summary_time_limit(
    *, committed_on: date, committed_until: date | None = None, rules: DeadlineRules | None = None
) -> date:
    """s.127(1) Magistrates' Courts Act 1980: an information for a summary-only offence must be laid
    within six months from the time the offence was committed (for a continuing offence, from its
    last day). "Months" are calendar months and the day of the offence is not counted, so the limit
    is the same-numbered day six months on, or the last day of a shorter month (31 August → 28 or
    29 February)."""
    r = rules or get_rules()
    return plus(committed_until or committed_on, _period(months=r.summary_time_limit_months))


def domestic_abuse_time_limit(
    *,
    committed_on: date,
    committed_until: date | None = None,
    first_statement_on: date | None,
    rules: DeadlineRules | None = None,
) -> TimeLimit:
    """s.39A Criminal Justice Act 1988 (inserted by PCSC Act 2022 s.49), common assault or battery
    amounting to domestic abuse: proceedings may be brought at any time both within two years from
    the offence and within six months from the first date on which the victim gave the police a
    witness statement or a video-recorded interview. Until there is a statement only the two-year
    bound can be computed, and the result says so (``provisional``)."""
    r = rules or get_rules()
    offence_day = committed_until or committed_on
    overall = plus(offence_day, _period(years=r.domestic_abuse_overall_years))
    if first_statement_on is None:
        return TimeLimit(
            expires_on=overall,
            basis="s.39A CJA 1988",
            kind=ScheduleKind.DOMESTIC_ABUSE_LIMIT,
            explanation=(
                f"No witness statement or video-recorded interview from the victim is recorded, so the "
                f"{r.domestic_abuse_from_statement_months}-month period has not started: only the "
                f"{r.domestic_abuse_overall_years}-year bound applies ({_long(overall)}). Once one is made, the "
                f"limit is the earlier of that and {r.domestic_abuse_from_statement_months} months from it."
            ),
            provisional=True,
        )
    from_statement = plus(first_statement_on, _period(months=r.domestic_abuse_from_statement_months))
    if from_statement <= overall:
        why = (
            f"{r.domestic_abuse_from_statement_months} months from the victim's first statement "
            f"on {_long(first_statement_on)}"
        )
    else:
        why = f"{r.domestic_abuse_overall_years} years from the offence on {_long(offence_day)}"
    expires = min(overall, from_statement)
    return TimeLimit(
        expires_on=expires,
        basis="s.39A CJA 1988",
        kind=ScheduleKind.DOMESTIC_ABUSE_LIMIT,
        explanation=f"The earlier of the two s.39A bounds: {why}.",
    )


def is_common_assault(offence_code: str, rules: DeadlineRules | None = None) -> bool:
    """Common assault or battery (the offences s.39A covers), whatever the 8th-character qualifier."""
    r = rules or get_rules()
    return offence_code.strip().upper()[:7] in r.common_assault_codes


def prosecution_time_limit(
    *,
    mode_of_trial: str,
    offence_code: str,
    committed_on: date,
    committed_until: date | None = None,
    domestic_abuse: bool,
    first_statement_on: date | None = None,
    rules: DeadlineRules | None = None,
) -> TimeLimit | None:
    """The time limit for starting a prosecution for one offence, or None where there is none
    (either-way and indictable offences: domain.md 9.4). Domestic-abuse common assault or battery
    follows s.39A; any other summary-only offence s.127."""
    r = rules or get_rules()
    if mode_of_trial != ModeOfTrial.SUMMARY_ONLY:
        return None
    if domestic_abuse and is_common_assault(offence_code, r):
        return domestic_abuse_time_limit(
            committed_on=committed_on, committed_until=committed_until, first_statement_on=first_statement_on, rules=r
        )
    offence_day = committed_until or committed_on
    return TimeLimit(
        expires_on=summary_time_limit(committed_on=committed_on, committed_until=committed_until, rules=r),
        basis="s.127 MCA 1980",
        kind=ScheduleKind.STATUTORY_LIMIT,
        explanation=f"{r.summary_time_limit_months} months from the offence on {_long(offence_day)}.",
    )


# -- PACE detention (ss.40–44) --------------------------------------------------------------------


@dataclass(frozen=True)
class PaceLimits:
    basic: datetime  # s.41: 24 hours from the relevant time
    superintendent: datetime  # s.42: to 36 hours, indictable offences
    maximum: datetime  # s.44: 96 hours, only by warrants of further detention


def pace_limit(relevant_time: datetime, hours: int) -> datetime:
    """``hours`` of elapsed time after the PACE relevant time (s.41(2))."""
    return add_elapsed(_aware(relevant_time, "The relevant time"), timedelta(hours=hours))


def pace_detention_limits(relevant_time: datetime, *, rules: DeadlineRules | None = None) -> PaceLimits:
    """PACE s.41 (24 hours from the relevant time), s.42 (a superintendent may extend to 36 hours) and
    s.44 (warrants of further detention, never beyond 96 hours from the relevant time)."""
    r = rules or get_rules()
    return PaceLimits(
        basic=pace_limit(relevant_time, r.pace_basic_hours),
        superintendent=pace_limit(relevant_time, r.pace_superintendent_hours),
        maximum=pace_limit(relevant_time, r.pace_maximum_hours),
    )


def pace_warrant_end(
    *, relevant_time: datetime, issued_at: datetime, hours: int, rules: DeadlineRules | None = None
) -> datetime:
    """A warrant of further detention (PACE s.43) runs from when it is issued, for at most 36 hours,
    and never past 96 hours from the relevant time (s.44). Refuses (``ValueError``) anything longer."""
    r = rules or get_rules()
    if hours > r.pace_warrant_max_hours:
        raise ValueError(WARRANT_TOO_LONG.format(hours=r.pace_warrant_max_hours, asked=hours))
    end = add_elapsed(_aware(issued_at, "The time the warrant was issued"), timedelta(hours=hours))
    limit = pace_limit(relevant_time, r.pace_maximum_hours)
    if end > limit:
        raise ValueError(
            WARRANT_BEYOND_MAXIMUM.format(limit=_long_time(limit), hours=r.pace_maximum_hours, end=_long_time(end))
        )
    return end


def pace_review_times(
    detention_authorised_at: datetime,
    *,
    until: datetime | None = None,
    max_reviews: int | None = None,
    rules: DeadlineRules | None = None,
) -> list[datetime]:
    """PACE s.40(3): the first review of detention is due no later than 6 hours after detention was
    first authorised, then at intervals of no more than 9 hours. Returns the latest time each review
    is due, up to ``until`` (default: 96 hours after authorisation) and at most ``max_reviews``."""
    r = rules or get_rules()
    start = _aware(detention_authorised_at, "The time detention was authorised")
    end = until if until is not None else add_elapsed(start, timedelta(hours=r.pace_maximum_hours))
    reviews: list[datetime] = []
    due = add_elapsed(start, timedelta(hours=r.pace_first_review_hours))
    while due <= end and (max_reviews is None or len(reviews) < max_reviews):
        reviews.append(due)
        due = add_elapsed(due, timedelta(hours=r.pace_review_interval_hours))
    return reviews


# -- pre-charge bail and RUI ----------------------------------------------------------------------


class BailRuleError(ValueError):
    """A pre-charge bail period or extension the law does not allow."""


def bail_regime_for(arrested_on: date, *, rules: DeadlineRules | None = None) -> BailRegime:
    """Which bail law applies: PCSC Act 2022 for arrests from 28 October 2022, the Policing and Crime
    Act 2017 for arrests from 3 April 2017, and no statutory limit before that."""
    r = rules or get_rules()
    if arrested_on >= r.pcsc_2022_in_force:
        return BailRegime.PCSC_2022
    if arrested_on >= r.pca_2017_in_force:
        return BailRegime.PCA_2017
    return BailRegime.PRE_2017


def bail_start_date_for(arrested_on: date) -> date:
    """PACE s.47ZB(4): the bail start date is the day after the day of arrest."""
    return arrested_on + timedelta(days=1)


def bail_ladder(regime: BailRegime, *, rules: DeadlineRules | None = None) -> tuple[BailStep, ...]:
    """The steps of the regime, shortest first; empty where there is no statutory limit."""
    r = rules or get_rules()
    return r.bail_ladders.get(BailRegime(regime), ())


def bail_period_end(bail_start_date: date, limit: relativedelta) -> date:
    """The last day of a bail period of ``limit`` "beginning with the bail start date" (PACE
    ss.47ZB–47ZG). The start date counts, so the period ends the day before the corresponding date:
    3 months beginning with 11 January ends on 10 April, with 1 March on 31 May. Where the month
    has no corresponding date the period ends on its last day: 3 months beginning with 30 November
    ends on 28 (or 29) February."""
    target = plus(bail_start_date, limit)
    if limit.days or target.day == bail_start_date.day:
        return target - timedelta(days=1)
    return target  # relativedelta clamped to the end of a shorter month


def initial_bail_period_end(
    regime: BailRegime, bail_start_date: date, *, rules: DeadlineRules | None = None
) -> date | None:
    ladder = bail_ladder(regime, rules=rules)
    return bail_period_end(bail_start_date, ladder[0].limit) if ladder else None


def bail_period_ends(
    regime: BailRegime, bail_start_date: date, *, rules: DeadlineRules | None = None
) -> list[tuple[BailStep, date]]:
    """Every step of the ladder with the last day it allows, e.g. for a bail start date of 11 January
    2026 under the 2022 law: 10 April (custody officer), 10 July (inspector), 10 October
    (superintendent), then the court's 10 January 2027, 10 July 2027 and, exceptionally, 10 January 2028."""
    return [(step, bail_period_end(bail_start_date, step.limit)) for step in bail_ladder(regime, rules=rules)]


def check_bail_extension(
    *,
    regime: BailRegime,
    bail_start_date: date,
    current_end: date,
    proposed_end: date,
    authority: Authority,
    exceptional: bool = False,
    rules: DeadlineRules | None = None,
) -> BailStep:
    """Check an extension of pre-charge bail to ``proposed_end`` by ``authority`` and return the
    ladder step that allows it. Refuses (``BailRuleError``, a ``ValueError``) with a message saying
    exactly why: bail before April 2017 had no limit to extend, the new end is not later than the
    current one, it is past the legal maximum (past 18 months in a standard case under the 2022 law,
    or past 24 months in any case), or it needs a higher authority than the one given."""
    steps = bail_period_ends(regime, bail_start_date, rules=rules)
    if not steps:
        raise BailRuleError(BAIL_NO_LIMIT)
    if proposed_end <= current_end:
        raise BailRuleError(BAIL_NOT_LATER.format(current=_long(current_end)))
    start, proposed = _long(bail_start_date), _long(proposed_end)
    last_step, last_end = steps[-1]
    if proposed_end > last_end:
        raise BailRuleError(
            BAIL_BEYOND_LEGAL_MAXIMUM.format(
                start=start,
                proposed=proposed,
                limit=_long(last_end),
                months=_months(last_step.limit),
                provision=last_step.provision,
            )
        )
    allowed = [(step, end) for step, end in steps if exceptional or not step.exceptional]
    standard_step, standard_end = allowed[-1]
    if proposed_end > standard_end:
        raise BailRuleError(
            BAIL_BEYOND_STANDARD_MAXIMUM.format(
                start=start,
                proposed=proposed,
                limit=_long(standard_end),
                months=_months(standard_step.limit),
                provision=standard_step.provision,
                exceptional_limit=_long(last_end),
                exceptional_months=_months(last_step.limit),
            )
        )
    needed_step = next(step for step, end in allowed if proposed_end <= end)
    given = Authority(authority)
    if AUTHORITY_RANK[given] < AUTHORITY_RANK[needed_step.authority]:
        own = [end for step, end in allowed if AUTHORITY_RANK[step.authority] <= AUTHORITY_RANK[given]]
        values = {
            "proposed": proposed,
            "needed": _with_article(needed_step.authority),
            "provision": needed_step.provision,
            "given": _with_article(given).capitalize(),
        }
        if own:
            raise BailRuleError(BAIL_AUTHORITY_TOO_LOW.format(given_limit=_long(own[-1]), **values))
        raise BailRuleError(BAIL_AUTHORITY_NONE.format(**values))
    return needed_step


def rui_thresholds_crossed(*, released_on: date, today: date, rules: DeadlineRules | None = None) -> tuple[int, ...]:
    """Released under investigation has no statutory limit; these are management flags at 90, 180
    and 270 days after release (domain.md 12.2). Returns the day counts already reached."""
    r = rules or get_rules()
    age = (today - released_on).days
    return tuple(days for days in r.rui_age_days if age >= days)


# -- custody time limits (Prosecution of Offences (Custody Time Limits) Regulations 1987) ----------


@dataclass(frozen=True)
class CustodyTimeLimit:
    days: int
    plain_expiry: date  # start + days, the first day not counted
    expires_on: date  # moved back to the preceding working day where reg. 2(5) says so
    basis: str


def ctl_expiry(*, start: date, days: int, calendar: CalendarLike, basis: str = "") -> CustodyTimeLimit:
    """Reg. 2(4): the day custody began is not counted, so a limit of N days from ``start`` ends on
    ``start + N days``. Reg. 2(5): if that day is a Saturday, Sunday, Christmas Day, Good Friday or
    a bank holiday the limit is treated as expiring on the last preceding day that is none of those."""
    plain = start + timedelta(days=days)
    expires = plain
    while is_ctl_non_working_day(expires, calendar):
        expires -= timedelta(days=1)
    return CustodyTimeLimit(days=days, plain_expiry=plain, expires_on=expires, basis=basis)


def magistrates_ctl_days(
    *,
    mode_of_trial: str,
    first_appearance_on: date,
    summary_trial_decided_on: date | None = None,
    rules: DeadlineRules | None = None,
) -> int:
    """Reg. 4(2)–(4): 56 days from first appearance to the start of summary trial for a summary-only
    offence; 70 days for an either-way offence tried summarily, but 56 if the court decides on
    summary trial within 56 days of the first appearance. (Indictable-only offences are sent to the
    Crown Court at once: ``crown_court_custody_time_limit``.)"""
    r = rules or get_rules()
    if mode_of_trial == ModeOfTrial.SUMMARY_ONLY:
        return r.ctl_summary_only_days
    if mode_of_trial == ModeOfTrial.EITHER_WAY:
        decided_early = summary_trial_decided_on is not None and summary_trial_decided_on <= (
            first_appearance_on + timedelta(days=r.ctl_either_way_decided_early_days)
        )
        return r.ctl_either_way_decided_early_days if decided_early else r.ctl_either_way_summary_days
    raise ValueError(
        f"Magistrates' custody time limits apply to summary-only and either-way offences, not {mode_of_trial}"
    )


def magistrates_custody_time_limit(
    *,
    mode_of_trial: str,
    first_appearance_on: date,
    calendar: CalendarLike,
    summary_trial_decided_on: date | None = None,
    rules: DeadlineRules | None = None,
) -> CustodyTimeLimit:
    days = magistrates_ctl_days(
        mode_of_trial=mode_of_trial,
        first_appearance_on=first_appearance_on,
        summary_trial_decided_on=summary_trial_decided_on,
        rules=rules,
    )
    return ctl_expiry(start=first_appearance_on, days=days, calendar=calendar, basis="CTL Regulations 1987 reg. 4")


def days_in_custody(*, first_remand_on: date, until: date) -> int:
    """Days already spent in custody, not counting the first (reg. 2(4))."""
    return max((until - first_remand_on).days, 0)


def crown_court_custody_time_limit(
    *,
    sent_on: date,
    calendar: CalendarLike,
    days_in_magistrates_custody: int = 0,
    rules: DeadlineRules | None = None,
) -> CustodyTimeLimit:
    """Reg. 5: 182 days from sending to the Crown Court to the start of the trial, less any days
    already spent in custody in the magistrates' court for the same offence."""
    r = rules or get_rules()
    return ctl_expiry(
        start=sent_on,
        days=r.ctl_crown_court_days - days_in_magistrates_custody,
        calendar=calendar,
        basis="CTL Regulations 1987 reg. 5",
    )


# -- charging, first hearing, Threshold Test ------------------------------------------------------

GUILTY_PLEA = "guilty"  # charging.choices.AnticipatedPlea.GUILTY


def charging_decision_due(*, received_at: datetime, category: str) -> datetime:
    """When the CPS owes its charging decision: the category's time aim (``charging.selectors``:
    red 4 hours, green priority 5 days, green 28 days by default) of elapsed time from receipt."""
    hours = charging_due_hours()
    if category not in hours:
        raise ValueError(f"No time aim for charging category {category!r}")
    return add_elapsed(_aware(received_at, "The time of receipt"), timedelta(hours=hours[category]))


def first_hearing_date(*, charged_on: date, anticipated_plea: str, rules: DeadlineRules | None = None) -> date:
    """Transforming Summary Justice listing for a defendant bailed to court: an anticipated guilty plea
    (GAP) is listed 14 days after charge and its file is due for that hearing; a not-guilty (NGAP)
    or unknown plea 28 days after charge."""
    r = rules or get_rules()
    days = r.first_hearing_gap_days if anticipated_plea == GUILTY_PLEA else r.first_hearing_ngap_days
    return charged_on + timedelta(days=days)


def threshold_test_reviews(
    *, charged_on: date, until: date, max_reviews: int | None = None, rules: DeadlineRules | None = None
) -> list[date]:
    """Code for Crown Prosecutors 5.10: a Threshold Test charge is kept under review until the Full
    Code Test can be applied. Reminders every ``threshold_test_review_days`` [K] after charge, up to
    ``until``."""
    r = rules or get_rules()
    interval = timedelta(days=r.threshold_test_review_days)
    reviews: list[date] = []
    due = charged_on + interval
    while due <= until and (max_reviews is None or len(reviews) < max_reviews):
        reviews.append(due)
        due += interval
    return reviews


# -- Victims' Code and Victims' Right to Review -----------------------------------------------------


def victim_update_due(
    *, event_on: date, enhanced_rights: bool, calendar: CalendarLike, rules: DeadlineRules | None = None
) -> date:
    """Victims' Code Right 6: the police tell the victim of an arrest, interview, release, bail or RUI
    (or a change), or a decision not to investigate, within 5 working days, or 1 working day for a
    victim entitled to enhanced rights."""
    r = rules or get_rules()
    n = r.victim_update_enhanced_working_days if enhanced_rights else r.victim_update_working_days
    return as_calendar(calendar).add_working_days(event_on, n)


def police_vrr_request_deadline(*, told_on: date, rules: DeadlineRules | None = None) -> date:
    """Police Victims' Right to Review: a request should be made within 3 months of the victim being
    told of the decision not to charge (or not to refer to the CPS)."""
    r = rules or get_rules()
    return plus(told_on, _period(months=r.police_vrr_request_months))


def police_vrr_acknowledge_by(*, received_on: date, calendar: CalendarLike, rules: DeadlineRules | None = None) -> date:
    """Police VRR: acknowledge a request within 10 working days of receiving it."""
    r = rules or get_rules()
    return as_calendar(calendar).add_working_days(received_on, r.police_vrr_acknowledge_working_days)


def police_vrr_decision_by(*, received_on: date, calendar: CalendarLike, rules: DeadlineRules | None = None) -> date:
    """Police VRR: decide a request within 30 working days of receiving it."""
    r = rules or get_rules()
    return as_calendar(calendar).add_working_days(received_on, r.police_vrr_decision_working_days)


def cps_vrr_request_deadline(*, told_on: date, calendar: CalendarLike, rules: DeadlineRules | None = None) -> date:
    """CPS Victims' Right to Review: a request ideally within 10 working days of being told of the
    decision ([C] older guidance: 5); later requests, up to 3 months, only exceptionally."""
    r = rules or get_rules()
    return as_calendar(calendar).add_working_days(told_on, r.cps_vrr_request_working_days)


# -- alert thresholds -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Threshold:
    """One alert point of a deadline: ``amount`` ``unit`` before it, or overdue (``amount`` 0)."""

    kind: ScheduleKind
    amount: int
    unit: Unit
    overdue: bool = False

    @property
    def key(self) -> str:
        """A stable name for the alert point, e.g. ``T-14d``, ``T-2wd``, ``T-2h`` or ``overdue``."""
        if self.overdue:
            return "overdue"
        suffix = {Unit.DAYS: "d", Unit.WORKING_DAYS: "wd", Unit.HOURS: "h"}[self.unit]
        return f"T-{self.amount}{suffix}"


def _trigger(deadline: datetime | date, amount: int, unit: Unit, calendar: CalendarLike) -> datetime | date:
    if isinstance(deadline, datetime):
        if unit is Unit.HOURS:
            return add_elapsed(deadline, timedelta(hours=-amount))
        local = in_london(deadline)
        day = _shift_day(local.date(), amount, unit, calendar)
        return datetime.combine(day, local.time(), tzinfo=LONDON)
    if unit is Unit.HOURS:
        # A date deadline ends at midnight at the end of that day.
        return add_elapsed(start_of_day(deadline + timedelta(days=1)), timedelta(hours=-amount))
    return _shift_day(deadline, amount, unit, calendar)


def _shift_day(day: date, amount: int, unit: Unit, calendar: CalendarLike) -> date:
    if unit is Unit.WORKING_DAYS:
        return as_calendar(calendar).add_working_days(day, -amount)
    return day - timedelta(days=amount)


def _reached(trigger: datetime | date, now: datetime) -> bool:
    if isinstance(trigger, datetime):
        return now >= trigger
    return in_london(now).date() >= trigger


def is_overdue(deadline: datetime | date, now: datetime) -> bool:
    """A time deadline is overdue from that moment; a date deadline once that day is over."""
    _aware(now, "Now")
    if isinstance(deadline, datetime):
        return now >= deadline
    return in_london(now).date() > deadline


def thresholds_crossed(
    kind: ScheduleKind | str,
    deadline: datetime | date,
    now: datetime,
    calendar: CalendarLike,
    *,
    rules: DeadlineRules | None = None,
) -> tuple[Threshold, ...]:
    """Which of the alert points of ``kind`` (``rules.alerts``: 60/30/14/7 days before a statutory
    limit, 28/14/7/2 working days before a custody time limit, 2 hours before a PACE limit, 14 and 7
    days before the end of a bail period) have been reached at ``now``, furthest first, with an
    ``overdue`` point last once the deadline has passed. A caller raises each alert once: the newest
    point reached is the one to act on."""
    r = rules or get_rules()
    schedule: AlertSchedule = r.alerts[ScheduleKind(kind)]
    crossed = [
        Threshold(ScheduleKind(kind), amount, schedule.unit)
        for amount in sorted(schedule.before, reverse=True)
        if _reached(_trigger(deadline, amount, schedule.unit, calendar), _aware(now, "Now"))
    ]
    if is_overdue(deadline, now):
        crossed.append(Threshold(ScheduleKind(kind), 0, schedule.unit, overdue=True))
    return tuple(crossed)


def earliest(limits: Iterable[TimeLimit | None]) -> TimeLimit | None:
    """The earliest of several offences' time limits (a case is at risk from its first)."""
    present = [limit for limit in limits if limit is not None]
    return min(present, key=lambda limit: limit.expires_on) if present else None


def alert_times(
    kind: ScheduleKind | str,
    deadline: datetime,
    calendar: CalendarLike,
    *,
    rules: DeadlineRules | None = None,
) -> tuple[tuple[Threshold, datetime], ...]:
    """Every alert point of a deadline with the moment it is reached, earliest first, ``overdue`` (at the
    deadline itself) last. The alert sweep keeps the next of these in ``Deadline.next_alert_at``."""
    r = rules or get_rules()
    schedule_kind = ScheduleKind(kind)
    schedule: AlertSchedule = r.alerts[schedule_kind]
    points: list[tuple[Threshold, datetime]] = []
    for amount in sorted(schedule.before, reverse=True):
        trigger = _trigger(_aware(deadline, "The deadline"), amount, schedule.unit, calendar)
        assert isinstance(trigger, datetime)
        points.append((Threshold(schedule_kind, amount, schedule.unit), trigger))
    points.append((Threshold(schedule_kind, 0, schedule.unit, overdue=True), deadline))
    return tuple(sorted(points, key=lambda point: point[1]))


def next_alert_at(
    kind: ScheduleKind | str,
    deadline: datetime,
    after: datetime | None,
    calendar: CalendarLike,
    *,
    rules: DeadlineRules | None = None,
) -> datetime | None:
    """The first alert point strictly after ``after`` (or the very first, when ``after`` is None); None once
    the overdue point has passed."""
    for _threshold, moment in alert_times(kind, deadline, calendar, rules=rules):
        if after is None or moment > after:
            return moment
    return None
