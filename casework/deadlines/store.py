"""The stored deadlines of a case: every deadline its facts give, kept current in ``Deadline`` rows.

``recompute_case_deadlines`` works out each deadline from the case's facts (offences, custody and bail
history, hearings, victims, charging requests and decisions) with the pure functions of
``casework.deadlines.calculations`` and the holiday table, and upserts one row per (case, kind,
subject): new ones are created, moved ones updated (their alert cursor reset), ones whose purpose was
met closed as met, and ones the facts no longer give closed as cancelled. It runs in the transaction of
every change to a case (``casework.services._common.CASE_CHANGED_HOOKS``, registered in
``casework.apps``) and from the periodic sweep (``recompute_open_deadlines``, Celery beat), which picks
up what only the passing of time changes (the next PACE review, RUI review points).

Choices made where the record is silent (each is also stated in the deadline's own rule text):

- A deadline that is a day (a time limit's last day, an action's due date) is due at 23:59 Europe/London
  on that day.
- A statutory limit (s.127/s.39A, PACE detention, pre-charge bail, custody time limit) is *met* only when
  what it guards happened by the limit: charged or summonsed in time, released or charged before the
  detention limit, bail ended before its period, trial started before the custody time limit. One that
  happened late stays open and overdue, because the breach is what people must see. Anything else
  (charging decision, actions, files, victims) is met when it is done, late or not.
- PACE reviews are not recorded in Casebridge: only the next review is open; a review time that passed
  while the suspect was still detained is closed as met, and the rest are cancelled on release.
- Released under investigation has no statutory limit: one deadline per review point reached (90, 180,
  270 days after release by default) plus the next one, each its own row so each raises its own alert.
- Custody time limits start at the first remand date recorded on the remand (the first appearance). An
  either-way offence is given the 56-day limit: the 70-day limit applies only if the court did not decide
  on summary trial within 56 days, and Casebridge does not record that decision, so the earlier date is
  shown. The Crown Court limit runs from a hearing whose outcome is "sent to the Crown Court" (an
  indictable-only offence is sent at once, so from the first remand when none is recorded), less the days
  already spent in magistrates' custody. A trial hearing that was effective, cracked or concluded is the
  start of trial. A later "charged and bailed" event for the defendant ends the limit (no longer in
  custody).
- The first hearing file is due by the end of the day before the listing day (14 days after charge for
  an anticipated guilty plea, 28 otherwise); it is met by a first-hearing file submitted after the charge.
- On a closed case (no further action, out-of-court disposal, concluded) every open deadline is cancelled
  except the victims' ones the decision itself gives.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from ..choices import (
    STATUTORY_DEADLINES,
    Authority,
    BailRegime,
    CaseFlag,
    CaseStatus,
    CustodyEventKind,
    DeadlineKind,
    DeadlineStatus,
    HearingOutcome,
    HearingType,
    ModeOfTrial,
    OffenceStatus,
    VictimUpdateReason,
)
from ..models import Case, CustodyEvent, Deadline, Hearing, OffenceAllegation, Suspect, Victim
from ..services._common import is_being_created
from . import calculations
from .calendar import LONDON, WorkingCalendar
from .holidays import calendar_from_db
from .rules import DeadlineRules, ScheduleKind, charging_due_hours, get_rules, schedule_for

if TYPE_CHECKING:
    from charging.models import ChargingDecision, ChargingRequest

CLOSED_CASE_STATUSES = frozenset({CaseStatus.NO_FURTHER_ACTION, CaseStatus.OUT_OF_COURT_DISPOSAL, CaseStatus.CONCLUDED})
# What a no-further-action decision itself gives, so it outlives the case's closing.
KEPT_ON_CLOSED_CASES = frozenset({DeadlineKind.VICTIM_UPDATE, DeadlineKind.VICTIM_RIGHT_TO_REVIEW})

OPEN, MET, CANCELLED = DeadlineStatus.OPEN, DeadlineStatus.MET, DeadlineStatus.CANCELLED
END_OF_DAY = time(23, 59)
# The alert cursor of a (re)computed deadline starts at the first alert point after "now"; a point at
# "now" itself counts as not yet passed.
JUST_BEFORE = timedelta(microseconds=1)

CURSOR_KEY = "casework:deadlines:recompute-cursor"
DUE_CURSOR_KEY = "casework:deadlines:due-cursor"
# Deadlines whose passing changes what the facts give, with no change to the facts.
TIME_DRIVEN = (DeadlineKind.PACE_REVIEW, DeadlineKind.RUI_AGEING, DeadlineKind.VICTIM_RIGHT_TO_REVIEW)
DEFAULT_SWEEP_BATCH = 500

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


@dataclass(frozen=True)
class Computed:
    """One deadline as the facts give it."""

    kind: DeadlineKind
    subject_key: str
    label: str
    due_at: datetime
    rule: str
    status: DeadlineStatus = OPEN
    suspect_id: int | None = None
    offence_id: int | None = None
    # When what met it happened (the charge, the end of detention or bail, the start of the trial), where the
    # facts say; otherwise the store keeps the moment it first recorded the deadline as met.
    met_at: datetime | None = None


@dataclass(frozen=True)
class RecomputeResult:
    created: int = 0
    updated: int = 0
    cancelled: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.cancelled)


# -- formatting -----------------------------------------------------------------------------------


def _day(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def _moment(moment: datetime) -> str:
    local = moment.astimezone(LONDON)
    return f"{local:%H:%M} on {_day(local.date())}"


def _local_date(moment: datetime) -> date:
    return moment.astimezone(LONDON).date()


def end_of_day(day: date) -> datetime:
    return datetime.combine(day, END_OF_DAY, tzinfo=LONDON)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _hours_text(hours: int) -> str:
    return _plural(hours // 24, "day") if hours % 24 == 0 else _plural(hours, "hour")


# -- the facts ------------------------------------------------------------------------------------


@dataclass
class Facts:
    case: Case
    suspects: dict[int, Suspect]
    offences: list[OffenceAllegation]
    events: dict[int, list[CustodyEvent]]  # by suspect id, oldest first
    victims: list[Victim]
    hearings: list[Hearing]
    requests: list[ChargingRequest] = field(default_factory=list)
    police_charges: list[Any] = field(default_factory=list)
    first_hearing_files: list[datetime] = field(default_factory=list)  # when each was submitted


def _load(case_pk: int) -> Facts:
    """Everything the deadlines depend on, in a fixed number of queries, with the case row locked so
    that two recomputations of one case queue up."""
    from charging.models import ChargingRequest, PoliceChargeDecision
    from files.choices import FileStage
    from files.models import FileSubmission

    case = Case.objects.select_for_update().get(pk=case_pk)
    suspects = {s.pk: s for s in Suspect.objects.filter(case=case)}
    offences = list(
        OffenceAllegation.objects.filter(case=case).select_related("offence_code").order_by("created_at", "id")
    )
    events: dict[int, list[CustodyEvent]] = defaultdict(list)
    for event in CustodyEvent.objects.filter(suspect__case=case).order_by("occurred_at", "id"):
        events[event.suspect_id].append(event)
    victims = list(Victim.objects.filter(case=case).prefetch_related("updates").order_by("created_at", "id"))
    hearings = list(Hearing.objects.filter(case=case).order_by("starts_at", "id"))
    requests = list(
        ChargingRequest.objects.filter(case=case)
        .prefetch_related("decisions", "action_items", "resubmissions")
        .order_by("created_at", "id")
    )
    police_charges = list(PoliceChargeDecision.objects.filter(case=case).prefetch_related("offences"))
    stages = [FileStage.FIRST_HEARING_GAP, FileStage.FIRST_HEARING_NGAP, FileStage.FIRST_HEARING_CROWN]
    submitted = FileSubmission.objects.filter(case=case, stage__in=stages, submitted_at__isnull=False)
    files = [at for at in submitted.values_list("submitted_at", flat=True) if at is not None]
    return Facts(case, suspects, offences, events, victims, hearings, requests, police_charges, files)


# -- what the facts give --------------------------------------------------------------------------


class _Builder:
    def __init__(self, facts: Facts, now: datetime, calendar: WorkingCalendar, rules: DeadlineRules) -> None:
        self.facts, self.now, self.calendar, self.rules = facts, now, calendar, rules
        self.out: list[Computed] = []

    def add(self, **values: Any) -> None:
        self.out.append(Computed(**values))

    def name(self, suspect_id: int) -> str:
        suspect = self.facts.suspects.get(suspect_id)
        return suspect.full_name if suspect else "the suspect"

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
                for n, review in enumerate(reviews, start=1):
                    if review > stop and end is not None:
                        break
                    self.add(
                        kind=DeadlineKind.PACE_REVIEW,
                        subject_key=f"{key}:review:{n}",
                        label=f"PACE review {n} of detention: {name}",
                        due_at=review,
                        rule=(
                            f"PACE s.40(3): the first review within {r.pace_first_review_hours} hours of detention "
                            f"being authorised ({_moment(detained.occurred_at)}), then at most every "
                            f"{r.pace_review_interval_hours} hours. Reviews are not recorded in Casebridge: a review "
                            f"time passed while the suspect is still detained is closed."
                        ),
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

    # -- charging -------------------------------------------------------------------------------

    def charging(self) -> None:
        from charging.choices import (
            ANSWERED_STATUSES,
            INTERIM_OUTCOMES,
            ChargingCategory,
            DecisionOutcome,
            RequestStatus,
            TestSought,
        )
        from charging.selectors import QUEUE_STATUSES

        hours = charging_due_hours()
        nfa = {DecisionOutcome.NO_FURTHER_ACTION_EVIDENTIAL, DecisionOutcome.NO_FURTHER_ACTION_PUBLIC_INTEREST}
        for request in self.facts.requests:
            key = f"request:{request.public_id}"
            decisions: list[ChargingDecision] = sorted(request.decisions.all(), key=lambda d: (d.decided_at, d.pk))
            # The charging decision owed by the CPS, once per submission (the MG3, then each MG3A).
            if request.received_by_cps_at is not None and request.category in hours:
                received = {0: request.received_by_cps_at}
                received.update({r.number: r.submitted_at for r in request.resubmissions.all()})
                current = max(received)
                for number, at in sorted(received.items()):
                    if number == current and request.status == RequestStatus.WITHDRAWN:
                        continue
                    due = calculations.charging_decision_due(received_at=at, category=request.category)
                    status = OPEN if number == current and request.status in QUEUE_STATUSES else MET
                    category = ChargingCategory(request.category).label
                    self.add(
                        kind=DeadlineKind.CHARGING_DECISION,
                        subject_key=f"{key}:{number}",
                        label=f"CPS charging decision ({category})" + (f", MG3A {number}" if number else ""),
                        due_at=due,
                        rule=(
                            f"CPS time aim for a {category} charging request: "
                            f"{_hours_text(hours[request.category])} from receipt by the CPS at {_moment(at)} (DG6)."
                        ),
                        status=status,
                    )
            # Action plan items: the current plan's open items are owed by the police.
            interim = [d for d in decisions if d.outcome in INTERIM_OUTCOMES]
            current_plan = interim[-1].pk if interim else None
            issued = {d.pk: f" on {_day(_local_date(d.decided_at))}" for d in interim}
            for item in request.action_items.all():
                if item.status in ANSWERED_STATUSES:
                    status = MET
                elif item.decision_id == current_plan and request.status == RequestStatus.ACTION_PLAN_ISSUED:
                    status = OPEN
                else:
                    continue
                self.add(
                    kind=DeadlineKind.ACTION_PLAN_ITEM,
                    subject_key=f"action:{item.public_id}",
                    label=f"Action {item.number}: {item.action[:150]}",
                    due_at=end_of_day(item.due_on),
                    rule=(
                        f"DG6 action plan issued by the CPS{issued.get(item.decision_id, '')}: this action is due by "
                        f"{_day(item.due_on)}, and is answered before the request is resubmitted (MG3A)."
                    ),
                    status=status,
                    offence_id=item.offence_id,
                    suspect_id=offence_suspect(self.facts, item.offence_id),
                )
            # A charge: the first hearing file, and the Threshold Test review.
            charges = [d for d in decisions if d.outcome == DecisionOutcome.CHARGE]
            if charges:
                original = next((d for d in charges if d.corrects_id is None), charges[0])
                latest = charges[-1]
                self.first_hearing_file(key, request.anticipated_plea, original.decided_at)
                threshold = [
                    d for d in charges if d.test_applied == TestSought.THRESHOLD_TEST and d.threshold_review_on
                ]
                if threshold:
                    applies = latest.test_applied == TestSought.THRESHOLD_TEST and latest.threshold_review_on
                    review_on = latest.threshold_review_on if applies else threshold[-1].threshold_review_on
                    assert review_on is not None
                    self.add(
                        kind=DeadlineKind.THRESHOLD_TEST_REVIEW,
                        subject_key=key,
                        label="Threshold Test charge review",
                        due_at=end_of_day(review_on),
                        rule=(
                            "Code for Crown Prosecutors 5.10: a Threshold Test charge is kept under review until the "
                            f"Full Code Test can be applied; the prosecutor set the review for {_day(review_on)}."
                        ),
                        status=OPEN if applies else MET,
                    )
            # No further action: the victims are told, and may ask for a review.
            for decision in decisions:
                if decision.outcome in nfa and decision.corrects_id is None:
                    self.no_further_action(decision)

    def first_hearing_file(self, key: str, plea: str, charged_at: datetime) -> None:
        charged_on = _local_date(charged_at)
        listed = calculations.first_hearing_date(charged_on=charged_on, anticipated_plea=plea, rules=self.rules)
        guilty = plea == calculations.GUILTY_PLEA
        days = self.rules.first_hearing_gap_days if guilty else self.rules.first_hearing_ngap_days
        kind_of = "anticipated guilty plea (GAP)" if guilty else "anticipated not guilty plea (NGAP)"
        submitted = any(at >= charged_at for at in self.facts.first_hearing_files)
        self.add(
            kind=DeadlineKind.FIRST_HEARING_FILE,
            subject_key=key,
            label=f"First hearing file: {kind_of}",
            due_at=end_of_day(listed - timedelta(days=1)),
            rule=(
                f"Transforming Summary Justice: charged on {_day(charged_on)}; an {kind_of} case is listed "
                f"{days} days after charge ({_day(listed)}), and the file is due before that hearing."
            ),
            status=MET if submitted else OPEN,
        )

    def police_charges(self) -> None:
        for police in self.facts.police_charges:
            self.first_hearing_file(f"police-charge:{police.public_id}", police.anticipated_plea, police.decided_at)

    def no_further_action(self, decision: ChargingDecision) -> None:
        decided_on = _local_date(decision.decided_at)
        r = self.rules
        victims = self.facts.victims
        for victim in victims:
            told = sorted(
                u.given_on
                for u in victim.updates.all()
                if u.reason == VictimUpdateReason.NO_FURTHER_ACTION and u.given_on >= decided_on
            )
            enhanced = victim.has_enhanced_rights
            due = calculations.victim_update_due(
                event_on=decided_on, enhanced_rights=enhanced, calendar=self.calendar, rules=r
            )
            n = r.victim_update_enhanced_working_days if enhanced else r.victim_update_working_days
            self.add(
                kind=DeadlineKind.VICTIM_UPDATE,
                subject_key=f"victim:{victim.public_id}:nfa:{decision.public_id}",
                label=f"Tell {victim.full_name} of the decision to take no further action",
                due_at=end_of_day(due),
                rule=(
                    f"Victims' Code Right 6: within {_plural(n, 'working day')}"
                    f"{' (enhanced rights)' if enhanced else ''} of the decision on {_day(decided_on)}."
                ),
                status=MET if told else OPEN,
            )
            self.right_to_review(
                f"victim:{victim.public_id}:nfa:{decision.public_id}", victim.full_name, told, decided_on
            )
        if not victims:
            self.right_to_review(f"nfa:{decision.public_id}", "", [], decided_on)

    def right_to_review(self, key: str, name: str, told: list[date], decided_on: date) -> None:
        told_on = told[0] if told else decided_on
        last = calculations.cps_vrr_request_deadline(told_on=told_on, calendar=self.calendar, rules=self.rules)
        due = end_of_day(last)
        since = f"the victim was told on {_day(told_on)}" if told else f"the decision on {_day(decided_on)}"
        self.add(
            kind=DeadlineKind.VICTIM_RIGHT_TO_REVIEW,
            subject_key=key,
            label=f"Victims' right to review: {name}" if name else "Victims' right to review",
            due_at=due,
            rule=(
                f"CPS Victims' Right to Review: a review should be asked for within "
                f"{_plural(self.rules.cps_vrr_request_working_days, 'working day')} of being told of the decision "
                f"not to charge (later, up to 3 months, only exceptionally); counted from {since}. Closed once "
                f"the period has run."
            ),
            status=OPEN if self.now <= due else MET,
        )

    def build(self) -> list[Computed]:
        charged = self.charge_dates()
        self.time_limits(charged)
        self.detention()
        self.bail()
        self.released_under_investigation()
        self.custody_time_limits()
        self.charging()
        self.police_charges()
        if self.facts.case.status in CLOSED_CASE_STATUSES:
            self.out = [c for c in self.out if c.status != OPEN or c.kind in KEPT_ON_CLOSED_CASES]
        return self.out


def offence_suspect(facts: Facts, offence_id: int | None) -> int | None:
    return next((o.suspect_id for o in facts.offences if o.pk == offence_id), None)


def _annotate_charges(facts: Facts) -> None:
    """The offences each decision charged, read in one query (``DecisionCharge`` rows)."""
    from charging.models import DecisionCharge

    decisions = {d.pk: d for request in facts.requests for d in request.decisions.all()}
    for decision in decisions.values():
        decision._charges = []  # type: ignore[attr-defined]
    if not decisions:
        return
    for decision_id, offence_id in DecisionCharge.objects.filter(decision_id__in=decisions).values_list(
        "decision_id", "offence_id"
    ):
        decisions[decision_id]._charges.append(offence_id)  # type: ignore[attr-defined]


def compute_deadlines(
    facts: Facts, *, now: datetime, calendar: WorkingCalendar, rules: DeadlineRules | None = None
) -> list[Computed]:
    """Every deadline the facts give, open or met (pure, given the facts)."""
    return _Builder(facts, now, calendar, rules or get_rules()).build()


# -- the upsert -----------------------------------------------------------------------------------


def first_alert_at(kind: str, due_at: datetime, now: datetime, calendar: WorkingCalendar) -> datetime:
    """Where the alert sweep's cursor starts for a new (or moved) deadline: the newest alert point already
    reached at ``now``, so the next sweep raises that one at once (a time limit first recorded 20 days before
    it runs out is alerted now, at its 30-day point, not in six days at its 14-day point; one already past is
    alerted as overdue); else the first point to come. The sweep raises only the newest point reached, and
    the unique constraint on alerts stops a moved deadline raising a point it already raised."""
    points = [moment for _threshold, moment in calculations.alert_times(schedule_for(kind), due_at, calendar)]
    reached = [moment for moment in points if moment <= now]
    return max(reached) if reached else points[0]


UPDATED_FIELDS = [
    "label",
    "due_at",
    "rule",
    "statutory",
    "status",
    "suspect",
    "offence",
    "next_alert_at",
    "met_at",
    "computed_at",
]


def _apply(case: Case, computed: list[Computed], now: datetime, calendar: WorkingCalendar) -> RecomputeResult:
    existing = {(d.kind, d.subject_key): d for d in Deadline.objects.filter(case=case)}
    stamp = timezone.now()
    seen: set[tuple[str, str]] = set()
    to_create: list[Deadline] = []
    to_update: list[Deadline] = []
    for c in computed:
        key = (str(c.kind), c.subject_key)
        if key in seen:
            continue
        seen.add(key)
        values: dict[str, Any] = {
            "label": c.label[:300],
            # In UTC: Python never finds two times in the repeated hour of the October clock change equal when
            # one is in Europe/London and the other in UTC (PEP 495), so the row would be rewritten every time.
            "due_at": c.due_at.astimezone(UTC),
            "rule": c.rule[:500],
            "statutory": c.kind in STATUTORY_DEADLINES,
            "status": c.status,
            "suspect_id": c.suspect_id,
            "offence_id": c.offence_id,
        }
        row = existing.get(key)
        # When it was met: what the facts say, else when it was first recorded as met (kept from then on).
        if c.status != MET:
            values["met_at"] = None
        elif c.met_at is not None:
            values["met_at"] = c.met_at.astimezone(UTC)
        else:
            already = row is not None and row.status == MET and row.met_at is not None
            values["met_at"] = row.met_at if already and row is not None else stamp
        next_alert: datetime | None = None
        if row is None:
            if c.status == OPEN:
                next_alert = first_alert_at(c.kind, c.due_at, now, calendar)
            to_create.append(
                Deadline(case=case, kind=c.kind, subject_key=c.subject_key, next_alert_at=next_alert, **values)
            )
            continue
        moved = row.due_at != values["due_at"]
        reopened = c.status == OPEN and row.status != OPEN
        changed = False
        for name, value in values.items():
            if getattr(row, name) != value:
                setattr(row, name, value)
                changed = True
        if c.status != OPEN:
            next_alert = None
        elif moved or reopened:
            next_alert = first_alert_at(c.kind, c.due_at, now, calendar)
        else:
            next_alert = row.next_alert_at
        if row.next_alert_at != next_alert:
            row.next_alert_at = next_alert
            changed = True
        if changed:
            row.computed_at = stamp
            to_update.append(row)
    cancelled = 0
    for key, row in existing.items():
        if key not in seen and row.status == OPEN:
            row.status, row.next_alert_at, row.computed_at = CANCELLED, None, stamp
            to_update.append(row)
            cancelled += 1
    if to_create:
        Deadline.objects.bulk_create(to_create)
    if to_update:
        Deadline.objects.bulk_update(to_update, UPDATED_FIELDS)
    return RecomputeResult(created=len(to_create), updated=len(to_update) - cancelled, cancelled=cancelled)


@transaction.atomic
def recompute_case_deadlines(case: Case, *, now: datetime | None = None) -> RecomputeResult:
    """Bring the case's stored deadlines into line with its facts (see the module docstring). Runs in the
    caller's transaction (a savepoint when there is one), so a change that is rolled back leaves the
    deadlines as they were; recomputing again with nothing changed writes nothing."""
    now = now or timezone.now()
    facts = _load(case.pk)
    _annotate_charges(facts)
    calendar = calendar_from_db()
    return _apply(facts.case, compute_deadlines(facts, now=now, calendar=calendar), now, calendar)


def recompute_on_change(case: Case) -> None:
    """The CASE_CHANGED_HOOKS entry: every write to a case recomputes its deadlines in its transaction.

    A case being created (``is_being_created``) has no facts and no stored deadlines, so its deadlines are worked
    out from no facts, without reading any; the result is nothing (no offence, custody, hearing or charging
    request gives a deadline), and nothing is written. Should a rule ever give a deadline from the case row
    alone, that is found here and the case is recomputed in full, with the holidays from the table: a holiday
    moves the day a deadline is due, never whether there is one."""
    if is_being_created(case):
        bare = Facts(case, suspects={}, offences=[], events={}, victims=[], hearings=[])
        if not compute_deadlines(bare, now=timezone.now(), calendar=WorkingCalendar()):
            return
    recompute_case_deadlines(case)


# -- the periodic sweep ---------------------------------------------------------------------------


def sweep_candidates() -> QuerySet[Case]:
    """Cases whose deadlines can still change with time: those not closed, and closed ones that still
    have an open deadline (a victim's right to review after no further action)."""
    open_deadline = Deadline.objects.filter(case=OuterRef("pk"), status=OPEN)
    return Case.objects.filter(~Q(status__in=CLOSED_CASE_STATUSES) | Exists(open_deadline))


def _recompute_unless_held(pk: int, now: datetime | None) -> bool:
    with transaction.atomic():
        case = Case.objects.select_for_update(skip_locked=True).filter(pk=pk).first()
        if case is None:
            return False
        recompute_case_deadlines(case, now=now)
        return True


def recompute_open_deadlines(*, now: datetime | None = None, batch_size: int | None = None) -> int:
    """The periodic sweep, in two set-based passes over at most ``batch_size`` cases each:

    1. cases with a deadline that only time moves on (the next PACE review, the next RUI review point, the
       end of a victim's right-to-review period) whose due time has come since the last sweep, from a
       due-time cursor kept in the cache;
    2. a catch-up cycle through every case that is not closed (or still has an open deadline), in id
       order after a second cursor, wrapping round after the last case, for facts that changed without
       a hook (a file submitted for the first hearing).

    Each case is recomputed in its own transaction with its row locked. A case another run (or a change)
    holds is skipped rather than waited for, so two overlapping sweeps do not queue behind each other;
    whoever holds it recomputes it anyway. The cursors move as cases are done, so a sweep that is killed
    resumes where it stopped. Returns how many cases were recomputed."""
    size = batch_size or int(getattr(settings, "DEADLINES_RECOMPUTE_BATCH", DEFAULT_SWEEP_BATCH))
    moment = now or timezone.now()
    done: set[int] = set()

    since = cache.get(DUE_CURSOR_KEY) or moment - timedelta(days=1)
    passed = list(
        Deadline.objects.filter(kind__in=TIME_DRIVEN, status=OPEN, due_at__gt=since, due_at__lte=moment)
        .order_by("due_at", "id")
        .values_list("case_id", "due_at")[:size]
    )
    for case_id, _due in passed:
        if case_id not in done and _recompute_unless_held(case_id, now):
            done.add(case_id)
    # A full batch may have left rows due at the same moment as its last: start there next time.
    cache.set(DUE_CURSOR_KEY, passed[-1][1] - JUST_BEFORE if len(passed) == size else moment, timeout=None)

    after = int(cache.get(CURSOR_KEY) or 0)
    ids = list(sweep_candidates().filter(pk__gt=after).order_by("pk").values_list("pk", flat=True)[:size])
    for pk in ids:
        if pk not in done and _recompute_unless_held(pk, now):
            done.add(pk)
        cache.set(CURSOR_KEY, pk, timeout=None)
    if len(ids) < size:
        cache.set(CURSOR_KEY, 0, timeout=None)
    return len(done)


# -- reads ----------------------------------------------------------------------------------------


def case_deadlines(*, case: Case, statuses: Iterable[str] | None = None) -> QuerySet[Deadline]:
    """The stored deadlines of a case the caller obtained through a scoped selector, soonest first, with
    their suspect and offence."""
    rows = Deadline.objects.filter(case=case).select_related("suspect", "offence__offence_code")
    if statuses is not None:
        rows = rows.filter(status__in=list(statuses))
    return rows.order_by("due_at", "id")
