"""The current request's id and client address, for audit rows written deep inside services.

Set by ``RequestIdMiddleware``; a Celery task has none, so its audit rows carry the task's own id.
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestContext:
    request_id: str = ""
    ip_address: str | None = None


_current: ContextVar[RequestContext] = ContextVar("casebridge_request_context", default=RequestContext())  # noqa: B039 - frozen dataclass


def current() -> RequestContext:
    return _current.get()


def set_current(context: RequestContext) -> object:
    return _current.set(context)


def reset(token: object) -> None:
    _current.reset(token)  # type: ignore[arg-type]
