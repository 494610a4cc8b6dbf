"""The case's Deadlines tab: its stored deadlines (``casework.deadlines.store``), open ones soonest first
with a countdown in words, and the closed ones apart."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from ..choices import DeadlineStatus
from ..deadlines.calendar import LONDON
from ..deadlines.store import case_deadlines
from ..models import Deadline
from ..selectors import case_get_visible_to
from ._common import case_context, current_user

SOON_HOURS = 7 * 24


def _amount(seconds: float) -> str:
    minutes = int(seconds // 60)
    hours, days = minutes // 60, minutes // (60 * 24)
    if days >= 1:
        return f"{days} day" + ("s" if days != 1 else "")
    if hours >= 1:
        return f"{hours} hour" + ("s" if hours != 1 else "")
    minutes = max(minutes, 1)
    return f"{minutes} minute" + ("s" if minutes != 1 else "")


def countdown(due_at: datetime, now: datetime) -> str:
    """How long is left, in words: "in 3 days", "in 5 hours", "overdue by 2 days" (whole units, rounded down)."""
    seconds = (due_at - now).total_seconds()
    if seconds < 0:
        return f"overdue by {_amount(-seconds)}"
    return f"in {_amount(seconds)}"


@dataclass(frozen=True)
class DeadlineRow:
    deadline: Deadline
    due_local: datetime
    countdown: str
    tag_class: str
    subject: str


def _subject(deadline: Deadline) -> str:
    parts = []
    if deadline.suspect is not None:
        parts.append(deadline.suspect.full_name)
    if deadline.offence is not None:
        parts.append(f"{deadline.offence.offence_code.title} ({deadline.offence.code_with_qualifier})")
    return ", ".join(parts) or "The case"


def _row(deadline: Deadline, now: datetime) -> DeadlineRow:
    left = (deadline.due_at - now).total_seconds()
    if deadline.status != DeadlineStatus.OPEN:
        tag = "govuk-tag--green" if deadline.status == DeadlineStatus.MET else "govuk-tag--grey"
    elif left < 0:
        tag = "govuk-tag--red"
    elif left < SOON_HOURS * 3600:
        tag = "govuk-tag--orange"
    else:
        tag = "govuk-tag--blue"
    return DeadlineRow(
        deadline, deadline.due_at.astimezone(LONDON), countdown(deadline.due_at, now), tag, _subject(deadline)
    )


@login_required
def case_deadlines_page(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    user = current_user(request)
    case = case_get_visible_to(user=user, public_id=case_id)
    now = timezone.now()
    rows = [_row(d, now) for d in case_deadlines(case=case)]
    context = case_context(case, user, "deadlines")
    context.update(
        open_rows=[r for r in rows if r.deadline.status == DeadlineStatus.OPEN],
        closed_rows=sorted(
            (r for r in rows if r.deadline.status != DeadlineStatus.OPEN),
            key=lambda r: (r.deadline.due_at, r.deadline.pk),
            reverse=True,
        ),
    )
    return render(request, "casework/case_deadlines.html", context)
