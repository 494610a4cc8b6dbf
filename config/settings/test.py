"""Test settings: only what a test run must swap. Everything else is base."""

import os
import secrets

# A throwaway key per run; tests run over plain HTTP on localhost.
os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(50))
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/casebridge")
os.environ.setdefault("DJANGO_SECURE", "false")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,testserver")
# Uploaded case material from tests stays out of a developer's var/media (tests/files uses a
# directory per test; the real Celery worker is given its directory by tests/files/conftest.py).
os.environ.setdefault("DJANGO_MEDIA_ROOT", os.path.join(os.path.dirname(__file__), "..", "..", "var", "test-media"))

from config.logging import build_logging

from .base import *  # noqa: F403
from .base import PASSWORD_HASHERS

# Argon2 is deliberately slow; tests assert base uses it (tests/unit/test_security_settings.py).
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]
# Mail stays in memory (mail.outbox), except in a real worker started by a test that points it at a loopback
# SMTP server (tests/alerts/test_delivery_smtp.py passes CASEBRIDGE_TEST_EMAIL_URL, e.g. smtp://127.0.0.1:2525).
if os.environ.get("CASEBRIDGE_TEST_EMAIL_URL"):
    vars().update(env.email_url("CASEBRIDGE_TEST_EMAIL_URL"))  # noqa: F405
else:
    EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TWO_FACTOR_REQUIRED = False
SECURE_SSL_REDIRECT = False
CELERY_TASK_ALWAYS_EAGER = False
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "1000/minute", "user": "10000/minute"}}  # noqa: F405
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
LOGGING = build_logging(level="WARNING", json=True)

# Static files straight from the finders (no collectstatic before a test run).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
STATIC_ROOT = BASE_DIR / "var" / "test-static"  # noqa: F405
STATIC_ROOT.mkdir(parents=True, exist_ok=True)

# Celery against a real broker: Redis (its own DB index) on this machine and CI; the filesystem
# transport where no Redis server exists (scripts/test-env.sh decides and says which).
if os.environ.get("CASEBRIDGE_TEST_BROKER") == "filesystem":
    _broker_dir = BASE_DIR / "var" / "test-broker"  # noqa: F405
    for _sub in ("in", "processed", "control"):
        (_broker_dir / _sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "in"),
        "data_folder_out": str(_broker_dir / "in"),
        "processed_folder": str(_broker_dir / "processed"),
        "control_folder": str(_broker_dir / "control"),
    }
else:
    CELERY_BROKER_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
