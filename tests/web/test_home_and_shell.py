"""Each role lands on its own home page inside the GOV.UK shell; security headers on every page."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.test import Client

from accounts.models import User

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("persona", "heading"),
    [
        ("officer_a", "Your cases"),
        ("supervisor_a", "Your cases"),
        ("disclosure_a", "Your cases"),
        ("manager_police_a", "Performance and casework"),
        ("lawyer_north", "Charging work"),
        ("paralegal_north", "Charging work"),
        ("manager_cps_north", "Performance and casework"),
        ("admin_user", "Service administration"),
    ],
)
def test_each_role_has_its_own_home_page(
    persona: str, heading: str, request: pytest.FixtureRequest, as_user: Callable[[User], Client]
) -> None:
    user: User = request.getfixturevalue(persona)
    html = as_user(user).get("/").content.decode()
    assert f'<h1 class="govuk-heading-l">{heading}</h1>' in html
    bar = re.search(r'data-testid="signed-in-user">(.*?)</p>', html, re.S)
    assert bar is not None
    for label in user.role_labels:
        assert label in bar.group(1)
    if user.organisation:
        assert user.organisation.name in bar.group(1)


def test_the_shell_has_a_skip_link_navigation_and_footer(officer_a: User, as_user: Callable[[User], Client]) -> None:
    html = as_user(officer_a).get("/").content.decode()
    assert '<a href="#main-content" class="govuk-skip-link"' in html
    assert 'id="main-content"' in html
    assert 'aria-current="page"' in html
    assert "govuk-service-navigation" in html
    assert "govuk-footer" in html
    assert "/static/vendor/casebridge.css" in html


def test_police_navigation_has_no_administration_link(officer_a: User, as_user: Callable[[User], Client]) -> None:
    html = as_user(officer_a).get("/").content.decode()
    assert ">Cases<" in html
    assert "Administration" not in html


def test_security_headers_on_every_page(client: Client, officer_a: User, as_user: Callable[[User], Client]) -> None:
    for response in (client.get("/accounts/sign-in/"), as_user(officer_a).get("/")):
        csp = response["Content-Security-Policy"]
        assert "default-src 'self'" in csp
        assert "frame-ancestors 'none'" in csp
        nonce = re.search(r"'nonce-([^']+)'", csp)
        assert nonce is not None
        # The one inline script carries this response's nonce; no other inline script exists.
        html = response.content.decode()
        assert f'<script nonce="{nonce.group(1)}">' in html
        assert len(re.findall(r"<script(?![^>]*\bsrc=)", html)) == 1
        assert response["X-Frame-Options"] == "DENY"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "same-origin"
        assert response["X-Request-ID"]


def test_csrf_cookie_and_session_cookie_are_httponly(client: Client, officer_a: User, password: str) -> None:
    client.get("/accounts/sign-in/")
    response = client.post("/accounts/sign-in/", {"username": "officer_a", "password": password})
    assert response.cookies["sessionid"]["httponly"]


def test_not_found_page_is_govuk_styled(officer_a: User, as_user: Callable[[User], Client]) -> None:
    response = as_user(officer_a).get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    assert "govuk-template" in response.content.decode()


def test_server_error_page_is_govuk_styled(rf: pytest.FixtureRequest) -> None:
    from accounts.views.pages import error_500

    response = error_500(rf.get("/"))  # type: ignore[attr-defined]
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in response.content.decode()


def test_csrf_failure_page_explains_nothing_was_saved(officer_a: User) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(officer_a)
    response = client.post("/accounts/sign-out/")
    assert response.status_code == 403
    assert "Nothing you entered has been saved" in response.content.decode()


def test_accessibility_statement_is_public(client: Client, db: None) -> None:
    assert "Accessibility statement" in client.get("/accessibility/").content.decode()


def test_the_administrators_home_links_to_undelivered_alert_emails(
    admin_user: User, officer_a: User, as_user: Callable[[User], Client]
) -> None:
    html = as_user(admin_user).get("/").content.decode()
    assert 'href="/alerts/admin/undelivered/">Undelivered alert emails</a>' in html
    assert "Undelivered alert emails" not in as_user(officer_a).get("/").content.decode()
