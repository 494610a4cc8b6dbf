"""Gathering one file's ``FileFacts`` from the database, for the pure rules to read.

``gather_facts`` makes a fixed number of queries however many people, offences, documents and
versions the case has (``QUERY_BUDGET``; a test holds it to that). It reads the whole case, not
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
from dataclasses import asdict
from datetime import date
from typing import Any

from django.db.models import Exists, OuterRef

from casework.models import Case, CustodyEvent, OffenceAllegation, Suspect, Victim, Witness, WitnessUnavailability

from ..choices import FileStage, ScanStatus, Sensitivity, SubmissionStatus
from ..models import CaseSummary, Document, DocumentVersion, Exhibit, FileSubmission, PointToProve, UnusedItem
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

QUERY_BUDGET = 16
PRE_CHARGE_STAGES = (FileStage.PRE_CHARGE_FCT, FileStage.PRE_CHARGE_TT)


def _name(first_names: str, last_name: str) -> str:
    return f"{first_names} {last_name.upper()}".strip()


def _ids(values: Any) -> tuple[str, ...]:
    return tuple(sorted(str(v) for v in values if v is not None))


def _suspects(case: Case) -> tuple[SuspectFact, ...]:
    latest: dict[int, str] = {}
    events = CustodyEvent.objects.filter(suspect__case=case).order_by("occurred_at", "id")
    for suspect_id, kind in events.values_list("suspect_id", "kind"):
        latest[suspect_id] = kind
    rows = Suspect.objects.filter(case=case).order_by("created_at", "id")
    return tuple(
        SuspectFact(
            id=str(s["public_id"]),
            name=_name(s["first_names"], s["last_name"]),
            date_of_birth=s["date_of_birth"],
            pnc_id=s["pnc_id"],
            custody_status=latest.get(s["id"], ""),
        )
        for s in rows.values("id", "public_id", "first_names", "last_name", "date_of_birth", "pnc_id")
    )


def _offences(case: Case) -> tuple[OffenceFact, ...]:
    rows = OffenceAllegation.objects.filter(case=case).order_by("created_at", "id")
    return tuple(
        OffenceFact(
            id=str(o["public_id"]),
            suspect_id=str(o["suspect__public_id"]),
            code=f"{o['offence_code__code']}{o['qualifier']}",
            title=o["offence_code__title"],
            mode_of_trial=o["offence_code__mode_of_trial"],
            dg6_group=o["offence_code__dg6_group"],
            committed_on=o["committed_on"],
            committed_until=o["committed_until"],
            status=o["status"],
        )
        for o in rows.values(
            "public_id",
            "suspect__public_id",
            "offence_code__code",
            "qualifier",
            "offence_code__title",
            "offence_code__mode_of_trial",
            "offence_code__dg6_group",
            "committed_on",
            "committed_until",
            "status",
        )
    )


def _witnesses(case: Case) -> tuple[WitnessFact, ...]:
    rows = (
        Witness.objects.filter(case=case)
        .annotate(has_dates=Exists(WitnessUnavailability.objects.filter(witness=OuterRef("pk"))))
        .order_by("created_at", "id")
    )
    return tuple(
        WitnessFact(
            id=str(w["public_id"]),
            name=_name(w["first_names"], w["last_name"]),
            is_key=w["is_key"],
            vulnerability=w["vulnerability"],
            has_dates_to_avoid=w["has_dates"],
            no_dates_to_avoid=w["no_dates_to_avoid"],
        )
        for w in rows.values(
            "public_id", "first_names", "last_name", "is_key", "vulnerability", "has_dates", "no_dates_to_avoid"
        )
    )


def _victims(case: Case) -> tuple[VictimFact, ...]:
    rows = Victim.objects.filter(case=case).order_by("created_at", "id")
    return tuple(
        VictimFact(
            id=str(v["public_id"]),
            name=_name(v["first_names"], v["last_name"]),
            date_of_birth=v["date_of_birth"],
            is_organisation=v["is_organisation"],
            personal_statement=v["personal_statement"],
            first_statement_on=v["first_statement_on"],
        )
        for v in rows.values(
            "public_id",
            "first_names",
            "last_name",
            "date_of_birth",
            "is_organisation",
            "personal_statement",
            "first_statement_on",
        )
    )


def _documents(case: Case) -> tuple[tuple[DocumentFact, ...], tuple[UncleanUploadFact, ...], dict[int, str]]:
    """Documents in the file (latest clean version), newer uploads that are not clean, and the
    document public id for each document pk (to resolve links)."""
    versions: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for v in (
        DocumentVersion.objects.filter(document__case=case)
        .order_by("document_id", "number")
        .values("document_id", "public_id", "number", "sha256", "scan_status")
    ):
        versions[v["document_id"]].append(dict(v))
    rows = Document.objects.filter(case=case).order_by("created_at", "id")
    documents: list[DocumentFact] = []
    unclean: list[UncleanUploadFact] = []
    public_ids: dict[int, str] = {}
    for d in rows.values(
        "id",
        "public_id",
        "kind",
        "title",
        "witness__public_id",
        "suspect__public_id",
        "redaction_status",
        "redaction_confirmed_at",
        "sensitivity",
    ):
        public_id = str(d["public_id"])
        public_ids[d["id"]] = public_id
        sensitive = d["sensitivity"] == Sensitivity.SENSITIVE
        history = versions.get(d["id"], [])
        clean = [v for v in history if v["scan_status"] == ScanStatus.CLEAN]
        latest_clean = clean[-1] if clean else None
        if latest_clean is not None:
            documents.append(
                DocumentFact(
                    id=public_id,
                    kind=d["kind"],
                    title=d["title"],
                    version_id=str(latest_clean["public_id"]),
                    version_number=latest_clean["number"],
                    sha256=latest_clean["sha256"],
                    witness_id=str(d["witness__public_id"]) if d["witness__public_id"] else None,
                    suspect_id=str(d["suspect__public_id"]) if d["suspect__public_id"] else None,
                    redaction_status=d["redaction_status"],
                    redaction_confirmed=d["redaction_confirmed_at"] is not None,
                    sensitive=sensitive,
                )
            )
        newest = history[-1] if history else None
        if newest is not None and newest["scan_status"] != ScanStatus.CLEAN:
            unclean.append(
                UncleanUploadFact(
                    document_id=public_id,
                    kind=d["kind"],
                    title=d["title"],
                    scan_status=newest["scan_status"],
                    newest_number=newest["number"],
                    clean_number=latest_clean["number"] if latest_clean else None,
                    sensitive=sensitive,
                )
            )
    return tuple(documents), tuple(unclean), public_ids


def _exhibits(case: Case, document_ids: dict[int, str]) -> tuple[ExhibitFact, ...]:
    linked: dict[int, list[str]] = defaultdict(list)
    through = Exhibit.documents.through.objects.filter(exhibit__case=case)
    for exhibit_id, document_id in through.values_list("exhibit_id", "document_id"):
        linked[exhibit_id].append(document_ids.get(document_id, ""))
    rows = Exhibit.objects.filter(case=case).order_by("producer_initials", "number", "id")
    return tuple(
        ExhibitFact(id=str(e["public_id"]), reference=e["reference"], document_ids=_ids(linked.get(e["id"], [])))
        for e in rows.values("id", "public_id", "reference")
    )


def _unused(case: Case, document_ids: dict[int, str]) -> tuple[UnusedItemFact, ...]:
    rows = UnusedItem.objects.filter(case=case).order_by("schedule", "item_number", "id")
    return tuple(
        UnusedItemFact(
            id=str(u["public_id"]),
            schedule=u["schedule"],
            item_number=u["item_number"],
            rebuttable_presumption=u["rebuttable_presumption"],
            document_id=document_ids.get(u["document_id"]) if u["document_id"] else None,
        )
        for u in rows.values("public_id", "schedule", "item_number", "rebuttable_presumption", "document_id")
    )


def _points(case: Case, document_ids: dict[int, str]) -> tuple[PointFact, ...]:
    documents: dict[int, list[str]] = defaultdict(list)
    for point_id, document_id in PointToProve.evidence_documents.through.objects.filter(
        pointtoprove__case=case
    ).values_list("pointtoprove_id", "document_id"):
        documents[point_id].append(document_ids.get(document_id, ""))
    exhibits: dict[int, list[str]] = defaultdict(list)
    for point_id, exhibit_public_id in PointToProve.evidence_exhibits.through.objects.filter(
        pointtoprove__case=case
    ).values_list("pointtoprove_id", "exhibit__public_id"):
        exhibits[point_id].append(str(exhibit_public_id))
    rows = PointToProve.objects.filter(case=case).order_by("offence_id", "order", "id")
    return tuple(
        PointFact(
            id=str(p["public_id"]),
            offence_id=str(p["offence__public_id"]),
            text=p["text"],
            document_ids=_ids(documents.get(p["id"], [])),
            exhibit_ids=_ids(exhibits.get(p["id"], [])),
        )
        for p in rows.values("id", "public_id", "offence__public_id", "text")
    )


def _mg5(case: Case) -> CaseSummaryFact | None:
    row = CaseSummary.objects.filter(case=case).values("summary", "interview_summary", "certified_at").first()
    if row is None:
        return None
    return CaseSummaryFact(
        has_summary=bool(row["summary"].strip()),
        interview_summary_words=len(row["interview_summary"].split()),
        certified=row["certified_at"] is not None,
    )


def gather_facts(*, case: Case, stage: str, anticipated_plea: str, as_of: date) -> FileFacts:
    """Everything the rules read about a file for ``stage`` on ``case``, as it stands now."""
    documents, unclean, document_ids = _documents(case)
    cps_decision_sought = FileSubmission.objects.filter(
        case=case, stage__in=PRE_CHARGE_STAGES, status=SubmissionStatus.SUBMITTED
    ).exists()
    return FileFacts(
        case_id=str(case.public_id),
        stage=stage,
        anticipated_plea=anticipated_plea,
        as_of=as_of,
        flags=tuple(sorted(case.flags)),
        has_officer_in_case=case.officer_in_case_id is not None,
        cps_decision_sought=cps_decision_sought,
        suspects=_suspects(case),
        offences=_offences(case),
        witnesses=_witnesses(case),
        victims=_victims(case),
        documents=documents,
        unclean_uploads=unclean,
        exhibits=_exhibits(case, document_ids),
        unused_items=_unused(case, document_ids),
        points=_points(case, document_ids),
        mg5=_mg5(case),
    )


def inputs_digest(facts: FileFacts, thresholds: Thresholds) -> str:
    """A digest of everything a report depends on: the facts, the thresholds and the rule-set
    version. Equal digests mean the report would come out the same."""
    payload = {"ruleset": RULESET_VERSION, "thresholds": asdict(thresholds), "facts": facts.as_json()}
    text = json.dumps(payload, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()
