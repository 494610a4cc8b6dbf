"""The periodic sweep (``recompute_open_deadlines``, Celery beat): recomputes the cases whose deadlines
only the passing of time changes, and cycles through every case still open for facts changed without a hook.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from ...choices import DeadlineKind
from ...models import Case, Deadline
from .common import CLOSED_CASE_STATUSES, OPEN
from .recompute import recompute_case_deadlines

# The alert cursor of a (re)computed deadline starts at the first alert point after "now"; a point at
# "now" itself counts as not yet passed.
JUST_BEFORE = timedelta(microseconds=1)

CURSOR_KEY = "casework:deadlines:recompute-cursor"
DUE_CURSOR_KEY = "casework:deadlines:due-cursor"
# Deadlines whose passing changes what the facts give, with no change to the facts.
TIME_DRIVEN = (DeadlineKind.PACE_REVIEW, DeadlineKind.RUI_AGEING, DeadlineKind.VICTIM_RIGHT_TO_REVIEW)
DEFAULT_SWEEP_BATCH = 500


# -- the periodic sweep ---------------------------------------------------------------------------


def sweep_candidates() -> QuerySet[Case]:
    """Cases whose deadlines can still change with time: those not closed, and closed ones that still
    have an open deadline (a victim's right to review after no further action)."""
    open_deadline = Deadline.objects.filter(case=OuterRef("pk"), status=OPEN)
    return Case.objects.filter(~Q(status__in=CLOSED_CASE_STATUSES) | Exists(open_deadline))


def _recompute_unless_held(pk: int, now: datetime | None) -> bool:
    with transaction.atomic():
        case = Case.objects.select_for_update(skip_locked=True).filter(pk=pk).first()
        if case is None:
            return False
        recompute_case_deadlines(case, now=now)
        return True


def recompute_open_deadlines(*, now: datetime | None = None, batch_size: int | None = None) -> int:
    """The periodic sweep, in two set-based passes over at most ``batch_size`` cases each:

    1. cases with a deadline that only time moves on (the next PACE review, the next RUI review point, the
       end of a victim's right-to-review period) whose due time has come since the last sweep, from a
       due-time cursor kept in the cache;
    2. a catch-up cycle through every case that is not closed (or still has an open deadline), in id
       order after a second cursor, wrapping round after the last case, for facts that changed without
       a hook (a file submitted for the first hearing).

    Each case is recomputed in its own transaction with its row locked. A case another run (or a change)
    holds is skipped rather than waited for, so two overlapping sweeps do not queue behind each other;
    whoever holds it recomputes it anyway. The cursors move as cases are done, so a sweep that is killed
    resumes where it stopped. Returns how many cases were recomputed."""
    size = batch_size or int(getattr(settings, "DEADLINES_RECOMPUTE_BATCH", DEFAULT_SWEEP_BATCH))
    moment = now or timezone.now()
    done: set[int] = set()

    since = cache.get(DUE_CURSOR_KEY) or moment - timedelta(days=1)
    passed = list(
        Deadline.objects.filter(kind__in=TIME_DRIVEN, status=OPEN, due_at__gt=since, due_at__lte=moment)
        .order_by("due_at", "id")
        .values_list("case_id", "due_at")[:size]
    )
    for case_id, _due in passed:
        if case_id not in done and _recompute_unless_held(case_id, now):
            done.add(case_id)
    # A full batch may have left rows due at the same moment as its last: start there next time.
    cache.set(DUE_CURSOR_KEY, passed[-1][1] - JUST_BEFORE if len(passed) == size else moment, timeout=None)

    after = int(cache.get(CURSOR_KEY) or 0)
    ids = list(sweep_candidates().filter(pk__gt=after).order_by("pk").values_list("pk", flat=True)[:size])
    for pk in ids:
        if pk not in done and _recompute_unless_held(pk, now):
            done.add(pk)
        cache.set(CURSOR_KEY, pk, timeout=None)
    if len(ids) < size:
        cache.set(CURSOR_KEY, 0, timeout=None)
    return len(done)
