"""Enumerations of case material. Values are stable lowercase strings."""

from django.db import models


class DocumentKind(models.TextChoices):
    """MG forms (Manual of Guidance) and the other kinds of material a case file carries (domain.md 4)."""

    MG1 = "mg1", "MG1 File front sheet"
    MG2 = "mg2", "MG2 Special measures assessment"
    MG3 = "mg3", "MG3 Report to CPS for a charging decision"
    MG3A = "mg3a", "MG3A Further report to CPS"
    MG4 = "mg4", "MG4 Charge(s)"
    MG5 = "mg5", "MG5 Case summary"
    MG6 = "mg6", "MG6 Case file information"
    MG6A = "mg6a", "MG6A Pre-interview briefing"
    MG6B = "mg6b", "MG6B Police officer misconduct record"
    MG6C = "mg6c", "MG6C Schedule of non-sensitive unused material"
    MG6D = "mg6d", "MG6D Schedule of sensitive unused material"
    MG6E = "mg6e", "MG6E Disclosure officer's report"
    MG7 = "mg7", "MG7 Remand application"
    MG8 = "mg8", "MG8 Breach of bail conditions"
    MG9 = "mg9", "MG9 Witness list"
    MG10 = "mg10", "MG10 Witness non-availability"
    MG11 = "mg11", "MG11 Witness statement"
    MG12 = "mg12", "MG12 Exhibit list"
    MG13 = "mg13", "MG13 Application for orders on conviction"
    MG14 = "mg14", "MG14 Conditional caution"
    MG15 = "mg15", "MG15 Record of interview"
    MG16 = "mg16", "MG16 Bad character / dangerous offender"
    MG17 = "mg17", "MG17 Proceeds of crime review"
    MG18 = "mg18", "MG18 Offences taken into consideration"
    MG19 = "mg19", "MG19 Compensation claim"
    MG20 = "mg20", "MG20 Further evidence or information"
    MG21 = "mg21", "MG21 Submission for scientific examination"
    MG21A = "mg21a", "MG21A Additional scientific submission"
    SDC = "sdc", "Streamlined disclosure certificate"
    VICTIM_PERSONAL_STATEMENT = "vps", "Victim personal statement"
    BODY_WORN_VIDEO = "bwv", "Body-worn video"
    CCTV = "cctv", "CCTV"
    AUDIO_999 = "audio_999", "999 call recording"
    PHOTOGRAPH = "photograph", "Photograph"
    PNC_PRINT = "pnc_print", "PNC print (previous convictions)"
    FORENSIC_REPORT = "forensic_report", "Forensic report (SFR1/SFR2)"
    MEDICAL = "medical", "Medical evidence"
    OTHER = "other", "Other"


class Sensitivity(models.TextChoices):
    NORMAL = "normal", "Normal"
    SENSITIVE = "sensitive", "Sensitive (MG6D material)"


class RedactionStatus(models.TextChoices):
    NOT_REQUIRED = "not_required", "Not required"
    REQUIRED = "required", "Redaction required"
    REDACTED = "redacted", "Redacted"


class ScanStatus(models.TextChoices):
    PENDING = "pending", "Waiting for virus scan"
    CLEAN = "clean", "Clean"
    INFECTED = "infected", "Infected – quarantined"
    FAILED = "failed", "Scan failed – quarantined"


class Schedule(models.TextChoices):
    MG6C = "mg6c", "MG6C non-sensitive"
    MG6D = "mg6d", "MG6D sensitive"


class ProsecutorDecision(models.TextChoices):
    UNDECIDED = "", "Not yet reviewed"
    DISCLOSE = "disclose", "Disclose"
    CLEARLY_NOT_DISCLOSABLE = "not_disclosable", "Clearly not disclosable"
    INSPECT = "inspect", "Prosecutor to inspect"
    AGREE_SENSITIVE = "agree_sensitive", "Agree sensitive"
    PII_APPLICATION = "pii_application", "Public interest immunity application needed"


class FileStage(models.TextChoices):
    """National File Standard stages a file is submitted for (domain.md 3.1)."""

    EARLY_ADVICE = "early_advice", "Early advice"
    PRE_CHARGE_FCT = "pre_charge_fct", "Pre-charge decision – Full Code Test"
    PRE_CHARGE_TT = "pre_charge_tt", "Pre-charge decision – Threshold Test (remand)"
    FIRST_HEARING_GAP = "first_hearing_gap", "First hearing – anticipated guilty plea"
    FIRST_HEARING_NGAP = "first_hearing_ngap", "First hearing – anticipated not guilty plea"
    FIRST_HEARING_CROWN = "first_hearing_crown", "First hearing – Crown Court"
    MAGS_TRIAL_UPGRADE = "mags_trial_upgrade", "Magistrates' trial – upgrade file"
    CROWN_COURT_FULL = "crown_court_full", "Crown Court – full file"


class AnticipatedPlea(models.TextChoices):
    GUILTY = "guilty", "Guilty (GAP)"
    NOT_GUILTY = "not_guilty", "Not guilty (NGAP)"
    UNKNOWN = "unknown", "Not known"


class SubmissionStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    WITHDRAWN = "withdrawn", "Withdrawn"


class Severity(models.TextChoices):
    BLOCKING = "blocking", "Must be fixed"
    ADVISORY = "advisory", "Advisory"


class FailureResponse(models.TextChoices):
    PENDING = "", "No response yet"
    ACCEPTED = "accepted", "Accepted"
    DISPUTED = "disputed", "Disputed"


class DisputeOutcome(models.TextChoices):
    PENDING = "", "Not yet decided"
    UPHELD = "upheld", "Failure upheld"
    OVERTURNED = "overturned", "Failure overturned"
