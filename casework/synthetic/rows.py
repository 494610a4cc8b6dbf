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

from .copy import NULL, Rows, day, jsonb, ref, text
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
    """Every row of the story, in COPY text. Each line is one f-string in the column order of ``tables.TABLES``
    (``N``: NULL): a call per cell was most of the time rendering took."""
    out = rows.lines
    case = s.case
    cid = str(case.pk)
    as_of = s.as_of
    N = NULL
    search_text, search_names = search_columns(s)
    out["case"].append(
        f"{cid}\t{case.public_id}\t{case.urn}\t{display_urn(case.urn)}\t{case.force_id}\t{case.unit_id}\t"
        f"{ref(case.cps_area_id)}\t{case.status}\t{{{','.join(case.flags)}}}\t{text(case.summary)}\t"
        f"{case.officer_in_case_id}\t{case.supervisor_id}\t{case.reported_on.isoformat()}\t"
        f"{N if case.sent_to_cps_at is None else case.sent_to_cps_at.isoformat()}\t"
        f"{'t' if case.sent_to_cps_direct else 'f'}\t{case.officer_in_case_id}\t{case.created_at.isoformat()}\t"
        f"{N if case.updated_at is None else case.updated_at.isoformat()}\t{text(search_text)}\t{text(search_names)}"
    )
    lines = out["suspect"]
    for p in s.suspects:
        created = p.created_at.isoformat()
        lines.append(
            f"{p.pk}\t{p.public_id}\t{cid}\t{text(p.first_names)}\t{text(p.last_name)}\t{day(p.date_of_birth)}\t"
            f"{created}\t{created}\t{p.pnc_id}\t{p.asn}\t{text(p.custody_record_number)}\t{p.interpreter_language}\t"
            f"{text(p.vulnerabilities)}\t{'t' if p.needs_appropriate_adult else 'f'}"
        )
    lines = out["offence"]
    for o in s.offences:
        lines.append(
            f"{o.pk}\t{o.public_id}\t{cid}\t{o.suspect_id}\t{o.offence_code.id}\t{o.qualifier}\t"
            f"{o.committed_on.isoformat()}\t{day(o.committed_until)}\t{text(o.location)}\t{text(o.particulars)}\t"
            f"{o.status}\t{o.created_at.isoformat()}\t{(o.updated_at or o.created_at).isoformat()}"
        )
    lines = out["custody"]
    for events in s.events.values():
        for e in events:
            occurred = e.occurred_at
            lines.append(
                f"{e.pk}\t{e.public_id}\t{e.suspect_id}\t{e.kind}\t{occurred.isoformat()}\t"
                f"{N if e.relevant_time is None else e.relevant_time.isoformat()}\t"
                f"{day(e.arrested_on)}\t{e.bail_regime}\t{day(e.bail_start_date)}\t"
                f"{N if e.period_ends_at is None else e.period_ends_at.isoformat()}\t"
                f"{e.authority}\t{text(e.authorised_by)}\t{ref(e.court_id)}\t{ref(e.offence_id)}\t"
                f"{day(e.first_remand_date)}\t{text(e.conditions)}\t{text(e.notes)}\t{e.recorded_by_id}\t"
                f"{(as_of if as_of < occurred else occurred).isoformat()}"
            )
    victims, updates = out["victim"], out["victimupdate"]
    for v in s.victims:
        created = v.created_at.isoformat()
        victims.append(
            f"{v.pk}\t{v.public_id}\t{cid}\t{text(v.first_names)}\t{text(v.last_name)}\t{day(v.date_of_birth)}\t"
            f"{created}\t{created}\t{'t' if v.is_organisation else 'f'}\t{{{','.join(v.enhanced_rights)}}}\t"
            f"{v.contact_preference}\t{text(v.contact_details)}\t{v.personal_statement}\t"
            f"{day(v.personal_statement_on)}\t{day(v.first_statement_on)}"
        )
        for u in v.updates:
            updates.append(
                f"{u.pk}\t{u.public_id}\t{v.pk}\t{u.reason}\t{u.event_on.isoformat()}\t{u.given_on.isoformat()}\t"
                f"{u.method}\t{text(u.summary)}\t{u.given_by_id}\t{u.recorded_at.isoformat()}"
            )
    witnesses, unavailable = out["witness"], out["unavailability"]
    for w in s.witnesses:
        witnesses.append(
            f"{w.pk}\t{w.public_id}\t{cid}\t{text(w.first_names)}\t{text(w.last_name)}\t{day(w.date_of_birth)}\t"
            f"{w.created_at.isoformat()}\t{(w.dates_recorded_at or w.created_at).isoformat()}\t{w.witness_type}\t"
            f"{'t' if w.is_key else 'f'}\t{w.vulnerability}\t{{{','.join(w.special_measures)}}}\t"
            f"{'t' if w.willing_to_attend else 'f'}\t{'t' if w.no_dates_to_avoid else 'f'}\t{text(w.notes)}"
        )
        for pk, start, end, reason in w.unavailable:
            unavailable.append(f"{pk}\t{w.pk}\t{start.isoformat()}\t{end.isoformat()}\t{text(reason)}")
    lines = out["hearing"]
    for h in s.hearings:
        updated = (as_of if as_of < h.starts_at else h.starts_at) if h.outcome else h.created_at
        lines.append(
            f"{h.pk}\t{h.public_id}\t{cid}\t{h.court_id}\t{h.starts_at.isoformat()}\t{h.hearing_type}\t{h.outcome}\t"
            f"{text(h.outcome_notes)}\t{h.created_at.isoformat()}\t{updated.isoformat()}"
        )
    render_material(s, rows, cid)
    render_charging(s, rows, cid)
    computed = as_of.isoformat()
    lines = out["deadline"]
    for dl in deadlines:
        lines.append(
            f"{dl.pk}\t{dl.public_id}\t{cid}\t{dl.kind}\t{text(dl.subject_key)}\t{ref(dl.suspect_id)}\t"
            f"{ref(dl.offence_id)}\t{text(dl.label)}\t{dl.due_at.isoformat()}\t{text(dl.rule)}\t"
            f"{'t' if dl.statutory else 'f'}\t{dl.status}\t"
            f"{N if dl.next_alert_at is None else dl.next_alert_at.isoformat()}\t"
            f"{N if dl.met_at is None else dl.met_at.isoformat()}\t{computed}\t"
            f"{dl.created_at.isoformat()}"
        )
    alert_lines, deliveries, attempts = out["alert"], out["delivery"], out["attempt"]
    for a in alerts:
        created = a.created_at.isoformat()
        alert_lines.append(
            f"{a.pk}\t{a.public_id}\t{a.deadline_id}\t{case.public_id}\t{a.recipient_id}\t{a.threshold}\t"
            f"{a.due_at.isoformat()}\t{text(a.subject)}\t{text(a.body)}\t{'t' if a.urgent else 'f'}\t"
            f"{'t' if a.requires_acknowledgement else 'f'}\t{created}\t"
            f"{N if a.read_at is None else a.read_at.isoformat()}\t"
            f"{N if a.acknowledged_at is None else a.acknowledged_at.isoformat()}\t"
            f"{text(a.acknowledgement_note)}\t{N if a.dismissed_at is None else a.dismissed_at.isoformat()}\t"
            f"{N if a.escalated_at is None else a.escalated_at.isoformat()}"
        )
        assert a.delivery is not None
        pk, status, digest, tries, sent_at = a.delivery
        retry = created if status == "pending" and not digest else N
        deliveries.append(
            f"{pk}\t{a.pk}\temail\t{status}\t{'t' if digest else 'f'}\t{tries}\t{retry}\t\t"
            f"{N if sent_at is None else sent_at.isoformat()}\t{created}"
        )
        if a.attempt is not None:
            attempts.append(f"{a.attempt[0]}\t{pk}\t{a.attempt[1].isoformat()}\tsent\t")
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
    lines = rows.lines["audit"]
    ids, uuid = s.ids, s.d.uuid
    actors = s.chunk.audit_actors
    for event, at, actor, object_type, object_id, summary, data in events:
        who = actors.get(actor)
        if who is None:
            person = people.get(actor) if actor is not None else None
            if person is not None:
                who = f"{actor}\t{person.username}\t{{{','.join(person.roles)}}}\t{person.organisation_id}"
            else:
                who = f"{ref(actor)}\t\t{{}}\t{NULL}"
            actors[actor] = who
        lines.append(
            f"{ids('audit')}\t{uuid()}\t{at.isoformat()}\t{event}\t{who}\t{object_type}\t{object_id}\t{case_uuid}\t"
            f"{text(summary[:500])}\t{jsonb(data)}\t{NULL}\t"
        )
