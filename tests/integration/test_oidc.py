"""Optional single sign-on: switched on by environment variables; never creates accounts."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from accounts.models import User

ROOT = Path(__file__).resolve().parents[2]
OIDC_ENV = {
    "OIDC_RP_CLIENT_ID": "casebridge",
    "OIDC_RP_CLIENT_SECRET": secrets.token_hex(16),
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "https://idp.example.police.uk/authorize",
    "OIDC_OP_TOKEN_ENDPOINT": "https://idp.example.police.uk/token",
    "OIDC_OP_USER_ENDPOINT": "https://idp.example.police.uk/userinfo",
    "OIDC_OP_JWKS_ENDPOINT": "https://idp.example.police.uk/jwks",
}


@pytest.fixture
def oidc_backend(settings: object) -> object:
    for key, value in OIDC_ENV.items():
        setattr(settings, key, value)
    from accounts.oidc import CasebridgeOIDCBackend

    return CasebridgeOIDCBackend()


@pytest.mark.django_db
def test_sso_matches_an_existing_account_by_verified_email(oidc_backend: object, officer_a: User) -> None:
    found = oidc_backend.filter_users_by_claims({"email": officer_a.email.upper(), "email_verified": True})  # type: ignore[attr-defined]
    assert list(found) == [officer_a]


@pytest.mark.django_db
def test_sso_ignores_unverified_addresses_and_never_creates_users(oidc_backend: object, officer_a: User) -> None:
    assert not oidc_backend.filter_users_by_claims({"email": officer_a.email, "email_verified": False}).exists()  # type: ignore[attr-defined]
    assert oidc_backend.create_user({"email": "new@example.police.uk"}) is None  # type: ignore[attr-defined]
    assert not User.objects.filter(email="new@example.police.uk").exists()


def test_sso_is_switched_on_by_environment_variables() -> None:
    code = (
        "import django; django.setup(); from django.urls import reverse; from django.conf import settings; "
        "print(settings.OIDC_ENABLED, reverse('oidc_authentication_init'), "
        "'accounts.oidc.CasebridgeOIDCBackend' in settings.AUTHENTICATION_BACKENDS)"
    )
    env = {**os.environ, **OIDC_ENV, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=False, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "/oidc/authenticate/", "True"]
