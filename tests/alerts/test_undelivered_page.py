"""The administrators' "Undelivered alerts" page (``/alerts/admin/undelivered/``): system administrators only
(everyone else gets a 404, anonymous people the sign-in page), the listing, and "Retry now" (audited)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.choices import AuditEventType, Role
from accounts.models import AuditEvent, User
from alerts import delivery
from alerts.choices import DeliveryStatus
from alerts.models import AlertDelivery
from alerts.views_admin import RETRY_QUEUED
from casework.models import Deadline
from tests.alerts._delivery_support import make_alert, make_case
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db

LIST = reverse("alerts_admin:undelivered-list")
T0 = datetime.fromisoformat("2026-03-20T09:00:00+00:00")

AsUser = Callable[[User], Client]


def _retry_url(row: AlertDelivery) -> str:
    return reverse("alerts_admin:delivery-retry", args=[row.alert.public_id, row.channel])


@pytest.fixture
def deadline(officer_a: User, unit_a1: object) -> Deadline:
    return make_case(officer_a)[1]


@pytest.fixture
def sysadmin(db: None) -> User:
    """A system administrator who is not a Django superuser: the role alone opens the page."""
    return UserFactory(username="sysadmin_only", organisation=None, roles=[Role.SYSTEM_ADMINISTRATOR])


@pytest.fixture
def failed(deadline: Deadline, officer_a: User) -> AlertDelivery:
    row = make_alert(deadline, officer_a, threshold="T-2wd", status=DeliveryStatus.FAILED, attempts=6)
    row.last_error = "SMTPDataError: 451 4.3.0 try again"
    row.save(update_fields=["last_error"])
    return row


@pytest.fixture
def eager_celery() -> Iterator[None]:
    from config.celery import app

    before = {"task_always_eager": app.conf.task_always_eager, "task_eager_propagates": app.conf.task_eager_propagates}
    app.conf.update(task_always_eager=True, task_eager_propagates=True)
    try:
        yield
    finally:
        app.conf.update(before)


# -- who may see it ------------------------------------------------------------------------------------


def test_anonymous_people_are_sent_to_sign_in(failed: AlertDelivery) -> None:
    for response in (Client().get(LIST), Client().post(_retry_url(failed))):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:sign-in"))
    failed.refresh_from_db()
    assert failed.status == DeliveryStatus.FAILED


@pytest.mark.parametrize(
    "persona", ["officer_a", "supervisor_a", "manager_police_a", "lawyer_north", "manager_cps_north", "officer_b"]
)
def test_police_and_cps_users_get_not_found_and_change_nothing(
    persona: str, failed: AlertDelivery, as_user: AsUser, request: pytest.FixtureRequest
) -> None:
    client = as_user(request.getfixturevalue(persona))
    page = client.get(LIST)
    assert page.status_code == 404
    assert failed.alert.subject not in page.content.decode()
    assert client.post(_retry_url(failed)).status_code == 404
    failed.refresh_from_db()
    assert (failed.status, failed.next_attempt_at) == (DeliveryStatus.FAILED, None)
    assert not AuditEvent.objects.filter(event_type=AuditEventType.ALERT_DELIVERY_RETRIED).exists()


def test_a_system_administrator_without_superuser_rights_sees_the_page(
    sysadmin: User, failed: AlertDelivery, as_user: AsUser
) -> None:
    page = as_user(sysadmin).get(LIST)
    assert page.status_code == 200
    assert "Undelivered alerts" in page.content.decode()


# -- the listing ---------------------------------------------------------------------------------------


def test_the_page_lists_failed_no_address_and_retrying_deliveries_with_attempts_and_errors(
    deadline: Deadline, officer_a: User, supervisor_a: User, failed: AlertDelivery, admin_user: User, as_user: AsUser
) -> None:
    supervisor_a.email = ""
    supervisor_a.save(update_fields=["email"])
    no_address = make_alert(deadline, supervisor_a, threshold="T-7wd", next_attempt_at=T0)
    delivery.deliver_due(now=T0)  # records the attempt and the no-address status
    retrying = make_alert(
        deadline, officer_a, threshold="T-14wd", status=DeliveryStatus.RETRYING, attempts=2,
        next_attempt_at=timezone.now() + timedelta(minutes=2),
    )  # fmt: skip
    sent = make_alert(deadline, officer_a, threshold="T-28wd", status=DeliveryStatus.SENT, attempts=1)
    pending = make_alert(deadline, officer_a, threshold="overdue", urgent=False)

    page = as_user(admin_user).get(LIST)

    assert page.status_code == 200
    html = page.content.decode()
    rows = html.split('data-testid="undelivered-delivery"')[1:]
    assert len(rows) == 3
    # Those that gave up first: failed, then no address, then retrying.
    assert failed.alert.subject in rows[0]
    assert "Undelivered" in rows[0]
    assert "6 attempts" in rows[0]
    assert "451 4.3.0 try again" in rows[0]
    assert no_address.alert.subject in rows[1]
    assert "No email address" in rows[1]
    assert delivery.NO_ADDRESS_ERROR.replace("'", "&#x27;") in rows[1]
    assert "Every attempt" in rows[1]  # the attempt log
    assert "Add an email address to supervisor_a" in rows[1]  # no button until it has one
    assert retrying.alert.subject in rows[2]
    assert "Failed, will retry" in rows[2]
    assert "Next try" in rows[2]
    assert sent.alert.subject not in html
    assert pending.alert.subject not in html
    # The page does not show the deadline's label, which names the suspect.
    assert deadline.label not in html


def test_with_nothing_undelivered_the_page_says_so(admin_user: User, as_user: AsUser) -> None:
    page = as_user(admin_user).get(LIST)
    assert page.status_code == 200
    assert 'data-testid="no-undelivered"' in page.content.decode()


# -- retry now -----------------------------------------------------------------------------------------


def test_retry_now_makes_the_delivery_due_audits_it_and_sends_it(
    failed: AlertDelivery,
    admin_user: User,
    officer_a: User,
    as_user: AsUser,
    eager_celery: None,
    django_capture_on_commit_callbacks: Any,
) -> None:
    client = as_user(admin_user)
    before = timezone.now()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(_retry_url(failed))
    assert response.status_code == 302
    assert response["Location"] == LIST

    failed.refresh_from_db()
    assert failed.status == DeliveryStatus.RETRYING
    assert failed.next_attempt_at is not None
    assert failed.next_attempt_at >= before
    assert failed.attempts == 6  # the record of past failures is kept
    event = AuditEvent.objects.get(event_type=AuditEventType.ALERT_DELIVERY_RETRIED)
    assert event.actor == admin_user
    assert event.object_id == str(failed.alert.public_id)
    assert event.case_id == failed.alert.case_id
    assert event.data == {"channel": "email", "previous_status": "failed", "attempts": 6}

    for callback in callbacks:  # the queued send, after commit
        callback()
    failed.refresh_from_db()
    assert failed.status == DeliveryStatus.SENT
    assert [m.to for m in mail.outbox] == [[officer_a.email]]

    page = client.get(LIST)
    assert RETRY_QUEUED.format(user=officer_a.username) in page.content.decode()
    assert failed.alert.subject not in page.content.decode()


def test_retry_now_of_a_digest_delivery_is_sent_by_the_next_delivery_run(
    deadline: Deadline, officer_a: User, admin_user: User, as_user: AsUser
) -> None:
    row = make_alert(deadline, officer_a, urgent=False, status=DeliveryStatus.FAILED, attempts=6)
    as_user(admin_user).post(_retry_url(row))
    row.refresh_from_db()
    assert row.status == DeliveryStatus.RETRYING
    assert delivery.deliver_due() == 1
    assert _outcome(row) == DeliveryStatus.SENT


def _outcome(row: AlertDelivery) -> str:
    row.refresh_from_db()
    return row.status


def test_retry_now_of_an_alert_already_sent_is_refused_and_changes_nothing(
    deadline: Deadline, officer_a: User, admin_user: User, as_user: AsUser
) -> None:
    row = make_alert(deadline, officer_a, status=DeliveryStatus.SENT, attempts=1)
    response = as_user(admin_user).post(_retry_url(row), follow=True)
    assert delivery.RETRY_ALREADY_SENT in response.content.decode()
    assert _outcome(row) == DeliveryStatus.SENT
    assert not AuditEvent.objects.filter(event_type=AuditEventType.ALERT_DELIVERY_RETRIED).exists()


def test_retry_now_for_a_recipient_still_without_an_address_is_refused_until_one_is_added(
    deadline: Deadline, supervisor_a: User, admin_user: User, as_user: AsUser
) -> None:
    supervisor_a.email = ""
    supervisor_a.save(update_fields=["email"])
    row = make_alert(deadline, supervisor_a, next_attempt_at=T0)
    delivery.deliver_due(now=T0)
    assert _outcome(row) == DeliveryStatus.NO_ADDRESS

    response = as_user(admin_user).post(_retry_url(row), follow=True)
    expected = delivery.RETRY_STILL_NO_ADDRESS.format(user="supervisor_a")
    assert expected.replace("'", "&#x27;") in response.content.decode()
    assert _outcome(row) == DeliveryStatus.NO_ADDRESS

    supervisor_a.email = "supervisor_a@casebridge.invalid"
    supervisor_a.save(update_fields=["email"])
    as_user(admin_user).post(_retry_url(row))
    assert _outcome(row) == DeliveryStatus.RETRYING
    assert delivery.deliver_due() == 1
    assert _outcome(row) == DeliveryStatus.SENT


def test_retry_now_of_an_unknown_alert_is_not_found(admin_user: User, as_user: AsUser) -> None:
    url = reverse("alerts_admin:delivery-retry", args=["00000000-0000-4000-8000-000000000000", "email"])
    assert as_user(admin_user).post(url).status_code == 404


def test_retry_now_is_a_post(failed: AlertDelivery, admin_user: User, as_user: AsUser) -> None:
    assert as_user(admin_user).get(_retry_url(failed)).status_code == 405
    assert _outcome(failed) == DeliveryStatus.FAILED


# -- pages and the count -------------------------------------------------------------------------------


@pytest.fixture
def seven_undelivered(deadline: Deadline, officer_a: User) -> list[AlertDelivery]:
    """Seven undelivered emails: failed, no address and retrying, some created at the same moment."""
    statuses = [DeliveryStatus.RETRYING, DeliveryStatus.FAILED, DeliveryStatus.NO_ADDRESS] * 3
    rows = [make_alert(deadline, officer_a, threshold=f"T-{n}wd", status=statuses[n], attempts=n + 1) for n in range(7)]
    for n, row in enumerate(rows):
        AlertDelivery.objects.filter(pk=row.pk).update(created_at=T0 + timedelta(minutes=n // 2))
    return rows


def _subjects(html: str) -> list[str]:
    rows = html.split('data-testid="undelivered-delivery"')[1:]
    return [row.split('<td class="govuk-table__cell">', 1)[1].split("<br>", 1)[0] for row in rows]


def _link(html: str, rel: str) -> str | None:
    marker = f'rel="{rel}"'
    if marker not in html:
        return None
    href = html.split(marker)[0].rsplit('href="', 1)[1].split('"', 1)[0]
    return href.replace("&amp;", "&")


def test_the_list_is_read_a_page_at_a_time_in_its_order_without_page_numbers(
    seven_undelivered: list[AlertDelivery], admin_user: User, as_user: AsUser, monkeypatch: pytest.MonkeyPatch
) -> None:
    from alerts import views_admin

    monkeypatch.setattr(views_admin, "PAGE_SIZE", 3)
    client = as_user(admin_user)
    order: dict[str, int] = {DeliveryStatus.FAILED: 0, DeliveryStatus.NO_ADDRESS: 1, DeliveryStatus.RETRYING: 2}
    everything = sorted(
        AlertDelivery.objects.select_related("alert"), key=lambda row: (order[row.status], row.created_at, row.pk)
    )
    expected = [row.alert.subject for row in everything]
    pages: list[str] = []
    url: str | None = LIST
    while url:
        page = client.get(url if url.startswith("/") else LIST + url)
        assert page.status_code == 200
        pages.append(page.content.decode())
        url = _link(pages[-1], "next")
    assert [len(_subjects(html)) for html in pages] == [3, 3, 1]
    assert [subject for html in pages for subject in _subjects(html)] == expected
    assert "page=" not in pages[0]
    # Back from the last page through the previous links.
    back = client.get(LIST + (_link(pages[2], "prev") or "")).content.decode()
    assert _subjects(back) == expected[3:6]
    assert _link(pages[0], "prev") is None
    # Every page says how many there are.
    assert all("7 undelivered alert emails" in html for html in pages)


def test_the_count_stops_at_a_thousand_and_says_more_than(
    seven_undelivered: list[AlertDelivery], admin_user: User, as_user: AsUser, monkeypatch: pytest.MonkeyPatch
) -> None:
    from alerts import views_admin

    monkeypatch.setattr(views_admin, "COUNT_LIMIT", 5)
    html = as_user(admin_user).get(LIST).content.decode()
    assert "More than 5 undelivered alert emails" in html
    assert len(_subjects(html)) == 7


def test_a_tampered_link_shows_the_first_page(
    seven_undelivered: list[AlertDelivery], admin_user: User, as_user: AsUser
) -> None:
    client = as_user(admin_user)
    first = _subjects(client.get(LIST).content.decode())
    assert _subjects(client.get(f"{LIST}?after=tampered").content.decode()) == first
    assert _subjects(client.get(f"{LIST}?before=tampered").content.decode()) == first


def test_a_page_whose_emails_were_all_sent_since_starts_again_from_the_top(
    seven_undelivered: list[AlertDelivery], admin_user: User, as_user: AsUser, monkeypatch: pytest.MonkeyPatch
) -> None:
    from alerts import views_admin

    monkeypatch.setattr(views_admin, "PAGE_SIZE", 5)
    client = as_user(admin_user)
    first = client.get(LIST).content.decode()
    second_url = _link(first, "next")
    assert second_url is not None
    # Everything after the first page is sent meanwhile.
    shown = _subjects(first)
    AlertDelivery.objects.exclude(alert__subject__in=shown).update(status=DeliveryStatus.SENT)
    again = client.get(LIST + second_url).content.decode()
    assert _subjects(again) == shown
    assert "5 undelivered alert emails" in again


def test_the_undelivered_index_covers_exactly_the_statuses_the_list_shows() -> None:
    # The list and its capped count read through a partial index: a status added to the list but not to the
    # index's condition would make the planner scan every delivery ever made again, silently.
    index = next(i for i in AlertDelivery._meta.indexes if i.name == "alert_delivery_undelivered_idx")
    assert index.condition is not None
    (lookup, statuses), *_ = index.condition.children
    assert lookup == "status__in"
    assert set(statuses) == set(delivery.UNDELIVERED_STATUSES)
