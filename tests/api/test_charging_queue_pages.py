"""The charging queue API read a page at a time (``GET /api/v1/charging-queue/``): ``next`` and ``previous``
links walk the whole queue in its order (red first, then when due) without counting it or skipping rows, a
request decided while an integration pages through does not shift the others, ``count`` stops at 1,000, and the
numbered pages it used to have are refused with a message saying what to do instead."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Unit, User
from charging import services as s
from charging.api import overview
from charging.api.overview import CURSOR_NOT_VALID, PAGE_NUMBERS_GONE
from charging.choices import ChargingCategory
from charging.models import ChargingRequest
from charging.selectors import QUEUE_ORDERING, charging_queue_for, due_hours
from config import keyset
from tests.api.charging_support import fields
from tests.charging.builders import make_case, mg3

pytestmark = pytest.mark.django_db

ClientFor = Callable[[User], Client]
QUEUE = "/api/v1/charging-queue/"
CATEGORIES = (ChargingCategory.GREEN, ChargingCategory.GREEN_PRIORITY, ChargingCategory.RED)


@pytest.fixture
def queue(
    officer_a: User, supervisor_a: User, paralegal_north: User, lawyer_north: User, unit_a1: Unit
) -> list[ChargingRequest]:
    """Seven requests with CPS North East, of every category, some due at the same moment, two allocated."""
    now = timezone.now().replace(microsecond=0)
    hours = due_hours()
    made = []
    for n in range(7):
        category = CATEGORIES[n % 3]
        request = s.request_create(
            case=make_case(f"10/AA/{40000 + n:05d}/26", officer_a), details=mg3(category=category), by=officer_a
        )
        request = s.request_submit(request=request, by=officer_a)
        request = s.request_approve(request=request, by=supervisor_a)
        if n % 3 == 1:
            request = s.request_allocate(request=s.request_accept(request=request, by=paralegal_north), by=lawyer_north)
        due = now + timedelta(days=2 * (n % 3) - 2)
        ChargingRequest.objects.filter(pk=request.pk).update(received_by_cps_at=due - timedelta(hours=hours[category]))
        made.append(request)
    return made


def ids(body: dict[str, Any]) -> list[str]:
    return [row["id"] for row in body["results"]]


def walk(client: Client, url: str, link: str = "next") -> list[dict[str, Any]]:
    pages = []
    next_url: str | None = url
    while next_url:
        response = client.get(next_url)
        assert response.status_code == 200, response.content
        pages.append(response.json())
        next_url = pages[-1][link]
    return pages


def test_next_and_previous_links_walk_the_whole_queue_in_its_order(
    queue: list[ChargingRequest], lawyer_north: User, as_user: ClientFor
) -> None:
    client = as_user(lawyer_north)
    expected = [str(r.public_id) for r in charging_queue_for(user=lawyer_north)]
    assert len(expected) == 7
    forwards = walk(client, f"{QUEUE}?page_size=2")
    assert [len(p["results"]) for p in forwards] == [2, 2, 2, 1]
    assert [i for p in forwards for i in ids(p)] == expected
    assert forwards[0]["previous"] is None
    assert all(p["count"] == 7 and p["count_capped"] is False for p in forwards)
    # Back from the last page to the first, through the previous links.
    backwards = walk(client, forwards[-1]["previous"], link="previous")
    assert [i for p in reversed(backwards) for i in ids(p)] == expected[:6]
    # The links keep the filters and the page size.
    unallocated = walk(client, f"{QUEUE}?unallocated=true&page_size=1")
    assert [i for p in unallocated for i in ids(p)] == [
        str(r.public_id) for r in charging_queue_for(user=lawyer_north) if r.allocated_lawyer_id is None
    ]
    assert "unallocated=true" in unallocated[0]["next"]
    assert "page_size=1" in unallocated[0]["next"]


def test_a_request_leaving_the_queue_while_it_is_read_shifts_no_other(
    queue: list[ChargingRequest], lawyer_north: User, as_user: ClientFor
) -> None:
    client = as_user(lawyer_north)
    expected = [str(r.public_id) for r in charging_queue_for(user=lawyer_north)]
    first = client.get(f"{QUEUE}?page_size=3").json()
    # The first request of the page read is withdrawn: with numbered pages, page 2 would now start one later and
    # the fourth request would never be read.
    ChargingRequest.objects.filter(public_id=first["results"][0]["id"]).update(status="withdrawn")
    second = client.get(first["next"]).json()
    assert ids(second) == expected[3:6]
    assert second["count"] == 6


def test_the_count_stops_at_the_limit_and_says_so(
    queue: list[ChargingRequest], lawyer_north: User, as_user: ClientFor, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(overview, "QUEUE_COUNT_LIMIT", 5)
    body = as_user(lawyer_north).get(QUEUE).json()
    assert (body["count"], body["count_capped"]) == (5, True)
    assert len(body["results"]) == 7
    exact = as_user(lawyer_north).get(f"{QUEUE}?category=red").json()
    assert (exact["count"], exact["count_capped"]) == (2, False)


def test_numbered_pages_and_foreign_cursors_are_refused_with_what_to_do(
    queue: list[ChargingRequest], lawyer_north: User, as_user: ClientFor
) -> None:
    client = as_user(lawyer_north)
    assert fields(client.get(f"{QUEUE}?page=2")) == {"page": [PAGE_NUMBERS_GONE]}
    assert client.get(f"{QUEUE}?page=1").json()["count"] == 7
    assert fields(client.get(f"{QUEUE}?after=not-a-cursor")) == {"after": [CURSOR_NOT_VALID]}
    # A cursor signed for another list (the case list's) is not a place in the queue.
    foreign = keyset.encode("queue", ("urgency", "due_at", "id"), charging_queue_for(user=lawyer_north)[0])
    assert fields(client.get(f"{QUEUE}?before={foreign}")) == {"before": [CURSOR_NOT_VALID]}


def test_a_page_costs_the_same_queries_however_many_rows_it_holds(
    queue: list[ChargingRequest], lawyer_north: User, as_user: ClientFor
) -> None:
    client = as_user(lawyer_north)
    client.get(QUEUE)

    def cost(url: str) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    assert cost(f"{QUEUE}?page_size=1") == cost(f"{QUEUE}?page_size=7")


def test_another_area_and_the_police_see_none_of_the_queue(
    queue: list[ChargingRequest], lawyer_north: User, lawyer_south: User, officer_a: User, as_user: ClientFor
) -> None:
    south = as_user(lawyer_south).get(f"{QUEUE}?page_size=1").json()
    assert (south["results"], south["count"], south["next"]) == ([], 0, None)
    # A position taken from North's queue shows South nothing of it either.
    north_cursor = keyset.encode(
        "queue", QUEUE_ORDERING, charging_queue_for(user=lawyer_north)[0], salt=overview.QUEUE_CURSOR_SALT
    )
    assert as_user(lawyer_south).get(f"{QUEUE}?after={north_cursor}").json()["results"] == []
    assert as_user(officer_a).get(QUEUE).status_code == 403
