"""The checks of disclosure and redaction: the SDC, the MG6C/D/E schedules, rebuttable-presumption
material and documents awaiting redaction (FQ06, FQ07, FQ08). Each yields a Hit per failing item; none
reads anything but its Index.
"""

from __future__ import annotations

from collections.abc import Iterator

from ...choices import AnticipatedPlea, DocumentKind, RedactionStatus, Schedule
from .findings import Hit, Link
from .index import Index
from .standard import FCT, PRE_CHARGE


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
    # Imported here because the catalogue imports this module for its checks (a cycle at import time).
    from .catalogue import RULES_BY_ID

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
