"""Charging requests (the MG3 report to a prosecutor) and the charging decisions recorded on them (DG6).

MG3 is the police's request for a charging decision; the police part is kept as structured text so the
prosecutor reads it in the order of the form. A ``ChargingDecision`` is never changed: a correction is a new
decision that points at the one it corrects (``corrects``).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from accounts.models import Organisation
from casework.models import Case, OffenceAllegation

from .choices import (
    ActionItemOwner,
    ActionItemStatus,
    AnticipatedPlea,
    ChargingCategory,
    ChargingDecider,
    DecisionOutcome,
    RequestStatus,
    TestSought,
)

# Requests the CPS holds and still owes something on: the CPS queue (``charging.selectors`` takes it from here),
# and exactly what the queue's partial indexes cover.
QUEUE_STATUSES = (
    RequestStatus.WITH_CPS_TRIAGE,
    RequestStatus.ACCEPTED_AWAITING_ALLOCATION,
    RequestStatus.ALLOCATED,
    RequestStatus.RESUBMITTED,
)


class ChargingRequest(models.Model):
    """A request for a charging decision on one case, with the police part of the MG3."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="charging_requests")
    submission = models.ForeignKey(
        "files.FileSubmission", on_delete=models.PROTECT, null=True, blank=True, related_name="charging_requests"
    )
    status = models.CharField(max_length=40, choices=RequestStatus.choices, default=RequestStatus.DRAFT)
    category = models.CharField(max_length=20, choices=ChargingCategory.choices, default=ChargingCategory.GREEN)
    test_sought = models.CharField(max_length=20, choices=TestSought.choices, default=TestSought.FULL_CODE_TEST)
    anticipated_plea = models.CharField(max_length=20, choices=AnticipatedPlea.choices, default=AnticipatedPlea.UNKNOWN)
    venue = models.CharField(max_length=200, blank=True)
    # The MG3 police part.
    suspect_status = models.TextField(blank=True)
    pace_clock = models.TextField("PACE clock", blank=True)
    bail_status = models.TextField(blank=True)
    offence_summary = models.TextField(blank=True)
    proposed_charges = models.TextField(blank=True)
    defence_account = models.TextField(blank=True)
    lines_of_inquiry_done = models.TextField(blank=True)
    lines_not_pursued = models.TextField(blank=True)
    # [{"what": str, "target_date": "YYYY-MM-DD"}]
    outstanding_evidence = models.JSONField(default=list, blank=True)
    victim_witness_needs = models.TextField(blank=True)
    digital_strategy = models.TextField(blank=True)
    unused_material_info = models.TextField(blank=True)
    # Routing.
    cps_area = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="charging_requests"
    )
    to_cps_direct = models.BooleanField(default=False)
    allocated_lawyer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="allocated_requests"
    )
    # Optimistic concurrency: every change bumps it; a service given a stale value refuses.
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    received_by_cps_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    allocated_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    returned_at = models.DateTimeField(null=True, blank=True, help_text="Last returned as not to standard.")
    action_plan_issued_at = models.DateTimeField(null=True, blank=True, help_text="Last action plan or advice.")
    resubmitted_at = models.DateTimeField(null=True, blank=True, help_text="Last MG3A (action plan answered).")
    finalised_at = models.DateTimeField(null=True, blank=True, help_text="Administratively finalised.")
    resubmission_count = models.PositiveSmallIntegerField(default=0)
    # DG6 Annex 1 as it stood when the request was made (charging.dg6), so the CPS sees why it was referred.
    dg6_decider = models.CharField(max_length=10, choices=ChargingDecider.choices, blank=True)
    dg6_rule = models.CharField(max_length=60, blank=True)
    dg6_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "cps_area"], name="charging_request_queue_idx"),
            # The CPS queue's pages (``charging.selectors.charging_queue_window``): a category's requests are
            # in due order when in received order, so each page reads at most a page of rows per category
            # through these, however long the queue and however many requests were ever decided.
            models.Index(
                fields=["cps_area", "category", "received_by_cps_at", "id"],
                name="charging_queue_area_idx",
                condition=models.Q(status__in=QUEUE_STATUSES, received_by_cps_at__isnull=False),
            ),
            models.Index(
                fields=["category", "received_by_cps_at", "id"],
                name="charging_queue_cpsd_idx",
                condition=models.Q(status__in=QUEUE_STATUSES, received_by_cps_at__isnull=False, to_cps_direct=True),
            ),
            # The daily metric snapshots read requests by the day they were received and decided.
            models.Index(fields=["received_by_cps_at"], name="charging_request_received_idx"),
            models.Index(fields=["decided_at"], name="charging_request_decided_idx"),
        ]

    def __str__(self) -> str:
        return f"Charging request {self.public_id} ({self.get_status_display()})"


class ChargingDecision(models.Model):
    """What the allocated lawyer decided. Never updated: a correction is a new row (``corrects``)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    request = models.ForeignKey(ChargingRequest, on_delete=models.PROTECT, related_name="decisions")
    outcome = models.CharField(max_length=40, choices=DecisionOutcome.choices)
    reasons = models.TextField()
    test_applied = models.CharField(max_length=20, choices=TestSought.choices, blank=True)
    threshold_review_on = models.DateField(null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(auto_now_add=True)
    corrects = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="corrected_by")

    class Meta:
        ordering = ["decided_at", "id"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(reasons=""), name="charging_decision_has_reasons"),
        ]
        indexes = [models.Index(fields=["decided_at"], name="charging_decision_day_idx")]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} ({self.decided_at:%Y-%m-%d})"


class DecisionCharge(models.Model):
    """One charge authorised by a decision to charge."""

    decision = models.ForeignKey(ChargingDecision, on_delete=models.PROTECT, related_name="charges")
    offence = models.ForeignKey(OffenceAllegation, on_delete=models.PROTECT, related_name="decision_charges")
    code = models.CharField(max_length=20)
    wording = models.TextField(blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.code


class ActionPlanItem(models.Model):
    """One action of an action plan (or of early advice): what is needed, why, who owns it and by when, and
    the police's answer to it. The lawyer writes the first half; the police answer (done with material,
    cannot be done with a reason, or disputed) and resubmit the request (MG3A)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    request = models.ForeignKey(ChargingRequest, on_delete=models.PROTECT, related_name="action_items")
    # Indexed by action_item_number_unique (decision, number).
    decision = models.ForeignKey(
        ChargingDecision, on_delete=models.PROTECT, related_name="action_items", db_index=False
    )
    number = models.PositiveSmallIntegerField()
    action = models.TextField(help_text="What is needed.")
    reason = models.TextField(help_text="Why it is needed: what it proves or answers.")
    offence = models.ForeignKey(
        OffenceAllegation, on_delete=models.PROTECT, null=True, blank=True, related_name="action_items"
    )
    point_to_prove = models.CharField(max_length=300, blank=True)
    owner = models.CharField(max_length=30, choices=ActionItemOwner.choices, default=ActionItemOwner.OFFICER_IN_CASE)
    due_on = models.DateField()
    status = models.CharField(max_length=20, choices=ActionItemStatus.choices, default=ActionItemStatus.OPEN)
    response = models.TextField(blank=True)
    documents = models.ManyToManyField("files.Document", blank=True, related_name="action_items")
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    responded_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True, help_text="When its lateness was escalated.")

    class Meta:
        ordering = ["decision_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["decision", "number"], name="action_item_number_unique"),
            models.CheckConstraint(
                condition=models.Q(status="open") | ~models.Q(response=""), name="action_item_answer_has_text"
            ),
            models.CheckConstraint(condition=~models.Q(action="") & ~models.Q(reason=""), name="action_item_says_why"),
        ]
        indexes = [models.Index(fields=["status", "due_on"], name="action_item_due_idx")]

    def __str__(self) -> str:
        return f"Action {self.number}: {self.action[:60]}"


class Resubmission(models.Model):
    """A further submission on the same request (MG3A): the police's answer to an action plan or early advice,
    or the reopening of an administratively finalised request because the material arrived."""

    # Indexed by resubmission_number_unique (request, number).
    request = models.ForeignKey(ChargingRequest, on_delete=models.PROTECT, related_name="resubmissions", db_index=False)
    number = models.PositiveSmallIntegerField()
    summary = models.TextField(help_text="What has changed since the last submission.")
    reopened = models.BooleanField(default=False)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["request", "number"], name="resubmission_number_unique")]
        indexes = [models.Index(fields=["submitted_at"], name="resubmission_day_idx")]

    def __str__(self) -> str:
        return f"MG3A {self.number}"


class PoliceChargeDecision(models.Model):
    """A charge the police decided themselves under DG6 Annex 1, with the rationale DG6 requires them to record
    and the Annex 1 rule that allowed it. Never updated."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="police_charge_decisions")
    offences = models.ManyToManyField(OffenceAllegation, related_name="police_charge_decisions")
    rationale = models.TextField()
    dg6_rule = models.CharField(max_length=60)
    anticipated_plea = models.CharField(max_length=20, choices=AnticipatedPlea.choices)
    # An inspector authorised a police charge of a CPS offence: the PACE clock was running out and the CPS
    # (including CPS Direct) could not be reached.
    emergency_authorised_by = models.CharField(max_length=200, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-decided_at", "-id"]
        constraints = [models.CheckConstraint(condition=~models.Q(rationale=""), name="police_charge_has_rationale")]

    def __str__(self) -> str:
        return f"Police charge ({self.decided_at:%Y-%m-%d})"
