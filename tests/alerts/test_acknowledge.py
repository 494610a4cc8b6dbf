"""Acknowledging and dismissing an alert: the services and the pages. A statutory-limit alert is never
dismissed without an acknowledgement; another person's alert, or one of a case out of scope, is a 404 that
changes nothing."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connections, transaction
from django.http import Http404
from django.test import Client
from django.utils import timezone

from accounts.choices import AuditEventType
from accounts.models import AuditEvent, Organisation, User
from alerts import services_ack
from alerts.models import Alert
from alerts.selectors import alerts_for
from casework.choices import DeadlineKind
from casework.models import Case

from ._inbox_support import alert_state, make_alert, make_case, make_deadline, strip_nonce

pytestmark = pytest.mark.django_db

Login = Callable[[User], Client]


@pytest.fixture
def case(officer_a: User) -> Case:
    return make_case(officer_a)


@pytest.fixture
def statutory(case: Case, officer_a: User) -> Alert:
    return make_alert(make_deadline(case), officer_a, threshold="T-14d")


@pytest.fixture
def ordinary(case: Case, officer_a: User) -> Alert:
    deadline = make_deadline(case, kind=DeadlineKind.VICTIM_UPDATE, label="Victims' Code update: M Jones")
    return make_alert(deadline, officer_a, threshold="overdue")


# -- the services ----------------------------------------------------------------------------------


def test_acknowledging_stamps_the_note_and_time_and_is_audited_with_the_case(statutory: Alert, officer_a: User) -> None:
    alert = services_ack.acknowledge(statutory, by=officer_a, note="  Charged today; file to CPS.  ")
    alert.refresh_from_db()
    assert alert.acknowledged_at is not None
    assert alert.read_at == alert.acknowledged_at
    assert alert.acknowledgement_note == "Charged today; file to CPS."
    event = AuditEvent.objects.get(event_type=AuditEventType.ALERT_ACKNOWLEDGED)
    assert event.case_id == statutory.case_id
    assert event.actor == officer_a
    assert event.object_id == str(statutory.public_id)
    assert event.data["note"] == "Charged today; file to CPS."
    assert event.data["threshold"] == "T-14d"
    assert "14 days before" in event.summary


def test_acknowledging_keeps_the_first_read_time(statutory: Alert, officer_a: User) -> None:
    services_ack.mark_read(statutory, by=officer_a)
    statutory.refresh_from_db()
    first_read = statutory.read_at
    assert first_read is not None
    services_ack.acknowledge(statutory, by=officer_a, note="Done")
    statutory.refresh_from_db()
    assert statutory.read_at == first_read


@pytest.mark.parametrize(
    ("note", "message"),
    [
        ("", services_ack.NOTE_REQUIRED),
        ("   \n ", services_ack.NOTE_REQUIRED),
        ("x" * (services_ack.NOTE_MAX_LENGTH + 1), services_ack.NOTE_TOO_LONG),
    ],
)
def test_an_acknowledgement_without_a_usable_note_is_refused_and_changes_nothing(
    statutory: Alert, officer_a: User, note: str, message: str
) -> None:
    before = alert_state()
    with pytest.raises(ValidationError) as refused:
        services_ack.acknowledge(statutory, by=officer_a, note=note)
    assert refused.value.message_dict == {"note": [message]}
    assert alert_state() == before


def test_acknowledging_twice_is_refused_and_keeps_the_first_note(statutory: Alert, officer_a: User) -> None:
    services_ack.acknowledge(statutory, by=officer_a, note="First")
    before = alert_state()
    with pytest.raises(ValidationError) as refused:
        services_ack.acknowledge(statutory, by=officer_a, note="Second")
    assert refused.value.messages == [services_ack.ALREADY_ACKNOWLEDGED]
    assert alert_state() == before


def test_dismissing_an_ordinary_alert_hides_it_from_the_inbox_and_is_audited(ordinary: Alert, officer_a: User) -> None:
    services_ack.dismiss(ordinary, by=officer_a)
    ordinary.refresh_from_db()
    assert ordinary.dismissed_at is not None
    assert ordinary.acknowledged_at is None
    assert ordinary not in alerts_for(user=officer_a)
    event = AuditEvent.objects.get(event_type=AuditEventType.ALERT_DISMISSED)
    assert event.case_id == ordinary.case_id
    assert event.actor == officer_a


def test_a_statutory_alert_cannot_be_dismissed_without_acknowledgement(statutory: Alert, officer_a: User) -> None:
    before = alert_state()
    with pytest.raises(ValidationError) as refused:
        services_ack.dismiss(statutory, by=officer_a)
    assert refused.value.messages == [
        "Acknowledge this alert with a note before dismissing it: it warns of a statutory time limit"
    ]
    assert alert_state() == before


def test_a_statutory_alert_can_be_dismissed_once_acknowledged(statutory: Alert, officer_a: User) -> None:
    services_ack.acknowledge(statutory, by=officer_a, note="Summons applied for")
    services_ack.dismiss(statutory, by=officer_a)
    statutory.refresh_from_db()
    assert statutory.dismissed_at is not None
    with pytest.raises(ValidationError) as again:
        services_ack.dismiss(statutory, by=officer_a)
    assert again.value.messages == [services_ack.ALREADY_DISMISSED]


def test_the_database_refuses_a_statutory_dismissal_that_skips_the_service(statutory: Alert) -> None:
    # The last line of defence: a bulk update that bypasses the service still cannot do it.
    with pytest.raises(IntegrityError), transaction.atomic():
        Alert.objects.filter(pk=statutory.pk).update(dismissed_at=timezone.now())


@pytest.mark.parametrize("persona", ["officer_b", "lawyer_south", "officer_a2", "supervisor_a", "admin_user"])
@pytest.mark.parametrize("action", ["acknowledge", "dismiss", "mark_read"])
def test_someone_elses_alert_is_not_found_by_the_services(
    ordinary: Alert, persona: str, action: str, request: pytest.FixtureRequest
) -> None:
    outsider: User = request.getfixturevalue(persona)
    before = alert_state()
    calls = {
        "acknowledge": lambda: services_ack.acknowledge(ordinary, by=outsider, note="Not mine"),
        "dismiss": lambda: services_ack.dismiss(ordinary, by=outsider),
        "mark_read": lambda: services_ack.mark_read(ordinary, by=outsider),
    }
    with pytest.raises(Http404):
        calls[action]()
    assert alert_state() == before


def test_an_alert_of_a_case_no_longer_in_scope_is_not_found(
    lawyer_north: User, officer_a: User, area_south: Organisation
) -> None:
    case = make_case(officer_a)
    alert = make_alert(make_deadline(case), lawyer_north)
    # The case moves to another CPS Area: the lawyer's alert goes with their sight of the case.
    Case.objects.filter(pk=case.pk).update(cps_area=area_south)
    before = alert_state()
    with pytest.raises(Http404):
        services_ack.acknowledge(alert, by=lawyer_north, note="Reviewed")
    assert alert_state() == before


# -- the pages -------------------------------------------------------------------------------------


def test_the_alert_page_offers_the_acknowledgement_and_explains_why_it_cannot_be_dismissed(
    statutory: Alert, officer_a: User, as_user: Login
) -> None:
    response = as_user(officer_a).get(f"/alerts/{statutory.public_id}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Acknowledge this alert" in page
    assert 'name="note"' in page
    assert "Needs acknowledgement" in page
    assert "Acknowledge it with a note before you can dismiss it" in page
    assert f"/alerts/{statutory.public_id}/dismiss/" not in page


def test_acknowledging_on_the_page_with_an_empty_note_shows_the_error_summary(
    statutory: Alert, officer_a: User, as_user: Login
) -> None:
    before = alert_state()
    response = as_user(officer_a).post(f"/alerts/{statutory.public_id}/acknowledge/", {"note": "  "})
    assert response.status_code == 400
    page = response.content.decode()
    assert "govuk-error-summary" in page
    assert f'<a href="#id_note">{services_ack.NOTE_REQUIRED}</a>' in page
    assert "<title>Error:" in page
    assert alert_state() == before


def test_acknowledging_on_the_page_returns_to_the_inbox_with_the_alert_acknowledged(
    statutory: Alert, officer_a: User, as_user: Login
) -> None:
    client = as_user(officer_a)
    response = client.post(f"/alerts/{statutory.public_id}/acknowledge/", {"note": "Charged, file sent"})
    assert response.status_code == 302
    assert response["Location"] == "/alerts/"
    inbox = client.get("/alerts/").content.decode()
    assert "Alert acknowledged" in inbox
    assert "Acknowledged" in inbox
    statutory.refresh_from_db()
    assert statutory.acknowledgement_note == "Charged, file sent"
    detail = client.get(f"/alerts/{statutory.public_id}/").content.decode()
    assert "Charged, file sent" in detail
    assert f"/alerts/{statutory.public_id}/dismiss/" in detail  # acknowledged: now it may be dismissed


def test_dismissing_a_statutory_alert_on_the_page_is_refused_with_the_reason(
    statutory: Alert, officer_a: User, as_user: Login
) -> None:
    before = alert_state()
    response = as_user(officer_a).post(f"/alerts/{statutory.public_id}/dismiss/")
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page
    assert services_ack.STATUTORY_NOT_DISMISSED in page
    assert 'href="#id_note"' in page  # the fix: write the note
    assert alert_state() == before


def test_dismissing_an_ordinary_alert_on_the_page(ordinary: Alert, officer_a: User, as_user: Login) -> None:
    client = as_user(officer_a)
    response = client.post(f"/alerts/{ordinary.public_id}/dismiss/")
    assert response.status_code == 302
    inbox = client.get("/alerts/").content.decode()
    assert "Alert dismissed" in inbox
    assert str(ordinary.public_id) not in inbox
    ordinary.refresh_from_db()
    assert ordinary.dismissed_at is not None


def test_marking_an_alert_read_on_the_page(ordinary: Alert, officer_a: User, as_user: Login) -> None:
    client = as_user(officer_a)
    assert "Unread" in client.get(f"/alerts/{ordinary.public_id}/").content.decode()
    response = client.post(f"/alerts/{ordinary.public_id}/read/")
    assert response.status_code == 302
    ordinary.refresh_from_db()
    assert ordinary.read_at is not None
    assert "Unread" not in client.get(f"/alerts/{ordinary.public_id}/").content.decode()


def test_reading_the_alert_page_does_not_mark_it_read(ordinary: Alert, officer_a: User, as_user: Login) -> None:
    # A mail client prefetching the link must not change anything.
    as_user(officer_a).get(f"/alerts/{ordinary.public_id}/")
    ordinary.refresh_from_db()
    assert ordinary.read_at is None


PAGE_ACTIONS = [
    ("get", "", {}),
    ("post", "acknowledge/", {"note": "Not mine"}),
    ("post", "dismiss/", {}),
    ("post", "read/", {}),
]


@pytest.mark.parametrize(
    "persona", ["officer_b", "lawyer_south", "officer_a2", "supervisor_a", "manager_police_a", "admin_user"]
)
@pytest.mark.parametrize(("method", "suffix", "data"), PAGE_ACTIONS)
def test_someone_elses_alert_is_a_404_like_a_missing_one_and_nothing_changes(
    ordinary: Alert,
    persona: str,
    method: str,
    suffix: str,
    data: dict[str, str],
    request: pytest.FixtureRequest,
    as_user: Login,
) -> None:
    client = as_user(request.getfixturevalue(persona))
    before = alert_state()
    response = getattr(client, method)(f"/alerts/{ordinary.public_id}/{suffix}", data)
    missing = getattr(client, method)(f"/alerts/{uuid.uuid4()}/{suffix}", data)
    assert response.status_code == missing.status_code == 404
    assert strip_nonce(response.content) == strip_nonce(missing.content)
    assert ordinary.subject not in response.content.decode()
    assert alert_state() == before


@pytest.mark.parametrize(("method", "suffix", "data"), PAGE_ACTIONS)
def test_an_alert_of_a_case_out_of_scope_is_a_404_on_every_page(
    lawyer_north: User,
    officer_a: User,
    area_south: Organisation,
    method: str,
    suffix: str,
    data: dict[str, str],
    as_user: Login,
) -> None:
    case = make_case(officer_a)
    alert = make_alert(make_deadline(case, kind=DeadlineKind.CHARGING_DECISION, statutory=False), lawyer_north)
    Case.objects.filter(pk=case.pk).update(cps_area=area_south)
    before = alert_state()
    client = as_user(lawyer_north)
    response = getattr(client, method)(f"/alerts/{alert.public_id}/{suffix}", data)
    assert response.status_code == 404
    missing = getattr(client, method)(f"/alerts/{uuid.uuid4()}/{suffix}", data)
    assert strip_nonce(response.content) == strip_nonce(missing.content)
    assert alert_state() == before


@pytest.mark.parametrize(("method", "suffix", "data"), PAGE_ACTIONS)
def test_signed_out_visitors_are_sent_to_sign_in(
    ordinary: Alert, method: str, suffix: str, data: dict[str, str]
) -> None:
    before = alert_state()
    response = getattr(Client(), method)(f"/alerts/{ordinary.public_id}/{suffix}", data)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/sign-in/")
    assert alert_state() == before


@pytest.mark.django_db(transaction=True)
def test_two_acknowledgements_at_once_record_one(statutory: Alert, officer_a: User) -> None:
    # Two clicks (or a page and the API) at the same moment: the row lock makes the second wait, then see
    # the first's acknowledgement and refuse, so there is one note and one audit row.
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def click(note: str) -> None:
        try:
            barrier.wait()
            services_ack.acknowledge(statutory, by=officer_a, note=note)
            outcomes.append("acknowledged")
        except ValidationError as exc:
            outcomes.append(exc.messages[0])
        finally:
            connections.close_all()

    threads = [threading.Thread(target=click, args=(note,)) for note in ("First", "Second")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == sorted(["acknowledged", services_ack.ALREADY_ACKNOWLEDGED])
    assert AuditEvent.objects.filter(event_type=AuditEventType.ALERT_ACKNOWLEDGED).count() == 1
    statutory.refresh_from_db()
    assert statutory.acknowledgement_note in {"First", "Second"}
