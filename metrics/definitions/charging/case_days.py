"""Which days' snapshots a change to a case's charging records may alter (``register_case_days``)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from django.utils import timezone

from accounts.choices import AuditEventType
from accounts.models import AuditEvent
from casework.models import Case
from charging.models import ActionPlanItem, ChargingDecision, ChargingRequest, Resubmission

from ...registry import register_case_days

# ---------------------------------------------------------------------------------------------
# Which days a case's change touches


@register_case_days
def _charging_days(case: Case) -> Iterable[date]:
    """Every day a charging timestamp of the case falls on (Europe/London)."""
    stamps = ChargingRequest.objects.filter(case=case).values_list(
        "received_by_cps_at",
        "accepted_at",
        "returned_at",
        "allocated_at",
        "action_plan_issued_at",
        "resubmitted_at",
        "finalised_at",
        "decided_at",
    )
    return {timezone.localdate(stamp) for row in stamps for stamp in row if stamp is not None}


_REQUEST_EVENTS = (
    AuditEventType.CHARGING_REQUEST_APPROVED,
    AuditEventType.CHARGING_REQUEST_RETURNED,
    AuditEventType.CHARGING_REQUEST_WITHDRAWN,
    AuditEventType.CHARGING_REQUEST_FINALISED,
)


@register_case_days
def _charging_event_days(case: Case) -> Iterable[date]:
    """The days of the case's charging events that the request row does not keep: every send to the CPS (a
    request sent again keeps only its latest), return, withdrawal and finalisation; every decision (and
    correction), resubmission and answered action. A stock (open referrals) changes only from the day of such
    an event onwards; when the case's dimensions change, ``metrics.compute.case_days`` marks every day."""
    stamps: list[datetime | None] = list(
        AuditEvent.objects.filter(case_id=case.public_id, event_type__in=_REQUEST_EVENTS).values_list(
            "occurred_at", flat=True
        )
    )
    stamps += ChargingDecision.objects.filter(request__case=case).values_list("decided_at", flat=True)
    stamps += Resubmission.objects.filter(request__case=case).values_list("submitted_at", flat=True)
    stamps += ActionPlanItem.objects.filter(request__case=case, responded_at__isnull=False).values_list(
        "responded_at", flat=True
    )
    return {timezone.localdate(stamp) for stamp in stamps if stamp is not None}
