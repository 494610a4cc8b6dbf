"""A file as the quality rules read it (``facts``, exactly what ``files.quality.facts.gather_facts`` reads from the
database, for the records as they were at a moment), its inputs digest, and the snapshot of what was sent
(``files.services.submissions.build_snapshot``)."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from casework.identifiers import display_urn
from casework.models import person_name
from files.choices import (
    FileStage,
    Sensitivity,
)
from files.quality.rules import (
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
    counts,
)

from .context import london_date
from .digest import inputs_digest
from .records import SubmissionRec
from .story import StoryBase

if TYPE_CHECKING:
    pass


class FileFactsSteps:
    """The facts, digest and snapshot of a file; part of ``material.Material``."""

    thresholds: Thresholds
    _digests: dict[int, tuple[FileFacts, str]]

    def digest(self, facts: FileFacts) -> str:
        """``files.quality.facts.inputs_digest``, remembered for the facts object it was computed for (a file's
        facts are digested for its report and again for its snapshot)."""
        known = self._digests.get(id(facts))
        if known is not None and known[0] is facts:
            return known[1]
        digest = inputs_digest(facts, self.thresholds)
        self._digests = {id(facts): (facts, digest)}
        return digest

    def facts(self, s: StoryBase, stage: str, plea: str, moment: datetime) -> FileFacts:
        """The file as ``files.quality.facts.gather_facts`` would read it at ``moment``."""
        people = {p.pk: p for p in s.suspects}
        latest: dict[int, str] = {}
        for suspect_pk, events in s.events.items():
            for event in sorted(events, key=lambda e: (e.occurred_at, e.pk)):
                if event.occurred_at <= moment:
                    latest[suspect_pk] = event.kind
        suspects = tuple(
            SuspectFact(
                id=p.public_id,
                name=person_name(p.first_names, p.last_name),
                date_of_birth=p.date_of_birth,
                pnc_id=p.pnc_id,
                custody_status=str(latest.get(p.pk, "")),
            )
            for p in s.suspects
        )
        offences = tuple(
            OffenceFact(
                id=o.public_id,
                suspect_id=people[o.suspect_id].public_id,
                code=o.code_with_qualifier,
                title=o.offence_code.title,
                mode_of_trial=o.offence_code.mode_of_trial,
                dg6_group=o.offence_code.dg6_group,
                committed_on=o.committed_on,
                committed_until=o.committed_until,
                status=str(o.status_at(moment)),
            )
            for o in s.offences
        )
        witness_ids = {w.pk: w.public_id for w in s.witnesses}
        witnesses = tuple(
            WitnessFact(
                id=w.public_id,
                name=person_name(w.first_names, w.last_name),
                is_key=w.is_key,
                vulnerability=str(w.vulnerability),
                has_dates_to_avoid=bool(w.unavailable)
                and w.dates_recorded_at is not None
                and w.dates_recorded_at <= moment,
                no_dates_to_avoid=w.no_dates_to_avoid
                and w.dates_recorded_at is not None
                and w.dates_recorded_at <= moment,
            )
            for w in s.witnesses
        )
        victims = tuple(
            VictimFact(
                id=v.public_id,
                name=person_name(v.first_names, v.last_name),
                date_of_birth=v.date_of_birth,
                is_organisation=v.is_organisation,
                personal_statement=v.personal_statement_at(moment),
                first_statement_on=v.first_statement_on
                if v.first_statement_at and v.first_statement_at <= moment
                else None,
            )
            for v in s.victims
        )
        documents: list[DocumentFact] = []
        unclean: list[UncleanUploadFact] = []
        document_ids: dict[int, str] = {}
        for doc in s.documents:
            if doc.created_at > moment:
                continue
            document_ids[doc.pk] = doc.public_id
            history = [v for v in doc.versions if v.uploaded_at <= moment]
            clean = [
                v for v in history if v.scan_status == "clean" and v.scanned_at is not None and v.scanned_at <= moment
            ]
            latest_clean = clean[-1] if clean else None
            sensitive = doc.sensitivity == Sensitivity.SENSITIVE
            confirmed = doc.redaction_confirmed_at is not None and doc.redaction_confirmed_at <= moment
            if latest_clean is not None:
                documents.append(
                    DocumentFact(
                        id=doc.public_id,
                        kind=str(doc.kind),
                        title=doc.title,
                        version_id=latest_clean.public_id,
                        version_number=latest_clean.number,
                        sha256=latest_clean.sha256,
                        witness_id=witness_ids.get(doc.witness_id) if doc.witness_id else None,
                        suspect_id=people[doc.suspect_id].public_id if doc.suspect_id else None,
                        redaction_status=str(doc.redaction_status)
                        if confirmed or doc.redaction_status != "redacted"
                        else "required",
                        redaction_confirmed=confirmed,
                        sensitive=sensitive,
                    )
                )
            newest = history[-1] if history else None
            if newest is not None and newest is not latest_clean:
                unclean.append(
                    UncleanUploadFact(
                        document_id=doc.public_id,
                        kind=str(doc.kind),
                        title=doc.title,
                        scan_status="pending",
                        newest_number=newest.number,
                        clean_number=latest_clean.number if latest_clean else None,
                        sensitive=sensitive,
                    )
                )
        exhibits = tuple(
            ExhibitFact(
                id=e.public_id,
                reference=e.reference,
                document_ids=tuple(sorted(document_ids.get(pk, "") for pk in e.documents)),
            )
            for e in s.exhibits
            if e.created_at <= moment
        )
        unused = tuple(
            UnusedItemFact(
                id=u.public_id,
                schedule=str(u.schedule),
                item_number=u.item_number,
                rebuttable_presumption=u.rebuttable_presumption,
                document_id=document_ids.get(u.document_id) if u.document_id else None,
            )
            for u in s.unused
            if u.created_at <= moment
        )
        points = tuple(
            PointFact(
                id=p.public_id,
                offence_id=p.offence.public_id,
                text=p.text,
                document_ids=tuple(sorted(document_ids.get(doc.pk, "") for doc in p.documents)),
                exhibit_ids=tuple(sorted(e.public_id for e in p.exhibits)),
            )
            for p in s.points
            if p.created_at <= moment
        )
        mg5 = s.mg5
        summary = None
        if mg5 is not None and mg5.created_at <= moment:
            summary = CaseSummaryFact(
                has_summary=bool(mg5.summary.strip()),
                interview_summary_words=len(mg5.interview_summary.split()),
                certified=mg5.certified_at is not None and mg5.certified_at <= moment,
            )
        sought = any(
            sub.stage in (FileStage.PRE_CHARGE_FCT, FileStage.PRE_CHARGE_TT)
            and sub.submitted_at is not None
            and sub.submitted_at <= moment
            for sub in s.submissions
        )
        return FileFacts(
            case_id=s.case.public_id,
            stage=stage,
            anticipated_plea=plea,
            as_of=london_date(moment),
            flags=tuple(sorted(s.flags)),
            has_officer_in_case=True,
            cps_decision_sought=sought,
            suspects=suspects,
            offences=offences,
            witnesses=witnesses,
            victims=victims,
            documents=tuple(documents),
            unclean_uploads=tuple(unclean),
            exhibits=exhibits,
            unused_items=unused,
            points=points,
            mg5=summary,
        )

    def snapshot(
        self,
        s: StoryBase,
        submission: SubmissionRec,
        facts: FileFacts,
        findings: list[Any],
        report_id: str,
        moment: datetime,
    ) -> dict[str, Any]:
        """``files.services.submissions.build_snapshot`` for the records as they were at ``moment``."""
        today = facts.as_of
        people = {p.pk: p for p in s.suspects}
        officer = s.ref.people[s.oic]
        supervisor = s.ref.people[s.supervisor]
        blocking, advisory = counts(findings)
        return {
            "ruleset_version": RULESET_VERSION,
            "inputs_digest": self.digest(facts),
            "report": report_id,
            "as_of": today.isoformat(),
            "case": {
                "urn": display_urn(s.case.urn),
                "flags": sorted(s.flags),
                "summary": s.case.summary,
                "officer_in_case": officer.full_name,
            },
            "stage": submission.stage,
            "anticipated_plea": submission.anticipated_plea,
            "override": (
                {
                    "reason": submission.override_reason,
                    "by": supervisor.full_name,
                    "at": submission.override_at.isoformat() if submission.override_at else None,
                }
                if submission.override_at
                else None
            ),
            "suspects": [
                {
                    "id": p.public_id,
                    "name": p.full_name,
                    "date_of_birth": _iso(p.date_of_birth),
                    "pnc_id": p.pnc_id,
                    "asn": p.asn,
                    "interpreter_language": p.interpreter_language,
                    "needs_appropriate_adult": p.needs_appropriate_adult,
                    "vulnerabilities": p.vulnerabilities,
                    "custody_status": next((f.custody_status for f in facts.suspects if f.id == p.public_id), ""),
                }
                for p in s.suspects
            ],
            "offences": [
                {
                    "id": o.public_id,
                    "suspect": people[o.suspect_id].public_id,
                    "code": o.code_with_qualifier,
                    "title": o.offence_code.title,
                    "mode_of_trial": o.offence_code.mode_of_trial,
                    "committed_on": _iso(o.committed_on),
                    "committed_until": _iso(o.committed_until),
                    "location": o.location,
                    "particulars": o.particulars,
                    "status": o.status_at(moment),
                }
                for o in s.offences
            ],
            "witnesses": [
                {
                    "id": w.public_id,
                    "name": w.full_name,
                    "under_18": _under_18(w.date_of_birth, today),
                    "witness_type": w.witness_type,
                    "is_key": w.is_key,
                    "vulnerability": w.vulnerability,
                    "special_measures": list(w.special_measures),
                    "willing_to_attend": w.willing_to_attend,
                    "no_dates_to_avoid": w.no_dates_to_avoid,
                    "dates_to_avoid": [
                        {"from": _iso(start), "to": _iso(end), "reason": reason}
                        for _pk, start, end, reason in w.unavailable
                    ],
                }
                for w in s.witnesses
            ],
            "victims": [
                {
                    "id": v.public_id,
                    "name": v.full_name,
                    "under_18": _under_18(v.date_of_birth, today),
                    "is_organisation": v.is_organisation,
                    "enhanced_rights": list(v.enhanced_rights),
                    "personal_statement": v.personal_statement_at(moment),
                    "first_statement_on": _iso(v.first_statement_on),
                }
                for v in s.victims
            ],
            "mg5": (
                {
                    "summary": s.mg5.summary,
                    "interview_summary": s.mg5.interview_summary,
                    "certified_by": supervisor.full_name if s.mg5.certified_at and s.mg5.certified_at <= moment else "",
                    "certified_at": _iso(s.mg5.certified_at)
                    if s.mg5.certified_at and s.mg5.certified_at <= moment
                    else None,
                }
                if s.mg5 is not None and s.mg5.created_at <= moment
                else None
            ),
            "points_to_prove": [
                {
                    "id": p.id,
                    "offence": p.offence_id,
                    "text": p.text,
                    "documents": sorted(p.document_ids),
                    "exhibits": sorted(
                        e.reference for point in s.points if point.public_id == p.id for e in point.exhibits
                    ),
                }
                for p in facts.points
            ],
            "exhibits": [
                {
                    "id": e.public_id,
                    "reference": e.reference,
                    "description": e.description,
                    "producer": e.producer_name,
                    "location": e.location,
                    "documents": sorted(doc.public_id for doc in s.documents if doc.pk in e.documents),
                }
                for e in s.exhibits
                if e.created_at <= moment
            ],
            "unused_items": [
                {
                    "id": u.public_id,
                    "schedule": u.schedule,
                    "item_number": u.item_number,
                    "description": u.description,
                    "location": u.location,
                    "sensitivity_reason": u.sensitivity_reason,
                    "rebuttable_presumption": u.rebuttable_presumption,
                    "document": None,
                }
                for u in s.unused
                if u.created_at <= moment
            ],
            "documents": [
                {
                    "id": f.id,
                    "title": f.title,
                    "kind": f.kind,
                    "version": f.version_number,
                    "version_id": f.version_id,
                    "sha256": f.sha256,
                    "sensitive": f.sensitive,
                }
                for f in sorted(facts.documents, key=lambda f: (f.kind, f.title, f.id))
            ],
            "quality": {"blocking": blocking, "advisory": advisory},
        }


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _under_18(born: date | None, day: date) -> bool:
    if born is None:
        return False
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day)) < 18
