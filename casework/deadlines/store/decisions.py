"""The deadlines the charging decisions give: the CPS decision owed on each submission, action plan
items, the first hearing file after a charge (CPS or police), the Threshold Test review, and the victims'
updates and right to review after no further action.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from ...choices import DeadlineKind, VictimUpdateReason
from .. import calculations
from ..rules import charging_due_hours
from .common import MET, OPEN, _BuilderBase, _day, _hours_text, _local_date, _moment, _plural, end_of_day
from .facts import offence_suspect

if TYPE_CHECKING:
    from charging.models import ChargingDecision


class _ChargingDecisions(_BuilderBase):
    """The builder's part for what the charging decisions give."""

    # -- charging -------------------------------------------------------------------------------

    def charging(self) -> None:
        from charging.choices import (
            ANSWERED_STATUSES,
            INTERIM_OUTCOMES,
            ChargingCategory,
            DecisionOutcome,
            RequestStatus,
            TestSought,
        )
        from charging.selectors import QUEUE_STATUSES

        hours = charging_due_hours()
        nfa = {DecisionOutcome.NO_FURTHER_ACTION_EVIDENTIAL, DecisionOutcome.NO_FURTHER_ACTION_PUBLIC_INTEREST}
        for request in self.facts.requests:
            key = f"request:{request.public_id}"
            decisions: list[ChargingDecision] = sorted(request.decisions.all(), key=lambda d: (d.decided_at, d.pk))
            # The charging decision owed by the CPS, once per submission (the MG3, then each MG3A).
            if request.received_by_cps_at is not None and request.category in hours:
                received = {0: request.received_by_cps_at}
                received.update({r.number: r.submitted_at for r in request.resubmissions.all()})
                current = max(received)
                for number, at in sorted(received.items()):
                    if number == current and request.status == RequestStatus.WITHDRAWN:
                        continue
                    due = calculations.charging_decision_due(received_at=at, category=request.category)
                    status = OPEN if number == current and request.status in QUEUE_STATUSES else MET
                    category = ChargingCategory(request.category).label
                    self.add(
                        kind=DeadlineKind.CHARGING_DECISION,
                        subject_key=f"{key}:{number}",
                        label=f"CPS charging decision ({category})" + (f", MG3A {number}" if number else ""),
                        due_at=due,
                        rule=(
                            f"CPS time aim for a {category} charging request: "
                            f"{_hours_text(hours[request.category])} from receipt by the CPS at {_moment(at)} (DG6)."
                        ),
                        status=status,
                    )
            # Action plan items: the current plan's open items are owed by the police.
            interim = [d for d in decisions if d.outcome in INTERIM_OUTCOMES]
            current_plan = interim[-1].pk if interim else None
            issued = {d.pk: f" on {_day(_local_date(d.decided_at))}" for d in interim}
            for item in request.action_items.all():
                if item.status in ANSWERED_STATUSES:
                    status = MET
                elif item.decision_id == current_plan and request.status == RequestStatus.ACTION_PLAN_ISSUED:
                    status = OPEN
                else:
                    continue
                self.add(
                    kind=DeadlineKind.ACTION_PLAN_ITEM,
                    subject_key=f"action:{item.public_id}",
                    label=f"Action {item.number}: {item.action[:150]}",
                    due_at=end_of_day(item.due_on),
                    rule=(
                        f"DG6 action plan issued by the CPS{issued.get(item.decision_id, '')}: this action is due by "
                        f"{_day(item.due_on)}, and is answered before the request is resubmitted (MG3A)."
                    ),
                    status=status,
                    offence_id=item.offence_id,
                    suspect_id=offence_suspect(self.facts, item.offence_id),
                )
            # A charge: the first hearing file, and the Threshold Test review.
            charges = [d for d in decisions if d.outcome == DecisionOutcome.CHARGE]
            if charges:
                original = next((d for d in charges if d.corrects_id is None), charges[0])
                latest = charges[-1]
                self.first_hearing_file(key, request.anticipated_plea, original.decided_at)
                threshold = [
                    d for d in charges if d.test_applied == TestSought.THRESHOLD_TEST and d.threshold_review_on
                ]
                if threshold:
                    applies = latest.test_applied == TestSought.THRESHOLD_TEST and latest.threshold_review_on
                    review_on = latest.threshold_review_on if applies else threshold[-1].threshold_review_on
                    assert review_on is not None
                    self.add(
                        kind=DeadlineKind.THRESHOLD_TEST_REVIEW,
                        subject_key=key,
                        label="Threshold Test charge review",
                        due_at=end_of_day(review_on),
                        rule=(
                            "Code for Crown Prosecutors 5.10: a Threshold Test charge is kept under review until the "
                            f"Full Code Test can be applied; the prosecutor set the review for {_day(review_on)}."
                        ),
                        status=OPEN if applies else MET,
                    )
            # No further action: the victims are told, and may ask for a review.
            for decision in decisions:
                if decision.outcome in nfa and decision.corrects_id is None:
                    self.no_further_action(decision)

    def first_hearing_file(self, key: str, plea: str, charged_at: datetime) -> None:
        charged_on = _local_date(charged_at)
        listed = calculations.first_hearing_date(charged_on=charged_on, anticipated_plea=plea, rules=self.rules)
        guilty = plea == calculations.GUILTY_PLEA
        days = self.rules.first_hearing_gap_days if guilty else self.rules.first_hearing_ngap_days
        kind_of = "anticipated guilty plea (GAP)" if guilty else "anticipated not guilty plea (NGAP)"
        submitted = any(at >= charged_at for at in self.facts.first_hearing_files)
        self.add(
            kind=DeadlineKind.FIRST_HEARING_FILE,
            subject_key=key,
            label=f"First hearing file: {kind_of}",
            due_at=end_of_day(listed - timedelta(days=1)),
            rule=(
                f"Transforming Summary Justice: charged on {_day(charged_on)}; an {kind_of} case is listed "
                f"{days} days after charge ({_day(listed)}), and the file is due before that hearing."
            ),
            status=MET if submitted else OPEN,
        )

    def police_charges(self) -> None:
        for police in self.facts.police_charges:
            self.first_hearing_file(f"police-charge:{police.public_id}", police.anticipated_plea, police.decided_at)

    def no_further_action(self, decision: ChargingDecision) -> None:
        decided_on = _local_date(decision.decided_at)
        r = self.rules
        victims = self.facts.victims
        for victim in victims:
            told = sorted(
                u.given_on
                for u in victim.updates.all()
                if u.reason == VictimUpdateReason.NO_FURTHER_ACTION and u.given_on >= decided_on
            )
            enhanced = victim.has_enhanced_rights
            due = calculations.victim_update_due(
                event_on=decided_on, enhanced_rights=enhanced, calendar=self.calendar, rules=r
            )
            n = r.victim_update_enhanced_working_days if enhanced else r.victim_update_working_days
            self.add(
                kind=DeadlineKind.VICTIM_UPDATE,
                subject_key=f"victim:{victim.public_id}:nfa:{decision.public_id}",
                label=f"Tell {victim.full_name} of the decision to take no further action",
                due_at=end_of_day(due),
                rule=(
                    f"Victims' Code Right 6: within {_plural(n, 'working day')}"
                    f"{' (enhanced rights)' if enhanced else ''} of the decision on {_day(decided_on)}."
                ),
                status=MET if told else OPEN,
            )
            self.right_to_review(
                f"victim:{victim.public_id}:nfa:{decision.public_id}", victim.full_name, told, decided_on
            )
        if not victims:
            self.right_to_review(f"nfa:{decision.public_id}", "", [], decided_on)

    def right_to_review(self, key: str, name: str, told: list[date], decided_on: date) -> None:
        told_on = told[0] if told else decided_on
        last = calculations.cps_vrr_request_deadline(told_on=told_on, calendar=self.calendar, rules=self.rules)
        due = end_of_day(last)
        since = f"the victim was told on {_day(told_on)}" if told else f"the decision on {_day(decided_on)}"
        self.add(
            kind=DeadlineKind.VICTIM_RIGHT_TO_REVIEW,
            subject_key=key,
            label=f"Victims' right to review: {name}" if name else "Victims' right to review",
            due_at=due,
            rule=(
                f"CPS Victims' Right to Review: a review should be asked for within "
                f"{_plural(self.rules.cps_vrr_request_working_days, 'working day')} of being told of the decision "
                f"not to charge (later, up to 3 months, only exceptionally); counted from {since}. Closed once "
                f"the period has run."
            ),
            status=OPEN if self.now <= due else MET,
        )
