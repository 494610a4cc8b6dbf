"""Idle timeout, absolute session age, password reset by email, password change."""

from __future__ import annotations

import re
import secrets
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.utils import timezone

from accounts.choices import AuditEventType
from accounts.middleware import ABSOLUTE_MESSAGE, IDLE_MESSAGE
from accounts.models import AuditEvent, User

pytestmark = pytest.mark.django_db


def _signed_in(client: Client, password: str) -> None:
    assert client.post("/accounts/sign-in/", {"username": "officer_a", "password": password}).status_code == 302


def test_thirty_idle_minutes_sign_you_out(client: Client, officer_a: User, password: str) -> None:
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        _signed_in(client, password)
        assert client.get("/").status_code == 200
    with time_machine.travel(start + timedelta(minutes=29), tick=False):
        assert client.get("/").status_code == 200
    with time_machine.travel(start + timedelta(minutes=29 + 31), tick=False):
        response = client.get("/cases/")
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/sign-in/")
        page = client.get(response["Location"])
        assert IDLE_MESSAGE in page.content.decode()
    assert AuditEvent.objects.filter(event_type=AuditEventType.SESSION_EXPIRED, actor=officer_a).exists()


def test_an_active_session_still_ends_at_its_absolute_age(client: Client, officer_a: User, password: str) -> None:
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        _signed_in(client, password)
    # Busy all day: a request every 20 minutes for 10 hours.
    for step in range(1, 30):
        with time_machine.travel(start + timedelta(minutes=20 * step), tick=False):
            assert client.get("/").status_code == 200
    with time_machine.travel(start + timedelta(hours=10, minutes=1), tick=False):
        response = client.get("/")
        assert response.status_code == 302
        assert ABSOLUTE_MESSAGE in client.get(response["Location"]).content.decode()


def test_password_reset_by_email_sets_a_new_password(client: Client, officer_a: User) -> None:
    response = client.post("/accounts/password-reset/", {"email": officer_a.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(/accounts/password-reset/\S+/)", mail.outbox[0].body)
    assert link is not None
    form_page = client.get(link.group(1), follow=True)
    assert "Set a new password" in form_page.content.decode()
    new_password = secrets.token_urlsafe(16)
    done = client.post(form_page.redirect_chain[-1][0], {"new_password1": new_password, "new_password2": new_password})
    assert done.status_code == 302
    officer_a.refresh_from_db()
    assert officer_a.check_password(new_password)
    assert AuditEvent.objects.filter(event_type=AuditEventType.PASSWORD_CHANGED, actor=officer_a).exists()


def test_password_reset_for_an_unknown_address_reveals_nothing(client: Client, db: None) -> None:
    response = client.post("/accounts/password-reset/", {"email": "nobody@example.invalid"})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/password-reset/sent/"
    assert mail.outbox == []


def test_a_weak_new_password_is_refused_with_a_govuk_error(client: Client, officer_a: User, password: str) -> None:
    client.force_login(officer_a)
    response = client.post(
        "/accounts/account/password/",
        {"old_password": password, "new_password1": "password", "new_password2": "password"},
    )
    html = response.content.decode()
    assert "There is a problem" in html
    assert "This password is too short" in html
    officer_a.refresh_from_db()
    assert officer_a.check_password(password)
