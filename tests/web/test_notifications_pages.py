"""The notifications pages: the list, the unread count in the service navigation, opening one, marking all
read; and that nobody reaches another person's notifications."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Notification, Unit, User
from accounts.notifications import notify
from casework import services as cs
from casework.models import Case

pytestmark = pytest.mark.django_db

LIST = "/notifications/"


def _note(user: User, subject: str, link: str = "", case: Case | None = None, body: str = "") -> Notification:
    [note] = notify(
        recipients=[user], kind="test", subject=subject, body=body, link=link, case_id=case.public_id if case else None
    )
    return note


def _open_url(note: Notification) -> str:
    return reverse("notifications:open", args=[note.public_id])


def _html(client: Client, url: str = LIST) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def _rows(html: str) -> list[str]:
    return re.findall(r'<tr class="govuk-table__row" data-testid="notification">(.*?)</tr>', html, re.S)


@pytest.fixture
def case(officer_a: User, unit_a1: Unit) -> Case:
    return cs.case_create(urn="10/AA/12345/26", details=cs.CaseDetails(summary="Theft"), by=officer_a)


def _read(note: Notification) -> bool:
    note.refresh_from_db()
    return note.read_at is not None


# -- the list --------------------------------------------------------------------------------------


def test_the_list_shows_my_notifications_newest_first_with_an_unread_tag_in_words(
    officer_a: User, officer_a2: User, case: Case, as_user: Callable[[User], Client]
) -> None:
    older = _note(officer_a, "Charging request returned (10AA1234526)", link="/cases/", case=case, body="Add CCTV")
    _note(officer_a, "Action plan issued (10AA1234526)")
    _note(officer_a2, "Someone else's news")
    Notification.objects.filter(pk=older.pk).update(read_at=older.created_at)
    html = _html(as_user(officer_a))
    rows = _rows(html)
    assert len(rows) == 2
    assert "Action plan issued" in rows[0]
    assert "Charging request returned" in rows[1]
    assert ">Unread</strong>" in rows[0]
    assert ">Read</strong>" in rows[1]
    assert "Unread" not in rows[1]
    assert f'href="/cases/{case.public_id}/">10/AA/12345/26</a>' in rows[1]
    assert "Add CCTV" in rows[1]
    assert "<time datetime=" in rows[0]
    assert "Someone else" not in html
    assert "You have 1 unread notification." in html


def test_a_case_link_is_shown_only_for_a_case_i_can_see(
    officer_a: User, lawyer_north: User, case: Case, as_user: Callable[[User], Client]
) -> None:
    _note(lawyer_north, "About a case not sent to the CPS", case=case)
    rows = _rows(_html(as_user(lawyer_north)))
    assert len(rows) == 1
    assert str(case.public_id) not in rows[0]
    assert "10/AA/12345/26" not in rows[0]


def _subjects(html: str) -> list[str]:
    return re.findall(r"<strong>(Notification number \d+)</strong>", html)


def _link(html: str, rel: str) -> str | None:
    match = re.search(rf'href="([^"]+)" rel="{rel}"', html)
    return f"{LIST}{match.group(1).replace('&amp;', '&')}" if match else None


def test_the_list_is_paginated_by_previous_and_next_links(officer_a: User, as_user: Callable[[User], Client]) -> None:
    for n in range(101):
        _note(officer_a, f"Notification number {n}")
    client = as_user(officer_a)
    first = _html(client)
    assert len(_rows(first)) == 50
    assert "Notification number 100<" in first
    assert _link(first, "prev") is None
    next_url = _link(first, "next")
    assert next_url is not None
    second = _html(client, next_url)
    assert len(_rows(second)) == 50
    assert _subjects(second) == [f"Notification number {n}" for n in range(50, 0, -1)]
    third = _html(client, _link(second, "next") or "")
    assert [r for r in _rows(third) if "Notification number 0<" in r]
    assert len(_rows(third)) == 1
    assert _link(third, "next") is None
    # Back from the last page comes to the same second page, and back again to the first (without "previous").
    back = _html(client, _link(third, "prev") or "")
    assert _subjects(back) == _subjects(second)
    first_again = _html(client, _link(back, "prev") or "")
    assert _subjects(first_again) == _subjects(first)
    assert _link(first_again, "prev") is None
    # No page numbers: they would need the whole list counted.
    assert "Page " not in first
    assert "page=" not in first


def test_a_tampered_cursor_starts_again_at_the_first_page(officer_a: User, as_user: Callable[[User], Client]) -> None:
    for n in range(51):
        _note(officer_a, f"Notification number {n}")
    client = as_user(officer_a)
    assert _subjects(_html(client, f"{LIST}?after=not-a-cursor")) == _subjects(_html(client))
    assert _subjects(_html(client, f"{LIST}?page=2")) == _subjects(_html(client))


def test_the_list_never_counts_the_notifications(officer_a: User, as_user: Callable[[User], Client]) -> None:
    for n in range(60):
        _note(officer_a, f"Notification number {n}")
    client = as_user(officer_a)
    next_url = _link(_html(client), "next")
    with CaptureQueriesContext(connection) as queries:
        _html(client, next_url or "")
    assert not [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]


def test_the_unread_summary_stops_at_99_plus(officer_a: User, as_user: Callable[[User], Client]) -> None:
    Notification.objects.bulk_create(
        Notification(recipient=officer_a, kind="test", subject=f"N{n}") for n in range(100)
    )
    summary = re.search(r'data-testid="unread-summary">(.*?)</p>', _html(as_user(officer_a)))
    assert summary is not None
    assert summary.group(1) == "You have 99+ unread notifications."
    Notification.objects.filter(recipient=officer_a).exclude(subject="N0").update(read_at=timezone.now())
    summary = re.search(r'data-testid="unread-summary">(.*?)</p>', _html(as_user(officer_a)))
    assert summary is not None
    assert summary.group(1) == "You have 1 unread notification."


def test_an_empty_list_says_so(supervisor_a: User, as_user: Callable[[User], Client]) -> None:
    html = _html(as_user(supervisor_a))
    assert 'data-testid="no-notifications"' in html
    assert "Mark all as read" not in html


# -- the count in the service navigation ------------------------------------------------------------


@pytest.mark.parametrize("persona", ["officer_a", "lawyer_north"])
def test_the_navigation_says_how_many_are_unread(
    persona: str, request: pytest.FixtureRequest, as_user: Callable[[User], Client]
) -> None:
    user: User = request.getfixturevalue(persona)
    client = as_user(user)
    nav = re.search(r'<ul class="govuk-service-navigation__list".*?</ul>', _html(client, "/"), re.S)
    assert nav is not None
    assert "Notifications</a>" in re.sub(r"\s+", " ", nav.group(0))
    assert "unread" not in nav.group(0)
    for n in range(3):
        _note(user, f"News {n}")
    nav = re.search(r'<ul class="govuk-service-navigation__list".*?</ul>', _html(client, "/"), re.S)
    assert nav is not None
    assert re.search(
        r'href="/notifications/">Notifications <span data-testid="unread-count">\(3 unread\)</span></a>', nav.group(0)
    )


def test_the_navigation_count_stops_at_99_plus(officer_a: User, as_user: Callable[[User], Client]) -> None:
    Notification.objects.bulk_create(
        Notification(recipient=officer_a, kind="test", subject=f"N{n}") for n in range(100)
    )
    assert '<span data-testid="unread-count">(99+ unread)</span>' in _html(as_user(officer_a), "/")
    Notification.objects.filter(pk=Notification.objects.filter(recipient=officer_a).first().pk).delete()  # type: ignore[union-attr]
    assert '<span data-testid="unread-count">(99 unread)</span>' in _html(as_user(officer_a), "/")


def test_someone_elses_notifications_do_not_count(
    officer_a: User, officer_a2: User, as_user: Callable[[User], Client]
) -> None:
    _note(officer_a2, "Not yours")
    assert "unread)" not in _html(as_user(officer_a), "/")


# -- opening one -----------------------------------------------------------------------------------


def test_opening_marks_it_read_and_goes_to_its_page(
    officer_a: User, case: Case, as_user: Callable[[User], Client]
) -> None:
    link = f"/cases/{case.public_id}/charging/"
    note = _note(officer_a, "Charging decision: Charge", link=link, case=case)
    other = _note(officer_a, "Still unread")
    client = as_user(officer_a)
    response = client.post(_open_url(note))
    assert response.status_code == 302
    assert response["Location"] == link
    assert _read(note)
    assert not _read(other)
    # Opening it again is harmless.
    assert client.post(_open_url(note))["Location"] == link


def test_opening_needs_a_post(officer_a: User, as_user: Callable[[User], Client]) -> None:
    note = _note(officer_a, "Charging decision", link="/cases/")
    assert as_user(officer_a).get(_open_url(note)).status_code == 405
    assert not _read(note)


def test_a_notification_without_a_link_is_marked_read_and_stays_on_the_list(
    officer_a: User, as_user: Callable[[User], Client]
) -> None:
    note = _note(officer_a, "For your information")
    html = _html(as_user(officer_a))
    assert "Mark as read<span" in html
    response = as_user(officer_a).post(_open_url(note))
    assert response["Location"] == LIST
    assert _read(note)


@pytest.mark.parametrize(
    "link",
    [
        "https://evil.example/phish",
        "//evil.example/phish",
        "/\\evil.example/phish",
        "http://testserver/cases/",
        "javascript:alert(1)",
    ],
)
def test_only_a_path_inside_casebridge_is_followed(
    link: str, officer_a: User, as_user: Callable[[User], Client]
) -> None:
    note = _note(officer_a, "Odd link", link=link)
    client = as_user(officer_a)
    response = client.post(_open_url(note))
    assert response.status_code == 302
    assert response["Location"] == LIST
    assert _read(note)
    html = _html(client)
    assert "does not lead to a page of Casebridge" in html
    assert "evil.example" not in html


def test_another_persons_notification_is_not_found(
    officer_a: User, officer_a2: User, lawyer_north: User, as_user: Callable[[User], Client]
) -> None:
    note = _note(officer_a2, "Yours only", link="/cases/")
    for outsider in (officer_a, lawyer_north):
        response = as_user(outsider).post(_open_url(note))
        assert response.status_code == 404
    assert as_user(officer_a).post(reverse("notifications:open", args=[uuid.uuid4()])).status_code == 404
    assert not _read(note)


# -- marking all read ------------------------------------------------------------------------------


def test_mark_all_as_read_marks_only_mine(officer_a: User, officer_a2: User, as_user: Callable[[User], Client]) -> None:
    mine = [_note(officer_a, f"News {n}") for n in range(3)]
    theirs = _note(officer_a2, "Theirs")
    client = as_user(officer_a)
    assert client.get(reverse("notifications:read-all")).status_code == 405
    assert not any(_read(n) for n in mine)
    response = client.post(reverse("notifications:read-all"))
    assert response["Location"] == LIST
    assert all(_read(n) for n in mine)
    assert not _read(theirs)
    html = _html(client)
    assert "All your notifications are marked as read" in html
    assert "You have no unread notifications." in html
    assert "unread)" not in html


# -- signed out ------------------------------------------------------------------------------------


def test_signed_out_people_are_sent_to_sign_in(client: Client, officer_a: User) -> None:
    note = _note(officer_a, "Private", link="/cases/")
    for response in (
        client.get(LIST),
        client.post(_open_url(note)),
        client.post(reverse("notifications:read-all")),
    ):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:sign-in"))
    assert not _read(note)
