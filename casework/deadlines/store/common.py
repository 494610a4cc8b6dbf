"""What every part of the store shares: the statuses, the closed-case rule, ``Computed`` (one deadline
as the facts give it) and ``RecomputeResult``, the wording helpers of the rule texts, and the state of the
builder that works out a case's deadlines (``_BuilderBase``).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from ...choices import CaseStatus, DeadlineKind, DeadlineStatus
from ..calendar import LONDON, WorkingCalendar
from ..rules import DeadlineRules
from .facts import Facts

CLOSED_CASE_STATUSES = frozenset({CaseStatus.NO_FURTHER_ACTION, CaseStatus.OUT_OF_COURT_DISPOSAL, CaseStatus.CONCLUDED})
# What a no-further-action decision itself gives, so it outlives the case's closing.
KEPT_ON_CLOSED_CASES = frozenset({DeadlineKind.VICTIM_UPDATE, DeadlineKind.VICTIM_RIGHT_TO_REVIEW})

OPEN, MET, CANCELLED = DeadlineStatus.OPEN, DeadlineStatus.MET, DeadlineStatus.CANCELLED
END_OF_DAY = time(23, 59)


@dataclass(frozen=True)
class Computed:
    """One deadline as the facts give it."""

    kind: DeadlineKind
    subject_key: str
    label: str
    due_at: datetime
    rule: str
    status: DeadlineStatus = OPEN
    suspect_id: int | None = None
    offence_id: int | None = None
    # When what met it happened (the charge, the end of detention or bail, the start of the trial), where the
    # facts say; otherwise the store keeps the moment it first recorded the deadline as met.
    met_at: datetime | None = None


@dataclass(frozen=True)
class RecomputeResult:
    created: int = 0
    updated: int = 0
    cancelled: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.cancelled)


# -- formatting -----------------------------------------------------------------------------------


# Memoised: ``%B`` goes through the C library's strftime (~9 us a call), and the same days recur in case after
# case. (Moments seldom recur: ``_moment`` is not memoised, only the day it names.)
@functools.lru_cache(maxsize=8192)
def _day(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def _moment(moment: datetime) -> str:
    local = moment.astimezone(LONDON)
    return f"{local:%H:%M} on {_day(local.date())}"


def _local_date(moment: datetime) -> date:
    return moment.astimezone(LONDON).date()


def end_of_day(day: date) -> datetime:
    return datetime.combine(day, END_OF_DAY, tzinfo=LONDON)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _hours_text(hours: int) -> str:
    return _plural(hours // 24, "day") if hours % 24 == 0 else _plural(hours, "hour")


# -- the builder's state ----------------------------------------------------------------------------


class _BuilderBase:
    """The facts, the moment, the calendar and the rules a case's deadlines are worked out from, and the
    deadlines found so far; each part of the builder adds to them."""

    def __init__(self, facts: Facts, now: datetime, calendar: WorkingCalendar, rules: DeadlineRules) -> None:
        self.facts, self.now, self.calendar, self.rules = facts, now, calendar, rules
        self.out: list[Computed] = []

    def add(self, **values: Any) -> None:
        self.out.append(Computed(**values))

    def name(self, suspect_id: int) -> str:
        suspect = self.facts.suspects.get(suspect_id)
        return suspect.full_name if suspect else "the suspect"
