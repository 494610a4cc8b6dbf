"""A synthetic charging referral (MG3) through its lifecycle, as ``charging.services`` moves a real one:
drafted with its pre-charge file, certified by a supervisor and sent to the CPS Area (or, for a custody case
out of hours, CPS Direct), triaged (sometimes returned as not to the National File Standard, put right and
sent again), taken by a lawyer, decided or deferred with an action plan or early advice that the police
answer (MG3A) or leave unanswered until it is administratively finalised (and perhaps reopened).

Every move bumps the request's ``version`` and writes the audit event the service writes, with the same
data (``{"status": ..., "version": ...}`` and the move's own fields), because the metrics read them.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from accounts.choices import AuditEventType
from casework.choices import CaseFlag, CaseStatus
from charging.choices import (
    AnticipatedPlea,
    ChargingCategory,
    TestSought,
)
from files.choices import FileStage
from files.quality.rules import FAILURE_CODES

from . import distributions as dist
from .cases import CaseStory
from .context import LONDON, london_date
from .decisions import Decisions, S
from .records import RequestRec
from .story import SERIOUS_PROFILES

if TYPE_CHECKING:
    pass

TRIAGE_FAILURES = ("FQ01", "FQ02", "FQ04", "FQ05", "FQ06", "FQ09", "FQ15")


class Referrals(Decisions):
    """Builds referrals for the stories of one chunk."""

    # -- helpers --------------------------------------------------------------------------------

    def _mg3(self, s: CaseStory, red: bool) -> dict[str, Any]:
        d = s.d
        plea = "guilty" if s.plea == AnticipatedPlea.GUILTY else "not guilty"
        outstanding = []
        if d.chance(0.6):
            outstanding.append(
                {
                    "what": d.choice(("Medical statement", "CCTV from a neighbouring premises", "Phone download")),
                    "target_date": (london_date(s.as_of) + timedelta(days=d.randint(7, 42))).isoformat(),
                }
            )
        return {
            "suspect_status": "In police custody" if red else "On pre-charge bail or released under investigation",
            "pace_clock": "Detention clock running" if red else "",
            "bail_status": "Remand will be sought" if red else "Bail conditions: no contact with the victim",
            "offence_summary": s.case.summary,
            "proposed_charges": "; ".join(sorted({o.offence_code.title for o in s.active_offences()})),
            "defence_account": d.choice(
                (
                    "No comment interview.",
                    "Denies the offence; says he was elsewhere.",
                    "Admits being present; says he acted in self-defence.",
                    "Prepared statement denying the allegation.",
                )
            ),
            "lines_of_inquiry_done": "Victim and witness statements taken; house-to-house and CCTV enquiries made.",
            "lines_not_pursued": "Forensic examination of clothing: not proportionate.",
            "outstanding_evidence": outstanding,
            "victim_witness_needs": "Victim would like screens at court." if s.victims else "",
            "digital_strategy": "Suspect's phone seized and downloaded." if d.chance(0.3) else "",
            "unused_material_info": "Custody record, CAD log and BWV of other officers retained.",
            "venue": "Crown Court" if s.profile.name in SERIOUS_PROFILES else "Magistrates' court",
            "plea": plea,
        }

    # -- the referral ---------------------------------------------------------------------------

    def refer(self, s: CaseStory, start: datetime, *, red: bool) -> None:
        """Refer the case for a charging decision; ``red``: from custody, the police seek a remand."""
        d = s.d
        ref = s.ref
        if red:
            start = max(start, getattr(s, "interview_at", start)) + timedelta(minutes=d.randint(30, 120))
        created = s.happen(start)
        domestic = CaseFlag.DOMESTIC_ABUSE in s.flags or CaseFlag.VULNERABLE_VICTIM in s.flags
        category = (
            ChargingCategory.RED if red else (ChargingCategory.GREEN_PRIORITY if domestic else ChargingCategory.GREEN)
        )
        test = TestSought.THRESHOLD_TEST if red and d.chance(dist.THRESHOLD_TEST_SHARE) else TestSought.FULL_CODE_TEST
        request = RequestRec(
            pk=s.ids("request"),
            public_id=d.uuid(),
            created_by_id=s.oic,
            created_at=created,
            category=category,
            test_sought=test,
            anticipated_plea=s.plea,
            cps_area_id=s.case.cps_area_id,
            dg6_decider=s.route.decider,
            dg6_rule=s.route.rule_id,
            dg6_reason=s.route.reason,
            mg3=self._mg3(s, red),
            updated_at=created,
        )
        request.mg3.pop("plea")
        s.requests.append(request)
        self._audit(request, AuditEventType.CHARGING_REQUEST_CREATED, created, s.oic, "Charging request (MG3) started")
        stage = FileStage.PRE_CHARGE_TT if test == TestSought.THRESHOLD_TEST else FileStage.PRE_CHARGE_FCT
        lead = timedelta(minutes=d.randint(20, 90)) if red else timedelta(days=d.uniform(0.2, 3))
        submission = self.chunk.material.pre_charge_file(s, stage, created, created + lead)
        request.submission_id = submission.pk
        assert submission.submitted_at is not None
        self._send(s, request, submission.submitted_at + timedelta(minutes=d.randint(2, 30)), red)
        # CPS triage: accepted, or returned as not to the standard and sent again.
        received = request.received_by_cps_at
        assert received is not None
        if not red and d.chance(dist.CPS_RETURNED_NOT_TO_STANDARD):
            triage = self._triage_person(s, request)
            returned = s.happen(received + timedelta(days=d.uniform(0.2, 5)))
            codes = sorted(set(d.rng.sample(TRIAGE_FAILURES, d.randint(1, 2))))
            reason = "The file does not meet the National File Standard: " + "; ".join(FAILURE_CODES[c] for c in codes)
            self._move(request, S.RETURNED_NOT_TO_STANDARD, returned)
            request.returned_at = returned
            self._audit(
                request,
                AuditEventType.CHARGING_REQUEST_RETURNED,
                returned,
                triage,
                "Charging request returned: not to the National File Standard",
                {"reason": reason, "failure_codes": codes},
            )
            self.chunk.material.assess(s, submission, returned, triage, met=False, codes=codes)
            taken = s.happen(returned + timedelta(days=d.uniform(0.5, 8)))
            self._move(request, S.DRAFT, taken)
            self._audit(
                request,
                AuditEventType.CHARGING_REQUEST_UPDATED,
                taken,
                s.oic,
                "Charging request taken back to put it right",
            )
            again = self.chunk.material.pre_charge_file(s, stage, taken, taken + timedelta(days=d.uniform(1, 6)))
            request.submission_id = again.pk
            assert again.submitted_at is not None
            self._send(s, request, again.submitted_at + timedelta(minutes=d.randint(2, 30)), red)
        received = request.received_by_cps_at
        assert received is not None
        triage = self._triage_person(s, request)
        accepted = s.happen(
            received + (timedelta(minutes=d.randint(5, 40)) if red else timedelta(days=d.uniform(0.1, 4)))
        )
        self._move(request, S.ACCEPTED_AWAITING_ALLOCATION, accepted)
        request.accepted_at = accepted
        self._audit(
            request,
            AuditEventType.CHARGING_REQUEST_ACCEPTED,
            accepted,
            triage,
            "Charging request accepted by CPS triage",
        )
        if d.chance(0.3) and not red:
            self.chunk.material.assess(s, submission, accepted, triage, met=d.chance(0.85), codes=None)
        allocated = s.happen(
            accepted + (timedelta(minutes=d.randint(5, 30)) if red else timedelta(days=d.uniform(0.2, 9)))
        )
        office = ref.cps_direct if request.to_cps_direct else ref.areas[request.cps_area_id or 0]
        lawyer = d.choice(office.lawyers)
        assigner = lawyer if red or d.chance(0.6) or not office.managers else d.choice(office.managers)
        self._move(request, S.ALLOCATED, allocated)
        request.allocated_lawyer_id = lawyer
        request.allocated_at = allocated
        person = ref.people[lawyer]
        self._audit(
            request,
            AuditEventType.CHARGING_REQUEST_ALLOCATED,
            allocated,
            assigner,
            f"Charging request allocated to {person.full_name}",
            {"lawyer": self.chunk.user_public_id(lawyer)},
        )
        self._decide(s, request, allocated, red, first=True)

    def _triage_person(self, s: CaseStory, request: RequestRec) -> int:
        office = s.ref.cps_direct if request.to_cps_direct else s.ref.areas[request.cps_area_id or 0]
        return s.d.choice(office.paralegals or office.lawyers)

    def _send(self, s: CaseStory, request: RequestRec, submitted: datetime, red: bool) -> None:
        """The officer submits the MG3 and the supervisor certifies it and sends it to the CPS."""
        d = s.d
        s.happen(submitted)
        self._move(request, S.AWAITING_SUPERVISOR, submitted)
        request.submitted_at = submitted
        self._audit(
            request,
            AuditEventType.CHARGING_REQUEST_SUBMITTED,
            submitted,
            s.oic,
            "Charging request submitted for supervisor review",
        )
        approved = s.happen(
            submitted + (timedelta(minutes=d.randint(5, 40)) if red else timedelta(hours=d.uniform(1, 72)))
        )
        local_time = approved.astimezone(LONDON)
        out_of_hours = (
            local_time.hour >= 17 or local_time.hour < 9 or not s.chunk.calendar.is_working_day(local_time.date())
        )
        to_cps_direct = red and out_of_hours and bool(s.ref.cps_direct.lawyers)
        if s.case.status == CaseStatus.INVESTIGATION:
            s.set_status(CaseStatus.AWAITING_CHARGING_DECISION)
        if s.case.sent_to_cps_at is None:
            s.case.sent_to_cps_at = approved
        s.case.sent_to_cps_direct = s.case.sent_to_cps_direct or to_cps_direct
        self._move(request, S.WITH_CPS_TRIAGE, approved)
        request.cps_area_id = s.case.cps_area_id
        request.to_cps_direct = to_cps_direct
        request.approved_at = approved
        request.received_by_cps_at = approved
        self._audit(
            request,
            AuditEventType.CHARGING_REQUEST_APPROVED,
            approved,
            s.supervisor,
            "Charging request approved and sent to the CPS",
            {"to_cps_direct": to_cps_direct},
        )

    # -- decisions ------------------------------------------------------------------------------
