"""Who charges: the police or the CPS (DG6 Annex 1, domain.md 2.3). No database."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from casework.choices import CaseFlag, ModeOfTrial
from casework.dg6 import DG6_GROUPS
from charging.choices import AnticipatedPlea, ChargingDecider
from charging.dg6 import (
    CASE_RULES,
    EMERGENCY_RULE,
    MIXED_CASE_RULE,
    OFFENCE_RULES,
    RULES_BY_ID,
    OffenceFacts,
    RoutingDecision,
    RoutingFacts,
    who_decides,
)

SUMMARY, EITHER_WAY, INDICTABLE, NOT_CRIMINAL = (
    ModeOfTrial.SUMMARY_ONLY,
    ModeOfTrial.EITHER_WAY,
    ModeOfTrial.INDICTABLE_ONLY,
    ModeOfTrial.NOT_CRIMINAL,
)
GUILTY, NOT_GUILTY, UNKNOWN = AnticipatedPlea.GUILTY, AnticipatedPlea.NOT_GUILTY, AnticipatedPlea.UNKNOWN
POLICE, CPS = ChargingDecider.POLICE, ChargingDecider.CPS
DA, HATE = CaseFlag.DOMESTIC_ABUSE, CaseFlag.HATE_CRIME

SHOPLIFTING = OffenceFacts(EITHER_WAY, is_retail_theft=True)
LOW_VALUE_SHOPLIFTING = OffenceFacts(SUMMARY, is_retail_theft=True)
COMMON_ASSAULT = OffenceFacts(SUMMARY)
CRIMINAL_DAMAGE = OffenceFacts(EITHER_WAY)
ROBBERY = OffenceFacts(INDICTABLE)
ABH = OffenceFacts(EITHER_WAY, dg6_group="gbh_abh")
SECTION_18 = OffenceFacts(INDICTABLE, dg6_group="gbh_abh")
EXPOSURE_ADULTS = OffenceFacts(EITHER_WAY, dg6_group="sexual_offences_act")
SEXUAL_ASSAULT_OF_A_CHILD = OffenceFacts(
    EITHER_WAY, dg6_group="sexual_offences_act", youth_party_for_sexual_offence=True
)


def facts(
    *offences: OffenceFacts,
    flags: tuple[str, ...] = (),
    plea: AnticipatedPlea = GUILTY,
    over_12_months: bool = False,
    suitable: bool = True,
    emergency: bool = False,
) -> RoutingFacts:
    return RoutingFacts(
        offences=offences,
        case_flags=frozenset(flags),
        anticipated_plea=plea,
        likely_sentence_over_12_months=over_12_months,
        suitable_for_magistrates=suitable,
        emergency_inspector_authority=emergency,
    )


@dataclass(frozen=True)
class Case:
    id: str
    facts: RoutingFacts
    decider: ChargingDecider
    rule: str
    mixed: bool = False
    emergency: bool = False
    cps_rule: str | None = None  # defaults to ``rule`` when the CPS decides


def _group_cases() -> list[Case]:
    """Every DG6 Annex 1 group sends even a summary-only, guilty-plea offence to the CPS."""
    return [
        Case(
            f"group {group.slug}",
            facts(
                OffenceFacts(SUMMARY, dg6_group=group.slug, youth_party_for_sexual_offence=True),
                plea=GUILTY,
            ),
            CPS,
            f"dg6_group.{group.slug}",
        )
        for group in DG6_GROUPS
    ]


CASES: list[Case] = [
    # Rule 1: summary-only, whatever the plea (and whatever the venue or sentence view).
    Case("summary-only, not guilty", facts(COMMON_ASSAULT, plea=NOT_GUILTY), POLICE, "police.summary_only"),
    Case(
        "summary-only, plea unknown", facts(COMMON_ASSAULT, plea=UNKNOWN, suitable=False), POLICE, "police.summary_only"
    ),
    Case(
        "low-value shoplifting is summary-only",
        facts(LOW_VALUE_SHOPLIFTING, plea=NOT_GUILTY),
        POLICE,
        "police.summary_only",
    ),
    # Rule 2: retail theft, whatever the plea, if suitable for magistrates' sentence.
    Case("retail theft, not guilty", facts(SHOPLIFTING, plea=NOT_GUILTY), POLICE, "police.retail_theft"),
    Case("retail theft, plea unknown", facts(SHOPLIFTING, plea=UNKNOWN), POLICE, "police.retail_theft"),
    Case(
        "retail theft not suitable for magistrates",
        facts(SHOPLIFTING, plea=GUILTY, suitable=False),
        CPS,
        "either_way.not_suitable_for_magistrates",
    ),
    # Rule 3: either-way with an anticipated guilty plea, suitable, and not more than 12 months likely.
    Case("either-way GAP", facts(CRIMINAL_DAMAGE, plea=GUILTY), POLICE, "police.either_way_guilty_plea"),
    Case("either-way not guilty", facts(CRIMINAL_DAMAGE, plea=NOT_GUILTY), CPS, "either_way.no_guilty_plea"),
    Case("either-way plea unknown", facts(CRIMINAL_DAMAGE, plea=UNKNOWN), CPS, "either_way.no_guilty_plea"),
    Case(
        "either-way GAP, over 12 months likely",
        facts(CRIMINAL_DAMAGE, over_12_months=True),
        CPS,
        "either_way.sentence_over_12_months",
    ),
    Case(
        "either-way GAP, not suitable for magistrates",
        facts(CRIMINAL_DAMAGE, suitable=False),
        CPS,
        "either_way.not_suitable_for_magistrates",
    ),
    # Indictable-only, and offences DG6 does not let the police charge at all.
    Case("indictable-only, even with a guilty plea", facts(ROBBERY), CPS, "indictable_only"),
    Case("indictable-only before its DG6 group", facts(SECTION_18), CPS, "indictable_only"),
    Case("not a criminal offence", facts(OffenceFacts(NOT_CRIMINAL)), CPS, "not_police_chargeable"),
    Case(
        "unknown DG6 group is never police-chargeable",
        facts(OffenceFacts(SUMMARY, dg6_group="since_removed")),
        CPS,
        "dg6_group.unrecognised",
    ),
    # Case flags send the whole case to the CPS, even a summary-only one.
    Case("hate crime flag", facts(COMMON_ASSAULT, flags=(HATE,)), CPS, "flag.hate_crime"),
    Case("domestic abuse flag", facts(COMMON_ASSAULT, flags=(DA,)), CPS, "flag.domestic_abuse"),
    Case(
        "domestic abuse flag on retail theft",
        facts(SHOPLIFTING, flags=(DA,), plea=NOT_GUILTY),
        CPS,
        "flag.domestic_abuse",
    ),
    Case("other flags change nothing", facts(COMMON_ASSAULT, flags=(CaseFlag.YOUTH,)), POLICE, "police.summary_only"),
    # Sexual Offences Act: CPS only when a party is under 18.
    Case("SOA offence upon a child", facts(SEXUAL_ASSAULT_OF_A_CHILD), CPS, "dg6_group.sexual_offences_act"),
    Case("SOA offence between adults, GAP", facts(EXPOSURE_ADULTS), POLICE, "police.either_way_guilty_plea"),
    Case(
        "SOA offence between adults, not guilty",
        facts(EXPOSURE_ADULTS, plea=NOT_GUILTY),
        CPS,
        "either_way.no_guilty_plea",
    ),
    # Mixed cases: one CPS offence takes every offence to the CPS.
    Case("summary-only with ABH", facts(COMMON_ASSAULT, ABH), CPS, "dg6_group.gbh_abh", mixed=True),
    Case("retail theft with robbery", facts(SHOPLIFTING, ROBBERY), CPS, "indictable_only", mixed=True),
    Case(
        "summary-only with either-way not guilty",
        facts(COMMON_ASSAULT, CRIMINAL_DAMAGE, plea=NOT_GUILTY),
        CPS,
        "either_way.no_guilty_plea",
        mixed=True,
    ),
    Case(
        "the most serious reservation is named", facts(ABH, ROBBERY, COMMON_ASSAULT), CPS, "indictable_only", mixed=True
    ),
    Case(
        "flagged case is not 'mixed': the flag takes everything",
        facts(COMMON_ASSAULT, ABH, flags=(DA,)),
        CPS,
        "flag.domestic_abuse",
    ),
    Case(
        "two police offences stay with the police",
        facts(SHOPLIFTING, COMMON_ASSAULT, plea=NOT_GUILTY),
        POLICE,
        "police.summary_only",
    ),
    # Emergency inspector authority: the police charge a CPS case, recorded as such.
    Case(
        "emergency authority on indictable-only",
        facts(ROBBERY, emergency=True),
        POLICE,
        "emergency_inspector_authority",
        emergency=True,
        cps_rule="indictable_only",
    ),
    Case(
        "emergency authority on domestic abuse",
        facts(COMMON_ASSAULT, flags=(DA,), emergency=True),
        POLICE,
        "emergency_inspector_authority",
        emergency=True,
        cps_rule="flag.domestic_abuse",
    ),
    Case(
        "emergency authority on a mixed case",
        facts(COMMON_ASSAULT, ABH, emergency=True),
        POLICE,
        "emergency_inspector_authority",
        mixed=True,
        emergency=True,
        cps_rule="dg6_group.gbh_abh",
    ),
    Case(
        "emergency authority unused when the police may charge anyway",
        facts(COMMON_ASSAULT, emergency=True),
        POLICE,
        "police.summary_only",
    ),
    *_group_cases(),
]


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_who_decides(case: Case) -> None:
    decision = who_decides(case.facts)

    assert decision.decider == case.decider
    assert decision.rule_id == case.rule
    assert decision.mixed is case.mixed
    assert decision.emergency_authority_used is case.emergency
    assert decision.all_offences_to_cps is (case.decider == CPS)
    expected_cps_rule = case.cps_rule or (case.rule if case.decider == CPS else None)
    assert (decision.cps_rule.id if decision.cps_rule else None) == expected_cps_rule
    assert "DG6 Annex 1" in decision.reason or decision.rule_id == "dg6_group.unrecognised"
    if case.mixed:
        assert MIXED_CASE_RULE.reason in decision.reason
    if case.emergency:
        assert decision.reason.startswith(EMERGENCY_RULE.reason)


def _rules_used(decision: RoutingDecision) -> set[str]:
    used = {decision.rule.id, *(rule.id for rule in decision.offence_rules)}
    if decision.cps_rule:
        used.add(decision.cps_rule.id)
    if decision.mixed:
        used.add(MIXED_CASE_RULE.id)
    return used


def test_the_table_exercises_every_rule() -> None:
    used = set().union(*(_rules_used(who_decides(case.facts)) for case in CASES))
    assert used == set(RULES_BY_ID)


def test_every_dg6_group_has_a_rule() -> None:
    assert {f"dg6_group.{group.slug}" for group in DG6_GROUPS} <= set(RULES_BY_ID)


def test_rule_ids_are_unique_and_reasons_cite_dg6() -> None:
    rules = [*CASE_RULES, *OFFENCE_RULES, MIXED_CASE_RULE]
    assert len({rule.id for rule in rules}) == len(rules)
    assert all("DG6 Annex 1" in rule.reason for rule in rules if rule.id != "dg6_group.unrecognised")


def test_unverified_emergency_authority_is_marked_k() -> None:
    assert EMERGENCY_RULE.note.startswith("[K]")


def test_the_catch_all_rule_is_last_and_for_the_cps() -> None:
    assert OFFENCE_RULES[-1].id == "not_police_chargeable"
    assert OFFENCE_RULES[-1].decider == CPS


def test_each_offence_keeps_its_own_rule_in_a_mixed_case() -> None:
    decision = who_decides(facts(COMMON_ASSAULT, ABH, SHOPLIFTING, plea=NOT_GUILTY))
    assert [rule.id for rule in decision.offence_rules] == [
        "police.summary_only",
        "dg6_group.gbh_abh",
        "police.retail_theft",
    ]


def test_a_case_needs_an_offence() -> None:
    with pytest.raises(ValueError, match="at least one offence"):
        facts()


# Property tests ---------------------------------------------------------------------------------------------

GROUP_SLUGS = [group.slug for group in DG6_GROUPS]

offences = st.builds(
    OffenceFacts,
    mode_of_trial=st.sampled_from(list(ModeOfTrial)),
    dg6_group=st.sampled_from(["", *GROUP_SLUGS]),
    is_retail_theft=st.booleans(),
    youth_party_for_sexual_offence=st.booleans(),
)
routing_facts = st.builds(
    RoutingFacts,
    offences=st.lists(offences, min_size=1, max_size=5).map(tuple),
    case_flags=st.frozensets(st.sampled_from(list(CaseFlag))),
    anticipated_plea=st.sampled_from(list(AnticipatedPlea)),
    likely_sentence_over_12_months=st.booleans(),
    suitable_for_magistrates=st.booleans(),
    emergency_inspector_authority=st.booleans(),
)
# An offence the CPS must decide whatever else is true of the case.
cps_reserved_offences = st.one_of(
    st.builds(OffenceFacts, mode_of_trial=st.just(INDICTABLE), dg6_group=st.sampled_from(["", *GROUP_SLUGS])),
    st.builds(
        OffenceFacts,
        mode_of_trial=st.sampled_from(list(ModeOfTrial)),
        dg6_group=st.sampled_from(GROUP_SLUGS),
        is_retail_theft=st.booleans(),
        youth_party_for_sexual_offence=st.just(True),
    ),
)


@given(routing_facts, cps_reserved_offences, st.integers(0, 5))
def test_adding_a_cps_offence_never_lets_the_police_charge(
    case: RoutingFacts, reserved: OffenceFacts, position: int
) -> None:
    offences_with = list(case.offences)
    offences_with.insert(min(position, len(offences_with)), reserved)
    decision = who_decides(replace(case, offences=tuple(offences_with)))

    if case.emergency_inspector_authority:
        assert decision.decider == POLICE
        assert decision.emergency_authority_used
        assert decision.rule == EMERGENCY_RULE
    else:
        assert decision.decider == CPS
        assert decision.all_offences_to_cps


@given(routing_facts, offences)
def test_adding_any_offence_never_takes_a_case_from_the_cps(case: RoutingFacts, extra: OffenceFacts) -> None:
    case = replace(case, emergency_inspector_authority=False)
    if who_decides(case).decider == CPS:
        assert who_decides(replace(case, offences=(*case.offences, extra))).decider == CPS


@given(routing_facts, st.sampled_from([DA, HATE]))
def test_a_hate_crime_or_domestic_abuse_flag_always_goes_to_the_cps(case: RoutingFacts, flag: CaseFlag) -> None:
    decision = who_decides(replace(case, case_flags=case.case_flags | {flag}, emergency_inspector_authority=False))
    assert decision.decider == CPS
    assert decision.rule.id.startswith("flag.")
    assert not decision.mixed


@given(routing_facts)
def test_the_police_charge_only_when_every_offence_is_theirs_or_an_inspector_authorised_it(case: RoutingFacts) -> None:
    decision = who_decides(case)
    all_police = all(rule.decider == POLICE for rule in decision.offence_rules) and not (case.case_flags & {DA, HATE})
    assert (decision.decider == POLICE) == (all_police or case.emergency_inspector_authority)
    assert decision.emergency_authority_used == (case.emergency_inspector_authority and not all_police)
    assert len(decision.offence_rules) == len(case.offences)


@given(routing_facts)
def test_the_order_of_offences_does_not_change_the_answer(case: RoutingFacts) -> None:
    answers = {
        (d.decider, d.rule.id, d.mixed)
        for d in (
            who_decides(replace(case, offences=order))
            for order in itertools.islice(itertools.permutations(case.offences), 6)
        )
    }
    assert len(answers) == 1
