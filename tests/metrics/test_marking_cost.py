"""What marking a changed case's days costs (``metrics.compute``): the hook before the deadline store reads only
what the store rewrites (the deadlines), and the days are written once, by the last hook."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Unit, User
from casework.models import OffenceCode
from metrics.compute import mark_case_dirty, mark_case_dirty_before_derived
from metrics.models import DirtyDay
from tests.metrics.test_compute import _bailed_case, at

pytestmark = pytest.mark.django_db


def test_the_first_hook_reads_only_the_deadlines_and_the_last_writes_the_days_once(
    officer_a: User, unit_a1: Unit, offence_codes: dict[str, OffenceCode]
) -> None:
    start, ends = date(2026, 1, 5), date(2026, 2, 5)
    with time_machine.travel(at(start), tick=False):
        case, _suspect = _bailed_case(officer_a, start, ends)
    with time_machine.travel(at(date(2026, 2, 10)), tick=False):
        DirtyDay.objects.all().delete()
        with CaptureQueriesContext(connection) as before:
            mark_case_dirty_before_derived(case)
        assert [q["sql"].split('FROM "')[1].split('"')[0] for q in before.captured_queries] == ["casework_deadline"]
        assert not DirtyDay.objects.exists()
        with CaptureQueriesContext(connection) as after:
            mark_case_dirty(case)
        writes = [q["sql"] for q in after.captured_queries if q["sql"].startswith("INSERT")]
        assert len(writes) == 1
        # The bail deadline's day (5 February, a breach), the day of the bail and today.
        assert set(DirtyDay.objects.values_list("day", flat=True)) == {start, ends, date(2026, 2, 10)}
