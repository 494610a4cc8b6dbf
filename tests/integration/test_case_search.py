"""Case search (``casework.selectors.case_search_visible_to``): a URN finds that case alone; other text finds the
cases matching every word, each in the case's text or like a word of its people's names; the name words behind
misspellings are kept by the database, however the cases were written; and the search reads the full-text index
led by the user's scope."""

from __future__ import annotations

import pytest
from django.db import connection

from accounts.models import Organisation, Unit, User
from casework import services as s
from casework.models import Case
from casework.selectors import CaseFilters, case_search_visible_to, search_words
from tests.factories.casework import CaseFactory

pytestmark = pytest.mark.django_db


def search(user: User, query: str, sort: str = "updated") -> list[str]:
    cases = case_search_visible_to(user=user, filters=CaseFilters(query=query, sort=sort))
    return list(cases.values_list("urn", flat=True))


def with_suspect(by: User, urn: str, first: str, last: str, summary: str = "") -> Case:
    case = s.case_create(urn=urn, details=s.CaseDetails(summary=summary), by=by)
    s.suspect_add(case=case, details=s.SuspectDetails(first, last), by=by)
    return case


@pytest.fixture
def smiths(officer_a: User, unit_a1: Unit) -> dict[str, Case]:
    return {
        "john": with_suspect(officer_a, "10/AA/10001/26", "John", "Smith", "Theft from a shop"),
        "jon": with_suspect(officer_a, "10/AA/10002/26", "Jon", "Smith", "Criminal damage"),
        "mary": with_suspect(officer_a, "10/AA/10003/26", "Mary", "Smith", "Burglary of a dwelling in Jesmond"),
        "joanne": with_suspect(officer_a, "10/AA/10004/26", "Joanne", "Smyth", "Assault by beating"),
    }


# -- URN -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["10/AA/10001/26", "10aa1000126", "10 AA 10001 26", " 10-aa-10001-26 "])
def test_a_urn_in_any_format_finds_that_case_and_not_the_cases_mentioning_it(
    smiths: dict[str, Case], officer_a: User, typed: str
) -> None:
    mentions = s.case_create(
        urn="10/AA/10009/26",
        details=s.CaseDetails(summary="Linked to 10/AA/10001/26 (10AA1000126): same suspect"),
        by=officer_a,
    )
    assert search(officer_a, "10/AA/10009/26") == [mentions.urn]
    assert search(officer_a, typed) == ["10AA1000126"]
    assert search(officer_a, typed, sort="relevance") == ["10AA1000126"]


def test_a_urn_of_another_forces_case_finds_nothing(smiths: dict[str, Case], officer_b: User) -> None:
    assert search(officer_b, "10/AA/10001/26") == []


# -- words -----------------------------------------------------------------------------------------


def test_every_word_must_match_a_name_or_the_text(smiths: dict[str, Case], officer_a: User) -> None:
    assert sorted(search(officer_a, "John Smith")) == ["10AA1000126", "10AA1000226"]  # not Mary Smith
    assert sorted(search(officer_a, "smith john")) == ["10AA1000126", "10AA1000226"]
    assert search(officer_a, "Mary Smith") == ["10AA1000326"]
    assert search(officer_a, "Smith burglary") == ["10AA1000326"]  # a name and a word of the summary
    assert search(officer_a, "John burglary") == []


def test_a_single_word_finds_every_name_like_it(smiths: dict[str, Case], officer_a: User) -> None:
    assert sorted(search(officer_a, "Smith")) == ["10AA1000126", "10AA1000226", "10AA1000326", "10AA1000426"]
    assert sorted(search(officer_a, "jon")) == ["10AA1000126", "10AA1000226"]


def test_misspelt_names_are_found_word_by_word(smiths: dict[str, Case], officer_a: User) -> None:
    assert sorted(search(officer_a, "Jon Smyth")) == ["10AA1000126", "10AA1000226"]
    assert search(officer_a, "Joane Smith") == ["10AA1000426"]


def test_exact_names_rank_above_names_merely_like_them(smiths: dict[str, Case], officer_a: User) -> None:
    assert search(officer_a, "John Smith", sort="relevance") == ["10AA1000126", "10AA1000226"]
    assert search(officer_a, "Jon Smith", sort="relevance") == ["10AA1000226", "10AA1000126"]


def test_words_full_text_ignores_are_left_out_and_alone_find_nothing(smiths: dict[str, Case], officer_a: User) -> None:
    assert search(officer_a, "burglary of a dwelling") == ["10AA1000326"]
    assert search(officer_a, "of the") == []
    assert search(officer_a, "of the", sort="relevance") == []


def test_names_like_a_word_come_from_any_force_but_find_only_cases_in_scope(
    smiths: dict[str, Case], officer_b: User
) -> None:
    with_suspect(officer_b, "46/AF/20001/26", "Jonas", "Kent", "Kent case")
    assert search(officer_b, "John Smith") == []
    assert search(officer_b, "Smith") == []
    assert search(officer_b, "Jonas") == ["46AF2000126"]


# -- the name words ---------------------------------------------------------------------------------


def test_a_name_added_or_changed_through_the_services_can_be_found_misspelt(
    smiths: dict[str, Case], officer_a: User
) -> None:
    case = smiths["mary"]
    suspect = s.suspect_add(case=case, details=s.SuspectDetails("Piotr", "Kowalczyk"), by=officer_a)
    assert search(officer_a, "Kowalcyzk") == [case.urn]
    s.suspect_update(suspect=suspect, details=s.SuspectDetails("Piotr", "Wisniewski"), by=officer_a)
    assert search(officer_a, "Wisnewski") == [case.urn]


def test_cases_written_in_bulk_with_row_triggers_off_have_their_name_words(
    force_a: Organisation, unit_a1: Unit, officer_a: User
) -> None:
    """As the synthetic data generator writes them (``casework.synthetic.copy``)."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
        CaseFactory(force=force_a, unit=unit_a1, urn="10AA5555526", search_names="zebedee quarrington")
        cursor.execute("SET LOCAL session_replication_role = origin")
        cursor.execute("SELECT word FROM casework_name_word WHERE word LIKE 'quarr%%' OR word LIKE 'zebed%%'")
        assert sorted(row[0] for row in cursor.fetchall()) == ["quarrington", "zebedee"]
    [word] = search_words("Quarington")
    assert word.names_like == ("quarrington",)


def test_stop_words_and_words_with_digits_are_told_apart(smiths: dict[str, Case]) -> None:
    words = {w.text: w for w in search_words("the Smith 2019/0012345Z")}
    assert words["the"].is_stop_word
    assert not words["smith"].is_stop_word
    assert "smyth" in words["smith"].names_like
    assert words["2019/0012345z"].names_like == ()


# -- the index -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("persona", "column"), [("officer_a", "force_id"), ("lawyer_north", "cps_area_id")])
def test_the_search_compares_the_scope_as_the_index_led_by_it_needs(
    smiths: dict[str, Case], persona: str, column: str, request: pytest.FixtureRequest
) -> None:
    """The full-text indexes led by the force or Area (migration 0007) can only be used when the scope's id is
    compared as a bigint: compared as an integer, the search ANDs a bitmap of the whole force or Area with every
    match in the country (measured with EXPLAIN on 200,000 cases: see the selector)."""
    user = request.getfixturevalue(persona)
    scope_id = user.organisation.pk
    cases = case_search_visible_to(user=user, filters=CaseFilters(query="John Smith", sort="relevance"))
    sql = str(cases.query)
    assert f'"casework_case"."{column}" = ({scope_id})::bigint' in sql
    assert f'"casework_case"."{column}" = {scope_id} ' not in sql
