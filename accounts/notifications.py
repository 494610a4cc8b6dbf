"""Telling people about things on their cases: an in-app notification, and an email sent by Celery once the
transaction that raised it has committed (a rolled-back change never sends mail).

Services call ``notify`` inside their transaction. Emails carry no case detail beyond the URN and what
happened (they leave the secure system); the link brings the reader back to Casebridge, where the case views
scope what they may see.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from config.counting import counts_up_to

from .models import Notification, User


def notify(
    *,
    recipients: Iterable[User | None],
    kind: str,
    subject: str,
    body: str = "",
    case_id: uuid.UUID | None = None,
    link: str = "",
    exclude: User | None = None,
) -> list[Notification]:
    """Create one notification per distinct active recipient (never the person who caused it) and queue
    their emails for after commit."""
    seen: set[int] = set()
    rows: list[Notification] = []
    for user in recipients:
        if user is None or not user.is_active or user.pk in seen:
            continue
        if exclude is not None and user.pk == exclude.pk:
            continue
        seen.add(user.pk)
        rows.append(
            Notification(recipient=user, kind=kind, subject=subject[:200], body=body, case_id=case_id, link=link)
        )
    created = Notification.objects.bulk_create(rows)
    ids = [n.pk for n in created]
    if ids:
        from .tasks import send_notification_emails

        # robust: the change has committed by now; a broker outage must cost the email, not turn the
        # committed change into an error page (and a second attempt at it).
        transaction.on_commit(lambda: send_notification_emails.delay(ids), robust=True)
    return created


# Newest first; the id makes the order total, so keyset pages never skip or repeat one
# (``notification_list_idx`` serves it).
LIST_ORDERING = ("-created_at", "-id")

# Unread notifications are counted up to this many and shown as "99+" beyond: the count is on every
# notifications page, so it reads a bounded handful of rows through the inbox index rather than counting
# a person's whole history.
UNREAD_SHOWN_UP_TO = 99


def notifications_for(*, user: User) -> QuerySet[Notification]:
    """The user's own notifications, newest first."""
    return Notification.objects.filter(recipient=user).order_by(*LIST_ORDERING)


def unread(*, user: User) -> QuerySet[Notification, int]:
    """The ids of the user's unread notifications, in the order of ``notification_inbox_idx``, so that a count
    bounded by a slice stops after that many rows of the index."""
    return (
        Notification.objects.filter(recipient=user, read_at__isnull=True)
        .order_by("-created_at")
        .values_list("pk", flat=True)
    )


def unread_count(*, user: User, up_to: int = UNREAD_SHOWN_UP_TO) -> int:
    """How many of the user's notifications are unread, counted up to ``up_to + 1`` at most: reading
    more would only ever be shown as "99+"."""
    if not user.is_authenticated:
        return 0
    return counts_up_to([unread(user=user)], up_to)[0]


def count_label(found: int, *, up_to: int = UNREAD_SHOWN_UP_TO) -> str:
    """A count as the navigation shows it: ``"3"``, ``"99+"`` above ``up_to``, or ``""`` for none."""
    if found > up_to:
        return f"{up_to}+"
    return str(found) if found else ""


def unread_label(*, user: User) -> str:
    """``"3"``, ``"99+"``, or ``""`` when nothing is unread."""
    return count_label(unread_count(user=user))


def mark_read(*, user: User, public_id: uuid.UUID | None = None) -> int:
    """Mark one of the user's notifications read (or all of them). Another user's id matches nothing."""
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if public_id is not None:
        qs = qs.filter(public_id=public_id)
    return qs.update(read_at=timezone.now())
