"""Worked examples of every deadline calculation (casework.deadlines.calculations).

Dates in 2026 use the real calendar: Good Friday 3 April, Easter Monday 6 April, early May bank
holiday 4 May, spring 25 May, summer 31 August, Christmas Friday 25 December with Boxing Day's
substitute on Monday 28. The clocks go forward at 01:00 GMT on Sunday 29 March 2026 and back at
02:00 BST on Sunday 25 October 2026.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from dateutil.relativedelta import relativedelta
from django.core.exceptions import ImproperlyConfigured
from hypothesis import given
from hypothesis import strategies as st

from casework import bail
from casework.choices import Authority, BailRegime, ModeOfTrial
from casework.deadlines import calculations as c
from casework.deadlines.calendar import LONDON, is_ctl_non_working_day
from casework.deadlines.holidays import vendored_calendar
from casework.deadlines.rules import DEFAULT_RULES, DeadlineRules, ScheduleKind, get_rules
from charging.choices import AnticipatedPlea
from charging.selectors import DEFAULT_DUE_HOURS

CAL = vendored_calendar()


def london(*args: int) -> datetime:
    return datetime(*args, tzinfo=LONDON)  # type: ignore[misc]


# -- s.127 MCA 1980 ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("committed_on", "committed_until", "expected"),
    [
        (date(2026, 1, 1), None, date(2026, 7, 1)),  # same-numbered day six months on
        (date(2025, 8, 31), None, date(2026, 2, 28)),  # no 31 February: last day of the month
        (date(2027, 8, 31), None, date(2028, 2, 29)),  # ... 29th in a leap year
        (date(2026, 3, 31), None, date(2026, 9, 30)),  # no 31 September
        (date(2026, 1, 1), date(2026, 3, 15), date(2026, 9, 15)),  # continuing offence: from the last day
    ],
)
def test_summary_time_limit(committed_on: date, committed_until: date | None, expected: date) -> None:
    assert c.summary_time_limit(committed_on=committed_on, committed_until=committed_until) == expected


# -- s.39A CJA 1988 ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("committed_on", "first_statement_on", "expected", "provisional"),
    [
        (date(2026, 1, 1), date(2026, 1, 10), date(2026, 7, 10), False),  # prompt statement: 6 months from it
        (date(2026, 1, 1), date(2027, 12, 1), date(2028, 1, 1), False),  # late statement: 2 years from offence
        (date(2026, 8, 1), date(2026, 8, 31), date(2027, 2, 28), False),  # 31 Aug + 6 months = 28 Feb
        (date(2024, 2, 29), None, date(2026, 2, 28), True),  # no statement yet: 2-year bound alone
    ],
)
def test_domestic_abuse_time_limit(
    committed_on: date, first_statement_on: date | None, expected: date, provisional: bool
) -> None:
    limit = c.domestic_abuse_time_limit(committed_on=committed_on, first_statement_on=first_statement_on)
    assert limit.expires_on == expected
    assert limit.provisional is provisional
    assert limit.basis == "s.39A CJA 1988"
    assert limit.kind is ScheduleKind.DOMESTIC_ABUSE_LIMIT


def test_without_a_statement_the_result_says_only_the_two_year_bound_applies() -> None:
    limit = c.domestic_abuse_time_limit(committed_on=date(2026, 1, 1), first_statement_on=None)
    assert "has not started" in limit.explanation
    assert "only the 2-year bound applies (1 January 2028)" in limit.explanation


@pytest.mark.parametrize(
    ("mode", "code", "domestic_abuse", "basis"),
    [
        (ModeOfTrial.SUMMARY_ONLY, "CJ88116", True, "s.39A CJA 1988"),  # DA battery: s.39A
        (ModeOfTrial.SUMMARY_ONLY, "CJ88001A", True, "s.39A CJA 1988"),  # qualifier ignored
        (ModeOfTrial.SUMMARY_ONLY, "CJ88001", False, "s.127 MCA 1980"),  # common assault, not DA: s.127
        (ModeOfTrial.SUMMARY_ONLY, "CD71001", True, "s.127 MCA 1980"),  # DA but not common assault: s.127
        (ModeOfTrial.EITHER_WAY, "TH68001", False, None),  # either-way: no time limit
        (ModeOfTrial.INDICTABLE_ONLY, "COML025", True, None),  # indictable-only: no time limit
    ],
)
def test_prosecution_time_limit_chooses_the_rule(mode: str, code: str, domestic_abuse: bool, basis: str | None) -> None:
    limit = c.prosecution_time_limit(
        mode_of_trial=mode,
        offence_code=code,
        committed_on=date(2026, 1, 1),
        domestic_abuse=domestic_abuse,
        first_statement_on=date(2026, 2, 1),
    )
    assert (limit.basis if limit else None) == basis


def test_earliest_time_limit_of_a_case() -> None:
    a = c.prosecution_time_limit(
        mode_of_trial=ModeOfTrial.SUMMARY_ONLY,
        offence_code="CJ88001",
        committed_on=date(2026, 3, 1),
        domestic_abuse=False,
    )
    b = c.prosecution_time_limit(
        mode_of_trial=ModeOfTrial.SUMMARY_ONLY,
        offence_code="CJ88001",
        committed_on=date(2026, 2, 1),
        domestic_abuse=False,
    )
    assert c.earliest([a, None, b]) == b
    assert c.earliest([None]) is None


# -- PACE detention ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("relevant_time", "hours", "expected"),
    [
        (london(2026, 3, 1, 22, 30), 24, london(2026, 3, 2, 22, 30)),  # no clock change: same wall time
        (london(2026, 3, 1, 22, 30), 36, london(2026, 3, 3, 10, 30)),  # superintendent's 36 hours
        (london(2026, 3, 1, 22, 30), 96, london(2026, 3, 5, 22, 30)),  # the 96-hour ceiling
        # Clocks go forward at 01:00 GMT on 29 March: 24 elapsed hours from 22:00 GMT is 23:00 BST.
        (london(2026, 3, 28, 22, 0), 24, london(2026, 3, 29, 23, 0)),
        (london(2026, 3, 28, 20, 0), 36, london(2026, 3, 30, 9, 0)),
        # Clocks go back at 02:00 BST on 25 October: 24 elapsed hours from 22:00 BST is 21:00 GMT.
        (london(2026, 10, 24, 22, 0), 24, london(2026, 10, 25, 21, 0)),
        # A relevant time in the repeated hour (01:30 GMT, the second 01:30) still counts elapsed time.
        (datetime(2026, 10, 25, 1, 30, tzinfo=UTC), 24, london(2026, 10, 26, 1, 30)),
        # Given in UTC, returned in London time.
        (datetime(2026, 6, 1, 9, 0, tzinfo=UTC), 24, london(2026, 6, 2, 10, 0)),
    ],
)
def test_pace_limit_counts_elapsed_hours(relevant_time: datetime, hours: int, expected: datetime) -> None:
    result = c.pace_limit(relevant_time, hours)
    assert result == expected
    assert result.utcoffset() == expected.utcoffset()  # the wall-clock time is right, not just the instant
    assert result.tzinfo is LONDON


def test_adding_a_timedelta_to_a_london_datetime_would_be_an_hour_out() -> None:
    """Why ``add_elapsed`` exists: Python adds wall-clock time to a datetime with a ZoneInfo."""
    naive_sum = london(2026, 3, 28, 22, 0) + timedelta(hours=24)
    assert naive_sum - london(2026, 3, 28, 22, 0) == timedelta(hours=24)  # looks right...
    assert naive_sum.astimezone(UTC) - london(2026, 3, 28, 22, 0).astimezone(UTC) == timedelta(hours=23)  # ...is not
    assert c.pace_limit(london(2026, 3, 28, 22, 0), 24).astimezone(UTC) == datetime(2026, 3, 29, 22, 0, tzinfo=UTC)


def test_pace_detention_limits_and_the_bail_module_agree() -> None:
    relevant = london(2026, 10, 24, 22, 0)
    limits = c.pace_detention_limits(relevant)
    assert limits.basic == london(2026, 10, 25, 21, 0)
    assert limits.superintendent == london(2026, 10, 26, 9, 0)
    assert limits.maximum == london(2026, 10, 28, 21, 0)
    assert bail.pace_limit(relevant) == limits.basic
    assert bail.pace_limit(relevant, bail.PACE_MAXIMUM_HOURS) == limits.maximum


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        c.pace_limit(datetime(2026, 3, 1, 10, 0), 24)


def test_a_warrant_runs_from_issue_within_the_96_hour_ceiling() -> None:
    relevant = london(2026, 3, 1, 10, 0)
    assert c.pace_warrant_end(relevant_time=relevant, issued_at=london(2026, 3, 2, 20, 0), hours=36) == london(
        2026, 3, 4, 8, 0
    )
    with pytest.raises(ValueError, match="at most 36 hours; 37 hours were asked for"):
        c.pace_warrant_end(relevant_time=relevant, issued_at=london(2026, 3, 2, 20, 0), hours=37)
    with pytest.raises(ValueError, match=r"cannot run beyond 10:00 on 5 March 2026 \(96 hours"):
        c.pace_warrant_end(relevant_time=relevant, issued_at=london(2026, 3, 4, 22, 0), hours=36)


def test_reviews_at_6_hours_then_every_9_across_the_spring_clock_change() -> None:
    authorised = london(2026, 3, 28, 20, 0)  # GMT
    reviews = c.pace_review_times(authorised, until=c.pace_limit(authorised, 24))
    # 02:00 UTC is 03:00 BST; each later review is 9 elapsed hours on.
    assert reviews == [london(2026, 3, 29, 3, 0), london(2026, 3, 29, 12, 0), london(2026, 3, 29, 21, 0)]
    assert c.pace_review_times(authorised, max_reviews=2) == reviews[:2]
    assert len(c.pace_review_times(authorised)) == 11  # 6 + 9k <= 96 hours: k = 0..10


def test_reviews_across_the_autumn_clock_change() -> None:
    authorised = london(2026, 10, 24, 23, 0)  # BST
    assert c.pace_review_times(authorised, max_reviews=2) == [london(2026, 10, 25, 4, 0), london(2026, 10, 25, 13, 0)]


# -- pre-charge bail -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("arrested", "regime"),
    [
        (date(2017, 4, 2), BailRegime.PRE_2017),
        (date(2017, 4, 3), BailRegime.PCA_2017),  # Policing and Crime Act 2017 in force
        (date(2022, 10, 27), BailRegime.PCA_2017),
        (date(2022, 10, 28), BailRegime.PCSC_2022),  # PCSC Act 2022 Sch. 4 in force
    ],
)
def test_bail_regime(arrested: date, regime: BailRegime) -> None:
    assert c.bail_regime_for(arrested) == regime == bail.regime_for(arrested)


@pytest.mark.parametrize(
    ("start", "limit", "expected"),
    [
        (date(2026, 1, 11), relativedelta(months=3), date(2026, 4, 10)),  # beginning with 11 Jan: to 10 Apr
        (date(2026, 3, 1), relativedelta(months=3), date(2026, 5, 31)),  # beginning with 1 Mar: to 31 May
        (date(2025, 11, 30), relativedelta(months=3), date(2026, 2, 28)),  # no 30 Feb: the month's last day
        (date(2027, 11, 30), relativedelta(months=3), date(2028, 2, 29)),  # ... in a leap year
        (date(2020, 3, 1), relativedelta(days=28), date(2020, 3, 28)),  # 2017 regime: 28 days, first counted
    ],
)
def test_bail_period_end(start: date, limit: relativedelta, expected: date) -> None:
    assert c.bail_period_end(start, limit) == expected


def test_bail_start_date_is_the_day_after_arrest() -> None:
    assert c.bail_start_date_for(date(2026, 1, 10)) == date(2026, 1, 11)


def test_the_2022_ladder_worked_example() -> None:
    """Arrested 10 January 2026, bail start date 11 January."""
    ends = [(step.authority, end) for step, end in c.bail_period_ends(BailRegime.PCSC_2022, date(2026, 1, 11))]
    assert ends == [
        (Authority.CUSTODY_OFFICER, date(2026, 4, 10)),
        (Authority.INSPECTOR, date(2026, 7, 10)),
        (Authority.SUPERINTENDENT, date(2026, 10, 10)),
        (Authority.MAGISTRATES_COURT, date(2027, 1, 10)),
        (Authority.MAGISTRATES_COURT, date(2027, 7, 10)),
        (Authority.MAGISTRATES_COURT, date(2028, 1, 10)),
    ]
    assert c.initial_bail_period_end(BailRegime.PCSC_2022, date(2026, 1, 11)) == date(2026, 4, 10)
    assert c.initial_bail_period_end(BailRegime.PRE_2017, date(2016, 1, 11)) is None


START = date(2026, 1, 11)
FIRST_END = date(2026, 4, 10)


@pytest.mark.parametrize(
    ("proposed", "authority", "exceptional", "allowed_by"),
    [
        (date(2026, 7, 10), Authority.INSPECTOR, False, "PACE s.47ZD"),  # inspector: up to 6 months
        (date(2026, 10, 10), Authority.SUPERINTENDENT, False, "PACE s.47ZDA"),  # superintendent: up to 9
        (date(2026, 7, 10), Authority.SUPERINTENDENT, False, "PACE s.47ZD"),  # a higher rank may do less
        (date(2027, 1, 10), Authority.MAGISTRATES_COURT, False, "PACE s.47ZF"),  # court: 12 months
        (date(2027, 7, 10), Authority.MAGISTRATES_COURT, False, "PACE s.47ZG"),  # court: 18 months
        (date(2028, 1, 10), Authority.MAGISTRATES_COURT, True, "PACE s.47ZG"),  # exceptional: 24 months
    ],
)
def test_bail_extensions_the_law_allows(
    proposed: date, authority: Authority, exceptional: bool, allowed_by: str
) -> None:
    step = c.check_bail_extension(
        regime=BailRegime.PCSC_2022,
        bail_start_date=START,
        current_end=FIRST_END,
        proposed_end=proposed,
        authority=authority,
        exceptional=exceptional,
    )
    assert step.provision == allowed_by


@pytest.mark.parametrize(
    ("regime", "start", "current_end", "proposed", "authority", "exceptional", "message"),
    [
        # An inspector's limit is 6 months: one day more needs a superintendent.
        (
            BailRegime.PCSC_2022,
            START,
            FIRST_END,
            date(2026, 7, 11),
            Authority.INSPECTOR,
            False,
            "Extending bail to 11 July 2026 needs a superintendent (PACE s.47ZDA); "
            "An inspector can extend it no later than 10 July 2026.",
        ),
        # A custody officer cannot extend past the first 3 months at all.
        (
            BailRegime.PCSC_2022,
            START,
            FIRST_END,
            date(2026, 5, 1),
            Authority.CUSTODY_OFFICER,
            False,
            "Extending bail to 1 May 2026 needs an inspector (PACE s.47ZD); "
            "A custody officer (sergeant) can extend it no later than 10 April 2026.",
        ),
        # Past 9 months only a court may extend.
        (
            BailRegime.PCSC_2022,
            START,
            date(2026, 10, 10),
            date(2027, 1, 10),
            Authority.SUPERINTENDENT,
            False,
            "Extending bail to 10 January 2027 needs a magistrates' court (PACE s.47ZF); "
            "A superintendent can extend it no later than 10 October 2026.",
        ),
        # A standard case stops at 18 months.
        (
            BailRegime.PCSC_2022,
            START,
            date(2027, 1, 10),
            date(2027, 7, 11),
            Authority.MAGISTRATES_COURT,
            False,
            "Pre-charge bail that began on 11 January 2026 cannot be extended to 11 July 2027: the most a court "
            "may allow in a standard case is 10 July 2027 (18 months, PACE s.47ZG); up to 10 January 2028 "
            "(24 months) only in an exceptional case.",
        ),
        # Nothing goes past 24 months.
        (
            BailRegime.PCSC_2022,
            START,
            date(2027, 7, 10),
            date(2028, 1, 11),
            Authority.MAGISTRATES_COURT,
            True,
            "Pre-charge bail that began on 11 January 2026 cannot be extended to 11 January 2028: "
            "the legal maximum is 10 January 2028 (24 months, PACE s.47ZG).",
        ),
        # An "extension" that does not extend.
        (
            BailRegime.PCSC_2022,
            START,
            FIRST_END,
            date(2026, 4, 10),
            Authority.INSPECTOR,
            False,
            "An extension must end after the current bail period, which ends on 10 April 2026.",
        ),
        # 2017 regime: a custody officer had no power over bail periods.
        (
            BailRegime.PCA_2017,
            date(2020, 3, 1),
            date(2020, 3, 28),
            date(2020, 4, 1),
            Authority.CUSTODY_OFFICER,
            False,
            "Extending bail to 1 April 2020 needs a superintendent (PACE s.47ZD (2017)); "
            "A custody officer (sergeant) cannot extend bail at all.",
        ),
        # 2017 regime: a superintendent to 3 months, then the court.
        (
            BailRegime.PCA_2017,
            date(2020, 3, 1),
            date(2020, 5, 31),
            date(2020, 6, 1),
            Authority.SUPERINTENDENT,
            False,
            "Extending bail to 1 June 2020 needs a magistrates' court (PACE s.47ZF (2017)); "
            "A superintendent can extend it no later than 31 May 2020.",
        ),
        # Before April 2017 there was nothing to extend.
        (
            BailRegime.PRE_2017,
            date(2016, 3, 1),
            date(2016, 4, 1),
            date(2016, 6, 1),
            Authority.INSPECTOR,
            False,
            c.BAIL_NO_LIMIT,
        ),
    ],
)
def test_bail_extensions_refused_with_a_precise_message(
    regime: BailRegime,
    start: date,
    current_end: date,
    proposed: date,
    authority: Authority,
    exceptional: bool,
    message: str,
) -> None:
    with pytest.raises(ValueError) as exc:  # noqa: PT011 - the message is checked exactly below
        c.check_bail_extension(
            regime=regime,
            bail_start_date=start,
            current_end=current_end,
            proposed_end=proposed,
            authority=authority,
            exceptional=exceptional,
        )
    assert str(exc.value) == message
    assert isinstance(exc.value, c.BailRuleError)


@given(st.dates(date(2022, 10, 29), date(2030, 1, 1)), st.integers(1, 800), st.sampled_from(list(Authority)))
def test_an_allowed_extension_never_passes_the_legal_maximum(start: date, days: int, authority: Authority) -> None:
    proposed = start + timedelta(days=days)
    try:
        c.check_bail_extension(
            regime=BailRegime.PCSC_2022,
            bail_start_date=start,
            current_end=start,
            proposed_end=proposed,
            authority=authority,
            exceptional=True,
        )
    except c.BailRuleError:
        return
    assert proposed <= c.bail_period_end(start, relativedelta(months=24))


@given(st.dates(date(2018, 1, 1), date(2030, 12, 31)), st.integers(1, 24))
def test_a_bail_period_ends_on_the_day_before_the_corresponding_date_or_the_month_end(start: date, months: int) -> None:
    end = c.bail_period_end(start, relativedelta(months=months))
    corresponding = start + relativedelta(months=months)
    assert corresponding - timedelta(days=1) <= end <= corresponding


@pytest.mark.parametrize(
    ("today", "crossed"),
    [
        (date(2026, 3, 31), ()),  # day 89
        (date(2026, 4, 1), (90,)),  # 90 days after 1 January
        (date(2026, 6, 30), (90, 180)),
        (date(2026, 9, 28), (90, 180, 270)),
    ],
)
def test_rui_ageing(today: date, crossed: tuple[int, ...]) -> None:
    assert c.rui_thresholds_crossed(released_on=date(2026, 1, 1), today=today) == crossed


# -- custody time limits -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("mode", "first_appearance", "decided", "days", "expires"),
    [
        (ModeOfTrial.SUMMARY_ONLY, date(2026, 3, 2), None, 56, date(2026, 4, 27)),  # Monday to Monday
        (ModeOfTrial.SUMMARY_ONLY, date(2026, 3, 7), None, 56, date(2026, 5, 1)),  # Saturday court: back to Fri
        (ModeOfTrial.SUMMARY_ONLY, date(2026, 3, 9), None, 56, date(2026, 5, 1)),  # 4 May bank holiday: Fri 1
        (ModeOfTrial.EITHER_WAY, date(2026, 3, 16), None, 70, date(2026, 5, 22)),  # 25 May spring holiday
        (ModeOfTrial.EITHER_WAY, date(2026, 3, 2), date(2026, 3, 10), 56, date(2026, 4, 27)),  # decided early
        (ModeOfTrial.EITHER_WAY, date(2026, 3, 2), date(2026, 4, 27), 56, date(2026, 4, 27)),  # on day 56
        (ModeOfTrial.EITHER_WAY, date(2026, 3, 2), date(2026, 4, 28), 70, date(2026, 5, 11)),  # day 57: 70
        (ModeOfTrial.SUMMARY_ONLY, date(2026, 2, 9), None, 56, date(2026, 4, 2)),  # Easter Monday: Thursday
    ],
)
def test_magistrates_custody_time_limits(
    mode: str, first_appearance: date, decided: date | None, days: int, expires: date
) -> None:
    ctl = c.magistrates_custody_time_limit(
        mode_of_trial=mode, first_appearance_on=first_appearance, summary_trial_decided_on=decided, calendar=CAL
    )
    assert ctl.days == days
    assert ctl.plain_expiry == first_appearance + timedelta(days=days)  # the first day is not counted
    assert ctl.expires_on == expires


def test_indictable_only_offences_have_no_magistrates_ctl() -> None:
    with pytest.raises(ValueError, match="not indictable_only"):
        c.magistrates_ctl_days(mode_of_trial=ModeOfTrial.INDICTABLE_ONLY, first_appearance_on=date(2026, 3, 2))


@pytest.mark.parametrize(
    ("sent_on", "days_in_mags", "plain", "expires"),
    [
        (date(2026, 3, 3), 0, date(2026, 9, 1), date(2026, 9, 1)),  # 182 days, a Tuesday
        (date(2026, 3, 3), 10, date(2026, 8, 22), date(2026, 8, 21)),  # less 10 days: Saturday, back to Friday
        (date(2025, 10, 3), 0, date(2026, 4, 3), date(2026, 4, 2)),  # Good Friday: back to Thursday
        (date(2026, 6, 29), 0, date(2026, 12, 28), date(2026, 12, 24)),  # Boxing Day substitute, weekend, Christmas
    ],
)
def test_crown_court_custody_time_limits(sent_on: date, days_in_mags: int, plain: date, expires: date) -> None:
    ctl = c.crown_court_custody_time_limit(sent_on=sent_on, days_in_magistrates_custody=days_in_mags, calendar=CAL)
    assert (ctl.plain_expiry, ctl.expires_on) == (plain, expires)


def test_good_friday_and_christmas_count_even_without_a_holiday_set() -> None:
    assert c.ctl_expiry(start=date(2025, 10, 3), days=182, calendar=frozenset()).expires_on == date(2026, 4, 2)
    assert c.ctl_expiry(start=date(2026, 6, 30), days=178, calendar=frozenset()).expires_on == date(2026, 12, 24)


def test_days_already_in_custody_do_not_count_the_first() -> None:
    assert c.days_in_custody(first_remand_on=date(2026, 3, 1), until=date(2026, 3, 11)) == 10
    assert c.days_in_custody(first_remand_on=date(2026, 3, 1), until=date(2026, 3, 1)) == 0


@given(st.dates(date(2018, 1, 1), date(2030, 6, 1)), st.integers(1, 182))
def test_a_ctl_expiry_is_a_working_day_no_later_than_the_plain_expiry(start: date, days: int) -> None:
    ctl = c.ctl_expiry(start=start, days=days, calendar=CAL)
    assert not is_ctl_non_working_day(ctl.expires_on, CAL)
    assert ctl.expires_on <= ctl.plain_expiry
    assert ctl.plain_expiry - ctl.expires_on <= timedelta(days=5)  # at worst Christmas to a substitute Boxing Day


# -- charging, first hearing, Threshold Test -----------------------------------------------------


@pytest.mark.parametrize(
    ("received_at", "category", "expected"),
    [
        (london(2026, 3, 28, 22, 0), "red", london(2026, 3, 29, 3, 0)),  # 4 elapsed hours over the spring change
        (london(2026, 10, 20, 12, 0), "green_priority", london(2026, 10, 25, 11, 0)),  # 5 days over the autumn one
        (london(2026, 6, 1, 9, 0), "green", london(2026, 6, 29, 9, 0)),  # 28 days, no clock change
        # 28 x 24 elapsed hours across the spring change end an hour later on the clock.
        (london(2026, 3, 2, 9, 0), "green", london(2026, 3, 30, 10, 0)),
    ],
)
def test_charging_decision_due(received_at: datetime, category: str, expected: datetime) -> None:
    due = c.charging_decision_due(received_at=received_at, category=category)
    assert due == expected
    assert due.utcoffset() == expected.utcoffset()


def test_charging_due_times_follow_charging_selectors_and_its_setting(settings) -> None:  # type: ignore[no-untyped-def]
    received = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)
    for category, hours in DEFAULT_DUE_HOURS.items():
        assert c.charging_decision_due(received_at=received, category=category) == received + timedelta(hours=hours)
    settings.CHARGING_DUE_HOURS = {"red": 2}
    assert c.charging_decision_due(received_at=received, category="red") == received + timedelta(hours=2)
    with pytest.raises(ValueError, match="No time aim"):
        c.charging_decision_due(received_at=received, category="amber")


@pytest.mark.parametrize(
    ("plea", "expected"),
    [
        (AnticipatedPlea.GUILTY, date(2026, 3, 16)),  # GAP: 14 days after charge
        (AnticipatedPlea.NOT_GUILTY, date(2026, 3, 30)),  # NGAP: 28 days
        (AnticipatedPlea.UNKNOWN, date(2026, 3, 30)),  # unknown is listed as NGAP
    ],
)
def test_first_hearing_date(plea: str, expected: date) -> None:
    assert c.first_hearing_date(charged_on=date(2026, 3, 2), anticipated_plea=plea) == expected


def test_threshold_test_reviews_repeat_at_the_configured_interval(settings) -> None:  # type: ignore[no-untyped-def]
    charged = date(2026, 3, 1)
    assert c.threshold_test_reviews(charged_on=charged, until=date(2026, 6, 30)) == [
        date(2026, 3, 29),
        date(2026, 4, 26),
        date(2026, 5, 24),
        date(2026, 6, 21),
    ]
    assert c.threshold_test_reviews(charged_on=charged, until=date(2026, 6, 30), max_reviews=1) == [date(2026, 3, 29)]
    fortnightly = DeadlineRules(threshold_test_review_days=14)
    assert c.threshold_test_reviews(charged_on=charged, until=date(2026, 3, 31), rules=fortnightly) == [
        date(2026, 3, 15),
        date(2026, 3, 29),
    ]
    settings.CASEBRIDGE_DEADLINES = {"threshold_test_review_days": 7}
    assert c.threshold_test_reviews(charged_on=charged, until=date(2026, 3, 8)) == [date(2026, 3, 8)]


# -- Victims' Code and VRR -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("event_on", "enhanced", "expected"),
    [
        (date(2026, 4, 2), False, date(2026, 4, 13)),  # 5 working days over Good Friday and Easter Monday
        (date(2026, 4, 2), True, date(2026, 4, 7)),  # enhanced rights: 1 working day, the Tuesday after Easter
        (date(2026, 12, 18), False, date(2026, 12, 29)),  # over Christmas Day and the Boxing Day substitute
        (date(2026, 3, 7), True, date(2026, 3, 9)),  # a Saturday arrest: Monday
    ],
)
def test_victim_update_due(event_on: date, enhanced: bool, expected: date) -> None:
    assert c.victim_update_due(event_on=event_on, enhanced_rights=enhanced, calendar=CAL) == expected


def test_victims_right_to_review_deadlines() -> None:
    assert c.police_vrr_request_deadline(told_on=date(2026, 11, 30)) == date(2027, 2, 28)  # 3 months, no 30 Feb
    # 10 working days from Monday 21 December 2026: over Christmas and New Year's Day.
    assert c.police_vrr_acknowledge_by(received_on=date(2026, 12, 21), calendar=CAL) == date(2027, 1, 7)
    # 30 working days is 6 weeks, plus Good Friday and Easter Monday.
    assert c.police_vrr_decision_by(received_on=date(2026, 3, 2), calendar=CAL) == date(2026, 4, 15)
    # 10 working days from Friday 1 May 2026, over the early May bank holiday.
    assert c.cps_vrr_request_deadline(told_on=date(2026, 5, 1), calendar=CAL) == date(2026, 5, 18)


# -- alert thresholds ----------------------------------------------------------------------------


def keys(kind: ScheduleKind, deadline: datetime | date, now: datetime) -> list[str]:
    return [t.key for t in c.thresholds_crossed(kind, deadline, now, CAL)]


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (london(2026, 5, 1, 12, 0), []),  # 61 days before 1 July
        (london(2026, 5, 2, 9, 0), ["T-60d"]),  # 60 days before
        (london(2026, 6, 24, 9, 0), ["T-60d", "T-30d", "T-14d", "T-7d"]),
        (london(2026, 7, 1, 23, 0), ["T-60d", "T-30d", "T-14d", "T-7d"]),  # the last day: not yet overdue
        (london(2026, 7, 2, 0, 30), ["T-60d", "T-30d", "T-14d", "T-7d", "overdue"]),  # 23:30 UTC on 1 July
    ],
)
def test_statutory_limit_thresholds(now: datetime, expected: list[str]) -> None:
    assert keys(ScheduleKind.STATUTORY_LIMIT, date(2026, 7, 1), now) == expected


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (london(2026, 11, 13, 9, 0), []),  # Friday, 29 working days before Thursday 24 December
        (london(2026, 11, 16, 9, 0), ["T-28wd"]),  # Monday, 28 working days before
        (london(2026, 12, 4, 9, 0), ["T-28wd", "T-14wd"]),  # 14 working days before
        (london(2026, 12, 15, 8, 0), ["T-28wd", "T-14wd", "T-7wd"]),  # 7 working days before
        (london(2026, 12, 22, 8, 0), ["T-28wd", "T-14wd", "T-7wd", "T-2wd"]),
        (london(2026, 12, 25, 8, 0), ["T-28wd", "T-14wd", "T-7wd", "T-2wd", "overdue"]),
    ],
)
def test_custody_time_limit_thresholds_count_working_days(now: datetime, expected: list[str]) -> None:
    assert keys(ScheduleKind.CUSTODY_TIME_LIMIT, date(2026, 12, 24), now) == expected


def test_pace_threshold_two_hours_before_across_the_clock_change() -> None:
    deadline = london(2026, 3, 29, 2, 30)  # 02:30 BST = 01:30 UTC
    assert keys(ScheduleKind.PACE, deadline, london(2026, 3, 28, 23, 29)) == []
    assert keys(ScheduleKind.PACE, deadline, london(2026, 3, 28, 23, 30)) == ["T-2h"]  # two elapsed hours
    assert keys(ScheduleKind.PACE, deadline, deadline) == ["T-2h", "overdue"]


def test_bail_and_plain_due_thresholds() -> None:
    assert keys(ScheduleKind.PRE_CHARGE_BAIL, date(2026, 4, 10), london(2026, 3, 27, 9, 0)) == ["T-14d"]
    assert keys(ScheduleKind.PRE_CHARGE_BAIL, date(2026, 4, 10), london(2026, 4, 3, 9, 0)) == ["T-14d", "T-7d"]
    assert keys(ScheduleKind.DUE, date(2026, 4, 10), london(2026, 4, 10, 9, 0)) == []
    assert keys(ScheduleKind.DUE, date(2026, 4, 10), london(2026, 4, 11, 9, 0)) == ["overdue"]
    with pytest.raises(ValueError, match="not_a_kind"):
        c.thresholds_crossed("not_a_kind", date(2026, 4, 10), london(2026, 4, 11, 9, 0), CAL)


@given(
    st.datetimes(datetime(2026, 1, 1), datetime(2026, 12, 31), timezones=st.just(LONDON)),
    st.timedeltas(timedelta(0), timedelta(days=90)),
    st.sampled_from(list(ScheduleKind)),
)
def test_thresholds_only_accumulate_as_time_passes(now: datetime, later: timedelta, kind: ScheduleKind) -> None:
    deadline = date(2026, 8, 14)
    before = c.thresholds_crossed(kind, deadline, now, CAL)
    after = c.thresholds_crossed(kind, deadline, c.add_elapsed(now, later), CAL)
    assert set(before) <= set(after)


# -- rules as data -------------------------------------------------------------------------------


def test_rules_default_and_settings_overrides(settings) -> None:  # type: ignore[no-untyped-def]
    assert get_rules() is DEFAULT_RULES
    settings.CASEBRIDGE_DEADLINES = {"first_hearing_gap_days": 7}
    assert c.first_hearing_date(charged_on=date(2026, 3, 2), anticipated_plea="guilty") == date(2026, 3, 9)
    settings.CASEBRIDGE_DEADLINES = {"no_such_rule": 1}
    with pytest.raises(ImproperlyConfigured, match="no_such_rule"):
        get_rules()


def test_alert_overrides_merge_with_the_defaults(settings) -> None:  # type: ignore[no-untyped-def]
    from casework.deadlines.rules import AlertSchedule, Unit

    settings.CASEBRIDGE_DEADLINES = {"alerts": {ScheduleKind.PRE_CHARGE_BAIL: AlertSchedule((21,), Unit.DAYS)}}
    assert keys(ScheduleKind.PRE_CHARGE_BAIL, date(2026, 4, 10), london(2026, 3, 20, 9, 0)) == ["T-21d"]
    assert get_rules().alerts[ScheduleKind.PACE] == DEFAULT_RULES.alerts[ScheduleKind.PACE]


def test_the_guilty_plea_constant_matches_charging() -> None:
    assert c.GUILTY_PLEA == AnticipatedPlea.GUILTY


def test_alert_times_run_earliest_first_and_end_with_overdue_at_the_deadline() -> None:
    from casework.deadlines.calculations import alert_times, next_alert_at
    from casework.deadlines.calendar import LONDON

    deadline = datetime(2026, 6, 30, 23, 59, tzinfo=LONDON)
    points = alert_times("statutory_limit", deadline, frozenset())
    assert [t.key for t, _ in points] == ["T-60d", "T-30d", "T-14d", "T-7d", "overdue"]
    assert points[0][1] == datetime(2026, 5, 1, 23, 59, tzinfo=LONDON)
    assert points[-1][1] == deadline
    assert next_alert_at("statutory_limit", deadline, None, frozenset()) == points[0][1]
    assert next_alert_at("statutory_limit", deadline, points[2][1], frozenset()) == points[3][1]
    assert next_alert_at("statutory_limit", deadline, deadline, frozenset()) is None


def test_every_stored_deadline_kind_has_an_alert_schedule() -> None:
    from casework.choices import DeadlineKind as Stored
    from casework.deadlines.rules import get_rules, schedule_for

    rules = get_rules()
    for kind in Stored:
        assert schedule_for(kind) in rules.alerts
    assert schedule_for(Stored.CUSTODY_TIME_LIMIT) == ScheduleKind.CUSTODY_TIME_LIMIT
    assert schedule_for(Stored.ACTION_PLAN_ITEM) == ScheduleKind.DUE
