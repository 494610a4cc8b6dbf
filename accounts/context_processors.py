from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpRequest

from alerts.selectors import COUNT_SHOWN_UP_TO, unacknowledged
from config.counting import counts_up_to

from .navigation import navigation_for, navigation_html, url_of
from .notifications import UNREAD_SHOWN_UP_TO, count_label, unread

# The navigation shows at most "99+ unread" and "99+ unacknowledged": this runs on every page, so it reads a bounded
# handful of rows through each inbox index rather than counting the user's whole history, and both counts in one
# query (accounts.notifications.unread, alerts.selectors.unacknowledged).
SHOWN_UP_TO = min(UNREAD_SHOWN_UP_TO, COUNT_SHOWN_UP_TO)


def service(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"service_name": settings.SERVICE_NAME, "navigation": [], "navigation_html": ""}
    navigation = navigation_for(user, request.path)
    # Each count rides on its entry, so only people who have that entry pay for it.
    inbox, alerts = url_of("notifications:list"), url_of("alerts:alert-list")
    counted: dict[str, tuple[dict[str, Any], QuerySet[Any, int]]] = {}
    for item in navigation:
        if item["url"] == inbox:
            counted["unread"] = (item, unread(user=user))
        elif item["url"] == alerts:
            counted["alerts"] = (item, unacknowledged(user=user))
    found = dict(zip(counted, counts_up_to([qs for _item, qs in counted.values()], SHOWN_UP_TO), strict=True))
    if "unread" in found:
        counted["unread"][0]["unread"] = count_label(found["unread"], up_to=SHOWN_UP_TO)
    if waiting := count_label(found.get("alerts", 0), up_to=SHOWN_UP_TO):
        item = counted["alerts"][0]
        item["label"] = f"{item['label']} ({waiting} unacknowledged)"
    return {
        "service_name": settings.SERVICE_NAME,
        "navigation": navigation,
        "navigation_html": navigation_html(navigation),
    }
