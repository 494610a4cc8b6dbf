"""Case search through the API (``GET /api/v1/cases/``): the same search as the case list page. A URN finds that
case alone; names are matched word by word; filtering by another force's officer reveals nothing."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from accounts.models import Unit, User
from casework import services as s
from casework.models import Case

pytestmark = pytest.mark.django_db

ClientFor = Callable[[User], Client]


def urns(client: Client, query: str) -> list[str]:
    response = client.get(f"/api/v1/cases/?{query}")
    assert response.status_code == 200, response.content
    return [case["urn"] for case in response.json()["results"]]


@pytest.fixture
def cases(officer_a: User, unit_a1: Unit, officer_b: User) -> dict[str, Case]:
    def made(urn: str, summary: str, first: str, last: str, by: User, oic: User) -> Case:
        case = s.case_create(urn=urn, details=s.CaseDetails(summary=summary, officer_in_case=oic), by=by)
        s.suspect_add(case=case, details=s.SuspectDetails(first, last), by=by)
        return case

    return {
        "john": made("10/AA/10001/26", "Theft", "John", "Smith", officer_a, officer_a),
        "mary": made("10/AA/10002/26", "Linked to 10/AA/10001/26", "Mary", "Smith", officer_a, officer_a),
        "kent": made("46/AF/10003/26", "Theft", "John", "Smith", officer_b, officer_b),
    }


@pytest.mark.parametrize("sort", ["updated", "relevance"])
def test_a_urn_finds_that_case_alone(cases: dict[str, Case], officer_a: User, as_user: ClientFor, sort: str) -> None:
    assert urns(as_user(officer_a), f"q=10aa1000126&sort={sort}") == ["10AA1000126"]


def test_every_word_of_a_name_must_match(cases: dict[str, Case], officer_a: User, as_user: ClientFor) -> None:
    client = as_user(officer_a)
    assert urns(client, "q=Jon+Smith") == ["10AA1000126"]
    assert sorted(urns(client, "q=Smith")) == ["10AA1000126", "10AA1000226"]
    assert urns(client, "q=of+the") == []


def test_filtering_by_another_forces_officer_finds_nothing_and_says_nothing(
    cases: dict[str, Case], officer_a: User, officer_b: User, as_user: ClientFor
) -> None:
    response = as_user(officer_a).get(f"/api/v1/cases/?officer_in_case={officer_b.public_id}")
    assert response.status_code == 200
    assert response.json()["results"] == []
    assert officer_b.last_name not in response.content.decode()
