"""The charging request lifecycle: one transition table and pure checks (DG6, domain.md 2.2–2.6).

The police build the request (MG3) and a supervisor certifies it against the National File Standard before it
goes to the CPS through the digital interface. CPS triage accepts it into the queue or returns it as not to
the standard; a lawyer takes it (or a legal manager assigns it) and either decides or defers the decision with
an action plan or early advice, which the police answer by resubmission (MG3A). An action plan left unanswered
past the configured period is administratively finalised by the system; the police reopen it when the
material arrives.

``DECIDED`` and ``WITHDRAWN`` are terminal. A decision is corrected by recording a *new* decision that
supersedes the old one, never by moving the request. Which lawyer may act on which request (only the allocated
one) is an object rule for ``charging.rules``, not this table.
"""

from __future__ import annotations

from dataclasses import dataclass

from .choices import INTERIM_OUTCOMES, DecisionOutcome
from .choices import ChargingActor as A
from .choices import RequestStatus as S


@dataclass(frozen=True)
class Transition:
    source: S
    target: S
    actors: frozenset[A]
    description: str
    # The move must carry a reason the other side reads (what to fix, why withdrawn, what material arrived).
    reason_required: bool = False


def _t(source: S, target: S, *actors: A, why: str, reason_required: bool = False) -> Transition:
    return Transition(source, target, frozenset(actors), why, reason_required)


OFFICER, SUPERVISOR, TRIAGE = A.POLICE_OFFICER, A.POLICE_SUPERVISOR, A.CPS_TRIAGE
LAWYER, LEGAL_MANAGER, SYSTEM = A.CPS_LAWYER, A.CPS_LEGAL_MANAGER, A.SYSTEM

TRANSITIONS: tuple[Transition, ...] = (
    _t(S.DRAFT, S.AWAITING_SUPERVISOR, OFFICER, why="The officer submits the request for supervisor review."),
    _t(S.DRAFT, S.WITHDRAWN, OFFICER, SUPERVISOR, why="The police withdraw the draft.", reason_required=True),
    _t(
        S.AWAITING_SUPERVISOR,
        S.WITH_CPS_TRIAGE,
        SUPERVISOR,
        why="The supervisor certifies the file meets the National File Standard and sends it to the CPS.",
    ),
    _t(
        S.AWAITING_SUPERVISOR,
        S.DRAFT,
        SUPERVISOR,
        why="The supervisor sends the request back to the officer with reasons.",
        reason_required=True,
    ),
    _t(S.WITH_CPS_TRIAGE, S.ACCEPTED_AWAITING_ALLOCATION, TRIAGE, why="CPS triage accepts the request."),
    _t(
        S.WITH_CPS_TRIAGE,
        S.RETURNED_NOT_TO_STANDARD,
        TRIAGE,
        why="CPS triage returns the request as not to the National File Standard.",
        reason_required=True,
    ),
    _t(S.RETURNED_NOT_TO_STANDARD, S.DRAFT, OFFICER, why="The officer takes the request back to put it right."),
    _t(
        S.ACCEPTED_AWAITING_ALLOCATION,
        S.ALLOCATED,
        LAWYER,
        LEGAL_MANAGER,
        why="A lawyer takes the request, or a legal manager assigns it to one.",
    ),
    _t(
        S.ALLOCATED,
        S.ACTION_PLAN_ISSUED,
        LAWYER,
        why="The lawyer defers the decision with an action plan or early advice.",
    ),
    _t(S.ALLOCATED, S.DECIDED, LAWYER, why="The lawyer records the charging decision."),
    _t(
        S.ACTION_PLAN_ISSUED,
        S.RESUBMITTED,
        OFFICER,
        why="The police answer the action plan (MG3A).",
    ),
    _t(
        S.ACTION_PLAN_ISSUED,
        S.ADMINISTRATIVELY_FINALISED,
        SYSTEM,
        why="The action plan went unanswered past the configured period.",
    ),
    _t(
        S.RESUBMITTED,
        S.ALLOCATED,
        SYSTEM,
        LAWYER,
        LEGAL_MANAGER,
        why="The resubmission goes back to the allocated lawyer, or to whoever takes or is assigned it when "
        "that lawyer can no longer act.",
    ),
    _t(
        S.ADMINISTRATIVELY_FINALISED,
        S.RESUBMITTED,
        OFFICER,
        why="The police reopen the request because the material has arrived.",
        reason_required=True,
    ),
)

TERMINAL: frozenset[S] = frozenset({S.DECIDED, S.WITHDRAWN})

_BY_PAIR = {(t.source, t.target): t for t in TRANSITIONS}

# Messages shown to users; tests import them.
UNKNOWN_STATUS = "“{value}” is not a charging request status."
UNKNOWN_ACTOR = "“{value}” is not someone who can move a charging request."
ALREADY_THERE = "The charging request is already at “{source}”."
DECIDED_IS_FINAL = (
    "A decided charging request cannot move to “{target}”. To correct the decision, record a new decision: it "
    "replaces the old one and both are kept."
)
WITHDRAWN_IS_FINAL = "A withdrawn charging request cannot move to “{target}”. Start a new charging request instead."
TRANSITION_NOT_ALLOWED = (
    "A charging request cannot move from “{source}” to “{target}”. From “{source}” it can move to: {options}."
)
TRANSITION_NOT_YOURS = "Moving a charging request from “{source}” to “{target}” is done by {who}, not by {actor}."
REASON_REQUIRED = "Give a reason for moving the charging request from “{source}” to “{target}”."

# How each actor is named in a sentence.
WHO: dict[A, str] = {
    OFFICER: "a police officer",
    SUPERVISOR: "a police supervisor",
    TRIAGE: "CPS triage",
    LAWYER: "a CPS lawyer",
    LEGAL_MANAGER: "a CPS legal manager",
    SYSTEM: "the system automatically",
}


class TransitionError(ValueError):
    pass


def _status(value: str) -> S:
    try:
        return S(value)
    except ValueError:
        raise TransitionError(UNKNOWN_STATUS.format(value=value)) from None


def _actor(value: str) -> A:
    try:
        return A(value)
    except ValueError:
        raise TransitionError(UNKNOWN_ACTOR.format(value=value)) from None


def _label(status: S) -> str:
    return str(status.label)


def transition_for(source: str, target: str) -> Transition:
    """The table's row for this move, whoever makes it; ``TransitionError`` if there is none."""
    src, dst = _status(source), _status(target)
    transition = _BY_PAIR.get((src, dst))
    if transition is not None:
        return transition
    if src == dst:
        raise TransitionError(ALREADY_THERE.format(source=_label(src)))
    if src == S.DECIDED:
        raise TransitionError(DECIDED_IS_FINAL.format(target=_label(dst)))
    if src == S.WITHDRAWN:
        raise TransitionError(WITHDRAWN_IS_FINAL.format(target=_label(dst)))
    options = ", ".join(f"“{_label(t.target)}”" for t in TRANSITIONS if t.source == src)
    raise TransitionError(TRANSITION_NOT_ALLOWED.format(source=_label(src), target=_label(dst), options=options))


def check_transition(source: str, target: str, actor: str) -> Transition:
    """The row allowing ``actor`` to move a request from ``source`` to ``target``, or ``TransitionError``."""
    transition = transition_for(source, target)
    who = _actor(actor)
    if who not in transition.actors:
        names = " or ".join(WHO[a] for a in A if a in transition.actors)
        raise TransitionError(
            TRANSITION_NOT_YOURS.format(
                source=_label(transition.source), target=_label(transition.target), who=names, actor=WHO[who]
            )
        )
    return transition


def check_reason(transition: Transition, reason: str) -> None:
    """A move marked ``reason_required`` needs a reason that is not blank."""
    if transition.reason_required and not reason.strip():
        raise TransitionError(
            REASON_REQUIRED.format(source=_label(transition.source), target=_label(transition.target))
        )


def targets_from(source: str, actor: str) -> list[S]:
    """Where ``actor`` may move a request that is at ``source``, in table order (empty when terminal)."""
    src, who = _status(source), _actor(actor)
    return [t.target for t in TRANSITIONS if t.source == src and who in t.actors]


def target_for_outcome(outcome: str) -> S:
    """Where the allocated lawyer's recorded outcome moves the request: decided, or awaiting the police."""
    if DecisionOutcome(outcome) in INTERIM_OUTCOMES:
        return S.ACTION_PLAN_ISSUED
    return S.DECIDED
