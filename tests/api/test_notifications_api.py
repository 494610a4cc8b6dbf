"""The notifications API: a user reads and marks only their own notifications."""

from __future__ import annotations

import uuid

import pytest
from rest_framework.test import APIClient

from accounts.models import Notification, User
from accounts.notifications import notify

pytestmark = pytest.mark.django_db


def _client(user: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def notes(officer_a: User, lawyer_north: User) -> list[Notification]:
    case_id = uuid.uuid4()
    return [
        *notify(recipients=[officer_a], kind="charging_decision", subject="Charging decision: Charge", case_id=case_id),
        *notify(recipients=[officer_a], kind="charging_action_plan", subject="Action plan issued"),
        *notify(recipients=[lawyer_north], kind="charging_resubmitted", subject="Resubmitted (MG3A)"),
    ]


def test_a_user_lists_only_their_own_notifications_newest_first(notes: list[Notification], officer_a: User) -> None:
    response = _client(officer_a).get("/api/v1/notifications/")
    assert response.status_code == 200
    assert [n["subject"] for n in response.json()] == ["Action plan issued", "Charging decision: Charge"]
    assert response.json()[1]["case_id"] == str(notes[0].case_id)


def test_marking_one_read_and_the_unread_filter(notes: list[Notification], officer_a: User) -> None:
    client = _client(officer_a)
    response = client.post(f"/api/v1/notifications/{notes[0].public_id}/read/")
    assert response.status_code == 200
    assert response.json() == {"marked_read": 1}
    unread = client.get("/api/v1/notifications/?unread=true").json()
    assert [n["subject"] for n in unread] == ["Action plan issued"]
    assert client.post("/api/v1/notifications/read-all/").json() == {"marked_read": 1}
    assert client.get("/api/v1/notifications/?unread=true").json() == []


def test_another_users_notification_is_not_found_and_stays_unread(
    notes: list[Notification], officer_a: User, lawyer_north: User
) -> None:
    lawyers = notes[2]
    response = _client(officer_a).post(f"/api/v1/notifications/{lawyers.public_id}/read/")
    assert response.status_code == 404
    assert response.json() == _client(officer_a).post(f"/api/v1/notifications/{uuid.uuid4()}/read/").json()
    lawyers.refresh_from_db()
    assert lawyers.read_at is None


def test_signed_out_callers_get_401(notes: list[Notification]) -> None:
    assert APIClient().get("/api/v1/notifications/").status_code == 401
    assert APIClient().post(f"/api/v1/notifications/{notes[0].public_id}/read/").status_code == 401
