"""Case search (``casework.selectors.case_search_visible_to``): a URN finds that case alone; other text finds the
cases matching every word, each in the case's text or like a word of its people's names; the name words behind
misspellings are kept by the database, however the cases were written; and the search reads the full-text index
led by the user's scope."""

from __future__ import annotations

import pytest
from django.db import connection
from django.utils import timezone

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


def sent_to(case: Case, area: Organisation) -> None:
    Case.objects.filter(pk=case.pk).update(cps_area=area, sent_to_cps_at=timezone.now())


@pytest.mark.parametrize(
    ("persona", "index", "column"),
    [("officer_a", "case_force_lexemes_idx", "force_id"), ("lawyer_north", "case_area_lexemes_idx", "cps_area_id")],
)
def test_a_search_asks_for_the_words_of_its_own_scope_as_the_index_holds_them(
    smiths: dict[str, Case], persona: str, index: str, column: str, request: pytest.FixtureRequest
) -> None:
    """Each word asks for the scope's own words (migration 0009): "2:john" in force 2's index, the force's or Area's
    Johns, not every John in the country ANDed with the whole force (what a GIN index led by the scope's column
    reads: see the migration). The planner uses an expression index only for the very expression it holds (the
    plan at a million cases is in ``benchmarks/case_list.py``'s figures; on a few rows any index will do)."""
    user = request.getfixturevalue(persona)
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = %s", [index])
        [(definition,)] = cursor.fetchall()
    assert f"gin (casework_scoped_lexemes({column}, search_vector))" in definition
    cases = case_search_visible_to(user=user, filters=CaseFilters(query="John Smith", sort="relevance"))
    where = str(cases.query).split(" WHERE ", 1)[1]  # parameters written unquoted: ARRAY[2:john, 2:jon]
    scoped = f'casework_scoped_lexemes("casework_case"."{column}", "casework_case"."search_vector") && '
    scope_id = user.organisation.pk
    assert f"{scoped}(ARRAY[{scope_id}:john, {scope_id}:jon])::text[]" in where
    assert f"{scoped}(ARRAY[{scope_id}:smith, {scope_id}:smyth])::text[]" in where
    assert "search_vector @@" not in where  # one lexeme each: the scope's words alone decide
    # The scope's id is in its words, not asked again (see case_search_visible_to: the planner took the two for
    # independent and ANDed a bitmap of the whole force in).
    assert f'"casework_case"."{column}" =' not in where


def test_an_officer_narrowed_to_their_unit_finds_their_units_cases_only(
    officer_a: User, officer_a2: User, supervisor_a: User
) -> None:
    Organisation.objects.filter(pk=officer_a.organisation_id).update(restrict_police_to_unit=True)
    for user in (officer_a, officer_a2, supervisor_a):
        user.refresh_from_db()
    ours = with_suspect(supervisor_a, "10/AA/10021/26", "Kieran", "Doyle")
    theirs = with_suspect(supervisor_a, "10/AB/10022/26", "Kieran", "Doyle")
    assert search(officer_a, "Kieran Doyle") == [ours.urn]
    assert search(officer_a2, "Kieran Doyle") == [theirs.urn]
    assert sorted(search(supervisor_a, "Kieran Doyle")) == sorted([ours.urn, theirs.urn])


def test_cps_direct_finds_the_cases_sent_to_it_through_its_own_index(
    smiths: dict[str, Case], area_north: Organisation, lawyer_cpsd: User, lawyer_north: User
) -> None:
    sent_to(smiths["john"], area_north)
    assert search(lawyer_cpsd, "John Smith") == []
    Case.objects.filter(pk=smiths["jon"].pk).update(sent_to_cps_at=timezone.now(), sent_to_cps_direct=True)
    assert search(lawyer_cpsd, "John Smith") == ["10AA1000226"]
    assert sorted(search(lawyer_north, "John Smith")) == ["10AA1000126", "10AA1000226"]  # both sent, to its Area


def test_the_words_of_a_case_move_with_it_to_the_area_it_is_sent_to(
    smiths: dict[str, Case], area_north: Organisation, area_south: Organisation, lawyer_north: User, lawyer_south: User
) -> None:
    assert search(lawyer_north, "Mary Smith") == []  # not sent yet
    sent_to(smiths["mary"], area_north)
    assert search(lawyer_north, "Mary Smith") == ["10AA1000326"]
    assert search(lawyer_north, "Smyth") == ["10AA1000326"]  # a name like it, in the Area's own words
    assert search(lawyer_south, "Mary Smith") == []
    sent_to(smiths["mary"], area_south)
    assert search(lawyer_north, "Mary Smith") == []
    assert search(lawyer_south, "Mary Smith") == ["10AA1000326"]


def test_a_word_of_several_lexemes_must_match_as_typed_not_just_by_one_of_them(officer_a: User) -> None:
    """ "AB-12" is the lexemes 'ab-12', 'ab' and '12' in a row: the scope's words find the cases holding any of them,
    and full text then keeps those where they stand together."""
    together = s.case_create(urn="10/AA/10011/26", details=s.CaseDetails(summary="Exhibit JB-2A seized"), by=officer_a)
    s.case_create(urn="10/AA/10012/26", details=s.CaseDetails(summary="Exhibits JB and 2A seized"), by=officer_a)
    [word] = search_words("JB-2A")
    assert not word.one_lexeme_each
    assert set(word.lexemes) == {"jb-2a", "jb", "2a"}
    assert search(officer_a, "JB-2A") == [together.urn]
    assert sorted(search(officer_a, "exhibit seized")) == ["10AA1001126", "10AA1001226"]
