"""Criminal justice identifiers: URN, PNC ID and Arrest/Summons Number (domain.md 9.1, 9.2).

Pure functions: they parse, normalise and check, and raise ``IdentifierError`` with a message a
user can act on. Whether a URN's force and unit exist is checked by the service, against the
standing data.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

# The check-character alphabet shared by PNC IDs and ASNs (no I, O, S).
CHECK_LETTERS = "ZABCDEFGHJKLMNPQRTUVWXY"

URN_INVALID = "Enter the URN as force code, unit code, serial number and year, like 46/AF/12345/26 or 46/AF/1234567/26"
PNC_INVALID = "Enter the PNC ID as year, serial number and check letter, like 2019/0012345Z"
PNC_CHECK_LETTER = "The PNC ID check letter is wrong: check the ID against the PNC record"
ASN_INVALID = "Enter the arrest/summons number like 26/46AF/01/123456X"
ASN_CHECK_CHARACTER = "The arrest/summons number check character is wrong: check it against the charge sheet"


class IdentifierError(ValueError):
    pass


def _compact(raw: str) -> str:
    return re.sub(r"[\s/\-.]", "", raw or "").upper()


# ---------------------------------------------------------------------------------------------
# URN — NN/AA/NNNNN[NN]/NN: force code, unit code, serial, year.


@dataclass(frozen=True)
class UrnFormat:
    """One accepted shape of unit code and serial. Forces differ (domain.md 9.1), so the formats
    come from the ``UrnFormat`` table; these defaults apply to every force."""

    unit_pattern: str = r"[A-Z][A-Z0-9]"
    serial_pattern: str = r"[0-9]{5}|[0-9]{7}"


DEFAULT_URN_FORMATS = (UrnFormat(),)


@dataclass(frozen=True)
class Urn:
    force_code: str
    unit_code: str
    serial: str
    year: str

    @property
    def normalised(self) -> str:
        return f"{self.force_code}{self.unit_code}{self.serial}{self.year}"

    @property
    def display(self) -> str:
        return f"{self.force_code}/{self.unit_code}/{self.serial}/{self.year}"


def parse_urn(raw: str, formats: Iterable[UrnFormat] = DEFAULT_URN_FORMATS) -> Urn:
    compact = _compact(raw)
    for fmt in formats:
        match = re.fullmatch(
            rf"(?P<force>[0-9]{{2}})(?P<unit>{fmt.unit_pattern})(?P<serial>{fmt.serial_pattern})(?P<year>[0-9]{{2}})",
            compact,
        )
        if match:
            return Urn(match["force"], match["unit"], match["serial"], match["year"])
    raise IdentifierError(URN_INVALID)


def display_urn(normalised: str) -> str:
    """``46AF1234526`` → ``46/AF/12345/26`` (the serial is whatever lies between unit and year)."""
    if len(normalised) < 9:
        return normalised
    return f"{normalised[:2]}/{normalised[2:4]}/{normalised[4:-2]}/{normalised[-2:]}"


# ---------------------------------------------------------------------------------------------
# PNC ID — YYYY/NNNNNNNC (short form YY/NNNNNNNC accepted).


def pnc_check_letter(year: str, serial: str) -> str:
    return CHECK_LETTERS[int(f"{year[-2:]}{int(serial):07d}") % 23]


def normalise_pnc_id(raw: str, *, this_year: int) -> str:
    """The full form ``YYYY/NNNNNNNC``. A two-digit year is read as this century unless that would
    be in the future."""
    text = (raw or "").strip().upper().replace(" ", "")
    match = re.fullmatch(r"(?P<year>[0-9]{4}|[0-9]{2})/(?P<serial>[0-9]{1,7})(?P<check>[A-Z])", text)
    if not match:
        raise IdentifierError(PNC_INVALID)
    year = match["year"]
    if len(year) == 2:
        century = this_year // 100 * 100
        full = century + int(year)
        year = str(full if full <= this_year else full - 100)
    if int(year) > this_year or int(year) < 1900:
        raise IdentifierError(PNC_INVALID)
    if pnc_check_letter(year, match["serial"]) != match["check"]:
        raise IdentifierError(PNC_CHECK_LETTER)
    return f"{year}/{int(match['serial']):07d}{match['check']}"


# ---------------------------------------------------------------------------------------------
# Arrest/Summons Number — YY FF UU SS NNNNNNNNNNN C.


def asn_check_character(*, year: str, force: str, system: str, sequence: int) -> str:
    return CHECK_LETTERS[int(f"{force}{system}{year}{sequence:011d}") % 23]


def normalise_asn(raw: str) -> str:
    """The full 20-character form: year, force, unit, system, an 11-digit sequence, check character."""
    compact = _compact(raw)
    match = re.fullmatch(
        r"(?P<year>[0-9]{2})(?P<force>[0-9]{2})(?P<unit>[A-Z0-9]{2})(?P<system>[0-9]{2})(?P<seq>[0-9]{1,11})(?P<check>[A-Z])",
        compact,
    )
    if not match:
        raise IdentifierError(ASN_INVALID)
    sequence = int(match["seq"])
    expected = asn_check_character(year=match["year"], force=match["force"], system=match["system"], sequence=sequence)
    if expected != match["check"]:
        raise IdentifierError(ASN_CHECK_CHARACTER)
    return f"{match['year']}{match['force']}{match['unit']}{match['system']}{sequence:011d}{match['check']}"


def display_asn(normalised: str) -> str:
    """``26/46AF/01/123456X``: the sequence without its zero padding."""
    if len(normalised) != 20:
        return normalised
    return f"{normalised[:2]}/{normalised[2:6]}/{normalised[6:8]}/{int(normalised[8:19])}{normalised[19]}"
