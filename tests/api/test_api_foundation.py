"""API foundation: session and token auth, one JSON error shape, outsiders get 404, throttling."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from accounts.api_auth import TOKEN_INVALID
from accounts.choices import AuditEventType
from accounts.models import ApiToken, AuditEvent, Organisation, Unit, User
from accounts.services import api_token_revoke
from casework.models import Case
from tests.factories.casework import CaseFactory

pytestmark = pytest.mark.django_db


def issue(username: str) -> str:
    out = StringIO()
    call_command("issue_api_token", username, "--name", "Force RMS", stdout=out, stderr=StringIO())
    return out.getvalue().strip()


def bearer(key: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_issue_api_token_prints_a_key_that_authenticates(client: Client, officer_a: User) -> None:
    key = issue("officer_a")
    response = client.get("/api/v1/me/", **bearer(key))
    assert response.status_code == 200
    assert response.json()["username"] == "officer_a"
    token = ApiToken.objects.get(user=officer_a)
    assert token.key_hash != key
    assert key not in token.key_hash
    assert token.last_used_at is not None
    assert AuditEvent.objects.filter(
        event_type=AuditEventType.API_TOKEN_ISSUED, object_id=str(token.public_id)
    ).exists()


def test_issue_api_token_for_unknown_user_fails_clearly(db: None) -> None:
    with pytest.raises(CommandError, match="No user with username 'ghost'"):
        call_command("issue_api_token", "ghost")


def test_a_revoked_token_stops_working(client: Client, officer_a: User, admin_user: User) -> None:
    key = issue("officer_a")
    api_token_revoke(token=ApiToken.objects.get(user=officer_a), by=admin_user)
    response = client.get("/api/v1/me/", **bearer(key))
    assert response.status_code == 401
    assert response.json() == {"error": {"status": 401, "code": "authentication_failed", "message": TOKEN_INVALID}}


def test_a_wrong_token_and_no_token_get_the_error_shape(client: Client, db: None) -> None:
    wrong = client.get("/api/v1/me/", **bearer("cb_not-a-real-key"))
    assert wrong.status_code == 401
    assert wrong.json()["error"]["message"] == TOKEN_INVALID
    assert wrong["WWW-Authenticate"] == "Bearer"
    missing = client.get("/api/v1/me/")
    assert missing.status_code == 401
    assert missing.json()["error"]["code"] == "not_authenticated"


def test_a_token_of_a_deactivated_user_stops_working(client: Client, officer_a: User) -> None:
    key = issue("officer_a")
    User.objects.filter(pk=officer_a.pk).update(is_active=False)
    assert client.get("/api/v1/me/", **bearer(key)).status_code == 401


def test_no_password_endpoint_issues_tokens(client: Client, officer_a: User, password: str) -> None:
    for path in ("/api/v1/token/", "/api/v1/auth/token/", "/api-token-auth/"):
        response = client.post(path, {"username": "officer_a", "password": password}, content_type="application/json")
        assert response.status_code in (401, 403, 404)
    assert not ApiToken.objects.exists()


def test_session_auth_works_for_the_browser(officer_a: User, as_user: Callable[[User], Client]) -> None:
    assert as_user(officer_a).get("/api/v1/me/").json()["organisation"]["code"] == "10"


def test_validation_errors_name_the_field(officer_a: User, as_user: Callable[[User], Client]) -> None:
    response = as_user(officer_a).get("/api/v1/organisations/?kind=bakery")
    assert response.status_code == 400
    body = response.json()["error"]
    assert body["code"] == "invalid"
    assert "kind" in body["fields"]


def test_unknown_api_route_is_a_json_404(officer_a: User, as_user: Callable[[User], Client]) -> None:
    response = as_user(officer_a).get("/api/v1/no-such-thing/")
    assert response.status_code == 404
    assert response.json() == {"error": {"status": 404, "code": "not_found", "message": "Not found."}}


@pytest.fixture
def case_a(force_a: Organisation, unit_a1: Unit) -> Case:
    return CaseFactory(force=force_a, unit=unit_a1)


@pytest.mark.parametrize("outsider", ["officer_b", "lawyer_north", "lawyer_south", "admin_user"])
def test_outsiders_get_404_from_the_case_api_and_see_nothing_in_lists(
    outsider: str, case_a: Case, request: pytest.FixtureRequest, as_user: Callable[[User], Client]
) -> None:
    client = as_user(request.getfixturevalue(outsider))
    outside = client.get(f"/api/v1/cases/{case_a.public_id}/")
    missing = client.get(f"/api/v1/cases/{uuid.uuid4()}/")
    assert outside.status_code == missing.status_code == 404
    assert outside.json() == missing.json()
    assert client.get("/api/v1/cases/").json()["results"] == []


def test_the_case_api_serves_cases_in_scope(
    case_a: Case, officer_a: User, lawyer_north: User, as_user: Callable[[User], Client]
) -> None:
    assert as_user(officer_a).get(f"/api/v1/cases/{case_a.public_id}/").json()["urn"] == case_a.urn
    Case.objects.filter(pk=case_a.pk).update(sent_to_cps_at=timezone.now())
    listed = as_user(lawyer_north).get("/api/v1/cases/").json()["results"]
    assert [c["urn"] for c in listed] == [case_a.urn]


def test_api_is_throttled_with_the_error_shape(client: Client, officer_a: User, settings: object) -> None:
    from rest_framework.settings import api_settings
    from rest_framework.throttling import UserRateThrottle

    key = issue("officer_a")
    original = UserRateThrottle.THROTTLE_RATES
    UserRateThrottle.THROTTLE_RATES = {**api_settings.DEFAULT_THROTTLE_RATES, "user": "3/minute"}
    try:
        from django.core.cache import cache

        cache.clear()
        codes = [client.get("/api/v1/me/", **bearer(key)).status_code for _ in range(4)]
        last = client.get("/api/v1/me/", **bearer(key))
    finally:
        UserRateThrottle.THROTTLE_RATES = original
    assert codes[:3] == [200, 200, 200]
    assert last.status_code == 429
    assert last.json()["error"]["code"] == "throttled"
