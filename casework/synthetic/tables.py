"""The tables the generator fills and the columns it writes to each (checked against the models by
``copy.TableSpec.check``), in load order: parents before children."""

from __future__ import annotations

from typing import TYPE_CHECKING

from accounts.models import AuditEvent
from alerts.models import Alert, AlertDelivery, DeliveryAttempt
from casework.models import (
    Case,
    CustodyEvent,
    Deadline,
    Hearing,
    OffenceAllegation,
    Suspect,
    Victim,
    VictimUpdate,
    Witness,
    WitnessUnavailability,
)
from charging.models import (
    ActionPlanItem,
    ChargingDecision,
    ChargingRequest,
    DecisionCharge,
    PoliceChargeDecision,
    Resubmission,
)
from files.models import (
    AssessmentFailure,
    CaseSummary,
    CpsAssessment,
    Document,
    DocumentVersion,
    Exhibit,
    ExhibitMovement,
    FileSubmission,
    PointToProve,
    QualityReport,
    SubmissionItem,
    UnusedItem,
)

from .copy import TableSpec, spec

if TYPE_CHECKING:
    pass


_link = ActionPlanItem.documents.through
_exhibit_docs = Exhibit.documents.through
_point_docs = PointToProve.evidence_documents.through
_point_exhibits = PointToProve.evidence_exhibits.through
_charge_offences = PoliceChargeDecision.offences.through

# Load order: parents before children (the foreign keys are deferred, but it reads naturally).
TABLES: dict[str, TableSpec] = {
    "case": spec(
        Case,
        "id public_id urn urn_as_entered force_id unit_id cps_area_id status flags summary officer_in_case_id "
        "supervisor_id reported_on sent_to_cps_at sent_to_cps_direct created_by_id created_at updated_at search_text "
        "search_names",
    ),
    "suspect": spec(
        Suspect,
        "id public_id case_id first_names last_name date_of_birth created_at updated_at pnc_id asn "
        "custody_record_number interpreter_language vulnerabilities needs_appropriate_adult",
    ),
    "offence": spec(
        OffenceAllegation,
        "id public_id case_id suspect_id offence_code_id qualifier committed_on committed_until location particulars "
        "status created_at updated_at",
    ),
    "custody": spec(
        CustodyEvent,
        "id public_id suspect_id kind occurred_at relevant_time arrested_on bail_regime bail_start_date "
        "period_ends_at authority authorised_by court_id offence_id first_remand_date conditions notes "
        "recorded_by_id recorded_at",
    ),
    "victim": spec(
        Victim,
        "id public_id case_id first_names last_name date_of_birth created_at updated_at is_organisation "
        "enhanced_rights contact_preference contact_details personal_statement personal_statement_on "
        "first_statement_on",
    ),
    "victimupdate": spec(
        VictimUpdate, "id public_id victim_id reason event_on given_on method summary given_by_id recorded_at"
    ),
    "witness": spec(
        Witness,
        "id public_id case_id first_names last_name date_of_birth created_at updated_at witness_type is_key "
        "vulnerability special_measures willing_to_attend no_dates_to_avoid notes",
    ),
    "unavailability": spec(WitnessUnavailability, "id witness_id starts_on ends_on reason"),
    "hearing": spec(
        Hearing, "id public_id case_id court_id starts_at hearing_type outcome outcome_notes created_at updated_at"
    ),
    "document": spec(
        Document,
        "id public_id case_id kind title sensitivity redaction_status redaction_confirmed_by_id "
        "redaction_confirmed_at witness_id suspect_id created_by_id created_at updated_at",
    ),
    "version": spec(
        DocumentVersion,
        "id public_id document_id number file original_name size sha256 mime_type scan_status scan_detail "
        "scanned_at page_count text text_extracted_at uploaded_by_id uploaded_at",
    ),
    "exhibit": spec(
        Exhibit,
        "id public_id case_id reference producer_name producer_initials number description location created_by_id "
        "created_at",
    ),
    "exhibitdoc": spec(_exhibit_docs, "id exhibit_id document_id"),
    "movement": spec(
        ExhibitMovement, "id exhibit_id moved_at from_location to_location handled_by reason recorded_by_id recorded_at"
    ),
    "unused": spec(
        UnusedItem,
        "id public_id case_id schedule item_number description location sensitivity_reason rebuttable_presumption "
        "document_id prosecutor_decision decision_note decided_by_id decided_at created_by_id created_at",
    ),
    "casesummary": spec(CaseSummary, "id case_id summary interview_summary certified_by_id certified_at updated_at"),
    "point": spec(PointToProve, "id public_id case_id offence_id text order"),
    "pointdoc": spec(_point_docs, "id pointtoprove_id document_id"),
    "pointexhibit": spec(_point_exhibits, "id pointtoprove_id exhibit_id"),
    "submission": spec(
        FileSubmission,
        "id public_id case_id stage anticipated_plea status snapshot override_reason override_by_id override_at "
        "created_by_id created_at updated_at submitted_by_id submitted_at",
    ),
    "submissionitem": spec(SubmissionItem, "id submission_id version_id"),
    "report": spec(
        QualityReport,
        "id public_id submission_id ruleset_version inputs_digest findings blocking_count advisory_count "
        "on_submission created_at",
    ),
    "assessment": spec(CpsAssessment, "id public_id submission_id met_standard notes assessed_by_id assessed_at"),
    "failure": spec(
        AssessmentFailure,
        "id public_id assessment_id code note response response_note responded_by_id responded_at dispute_outcome "
        "dispute_note decided_by_id decided_at",
    ),
    "request": spec(
        ChargingRequest,
        "id public_id case_id submission_id status category test_sought anticipated_plea venue suspect_status "
        "pace_clock bail_status offence_summary proposed_charges defence_account lines_of_inquiry_done "
        "lines_not_pursued outstanding_evidence victim_witness_needs digital_strategy unused_material_info "
        "cps_area_id to_cps_direct allocated_lawyer_id version created_by_id created_at updated_at submitted_at "
        "approved_at received_by_cps_at accepted_at allocated_at decided_at returned_at action_plan_issued_at "
        "resubmitted_at finalised_at resubmission_count dg6_decider dg6_rule dg6_reason",
    ),
    "decision": spec(
        ChargingDecision,
        "id public_id request_id outcome reasons test_applied threshold_review_on decided_by_id decided_at corrects_id",
    ),
    "decisioncharge": spec(DecisionCharge, "id decision_id offence_id code wording"),
    "actionitem": spec(
        ActionPlanItem,
        "id public_id request_id decision_id number action reason offence_id point_to_prove owner due_on status "
        "response responded_by_id responded_at escalated_at",
    ),
    "actionitemdoc": spec(_link, "id actionplanitem_id document_id"),
    "resubmission": spec(Resubmission, "id request_id number summary reopened submitted_by_id submitted_at"),
    "policecharge": spec(
        PoliceChargeDecision,
        "id public_id case_id rationale dg6_rule anticipated_plea emergency_authorised_by decided_by_id decided_at",
    ),
    "policechargeoffence": spec(_charge_offences, "id policechargedecision_id offenceallegation_id"),
    "deadline": spec(
        Deadline,
        "id public_id case_id kind subject_key suspect_id offence_id label due_at rule statutory status "
        "next_alert_at met_at computed_at created_at",
    ),
    "alert": spec(
        Alert,
        "id public_id deadline_id case_id recipient_id threshold due_at subject body urgent requires_acknowledgement "
        "created_at read_at acknowledged_at acknowledgement_note dismissed_at escalated_at",
    ),
    "delivery": spec(
        AlertDelivery, "id alert_id channel status digest attempts next_attempt_at last_error sent_at created_at"
    ),
    "attempt": spec(DeliveryAttempt, "id delivery_id attempted_at outcome error"),
    "audit": spec(
        AuditEvent,
        "id public_id occurred_at event_type actor_id actor_username actor_roles actor_organisation_id object_type "
        "object_id case_id summary data ip_address request_id",
    ),
}
