"""The rule catalogue: each ``Rule`` with its FQ code, reference and stage table (``RULES``, in the order
findings are listed), and the parts of the standard not checked yet, with the reason (``NOT_YET_CHECKABLE``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from .checks_disclosure import (
    check_crown_schedules,
    check_ngap_referral_schedules,
    check_rebuttable,
    check_redaction_pending,
    check_sdc,
    check_sdc_in_crown,
)
from .checks_evidence import (
    check_dates_to_avoid,
    check_interview_length,
    check_interview_record,
    check_interview_summary,
    check_key_media,
    check_key_statements,
    check_key_witness_marked,
    check_mg2,
    check_mg6,
    check_mg7,
    check_pnc_print,
    check_unclean_uploads,
    check_vps_attached,
    check_vps_offered,
    check_witness_list,
)
from .checks_route import (
    check_charging_route,
    check_custody_status,
    check_threshold_test_custody,
    check_time_limit,
    check_venue_and_plea,
)
from .checks_summary import (
    check_charges,
    check_mg5_certified,
    check_mg5_present,
    check_officer_in_case,
    check_parties,
    check_points_key_evidence,
    check_points_mapped,
)
from .index import Check
from .standard import ADVISORY, CCF, CRN, EA, FCT, GAP, NGAP, STAGE_ORDER, TT, stages, stages_from


@dataclass(frozen=True)
class Rule:
    id: str
    title: str
    fq_code: str
    reference: str
    stages: Mapping[str, str]
    check: Check
    matrix_item: str = ""


def _rule(
    rule_id: str,
    title: str,
    fq_code: str,
    reference: str,
    check: Check,
    *,
    matrix: str = "",
    overrides: Mapping[str, str | None] | None = None,
    table: Mapping[str, str] | None = None,
) -> Rule:
    if table is None:
        table = stages_from(matrix, overrides)
    return Rule(rule_id, title, fq_code, reference, dict(table), check, matrix)


NOT_GAP_OR_EA = {EA: None}

RULES: tuple[Rule, ...] = (
    _rule("parties", "Suspect and offence recorded", "", "DG6 NFS 3.2; MG1/MG4", check_parties,
          matrix="Suspect and offence (DG6 NFS 3.2)"),
    _rule("mg1.officer_in_case", "Officer in case named (MG1)", "", "NFS: MG1 front sheet †", check_officer_in_case,
          matrix="MG1 front sheet"),
    _rule("mg4.charges", "Charges recorded (MG4)", "", "NFS: MG4 charges / MG4D-E requisition", check_charges,
          matrix="MG4 charges"),
    _rule("mg5.present", "MG5 case summary written", "FQ01", "NFS: MG5 police report", check_mg5_present,
          matrix="MG5 police report", overrides={FCT: None}),
    _rule("mg5.certified", "MG5 certified by a supervisor", "FQ01", "NFS: MG5 supervisor certification (MoG)",
          check_mg5_certified, matrix="MG5 police report"),
    _rule("ptp.mapped", "Points to prove mapped to evidence", "FQ02", "NFS: MG5 points to prove; DG6 NFS 3.2",
          check_points_mapped, matrix="Points to prove mapped to evidence"),
    # TT: only the key evidence available now is expected; GAP: the IDPC may rely on the MG5.
    _rule("ptp.key_evidence", "Each point to prove has key evidence in the file", "FQ04",
          "NFS 3.3: key evidence proves each point to prove", check_points_key_evidence,
          matrix="Points to prove mapped to evidence", overrides={TT: ADVISORY, GAP: ADVISORY}),
    _rule("statements.key_witness", "Statements of key witnesses (all witnesses at trial stages)", "FQ04",
          "NFS: MG11 key witness statements / ABE", check_key_statements,
          matrix="Key witness statements (MG11/ABE)", overrides={EA: None}),
    _rule("statements.key_marked", "Key witnesses identified", "FQ04", "NFS: key vs non-key witnesses",
          check_key_witness_marked, table=stages(advisory=(FCT, TT, NGAP, CRN))),
    _rule("interview.summary", "Interview summary present", "FQ03", "NFS: interview summary (MG5/MG3)",
          check_interview_summary, matrix="Interview summary", overrides={EA: None}),
    _rule("interview.length", "Interview summary is a summary", "FQ03", "NFS: interview summary, not a transcript",
          check_interview_length, table=stages(advisory=(FCT, TT, GAP, NGAP, CRN))),
    _rule("interview.record", "Record of interview (MG15)", "FQ03", "NFS: MG15 ROTI/SDN †", check_interview_record,
          matrix="Record of interview (MG15)"),
    # EA and TT (only what is available) and GAP (the IDPC may rely on the MG5) are advisory.
    _rule("media.key_missing", "Key media in the file", "FQ05", "NFS: key exhibits (BWV, CCTV, 999, photographs)",
          check_key_media, matrix="Key exhibits (BWV, CCTV, 999, photos, medical)",
          overrides={EA: ADVISORY, TT: ADVISORY, GAP: ADVISORY}),
    _rule("pnc.print", "PNC print for each suspect", "FQ18", "NFS: previous convictions for the IDPC (CrimPR Part 8)",
          check_pnc_print, matrix="PNC print (previous convictions)", overrides={EA: None}),
    _rule("mg6.present", "MG6 case file information", "", "NFS: MG6 †", check_mg6,
          matrix="MG6 case file information", overrides={EA: None}),
    _rule("mg7.remand", "MG7 remand application for a suspect in custody", "", "NFS: MG7 remand application",
          check_mg7, matrix="MG7 remand application"),
    # Pre-charge the MG2 is "if applicable": advisory (the brief: blocking at NGAP and Crown stages).
    _rule("mg2.vi_witness", "MG2 for each vulnerable or intimidated witness", "FQ17",
          "NFS: MG2 per V&I witness (YJCEA 1999 ss.16-17)", check_mg2, matrix="MG2 special measures",
          overrides={FCT: ADVISORY, TT: ADVISORY}),
    _rule("mg9.witnesses", "Witnesses recorded (MG9)", "", "NFS: MG9 witness list", check_witness_list,
          matrix="MG9 witness list"),
    _rule("mg10.dates_to_avoid", "Dates to avoid for every witness", "FQ16", "NFS: MG10 / MG11 rear dates to avoid",
          check_dates_to_avoid, matrix="MG10 dates to avoid"),
    _rule("vps.attached", "Victim personal statements in the file", "", "NFS: MG11 VPS; Victims' Code right 7",
          check_vps_attached, matrix="Victim personal statement"),
    _rule("vps.offered", "Victim offered a personal statement", "", "Victims' Code right 7",
          check_vps_offered, table=stages(advisory=(GAP, NGAP, CRN))),
    _rule("disclosure.sdc", "Streamlined Disclosure Certificate", "FQ06",
          "CPS Streamlined Summary Disclosure guidance", check_sdc, matrix="Streamlined disclosure certificate",
          overrides={FCT: None, TT: None}),
    _rule("disclosure.sdc_crown", "No SDC in a Crown Court file", "FQ06",
          "CPS Streamlined Summary Disclosure guidance", check_sdc_in_crown, table=stages(advisory=(CRN, CCF))),
    _rule("disclosure.ngap_referral", "Unused material schedules with a not-guilty referral", "FQ06",
          "AG Guidelines on Disclosure para 71; DG6 NFS 3.2", check_ngap_referral_schedules,
          table=stages(blocking=(FCT,))),
    _rule("disclosure.mg6_schedules", "MG6C, MG6D and MG6E", "FQ06", "CPIA 1996 Code of Practice; NFS MG6 series",
          check_crown_schedules, table=stages(blocking=(CRN, CCF))),
    _rule("disclosure.rebuttable", "Rebuttable-presumption material present and redacted", "FQ07",
          "AG Guidelines Annex A; DG6 NFS 3.2", check_rebuttable, matrix="Rebuttable-presumption material"),
    _rule("redaction.pending", "Documents needing redaction are redacted", "FQ08",
          "DPA 2018 Part 3; Joint Principles for Redaction", check_redaction_pending,
          matrix="Redaction per the Joint Principles"),
    _rule("route.police_charge", "Police charged only what DG6 allows", "FQ13", "DG6 Annex 1 (domain.md 2.3)",
          check_charging_route, table=stages(blocking=(GAP, NGAP, CRN))),
    _rule("venue.plea", "Anticipated plea and venue consistent", "FQ14", "DG6; TSJ listing (GAP/NGAP); s.51 CDA 1998",
          check_venue_and_plea, table=stages(blocking=(GAP, NGAP, CRN))),
    _rule("timelimit.summary", "Summary-only time limit not at risk", "FQ20",
          "s.127 MCA 1980; s.39A CJA 1988", check_time_limit, table=stages(blocking=STAGE_ORDER)),
    _rule("custody.status", "Custody, bail or RUI status recorded", "FQ15", "DG6 NFS 3.2 (suspect bail/RUI status)",
          check_custody_status, table=stages(blocking=(FCT, TT))),
    _rule("custody.threshold_test", "Threshold Test only for a suspect in custody", "",
          "Code for Crown Prosecutors 5 (Threshold Test)", check_threshold_test_custody, table=stages(advisory=(TT,))),
    _rule("material.unclean_upload", "Uploads waiting for the virus scan or quarantined", "",
          "Casebridge: only clean versions are sent", check_unclean_uploads, table=stages(advisory=STAGE_ORDER)),
)  # fmt: skip

RULES_BY_ID: dict[str, Rule] = {rule.id: rule for rule in RULES}
RULE_ORDER: dict[str, int] = {rule.id: n for n, rule in enumerate(RULES)}


@dataclass(frozen=True)
class Unchecked:
    """A part of the standard the rule set does not check yet, and why."""

    id: str
    fq_code: str
    title: str
    reason: str


NOT_YET_CHECKABLE: tuple[Unchecked, ...] = (
    Unchecked("mg3.present", "", "MG3 report to the CPS", "The MG3 is the charging referral (the charging feature)."),
    Unchecked("mg5.balanced", "FQ02", "Summary balanced and chronological", "A judgement on free text."),
    Unchecked("media.flagged", "FQ05", "Media flagged as existing on the MG6/MG3 attached or with a target date",
              "Needs the MG3's outstanding-evidence list; only uploaded media is checked."),
    Unchecked("pii.scan", "FQ08", "Personal data left in disclosable documents",
              "Needs a personal-data scan of document text; only the redaction flags are checked."),
    Unchecked("mg3.outstanding_evidence", "FQ09", "Outstanding evidence has target dates", "Needs the MG3."),
    Unchecked("mg3.lines_of_inquiry", "FQ10", "Reasonable lines of inquiry and rationale", "Needs the MG3."),
    Unchecked("mg3.defence_case", "FQ11", "Defence case set out", "Needs the MG3."),
    Unchecked("mg3.digital_strategy", "FQ12", "Digital strategy", "Needs the MG3 and a record of devices seized."),
    Unchecked("mg3.pace_clock", "FQ15", "PACE clock status on the MG3",
              "Needs the MG3; the suspect's custody/bail status is checked (custody.status)."),
    Unchecked("action_plan.unanswered", "FQ19", "Action plan items answered by their target date",
              "Action plans belong to the charging feature; an alert, not a file check."),
    Unchecked("mg5.common_law_disclosure", "", "Common-law (ex p. Lee) disclosure endorsement on the MG5",
              "The MG5 has no field for the endorsement yet."),
    Unchecked("mg6b.misconduct", "", "MG6B officer misconduct record", "Only when matters exist; no data says so."),
    Unchecked("mg12.exhibit_list", "", "MG12 exhibit list", "Generated from the exhibit register: always present."),
    Unchecked("mg13_16_18_19", "", "MG13 orders, MG16 bad character, MG18 TICs, MG19 compensation",
              "If applicable, and nothing in the data says when they apply."),
    Unchecked("forensic.sfr", "", "MG21/MG21A forensic submissions, SFR1/SFR2", "No record of forensic submissions."),
)  # fmt: skip
