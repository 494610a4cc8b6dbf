"""The service navigation's items are written in Python (``accounts.navigation.navigation_html``) for speed: they
must be exactly what the template loop they replaced in ``base.html`` wrote, escaping included, whatever the items
hold."""

from __future__ import annotations

from typing import Any

from django.template import Context, Template
from django.utils.safestring import mark_safe

from accounts.navigation import navigation_html

# The loop as it stood in templates/base.html.
TEMPLATE_LOOP = Template(
    """{% for item in navigation %}
            <li class="govuk-service-navigation__item{% if item.active %} govuk-service-navigation__item--active{% endif %}">
              <a class="govuk-service-navigation__link" href="{{ item.url }}"{% if item.active %} aria-current="page"{% endif %}>{% if item.active %}<strong class="govuk-service-navigation__active-fallback">{{ item.label }}</strong>{% else %}{{ item.label }}{% endif %}{% if item.unread %} <span data-testid="unread-count">({{ item.unread }} unread)</span>{% endif %}</a>
            </li>
            {% endfor %}"""  # noqa: E501
)


def test_items_are_the_markup_the_template_wrote_for_ordinary_and_hostile_values() -> None:
    items: list[dict[str, Any]] = [
        {"label": "Home", "url": "/", "active": False},
        {"label": "Cases", "url": "/cases/", "active": True},
        {"label": "Notifications", "url": "/notifications/", "active": False, "unread": "99+"},
        {"label": "Notifications", "url": "/notifications/", "active": True, "unread": "3"},
        {"label": "Notifications", "url": "/notifications/", "active": False, "unread": ""},
        {"label": "Alerts (12 unacknowledged)", "url": "/alerts/", "active": False},
        {"label": 'O\'Brien & <b>"Sons"</b> — café', "url": '/x/?a=1&b="2"', "active": True, "unread": "<i>"},
        {"label": mark_safe("<em>safe</em>"), "url": "/y/", "active": False},
    ]
    assert navigation_html(items) == TEMPLATE_LOOP.render(Context({"navigation": items}))


def test_no_items_write_nothing() -> None:
    assert navigation_html([]) == TEMPLATE_LOOP.render(Context({"navigation": []})) == ""
