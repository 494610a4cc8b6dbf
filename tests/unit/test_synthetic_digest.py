"""The synthetic generator writes each quality report's inputs digest itself (``casework.synthetic.digest``):
it must be the application's own (``files.quality.facts.inputs_digest``), or a file's report would look out of
date to ``refresh_report`` and the checks would run again on every generated draft."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from casework.choices import CaseFlag, CustodyEventKind, WitnessVulnerability
from casework.synthetic.digest import inputs_digest
from files.choices import AnticipatedPlea, DocumentKind, FileStage, Schedule
from files.quality.facts import inputs_digest as application_digest
from files.quality.rules import (
    CaseSummaryFact,
    DocumentFact,
    ExhibitFact,
    FileFacts,
    OffenceFact,
    PointFact,
    SuspectFact,
    Thresholds,
    UncleanUploadFact,
    UnusedItemFact,
    VictimFact,
    WitnessFact,
)

# Ids: mostly UUIDs as the generator makes them, sometimes short or repeated ones (the digest then sorts as the
# application does, by repr); text with quotes, backslashes, tabs and non-ASCII letters.
uuids = st.uuids().map(str)
ids = st.one_of(uuids, uuids, st.sampled_from(["a", "b", "a-1", "same"]))
texts = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=12)
days = st.dates(min_value=date(1940, 1, 1), max_value=date(2030, 12, 31))
maybe_days = st.none() | days
id_tuples = st.lists(ids, max_size=3).map(tuple)


def _tuples(strategy: st.SearchStrategy[object]) -> st.SearchStrategy[tuple[object, ...]]:
    return st.lists(strategy, max_size=4).map(tuple)


suspects = st.builds(
    SuspectFact,
    id=ids,
    name=texts,
    date_of_birth=maybe_days,
    pnc_id=texts,
    custody_status=st.sampled_from(["", *CustodyEventKind]),
)
offences = st.builds(
    OffenceFact,
    id=ids,
    suspect_id=ids,
    code=texts,
    title=texts,
    mode_of_trial=st.sampled_from(["summary_only", "either_way", "indictable_only"]),
    committed_on=days,
    committed_until=maybe_days,
    dg6_group=texts,
    status=st.sampled_from(["alleged", "charged", "not_proceeded"]),
)
witnesses = st.builds(
    WitnessFact,
    id=ids,
    name=texts,
    is_key=st.booleans(),
    vulnerability=st.sampled_from(WitnessVulnerability),
    has_dates_to_avoid=st.booleans(),
    no_dates_to_avoid=st.booleans(),
)
victims = st.builds(
    VictimFact,
    id=ids,
    name=texts,
    date_of_birth=maybe_days,
    is_organisation=st.booleans(),
    personal_statement=texts,
    first_statement_on=maybe_days,
)
documents = st.builds(
    DocumentFact,
    id=ids,
    kind=st.sampled_from(DocumentKind),
    title=texts,
    version_id=ids,
    version_number=st.integers(1, 5),
    sha256=texts,
    witness_id=st.none() | ids,
    suspect_id=st.none() | ids,
    redaction_status=texts,
    redaction_confirmed=st.booleans(),
    sensitive=st.booleans(),
)
unclean = st.builds(
    UncleanUploadFact,
    document_id=ids,
    kind=st.sampled_from(DocumentKind),
    title=texts,
    scan_status=st.sampled_from(["pending", "infected"]),
    newest_number=st.integers(1, 5),
    clean_number=st.none() | st.integers(1, 5),
    sensitive=st.booleans(),
)
exhibits = st.builds(ExhibitFact, id=ids, reference=texts, document_ids=id_tuples)
unused = st.builds(
    UnusedItemFact,
    id=ids,
    schedule=st.sampled_from(Schedule),
    item_number=st.integers(1, 9),
    rebuttable_presumption=st.booleans(),
    document_id=st.none() | ids,
)
points = st.builds(PointFact, id=ids, offence_id=ids, text=texts, document_ids=id_tuples, exhibit_ids=id_tuples)
files = st.builds(
    FileFacts,
    case_id=uuids,
    stage=st.sampled_from(FileStage),
    anticipated_plea=st.sampled_from(AnticipatedPlea),
    as_of=days,
    flags=st.lists(st.sampled_from(CaseFlag), unique=True).map(tuple),
    has_officer_in_case=st.booleans(),
    cps_decision_sought=st.booleans(),
    suspects=_tuples(suspects),
    offences=_tuples(offences),
    witnesses=_tuples(witnesses),
    victims=_tuples(victims),
    documents=_tuples(documents),
    unclean_uploads=_tuples(unclean),
    exhibits=_tuples(exhibits),
    unused_items=_tuples(unused),
    points=_tuples(points),
    mg5=st.none()
    | st.builds(
        CaseSummaryFact,
        has_summary=st.booleans(),
        interview_summary_words=st.integers(0, 900),
        certified=st.booleans(),
    ),
)


@settings(max_examples=300, deadline=None)
@given(facts=files, words=st.integers(100, 1000))
def test_the_generators_inputs_digest_is_the_applications(facts: FileFacts, words: int) -> None:
    thresholds = Thresholds(interview_summary_max_words=words)
    assert inputs_digest(facts, thresholds) == application_digest(facts, thresholds)


def test_a_file_with_nothing_in_it_has_the_applications_digest() -> None:
    facts = FileFacts(case_id="c", stage=FileStage.PRE_CHARGE_FCT, anticipated_plea="guilty", as_of=date(2026, 1, 2))
    assert inputs_digest(facts, Thresholds()) == application_digest(facts, Thresholds())
