"""The case-changed hooks: how the rest of the service hears that a case's record changed, in the same
transaction (the deadline store recomputes, the metrics mark the days to rebuild, the file quality checks
re-run for draft files). Registered by those apps in ``AppConfig.ready()``; casework itself depends on none
of them. A pure module, so that the domain modules that are hooks (the deadline store) need not import the
services that call them."""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .models import Case

CASE_CHANGED_HOOKS: list[Callable[[Case], None]] = []

# The case whose creation the hooks are being told of (``notify_case_created``), else None.
_BEING_CREATED: ContextVar[int | None] = ContextVar("casework_case_being_created", default=None)


def _tell_hooks(case: Case, *, created: bool) -> None:
    # A change made by a hook while a case is created is an ordinary change: each telling sets its own state.
    token = _BEING_CREATED.set(case.pk if created else None)
    try:
        for hook in CASE_CHANGED_HOOKS:
            hook(case)
    finally:
        _BEING_CREATED.reset(token)


def notify_case_changed(case: Case) -> None:
    _tell_hooks(case, created=False)


def notify_case_created(case: Case) -> None:
    """The case-changed hooks, told that this change is the case's creation (``is_being_created``)."""
    _tell_hooks(case, created=True)


def is_being_created(case: Case) -> bool:
    """Whether a case-changed hook is being told of the case's creation. A case just created has nothing but
    its own row: no people, offences, custody, hearings, charging requests or decisions, material or deadlines,
    and no earlier version. So a hook need read none of those: creating cases one after another through the
    API costs each a dozen queries, not fifty."""
    return case.pk is not None and _BEING_CREATED.get() == case.pk
