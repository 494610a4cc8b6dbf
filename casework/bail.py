"""Pre-charge bail and PACE detention rules (domain.md 0, 5.2, 5.3) as pure functions.

Which law applies depends on the arrest date. Under the Police, Crime, Sentencing and Courts Act
2022 (arrests from 28 October 2022) bail runs 3 months from the bail start date on a custody
officer's authority, to 6 months with an inspector, to 9 months with a superintendent, and beyond
only with a magistrates' court (to at most 24 months in exceptional cases). Under the Policing and
Crime Act 2017 (3 April 2017 to 27 October 2022): 28 days, to 3 months with a superintendent, then
a court. Before April 2017 there was no statutory limit.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from dateutil.relativedelta import relativedelta

from .choices import Authority, BailRegime
from .deadlines import calculations
from .deadlines.calculations import AUTHORITY_RANK as AUTHORITY_RANK
from .deadlines.calculations import BailRuleError as BailRuleError
from .deadlines.rules import DEFAULT_RULES, BailStep, get_rules

# The numbers live in ``casework.deadlines.rules`` (overridable by settings); these names remain for
# existing callers.
PCA_2017_IN_FORCE = DEFAULT_RULES.pca_2017_in_force
PCSC_2022_IN_FORCE = DEFAULT_RULES.pcsc_2022_in_force
PACE_BASIC_HOURS = DEFAULT_RULES.pace_basic_hours
PACE_SUPERINTENDENT_HOURS = DEFAULT_RULES.pace_superintendent_hours
PACE_MAXIMUM_HOURS = DEFAULT_RULES.pace_maximum_hours

BAIL_END_BEFORE_START = "The bail period must end after the bail start date."
BAIL_BEYOND_MAXIMUM = "Pre-charge bail cannot run beyond {limit} from its start date, even with a court's extension."
BAIL_NEEDS_AUTHORITY = "Bail to {end} needs the authority of {needed}; {given} cannot authorise it."


def regime_for(arrested_on: date) -> BailRegime:
    return calculations.bail_regime_for(arrested_on)


def _ladder(regime: BailRegime) -> tuple[BailStep, ...]:
    return calculations.bail_ladder(regime, rules=get_rules())


def _last_day(start: date, limit: relativedelta) -> date:
    """The last day of a period of ``limit`` "beginning with the bail start date" (PACE ss.47ZB–47ZG):
    the start date counts, so 3 months beginning with 11 January ends on 10 April."""
    return calculations.bail_period_end(start, limit)


def initial_period_end(regime: BailRegime, start: date) -> date | None:
    ladder = _ladder(regime)
    return _last_day(start, ladder[0].limit) if ladder else None


def required_authority(regime: BailRegime, start: date, end: date) -> Authority | None:
    """The lowest authority that may set bail to run until ``end``; None where no limit applies."""
    if end <= start:
        raise BailRuleError(BAIL_END_BEFORE_START)
    ladder = _ladder(regime)
    if not ladder:
        return None
    for step in ladder:
        if end <= _last_day(start, step.limit):
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
    """``hours`` of elapsed time after the relevant time (correct across a clock change); a naive
    datetime is treated as wall-clock time, as before."""
    if relevant_time.tzinfo is None:
        return relevant_time + timedelta(hours=hours)
    return calculations.pace_limit(relevant_time, hours)


def _describe(delta: relativedelta) -> str:
    months = delta.years * 12 + delta.months
    return f"{months} months" if months else f"{delta.days} days"


def _with_article(authority: Authority) -> str:
    label = authority.label.lower()
    return f"an {label}" if label[0] in "aeiou" else f"a {label}"
