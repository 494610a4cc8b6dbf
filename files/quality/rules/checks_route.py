"""The checks of the charging route, venue and anticipated plea, the summary-only time limit and the
suspect's custody status (FQ13, FQ14, FQ15, FQ20). Each yields a Hit per failing item; none reads anything
but its Index.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from dateutil.relativedelta import relativedelta

from casework.choices import CaseFlag, ModeOfTrial, OffenceStatus
from casework.dg6 import dg6_label

from ...choices import AnticipatedPlea
from .facts import OffenceFact
from .findings import Hit, Link
from .index import Index, age_on, plural
from .standard import (
    CHARGED_OR_SUMMONSED,
    CRN,
    GAP,
    IN_POLICE_DETENTION,
    NGAP,
    RETAIL_THEFT_TITLE,
    S39A_CODES,
    YOUTH_AGE,
)


def _sexual_offence_involves_youth(ix: Index, offence: OffenceFact) -> bool | None:
    """True or False when the ages are known, None when a date of birth is missing."""
    suspect = ix.suspects.get(offence.suspect_id)
    people = [suspect.date_of_birth if suspect else None, *(v.date_of_birth for v in ix.facts.victims)]
    ages = [age_on(born, offence.committed_on) for born in people]
    if any(a is not None and a < YOUTH_AGE for a in ages):
        return True
    return None if any(a is None for a in ages) else False


def check_charging_route(ix: Index) -> Iterator[Hit]:
    if ix.facts.cps_decision_sought:
        return  # the CPS was asked for the charging decision
    flags = set(ix.facts.flags)
    for flag in (CaseFlag.DOMESTIC_ABUSE, CaseFlag.HATE_CRIME):
        if flag in flags and ix.active_offences:
            yield Hit(
                f"The case is flagged {flag.label.lower()}: DG6 Annex 1 reserves the charging decision to the CPS, "
                "but no pre-charge file was sent.",
                "Send a pre-charge file to the CPS for the charging decision (or record why the police could "
                "charge in an emergency).",
                Link("case"),
            )
    for offence in ix.active_offences:
        reason = ""
        advisory = False
        if offence.mode_of_trial == ModeOfTrial.INDICTABLE_ONLY:
            reason = "indictable-only offences are always charged by the CPS"
        elif offence.dg6_group == "sexual_offences_act":
            youth = _sexual_offence_involves_youth(ix, offence)
            if youth is not False:
                reason = "a Sexual Offences Act offence by or upon a person under 18 is charged by the CPS"
                advisory = youth is None
                if advisory:
                    reason += " (a date of birth is missing, so check the ages)"
        elif offence.dg6_group:
            reason = f"DG6 Annex 1 reserves it to the CPS ({dg6_label(offence.dg6_group) or offence.dg6_group})"
        elif (
            offence.mode_of_trial == ModeOfTrial.EITHER_WAY
            and ix.facts.anticipated_plea != AnticipatedPlea.GUILTY
            and not RETAIL_THEFT_TITLE.search(offence.title)
        ):
            reason = "the police may charge an either-way offence only when a guilty plea is anticipated"
        if reason:
            yield Hit(
                f"{ix.offence_label(offence)} looks police-charged, but {reason}.",
                "Send a pre-charge file to the CPS for the charging decision, or correct the offence.",
                Link("offence", offence.id),
                advisory=advisory,
            )


def check_venue_and_plea(ix: Index) -> Iterator[Hit]:
    stage, plea = ix.stage, ix.facts.anticipated_plea
    if stage == GAP and plea != AnticipatedPlea.GUILTY:
        yield Hit(
            "This is an anticipated guilty plea (GAP) file but the anticipated plea is not guilty.",
            "Start a not-guilty (NGAP) first-hearing file instead.",
            Link("case"),
        )
    if stage in {GAP, NGAP}:
        for offence in ix.active_offences:
            if offence.mode_of_trial == ModeOfTrial.INDICTABLE_ONLY:
                yield Hit(
                    f"{ix.offence_label(offence)} is indictable-only: it is not suitable for summary trial and "
                    "goes to the Crown Court.",
                    "Start a Crown Court first-hearing file instead.",
                    Link("offence", offence.id),
                )
    if stage == NGAP and plea == AnticipatedPlea.GUILTY and not ix.any_indictable_only:
        yield Hit(
            "This is a not-guilty (NGAP) file but a guilty plea is anticipated.",
            "If the case is suitable for summary trial, a GAP file is enough; an NGAP file is right only for a "
            "case not suitable for summary trial.",
            Link("case"),
            advisory=True,
        )
    if (
        stage == CRN
        and ix.active_offences
        and all(o.mode_of_trial == ModeOfTrial.SUMMARY_ONLY for o in ix.active_offences)
    ):
        yield Hit(
            "Every offence is summary-only: the case stays in the magistrates' court unless it is linked to an "
            "offence sent to the Crown Court.",
            "Check the venue: a magistrates' first-hearing file (GAP or NGAP) may be the right one.",
            Link("case_offences"),
            advisory=True,
        )


def _s39a_expiry(ix: Index, offence: OffenceFact) -> tuple[date, bool]:
    """s.39A CJA 1988: both within 2 years of the offence and 6 months of the victim's first
    statement. Returns the expiry and whether the first-statement date was known."""
    two_years = offence.last_date + relativedelta(years=2)
    statements = [v.first_statement_on for v in ix.facts.victims if v.first_statement_on is not None]
    if not statements:
        return two_years, False
    return min(two_years, min(statements) + relativedelta(months=6)), True


def check_time_limit(ix: Index) -> Iterator[Hit]:
    as_of = ix.facts.as_of
    warn = ix.thresholds.time_limit_warning_days
    for offence in ix.active_offences:
        if offence.mode_of_trial != ModeOfTrial.SUMMARY_ONLY or offence.status == OffenceStatus.CHARGED:
            continue
        suspect = ix.suspects.get(offence.suspect_id)
        if suspect is not None and suspect.custody_status in CHARGED_OR_SUMMONSED:
            continue  # charged or summonsed: the information was laid
        known = True
        if CaseFlag.DOMESTIC_ABUSE in ix.facts.flags and offence.code[:7] in S39A_CODES:
            expiry, known = _s39a_expiry(ix, offence)
            law = "s.39A Criminal Justice Act 1988"
        else:
            expiry = offence.last_date + relativedelta(months=6)
            law = "s.127 Magistrates' Courts Act 1980"
        left = (expiry - as_of).days
        label = ix.offence_label(offence)
        if left < 0:
            yield Hit(
                f"The time limit for {label} ({law}) expired on {expiry:%-d %B %Y}: it can no longer be charged.",
                "Mark the offence as not proceeded with, or correct the offence dates.",
                Link("offence", offence.id),
            )
        elif left <= warn:
            yield Hit(
                f"The time limit for {label} ({law}) expires on {expiry:%-d %B %Y}, in {plural(left, 'day')}.",
                "Charge (or lay the information) before the limit expires; tell the CPS it is urgent.",
                Link("offence", offence.id),
                advisory=True,
            )
        if not known:
            yield Hit(
                f"{label} is a domestic abuse common assault: its time limit runs from the victim's first "
                "statement, which is not recorded.",
                "Record the date the victim first gave a statement or video interview.",
                Link("case_people"),
                advisory=True,
            )


def check_custody_status(ix: Index) -> Iterator[Hit]:
    for suspect in ix.facts.suspects:
        if not suspect.custody_status:
            yield Hit(
                f"Nothing records whether {suspect.name} is in custody, on pre-charge bail or released under "
                "investigation.",
                "Record the suspect's custody or bail status in their custody history.",
                Link("suspect", suspect.id),
            )


def check_threshold_test_custody(ix: Index) -> Iterator[Hit]:
    if ix.facts.suspects and not any(s.custody_status in IN_POLICE_DETENTION for s in ix.facts.suspects):
        yield Hit(
            "A Threshold Test referral is for a suspect in custody whom the police will ask to be remanded, "
            "but no suspect is recorded as in police detention.",
            "Check the stage: a Full Code Test referral may be the right one, or record the detention.",
            Link("case_people"),
        )
