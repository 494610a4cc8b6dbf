from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

from alerts.selectors import unacknowledged_label

from .models import User
from .navigation import navigation_for
from .notifications import notifications_for

# The navigation shows at most "99+ unread": this runs on every page, so it reads a bounded handful of rows
# through the inbox index rather than counting the user's whole history.
UNREAD_SHOWN_UP_TO = 99


def unread_label(user: User) -> str:
    """``"3"``, ``"99+"``, or ``""`` when nothing is unread."""
    unread = notifications_for(user=user).filter(read_at__isnull=True).values_list("pk", flat=True)
    found = len(unread[: UNREAD_SHOWN_UP_TO + 1])
    if found > UNREAD_SHOWN_UP_TO:
        return f"{UNREAD_SHOWN_UP_TO}+"
    return str(found) if found else ""


def service(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"service_name": settings.SERVICE_NAME, "navigation": []}
    navigation = navigation_for(user, request.path)
    # The unread count rides on the Notifications entry, so only people who have that entry pay for it.
    inbox = reverse("notifications:list")
    alerts = reverse("alerts:alert-list")
    for item in navigation:
        if item["url"] == inbox:
            item["unread"] = unread_label(user)
        elif item["url"] == alerts:
            # Bounded like the unread count (alerts.selectors.unacknowledged_count).
            waiting = unacknowledged_label(user=user)
            if waiting:
                item["label"] = f"{item['label']} ({waiting} unacknowledged)"
    return {"service_name": settings.SERVICE_NAME, "navigation": navigation}
