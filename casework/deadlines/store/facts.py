"""The facts a case's deadlines depend on (``Facts``), read from the database in a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from ...models import Case, CustodyEvent, Hearing, OffenceAllegation, Suspect, Victim

if TYPE_CHECKING:
    from charging.models import ChargingRequest

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
