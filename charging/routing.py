"""DG6 Annex 1 for a real case: gathers the facts ``charging.dg6.who_decides`` needs from the case record.

Plea, likely sentence and suitability for the magistrates' court are the police's assessment, so they are
passed in; everything else (mode of trial, DG6 groups, flags, ages) comes from the record.
"""

from __future__ import annotations

from casework.choices import CaseFlag, ModeOfTrial
from casework.models import Case, OffenceAllegation

from .choices import AnticipatedPlea
from .dg6 import SEXUAL_OFFENCES_GROUP, OffenceFacts, RoutingDecision, RoutingFacts, who_decides

NO_OFFENCES = "Add the offences to the case first: DG6 decides who charges from them"

# CJS offence codes for theft from a shop ("retail theft"); [K] extend from the standing data's titles.
RETAIL_THEFT_TITLE_WORDS = ("from a shop", "from shop", "shoplifting", "from a stall", "from an automatic machine")


def is_retail_theft(code: str, title: str) -> bool:
    lowered = title.lower()
    return code.upper().startswith("TH") and any(word in lowered for word in RETAIL_THEFT_TITLE_WORDS)


def _youth_party(offence: OffenceAllegation, case: Case) -> bool:
    """For a Sexual Offences Act offence: was it by or upon someone under 18? When an age is not recorded the
    answer is yes, so the CPS decides (the cautious reading of Annex 1)."""
    if CaseFlag.YOUTH in case.flags:
        return True
    people = [offence.suspect, *case.victims.all()]
    return any(person.date_of_birth is None or person.is_youth for person in people)


def offence_facts(case: Case, offences: list[OffenceAllegation]) -> tuple[OffenceFacts, ...]:
    facts = []
    for offence in offences:
        code = offence.offence_code
        group = code.dg6_group
        facts.append(
            OffenceFacts(
                mode_of_trial=ModeOfTrial(code.mode_of_trial),
                dg6_group=group,
                is_retail_theft=is_retail_theft(code.code, code.title),
                youth_party_for_sexual_offence=group == SEXUAL_OFFENCES_GROUP and _youth_party(offence, case),
            )
        )
    return tuple(facts)


def routing_for_case(
    case: Case,
    *,
    anticipated_plea: str = AnticipatedPlea.UNKNOWN,
    likely_sentence_over_12_months: bool = False,
    suitable_for_magistrates: bool = True,
    emergency_inspector_authority: bool = False,
    offences: list[OffenceAllegation] | None = None,
) -> RoutingDecision | None:
    """Who charges this case under DG6 Annex 1, or ``None`` when it has no offences yet."""
    if offences is None:
        offences = list(case.offences.select_related("offence_code", "suspect"))
    if not offences:
        return None
    return who_decides(
        RoutingFacts(
            offences=offence_facts(case, offences),
            case_flags=frozenset(case.flags),
            anticipated_plea=AnticipatedPlea(anticipated_plea),
            likely_sentence_over_12_months=likely_sentence_over_12_months,
            suitable_for_magistrates=suitable_for_magistrates,
            emergency_inspector_authority=emergency_inspector_authority,
        )
    )
