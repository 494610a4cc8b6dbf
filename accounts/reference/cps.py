"""The CPS side of the reference data: the 14 CPS Areas, CPS Direct, their units, and which Area
takes each police force's charging requests.

**[K] — check before go-live.** Unlike the police forces and courts (which come from the MoJ
standing data, see ``scripts/extract_reference_data.py``), nothing published in machine-readable form
lists CPS Areas, so this mapping is typed from shared/domain.md ("Reference data": CPS Areas,
background knowledge not re-verified against a primary source). Everything here is data, loaded
by ``manage.py load_reference_data`` (``accounts.reference.loader.load_cps``); change it here, not in
the admin, and reload. Points to confirm with the CPS:

* London North and London South both serve the Metropolitan Police, split by borough. An
  organisation has one ``served_by``, so the Met (01) defaults to London North; cases from
  south-of-the-river boroughs must be routed to London South per case (or by unit) until a
  borough split is modelled.
* City of London Police (48): domain.md names it with "London North and London South" without
  saying which. It defaults to London North, the Area for the north-of-the-Thames boroughs the
  City sits among.
* British Transport Police (93) has no default Area: its cases go to the Area where the offence
  happened (``UNSERVED_FORCE_CODES``).
* The Area unit structure (MCU, CCU, RASSO, Complex Casework) is the usual one, not a per-Area
  confirmed list.

Area codes are stable slugs: they are keys (``Organisation.code``) that other data may point at, so
an Area renamed keeps its code.
"""

from __future__ import annotations

from dataclasses import dataclass

from accounts.choices import OrganisationKind


@dataclass(frozen=True)
class CpsUnit:
    """A unit within a CPS Area or CPS Direct (``Unit.code`` is unique within its organisation)."""

    code: str
    name: str


@dataclass(frozen=True)
class CpsOrganisation:
    """A CPS Area or CPS Direct, with the two-digit codes of the forces it serves by default."""

    code: str
    name: str
    kind: OrganisationKind
    serves: tuple[str, ...] = ()
    units: tuple[CpsUnit, ...] = ()


# Every geographic Area has the same four units. "CCU" is the Crown Court Unit, so the Complex
# Casework Unit is "CCCU".
AREA_UNITS: tuple[CpsUnit, ...] = (
    CpsUnit("MCU", "Magistrates' Court Unit"),
    CpsUnit("CCU", "Crown Court Unit"),
    CpsUnit("RASSO", "RASSO Unit"),
    CpsUnit("CCCU", "Complex Casework Unit"),
)
CPS_DIRECT_UNITS: tuple[CpsUnit, ...] = (CpsUnit("CPSD", "CPS Direct charging"),)


def _area(code: str, name: str, serves: tuple[str, ...]) -> CpsOrganisation:
    return CpsOrganisation(code=code, name=name, kind=OrganisationKind.CPS_AREA, serves=serves, units=AREA_UNITS)


# Force codes are the two-digit PNC codes of accounts/reference/data/forces.json.gz.
CPS_ORGANISATIONS: tuple[CpsOrganisation, ...] = (
    # Met (01) split by borough with London South; City of London (48): see the module docstring.
    _area("london-north", "CPS London North", ("01", "48")),
    _area("london-south", "CPS London South", ()),  # Met boroughs south of the river, per case
    _area("south-east", "CPS South East", ("46", "45", "47")),  # Kent, Surrey, Sussex
    _area("south-west", "CPS South West", ("52", "50", "53")),  # Avon & Somerset, Devon & Cornwall, Glos
    _area("thames-and-chiltern", "CPS Thames and Chiltern", ("43", "40", "41")),  # Thames Valley, Beds, Herts
    _area("wessex", "CPS Wessex", ("44", "55", "54")),  # Hampshire, Dorset, Wiltshire
    # West Midlands, Staffordshire, West Mercia, Warwickshire
    _area("west-midlands", "CPS West Midlands", ("20", "21", "22", "23")),
    # Derbyshire, Nottinghamshire, Lincolnshire, Leicestershire, Northamptonshire
    _area("east-midlands", "CPS East Midlands", ("30", "31", "32", "33", "34")),
    # Cambridgeshire, Norfolk, Suffolk, Essex
    _area("east-of-england", "CPS East of England", ("35", "36", "37", "42")),
    _area("mersey-cheshire", "CPS Mersey-Cheshire", ("05", "07")),  # Merseyside, Cheshire
    _area("north-west", "CPS North West", ("06", "04", "03")),  # Greater Manchester, Lancashire, Cumbria
    _area("north-east", "CPS North East", ("10", "11", "17")),  # Northumbria, Durham, Cleveland
    # North, West and South Yorkshire, Humberside
    _area("yorkshire-and-humberside", "CPS Yorkshire and Humberside", ("12", "13", "14", "16")),
    # North Wales, Gwent, South Wales, Dyfed-Powys
    _area("cymru-wales", "CPS Cymru-Wales", ("60", "61", "62", "63")),
    # National, out of hours and custody charging; serves no force by default.
    CpsOrganisation(code="cps-direct", name="CPS Direct", kind=OrganisationKind.CPS_DIRECT, units=CPS_DIRECT_UNITS),
)

# Forces with no default Area: British Transport Police, whose cases go to the Area where the
# offence happened.
UNSERVED_FORCE_CODES: frozenset[str] = frozenset({"93"})


def _served_by() -> dict[str, str]:
    served_by: dict[str, str] = {}
    for organisation in CPS_ORGANISATIONS:
        for force in organisation.serves:
            if force in served_by:
                raise ValueError(f"Force {force} is served by both {served_by[force]} and {organisation.code}")
            if force in UNSERVED_FORCE_CODES:
                raise ValueError(f"Force {force} is listed as unserved but {organisation.code} serves it")
            served_by[force] = organisation.code
    return served_by


# Force code -> code of the CPS Area that serves it by default. Checked at import: a force served
# twice is a typing error in the table above.
FORCE_SERVED_BY: dict[str, str] = _served_by()
