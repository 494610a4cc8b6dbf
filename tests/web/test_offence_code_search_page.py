"""/offence-codes/: the offence code search page for people building a case."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User
from casework.choices import ModeOfTrial
from casework.models import OffenceCode
from casework.views.offence_codes import QUERY_REQUIRED, QUERY_TOO_LONG

pytestmark = pytest.mark.django_db

SignedIn = Callable[[User], Client]
URL = "/offence-codes/"


@pytest.fixture
def some_codes(db: None) -> None:
    rows = [
        ("CJ88001", "Common assault", "CS", ModeOfTrial.SUMMARY_ONLY, ""),
        ("PH97004", "Harassment without violence", "CS", ModeOfTrial.SUMMARY_ONLY, "harassment_stalking"),
        ("PU86003", "Affray", "CE", ModeOfTrial.EITHER_WAY, "violent_disorder_affray"),
    ]
    for code, title, category, mode, group in rows:
        OffenceCode.objects.create(code=code, title=title, category=category, mode_of_trial=mode, dg6_group=group)


def error_summary(body: str) -> str:
    match = re.search(r'<div class="govuk-error-summary".*?</ul>', body, re.S)
    assert match, "no GOV.UK error summary"
    return match.group(0)


def test_the_url_is_named_for_the_offence_forms_to_link_to() -> None:
    assert reverse("offence-code-search") == URL


def results_table(body: str) -> str:
    match = re.search(r'<table class="govuk-table" data-testid="offence-code-results">.*?</table>', body, re.S)
    assert match, "no results table"
    return match.group(0)


def test_first_visit_shows_the_form_without_errors(as_user: SignedIn, officer_a: User) -> None:
    body = as_user(officer_a).get(URL).content.decode()
    assert "Search offences by code or words" in body
    assert "govuk-error-summary" not in body


def test_signed_in_user_sees_results_with_mode_of_trial_and_dg6_note(
    as_user: SignedIn, lawyer_south: User, some_codes: None
) -> None:
    response = as_user(lawyer_south).get(URL, {"q": "harassment"})
    assert response.status_code == 200
    table = results_table(response.content.decode())
    assert "PH97004" in table
    assert "Harassment without violence" in table
    assert '<strong class="govuk-tag govuk-tag--grey">Summary only</strong>' in table  # text, not colour alone
    assert "CPS must decide" in table
    assert "Harassment or stalking" in table
    assert "CJ88001" not in table


def test_a_code_search_without_a_dg6_group_has_no_cps_note(
    as_user: SignedIn, officer_a: User, some_codes: None
) -> None:
    table = results_table(as_user(officer_a).get(URL, {"q": "cj88001"}).content.decode())
    assert "Common assault" in table
    assert "CPS must decide" not in table


def test_nothing_found_says_so(as_user: SignedIn, officer_a: User, some_codes: None) -> None:
    body = as_user(officer_a).get(URL, {"q": "xyzzyq"}).content.decode()
    assert "No offences found for ‘xyzzyq’" in body


@pytest.mark.parametrize(
    ("query", "message"), [("", QUERY_REQUIRED), ("   ", QUERY_REQUIRED), ("x" * 101, QUERY_TOO_LONG)]
)
def test_empty_or_too_long_query_shows_the_error_summary_linked_to_the_field(
    as_user: SignedIn, officer_a: User, query: str, message: str
) -> None:
    response = as_user(officer_a).get(URL, {"q": query})
    assert response.status_code == 200
    body = response.content.decode()
    summary = error_summary(body)
    assert f'<a href="#id_q">{message}</a>' in summary
    assert 'id="id_q-error"' in body
    assert "<title>Error: " in body
    assert "govuk-table" not in body


def test_anonymous_visitor_is_sent_to_sign_in(client: Client) -> None:
    response = client.get(URL, {"q": "affray"})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/sign-in/")
