"""A police charge under DG6 Annex 1, and the case in court: the first hearing (with its file), sending to the
Crown Court, trial and sentence."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from accounts.choices import AuditEventType
from casework.choices import (
    CaseStatus,
    HearingOutcome,
    HearingType,
    ModeOfTrial,
    OffenceStatus,
    VictimUpdateReason,
)
from casework.deadlines import calculations
from charging.choices import AnticipatedPlea

from . import distributions as dist
from .context import local, london_date
from .records import (
    HearingRec,
    PoliceChargeRec,
)

if TYPE_CHECKING:
    pass
from .custody import CustodySteps
from .story import SERIOUS_PROFILES, K


class CourtSteps(CustodySteps):
    """Charging by the police, and everything from charge to the end of the case."""

    def police_charge(self, at: datetime, *, at_release: bool) -> None:
        """A police supervisor charges under DG6 Annex 1 (the rule recorded), the suspects are charged and
        bailed (a few remanded), or summonsed when they were never arrested."""
        d = self.d
        self.happen(at)
        offences = self.active_offences()
        material = self.chunk.material
        material.for_charge(self, at)
        decision = PoliceChargeRec(
            pk=self.ids("policecharge"),
            public_id=d.uuid(),
            rationale=(
                f"Full Code Test met: {len(offences)} offence(s) supported by the evidence on file; "
                f"{'guilty' if self.plea == AnticipatedPlea.GUILTY else 'not guilty'} plea anticipated."
            ),
            dg6_rule=self.route.rule_id,
            anticipated_plea=self.plea,
            decided_by_id=self.supervisor,
            decided_at=at,
        )
        decision.offences.extend(offences)
        self.police_charges.append(decision)
        for offence in offences:
            offence.status = OffenceStatus.CHARGED
            offence.updated_at = offence.status_since = at
        self.set_status(CaseStatus.CHARGED)
        self.charged_at = at
        self.audit.append(
            (
                AuditEventType.POLICE_CHARGE_RECORDED,
                at,
                self.supervisor,
                "charging.policechargedecision",
                decision.public_id,
                f"Charged by the police under DG6 ({self.route.rule_id})",
                {
                    "rule": self.route.rule_id,
                    "offences": [o.code_with_qualifier for o in offences],
                    "emergency_authorised_by": "",
                },
            )
        )
        remand = at_release and d.chance(dist.REMANDED_SHARE["other"])
        self.charge_events(at + timedelta(minutes=d.randint(5, 30)), remand=remand)
        self.victim_updates(VictimUpdateReason.CHARGED, at)
        self.court(at)

    def court(self, charged_at: datetime) -> None:
        """From charge to the end of the case in the magistrates' court or the Crown Court. The file for the
        first hearing is built and submitted before it (``material.first_hearing_file``)."""
        d = self.d
        indictable = any(o.offence_code.mode_of_trial == ModeOfTrial.INDICTABLE_ONLY for o in self.active_offences())
        remanded = bool(self.remanded)
        summonsed = any(e.kind == K.SUMMONSED for events in self.events.values() for e in events)
        charged_on = london_date(charged_at)
        if remanded and self.first_appearance is not None:
            first_day = self.first_appearance
        elif summonsed:
            first_day = self.working_day_on_or_after(charged_on + timedelta(days=d.randint(28, 56)))
        else:
            first_day = self.working_day_on_or_after(
                calculations.first_hearing_date(
                    charged_on=charged_on, anticipated_plea=self.plea, rules=self.chunk.rules
                )
            )
        first_at = local(first_day, 10, d.choice((0, 0, 30)))
        crown = indictable or (
            self.plea == AnticipatedPlea.NOT_GUILTY
            and self.profile.name in SERIOUS_PROFILES | {"injury", "burglary", "sexual"}
            and d.chance(0.6)
        )
        self.chunk.material.first_hearing_file(self, charged_at, first_at, crown)
        mags = d.choice(self.force.magistrates)
        first = self.hearing(mags, first_at, HearingType.FIRST_HEARING, charged_at)
        self.happen(first_at + timedelta(hours=3))
        if crown:
            first.outcome = HearingOutcome.SENT_TO_CROWN
            first.outcome_notes = "Sent to the Crown Court under s.51 Crime and Disorder Act 1998"
            self.set_status(CaseStatus.PRE_TRIAL)
            crown_court = d.choice(self.force.crown)
            ptph_at = local(self.working_day_on_or_after(first_day + timedelta(days=28)), 10)
            ptph = self.hearing(crown_court, ptph_at, HearingType.PTPH, first_at)
            trial_days = d.randint(100, 170) if remanded else d.randint(150, 320)
            trial_at = local(self.working_day_on_or_after(first_day + timedelta(days=trial_days)), 10)
            self.happen(ptph_at + timedelta(hours=2))
            ptph.outcome = HearingOutcome.EFFECTIVE
            ptph.outcome_notes = "Not guilty pleas entered; trial fixed"
            self.chunk.material.upgrade_file(self, ptph_at + timedelta(days=d.randint(10, 40)), crown=True)
            trial = self.hearing(crown_court, trial_at, HearingType.TRIAL, ptph_at)
            self.trial(trial)
            return
        if self.plea == AnticipatedPlea.GUILTY and d.chance(0.9):
            if d.chance(0.72):
                first.outcome = HearingOutcome.CONCLUDED
                first.outcome_notes = "Guilty plea; sentenced"
                self.set_status(CaseStatus.CONCLUDED)
                return
            first.outcome = HearingOutcome.ADJOURNED
            first.outcome_notes = "Guilty plea; adjourned for a pre-sentence report"
            self.set_status(CaseStatus.PRE_TRIAL)
            sentence_at = local(self.working_day_on_or_after(first_day + timedelta(days=d.randint(21, 35))), 10)
            sentence = self.hearing(mags, sentence_at, HearingType.SENTENCE, first_at)
            self.happen(sentence_at + timedelta(hours=2))
            sentence.outcome = HearingOutcome.CONCLUDED
            self.set_status(CaseStatus.CONCLUDED)
            return
        first.outcome = HearingOutcome.EFFECTIVE
        first.outcome_notes = "Not guilty plea; trial fixed"
        self.set_status(CaseStatus.PRE_TRIAL)
        weeks = d.randint(5, 7) if remanded else d.randint(8, 16)
        trial_at = local(self.working_day_on_or_after(first_day + timedelta(weeks=weeks)), 10)
        self.chunk.material.upgrade_file(self, first_at + timedelta(days=d.randint(14, 28)), crown=False)
        trial = self.hearing(mags, trial_at, HearingType.TRIAL, first_at)
        self.trial(trial)

    def trial(self, trial: HearingRec) -> None:
        d = self.d
        self.happen(trial.starts_at + timedelta(hours=4))
        roll = d.random()
        if roll < 0.12:
            trial.outcome = HearingOutcome.INEFFECTIVE
            trial.outcome_notes = "Prosecution witness unavailable; relisted"
            again_at = local(
                self.working_day_on_or_after(london_date(trial.starts_at) + timedelta(days=d.randint(28, 56))), 10
            )
            again = self.hearing(trial.court_id, again_at, HearingType.TRIAL, trial.starts_at)
            self.trial(again)
            return
        trial.outcome = HearingOutcome.CRACKED if roll < 0.4 else HearingOutcome.EFFECTIVE
        trial.outcome_notes = (
            "Late guilty plea" if trial.outcome == HearingOutcome.CRACKED else "Trial concluded; verdict given"
        )
        self.set_status(CaseStatus.CONCLUDED)

    def hearing(self, court: int, starts_at: datetime, kind: str, listed_at: datetime) -> HearingRec:
        hearing = HearingRec(
            pk=self.ids("hearing"),
            public_id=self.d.uuid(),
            court_id=court,
            starts_at=starts_at,
            hearing_type=kind,
            created_at=min(listed_at + timedelta(hours=1), self.as_of),
        )
        self.hearings.append(hearing)
        return hearing
