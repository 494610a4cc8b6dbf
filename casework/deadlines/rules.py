"""The periods, limits and alert thresholds of the deadline engine, as data.

Every number here is a default (domain.md sections 0, 5 and 12.2). A deployment overrides any of them
with ``settings.CASEBRIDGE_DEADLINES``, a dict of ``DeadlineRules`` field names to values, for
example ``{"threshold_test_review_days": 14}``; ``get_rules()`` reads it on every call, so tests can
use ``override_settings``. Items tagged [K] (background knowledge) or [C] (sources conflict) in
domain.md are here precisely so that they can be changed without touching code.

The CPS charging time aims are not repeated here: they belong to ``charging.selectors``
(``DEFAULT_DUE_HOURS`` and ``settings.CHARGING_DUE_HOURS``) and ``charging_due_hours()`` reads them
from there.
"""

from __future__ import annotations

import dataclasses
import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType
from typing import Any

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from ..choices import Authority, BailRegime

SETTINGS_NAME = "CASEBRIDGE_DEADLINES"


@dataclass(frozen=True)
class BailStep:
    """Pre-charge bail may run to ``limit`` after the bail start date on ``authority``'s say-so.

    ``exceptional`` marks a step open only in exceptional cases (a court must be told why), so that
    a refusal can say which cases it is for."""

    limit: relativedelta
    authority: Authority
    provision: str
    exceptional: bool = False


# Police, Crime, Sentencing and Courts Act 2022 Sch. 4 (PACE ss.47ZB–47ZG as amended), standard cases,
# arrests from 28 October 2022. [C] The 24-month ceiling is for exceptional cases only (domain.md 0).
PCSC_2022_LADDER: tuple[BailStep, ...] = (
    BailStep(relativedelta(months=3), Authority.CUSTODY_OFFICER, "PACE s.47ZB(1)(b)"),
    BailStep(relativedelta(months=6), Authority.INSPECTOR, "PACE s.47ZD"),
    BailStep(relativedelta(months=9), Authority.SUPERINTENDENT, "PACE s.47ZDA"),
    BailStep(relativedelta(months=12), Authority.MAGISTRATES_COURT, "PACE s.47ZF"),
    BailStep(relativedelta(months=18), Authority.MAGISTRATES_COURT, "PACE s.47ZG"),
    BailStep(relativedelta(months=24), Authority.MAGISTRATES_COURT, "PACE s.47ZG", exceptional=True),
)

# Policing and Crime Act 2017 (3 April 2017 to 27 October 2022): release on bail authorised by an
# inspector for 28 days, a superintendent to 3 months, then a magistrates' court. [K] The 2017 Act set
# no overall ceiling on court extensions; Casebridge stops at 24 months, as the 2022 law does.
PCA_2017_LADDER: tuple[BailStep, ...] = (
    BailStep(relativedelta(days=28), Authority.INSPECTOR, "PACE s.47ZB (2017)"),
    BailStep(relativedelta(months=3), Authority.SUPERINTENDENT, "PACE s.47ZD (2017)"),
    BailStep(relativedelta(months=6), Authority.MAGISTRATES_COURT, "PACE s.47ZF (2017)"),
    BailStep(relativedelta(months=24), Authority.MAGISTRATES_COURT, "PACE s.47ZG (2017)"),
)


class Unit(enum.StrEnum):
    DAYS = "days"
    WORKING_DAYS = "working_days"
    HOURS = "hours"


class ScheduleKind(enum.StrEnum):
    """Which alert schedule a deadline follows (domain.md 12.2)."""

    STATUTORY_LIMIT = "statutory_limit"  # s.127 MCA 1980
    DOMESTIC_ABUSE_LIMIT = "domestic_abuse_limit"  # s.39A CJA 1988
    CUSTODY_TIME_LIMIT = "custody_time_limit"
    PACE = "pace"
    PRE_CHARGE_BAIL = "pre_charge_bail"
    DUE = "due"  # anything else with a due date: overdue only


@dataclass(frozen=True)
class AlertSchedule:
    """Warn ``before`` (in ``unit``) a deadline, and again once it is overdue."""

    before: tuple[int, ...]
    unit: Unit


DEFAULT_ALERTS: Mapping[ScheduleKind, AlertSchedule] = MappingProxyType(
    {
        ScheduleKind.STATUTORY_LIMIT: AlertSchedule((60, 30, 14, 7), Unit.DAYS),
        ScheduleKind.DOMESTIC_ABUSE_LIMIT: AlertSchedule((30, 14, 7), Unit.DAYS),
        ScheduleKind.CUSTODY_TIME_LIMIT: AlertSchedule((28, 14, 7, 2), Unit.WORKING_DAYS),
        ScheduleKind.PACE: AlertSchedule((2,), Unit.HOURS),
        ScheduleKind.PRE_CHARGE_BAIL: AlertSchedule((14, 7), Unit.DAYS),
        ScheduleKind.DUE: AlertSchedule((), Unit.DAYS),
    }
)


@dataclass(frozen=True)
class DeadlineRules:
    # s.127 Magistrates' Courts Act 1980 and s.39A Criminal Justice Act 1988.
    summary_time_limit_months: int = 6
    domestic_abuse_overall_years: int = 2
    domestic_abuse_from_statement_months: int = 6
    # CJS codes (without qualifier) of common assault and battery, the offences s.39A covers. [K]
    common_assault_codes: tuple[str, ...] = ("CJ88001", "CJ88116")

    # PACE ss.41–44 detention and s.40 reviews.
    pace_basic_hours: int = 24
    pace_superintendent_hours: int = 36
    pace_maximum_hours: int = 96
    pace_warrant_max_hours: int = 36
    pace_first_review_hours: int = 6
    pace_review_interval_hours: int = 9

    # Pre-charge bail.
    pca_2017_in_force: date = date(2017, 4, 3)
    pcsc_2022_in_force: date = date(2022, 10, 28)
    bail_ladders: Mapping[BailRegime, tuple[BailStep, ...]] = field(
        default_factory=lambda: MappingProxyType(
            {BailRegime.PCSC_2022: PCSC_2022_LADDER, BailRegime.PCA_2017: PCA_2017_LADDER}
        )
    )
    rui_age_days: tuple[int, ...] = (90, 180, 270)

    # Prosecution of Offences (Custody Time Limits) Regulations 1987, regs 4 and 5.
    ctl_summary_only_days: int = 56
    ctl_either_way_summary_days: int = 70
    ctl_either_way_decided_early_days: int = 56
    ctl_crown_court_days: int = 182

    # Transforming Summary Justice listing: bail cases listed 14 (GAP) or 28 (NGAP) days after charge.
    first_hearing_gap_days: int = 14
    first_hearing_ngap_days: int = 28
    # [K] How often a Threshold Test charge is reviewed until the Full Code Test can be applied.
    threshold_test_review_days: int = 28

    # Victims' Code Right 6, and the Victims' Right to Review schemes. [C] CPS VRR: 5 or 10 working days.
    victim_update_working_days: int = 5
    victim_update_enhanced_working_days: int = 1
    police_vrr_request_months: int = 3
    police_vrr_acknowledge_working_days: int = 10
    police_vrr_decision_working_days: int = 30
    cps_vrr_request_working_days: int = 10

    alerts: Mapping[ScheduleKind, AlertSchedule] = field(default_factory=lambda: DEFAULT_ALERTS)


DEFAULT_RULES = DeadlineRules()
_FIELDS = frozenset(f.name for f in dataclasses.fields(DeadlineRules))


def get_rules() -> DeadlineRules:
    """The defaults with ``settings.CASEBRIDGE_DEADLINES`` applied on top."""
    overrides: dict[str, Any] = dict(getattr(settings, SETTINGS_NAME, None) or {})
    if not overrides:
        return DEFAULT_RULES
    unknown = set(overrides) - _FIELDS
    if unknown:
        raise ImproperlyConfigured(f"{SETTINGS_NAME} has unknown keys: {', '.join(sorted(unknown))}")
    if "alerts" in overrides:
        overrides["alerts"] = MappingProxyType({**DEFAULT_ALERTS, **overrides["alerts"]})
    if "bail_ladders" in overrides:
        overrides["bail_ladders"] = MappingProxyType({**DEFAULT_RULES.bail_ladders, **overrides["bail_ladders"]})
    return dataclasses.replace(DEFAULT_RULES, **overrides)


def charging_due_hours() -> dict[str, int]:
    """CPS charging time aims in hours by category (red, green priority, green), from
    ``charging.selectors`` so that there is one source: its ``DEFAULT_DUE_HOURS`` with
    ``settings.CHARGING_DUE_HOURS`` applied."""
    # Imported here: charging depends on casework, and casework must import without charging's models.
    from charging.selectors import due_hours

    return due_hours()


def schedule_for(kind: str) -> ScheduleKind:
    """The alert schedule a stored deadline (``casework.choices.DeadlineKind``) follows."""
    from casework.choices import DeadlineKind as Stored

    return {
        Stored.SUMMARY_TIME_LIMIT: ScheduleKind.STATUTORY_LIMIT,
        Stored.DA_TIME_LIMIT: ScheduleKind.DOMESTIC_ABUSE_LIMIT,
        Stored.CUSTODY_TIME_LIMIT: ScheduleKind.CUSTODY_TIME_LIMIT,
        Stored.PACE_DETENTION: ScheduleKind.PACE,
        Stored.PACE_REVIEW: ScheduleKind.PACE,
        Stored.PRE_CHARGE_BAIL: ScheduleKind.PRE_CHARGE_BAIL,
    }.get(Stored(kind), ScheduleKind.DUE)
