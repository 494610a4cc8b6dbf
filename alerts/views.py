"""The signed-in person's delay alerts (``/alerts/``): the inbox, one alert with its acknowledgement form,
acknowledging, dismissing and marking read.

Every read goes through ``alerts.selectors`` (the person's own alerts, on cases they may still see), so
another person's alert, or one of a case out of scope, is a 404 like one that does not exist. Every change is
a POST to a service in ``alerts.services_ack``: a link prefetched by a mail client must not change anything.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from accounts.models import User
from casework.choices import DeadlineStatus
from casework.forms import checkboxes, text
from config import keyset

from . import services_ack
from .models import Alert
from .selectors import INBOX_ORDERING, AlertFilters, alert_get_for, alerts_for, threshold_in_words

PAGE_SIZE = 25
CURSOR_SALT = "alerts.inbox.cursor"
ACKNOWLEDGED = "Alert acknowledged"
DISMISSED = "Alert dismissed"

SHOW_CHOICES = [
    ("unacknowledged", "Only alerts not yet acknowledged"),
    ("urgent", "Only urgent alerts"),
    ("dismissed", "Include dismissed alerts"),
]


class AlertFilterForm(forms.Form):
    show = checkboxes(SHOW_CHOICES, label="Show", small=True)

    def filters(self) -> AlertFilters:
        show = set(self.cleaned_data.get("show") or ())
        return AlertFilters(
            unacknowledged="unacknowledged" in show, urgent="urgent" in show, include_dismissed="dismissed" in show
        )


class AcknowledgeForm(forms.Form):
    note = text(
        "Note",
        textarea=True,
        required_message=services_ack.NOTE_REQUIRED,
        max_length=services_ack.NOTE_MAX_LENGTH,
        help_text="Say what has been done, or will be done and by when, about this deadline",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["note"].error_messages["max_length"] = services_ack.NOTE_TOO_LONG


@dataclass(frozen=True)
class Tag:
    label: str
    css: str


def tags_for(alert: Alert) -> list[Tag]:
    """What state the alert is in, in words (never colour alone)."""
    tags = []
    if alert.urgent:
        tags.append(Tag("Urgent", "govuk-tag--red"))
    if alert.acknowledged_at is not None:
        tags.append(Tag("Acknowledged", "govuk-tag--green"))
    elif alert.requires_acknowledgement:
        tags.append(Tag("Needs acknowledgement", "govuk-tag--orange"))
    elif alert.read_at is None:
        tags.append(Tag("Unread", "govuk-tag--blue"))
    if alert.dismissed_at is not None:
        tags.append(Tag("Dismissed", "govuk-tag--grey"))
    return tags


def _row(alert: Alert) -> dict[str, Any]:
    deadline = alert.deadline
    return {
        "alert": alert,
        "urn": deadline.case.urn_display,
        "deadlines_url": reverse("casework:case-deadlines", args=[deadline.case.public_id]),
        "when": threshold_in_words(alert.threshold),
        "tags": tags_for(alert),
        "deadline_closed": "" if deadline.status == DeadlineStatus.OPEN else deadline.get_status_display(),
    }


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


@login_required
@require_GET
def alert_list(request: HttpRequest) -> HttpResponse:
    """The person's alerts: those waiting for acknowledgement first, then newest first, 25 to a page. Pages
    are keyset pages (previous and next, no page numbers): a manager's years of escalations cost no more to
    page through than a week's."""
    form = AlertFilterForm(request.GET)
    valid = form.is_valid()
    filters = form.filters() if valid else AlertFilters()
    page = keyset.paginate(
        alerts_for(user=_user(request), filters=filters),
        ordering=INBOX_ORDERING,
        after=request.GET.get("after", ""),
        before=request.GET.get("before", ""),
        size=PAGE_SIZE,
        tag="inbox",
        salt=CURSOR_SALT,
    )
    context = {
        "form": form,
        "rows": [_row(alert) for alert in page.rows],
        "filtered": filters != AlertFilters(),
        **keyset.links(request, page),
    }
    return render(request, "alerts/inbox.html", context, status=200 if valid else 400)


def _detail(
    request: HttpRequest,
    alert: Alert,
    *,
    form: AcknowledgeForm | None = None,
    action_errors: list[str] | None = None,
) -> HttpResponse:
    acknowledging = alert.acknowledged_at is None
    context = {
        "row": _row(alert),
        "alert": alert,
        "form": (form or AcknowledgeForm()) if acknowledging else None,
        "action_errors": action_errors or [],
        "can_dismiss": alert.dismissed_at is None and not (alert.requires_acknowledgement and acknowledging),
    }
    failed = bool(action_errors) or bool(form is not None and form.errors)
    return render(request, "alerts/alert_detail.html", context, status=400 if failed else 200)


@login_required
@require_GET
def alert_detail(request: HttpRequest, alert_id: uuid.UUID) -> HttpResponse:
    return _detail(request, alert_get_for(user=_user(request), public_id=alert_id))


@login_required
@require_POST
def alert_acknowledge(request: HttpRequest, alert_id: uuid.UUID) -> HttpResponse:
    user = _user(request)
    alert = alert_get_for(user=user, public_id=alert_id)
    form = AcknowledgeForm(request.POST)
    if form.is_valid():
        try:
            services_ack.acknowledge(alert, by=user, note=form.cleaned_data["note"])
        except ValidationError as exc:
            if not hasattr(exc, "error_dict"):
                return _detail(request, alert, action_errors=exc.messages)
            for field, errors in exc.message_dict.items():
                for message in errors:
                    form.add_error(field if field in form.fields else None, message)
        else:
            messages.success(request, ACKNOWLEDGED)
            return redirect("alerts:alert-list")
    return _detail(request, alert, form=form)


@login_required
@require_POST
def alert_dismiss(request: HttpRequest, alert_id: uuid.UUID) -> HttpResponse:
    user = _user(request)
    alert = alert_get_for(user=user, public_id=alert_id)
    try:
        services_ack.dismiss(alert, by=user)
    except ValidationError as exc:
        return _detail(request, alert, action_errors=exc.messages)
    messages.success(request, DISMISSED)
    return redirect("alerts:alert-list")


@login_required
@require_POST
def alert_read(request: HttpRequest, alert_id: uuid.UUID) -> HttpResponse:
    user = _user(request)
    services_ack.mark_read(alert_get_for(user=user, public_id=alert_id), by=user)
    return redirect("alerts:alert-detail", alert_id=alert_id)
