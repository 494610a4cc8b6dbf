"""The charging request lifecycle table (DG6, domain.md 2.2–2.6). No database."""

from __future__ import annotations

import re

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from charging.choices import ChargingActor as A
from charging.choices import DecisionOutcome
from charging.choices import RequestStatus as S
from charging.workflow import (
    ALREADY_THERE,
    DECIDED_IS_FINAL,
    REASON_REQUIRED,
    TERMINAL,
    TRANSITION_NOT_ALLOWED,
    TRANSITION_NOT_YOURS,
    TRANSITIONS,
    UNKNOWN_ACTOR,
    UNKNOWN_STATUS,
    WITHDRAWN_IS_FINAL,
    TransitionError,
    check_reason,
    check_transition,
    target_for_outcome,
    targets_from,
    transition_for,
)

OFFICER, SUPERVISOR, TRIAGE = A.POLICE_OFFICER, A.POLICE_SUPERVISOR, A.CPS_TRIAGE
LAWYER, MANAGER, SYSTEM = A.CPS_LAWYER, A.CPS_LEGAL_MANAGER, A.SYSTEM

# The whole lifecycle, written out as the specification: (source, target, who may make the move).
ALLOWED: list[tuple[S, S, set[A]]] = [
    (S.DRAFT, S.AWAITING_SUPERVISOR, {OFFICER}),
    (S.DRAFT, S.WITHDRAWN, {OFFICER, SUPERVISOR}),
    (S.AWAITING_SUPERVISOR, S.WITH_CPS_TRIAGE, {SUPERVISOR}),
    (S.AWAITING_SUPERVISOR, S.DRAFT, {SUPERVISOR}),
    (S.WITH_CPS_TRIAGE, S.ACCEPTED_AWAITING_ALLOCATION, {TRIAGE}),
    (S.WITH_CPS_TRIAGE, S.RETURNED_NOT_TO_STANDARD, {TRIAGE}),
    (S.RETURNED_NOT_TO_STANDARD, S.DRAFT, {OFFICER}),
    (S.ACCEPTED_AWAITING_ALLOCATION, S.ALLOCATED, {LAWYER, MANAGER}),
    (S.ALLOCATED, S.ACTION_PLAN_ISSUED, {LAWYER}),
    (S.ALLOCATED, S.DECIDED, {LAWYER}),
    (S.ACTION_PLAN_ISSUED, S.RESUBMITTED, {OFFICER}),
    (S.ACTION_PLAN_ISSUED, S.ADMINISTRATIVELY_FINALISED, {SYSTEM}),
    (S.RESUBMITTED, S.ALLOCATED, {SYSTEM, LAWYER, MANAGER}),
    (S.ADMINISTRATIVELY_FINALISED, S.RESUBMITTED, {OFFICER}),
]


def test_the_table_is_exactly_the_specified_lifecycle() -> None:
    assert {(t.source, t.target, frozenset(t.actors)) for t in TRANSITIONS} == {
        (source, target, frozenset(actors)) for source, target, actors in ALLOWED
    }
    assert len(TRANSITIONS) == len(ALLOWED)


@pytest.mark.parametrize(
    ("source", "target", "actor"),
    [(source, target, actor) for source, target, actors in ALLOWED for actor in sorted(actors)],
)
def test_allowed_move(source: S, target: S, actor: A) -> None:
    transition = check_transition(source, target, actor)
    assert (transition.source, transition.target) == (source, target)
    assert target in targets_from(source, actor)


def _msg(template: str, **labels: S | str) -> str:
    return template.format(**{k: v.label if isinstance(v, S) else v for k, v in labels.items()})


REFUSED: list[tuple[str, str, str, str, str]] = [
    (
        "an officer cannot skip the supervisor",
        S.DRAFT,
        S.WITH_CPS_TRIAGE,
        OFFICER,
        _msg(
            TRANSITION_NOT_ALLOWED,
            source=S.DRAFT,
            target=S.WITH_CPS_TRIAGE,
            options="“Awaiting supervisor review”, “Withdrawn”",
        ),
    ),
    (
        "an officer cannot approve their own request",
        S.AWAITING_SUPERVISOR,
        S.WITH_CPS_TRIAGE,
        OFFICER,
        _msg(
            TRANSITION_NOT_YOURS,
            source=S.AWAITING_SUPERVISOR,
            target=S.WITH_CPS_TRIAGE,
            who="a police supervisor",
            actor="a police officer",
        ),
    ),
    (
        "a lawyer cannot triage",
        S.WITH_CPS_TRIAGE,
        S.ACCEPTED_AWAITING_ALLOCATION,
        LAWYER,
        _msg(
            TRANSITION_NOT_YOURS,
            source=S.WITH_CPS_TRIAGE,
            target=S.ACCEPTED_AWAITING_ALLOCATION,
            who="CPS triage",
            actor="a CPS lawyer",
        ),
    ),
    (
        "triage cannot allocate",
        S.ACCEPTED_AWAITING_ALLOCATION,
        S.ALLOCATED,
        TRIAGE,
        _msg(
            TRANSITION_NOT_YOURS,
            source=S.ACCEPTED_AWAITING_ALLOCATION,
            target=S.ALLOCATED,
            who="a CPS lawyer or a CPS legal manager",
            actor="CPS triage",
        ),
    ),
    (
        "a legal manager cannot decide",
        S.ALLOCATED,
        S.DECIDED,
        MANAGER,
        _msg(
            TRANSITION_NOT_YOURS, source=S.ALLOCATED, target=S.DECIDED, who="a CPS lawyer", actor="a CPS legal manager"
        ),
    ),
    (
        "only the system finalises administratively",
        S.ACTION_PLAN_ISSUED,
        S.ADMINISTRATIVELY_FINALISED,
        LAWYER,
        _msg(
            TRANSITION_NOT_YOURS,
            source=S.ACTION_PLAN_ISSUED,
            target=S.ADMINISTRATIVELY_FINALISED,
            who="the system automatically",
            actor="a CPS lawyer",
        ),
    ),
    (
        "a lawyer cannot decide while the action plan is with the police",
        S.ACTION_PLAN_ISSUED,
        S.DECIDED,
        LAWYER,
        _msg(
            TRANSITION_NOT_ALLOWED,
            source=S.ACTION_PLAN_ISSUED,
            target=S.DECIDED,
            options="“Resubmitted (MG3A)”, “Administratively finalised”",
        ),
    ),
    (
        "a resubmission goes back to the lawyer before a decision",
        S.RESUBMITTED,
        S.DECIDED,
        LAWYER,
        _msg(TRANSITION_NOT_ALLOWED, source=S.RESUBMITTED, target=S.DECIDED, options="“Allocated to a lawyer”"),
    ),
    (
        "a returned request is put right in draft, not sent straight back",
        S.RETURNED_NOT_TO_STANDARD,
        S.WITH_CPS_TRIAGE,
        OFFICER,
        _msg(
            TRANSITION_NOT_ALLOWED,
            source=S.RETURNED_NOT_TO_STANDARD,
            target=S.WITH_CPS_TRIAGE,
            options="“Draft”",
        ),
    ),
    (
        "a submitted request cannot be withdrawn",
        S.WITH_CPS_TRIAGE,
        S.WITHDRAWN,
        OFFICER,
        _msg(
            TRANSITION_NOT_ALLOWED,
            source=S.WITH_CPS_TRIAGE,
            target=S.WITHDRAWN,
            options="“Accepted, awaiting allocation”, “Returned: not to the National File Standard”",
        ),
    ),
    (
        "a decision is corrected by a new decision, not a move",
        S.DECIDED,
        S.ALLOCATED,
        LAWYER,
        _msg(DECIDED_IS_FINAL, target=S.ALLOCATED),
    ),
    (
        "a decided request is not reopened",
        S.DECIDED,
        S.RESUBMITTED,
        OFFICER,
        _msg(DECIDED_IS_FINAL, target=S.RESUBMITTED),
    ),
    ("a withdrawn request stays withdrawn", S.WITHDRAWN, S.DRAFT, OFFICER, _msg(WITHDRAWN_IS_FINAL, target=S.DRAFT)),
    ("no move to where it already is", S.ALLOCATED, S.ALLOCATED, MANAGER, _msg(ALREADY_THERE, source=S.ALLOCATED)),
    ("an unknown status", "sent", S.DRAFT, OFFICER, UNKNOWN_STATUS.format(value="sent")),
    ("an unknown target", S.DRAFT, "submitted", OFFICER, UNKNOWN_STATUS.format(value="submitted")),
    ("an unknown actor", S.DRAFT, S.AWAITING_SUPERVISOR, "magistrate", UNKNOWN_ACTOR.format(value="magistrate")),
]


@pytest.mark.parametrize(
    ("source", "target", "actor", "message"), [r[1:] for r in REFUSED], ids=[r[0] for r in REFUSED]
)
def test_refused_move_says_why(source: str, target: str, actor: str, message: str) -> None:
    with pytest.raises(TransitionError, match=f"^{re.escape(message)}$"):
        check_transition(source, target, actor)


def test_messages_read_naturally() -> None:
    with pytest.raises(TransitionError) as excinfo:
        check_transition(S.ALLOCATED, S.DECIDED, OFFICER)
    assert str(excinfo.value) == (
        "Moving a charging request from “Allocated to a lawyer” to “Decided” is done by a CPS lawyer, "
        "not by a police officer."
    )


@pytest.mark.parametrize(
    ("source", "target"),
    [
        (S.DRAFT, S.WITHDRAWN),
        (S.AWAITING_SUPERVISOR, S.DRAFT),
        (S.WITH_CPS_TRIAGE, S.RETURNED_NOT_TO_STANDARD),
        (S.ADMINISTRATIVELY_FINALISED, S.RESUBMITTED),
    ],
)
def test_sending_back_withdrawing_and_reopening_need_a_reason(source: S, target: S) -> None:
    transition = transition_for(source, target)
    with pytest.raises(TransitionError, match=re.escape(_msg(REASON_REQUIRED, source=source, target=target))):
        check_reason(transition, "   ")
    check_reason(transition, "MG11 from the store detective is missing.")


def test_ordinary_moves_need_no_reason() -> None:
    check_reason(transition_for(S.DRAFT, S.AWAITING_SUPERVISOR), "")


@pytest.mark.parametrize(
    ("outcome", "status"),
    [
        (DecisionOutcome.CHARGE, S.DECIDED),
        (DecisionOutcome.NO_FURTHER_ACTION_EVIDENTIAL, S.DECIDED),
        (DecisionOutcome.NO_FURTHER_ACTION_PUBLIC_INTEREST, S.DECIDED),
        (DecisionOutcome.OUT_OF_COURT_DISPOSAL, S.DECIDED),
        (DecisionOutcome.ACTION_PLAN, S.ACTION_PLAN_ISSUED),
        (DecisionOutcome.EARLY_ADVICE, S.ACTION_PLAN_ISSUED),
    ],
)
def test_a_recorded_outcome_decides_or_waits_for_the_police(outcome: DecisionOutcome, status: S) -> None:
    assert target_for_outcome(outcome) == status
    check_transition(S.ALLOCATED, status, LAWYER)


def test_decided_and_withdrawn_are_the_only_terminal_statuses() -> None:
    assert frozenset({S.DECIDED, S.WITHDRAWN}) == TERMINAL
    for status in S:
        has_exit = any(targets_from(status, actor) for actor in A)
        assert has_exit is (status not in TERMINAL), status


def test_every_status_is_reachable_from_draft_and_can_reach_an_end() -> None:
    def reachable(start: S) -> set[S]:
        seen, frontier = {start}, [start]
        while frontier:
            source = frontier.pop()
            for t in TRANSITIONS:
                if t.source == source and t.target not in seen:
                    seen.add(t.target)
                    frontier.append(t.target)
        return seen

    assert reachable(S.DRAFT) == set(S)
    for status in S:
        assert reachable(status) & TERMINAL, f"{status} can never be decided or withdrawn"


def test_the_happy_path_with_an_action_plan_and_administrative_finalisation() -> None:
    path = [
        (S.DRAFT, S.AWAITING_SUPERVISOR, OFFICER),
        (S.AWAITING_SUPERVISOR, S.WITH_CPS_TRIAGE, SUPERVISOR),
        (S.WITH_CPS_TRIAGE, S.ACCEPTED_AWAITING_ALLOCATION, TRIAGE),
        (S.ACCEPTED_AWAITING_ALLOCATION, S.ALLOCATED, MANAGER),
        (S.ALLOCATED, S.ACTION_PLAN_ISSUED, LAWYER),
        (S.ACTION_PLAN_ISSUED, S.ADMINISTRATIVELY_FINALISED, SYSTEM),
        (S.ADMINISTRATIVELY_FINALISED, S.RESUBMITTED, OFFICER),
        (S.RESUBMITTED, S.ALLOCATED, SYSTEM),
        (S.ALLOCATED, S.DECIDED, LAWYER),
    ]
    for source, target, actor in path:
        check_transition(source, target, actor)


class ChargingRequestLifecycle(RuleBasedStateMachine):
    """Random sequences of allowed moves (and refused attempts) never leave the enumeration, and a decided
    or withdrawn request never moves again."""

    def __init__(self) -> None:
        super().__init__()
        self.status: S = S.DRAFT
        self.history: list[S] = [S.DRAFT]

    @precondition(lambda self: self.status not in TERMINAL)
    @rule(data=st.data())
    def make_an_allowed_move(self, data: st.DataObject) -> None:
        moves = [(target, actor) for actor in A for target in targets_from(self.status, actor)]
        target, actor = data.draw(st.sampled_from(moves))
        transition = check_transition(self.status, target, actor)
        self.status = transition.target
        self.history.append(self.status)

    @rule(destination=st.sampled_from(list(S)), actor=st.sampled_from(list(A)))
    def attempt_any_move(self, destination: S, actor: A) -> None:
        """Any attempt is either in ``targets_from`` and passes, or is refused with a message; either way the
        request stays where it is until a move is made."""
        if destination in targets_from(self.status, actor):
            check_transition(self.status, destination, actor)
        else:
            with pytest.raises(TransitionError, match=r"\S"):
                check_transition(self.status, destination, actor)

    @invariant()
    def status_is_in_the_enumeration(self) -> None:
        assert self.status in set(S)

    @invariant()
    def nothing_leaves_a_terminal_status(self) -> None:
        for index, status in enumerate(self.history):
            if status in TERMINAL:
                assert self.history[index:] == [status], self.history
        if self.status in TERMINAL:
            assert all(targets_from(self.status, actor) == [] for actor in A)


ChargingRequestLifecycle.TestCase.settings = settings(max_examples=200, stateful_step_count=40, deadline=None)
TestChargingRequestLifecycle = ChargingRequestLifecycle.TestCase
