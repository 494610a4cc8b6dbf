"""The case list's "officer in case" filter: a text box taking a collar number or a name, found among the officers
of the user's own force only, with a GOV.UK error for no match and for several; links carrying an officer's public
id keep working. A force has thousands of officers, so the page never lists them."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.test import Client

from accounts.choices import Role
from accounts.models import Organisation, Unit, User
from casework.forms import OFFICER_LINK_NOT_IN_FORCE, OFFICER_NOT_IN_FORCE, OFFICER_TOO_MANY, OFFICERS_LISTED
from casework.models import Case
from casework.services import CaseDetails, case_create
from tests.factories.accounts import UserFactory

from .test_case_list import urns
from .test_case_support import assert_form_error, error_summary, page

pytestmark = pytest.mark.django_db

Login = Callable[[User], Client]


def officer(username: str, force: Organisation, unit: Unit, first: str, last: str, collar: str, rank: str) -> User:
    return UserFactory(
        username=username,
        organisation=force,
        unit=unit,
        roles=[Role.POLICE_INVESTIGATOR],
        first_name=first,
        last_name=last,
        shoulder_number=collar,
        job_title=rank,
    )


@pytest.fixture
def officers(force_a: Organisation, unit_a1: Unit, force_b: Organisation, unit_b1: Unit) -> dict[str, User]:
    return {
        "jane": officer("jane", force_a, unit_a1, "Jane", "Smith", "4512", "DC"),
        "john": officer("john", force_a, unit_a1, "John", "Smith", "7781", "PC"),
        "jo": officer("jo", force_a, unit_a1, "Jo", "Bloggs", "3001", "PC"),
        "joanne": officer("joanne", force_a, unit_a1, "Joanne", "Bloggs", "3002", "DS"),
        # Kent has an officer with Jane Smith's name and collar number, and one found by name alone.
        "kent_jane": officer("kent_jane", force_b, unit_b1, "Jane", "Smith", "4512", "DC"),
        "kent_only": officer("kent_only", force_b, unit_b1, "Priya", "Kaur", "9090", "PC"),
    }


@pytest.fixture
def cases(officers: dict[str, User], officer_a: User, officer_b: User) -> dict[str, Case]:
    def made(urn: str, by: User, oic: User) -> Case:
        return case_create(urn=urn, details=CaseDetails(officer_in_case=oic), by=by)

    return {
        "jane": made("10/AA/10001/26", officer_a, officers["jane"]),
        "john": made("10/AA/10002/26", officer_a, officers["john"]),
        "jo": made("10/AA/10003/26", officer_a, officers["jo"]),
        "joanne": made("10/AA/10004/26", officer_a, officers["joanne"]),
        "kent_jane": made("46/AF/10005/26", officer_b, officers["kent_jane"]),
        "kent_only": made("46/AF/10006/26", officer_b, officers["kent_only"]),
    }


def officer_box(response: object) -> str:
    """The "officer in case" input as the page shows it."""
    match = re.search(r'<input type="text" name="officer"[^>]*>', page(response))  # type: ignore[arg-type]
    assert match, "no officer in case box"
    return match.group(0)


@pytest.mark.parametrize(
    "typed",
    ["4512", "Jane Smith", "jane smith", "Ja Smith", "Smith 4512", "  4512 ", "Jane SMITH (4512)"],
)
def test_an_officer_is_found_by_collar_number_or_name_in_the_users_own_force(
    cases: dict[str, Case], manager_police_a: User, as_user: Login, typed: str
) -> None:
    response = as_user(manager_police_a).get("/cases/", {"officer": typed})
    assert response.status_code == 200
    assert urns(response) == ["10/AA/10001/26"]
    assert 'value="Jane SMITH (4512)"' in officer_box(response)


def test_the_officer_found_is_shown_so_the_filter_can_be_sent_again(
    cases: dict[str, Case], manager_police_a: User, as_user: Login
) -> None:
    client = as_user(manager_police_a)
    shown = re.search(r'value="([^"]+)"', officer_box(client.get("/cases/", {"officer": "7781"})))
    assert shown is not None
    again = client.get("/cases/", {"officer": shown.group(1)})
    assert urns(again) == ["10/AA/10002/26"]


def test_a_full_name_picks_that_officer_even_when_it_starts_another_name(
    cases: dict[str, Case], manager_police_a: User, as_user: Login
) -> None:
    response = as_user(manager_police_a).get("/cases/", {"officer": "Jo Bloggs"})
    assert urns(response) == ["10/AA/10003/26"]


def test_an_officer_nobody_in_the_force_answers_to_is_a_clear_error(
    cases: dict[str, Case], manager_police_a: User, as_user: Login
) -> None:
    response = as_user(manager_police_a).get("/cases/", {"officer": "9999"})
    assert_form_error(response, OFFICER_NOT_IN_FORCE.format(text="9999"), "id_officer")
    assert urns(response) == []


@pytest.mark.parametrize("typed", ["9090", "Priya Kaur", "Kaur"])
def test_officers_of_another_force_are_never_found(
    cases: dict[str, Case], manager_police_a: User, as_user: Login, typed: str
) -> None:
    response = as_user(manager_police_a).get("/cases/", {"officer": typed})
    assert_form_error(response, OFFICER_NOT_IN_FORCE.format(text=typed), "id_officer")
    assert "46/AF" not in page(response)


def test_a_collar_number_shared_with_another_force_finds_only_the_users_own_officer(
    cases: dict[str, Case], manager_police_a: User, officer_b: User, as_user: Login
) -> None:
    assert urns(as_user(manager_police_a).get("/cases/", {"officer": "4512"})) == ["10/AA/10001/26"]
    assert urns(as_user(officer_b).get("/cases/", {"officer": "4512"})) == ["46/AF/10005/26"]


def test_a_collar_number_two_officers_of_the_force_hold_lists_both_and_a_former_officers_is_ignored(
    cases: dict[str, Case], force_a: Organisation, unit_a1: Unit, manager_police_a: User, as_user: Login
) -> None:
    """A collar number is looked up on its own first (``officers_named``): only when exactly one serving officer of
    the force holds it is that officer the answer."""
    former = officer("former", force_a, unit_a1, "Alan", "Reid", "4512", "PC")
    former.is_active = False
    former.save(update_fields=["is_active"])
    client = as_user(manager_police_a)
    assert urns(client.get("/cases/", {"officer": "4512"})) == ["10/AA/10001/26"]
    officer("reissued", force_a, unit_a1, "Beth", "Owen", "4512", "PC")
    response = client.get("/cases/", {"officer": "4512"})
    expected = (
        "2 officers in your force match ‘4512’: PC Beth OWEN (4512) and DC Jane SMITH (4512). "
        "Enter the collar number of the one you mean"
    )
    assert_form_error(response, expected, "id_officer")
    assert urns(response) == []


def test_several_officers_matching_are_listed_with_a_request_for_the_collar_number(
    cases: dict[str, Case], manager_police_a: User, as_user: Login
) -> None:
    response = as_user(manager_police_a).get("/cases/", {"officer": "Smith"})
    expected = (
        "2 officers in your force match ‘Smith’: DC Jane SMITH (4512) and PC John SMITH (7781). "
        "Enter the collar number of the one you mean"
    )
    assert_form_error(response, expected, "id_officer")
    assert urns(response) == []


def test_too_many_officers_matching_are_not_all_listed(
    cases: dict[str, Case], force_a: Organisation, unit_a1: Unit, manager_police_a: User, as_user: Login
) -> None:
    for n in range(OFFICERS_LISTED + 2):
        officer(f"extra{n}", force_a, unit_a1, "Sam", f"Jackson{n}", f"6{n:03d}", "PC")
    response = as_user(manager_police_a).get("/cases/", {"officer": "Sam"})
    assert_form_error(response, OFFICER_TOO_MANY.format(count=OFFICERS_LISTED, text="Sam"), "id_officer")
    assert "Jackson" not in dict(error_summary(response)).get("#id_officer", "")


def test_a_link_with_an_officers_public_id_still_filters_and_shows_their_name(
    cases: dict[str, Case], officers: dict[str, User], supervisor_a: User, as_user: Login
) -> None:
    response = as_user(supervisor_a).get(f"/cases/?officer={officers['john'].public_id}")
    assert urns(response) == ["10/AA/10002/26"]
    assert 'value="John SMITH (7781)"' in officer_box(response)


def test_a_link_with_the_public_id_of_another_forces_officer_is_refused_without_naming_them(
    cases: dict[str, Case], officers: dict[str, User], manager_police_a: User, as_user: Login
) -> None:
    response = as_user(manager_police_a).get(f"/cases/?officer={officers['kent_only'].public_id}")
    assert_form_error(response, OFFICER_LINK_NOT_IN_FORCE, "id_officer")
    assert "Kaur" not in page(response)
    assert urns(response) == []


def test_the_page_does_not_list_the_forces_officers(
    cases: dict[str, Case], force_a: Organisation, unit_a1: Unit, manager_police_a: User, as_user: Login
) -> None:
    officer("quince", force_a, unit_a1, "Zebedee", "Quince", "5555", "PC")
    body = page(as_user(manager_police_a).get("/cases/"))
    assert 'name="officer"' in body
    assert "Quince" not in body
    assert '<select name="officer"' not in body


def test_the_cps_has_no_officer_filter_and_it_is_ignored_if_sent(
    cases: dict[str, Case], lawyer_north: User, as_user: Login
) -> None:
    response = as_user(lawyer_north).get("/cases/", {"officer": "4512"})
    assert response.status_code == 200
    assert 'name="officer"' not in page(response)
