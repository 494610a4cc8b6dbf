"""The checks of the case's parties and charges, the MG1 and MG5, and the points to prove mapped to
evidence (FQ01, FQ02, FQ04). Each yields a Hit per failing item; none reads anything but its Index.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from casework.choices import OffenceStatus

from ...choices import DocumentKind
from .facts import PointFact
from .findings import Hit, Link
from .index import Index
from .standard import CHARGED_OR_SUMMONSED, WITNESS_STATEMENT_KINDS


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
