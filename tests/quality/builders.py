"""Plain ``FileFacts`` for the rule tests: a complete file for each stage (no findings at all), to
break one thing at a time."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from casework.choices import CustodyEventKind, ModeOfTrial, OffenceStatus, VictimPersonalStatement
from files.choices import AnticipatedPlea, DocumentKind, RedactionStatus, Schedule
from files.quality.rules import (
    CCF,
    CRN,
    EA,
    FCT,
    GAP,
    NGAP,
    TT,
    UPG,
    CaseSummaryFact,
    DocumentFact,
    ExhibitFact,
    FileFacts,
    OffenceFact,
    PointFact,
    SuspectFact,
    UnusedItemFact,
    VictimFact,
    WitnessFact,
)

AS_OF = date(2026, 6, 1)
CROWN = {CRN, CCF}
PLEA = {GAP: AnticipatedPlea.GUILTY, NGAP: AnticipatedPlea.NOT_GUILTY, UPG: AnticipatedPlea.NOT_GUILTY}
CUSTODY = {
    EA: CustodyEventKind.RELEASED_UNDER_INVESTIGATION,
    FCT: CustodyEventKind.PRE_CHARGE_BAIL,
    TT: CustodyEventKind.DETAINED,
}


def doc(doc_id: str, kind: str, **extra: object) -> DocumentFact:
    defaults: dict[str, object] = {
        "title": f"{kind} document",
        "version_id": f"v-{doc_id}",
        "version_number": 1,
        "sha256": "0" * 64,
    }
    defaults.update(extra)
    return DocumentFact(id=doc_id, kind=kind, **defaults)  # type: ignore[arg-type]


def complete(stage: str, plea: str | None = None) -> FileFacts:
    """A file with everything its stage needs, so that it has no findings at all."""
    pre_charge = stage in {EA, FCT, TT}
    documents = [
        doc("d-mg11", DocumentKind.MG11, witness_id="w1"),
        doc("d-pnc", DocumentKind.PNC_PRINT, suspect_id="s1"),
        doc("d-mg6", DocumentKind.MG6),
        doc("d-mg15", DocumentKind.MG15),
        doc("d-mg7", DocumentKind.MG7, suspect_id="s1"),
        doc("d-mg6c", DocumentKind.MG6C),
        doc("d-mg6d", DocumentKind.MG6D),
        doc("d-mg6e", DocumentKind.MG6E),
        doc("d-rp", DocumentKind.OTHER, redaction_status=RedactionStatus.REDACTED, redaction_confirmed=True),
    ]
    if stage not in CROWN:
        documents.append(doc("d-sdc", DocumentKind.SDC))
    return FileFacts(
        case_id="case-1",
        stage=stage,
        anticipated_plea=plea or PLEA.get(stage, AnticipatedPlea.UNKNOWN),
        as_of=AS_OF,
        has_officer_in_case=True,
        cps_decision_sought=True,
        suspects=(
            SuspectFact(
                "s1",
                "John SMITH",
                date(1990, 1, 1),
                "2019/0012345G",
                CUSTODY.get(stage, CustodyEventKind.CHARGED_AND_BAILED),
            ),
        ),
        offences=(
            OffenceFact(
                "o1",
                "s1",
                "OF61016" if stage in CROWN else "TH68001",
                "Wounding with intent" if stage in CROWN else "Theft from the person",
                ModeOfTrial.INDICTABLE_ONLY if stage in CROWN else ModeOfTrial.EITHER_WAY,
                date(2026, 5, 1),
                status=OffenceStatus.ALLEGED if pre_charge else OffenceStatus.CHARGED,
            ),
        ),
        witnesses=(WitnessFact("w1", "Alan BROWN", is_key=True, has_dates_to_avoid=True),),
        victims=(VictimFact("v1", "Mary JONES", personal_statement=VictimPersonalStatement.OFFERED_DECLINED),),
        documents=tuple(documents),
        exhibits=(ExhibitFact("e1", "AB/1"),),
        unused_items=(
            UnusedItemFact("u1", Schedule.MG6C, 1, rebuttable_presumption=True, document_id="d-rp"),
            UnusedItemFact("u2", Schedule.MG6D, 1),
        ),
        points=(PointFact("p1", "o1", "Appropriated property", document_ids=("d-mg11",), exhibit_ids=("e1",)),),
        mg5=CaseSummaryFact(has_summary=True, interview_summary_words=120, certified=True),
    )


def without_docs(facts: FileFacts, *doc_ids: str) -> FileFacts:
    return replace(facts, documents=tuple(d for d in facts.documents if d.id not in doc_ids))


def with_docs(facts: FileFacts, *documents: DocumentFact) -> FileFacts:
    return replace(facts, documents=(*facts.documents, *documents))
