"""The vendored reference-data extracts (accounts/reference/data) and the CPS table agree with the
facts in shared/domain.md and with each other. No database: these read the committed files."""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

import pytest

from accounts.choices import CourtKind, OrganisationKind
from accounts.reference import cps
from accounts.reference.loader import data_version, read_extract

# domain.md "Reference data": the 43 territorial forces of England and Wales plus BTP (93).
EXPECTED_FORCE_CODES = {
    "01", "03", "04", "05", "06", "07", "10", "11", "12", "13", "14", "16", "17", "20", "21", "22",
    "23", "30", "31", "32", "33", "34", "35", "36", "37", "40", "41", "42", "43", "44", "45", "46",
    "47", "48", "50", "52", "53", "54", "55", "60", "61", "62", "63", "93",
}  # fmt: skip
OFFENCE_KEYS = {"code", "title", "offenceCategory", "homeOfficeClassification", "notifiable", "recordable"}


@pytest.fixture(scope="module")
def offences() -> dict[str, dict[str, Any]]:
    return {row["code"]: row for row in read_extract("offence-codes")}


def test_version_file_names_the_package_and_version() -> None:
    version = data_version()
    assert version["package"] == "@moj-bichard7-developers/bichard7-next-data"
    assert re.fullmatch(r"\d+\.\d+\.\d+", version["version"])
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", version["extracted"])


def test_forces_are_the_43_territorial_forces_and_btp() -> None:
    forces = read_extract("forces")
    assert len(forces) == 44
    assert {f["code"] for f in forces} == EXPECTED_FORCE_CODES
    by_code = {f["code"]: f for f in forces}
    assert by_code["01"]["name"] == "Metropolitan Police Service"
    assert by_code["46"]["fullName"] == "Kent Police"
    assert by_code["93"]["fullName"] == "British Transport Police"


def test_offence_codes_are_all_there(offences: dict[str, dict[str, Any]]) -> None:
    assert len(offences) >= 25_000
    rows = read_extract("offence-codes")
    assert len(rows) == len(offences), "offence codes are unique"
    for row in rows:
        assert row.keys() >= OFFENCE_KEYS, row
        assert isinstance(row["notifiable"], bool), row
        assert isinstance(row["recordable"], bool), row


def test_common_assault_is_summary_only(offences: dict[str, dict[str, Any]]) -> None:
    assert offences["CJ88001"]["offenceCategory"] == "CS"
    assert offences["CJ88001"]["title"] == "Common assault"
    assert offences["CJ88116"]["offenceCategory"] == "CS"  # assault by beating
    assert offences["CJ88001"]["recordable"] is True


@pytest.mark.parametrize(
    ("code", "title_fragment"),
    [
        ("OF61016", "wounding with intent"),  # s.18 Offences Against the Person Act 1861
        ("COML025", "murder"),
    ],
)
def test_indictable_only_offences_are_category_ci(
    offences: dict[str, dict[str, Any]], code: str, title_fragment: str
) -> None:
    assert offences[code]["offenceCategory"] == "CI"
    assert title_fragment in offences[code]["title"].lower()


def test_theft_from_a_shop_is_either_way(offences: dict[str, dict[str, Any]]) -> None:
    assert offences["TH68010"]["offenceCategory"] == "CE"


def test_police_unit_codes_are_two_characters_under_known_forces() -> None:
    units = read_extract("police-units")
    assert len(units) > 1000
    assert all(len(u["code"]) == 2 for u in units)
    assert {u["force"] for u in units} == EXPECTED_FORCE_CODES
    keys = Counter((u["force"], u["code"]) for u in units)
    assert max(keys.values()) == 1, "a unit code is unique within its force"


def test_kent_af_is_northfleet_and_historic_units_are_flagged() -> None:
    units = {(u["force"], u["code"]): u for u in read_extract("police-units")}
    assert "northfleet" in units[("46", "AF")]["name"].lower()
    assert units[("46", "AF")]["active"] is True
    historic = [u for u in units.values() if "HISTORIC" in u["name"].upper()]
    assert historic
    assert not any(u["active"] for u in historic)


def test_courts_have_unique_codes_and_unambiguous_names() -> None:
    courts = read_extract("courts")
    kinds = Counter(c["kind"] for c in courts)
    assert set(kinds) == set(CourtKind.values)
    assert kinds[CourtKind.MAGISTRATES] >= 200
    assert kinds[CourtKind.CROWN] >= 80
    assert len({c["code"] for c in courts}) == len(courts)
    assert max(Counter((c["kind"], c["name"]) for c in courts).values()) == 1
    crown = {c["name"] for c in courts if c["kind"] == CourtKind.CROWN}
    assert {"Central Criminal Court", "Leeds", "Canterbury"} <= crown


def test_cps_table_covers_every_force_but_btp() -> None:
    forces = {f["code"] for f in read_extract("forces")}
    assert set(cps.FORCE_SERVED_BY) == forces - {"93"}
    assert frozenset({"93"}) == cps.UNSERVED_FORCE_CODES
    areas = [o for o in cps.CPS_ORGANISATIONS if o.kind == OrganisationKind.CPS_AREA]
    direct = [o for o in cps.CPS_ORGANISATIONS if o.kind == OrganisationKind.CPS_DIRECT]
    assert len(areas) == 14
    assert [o.code for o in direct] == ["cps-direct"]
    codes = [o.code for o in cps.CPS_ORGANISATIONS]
    assert len(set(codes)) == len(codes)
    assert all(re.fullmatch(r"[a-z]+(-[a-z]+)*", c) for c in codes)
    assert cps.FORCE_SERVED_BY["46"] == "south-east"
    assert cps.FORCE_SERVED_BY["01"] == "london-north"
    assert cps.FORCE_SERVED_BY["62"] == "cymru-wales"
