"""Signing in: GOV.UK errors, lockout after 5 failures, audit, safe redirects, sign-out."""

from __future__ import annotations

import pytest
from django.test import Client

from accounts.choices import AuditEventType
from accounts.forms import LOCKED_OUT, SIGN_IN_ENTER_PASSWORD, SIGN_IN_ENTER_USERNAME, SIGN_IN_FAILED
from accounts.models import AuditEvent, User

pytestmark = pytest.mark.django_db
SIGN_IN = "/accounts/sign-in/"


def test_sign_in_page_uses_the_govuk_form_markup(client: Client) -> None:
    html = client.get(SIGN_IN).content.decode()
    assert '<label class="govuk-label" for="id_username">Username</label>' in html
    assert 'class="govuk-input"' in html
    assert 'autocomplete="current-password"' in html


def test_empty_sign_in_shows_the_error_summary_linked_to_each_field(client: Client) -> None:
    response = client.post(SIGN_IN, {"username": "", "password": ""})
    html = response.content.decode()
    assert response.status_code == 400
    assert "<title>Error: Sign in" in html
    assert "There is a problem" in html
    assert f'<a href="#id_username">{SIGN_IN_ENTER_USERNAME}</a>' in html
    assert f'<a href="#id_password">{SIGN_IN_ENTER_PASSWORD}</a>' in html
    assert "govuk-form-group--error" in html
    assert 'aria-describedby="id_username-error"' in html or "id_username-error" in html
    assert "govuk-input--error" in html


def test_wrong_password_is_refused_without_saying_which_part_was_wrong(client: Client, officer_a: User) -> None:
    response = client.post(SIGN_IN, {"username": "officer_a", "password": "not-the-password"})
    assert response.status_code == 400
    assert SIGN_IN_FAILED in response.content.decode()
    assert "_auth_user_id" not in client.session
    failed = AuditEvent.objects.filter(event_type=AuditEventType.SIGN_IN_FAILED).get()
    assert failed.actor_username == "officer_a"
    assert "not-the-password" not in str(failed.data) + failed.summary


def test_unknown_username_gets_the_same_message(client: Client, db: None) -> None:
    response = client.post(SIGN_IN, {"username": "nobody", "password": "whatever-it-is"})
    assert SIGN_IN_FAILED in response.content.decode()


def test_sign_in_lands_on_home_and_is_audited(client: Client, officer_a: User, password: str) -> None:
    response = client.post(SIGN_IN, {"username": "officer_a", "password": password})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert AuditEvent.objects.filter(event_type=AuditEventType.SIGNED_IN, actor=officer_a).exists()
    home = client.get("/")
    assert "Your cases" in home.content.decode()


def test_sign_in_follows_a_local_next_but_never_an_external_one(client: Client, officer_a: User, password: str) -> None:
    ok = client.post(f"{SIGN_IN}?next=/cases/", {"username": "officer_a", "password": password, "next": "/cases/"})
    assert ok["Location"] == "/cases/"
    client.logout()
    evil = client.post(SIGN_IN, {"username": "officer_a", "password": password, "next": "https://evil.example/"})
    assert evil["Location"] == "/"


def test_five_failures_lock_the_account_with_a_clear_message(client: Client, officer_a: User, password: str) -> None:
    for _ in range(5):
        client.post(SIGN_IN, {"username": "officer_a", "password": "wrong-password"})
    # Even the right password is refused now.
    response = client.post(SIGN_IN, {"username": "officer_a", "password": password})
    assert response.status_code == 429
    html = response.content.decode()
    assert LOCKED_OUT in html
    assert "There is a problem" in html
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(event_type=AuditEventType.ACCOUNT_LOCKED, actor_username="officer_a").exists()


def test_lockout_of_one_user_does_not_lock_another(
    client: Client, officer_a: User, officer_b: User, password: str
) -> None:
    for _ in range(5):
        client.post(SIGN_IN, {"username": "officer_a", "password": "wrong-password"})
    response = client.post(SIGN_IN, {"username": "officer_b", "password": password})
    assert response.status_code == 302


def test_pages_need_sign_in(client: Client, db: None) -> None:
    for url in ("/", "/cases/", "/accounts/account/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(SIGN_IN)


def test_sign_out_needs_post_and_ends_the_session(client: Client, officer_a: User) -> None:
    client.force_login(officer_a)
    assert client.get("/accounts/sign-out/").status_code == 405
    response = client.post("/accounts/sign-out/")
    assert response.status_code == 302
    assert client.get("/").status_code == 302
    assert AuditEvent.objects.filter(event_type=AuditEventType.SIGNED_OUT, actor=officer_a).exists()
