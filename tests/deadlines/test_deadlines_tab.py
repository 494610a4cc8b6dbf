"""The case's Deadlines tab: open deadlines soonest first with a countdown in words and the rule, the
closed ones apart, scoped like every case tab, at a constant number of queries."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.models import Unit, User
from casework import services as cs
from casework.choices import CustodyEventKind, OffenceStatus
from casework.models import Case, OffenceCode, Suspect
from casework.views.deadlines import countdown
from tests.deadlines.conftest import add_offence, at

pytestmark = pytest.mark.django_db

Login = Callable[[User], Client]
NOW = at(2026, 6, 1, 10, 0)


def body(response: object) -> str:
    assert response.status_code == 200, response.status_code  # type: ignore[attr-defined]
    return response.content.decode()  # type: ignore[attr-defined]


def tab(case: Case) -> str:
    return f"/cases/{case.public_id}/deadlines/"


@pytest.fixture
def built(case: Case, suspect: Suspect, officer_a: User) -> Case:
    with time_machine.travel(NOW):
        add_offence(case, suspect, officer_a, "PH97003", date(2026, 1, 5))  # due 5 July
        add_offence(case, suspect, officer_a, "CJ88001", date(2025, 12, 3))  # due 3 June
        charged = add_offence(case, suspect, officer_a, "CJ88116", date(2026, 2, 1), status=OffenceStatus.CHARGED)
        cs.custody_event_record(
            suspect=suspect,
            details=cs.CustodyDetails(
                kind=CustodyEventKind.DETAINED, occurred_at=at(2026, 6, 1, 4, 0), relevant_time=at(2026, 6, 1, 4, 0)
            ),
            by=officer_a,
        )
    assert charged.status == OffenceStatus.CHARGED
    return case


@pytest.mark.parametrize(
    ("seconds", "words"),
    [
        (3 * 86400 + 5 * 3600, "in 3 days"),
        (86400, "in 1 day"),
        (5 * 3600 + 59 * 60, "in 5 hours"),
        (90, "in 1 minute"),
        (-2 * 86400 - 60, "overdue by 2 days"),
        (-3600, "overdue by 1 hour"),
    ],
)
def test_the_countdown_is_in_words(seconds: int, words: str) -> None:
    assert countdown(NOW + timedelta(seconds=seconds), NOW) == words


@time_machine.travel(NOW, tick=False)
def test_open_deadlines_are_listed_soonest_first_with_countdown_due_time_and_rule(
    built: Case, officer_a: User, as_user: Login
) -> None:
    page = body(as_user(officer_a).get(tab(built)))
    open_table = page.split('id="open-deadlines"')[1].split("</table>")[0]
    row = r'<tr class="govuk-table__row" id="deadline-[^"]+">\s*<td class="govuk-table__cell">([^<]+)'
    labels = [label.strip() for label in re.findall(row, open_table)]
    assert labels == [
        "PACE review 2 of detention: Jamie SMITH",
        "PACE detention limit: Jamie SMITH",
        "Time limit to charge (s.127): Jamie SMITH, Common assault (CJ88001)",
        "Time limit to charge (s.127): Jamie SMITH, Harassment without violence (PH97003)",
    ]
    # The countdown is text in a tag, never colour alone.
    assert '<strong class="govuk-tag govuk-tag--orange">In 9 hours</strong>' in open_table
    assert '<strong class="govuk-tag govuk-tag--orange">In 18 hours</strong>' in open_table
    assert '<strong class="govuk-tag govuk-tag--orange">In 2 days</strong>' in open_table
    assert '<strong class="govuk-tag govuk-tag--blue">In 34 days</strong>' in open_table
    # Due in UK time (BST in June), with the rule and the statutory mark.
    assert '<time datetime="2026-07-05T23:59:00+01:00">Sun 5 Jul 2026, 23:59</time>' in open_table
    assert "s.127 Magistrates&#x27; Courts Act 1980" in open_table
    assert open_table.count('govuk-tag--purple">Statutory</strong>') == 3
    closed = page.split('id="closed-deadlines"')[1].split("</table>")[0]
    assert "Assault by beating (CJ88116)" in closed
    assert "PACE review 1 of detention" in closed  # its time (10:00) has come while detained
    assert '<strong class="govuk-tag govuk-tag--green">Met</strong>' in closed


def test_the_tab_is_404_outside_scope_and_open_to_the_cps_once_sent(
    built: Case, officer_b: User, lawyer_south: User, lawyer_north: User, as_user: Login
) -> None:
    assert as_user(officer_b).get(tab(built)).status_code == 404
    assert as_user(lawyer_north).get(tab(built)).status_code == 404  # not sent to the CPS
    Case.objects.filter(pk=built.pk).update(sent_to_cps_at=NOW)
    assert as_user(lawyer_south).get(tab(built)).status_code == 404
    assert "PACE detention limit" in body(as_user(lawyer_north).get(tab(built)))


def test_the_tab_asks_for_login(built: Case, client: Client) -> None:
    response = client.get(tab(built))
    assert response.status_code == 302
    assert response["Location"].endswith(f"?next={tab(built)}")


def test_a_case_without_deadlines_says_so(case: Case, officer_a: User, as_user: Login) -> None:
    page = body(as_user(officer_a).get(tab(case)))
    assert "There are no open deadlines on this case." in page
    assert "No deadlines have been met or closed yet." in page


def test_the_tab_costs_the_same_queries_however_many_deadlines(
    built: Case,
    officer_a: User,
    supervisor_a: User,
    unit_a1: Unit,
    offence_codes: dict[str, OffenceCode],
    as_user: Login,
) -> None:
    small = cs.case_create(urn="10/AA/22222/26", details=cs.CaseDetails(), by=officer_a)
    with time_machine.travel(NOW):
        suspect = cs.suspect_add(case=small, details=cs.SuspectDetails("Ann", "Lee"), by=officer_a)
        add_offence(small, suspect, officer_a)
        for n in range(10):
            add_offence(built, suspect_of(built), officer_a, "PH97003", date(2026, 1, 1) + timedelta(days=n))
    client = as_user(officer_a)
    client.get("/")

    def count(case: Case) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(tab(case)).status_code == 200
        return len(queries)

    assert built.deadlines.count() > small.deadlines.count() + 10
    assert count(built) == count(small)


def suspect_of(case: Case) -> Suspect:
    return case.suspects.get()
