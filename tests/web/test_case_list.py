"""The case list: search, filters, keyset pagination (no COUNT over the table), bad filter input
shown as GOV.UK errors, and nobody ever seeing another force's or Area's cases."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Organisation, Unit, User
from casework.choices import CaseFlag
from casework.forms import FILTER_CHOICE_UNKNOWN, OFFICER_NOT_IN_FORCE, UPDATED_RANGE_REVERSED
from casework.models import Case
from casework.services import CaseDetails, SuspectDetails, case_create, suspect_add
from casework.views.cases import PAGE_SIZE
from tests.factories.casework import CaseFactory

from .test_case_support import assert_form_error, page, send_to_cps

pytestmark = pytest.mark.django_db

Login = Callable[[User], Client]


def urns(response: object) -> list[str]:
    """The URNs listed, in order."""
    return re.findall(r'href="/cases/[0-9a-f-]{36}/">(\d\d/[A-Z0-9]{2}/\d+/\d\d)</a>', page(response))  # type: ignore[arg-type]


def next_link(response: object) -> str | None:
    match = re.search(r'href="([^"]+)" rel="next"', page(response))  # type: ignore[arg-type]
    return match.group(1).replace("&amp;", "&") if match else None


def previous_link(response: object) -> str | None:
    match = re.search(r'href="([^"]+)" rel="prev"', page(response))  # type: ignore[arg-type]
    return match.group(1).replace("&amp;", "&") if match else None


@pytest.fixture
def cases(
    force_a: Organisation,
    unit_a1: Unit,
    unit_a2: Unit,
    force_b: Organisation,
    unit_b1: Unit,
    officer_a: User,
    officer_a2: User,
    officer_b: User,
) -> dict[str, Case]:
    """Cases made through the services, so their search text is what the services write."""
    a1 = case_create(
        urn="10/AA/10001/26",
        details=CaseDetails(summary="Burglary of a dwelling in Jesmond", flags=[CaseFlag.DOMESTIC_ABUSE]),
        by=officer_a,
    )
    suspect_add(case=a1, details=SuspectDetails(first_names="Piotr", last_name="Kowalczyk"), by=officer_a)
    a2 = case_create(
        urn="10/AB/10002/26",
        details=CaseDetails(summary="Criminal damage to a bus shelter", flags=[CaseFlag.HATE_CRIME]),
        by=officer_a2,
    )
    suspect_add(case=a2, details=SuspectDetails(first_names="Jane", last_name="Smith"), by=officer_a2)
    b1 = case_create(
        urn="46/AF/10003/26",
        details=CaseDetails(summary="Burglary in Gravesend", flags=[CaseFlag.DOMESTIC_ABUSE]),
        by=officer_b,
    )
    suspect_add(case=b1, details=SuspectDetails(first_names="Piotr", last_name="Kowalczyk"), by=officer_b)
    return {"a1": a1, "a2": a2, "b1": b1}


def test_the_list_shows_the_forces_cases_with_status_and_flags_in_words(
    cases: dict[str, Case], officer_a: User, as_user: Login
) -> None:
    response = as_user(officer_a).get("/cases/")
    assert response.status_code == 200
    assert sorted(urns(response)) == ["10/AA/10001/26", "10/AB/10002/26"]
    body = page(response)
    assert re.search(r'<strong class="govuk-tag [^"]*">Investigation</strong>', body)
    assert re.search(r'<strong class="govuk-tag govuk-tag--grey[^"]*">Domestic abuse</strong>', body)
    assert "Burglary of a dwelling in Jesmond" in body
    assert str(officer_a) in body
    assert "Create a case" in body
    assert 'name="officer"' in body


@pytest.mark.parametrize("persona", ["officer_b", "lawyer_south", "lawyer_north", "admin_user"])
def test_other_forces_and_areas_cases_never_appear(
    cases: dict[str, Case], persona: str, request: pytest.FixtureRequest, as_user: Login
) -> None:
    client = as_user(request.getfixturevalue(persona))
    for query in ("", "?q=Kowalczyk", "?q=10/AA/10001/26", "?q=burglary", "?flag=domestic_abuse"):
        listed = urns(client.get(f"/cases/{query}"))
        assert "10/AA/10001/26" not in listed
        assert "10/AB/10002/26" not in listed


def test_the_cps_sees_sent_cases_of_its_area_and_no_officer_filter(
    cases: dict[str, Case], lawyer_north: User, as_user: Login
) -> None:
    send_to_cps(cases["a1"])
    response = as_user(lawyer_north).get("/cases/")
    assert urns(response) == ["10/AA/10001/26"]
    assert 'name="officer"' not in page(response)
    assert "Create a case" not in page(response)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("q=Smith", ["10/AB/10002/26"]),
        ("q=kowalcyzk", ["10/AA/10001/26"]),  # misspelt: found by trigram similarity
        ("q=10AA1000126", ["10/AA/10001/26"]),
        ("q=10/aa/10001/26", ["10/AA/10001/26"]),
        ("q=shelter", ["10/AB/10002/26"]),
        ("flag=hate_crime", ["10/AB/10002/26"]),
        ("flag=hate_crime&flag=domestic_abuse", []),
        ("status=investigation", ["10/AA/10001/26", "10/AB/10002/26"]),
        ("status=charged", []),
        ("unit=ab", ["10/AB/10002/26"]),
        ("sort=urn", ["10/AA/10001/26", "10/AB/10002/26"]),
    ],
)
def test_search_and_filters(
    cases: dict[str, Case], supervisor_a: User, as_user: Login, query: str, expected: list[str]
) -> None:
    response = as_user(supervisor_a).get(f"/cases/?{query}")
    assert response.status_code == 200
    found = urns(response)
    assert (found if "sort=" in query else sorted(found)) == expected


def test_filter_by_officer_in_case(
    cases: dict[str, Case], supervisor_a: User, officer_a2: User, as_user: Login
) -> None:
    response = as_user(supervisor_a).get(f"/cases/?officer={officer_a2.public_id}")
    assert urns(response) == ["10/AB/10002/26"]


def test_filter_by_updated_dates(cases: dict[str, Case], supervisor_a: User, as_user: Login) -> None:
    Case.objects.filter(pk=cases["a1"].pk).update(updated_at=timezone.now() - timedelta(days=40))
    today = timezone.localdate()
    week_ago = today - timedelta(days=7)
    client = as_user(supervisor_a)
    recent = client.get(
        f"/cases/?updated_from_day={week_ago.day}&updated_from_month={week_ago.month}&updated_from_year={week_ago.year}"
    )
    assert urns(recent) == ["10/AB/10002/26"]
    older = client.get(
        f"/cases/?updated_to_day={week_ago.day}&updated_to_month={week_ago.month}&updated_to_year={week_ago.year}"
    )
    assert urns(older) == ["10/AA/10001/26"]


@pytest.mark.parametrize(
    ("query", "message", "anchor"),
    [
        (
            "updated_from_day=31&updated_from_month=2&updated_from_year=2026",
            "The ‘updated from’ date must be a real date",
            "id_updated_from_0",
        ),
        (
            "updated_to_day=1&updated_to_month=13&updated_to_year=2026",
            "The ‘updated to’ date must be a real date",
            "id_updated_to_0",
        ),
        ("status=lost", FILTER_CHOICE_UNKNOWN, "id_status_0"),
        ("flag=spooky", FILTER_CHOICE_UNKNOWN, "id_flag_0"),
        ("officer=not-a-uuid", OFFICER_NOT_IN_FORCE.format(text="not-a-uuid"), "id_officer"),
        ("sort=sideways", FILTER_CHOICE_UNKNOWN, "id_sort"),
        ("q=" + "x" * 201, "Search cases must be 200 characters or fewer", "id_q"),
        (
            "updated_from_day=5&updated_from_month=3&updated_from_year=2026&updated_to_day=1&updated_to_month=3&updated_to_year=2026",
            UPDATED_RANGE_REVERSED,
            "id_updated_to_0",
        ),
    ],
)
def test_bad_filters_show_the_error_summary_and_no_results(
    cases: dict[str, Case], supervisor_a: User, as_user: Login, query: str, message: str, anchor: str
) -> None:
    response = as_user(supervisor_a).get(f"/cases/?{query}")
    assert_form_error(response, message, anchor)
    assert urns(response) == []
    assert "Correct the filters to see cases" in page(response)


# ---------------------------------------------------------------------------------------------
# Keyset pagination


@pytest.fixture
def many(force_a: Organisation, unit_a1: Unit) -> list[Case]:
    made = [CaseFactory(force=force_a, unit=unit_a1, urn=f"10AA{20000 + i:05d}26") for i in range(PAGE_SIZE * 2 + 5)]
    # Ties on the sort key: the id breaks them, so no case is skipped or shown twice.
    same = timezone.now() - timedelta(hours=1)
    Case.objects.filter(pk__in=[c.pk for c in made[10:40]]).update(updated_at=same)
    return made


def walk(client: Client, first: str) -> list[list[str]]:
    pages, url = [], first
    while url:
        response = client.get(url if url.startswith("/") else f"/cases/{url}")
        assert response.status_code == 200
        pages.append(urns(response))
        url = next_link(response)
        assert len(pages) < 10
    return pages


@pytest.mark.parametrize("sort", ["updated", "oldest", "created", "urn"])
def test_walking_the_pages_shows_every_case_once_in_order(
    many: list[Case], officer_a: User, as_user: Login, sort: str
) -> None:
    client = as_user(officer_a)
    pages = walk(client, f"/cases/?sort={sort}")
    assert [len(p) for p in pages] == [PAGE_SIZE, PAGE_SIZE, 5]
    seen = [urn for p in pages for urn in p]
    ordering = {
        "updated": ("-updated_at", "-id"),
        "oldest": ("updated_at", "id"),
        "created": ("-created_at", "-id"),
        "urn": ("urn", "id"),
    }[sort]
    assert seen == [c.urn_display for c in Case.objects.order_by(*ordering)]


def test_previous_goes_back_a_page_and_the_first_page_has_none(
    many: list[Case], officer_a: User, as_user: Login
) -> None:
    client = as_user(officer_a)
    first = client.get("/cases/")
    assert previous_link(first) is None
    second = client.get(f"/cases/{next_link(first)}")
    third = client.get(f"/cases/{next_link(second)}")
    assert next_link(third) is None
    back_to_second = client.get(f"/cases/{previous_link(third)}")
    assert urns(back_to_second) == urns(second)
    back_to_first = client.get(f"/cases/{previous_link(back_to_second)}")
    assert urns(back_to_first) == urns(first)
    assert previous_link(back_to_first) is None


def test_the_page_links_keep_the_filters(many: list[Case], officer_a: User, as_user: Login) -> None:
    response = as_user(officer_a).get("/cases/?status=investigation&unit=AA")
    link = next_link(response)
    assert link is not None
    assert "status=investigation" in link
    assert "unit=AA" in link
    assert "after=" in link


def test_a_tampered_or_foreign_cursor_starts_again_at_the_first_page(
    many: list[Case], officer_a: User, as_user: Login
) -> None:
    client = as_user(officer_a)
    first = urns(client.get("/cases/"))
    assert urns(client.get("/cases/?after=not-a-cursor")) == first
    cursor = next_link(client.get("/cases/?sort=urn"))
    assert cursor is not None
    assert urns(client.get(f"/cases/{cursor.replace('sort=urn', 'sort=updated')}")) == first


def test_paging_never_counts_the_table(many: list[Case], officer_a: User, as_user: Login) -> None:
    client = as_user(officer_a)
    client.get("/cases/")  # sign-in and session queries out of the way
    with CaptureQueriesContext(connection) as first:
        response = client.get("/cases/")
    with CaptureQueriesContext(connection) as second:
        client.get(f"/cases/{next_link(response)}")
    for queries in (first, second):
        sql = " ".join(q["sql"].upper() for q in queries.captured_queries)
        assert "COUNT(" not in sql
        assert "OFFSET" not in sql
        assert len(queries) == len(first)
    assert any('"casework_case"' in q["sql"] and "LIMIT 26" in q["sql"] for q in first.captured_queries)


def test_relevance_pages_go_on_through_a_run_of_equal_ranks(
    force_a: Organisation, unit_a1: Unit, officer_a: User, as_user: Login
) -> None:
    """Every match ranks the same, so the pages are told apart by the id alone, on a rank the database
    computes in single precision: the cursor must hold it exactly or the second page starts again."""
    for i in range(PAGE_SIZE * 2 + 3):
        case = case_create(urn=f"10/AA/{31000 + i}/26", details=CaseDetails(summary=f"Theft {i}"), by=officer_a)
        suspect_add(case=case, details=SuspectDetails(first_names="Lee", last_name="Smith"), by=officer_a)
    pages = walk(as_user(officer_a), "/cases/?q=Smith")
    assert [len(p) for p in pages] == [PAGE_SIZE, PAGE_SIZE, 3]
    seen = [urn for p in pages for urn in p]
    assert sorted(seen) == sorted(f"10/AA/{31000 + i}/26" for i in range(PAGE_SIZE * 2 + 3))


def test_relevance_is_the_order_when_searching_and_pages_too(
    force_a: Organisation, unit_a1: Unit, officer_a: User, as_user: Login
) -> None:
    for i in range(PAGE_SIZE + 3):
        case = case_create(urn=f"10/AA/{30000 + i}/26", details=CaseDetails(summary=f"Theft {i}"), by=officer_a)
        suspect_add(
            case=case, details=SuspectDetails(first_names="Lee", last_name="Smith" if i % 2 else "Smyth"), by=officer_a
        )
    client = as_user(officer_a)
    pages = walk(client, "/cases/?q=Smith")
    assert 'value="relevance" selected' in page(client.get("/cases/?q=Smith"))
    seen = [urn for p in pages for urn in p]
    assert len(seen) == len(set(seen))
    exact = {f"10/AA/{30000 + i}/26" for i in range(PAGE_SIZE + 3) if i % 2}
    assert set(seen[: len(exact)]) == exact  # exact matches rank above the near misses
