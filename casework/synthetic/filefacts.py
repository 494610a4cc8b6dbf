"""A file as the quality rules read it (``facts``, exactly what ``files.quality.facts.gather_facts`` reads from the
database, for the records as they were at a moment), its inputs digest, and the snapshot of what was sent
(``files.services.submissions.build_snapshot``)."""

from __future__ import annotations

import json
from collections.abc import Iterable
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
    ) -> str:
        """``files.services.submissions.build_snapshot`` for the records as they were at ``moment``, as the JSON text
        ``json.dumps(snapshot, separators=(",", ":"), ensure_ascii=False)`` gives (the same keys in the same order):
        written directly, without building the dict and walking it again to encode it (the snapshot is the largest
        value of a case)."""
        today = facts.as_of
        people = {p.pk: p for p in s.suspects}
        officer = s.ref.people[s.oic]
        supervisor = s.ref.people[s.supervisor]
        blocking, advisory = counts(findings)
        case = s.case
        if submission.override_at:
            override = (
                f'{{"reason":{_s(submission.override_reason)},"by":{_s(supervisor.full_name)},'
                f'"at":"{submission.override_at.isoformat()}"}}'
            )
        else:
            override = "null"
        custody = {f.id: f.custody_status for f in reversed(facts.suspects)}  # the first of an id, as next() finds
        suspects = ",".join(
            f'{{"id":{_s(p.public_id)},"name":{_s(p.full_name)},"date_of_birth":{_od(p.date_of_birth)},'
            f'"pnc_id":{_s(p.pnc_id)},"asn":{_s(p.asn)},"interpreter_language":{_s(p.interpreter_language)},'
            f'"needs_appropriate_adult":{_b(p.needs_appropriate_adult)},"vulnerabilities":{_s(p.vulnerabilities)},'
            f'"custody_status":{_s(custody.get(p.public_id, ""))}}}'
            for p in s.suspects
        )
        offences = ",".join(
            f'{{"id":{_s(o.public_id)},"suspect":{_s(people[o.suspect_id].public_id)},'
            f'"code":{_s(o.code_with_qualifier)},"title":{_s(o.offence_code.title)},'
            f'"mode_of_trial":{_s(o.offence_code.mode_of_trial)},"committed_on":{_od(o.committed_on)},'
            f'"committed_until":{_od(o.committed_until)},"location":{_s(o.location)},'
            f'"particulars":{_s(o.particulars)},"status":{_s(o.status_at(moment))}}}'
            for o in s.offences
        )
        witnesses = ",".join(
            f'{{"id":{_s(w.public_id)},"name":{_s(w.full_name)},"under_18":{_b(_under_18(w.date_of_birth, today))},'
            f'"witness_type":{_s(w.witness_type)},"is_key":{_b(w.is_key)},"vulnerability":{_s(w.vulnerability)},'
            f'"special_measures":{_strings(w.special_measures)},"willing_to_attend":{_b(w.willing_to_attend)},'
            f'"no_dates_to_avoid":{_b(w.no_dates_to_avoid)},"dates_to_avoid":['
            + ",".join(
                f'{{"from":{_od(start)},"to":{_od(end)},"reason":{_s(reason)}}}'
                for _pk, start, end, reason in w.unavailable
            )
            + "]}"
            for w in s.witnesses
        )
        victims = ",".join(
            f'{{"id":{_s(v.public_id)},"name":{_s(v.full_name)},"under_18":{_b(_under_18(v.date_of_birth, today))},'
            f'"is_organisation":{_b(v.is_organisation)},"enhanced_rights":{_strings(v.enhanced_rights)},'
            f'"personal_statement":{_s(v.personal_statement_at(moment))},'
            f'"first_statement_on":{_od(v.first_statement_on)}}}'
            for v in s.victims
        )
        mg5 = s.mg5
        if mg5 is not None and mg5.created_at <= moment:
            certified = mg5.certified_at is not None and mg5.certified_at <= moment
            summary = (
                f'{{"summary":{_s(mg5.summary)},"interview_summary":{_s(mg5.interview_summary)},'
                f'"certified_by":{_s(supervisor.full_name if certified else "")},'
                f'"certified_at":{_od(mg5.certified_at if certified else None)}}}'
            )
        else:
            summary = "null"
        points = ",".join(
            f'{{"id":{_s(p.id)},"offence":{_s(p.offence_id)},"text":{_s(p.text)},'
            f'"documents":{_strings(sorted(p.document_ids))},"exhibits":'
            + _strings(sorted(e.reference for point in s.points if point.public_id == p.id for e in point.exhibits))
            + "}"
            for p in facts.points
        )
        exhibits = ",".join(
            f'{{"id":{_s(e.public_id)},"reference":{_s(e.reference)},"description":{_s(e.description)},'
            f'"producer":{_s(e.producer_name)},"location":{_s(e.location)},"documents":'
            + _strings(sorted(doc.public_id for doc in s.documents if doc.pk in e.documents))
            + "}"
            for e in s.exhibits
            if e.created_at <= moment
        )
        unused = ",".join(
            f'{{"id":{_s(u.public_id)},"schedule":{_s(u.schedule)},"item_number":{_i(u.item_number)},'
            f'"description":{_s(u.description)},"location":{_s(u.location)},'
            f'"sensitivity_reason":{_s(u.sensitivity_reason)},'
            f'"rebuttable_presumption":{_b(u.rebuttable_presumption)},"document":null}}'
            for u in s.unused
            if u.created_at <= moment
        )
        documents = ",".join(
            f'{{"id":{_s(f.id)},"title":{_s(f.title)},"kind":{_s(f.kind)},"version":{_i(f.version_number)},'
            f'"version_id":{_s(f.version_id)},"sha256":{_s(f.sha256)},"sensitive":{_b(f.sensitive)}}}'
            for f in sorted(facts.documents, key=lambda f: (f.kind, f.title, f.id))
        )
        return (
            f'{{"ruleset_version":{_s(RULESET_VERSION)},"inputs_digest":{_s(self.digest(facts))},'
            f'"report":{_s(report_id)},"as_of":"{today.isoformat()}",'
            f'"case":{{"urn":{_s(display_urn(case.urn))},"flags":{_strings(sorted(s.flags))},'
            f'"summary":{_s(case.summary)},"officer_in_case":{_s(officer.full_name)}}},'
            f'"stage":{_s(submission.stage)},"anticipated_plea":{_s(submission.anticipated_plea)},'
            f'"override":{override},"suspects":[{suspects}],"offences":[{offences}],"witnesses":[{witnesses}],'
            f'"victims":[{victims}],"mg5":{summary},"points_to_prove":[{points}],"exhibits":[{exhibits}],'
            f'"unused_items":[{unused}],"documents":[{documents}],'
            f'"quality":{{"blocking":{_i(blocking)},"advisory":{_i(advisory)}}}}}'
        )


# JSON as ``json.dumps(..., ensure_ascii=False)`` writes each kind of value (``snapshot``).
_s = json.encoder.encode_basestring  # a string (in C)
_i = int.__repr__


def _b(value: bool) -> str:
    return "true" if value else "false"


def _od(value: date | datetime | None) -> str:
    return "null" if value is None else f'"{value.isoformat()}"'


def _strings(values: Iterable[str]) -> str:
    return "[" + ",".join(map(_s, values)) + "]"


def _under_18(born: date | None, day: date) -> bool:
    if born is None:
        return False
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day)) < 18
