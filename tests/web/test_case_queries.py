"""The overview, people and offences pages read a case in a fixed number of queries, however many
suspects, offences, custody events, victims, updates, witnesses and dates to avoid it has."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.models import Organisation, Unit, User

from .test_case_support import BuiltCase, build_case, send_to_cps

pytestmark = pytest.mark.django_db

Login = Callable[[User], Client]

# Session and user, the case, its prefetches, the permission lookups, and (on the overview) the
# audit row of the view. Generous enough to survive an added prefetch, tight enough to catch N+1.
MAX_QUERIES = 20


@pytest.fixture
def small(force_a: Organisation, unit_a1: Unit, officer_a: User) -> BuiltCase:
    return build_case(force_a, unit_a1, officer_a, urn="10AA1000126")


@pytest.fixture
def large(force_a: Organisation, unit_a1: Unit, officer_a: User) -> BuiltCase:
    return build_case(force_a, unit_a1, officer_a, urn="10AA2000226", suspects=10, offences_each=3, people=10)


def count(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("tab", ["", "people/", "offences/"])
@pytest.mark.parametrize("persona", ["officer_a", "lawyer_north"])
def test_a_large_case_costs_the_same_queries_as_a_small_one(
    small: BuiltCase,
    large: BuiltCase,
    tab: str,
    persona: str,
    request: pytest.FixtureRequest,
    as_user: Login,
    django_assert_max_num_queries: Callable[[int], object],
) -> None:
    for built in (small, large):
        send_to_cps(built.case)
    client = as_user(request.getfixturevalue(persona))
    client.get("/")  # the session's first-request work out of the way
    assert large.case.suspects.count() == 10
    assert large.case.offences.count() == 30
    small_count = count(client, f"/cases/{small.case.public_id}/{tab}")
    large_count = count(client, f"/cases/{large.case.public_id}/{tab}")
    assert large_count == small_count
    with django_assert_max_num_queries(MAX_QUERIES):  # type: ignore[attr-defined]
        client.get(f"/cases/{large.case.public_id}/{tab}")
