"""Building the snapshots (``metrics.compute``): a day is replaced whole, the days a change marks include the
ones a derived row leaves and, when a case changes dimension, every day it counts on, and the builder clears
what it built."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from accounts.models import Unit, User
from casework import services as cs
from casework.choices import Authority, CustodyEventKind
from casework.models import Case, Deadline, OffenceCode, Suspect
from casework.services.custody import CustodyDetails
from metrics.compute import build_dirty_days, mark_dirty, recompute_day, recompute_period
from metrics.models import DirtyDay, MetricSnapshot

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")


def at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=LONDON)


def dirty() -> set[date]:
    return set(DirtyDay.objects.values_list("day", flat=True))


def breaches_on(day: date) -> float:
    return sum(MetricSnapshot.objects.filter(metric="time_limit_breaches", day=day).values_list("numerator", flat=True))


def _bailed_case(officer: User, start: date, ends: date) -> tuple[Case, Suspect]:
    case = cs.case_create(urn="10/AA/12345/26", details=cs.CaseDetails(summary="Theft"), by=officer)
    suspect = cs.suspect_add(case=case, details=cs.SuspectDetails("Jamie", "Smith"), by=officer)
    cs.offence_add(
        case=case, details=cs.OffenceDetails(suspect=suspect, code="TH68001", committed_on=start), by=officer
    )
    cs.custody_event_record(
        suspect=suspect,
        details=CustodyDetails(
            kind=CustodyEventKind.PRE_CHARGE_BAIL,
            occurred_at=at(start),
            arrested_on=start,
            bail_start_date=start,
            period_ends_on=ends,
            authority=Authority.CUSTODY_OFFICER,
        ),
        by=officer,
    )
    return case, suspect


def test_a_deadline_moved_by_a_change_marks_its_old_due_day_as_well_as_its_new_one(
    officer_a: User, unit_a1: Unit, offence_codes: dict[str, OffenceCode]
) -> None:
    start, first_end, new_end = date(2026, 1, 5), date(2026, 2, 5), date(2026, 3, 5)
    with time_machine.travel(at(start), tick=False):
        case, suspect = _bailed_case(officer_a, start, first_end)
    with time_machine.travel(at(date(2026, 2, 10)), tick=False):
        # The bail period ran out on 5 February with nothing recorded: a breach that day.
        build_dirty_days()
        recompute_day(first_end)
        assert breaches_on(first_end) == 1
        DirtyDay.objects.all().delete()
        # A late extension moves the deadline to 5 March (not yet come): 5 February must be rebuilt.
        cs.custody_event_record(
            suspect=suspect,
            details=CustodyDetails(
                kind=CustodyEventKind.BAIL_EXTENDED,
                occurred_at=at(date(2026, 2, 10)),
                period_ends_on=new_end,
                authority=Authority.CUSTODY_OFFICER,
            ),
            by=officer_a,
        )
        assert Deadline.objects.get(case=case, statutory=True).due_at.astimezone(LONDON).date() == new_end
        assert dirty() == {start, first_end, date(2026, 2, 10)}
        build_dirty_days()
        assert breaches_on(first_end) == 0
        assert dirty() == set()


def test_changing_the_first_offence_marks_every_day_the_case_counts_on(
    officer_a: User, unit_a1: Unit, offence_codes: dict[str, OffenceCode]
) -> None:
    start = date(2026, 1, 5)
    with time_machine.travel(at(start), tick=False):
        case, suspect = _bailed_case(officer_a, start, date(2026, 2, 5))
    today = date(2026, 1, 20)
    with time_machine.travel(at(today), tick=False):
        DirtyDay.objects.all().delete()
        cs.suspect_update(suspect=suspect, details=cs.SuspectDetails("Jamie", "Smyth"), by=officer_a)
        # Only event days and today: the offence group did not change.
        assert dirty() == {start, today}
        DirtyDay.objects.all().delete()
        offence = case.offences.get()
        cs.offence_update(
            offence=offence,
            details=cs.OffenceDetails(suspect=suspect, code="OF61016", committed_on=start),
            by=officer_a,
        )
        # The suspect was on bail every day since 5 January: each of those days moves to the new offence group.
        assert dirty() == {start + timedelta(days=n) for n in range(16)}


def test_recompute_day_replaces_only_that_day_and_those_metrics(
    officer_a: User, unit_a1: Unit, offence_codes: dict[str, OffenceCode]
) -> None:
    start = date(2026, 1, 5)
    with time_machine.travel(at(start), tick=False):
        _bailed_case(officer_a, start, date(2026, 2, 5))
    with time_machine.travel(at(date(2026, 1, 8)), tick=False):
        assert recompute_period(start, date(2026, 1, 7), ["bail_population"]) == 3
        assert recompute_day(date(2026, 1, 6), ["bail_population"]) == 1
        rows = MetricSnapshot.objects.filter(metric="bail_population").order_by("day")
        assert [(r.day, r.category, r.numerator) for r in rows] == [
            (date(2026, 1, 5), "0-3m", 1.0),
            (date(2026, 1, 6), "0-3m", 1.0),
            (date(2026, 1, 7), "0-3m", 1.0),
        ]
        assert not MetricSnapshot.objects.exclude(metric="bail_population").exists()


def test_build_dirty_days_builds_the_oldest_first_up_to_its_limit_and_clears_them(
    officer_a: User, unit_a1: Unit, offence_codes: dict[str, OffenceCode]
) -> None:
    start = date(2026, 1, 5)
    with time_machine.travel(at(start), tick=False):
        _bailed_case(officer_a, start, date(2026, 2, 5))
    with time_machine.travel(at(date(2026, 1, 10)), tick=False):
        DirtyDay.objects.all().delete()
        mark_dirty([date(2026, 1, 9), date(2026, 1, 7), date(2026, 1, 8)])
        assert build_dirty_days(limit=2) == 2
        assert dirty() == {date(2026, 1, 9)}
        built = set(MetricSnapshot.objects.filter(metric="bail_population").values_list("day", flat=True))
        assert built == {date(2026, 1, 7), date(2026, 1, 8)}
        assert build_dirty_days() == 1
        assert build_dirty_days() == 0
        assert dirty() == set()
