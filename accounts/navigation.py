"""The service navigation, by role. Later features add their entries here, in one place."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe


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


def url_of(url_name: str) -> str:
    """``reverse(url_name)``, worked out once for each URLconf and script prefix: every page's navigation needs
    the same handful of URLs, and reversing them took longer than the rest of the navigation together."""
    return _reversed(url_name, settings.ROOT_URLCONF, get_urlconf(), get_script_prefix())


@functools.lru_cache(maxsize=256)
def _reversed(url_name: str, root_urlconf: str, urlconf: str | None, prefix: str) -> str:
    return reverse(url_name, urlconf=urlconf)


def navigation_for(user: Any, path: str) -> list[dict[str, Any]]:
    items = []
    for entry in ENTRIES:
        if not entry.visible(user):
            continue
        url = url_of(entry.url_name)
        active = path == url if url == "/" else path.startswith(url)
        items.append({"label": entry.label, "url": url, "active": active})
    return items


_ITEM = (
    '\n            <li class="govuk-service-navigation__item{item_class}">\n'
    '              <a class="govuk-service-navigation__link" href="{url}"{current}>{label}{unread}</a>\n'
    "            </li>\n            "
)
_ACTIVE_LABEL = '<strong class="govuk-service-navigation__active-fallback">{}</strong>'
_UNREAD = ' <span data-testid="unread-count">({} unread)</span>'


def navigation_html(items: list[dict[str, Any]]) -> SafeString:
    """The items of the service navigation (``base.html``), written here rather than by a loop in the template: the
    loop was a fifth of the cost of a page's layout. ``tests/web/test_navigation_markup.py`` holds this to the
    markup the template loop wrote."""
    out = []
    for item in items:
        active = item.get("active")
        label = conditional_escape(item.get("label", ""))
        unread = item.get("unread")
        out.append(
            _ITEM.format(
                item_class=" govuk-service-navigation__item--active" if active else "",
                url=conditional_escape(item.get("url", "")),
                current=' aria-current="page"' if active else "",
                label=_ACTIVE_LABEL.format(label) if active else label,
                unread=_UNREAD.format(conditional_escape(unread)) if unread else "",
            )
        )
    return mark_safe("".join(out))  # noqa: S308 - every value above is escaped
