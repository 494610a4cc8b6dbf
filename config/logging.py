"""Structured JSON logs. Personal data never goes in a log line: no names, no IP addresses,
no usernames; a user appears only as their opaque public id."""

from __future__ import annotations

from typing import Any

import structlog

# Keys that django-structlog or a careless call might add and that can identify a person.
PERSONAL_KEYS = frozenset({"ip", "username", "user_email", "email", "name", "remote_addr", "user"})


def drop_personal_data(_logger: Any, _method: str, event_dict: dict[str, Any]) -> dict[str, Any]:
    for key in PERSONAL_KEYS & event_dict.keys():
        del event_dict[key]
    return event_dict


def build_logging(*, level: str, json: bool) -> dict[str, Any]:
    shared: list[Any] = [
        structlog.contextvars.merge_contextvars,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        structlog.stdlib.add_logger_name,
        structlog.stdlib.add_log_level,
        drop_personal_data,
    ]
    structlog.configure(
        processors=[
            *shared,
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        cache_logger_on_first_use=True,
    )
    renderer = structlog.processors.JSONRenderer() if json else structlog.dev.ConsoleRenderer(colors=False)
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "structured": {
                "()": structlog.stdlib.ProcessorFormatter,
                "processors": [structlog.stdlib.ProcessorFormatter.remove_processors_meta, renderer],
                "foreign_pre_chain": shared,
            },
        },
        "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "structured"}},
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            "django.server": {"level": "WARNING"},
            "django_structlog": {"level": level},
        },
    }
