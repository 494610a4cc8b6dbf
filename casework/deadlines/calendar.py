"""England and Wales public holidays and working-day arithmetic.

Owns what a *working day* is. A working day is a Monday to Friday that is not in the holiday set;
the holiday set is always passed in (a ``frozenset[date]`` or a ``WorkingCalendar``), so every
function here is pure. Where the set comes from: ``casework.deadlines.holidays`` reads the vendored
GOV.UK extract (``casework/reference/bank_holidays_england_wales.json``) or the ``PublicHoliday``
table.

Custody time limits have their own, wider idea of a non-working day: the Prosecution of Offences
(Custody Time Limits) Regulations 1987, reg. 2(4)–(5), treat Saturday, Sunday, Christmas Day, Good
Friday and any bank holiday as non-working. Christmas Day and Good Friday are common-law holidays in
England and Wales, not bank holidays, so ``is_ctl_non_working_day`` adds them itself even when the
set passed in leaves them out.

``england_and_wales_bank_holidays`` states the usual rules (Banking and Financial Dealings Act 1971
Sch. 1 plus the customary substitute days) and the one-off changes made by royal proclamation; it
is what the vendored extract was built from and what a test compares the extract against.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")

SATURDAY = 5

NEW_YEARS_DAY = "New Year’s Day"
GOOD_FRIDAY = "Good Friday"
EASTER_MONDAY = "Easter Monday"
EARLY_MAY = "Early May bank holiday"
SPRING = "Spring bank holiday"
SUMMER = "Summer bank holiday"
CHRISTMAS_DAY = "Christmas Day"
BOXING_DAY = "Boxing Day"
SUBSTITUTE_DAY = "Substitute day"


@dataclass(frozen=True, order=True)
class BankHoliday:
    date: date
    title: str
    notes: str = ""


# One-off changes by royal proclamation: (year, usual holiday moved or None, replacement or extra day).
# A moved holiday replaces the usual date; an added one (None) sits alongside the usual ones.
PROCLAMATIONS: tuple[tuple[int, str | None, BankHoliday], ...] = (
    # VE Day 75th anniversary: the early May bank holiday moved from Monday 4 May to Friday 8 May.
    (2020, EARLY_MAY, BankHoliday(date(2020, 5, 8), "Early May bank holiday (VE day)")),
    # Platinum Jubilee: the spring bank holiday moved from Monday 30 May to Thursday 2 June, plus Friday 3 June.
    (2022, SPRING, BankHoliday(date(2022, 6, 2), SPRING)),
    (2022, None, BankHoliday(date(2022, 6, 3), "Platinum Jubilee bank holiday")),
    (2022, None, BankHoliday(date(2022, 9, 19), "Bank Holiday for the State Funeral of Queen Elizabeth II")),
    (2023, None, BankHoliday(date(2023, 5, 8), "Bank holiday for the coronation of King Charles III")),
)


def easter_sunday(year: int) -> date:
    """Western (Gregorian) Easter Sunday, by the anonymous Gregorian ("Meeus/Jones/Butcher") algorithm."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ell) // 451
    month, day = divmod(h + ell - 7 * m + 114, 31)
    return date(year, month, day + 1)


def good_friday(year: int) -> date:
    return easter_sunday(year) - timedelta(days=2)


def _first_monday(year: int, month: int) -> date:
    first = date(year, month, 1)
    return first + timedelta(days=(7 - first.weekday()) % 7)


def _last_monday(year: int, month: int) -> date:
    last = date(year + (month == 12), month % 12 + 1, 1) - timedelta(days=1)
    return last - timedelta(days=last.weekday())


def england_and_wales_bank_holidays(year: int) -> list[BankHoliday]:
    """The public holidays of England and Wales in ``year``, in date order.

    New Year's Day at a weekend moves to the Monday after. When Christmas Day is a Saturday its
    substitute is Monday 27 and Boxing Day's Tuesday 28; when it is a Sunday, Boxing Day keeps
    Monday 26 and Christmas Day's substitute is Tuesday 27; Boxing Day on a Saturday moves to
    Monday 28. Proclaimed changes (``PROCLAMATIONS``) are applied on top.
    """
    days: list[BankHoliday] = []
    new_year = date(year, 1, 1)
    if new_year.weekday() >= SATURDAY:
        days.append(BankHoliday(new_year + timedelta(days=7 - new_year.weekday()), NEW_YEARS_DAY, SUBSTITUTE_DAY))
    else:
        days.append(BankHoliday(new_year, NEW_YEARS_DAY))
    easter = easter_sunday(year)
    days.append(BankHoliday(easter - timedelta(days=2), GOOD_FRIDAY))
    days.append(BankHoliday(easter + timedelta(days=1), EASTER_MONDAY))
    days.append(BankHoliday(_first_monday(year, 5), EARLY_MAY))
    days.append(BankHoliday(_last_monday(year, 5), SPRING))
    days.append(BankHoliday(_last_monday(year, 8), SUMMER))
    christmas, boxing = date(year, 12, 25), date(year, 12, 26)
    if christmas.weekday() == SATURDAY:
        days.append(BankHoliday(date(year, 12, 27), CHRISTMAS_DAY, SUBSTITUTE_DAY))
        days.append(BankHoliday(date(year, 12, 28), BOXING_DAY, SUBSTITUTE_DAY))
    elif christmas.weekday() == SATURDAY + 1:
        days.append(BankHoliday(boxing, BOXING_DAY))
        days.append(BankHoliday(date(year, 12, 27), CHRISTMAS_DAY, SUBSTITUTE_DAY))
    elif boxing.weekday() == SATURDAY:
        days.append(BankHoliday(christmas, CHRISTMAS_DAY))
        days.append(BankHoliday(date(year, 12, 28), BOXING_DAY, SUBSTITUTE_DAY))
    else:
        days.append(BankHoliday(christmas, CHRISTMAS_DAY))
        days.append(BankHoliday(boxing, BOXING_DAY))
    for proclaimed_year, moved, holiday in PROCLAMATIONS:
        if proclaimed_year != year:
            continue
        if moved is not None:
            days = [d for d in days if d.title != moved]
        days.append(holiday)
    return sorted(days)


@dataclass(frozen=True)
class WorkingCalendar:
    """Working-day arithmetic over a fixed set of public holidays (weekends are never working days)."""

    holidays: frozenset[date] = field(default_factory=frozenset)

    def is_working_day(self, day: date) -> bool:
        return day.weekday() < SATURDAY and day not in self.holidays

    def next_working_day(self, day: date) -> date:
        """The first working day strictly after ``day``."""
        return self.add_working_days(day, 1)

    def previous_working_day(self, day: date) -> date:
        """The last working day strictly before ``day``."""
        return self.add_working_days(day, -1)

    def working_day_on_or_before(self, day: date) -> date:
        return day if self.is_working_day(day) else self.previous_working_day(day)

    def working_day_on_or_after(self, day: date) -> date:
        return day if self.is_working_day(day) else self.next_working_day(day)

    def add_working_days(self, day: date, n: int) -> date:
        """The ``n``-th working day after ``day`` (before it when ``n`` is negative); ``day`` itself is
        not counted, so "within 5 working days of Monday" is the Monday after when no holiday
        intervenes. ``n == 0`` returns ``day`` unchanged, working day or not."""
        step = 1 if n >= 0 else -1
        remaining = abs(n)
        current = day
        while remaining:
            current += timedelta(days=step)
            if self.is_working_day(current):
                remaining -= 1
        return current

    def working_days_between(self, start: date, end: date) -> int:
        """How many working days fall after ``start`` up to and including ``end`` (negative if
        ``end`` is before ``start``): the inverse of ``add_working_days`` on working days."""
        if end < start:
            return -self.working_days_between(end, start)
        return sum(1 for d in _days(start + timedelta(days=1), end) if self.is_working_day(d))


CalendarLike = WorkingCalendar | frozenset[date]


def as_calendar(holidays: CalendarLike) -> WorkingCalendar:
    return holidays if isinstance(holidays, WorkingCalendar) else WorkingCalendar(frozenset(holidays))


def is_working_day(day: date, holidays: CalendarLike) -> bool:
    return as_calendar(holidays).is_working_day(day)


def add_working_days(day: date, n: int, holidays: CalendarLike) -> date:
    return as_calendar(holidays).add_working_days(day, n)


def previous_working_day(day: date, holidays: CalendarLike) -> date:
    return as_calendar(holidays).previous_working_day(day)


def next_working_day(day: date, holidays: CalendarLike) -> date:
    return as_calendar(holidays).next_working_day(day)


def is_ctl_non_working_day(day: date, holidays: CalendarLike) -> bool:
    """Saturday, Sunday, Christmas Day, Good Friday or a bank holiday (CTL Regulations 1987, reg. 2(5))."""
    return (
        not as_calendar(holidays).is_working_day(day)
        or (day.month, day.day) == (12, 25)
        or day == good_friday(day.year)
    )


def _days(start: date, end: date) -> Iterator[date]:
    current = start
    while current <= end:
        yield current
        current += timedelta(days=1)
