"""Security settings as production runs them (config.settings.base under production-like env)."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.base",
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
    "DJANGO_ALLOWED_HOSTS": "casebridge.example.police.uk",
    "DATABASE_URL": "postgres://casebridge@db.invalid:5432/casebridge",
    "CELERY_BROKER_URL": "redis://broker.invalid:6379/0",
}


def _run_in_production(code: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_", "TWO_FACTOR"))}
    env.update(PRODUCTION_ENV)
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False
    )


def test_check_deploy_is_clean_under_production_settings() -> None:
    result = _run_in_production(
        "import django, sys; django.setup(); from django.core.management import call_command; "
        "call_command('check', '--deploy', '--fail-level', 'WARNING')"
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("setting", "expected"),
    [
        ("PASSWORD_HASHERS[0]", "'django.contrib.auth.hashers.Argon2PasswordHasher'"),
        ("SESSION_COOKIE_SECURE", "True"),
        ("SESSION_COOKIE_HTTPONLY", "True"),
        ("CSRF_COOKIE_SECURE", "True"),
        ("SECURE_HSTS_SECONDS >= 31536000", "True"),
        ("X_FRAME_OPTIONS", "'DENY'"),
        ("TWO_FACTOR_REQUIRED", "True"),
        ("SESSION_IDLE_SECONDS", "1800"),
        ("AXES_FAILURE_LIMIT", "5"),
        ("DEBUG", "False"),
    ],
)
def test_production_security_setting(setting: str, expected: str) -> None:
    result = _run_in_production(
        f"import django; django.setup(); from django.conf import settings as s; print(repr(eval('s.' + {setting!r})))"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == expected


def test_settings_refuse_to_start_without_a_secret_key() -> None:
    code = "import django; django.setup()"
    env_without_key = {k: v for k, v in PRODUCTION_ENV.items() if k != "DJANGO_SECRET_KEY"}
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    env.update(env_without_key)
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr
