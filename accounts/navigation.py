"""The service navigation, by role. Later features add their entries here, in one place."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse


@dataclass(frozen=True)
class NavEntry:
    label: str
    url_name: str
    visible: Callable[[Any], bool]


ENTRIES: list[NavEntry] = [
    NavEntry("Home", "home", lambda user: True),
    NavEntry("Cases", "casework:case-list", lambda user: user.is_police or user.is_cps),
    NavEntry("Charging queue", "charging:queue", lambda user: user.is_cps),
    NavEntry("Notifications", "notifications:list", lambda user: user.is_police or user.is_cps),
    NavEntry("Alerts", "alerts:alert-list", lambda user: user.is_police or user.is_cps),
    # Managers see the joint dashboard there; officers and lawyers see their own work.
    NavEntry("Performance", "metrics:dashboard", lambda user: user.is_police or user.is_cps),
    NavEntry("Your account", "accounts:account", lambda user: True),
    NavEntry("Administration", "admin:index", lambda user: user.is_system_administrator and user.is_staff),
]


def navigation_for(user: Any, path: str) -> list[dict[str, Any]]:
    items = []
    for entry in ENTRIES:
        if not entry.visible(user):
            continue
        url = reverse(entry.url_name)
        active = path == url if url == "/" else path.startswith(url)
        items.append({"label": entry.label, "url": url, "active": active})
    return items
