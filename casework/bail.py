"""Pre-charge bail and PACE detention rules (domain.md 0, 5.2, 5.3) as pure functions.

Which law applies depends on the arrest date. Under the Police, Crime, Sentencing and Courts Act
2022 (arrests from 28 October 2022) bail runs 3 months from the bail start date on a custody
officer's authority, to 6 months with an inspector, to 9 months with a superintendent, and beyond
only with a magistrates' court (to at most 24 months in exceptional cases). Under the Policing and
Crime Act 2017 (3 April 2017 to 27 October 2022): 28 days, to 3 months with a superintendent, then
a court. Before April 2017 there was no statutory limit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from dateutil.relativedelta import relativedelta

from .choices import Authority, BailRegime

PCA_2017_IN_FORCE = date(2017, 4, 3)
PCSC_2022_IN_FORCE = date(2022, 10, 28)

# Higher authorities may always do what lower ones may.
AUTHORITY_RANK = {
    Authority.CUSTODY_OFFICER: 1,
    Authority.INSPECTOR: 2,
    Authority.SUPERINTENDENT: 3,
    Authority.MAGISTRATES_COURT: 4,
}


@dataclass(frozen=True)
class Step:
    """Bail may run up to ``limit`` after the bail start date on ``authority``'s say-so."""

    limit: relativedelta
    authority: Authority


LADDERS: dict[BailRegime, tuple[Step, ...]] = {
    BailRegime.PCSC_2022: (
        Step(relativedelta(months=3), Authority.CUSTODY_OFFICER),
        Step(relativedelta(months=6), Authority.INSPECTOR),
        Step(relativedelta(months=9), Authority.SUPERINTENDENT),
        Step(relativedelta(months=24), Authority.MAGISTRATES_COURT),
    ),
    BailRegime.PCA_2017: (
        Step(relativedelta(days=28), Authority.INSPECTOR),
        Step(relativedelta(months=3), Authority.SUPERINTENDENT),
        Step(relativedelta(months=24), Authority.MAGISTRATES_COURT),
    ),
}

PACE_BASIC_HOURS = 24
PACE_SUPERINTENDENT_HOURS = 36
PACE_MAXIMUM_HOURS = 96

BAIL_END_BEFORE_START = "The bail period must end after the bail start date."
BAIL_BEYOND_MAXIMUM = "Pre-charge bail cannot run beyond {limit} from its start date, even with a court's extension."
BAIL_NEEDS_AUTHORITY = "Bail to {end} needs the authority of {needed}; {given} cannot authorise it."


class BailRuleError(ValueError):
    pass


def regime_for(arrested_on: date) -> BailRegime:
    if arrested_on >= PCSC_2022_IN_FORCE:
        return BailRegime.PCSC_2022
    if arrested_on >= PCA_2017_IN_FORCE:
        return BailRegime.PCA_2017
    return BailRegime.PRE_2017


def initial_period_end(regime: BailRegime, start: date) -> date | None:
    ladder = LADDERS.get(regime)
    return start + ladder[0].limit if ladder else None


def required_authority(regime: BailRegime, start: date, end: date) -> Authority | None:
    """The lowest authority that may set bail to run until ``end``; None where no limit applies."""
    if end <= start:
        raise BailRuleError(BAIL_END_BEFORE_START)
    ladder = LADDERS.get(regime)
    if ladder is None:
        return None
    for step in ladder:
        if end <= start + step.limit:
            return step.authority
    raise BailRuleError(BAIL_BEYOND_MAXIMUM.format(limit=_describe(ladder[-1].limit)))


def check_authority(regime: BailRegime, start: date, end: date, given: Authority) -> None:
    needed = required_authority(regime, start, end)
    if needed is not None and AUTHORITY_RANK[Authority(given)] < AUTHORITY_RANK[needed]:
        raise BailRuleError(
            BAIL_NEEDS_AUTHORITY.format(
                end=f"{end:%-d %B %Y}", needed=_with_article(needed), given=_with_article(Authority(given))
            )
        )


def pace_limit(relevant_time: datetime, hours: int = PACE_BASIC_HOURS) -> datetime:
    return relevant_time + timedelta(hours=hours)


def _describe(delta: relativedelta) -> str:
    months = delta.years * 12 + delta.months
    return f"{months} months" if months else f"{delta.days} days"


def _with_article(authority: Authority) -> str:
    label = authority.label.lower()
    return f"an {label}" if label[0] in "aeiou" else f"a {label}"
