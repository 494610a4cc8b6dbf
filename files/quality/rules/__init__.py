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

The package, by part:
- ``standard``: the rule-set version, severities, the failure taxonomy, the NFS matrix, ``Thresholds``
  and the offence data the checks need;
- ``facts``: the facts a file is judged on (``FileFacts``);
- ``findings``: ``Finding``, ``Link`` and ``Hit``;
- ``index``: the lookups the checks share (``Index``) and the shape of a check (``Check``);
- ``checks_summary``, ``checks_evidence``, ``checks_disclosure``, ``checks_route``: the checks, by subject;
- ``catalogue``: ``RULES`` and ``NOT_YET_CHECKABLE``;
- ``evaluation``: ``evaluate`` and the order of findings.

This module re-exports what the rest of Casebridge imports, so ``files.quality.rules`` stays the one import path.
"""

from .catalogue import NOT_YET_CHECKABLE, RULE_ORDER, RULES, RULES_BY_ID, Rule, Unchecked
from .evaluation import RULES_AT_STAGE, _finding, counts, evaluate, sort_key
from .facts import (
    _PLAIN_FACTS,
    CaseSummaryFact,
    DocumentFact,
    ExhibitFact,
    FileFacts,
    OffenceFact,
    PointFact,
    SuspectFact,
    UncleanUploadFact,
    UnusedItemFact,
    VictimFact,
    WitnessFact,
)
from .findings import LINK_KINDS, Finding, Hit, Link
from .index import Check, Index
from .standard import (
    ADVISORY,
    BLOCKING,
    CCF,
    CRN,
    EA,
    FAILURE_CODES,
    FCT,
    FIRST_HEARING,
    GAP,
    NFS_MATRIX,
    NGAP,
    PRE_CHARGE,
    RULESET_VERSION,
    STAGE_ORDER,
    TT,
    UPG,
    MatrixRow,
    Thresholds,
    cell_severity,
    stages,
    stages_from,
)

__all__ = [
    "ADVISORY",
    "BLOCKING",
    "CCF",
    "CRN",
    "EA",
    "FAILURE_CODES",
    "FCT",
    "FIRST_HEARING",
    "GAP",
    "LINK_KINDS",
    "NFS_MATRIX",
    "NGAP",
    "NOT_YET_CHECKABLE",
    "PRE_CHARGE",
    "RULES",
    "RULESET_VERSION",
    "RULES_AT_STAGE",
    "RULES_BY_ID",
    "RULE_ORDER",
    "STAGE_ORDER",
    "TT",
    "UPG",
    "_PLAIN_FACTS",
    "CaseSummaryFact",
    "Check",
    "DocumentFact",
    "ExhibitFact",
    "FileFacts",
    "Finding",
    "Hit",
    "Index",
    "Link",
    "MatrixRow",
    "OffenceFact",
    "PointFact",
    "Rule",
    "SuspectFact",
    "Thresholds",
    "Unchecked",
    "UncleanUploadFact",
    "UnusedItemFact",
    "VictimFact",
    "WitnessFact",
    "_finding",
    "cell_severity",
    "counts",
    "evaluate",
    "sort_key",
    "stages",
    "stages_from",
]
