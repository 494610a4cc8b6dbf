"""Enumerations of the case record. Values are stable lowercase strings."""

from django.db import models


class CaseStatus(models.TextChoices):
    INVESTIGATION = "investigation", "Investigation"
    AWAITING_CHARGING_DECISION = "awaiting_charging_decision", "Awaiting charging decision"
    CHARGED = "charged", "Charged"
    NO_FURTHER_ACTION = "no_further_action", "No further action"
    OUT_OF_COURT_DISPOSAL = "out_of_court_disposal", "Out-of-court disposal"
    ADMINISTRATIVELY_FINALISED = "administratively_finalised", "Administratively finalised"
    PRE_TRIAL = "pre_trial", "Pre-trial"
    CONCLUDED = "concluded", "Concluded"


class CaseFlag(models.TextChoices):
    DOMESTIC_ABUSE = "domestic_abuse", "Domestic abuse"
    HATE_CRIME = "hate_crime", "Hate crime"
    RASSO = "rasso", "Rape and serious sexual offences"
    YOUTH = "youth", "Youth"
    VAWG = "vawg", "Violence against women and girls"
    VULNERABLE_VICTIM = "vulnerable_victim", "Vulnerable victim"


class ModeOfTrial(models.TextChoices):
    SUMMARY_ONLY = "summary_only", "Summary only"
    EITHER_WAY = "either_way", "Either way"
    INDICTABLE_ONLY = "indictable_only", "Indictable only"
    NOT_CRIMINAL = "not_criminal", "Not a criminal offence (civil, family, licensing or breach)"


class OffenceQualifier(models.TextChoices):
    """The eighth character of a CJS offence code (domain.md 9.3)."""

    NONE = "", "None"
    ATTEMPT = "A", "A – attempting"
    AIDING = "B", "B – aiding and abetting"
    CONSPIRACY = "C", "C – conspiring"
    INCITING = "I", "I – inciting"


class OffenceStatus(models.TextChoices):
    ALLEGED = "alleged", "Alleged"
    CHARGED = "charged", "Charged"
    NOT_PROCEEDED = "not_proceeded", "Not proceeded with"


class CustodyEventKind(models.TextChoices):
    """A suspect's custody and bail history, one event at a time (domain.md 5.2–5.4)."""

    DETAINED = "detained", "Detained in police custody"
    DETENTION_EXTENDED = "detention_extended", "Detention extended to 36 hours (superintendent)"
    WARRANT_OF_FURTHER_DETENTION = "warrant_further_detention", "Warrant of further detention (magistrates)"
    PRE_CHARGE_BAIL = "pre_charge_bail", "Released on pre-charge bail"
    BAIL_EXTENDED = "bail_extended", "Pre-charge bail extended"
    RELEASED_UNDER_INVESTIGATION = "released_under_investigation", "Released under investigation"
    CHARGED_AND_BAILED = "charged_and_bailed", "Charged and bailed to court"
    REMANDED_IN_CUSTODY = "remanded_in_custody", "Charged and remanded in custody"
    SUMMONSED = "summonsed", "Summonsed or postal requisition"
    RELEASED_NO_FURTHER_ACTION = "released_nfa", "Released, no further action"


class BailRegime(models.TextChoices):
    """Which pre-charge bail law applies, by arrest date (domain.md 5.3)."""

    PRE_2017 = "pre_2017", "Before 3 April 2017 (no statutory limit)"
    PCA_2017 = "pca_2017", "Policing and Crime Act 2017 (3 April 2017 to 27 October 2022)"
    PCSC_2022 = "pcsc_2022", "Police, Crime, Sentencing and Courts Act 2022 (from 28 October 2022)"


class Authority(models.TextChoices):
    """Who authorised a detention or bail decision."""

    CUSTODY_OFFICER = "custody_officer", "Custody officer (sergeant)"
    INSPECTOR = "inspector", "Inspector"
    SUPERINTENDENT = "superintendent", "Superintendent"
    MAGISTRATES_COURT = "magistrates_court", "Magistrates' court"


class EnhancedRights(models.TextChoices):
    """Victims' Code categories entitled to enhanced rights (domain.md 10)."""

    SERIOUS_CRIME = "serious_crime", "Victim of the most serious crime"
    PERSISTENTLY_TARGETED = "persistently_targeted", "Persistently targeted"
    VULNERABLE_OR_INTIMIDATED = "vulnerable_or_intimidated", "Vulnerable or intimidated"
    BEREAVED = "bereaved", "Bereaved close relative"


class ContactPreference(models.TextChoices):
    PHONE = "phone", "Phone"
    EMAIL = "email", "Email"
    LETTER = "letter", "Letter"
    IN_PERSON = "in_person", "In person"
    NOMINATED_PERSON = "nominated_person", "Through a nominated person"


class VictimPersonalStatement(models.TextChoices):
    NOT_YET_OFFERED = "not_offered", "Not yet offered"
    OFFERED_DECLINED = "declined", "Offered and declined"
    OFFERED_LATER = "later", "Offered, may make one later"
    MADE = "made", "Made"


class VictimUpdateReason(models.TextChoices):
    """Events that oblige the police to update a victim (Victims' Code Right 6)."""

    ARREST = "arrest", "Suspect arrested"
    INTERVIEW = "interview", "Suspect interviewed under caution"
    RELEASED_WITHOUT_CHARGE = "released_without_charge", "Suspect released without charge"
    BAIL_OR_RUI = "bail_or_rui", "Suspect bailed or released under investigation (or a change)"
    DECISION_NOT_TO_INVESTIGATE = "not_investigated", "Decision not to investigate"
    CHARGED = "charged", "Suspect charged"
    NO_FURTHER_ACTION = "no_further_action", "Decision to take no further action"
    HEARING = "hearing", "Hearing date or outcome"
    OTHER = "other", "Other update"


class WitnessType(models.TextChoices):
    EYEWITNESS = "eyewitness", "Eyewitness"
    POLICE = "police", "Police officer or staff"
    EXPERT = "expert", "Expert"
    PROFESSIONAL = "professional", "Professional (for example medical)"
    CHARACTER = "character", "Character"
    OTHER = "other", "Other"


class WitnessVulnerability(models.TextChoices):
    """Youth Justice and Criminal Evidence Act 1999 categories."""

    NONE = "none", "Neither vulnerable nor intimidated"
    VULNERABLE = "vulnerable", "Vulnerable (s.16)"
    INTIMIDATED = "intimidated", "Intimidated (s.17)"


class SpecialMeasure(models.TextChoices):
    SCREENS = "screens", "Screens"
    LIVE_LINK = "live_link", "Live link"
    EVIDENCE_IN_PRIVATE = "evidence_in_private", "Evidence given in private"
    REMOVAL_OF_WIGS = "wigs_gowns", "Removal of wigs and gowns"
    VIDEO_EVIDENCE_IN_CHIEF = "video_eic", "Video-recorded evidence in chief (ABE)"
    PRE_RECORDED_CROSS_EXAMINATION = "s28", "Pre-recorded cross-examination (s.28)"
    INTERMEDIARY = "intermediary", "Intermediary"
    COMMUNICATION_AIDS = "communication_aids", "Aids to communication"


class HearingType(models.TextChoices):
    FIRST_HEARING = "first_hearing", "First hearing"
    REMAND = "remand", "Remand hearing"
    PTPH = "ptph", "Plea and trial preparation hearing"
    CASE_MANAGEMENT = "case_management", "Case management / mention"
    BAIL_APPLICATION = "bail_application", "Bail application"
    CTL_EXTENSION = "ctl_extension", "Custody time limit extension"
    TRIAL = "trial", "Trial"
    SENTENCE = "sentence", "Sentence"
    OTHER = "other", "Other"


class HearingOutcome(models.TextChoices):
    PENDING = "", "Not yet known"
    EFFECTIVE = "effective", "Effective"
    ADJOURNED = "adjourned", "Adjourned"
    CRACKED = "cracked", "Cracked"
    INEFFECTIVE = "ineffective", "Ineffective"
    VACATED = "vacated", "Vacated"
    SENT_TO_CROWN = "sent_to_crown", "Sent to the Crown Court"
    CONCLUDED = "concluded", "Concluded"


class DeadlineKind(models.TextChoices):
    """What a stored deadline is (``casework.deadlines.store`` computes them from the case's facts)."""

    SUMMARY_TIME_LIMIT = "summary_time_limit", "Summary time limit (s.127 MCA 1980)"
    DA_TIME_LIMIT = "da_time_limit", "Domestic abuse common assault time limit (s.39A CJA 1988)"
    PACE_DETENTION = "pace_detention", "PACE detention limit"
    PACE_REVIEW = "pace_review", "PACE detention review"
    PRE_CHARGE_BAIL = "pre_charge_bail", "Pre-charge bail period end"
    RUI_AGEING = "rui_ageing", "Released under investigation: ageing"
    CUSTODY_TIME_LIMIT = "custody_time_limit", "Custody time limit"
    CHARGING_DECISION = "charging_decision", "CPS charging decision due"
    ACTION_PLAN_ITEM = "action_plan_item", "Action plan item due"
    FIRST_HEARING_FILE = "first_hearing_file", "First hearing file due"
    THRESHOLD_TEST_REVIEW = "threshold_test_review", "Threshold Test charge review"
    VICTIM_UPDATE = "victim_update", "Victims' Code update due"
    VICTIM_RIGHT_TO_REVIEW = "victim_right_to_review", "Victims' right to review"


# Deadlines set by statute: missing one ends a prosecution or frees a defendant. Their alerts cannot be
# dismissed without an acknowledgement.
STATUTORY_DEADLINES = frozenset(
    {
        DeadlineKind.SUMMARY_TIME_LIMIT,
        DeadlineKind.DA_TIME_LIMIT,
        DeadlineKind.PACE_DETENTION,
        DeadlineKind.PRE_CHARGE_BAIL,
        DeadlineKind.CUSTODY_TIME_LIMIT,
    }
)


class DeadlineStatus(models.TextChoices):
    OPEN = "open", "Open"
    # What the deadline was for happened in time (e.g. charged within the time limit, the action answered).
    MET = "met", "Met"
    # The facts no longer give this deadline (e.g. the suspect was released, the offence removed).
    CANCELLED = "cancelled", "No longer applies"
