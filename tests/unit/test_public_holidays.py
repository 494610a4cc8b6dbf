"""England and Wales public holidays (the vendored GOV.UK list) and working-day arithmetic."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from casework.deadlines.calendar import (
    add_working_days,
    easter_sunday,
    england_and_wales_bank_holidays,
    good_friday,
    is_ctl_non_working_day,
    is_working_day,
    previous_working_day,
)
from casework.deadlines.holidays import VENDORED_PATH, read_vendored, vendored_calendar

CAL = vendored_calendar()
HOLIDAYS = CAL.holidays


def test_the_vendored_file_has_the_gov_uk_shape_for_england_and_wales_2018_to_2030() -> None:
    document = json.loads(VENDORED_PATH.read_text(encoding="utf-8"))
    division = document["england-and-wales"]
    assert division["division"] == "england-and-wales"
    for event in division["events"]:
        assert set(event) == {"title", "date", "notes", "bunting"}
        assert isinstance(event["bunting"], bool)
    days = [date.fromisoformat(e["date"]) for e in division["events"]]
    assert days == sorted(days)
    assert len(days) == len(set(days))
    assert {d.year for d in days} == set(range(2018, 2031))


@pytest.mark.parametrize(
    ("year", "count"),
    [
        (2018, 8),  # an ordinary year has eight
        (2020, 8),  # VE Day moved the early May holiday rather than adding one
        (2022, 10),  # Platinum Jubilee (one extra day) and the State Funeral
        (2023, 9),  # the Coronation
        (2026, 8),
        (2030, 8),
    ],
)
def test_holidays_per_year(year: int, count: int) -> None:
    assert Counter(d.year for d in HOLIDAYS)[year] == count


@pytest.mark.parametrize(
    ("day", "is_holiday"),
    [
        (date(2020, 5, 8), True),  # VE Day 75: early May bank holiday moved to Friday 8 May
        (date(2020, 5, 4), False),  # ... so the first Monday in May 2020 was a working day
        (date(2022, 6, 2), True),  # spring bank holiday moved to Thursday 2 June
        (date(2022, 6, 3), True),  # Platinum Jubilee bank holiday
        (date(2022, 5, 30), False),  # ... so the last Monday in May 2022 was a working day
        (date(2022, 9, 19), True),  # State Funeral of Queen Elizabeth II
        (date(2023, 5, 8), True),  # Coronation of King Charles III
        (date(2023, 5, 1), True),  # ... in addition to the usual early May holiday
        (date(2020, 12, 28), True),  # Boxing Day 2020 was a Saturday: substitute Monday 28
        (date(2021, 12, 27), True),  # Christmas 2021 a Saturday: substitute Monday 27
        (date(2021, 12, 28), True),  # ... and Boxing Day (Sunday) Tuesday 28
        (date(2022, 12, 26), True),  # Christmas 2022 a Sunday: Boxing Day keeps Monday 26
        (date(2022, 12, 27), True),  # ... and Christmas Day's substitute is Tuesday 27
        (date(2022, 1, 3), True),  # New Year's Day 2022 a Saturday: substitute Monday 3
        (date(2023, 1, 2), True),  # New Year's Day 2023 a Sunday: substitute Monday 2
        (date(2028, 1, 3), True),  # New Year's Day 2028 a Saturday
        (date(2026, 12, 28), True),  # Boxing Day 2026 a Saturday: substitute Monday 28
        (date(2027, 12, 27), True),  # Christmas 2027 a Saturday
        (date(2026, 8, 31), True),  # summer bank holiday: last Monday in August
        (date(2026, 5, 25), True),  # spring bank holiday: last Monday in May
        (date(2026, 5, 4), True),  # early May bank holiday: first Monday in May
    ],
)
def test_special_and_substitute_days(day: date, is_holiday: bool) -> None:
    assert (day in HOLIDAYS) is is_holiday


@pytest.mark.parametrize(
    ("year", "good_friday_on", "easter_monday_on"),
    [
        (2018, date(2018, 3, 30), date(2018, 4, 2)),  # Easter Sunday 1 April
        (2019, date(2019, 4, 19), date(2019, 4, 22)),  # a late Easter
        (2020, date(2020, 4, 10), date(2020, 4, 13)),
        (2021, date(2021, 4, 2), date(2021, 4, 5)),
        (2022, date(2022, 4, 15), date(2022, 4, 18)),
        (2023, date(2023, 4, 7), date(2023, 4, 10)),
        (2024, date(2024, 3, 29), date(2024, 4, 1)),  # Good Friday in March
        (2025, date(2025, 4, 18), date(2025, 4, 21)),
        (2026, date(2026, 4, 3), date(2026, 4, 6)),
        (2027, date(2027, 3, 26), date(2027, 3, 29)),  # the earliest in the range
        (2028, date(2028, 4, 14), date(2028, 4, 17)),
        (2029, date(2029, 3, 30), date(2029, 4, 2)),
        (2030, date(2030, 4, 19), date(2030, 4, 22)),
    ],
)
def test_easter_holidays(year: int, good_friday_on: date, easter_monday_on: date) -> None:
    assert good_friday(year) == good_friday_on
    assert good_friday_on in HOLIDAYS
    assert easter_monday_on in HOLIDAYS


def test_the_vendored_file_matches_the_rules_and_proclamations() -> None:
    rows = read_vendored()
    for year in range(2018, 2031):
        expected = [(h.date, h.title, h.notes) for h in england_and_wales_bank_holidays(year)]
        assert [(r.date, r.title, r.notes) for r in rows if r.date.year == year] == expected


@given(st.integers(1900, 2200))
def test_easter_is_a_sunday_between_22_march_and_25_april(year: int) -> None:
    easter = easter_sunday(year)
    assert easter.weekday() == 6
    assert date(year, 3, 22) <= easter <= date(year, 4, 25)


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (date(2026, 3, 2), 5, date(2026, 3, 9)),  # Monday + 5 working days is the next Monday
        (date(2026, 3, 6), 1, date(2026, 3, 9)),  # Friday + 1 skips the weekend
        (date(2026, 3, 7), 1, date(2026, 3, 9)),  # from a Saturday, the Monday is the first
        (date(2026, 4, 2), 1, date(2026, 4, 7)),  # Thursday before Easter: skip Good Friday to Easter Monday
        (date(2026, 12, 24), 1, date(2026, 12, 29)),  # Christmas Eve 2026: 25, 26/27 weekend, 28 substitute
        (date(2026, 12, 31), 1, date(2027, 1, 4)),  # New Year's Day 2027 a Friday
        (date(2026, 3, 9), -1, date(2026, 3, 6)),  # backwards over a weekend
        (date(2026, 4, 7), -1, date(2026, 4, 2)),  # backwards over Easter
        (date(2026, 3, 7), 0, date(2026, 3, 7)),  # zero days: the day itself, working or not
    ],
)
def test_add_working_days(start: date, n: int, expected: date) -> None:
    assert add_working_days(start, n, HOLIDAYS) == expected
    assert CAL.add_working_days(start, n) == expected


def test_working_day_predicates_accept_a_set_or_a_calendar() -> None:
    assert not is_working_day(date(2026, 4, 3), HOLIDAYS)  # Good Friday
    assert is_working_day(date(2026, 4, 3), frozenset())  # ... unless the set leaves it out
    assert not is_working_day(date(2026, 3, 7), frozenset())  # a Saturday never is
    assert previous_working_day(date(2026, 4, 7), CAL) == date(2026, 4, 2)
    assert CAL.next_working_day(date(2026, 4, 2)) == date(2026, 4, 7)
    assert CAL.working_day_on_or_before(date(2026, 4, 6)) == date(2026, 4, 2)
    assert CAL.working_day_on_or_after(date(2026, 4, 3)) == date(2026, 4, 7)
    assert CAL.working_days_between(date(2026, 4, 2), date(2026, 4, 7)) == 1


def test_ctl_non_working_days_include_christmas_and_good_friday_even_if_the_set_omits_them() -> None:
    assert is_ctl_non_working_day(date(2026, 12, 25), frozenset())
    assert is_ctl_non_working_day(date(2026, 4, 3), frozenset())  # Good Friday 2026
    assert not is_ctl_non_working_day(date(2026, 4, 2), frozenset())
    assert is_ctl_non_working_day(date(2026, 5, 4), HOLIDAYS)  # a bank holiday from the set


working_dates = st.dates(date(2018, 1, 1), date(2030, 12, 31))


@given(working_dates, working_dates, st.integers(-40, 40))
def test_add_working_days_is_monotonic_in_the_start(a: date, b: date, n: int) -> None:
    low, high = min(a, b), max(a, b)
    assert CAL.add_working_days(low, n) <= CAL.add_working_days(high, n)


@given(working_dates, st.integers(-40, 40), st.integers(-40, 40))
def test_add_working_days_is_monotonic_in_n(start: date, m: int, n: int) -> None:
    low, high = min(m, n), max(m, n)
    assert CAL.add_working_days(start, low) <= CAL.add_working_days(start, high)


@given(working_dates, st.integers(1, 60))
def test_add_working_days_lands_on_a_working_day_and_counts_back(start: date, n: int) -> None:
    end = CAL.add_working_days(start, n)
    assert CAL.is_working_day(end)
    assert end > start
    assert CAL.working_days_between(start, end) == n
    assert end - start <= timedelta(days=n * 2 + 7)
