"""URN, PNC ID and arrest/summons number: parsing, normalising and check characters."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from casework.identifiers import (
    ASN_CHECK_CHARACTER,
    CHECK_LETTERS,
    PNC_CHECK_LETTER,
    PNC_INVALID,
    URN_INVALID,
    IdentifierError,
    UrnFormat,
    asn_check_character,
    display_asn,
    display_urn,
    normalise_asn,
    normalise_pnc_id,
    parse_urn,
    pnc_check_letter,
)

# -- URN ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "normalised", "display"),
    [
        ("46/AF/12345/26", "46AF1234526", "46/AF/12345/26"),
        ("46af1234526", "46AF1234526", "46/AF/12345/26"),
        (" 10 A1 1234567 25 ", "10A1123456725", "10/A1/1234567/25"),
        ("01-AB-00001-24", "01AB0000124", "01/AB/00001/24"),
    ],
)
def test_urns_in_any_common_format_normalise_the_same_way(raw: str, normalised: str, display: str) -> None:
    urn = parse_urn(raw)
    assert urn.normalised == normalised
    assert urn.display == display
    assert display_urn(urn.normalised) == display


@pytest.mark.parametrize("raw", ["", "12345", "46/AF/123456/26", "46/AF/12345/202", "4/AF/12345/26", "46/1A/12345/26"])
def test_malformed_urns_are_refused_with_an_example(raw: str) -> None:
    with pytest.raises(IdentifierError, match="like 46/AF/12345/26"):
        parse_urn(raw)
    assert "46/AF/12345/26" in URN_INVALID


def test_a_force_variant_from_the_table_is_tried_before_the_national_default() -> None:
    """A one-letter unit with a six-digit serial has the same length as the default shape, so the
    force's own variant must be tried first (the service orders force rows before national ones)."""
    six_digit = UrnFormat(unit_pattern=r"[A-Z]", serial_pattern=r"[0-9]{6}")
    assert parse_urn("32A12345625").serial == "23456"
    variant = parse_urn("32A12345625", [six_digit, UrnFormat()])
    assert (variant.unit_code, variant.serial) == ("A", "123456")
    with pytest.raises(IdentifierError):
        parse_urn("32AB1234525", [six_digit])


urn_parts = st.tuples(
    st.from_regex(r"[0-9]{2}", fullmatch=True),
    st.from_regex(r"[A-Z][A-Z0-9]", fullmatch=True),
    st.one_of(st.from_regex(r"[0-9]{5}", fullmatch=True), st.from_regex(r"[0-9]{7}", fullmatch=True)),
    st.from_regex(r"[0-9]{2}", fullmatch=True),
)


@given(urn_parts, st.sampled_from(["/", " ", "", "-"]), st.booleans())
def test_any_valid_urn_round_trips_through_its_display_form(
    parts: tuple[str, str, str, str], sep: str, lower: bool
) -> None:
    raw = sep.join(parts)
    urn = parse_urn(raw.lower() if lower else raw)
    assert (urn.force_code, urn.unit_code, urn.serial, urn.year) == parts
    assert parse_urn(urn.display) == urn


# -- PNC ID ------------------------------------------------------------------------------------


def test_pnc_check_letter_follows_the_published_rule() -> None:
    # "ZABCDEFGHJKLMNPQRTUVWXY"[int("19" + "0012345") % 23]: 190012345 % 23 == 7 → "G"
    assert pnc_check_letter("2019", "12345") == "G"
    assert normalise_pnc_id("2019/0012345G", this_year=2026) == "2019/0012345G"


def test_short_form_pnc_is_expanded_to_the_full_year() -> None:
    assert normalise_pnc_id("19/12345G", this_year=2026) == "2019/0012345G"
    letter = pnc_check_letter("1995", "12345")
    assert normalise_pnc_id(f"95/12345{letter}", this_year=2026) == f"1995/0012345{letter}"


def test_a_wrong_pnc_check_letter_is_refused() -> None:
    with pytest.raises(IdentifierError) as error:
        normalise_pnc_id("2019/0012345A", this_year=2026)
    assert str(error.value) == PNC_CHECK_LETTER


@pytest.mark.parametrize("raw", ["", "2019/0012345", "2019-0012345M", "2031/0012345M", "abc"])
def test_malformed_pnc_ids_are_refused(raw: str) -> None:
    with pytest.raises(IdentifierError, match="PNC ID"):
        normalise_pnc_id(raw, this_year=2026)
    assert "2019/0012345Z" in PNC_INVALID


@given(st.integers(1950, 2026), st.integers(0, 9_999_999))
def test_every_pnc_with_its_own_check_letter_is_valid_and_any_other_letter_is_not(year: int, serial: int) -> None:
    letter = pnc_check_letter(str(year), str(serial))
    assert normalise_pnc_id(f"{year}/{serial:07d}{letter}", this_year=2026) == f"{year}/{serial:07d}{letter}"
    wrong = CHECK_LETTERS[(CHECK_LETTERS.index(letter) + 1) % 23]
    with pytest.raises(IdentifierError):
        normalise_pnc_id(f"{year}/{serial:07d}{wrong}", this_year=2026)


# -- Arrest/summons number ---------------------------------------------------------------------


def test_asn_check_character_matches_the_bichard_rule() -> None:
    # force 46, system 01, year 26, sequence 123456 padded to 11 digits
    expected = CHECK_LETTERS[int("4601" + "26" + "00000123456") % 23]
    assert asn_check_character(year="26", force="46", system="01", sequence=123456) == expected
    full = normalise_asn(f"26/46AF/01/123456{expected}")
    assert full == f"2646AF0100000123456{expected}"
    assert display_asn(full) == f"26/46AF/01/123456{expected}"


@given(
    st.from_regex(r"[0-9]{2}", fullmatch=True),
    st.from_regex(r"[0-9]{2}", fullmatch=True),
    st.from_regex(r"[A-Z0-9]{2}", fullmatch=True),
    st.from_regex(r"[0-9]{2}", fullmatch=True),
    st.integers(0, 10**11 - 1),
)
def test_every_asn_round_trips_and_a_changed_check_character_fails(
    year: str, force: str, unit: str, system: str, sequence: int
) -> None:
    check = asn_check_character(year=year, force=force, system=system, sequence=sequence)
    full = normalise_asn(f"{year}{force}{unit}{system}{sequence:011d}{check}")
    assert normalise_asn(display_asn(full)) == full
    wrong = CHECK_LETTERS[(CHECK_LETTERS.index(check) + 5) % 23]
    with pytest.raises(IdentifierError) as error:
        normalise_asn(f"{year}{force}{unit}{system}{sequence:011d}{wrong}")
    assert str(error.value) == ASN_CHECK_CHARACTER
