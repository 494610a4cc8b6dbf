"""The alerts inbox (``/alerts/``) and the count in the header: the person's own alerts on cases they may
still see, those needing acknowledgement first, with the case, what is due and when (UK time), the alert
point in words and its state as text; filters, pages, and a fixed number of queries however many alerts."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.db.models import F
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Organisation, User
from alerts.models import Alert
from alerts.selectors import threshold_in_words, unacknowledged_count
from casework.choices import DeadlineKind, DeadlineStatus
from casework.models import Case, Deadline

from ._inbox_support import make_alert, make_case, make_deadline

pytestmark = pytest.mark.django_db

Login = Callable[[User], Client]
ROW_LINK = re.compile(r'href="/alerts/([0-9a-f-]{36})/"')


def listed(client: Client, query: str = "") -> list[str]:
    response = client.get(f"/alerts/{query}")
    assert response.status_code == 200
    return ROW_LINK.findall(response.content.decode())


def nav_label(client: Client) -> str:
    html = client.get("/").content.decode()
    match = re.search(r'href="/alerts/"[^>]*>(?:<strong[^>]*>)?([^<]*)<', html)
    assert match is not None, "no Alerts entry in the navigation"
    return match.group(1)


def acknowledged(alert: Alert, note: str = "Dealt with") -> Alert:
    Alert.objects.filter(pk=alert.pk).update(acknowledged_at=timezone.now(), acknowledgement_note=note)
    alert.refresh_from_db()
    return alert


def created(alert: Alert, hours_ago: int) -> Alert:
    Alert.objects.filter(pk=alert.pk).update(created_at=timezone.now() - timedelta(hours=hours_ago))
    return alert


@pytest.mark.parametrize(
    ("threshold", "words"),
    [
        ("T-60d", "60 days before"),
        ("T-1d", "1 day before"),
        ("T-2wd", "2 working days before"),
        ("T-1wd", "1 working day before"),
        ("T-2h", "2 hours before"),
        ("overdue", "Overdue"),
        ("escalated:overdue", "Escalated to you (overdue)"),
        ("escalated:T-14d", "Escalated to you (14 days before)"),
    ],
)
def test_alert_points_in_words(threshold: str, words: str) -> None:
    assert threshold_in_words(threshold) == words


def test_the_inbox_lists_alerts_needing_acknowledgement_first_then_newest(officer_a: User, as_user: Login) -> None:
    case = make_case(officer_a)
    deadline = make_deadline(case)
    old_done = created(acknowledged(make_alert(deadline, officer_a, threshold="T-60d")), 40)
    new_done = created(acknowledged(make_alert(deadline, officer_a, threshold="T-30d")), 30)
    old_waiting = created(make_alert(deadline, officer_a, threshold="T-14d"), 20)
    new_waiting = created(make_alert(deadline, officer_a, threshold="T-7d"), 10)
    assert listed(as_user(officer_a)) == [str(a.public_id) for a in (new_waiting, old_waiting, new_done, old_done)]


def test_each_row_shows_the_case_what_is_due_when_in_uk_time_the_point_and_its_state_in_words(
    officer_a: User, as_user: Login
) -> None:
    case = make_case(officer_a)
    summer = make_deadline(case, due_at=datetime(2026, 7, 1, 9, 0, tzinfo=UTC))
    winter = make_deadline(
        case,
        kind=DeadlineKind.CUSTODY_TIME_LIMIT,
        label="Custody time limit: J Smith, ABH",
        due_at=datetime(2026, 12, 1, 9, 0, tzinfo=UTC),
    )
    make_alert(summer, officer_a, threshold="overdue", urgent=True)
    make_alert(winter, officer_a, threshold="T-2wd")
    acknowledged(make_alert(winter, officer_a, threshold="escalated:T-7wd"))
    html = as_user(officer_a).get("/alerts/").content.decode()
    assert f'href="/cases/{case.public_id}/deadlines/"' in html
    assert case.urn_display in html
    assert "Summary time limit: J Smith, common assault" in html
    assert "Custody time limit: J Smith, ABH" in html
    assert "1 Jul 2026, 10:00" in html  # 09:00 UTC is 10:00 BST
    assert "1 Dec 2026, 09:00" in html  # and 09:00 GMT in winter
    assert "Overdue" in html
    assert "2 working days before" in html
    assert "Escalated to you (7 working days before)" in html
    tags = re.findall(r'<strong class="govuk-tag[^"]*">([^<]+)</strong>', html)
    assert tags.count("Urgent") == 1
    assert tags.count("Needs acknowledgement") == 2
    assert tags.count("Acknowledged") == 1


def test_a_closed_deadline_says_so(officer_a: User, as_user: Login) -> None:
    deadline = make_deadline(make_case(officer_a))
    make_alert(deadline, officer_a)
    Deadline.objects.filter(pk=deadline.pk).update(status=DeadlineStatus.MET)
    assert "Deadline: Met" in as_user(officer_a).get("/alerts/").content.decode()


def test_filters_for_unacknowledged_and_urgent_alerts(officer_a: User, as_user: Login) -> None:
    deadline = make_deadline(make_case(officer_a))
    urgent = make_alert(deadline, officer_a, threshold="overdue", urgent=True)
    waiting = make_alert(deadline, officer_a, threshold="T-7d")
    done = acknowledged(make_alert(deadline, officer_a, threshold="T-14d", urgent=True))
    client = as_user(officer_a)
    assert set(listed(client, "?show=unacknowledged")) == {str(urgent.public_id), str(waiting.public_id)}
    assert set(listed(client, "?show=urgent")) == {str(urgent.public_id), str(done.public_id)}
    assert listed(client, "?show=urgent&show=unacknowledged") == [str(urgent.public_id)]
    assert "Alerts that match" in client.get("/alerts/?show=urgent").content.decode()


def test_a_filter_that_is_not_offered_is_refused_with_the_error_summary(officer_a: User, as_user: Login) -> None:
    make_alert(make_deadline(make_case(officer_a)), officer_a)
    response = as_user(officer_a).get("/alerts/?show=everything")
    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem" in html
    assert "Choose from the list" in html
    assert 'data-testid="alert"' not in html


def test_dismissed_alerts_leave_the_inbox_but_can_be_asked_for(officer_a: User, as_user: Login) -> None:
    deadline = make_deadline(make_case(officer_a), kind=DeadlineKind.VICTIM_UPDATE, statutory=False)
    kept = make_alert(deadline, officer_a, threshold="overdue")
    gone = make_alert(deadline, officer_a, threshold="escalated:overdue", dismissed_at=timezone.now())
    client = as_user(officer_a)
    assert listed(client) == [str(kept.public_id)]
    assert set(listed(client, "?show=dismissed")) == {str(kept.public_id), str(gone.public_id)}
    assert "Dismissed" in client.get("/alerts/?show=dismissed").content.decode()


def page_link(html: str, rel: str) -> str | None:
    match = re.search(rf'href="([^"]+)" rel="{rel}"', html)
    return match.group(1).replace("&amp;", "&") if match else None


def test_the_inbox_is_paginated_in_its_order_and_pages_keep_the_filter(officer_a: User, as_user: Login) -> None:
    deadline = make_deadline(make_case(officer_a))
    start = timezone.now() - timedelta(days=10)
    alerts = Alert.objects.bulk_create(
        [
            Alert(
                deadline=deadline,
                case_id=deadline.case.public_id,
                recipient=officer_a,
                threshold=f"T-{n}d",
                due_at=deadline.due_at,
                subject="Due",
                urgent=n <= 60,
                # Every third one acknowledged: the waiting ones come first on every page walk.
                acknowledged_at=start if n % 3 == 0 else None,
                acknowledgement_note="Done" if n % 3 == 0 else "",
            )
            for n in range(1, 71)
        ]
    )
    # Same creation time for several (as a sweep raises them), so the id decides among them.
    for n, alert in enumerate(alerts):
        Alert.objects.filter(pk=alert.pk).update(created_at=start + timedelta(hours=n // 4))
    expected = [
        str(a.public_id)
        for a in Alert.objects.filter(recipient=officer_a, urgent=True).order_by(
            F("acknowledged_at").asc(nulls_first=True), "-created_at", "-id"
        )
    ]
    client = as_user(officer_a)
    walked: list[str] = []
    url: str | None = "?show=urgent"
    pages = []
    while url is not None:
        assert "show=urgent" in url
        html = client.get(f"/alerts/{url}").content.decode()
        pages.append(html)
        walked.extend(ROW_LINK.findall(html))
        url = page_link(html, "next")
    assert walked == expected
    assert [len(ROW_LINK.findall(html)) for html in pages] == [25, 25, 10]
    assert page_link(pages[0], "prev") is None
    back = client.get(f"/alerts/{page_link(pages[2], 'prev')}").content.decode()
    assert ROW_LINK.findall(back) == expected[25:50]
    # No page numbers: they would need all the person's alerts counted.
    assert "Page 2" not in pages[1]


def test_a_page_of_the_inbox_never_counts_the_alerts(officer_a: User, as_user: Login) -> None:
    deadline = make_deadline(make_case(officer_a))
    for n in range(30):
        make_alert(deadline, officer_a, threshold=f"T-{n}d")
    client = as_user(officer_a)
    second = page_link(client.get("/alerts/").content.decode(), "next")
    assert second is not None
    with CaptureQueriesContext(connection) as queries:
        assert len(listed(client, second)) == 5
    assert not [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]


def test_a_tampered_cursor_starts_again_at_the_first_page(officer_a: User, as_user: Login) -> None:
    deadline = make_deadline(make_case(officer_a))
    for n in range(30):
        make_alert(deadline, officer_a, threshold=f"T-{n}d")
    client = as_user(officer_a)
    assert listed(client, "?after=tampered") == listed(client) == listed(client, "?page=2")


def test_the_inbox_shows_only_the_users_own_alerts(
    officer_a: User, supervisor_a: User, officer_b: User, lawyer_north: User, lawyer_south: User, as_user: Login
) -> None:
    case_a = make_case(officer_a)
    deadline = make_deadline(case_a)
    mine = make_alert(deadline, officer_a)
    supervisors = make_alert(deadline, supervisor_a)
    lawyers = make_alert(deadline, lawyer_north)
    kent = make_alert(make_deadline(make_case(officer_b)), officer_b)
    assert listed(as_user(officer_a)) == [str(mine.public_id)]
    assert listed(as_user(supervisor_a)) == [str(supervisors.public_id)]
    assert listed(as_user(lawyer_north)) == [str(lawyers.public_id)]
    assert listed(as_user(officer_b)) == [str(kent.public_id)]
    html = as_user(lawyer_south).get("/alerts/").content.decode()
    assert ROW_LINK.findall(html) == []
    assert case_a.urn_display not in html
    assert "You have no alerts" in html


def test_an_alert_of_a_case_the_user_can_no_longer_see_leaves_the_inbox_and_the_count(
    officer_a: User, lawyer_north: User, area_south: Organisation, as_user: Login
) -> None:
    case = make_case(officer_a)
    make_alert(make_deadline(case), lawyer_north)
    client = as_user(lawyer_north)
    assert len(listed(client)) == 1
    assert nav_label(client) == "Alerts (1 unacknowledged)"
    Case.objects.filter(pk=case.pk).update(cps_area=area_south)
    assert listed(client) == []
    assert nav_label(client) == "Alerts"


def test_a_system_administrator_sees_no_alerts_and_has_no_alerts_entry(
    officer_a: User, admin_user: User, as_user: Login
) -> None:
    # Even an alert addressed to them: administrators see no case data.
    case = make_case(officer_a)
    make_alert(make_deadline(case), admin_user)
    client = as_user(admin_user)
    assert 'href="/alerts/"' not in client.get("/").content.decode()
    html = client.get("/alerts/").content.decode()
    assert ROW_LINK.findall(html) == []
    assert case.urn_display not in html
    assert unacknowledged_count(user=admin_user) == 0


def test_signed_out_visitors_are_sent_to_sign_in() -> None:
    response = Client().get("/alerts/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/sign-in/")


# -- the count in the header -----------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["officer_a", "supervisor_a", "lawyer_north", "paralegal_north"])
def test_police_and_cps_have_an_alerts_entry_without_a_count_when_nothing_waits(
    persona: str, request: pytest.FixtureRequest, as_user: Login
) -> None:
    assert nav_label(as_user(request.getfixturevalue(persona))) == "Alerts"


def test_the_header_counts_alerts_waiting_for_acknowledgement(officer_a: User, as_user: Login) -> None:
    case = make_case(officer_a)
    statutory = make_deadline(case)
    ordinary = make_deadline(case, kind=DeadlineKind.VICTIM_UPDATE, statutory=False)
    make_alert(statutory, officer_a, threshold="T-14d")
    make_alert(ordinary, officer_a, threshold="overdue")
    acknowledged(make_alert(statutory, officer_a, threshold="T-30d"))
    make_alert(ordinary, officer_a, threshold="escalated:overdue", dismissed_at=timezone.now())
    assert nav_label(as_user(officer_a)) == "Alerts (2 unacknowledged)"
    assert unacknowledged_count(user=officer_a) == 2


def test_the_header_count_stops_at_99_plus_and_never_counts_the_whole_table(officer_a: User, as_user: Login) -> None:
    deadline = make_deadline(make_case(officer_a))
    Alert.objects.bulk_create(
        [
            Alert(
                deadline=deadline,
                case_id=deadline.case.public_id,
                recipient=officer_a,
                threshold=f"T-{n}h",
                due_at=deadline.due_at,
                subject="Due",
            )
            for n in range(1, 151)
        ]
    )
    client = as_user(officer_a)
    client.get("/")
    with CaptureQueriesContext(connection) as queries:
        assert nav_label(client) == "Alerts (99+ unacknowledged)"
    alert_queries = [q["sql"] for q in queries.captured_queries if '"alerts_alert"' in q["sql"]]
    assert len(alert_queries) == 1
    assert "LIMIT 100" in alert_queries[0]
    assert "COUNT(" not in alert_queries[0].upper()
    assert unacknowledged_count(user=officer_a) == 100


# -- a fixed number of queries ---------------------------------------------------------------------

# Session and user, the header counts, the page count and the page of alerts with their deadlines and
# cases. Generous enough to survive an added join, tight enough to catch a query per alert.
MAX_QUERIES = 12


def count_queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("persona", ["officer_a", "lawyer_north"])
def test_the_inbox_costs_the_same_queries_with_two_alerts_or_twenty_five(
    officer_a: User,
    persona: str,
    request: pytest.FixtureRequest,
    as_user: Login,
    django_assert_max_num_queries: Callable[[int], object],
) -> None:
    user: User = request.getfixturevalue(persona)
    client = as_user(user)
    client.get("/")  # the session's first-request work out of the way
    for n in range(2):
        make_alert(make_deadline(make_case(officer_a)), user, urgent=bool(n % 2))
    few = count_queries(client, "/alerts/")
    for n in range(23):
        alert = make_alert(make_deadline(make_case(officer_a)), user, threshold="overdue", urgent=bool(n % 2))
        if n % 3 == 0:
            acknowledged(alert)
    assert len(listed(client)) == 25
    many = count_queries(client, "/alerts/")
    assert many == few
    with django_assert_max_num_queries(MAX_QUERIES):  # type: ignore[attr-defined]
        client.get("/alerts/")
