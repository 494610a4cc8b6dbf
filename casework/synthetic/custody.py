"""Custody and bail: arrest and PACE detention, voluntary interviews, pre-charge bail up the PACE ladder, release
under investigation, and the charge in each suspect's custody history."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from casework.bail import regime_for
from casework.choices import (
    Authority,
    BailRegime,
    OffenceStatus,
    VictimUpdateReason,
)
from casework.deadlines import calculations
from casework.deadlines.rules import DeadlineRules
from casework.identifiers import asn_check_character

from . import distributions as dist
from .context import end_of_day, london_date

if TYPE_CHECKING:
    pass
from .story import K, StoryBase

# (regime, bail start day, id of the rules) -> (the rules, the standard steps with their last days). The rules are
# kept with the entry so that their id cannot be reused by other rules while it is there.
_BAIL_PERIODS: dict[tuple[str, date, int], tuple[DeadlineRules, list[tuple[Any, date]]]] = {}


def _standard_bail_periods(regime: BailRegime, start_day: date, rules: DeadlineRules) -> list[tuple[Any, date]]:
    """The standard (not exceptional) steps of the PACE bail ladder from ``start_day``, each with the last day it
    allows (``calculations.bail_period_ends``): the same few hundred start days recur across a run's cases, and
    working them out takes ``relativedelta`` arithmetic, so each is worked out once per process."""
    key = (regime, start_day, id(rules))
    known = _BAIL_PERIODS.get(key)
    if known is None or known[0] is not rules:
        ends = calculations.bail_period_ends(regime, start_day, rules=rules)
        known = _BAIL_PERIODS[key] = (rules, [(step, last) for step, last in ends if not step.exceptional])
    return known[1]


class CustodySteps(StoryBase):
    """A suspect's time in custody and on bail."""

    def detain(self, arrest_at: datetime, *, long: bool, may_extend: bool) -> datetime:
        """Every suspect is arrested and detained under PACE; returns when they are released (or charged)."""
        d = self.d
        relevant = arrest_at + timedelta(minutes=d.randint(15, 60))
        detained_at = self.happen(relevant + timedelta(minutes=d.randint(5, 30)))
        self.detention_start = detained_at
        hours = d.lognormal_days(9 if not long else 16, 0.5, 2, 22.5)
        release = detained_at + timedelta(hours=hours)
        extended = long and may_extend and d.chance(0.15)
        for n, suspect in enumerate(self.suspects):
            suspect.custody_record_number = (
                f"{self.force.code}{self.unit.code}/{d.randint(10000, 99999)}/{detained_at.year % 100:02d}"
            )
            self.event(
                suspect,
                K.DETAINED,
                detained_at + timedelta(minutes=n * 7),
                relevant_time=relevant + timedelta(minutes=n * 7),
                period_ends_at=calculations.pace_limit(relevant + timedelta(minutes=n * 7), 24),
                authority=Authority.CUSTODY_OFFICER,
                authorised_by=f"PS {self.d.choice(dist.LAST_NAMES)}",
                arrested_on=london_date(arrest_at),
            )
            if suspect.pnc_id and not suspect.asn:
                sequence = d.randint(1, 99_999_999)
                year = f"{arrest_at.year % 100:02d}"
                check = asn_check_character(year=year, force=self.force.code, system="01", sequence=sequence)
                suspect.asn = f"{year}{self.force.code}{self.unit.code}01{sequence:011d}{check}"
        self.interview_at = detained_at + timedelta(hours=min(hours * 0.6, hours - 0.5))
        self.victim_updates(VictimUpdateReason.ARREST, detained_at)
        if self.interview_at <= self.as_of:
            self.chunk.material.interview(self, self.interview_at)
        if extended:
            at = relevant + timedelta(hours=d.uniform(20, 23))
            self.happen(at)
            for suspect in self.suspects:
                self.event(
                    suspect,
                    K.DETENTION_EXTENDED,
                    at,
                    relevant_time=relevant,
                    period_ends_at=calculations.pace_limit(relevant, 36),
                    authority=Authority.SUPERINTENDENT,
                    authorised_by=f"Supt {self.d.choice(dist.LAST_NAMES)}",
                )
            release = relevant + timedelta(hours=d.uniform(25, 34))
        self.detention_end = release
        return release

    def voluntary_interview(self) -> datetime:
        """A suspect not arrested is interviewed by appointment and recorded as under investigation."""
        d = self.d
        at = self.happen(self.case.created_at + timedelta(days=d.lognormal_days(12, 0.8, 1, 90)))
        self.detention_start = at
        self.interview_at = at
        self.chunk.material.interview(self, at)
        end = at + timedelta(hours=d.uniform(1, 2.5))
        self.release(end, K.RELEASED_UNDER_INVESTIGATION, "Voluntary attendance interview; under investigation")
        return end

    def start_bail(self, start: datetime) -> None:
        """Pre-charge bail from ``start`` on a custody officer's authority (the first step of the PACE ladder for
        the arrest date's regime). ``keep_bail`` extends it up the ladder as the investigation goes on."""
        d = self.d
        self.happen(start)
        start_day = london_date(start)
        arrested_on = london_date(self.detention_start)
        regime = regime_for(arrested_on)
        standard = _standard_bail_periods(regime, start_day, self.chunk.rules)
        if not standard:
            return
        first_step, first_end = standard[0]
        self.bail_conditions = "Not to contact the victim or witnesses" if self.victims else "To reside at home address"
        for n, suspect in enumerate(self.suspects):
            self.event(
                suspect,
                K.PRE_CHARGE_BAIL,
                start + timedelta(minutes=n * 3),
                arrested_on=arrested_on,
                bail_regime=regime,
                bail_start_date=start_day,
                period_ends_at=end_of_day(first_end),
                authority=first_step.authority,
                authorised_by=f"PS {d.choice(dist.LAST_NAMES)}",
                conditions=self.bail_conditions,
            )
        self.bail = (regime, arrested_on, start_day, first_end, standard[1:])

    def charge_events(self, at: datetime, *, remand: bool) -> None:
        """The charge itself in each suspect's custody history (which lays the information): remanded in custody
        for the first appearance, charged and bailed, or - for a suspect under investigation and not in the
        station - a postal requisition. The decision to charge came first, so the case goes to court whether or not
        the suspect has come in to be charged by ``as_of`` (a charge still to be put is not recorded yet)."""
        first_appearance = self.working_day_on_or_after(london_date(at) + timedelta(days=1))
        self.first_appearance = first_appearance
        if at > self.as_of:
            return
        self.happen(at)
        self.bail = None
        for n, suspect in enumerate(self.suspects):
            when = at + timedelta(minutes=n * 4)
            history = self.events.get(suspect.pk, [])
            summons = not history or history[-1].kind == K.RELEASED_UNDER_INVESTIGATION
            if remand and not summons:
                offence = next(
                    o for o in self.offences if o.suspect_id == suspect.pk and o.status != OffenceStatus.NOT_PROCEEDED
                )
                self.event(
                    suspect,
                    K.REMANDED_IN_CUSTODY,
                    when,
                    offence_id=offence.pk,
                    first_remand_date=first_appearance,
                    notes="Charged and kept in custody for the first appearance; remand sought",
                )
                self.remanded.add(suspect.pk)
            elif summons:
                self.event(suspect, K.SUMMONSED, when, notes="Postal requisition (MG4D) issued")
            else:
                self.event(
                    suspect, K.CHARGED_AND_BAILED, when, conditions="Unconditional bail to the magistrates' court"
                )
