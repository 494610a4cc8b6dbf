"""One synthetic case, told as a story in time: reported, suspects arrested (or interviewed voluntarily),
detained under PACE, bailed or released under investigation, charged by the police or referred to the CPS
(``charging``), taken to court, concluded. Each step happens at a drawn moment; the first step that would
happen after the run's ``as_of`` ends the story there, so every case is caught somewhere in its lifecycle
and its status, custody state, charging request and hearings are what they would be on that day.

The steps follow the services' rules (``casework.services``, ``charging.services``): the same status moves
(``casework.workflow``), a bail regime and period ends as ``casework.bail`` gives them, a DG6 routing from
``charging.dg6.who_decides``, remands per offence for custody time limits, hearing outcomes that send a case
to the Crown Court or start a trial.
"""

from __future__ import annotations

import contextlib
from datetime import timedelta
from typing import TYPE_CHECKING

from accounts.choices import AuditEventType
from casework.choices import (
    CaseFlag,
    CaseStatus,
    ModeOfTrial,
)
from charging.choices import AnticipatedPlea, ChargingDecider
from charging.dg6 import OffenceFacts, RoutingDecision, RoutingFacts, who_decides
from charging.routing import is_retail_theft

from . import distributions as dist
from . import offences
from .context import local, london_date
from .court import CourtSteps
from .organisations import Code, ForcePlan, UnitPlan
from .people import PeopleSteps
from .records import (
    CaseRec,
)
from .story import CLOSED, CUSTODY_PROFILES, SERIOUS_PROFILES, K, Later

if TYPE_CHECKING:
    pass

OFFENCE_WEIGHTS = [e.weight for e in offences.OFFENCE_MIX]


class CaseStory(PeopleSteps, CourtSteps):
    """Everything about one case, built in time order (the steps are in ``people``, ``custody`` and ``court``)."""

    # -- time ---------------------------------------------------------------------------------

    # -- the story ------------------------------------------------------------------------------

    def tell(self) -> None:
        self.setup()
        self.people()
        self.charge_offences()
        self.chunk.material.initial(self)
        with contextlib.suppress(Later):  # the story stops at as_of
            self.investigate()
        self.finish()

    def setup(self) -> None:
        d = self.d
        self.entry = d.weighted(offences.OFFENCE_MIX, OFFENCE_WEIGHTS, key="offences")
        self.profile = self.entry.profile
        self.code: Code = self.ref.codes[self.entry.code]
        self.force: ForcePlan = d.weighted(self.ref.forces, self.chunk.force_weights, key="forces")
        self.unit: UnitPlan = d.choice(self.force.units)
        self.oic = d.choice(self.unit.officers)
        self.supervisor = d.choice(self.unit.supervisors)
        self.disclosure = d.choice(self.unit.disclosure)
        area_id = self.force.served_by_id or d.choice(sorted(self.ref.areas))
        self.area = self.ref.areas[area_id]
        age = d.uniform(0, dist.CASE_AGE_DAYS)
        if d.chance(dist.OLD_CASE_SHARE):
            age += dist.CASE_AGE_DAYS
        reported_day = london_date(self.as_of - timedelta(days=age))
        self.reported_at = local(reported_day, d.randint(0, 23), d.randint(0, 59))
        if self.reported_at > self.as_of - timedelta(hours=8):
            # Nothing is generated after as_of: a case reported today was reported this morning.
            self.reported_at = self.as_of - timedelta(hours=8, minutes=d.randint(0, 600))
            reported_day = london_date(self.reported_at)
        p = self.profile
        flags: set[str] = set()
        if d.chance(p.domestic_abuse):
            flags.add(CaseFlag.DOMESTIC_ABUSE)
        if d.chance(p.hate_crime):
            flags.add(CaseFlag.HATE_CRIME)
        if p.name in ("sexual", "rape"):
            flags.update((CaseFlag.RASSO, CaseFlag.VAWG))
        self.flags = flags
        serial = 1_000_000 + self.index
        year = f"{self.reported_at.year % 100:02d}"
        urn = f"{self.force.code}{self.unit.code}{serial:07d}{year}"
        self.case = CaseRec(
            pk=self.ids("case"),
            public_id=d.uuid(),
            urn=urn,
            force_id=self.force.id,
            unit_id=self.unit.id,
            cps_area_id=area_id,
            officer_in_case_id=self.oic,
            supervisor_id=self.supervisor,
            created_at=self.reported_at + d.hours(0.2, 6),
            reported_on=reported_day,
            summary="",
        )
        self.last = self.case.created_at
        self.audit.append(
            (
                AuditEventType.CASE_CREATED,
                self.case.created_at,
                self.oic,
                "casework.case",
                self.case.public_id,
                f"Case {urn[:2]}/{urn[2:4]}/{urn[4:-2]}/{urn[-2:]} created",
                {"summary": "", "flags": sorted(flags), "reported_on": reported_day.isoformat()},
            )
        )

    # -- people ---------------------------------------------------------------------------------

    # -- offences -------------------------------------------------------------------------------

    # -- DG6 routing ----------------------------------------------------------------------------

    def routing(self, plea: str) -> RoutingDecision:
        facts = []
        youth = CaseFlag.YOUTH in self.flags or any(
            v.date_of_birth is None or self._age(v.date_of_birth) < 18 for v in self.victims if not v.is_organisation
        )
        for offence in self.active_offences():
            code = offence.offence_code
            facts.append(
                OffenceFacts(
                    mode_of_trial=ModeOfTrial(code.mode_of_trial),
                    dg6_group=code.dg6_group,
                    is_retail_theft=is_retail_theft(code.code, code.title),
                    youth_party_for_sexual_offence=code.dg6_group == "sexual_offences_act" and youth,
                )
            )
        serious = self.profile.name in SERIOUS_PROFILES
        return who_decides(
            RoutingFacts(
                offences=tuple(facts),
                case_flags=frozenset(self.flags),
                anticipated_plea=AnticipatedPlea(plea),
                likely_sentence_over_12_months=serious,
                suitable_for_magistrates=not serious,
            )
        )

    # -- the investigation ----------------------------------------------------------------------

    def investigate(self) -> None:
        d, p = self.d, self.profile
        self.plea = AnticipatedPlea.GUILTY if d.chance(p.guilty_plea) else AnticipatedPlea.NOT_GUILTY
        route = self.routing(self.plea)
        self.route = route
        police_may = route.decider == ChargingDecider.POLICE
        # What the case comes to, whoever decides it.
        roll = d.random()
        if roll < p.nfa:
            outcome = "nfa"
        elif roll < p.nfa + p.oocd:
            outcome = "oocd"
        else:
            outcome = "charge"
        if outcome == "charge":
            path = "referral" if (not police_may or d.chance(dist.POLICE_REFER_ANYWAY)) else "police_charge"
        elif outcome == "nfa":
            # Most no-further-action decisions are the police's own (evidential difficulties); a case the
            # CPS must decide is often referred and ended by the CPS.
            path = "referral" if (not police_may and d.chance(dist.NFA_REFERRED)) else "police_nfa"
        else:
            path = "police_oocd" if police_may or d.chance(0.7) else "referral"
        self.path = path
        self.path_outcome = outcome
        arrested = d.chance(p.arrest)
        serious = p.name in SERIOUS_PROFILES
        red = path == "referral" and arrested and (serious or (p.name in CUSTODY_PROFILES and d.chance(0.25)))
        quick_charge = path == "police_charge" and arrested and d.chance(0.9 if p.name in ("drink_drive",) else 0.4)
        quick_nfa = path == "police_nfa" and arrested and d.chance(0.2)
        if arrested:
            lag = (
                d.uniform(0, 0.4)
                if CaseFlag.DOMESTIC_ABUSE in self.flags or serious
                else d.lognormal_days(2, 1.2, 0, 40)
            )
            arrest_at = max(self.reported_at + timedelta(days=lag), self.case.created_at + timedelta(minutes=10))
            released_at = self.detain(arrest_at, long=red or serious, may_extend=not red)
        else:
            released_at = self.voluntary_interview()
        if red:
            self.chunk.charging.refer(self, self.detention_start, red=True)
            return
        if quick_charge:
            self.police_charge(released_at - timedelta(minutes=d.randint(10, 40)), at_release=True)
            return
        if quick_nfa:
            self.release(released_at, K.RELEASED_NO_FURTHER_ACTION, "No further action: evidential test not met")
            self.set_status(CaseStatus.NO_FURTHER_ACTION)
            return
        # Released to investigate further: on bail (conditions to protect a victim) or under investigation.
        median = 75 if path == "referral" else 45
        decide_at = released_at + timedelta(days=d.lognormal_days(median, 1.0, 3, 420))
        bail = arrested and ((self.victims and not self.victims[0].is_organisation and d.chance(0.65)) or d.chance(0.2))
        if arrested:
            if bail:
                self.start_bail(released_at)
            else:
                self.release(released_at, K.RELEASED_UNDER_INVESTIGATION, "Released under investigation")
        if path == "referral":
            self.chunk.charging.refer(self, decide_at, red=False)
        elif path == "police_charge":
            self.police_charge(decide_at, at_release=False)
        elif path == "police_nfa":
            self.happen(decide_at)
            self.release(decide_at, K.RELEASED_NO_FURTHER_ACTION, "No further action: evidential difficulties")
            self.set_status(CaseStatus.NO_FURTHER_ACTION)
        else:
            self.happen(decide_at)
            self.chunk.material.document(
                self, "other", "Out-of-court disposal record", decide_at, suspect=self.suspects[0]
            )
            self.set_status(CaseStatus.OUT_OF_COURT_DISPOSAL)

    # -- decisions ------------------------------------------------------------------------------

    # -- court ----------------------------------------------------------------------------------

    # -- the end --------------------------------------------------------------------------------

    def finish(self) -> None:
        case = self.case
        case.flags = sorted(self.flags)
        if case.status in CLOSED:
            for suspect in self.suspects:
                events = self.events.get(suspect.pk, [])
                if events and events[-1].kind == K.DETAINED and events[-1].occurred_at < self.as_of - timedelta(days=2):
                    # Closed with no release recorded: the suspect left custody with the decision.
                    self.event(
                        suspect,
                        K.RELEASED_NO_FURTHER_ACTION,
                        events[-1].occurred_at + timedelta(hours=6),
                        notes="Released",
                    )
        case.updated_at = min(max(self.last, case.created_at), self.as_of)
