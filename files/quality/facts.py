"""Gathering one file's ``FileFacts`` from the database, for the pure rules to read.

``gather_facts`` makes one query however many people, offences, documents and versions the case
has (``QUERY_BUDGET``; a test holds it to that), a prepared statement (``prepared``). It reads the whole case, not
what one user may see: the file goes to the CPS, which sees sensitive material, and findings about
sensitive material are marked so that pages show them only to those who may see it.

Only clean versions count, and of those only the latest: a document whose newest upload is still
being scanned (or was quarantined) is in the file as its latest clean version, and the newer upload
is reported separately (``UncleanUploadFact``).
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from dataclasses import asdict, dataclass
from datetime import date
from functools import cache, lru_cache
from typing import Any

from django.db import connection
from django.db.models import Model

from casework.models import (
    Case,
    CustodyEvent,
    OffenceAllegation,
    OffenceCode,
    Suspect,
    Victim,
    Witness,
    WitnessUnavailability,
    person_name,
)

from ..choices import FileStage, ScanStatus, Sensitivity, SubmissionStatus
from ..models import (
    CaseSummary,
    Document,
    DocumentVersion,
    Exhibit,
    FileSubmission,
    PointToProve,
    QualityReport,
    UnusedItem,
)
from .prepared import Statement
from .prepared import execute as execute_prepared
from .rules import (
    RULESET_VERSION,
    CaseSummaryFact,
    DocumentFact,
    ExhibitFact,
    FileFacts,
    OffenceFact,
    PointFact,
    SuspectFact,
    Thresholds,
    UncleanUploadFact,
    UnusedItemFact,
    VictimFact,
    WitnessFact,
)

QUERY_BUDGET = 1
PRE_CHARGE_STAGES = (FileStage.PRE_CHARGE_FCT, FileStage.PRE_CHARGE_TT)
_PRE_CHARGE = [str(s) for s in PRE_CHARGE_STAGES]
_SUBMITTED = str(SubmissionStatus.SUBMITTED)


def _ids(values: Any) -> tuple[str, ...]:
    return tuple(sorted(str(v) for v in values if v is not None))


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _table(model: type[Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


@cache
def facts_statement() -> Statement:
    """One statement for everything a file is judged on: the case row, then each part as a JSON array of rows
    (in the order the rules read them), built by a subquery on the case's indexed foreign key, all in one JSON
    array; and the digest of the submission's latest report, for the check to compare with. One statement
    instead of one query per part, because a check runs for every draft whenever its case changes, and each
    extra query costs about a millisecond in the ORM and the round trip: sixteen of them were most of a
    check's time (benchmarks/quality_checks.py). Prepared once per connection (``prepared``).

    Parameters: $1 the case, $2 the submission whose latest report digest is wanted (NULL for none), $3 the
    pre-charge stages, $4 the submitted status."""
    case, suspect, event, offence, code = (
        _table(m) for m in (Case, Suspect, CustodyEvent, OffenceAllegation, OffenceCode)
    )
    witness, unavailable, victim = (_table(m) for m in (Witness, WitnessUnavailability, Victim))
    document, version, exhibit, unused = (_table(m) for m in (Document, DocumentVersion, Exhibit, UnusedItem))
    exhibit_docs = _table(Exhibit.documents.through)
    point, point_docs = _table(PointToProve), _table(PointToProve.evidence_documents.through)
    point_exhibits, summary, submission, report = (
        _table(PointToProve.evidence_exhibits.through),
        _table(CaseSummary),
        _table(FileSubmission),
        _table(QualityReport),
    )
    sql = f"""
    SELECT
      k.public_id, k.flags, k.officer_in_case_id IS NOT NULL,
      (SELECT r.inputs_digest FROM {report} r WHERE r.submission_id = $2 ORDER BY r.created_at DESC, r.id DESC
        LIMIT 1),
      json_build_array(
      EXISTS (SELECT 1 FROM {submission} f
              WHERE f.case_id = $1 AND f.stage = ANY($3) AND f.status = $4),
      (SELECT json_agg(json_build_array(e.suspect_id, e.kind) ORDER BY e.occurred_at, e.id)
         FROM {event} e JOIN {suspect} s ON s.id = e.suspect_id WHERE s.case_id = $1),
      (SELECT json_agg(json_build_array(s.id, s.public_id, s.first_names, s.last_name, s.date_of_birth, s.pnc_id)
                       ORDER BY s.created_at, s.id)
         FROM {suspect} s WHERE s.case_id = $1),
      (SELECT json_agg(json_build_array(o.public_id, s.public_id, c.code, o.qualifier, c.title, c.mode_of_trial,
                                        c.dg6_group, o.committed_on, o.committed_until, o.status)
                       ORDER BY o.created_at, o.id)
         FROM {offence} o JOIN {suspect} s ON s.id = o.suspect_id JOIN {code} c ON c.id = o.offence_code_id
        WHERE o.case_id = $1),
      (SELECT json_agg(json_build_array(w.public_id, w.first_names, w.last_name, w.is_key, w.vulnerability,
                                        EXISTS (SELECT 1 FROM {unavailable} u WHERE u.witness_id = w.id),
                                        w.no_dates_to_avoid)
                       ORDER BY w.created_at, w.id)
         FROM {witness} w WHERE w.case_id = $1),
      (SELECT json_agg(json_build_array(v.public_id, v.first_names, v.last_name, v.date_of_birth,
                                        v.is_organisation, v.personal_statement, v.first_statement_on)
                       ORDER BY v.created_at, v.id)
         FROM {victim} v WHERE v.case_id = $1),
      (SELECT json_agg(json_build_array(dv.document_id, dv.public_id, dv.number, dv.sha256, dv.scan_status)
                       ORDER BY dv.document_id, dv.number)
         FROM {version} dv JOIN {document} d ON d.id = dv.document_id WHERE d.case_id = $1),
      -- The witness and suspect by primary key for each of the case's few documents: as joins, the planner
      -- hashed the whole suspect table instead (a sixth of the statement's time on 1,000 cases).
      (SELECT json_agg(json_build_array(d.id, d.public_id, d.kind, d.title,
                                        (SELECT w.public_id FROM {witness} w WHERE w.id = d.witness_id),
                                        (SELECT s.public_id FROM {suspect} s WHERE s.id = d.suspect_id),
                                        d.redaction_status, d.redaction_confirmed_at IS NOT NULL, d.sensitivity)
                       ORDER BY d.created_at, d.id)
         FROM {document} d WHERE d.case_id = $1),
      (SELECT json_agg(json_build_array(x.exhibit_id, x.document_id))
         FROM {exhibit_docs} x JOIN {exhibit} e ON e.id = x.exhibit_id WHERE e.case_id = $1),
      (SELECT json_agg(json_build_array(e.id, e.public_id, e.reference) ORDER BY e.producer_initials, e.number, e.id)
         FROM {exhibit} e WHERE e.case_id = $1),
      (SELECT json_agg(json_build_array(u.public_id, u.schedule, u.item_number, u.rebuttable_presumption,
                                        u.document_id)
                       ORDER BY u.schedule, u.item_number, u.id)
         FROM {unused} u WHERE u.case_id = $1),
      (SELECT json_agg(json_build_array(x.pointtoprove_id, x.document_id))
         FROM {point_docs} x JOIN {point} p ON p.id = x.pointtoprove_id WHERE p.case_id = $1),
      (SELECT json_agg(json_build_array(x.pointtoprove_id, e.public_id))
         FROM {point_exhibits} x JOIN {point} p ON p.id = x.pointtoprove_id JOIN {exhibit} e ON e.id = x.exhibit_id
        WHERE p.case_id = $1),
      (SELECT json_agg(json_build_array(p.id, p.public_id, o.public_id, p.text) ORDER BY p.offence_id, p."order", p.id)
         FROM {point} p JOIN {offence} o ON o.id = p.offence_id WHERE p.case_id = $1),
      (SELECT json_build_array(m.summary, m.interview_summary, m.certified_at IS NOT NULL)
         FROM {summary} m WHERE m.case_id = $1 ORDER BY m.id LIMIT 1)
      )
    FROM {case} k WHERE k.id = $1
    """  # noqa: S608 - table names from the models; every value is a parameter
    return Statement("quality_facts", sql, ("bigint", "bigint", "text[]", "text"))


def _suspects(rows: list[list[Any]], custody: list[list[Any]]) -> tuple[SuspectFact, ...]:
    latest: dict[int, str] = {}
    for suspect_id, kind in custody:
        latest[suspect_id] = kind
    return tuple(
        SuspectFact(
            id=public_id,
            name=person_name(first_names, last_name),
            date_of_birth=_date(date_of_birth),
            pnc_id=pnc_id,
            custody_status=latest.get(pk, ""),
        )
        for pk, public_id, first_names, last_name, date_of_birth, pnc_id in rows
    )


def _offences(rows: list[list[Any]]) -> tuple[OffenceFact, ...]:
    return tuple(
        OffenceFact(
            id=public_id,
            suspect_id=suspect_id,
            code=f"{code}{qualifier}",
            title=title,
            mode_of_trial=mode_of_trial,
            dg6_group=dg6_group,
            committed_on=date.fromisoformat(committed_on),
            committed_until=_date(committed_until),
            status=status,
        )
        for (
            public_id,
            suspect_id,
            code,
            qualifier,
            title,
            mode_of_trial,
            dg6_group,
            committed_on,
            committed_until,
            status,
        ) in rows
    )


def _witnesses(rows: list[list[Any]]) -> tuple[WitnessFact, ...]:
    return tuple(
        WitnessFact(
            id=public_id,
            name=person_name(first_names, last_name),
            is_key=is_key,
            vulnerability=vulnerability,
            has_dates_to_avoid=has_dates,
            no_dates_to_avoid=no_dates,
        )
        for public_id, first_names, last_name, is_key, vulnerability, has_dates, no_dates in rows
    )


def _victims(rows: list[list[Any]]) -> tuple[VictimFact, ...]:
    return tuple(
        VictimFact(
            id=public_id,
            name=person_name(first_names, last_name),
            date_of_birth=_date(date_of_birth),
            is_organisation=is_organisation,
            personal_statement=personal_statement,
            first_statement_on=_date(first_statement_on),
        )
        for (
            public_id,
            first_names,
            last_name,
            date_of_birth,
            is_organisation,
            personal_statement,
            first_statement_on,
        ) in rows
    )


def _documents(
    rows: list[list[Any]], version_rows: list[list[Any]]
) -> tuple[tuple[DocumentFact, ...], tuple[UncleanUploadFact, ...], dict[int, str]]:
    """Documents in the file (latest clean version), newer uploads that are not clean, and the
    document public id for each document pk (to resolve links)."""
    versions: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for document_id, public_id, number, sha256, scan_status in version_rows:
        versions[document_id].append(
            {"public_id": public_id, "number": number, "sha256": sha256, "scan_status": scan_status}
        )
    documents: list[DocumentFact] = []
    unclean: list[UncleanUploadFact] = []
    public_ids: dict[int, str] = {}
    for pk, public_id, kind, title, witness_id, suspect_id, redaction_status, redaction_confirmed, sensitivity in rows:
        public_ids[pk] = public_id
        sensitive = sensitivity == Sensitivity.SENSITIVE
        history = versions.get(pk, [])
        clean = [v for v in history if v["scan_status"] == ScanStatus.CLEAN]
        latest_clean = clean[-1] if clean else None
        if latest_clean is not None:
            documents.append(
                DocumentFact(
                    id=public_id,
                    kind=kind,
                    title=title,
                    version_id=latest_clean["public_id"],
                    version_number=latest_clean["number"],
                    sha256=latest_clean["sha256"],
                    witness_id=witness_id or None,
                    suspect_id=suspect_id or None,
                    redaction_status=redaction_status,
                    redaction_confirmed=redaction_confirmed,
                    sensitive=sensitive,
                )
            )
        newest = history[-1] if history else None
        if newest is not None and newest["scan_status"] != ScanStatus.CLEAN:
            unclean.append(
                UncleanUploadFact(
                    document_id=public_id,
                    kind=kind,
                    title=title,
                    scan_status=newest["scan_status"],
                    newest_number=newest["number"],
                    clean_number=latest_clean["number"] if latest_clean else None,
                    sensitive=sensitive,
                )
            )
    return tuple(documents), tuple(unclean), public_ids


def _exhibits(rows: list[list[Any]], links: list[list[Any]], document_ids: dict[int, str]) -> tuple[ExhibitFact, ...]:
    linked: dict[int, list[str]] = defaultdict(list)
    for exhibit_id, document_id in links:
        linked[exhibit_id].append(document_ids.get(document_id, ""))
    return tuple(
        ExhibitFact(id=public_id, reference=reference, document_ids=_ids(linked.get(pk, [])))
        for pk, public_id, reference in rows
    )


def _unused(rows: list[list[Any]], document_ids: dict[int, str]) -> tuple[UnusedItemFact, ...]:
    return tuple(
        UnusedItemFact(
            id=public_id,
            schedule=schedule,
            item_number=item_number,
            rebuttable_presumption=rebuttable_presumption,
            document_id=document_ids.get(document_id) if document_id else None,
        )
        for public_id, schedule, item_number, rebuttable_presumption, document_id in rows
    )


def _points(
    rows: list[list[Any]], document_links: list[list[Any]], exhibit_links: list[list[Any]], document_ids: dict[int, str]
) -> tuple[PointFact, ...]:
    documents: dict[int, list[str]] = defaultdict(list)
    for point_id, document_id in document_links:
        documents[point_id].append(document_ids.get(document_id, ""))
    exhibits: dict[int, list[str]] = defaultdict(list)
    for point_id, exhibit_public_id in exhibit_links:
        exhibits[point_id].append(exhibit_public_id)
    return tuple(
        PointFact(
            id=public_id,
            offence_id=offence_id,
            text=text,
            document_ids=_ids(documents.get(pk, [])),
            exhibit_ids=_ids(exhibits.get(pk, [])),
        )
        for pk, public_id, offence_id, text in rows
    )


def _mg5(row: list[Any] | None) -> CaseSummaryFact | None:
    if row is None:
        return None
    summary, interview_summary, certified = row
    return CaseSummaryFact(
        has_summary=bool(summary.strip()),
        interview_summary_words=len(interview_summary.split()),
        certified=certified,
    )


@dataclass(frozen=True)
class Gathered:
    """A file's facts as one statement read them, with the digest of the submission's latest report (None when
    it has none, or none was asked for)."""

    facts: FileFacts
    latest_digest: str | None


def gather(*, case_id: int, submission_id: int | None, stage: str, anticipated_plea: str, as_of: date) -> Gathered:
    """Everything the rules read about a file for ``stage`` on the case, as it stands now (the case row
    included), in one statement; with the latest report's digest of ``submission_id``."""
    with connection.cursor() as cursor:
        execute_prepared(cursor, facts_statement(), [case_id, submission_id, _PRE_CHARGE, _SUBMITTED])
        row = cursor.fetchone()
    if row is None:
        raise Case.DoesNotExist(f"No case {case_id}")
    public_id, flags, has_officer_in_case, latest_digest, (cps_decision_sought, *parts, mg5) = row
    (
        custody,
        suspects,
        offences,
        witnesses,
        victims,
        versions,
        document_rows,
        exhibit_links,
        exhibits,
        unused,
        point_documents,
        point_exhibits,
        points,
    ) = (part or [] for part in parts)  # json_agg over no rows is NULL
    documents, unclean, document_ids = _documents(document_rows, versions)
    facts = FileFacts(
        case_id=str(public_id),
        stage=stage,
        anticipated_plea=anticipated_plea,
        as_of=as_of,
        flags=tuple(sorted(flags)),
        has_officer_in_case=has_officer_in_case,
        cps_decision_sought=bool(cps_decision_sought),
        suspects=_suspects(suspects, custody),
        offences=_offences(offences),
        witnesses=_witnesses(witnesses),
        victims=_victims(victims),
        documents=documents,
        unclean_uploads=unclean,
        exhibits=_exhibits(exhibits, exhibit_links, document_ids),
        unused_items=_unused(unused, document_ids),
        points=_points(points, point_documents, point_exhibits, document_ids),
        mg5=_mg5(mg5),
    )
    return Gathered(facts=facts, latest_digest=latest_digest)


def gather_facts(*, case: Case, stage: str, anticipated_plea: str, as_of: date) -> FileFacts:
    """Everything the rules read about a file for ``stage`` on ``case``, as it stands now (the case's flags
    and officer in case are read again with the rest)."""
    return gather(
        case_id=case.pk, submission_id=None, stage=stage, anticipated_plea=anticipated_plea, as_of=as_of
    ).facts


def inputs_digest(facts: FileFacts, thresholds: Thresholds) -> str:
    """A digest of everything a report depends on: the facts, the thresholds and the rule-set
    version. Equal digests mean the report would come out the same."""
    payload = {"ruleset": RULESET_VERSION, "thresholds": _thresholds_json(thresholds), "facts": facts.as_json()}
    text = json.dumps(payload, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


@lru_cache(maxsize=16)
def _thresholds_json(thresholds: Thresholds) -> dict[str, Any]:
    """``asdict`` of the (frozen) thresholds, once per value rather than once per check; only ever read."""
    return asdict(thresholds)
