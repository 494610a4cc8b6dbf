"""The standard the rules check against, as data: the rule-set version, the severities, the CPS failure
taxonomy (``FAILURE_CODES``), the NFS stage matrix (``NFS_MATRIX``) with the stage tables derived from it,
the tunable ``Thresholds`` and the offence data the checks need.

Nothing here reads the database, the clock or settings.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from casework.choices import CustodyEventKind

from ...choices import DocumentKind, FileStage, Severity

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
