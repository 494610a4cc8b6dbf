"""GET /api/v1/offence-codes/?q= and /api/v1/offence-codes/<code>/: public reference data for any
signed-in user or token, in the one JSON error shape."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from accounts.models import User
from casework.choices import ModeOfTrial
from casework.models import OffenceCode

pytestmark = pytest.mark.django_db

SignedIn = Callable[[User], Client]


@pytest.fixture
def some_codes(db: None) -> None:
    rows = [
        ("CJ88001", "Common assault", "CS", ModeOfTrial.SUMMARY_ONLY, ""),
        ("CJ88116", "Assault by beating", "CS", ModeOfTrial.SUMMARY_ONLY, ""),
        ("PH97004", "Harassment without violence", "CS", ModeOfTrial.SUMMARY_ONLY, "harassment_stalking"),
        ("PU86003", "Affray", "CE", ModeOfTrial.EITHER_WAY, "violent_disorder_affray"),
        ("OF61016", "Section 18 - wounding with intent", "CI", ModeOfTrial.INDICTABLE_ONLY, "gbh_abh"),
    ]
    for code, title, category, mode, group in rows:
        OffenceCode.objects.create(code=code, title=title, category=category, mode_of_trial=mode, dg6_group=group)
    OffenceCode.objects.create(
        code="CJ88999", title="Withdrawn assault", category="CS", mode_of_trial="summary_only", is_active=False
    )


def test_search_returns_offence_codes_in_the_documented_shape(
    as_user: SignedIn, officer_a: User, some_codes: None
) -> None:
    response = as_user(officer_a).get("/api/v1/offence-codes/", {"q": "PH97004"})
    assert response.status_code == 200
    assert response.json() == [
        {
            "code": "PH97004",
            "title": "Harassment without violence",
            "category": "CS",
            "mode_of_trial": "summary_only",
            "mode_of_trial_label": "Summary only",
            "dg6_group": "harassment_stalking",
            "dg6_label": "Harassment or stalking",
            "is_active": True,
        }
    ]


def test_search_by_words_and_prefix_for_any_signed_in_user(
    as_user: SignedIn, lawyer_south: User, some_codes: None
) -> None:
    client = as_user(lawyer_south)  # another area entirely: reference data is for everyone
    by_words = client.get("/api/v1/offence-codes/", {"q": "assault"}).json()
    assert [row["code"] for row in by_words] == ["CJ88001", "CJ88116"]  # not CJ88999: inactive
    by_prefix = client.get("/api/v1/offence-codes/", {"q": "cj88", "limit": 1}).json()
    assert [row["code"] for row in by_prefix] == ["CJ88001"]


def test_missing_q_is_a_400_naming_the_field(as_user: SignedIn, officer_a: User) -> None:
    response = as_user(officer_a).get("/api/v1/offence-codes/")
    assert response.status_code == 400
    body = response.json()["error"]
    assert (body["status"], body["code"]) == (400, "invalid")
    assert "q" in body["fields"]


@pytest.mark.parametrize("params", [{"q": "x", "limit": "0"}, {"q": "x", "limit": "51"}, {"q": "x" * 101}, {"q": ""}])
def test_out_of_range_parameters_are_a_400(as_user: SignedIn, officer_a: User, params: dict[str, str]) -> None:
    response = as_user(officer_a).get("/api/v1/offence-codes/", params)
    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) <= {"q", "limit"}


def test_anonymous_callers_get_401(client: Client, some_codes: None) -> None:
    for url in ("/api/v1/offence-codes/?q=affray", "/api/v1/offence-codes/PU86003/"):
        response = client.get(url)
        assert response.status_code == 401
        assert response.json()["error"]["status"] == 401


def test_detail_of_one_code_in_any_case(as_user: SignedIn, officer_b: User, some_codes: None) -> None:
    response = as_user(officer_b).get("/api/v1/offence-codes/of61016/")
    assert response.status_code == 200
    assert response.json()["mode_of_trial_label"] == "Indictable only"
    assert response.json()["dg6_label"] == "GBH, wounding or ABH"
    withdrawn = as_user(officer_b).get("/api/v1/offence-codes/CJ88999/").json()
    assert withdrawn["is_active"] is False


def test_unknown_code_is_a_404_in_the_error_shape(as_user: SignedIn, officer_a: User, some_codes: None) -> None:
    response = as_user(officer_a).get("/api/v1/offence-codes/ZZ99999/")
    assert response.status_code == 404
    assert response.json() == {"error": {"status": 404, "code": "not_found", "message": "Not found."}}
