"""Extract Casebridge's reference data from the MoJ standing-data npm package.

Owns the format of the vendored extracts in ``accounts/reference/data/`` (read by
``accounts/reference/loader.py`` and by the offence-code import). Run by
``scripts/refresh-reference-data.sh``; needs only the standard library, so it does not touch Django.

    python scripts/extract_reference_data.py PACKAGE_DIR [--out accounts/reference/data]

PACKAGE_DIR is the unpacked ``@moj-bichard7-developers/bichard7-next-data`` package (the directory
holding ``package.json`` and ``dist/data/``). Everything is checked in memory first; nothing is
written unless every check passes, so a surprising upstream release cannot half-replace the extracts.

Files written (minified JSON, gzip with a zero timestamp so that re-extracting the same package
version gives byte-identical files and an empty ``git diff``):

* ``forces.json.gz``: ``[{"code", "name", "fullName"}]`` -- the 43 territorial forces of England and
  Wales plus British Transport Police. ``name`` is ``forces.json``'s (short: "Kent", "BTP");
  ``fullName`` is the force's formal name from ``organisation-unit.json`` ("Kent Police",
  "British Transport Police"), which is what Casebridge shows.
* ``police-units.json.gz``: ``[{"force", "code", "name", "active"}]`` -- see ``extract_police_units``.
* ``courts.json.gz``: ``[{"code", "name", "kind", "force", "active"}]`` -- see ``extract_courts``.
* ``offence-codes.json.gz``: ``[{"code", "title", "offenceCategory", "homeOfficeClassification",
  "notifiable", "recordable", ...date fields if the source has any}]`` -- every offence code.
* ``offence-categories.json.gz``: ``[{"code", "description"}]`` -- what CS, CE, CI... mean.
* ``VERSION``: package name, version, licence, tarball integrity, extraction date and row counts.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

PACKAGE_NAME = "@moj-bichard7-developers/bichard7-next-data"

# Casebridge's police organisations: the 43 territorial forces of England and Wales (two-digit
# PNC force codes, as listed in shared/domain.md "Reference data") plus British Transport Police.
# forces.json also holds codes that are not forces Casebridge serves (PNC, HMRC, NCA, Scottish and
# island forces, "Reserved", and 02, a second Metropolitan Police code), so the scope is stated here.
TERRITORIAL_FORCE_CODES: tuple[str, ...] = (
    "01", "03", "04", "05", "06", "07", "10", "11", "12", "13", "14", "16", "17", "20", "21", "22",
    "23", "30", "31", "32", "33", "34", "35", "36", "37", "40", "41", "42", "43", "44", "45", "46",
    "47", "48", "50", "52", "53", "54", "55", "60", "61", "62", "63",
)  # fmt: skip
BRITISH_TRANSPORT_POLICE = "93"
FORCE_CODES: tuple[str, ...] = (*TERRITORIAL_FORCE_CODES, BRITISH_TRANSPORT_POLICE)

# organisation-unit.json: topLevelCode "" = police, "B" = magistrates' courts, "C" = Crown Courts.
POLICE_TOP_LEVEL = ""
COURT_KINDS = {"B": "magistrates", "C": "crown"}  # values of accounts.choices.CourtKind

# The standing data never deletes a unit code (old URNs still carry it); it renames it instead:
# "HISTORIC CODE SEE 21BF", "OBSOLETE W/E/F 30/3/15* BATH POLICE STATION", "A/S REFERENCE ONLY",
# "RESERVED", "SEE 40JA CODE NOT USED". Such units are kept (so an old URN still resolves) but
# flagged inactive, so nobody picks them for a new case. Temporary closures ("TEMP CLOSED",
# "CLOSED FOR REFURB") and "NO LONGER OPERATIONAL STATION - NO FRONT COUNTER" stay active: the code
# is still in use.
_INACTIVE_NAME = re.compile(
    r"HISTORI"  # HISTORIC, HISTORICAL and the typos HISTORIAL, HISTORICA L
    r"|OBSOLETE"
    r"|\bRESERVED\b"
    r"|\bA/?S REF"  # A/S REFERENCE (ONLY), AS REF ONLY
    r"|REFERENCE ONLY|REF ONLY"
    r"|DO NOT USE|NOT IN USE|NOT USED|NO LONGER (?:IN USE|USED|EXISTS)"
    r"|(?<!TEMP )\bCLOSED\b(?! FOR REFURB)"
    r"|^SPARE$"
    r"|TRAINING ONLY",
)
# ...except where the name says the code was reused: "WELLINGTON ARCH CLOSED 1 AREA (CODE USED FOR
# "WESTMINSTER SECTOR" NOW)".
_REUSED_NAME = re.compile(r"CODE USED FOR")

# Source offence-code.json field -> extract field. "description" is left out: it repeats cjsCode.
OFFENCE_FIELDS = {
    "cjsCode": "code",
    "offenceTitle": "title",
    "offenceCategory": "offenceCategory",
    "homeOfficeClassification": "homeOfficeClassification",
    "notifiableToHo": "notifiable",
    "recordableOnPnc": "recordable",
}
# Version 2.0.414 has no validity dates; if a later release adds any, they are carried through as is.
_DATE_FIELD = re.compile(r"date|start|end|valid|effective", re.IGNORECASE)

# Sanity floors: a release far below these means the data changed shape, not that offences vanished.
MIN_OFFENCE_CODES = 25_000
MIN_MAGISTRATES_COURTS = 100
MIN_CROWN_COURTS = 50


class ExtractError(Exception):
    """The package does not look the way this extractor expects: nothing was written."""


def _load(data_dir: Path, name: str) -> Any:
    path = data_dir / name
    if not path.is_file():
        raise ExtractError(f"{path} is missing")
    return json.loads(path.read_text(encoding="utf-8"))


def is_marked_inactive(name: str) -> bool:
    """Whether the standing data marks an organisation unit as historic, obsolete or reserved."""
    upper = name.strip().upper()
    if not upper:
        return True  # no name at all: nothing anyone could pick it by
    return bool(_INACTIVE_NAME.search(upper)) and not _REUSED_NAME.search(upper)


def extract_forces(forces: list[dict[str, str]], org_units: list[dict[str, str]]) -> list[dict[str, str]]:
    """The 44 forces, with forces.json's name and the formal name from organisation-unit.json.

    forces.json names are short ("Kent", "BTP"); organisation-unit.json's police rows carry the
    formal name as ``secondLevelName`` on some rows ("Kent Police", "British Transport Police").
    """
    by_code = {f["code"]: f["name"].strip() for f in forces}
    missing = [c for c in FORCE_CODES if c not in by_code]
    if missing:
        raise ExtractError(f"forces.json lacks force codes {missing}")
    formal: dict[str, set[str]] = defaultdict(set)
    for row in org_units:
        if row["topLevelCode"] == POLICE_TOP_LEVEL and re.search(r"\b(Police|Constabulary)\b", row["secondLevelName"]):
            formal[row["secondLevelCode"]].add(row["secondLevelName"].strip())
    result = []
    for code in FORCE_CODES:
        # Longest wins: "Metropolitan Police Service" over "Police"-less short forms.
        full_name = max(formal[code], key=len) if formal[code] else by_code[code]
        result.append({"code": code, "name": by_code[code], "fullName": full_name})
    return result


def extract_police_units(org_units: list[dict[str, str]]) -> list[dict[str, Any]]:
    """Police units: the two-character unit codes that make the second part of a URN.

    In organisation-unit.json a police row has ``topLevelCode`` "" (top level "Police Service"),
    ``secondLevelCode`` = the two-digit force code, ``thirdLevelCode`` = the two-character unit
    code used in URNs (``46`` + ``AF`` -> URN 46AF...: Kent / NORTHFLEET) with its name in
    ``thirdLevelName``, and ``bottomLevelCode`` "00". Left out: ``thirdLevelCode`` "00" (the force
    itself), and rows with another ``bottomLevelCode`` ("PR" non-police prosecutions, GMP's "03"
    summons system), which are sub-units of a third-level code rather than URN unit codes and would
    collide with it. Names are kept as the standing data spells them (mostly capitals).
    """
    forces = set(FORCE_CODES)
    units: dict[tuple[str, str], dict[str, Any]] = {}
    for row in org_units:
        if (
            row["topLevelCode"] != POLICE_TOP_LEVEL
            or row["secondLevelCode"] not in forces
            or row["thirdLevelCode"] == "00"
            or row["bottomLevelCode"] != "00"
        ):
            continue
        code = row["thirdLevelCode"].strip().upper()
        if len(code) != 2:
            raise ExtractError(f"Unit code {code!r} of force {row['secondLevelCode']} is not two characters")
        key = (row["secondLevelCode"], code)
        if key in units:
            raise ExtractError(f"Police unit {key} appears twice in organisation-unit.json")
        name = " ".join(row["thirdLevelName"].split())
        units[key] = {"force": key[0], "code": code, "name": name, "active": not is_marked_inactive(name)}
    return [units[k] for k in sorted(units)]


def extract_courts(org_units: list[dict[str, str]]) -> list[dict[str, Any]]:
    """Magistrates' courts (top level B) and Crown Courts (top level C).

    ``code`` is the full seven-character organisation unit code (top + second + third + bottom
    level, e.g. ``C46CN00`` Canterbury Crown Court), unique across the standing data. ``force`` is
    the second level: the police force area the court sits in. Rows without a name are the level
    headers ("Magistrates' Courts", a force area), not courts. A name used twice within one kind
    (two magistrates' courts called "Newport": Isle of Wight and Gwent) gets the area in brackets.
    """
    courts: dict[str, dict[str, Any]] = {}
    for row in org_units:
        kind = COURT_KINDS.get(row["topLevelCode"])
        name = " ".join(row["thirdLevelName"].split())
        if kind is None or not name:
            continue
        code = row["topLevelCode"] + row["secondLevelCode"] + row["thirdLevelCode"] + row["bottomLevelCode"]
        if code in courts:
            raise ExtractError(f"Court code {code} appears twice in organisation-unit.json")
        courts[code] = {
            "code": code,
            "name": name,
            "kind": kind,
            "force": row["secondLevelCode"],
            "area": row["secondLevelName"].strip(),
            "active": not is_marked_inactive(name),
        }
    names = Counter((c["kind"], c["name"]) for c in courts.values())
    for court in courts.values():
        if names[(court["kind"], court["name"])] > 1 and court["area"]:
            court["name"] = f"{court['name']} ({court['area']})"
    still_ambiguous = [k for k, n in Counter((c["kind"], c["name"]) for c in courts.values()).items() if n > 1]
    if still_ambiguous:
        raise ExtractError(f"Court names still ambiguous after adding the area: {still_ambiguous}")
    for court in courts.values():
        del court["area"]
    return [courts[c] for c in sorted(courts)]


def extract_offence_codes(offences: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every offence code, with the fields a later import needs (see OFFENCE_FIELDS)."""
    result: dict[str, dict[str, Any]] = {}
    for row in offences:
        missing = [f for f in OFFENCE_FIELDS if f not in row]
        if missing:
            raise ExtractError(f"offence-code.json row {row.get('cjsCode')!r} lacks {missing}")
        item = {out: row[src] for src, out in OFFENCE_FIELDS.items()}
        item["code"] = item["code"].strip()
        item["title"] = " ".join(str(item["title"]).split())
        for field, value in row.items():
            if field not in OFFENCE_FIELDS and _DATE_FIELD.search(field):
                item[field] = value
        if item["code"] in result:
            raise ExtractError(f"Offence code {item['code']} appears twice in offence-code.json")
        result[item["code"]] = item
    return [result[c] for c in sorted(result)]


def extract_offence_categories(categories: list[dict[str, str]]) -> list[dict[str, str]]:
    return sorted(
        ({"code": c["cjsCode"], "description": c["description"]} for c in categories), key=lambda c: c["code"]
    )


def check(extracts: dict[str, list[dict[str, Any]]]) -> None:
    """Spot checks against facts in shared/domain.md, so a reshaped release fails loudly."""
    forces = {f["code"]: f for f in extracts["forces"]}
    if len(forces) != 44:
        raise ExtractError(f"Expected 44 forces, got {len(forces)}")
    if forces["01"]["name"] != "Metropolitan Police Service":
        raise ExtractError(f"Force 01 is {forces['01']['name']!r}, not the Metropolitan Police Service")
    units = {(u["force"], u["code"]): u for u in extracts["police-units"]}
    if "NORTHFLEET" not in units.get(("46", "AF"), {}).get("name", "").upper():
        raise ExtractError("Kent (46) unit AF is not Northfleet: organisation-unit.json changed shape")
    forces_without_units = set(forces) - {u["force"] for u in units.values()}
    if forces_without_units:
        raise ExtractError(f"Forces without units: {sorted(forces_without_units)}")
    kinds = Counter(c["kind"] for c in extracts["courts"])
    if kinds["magistrates"] < MIN_MAGISTRATES_COURTS or kinds["crown"] < MIN_CROWN_COURTS:
        raise ExtractError(f"Too few courts: {dict(kinds)}")
    offences = {o["code"]: o for o in extracts["offence-codes"]}
    if len(offences) < MIN_OFFENCE_CODES:
        raise ExtractError(f"Only {len(offences)} offence codes")
    if offences.get("CJ88001", {}).get("offenceCategory") != "CS":
        raise ExtractError("CJ88001 (common assault) is missing or not summary (CS)")


def write_gzip_json(path: Path, rows: list[dict[str, Any]]) -> None:
    payload = json.dumps(rows, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    tmp = path.with_name(path.name + ".tmp")
    # mtime=0 and no file name in the header: same input, same bytes.
    with tmp.open("wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as gz:
        gz.write(payload)
    tmp.replace(path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("package_dir", type=Path, help="the unpacked bichard7-next-data package")
    parser.add_argument(
        "--out",
        type=Path,
        default=Path(__file__).resolve().parent.parent / "accounts" / "reference" / "data",
        help="where to write the extracts (default: accounts/reference/data)",
    )
    parser.add_argument("--integrity", default="", help="the npm tarball integrity hash, recorded in VERSION")
    args = parser.parse_args(argv)

    package = json.loads((args.package_dir / "package.json").read_text(encoding="utf-8"))
    if package.get("name") != PACKAGE_NAME:
        raise ExtractError(f"{args.package_dir} holds {package.get('name')!r}, not {PACKAGE_NAME}")
    data_dir = args.package_dir / "dist" / "data"
    org_units = _load(data_dir, "organisation-unit.json")
    extracts = {
        "forces": extract_forces(_load(data_dir, "forces.json"), org_units),
        "police-units": extract_police_units(org_units),
        "courts": extract_courts(org_units),
        "offence-codes": extract_offence_codes(_load(data_dir, "offence-code.json")),
        "offence-categories": extract_offence_categories(_load(data_dir, "offence-category.json")),
    }
    check(extracts)

    args.out.mkdir(parents=True, exist_ok=True)
    for name, rows in extracts.items():
        write_gzip_json(args.out / f"{name}.json.gz", rows)
    lines = [
        "# Generated by scripts/refresh-reference-data.sh - do not edit by hand.",
        f"package={PACKAGE_NAME}",
        f"version={package['version']}",
        f"licence={package.get('license', '')}",
        f"homepage={package.get('homepage', '')}",
    ]
    if args.integrity:
        lines.append(f"integrity={args.integrity}")
    lines.append(f"extracted={dt.datetime.now(dt.UTC).date().isoformat()}")
    lines += [f"rows.{name}={len(rows)}" for name, rows in extracts.items()]
    (args.out / "VERSION").write_text("\n".join(lines) + "\n", encoding="utf-8")

    for name, rows in extracts.items():
        size = (args.out / f"{name}.json.gz").stat().st_size
        print(f"{name}: {len(rows)} rows, {size / 1024:.0f} KiB")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except ExtractError as exc:
        print(f"ERROR: {exc}", file=sys.stderr)
        sys.exit(1)
