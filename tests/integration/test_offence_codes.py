"""The CJS offence code list: loaded from the MoJ standing-data extract, searched by code or words.

Loading all 30,000 codes takes a few seconds, so one test loads the whole extract (counts, modes of
trial, idempotence, the query plans); the others load the codes of a few Acts from the same extract.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from accounts.reference import loader
from casework import offence_codes
from casework.choices import ModeOfTrial
from casework.models import OffenceCode
from casework.offence_codes import load_offence_codes, mode_of_trial_for, offence_code_get, offence_code_search

pytestmark = pytest.mark.django_db

SUBSET_PREFIXES = ("CJ88", "TH68", "PH97", "PU86", "OF61", "COML", "LG03", "SX03", "0101AP", "14PU", "1212PH")


@cache
def extract() -> tuple[dict[str, Any], ...]:
    return tuple(loader.read_extract("offence-codes"))


def use_extract(monkeypatch: pytest.MonkeyPatch, rows: list[dict[str, Any]]) -> None:
    monkeypatch.setattr(offence_codes, "read_extract", lambda name: rows)


@pytest.fixture
def subset(db: None, monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """The codes of a few Acts, straight from the real extract, loaded by the real loader."""
    rows = [row for row in extract() if row["code"].startswith(SUBSET_PREFIXES)]
    use_extract(monkeypatch, rows)
    load_offence_codes()
    return rows


def codes(rows: list[OffenceCode]) -> list[str]:
    return [row.code for row in rows]


def plan(query: str, marker: str) -> str:
    """The query plan of the search step whose SQL contains ``marker``, as the search runs it."""
    with CaptureQueriesContext(connection) as ctx:
        offence_code_search(query=query)
    [sql] = [q["sql"] for q in ctx.captured_queries if q["sql"].startswith("SELECT") and marker in q["sql"]]
    with transaction.atomic(), connection.cursor() as cursor:
        if marker == "%>":  # see offence_codes._similar_titles
            cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql)
        return "\n".join(row[0] for row in cursor.fetchall())


def test_the_whole_extract_loads_once_with_modes_of_trial_groups_and_indexed_search() -> None:
    first = load_offence_codes()
    assert first["total"] >= 30_000
    assert first["created"] == first["total"]
    assert OffenceCode.objects.filter(is_active=True).count() == first["total"]

    sample = {"CJ88001", "TH68001", "OF61016", "COML025", "PH97004", "PH97501", "LG03043", "PU86003", "0101AP001"}
    rows = {row.code: row for row in OffenceCode.objects.filter(code__in=sample)}
    assert {code: row.mode_of_trial for code, row in rows.items()} == {
        "CJ88001": ModeOfTrial.SUMMARY_ONLY,  # CS
        "TH68001": ModeOfTrial.EITHER_WAY,  # CE
        "OF61016": ModeOfTrial.INDICTABLE_ONLY,  # CI
        "COML025": ModeOfTrial.INDICTABLE_ONLY,
        "PH97004": ModeOfTrial.SUMMARY_ONLY,
        "PH97501": ModeOfTrial.NOT_CRIMINAL,  # B7: application to vary a restraining order
        "LG03043": ModeOfTrial.SUMMARY_ONLY,
        "PU86003": ModeOfTrial.EITHER_WAY,
        "0101AP001": ModeOfTrial.NOT_CRIMINAL,  # B7
    }
    assert {code: row.dg6_group for code, row in rows.items() if row.dg6_group} == {
        "OF61016": "gbh_abh",
        "COML025": "death",
        "PH97004": "harassment_stalking",  # not PH97501: an application is not an offence
        "LG03043": "licensing_act",
        "PU86003": "violent_disorder_affray",
    }

    assert load_offence_codes() == {"total": first["total"], "created": 0, "updated": 0, "deactivated": 0}
    assert OffenceCode.objects.count() == first["total"]

    # The unique code column carries Django's own varchar_pattern_ops index (..._like) for prefixes.
    assert "casework_offencecode_code_" in plan("TH68", "LIKE")
    assert "_like" in plan("TH68", "LIKE")
    assert "offencecode_search_idx" in plan("assault by beating", "@@")
    assert "offencecode_title_trgm" in plan("harrassment", "%>")


def test_every_category_maps_to_a_mode_of_trial() -> None:
    assert [mode_of_trial_for(c) for c in ("CS", "CM", "CE", "CI", "cs")] == [
        ModeOfTrial.SUMMARY_ONLY,
        ModeOfTrial.SUMMARY_ONLY,
        ModeOfTrial.EITHER_WAY,
        ModeOfTrial.INDICTABLE_ONLY,
        ModeOfTrial.SUMMARY_ONLY,
    ]
    not_criminal = ("B7", "CB", "CR", "EF", "EM", "FC", "LC", "LM", "VA", "VP", "CO", "")
    assert {mode_of_trial_for(c) for c in not_criminal} == {ModeOfTrial.NOT_CRIMINAL}


def test_reloading_changes_nothing_and_duplicates_nothing(subset: list[dict[str, Any]]) -> None:
    count = OffenceCode.objects.count()
    assert load_offence_codes() == {"total": len(subset), "created": 0, "updated": 0, "deactivated": 0}
    assert OffenceCode.objects.count() == count == len(subset)


def test_a_code_that_leaves_the_data_is_marked_inactive_and_can_come_back(
    subset: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    use_extract(monkeypatch, [row for row in subset if row["code"] != "TH68001"])
    assert load_offence_codes()["deactivated"] == 1
    gone = OffenceCode.objects.get(code="TH68001")  # never deleted: allegations may point at it
    assert gone.is_active is False
    assert "TH68001" not in codes(offence_code_search(query="TH68001"))
    assert offence_code_get(code="th68001") == gone

    use_extract(monkeypatch, subset)
    assert load_offence_codes()["updated"] == 1
    assert OffenceCode.objects.get(code="TH68001").is_active is True


def test_a_changed_title_is_updated_in_place(subset: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch) -> None:
    pk = OffenceCode.objects.get(code="CJ88001").pk
    use_extract(
        monkeypatch, [dict(r, title="Common assault (renamed)") if r["code"] == "CJ88001" else r for r in subset]
    )
    assert load_offence_codes() == {"total": len(subset), "created": 0, "updated": 1, "deactivated": 0}
    assert OffenceCode.objects.get(pk=pk).title == "Common assault (renamed)"
    assert codes(offence_code_search(query="renamed")) == ["CJ88001"]


def test_search_by_exact_code_in_any_case_puts_it_first(subset: list[dict[str, Any]]) -> None:
    assert codes(offence_code_search(query="CJ88001")) == ["CJ88001", "CJ88001A", "CJ88001B"]
    assert codes(offence_code_search(query=" th68001 "))[0] == "TH68001"


def test_search_by_code_prefix_lists_codes_in_order(subset: list[dict[str, Any]]) -> None:
    found = codes(offence_code_search(query="th68", limit=10))
    assert len(found) == 10
    assert all(code.startswith("TH68") for code in found)
    assert found == sorted(found)
    assert found[0] == "TH68001"


def test_a_qualifier_is_also_tried_without_it(subset: list[dict[str, Any]]) -> None:
    # PU86003A is not a code of its own: the affray it qualifies is found.
    assert codes(offence_code_search(query="PU86003A"))[:3] == ["PU86003", "PU86003B", "PU86003C"]
    # TH68001A is a code of its own: it comes first, then the offence without the qualifier.
    assert codes(offence_code_search(query="th68001a"))[:2] == ["TH68001A", "TH68001"]


def test_search_by_words_ranks_the_closest_title_first(subset: list[dict[str, Any]]) -> None:
    found = offence_code_search(query="assault by beating")
    assert found[0].code == "CJ88116"
    assert all("beat" in row.title.lower() for row in found)


def test_a_misspelling_still_finds_the_offence(subset: list[dict[str, Any]]) -> None:
    assert {"PH97004", "PH97002"} <= set(codes(offence_code_search(query="harrassment", limit=20)))
    assert "OF61021" in codes(offence_code_search(query="grevious bodily harm"))


def test_search_limit_is_respected_and_capped_at_50(subset: list[dict[str, Any]]) -> None:
    assert len(offence_code_search(query="assault", limit=5)) == 5
    assert len(offence_code_search(query="assault", limit=500)) == 50
    found = codes(offence_code_search(query="theft", limit=50))
    assert len(found) == len(set(found))  # no repeats across the steps
    assert offence_code_search(query="   ") == []
    assert offence_code_search(query="xyzzyq") == []
