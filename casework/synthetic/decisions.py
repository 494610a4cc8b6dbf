"""Charging decisions on a synthetic referral: the lawyer decides (charge, no further action, out-of-court disposal)
or defers with an action plan or early advice, which the police answer (MG3A) or leave unanswered until it is
administratively finalised; a final decision is now and then corrected by a new decision. Each move is what
``charging.services`` does, with the same audit event and data."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from accounts.choices import AuditEventType
from casework.choices import CaseStatus, CustodyEventKind, OffenceStatus, VictimUpdateReason
from charging.choices import (
    INTERIM_OUTCOMES,
    ActionItemOwner,
    ActionItemStatus,
    DecisionOutcome,
    RequestStatus,
    TestSought,
)

from . import distributions as dist
from .cases import CaseStory
from .context import dmy, local, london_date
from .records import ActionItemRec, DecisionRec, RequestRec, ResubmissionRec, VictimUpdateRec
from .story import SERIOUS_PROFILES, Later

if TYPE_CHECKING:
    from .chunk import ChunkBuilder


S = RequestStatus
O = DecisionOutcome  # noqa: E741 - the outcome enum, as in charging.services
FINAL_FOR_PLAN = {"charge": O.CHARGE, "nfa": O.NO_FURTHER_ACTION_EVIDENTIAL, "oocd": O.OUT_OF_COURT_DISPOSAL}
ACTIONS = (
    ("Obtain a statement from the treating clinician describing the injuries", "Proves the injury element"),
    ("Obtain and view the CCTV from the premises", "May show the offence and identify the suspect"),
    ("Take a statement from the second witness named in the MG11", "Corroborates the victim's account"),
    ("Download and review the victim's phone messages", "Answers the suspect's account in interview"),
    ("Obtain the suspect's bank records for the period", "Proves the gain and the dishonesty"),
    ("Submit the item for forensic examination (MG21)", "Links the suspect to the scene"),
    ("Complete the MG6C schedule of unused material", "Disclosure: needed for a not guilty plea"),
    ("Obtain the 999 call recording and the CAD log", "Shows the victim's first account"),
)


class Decisions:
    """The moves of a request and its decisions; the base of ``charging.Referrals``."""

    def __init__(self, chunk: ChunkBuilder) -> None:
        self.chunk = chunk
        self.lawyers_public: dict[int, str] = {}

    def _move(self, request: RequestRec, status: str, at: datetime) -> None:
        request.status = status
        request.version += 1
        request.updated_at = at

    def _audit(
        self,
        request: RequestRec,
        event: str,
        at: datetime,
        actor: int | None,
        summary: str,
        data: dict[str, Any] | None = None,
    ) -> None:
        request.events.append(
            (event, at, actor, summary, {"status": request.status, "version": request.version, **(data or {})})
        )

    def _outcome(self, s: CaseStory, red: bool, first: bool) -> str:
        d = s.d
        planned = FINAL_FOR_PLAN.get(s.path_outcome, O.CHARGE)
        if red:
            if first and d.chance(0.06):
                return O.ACTION_PLAN
            return O.CHARGE if planned == O.OUT_OF_COURT_DISPOSAL else planned
        if first and d.chance(0.32):
            return O.EARLY_ADVICE if d.chance(0.12) else O.ACTION_PLAN
        if not first and d.chance(0.08):
            return O.ACTION_PLAN
        if planned == O.CHARGE:
            # The prosecutor does not always agree with the police: about a quarter of referrals for charge end
            # without one (dist.CPS_DECLINES_TO_CHARGE).
            roll = d.random()
            if roll < dist.CPS_DECLINES_TO_CHARGE:
                return (
                    O.NO_FURTHER_ACTION_EVIDENTIAL
                    if roll < dist.CPS_DECLINES_TO_CHARGE * 0.75
                    else (O.NO_FURTHER_ACTION_PUBLIC_INTEREST)
                )
            if roll < dist.CPS_DECLINES_TO_CHARGE + dist.CPS_DIVERTS:
                return O.OUT_OF_COURT_DISPOSAL
        if planned == O.NO_FURTHER_ACTION_EVIDENTIAL and d.chance(0.2):
            return O.NO_FURTHER_ACTION_PUBLIC_INTEREST
        return planned

    def _decide(self, s: CaseStory, request: RequestRec, since: datetime, red: bool, *, first: bool) -> None:
        d = s.d
        lawyer = request.allocated_lawyer_id
        assert lawyer is not None
        delay = timedelta(hours=d.uniform(0.3, 3)) if red else timedelta(days=d.lognormal_days(5, 0.8, 0.1, 40))
        decided = s.happen(since + delay)
        outcome = self._outcome(s, red, first)
        decision = DecisionRec(
            pk=s.ids("decision"),
            public_id=d.uuid(),
            request_id=request.pk,
            outcome=outcome,
            reasons=_reasons(outcome),
            decided_by_id=lawyer,
            decided_at=decided,
        )
        request.decisions.append(decision)
        if outcome in INTERIM_OUTCOMES:
            self._action_plan(s, request, decision, red)
            return
        self._final(s, request, decision, red)

    def _final(self, s: CaseStory, request: RequestRec, decision: DecisionRec, red: bool) -> None:
        d = s.d
        decided = decision.decided_at
        outcome = decision.outcome
        charged: list[int] = []
        if outcome == O.CHARGE:
            threshold = request.test_sought == TestSought.THRESHOLD_TEST
            decision.test_applied = TestSought.THRESHOLD_TEST if threshold else TestSought.FULL_CODE_TEST
            if threshold:
                decision.threshold_review_on = london_date(decided) + timedelta(days=28)
            for offence in s.active_offences():
                wording = f"On {dmy(offence.committed_on)} at {s.location}: {offence.offence_code.title}."
                decision.charges.append((s.ids("decisioncharge"), offence, wording))
                decision._charges.append(offence.pk)
                charged.append(offence.pk)
            for offence in s.offences:
                if offence.pk in charged:
                    offence.status = OffenceStatus.CHARGED
                elif offence.status == OffenceStatus.ALLEGED:
                    offence.status = OffenceStatus.NOT_PROCEEDED
                else:
                    continue
                offence.updated_at = offence.status_since = decided
            s.set_status(CaseStatus.CHARGED)
        elif outcome == O.OUT_OF_COURT_DISPOSAL:
            s.set_status(CaseStatus.OUT_OF_COURT_DISPOSAL)
        else:
            s.set_status(CaseStatus.NO_FURTHER_ACTION)
        self._move(request, S.DECIDED, decided)
        request.decided_at = decided
        label = O(outcome).label
        self._audit(
            request,
            AuditEventType.CHARGING_DECISION_RECORDED,
            decided,
            decision.decided_by_id,
            f"Charging decision recorded: {label}",
            {
                "decision": decision.public_id,
                "outcome": outcome,
                "test_applied": decision.test_applied,
                "charges": [o.code_with_qualifier for _pk, o, _w in decision.charges],
                "action_items": 0,
            },
        )
        if d.chance(dist.DECISION_CORRECTED):
            self._correct(s, request, decision)
        if outcome == O.CHARGE:
            s.victim_updates(VictimUpdateReason.CHARGED, decided)
            in_custody = red and request.decisions[0] is decision
            profile = "serious" if s.profile.name in SERIOUS_PROFILES else "custody"
            remand = in_custody and d.chance(dist.REMANDED_SHARE[profile])
            delay = timedelta(minutes=d.randint(10, 60)) if in_custody else timedelta(days=d.uniform(0.5, 7))
            s.charged_at = decided
            s.charge_events(decided + delay, remand=remand)
            s.court(decided)
            return
        if outcome in (O.NO_FURTHER_ACTION_EVIDENTIAL, O.NO_FURTHER_ACTION_PUBLIC_INTEREST):
            self._tell_victims(s, decided)
            in_custody = red and request.decisions[0] is decision
            hours = d.uniform(0.2, 1.5) if in_custody else d.uniform(0.5, 72)
            s.release(
                decided + timedelta(hours=hours),
                CustodyEventKind.RELEASED_NO_FURTHER_ACTION,
                "No further action (CPS decision)",
            )

    def _tell_victims(self, s: CaseStory, decided: datetime) -> None:
        """Victims' Code Right 6 after a decision not to charge: mostly in time, sometimes late, sometimes
        not yet (an open deadline)."""
        d = s.d
        for victim in s.victims:
            if d.chance(0.06):
                continue
            decided_on = london_date(decided)
            due = s.chunk.calendar.add_working_days(decided_on, 1 if victim.enhanced_rights else 5)
            days = d.randint(0, (due - decided_on).days) + (d.randint(1, 3) if d.chance(0.1) else 0)
            moment = max(local(decided_on + timedelta(days=days), d.randint(9, 17)), decided + timedelta(minutes=30))
            if moment > s.as_of:
                continue
            victim.updates.append(
                VictimUpdateRec(
                    pk=s.ids("victimupdate"),
                    public_id=d.uuid(),
                    victim_id=victim.pk,
                    reason=VictimUpdateReason.NO_FURTHER_ACTION,
                    event_on=decided_on,
                    given_on=london_date(moment),
                    method=victim.contact_preference,
                    given_by_id=s.oic,
                    recorded_at=moment,
                    summary="Told of the decision to take no further action and of the right to review.",
                )
            )

    def _correct(self, s: CaseStory, request: RequestRec, decision: DecisionRec) -> None:
        d = s.d
        at = decision.decided_at + timedelta(days=d.uniform(0.5, 10))
        if at > s.as_of:
            return
        correction = DecisionRec(
            pk=s.ids("decision"),
            public_id=d.uuid(),
            request_id=request.pk,
            outcome=decision.outcome,
            reasons="Correction: the wording of the charge put right (the date of the offence).",
            decided_by_id=decision.decided_by_id,
            decided_at=at,
            test_applied=decision.test_applied,
            threshold_review_on=decision.threshold_review_on,
            corrects_id=decision.pk,
        )
        for _pk, offence, wording in decision.charges:
            correction.charges.append((s.ids("decisioncharge"), offence, wording.replace(":", ", corrected:", 1)))
            correction._charges.append(offence.pk)
        request.decisions.append(correction)
        request.version += 1
        request.updated_at = at
        if at > s.last:
            s.last = at
        self._audit(
            request,
            AuditEventType.CHARGING_DECISION_CORRECTED,
            at,
            decision.decided_by_id,
            f"Charging decision corrected: {O(decision.outcome).label}",
            {
                "decision": correction.public_id,
                "corrects": decision.public_id,
                "charges": [o.code_with_qualifier for _pk, o, _w in correction.charges],
            },
        )

    def _action_plan(self, s: CaseStory, request: RequestRec, decision: DecisionRec, red: bool) -> None:
        """The lawyer defers the decision: actions the police owe by dates; answered and resubmitted (MG3A),
        or left unanswered and administratively finalised after the period (and sometimes reopened)."""
        d = s.d
        decided = decision.decided_at
        offences = s.active_offences()
        items: list[ActionItemRec] = []
        for n, (action, reason) in enumerate(d.rng.sample(ACTIONS, d.randint(1, 4)), start=1):
            items.append(
                ActionItemRec(
                    pk=s.ids("actionitem"),
                    public_id=d.uuid(),
                    request_id=request.pk,
                    decision_id=decision.pk,
                    number=n,
                    action=action,
                    reason=reason,
                    due_on=london_date(decided) + timedelta(days=d.randint(14, 42)),
                    owner=ActionItemOwner.DISCLOSURE_OFFICER if "MG6C" in action else ActionItemOwner.OFFICER_IN_CASE,
                    offence_id=d.choice(offences).pk if offences and d.chance(0.6) else None,
                    point_to_prove=reason if d.chance(0.4) else "",
                )
            )
        request.action_items.extend(items)
        self._move(request, S.ACTION_PLAN_ISSUED, decided)
        request.action_plan_issued_at = decided
        self._audit(
            request,
            AuditEventType.CHARGING_DECISION_RECORDED,
            decided,
            decision.decided_by_id,
            f"Charging decision recorded: {O(decision.outcome).label}",
            {
                "decision": decision.public_id,
                "outcome": decision.outcome,
                "test_applied": "",
                "charges": [],
                "action_items": len(items),
            },
        )
        if red and request.decisions[0] is decision:
            s.start_bail(decided + timedelta(minutes=d.randint(30, 120)))
        finalisation_days = s.chunk.ctx.finalisation_days
        if d.chance(dist.ACTION_PLAN_UNANSWERED):
            self._escalate(s, request, items, s.as_of)
            last_due = max(i.due_on for i in items)
            at = max(
                decided + timedelta(days=finalisation_days), local(last_due + timedelta(days=finalisation_days + 1), 1)
            )
            finalised = s.happen(at + timedelta(minutes=d.randint(0, 59)))
            self._move(request, S.ADMINISTRATIVELY_FINALISED, finalised)
            request.finalised_at = finalised
            if s.case.status == CaseStatus.AWAITING_CHARGING_DECISION:
                s.set_status(CaseStatus.ADMINISTRATIVELY_FINALISED)
            self._audit(
                request,
                AuditEventType.CHARGING_REQUEST_FINALISED,
                finalised,
                None,
                f"Charging request administratively finalised: action plan unanswered for {finalisation_days} days",
                {"days": finalisation_days},
            )
            if s.bail is not None:
                s.release(
                    finalised + timedelta(days=d.uniform(1, 5)),
                    CustodyEventKind.RELEASED_UNDER_INVESTIGATION,
                    "Bail released: under investigation",
                )
            if not d.chance(0.3):
                raise Later  # not reopened (yet)
            reopened = s.happen(finalised + timedelta(days=d.uniform(10, 90)))
            number = len(request.resubmissions) + 1
            request.resubmissions.append(
                ResubmissionRec(
                    pk=s.ids("resubmission"),
                    request_id=request.pk,
                    number=number,
                    summary="The medical statement and CCTV have now been obtained.",
                    submitted_by_id=s.oic,
                    submitted_at=reopened,
                    reopened=True,
                )
            )
            if s.case.status == CaseStatus.ADMINISTRATIVELY_FINALISED:
                s.set_status(CaseStatus.AWAITING_CHARGING_DECISION)
            self._move(request, S.RESUBMITTED, reopened)
            request.resubmitted_at = reopened
            request.resubmission_count = number
            self._audit(
                request,
                AuditEventType.CHARGING_REQUEST_REOPENED,
                reopened,
                s.oic,
                "Charging request reopened: new material",
                {"summary": "The medical statement and CCTV have now been obtained.", "resubmission": number},
            )
            self._move(request, S.ALLOCATED, reopened)
            self._decide(s, request, reopened, red=False, first=False)
            return
        # Answered, item by item, then resubmitted to the same lawyer.
        last = decided
        for item in sorted(items, key=lambda i: i.due_on):
            answered = local(item.due_on - timedelta(days=d.randint(-4, 10)), d.randint(8, 18), d.randint(0, 59))
            answered = max(answered, last + timedelta(minutes=5))
            self._escalate(s, request, items, min(answered, s.as_of))
            s.happen(answered)
            item.status = d.pairs(
                (
                    (ActionItemStatus.DONE, 0.82),
                    (ActionItemStatus.CANNOT_BE_DONE, 0.1),
                    (ActionItemStatus.DISPUTED, 0.08),
                )
            )
            item.response = {
                ActionItemStatus.DONE: "Done: the material is attached.",
                ActionItemStatus.CANNOT_BE_DONE: "Cannot be done: the footage was overwritten after 28 days.",
                ActionItemStatus.DISPUTED: "Disputed: this does not go to any point in issue.",
            }[ActionItemStatus(item.status)]
            item.responded_by_id = s.oic
            item.responded_at = answered
            if item.status == ActionItemStatus.DONE:
                document = self.chunk.material.document(
                    s,
                    "mg11" if "statement" in item.action.lower() else "other",
                    f"Action {item.number}: {item.action[:80]}",
                    answered,
                )
                if document is not None:
                    item.documents.append(document.pk)
            self._audit(
                request,
                AuditEventType.CHARGING_ACTION_ANSWERED,
                answered,
                s.oic,
                f"Action {item.number} answered: {ActionItemStatus(item.status).label}",
                {"item": item.public_id, "answer": item.status, "documents": []},
            )
            last = answered
        resubmitted = s.happen(last + timedelta(hours=d.uniform(1, 72)))
        number = len(request.resubmissions) + 1
        summary = "Every action answered; the new material is attached."
        request.resubmissions.append(
            ResubmissionRec(
                pk=s.ids("resubmission"),
                request_id=request.pk,
                number=number,
                summary=summary,
                submitted_by_id=s.oic,
                submitted_at=resubmitted,
            )
        )
        self._move(request, S.RESUBMITTED, resubmitted)
        request.resubmitted_at = resubmitted
        request.resubmission_count = number
        self._audit(
            request,
            AuditEventType.CHARGING_REQUEST_RESUBMITTED,
            resubmitted,
            s.oic,
            f"Charging request resubmitted (MG3A {number})",
            {"summary": summary, "resubmission": number},
        )
        self._move(request, S.ALLOCATED, resubmitted)
        self._decide(s, request, resubmitted, red=False, first=False)

    def _escalate(self, s: CaseStory, request: RequestRec, items: list[ActionItemRec], until: datetime) -> None:
        """Celery beat escalates each overdue unanswered action once, in the night after it fell due (up to
        ``until``)."""
        d = s.d
        due = sorted({i.due_on for i in items if i.status == ActionItemStatus.OPEN and i.escalated_at is None})
        for day in due:
            at = local(day + timedelta(days=1), 0, d.randint(5, 59))
            if at > until:
                break
            late = [
                i for i in items if i.due_on == day and i.status == ActionItemStatus.OPEN and i.escalated_at is None
            ]
            for item in late:
                item.escalated_at = at
            numbers = ", ".join(str(i.number) for i in late)
            self._audit(
                request,
                AuditEventType.CHARGING_ACTION_ESCALATED,
                at,
                None,
                f"Overdue action plan item(s) escalated: {numbers}",
                {"items": [i.public_id for i in late]},
            )
            if at > s.last:
                s.last = at


def _reasons(outcome: str) -> str:
    return {
        O.CHARGE: "The Full Code Test is met: there is a realistic prospect of conviction and a prosecution is in "
        "the public interest.",
        O.NO_FURTHER_ACTION_EVIDENTIAL: "There is no realistic prospect of conviction: the identification evidence "
        "is weak and the account in interview cannot be disproved.",
        O.NO_FURTHER_ACTION_PUBLIC_INTEREST: "A prosecution is not required in the public interest: the suspect's "
        "culpability is low and the harm was minor.",
        O.OUT_OF_COURT_DISPOSAL: "A conditional caution is an appropriate and proportionate response.",
        O.ACTION_PLAN: "Further evidence is needed before the Full Code Test can be applied.",
        O.EARLY_ADVICE: "Early advice: the lines of inquiry below should be pursued before a charging decision.",
    }[O(outcome)]
