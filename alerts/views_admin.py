"""The "Undelivered alerts" page for system administrators: alert emails that failed, have no address to go
to, or are waiting to be retried, with every attempt and its error, and a "Retry now" button.

Anyone else gets the same 404 as a page that does not exist (the page's existence is not advertised). The
page shows what the email would carry (the alert's subject: a URN and what is due) and the recipient, not
case material.

The list is read a page at a time by position (previous and next, no page numbers), and counted only up to
1,000: an administrator needs to know whether a handful of emails failed or the mail server has been refusing
them all (then "more than 1,000" says so), not the exact size of an outage, and the page must not count
every undelivered email each time it is opened, nor skip one when a retry moves another off the list.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import ValidationError
from django.db.models import F, Q, QuerySet, Subquery
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from accounts.models import User
from config import keyset

from . import delivery as d
from .models import AlertDelivery

PAGE_SIZE = 50
# Counted up to here; past it the page says "more than 1,000" (see the module docstring).
COUNT_LIMIT = 1000
CURSOR_SALT = "alerts.undelivered.cursor"
PAGE_NOT_FOUND = "Page not found"
RETRY_QUEUED = "The alert email to {user} will be sent again now."


def _system_administrator(request: HttpRequest) -> User:
    user = cast(User, request.user)
    if not user.is_system_administrator:
        raise Http404(PAGE_NOT_FOUND)
    return user


@dataclass(frozen=True)
class _Position:
    """Where a page starts or ends: the delivery's place in the order (how it gave up, when it was created) and
    the alert and channel that identify it (no sequential id goes into a link)."""

    gave_up: int
    created_at: datetime
    alert_id: uuid.UUID
    channel: str


def _cursor(row: AlertDelivery) -> str:
    payload = [row.gave_up, row.created_at.isoformat(), str(row.alert.public_id), row.channel]  # type: ignore[attr-defined]
    return signing.dumps(payload, salt=CURSOR_SALT, compress=True)


def _position(token: str) -> _Position | None:
    """The position a link carries; a tampered or stale one is no position (the first page)."""
    try:
        gave_up, created_at, alert_id, channel = signing.loads(token, salt=CURSOR_SALT)
        return _Position(int(gave_up), datetime.fromisoformat(created_at), uuid.UUID(alert_id), str(channel))
    except (signing.BadSignature, TypeError, ValueError):
        return None


def _beyond(position: _Position, *, forwards: bool) -> Q:
    """The deliveries after ``position`` in the list's order (before it, going back)."""
    tie = Subquery(
        AlertDelivery.objects.filter(alert__public_id=position.alert_id, channel=position.channel)
        .order_by()
        .values("id")[:1]
    )
    later = "gt" if forwards else "lt"
    return (
        Q(**{f"gave_up__{later}": position.gave_up})
        | Q(gave_up=position.gave_up, **{f"created_at__{later}": position.created_at})
        | Q(gave_up=position.gave_up, created_at=position.created_at, **{f"id__{later}": tie})
    )


def _page(rows: QuerySet[AlertDelivery], after: str, before: str) -> keyset.KeysetPage[AlertDelivery]:
    """One page of ``rows`` (annotated with ``gave_up``) in the list's order, and its neighbours' cursors."""
    ordering = (F("gave_up"), F("created_at"), F("id"))
    back = _position(before) if before else None
    if back is not None:
        backwards = rows.filter(_beyond(back, forwards=False)).order_by(*(term.desc() for term in ordering))
        found = list(backwards[: PAGE_SIZE + 1])
        page = found[:PAGE_SIZE][::-1]
        if page:
            return keyset.KeysetPage(page, _cursor(page[-1]), _cursor(page[0]) if len(found) > PAGE_SIZE else None)
    ahead = _position(after) if after and back is None else None
    forwards = rows.filter(_beyond(ahead, forwards=True)) if ahead is not None else rows
    found = list(forwards.order_by(*(term.asc() for term in ordering))[: PAGE_SIZE + 1])
    if ahead is not None and not found:
        # Everything after the position was sent or retried away since the link was made: start from the top.
        return _page(rows, "", "")
    page = found[:PAGE_SIZE]
    return keyset.KeysetPage(
        page,
        _cursor(page[-1]) if len(found) > PAGE_SIZE else None,
        _cursor(page[0]) if ahead is not None and page else None,
    )


@login_required
@require_GET
def undelivered_list(request: HttpRequest) -> HttpResponse:
    _system_administrator(request)
    rows = d.undelivered_list().annotate(gave_up=d.GAVE_UP_FIRST)
    page = _page(rows, request.GET.get("after", ""), request.GET.get("before", ""))
    counted = d.undelivered_list().order_by().values("pk")[: COUNT_LIMIT + 1].count()
    return render(
        request,
        "alerts/undelivered.html",
        {
            "deliveries": page.rows,
            "count": min(counted, COUNT_LIMIT),
            "count_text": f"{min(counted, COUNT_LIMIT):,}",
            "more_than_count": counted > COUNT_LIMIT,
            "max_attempts": settings.ALERT_DELIVERY_MAX_ATTEMPTS,
            **keyset.links(request, page),
        },
    )


@login_required
@require_POST
def delivery_retry(request: HttpRequest, alert_id: uuid.UUID, channel: str) -> HttpResponse:
    user = _system_administrator(request)
    delivery = d.undelivered_get(alert_id=alert_id, channel=channel)
    try:
        d.delivery_retry(delivery=delivery, by=user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, RETRY_QUEUED.format(user=delivery.alert.recipient.username))
    return redirect("alerts_admin:undelivered-list")
