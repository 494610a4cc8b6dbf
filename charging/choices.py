"""Enumerations of charging requests (MG3 referrals) and charging decisions. Values are stable lowercase strings.

A charging request is the police asking the CPS for a charging decision under the Director's Guidance on
Charging, 6th edition (DG6): the MG3 report to a prosecutor, and MG3A for a further submission. Its lifecycle
is checked by ``charging.workflow``; who decides whether a case needs one at all is ``charging.dg6``.
"""

from django.db import models


class RequestStatus(models.TextChoices):
    """Where a charging request is. Only ``DECIDED`` and ``WITHDRAWN`` are terminal (``charging.workflow``)."""

    # The officer in the case is building the MG3 and the file; nothing has left the police.
    DRAFT = "draft", "Draft"
    # Submitted by the officer; a police supervisor checks it against the National File Standard (NFS) and
    # certifies it before it goes to the CPS (domain.md 2.6; the supervisor's title varies by force [K]).
    AWAITING_SUPERVISOR = "awaiting_supervisor", "Awaiting supervisor review"
    # Sent through the digital interface; CPS triage checks the category and that the file meets the NFS.
    WITH_CPS_TRIAGE = "with_cps_triage", "With CPS triage"
    # CPS triage sent it back because the file does not meet the NFS; the police must put it right.
    RETURNED_NOT_TO_STANDARD = "returned_not_to_standard", "Returned: not to the National File Standard"
    # Accepted by triage and waiting in the CPS queue for a prosecutor.
    ACCEPTED_AWAITING_ALLOCATION = "accepted_awaiting_allocation", "Accepted, awaiting allocation"
    # A CPS lawyer has it and owes a decision (or an action plan).
    ALLOCATED = "allocated", "Allocated to a lawyer"
    # The lawyer deferred the decision (action plan or early advice); the police owe the listed actions.
    ACTION_PLAN_ISSUED = "action_plan_issued", "Action plan issued"
    # The police answered the action plan (MG3A); it goes back to the allocated lawyer.
    RESUBMITTED = "resubmitted", "Resubmitted (MG3A)"
    # A charging decision is recorded. A correction is a new decision record, not a change of status.
    DECIDED = "decided", "Decided"
    # The action plan (or early advice) went unanswered past the configured period. A CPS case-management
    # status, not a legal decision: the police reopen it when new material arrives (domain.md 2.5).
    ADMINISTRATIVELY_FINALISED = "administratively_finalised", "Administratively finalised"
    # The police withdrew the draft before it was ever submitted.
    WITHDRAWN = "withdrawn", "Withdrawn"


class ChargingActor(models.TextChoices):
    """Who moves a charging request. The services map a user's ``accounts.choices.Role`` to one of these."""

    POLICE_OFFICER = "police_officer", "Police officer"
    POLICE_SUPERVISOR = "police_supervisor", "Police supervisor"
    CPS_TRIAGE = "cps_triage", "CPS triage"
    CPS_LAWYER = "cps_lawyer", "CPS lawyer"
    CPS_LEGAL_MANAGER = "cps_legal_manager", "CPS legal manager"
    # Scheduled jobs and automatic routing (e.g. administrative finalisation), never a person.
    SYSTEM = "system", "System"


class DecisionOutcome(models.TextChoices):
    """What a CPS lawyer records on a charging request (domain.md 2.5).

    [K] Verify against the CPS CMS / MG3 (2020) layout. ``EARLY_ADVICE`` and ``ACTION_PLAN`` defer the
    decision (``INTERIM_OUTCOMES``); the rest decide the request (``FINAL_OUTCOMES``).
    """

    # Charge, on the Full Code Test or the Threshold Test, with the charges specified.
    CHARGE = "charge", "Charge"
    # No further action: no realistic prospect of conviction. Triggers the Victims' Code and VRR.
    NO_FURTHER_ACTION_EVIDENTIAL = "no_further_action_evidential", "No further action (evidential)"
    # No further action: a prosecution is not in the public interest. Triggers the Victims' Code and VRR.
    NO_FURTHER_ACTION_PUBLIC_INTEREST = "no_further_action_public_interest", "No further action (public interest)"
    # The CPS authorises an out-of-court disposal (e.g. a conditional caution).
    OUT_OF_COURT_DISPOSAL = "out_of_court_disposal", "Out-of-court disposal"
    # Pre-decision advice (DG6 chapter 7 and Annex 6); the police come back for the decision.
    EARLY_ADVICE = "early_advice", "Early advice"
    # Further information required: actions with target dates, answered by MG3A.
    ACTION_PLAN = "action_plan", "Action plan (further information required)"


FINAL_OUTCOMES = frozenset(
    {
        DecisionOutcome.CHARGE,
        DecisionOutcome.NO_FURTHER_ACTION_EVIDENTIAL,
        DecisionOutcome.NO_FURTHER_ACTION_PUBLIC_INTEREST,
        DecisionOutcome.OUT_OF_COURT_DISPOSAL,
    }
)
INTERIM_OUTCOMES = frozenset({DecisionOutcome.EARLY_ADVICE, DecisionOutcome.ACTION_PLAN})


class ChargingCategory(models.TextChoices):
    """The DG6 category given on submission (domain.md 2.2).

    [K] The Green and Green Priority definitions and their time aims (5/21/28 days [C]) are not confirmed;
    keep any timing that depends on them in settings.
    """

    # Remand case: the suspect is in custody and the police will ask for a remand.
    RED = "red", "Red (custody, remand sought)"
    # Standard case, suspect on bail or released under investigation.
    GREEN = "green", "Green"
    # Non-custody case needing a quicker decision (e.g. domestic abuse, vulnerable victim, bail conditions).
    GREEN_PRIORITY = "green_priority", "Green Priority"


class TestSought(models.TextChoices):
    """Which Code for Crown Prosecutors test the police ask the prosecutor to apply (domain.md 2.4)."""

    FULL_CODE_TEST = "full_code_test", "Full Code Test"
    # Only where the suspect is a substantial bail risk and not all the evidence is yet available.
    THRESHOLD_TEST = "threshold_test", "Threshold Test"


class AnticipatedPlea(models.TextChoices):
    """The plea the police anticipate (GAP/NGAP: domain.md 2.3); drives police charging and court listing."""

    GUILTY = "guilty", "Guilty (GAP)"
    NOT_GUILTY = "not_guilty", "Not guilty (NGAP)"
    UNKNOWN = "unknown", "Not known"


class ChargingDecider(models.TextChoices):
    """Who makes the charging decision under DG6 Annex 1 (``charging.dg6.who_decides``)."""

    POLICE = "police", "Police"
    CPS = "cps", "CPS"


class ActionItemStatus(models.TextChoices):
    """Where one action of an action plan is. The police answer every item before resubmitting (MG3A)."""

    OPEN = "open", "Not answered"
    DONE = "done", "Done"
    CANNOT_BE_DONE = "cannot_be_done", "Cannot be done"
    DISPUTED = "disputed", "Disputed"


ANSWERED_STATUSES = frozenset({ActionItemStatus.DONE, ActionItemStatus.CANNOT_BE_DONE, ActionItemStatus.DISPUTED})


class ActionItemOwner(models.TextChoices):
    """Who on the police side owns an action (domain.md 6: CPIA roles)."""

    OFFICER_IN_CASE = "officer_in_case", "Officer in case"
    DISCLOSURE_OFFICER = "disclosure_officer", "Disclosure officer"
    POLICE_SUPERVISOR = "police_supervisor", "Police supervisor"
    OTHER_POLICE = "other_police", "Another police team (for example digital forensics)"
