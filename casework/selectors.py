"""Scoped reads of cases. Every list and detail read goes through here (see ``accounts.access``)."""

from __future__ import annotations

import uuid

from django.db.models import QuerySet
from django.http import Http404

from accounts.access import case_scope_for
from accounts.models import User

from .models import Case


def case_list_visible_to(*, user: User) -> QuerySet[Case]:
    return Case.objects.filter(case_scope_for(user).as_q()).select_related(
        "force", "unit", "cps_area", "officer_in_case"
    )


def case_get_visible_to(*, user: User, public_id: uuid.UUID | str) -> Case:
    """The case, or 404 — the same answer whether it does not exist or is outside the user's scope."""
    try:
        return case_list_visible_to(user=user).get(public_id=public_id)
    except (Case.DoesNotExist, ValueError) as exc:
        raise Http404("No case found.") from exc
