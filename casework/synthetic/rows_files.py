"""COPY rows of a story's material (documents, versions, exhibits, unused material, MG5, points to prove, file
submissions with their reports and assessments) and of its charging records (requests, decisions, charges,
action plans, resubmissions, police charges)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from files.quality.rules import RULESET_VERSION

from .copy import NULL, Rows, day, flag, jsonb, ref, text, ts

BACKSLASH, ESCAPED_BACKSLASH = "\\", "\\\\"  # COPY text escapes the JSON text's backslashes (``copy.jsonb``)

if TYPE_CHECKING:
    from .cases import CaseStory


def render_material(s: CaseStory, rows: Rows, cid: str) -> None:
    """Lines in the column order of ``tables.TABLES`` (see ``rows.render``)."""
    out = rows.lines
    ids = s.ids
    N = NULL
    documents, versions = out["document"], out["version"]
    for doc in s.documents:
        updated = doc.created_at
        for v in doc.versions:
            if v.uploaded_at > updated:
                updated = v.uploaded_at
        documents.append(
            f"{doc.pk}\t{doc.public_id}\t{cid}\t{doc.kind}\t{text(doc.title)}\t{doc.sensitivity}\t"
            f"{doc.redaction_status}\t{ref(doc.redaction_confirmed_by_id)}\t"
            f"{N if doc.redaction_confirmed_at is None else doc.redaction_confirmed_at.isoformat()}\t"
            f"{ref(doc.witness_id)}\t{ref(doc.suspect_id)}\t{doc.created_by_id}\t{doc.created_at.isoformat()}\t"
            f"{updated.isoformat()}"
        )
        for v in doc.versions:
            versions.append(
                f"{v.pk}\t{v.public_id}\t{doc.pk}\t{v.number}\t{v.name}\t{text(v.original_name)}\t{len(v.content)}\t"
                f"{v.sha256}\t{v.mime_type}\t{v.scan_status}\t{v.scan_detail}\t"
                f"{N if v.scanned_at is None else v.scanned_at.isoformat()}\t"
                f"{ref(v.page_count)}\t{text(v.text)}\t"
                f"{N if v.text_extracted_at is None else v.text_extracted_at.isoformat()}\t{v.uploaded_by_id}\t"
                f"{v.uploaded_at.isoformat()}"
            )
    exhibits, exhibit_docs, movements = out["exhibit"], out["exhibitdoc"], out["movement"]
    for e in s.exhibits:
        exhibits.append(
            f"{e.pk}\t{e.public_id}\t{cid}\t{e.reference}\t{text(e.producer_name)}\t{e.producer_initials}\t{e.number}\t"
            f"{text(e.description)}\t{text(e.location)}\t{e.created_by_id}\t{e.created_at.isoformat()}"
        )
        for document_pk in e.documents:
            exhibit_docs.append(f"{ids('exhibitdoc')}\t{e.pk}\t{document_pk}")
        for pk, moved_at, source, target, handled_by, reason in e.movements:
            moved = moved_at.isoformat()
            movements.append(
                f"{pk}\t{e.pk}\t{moved}\t{text(source)}\t{text(target)}\t{text(handled_by)}\t{text(reason)}\t"
                f"{e.created_by_id}\t{moved}"
            )
    lines = out["unused"]
    for u in s.unused:
        lines.append(
            f"{u.pk}\t{u.public_id}\t{cid}\t{u.schedule}\t{u.item_number}\t{text(u.description)}\t{text(u.location)}\t"
            f"{text(u.sensitivity_reason)}\t{'t' if u.rebuttable_presumption else 'f'}\t{ref(u.document_id)}\t"
            f"{u.prosecutor_decision}\t{text(u.decision_note)}\t{ref(u.decided_by_id)}\t"
            f"{N if u.decided_at is None else u.decided_at.isoformat()}\t"
            f"{u.created_by_id}\t{u.created_at.isoformat()}"
        )
    if s.mg5 is not None:
        m = s.mg5
        out["casesummary"].append(
            f"{m.pk}\t{cid}\t{text(m.summary)}\t{text(m.interview_summary)}\t{ref(m.certified_by_id)}\t"
            f"{N if m.certified_at is None else m.certified_at.isoformat()}\t{m.updated_at.isoformat()}"
        )
    points, point_docs, point_exhibits = out["point"], out["pointdoc"], out["pointexhibit"]
    for p in s.points:
        points.append(f"{p.pk}\t{p.public_id}\t{cid}\t{p.offence.pk}\t{text(p.text)}\t{p.order}")
        for doc in p.documents:
            point_docs.append(f"{ids('pointdoc')}\t{p.pk}\t{doc.pk}")
        for exhibit in p.exhibits:
            point_exhibits.append(f"{ids('pointexhibit')}\t{p.pk}\t{exhibit.pk}")
    submissions, items, reports = out["submission"], out["submissionitem"], out["report"]
    for sub in s.submissions:
        updated = sub.submitted_at or (sub.reports[-1][2] if sub.reports else sub.created_at)
        if sub.override_at is not None and sub.override_at > updated:
            updated = sub.override_at
        submissions.append(
            f"{sub.pk}\t{sub.public_id}\t{cid}\t{sub.stage}\t{sub.anticipated_plea}\t{sub.status}\t"
            f"{sub.snapshot.replace(BACKSLASH, ESCAPED_BACKSLASH)}\t{text(sub.override_reason)}\t"
            f"{ref(sub.override_by_id)}\t"
            f"{N if sub.override_at is None else sub.override_at.isoformat()}\t"
            f"{sub.created_by_id}\t{sub.created_at.isoformat()}\t{updated.isoformat()}\t{ref(sub.submitted_by_id)}\t"
            f"{N if sub.submitted_at is None else sub.submitted_at.isoformat()}"
        )
        for version_pk in sub.items:
            items.append(f"{ids('submissionitem')}\t{sub.pk}\t{version_pk}")
        for pk, public_id, at, digest, findings, blocking, advisory, on_submission in sub.reports:
            reports.append(
                f"{pk}\t{public_id}\t{sub.pk}\t{RULESET_VERSION}\t{digest}\t{jsonb(findings)}\t{blocking}\t"
                f"{advisory}\t{'t' if on_submission else 'f'}\t{at.isoformat()}"
            )
        if sub.assessment is not None:
            apk, apublic, met, notes, by, at = sub.assessment
            out["assessment"].append(
                f"{apk}\t{apublic}\t{sub.pk}\t{'t' if met else 'f'}\t{text(notes)}\t{by}\t{at.isoformat()}"
            )
            for fpk, fpublic, code, note in sub.failures:
                out["failure"].append(
                    f"{fpk}\t{fpublic}\t{apk}\t{code}\t{text(note)}\t\t\t{NULL}\t{NULL}\t\t\t{NULL}\t{NULL}"
                )


def render_charging(s: CaseStory, rows: Rows, cid: str) -> None:
    add = rows.add
    for r in s.requests:
        m = r.mg3
        add(
            "request",
            str(r.pk),
            r.public_id,
            cid,
            ref(r.submission_id),
            r.status,
            r.category,
            r.test_sought,
            r.anticipated_plea,
            text(m["venue"]),
            text(m["suspect_status"]),
            text(m["pace_clock"]),
            text(m["bail_status"]),
            text(m["offence_summary"]),
            text(m["proposed_charges"]),
            text(m["defence_account"]),
            text(m["lines_of_inquiry_done"]),
            text(m["lines_not_pursued"]),
            jsonb(m["outstanding_evidence"]),
            text(m["victim_witness_needs"]),
            text(m["digital_strategy"]),
            text(m["unused_material_info"]),
            ref(r.cps_area_id),
            flag(r.to_cps_direct),
            ref(r.allocated_lawyer_id),
            str(r.version),
            str(r.created_by_id),
            ts(r.created_at),
            ts(r.updated_at or r.created_at),
            ts(r.submitted_at),
            ts(r.approved_at),
            ts(r.received_by_cps_at),
            ts(r.accepted_at),
            ts(r.allocated_at),
            ts(r.decided_at),
            ts(r.returned_at),
            ts(r.action_plan_issued_at),
            ts(r.resubmitted_at),
            ts(r.finalised_at),
            str(r.resubmission_count),
            r.dg6_decider,
            r.dg6_rule,
            text(r.dg6_reason),
        )
        for dec in r.decisions:
            add(
                "decision",
                str(dec.pk),
                dec.public_id,
                str(r.pk),
                dec.outcome,
                text(dec.reasons),
                dec.test_applied,
                day(dec.threshold_review_on),
                str(dec.decided_by_id),
                ts(dec.decided_at),
                ref(dec.corrects_id),
            )
            for pk, offence, wording in dec.charges:
                add("decisioncharge", str(pk), str(dec.pk), str(offence.pk), offence.code_with_qualifier, text(wording))
        for item in r.action_items:
            add(
                "actionitem",
                str(item.pk),
                item.public_id,
                str(r.pk),
                str(item.decision_id),
                str(item.number),
                text(item.action),
                text(item.reason),
                ref(item.offence_id),
                text(item.point_to_prove),
                item.owner,
                day(item.due_on),
                item.status,
                text(item.response),
                ref(item.responded_by_id),
                ts(item.responded_at),
                ts(item.escalated_at),
            )
            for document_pk in item.documents:
                add("actionitemdoc", str(s.ids("actionitemdoc")), str(item.pk), str(document_pk))
        for resub in r.resubmissions:
            add(
                "resubmission",
                str(resub.pk),
                str(r.pk),
                str(resub.number),
                text(resub.summary),
                flag(resub.reopened),
                str(resub.submitted_by_id),
                ts(resub.submitted_at),
            )
    for pc in s.police_charges:
        add(
            "policecharge",
            str(pc.pk),
            pc.public_id,
            cid,
            text(pc.rationale),
            pc.dg6_rule,
            pc.anticipated_plea,
            text(pc.emergency_authorised_by),
            str(pc.decided_by_id),
            ts(pc.decided_at),
        )
        for offence in pc.offences:
            add("policechargeoffence", str(s.ids("policechargeoffence")), str(pc.pk), str(offence.pk))
