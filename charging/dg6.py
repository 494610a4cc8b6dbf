"""Who makes the charging decision: the police or the CPS (DG6 Annex 1, domain.md 2.3).

The Director's Guidance on Charging, 6th edition (DG6), Annex 1 lets the police charge:

1. any summary-only offence, whatever the anticipated plea;
2. any retail theft (or attempt), whatever the plea, if suitable for sentence in the magistrates' court;
3. any either-way offence with an anticipated guilty plea (GAP) suitable for sentence in the magistrates'
   court, unless a sentence of more than 12 months' imprisonment is likely;

unless the case is flagged Hate Crime or Domestic Abuse, or an offence is in one of the Annex 1 groups
(``casework.dg6``: death, terrorism, official secrets, consent needed, harassment and stalking, violent
disorder and affray, GBH/wounding and ABH, Licensing Act 2003, and Sexual Offences Act offences by or upon
a person under 18), or an offence is indictable-only. Everything else is for the CPS, and where a case mixes
police-chargeable and CPS offences, *all* the offences go to the CPS on the MG3.

An inspector may authorise the police to charge a CPS offence where the CPS cannot be reached before the
PACE detention clock runs out; the decision then records that emergency authority was used.

The rules are data (``CASE_RULES``, ``OFFENCE_RULES``), evaluated in order, each with an id and the reason
shown to whoever builds the charging file. The facts (mode of trial, DG6 group, youth, plea, likely
sentence) are established elsewhere; this module is pure and does no I/O.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from casework.choices import CaseFlag, ModeOfTrial
from casework.dg6 import DG6_GROUPS, GROUPS_BY_SLUG

from .choices import AnticipatedPlea, ChargingDecider

SEXUAL_OFFENCES_GROUP = "sexual_offences_act"


@dataclass(frozen=True)
class OffenceFacts:
    """One offence, as far as DG6 Annex 1 cares.

    ``dg6_group`` is the slug from ``casework.dg6.dg6_group_for`` ("" for none).
    ``youth_party_for_sexual_offence``: for a Sexual Offences Act offence, whether it was committed by or
    upon a person under 18. Pass ``True`` when the ages are not yet known: the CPS then decides.
    """

    mode_of_trial: ModeOfTrial
    dg6_group: str = ""
    is_retail_theft: bool = False
    youth_party_for_sexual_offence: bool = False


@dataclass(frozen=True, kw_only=True)
class RoutingFacts:
    """The case as DG6 Annex 1 sees it. Plea, sentence and venue are the police's assessment of the case."""

    offences: tuple[OffenceFacts, ...]
    case_flags: frozenset[str] = frozenset()
    anticipated_plea: AnticipatedPlea
    likely_sentence_over_12_months: bool
    suitable_for_magistrates: bool
    # An inspector's authority to charge a CPS offence: PACE clock about to expire, CPS unobtainable.
    emergency_inspector_authority: bool = False

    def __post_init__(self) -> None:
        if not self.offences:
            raise ValueError("Who charges can only be decided for a case with at least one offence.")


@dataclass(frozen=True)
class Dg6Rule:
    """One line of DG6 Annex 1. ``note`` carries any [K] caveat from domain.md (verify before go-live)."""

    id: str
    decider: ChargingDecider
    reason: str
    applies: Callable[[OffenceFacts, RoutingFacts], bool] = field(compare=False, repr=False)
    note: str = ""


@dataclass(frozen=True)
class RoutingDecision:
    """The answer, with the rule that gave it.

    ``rule`` decided the case; ``cps_rule`` is the reservation that sent it to the CPS (the same rule, or
    the one an inspector's emergency authority overrode); ``offence_rules`` holds each offence's own rule, in
    the order of ``RoutingFacts.offences``. ``mixed`` says the case mixes police-chargeable and CPS offences,
    so that all of them went to the CPS.
    """

    decider: ChargingDecider
    rule: Dg6Rule
    reason: str
    offence_rules: tuple[Dg6Rule, ...]
    cps_rule: Dg6Rule | None = None
    mixed: bool = False
    all_offences_to_cps: bool = False
    emergency_authority_used: bool = False

    @property
    def rule_id(self) -> str:
        return self.rule.id


P, C = ChargingDecider.POLICE, ChargingDecider.CPS


def _group_rule(slug: str, reason: str) -> Dg6Rule:
    if slug == SEXUAL_OFFENCES_GROUP:
        return Dg6Rule(
            id=f"dg6_group.{slug}",
            decider=C,
            reason=(
                "DG6 Annex 1: a Sexual Offences Act offence committed by or upon a person under 18 must be "
                "referred to the CPS."
            ),
            applies=lambda o, _f: o.dg6_group == SEXUAL_OFFENCES_GROUP and o.youth_party_for_sexual_offence,
        )
    return Dg6Rule(id=f"dg6_group.{slug}", decider=C, reason=reason, applies=lambda o, _f: o.dg6_group == slug)


def _either_way_gap(o: OffenceFacts, f: RoutingFacts) -> bool:
    return (
        o.mode_of_trial == ModeOfTrial.EITHER_WAY
        and f.anticipated_plea == AnticipatedPlea.GUILTY
        and f.suitable_for_magistrates
        and not f.likely_sentence_over_12_months
    )


# Reservations that follow the case, not an offence: every offence goes to the CPS. A case rule applies
# when it applies for any of the case's offences.
CASE_RULES: tuple[Dg6Rule, ...] = (
    Dg6Rule(
        id="flag.hate_crime",
        decider=C,
        reason="DG6 Annex 1: a case flagged as Hate Crime under CPS policy must be referred to the CPS.",
        applies=lambda _o, f: CaseFlag.HATE_CRIME in f.case_flags,
    ),
    Dg6Rule(
        id="flag.domestic_abuse",
        decider=C,
        reason="DG6 Annex 1: a case flagged as Domestic Abuse under CPS policy must be referred to the CPS.",
        applies=lambda _o, f: CaseFlag.DOMESTIC_ABUSE in f.case_flags,
    ),
)

# Each offence takes the first rule that applies: the CPS reservations, then the police's three
# permissions, then why an offence outside them is for the CPS. The last rule always applies.
OFFENCE_RULES: tuple[Dg6Rule, ...] = (
    Dg6Rule(
        id="indictable_only",
        decider=C,
        reason="DG6 Annex 1: all indictable-only offences must be referred to the CPS.",
        applies=lambda o, _f: o.mode_of_trial == ModeOfTrial.INDICTABLE_ONLY,
    ),
    *(_group_rule(group.slug, group.reason) for group in DG6_GROUPS),
    Dg6Rule(
        id="dg6_group.unrecognised",
        decider=C,
        reason=(
            "The offence is marked with a DG6 Annex 1 group this version of Casebridge does not know, so it is "
            "referred to the CPS to be safe."
        ),
        applies=lambda o, _f: (
            bool(o.dg6_group) and o.dg6_group != SEXUAL_OFFENCES_GROUP and o.dg6_group not in GROUPS_BY_SLUG
        ),
        note="Not a DG6 rule: a group slug dropped from casework.dg6 must never silently let the police charge.",
    ),
    Dg6Rule(
        id="police.summary_only",
        decider=P,
        reason="DG6 Annex 1: the police may charge any summary-only offence, whatever the anticipated plea.",
        applies=lambda o, _f: o.mode_of_trial == ModeOfTrial.SUMMARY_ONLY,
    ),
    Dg6Rule(
        id="police.retail_theft",
        decider=P,
        reason=(
            "DG6 Annex 1: the police may charge any retail theft (or attempt), whatever the anticipated plea, "
            "if it is suitable for sentence in the magistrates' court."
        ),
        applies=lambda o, f: (
            o.is_retail_theft and o.mode_of_trial == ModeOfTrial.EITHER_WAY and f.suitable_for_magistrates
        ),
    ),
    Dg6Rule(
        id="police.either_way_guilty_plea",
        decider=P,
        reason=(
            "DG6 Annex 1: the police may charge an either-way offence where a guilty plea is anticipated and "
            "it is suitable for sentence in the magistrates' court, unless more than 12 months' imprisonment "
            "is likely."
        ),
        applies=_either_way_gap,
    ),
    Dg6Rule(
        id="either_way.not_suitable_for_magistrates",
        decider=C,
        reason=(
            "DG6 Annex 1: an either-way offence not suitable for sentence in the magistrates' court must be "
            "referred to the CPS."
        ),
        applies=lambda o, f: o.mode_of_trial == ModeOfTrial.EITHER_WAY and not f.suitable_for_magistrates,
    ),
    Dg6Rule(
        id="either_way.no_guilty_plea",
        decider=C,
        reason=(
            "DG6 Annex 1: the police may charge an either-way offence (other than retail theft) only where a "
            "guilty plea is anticipated; otherwise it must be referred to the CPS."
        ),
        applies=lambda o, f: o.mode_of_trial == ModeOfTrial.EITHER_WAY and f.anticipated_plea != AnticipatedPlea.GUILTY,
    ),
    Dg6Rule(
        id="either_way.sentence_over_12_months",
        decider=C,
        reason=(
            "DG6 Annex 1: an either-way offence where a sentence of more than 12 months' imprisonment is "
            "likely must be referred to the CPS, even with an anticipated guilty plea."
        ),
        applies=lambda o, f: o.mode_of_trial == ModeOfTrial.EITHER_WAY and f.likely_sentence_over_12_months,
    ),
    Dg6Rule(
        id="not_police_chargeable",
        decider=C,
        reason=(
            "DG6 Annex 1 lets the police charge only summary-only offences, retail theft and either-way offences "
            "with an anticipated guilty plea; anything else must be referred to the CPS."
        ),
        applies=lambda _o, _f: True,
    ),
)

MIXED_CASE_RULE = Dg6Rule(
    id="mixed_case",
    decider=C,
    reason=(
        "DG6 Annex 1: where a case has both offences the police may charge and offences for the CPS, all the "
        "offences must be referred to the CPS on the MG3."
    ),
    applies=lambda _o, _f: False,  # decided from the other rules' results in who_decides
)

EMERGENCY_RULE = Dg6Rule(
    id="emergency_inspector_authority",
    decider=P,
    reason=(
        "An inspector authorised the police to charge an offence that is for the CPS, because the CPS's "
        "decision could not be obtained before the PACE detention clock expired."
    ),
    applies=lambda _o, f: f.emergency_inspector_authority,
    note=(
        "[K] DG5 para 20 says so; domain.md has DG6 making a similar provision but it is not verified. Check the "
        "DG6 wording (including any custody or Threshold Test conditions) before go-live."
    ),
)

RULES_BY_ID: dict[str, Dg6Rule] = {
    rule.id: rule for rule in (*CASE_RULES, *OFFENCE_RULES, MIXED_CASE_RULE, EMERGENCY_RULE)
}


def rule_for_offence(offence: OffenceFacts, facts: RoutingFacts) -> Dg6Rule:
    """The first offence rule that applies to ``offence``; the catch-all guarantees one does."""
    return next(rule for rule in OFFENCE_RULES if rule.applies(offence, facts))


def who_decides(facts: RoutingFacts) -> RoutingDecision:
    """Whether the police may charge this case or must refer it to the CPS, and under which DG6 Annex 1 rule.

    A case flag (Hate Crime, Domestic Abuse) sends the whole case to the CPS; otherwise each offence takes its
    own rule, and one CPS offence sends every offence to the CPS. Emergency inspector authority lets the
    police charge what would otherwise be for the CPS, and the decision says so.
    """
    offence_rules = tuple(rule_for_offence(offence, facts) for offence in facts.offences)
    case_rule = next((rule for rule in CASE_RULES if any(rule.applies(o, facts) for o in facts.offences)), None)
    cps_offence_rules = [rule for rule in offence_rules if rule.decider == C]
    police_offences = any(rule.decider == P for rule in offence_rules)

    if case_rule is None and not cps_offence_rules:
        rule = _first_in_order(offence_rules)
        return RoutingDecision(decider=P, rule=rule, reason=rule.reason, offence_rules=offence_rules)

    cps_rule = case_rule or _first_in_order(cps_offence_rules)
    mixed = case_rule is None and police_offences
    reason = cps_rule.reason
    if mixed:
        reason = f"{reason} {MIXED_CASE_RULE.reason}"

    if facts.emergency_inspector_authority:
        return RoutingDecision(
            decider=P,
            rule=EMERGENCY_RULE,
            reason=f"{EMERGENCY_RULE.reason} Without it: {reason}",
            offence_rules=offence_rules,
            cps_rule=cps_rule,
            mixed=mixed,
            emergency_authority_used=True,
        )
    return RoutingDecision(
        decider=C,
        rule=cps_rule,
        reason=reason,
        offence_rules=offence_rules,
        cps_rule=cps_rule,
        mixed=mixed,
        all_offences_to_cps=True,
    )


def _first_in_order(rules: list[Dg6Rule] | tuple[Dg6Rule, ...]) -> Dg6Rule:
    """Of several rules that applied, the one earliest in ``OFFENCE_RULES`` (the most serious reservation)."""
    order = {rule.id: index for index, rule in enumerate(OFFENCE_RULES)}
    return min(rules, key=lambda rule: order[rule.id])
