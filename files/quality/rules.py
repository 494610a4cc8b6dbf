"""The file-quality rule set: pure functions over ``FileFacts``, versioned as ``RULESET_VERSION``.

What a file for a National File Standard (NFS) stage must carry is the stage matrix of domain.md 3.3
(``NFS_MATRIX``, transcribed as data), and what makes the CPS reject a file is the failure taxonomy
FQ01–FQ20 of domain.md 7.2 (``FAILURE_CODES``). Each ``Rule`` checks one thing, at the stages its
matrix row (or its own stage table) names, and yields a ``Finding`` for each item that fails: the
rule, the FQ code, the NFS/DG6 reference, the severity, a plain-English explanation, how to fix it,
and a ``Link`` to the item concerned.

Severity policy (one place, so that it can be argued with):
- a matrix cell "M" is *blocking*; "IA" (if applicable) is blocking when the rule can establish the
  condition from the data (a remanded suspect needs an MG7), and the rule does not fire otherwise;
- a cell marked † is background knowledge not yet checked against the official NFS tables
  (domain.md [K]): it is *advisory* until verified — remove the † from the matrix to make it block;
- a rule may only ever lower a finding's severity below its stage's (``Hit.advisory``), never raise it.

Rules that need the MG3 referral (the charging feature) or data Casebridge does not hold yet are in
``NOT_YET_CHECKABLE`` with the reason, so the catalogue says honestly what is and is not checked.

Nothing here reads the database, the clock or settings: ``FileFacts.as_of`` is the day the file is
judged on and ``Thresholds`` carries the tunable numbers. Same facts, same findings, in the same order.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Any

from dateutil.relativedelta import relativedelta

from casework.choices import (
    CaseFlag,
    CustodyEventKind,
    ModeOfTrial,
    OffenceStatus,
    VictimPersonalStatement,
    WitnessVulnerability,
)
from casework.dg6 import dg6_label

from ..choices import AnticipatedPlea, DocumentKind, FileStage, RedactionStatus, ScanStatus, Schedule, Severity

RULESET_VERSION = "2026.1"

BLOCKING = Severity.BLOCKING.value
ADVISORY = Severity.ADVISORY.value

# ---------------------------------------------------------------------------------------------
# The failure taxonomy shared with the CPS assessment (domain.md 7.2)

FAILURE_CODES: dict[str, str] = {
    "FQ01": "MG5 missing or not certified by a supervisor",
    "FQ02": "Summary not balanced or chronological; points to prove not mapped to evidence",
    "FQ03": "Interview summary missing or too long (transcript pasted)",
    "FQ04": "Key witness statements missing, or key and non-key witnesses misclassified",
    "FQ05": "Key media missing: body-worn video, CCTV, 999 audio, photographs, medical evidence",
    "FQ06": "Unused material schedules missing or inadequate (MG6C/D/E or SDC, by stage)",
    "FQ07": "Rebuttable-presumption material missing or unredacted",
    "FQ08": "Personal data left in disclosable documents",
    "FQ09": "Outstanding evidence listed without a target date",
    "FQ10": "Reasonable lines of inquiry not addressed, or no rationale for lines not pursued",
    "FQ11": "Defence case or the suspect's account not set out",
    "FQ12": "Digital strategy missing (device examination rationale, keywords, date ranges)",
    "FQ13": "Wrong charging route: the police charged an offence reserved to the CPS",
    "FQ14": "Anticipated plea or venue wrong (e.g. not suitable for summary trial listed as GAP)",
    "FQ15": "Bail, released-under-investigation or PACE clock status missing",
    "FQ16": "Witness dates to avoid (MG10) missing on a not-guilty file",
    "FQ17": "MG2 special measures assessment missing for a vulnerable or intimidated witness",
    "FQ18": "Previous convictions (PNC print) missing for the initial details of the prosecution case",
    "FQ19": "Action plan items unanswered by the target date",
    "FQ20": "Time-limit risk: the statutory time limit expires before charge",
}

# ---------------------------------------------------------------------------------------------
# The NFS matrix (domain.md 3.3), as data. Columns in STAGE_ORDER; "—" not required, "M"
# mandatory, "IA" if applicable; † marks a cell that is background knowledge [K].

EA = FileStage.EARLY_ADVICE.value
FCT = FileStage.PRE_CHARGE_FCT.value
TT = FileStage.PRE_CHARGE_TT.value
GAP = FileStage.FIRST_HEARING_GAP.value
NGAP = FileStage.FIRST_HEARING_NGAP.value
CRN = FileStage.FIRST_HEARING_CROWN.value
UPG = FileStage.MAGS_TRIAL_UPGRADE.value
CCF = FileStage.CROWN_COURT_FULL.value
STAGE_ORDER: tuple[str, ...] = (EA, FCT, TT, GAP, NGAP, CRN, UPG, CCF)
PRE_CHARGE = frozenset({EA, FCT, TT})
FIRST_HEARING = frozenset({GAP, NGAP, CRN})


@dataclass(frozen=True)
class MatrixRow:
    item: str
    cells: Mapping[str, str]
    note: str = ""


def _row(item: str, cells: str, note: str = "") -> MatrixRow:
    values = cells.split()
    if len(values) != len(STAGE_ORDER):
        raise ValueError(f"Matrix row {item!r} needs {len(STAGE_ORDER)} cells, has {len(values)}")
    return MatrixRow(item, dict(zip(STAGE_ORDER, values, strict=True)), note)


#                                             EA   FCT  TT   GAP  NGAP CRN  UPG  CCF
NFS_MATRIX: dict[str, MatrixRow] = {
    r.item: r
    for r in (
        _row("Suspect and offence (DG6 NFS 3.2)", "—    M    M    M    M    M    M    M"),
        _row("MG1 front sheet", "—†   —†   —†   M†   M†   M†   M†   M†"),
        _row("MG4 charges", "—    —    —    M    M    M    —    —"),
        _row("MG5 police report", "—    IA†  —    M    M    M    —    —", "superseded by full evidence at upgrade"),
        _row("Points to prove mapped to evidence", "—    M    M    M    M    M    M    M", "MG5 / MG3"),
        _row("Key witness statements (MG11/ABE)", "IA   M    M    IA†  M    M    M    M", "all witnesses at UPG/CCF"),
        _row("Interview summary", "IA   M    M    M    M    M    —    —", "on the MG5 at first hearing"),
        _row("Record of interview (MG15)", "—    —    —    —    —    M†   M†   M†", "UPG: if contested"),
        _row("Key exhibits (BWV, CCTV, 999, photos, medical)", "IA   M    M    IA   M    M    M    M"),
        _row("MG12 exhibit list", "—    IA†  IA†  —†   M†   M†   M    M", "generated from the exhibit register"),
        _row("PNC print (previous convictions)", "IA   M†   M†   M    M    M    —    —"),
        _row("MG6 case file information", "IA   M†   M†   IA†  M†   M†   M†   M†"),
        _row("MG7 remand application", "—    —    M    IA   IA   IA   —    —", "if remand is sought"),
        _row("MG2 special measures", "—    IA   IA   —    M    M    M    M", "one per V&I witness"),
        _row("MG9 witness list", "—    —†   —†   —†   M†   M†   M    M", "generated from the witnesses"),
        _row("MG10 dates to avoid", "—    —    —    —    M    M†   M    M"),
        _row("Victim personal statement", "—    IA   IA   IA   IA   IA   IA   IA", "if the victim made one"),
        _row("Streamlined disclosure certificate", "—    IA   IA   —    M    —    M    —", "not allowed in the Crown"),
        _row("MG6C/MG6D/MG6E schedules", "—    M    IA   —    —    M    —    M", "FCT: NGAP referral"),
        _row("Rebuttable-presumption material", "—    M    M†   —    M†   M†   M    M", "FCT: NGAP referral"),
        _row("Redaction per the Joint Principles", "—    M    M    M    M    M    M    M"),
        _row("Common-law (ex p. Lee) disclosure endorsement", "—    —    —    M    M    M    —    —"),
    )
}


def cell_severity(cell: str) -> str | None:
    """The severity a matrix cell gives a rule, under the policy in the module docstring."""
    if cell.startswith("—"):
        return None
    return ADVISORY if cell.endswith("†") else BLOCKING


def stages_from(item: str, overrides: Mapping[str, str | None] | None = None) -> dict[str, str]:
    """The stage → severity table of a rule that follows a matrix row, with documented overrides."""
    table = {stage: cell_severity(cell) for stage, cell in NFS_MATRIX[item].cells.items()}
    table.update(overrides or {})
    return {stage: severity for stage, severity in table.items() if severity is not None}


def stages(blocking: Iterable[str] = (), advisory: Iterable[str] = ()) -> dict[str, str]:
    table = dict.fromkeys(advisory, ADVISORY)
    table.update(dict.fromkeys(blocking, BLOCKING))
    return table


# ---------------------------------------------------------------------------------------------
# Tunable numbers [K]: the engine may override them from settings; they are part of the digest.


@dataclass(frozen=True)
class Thresholds:
    interview_summary_max_words: int = 750
    time_limit_warning_days: int = 28
    # DPA 2018 Part 3: police redact before a charging decision unless the law changes (domain.md 6.4 [C]).
    redaction_required_pre_charge: bool = True


# Offence data the rules need [K]: keep as data, verify before go-live.
S39A_CODES = frozenset({"CJ88001", "CJ88116"})  # common assault, battery: s.39A CJA 1988 when domestic abuse
RETAIL_THEFT_TITLE = re.compile(r"\bshop|\bshoplift|\bretail\b|\bstore\b", re.IGNORECASE)
MEDIA_KINDS = frozenset(
    {
        DocumentKind.BODY_WORN_VIDEO.value,
        DocumentKind.CCTV.value,
        DocumentKind.AUDIO_999.value,
        DocumentKind.PHOTOGRAPH.value,
        DocumentKind.MEDICAL.value,
    }
)
WITNESS_STATEMENT_KINDS = frozenset({DocumentKind.MG11.value, DocumentKind.MG15.value})
IN_POLICE_DETENTION = frozenset(
    {
        CustodyEventKind.DETAINED.value,
        CustodyEventKind.DETENTION_EXTENDED.value,
        CustodyEventKind.WARRANT_OF_FURTHER_DETENTION.value,
    }
)
CHARGED_OR_SUMMONSED = frozenset(
    {
        CustodyEventKind.CHARGED_AND_BAILED.value,
        CustodyEventKind.REMANDED_IN_CUSTODY.value,
        CustodyEventKind.SUMMONSED.value,
    }
)
YOUTH_AGE = 18

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


# ---------------------------------------------------------------------------------------------
# Findings


@dataclass(frozen=True)
class Link:
    """What a finding is about, for the page to link to. ``kind`` is one of LINK_KINDS; ``target``
    is a public id, or a document kind / schedule value for something that is missing."""

    kind: str
    target: str = ""


LINK_KINDS = frozenset(
    {
        "case",
        "case_people",
        "case_offences",
        "case_summary",
        "suspect",
        "offence",
        "witness",
        "victim",
        "document",
        "document_kind",
        "exhibit",
        "point_to_prove",
        "unused_item",
        "unused_schedule",
    }
)


@dataclass(frozen=True)
class Finding:
    rule_id: str
    fq_code: str
    reference: str
    severity: str
    title: str
    explanation: str
    fix: str
    link: Link
    sensitive: bool = False  # about MG6D material: shown only to those who may see it

    @property
    def key(self) -> str:
        """Identifies the failure across runs (the wording may change, e.g. days left)."""
        return f"{self.rule_id}|{self.link.kind}|{self.link.target}"

    @property
    def blocking(self) -> bool:
        return self.severity == BLOCKING

    def as_dict(self) -> dict[str, Any]:
        """What a report stores: ``dataclasses.asdict`` of the finding, built from ``__dict__`` because every
        field but the link is a plain string or bool (``asdict`` deep-copies each value)."""
        data = dict(self.__dict__)
        data["link"] = {"kind": self.link.kind, "target": self.link.target}
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Finding:
        link = data.get("link") or {}
        return cls(
            rule_id=str(data["rule_id"]),
            fq_code=str(data.get("fq_code", "")),
            reference=str(data.get("reference", "")),
            severity=str(data["severity"]),
            title=str(data.get("title", "")),
            explanation=str(data.get("explanation", "")),
            fix=str(data.get("fix", "")),
            link=Link(str(link.get("kind", "case")), str(link.get("target", ""))),
            sensitive=bool(data.get("sensitive", False)),
        )


@dataclass(frozen=True)
class Hit:
    """One failing item, as a rule's check reports it; the engine adds the rule's metadata."""

    explanation: str
    fix: str
    link: Link
    advisory: bool = False  # lower than the stage's severity (never higher)
    sensitive: bool = False


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


def check_parties(ix: Index) -> Iterator[Hit]:
    if not ix.facts.suspects:
        yield Hit(
            "No suspect is recorded on the case.",
            "Add the suspect on the case's People page.",
            Link("case_people"),
        )
    if not ix.active_offences:
        yield Hit(
            "No offence is recorded on the case (or every offence is marked not proceeded with).",
            "Add the offence or proposed charge on the case's Offences page.",
            Link("case_offences"),
        )
        return
    charged_suspects = {o.suspect_id for o in ix.active_offences}
    for suspect in ix.facts.suspects:
        if suspect.id not in charged_suspects:
            yield Hit(
                f"{suspect.name} has no offence recorded against them.",
                "Add the offence alleged against this suspect, or remove them from the case.",
                Link("suspect", suspect.id),
            )


def check_officer_in_case(ix: Index) -> Iterator[Hit]:
    if not ix.facts.has_officer_in_case:
        yield Hit(
            "The case has no officer in case, who is named on the MG1 front sheet.",
            "Record the officer in case in the case details.",
            Link("case"),
        )


def check_charges(ix: Index) -> Iterator[Hit]:
    for suspect in ix.facts.suspects:
        offences = [o for o in ix.active_offences if o.suspect_id == suspect.id]
        if not offences:
            continue  # reported by the suspect-and-offence rule
        charged = any(o.status == OffenceStatus.CHARGED for o in offences)
        if charged or suspect.custody_status in CHARGED_OR_SUMMONSED:
            continue
        if ix.has_kind_for_suspect(DocumentKind.MG4, suspect.id):
            continue
        yield Hit(
            f"Nothing shows that {suspect.name} has been charged or summonsed: a first-hearing file "
            "needs the charges (MG4, or a postal requisition MG4D/MG4E).",
            "Record the offences as charged, or record the charge (or requisition) in the suspect's "
            "custody history, or add the MG4.",
            Link("suspect", suspect.id),
        )


def check_mg5_present(ix: Index) -> Iterator[Hit]:
    if ix.facts.mg5 is None or not ix.facts.mg5.has_summary:
        yield Hit(
            "There is no MG5 case summary. The court and defence rely on it at the first hearing.",
            "Write the MG5: an objective, balanced summary in time order, with the interview summary.",
            Link("case_summary"),
        )


def check_mg5_certified(ix: Index) -> Iterator[Hit]:
    mg5 = ix.facts.mg5
    if mg5 is not None and mg5.has_summary and not mg5.certified:
        yield Hit(
            "The MG5 has not been certified by a supervisor (or it changed after it was certified).",
            "Ask a police supervisor to review and certify the MG5.",
            Link("case_summary"),
        )


def check_points_mapped(ix: Index) -> Iterator[Hit]:
    points_by_offence: dict[str, list[PointFact]] = defaultdict(list)
    for point in ix.facts.points:
        points_by_offence[point.offence_id].append(point)
    for offence in ix.active_offences:
        points = points_by_offence.get(offence.id, [])
        if not points:
            yield Hit(
                f"No points to prove are recorded for {ix.offence_label(offence)}.",
                "On the MG5, add each point the prosecution must prove for this offence and link the "
                "evidence that proves it.",
                Link("case_summary"),
            )
            continue
        for point in points:
            if not point.document_ids and not point.exhibit_ids:
                yield Hit(
                    f"The point to prove “{point.text}” ({offence.code}) is not linked to any evidence.",
                    "Link the statements, documents or exhibits that prove this point.",
                    Link("point_to_prove", point.id),
                )


def _is_key_evidence(ix: Index, document_id: str) -> bool:
    """A linked document proves a point when it is in the file and, if it is a witness's statement,
    the witness is a key witness (domain.md 3.3: key evidence alone or together proves each point)."""
    document = ix.documents.get(document_id)
    if document is None:
        return False
    if document.kind not in WITNESS_STATEMENT_KINDS:
        return True
    witness = ix.witnesses.get(document.witness_id or "")
    return witness is not None and witness.is_key


def check_points_key_evidence(ix: Index) -> Iterator[Hit]:
    for point in ix.facts.points:
        offence = ix.offences.get(point.offence_id)
        if offence is None or not offence.active or not (point.document_ids or point.exhibit_ids):
            continue  # unlinked points are reported by FQ02
        if any(e in ix.exhibits for e in point.exhibit_ids):
            continue
        if any(_is_key_evidence(ix, d) for d in point.document_ids):
            continue
        yield Hit(
            f"The point to prove “{point.text}” ({offence.code}) has no key evidence in the file: none of its "
            "evidence is a key witness's statement, an exhibit, or another document with a clean version.",
            "Link a key witness's statement (and mark the witness as key), an exhibit or a document that "
            "proves the point, and make sure its latest upload has passed the virus scan.",
            Link("point_to_prove", point.id),
        )


def check_key_statements(ix: Index) -> Iterator[Hit]:
    everyone = ix.stage in {UPG, CCF}
    for witness in ix.facts.witnesses:
        if not (witness.is_key or everyone):
            continue
        if ix.has_kind_for_witness(WITNESS_STATEMENT_KINDS, witness.id):
            continue
        who = "key witness" if witness.is_key else "witness"
        yield Hit(
            f"There is no statement (MG11, or a video interview record) from the {who} {witness.name}.",
            "Add the witness's statement and link it to the witness.",
            Link("witness", witness.id),
        )


def check_key_witness_marked(ix: Index) -> Iterator[Hit]:
    if ix.facts.witnesses and not any(w.is_key for w in ix.facts.witnesses):
        yield Hit(
            f"None of the {plural(len(ix.facts.witnesses), 'witness', 'witnesses')} is marked as a key witness.",
            "Mark the witnesses whose evidence proves the points to prove as key witnesses.",
            Link("case_people"),
        )


def check_interview_summary(ix: Index) -> Iterator[Hit]:
    mg5 = ix.facts.mg5
    if (mg5 is not None and mg5.interview_summary_words > 0) or ix.has_kind(DocumentKind.MG15):
        return
    yield Hit(
        "There is no summary of the suspect's interview.",
        "Write the interview summary on the MG5 (what the suspect said, including any defence put "
        "forward; say so if there was no interview or no comment).",
        Link("case_summary"),
    )


def check_interview_length(ix: Index) -> Iterator[Hit]:
    mg5 = ix.facts.mg5
    limit = ix.thresholds.interview_summary_max_words
    if mg5 is not None and mg5.interview_summary_words > limit:
        yield Hit(
            f"The interview summary is {mg5.interview_summary_words} words, more than {limit}: it reads like a "
            "transcript pasted in.",
            "Summarise the interview: the admissions, the account given and any defence raised.",
            Link("case_summary"),
        )


def check_interview_record(ix: Index) -> Iterator[Hit]:
    if ix.stage == UPG and ix.facts.anticipated_plea == AnticipatedPlea.GUILTY:
        return
    if not ix.has_kind(DocumentKind.MG15):
        yield Hit(
            "There is no record of the interview (MG15: short descriptive note, or the transcript of the "
            "recorded interview).",
            "Add the record of interview.",
            Link("document_kind", DocumentKind.MG15.value),
        )


def check_key_media(ix: Index) -> Iterator[Hit]:
    relied_on = {d for p in ix.facts.points for d in p.document_ids}
    for upload in ix.facts.unclean_uploads:
        if upload.kind not in MEDIA_KINDS or upload.clean_number is not None:
            continue
        key = upload.document_id in relied_on
        yield Hit(
            f"{DocumentKind(upload.kind).label} “{upload.title}” is recorded but not in the file: no upload "
            f"of it has passed the virus scan{' — and it is relied on to prove a point' if key else ''}.",
            "Wait for the scan to finish, or upload a clean copy.",
            Link("document", upload.document_id),
            advisory=not key,
            sensitive=upload.sensitive,
        )


def check_pnc_print(ix: Index) -> Iterator[Hit]:
    for suspect in ix.facts.suspects:
        if not ix.has_kind_for_suspect(DocumentKind.PNC_PRINT, suspect.id):
            yield Hit(
                f"There is no PNC print (previous convictions, or “no trace”) for {suspect.name}.",
                "Add the suspect's PNC print and link it to the suspect.",
                Link("suspect", suspect.id),
            )


def check_mg6(ix: Index) -> Iterator[Hit]:
    if ix.stage == GAP and ix.facts.cps_decision_sought:
        return  # at GAP the MG6 is needed only for the police charging rationale (a police charge)
    if not ix.has_kind(DocumentKind.MG6):
        yield Hit(
            "There is no MG6 (confidential case file information for the prosecutor).",
            "Add the MG6.",
            Link("document_kind", DocumentKind.MG6.value),
        )


def check_mg7(ix: Index) -> Iterator[Hit]:
    needs = IN_POLICE_DETENTION if ix.stage == TT else {CustodyEventKind.REMANDED_IN_CUSTODY.value}
    for suspect in ix.facts.suspects:
        if suspect.custody_status in needs and not ix.has_kind_for_suspect(DocumentKind.MG7, suspect.id):
            yield Hit(
                f"{suspect.name} is in custody and a remand will be sought, but there is no MG7 remand application.",
                "Add the MG7 (the grounds for objecting to bail and any conditions suggested) for this suspect.",
                Link("suspect", suspect.id),
            )


def check_mg2(ix: Index) -> Iterator[Hit]:
    for witness in ix.facts.witnesses:
        if witness.vulnerability == WitnessVulnerability.NONE:
            continue
        if not ix.has_kind_for_witness(frozenset({DocumentKind.MG2.value}), witness.id):
            yield Hit(
                f"{witness.name} is a {WitnessVulnerability(witness.vulnerability).label.lower()} witness "
                "and there is no MG2 special measures assessment for them.",
                "Complete the MG2 for this witness and link it to them.",
                Link("witness", witness.id),
            )


def check_witness_list(ix: Index) -> Iterator[Hit]:
    if not ix.facts.witnesses and not ix.has_kind(DocumentKind.MG9):
        yield Hit(
            "No witnesses are recorded, so there is no MG9 witness list.",
            "Add the witnesses (including police witnesses) on the People page.",
            Link("case_people"),
        )


def check_dates_to_avoid(ix: Index) -> Iterator[Hit]:
    for witness in ix.facts.witnesses:
        if not (witness.has_dates_to_avoid or witness.no_dates_to_avoid):
            yield Hit(
                f"No dates to avoid are recorded for {witness.name}: a trial date may be fixed at the first hearing.",
                "Record the witness's dates to avoid (MG10), or record that they have none.",
                Link("witness", witness.id),
            )


def check_vps_attached(ix: Index) -> Iterator[Hit]:
    made = [v for v in ix.facts.victims if v.personal_statement == VictimPersonalStatement.MADE]
    statements = len(ix.by_kind.get(DocumentKind.VICTIM_PERSONAL_STATEMENT, ()))
    if len(made) > statements:
        names = ", ".join(sorted(v.name for v in made))
        yield Hit(
            f"{plural(len(made), 'victim')} made a Victim Personal Statement ({names}) but the file has "
            f"{plural(statements, 'statement')}.",
            "Add each Victim Personal Statement the victim made.",
            Link("document_kind", DocumentKind.VICTIM_PERSONAL_STATEMENT.value),
            advisory=ix.stage != GAP,  # at GAP sentence may follow at once
        )


def check_vps_offered(ix: Index) -> Iterator[Hit]:
    for victim in ix.facts.victims:
        if not victim.is_organisation and victim.personal_statement == VictimPersonalStatement.NOT_YET_OFFERED:
            yield Hit(
                f"{victim.name} has not been offered the chance to make a Victim Personal Statement "
                "(Victims' Code right 7).",
                "Offer the victim a VPS and record their answer.",
                Link("victim", victim.id),
            )


def check_sdc(ix: Index) -> Iterator[Hit]:
    if ix.any_indictable_only:
        return  # an indictable-only case uses the MG6 series; FQ14 reports the wrong venue
    if not ix.has_kind(DocumentKind.SDC):
        yield Hit(
            "There is no Streamlined Disclosure Certificate: a not-guilty case in the magistrates' court needs one.",
            "Add the SDC (version A if nothing is disclosable, version B otherwise).",
            Link("document_kind", DocumentKind.SDC.value),
        )


def check_sdc_in_crown(ix: Index) -> Iterator[Hit]:
    if ix.has_kind(DocumentKind.SDC):
        yield Hit(
            "The file has a Streamlined Disclosure Certificate, which is not used for Crown Court cases.",
            "Use the MG6C, MG6D and MG6E schedules instead.",
            Link("document_kind", DocumentKind.SDC.value),
        )


def check_ngap_referral_schedules(ix: Index) -> Iterator[Hit]:
    if ix.facts.anticipated_plea != AnticipatedPlea.NOT_GUILTY:
        return
    has_mg6c = ix.has_schedule(Schedule.MG6C, DocumentKind.MG6C)
    if ix.any_indictable_only and not has_mg6c:
        yield Hit(
            "A not-guilty referral of an indictable-only offence needs the MG6C schedule of unused material with it.",
            "Schedule the unused material on the MG6C.",
            Link("unused_schedule", Schedule.MG6C.value),
        )
    elif not ix.any_indictable_only and not (has_mg6c or ix.has_kind(DocumentKind.SDC)):
        yield Hit(
            "A not-guilty referral needs the unused material schedule (or a Streamlined Disclosure Certificate "
            "for a case suitable for the magistrates' court) with it.",
            "Schedule the unused material on the MG6C, or add the SDC.",
            Link("unused_schedule", Schedule.MG6C.value),
        )


def check_crown_schedules(ix: Index) -> Iterator[Hit]:
    if not ix.has_schedule(Schedule.MG6C, DocumentKind.MG6C):
        yield Hit(
            "There is no MG6C schedule of non-sensitive unused material.",
            "Schedule the non-sensitive unused material on the MG6C (a nil schedule if there is none).",
            Link("unused_schedule", Schedule.MG6C.value),
        )
    if not ix.has_schedule(Schedule.MG6D, DocumentKind.MG6D):
        yield Hit(
            "There is no MG6D schedule of sensitive unused material.",
            "Ask the disclosure officer to complete the MG6D (a nil schedule if there is none).",
            Link("unused_schedule", Schedule.MG6D.value),
        )
    if not ix.has_kind(DocumentKind.MG6E):
        yield Hit(
            "There is no MG6E disclosure officer's report.",
            "Ask the disclosure officer for the MG6E, drawing attention to anything that might undermine the "
            "prosecution or assist the defence.",
            Link("document_kind", DocumentKind.MG6E.value),
            advisory=True,
        )


def check_rebuttable(ix: Index) -> Iterator[Hit]:
    if ix.stage == FCT and ix.facts.anticipated_plea != AnticipatedPlea.NOT_GUILTY:
        return  # with the referral only when a not-guilty plea is anticipated (AG Guidelines para 71)
    for item in ix.facts.unused_items:
        if not item.rebuttable_presumption:
            continue
        sensitive = item.schedule == Schedule.MG6D
        where = f"Item {item.item_number} on the {Schedule(item.schedule).label.split()[0]} schedule"
        document = ix.documents.get(item.document_id or "")
        if document is None:
            yield Hit(
                f"{where} is presumed disclosable but the material itself is not in the file.",
                "Attach the material to the schedule item (and redact it); its upload must pass the virus scan.",
                Link("unused_item", item.id),
                sensitive=sensitive,
            )
        elif document.redaction_status == RedactionStatus.REQUIRED:
            yield Hit(
                f"{where} is presumed disclosable and its material has not been redacted.",
                "Redact the material (Joint Principles for Redaction) and confirm the redaction.",
                Link("unused_item", item.id),
                sensitive=sensitive,
            )
        elif document.redaction_status == RedactionStatus.NOT_REQUIRED and not document.redaction_confirmed:
            yield Hit(
                f"{where} is presumed disclosable: nobody has confirmed that its material needs no redaction.",
                "Check the material for personal data and confirm that it needs no redaction, or redact it.",
                Link("unused_item", item.id),
                advisory=True,
                sensitive=sensitive,
            )


def check_redaction_pending(ix: Index) -> Iterator[Hit]:
    if ix.stage in PRE_CHARGE and not ix.thresholds.redaction_required_pre_charge:
        return
    # Material behind a rebuttable-presumption item is reported by FQ07 where that rule applies.
    reported = (
        {i.document_id for i in ix.facts.unused_items if i.rebuttable_presumption and i.document_id}
        if ix.stage in RULES_BY_ID["disclosure.rebuttable"].stages
        and not (ix.stage == FCT and ix.facts.anticipated_plea != AnticipatedPlea.NOT_GUILTY)
        else set()
    )
    for document in ix.facts.documents:
        if document.redaction_status == RedactionStatus.REQUIRED and document.id not in reported:
            title = "A sensitive document" if document.sensitive else f"“{document.title}”"
            yield Hit(
                f"{title} is marked as needing redaction and has not been redacted.",
                "Redact the personal data (Joint Principles for Redaction), upload the redacted version and "
                "confirm the redaction.",
                Link("document", document.id),
                sensitive=document.sensitive,
            )


def _sexual_offence_involves_youth(ix: Index, offence: OffenceFact) -> bool | None:
    """True or False when the ages are known, None when a date of birth is missing."""
    suspect = ix.suspects.get(offence.suspect_id)
    people = [suspect.date_of_birth if suspect else None, *(v.date_of_birth for v in ix.facts.victims)]
    ages = [age_on(born, offence.committed_on) for born in people]
    if any(a is not None and a < YOUTH_AGE for a in ages):
        return True
    return None if any(a is None for a in ages) else False


def check_charging_route(ix: Index) -> Iterator[Hit]:
    if ix.facts.cps_decision_sought:
        return  # the CPS was asked for the charging decision
    flags = set(ix.facts.flags)
    for flag in (CaseFlag.DOMESTIC_ABUSE, CaseFlag.HATE_CRIME):
        if flag in flags and ix.active_offences:
            yield Hit(
                f"The case is flagged {flag.label.lower()}: DG6 Annex 1 reserves the charging decision to the CPS, "
                "but no pre-charge file was sent.",
                "Send a pre-charge file to the CPS for the charging decision (or record why the police could "
                "charge in an emergency).",
                Link("case"),
            )
    for offence in ix.active_offences:
        reason = ""
        advisory = False
        if offence.mode_of_trial == ModeOfTrial.INDICTABLE_ONLY:
            reason = "indictable-only offences are always charged by the CPS"
        elif offence.dg6_group == "sexual_offences_act":
            youth = _sexual_offence_involves_youth(ix, offence)
            if youth is not False:
                reason = "a Sexual Offences Act offence by or upon a person under 18 is charged by the CPS"
                advisory = youth is None
                if advisory:
                    reason += " (a date of birth is missing, so check the ages)"
        elif offence.dg6_group:
            reason = f"DG6 Annex 1 reserves it to the CPS ({dg6_label(offence.dg6_group) or offence.dg6_group})"
        elif (
            offence.mode_of_trial == ModeOfTrial.EITHER_WAY
            and ix.facts.anticipated_plea != AnticipatedPlea.GUILTY
            and not RETAIL_THEFT_TITLE.search(offence.title)
        ):
            reason = "the police may charge an either-way offence only when a guilty plea is anticipated"
        if reason:
            yield Hit(
                f"{ix.offence_label(offence)} looks police-charged, but {reason}.",
                "Send a pre-charge file to the CPS for the charging decision, or correct the offence.",
                Link("offence", offence.id),
                advisory=advisory,
            )


def check_venue_and_plea(ix: Index) -> Iterator[Hit]:
    stage, plea = ix.stage, ix.facts.anticipated_plea
    if stage == GAP and plea != AnticipatedPlea.GUILTY:
        yield Hit(
            "This is an anticipated guilty plea (GAP) file but the anticipated plea is not guilty.",
            "Start a not-guilty (NGAP) first-hearing file instead.",
            Link("case"),
        )
    if stage in {GAP, NGAP}:
        for offence in ix.active_offences:
            if offence.mode_of_trial == ModeOfTrial.INDICTABLE_ONLY:
                yield Hit(
                    f"{ix.offence_label(offence)} is indictable-only: it is not suitable for summary trial and "
                    "goes to the Crown Court.",
                    "Start a Crown Court first-hearing file instead.",
                    Link("offence", offence.id),
                )
    if stage == NGAP and plea == AnticipatedPlea.GUILTY and not ix.any_indictable_only:
        yield Hit(
            "This is a not-guilty (NGAP) file but a guilty plea is anticipated.",
            "If the case is suitable for summary trial, a GAP file is enough; an NGAP file is right only for a "
            "case not suitable for summary trial.",
            Link("case"),
            advisory=True,
        )
    if (
        stage == CRN
        and ix.active_offences
        and all(o.mode_of_trial == ModeOfTrial.SUMMARY_ONLY for o in ix.active_offences)
    ):
        yield Hit(
            "Every offence is summary-only: the case stays in the magistrates' court unless it is linked to an "
            "offence sent to the Crown Court.",
            "Check the venue: a magistrates' first-hearing file (GAP or NGAP) may be the right one.",
            Link("case_offences"),
            advisory=True,
        )


def _s39a_expiry(ix: Index, offence: OffenceFact) -> tuple[date, bool]:
    """s.39A CJA 1988: both within 2 years of the offence and 6 months of the victim's first
    statement. Returns the expiry and whether the first-statement date was known."""
    two_years = offence.last_date + relativedelta(years=2)
    statements = [v.first_statement_on for v in ix.facts.victims if v.first_statement_on is not None]
    if not statements:
        return two_years, False
    return min(two_years, min(statements) + relativedelta(months=6)), True


def check_time_limit(ix: Index) -> Iterator[Hit]:
    as_of = ix.facts.as_of
    warn = ix.thresholds.time_limit_warning_days
    for offence in ix.active_offences:
        if offence.mode_of_trial != ModeOfTrial.SUMMARY_ONLY or offence.status == OffenceStatus.CHARGED:
            continue
        suspect = ix.suspects.get(offence.suspect_id)
        if suspect is not None and suspect.custody_status in CHARGED_OR_SUMMONSED:
            continue  # charged or summonsed: the information was laid
        known = True
        if CaseFlag.DOMESTIC_ABUSE in ix.facts.flags and offence.code[:7] in S39A_CODES:
            expiry, known = _s39a_expiry(ix, offence)
            law = "s.39A Criminal Justice Act 1988"
        else:
            expiry = offence.last_date + relativedelta(months=6)
            law = "s.127 Magistrates' Courts Act 1980"
        left = (expiry - as_of).days
        label = ix.offence_label(offence)
        if left < 0:
            yield Hit(
                f"The time limit for {label} ({law}) expired on {expiry:%-d %B %Y}: it can no longer be charged.",
                "Mark the offence as not proceeded with, or correct the offence dates.",
                Link("offence", offence.id),
            )
        elif left <= warn:
            yield Hit(
                f"The time limit for {label} ({law}) expires on {expiry:%-d %B %Y}, in {plural(left, 'day')}.",
                "Charge (or lay the information) before the limit expires; tell the CPS it is urgent.",
                Link("offence", offence.id),
                advisory=True,
            )
        if not known:
            yield Hit(
                f"{label} is a domestic abuse common assault: its time limit runs from the victim's first "
                "statement, which is not recorded.",
                "Record the date the victim first gave a statement or video interview.",
                Link("case_people"),
                advisory=True,
            )


def check_custody_status(ix: Index) -> Iterator[Hit]:
    for suspect in ix.facts.suspects:
        if not suspect.custody_status:
            yield Hit(
                f"Nothing records whether {suspect.name} is in custody, on pre-charge bail or released under "
                "investigation.",
                "Record the suspect's custody or bail status in their custody history.",
                Link("suspect", suspect.id),
            )


def check_threshold_test_custody(ix: Index) -> Iterator[Hit]:
    if ix.facts.suspects and not any(s.custody_status in IN_POLICE_DETENTION for s in ix.facts.suspects):
        yield Hit(
            "A Threshold Test referral is for a suspect in custody whom the police will ask to be remanded, "
            "but no suspect is recorded as in police detention.",
            "Check the stage: a Full Code Test referral may be the right one, or record the detention.",
            Link("case_people"),
        )


def check_unclean_uploads(ix: Index) -> Iterator[Hit]:
    for upload in ix.facts.unclean_uploads:
        if upload.clean_number is None and upload.kind in MEDIA_KINDS:
            continue  # reported by FQ05
        status = "is waiting for the virus scan" if upload.scan_status == ScanStatus.PENDING else "was quarantined"
        title = "A sensitive document" if upload.sensitive else f"“{upload.title}”"
        if upload.clean_number is None:
            explanation = f"{title} is not in the file: its upload (version {upload.newest_number}) {status}."
        else:
            explanation = (
                f"{title}: version {upload.newest_number} {status}, so the file carries version {upload.clean_number}."
            )
        yield Hit(
            explanation,
            "Wait for the scan to finish, or upload a clean copy.",
            Link("document", upload.document_id),
            sensitive=upload.sensitive,
        )


# ---------------------------------------------------------------------------------------------
# The rule catalogue


@dataclass(frozen=True)
class Rule:
    id: str
    title: str
    fq_code: str
    reference: str
    stages: Mapping[str, str]
    check: Check
    matrix_item: str = ""


def _rule(
    rule_id: str,
    title: str,
    fq_code: str,
    reference: str,
    check: Check,
    *,
    matrix: str = "",
    overrides: Mapping[str, str | None] | None = None,
    table: Mapping[str, str] | None = None,
) -> Rule:
    if table is None:
        table = stages_from(matrix, overrides)
    return Rule(rule_id, title, fq_code, reference, dict(table), check, matrix)


NOT_GAP_OR_EA = {EA: None}

RULES: tuple[Rule, ...] = (
    _rule("parties", "Suspect and offence recorded", "", "DG6 NFS 3.2; MG1/MG4", check_parties,
          matrix="Suspect and offence (DG6 NFS 3.2)"),
    _rule("mg1.officer_in_case", "Officer in case named (MG1)", "", "NFS: MG1 front sheet †", check_officer_in_case,
          matrix="MG1 front sheet"),
    _rule("mg4.charges", "Charges recorded (MG4)", "", "NFS: MG4 charges / MG4D-E requisition", check_charges,
          matrix="MG4 charges"),
    _rule("mg5.present", "MG5 case summary written", "FQ01", "NFS: MG5 police report", check_mg5_present,
          matrix="MG5 police report", overrides={FCT: None}),
    _rule("mg5.certified", "MG5 certified by a supervisor", "FQ01", "NFS: MG5 supervisor certification (MoG)",
          check_mg5_certified, matrix="MG5 police report"),
    _rule("ptp.mapped", "Points to prove mapped to evidence", "FQ02", "NFS: MG5 points to prove; DG6 NFS 3.2",
          check_points_mapped, matrix="Points to prove mapped to evidence"),
    # TT: only the key evidence available now is expected; GAP: the IDPC may rely on the MG5.
    _rule("ptp.key_evidence", "Each point to prove has key evidence in the file", "FQ04",
          "NFS 3.3: key evidence proves each point to prove", check_points_key_evidence,
          matrix="Points to prove mapped to evidence", overrides={TT: ADVISORY, GAP: ADVISORY}),
    _rule("statements.key_witness", "Statements of key witnesses (all witnesses at trial stages)", "FQ04",
          "NFS: MG11 key witness statements / ABE", check_key_statements,
          matrix="Key witness statements (MG11/ABE)", overrides={EA: None}),
    _rule("statements.key_marked", "Key witnesses identified", "FQ04", "NFS: key vs non-key witnesses",
          check_key_witness_marked, table=stages(advisory=(FCT, TT, NGAP, CRN))),
    _rule("interview.summary", "Interview summary present", "FQ03", "NFS: interview summary (MG5/MG3)",
          check_interview_summary, matrix="Interview summary", overrides={EA: None}),
    _rule("interview.length", "Interview summary is a summary", "FQ03", "NFS: interview summary, not a transcript",
          check_interview_length, table=stages(advisory=(FCT, TT, GAP, NGAP, CRN))),
    _rule("interview.record", "Record of interview (MG15)", "FQ03", "NFS: MG15 ROTI/SDN †", check_interview_record,
          matrix="Record of interview (MG15)"),
    # EA and TT (only what is available) and GAP (the IDPC may rely on the MG5) are advisory.
    _rule("media.key_missing", "Key media in the file", "FQ05", "NFS: key exhibits (BWV, CCTV, 999, photographs)",
          check_key_media, matrix="Key exhibits (BWV, CCTV, 999, photos, medical)",
          overrides={EA: ADVISORY, TT: ADVISORY, GAP: ADVISORY}),
    _rule("pnc.print", "PNC print for each suspect", "FQ18", "NFS: previous convictions for the IDPC (CrimPR Part 8)",
          check_pnc_print, matrix="PNC print (previous convictions)", overrides={EA: None}),
    _rule("mg6.present", "MG6 case file information", "", "NFS: MG6 †", check_mg6,
          matrix="MG6 case file information", overrides={EA: None}),
    _rule("mg7.remand", "MG7 remand application for a suspect in custody", "", "NFS: MG7 remand application",
          check_mg7, matrix="MG7 remand application"),
    # Pre-charge the MG2 is "if applicable": advisory (the brief: blocking at NGAP and Crown stages).
    _rule("mg2.vi_witness", "MG2 for each vulnerable or intimidated witness", "FQ17",
          "NFS: MG2 per V&I witness (YJCEA 1999 ss.16-17)", check_mg2, matrix="MG2 special measures",
          overrides={FCT: ADVISORY, TT: ADVISORY}),
    _rule("mg9.witnesses", "Witnesses recorded (MG9)", "", "NFS: MG9 witness list", check_witness_list,
          matrix="MG9 witness list"),
    _rule("mg10.dates_to_avoid", "Dates to avoid for every witness", "FQ16", "NFS: MG10 / MG11 rear dates to avoid",
          check_dates_to_avoid, matrix="MG10 dates to avoid"),
    _rule("vps.attached", "Victim personal statements in the file", "", "NFS: MG11 VPS; Victims' Code right 7",
          check_vps_attached, matrix="Victim personal statement"),
    _rule("vps.offered", "Victim offered a personal statement", "", "Victims' Code right 7",
          check_vps_offered, table=stages(advisory=(GAP, NGAP, CRN))),
    _rule("disclosure.sdc", "Streamlined Disclosure Certificate", "FQ06",
          "CPS Streamlined Summary Disclosure guidance", check_sdc, matrix="Streamlined disclosure certificate",
          overrides={FCT: None, TT: None}),
    _rule("disclosure.sdc_crown", "No SDC in a Crown Court file", "FQ06",
          "CPS Streamlined Summary Disclosure guidance", check_sdc_in_crown, table=stages(advisory=(CRN, CCF))),
    _rule("disclosure.ngap_referral", "Unused material schedules with a not-guilty referral", "FQ06",
          "AG Guidelines on Disclosure para 71; DG6 NFS 3.2", check_ngap_referral_schedules,
          table=stages(blocking=(FCT,))),
    _rule("disclosure.mg6_schedules", "MG6C, MG6D and MG6E", "FQ06", "CPIA 1996 Code of Practice; NFS MG6 series",
          check_crown_schedules, table=stages(blocking=(CRN, CCF))),
    _rule("disclosure.rebuttable", "Rebuttable-presumption material present and redacted", "FQ07",
          "AG Guidelines Annex A; DG6 NFS 3.2", check_rebuttable, matrix="Rebuttable-presumption material"),
    _rule("redaction.pending", "Documents needing redaction are redacted", "FQ08",
          "DPA 2018 Part 3; Joint Principles for Redaction", check_redaction_pending,
          matrix="Redaction per the Joint Principles"),
    _rule("route.police_charge", "Police charged only what DG6 allows", "FQ13", "DG6 Annex 1 (domain.md 2.3)",
          check_charging_route, table=stages(blocking=(GAP, NGAP, CRN))),
    _rule("venue.plea", "Anticipated plea and venue consistent", "FQ14", "DG6; TSJ listing (GAP/NGAP); s.51 CDA 1998",
          check_venue_and_plea, table=stages(blocking=(GAP, NGAP, CRN))),
    _rule("timelimit.summary", "Summary-only time limit not at risk", "FQ20",
          "s.127 MCA 1980; s.39A CJA 1988", check_time_limit, table=stages(blocking=STAGE_ORDER)),
    _rule("custody.status", "Custody, bail or RUI status recorded", "FQ15", "DG6 NFS 3.2 (suspect bail/RUI status)",
          check_custody_status, table=stages(blocking=(FCT, TT))),
    _rule("custody.threshold_test", "Threshold Test only for a suspect in custody", "",
          "Code for Crown Prosecutors 5 (Threshold Test)", check_threshold_test_custody, table=stages(advisory=(TT,))),
    _rule("material.unclean_upload", "Uploads waiting for the virus scan or quarantined", "",
          "Casebridge: only clean versions are sent", check_unclean_uploads, table=stages(advisory=STAGE_ORDER)),
)  # fmt: skip

RULES_BY_ID: dict[str, Rule] = {rule.id: rule for rule in RULES}
RULE_ORDER: dict[str, int] = {rule.id: n for n, rule in enumerate(RULES)}


@dataclass(frozen=True)
class Unchecked:
    """A part of the standard the rule set does not check yet, and why."""

    id: str
    fq_code: str
    title: str
    reason: str


NOT_YET_CHECKABLE: tuple[Unchecked, ...] = (
    Unchecked("mg3.present", "", "MG3 report to the CPS", "The MG3 is the charging referral (the charging feature)."),
    Unchecked("mg5.balanced", "FQ02", "Summary balanced and chronological", "A judgement on free text."),
    Unchecked("media.flagged", "FQ05", "Media flagged as existing on the MG6/MG3 attached or with a target date",
              "Needs the MG3's outstanding-evidence list; only uploaded media is checked."),
    Unchecked("pii.scan", "FQ08", "Personal data left in disclosable documents",
              "Needs a personal-data scan of document text; only the redaction flags are checked."),
    Unchecked("mg3.outstanding_evidence", "FQ09", "Outstanding evidence has target dates", "Needs the MG3."),
    Unchecked("mg3.lines_of_inquiry", "FQ10", "Reasonable lines of inquiry and rationale", "Needs the MG3."),
    Unchecked("mg3.defence_case", "FQ11", "Defence case set out", "Needs the MG3."),
    Unchecked("mg3.digital_strategy", "FQ12", "Digital strategy", "Needs the MG3 and a record of devices seized."),
    Unchecked("mg3.pace_clock", "FQ15", "PACE clock status on the MG3",
              "Needs the MG3; the suspect's custody/bail status is checked (custody.status)."),
    Unchecked("action_plan.unanswered", "FQ19", "Action plan items answered by their target date",
              "Action plans belong to the charging feature; an alert, not a file check."),
    Unchecked("mg5.common_law_disclosure", "", "Common-law (ex p. Lee) disclosure endorsement on the MG5",
              "The MG5 has no field for the endorsement yet."),
    Unchecked("mg6b.misconduct", "", "MG6B officer misconduct record", "Only when matters exist; no data says so."),
    Unchecked("mg12.exhibit_list", "", "MG12 exhibit list", "Generated from the exhibit register: always present."),
    Unchecked("mg13_16_18_19", "", "MG13 orders, MG16 bad character, MG18 TICs, MG19 compensation",
              "If applicable, and nothing in the data says when they apply."),
    Unchecked("forensic.sfr", "", "MG21/MG21A forensic submissions, SFR1/SFR2", "No record of forensic submissions."),
)  # fmt: skip


# ---------------------------------------------------------------------------------------------
# Evaluation


def _finding(rule: Rule, severity: str, hit: Hit) -> Finding:
    return Finding(
        rule_id=rule.id,
        fq_code=rule.fq_code,
        reference=rule.reference,
        severity=ADVISORY if hit.advisory else severity,
        title=rule.title,
        explanation=hit.explanation,
        fix=hit.fix,
        link=hit.link,
        sensitive=hit.sensitive,
    )


def sort_key(finding: Finding) -> tuple[int, int, str, str, str]:
    return (
        0 if finding.blocking else 1,
        RULE_ORDER.get(finding.rule_id, len(RULE_ORDER)),
        finding.link.kind,
        finding.link.target,
        finding.explanation,
    )


# The rules that apply at each stage, with their severity there, in catalogue order: worked out once, so an
# evaluation runs only the checks of its stage.
RULES_AT_STAGE: dict[str, tuple[tuple[Rule, str], ...]] = {
    stage: tuple((rule, rule.stages[stage]) for rule in RULES if stage in rule.stages) for stage in STAGE_ORDER
}


def evaluate(facts: FileFacts, thresholds: Thresholds | None = None) -> list[Finding]:
    """Every finding for the file, blocking first, in a stable order."""
    ix = Index(facts, thresholds or Thresholds())
    findings: dict[tuple[str, str], Finding] = {}
    for rule, severity in RULES_AT_STAGE.get(facts.stage, ()):
        for hit in rule.check(ix):
            finding = _finding(rule, severity, hit)
            findings.setdefault((finding.key, finding.explanation), finding)
    return sorted(findings.values(), key=sort_key)


def counts(findings: Iterable[Finding]) -> tuple[int, int]:
    """(blocking, advisory)."""
    blocking = advisory = 0
    for finding in findings:
        if finding.blocking:
            blocking += 1
        else:
            advisory += 1
    return blocking, advisory
