"""Reading a case's stored deadlines."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet

from ...models import Case, Deadline

# -- reads ----------------------------------------------------------------------------------------


def case_deadlines(*, case: Case, statuses: Iterable[str] | None = None) -> QuerySet[Deadline]:
    """The stored deadlines of a case the caller obtained through a scoped selector, soonest first, with
    their suspect and offence."""
    rows = Deadline.objects.filter(case=case).select_related("suspect", "offence__offence_code")
    if statuses is not None:
        rows = rows.filter(status__in=list(statuses))
    return rows.order_by("due_at", "id")
