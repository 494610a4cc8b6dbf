"""The deadline store and the alert sweep together: a time limit is alerted at the newest point already
reached when it is first recorded, never at points it has passed, and each point once."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine

from accounts.models import User
from alerts.models import Alert
from alerts.services import sweep_alerts
from casework import services as cs
from casework.choices import DeadlineKind
from casework.models import Case, Suspect

from .conftest import add_offence, at, deadline

pytestmark = pytest.mark.django_db


def test_a_time_limit_recorded_late_is_alerted_at_once_at_its_newest_point_then_at_each_later_one(
    case: Case, suspect: Suspect, officer_a: User, supervisor_a: User
) -> None:
    # Offence on 5 January 2026: the s.127 limit runs out on 5 July. Recorded on 1 June, after the 60-day point.
    with time_machine.travel(at(2026, 6, 1, 10, 0)):
        offence = add_offence(case, suspect, officer_a, "PH97003", date(2026, 1, 5))
        assert sweep_alerts() == 2
        assert sweep_alerts() == 0
    row = deadline(case, DeadlineKind.SUMMARY_TIME_LIMIT)
    alerts = Alert.objects.filter(deadline=row)
    assert {(a.recipient.username, a.threshold) for a in alerts} == {("officer_a", "T-60d"), ("supervisor_a", "T-60d")}
    with time_machine.travel(at(2026, 6, 6, 9, 0)):
        assert sweep_alerts() == 2
    assert set(alerts.values_list("threshold", flat=True)) == {"T-60d", "T-30d"}
    # Moved earlier (the offence date corrected): due 10 June, so its 7-day point (3 June) is the newest
    # reached; the points already raised are not raised again.
    with time_machine.travel(at(2026, 6, 6, 10, 0)):
        details = cs.OffenceDetails(suspect=suspect, code="PH97003", committed_on=date(2025, 12, 10))
        cs.offence_update(offence=offence, details=details, by=officer_a)
        assert sweep_alerts() == 2
    assert sorted(set(alerts.values_list("threshold", flat=True))) == ["T-30d", "T-60d", "T-7d"]
