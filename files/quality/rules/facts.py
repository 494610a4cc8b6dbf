"""The facts a file is judged on (``FileFacts`` and the facts it holds), as plain frozen dataclasses.

``files.quality.facts`` gathers them from the database; the rules read nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from casework.choices import OffenceStatus, VictimPersonalStatement, WitnessVulnerability

from ...choices import RedactionStatus

# ---------------------------------------------------------------------------------------------
# The facts a file is judged on. Ids are public ids as strings; dates are plain dates.


@dataclass(frozen=True)
class SuspectFact:
    id: str
    name: str
    date_of_birth: date | None = None
    pnc_id: str = ""
    custody_status: str = ""  # the kind of the latest custody event, "" when none is recorded


@dataclass(frozen=True)
class OffenceFact:
    id: str
    suspect_id: str
    code: str
    title: str
    mode_of_trial: str
    committed_on: date
    committed_until: date | None = None
    dg6_group: str = ""
    status: str = OffenceStatus.ALLEGED.value

    @property
    def last_date(self) -> date:
        return self.committed_until or self.committed_on

    @property
    def active(self) -> bool:
        return self.status != OffenceStatus.NOT_PROCEEDED


@dataclass(frozen=True)
class WitnessFact:
    id: str
    name: str
    is_key: bool = False
    vulnerability: str = WitnessVulnerability.NONE.value
    has_dates_to_avoid: bool = False
    no_dates_to_avoid: bool = False  # the witness said there are none ("none" on the MG11 rear)


@dataclass(frozen=True)
class VictimFact:
    id: str
    name: str
    date_of_birth: date | None = None
    is_organisation: bool = False
    personal_statement: str = VictimPersonalStatement.NOT_YET_OFFERED.value
    first_statement_on: date | None = None


@dataclass(frozen=True)
class DocumentFact:
    """A document in the file: only documents with a clean version, described by their latest clean
    version (the one that would be sent)."""

    id: str
    kind: str
    title: str
    version_id: str
    version_number: int
    sha256: str
    witness_id: str | None = None
    suspect_id: str | None = None
    redaction_status: str = RedactionStatus.NOT_REQUIRED.value
    redaction_confirmed: bool = False
    sensitive: bool = False


@dataclass(frozen=True)
class UncleanUploadFact:
    """A document whose newest upload is not clean (waiting for the scan, or quarantined)."""

    document_id: str
    kind: str
    title: str
    scan_status: str
    newest_number: int
    clean_number: int | None = None
    sensitive: bool = False


@dataclass(frozen=True)
class ExhibitFact:
    id: str
    reference: str
    document_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class UnusedItemFact:
    id: str
    schedule: str
    item_number: int
    rebuttable_presumption: bool = False
    document_id: str | None = None


@dataclass(frozen=True)
class PointFact:
    id: str
    offence_id: str
    text: str
    document_ids: tuple[str, ...] = ()
    exhibit_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class CaseSummaryFact:
    has_summary: bool = False
    interview_summary_words: int = 0
    certified: bool = False


@dataclass(frozen=True)
class FileFacts:
    case_id: str
    stage: str
    anticipated_plea: str
    as_of: date
    flags: tuple[str, ...] = ()
    has_officer_in_case: bool = True
    # A CPS charging decision was asked for (a pre-charge file was submitted), so a first-hearing
    # file is not a police charge. Until the charging feature records decisions, this is the signal.
    cps_decision_sought: bool = False
    suspects: tuple[SuspectFact, ...] = ()
    offences: tuple[OffenceFact, ...] = ()
    witnesses: tuple[WitnessFact, ...] = ()
    victims: tuple[VictimFact, ...] = ()
    documents: tuple[DocumentFact, ...] = ()
    unclean_uploads: tuple[UncleanUploadFact, ...] = ()
    exhibits: tuple[ExhibitFact, ...] = ()
    unused_items: tuple[UnusedItemFact, ...] = ()
    points: tuple[PointFact, ...] = ()
    mg5: CaseSummaryFact | None = None

    def as_json(self) -> dict[str, Any]:
        """A canonical, JSON-ready form (sorted collections) for the inputs digest: what
        ``dataclasses.asdict`` gives, with each collection sorted by the ``repr`` of its items.

        Built from each fact's ``__dict__``, which for these frozen dataclasses of plain values (str, int,
        bool, date, None, tuples of str; ``_PLAIN_FACTS``) already is that form, fields in order. A generic walk
        (``is_dataclass`` and ``fields`` at every value) was a third of a check's Python time."""
        data: dict[str, Any] = {}
        for name, value in self.__dict__.items():
            kind = type(value)
            if kind is tuple or kind is list:
                data[name] = sorted([v.__dict__ if type(v) in _PLAIN_FACTS else v for v in value], key=repr)
            elif kind in _PLAIN_FACTS:
                data[name] = value.__dict__
            else:
                data[name] = value
        return data


# The facts whose fields hold only plain values, never another fact (tests/files/test_quality_check_path.py
# checks the annotations): their ``__dict__`` is their ``asdict``.
_PLAIN_FACTS: frozenset[type] = frozenset(
    {
        SuspectFact,
        OffenceFact,
        WitnessFact,
        VictimFact,
        DocumentFact,
        UncleanUploadFact,
        ExhibitFact,
        UnusedItemFact,
        PointFact,
        CaseSummaryFact,
    }
)
