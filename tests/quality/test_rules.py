"""The file-quality rules, one at a time: for each rule a minimal failing file and the fixed one
(the table covers every rule in the catalogue), plus the rules' finer points. No database."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date

import pytest

from casework.choices import (
    CaseFlag,
    CustodyEventKind,
    ModeOfTrial,
    OffenceStatus,
    VictimPersonalStatement,
    WitnessVulnerability,
)
from files.choices import AnticipatedPlea, DocumentKind, RedactionStatus, ScanStatus, Schedule
from files.quality import rules
from files.quality.rules import (
    ADVISORY,
    BLOCKING,
    CCF,
    CRN,
    EA,
    FAILURE_CODES,
    FCT,
    GAP,
    NGAP,
    NOT_YET_CHECKABLE,
    RULES,
    STAGE_ORDER,
    TT,
    UPG,
    FileFacts,
    Finding,
    Link,
    OffenceFact,
    PointFact,
    SuspectFact,
    Thresholds,
    UncleanUploadFact,
    UnusedItemFact,
    WitnessFact,
    evaluate,
)

from .builders import AS_OF, complete, doc, with_docs, without_docs


def found(facts: FileFacts, rule_id: str, thresholds: Thresholds | None = None) -> list[Finding]:
    return [f for f in evaluate(facts, thresholds) if f.rule_id == rule_id]


@pytest.mark.parametrize("stage", STAGE_ORDER)
def test_a_complete_file_has_no_findings_at_any_stage(stage: str) -> None:
    assert evaluate(complete(stage)) == []


# ---------------------------------------------------------------------------------------------
# The rule table: each rule, a minimal failing file, the fixed one and the severity expected.


@dataclass(frozen=True)
class Case:
    rule_id: str
    stage: str
    severity: str
    broken: Callable[[FileFacts], FileFacts]
    fixed: Callable[[FileFacts], FileFacts] = lambda f: f
    plea: str | None = None

    def __str__(self) -> str:
        return f"{self.rule_id}@{self.stage}"


def offence(f: FileFacts, **changes: object) -> FileFacts:
    return replace(f, offences=(replace(f.offences[0], **changes),))


def suspect(f: FileFacts, **changes: object) -> FileFacts:
    return replace(f, suspects=(replace(f.suspects[0], **changes),))


def witness(f: FileFacts, **changes: object) -> FileFacts:
    return replace(f, witnesses=(replace(f.witnesses[0], **changes),))


def victim(f: FileFacts, **changes: object) -> FileFacts:
    return replace(f, victims=(replace(f.victims[0], **changes),))


def mg5(f: FileFacts, **changes: object) -> FileFacts:
    assert f.mg5 is not None
    return replace(f, mg5=replace(f.mg5, **changes))


def no_schedules(f: FileFacts, *schedules: str) -> FileFacts:
    kinds = {Schedule.MG6C: "d-mg6c", Schedule.MG6D: "d-mg6d"}
    f = without_docs(f, *(kinds[s] for s in schedules))
    return replace(f, unused_items=tuple(i for i in f.unused_items if i.schedule not in schedules))


CCTV_UNSCANNED = UncleanUploadFact("d-cctv", DocumentKind.CCTV, "CCTV Front Street", ScanStatus.PENDING, 1)

TABLE = [
    Case("parties", FCT, BLOCKING, lambda f: replace(f, suspects=(), offences=(), points=())),
    Case("mg1.officer_in_case", GAP, ADVISORY, lambda f: replace(f, has_officer_in_case=False)),
    Case(
        "mg4.charges",
        GAP,
        BLOCKING,
        lambda f: suspect(offence(f, status=OffenceStatus.ALLEGED), custody_status=CustodyEventKind.PRE_CHARGE_BAIL),
        lambda f: with_docs(
            suspect(offence(f, status=OffenceStatus.ALLEGED), custody_status=CustodyEventKind.PRE_CHARGE_BAIL),
            doc("d-mg4", DocumentKind.MG4, suspect_id="s1"),
        ),
    ),
    Case("mg5.present", NGAP, BLOCKING, lambda f: replace(f, mg5=None), lambda f: with_docs(f)),
    Case("mg5.certified", CRN, BLOCKING, lambda f: mg5(f, certified=False)),
    Case("mg5.certified", FCT, ADVISORY, lambda f: mg5(f, certified=False)),
    Case("ptp.mapped", FCT, BLOCKING, lambda f: replace(f, points=())),
    Case(
        "ptp.mapped",
        GAP,
        BLOCKING,
        lambda f: replace(f, points=(replace(f.points[0], document_ids=(), exhibit_ids=()),)),
    ),
    Case(
        "ptp.key_evidence",
        NGAP,
        BLOCKING,
        # The only evidence is the statement of a witness who is not a key witness.
        lambda f: replace(
            with_docs(f, doc("d-w2", DocumentKind.MG11, witness_id="w2")),
            witnesses=(*f.witnesses, WitnessFact("w2", "Non KEY", has_dates_to_avoid=True)),
            points=(PointFact("p1", "o1", "Appropriated property", document_ids=("d-w2",)),),
        ),
    ),
    Case("ptp.key_evidence", TT, ADVISORY, lambda f: replace(f, points=(PointFact("p1", "o1", "x", ("d-gone",)),))),
    Case("statements.key_witness", FCT, BLOCKING, lambda f: without_docs(f, "d-mg11")),
    Case("statements.key_witness", GAP, ADVISORY, lambda f: without_docs(f, "d-mg11")),
    Case(
        "statements.key_witness",
        UPG,
        BLOCKING,
        # At trial stages every witness needs a statement, not only the key ones.
        lambda f: replace(f, witnesses=(*f.witnesses, WitnessFact("w2", "Other WITNESS", has_dates_to_avoid=True))),
        lambda f: replace(
            with_docs(f, doc("d-w2", DocumentKind.MG11, witness_id="w2")),
            witnesses=(*f.witnesses, WitnessFact("w2", "Other WITNESS", has_dates_to_avoid=True)),
        ),
    ),
    Case("statements.key_marked", NGAP, ADVISORY, lambda f: witness(f, is_key=False)),
    Case("interview.summary", TT, BLOCKING, lambda f: without_docs(mg5(f, interview_summary_words=0), "d-mg15")),
    Case(
        "interview.summary",
        GAP,
        BLOCKING,
        lambda f: without_docs(mg5(f, interview_summary_words=0), "d-mg15"),
        lambda f: mg5(f, interview_summary_words=0),  # the record of interview will do
    ),
    Case("interview.length", GAP, ADVISORY, lambda f: mg5(f, interview_summary_words=751)),
    Case("interview.record", CRN, ADVISORY, lambda f: without_docs(f, "d-mg15")),
    Case(
        "media.key_missing",
        NGAP,
        BLOCKING,
        lambda f: replace(
            f,
            unclean_uploads=(CCTV_UNSCANNED,),
            points=(replace(f.points[0], document_ids=("d-cctv", "d-mg11")),),
        ),
        lambda f: replace(
            with_docs(f, doc("d-cctv", DocumentKind.CCTV)),
            points=(replace(f.points[0], document_ids=("d-cctv", "d-mg11")),),
        ),
    ),
    Case("media.key_missing", FCT, ADVISORY, lambda f: replace(f, unclean_uploads=(CCTV_UNSCANNED,))),
    Case("pnc.print", GAP, BLOCKING, lambda f: without_docs(f, "d-pnc")),
    Case("pnc.print", FCT, ADVISORY, lambda f: without_docs(f, "d-pnc")),
    Case("mg6.present", NGAP, ADVISORY, lambda f: without_docs(f, "d-mg6")),
    Case(
        "mg7.remand",
        GAP,
        BLOCKING,
        lambda f: without_docs(suspect(f, custody_status=CustodyEventKind.REMANDED_IN_CUSTODY), "d-mg7"),
        lambda f: suspect(f, custody_status=CustodyEventKind.REMANDED_IN_CUSTODY),
    ),
    Case("mg7.remand", TT, BLOCKING, lambda f: without_docs(f, "d-mg7")),
    Case(
        "mg2.vi_witness",
        NGAP,
        BLOCKING,
        lambda f: witness(f, vulnerability=WitnessVulnerability.VULNERABLE),
        lambda f: with_docs(
            witness(f, vulnerability=WitnessVulnerability.VULNERABLE), doc("d-mg2", DocumentKind.MG2, witness_id="w1")
        ),
    ),
    Case("mg2.vi_witness", FCT, ADVISORY, lambda f: witness(f, vulnerability=WitnessVulnerability.INTIMIDATED)),
    Case("mg9.witnesses", UPG, BLOCKING, lambda f: replace(f, witnesses=())),
    Case("mg9.witnesses", NGAP, ADVISORY, lambda f: replace(f, witnesses=())),
    Case(
        "mg10.dates_to_avoid",
        NGAP,
        BLOCKING,
        lambda f: witness(f, has_dates_to_avoid=False),
        lambda f: witness(f, has_dates_to_avoid=False, no_dates_to_avoid=True),
    ),
    Case("mg10.dates_to_avoid", CRN, ADVISORY, lambda f: witness(f, has_dates_to_avoid=False)),
    Case(
        "vps.attached",
        GAP,
        BLOCKING,
        lambda f: victim(f, personal_statement=VictimPersonalStatement.MADE),
        lambda f: with_docs(
            victim(f, personal_statement=VictimPersonalStatement.MADE),
            doc("d-vps", DocumentKind.VICTIM_PERSONAL_STATEMENT),
        ),
    ),
    Case("vps.attached", NGAP, ADVISORY, lambda f: victim(f, personal_statement=VictimPersonalStatement.MADE)),
    Case("vps.offered", GAP, ADVISORY, lambda f: victim(f, personal_statement=VictimPersonalStatement.NOT_YET_OFFERED)),
    Case("disclosure.sdc", NGAP, BLOCKING, lambda f: without_docs(f, "d-sdc")),
    Case("disclosure.sdc", UPG, BLOCKING, lambda f: without_docs(f, "d-sdc")),
    Case("disclosure.sdc_crown", CRN, ADVISORY, lambda f: with_docs(f, doc("d-sdc", DocumentKind.SDC))),
    Case(
        "disclosure.ngap_referral",
        FCT,
        BLOCKING,
        lambda f: without_docs(no_schedules(f, Schedule.MG6C), "d-sdc"),
        lambda f: no_schedules(f, Schedule.MG6C),  # an SDC will do for a case suitable for the magistrates
        plea=AnticipatedPlea.NOT_GUILTY,
    ),
    Case(
        "disclosure.ngap_referral",
        FCT,
        BLOCKING,
        # Indictable-only: only the MG6C will do.
        lambda f: offence(no_schedules(f, Schedule.MG6C), mode_of_trial=ModeOfTrial.INDICTABLE_ONLY),
        lambda f: offence(f, mode_of_trial=ModeOfTrial.INDICTABLE_ONLY),
        plea=AnticipatedPlea.NOT_GUILTY,
    ),
    Case("disclosure.mg6_schedules", CCF, BLOCKING, lambda f: no_schedules(f, Schedule.MG6D)),
    Case(
        "disclosure.mg6_schedules",
        CRN,
        BLOCKING,
        lambda f: no_schedules(f, Schedule.MG6C),
        # Schedule rows entered in Casebridge are the schedule, without an uploaded MG6C.
        lambda f: without_docs(f, "d-mg6c"),
    ),
    Case("disclosure.mg6_schedules", CRN, ADVISORY, lambda f: without_docs(f, "d-mg6e")),
    Case(
        "disclosure.rebuttable",
        UPG,
        BLOCKING,
        lambda f: with_docs(
            without_docs(f, "d-rp"), doc("d-rp", DocumentKind.OTHER, redaction_status=RedactionStatus.REQUIRED)
        ),
    ),
    Case("disclosure.rebuttable", CCF, BLOCKING, lambda f: without_docs(f, "d-rp")),
    Case("disclosure.rebuttable", NGAP, ADVISORY, lambda f: without_docs(f, "d-rp")),
    Case(
        "redaction.pending",
        GAP,
        BLOCKING,
        lambda f: with_docs(f, doc("d-x", DocumentKind.MG11, redaction_status=RedactionStatus.REQUIRED)),
        lambda f: with_docs(f, doc("d-x", DocumentKind.MG11, redaction_status=RedactionStatus.REDACTED)),
    ),
    Case(
        "route.police_charge",
        GAP,
        BLOCKING,
        lambda f: offence(replace(f, cps_decision_sought=False), dg6_group="harassment_stalking"),
        lambda f: offence(f, dg6_group="harassment_stalking"),
    ),
    Case(
        "route.police_charge",
        NGAP,
        BLOCKING,
        lambda f: replace(f, cps_decision_sought=False),  # either-way, not-guilty plea: not the police's
        lambda f: offence(replace(f, cps_decision_sought=False), mode_of_trial=ModeOfTrial.SUMMARY_ONLY),
    ),
    Case("venue.plea", GAP, BLOCKING, lambda f: offence(f, mode_of_trial=ModeOfTrial.INDICTABLE_ONLY)),
    Case("venue.plea", GAP, BLOCKING, lambda f: replace(f, anticipated_plea=AnticipatedPlea.NOT_GUILTY)),
    Case(
        "venue.plea",
        CRN,
        ADVISORY,
        lambda f: offence(f, mode_of_trial=ModeOfTrial.SUMMARY_ONLY),
        lambda f: replace(
            f,
            offences=(
                *offence(f, mode_of_trial=ModeOfTrial.SUMMARY_ONLY).offences,
                OffenceFact("o2", "s1", "OF61016", "Wounding", ModeOfTrial.INDICTABLE_ONLY, date(2026, 5, 1)),
            ),
        ),
    ),
    Case(
        "timelimit.summary",
        FCT,
        BLOCKING,
        lambda f: offence(f, mode_of_trial=ModeOfTrial.SUMMARY_ONLY, committed_on=date(2025, 11, 30)),
        lambda f: offence(f, mode_of_trial=ModeOfTrial.SUMMARY_ONLY, committed_on=date(2025, 12, 31)),
    ),
    Case(
        "timelimit.summary",
        FCT,
        ADVISORY,
        lambda f: offence(f, mode_of_trial=ModeOfTrial.SUMMARY_ONLY, committed_on=date(2025, 12, 29)),
        lambda f: offence(f, mode_of_trial=ModeOfTrial.SUMMARY_ONLY, committed_on=date(2025, 12, 29), status="charged"),
    ),
    Case("custody.status", FCT, BLOCKING, lambda f: suspect(f, custody_status="")),
    Case(
        "custody.threshold_test",
        TT,
        ADVISORY,
        lambda f: suspect(f, custody_status=CustodyEventKind.RELEASED_UNDER_INVESTIGATION),
    ),
    Case(
        "material.unclean_upload",
        GAP,
        ADVISORY,
        lambda f: replace(
            f, unclean_uploads=(UncleanUploadFact("d-mg6", DocumentKind.MG6, "MG6", ScanStatus.INFECTED, 2, 1),)
        ),
    ),
]


@pytest.mark.parametrize("case", TABLE, ids=str)
def test_rule_table(case: Case) -> None:
    base = complete(case.stage, case.plea)
    broken = case.broken(base)
    fixed = case.fixed(base)
    findings = found(broken, case.rule_id)
    assert findings, f"{case.rule_id} did not fire on the broken file"
    assert case.severity in {f.severity for f in findings}
    assert found(fixed, case.rule_id) == [], f"{case.rule_id} still fires on the fixed file"


def test_the_table_covers_every_rule() -> None:
    assert {c.rule_id for c in TABLE} == {r.id for r in RULES}


def test_rebuttable_material_unredacted_blocks_and_unconfirmed_is_advisory() -> None:
    f = complete(UPG)
    unconfirmed = replace(f, documents=(*without_docs(f, "d-rp").documents, doc("d-rp", DocumentKind.OTHER)))
    assert {x.severity for x in found(unconfirmed, "disclosure.rebuttable")} == {ADVISORY}
    unredacted = replace(
        f,
        documents=(
            *without_docs(f, "d-rp").documents,
            doc("d-rp", DocumentKind.OTHER, redaction_status=RedactionStatus.REQUIRED),
        ),
    )
    [finding] = found(unredacted, "disclosure.rebuttable")
    assert finding.severity == BLOCKING
    assert "not been redacted" in finding.explanation
    # Reported once, by FQ07, not again as a document needing redaction (FQ08).
    assert found(unredacted, "redaction.pending") == []


# ---------------------------------------------------------------------------------------------
# Finer points


def test_every_finding_says_what_why_how_and_where() -> None:
    f = replace(complete(NGAP), mg5=None, witnesses=(WitnessFact("w1", "Alan BROWN", vulnerability="vulnerable"),))
    findings = evaluate(f)
    assert findings
    for finding in findings:
        assert all((finding.rule_id, finding.reference, finding.title))
        assert all((finding.explanation.strip(), finding.fix.strip()))
        assert finding.link.kind in rules.LINK_KINDS
        assert finding.fq_code == "" or finding.fq_code in FAILURE_CODES
    mg2 = next(x for x in findings if x.rule_id == "mg2.vi_witness")
    assert (mg2.fq_code, mg2.link) == ("FQ17", Link("witness", "w1"))


def test_findings_round_trip_through_json() -> None:
    for finding in evaluate(replace(complete(GAP), mg5=None, has_officer_in_case=False)):
        assert Finding.from_dict(finding.as_dict()) == finding


def test_blocking_findings_come_first() -> None:
    findings = evaluate(replace(complete(GAP), mg5=None, has_officer_in_case=False))
    severities = [f.severity for f in findings]
    assert severities == sorted(severities, key=lambda s: s != BLOCKING)


def test_early_advice_needs_little() -> None:
    empty = FileFacts(case_id="c", stage=EA, anticipated_plea=AnticipatedPlea.UNKNOWN, as_of=AS_OF)
    assert [f for f in evaluate(empty) if f.blocking] == []


def test_pnc_print_without_a_suspect_counts_only_when_there_is_one_suspect() -> None:
    f = without_docs(complete(GAP), "d-pnc")
    unlinked = with_docs(f, doc("d-pnc", DocumentKind.PNC_PRINT))
    assert found(unlinked, "pnc.print") == []
    two = replace(unlinked, suspects=(*unlinked.suspects, SuspectFact("s2", "Jo BLOGGS", custody_status="summonsed")))
    assert [x.link for x in found(two, "pnc.print")] == [Link("suspect", "s1"), Link("suspect", "s2")]


def test_sexual_offence_reserved_to_the_cps_only_when_someone_under_18_is_involved() -> None:
    f = offence(replace(complete(GAP), cps_decision_sought=False), dg6_group="sexual_offences_act")
    adults = victim(f, date_of_birth=date(1980, 1, 1))
    assert found(adults, "route.police_charge") == []
    youth = victim(f, date_of_birth=date(2012, 1, 1))
    assert {x.severity for x in found(youth, "route.police_charge")} == {BLOCKING}
    unknown = victim(f, date_of_birth=None)
    assert {x.severity for x in found(unknown, "route.police_charge")} == {ADVISORY}


def test_police_may_charge_retail_theft_whatever_the_plea() -> None:
    f = offence(replace(complete(NGAP), cps_decision_sought=False), title="Theft from a shop")
    assert found(f, "route.police_charge") == []


def test_domestic_abuse_and_hate_crime_flags_reserve_the_charge_to_the_cps() -> None:
    f = replace(complete(GAP), cps_decision_sought=False, flags=(CaseFlag.DOMESTIC_ABUSE,))
    [finding] = found(f, "route.police_charge")
    assert "domestic abuse" in finding.explanation


def test_domestic_abuse_common_assault_runs_from_the_first_statement_s39a() -> None:
    f = offence(
        replace(complete(FCT), flags=(CaseFlag.DOMESTIC_ABUSE,)),
        code="CJ88001",
        mode_of_trial=ModeOfTrial.SUMMARY_ONLY,
        committed_on=date(2025, 1, 1),  # 17 months ago: s.127 alone would have expired
    )
    recent = victim(f, first_statement_on=date(2026, 5, 1))
    assert found(recent, "timelimit.summary") == []
    older = victim(f, first_statement_on=date(2025, 12, 20))
    [finding] = found(older, "timelimit.summary")
    assert (finding.severity, "s.39A" in finding.explanation) == (ADVISORY, True)
    unknown = found(f, "timelimit.summary")
    assert [x.link.kind for x in unknown] == ["case_people"]


def test_time_limit_warning_window_is_data() -> None:
    f = offence(complete(FCT), mode_of_trial=ModeOfTrial.SUMMARY_ONLY, committed_on=date(2025, 12, 31))
    assert found(f, "timelimit.summary", Thresholds(time_limit_warning_days=28)) == []  # 29 days left
    assert found(f, "timelimit.summary", Thresholds(time_limit_warning_days=29))


def test_the_expiry_day_itself_is_still_in_time() -> None:
    f = offence(complete(FCT), mode_of_trial=ModeOfTrial.SUMMARY_ONLY, committed_on=date(2025, 12, 1))
    [finding] = found(f, "timelimit.summary")  # expires 1 June 2026, which is AS_OF
    assert finding.severity == ADVISORY
    assert "in 0 days" in finding.explanation


def test_redaction_before_charge_can_be_switched_off() -> None:
    f = with_docs(complete(FCT), doc("d-x", DocumentKind.MG11, redaction_status=RedactionStatus.REQUIRED))
    assert found(f, "redaction.pending")
    assert found(f, "redaction.pending", Thresholds(redaction_required_pre_charge=False)) == []


def test_rebuttable_material_goes_with_a_referral_only_when_not_guilty_is_anticipated() -> None:
    f = without_docs(complete(FCT), "d-rp")
    assert found(f, "disclosure.rebuttable") == []
    assert found(replace(f, anticipated_plea=AnticipatedPlea.NOT_GUILTY), "disclosure.rebuttable")


def test_findings_about_sensitive_material_are_marked_and_do_not_name_it() -> None:
    f = replace(
        with_docs(
            complete(GAP),
            doc("d-s", DocumentKind.OTHER, title="Informant log", sensitive=True, redaction_status="required"),
        ),
        unclean_uploads=(
            UncleanUploadFact("d-s2", DocumentKind.OTHER, "CHIS contact", ScanStatus.PENDING, 1, None, True),
        ),
    )
    sensitive = [x for x in evaluate(f) if x.sensitive]
    assert {x.rule_id for x in sensitive} == {"redaction.pending", "material.unclean_upload"}
    assert not any("Informant" in x.explanation or "CHIS" in x.explanation for x in sensitive)
    item = replace(
        complete(CCF),
        unused_items=(UnusedItemFact("u9", Schedule.MG6D, 3, rebuttable_presumption=True, document_id=None),),
    )
    [rebuttable] = found(item, "disclosure.rebuttable")
    assert rebuttable.sensitive


def test_a_newer_upload_waiting_for_the_scan_is_reported_with_the_version_that_will_be_sent() -> None:
    f = replace(
        complete(GAP),
        unclean_uploads=(UncleanUploadFact("d-mg6", DocumentKind.MG6, "MG6", ScanStatus.PENDING, 2, 1),),
    )
    [finding] = found(f, "material.unclean_upload")
    assert "version 2 is waiting for the virus scan, so the file carries version 1" in finding.explanation


def test_the_matrix_has_a_cell_for_every_stage_and_rules_follow_it() -> None:
    for row in rules.NFS_MATRIX.values():
        assert set(row.cells) == set(STAGE_ORDER)
    for rule in RULES:
        assert set(rule.stages) <= set(STAGE_ORDER)
        assert set(rule.stages.values()) <= {BLOCKING, ADVISORY}
        if rule.matrix_item:
            required_somewhere = {s for s, c in rules.NFS_MATRIX[rule.matrix_item].cells.items() if c[0] != "—"}
            assert set(rule.stages) <= required_somewhere, rule.id


def test_unverified_matrix_cells_are_advisory() -> None:
    assert rules.cell_severity("M") == BLOCKING
    assert rules.cell_severity("IA") == BLOCKING
    assert rules.cell_severity("M†") == ADVISORY
    assert rules.cell_severity("—") is None
    assert rules.RULES_BY_ID["mg6.present"].stages[NGAP] == ADVISORY  # MG6 is M† at NGAP


def test_catalogue_names_every_failure_code_as_checked_or_not_yet() -> None:
    checked = {r.fq_code for r in RULES if r.fq_code}
    unchecked = {u.fq_code for u in NOT_YET_CHECKABLE if u.fq_code}
    assert checked | unchecked == set(FAILURE_CODES)
    assert {"FQ09", "FQ10", "FQ11", "FQ12", "FQ19"} <= unchecked - checked
    assert len({r.id for r in RULES}) == len(RULES)
    assert rules.RULESET_VERSION == "2026.1"


def test_gap_stage_table_is_what_the_brief_says() -> None:
    blocking_at_gap = {r.id for r in RULES if r.stages.get(GAP) == BLOCKING}
    assert {"mg5.present", "mg5.certified", "pnc.print", "route.police_charge", "venue.plea"} <= blocking_at_gap
    assert "mg10.dates_to_avoid" not in {r.id for r in RULES if GAP in r.stages}
    assert {TT, GAP, NGAP, CRN} <= set(rules.RULES_BY_ID["mg7.remand"].stages)
