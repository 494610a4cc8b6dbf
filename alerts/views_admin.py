"""The "Undelivered alerts" page for system administrators: alert emails that failed, have no address to go
to, or are waiting to be retried, with every attempt and its error, and a "Retry now" button.

Anyone else gets the same 404 as a page that does not exist (the page's existence is not advertised). The
page shows what the email would carry (the alert's subject: a URN and what is due) and the recipient, not
case material.
"""

from __future__ import annotations

import uuid
from typing import cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from accounts.models import User

from . import delivery as d

PAGE_SIZE = 50
PAGE_NOT_FOUND = "Page not found"
RETRY_QUEUED = "The alert email to {user} will be sent again now."


def _system_administrator(request: HttpRequest) -> User:
    user = cast(User, request.user)
    if not user.is_system_administrator:
        raise Http404(PAGE_NOT_FOUND)
    return user


@login_required
@require_GET
def undelivered_list(request: HttpRequest) -> HttpResponse:
    _system_administrator(request)
    page = Paginator(d.undelivered_list(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "alerts/undelivered.html",
        {"page": page, "deliveries": list(page.object_list), "max_attempts": settings.ALERT_DELIVERY_MAX_ATTEMPTS},
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
