"""Casebridge settings. Every value that differs between machines comes from the environment.

Secrets may be given as files: ``DJANGO_SECRET_KEY_FILE=/run/secrets/key`` (``FileAwareEnv``).
"""

from __future__ import annotations

import os
import sys
from datetime import timedelta
from pathlib import Path

import environ
import pghistory
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from kombu.entity import Exchange, Queue

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.FileAwareEnv(
    DJANGO_DEBUG=(bool, False),
    DJANGO_ALLOWED_HOSTS=(list, []),
    DJANGO_CSRF_TRUSTED_ORIGINS=(list, []),
    DJANGO_SECURE=(bool, True),
    DJANGO_HSTS_SECONDS=(int, 31536000),
    TWO_FACTOR_REQUIRED=(bool, True),
    SESSION_IDLE_SECONDS=(int, 30 * 60),
    SESSION_ABSOLUTE_SECONDS=(int, 10 * 60 * 60),
    AXES_FAILURE_LIMIT=(int, 5),
    AXES_COOLOFF_MINUTES=(int, 30),
    API_THROTTLE_USER=(str, "600/minute"),
    API_THROTTLE_ANON=(str, "30/minute"),
    OIDC_RP_CLIENT_ID=(str, ""),
    LOG_LEVEL=(str, "INFO"),
    LOG_JSON=(bool, True),
)

DEBUG: bool = env("DJANGO_DEBUG")
SECRET_KEY: str = env("DJANGO_SECRET_KEY")
ALLOWED_HOSTS: list[str] = env("DJANGO_ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS: list[str] = env("DJANGO_CSRF_TRUSTED_ORIGINS")

SERVICE_NAME = "Casebridge"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.forms",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "rules.apps.AutodiscoverRulesConfig",
    "csp",
    "pgtrigger",
    "pghistory",
    "pghistory.admin",
    "django_celery_beat",
    "django_htmx",
    "accounts",
    "casework",
    "charging",
    "files",
    "alerts",
    "metrics",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "accounts.middleware.RequestIdMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.middleware.SessionTimeoutMiddleware",
    "accounts.middleware.TwoFactorRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "pghistory.middleware.HistoryMiddleware",
    # Axes last: it must see the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "accounts.context_processors.service",
            ],
        },
    },
]
# GOV.UK markup for every Django form (templates/govuk/forms/).
FORM_RENDERER = "config.forms.GovukFormRenderer"

DATABASES = {"default": env.db("DATABASE_URL")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# An optional read replica (PostgreSQL streaming replication) for the dashboards: config/db_router.py sends the
# metric snapshot reads there, never a write, and never a read made inside a transaction. It is never migrated
# (it replays the primary); in tests it mirrors the test database.
if _replica_url := env.str("DATABASE_REPLICA_URL", default=""):
    DATABASES["replica"] = {
        **env.db_url_config(_replica_url),
        "CONN_MAX_AGE": DATABASES["default"]["CONN_MAX_AGE"],
        "CONN_HEALTH_CHECKS": True,
        "TEST": {"MIRROR": "default"},
    }
# Parallel query (PostgreSQL starting worker processes to share one query) pays off for the big aggregates of the
# metric builds and the management commands, but a web request's queries are short and starting the workers costs
# them more than it saves (a Met manager's header count: 20-27 ms with it, 2-5 ms without). So a web process
# connects with it off, as a connection startup option (no query per request), and every other process (Celery
# workers and beat, management commands) keeps the server's setting. DATABASE_PARALLEL_QUERY decides: "auto" (the
# default) turns it off in a web process: gunicorn (which puts SERVER_SOFTWARE=gunicorn/<version> in its
# environment before it loads the app; `make run` and the image run it) or `manage.py runserver`; "off" and "on"
# say so for any process. The replica's connections follow: in a web process they serve dashboard requests.
PARALLEL_QUERY_MODES = ("auto", "on", "off")
DATABASE_PARALLEL_QUERY: str = env.str("DATABASE_PARALLEL_QUERY", default="auto")
if DATABASE_PARALLEL_QUERY not in PARALLEL_QUERY_MODES:
    raise ImproperlyConfigured(
        f"DATABASE_PARALLEL_QUERY must be one of {', '.join(PARALLEL_QUERY_MODES)}, not {DATABASE_PARALLEL_QUERY!r}"
    )
WEB_PROCESS = os.environ.get("SERVER_SOFTWARE", "").startswith("gunicorn/") or sys.argv[1:2] == ["runserver"]
if DATABASE_PARALLEL_QUERY == "off" or (DATABASE_PARALLEL_QUERY == "auto" and WEB_PROCESS):
    for _database in DATABASES.values():
        _options = _database.setdefault("OPTIONS", {})
        _options["options"] = f"{_options.get('options', '')} -c max_parallel_workers_per_gather=0".strip()
DATABASE_ROUTERS = ["config.db_router.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # Axes first, so a locked-out account is refused before the password is checked.
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:sign-in"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:sign-in"

# Two-factor authentication (TOTP, django-otp). Turned off only for the demo.
TWO_FACTOR_REQUIRED: bool = env("TWO_FACTOR_REQUIRED")
OTP_TOTP_ISSUER = SERVICE_NAME
BACKUP_CODE_COUNT = 10

# Lockout (django-axes): 5 failed attempts lock the username for the cool-off period.
AXES_FAILURE_LIMIT: int = env("AXES_FAILURE_LIMIT")
AXES_COOLOFF_TIME = timedelta(minutes=env("AXES_COOLOFF_MINUTES"))
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.views.auth.locked_out"
AXES_USERNAME_FORM_FIELD = "username"
AXES_VERBOSE = False
AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]

# Sessions: an idle timeout and an absolute age, both enforced by SessionTimeoutMiddleware.
SESSION_IDLE_SECONDS: int = env("SESSION_IDLE_SECONDS")
SESSION_ABSOLUTE_SECONDS: int = env("SESSION_ABSOLUTE_SECONDS")
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_SECONDS
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"

# Transport security. DJANGO_SECURE=false only on a developer's plain-HTTP machine.
_SECURE: bool = env("DJANGO_SECURE")
SESSION_COOKIE_SECURE = _SECURE
CSRF_COOKIE_SECURE = _SECURE
SECURE_SSL_REDIRECT = _SECURE and env.bool("DJANGO_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env("DJANGO_HSTS_SECONDS") if _SECURE else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = _SECURE
SECURE_HSTS_PRELOAD = _SECURE
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env.bool("DJANGO_BEHIND_PROXY", default=False) else None
)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content Security Policy (django-csp 4): scripts only from us, inline only with the per-request nonce.
from csp.constants import NONCE, NONE, SELF  # noqa: E402

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = env.path("DJANGO_STATIC_ROOT", default=BASE_DIR / "var" / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=BASE_DIR / "var" / "media")
# Case material is private wherever it is kept: never served by a URL of its own; files leave only
# through authorising, auditing views, which read them with storage.open(). DJANGO_STORAGE=s3 keeps
# them in an S3 bucket (or MinIO), otherwise on the filesystem under MEDIA_ROOT.
STORAGE_KIND: str = env.str("DJANGO_STORAGE", default="").strip().lower() or "filesystem"
_default_storage: dict[str, object]
if STORAGE_KIND == "s3":
    _s3_options: dict[str, object] = {
        "bucket_name": env.str("AWS_STORAGE_BUCKET_NAME"),
        "region_name": env.str("AWS_S3_REGION_NAME", default="") or None,
        # MinIO or another S3-compatible service; MinIO usually also needs AWS_S3_ADDRESSING_STYLE=path.
        "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default="") or None,
        "addressing_style": env.str("AWS_S3_ADDRESSING_STYLE", default="") or None,
        "location": env.str("AWS_LOCATION", default=""),
        # No ACL: objects stay private to the bucket owner, whatever the bucket policy grants.
        "default_acl": None,
        # Nothing links to a stored object, but should a URL ever be made it is signed and short-lived.
        "querystring_auth": True,
        "querystring_expire": env.int("AWS_QUERYSTRING_EXPIRE", default=300),
        # Signature version 4: required for SSE-KMS and by MinIO; version 2 is deprecated.
        "signature_version": "s3v4",
        # Two versions must never share an object: a name clash gets a new name, not an overwrite.
        "file_overwrite": False,
        # A download or scan reads the whole object; past 2.5 MB (as FILE_UPLOAD_MAX_MEMORY_SIZE) it
        # spills to a temporary file instead of memory (0, the library's default, never spills).
        "max_memory_size": 2_621_440,
    }
    # Keys from the environment (or *_FILE); without them boto3 finds credentials itself (IAM role).
    if _s3_access_key := env.str("AWS_ACCESS_KEY_ID", default=""):
        _s3_options["access_key"] = _s3_access_key
        _s3_options["secret_key"] = env.str("AWS_SECRET_ACCESS_KEY")
    # Optional server-side encryption: AES256 (S3-managed keys) or aws:kms (with an optional key id).
    if _s3_encryption := env.str("AWS_S3_SERVER_SIDE_ENCRYPTION", default=""):
        _s3_object_parameters = {"ServerSideEncryption": _s3_encryption}
        if _s3_kms_key := env.str("AWS_S3_SSE_KMS_KEY_ID", default=""):
            _s3_object_parameters["SSEKMSKeyId"] = _s3_kms_key
        _s3_options["object_parameters"] = _s3_object_parameters
    _default_storage = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": _s3_options}
elif STORAGE_KIND == "filesystem":
    _default_storage = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": MEDIA_ROOT, "base_url": None},
    }
else:
    # A typo must not quietly put case material on a container's throwaway disk.
    raise ImproperlyConfigured(f"DJANGO_STORAGE must be 'filesystem' or 's3', not {STORAGE_KIND!r}")
STORAGES = {
    "default": _default_storage,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Case material (files app). Uploads up to FILE_UPLOAD_MAX_BYTES; anything over 2.5 MB streams to a
# temporary file (FILE_UPLOAD_TEMP_DIR, default the system's), which stops growing at the limit.
# The reverse proxy's body limit (nginx client_max_body_size) must be a little above it.
FILE_UPLOAD_MAX_BYTES: int = env.int("FILE_UPLOAD_MAX_BYTES", default=200 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_TEMP_DIR: str | None = env.str("DJANGO_FILE_UPLOAD_TEMP_DIR", default="") or None
FILE_UPLOAD_HANDLERS = [
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "files.uploads.LimitedTemporaryFileUploadHandler",
]
FILE_UPLOAD_PERMISSIONS = 0o640
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o750
# ClamAV daemon scanning every new version (INSTREAM): a unix socket (Debian clamav-daemon:
# /var/run/clamav/clamd.ctl), or host and port. clamd's StreamMaxLength must be >= FILE_UPLOAD_MAX_BYTES.
CLAMAV_SOCKET: str = env.str("CLAMAV_SOCKET", default="")
CLAMAV_HOST: str = env.str("CLAMAV_HOST", default="")
CLAMAV_PORT: int = env.int("CLAMAV_PORT", default=3310)
CLAMAV_TIMEOUT: float = env.float("CLAMAV_TIMEOUT", default=120.0)
# Scanning, text extraction and quality checks go to the queues CELERY_TASK_ROUTES gives them (documents,
# quality). A name here sends all three to that one queue instead: tests give a worker's own queue this way.
FILES_TASK_QUEUE: str = env.str("FILES_TASK_QUEUE", default="")

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="casebridge-no-reply@localhost")
# The address people reach Casebridge at, for links in emails.
SITE_URL = env.str("SITE_URL", default="http://localhost:8000")

# Charging (DG6). Time aims per category in hours from receipt by the CPS ([K]: overridable per deployment),
# the days after an action plan's last due date before an unanswered plan is administratively finalised, and
# how many days before an action's due date the police are reminded.
CHARGING_DUE_HOURS: dict[str, int] = env.json(
    "CHARGING_DUE_HOURS", default={"red": 4, "green_priority": 5 * 24, "green": 28 * 24}
)
CHARGING_ADMIN_FINALISATION_DAYS: int = env.int("CHARGING_ADMIN_FINALISATION_DAYS", default=28)

# Delay alerts (alerts app). Deliveries are retried with exponential backoff from ALERT_RETRY_BASE_SECONDS
# up to ALERT_DELIVERY_MAX_ATTEMPTS tries; non-urgent alerts go in a daily digest at ALERT_DIGEST_HOUR
# (Europe/London); an alert not acknowledged within ALERT_ESCALATE_AFTER_HOURS, or overdue, is escalated to
# the managers of the recipient's organisation.
ALERT_DELIVERY_MAX_ATTEMPTS: int = env.int("ALERT_DELIVERY_MAX_ATTEMPTS", default=6)
ALERT_RETRY_BASE_SECONDS: int = env.int("ALERT_RETRY_BASE_SECONDS", default=60)
ALERT_DIGEST_HOUR: int = env.int("ALERT_DIGEST_HOUR", default=7)
ALERT_ESCALATE_AFTER_HOURS: int = env.int("ALERT_ESCALATE_AFTER_HOURS", default=24)
ALERT_SWEEP_BATCH: int = env.int("ALERT_SWEEP_BATCH", default=5000)

# Celery: tasks take ids and are idempotent; results are domain rows, so no result backend.
CELERY_BROKER_URL: str = env.str("CELERY_BROKER_URL", default="redis://127.0.0.1:6379/0")
CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, object] = env.json("CELERY_BROKER_TRANSPORT_OPTIONS", default={})
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# One message reserved per worker process, on every queue, the quality queue's short CPU-bound checks included:
# measured with benchmarks/quality_checks.py (1,000 checks, the settings alternated), a multiplier of 8 gained
# nothing for one solo process and made a two-process prefork worker 10-50% slower. With Redis the consumer still
# takes one message per BRPOP, so reserving more only adds bookkeeping in the consumer process; and with late acks
# a message reserved by a worker that dies waits out the broker's visibility timeout (an hour) before another
# worker takes it.
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_DEFAULT_QUEUE", default="default")
# One queue per kind of work, so each kind scales with its own workers (README, "Growing past one machine"):
# file quality checks; delay alerts (sweep, outbox, digests, escalation); metric snapshots; documents (virus
# scan, text extraction); and the default queue for the rest (notification emails, the heartbeat, the deadline
# recompute sweep, charging housekeeping). Every task of the project is routed here by name
# (tests/test_celery_queues.py fails for one that is not), so none lands on a queue no worker reads; beat's
# entries go through the same routes. A worker started without -Q reads all of CELERY_TASK_QUEUES.
CELERY_QUEUE_NAMES: tuple[str, ...] = (CELERY_TASK_DEFAULT_QUEUE, "quality", "alerts", "metrics", "documents")
# Each queue with its own direct exchange and routing key (what Celery makes for a queue it has not been told
# of): a queue left to Celery's defaults would share the default queue's routing key and receive its messages.
CELERY_TASK_QUEUES = tuple(
    Queue(name, Exchange(name, type="direct"), routing_key=name)  # type: ignore[no-untyped-call]
    for name in CELERY_QUEUE_NAMES
)
_QUEUE_OF_TASK = {
    "accounts.tasks.record_worker_heartbeat": CELERY_TASK_DEFAULT_QUEUE,
    "accounts.tasks.send_notification_emails": CELERY_TASK_DEFAULT_QUEUE,
    "casework.tasks.recompute_open_deadlines": CELERY_TASK_DEFAULT_QUEUE,
    "charging.tasks.escalate_overdue_action_items": CELERY_TASK_DEFAULT_QUEUE,
    "charging.tasks.finalise_unanswered_action_plans": CELERY_TASK_DEFAULT_QUEUE,
    "files.tasks_quality.run_quality_checks": "quality",
    "files.tasks.scan_document_version": "documents",
    "files.tasks.extract_document_text": "documents",
    "alerts.tasks.sweep_alerts": "alerts",
    "alerts.tasks.deliver_due": "alerts",
    "alerts.tasks.escalate_unacknowledged": "alerts",
    "alerts.tasks.send_daily_digests": "alerts",
    "metrics.tasks.build_snapshots": "metrics",
    "metrics.tasks.recompute_recent": "metrics",
}
CELERY_TASK_ROUTES = {task: {"queue": queue} for task, queue in _QUEUE_OF_TASK.items()}
# Celery's Django fixup closes the database connection after every task unless this is set: a new PostgreSQL
# connection per task (and its cold first queries) made a one-query task twice as slow through a worker
# (benchmarks/quality_checks.py). Workers keep their connection as web processes do, by CONN_MAX_AGE and
# CONN_HEALTH_CHECKS (config/celery.py), and the fixup still replaces it after this many tasks.
CELERY_DB_REUSE_MAX = 1000
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BEAT_SCHEDULE = {
    "record-worker-heartbeat": {"task": "accounts.tasks.record_worker_heartbeat", "schedule": 60.0},
    "charging-escalate-overdue-actions": {
        "task": "charging.tasks.escalate_overdue_action_items",
        "schedule": 60.0 * 60,
    },
    "charging-finalise-unanswered-plans": {
        "task": "charging.tasks.finalise_unanswered_action_plans",
        "schedule": 60.0 * 60,
    },
    # Delay alerts: raise what is due (every 2 minutes), send the outbox (every minute; urgent alerts are
    # also sent as soon as they commit), escalate what nobody acknowledged, the daily digest, and the
    # periodic recomputation of stored deadlines (they are also recomputed whenever a case changes).
    "alerts-sweep": {"task": "alerts.tasks.sweep_alerts", "schedule": 120.0},
    "alerts-deliver": {"task": "alerts.tasks.deliver_due", "schedule": 60.0},
    "alerts-escalate": {"task": "alerts.tasks.escalate_unacknowledged", "schedule": 60.0 * 15},
    "alerts-daily-digest": {
        "task": "alerts.tasks.send_daily_digests",
        "schedule": crontab(minute=0, hour=env.int("ALERT_DIGEST_HOUR", default=7)),
    },
    "deadlines-recompute": {"task": "casework.tasks.recompute_open_deadlines", "schedule": 60.0 * 30},
    # Metrics: rebuild the daily snapshots of the days whose data changed, and just after midnight (Europe/London,
    # CELERY_TIMEZONE) mark yesterday and today so stock metrics roll over to the new day.
    "metrics-build-snapshots": {"task": "metrics.tasks.build_snapshots", "schedule": 120.0},
    "metrics-roll-over": {"task": "metrics.tasks.recompute_recent", "schedule": crontab(minute=5, hour=0)},
}
CELERY_TIMEZONE = TIME_ZONE

# REST API (DRF): session auth for the browser, hashed bearer tokens for other systems.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.api_auth.ApiTokenAuthentication",
        "accounts.api_auth.OtpSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {"anon": env("API_THROTTLE_ANON"), "user": env("API_THROTTLE_USER")},
    "EXCEPTION_HANDLER": "config.api_errors.exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Casebridge API",
    "DESCRIPTION": "The joint police and CPS case file API. Authenticate with `Authorization: Bearer <token>`; "
    "tokens are issued by an administrator with `manage.py issue_api_token USERNAME`.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    # Swagger UI served from our own static files (no CDN), its script as a file (CSP).
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
}
# Case material: "kind" is also the name of other choice fields in the API.
SPECTACULAR_SETTINGS.setdefault("ENUM_NAME_OVERRIDES", {})["DocumentKindEnum"] = "files.choices.DocumentKind"  # type: ignore[index]
# Charging: the test the police seek and the test the lawyer applied are the same Code tests.
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"]["TestSoughtEnum"] = "charging.choices.TestSought"  # type: ignore[index]
# Keeps the offence status's published name now that other inputs have a `status` too.
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"]["StatusEnum"] = "casework.choices.OffenceStatus"  # type: ignore[index]
# Metrics: a metric's owner and unit have their own names; an action plan item's owner keeps its published one.
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"]["OwnerEnum"] = "charging.choices.ActionItemOwner"  # type: ignore[index]
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"]["MetricOwnerEnum"] = "metrics.api.OWNER_VALUES"  # type: ignore[index]
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"]["MetricUnitEnum"] = "metrics.api.UNIT_VALUES"  # type: ignore[index]

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": env.str("REDIS_URL", default="redis://127.0.0.1:6379/1"),
    }
    if env.str("REDIS_URL", default="")
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}

# Row history (django-pghistory): only writes carry request context.
PGHISTORY_MIDDLEWARE_METHODS = ("POST", "PUT", "PATCH", "DELETE")
# An event row copies its row's foreign keys (without constraints). History is read by the row it is of (pgh_obj)
# and by its context (pgh_context), never by a copied key, so those are not indexed: an index each on every event
# table, maintained on every tracked write, was 600 MB at a million cases and a tenth of the national load's index
# builds. The object and context keys keep theirs.
PGHISTORY_FOREIGN_KEY_FIELD = pghistory.ForeignKey(db_index=False)
PGHISTORY_OBJ_FIELD = pghistory.ObjForeignKey(db_index=True)
PGHISTORY_CONTEXT_FIELD = pghistory.ContextForeignKey(db_index=True)

# Optional single sign-on (OIDC). With SSO, multi-factor belongs to the identity provider.
OIDC_ENABLED = bool(env("OIDC_RP_CLIENT_ID"))
if OIDC_ENABLED:
    INSTALLED_APPS.append("mozilla_django_oidc")
    AUTHENTICATION_BACKENDS.append("accounts.oidc.CasebridgeOIDCBackend")
    OIDC_RP_CLIENT_ID = env("OIDC_RP_CLIENT_ID")
    OIDC_RP_CLIENT_SECRET = env.str("OIDC_RP_CLIENT_SECRET")
    OIDC_RP_SIGN_ALGO = env.str("OIDC_RP_SIGN_ALGO", default="RS256")
    OIDC_OP_AUTHORIZATION_ENDPOINT = env.str("OIDC_OP_AUTHORIZATION_ENDPOINT")
    OIDC_OP_TOKEN_ENDPOINT = env.str("OIDC_OP_TOKEN_ENDPOINT")
    OIDC_OP_USER_ENDPOINT = env.str("OIDC_OP_USER_ENDPOINT")
    OIDC_OP_JWKS_ENDPOINT = env.str("OIDC_OP_JWKS_ENDPOINT", default="")
    OIDC_RP_SCOPES = "openid email"
    OIDC_CREATE_USER = False
    LOGIN_REDIRECT_URL_FAILURE = "/accounts/sign-in/"

# Logs: JSON lines, no personal data (see config/logging.py).
LOG_LEVEL: str = env("LOG_LEVEL")
LOG_JSON: bool = env("LOG_JSON")
from config.logging import build_logging  # noqa: E402

LOGGING = build_logging(level=LOG_LEVEL, json=LOG_JSON)
DJANGO_STRUCTLOG_IP_LOGGING_ENABLED = False
DJANGO_STRUCTLOG_USER_ID_FIELD = None

# Reference data (MoJ standing data), vendored under accounts/reference/data.
REFERENCE_DATA_DIR = BASE_DIR / "accounts" / "reference" / "data"
CSRF_FAILURE_VIEW = "accounts.views.pages.csrf_failure"

# Lockout is by username only: forces and CPS offices sit behind shared gateway addresses, so an
# IP-based lockout would lock out a whole station because of one person's mistakes.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
