"""Invariants of the rule set over arbitrary files (hypothesis). No database."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from casework.choices import (
    CaseFlag,
    CustodyEventKind,
    ModeOfTrial,
    OffenceStatus,
    VictimPersonalStatement,
    WitnessVulnerability,
)
from files.choices import AnticipatedPlea, DocumentKind, RedactionStatus, ScanStatus, Schedule
from files.quality.rules import (
    ADVISORY,
    BLOCKING,
    FAILURE_CODES,
    LINK_KINDS,
    RULES_BY_ID,
    STAGE_ORDER,
    CaseSummaryFact,
    DocumentFact,
    ExhibitFact,
    FileFacts,
    OffenceFact,
    PointFact,
    SuspectFact,
    UncleanUploadFact,
    UnusedItemFact,
    VictimFact,
    WitnessFact,
    counts,
    evaluate,
)

SUSPECTS = ["s1", "s2"]
OFFENCES = ["o1", "o2", "o3"]
WITNESSES = ["w1", "w2", "w3"]
DOCUMENTS = ["d1", "d2", "d3", "d4", "d5", "d6"]
EXHIBITS = ["e1", "e2"]
dates = st.dates(min_value=date(2000, 1, 1), max_value=date(2027, 12, 31))
maybe_dates = st.none() | dates
names = st.sampled_from(["Ann ONE", "Bob TWO", "Cy THREE"])

suspects = st.builds(
    SuspectFact,
    id=st.sampled_from(SUSPECTS),
    name=names,
    date_of_birth=maybe_dates,
    pnc_id=st.just(""),
    custody_status=st.sampled_from(["", *CustodyEventKind.values]),
)
offences = st.builds(
    OffenceFact,
    id=st.sampled_from(OFFENCES),
    suspect_id=st.sampled_from(SUSPECTS),
    code=st.sampled_from(["CJ88001", "TH68001", "OF61016", "PH97003"]),
    title=st.sampled_from(["Common assault", "Theft from a shop", "Wounding", "Harassment"]),
    mode_of_trial=st.sampled_from(ModeOfTrial.values),
    committed_on=dates,
    committed_until=maybe_dates,
    dg6_group=st.sampled_from(["", "gbh_abh", "sexual_offences_act", "harassment_stalking"]),
    status=st.sampled_from(OffenceStatus.values),
)
witnesses = st.builds(
    WitnessFact,
    id=st.sampled_from(WITNESSES),
    name=names,
    is_key=st.booleans(),
    vulnerability=st.sampled_from(WitnessVulnerability.values),
    has_dates_to_avoid=st.booleans(),
    no_dates_to_avoid=st.booleans(),
)
victims = st.builds(
    VictimFact,
    id=st.sampled_from(["v1", "v2"]),
    name=names,
    date_of_birth=maybe_dates,
    is_organisation=st.booleans(),
    personal_statement=st.sampled_from(VictimPersonalStatement.values),
    first_statement_on=maybe_dates,
)
kinds = st.sampled_from(DocumentKind.values)


def documents(ids: st.SearchStrategy[str], redaction: st.SearchStrategy[str]) -> st.SearchStrategy[DocumentFact]:
    return st.builds(
        DocumentFact,
        id=ids,
        kind=kinds,
        title=st.just("A document"),
        version_id=st.just("v"),
        version_number=st.integers(1, 3),
        sha256=st.just("0" * 64),
        witness_id=st.none() | st.sampled_from(WITNESSES),
        suspect_id=st.none() | st.sampled_from(SUSPECTS),
        redaction_status=redaction,
        redaction_confirmed=st.booleans(),
        sensitive=st.booleans(),
    )


unclean = st.builds(
    UncleanUploadFact,
    document_id=st.sampled_from(DOCUMENTS),
    kind=kinds,
    title=st.just("An upload"),
    scan_status=st.sampled_from([ScanStatus.PENDING, ScanStatus.INFECTED, ScanStatus.FAILED]),
    newest_number=st.integers(1, 3),
    clean_number=st.none() | st.integers(1, 2),
    sensitive=st.booleans(),
)
id_tuples = st.lists(st.sampled_from([*DOCUMENTS, "missing"]), max_size=3, unique=True).map(tuple)
points = st.builds(
    PointFact,
    id=st.sampled_from(["p1", "p2", "p3"]),
    offence_id=st.sampled_from([*OFFENCES, "gone"]),
    text=st.just("A point"),
    document_ids=id_tuples,
    exhibit_ids=st.lists(st.sampled_from([*EXHIBITS, "gone"]), max_size=2, unique=True).map(tuple),
)
unused = st.builds(
    UnusedItemFact,
    id=st.sampled_from(["u1", "u2", "u3"]),
    schedule=st.sampled_from(Schedule.values),
    item_number=st.integers(1, 5),
    rebuttable_presumption=st.booleans(),
    document_id=st.none() | st.sampled_from([*DOCUMENTS, "missing"]),
)


def unique(strategy: st.SearchStrategy[object], max_size: int = 3) -> st.SearchStrategy[tuple[object, ...]]:
    return st.lists(strategy, max_size=max_size, unique_by=lambda x: x.id).map(tuple)  # type: ignore[attr-defined]


files = st.builds(
    FileFacts,
    case_id=st.just("case"),
    stage=st.sampled_from(STAGE_ORDER),
    anticipated_plea=st.sampled_from(AnticipatedPlea.values),
    as_of=dates,
    flags=st.lists(st.sampled_from(CaseFlag.values), max_size=2, unique=True).map(tuple),
    has_officer_in_case=st.booleans(),
    cps_decision_sought=st.booleans(),
    suspects=unique(suspects, 2),
    offences=unique(offences),
    witnesses=unique(witnesses),
    victims=unique(victims, 2),
    documents=unique(documents(st.sampled_from(DOCUMENTS), st.sampled_from(RedactionStatus.values)), 6),
    unclean_uploads=st.lists(unclean, max_size=2, unique_by=lambda u: u.document_id).map(tuple),
    exhibits=unique(st.builds(ExhibitFact, id=st.sampled_from(EXHIBITS), reference=st.just("AB/1")), 2),
    unused_items=unique(unused),
    points=unique(points),
    mg5=st.none()
    | st.builds(
        CaseSummaryFact,
        has_summary=st.booleans(),
        interview_summary_words=st.integers(0, 2000),
        certified=st.booleans(),
    ),
)
# A document that needs nothing doing to it: clean, and redacted or not needing redaction.
good_documents = documents(
    st.sampled_from(["new1", "new2", "missing"]),
    st.sampled_from([RedactionStatus.NOT_REQUIRED, RedactionStatus.REDACTED]),
)


def blocking_keys(facts: FileFacts) -> set[str]:
    return {f.key for f in evaluate(facts) if f.blocking}


@settings(max_examples=300)
@given(files)
def test_findings_are_deterministic(facts: FileFacts) -> None:
    assert evaluate(facts) == evaluate(facts)


@settings(max_examples=200)
@given(files, st.randoms(use_true_random=False))
def test_findings_do_not_depend_on_the_order_things_were_recorded(facts: FileFacts, random: object) -> None:
    def shuffled(values: tuple[object, ...]) -> tuple[object, ...]:
        items = list(values)
        random.shuffle(items)  # type: ignore[attr-defined]
        return tuple(items)

    reordered = replace(
        facts,
        suspects=shuffled(facts.suspects),  # type: ignore[arg-type]
        offences=shuffled(facts.offences),  # type: ignore[arg-type]
        witnesses=shuffled(facts.witnesses),  # type: ignore[arg-type]
        documents=shuffled(facts.documents),  # type: ignore[arg-type]
        points=shuffled(facts.points),  # type: ignore[arg-type]
        unused_items=shuffled(facts.unused_items),  # type: ignore[arg-type]
        victims=shuffled(facts.victims),  # type: ignore[arg-type]
        exhibits=shuffled(facts.exhibits),  # type: ignore[arg-type]
        unclean_uploads=shuffled(facts.unclean_uploads),  # type: ignore[arg-type]
    )
    assert evaluate(reordered) == evaluate(facts)


@settings(max_examples=300)
@given(files)
def test_every_finding_is_well_formed_and_no_more_severe_than_its_rule_allows(facts: FileFacts) -> None:
    findings = evaluate(facts)
    for finding in findings:
        rule = RULES_BY_ID[finding.rule_id]
        assert facts.stage in rule.stages
        assert finding.severity in {BLOCKING, ADVISORY}
        if rule.stages[facts.stage] == ADVISORY:
            assert finding.severity == ADVISORY
        assert finding.fq_code == rule.fq_code
        assert finding.fq_code in {"", *FAILURE_CODES}
        assert finding.link.kind in LINK_KINDS
        assert all((finding.explanation, finding.fix))
    blocking, advisory = counts(findings)
    assert blocking + advisory == len(findings)
    assert len({(f.key, f.explanation) for f in findings}) == len(findings)


@settings(max_examples=400)
@given(files, good_documents)
def test_adding_a_document_never_adds_a_blocking_finding(facts: FileFacts, document: DocumentFact) -> None:
    if any(d.id == document.id for d in facts.documents):
        return
    more = replace(facts, documents=(*facts.documents, document))
    assert blocking_keys(more) <= blocking_keys(facts)


@settings(max_examples=200)
@given(files)
def test_certifying_the_mg5_and_recording_dates_to_avoid_never_add_a_blocking_finding(facts: FileFacts) -> None:
    better = replace(
        facts,
        mg5=replace(facts.mg5, certified=True) if facts.mg5 else None,
        witnesses=tuple(replace(w, no_dates_to_avoid=True) for w in facts.witnesses),
    )
    assert blocking_keys(better) <= blocking_keys(facts)


@settings(max_examples=200)
@given(files)
def test_linking_an_exhibit_to_every_point_never_adds_a_blocking_finding(facts: FileFacts) -> None:
    exhibits = facts.exhibits or (ExhibitFact("e1", "AB/1"),)
    better = replace(
        facts,
        exhibits=exhibits,
        points=tuple(replace(p, exhibit_ids=tuple(sorted({*p.exhibit_ids, exhibits[0].id}))) for p in facts.points),
    )
    assert blocking_keys(better) <= blocking_keys(facts)


@settings(max_examples=200)
@given(files)
def test_early_advice_blocks_only_on_an_expired_time_limit(facts: FileFacts) -> None:
    advice = replace(facts, stage=STAGE_ORDER[0])
    assert {f.rule_id for f in evaluate(advice) if f.blocking} <= {"timelimit.summary"}
