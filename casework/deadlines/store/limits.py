"""The statutory limits the facts give: the s.127 and s.39A time limits to charge, PACE detention and
its reviews, pre-charge bail, released-under-investigation review points and custody time limits.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, timedelta

from ...choices import (
    Authority,
    BailRegime,
    CaseFlag,
    CustodyEventKind,
    DeadlineKind,
    HearingOutcome,
    HearingType,
    ModeOfTrial,
    OffenceStatus,
)
from ...models import CustodyEvent, OffenceAllegation
from .. import calculations
from ..rules import ScheduleKind
from .common import MET, OPEN, _BuilderBase, _day, _local_date, _moment, _plural, end_of_day

K = CustodyEventKind
ENDS_DETENTION = frozenset(
    {
        K.DETAINED,
        K.PRE_CHARGE_BAIL,
        K.RELEASED_UNDER_INVESTIGATION,
        K.CHARGED_AND_BAILED,
        K.REMANDED_IN_CUSTODY,
        K.SUMMONSED,
        K.RELEASED_NO_FURTHER_ACTION,
    }
)
ENDS_BAIL = frozenset(ENDS_DETENTION)
ENDS_RUI = frozenset(ENDS_DETENTION)
LAYS_INFORMATION = frozenset({K.CHARGED_AND_BAILED, K.REMANDED_IN_CUSTODY, K.SUMMONSED})
TRIAL_STARTED = frozenset({HearingOutcome.EFFECTIVE, HearingOutcome.CRACKED, HearingOutcome.CONCLUDED})


class _StatutoryLimits(_BuilderBase):
    """The builder's part for the statutory limits."""

    # -- s.127 and s.39A ------------------------------------------------------------------------

    def charge_dates(self) -> dict[int, list[date]]:
        """When an information was laid (a charge or summons) for each offence, from every record of it."""
        dates: dict[int, list[date]] = defaultdict(list)
        for request in self.facts.requests:
            for decision in request.decisions.all():
                for charge in getattr(decision, "_charges", []):
                    dates[charge].append(_local_date(decision.decided_at))
        for police in self.facts.police_charges:
            for offence in police.offences.all():
                dates[offence.pk].append(_local_date(police.decided_at))
        for offence in self.facts.offences:
            for event in self.facts.events.get(offence.suspect_id, []):
                if event.kind in LAYS_INFORMATION and event.offence_id in (None, offence.pk):
                    dates[offence.pk].append(_local_date(event.occurred_at))
        return dates

    def summonsed(self, offence: OffenceAllegation) -> bool:
        return any(
            e.kind == K.SUMMONSED and e.offence_id in (None, offence.pk)
            for e in self.facts.events.get(offence.suspect_id, [])
        )

    def time_limits(self, charged: dict[int, list[date]]) -> None:
        case = self.facts.case
        domestic_abuse = CaseFlag.DOMESTIC_ABUSE in case.flags
        statements = [v.first_statement_on for v in self.facts.victims if v.first_statement_on]
        first_statement = min(statements) if statements else None
        for offence in self.facts.offences:
            code = offence.offence_code
            if offence.status == OffenceStatus.NOT_PROCEEDED:
                continue
            limit = calculations.prosecution_time_limit(
                mode_of_trial=code.mode_of_trial,
                offence_code=code.code,
                committed_on=offence.committed_on,
                committed_until=offence.committed_until,
                domestic_abuse=domestic_abuse,
                first_statement_on=first_statement,
                rules=self.rules,
            )
            if limit is None:
                continue
            laid = offence.status == OffenceStatus.CHARGED or self.summonsed(offence)
            laid_on = min(charged.get(offence.pk, []), default=None)
            status = MET if laid and (laid_on is None or laid_on <= limit.expires_on) else OPEN
            what = f"{code.title} ({offence.code_with_qualifier})"
            if limit.kind == ScheduleKind.DOMESTIC_ABUSE_LIMIT:
                kind = DeadlineKind.DA_TIME_LIMIT
                label = f"Time limit to charge (s.39A): {self.name(offence.suspect_id)}, {what}"
                rule = (
                    f"s.39A Criminal Justice Act 1988 (domestic abuse common assault or battery): "
                    f"{limit.explanation} Last day {_day(limit.expires_on)}."
                )
            else:
                kind = DeadlineKind.SUMMARY_TIME_LIMIT
                label = f"Time limit to charge (s.127): {self.name(offence.suspect_id)}, {what}"
                continuing = " (a continuing offence: from its last day)" if offence.committed_until else ""
                rule = (
                    f"s.127 Magistrates' Courts Act 1980: an information must be laid (or a written charge issued) "
                    f"within {self.rules.summary_time_limit_months} months from the offence on "
                    f"{_day(offence.last_date)}{continuing} (last day {_day(limit.expires_on)})."
                )
            self.add(
                kind=kind,
                subject_key=f"offence:{offence.public_id}",
                label=label,
                due_at=end_of_day(limit.expires_on),
                rule=rule,
                status=status,
                suspect_id=offence.suspect_id,
                offence_id=offence.pk,
                met_at=end_of_day(laid_on) if status == MET and laid_on is not None else None,
            )

    # -- PACE detention, pre-charge bail and RUI ------------------------------------------------

    @staticmethod
    def _episodes(
        events: list[CustodyEvent], start: str, ends: frozenset[str]
    ) -> Iterable[tuple[CustodyEvent, list[CustodyEvent], CustodyEvent | None]]:
        """Each run of a suspect's history from a ``start`` event to the event that ends it (if any)."""
        for i, event in enumerate(events):
            if event.kind != start:
                continue
            during: list[CustodyEvent] = []
            end: CustodyEvent | None = None
            for later in events[i + 1 :]:
                if later.kind in ends:
                    end = later
                    break
                during.append(later)
            yield event, during, end

    def detention(self) -> None:
        r = self.rules
        for suspect_id, events in self.facts.events.items():
            name = self.name(suspect_id)
            for detained, during, end in self._episodes(events, K.DETAINED, ENDS_DETENTION):
                if detained.relevant_time is None:
                    continue
                relevant = detained.relevant_time
                maximum = calculations.pace_limit(relevant, r.pace_maximum_hours)
                latest = next(
                    (e for e in reversed(during) if e.kind in (K.DETENTION_EXTENDED, K.WARRANT_OF_FURTHER_DETENTION)),
                    detained,
                )
                if latest.kind == K.WARRANT_OF_FURTHER_DETENTION and latest.period_ends_at is not None:
                    due = min(calculations.in_london(latest.period_ends_at), maximum)
                    rule = (
                        f"PACE ss.43–44: a warrant of further detention ({latest.authorised_by or 'magistrates'}) "
                        f"to {_moment(due)}, never beyond {r.pace_maximum_hours} hours from the relevant time "
                        f"({_moment(relevant)})."
                    )
                elif latest.kind == K.DETENTION_EXTENDED:
                    due = calculations.pace_limit(relevant, r.pace_superintendent_hours)
                    by = f" ({latest.authorised_by})" if latest.authorised_by else ""
                    rule = (
                        f"PACE s.42: extended by a superintendent{by} to {r.pace_superintendent_hours} hours from "
                        f"the relevant time ({_moment(relevant)})."
                    )
                else:
                    due = calculations.pace_limit(relevant, r.pace_basic_hours)
                    rule = f"PACE s.41: {r.pace_basic_hours} hours from the relevant time ({_moment(relevant)})."
                key = f"detention:{detained.public_id}"
                ended_in_time = end is not None and end.occurred_at <= due
                self.add(
                    kind=DeadlineKind.PACE_DETENTION,
                    subject_key=key,
                    label=f"PACE detention limit: {name}",
                    due_at=due,
                    rule=rule,
                    status=MET if ended_in_time else OPEN,
                    suspect_id=suspect_id,
                    met_at=end.occurred_at if ended_in_time and end is not None else None,
                )
                stop = end.occurred_at if end is not None else self.now
                reviews = calculations.pace_review_times(detained.occurred_at, until=due, rules=r)
                review_rule = (
                    f"PACE s.40(3): the first review within {r.pace_first_review_hours} hours of detention "
                    f"being authorised ({_moment(detained.occurred_at)}), then at most every "
                    f"{r.pace_review_interval_hours} hours. Reviews are not recorded in Casebridge: a review "
                    f"time passed while the suspect is still detained is closed."
                )
                for n, review in enumerate(reviews, start=1):
                    if review > stop and end is not None:
                        break
                    self.add(
                        kind=DeadlineKind.PACE_REVIEW,
                        subject_key=f"{key}:review:{n}",
                        label=f"PACE review {n} of detention: {name}",
                        due_at=review,
                        rule=review_rule,
                        status=MET if review <= stop else OPEN,
                        suspect_id=suspect_id,
                    )
                    if review > stop:
                        break  # only the next review is open

    def bail(self) -> None:
        for suspect_id, events in self.facts.events.items():
            for bailed, during, end in self._episodes(events, K.PRE_CHARGE_BAIL, ENDS_BAIL):
                start = bailed.bail_start_date
                if start is None:
                    continue
                regime = BailRegime(
                    bailed.bail_regime or calculations.bail_regime_for(bailed.arrested_on or start, rules=self.rules)
                )
                steps = calculations.bail_period_ends(regime, start, rules=self.rules)
                if not steps:
                    continue  # no statutory limit before April 2017
                current = next((e for e in reversed(during) if e.kind == K.BAIL_EXTENDED), bailed)
                authority = Authority(current.authority or Authority.CUSTODY_OFFICER)
                rank = calculations.AUTHORITY_RANK[authority]
                own = [(step, last) for step, last in steps if calculations.AUTHORITY_RANK[step.authority] <= rank]
                step, cap = own[-1] if own else steps[0]
                set_to = _local_date(current.period_ends_at) if current.period_ends_at else None
                last_day = min(set_to, cap) if set_to else cap
                ended_in_time = end is not None and _local_date(end.occurred_at) <= last_day
                extended = " (extended)" if current is not bailed else ""
                self.add(
                    kind=DeadlineKind.PRE_CHARGE_BAIL,
                    subject_key=f"bail:{bailed.public_id}",
                    label=f"Pre-charge bail period ends{extended}: {self.name(suspect_id)}",
                    due_at=end_of_day(last_day),
                    rule=(
                        f"Pre-charge bail under the {regime.label.split(' (')[0]}: bail start date {_day(start)}; "
                        f"the period set on the authority of {authority.label.lower()} ({step.provision}) ends on "
                        f"{_day(last_day)}."
                    ),
                    status=MET if ended_in_time else OPEN,
                    suspect_id=suspect_id,
                    met_at=end.occurred_at if ended_in_time and end is not None else None,
                )

    def released_under_investigation(self) -> None:
        today = _local_date(self.now)
        for suspect_id, events in self.facts.events.items():
            for released, _during, end in self._episodes(events, K.RELEASED_UNDER_INVESTIGATION, ENDS_RUI):
                released_on = _local_date(released.occurred_at)
                until = _local_date(end.occurred_at) if end is not None else today
                for days in sorted(self.rules.rui_age_days):
                    point = released_on + timedelta(days=days)
                    reached = point <= until
                    if end is not None and not reached:
                        break
                    self.add(
                        kind=DeadlineKind.RUI_AGEING,
                        subject_key=f"rui:{released.public_id}:{days}",
                        label=f"Released under investigation for {days} days: {self.name(suspect_id)}",
                        due_at=end_of_day(point),
                        rule=(
                            f"Released under investigation has no statutory time limit; Casebridge marks review "
                            f"points at {', '.join(str(d) for d in self.rules.rui_age_days)} days after the release "
                            f"on {_day(released_on)}."
                        ),
                        status=MET if end is not None else OPEN,
                        suspect_id=suspect_id,
                    )
                    if not reached:
                        break  # only the next point ahead is shown

    # -- custody time limits --------------------------------------------------------------------

    def custody_time_limits(self) -> None:
        sent_days = sorted(
            _local_date(h.starts_at) for h in self.facts.hearings if h.outcome == HearingOutcome.SENT_TO_CROWN
        )
        trial_days = sorted(
            _local_date(h.starts_at)
            for h in self.facts.hearings
            if h.hearing_type == HearingType.TRIAL and h.outcome in TRIAL_STARTED
        )
        for offence in self.facts.offences:
            if offence.status == OffenceStatus.NOT_PROCEEDED:
                continue
            events = self.facts.events.get(offence.suspect_id, [])
            remands = [e for e in events if e.kind == K.REMANDED_IN_CUSTODY and e.offence_id == offence.pk]
            firsts = [e.first_remand_date for e in remands if e.first_remand_date]
            if not firsts:
                continue
            first = min(firsts)
            last_remand = remands[-1]
            if any(e.kind == K.CHARGED_AND_BAILED and e.occurred_at > last_remand.occurred_at for e in events):
                continue  # bailed: no longer in custody, so no custody time limit
            mode = offence.offence_code.mode_of_trial
            sent_on = next((d for d in sent_days if d >= first), None)
            note = ""
            if sent_on is None and mode == ModeOfTrial.INDICTABLE_ONLY:
                sent_on = first
                note = " An indictable-only offence is sent to the Crown Court at once (s.51 CDA 1998)."
            if sent_on is not None:
                spent = calculations.days_in_custody(first_remand_on=first, until=sent_on)
                ctl = calculations.crown_court_custody_time_limit(
                    sent_on=sent_on, calendar=self.calendar, days_in_magistrates_custody=spent, rules=self.rules
                )
                less = f", less {_plural(spent, 'day')} already in magistrates' custody" if spent else ""
                why = f"{self.rules.ctl_crown_court_days} days from sending to the Crown Court on {_day(sent_on)}{less}"
            elif mode in (ModeOfTrial.SUMMARY_ONLY, ModeOfTrial.EITHER_WAY):
                either_way = mode == ModeOfTrial.EITHER_WAY
                ctl = calculations.magistrates_custody_time_limit(
                    mode_of_trial=mode,
                    first_appearance_on=first,
                    calendar=self.calendar,
                    summary_trial_decided_on=first if either_way else None,
                    rules=self.rules,
                )
                why = f"{ctl.days} days from the first appearance on {_day(first)}"
                if either_way:
                    note = (
                        f" Either-way offence: {self.rules.ctl_either_way_summary_days} days unless the court decided "
                        f"on summary trial within {self.rules.ctl_either_way_decided_early_days} days; that decision "
                        f"is not recorded, so the earlier limit is shown."
                    )
            else:
                continue
            moved = ""
            if ctl.expires_on != ctl.plain_expiry:
                moved = (
                    f" {ctl.plain_expiry:%A} {_day(ctl.plain_expiry)} is not a working day, so the limit expires on "
                    f"the working day before (reg. 2(5))."
                )
            started = next((d for d in trial_days if d >= first), None)
            self.add(
                kind=DeadlineKind.CUSTODY_TIME_LIMIT,
                subject_key=f"ctl:{offence.public_id}",
                label=(
                    f"Custody time limit: {self.name(offence.suspect_id)}, "
                    f"{offence.offence_code.title} ({offence.code_with_qualifier})"
                ),
                due_at=end_of_day(ctl.expires_on),
                rule=f"Custody time limit ({ctl.basis}): {why}; expires {_day(ctl.expires_on)}.{moved}{note}",
                status=MET if started is not None and started <= ctl.expires_on else OPEN,
                suspect_id=offence.suspect_id,
                offence_id=offence.pk,
                met_at=end_of_day(started) if started is not None and started <= ctl.expires_on else None,
            )
