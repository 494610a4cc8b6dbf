"""Reads of charging requests: the CPS charging queue, a case's requests and one request with its history.

Scope: the police see their force's requests (through the case scope); the CPS see a request only once it
has been sent to them (``received_by_cps_at``), and only for their Area or CPS Direct. Anything else is 404.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Case as When_
from django.db.models import (
    DateTimeField,
    ExpressionWrapper,
    F,
    IntegerField,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from accounts.access import case_scope_for
from accounts.choices import OrganisationKind
from accounts.models import User
from casework.models import Case, OffenceAllegation
from config import keyset

from .choices import ChargingCategory, DecisionOutcome

# The queue's statuses live beside its partial indexes; named here for the pages and forms that use them.
from .models import QUEUE_STATUSES as QUEUE_STATUSES
from .models import (
    ActionPlanItem,
    ChargingDecision,
    ChargingRequest,
    DecisionCharge,
    PoliceChargeDecision,
    Resubmission,
)

REQUEST_NOT_FOUND = "Charging request not found"

# Default time aims in hours from receipt by the CPS (domain.md 2.2). [K] Green / Green Priority aims are not
# confirmed, so a deployment overrides them with settings.CHARGING_DUE_HOURS.
DEFAULT_DUE_HOURS: dict[str, int] = {"red": 4, "green_priority": 5 * 24, "green": 28 * 24}

# Red (custody, remand sought) always comes first; the rest are ordered by when each is due, so the
# configured time aims decide whether an old Green goes before a new Green Priority.
URGENCY: dict[str, int] = {ChargingCategory.RED: 0}


def due_hours() -> dict[str, int]:
    return {**DEFAULT_DUE_HOURS, **getattr(settings, "CHARGING_DUE_HOURS", {})}


def _due_expression() -> When_:
    hours = due_hours()
    received = Coalesce(F("received_by_cps_at"), F("created_at"))
    return When_(
        *(
            When(category=category, then=ExpressionWrapper(received + timedelta(hours=h), output_field=DateTimeField()))
            for category, h in hours.items()
        ),
        default=received,
        output_field=DateTimeField(),
    )


def due_at(request: ChargingRequest) -> datetime | None:
    """When the CPS owes its decision on this request (the category's time aim from receipt)."""
    if request.received_by_cps_at is None:
        return None
    return request.received_by_cps_at + timedelta(hours=due_hours().get(request.category, 0))


@dataclass(frozen=True)
class QueueFilters:
    """Filters of the CPS queue. ``mine`` keeps the requests allocated to the user; ``unallocated`` the ones
    no lawyer has; ``overdue`` those past their time aim."""

    category: str = ""
    status: str = ""
    mine: bool = False
    unallocated: bool = False
    overdue: bool = False


def charging_queue_for(*, user: User, filters: QueueFilters | None = None) -> QuerySet[ChargingRequest]:
    """The CPS charging queue for the user's Area (or CPS Direct): red first, then by when each is due.
    Drafts and anything still with the police never show; a user outside the CPS sees nothing."""
    if not (user.is_active and user.is_cps and user.organisation_id is not None):
        return ChargingRequest.objects.none()
    organisation = user.organisation
    assert organisation is not None
    if organisation.kind == OrganisationKind.CPS_DIRECT:
        scope = Q(to_cps_direct=True)
    else:
        scope = Q(cps_area_id=organisation.pk)
    due = _due_expression()
    urgency = When_(
        *(When(category=category, then=Value(rank)) for category, rank in URGENCY.items()),
        default=Value(1),
        output_field=IntegerField(),
    )
    qs = (
        ChargingRequest.objects.filter(scope, status__in=QUEUE_STATUSES, received_by_cps_at__isnull=False)
        .select_related("case", "case__force", "allocated_lawyer")
        .annotate(urgency=urgency, due_at=due)
    )
    filters = filters or QueueFilters()
    if filters.category:
        qs = qs.filter(category=filters.category)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.mine:
        qs = qs.filter(allocated_lawyer=user)
    if filters.unallocated:
        qs = qs.filter(allocated_lawyer__isnull=True)
    if filters.overdue:
        qs = qs.filter(due_at__lt=timezone.now())
    return qs.order_by("urgency", "due_at", "id")


# The queue's order, as annotations of ``charging_queue_for``; the id makes it total.
QUEUE_ORDERING = ("urgency", "due_at", "id")


@dataclass(frozen=True)
class QueuePosition:
    """A place in the queue: the (urgency, due time) of a request and its public id, as a page cursor
    carries them."""

    urgency: int
    due_at: datetime
    public_id: uuid.UUID


def charging_queue_window(
    *,
    user: User,
    filters: QueueFilters | None = None,
    position: QueuePosition | None = None,
    backwards: bool = False,
    size: int,
) -> list[ChargingRequest]:
    """Up to ``size`` requests of ``charging_queue_for``, in queue order, that come straight after ``position``
    (straight before it, ``backwards``; from the start without a position).

    The queue's order is computed (red first, then the category's time aim from receipt), so no index can
    hold it; but within one category it is the order of receipt. So each category's requests are read in
    order of receipt through the queue's partial indexes, at most ``size`` of them past the position, and
    the few read are merged here: a page costs the same for a queue of ten and of ten thousand, and the
    requests ever decided are never read. One query per category for the order, one for the page's rows."""
    queue = charging_queue_for(user=user, filters=filters).order_by()
    hours = due_hours()
    categories = [filters.category] if filters and filters.category else list(ChargingCategory.values)
    tie = (
        Subquery(ChargingRequest.objects.filter(public_id=position.public_id).order_by().values("id")[:1])
        if position is not None
        else None
    )
    later = "lt" if backwards else "gt"
    keys: list[tuple[int, datetime, int]] = []
    for category in categories:
        rows = queue.filter(category=category)
        urgency = URGENCY.get(category, 1)
        if position is not None:
            if urgency != position.urgency:
                if (urgency < position.urgency) != backwards:
                    continue  # the whole category lies on the other side of the position
            else:
                # due_at > d  ⇔  received > d − the category's hours: a range on the index.
                received = position.due_at - timedelta(hours=hours.get(category, 0))
                rows = rows.filter(
                    Q(**{f"received_by_cps_at__{later}e": received})
                    & (
                        Q(**{f"received_by_cps_at__{later}": received})
                        | Q(received_by_cps_at=received, **{f"id__{later}": tie})
                    )
                )
        order = ("-received_by_cps_at", "-id") if backwards else ("received_by_cps_at", "id")
        # Only the sort keys here (due = received + the category's hours, as the annotation has it): the rows
        # themselves are read once, for the page alone, below.
        aim = timedelta(hours=hours.get(category, 0))
        for received_at, pk in rows.order_by(*order).values_list("received_by_cps_at", "id")[:size]:
            assert received_at is not None  # the queue holds only requests the CPS has received
            keys.append((urgency, received_at + aim, pk))
    keys.sort(reverse=backwards)
    chosen = [key[2] for key in keys[:size]]
    if backwards:
        chosen.reverse()
    found = queue.in_bulk(chosen)
    return [found[pk] for pk in chosen]


def queue_position(token: str, *, salt: str) -> QueuePosition | None:
    """The place in the queue a page cursor carries (signed with ``salt``); a tampered or stale cursor, or none,
    is no place."""
    position = keyset.decode(token, "queue", QUEUE_ORDERING, salt=salt) if token else None
    if position is None:
        return None
    urgency, due = position.values
    if not isinstance(urgency, int) or not isinstance(due, datetime):
        return None
    return QueuePosition(urgency=urgency, due_at=due, public_id=position.public_id)


def charging_queue_page(
    *, user: User, filters: QueueFilters | None, after: str, before: str, size: int, salt: str
) -> keyset.KeysetPage[ChargingRequest]:
    """One page of ``charging_queue_for`` after the cursor ``after`` (before ``before``, which wins; from the
    start with neither or with a cursor that is no place), read through ``charging_queue_window``, with the
    cursors of its neighbours. The queue page and the queue API each sign their cursors with their own
    ``salt``."""

    def cursor(row: ChargingRequest) -> str:
        return keyset.encode("queue", QUEUE_ORDERING, row, salt=salt)

    back = queue_position(before, salt=salt)
    if back is not None:
        found = charging_queue_window(user=user, filters=filters, position=back, backwards=True, size=size + 1)
        rows = found[-size:]
        if rows:
            return keyset.KeysetPage(rows, cursor(rows[-1]), cursor(rows[0]) if len(found) > size else None)
    ahead = queue_position(after, salt=salt) if back is None else None
    found = charging_queue_window(user=user, filters=filters, position=ahead, size=size + 1)
    rows = found[:size]
    return keyset.KeysetPage(
        rows,
        cursor(rows[-1]) if len(found) > size else None,
        cursor(rows[0]) if ahead is not None and rows else None,
    )


def _visible_requests(user: User) -> QuerySet[ChargingRequest]:
    scope = case_scope_for(user)
    qs = ChargingRequest.objects.filter(scope.as_q("case__"))
    if user.is_cps:
        organisation = user.organisation
        mine = (
            Q(to_cps_direct=True)
            if organisation and organisation.kind == OrganisationKind.CPS_DIRECT
            else Q(cps_area_id=user.organisation_id)
        )
        qs = qs.filter(mine, received_by_cps_at__isnull=False)
    elif not user.is_police:
        return ChargingRequest.objects.none()
    return qs


def requests_for_case(*, user: User, case: Case) -> QuerySet[ChargingRequest]:
    """The case's charging requests the user may see, newest first (the case itself is already scoped)."""
    return (
        _visible_requests(user)
        .filter(case=case)
        .select_related("allocated_lawyer", "created_by", "submission")
        .order_by("-created_at", "-id")
    )


def request_get_for(*, user: User, case: Case, public_id: uuid.UUID | str) -> ChargingRequest:
    """One request on the case, or 404 — the same whether it does not exist or the user may not see it."""
    try:
        return (
            _visible_requests(user)
            .select_related("case", "case__force", "case__cps_area", "allocated_lawyer", "created_by", "submission")
            .get(case=case, public_id=public_id)
        )
    except (ChargingRequest.DoesNotExist, ValueError, ValidationError) as exc:
        raise Http404(REQUEST_NOT_FOUND) from exc


def request_by_public_id_for(*, user: User, public_id: uuid.UUID | str) -> ChargingRequest:
    """One request by its own id (the API's queue links), or 404."""
    try:
        return (
            _visible_requests(user)
            .select_related("case", "case__force", "case__cps_area", "allocated_lawyer", "created_by", "submission")
            .get(public_id=public_id)
        )
    except (ChargingRequest.DoesNotExist, ValueError, ValidationError) as exc:
        raise Http404(REQUEST_NOT_FOUND) from exc


def decisions_for(request: ChargingRequest) -> list[ChargingDecision]:
    """Every decision on the request, oldest first, with charges and actions, in a fixed number of queries."""
    return list(
        ChargingDecision.objects.filter(request=request)
        .select_related("decided_by", "corrects")
        .prefetch_related(
            Prefetch("charges", queryset=DecisionCharge.objects.select_related("offence__offence_code")),
            Prefetch(
                "action_items",
                queryset=ActionPlanItem.objects.select_related("offence__offence_code", "responded_by")
                .prefetch_related("documents")
                .order_by("number"),
            ),
            "corrected_by",
        )
        .order_by("decided_at", "id")
    )


def latest_action_plan(decisions: list[ChargingDecision]) -> ChargingDecision | None:
    deferred = [d for d in decisions if d.outcome in (DecisionOutcome.ACTION_PLAN, DecisionOutcome.EARLY_ADVICE)]
    return deferred[-1] if deferred else None


def action_item_get_for(*, user: User, case: Case, public_id: uuid.UUID | str) -> ActionPlanItem:
    """One action plan item on a request the user may see, or 404."""
    try:
        return ActionPlanItem.objects.select_related("request__case", "decision").get(
            request__in=_visible_requests(user).filter(case=case), public_id=public_id
        )
    except (ActionPlanItem.DoesNotExist, ValueError, ValidationError) as exc:
        raise Http404("Action not found") from exc


def resubmissions_for(request: ChargingRequest) -> QuerySet[Resubmission]:
    return Resubmission.objects.filter(request=request).select_related("submitted_by").order_by("number")


def police_charges_for(*, case: Case) -> QuerySet[PoliceChargeDecision]:
    """The police's own charging decisions on a case already obtained through a scoped selector, newest first."""
    return (
        PoliceChargeDecision.objects.filter(case=case)
        .select_related("decided_by")
        .prefetch_related(Prefetch("offences", queryset=OffenceAllegation.objects.select_related("offence_code")))
        .order_by("-decided_at", "-id")
    )
