"""COPY rows of a story's material (documents, versions, exhibits, unused material, MG5, points to prove, file
submissions with their reports and assessments) and of its charging records (requests, decisions, charges,
action plans, resubmissions, police charges)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .copy import NULL, Rows, day, flag, jsonb, ref, text, ts

if TYPE_CHECKING:
    from .cases import CaseStory


def render_material(s: CaseStory, rows: Rows, cid: str) -> None:
    add = rows.add
    for doc in s.documents:
        updated = max([doc.created_at, *(v.uploaded_at for v in doc.versions)])
        add(
            "document",
            str(doc.pk),
            doc.public_id,
            cid,
            doc.kind,
            text(doc.title),
            doc.sensitivity,
            doc.redaction_status,
            ref(doc.redaction_confirmed_by_id),
            ts(doc.redaction_confirmed_at),
            ref(doc.witness_id),
            ref(doc.suspect_id),
            str(doc.created_by_id),
            ts(doc.created_at),
            ts(updated),
        )
        for v in doc.versions:
            add(
                "version",
                str(v.pk),
                v.public_id,
                str(doc.pk),
                str(v.number),
                v.name,
                text(v.original_name),
                str(len(v.content)),
                v.sha256,
                v.mime_type,
                v.scan_status,
                v.scan_detail,
                ts(v.scanned_at),
                ref(v.page_count),
                text(v.text),
                ts(v.text_extracted_at),
                str(v.uploaded_by_id),
                ts(v.uploaded_at),
            )
    for e in s.exhibits:
        add(
            "exhibit",
            str(e.pk),
            e.public_id,
            cid,
            e.reference,
            text(e.producer_name),
            e.producer_initials,
            str(e.number),
            text(e.description),
            text(e.location),
            str(e.created_by_id),
            ts(e.created_at),
        )
        for document_pk in e.documents:
            add("exhibitdoc", str(s.ids("exhibitdoc")), str(e.pk), str(document_pk))
        for pk, moved_at, source, target, handled_by, reason in e.movements:
            add(
                "movement",
                str(pk),
                str(e.pk),
                ts(moved_at),
                text(source),
                text(target),
                text(handled_by),
                text(reason),
                str(e.created_by_id),
                ts(moved_at),
            )
    for u in s.unused:
        add(
            "unused",
            str(u.pk),
            u.public_id,
            cid,
            u.schedule,
            str(u.item_number),
            text(u.description),
            text(u.location),
            text(u.sensitivity_reason),
            flag(u.rebuttable_presumption),
            ref(u.document_id),
            u.prosecutor_decision,
            text(u.decision_note),
            ref(u.decided_by_id),
            ts(u.decided_at),
            str(u.created_by_id),
            ts(u.created_at),
        )
    if s.mg5 is not None:
        m = s.mg5
        add(
            "casesummary",
            str(m.pk),
            cid,
            text(m.summary),
            text(m.interview_summary),
            ref(m.certified_by_id),
            ts(m.certified_at),
            ts(m.updated_at),
        )
    for p in s.points:
        add("point", str(p.pk), p.public_id, cid, str(p.offence.pk), text(p.text), str(p.order))
        for doc in p.documents:
            add("pointdoc", str(s.ids("pointdoc")), str(p.pk), str(doc.pk))
        for exhibit in p.exhibits:
            add("pointexhibit", str(s.ids("pointexhibit")), str(p.pk), str(exhibit.pk))
    for sub in s.submissions:
        updated = sub.submitted_at or (sub.reports[-1][2] if sub.reports else sub.created_at)
        add(
            "submission",
            str(sub.pk),
            sub.public_id,
            cid,
            sub.stage,
            sub.anticipated_plea,
            sub.status,
            jsonb(sub.snapshot),
            text(sub.override_reason),
            ref(sub.override_by_id),
            ts(sub.override_at),
            str(sub.created_by_id),
            ts(sub.created_at),
            ts(max(updated, sub.override_at or updated)),
            ref(sub.submitted_by_id),
            ts(sub.submitted_at),
        )
        for version_pk in sub.items:
            add("submissionitem", str(s.ids("submissionitem")), str(sub.pk), str(version_pk))
        for pk, public_id, at, digest, findings, blocking, advisory, on_submission in sub.reports:
            add(
                "report",
                str(pk),
                public_id,
                str(sub.pk),
                _ruleset(),
                digest,
                jsonb(findings),
                str(blocking),
                str(advisory),
                flag(on_submission),
                ts(at),
            )
        if sub.assessment is not None:
            apk, apublic, met, notes, by, at = sub.assessment
            add("assessment", str(apk), apublic, str(sub.pk), flag(met), text(notes), str(by), ts(at))
            for fpk, fpublic, code, note in sub.failures:
                add("failure", str(fpk), fpublic, str(apk), code, text(note), "", "", NULL, NULL, "", "", NULL, NULL)


def _ruleset() -> str:
    from files.quality.rules import RULESET_VERSION

    return RULESET_VERSION


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
