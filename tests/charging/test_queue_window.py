"""The CPS queue read a window at a time (``charging.selectors.charging_queue_window``): walking it forwards or
backwards, page by page, gives exactly the queue's order (red first, then when due), with requests due at the
same moment in different categories and received at the same moment in one category, and with every filter."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from accounts.models import Unit, User
from charging import services as s
from charging.choices import ChargingCategory
from charging.models import ChargingRequest
from charging.selectors import (
    QueueFilters,
    QueuePosition,
    charging_queue_for,
    charging_queue_window,
    due_hours,
)

from .builders import make_case, mg3

pytestmark = pytest.mark.django_db

CATEGORIES = (ChargingCategory.GREEN, ChargingCategory.GREEN_PRIORITY, ChargingCategory.RED)


@pytest.fixture
def queue(
    officer_a: User, supervisor_a: User, paralegal_north: User, lawyer_north: User, unit_a1: Unit
) -> list[ChargingRequest]:
    """Eighteen requests to CPS North East and two to CPS Direct. Receipt times repeat, so several requests of one
    category share a due time, and each green one is due at the same moment as a green priority one."""
    now = timezone.now().replace(microsecond=0)
    hours = due_hours()
    made = []
    for n in range(20):
        category = CATEGORIES[n % 3]
        request = s.request_create(
            case=make_case(f"10/AA/{30000 + n:05d}/26", officer_a), details=mg3(category=category), by=officer_a
        )
        request = s.request_submit(request=request, by=officer_a)
        request = s.request_approve(request=request, by=supervisor_a, to_cps_direct=n >= 18)
        if n % 4 == 1:
            request = s.request_accept(request=request, by=paralegal_north)
            request = s.request_allocate(request=request, by=lawyer_north)
        # Due times on a two-day grid, some past: several share one.
        due = now + timedelta(days=2 * (n % 5) - 4)
        ChargingRequest.objects.filter(pk=request.pk).update(received_by_cps_at=due - timedelta(hours=hours[category]))
        made.append(request)
    return made


def _position(request: ChargingRequest) -> QueuePosition:
    return QueuePosition(
        urgency=request.urgency,  # type: ignore[attr-defined]
        due_at=request.due_at,  # type: ignore[attr-defined]
        public_id=request.public_id,
    )


def _walk(user: User, filters: QueueFilters, size: int) -> list[ChargingRequest]:
    walked: list[ChargingRequest] = []
    position = None
    while True:
        window = charging_queue_window(user=user, filters=filters, position=position, size=size)
        walked.extend(window)
        if len(window) < size:
            return walked
        position = _position(window[-1])


def _walk_back(user: User, filters: QueueFilters, size: int, last: ChargingRequest) -> list[ChargingRequest]:
    walked = [last]
    position: QueuePosition | None = _position(last)
    while position is not None:
        window = charging_queue_window(user=user, filters=filters, position=position, backwards=True, size=size)
        walked[:0] = window
        position = _position(window[0]) if len(window) == size else None
    return walked


FILTERS = [
    QueueFilters(),
    QueueFilters(category=ChargingCategory.GREEN),
    QueueFilters(overdue=True),
    QueueFilters(unallocated=True),
    QueueFilters(mine=True),
    QueueFilters(category=ChargingCategory.RED, overdue=True),
]


@pytest.mark.parametrize("filters", FILTERS)
@pytest.mark.parametrize("size", [1, 2, 5, 50])
def test_walking_the_queue_in_windows_gives_the_queue_in_order(
    queue: list[ChargingRequest], lawyer_north: User, filters: QueueFilters, size: int
) -> None:
    expected = list(charging_queue_for(user=lawyer_north, filters=filters))
    assert expected, "every filter keeps some requests"
    assert _walk(lawyer_north, filters, size) == expected
    assert _walk_back(lawyer_north, filters, size, expected[-1]) == expected


def test_the_order_has_ties_to_break(queue: list[ChargingRequest], lawyer_north: User) -> None:
    """The fixture is what the other tests rely on: due times shared within and across categories."""
    rows = list(charging_queue_for(user=lawyer_north))
    dues = [r.due_at for r in rows]  # type: ignore[attr-defined]
    assert len(set(dues)) < len(dues)
    shared = {r.due_at for r in rows if r.category == ChargingCategory.GREEN} & {  # type: ignore[attr-defined]
        r.due_at  # type: ignore[attr-defined]
        for r in rows
        if r.category == ChargingCategory.GREEN_PRIORITY
    }
    assert shared


def test_cps_direct_walks_only_its_own_queue(queue: list[ChargingRequest], lawyer_cpsd: User) -> None:
    expected = list(charging_queue_for(user=lawyer_cpsd))
    assert len(expected) == 2
    assert _walk(lawyer_cpsd, QueueFilters(), 1) == expected


def test_outsiders_get_an_empty_window(queue: list[ChargingRequest], lawyer_south: User, officer_a: User) -> None:
    for outsider in (lawyer_south, officer_a):
        assert charging_queue_window(user=outsider, size=10) == []


def test_configured_time_aims_change_the_windows_as_they_change_the_queue(
    queue: list[ChargingRequest], lawyer_north: User
) -> None:
    with override_settings(CHARGING_DUE_HOURS={"green_priority": 30 * 24}):
        expected = list(charging_queue_for(user=lawyer_north))
        assert _walk(lawyer_north, QueueFilters(), 3) == expected
