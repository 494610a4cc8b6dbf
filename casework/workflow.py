"""The case status lifecycle: one transition table, checked by one service (``case_transition``).

Each allowed move names who may make it: the police (by hand, with a reason), or the charging
process (``SYSTEM``: moves made by the charging services when a request is sent or a decision is
recorded, never directly by a person).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from .choices import CaseStatus as S


class Mover(Enum):
    POLICE = "police"
    CPS = "cps"
    SYSTEM = "system"


@dataclass(frozen=True)
class Transition:
    source: S
    target: S
    movers: frozenset[Mover]
    description: str


def _t(source: S, target: S, *movers: Mover, why: str) -> Transition:
    return Transition(source, target, frozenset(movers), why)


P, C, X = Mover.POLICE, Mover.CPS, Mover.SYSTEM

TRANSITIONS: tuple[Transition, ...] = (
    _t(S.INVESTIGATION, S.AWAITING_CHARGING_DECISION, X, why="A charging request is sent to the CPS."),
    _t(S.INVESTIGATION, S.CHARGED, P, X, why="The police charge under DG6 (police-chargeable offences)."),
    _t(S.INVESTIGATION, S.NO_FURTHER_ACTION, P, why="The police take no further action without a referral."),
    _t(S.INVESTIGATION, S.OUT_OF_COURT_DISPOSAL, P, why="The police give an out-of-court disposal."),
    _t(S.AWAITING_CHARGING_DECISION, S.INVESTIGATION, X, why="The request is returned or an action plan is set."),
    _t(S.AWAITING_CHARGING_DECISION, S.CHARGED, X, why="The CPS decides to charge."),
    _t(S.AWAITING_CHARGING_DECISION, S.NO_FURTHER_ACTION, X, why="The CPS decides no further action."),
    _t(S.AWAITING_CHARGING_DECISION, S.OUT_OF_COURT_DISPOSAL, X, why="The CPS authorises an out-of-court disposal."),
    _t(S.AWAITING_CHARGING_DECISION, S.ADMINISTRATIVELY_FINALISED, X, C, why="Never resubmitted or answered."),
    _t(S.ADMINISTRATIVELY_FINALISED, S.INVESTIGATION, P, why="Reopened because new material arrived."),
    _t(
        S.ADMINISTRATIVELY_FINALISED,
        S.AWAITING_CHARGING_DECISION,
        X,
        why="The police reopen the charging request with the material that has arrived.",
    ),
    _t(S.NO_FURTHER_ACTION, S.INVESTIGATION, P, C, why="Reopened, e.g. after a victim's right to review."),
    _t(S.OUT_OF_COURT_DISPOSAL, S.INVESTIGATION, P, why="Conditions breached: prosecution considered."),
    _t(S.CHARGED, S.PRE_TRIAL, P, C, why="The first hearing has been held and the case continues."),
    _t(S.CHARGED, S.CONCLUDED, P, C, why="Concluded at the first hearing (e.g. guilty plea and sentence)."),
    _t(S.PRE_TRIAL, S.CONCLUDED, P, C, why="Trial or sentence concluded the case."),
)

_BY_PAIR = {(t.source, t.target): t for t in TRANSITIONS}

TRANSITION_NOT_ALLOWED = "A case cannot move from {source} to {target}."
TRANSITION_NOT_YOURS = "Moving a case from {source} to {target} is done by {who}, not by hand here."


class TransitionError(ValueError):
    pass


def transition_for(source: str, target: str) -> Transition:
    transition = _BY_PAIR.get((S(source), S(target)))
    if transition is None:
        raise TransitionError(TRANSITION_NOT_ALLOWED.format(source=S(source).label, target=S(target).label))
    return transition


def check_transition(source: str, target: str, mover: Mover) -> Transition:
    transition = transition_for(source, target)
    if mover not in transition.movers:
        who = " or ".join(
            sorted("the charging process" if m is X else f"the {m.value.upper()}" for m in transition.movers)
        )
        raise TransitionError(TRANSITION_NOT_YOURS.format(source=S(source).label, target=S(target).label, who=who))
    return transition


def targets_from(source: str, mover: Mover) -> list[S]:
    return [t.target for t in TRANSITIONS if t.source == S(source) and mover in t.movers]
