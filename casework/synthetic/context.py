"""What every part of a chunk's generation shares: the run's settings, the random source, identifiers and
the helpers for time.

Reproducibility: a chunk of ``CHUNK`` consecutive cases draws from its own ``random.Random`` seeded with
(seed, chunk number), and takes its primary keys from its own range of each table (``Ids``), so a chunk comes
out the same whichever process builds it and in whatever order: the same seed and size give the same rows.
"""

from __future__ import annotations

import bisect
import itertools
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import TypeVar
from zoneinfo import ZoneInfo

from .organisations import Reference

T = TypeVar("T")
LONDON = ZoneInfo("Europe/London")
CHUNK = 500  # cases per chunk: the unit of randomness, of ids and of work handed to a process

# How many rows of each table one case may need at most: a chunk's ids for a table are
# [base + chunk * CHUNK * width, base + (chunk + 1) * CHUNK * width). Generous: ids are bigints.
ID_WIDTHS: dict[str, int] = {
    "case": 1,
    "suspect": 4,
    "victim": 4,
    "victimupdate": 16,
    "witness": 12,
    "unavailability": 12,
    "offence": 8,
    "custody": 32,
    "hearing": 16,
    "request": 4,
    "decision": 12,
    "decisioncharge": 24,
    "actionitem": 24,
    "actionitemdoc": 24,
    "resubmission": 8,
    "policecharge": 2,
    "policechargeoffence": 8,
    "document": 64,
    "version": 80,
    "exhibit": 16,
    "movement": 48,
    "exhibitdoc": 16,
    "unused": 16,
    "casesummary": 1,
    "point": 32,
    "pointdoc": 64,
    "pointexhibit": 32,
    "submission": 8,
    "submissionitem": 256,
    "report": 8,
    "assessment": 4,
    "failure": 16,
    "deadline": 96,
    "alert": 96,
    "delivery": 96,
    "attempt": 96,
    "audit": 96,
}


@dataclass
class Context:
    """The settings of one run, sent to every worker."""

    seed: int
    cases: int
    as_of: datetime  # aware; nothing generated happens after it
    reference: Reference
    bases: dict[str, int]  # first id of each table for this run
    holidays: frozenset[date]
    media_root: str | None  # write stored files straight here (filesystem storage), else through the storage
    site_url: str
    escalate_after_hours: int
    digest_hour: int
    finalisation_days: int
    shared_files: bool = False  # one stored file per distinct content (``documents.shared_blob``)


class Ids:
    """Primary keys for one chunk: a fixed range per table, handed out in order."""

    def __init__(self, bases: dict[str, int], chunk: int) -> None:
        self._next = {name: itertools.count(bases[name] + chunk * CHUNK * width) for name, width in ID_WIDTHS.items()}
        self._limit = {name: bases[name] + (chunk + 1) * CHUNK * width for name, width in ID_WIDTHS.items()}

    def __call__(self, table: str) -> int:
        value = next(self._next[table])
        if value >= self._limit[table]:
            raise OverflowError(f"More {table} rows in one chunk than casework/synthetic/context.ID_WIDTHS allows")
        return value


class Dice:
    """The random source of one chunk, with the draws the generator needs."""

    def __init__(self, seed: int, chunk: int) -> None:
        self.rng = random.Random(f"casebridge-synthetic:{seed}:{chunk}")
        self.random = self.rng.random
        self.uniform = self.rng.uniform
        self._bits = self.rng.getrandbits
        self._cumulative: dict[str, tuple[list[float], float]] = {}

    def randint(self, a: int, b: int) -> int:
        """``random.Random.randint``, the same draws without ``randrange``'s argument checks (a few dozen calls a
        case): ``_randbelow_with_getrandbits`` inline."""
        n = b - a + 1
        k = n.bit_length()
        r = self._bits(k)
        while r >= n:
            r = self._bits(k)
        return a + r

    def chance(self, p: float) -> bool:
        return self.random() < p

    def choice(self, items: Sequence[T]) -> T:
        return items[int(self.random() * len(items))]

    def weighted(self, items: Sequence[T], weights: Sequence[float], key: str = "") -> T:
        """One of ``items`` with the given relative weights; ``key`` caches the cumulative weights of a list
        drawn from often (the offence mix, the forces)."""
        cached = self._cumulative.get(key) if key else None
        if cached is None:
            cumulative = list(itertools.accumulate(weights))
            cached = (cumulative, cumulative[-1])
            if key:
                self._cumulative[key] = cached
        cumulative, total = cached
        return items[bisect.bisect_right(cumulative, self.random() * total)]

    def pairs(self, pairs: Sequence[tuple[T, float]]) -> T:
        """One of (value, weight) pairs."""
        roll = self.random() * sum(p[1] for p in pairs)
        for value, weight in pairs:
            roll -= weight
            if roll < 0:
                return value
        return pairs[-1][0]

    def lognormal_days(self, median: float, sigma: float, low: float, high: float) -> float:
        value = self.rng.lognormvariate(0.0, sigma) * median
        return min(max(value, low), high)

    def hours(self, low: float, high: float) -> timedelta:
        return timedelta(hours=self.uniform(low, high))

    def days(self, low: float, high: float) -> timedelta:
        return timedelta(days=self.uniform(low, high))

    def uuid(self) -> str:
        """A random (version 4) UUID drawn from this chunk's source, as text."""
        h = (self._bits(128) & _UUID_KEEP | _UUID_SET).to_bytes(16, "big").hex()
        return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"

    def hex(self) -> str:
        return f"{self._bits(128):032x}"


# The version (4) and variant (RFC 4122) bits of a random UUID: the bits cleared, then the bits set.
_UUID_KEEP = ~((0xF000 << 64) | (0xC000 << 48)) & ((1 << 128) - 1)
_UUID_SET = (4 << 76) | (0x8000 << 48)


def local(day: date, hour: int = 0, minute: int = 0) -> datetime:
    """A wall-clock time in England and Wales, as the instant in UTC. Every time the generator keeps is in UTC,
    as the database gives times back, so that the deadline engine compares instants the same way on generated
    records as on stored rows (two Europe/London times in the repeated hour of a clock change compare by wall
    clock, not by instant)."""
    return datetime.combine(day, time(hour, minute), tzinfo=LONDON).astimezone(UTC)


def end_of_day(day: date) -> datetime:
    """23:59 in Europe/London (when a deadline that is a day falls due: ``casework.deadlines.store``), in UTC."""
    return datetime.combine(day, time(23, 59), tzinfo=LONDON).astimezone(UTC)


def london_date(moment: datetime) -> date:
    return moment.astimezone(LONDON).date()


def dmy(day: date) -> str:
    """``f"{day:%d/%m/%Y}"`` without ``strftime`` (for years of four digits, as every generated date has)."""
    return f"{day.day:02d}/{day.month:02d}/{day.year}"
