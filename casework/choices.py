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
