"""``render``: one finished story as COPY rows, for the tables and columns of ``tables.TABLES`` (the material and
charging rows are in ``rows_files``).

The case's denormalised search columns are built as ``casework.services._common.refresh_search`` builds them
(URN, summary, names, offences, PNC ids, then the titles and extracted text of the non-sensitive documents
that ``files.search.case_documents_search_text`` adds), so searching finds generated cases as it finds any.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from casework.identifiers import display_urn
from files.search import DOCUMENT_SEARCH_MAX_CHARS

from .copy import NULL, Rows, array, day, flag, jsonb, ref, text, ts
from .deadlines import AlertRow, DeadlineRow
from .rows_files import render_charging, render_material

if TYPE_CHECKING:
    from .cases import CaseStory


def search_columns(s: CaseStory) -> tuple[str, str]:
    """(search_text, search_names) as ``refresh_search`` writes them."""
    case = s.case
    names = [f"{p.first_names} {p.last_name}" for p in s.suspects]
    names += [f"{p.first_names} {p.last_name}" for p in s.victims]
    names += [f"{p.first_names} {p.last_name}" for p in s.witnesses]
    offences = [f"{o.offence_code.code} {o.offence_code.title}" for o in s.offences]
    pncs = [p.pnc_id for p in s.suspects if p.pnc_id]
    parts: list[str] = []
    remaining = DOCUMENT_SEARCH_MAX_CHARS
    for document in sorted(s.documents, key=lambda doc: (doc.created_at, doc.pk)):
        if document.sensitivity != "normal":
            continue
        clean = [v for v in document.versions if v.scan_status == "clean"]
        latest = max(clean, key=lambda v: v.number).text if clean else ""
        for part in (document.title, latest):
            if part and remaining > 0:
                parts.append(part[:remaining])
                remaining -= len(parts[-1]) + 1
    provided = "\n".join(parts)
    joined = " ".join([case.urn, display_urn(case.urn), case.summary, *names, *offences, *pncs, provided])
    return joined, " ".join(names).lower()


def render(s: CaseStory, deadlines: list[DeadlineRow], alerts: list[AlertRow], rows: Rows) -> None:
    """Every row of the story, in COPY text."""
    add = rows.add
    case = s.case
    cid = str(case.pk)
    as_of = s.as_of
    search_text, search_names = search_columns(s)
    add(
        "case",
        cid,
        case.public_id,
        case.urn,
        display_urn(case.urn),
        str(case.force_id),
        str(case.unit_id),
        ref(case.cps_area_id),
        case.status,
        array(case.flags),
        text(case.summary),
        str(case.officer_in_case_id),
        str(case.supervisor_id),
        day(case.reported_on),
        ts(case.sent_to_cps_at),
        flag(case.sent_to_cps_direct),
        str(case.officer_in_case_id),
        ts(case.created_at),
        ts(case.updated_at),
        text(search_text),
        text(search_names),
    )
    for p in s.suspects:
        add(
            "suspect",
            str(p.pk),
            p.public_id,
            cid,
            text(p.first_names),
            text(p.last_name),
            day(p.date_of_birth),
            ts(p.created_at),
            ts(p.created_at),
            p.pnc_id,
            p.asn,
            text(p.custody_record_number),
            p.interpreter_language,
            text(p.vulnerabilities),
            flag(p.needs_appropriate_adult),
        )
    for o in s.offences:
        add(
            "offence",
            str(o.pk),
            o.public_id,
            cid,
            str(o.suspect_id),
            str(o.offence_code.id),
            o.qualifier,
            day(o.committed_on),
            day(o.committed_until),
            text(o.location),
            text(o.particulars),
            o.status,
            ts(o.created_at),
            ts(o.updated_at or o.created_at),
        )
    for events in s.events.values():
        for e in events:
            add(
                "custody",
                str(e.pk),
                e.public_id,
                str(e.suspect_id),
                e.kind,
                ts(e.occurred_at),
                ts(e.relevant_time),
                day(e.arrested_on),
                e.bail_regime,
                day(e.bail_start_date),
                ts(e.period_ends_at),
                e.authority,
                text(e.authorised_by),
                ref(e.court_id),
                ref(e.offence_id),
                day(e.first_remand_date),
                text(e.conditions),
                text(e.notes),
                str(e.recorded_by_id),
                ts(min(e.occurred_at, as_of)),
            )
    for v in s.victims:
        add(
            "victim",
            str(v.pk),
            v.public_id,
            cid,
            text(v.first_names),
            text(v.last_name),
            day(v.date_of_birth),
            ts(v.created_at),
            ts(v.created_at),
            flag(v.is_organisation),
            array(v.enhanced_rights),
            v.contact_preference,
            text(v.contact_details),
            v.personal_statement,
            day(v.personal_statement_on),
            day(v.first_statement_on),
        )
        for u in v.updates:
            add(
                "victimupdate",
                str(u.pk),
                u.public_id,
                str(v.pk),
                u.reason,
                day(u.event_on),
                day(u.given_on),
                u.method,
                text(u.summary),
                str(u.given_by_id),
                ts(u.recorded_at),
            )
    for w in s.witnesses:
        add(
            "witness",
            str(w.pk),
            w.public_id,
            cid,
            text(w.first_names),
            text(w.last_name),
            day(w.date_of_birth),
            ts(w.created_at),
            ts(w.dates_recorded_at or w.created_at),
            w.witness_type,
            flag(w.is_key),
            w.vulnerability,
            array(w.special_measures),
            flag(w.willing_to_attend),
            flag(w.no_dates_to_avoid),
            text(w.notes),
        )
        for pk, start, end, reason in w.unavailable:
            add("unavailability", str(pk), str(w.pk), day(start), day(end), text(reason))
    for h in s.hearings:
        add(
            "hearing",
            str(h.pk),
            h.public_id,
            cid,
            str(h.court_id),
            ts(h.starts_at),
            h.hearing_type,
            h.outcome,
            text(h.outcome_notes),
            ts(h.created_at),
            ts(min(h.starts_at, as_of) if h.outcome else h.created_at),
        )
    render_material(s, rows, cid)
    render_charging(s, rows, cid)
    for dl in deadlines:
        add(
            "deadline",
            str(dl.pk),
            dl.public_id,
            cid,
            dl.kind,
            text(dl.subject_key),
            ref(dl.suspect_id),
            ref(dl.offence_id),
            text(dl.label),
            ts(dl.due_at),
            text(dl.rule),
            flag(dl.statutory),
            dl.status,
            ts(dl.next_alert_at),
            ts(dl.met_at),
            ts(as_of),
            ts(dl.created_at),
        )
    for a in alerts:
        add(
            "alert",
            str(a.pk),
            a.public_id,
            str(a.deadline_id),
            case.public_id,
            str(a.recipient_id),
            a.threshold,
            ts(a.due_at),
            text(a.subject),
            text(a.body),
            flag(a.urgent),
            flag(a.requires_acknowledgement),
            ts(a.created_at),
            ts(a.read_at),
            ts(a.acknowledged_at),
            text(a.acknowledgement_note),
            ts(a.dismissed_at),
            ts(a.escalated_at),
        )
        assert a.delivery is not None
        pk, status, digest, attempts, sent_at = a.delivery
        add(
            "delivery",
            str(pk),
            str(a.pk),
            "email",
            status,
            flag(digest),
            str(attempts),
            ts(a.created_at) if status == "pending" and not digest else NULL,
            "",
            ts(sent_at),
            ts(a.created_at),
        )
        if a.attempt is not None:
            add("attempt", str(a.attempt[0]), str(pk), ts(a.attempt[1]), "sent", "")
    _render_audit(s, rows)


def _render_audit(s: CaseStory, rows: Rows) -> None:
    people = s.ref.people
    case_uuid = s.case.public_id
    events = list(s.audit)
    for r in s.requests:
        events.extend(
            (event, at, actor, "charging.chargingrequest", r.public_id, summary, data)
            for event, at, actor, summary, data in r.events
        )
    for event, at, actor, object_type, object_id, summary, data in events:
        person = people.get(actor) if actor is not None else None
        rows.add(
            "audit",
            str(s.ids("audit")),
            s.d.uuid(),
            ts(at),
            event,
            ref(actor),
            person.username if person else "",
            array(person.roles) if person else "{}",
            ref(person.organisation_id) if person else NULL,
            object_type,
            object_id,
            case_uuid,
            text(summary[:500]),
            jsonb(data),
            NULL,
            "",
        )
