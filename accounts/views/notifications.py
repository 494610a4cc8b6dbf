"""The signed-in user's own notifications (``/notifications/``): the list, opening one, marking all read.

Every read goes through ``accounts.notifications.notifications_for``, so another person's notification is a
404 like one that does not exist. Opening and marking read are POSTs: a link prefetched by a mail client or
a browser must not mark anything read.
"""

from __future__ import annotations

import uuid
from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from casework.identifiers import display_urn
from casework.selectors import case_list_visible_to
from config import keyset

from ..models import Notification, User
from ..notifications import LIST_ORDERING, mark_read, notifications_for, unread_label

PAGE_SIZE = 50
CURSOR_SALT = "accounts.notifications.cursor"
NOT_FOUND = "Notification not found"
ALL_READ = "All your notifications are marked as read"
LINK_REFUSED = "That notification's link does not lead to a page of Casebridge, so it was not followed"


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def safe_link(request: HttpRequest, link: str) -> str | None:
    """The notification's link if it is a path inside Casebridge, else ``None``. Notifications store paths
    (``Notification.link``); anything else (another host, a scheme, ``//host``, a backslash trick) would make
    the open button an open redirect, so it is never followed."""
    if not link.startswith("/") or link.startswith("//"):
        return None
    if not url_has_allowed_host_and_scheme(link, allowed_hosts={request.get_host()}, require_https=False):
        return None
    return link


@login_required
@require_GET
def notification_list(request: HttpRequest) -> HttpResponse:
    """The user's notifications, newest first, 50 to a page (keyset pages: previous and next, no page
    numbers, so years of notifications cost no more than a week's); unread ones carry an "Unread" tag."""
    user = _user(request)
    page = keyset.paginate(
        notifications_for(user=user),
        ordering=LIST_ORDERING,
        after=request.GET.get("after", ""),
        before=request.GET.get("before", ""),
        size=PAGE_SIZE,
        tag="notifications",
        salt=CURSOR_SALT,
    )
    notes: list[Notification] = page.rows
    # The case link only where the user can still see the case (scope may have changed since).
    case_ids = {n.case_id for n in notes if n.case_id is not None}
    urns = {
        public_id: display_urn(urn)
        for public_id, urn in case_list_visible_to(user=user)
        .filter(public_id__in=case_ids)
        .values_list("public_id", "urn")
    }
    rows = [
        {
            "note": note,
            "case_urn": urns.get(note.case_id) if note.case_id else None,
            "case_url": reverse("casework:case-detail", args=[note.case_id]) if note.case_id in urns else "",
        }
        for note in notes
    ]
    return render(
        request,
        "accounts/notifications.html",
        {
            "rows": rows,
            "unread": unread_label(user=user),
            **keyset.links(request, page),
        },
    )


@login_required
@require_POST
def notification_open(request: HttpRequest, notification_id: uuid.UUID) -> HttpResponse:
    """Mark one of the user's notifications read and go to what it is about (only a page of Casebridge)."""
    user = _user(request)
    note = notifications_for(user=user).filter(public_id=notification_id).first()
    if note is None:
        raise Http404(NOT_FOUND)
    mark_read(user=user, public_id=note.public_id)
    link = safe_link(request, note.link)
    if link is None:
        if note.link:
            messages.warning(request, LINK_REFUSED)
        return redirect("notifications:list")
    return redirect(link)


@login_required
@require_POST
def notification_read_all(request: HttpRequest) -> HttpResponse:
    mark_read(user=_user(request))
    messages.success(request, ALL_READ)
    return redirect("notifications:list")
