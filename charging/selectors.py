"""Reads of charging requests: the CPS charging queue."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db.models import Case as When_
from django.db.models import DateTimeField, ExpressionWrapper, F, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce

from accounts.choices import OrganisationKind
from accounts.models import User

from .choices import ChargingCategory, RequestStatus
from .models import ChargingRequest

# Default time aims in hours from receipt by the CPS (domain.md 2.2). [K] Green / Green Priority aims are not
# confirmed, so a deployment overrides them with settings.CHARGING_DUE_HOURS.
DEFAULT_DUE_HOURS: dict[str, int] = {"red": 4, "green_priority": 5 * 24, "green": 28 * 24}

# Red (custody, remand sought) always comes first; the rest are ordered by when each is due, so the
# configured time aims decide whether an old Green goes before a new Green Priority.
URGENCY: dict[str, int] = {ChargingCategory.RED: 0}

# Requests the CPS holds and still owes something on.
QUEUE_STATUSES = (
    RequestStatus.WITH_CPS_TRIAGE,
    RequestStatus.ACCEPTED_AWAITING_ALLOCATION,
    RequestStatus.ALLOCATED,
    RequestStatus.RESUBMITTED,
)


def due_hours() -> dict[str, int]:
    return {**DEFAULT_DUE_HOURS, **getattr(settings, "CHARGING_DUE_HOURS", {})}


def charging_queue_for(*, user: User) -> QuerySet[ChargingRequest]:
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
    hours = due_hours()
    received = Coalesce(F("received_by_cps_at"), F("created_at"))
    due = When_(
        *(
            When(category=category, then=ExpressionWrapper(received + timedelta(hours=h), output_field=DateTimeField()))
            for category, h in hours.items()
        ),
        default=received,
        output_field=DateTimeField(),
    )
    urgency = When_(
        *(When(category=category, then=Value(rank)) for category, rank in URGENCY.items()),
        default=Value(1),
        output_field=IntegerField(),
    )
    return (
        ChargingRequest.objects.filter(scope, status__in=QUEUE_STATUSES)
        .exclude(status=RequestStatus.DRAFT)
        .select_related("case", "allocated_lawyer")
        .annotate(urgency=urgency, due_at=due)
        .order_by("urgency", "due_at", "id")
    )
