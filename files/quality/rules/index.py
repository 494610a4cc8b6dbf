"""The lookups the checks share (``Index``, computed once per evaluation), their small helpers, and
the shape of a check (``Check``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from casework.choices import ModeOfTrial

from .facts import DocumentFact, ExhibitFact, FileFacts, OffenceFact, SuspectFact, WitnessFact
from .findings import Hit
from .standard import Thresholds

# ---------------------------------------------------------------------------------------------
# Lookups the checks share, computed once per evaluation.


@dataclass
class Index:
    facts: FileFacts
    thresholds: Thresholds
    suspects: dict[str, SuspectFact] = field(init=False)
    offences: dict[str, OffenceFact] = field(init=False)
    witnesses: dict[str, WitnessFact] = field(init=False)
    documents: dict[str, DocumentFact] = field(init=False)
    by_kind: dict[str, list[DocumentFact]] = field(init=False)
    exhibits: dict[str, ExhibitFact] = field(init=False)

    def __post_init__(self) -> None:
        f = self.facts
        self.suspects = {s.id: s for s in f.suspects}
        self.offences = {o.id: o for o in f.offences}
        self.witnesses = {w.id: w for w in f.witnesses}
        self.documents = {d.id: d for d in f.documents}
        self.by_kind = defaultdict(list)
        for d in f.documents:
            self.by_kind[d.kind].append(d)
        self.exhibits = {e.id: e for e in f.exhibits}

    @property
    def stage(self) -> str:
        return self.facts.stage

    @cached_property
    def active_offences(self) -> list[OffenceFact]:
        return [o for o in self.facts.offences if o.active]

    def has_kind(self, *kinds: str) -> bool:
        return any(self.by_kind.get(k) for k in kinds)

    def has_kind_for_suspect(self, kind: str, suspect_id: str) -> bool:
        """A document of this kind about the suspect — or about nobody in particular when the case
        has only one suspect, which can only be about them."""
        single = len(self.facts.suspects) == 1
        return any(d.suspect_id == suspect_id or (single and d.suspect_id is None) for d in self.by_kind.get(kind, ()))

    def has_kind_for_witness(self, kinds: frozenset[str], witness_id: str) -> bool:
        return any(d.witness_id == witness_id for k in kinds for d in self.by_kind.get(k, ()))

    def has_schedule(self, schedule: str, kind: str) -> bool:
        """A schedule of unused material: rows entered in Casebridge, or the schedule uploaded."""
        return any(i.schedule == schedule for i in self.facts.unused_items) or self.has_kind(kind)

    @cached_property
    def any_indictable_only(self) -> bool:
        return any(o.mode_of_trial == ModeOfTrial.INDICTABLE_ONLY for o in self.active_offences)

    def suspect_name(self, suspect_id: str) -> str:
        suspect = self.suspects.get(suspect_id)
        return suspect.name if suspect else "the suspect"

    def offence_label(self, offence: OffenceFact) -> str:
        return f"{offence.code} {offence.title} against {self.suspect_name(offence.suspect_id)}"


def age_on(born: date | None, day: date) -> int | None:
    if born is None:
        return None
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def plural(count: int, one: str, many: str | None = None) -> str:
    return f"{count} {one if count == 1 else (many or one + 's')}"


# ---------------------------------------------------------------------------------------------
# The checks. Each yields a Hit per failing item; none reads anything but its Index.

Check = Callable[[Index], Iterator[Hit]]
