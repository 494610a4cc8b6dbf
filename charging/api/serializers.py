"""Output shapes of the charging API. Records are named by their public UUID (``id``); a choice is given as its
stable value and its label (``status`` and ``status_label``); dates and times are ISO 8601.

The nested shapes read only what ``charging.selectors`` prefetches (``decisions_for``), so a request with many
decisions and actions costs the same number of queries as one with few.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from casework.api.serializers import ChoiceLabelField, OrganisationRefOutput, UserRefOutput
from files.choices import Sensitivity

from ..choices import (
    ActionItemOwner,
    ActionItemStatus,
    AnticipatedPlea,
    ChargingCategory,
    ChargingDecider,
    DecisionOutcome,
    RequestStatus,
    TestSought,
)
from ..models import ActionPlanItem, ChargingDecision, ChargingRequest
from ..selectors import decisions_for, due_at, resubmissions_for


class CaseRefOutput(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.UUIDField(source="public_id")
    urn = serializers.CharField()
    urn_display = serializers.CharField()

    class Meta:
        ref_name = "ChargingCaseRef"


class Dg6Output(serializers.Serializer):  # type: ignore[type-arg]
    decider = serializers.CharField(source="dg6_decider", help_text="`police` or `cps`; blank with no offences.")
    decider_label = ChoiceLabelField(ChargingDecider, source="dg6_decider")
    rule = serializers.CharField(source="dg6_rule")
    reason = serializers.CharField(source="dg6_reason")

    class Meta:
        ref_name = "ChargingRequestDg6"


class RequestOutput(serializers.Serializer):  # type: ignore[type-arg]
    """A charging request (MG3) as the lists show it."""

    id = serializers.UUIDField(source="public_id")
    case = CaseRefOutput()
    status = serializers.CharField()
    status_label = ChoiceLabelField(RequestStatus, source="status")
    category = serializers.CharField()
    category_label = ChoiceLabelField(ChargingCategory, source="category")
    test_sought = serializers.CharField()
    test_sought_label = ChoiceLabelField(TestSought, source="test_sought")
    anticipated_plea = serializers.CharField()
    anticipated_plea_label = ChoiceLabelField(AnticipatedPlea, source="anticipated_plea")
    version = serializers.IntegerField(help_text="Send it back with every change (optimistic concurrency).")
    cps_area = OrganisationRefOutput(allow_null=True)
    to_cps_direct = serializers.BooleanField()
    allocated_lawyer = UserRefOutput(allow_null=True)
    created_by = UserRefOutput()
    dg6 = serializers.SerializerMethodField(help_text="Who DG6 Annex 1 said decides, when the MG3 was last saved.")
    due_at = serializers.SerializerMethodField(help_text="When the CPS owes its decision; null until received.")
    resubmission_count = serializers.IntegerField(help_text="How many MG3As have been sent.")
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    approved_at = serializers.DateTimeField(allow_null=True)
    received_by_cps_at = serializers.DateTimeField(allow_null=True)
    accepted_at = serializers.DateTimeField(allow_null=True)
    allocated_at = serializers.DateTimeField(allow_null=True)
    decided_at = serializers.DateTimeField(allow_null=True)
    returned_at = serializers.DateTimeField(allow_null=True, help_text="Last returned as not to standard.")
    action_plan_issued_at = serializers.DateTimeField(allow_null=True)
    resubmitted_at = serializers.DateTimeField(allow_null=True)
    finalised_at = serializers.DateTimeField(allow_null=True, help_text="Administratively finalised.")

    class Meta:
        ref_name = "ChargingRequest"

    @extend_schema_field(Dg6Output)
    def get_dg6(self, request: ChargingRequest) -> dict[str, Any]:
        return dict(Dg6Output(request).data)

    @extend_schema_field(OpenApiTypes.DATETIME)
    def get_due_at(self, request: ChargingRequest) -> str | None:
        due = getattr(request, "due_at", None) or due_at(request)
        return serializers.DateTimeField().to_representation(due) if due else None


class QueueItemOutput(RequestOutput):
    overdue = serializers.SerializerMethodField(help_text="Past the category's time aim.")

    class Meta:
        ref_name = "ChargingQueueItem"

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_overdue(self, request: ChargingRequest) -> bool:
        due = getattr(request, "due_at", None) or due_at(request)
        return bool(due and due < timezone.now())


class OutstandingEvidenceOutput(serializers.Serializer):  # type: ignore[type-arg]
    what = serializers.CharField()
    target_date = serializers.CharField(help_text="YYYY-MM-DD, or blank.")

    class Meta:
        ref_name = "Mg3OutstandingEvidence"


class DocumentRefOutput(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.UUIDField(source="public_id")
    kind = serializers.CharField()
    title = serializers.CharField()

    class Meta:
        ref_name = "ChargingDocumentRef"


class ActionItemOutput(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.UUIDField(source="public_id")
    number = serializers.IntegerField()
    action = serializers.CharField(help_text="What is needed.")
    reason = serializers.CharField(help_text="Why it is needed: what it proves or answers.")
    offence = serializers.UUIDField(source="offence.public_id", allow_null=True, default=None)
    offence_code = serializers.CharField(source="offence.code_with_qualifier", allow_null=True, default=None)
    point_to_prove = serializers.CharField()
    owner = serializers.CharField()
    owner_label = ChoiceLabelField(ActionItemOwner, source="owner")
    due_on = serializers.DateField()
    overdue = serializers.SerializerMethodField(help_text="Not answered and past its due date.")
    status = serializers.CharField()
    status_label = ChoiceLabelField(ActionItemStatus, source="status")
    response = serializers.CharField(help_text="The police's answer; blank until answered.")
    documents = serializers.SerializerMethodField(help_text="Material given in answer.")
    responded_by = UserRefOutput(allow_null=True)
    responded_at = serializers.DateTimeField(allow_null=True)
    escalated_at = serializers.DateTimeField(allow_null=True, help_text="When its lateness was escalated.")

    class Meta:
        ref_name = "ActionPlanItem"

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_overdue(self, item: ActionPlanItem) -> bool:
        return item.status == ActionItemStatus.OPEN and item.due_on < timezone.localdate()

    @extend_schema_field(DocumentRefOutput(many=True))
    def get_documents(self, item: ActionPlanItem) -> list[dict[str, Any]]:
        documents = list(item.documents.all())
        if not self.context.get("sees_sensitive"):
            documents = [d for d in documents if d.sensitivity != Sensitivity.SENSITIVE]
        return [dict(DocumentRefOutput(d).data) for d in documents]


class ChargeOutput(serializers.Serializer):  # type: ignore[type-arg]
    offence = serializers.UUIDField(source="offence.public_id")
    code = serializers.CharField(help_text="The CJS code with any qualifier, as charged.")
    title = serializers.CharField(source="offence.offence_code.title")
    wording = serializers.CharField()

    class Meta:
        ref_name = "DecisionCharge"


class DecisionOutput(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.UUIDField(source="public_id")
    outcome = serializers.CharField()
    outcome_label = ChoiceLabelField(DecisionOutcome, source="outcome")
    reasons = serializers.CharField()
    test_applied = serializers.CharField(help_text="Blank when no Code test was applied (e.g. an action plan).")
    test_applied_label = ChoiceLabelField(TestSought, source="test_applied")
    threshold_review_on = serializers.DateField(allow_null=True)
    decided_by = UserRefOutput()
    decided_at = serializers.DateTimeField()
    corrects = serializers.UUIDField(source="corrects.public_id", allow_null=True, default=None)
    corrected_by = serializers.SerializerMethodField(help_text="The correction that replaced it, if any.")
    charges = ChargeOutput(many=True, source="charges.all")
    action_items = serializers.SerializerMethodField()

    class Meta:
        ref_name = "ChargingDecision"

    @extend_schema_field(OpenApiTypes.UUID)
    def get_corrected_by(self, decision: ChargingDecision) -> str | None:
        corrections = list(decision.corrected_by.all())
        return str(corrections[0].public_id) if corrections else None

    @extend_schema_field(ActionItemOutput(many=True))
    def get_action_items(self, decision: ChargingDecision) -> list[dict[str, Any]]:
        return [dict(ActionItemOutput(item, context=self.context).data) for item in decision.action_items.all()]


class ResubmissionOutput(serializers.Serializer):  # type: ignore[type-arg]
    number = serializers.IntegerField()
    summary = serializers.CharField(help_text="What changed since the last submission.")
    reopened = serializers.BooleanField(help_text="Reopened after administrative finalisation.")
    submitted_by = UserRefOutput()
    submitted_at = serializers.DateTimeField()

    class Meta:
        ref_name = "ChargingResubmission"


class RequestDetailOutput(RequestOutput):
    """The whole request: the MG3 police part, the decisions with their charges and actions, and the MG3As."""

    submission = serializers.UUIDField(source="submission.public_id", allow_null=True, default=None)
    venue = serializers.CharField()
    suspect_status = serializers.CharField()
    pace_clock = serializers.CharField()
    bail_status = serializers.CharField()
    offence_summary = serializers.CharField()
    proposed_charges = serializers.CharField()
    defence_account = serializers.CharField()
    lines_of_inquiry_done = serializers.CharField()
    lines_not_pursued = serializers.CharField()
    outstanding_evidence = OutstandingEvidenceOutput(many=True)
    victim_witness_needs = serializers.CharField()
    digital_strategy = serializers.CharField()
    unused_material_info = serializers.CharField()
    decisions = serializers.SerializerMethodField(help_text="Oldest first; a correction names what it corrects.")
    resubmissions = serializers.SerializerMethodField()

    class Meta:
        ref_name = "ChargingRequestDetail"

    @extend_schema_field(DecisionOutput(many=True))
    def get_decisions(self, request: ChargingRequest) -> list[dict[str, Any]]:
        return [dict(DecisionOutput(d, context=self.context).data) for d in decisions_for(request)]

    @extend_schema_field(ResubmissionOutput(many=True))
    def get_resubmissions(self, request: ChargingRequest) -> list[dict[str, Any]]:
        return [dict(ResubmissionOutput(r).data) for r in resubmissions_for(request)]


class OffenceRefOutput(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.UUIDField(source="public_id")
    code = serializers.CharField(source="code_with_qualifier")
    title = serializers.CharField(source="offence_code.title")

    class Meta:
        ref_name = "ChargingOffenceRef"


class PoliceChargeOutput(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.UUIDField(source="public_id")
    offences = OffenceRefOutput(many=True, source="offences.all")
    rationale = serializers.CharField()
    dg6_rule = serializers.CharField(help_text="The DG6 Annex 1 rule that let the police charge.")
    anticipated_plea = serializers.CharField()
    anticipated_plea_label = ChoiceLabelField(AnticipatedPlea, source="anticipated_plea")
    emergency_authorised_by = serializers.CharField(
        help_text="The inspector who gave emergency authority, or blank when none was needed."
    )
    decided_by = UserRefOutput()
    decided_at = serializers.DateTimeField()

    class Meta:
        ref_name = "PoliceChargeDecision"
