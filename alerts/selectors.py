"""Scoped reads of delay alerts: a person sees only their own alerts, and only those of cases they may still
see (``accounts.access``). An alert of a case that has left their scope (a transfer, a change of role) is
hidden like one that does not exist, in pages, in the API and in the header count."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet
from django.http import Http404

from accounts.access import case_scope_for
from accounts.models import User
from accounts.notifications import count_label
from config.counting import counts_up_to

from .models import Alert

ALERT_NOT_FOUND = "No alert found."

# The header shows at most "99+": it is on every page, so it reads a bounded handful of rows through the
# inbox index rather than counting a person's whole history.
COUNT_SHOWN_UP_TO = 99

# The inbox order: alerts still waiting for acknowledgement first, then newest first; the id makes it total,
# so keyset pages never skip or repeat an alert.
INBOX_ORDERING = ("-waiting", "-created_at", "-id")

ESCALATED_PREFIX = "escalated:"
_BEFORE = re.compile(r"^T-(?P<amount>\d+)(?P<unit>wd|d|h)$")
_UNITS = {"d": ("day", "days"), "wd": ("working day", "working days"), "h": ("hour", "hours")}


@dataclass(frozen=True)
class AlertFilters:
    unacknowledged: bool = False
    urgent: bool = False
    case_id: uuid.UUID | None = None
    # Dismissed alerts are out of the default inbox; the person can still ask for them.
    include_dismissed: bool = False


def alerts_for(*, user: User, filters: AlertFilters | None = None) -> QuerySet[Alert]:
    """The user's own alerts on cases they may see: those needing acknowledgement first, then newest first."""
    filters = filters or AlertFilters()
    alerts = (
        Alert.objects.filter(recipient_id=user.pk)
        .filter(case_scope_for(user).as_q(prefix="deadline__case__"))
        .select_related("deadline", "deadline__case")
    )
    if filters.unacknowledged:
        alerts = alerts.filter(acknowledged_at__isnull=True)
    if filters.urgent:
        alerts = alerts.filter(urgent=True)
    if filters.case_id is not None:
        alerts = alerts.filter(case_id=filters.case_id)
    if not filters.include_dismissed:
        alerts = alerts.filter(dismissed_at__isnull=True)
    return alerts.annotate(waiting=waiting_expression()).order_by(*INBOX_ORDERING)


def waiting_expression() -> ExpressionWrapper[Q]:
    """True while the alert waits for the person (not acknowledged): the inbox's first sort key, and the
    second column of ``alert_inbox_order_idx``, which the inbox pages are read through."""
    return ExpressionWrapper(Q(acknowledged_at__isnull=True), output_field=BooleanField())


def alert_get_for(*, user: User, public_id: uuid.UUID | str) -> Alert:
    """One of the user's alerts on a case they may see (dismissed ones too), or 404 — the same answer for
    another person's alert, an alert of a case out of scope, and one that does not exist."""
    try:
        return alerts_for(user=user, filters=AlertFilters(include_dismissed=True)).get(public_id=public_id)
    except (Alert.DoesNotExist, ValueError, ValidationError) as exc:
        raise Http404(ALERT_NOT_FOUND) from exc


def unacknowledged(*, user: User) -> QuerySet[Alert, int]:
    """The ids of the user's alerts that still wait for them (not acknowledged, not dismissed), in the order of
    ``alert_inbox_idx``: a count bounded by a slice stops after that many rows. Unordered, PostgreSQL reads every
    waiting alert first (a bitmap scan), thousands for a manager told of a force's escalations."""
    return (
        Alert.objects.filter(recipient_id=user.pk, acknowledged_at__isnull=True, dismissed_at__isnull=True)
        .filter(case_scope_for(user).as_q(prefix="deadline__case__"))
        .order_by("-created_at")
        .values_list("pk", flat=True)
    )


def unacknowledged_count(*, user: User, up_to: int = COUNT_SHOWN_UP_TO) -> int:
    """How many of the user's alerts still wait for them, counted up to ``up_to + 1`` at most: reading more would
    only ever be shown as "99+"."""
    if not user.is_authenticated:
        return 0
    return counts_up_to([unacknowledged(user=user)], up_to)[0]


def unacknowledged_label(*, user: User) -> str:
    """``"3"``, ``"99+"``, or ``""`` when nothing waits."""
    return count_label(unacknowledged_count(user=user), up_to=COUNT_SHOWN_UP_TO)


def threshold_in_words(threshold: str) -> str:
    """The alert point as people say it: ``T-14d`` → "14 days before", ``T-2wd`` → "2 working days before",
    ``T-2h`` → "2 hours before", ``overdue`` → "Overdue"; an escalated copy → "Escalated to you (overdue)"."""
    if threshold.startswith(ESCALATED_PREFIX):
        original = threshold.removeprefix(ESCALATED_PREFIX)
        return f"Escalated to you ({_point_in_words(original).lower()})" if original else "Escalated to you"
    return _point_in_words(threshold)


def _point_in_words(threshold: str) -> str:
    if threshold == "overdue":
        return "Overdue"
    match = _BEFORE.match(threshold)
    if match is None:
        return threshold
    amount = int(match["amount"])
    one, many = _UNITS[match["unit"]]
    return f"{amount} {one if amount == 1 else many} before"
