"""Enumerations for organisations, roles and audit events. Values are stable lowercase strings."""

from django.db import models


class OrganisationKind(models.TextChoices):
    POLICE_FORCE = "police_force", "Police force"
    CPS_AREA = "cps_area", "CPS Area"
    CPS_DIRECT = "cps_direct", "CPS Direct"


class Side(models.TextChoices):
    POLICE = "police", "Police"
    CPS = "cps", "CPS"


class Role(models.TextChoices):
    """What a person does. A user may hold several roles within their one organisation."""

    POLICE_INVESTIGATOR = "police_investigator", "Investigator / officer in case"
    POLICE_SUPERVISOR = "police_supervisor", "Police supervisor"
    DISCLOSURE_OFFICER = "disclosure_officer", "Disclosure officer"
    POLICE_MANAGER = "police_manager", "Police manager"
    CPS_LAWYER = "cps_lawyer", "CPS lawyer"
    CPS_PARALEGAL = "cps_paralegal", "CPS paralegal / triage"
    CPS_LEGAL_MANAGER = "cps_legal_manager", "CPS legal manager"
    SYSTEM_ADMINISTRATOR = "system_administrator", "System administrator"


POLICE_ROLES = frozenset(
    {Role.POLICE_INVESTIGATOR, Role.POLICE_SUPERVISOR, Role.DISCLOSURE_OFFICER, Role.POLICE_MANAGER}
)
CPS_ROLES = frozenset({Role.CPS_LAWYER, Role.CPS_PARALEGAL, Role.CPS_LEGAL_MANAGER})
MANAGER_ROLES = frozenset({Role.POLICE_MANAGER, Role.CPS_LEGAL_MANAGER})


class CourtKind(models.TextChoices):
    MAGISTRATES = "magistrates", "Magistrates' court"
    CROWN = "crown", "Crown Court"


class AuditEventType(models.TextChoices):
    """Every audited event, grouped by the app that writes it."""

    # accounts
    SIGNED_IN = "signed_in", "Signed in"
    SIGN_IN_FAILED = "sign_in_failed", "Sign-in failed"
    SIGNED_OUT = "signed_out", "Signed out"
    ACCOUNT_LOCKED = "account_locked", "Account locked after failed sign-ins"
    SESSION_EXPIRED = "session_expired", "Session expired"
    TWO_FACTOR_ENROLLED = "two_factor_enrolled", "Two-factor authentication set up"
    TWO_FACTOR_VERIFIED = "two_factor_verified", "Two-factor code accepted"
    TWO_FACTOR_FAILED = "two_factor_failed", "Two-factor code refused"
    BACKUP_CODES_ISSUED = "backup_codes_issued", "Backup codes issued"
    PASSWORD_RESET_REQUESTED = "password_reset_requested", "Password reset requested"
    PASSWORD_CHANGED = "password_changed", "Password changed"
    API_TOKEN_ISSUED = "api_token_issued", "API token issued"
    API_TOKEN_REVOKED = "api_token_revoked", "API token revoked"
    AUDIT_SEARCHED = "audit_searched", "Audit log searched"
    # casework
    CASE_CREATED = "case_created", "Case created"
    CASE_VIEWED = "case_viewed", "Case viewed"
    CASE_UPDATED = "case_updated", "Case updated"
    CASE_STATUS_CHANGED = "case_status_changed", "Case status changed"
    CASE_SEARCHED = "case_searched", "Cases searched"
    SUSPECT_ADDED = "suspect_added", "Suspect added"
    SUSPECT_UPDATED = "suspect_updated", "Suspect updated"
    CUSTODY_EVENT_RECORDED = "custody_event_recorded", "Custody or bail event recorded"
    OFFENCE_ADDED = "offence_added", "Offence added"
    OFFENCE_UPDATED = "offence_updated", "Offence updated"
    VICTIM_ADDED = "victim_added", "Victim added"
    VICTIM_UPDATED = "victim_updated", "Victim updated"
    VICTIM_UPDATE_GIVEN = "victim_update_given", "Victims' Code update given"
    WITNESS_ADDED = "witness_added", "Witness added"
    WITNESS_UPDATED = "witness_updated", "Witness updated"
    HEARING_ADDED = "hearing_added", "Hearing added"
    HEARING_UPDATED = "hearing_updated", "Hearing updated"
    # files
    DOCUMENT_UPLOADED = "document_uploaded", "Document uploaded"
    DOCUMENT_VERSION_ADDED = "document_version_added", "New version of a document uploaded"
    DOCUMENT_DOWNLOADED = "document_downloaded", "Document downloaded"
    DOCUMENT_QUARANTINED = "document_quarantined", "Document quarantined by the virus scan"
    DOCUMENT_UPDATED = "document_updated", "Document details changed"
    REDACTION_CONFIRMED = "redaction_confirmed", "Redaction confirmed"
    EXHIBIT_ADDED = "exhibit_added", "Exhibit added"
    EXHIBIT_UPDATED = "exhibit_updated", "Exhibit updated"
    EXHIBIT_MOVED = "exhibit_moved", "Exhibit continuity recorded"
    UNUSED_ITEM_ADDED = "unused_item_added", "Unused material scheduled"
    UNUSED_ITEM_UPDATED = "unused_item_updated", "Unused material item updated"
    UNUSED_ITEM_DECIDED = "unused_item_decided", "Prosecutor's disclosure decision recorded"
    CASE_SUMMARY_UPDATED = "case_summary_updated", "MG5 case summary updated"
    CASE_SUMMARY_CERTIFIED = "case_summary_certified", "MG5 certified by a supervisor"
    SUBMISSION_CREATED = "submission_created", "File started for a National File Standard stage"
    FILE_SUBMITTED = "file_submitted", "File submitted"
    SUBMISSION_WITHDRAWN = "submission_withdrawn", "Draft file withdrawn"
    QUALITY_OVERRIDDEN = "quality_overridden", "Blocking quality failures overridden by a supervisor"
    FILE_ASSESSED = "file_assessed", "CPS assessed the file"
    FAILURE_RESPONDED = "failure_responded", "Police responded to a file-quality failure"
    DISPUTE_DECIDED = "dispute_decided", "CPS legal manager decided a file-quality dispute"
    # charging
    CHARGING_REQUEST_CREATED = "charging_request_created", "Charging request (MG3) started"
    CHARGING_REQUEST_SUBMITTED = "charging_request_submitted", "Charging request submitted for supervisor review"
    CHARGING_REQUEST_APPROVED = "charging_request_approved", "Charging request approved and sent to the CPS"
    CHARGING_REQUEST_RETURNED = "charging_request_returned", "Charging request returned"
    CHARGING_REQUEST_ACCEPTED = "charging_request_accepted", "Charging request accepted by CPS triage"
    CHARGING_REQUEST_ALLOCATED = "charging_request_allocated", "Charging request allocated to a lawyer"
    CHARGING_DECISION_RECORDED = "charging_decision_recorded", "Charging decision recorded"
    CHARGING_DECISION_CORRECTED = "charging_decision_corrected", "Charging decision corrected"
    CHARGING_REQUEST_UPDATED = "charging_request_updated", "Charging request (MG3) changed"
    CHARGING_REQUEST_WITHDRAWN = "charging_request_withdrawn", "Charging request withdrawn"
    CHARGING_ACTION_ANSWERED = "charging_action_answered", "Action plan item answered"
    CHARGING_ACTION_ESCALATED = "charging_action_escalated", "Overdue action plan item escalated"
    CHARGING_REQUEST_RESUBMITTED = "charging_request_resubmitted", "Charging request resubmitted (MG3A)"
    CHARGING_REQUEST_FINALISED = "charging_request_finalised", "Charging request administratively finalised"
    CHARGING_REQUEST_REOPENED = "charging_request_reopened", "Charging request reopened"
    POLICE_CHARGE_RECORDED = "police_charge_recorded", "Police charging decision recorded"
    # alerts
    ALERT_ACKNOWLEDGED = "alert_acknowledged", "Delay alert acknowledged"
    ALERT_DISMISSED = "alert_dismissed", "Delay alert dismissed"
    ALERT_DELIVERY_RETRIED = "alert_delivery_retried", "Undelivered alert email retried by an administrator"
