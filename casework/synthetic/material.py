"""Building the files a synthetic case sends: what the National File Standard needs for each stage (the MG5 and
its points to prove, PNC prints, MG6, MG7, MG2, dates to avoid, unused material schedules, SDC), the submission
with the quality report the application's own rules give (``files.quality.rules.evaluate``), a supervisor's
override when something blocks (as the service requires), and the CPS assessment.

A file is judged as it stood when it was submitted: the facts (``filefacts``) are built from the records as they
were at that moment.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from accounts.choices import AuditEventType
from casework.choices import ModeOfTrial, WitnessVulnerability
from files.choices import (
    AnticipatedPlea,
    FileStage,
    ProsecutorDecision,
    Schedule,
    SubmissionStatus,
)
from files.quality.rules import (
    RULESET_VERSION,
    FileFacts,
    counts,
    evaluate,
)

from . import distributions as dist
from .context import london_date
from .documents import Documents, K
from .filefacts import FileFactsSteps
from .records import (
    CaseSummaryRec,
    PointRec,
    SubmissionRec,
    UnusedRec,
)
from .story import Later, StoryBase

if TYPE_CHECKING:
    pass

PRE_CHARGE = frozenset({FileStage.PRE_CHARGE_FCT, FileStage.PRE_CHARGE_TT, FileStage.EARLY_ADVICE})
FIRST_HEARING = frozenset({FileStage.FIRST_HEARING_GAP, FileStage.FIRST_HEARING_NGAP, FileStage.FIRST_HEARING_CROWN})
SENDS_CASE_TO_CPS = FIRST_HEARING | {FileStage.MAGS_TRIAL_UPGRADE, FileStage.CROWN_COURT_FULL}
DONE = 0.97  # how often a thing the standard needs is there when the file is built [K]
UNUSED_DESCRIPTIONS = (
    "Custody record",
    "Incident log (CAD)",
    "Crime report",
    "Body-worn video of the second officer",
    "Statement of a witness not relied on",
    "House-to-house enquiry log",
    "Officer's pocket notebook entries",
)


class Material(Documents, FileFactsSteps):
    """Builds the material of the stories of one chunk."""

    # -- documents --------------------------------------------------------------------------------

    # -- as the investigation goes --------------------------------------------------------------

    # -- building a file --------------------------------------------------------------------------

    def prepare(self, s: StoryBase, stage: str, at: datetime) -> None:
        """Put in the case what the standard needs for ``stage`` shortly before ``at`` (most of the time)."""
        d = s.d
        before = at - timedelta(hours=d.uniform(0.5, 20))
        before = min(max(before, s.case.created_at + timedelta(minutes=45)), s.as_of - timedelta(minutes=1))
        trial = stage in (FileStage.MAGS_TRIAL_UPGRADE, FileStage.CROWN_COURT_FULL)
        crown = stage in (FileStage.FIRST_HEARING_CROWN, FileStage.CROWN_COURT_FULL)
        for witness in s.witnesses:
            if witness.is_key and not self._have(s, K.MG11, witness_id=witness.pk) and d.chance(DONE):
                self.document(s, K.MG11, f"MG11 statement of {witness.full_name}", before, witness=witness)
        for point in s.points:
            if not point.documents and not point.exhibits and d.chance(DONE):
                self._link_evidence(s, point)
        if not trial:
            for suspect in s.suspects:
                if d.chance(DONE):
                    self._pnc(s, suspect, before)
        if not self._have(s, K.MG6) and d.chance(DONE):
            self.document(s, K.MG6, "MG6 case file information", before, sensitive=False)
        if s.mg5 is None:
            self.case_summary(s, before)
        if stage == FileStage.PRE_CHARGE_TT or (stage in FIRST_HEARING and s.remanded):
            for suspect in s.suspects:
                if not self._have(s, K.MG7, suspect_id=suspect.pk) and d.chance(DONE):
                    self.document(s, K.MG7, f"MG7 remand application: {suspect.full_name}", before, suspect=suspect)
        for witness in s.witnesses:
            vulnerable = witness.vulnerability != WitnessVulnerability.NONE
            if vulnerable and not self._have(s, K.MG2, witness_id=witness.pk) and d.chance(DONE):
                self.document(s, K.MG2, f"MG2 special measures: {witness.full_name}", before, witness=witness)
        if stage in FIRST_HEARING:
            for suspect in s.suspects:
                if not self._have(s, K.MG4, suspect_id=suspect.pk):
                    self.document(s, K.MG4, f"MG4 charge sheet: {suspect.full_name}", before, suspect=suspect)
        plea = s.plea
        if (
            stage in (FileStage.FIRST_HEARING_NGAP, FileStage.FIRST_HEARING_CROWN)
            or trial
            or (stage == FileStage.PRE_CHARGE_FCT and plea == AnticipatedPlea.NOT_GUILTY)
        ):
            self.dates_to_avoid(s, before)
            if crown or stage == FileStage.PRE_CHARGE_FCT:
                self.unused(s, before, crown=crown)
            if not crown and not self._any_indictable(s) and not self._have(s, K.SDC) and d.chance(DONE):
                self.document(s, K.SDC, "Streamlined disclosure certificate", before, by=s.disclosure)
        if trial:
            for witness in s.witnesses:
                statement = any(doc.witness_id == witness.pk and doc.kind in (K.MG11, K.MG15) for doc in s.documents)
                if not statement and d.chance(DONE):
                    self.document(s, K.MG11, f"MG11 statement of {witness.full_name}", before, witness=witness)

    def _any_indictable(self, s: StoryBase) -> bool:
        return any(o.offence_code.mode_of_trial == ModeOfTrial.INDICTABLE_ONLY for o in s.active_offences())

    def dates_to_avoid(self, s: StoryBase, at: datetime) -> None:
        """MG10: each witness's dates to avoid, or that they have none (recorded once)."""
        d = s.d
        for witness in s.witnesses:
            if witness.dates_recorded_at is not None or not d.chance(DONE):
                continue
            witness.dates_recorded_at = at
            if d.chance(0.65):
                witness.no_dates_to_avoid = True
            else:
                start = london_date(at) + timedelta(days=d.randint(20, 120))
                witness.unavailable.append(
                    (s.ids("unavailability"), start, start + timedelta(days=d.randint(0, 14)), "Holiday")
                )

    def case_summary(self, s: StoryBase, at: datetime) -> None:
        """The MG5 (certified by the supervisor) and the points to prove, each linked to its evidence."""
        d = s.d
        suspect = s.suspects[0]
        interview = d.choice(
            (
                f"{suspect.full_name} was interviewed under caution and made no comment to all questions.",
                f"{suspect.full_name} denied the offence, saying he was not there and had been at home all evening.",
                f"{suspect.full_name} admitted being present but said he acted in self-defence after being pushed.",
                f"{suspect.full_name} admitted the offence and expressed remorse.",
            )
        )
        summary = CaseSummaryRec(
            pk=s.ids("casesummary"),
            summary=f"{s.case.summary} The officer attended and took first accounts; the evidence is summarised below.",
            interview_summary=interview if d.chance(DONE) else "",
            updated_at=at,
            created_at=at,
        )
        if d.chance(DONE):
            summary.certified_by_id = s.supervisor
            summary.certified_at = at + timedelta(minutes=d.randint(10, 180))
            summary.updated_at = summary.certified_at
            if summary.certified_at > s.as_of:
                summary.certified_by_id = summary.certified_at = None
                summary.updated_at = at
        s.mg5 = summary
        if at > s.last:
            s.last = at
        for offence in s.active_offences():
            texts = (
                s.profile.points if offence.offence_code is s.code else ("The act alleged", "Identity of the defendant")
            )
            for order, text in enumerate(texts):
                point = PointRec(
                    pk=s.ids("point"), public_id=d.uuid(), offence=offence, text=text, order=order, created_at=at
                )
                if d.chance(DONE):
                    self._link_evidence(s, point)
                s.points.append(point)

    def _link_evidence(self, s: StoryBase, point: PointRec) -> None:
        """Link a key witness's statement (or any statement) and perhaps an exhibit as the point's evidence."""
        d = s.d
        key = {w.pk for w in s.witnesses if w.is_key}
        statements = [doc for doc in s.documents if doc.kind == K.MG11 and doc.witness_id in key]
        statements = statements or [doc for doc in s.documents if doc.kind in (K.MG11, K.MG15)]
        if statements:
            point.documents.append(d.choice(statements))
        if s.exhibits and (not statements or d.chance(0.4)):
            point.exhibits.append(d.choice(s.exhibits))

    def unused(self, s: StoryBase, at: datetime, *, crown: bool) -> None:
        """MG6C rows (and for the Crown Court the MG6D and the MG6E report) scheduled by the disclosure officer."""
        d = s.d
        if not any(u.schedule == Schedule.MG6C for u in s.unused) and d.chance(DONE):
            for n, description in enumerate(d.rng.sample(UNUSED_DESCRIPTIONS, d.randint(2, 5)), start=1):
                s.unused.append(
                    UnusedRec(
                        pk=s.ids("unused"),
                        public_id=d.uuid(),
                        schedule=Schedule.MG6C,
                        item_number=n,
                        description=description,
                        location="Force records",
                        created_by_id=s.disclosure,
                        created_at=at,
                    )
                )
        if crown:
            sensitive_scheduled = any(u.schedule == Schedule.MG6D for u in s.unused) or self._have(s, K.MG6D)
            if not sensitive_scheduled and d.chance(DONE):
                if d.chance(0.3):
                    s.unused.append(
                        UnusedRec(
                            pk=s.ids("unused"),
                            public_id=d.uuid(),
                            schedule=Schedule.MG6D,
                            item_number=1,
                            description="Intelligence log entry",
                            location="Force intelligence bureau",
                            created_by_id=s.disclosure,
                            created_at=at,
                            sensitivity_reason="Would reveal a source of information",
                        )
                    )
                else:
                    self.document(
                        s,
                        K.MG6D,
                        "MG6D schedule of sensitive unused material (nil)",
                        at,
                        sensitive=True,
                        by=s.disclosure,
                    )
            if not self._have(s, K.MG6E) and d.chance(DONE):
                self.document(s, K.MG6E, "MG6E disclosure officer's report", at, sensitive=True, by=s.disclosure)

    def decide_unused(self, s: StoryBase, lawyer: int, at: datetime) -> None:
        d = s.d
        for item in s.unused:
            if item.prosecutor_decision or at > s.as_of or not d.chance(0.6):
                continue
            item.prosecutor_decision = (
                ProsecutorDecision.AGREE_SENSITIVE
                if item.schedule == Schedule.MG6D
                else d.choice((ProsecutorDecision.CLEARLY_NOT_DISCLOSABLE, ProsecutorDecision.DISCLOSE))
            )
            item.decided_by_id = lawyer
            item.decided_at = at
            item.decision_note = "Reviewed against the disclosure test."

    # -- submissions --------------------------------------------------------------------------------

    def pre_charge_file(self, s: StoryBase, stage: str, created: datetime, submit_at: datetime) -> SubmissionRec:
        """The file a charging request carries; ``Later`` (leaving the draft) when it is not submitted yet."""
        self.prepare(s, stage, submit_at)
        submission = self.submission(s, stage, s.plea, created, submit_at)
        if submission.status != SubmissionStatus.SUBMITTED:
            s.requests[-1].submission_id = submission.pk
            raise Later
        return submission

    def first_hearing_file(self, s: StoryBase, charged_at: datetime, hearing_at: datetime, crown: bool) -> None:
        """The file for the first hearing: due the day before it; mostly in time, sometimes late or missing."""
        d = s.d
        if crown:
            stage, plea = FileStage.FIRST_HEARING_CROWN, s.plea
        elif s.plea == AnticipatedPlea.GUILTY:
            stage, plea = FileStage.FIRST_HEARING_GAP, s.plea
        else:
            stage, plea = FileStage.FIRST_HEARING_NGAP, s.plea
        window = (hearing_at - charged_at).total_seconds() / 3600
        if s.remanded or window < 60:
            submit_at = charged_at + timedelta(hours=d.uniform(1, max(window - 14, 1.5)))
        else:
            roll = d.random()
            if roll > 0.985:
                submit_at = hearing_at + timedelta(days=2)  # not sent before the hearing
            elif roll > 0.93:
                submit_at = hearing_at - timedelta(hours=d.uniform(0.5, 2))  # late: the morning of the hearing
            else:
                submit_at = charged_at + timedelta(hours=d.uniform(20, window - 34))
        created = charged_at + timedelta(minutes=d.randint(10, 120))
        if created > s.as_of:
            return
        self.prepare(s, stage, min(submit_at, s.as_of))
        self.submission(s, stage, plea, created, submit_at)

    def upgrade_file(self, s: StoryBase, at: datetime, *, crown: bool) -> None:
        """The trial file (magistrates' upgrade or the Crown Court full file), for most contested cases."""
        d = s.d
        if not d.chance(0.6):
            return
        stage = FileStage.CROWN_COURT_FULL if crown else FileStage.MAGS_TRIAL_UPGRADE
        created = at - timedelta(days=d.uniform(1, 7))
        if created > s.as_of:
            return
        self.prepare(s, stage, min(at, s.as_of))
        submission = self.submission(s, stage, AnticipatedPlea.NOT_GUILTY, created, at)
        if submission.status == SubmissionStatus.SUBMITTED and s.requests and s.requests[-1].allocated_lawyer_id:
            self.decide_unused(s, s.requests[-1].allocated_lawyer_id, at + timedelta(days=d.uniform(3, 20)))

    def submission(self, s: StoryBase, stage: str, plea: str, created: datetime, submit_at: datetime) -> SubmissionRec:
        d = s.d
        submission = SubmissionRec(
            pk=s.ids("submission"),
            public_id=d.uuid(),
            stage=stage,
            anticipated_plea=plea,
            created_by_id=s.oic,
            created_at=created,
        )
        s.submissions.append(submission)
        if submit_at > s.as_of:
            # Still a draft: its report is the one the application keeps current (facts as they stand now).
            facts = self.facts(s, stage, plea, s.as_of)
            findings = evaluate(facts, self.thresholds)
            self._report(s, submission, s.as_of, facts, findings, on_submission=False)
            return submission
        facts = self.facts(s, stage, plea, submit_at)
        findings = evaluate(facts, self.thresholds)
        blocking, _advisory = counts(findings)
        if blocking:
            override_at = submit_at - timedelta(minutes=d.randint(5, 60))
            self._report(s, submission, override_at, facts, findings, on_submission=False)
            submission.override_reason = d.choice(
                (
                    "Remand case: the file goes now and the missing item follows within 24 hours.",
                    "The material is awaited from a third party; the CPS has been told.",
                    "Time limit: the charge must be laid today.",
                )
            )
            submission.override_by_id = s.supervisor
            submission.override_at = override_at
            keys = sorted(f.key for f in findings if f.blocking)
            s.audit.append(
                (
                    AuditEventType.QUALITY_OVERRIDDEN,
                    override_at,
                    s.supervisor,
                    "files.filesubmission",
                    submission.public_id,
                    f"{blocking} blocking problem(s) overridden: {submission.override_reason}"[:500],
                    {"reason": submission.override_reason, "report": submission.reports[-1][1], "overridden": keys},
                )
            )
        report_id = self._report(s, submission, submit_at, facts, findings, on_submission=True)
        versions = {doc.public_id: doc for doc in s.documents}
        for fact in facts.documents:
            document = versions[fact.id]
            version = next(v for v in document.versions if v.public_id == fact.version_id)
            submission.items.append(version.pk)
        submission.status = SubmissionStatus.SUBMITTED
        submission.submitted_by_id = s.oic
        submission.submitted_at = submit_at
        submission.snapshot = self.snapshot(s, submission, facts, findings, report_id, submit_at)
        sent = stage in SENDS_CASE_TO_CPS and s.case.sent_to_cps_at is None
        if sent:
            s.case.sent_to_cps_at = submit_at
        s.audit.append(
            (
                AuditEventType.FILE_SUBMITTED,
                submit_at,
                s.oic,
                "files.filesubmission",
                submission.public_id,
                f"File submitted: {FileStage(stage).label}",
                {
                    "stage": stage,
                    "anticipated_plea": plea,
                    "items": len(submission.items),
                    "ruleset_version": RULESET_VERSION,
                    "report": report_id,
                    "blocking": blocking,
                    "advisory": len(findings) - blocking,
                    "overridden": sorted(f.key for f in findings if f.blocking),
                    "sent_to_cps": sent,
                },
            )
        )
        if submit_at > s.last:
            s.last = submit_at
        return submission

    def _report(
        self,
        s: StoryBase,
        submission: SubmissionRec,
        at: datetime,
        facts: FileFacts,
        findings: list[Any],
        *,
        on_submission: bool,
    ) -> str:
        blocking, advisory = counts(findings)
        public_id = s.d.uuid()
        submission.reports.append(
            (
                s.ids("report"),
                public_id,
                at,
                self.digest(facts),
                [_finding_dict(f) for f in findings],
                blocking,
                advisory,
                on_submission,
            )
        )
        return public_id

    def assess(
        self, s: StoryBase, submission: SubmissionRec, at: datetime, by: int, *, met: bool, codes: list[str] | None
    ) -> None:
        """The CPS's own assessment of the file against the standard (with the FQ failures when not met)."""
        if submission.assessment is not None or at > s.as_of:
            return
        d = s.d
        submission.assessment = (
            s.ids("assessment"),
            d.uuid(),
            met,
            "" if met else "See the failures recorded.",
            by,
            at,
        )
        if not met:
            for code in codes or [d.choice(("FQ02", "FQ04", "FQ05", "FQ06"))]:
                submission.failures.append((s.ids("failure"), d.uuid(), code, "Not to the National File Standard."))

    # -- the facts the rules read -----------------------------------------------------------------

    # -- what was sent ----------------------------------------------------------------------------


def _finding_dict(f: Any) -> dict[str, Any]:
    """``Finding.as_dict()`` without ``dataclasses.asdict``'s deep copies (same keys, same order)."""
    return {
        "rule_id": f.rule_id,
        "fq_code": f.fq_code,
        "reference": f.reference,
        "severity": f.severity,
        "title": f.title,
        "explanation": f.explanation,
        "fix": f.fix,
        "link": {"kind": f.link.kind, "target": f.link.target},
        "sensitive": f.sensitive,
    }


# -- tiny real files ------------------------------------------------------------------------------


__all__ = ["Material", "dist"]
