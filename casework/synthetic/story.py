"""The frame every step of a synthetic case shares: its records, the moment a step happens (``happen``) and the
small moves several steps make (a custody event, a release, a status, an update to the victims)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from casework.choices import (
    Authority,
    CaseStatus,
    CustodyEventKind,
    OffenceStatus,
    VictimUpdateReason,
)
from charging.dg6 import RoutingDecision

from . import distributions as dist
from . import offences
from .context import LONDON, end_of_day, local, london_date
from .organisations import AreaPlan, Code, ForcePlan, UnitPlan
from .records import (
    CaseRec,
    CustodyRec,
    DocumentRec,
    ExhibitRec,
    HearingRec,
    OffenceRec,
    PointRec,
    PoliceChargeRec,
    RequestRec,
    SubmissionRec,
    SuspectRec,
    UnusedRec,
    VictimRec,
    VictimUpdateRec,
    WitnessRec,
)

if TYPE_CHECKING:
    from .chunk import ChunkBuilder
    from .records import CaseSummaryRec


K = CustodyEventKind
SERIOUS_PROFILES = frozenset({"serious_violence", "robbery", "rape", "homicide", "supply"})
CUSTODY_PROFILES = frozenset({"injury", "burglary", "order_breach", "coercive_control", "harassment", "sexual"})
CLOSED = frozenset({CaseStatus.NO_FURTHER_ACTION, CaseStatus.OUT_OF_COURT_DISPOSAL, CaseStatus.CONCLUDED})


class Later(Exception):
    """The next step of the story happens after ``as_of``: the case stops where it is."""


class StoryBase:
    """The records of one case and the helpers the steps share (``cases.CaseStory`` is the whole story)."""

    # Set by ``CaseStory.setup`` and ``investigate`` before any step reads them.
    entry: offences.OffenceEntry
    profile: offences.OffenceProfile
    code: Code
    force: ForcePlan
    unit: UnitPlan
    area: AreaPlan
    oic: int
    supervisor: int
    disclosure: int
    reported_at: datetime
    flags: set[str]
    case: CaseRec
    location: str
    plea: str
    route: RoutingDecision
    path: str
    path_outcome: str
    detention_start: datetime
    detention_end: datetime
    interview_at: datetime
    bail_conditions: str

    def __init__(self, chunk: ChunkBuilder, index: int) -> None:
        self.chunk = chunk
        self.d = chunk.dice
        self.ids = chunk.ids
        self.ref = chunk.ctx.reference
        self.as_of = chunk.ctx.as_of
        self.index = index
        self.suspects: list[SuspectRec] = []
        self.offences: list[OffenceRec] = []
        self.events: dict[int, list[CustodyRec]] = defaultdict(list)
        self.victims: list[VictimRec] = []
        self.witnesses: list[WitnessRec] = []
        self.hearings: list[HearingRec] = []
        self.requests: list[RequestRec] = []
        self.police_charges: list[PoliceChargeRec] = []
        self.documents: list[DocumentRec] = []
        self.exhibits: list[ExhibitRec] = []
        self.unused: list[UnusedRec] = []
        self.points: list[PointRec] = []
        self.mg5: CaseSummaryRec | None = None
        self.submissions: list[SubmissionRec] = []
        self.audit: list[tuple[str, datetime, int | None, str, str, str, dict[str, Any]]] = []
        self.last = datetime.min.replace(tzinfo=LONDON)
        self.charged_at: datetime | None = None
        self.remanded: set[int] = set()
        # Pre-charge bail in force: (regime, arrested on, start day, current last day, remaining ladder steps).
        self.bail: tuple[str, date, date, date, list[Any]] | None = None
        self.first_appearance: date | None = None

    def happen(self, moment: datetime) -> datetime:
        """The moment a step happens, or ``Later`` when that is after ``as_of``. A suspect on pre-charge bail
        has it extended first, as far as needed to reach that moment."""
        if self.bail is not None:
            self.keep_bail(moment)
        if moment > self.as_of:
            raise Later
        if moment > self.last:
            self.last = moment
        return moment

    def working_day_on_or_after(self, day: date) -> date:
        return self.chunk.calendar.working_day_on_or_after(day)

    def set_status(self, status: str) -> None:
        self.case.status = status

    def active_offences(self) -> list[OffenceRec]:
        return [o for o in self.offences if o.status != OffenceStatus.NOT_PROCEEDED]

    def arrested(self) -> bool:
        return any(e.kind == K.DETAINED for events in self.events.values() for e in events)

    def event(self, suspect: SuspectRec, kind: str, at: datetime, **values: Any) -> CustodyRec:
        event = CustodyRec(
            pk=self.ids("custody"),
            public_id=self.d.uuid(),
            suspect_id=suspect.pk,
            kind=kind,
            occurred_at=at,
            recorded_by_id=self.oic,
            **values,
        )
        self.events[suspect.pk].append(event)
        return event

    def release(self, at: datetime, kind: str, notes: str) -> None:
        self.happen(at)
        self.bail = None
        for n, suspect in enumerate(self.suspects):
            self.event(suspect, kind, at + timedelta(minutes=n * 3), notes=notes)

    def victim_updates(self, reason: str, event_at: datetime) -> None:
        """The officer tells each victim who is a person of the event, usually within the Victims' Code period."""
        d = self.d
        for victim in self.victims:
            if victim.is_organisation:
                continue
            given = event_at + timedelta(days=d.uniform(0.05, 1.0 if victim.enhanced_rights else 4.5))
            if given > self.as_of:
                continue
            victim.updates.append(
                VictimUpdateRec(
                    pk=self.ids("victimupdate"),
                    public_id=d.uuid(),
                    victim_id=victim.pk,
                    reason=reason,
                    event_on=london_date(event_at),
                    given_on=london_date(given),
                    method=victim.contact_preference,
                    given_by_id=self.oic,
                    recorded_at=given,
                    summary=f"Told of the {VictimUpdateReason(reason).label.lower()}.",
                )
            )

    def keep_bail(self, moment: datetime) -> None:
        """Extend pre-charge bail, a few days before each period ends, until it covers ``moment``: an inspector,
        then a superintendent, then the magistrates' court (PACE ss.47ZD-47ZG). Extensions that would fall after
        ``as_of`` are not made (yet); past the standard maximum the bail simply runs out."""
        assert self.bail is not None
        d = self.d
        regime, arrested_on, start_day, current_end, steps = self.bail
        needed = london_date(moment)
        while steps and current_end < needed:
            step, last = steps[0]
            at = local(current_end - timedelta(days=d.randint(1, 10)), d.randint(9, 17))
            if at > self.as_of:
                break
            court = d.choice(self.force.magistrates) if step.authority == Authority.MAGISTRATES_COURT else None
            for n, suspect in enumerate(self.suspects):
                self.event(
                    suspect,
                    K.BAIL_EXTENDED,
                    at + timedelta(minutes=n * 3),
                    arrested_on=arrested_on,
                    bail_regime=regime,
                    bail_start_date=start_day,
                    period_ends_at=end_of_day(last),
                    authority=step.authority,
                    authorised_by="Magistrates' court"
                    if court
                    else f"{_rank(step.authority)} {d.choice(dist.LAST_NAMES)}",
                    court_id=court,
                    conditions=self.bail_conditions,
                )
            if at > self.last:
                self.last = at
            current_end, steps = last, steps[1:]
        self.bail = (regime, arrested_on, start_day, current_end, steps)


def _rank(authority: str) -> str:
    return {Authority.INSPECTOR: "Insp", Authority.SUPERINTENDENT: "Supt"}.get(Authority(authority), "PS")
