"""``manage.py load_reference_data`` puts the vendored reference data into the database: CPS Areas,
police forces served by them, police units and courts; idempotently, and without deleting."""

from __future__ import annotations

from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command

from accounts.choices import CourtKind, OrganisationKind
from accounts.models import Court, Organisation, Unit
from accounts.reference.loader import read_extract

pytestmark = pytest.mark.django_db

EXPECTED_FORCE_CODES = {
    "01", "03", "04", "05", "06", "07", "10", "11", "12", "13", "14", "16", "17", "20", "21", "22",
    "23", "30", "31", "32", "33", "34", "35", "36", "37", "40", "41", "42", "43", "44", "45", "46",
    "47", "48", "50", "52", "53", "54", "55", "60", "61", "62", "63", "93",
}  # fmt: skip


def load() -> str:
    out = StringIO()
    call_command("load_reference_data", stdout=out)
    return out.getvalue()


def snapshot() -> dict[str, int]:
    """Row counts of everything the loader touches, history included."""
    return {
        "organisations": Organisation.objects.count(),
        "active_organisations": Organisation.objects.filter(is_active=True).count(),
        "units": Unit.objects.count(),
        "active_units": Unit.objects.filter(is_active=True).count(),
        "courts": Court.objects.count(),
        "organisation_events": apps.get_model("accounts", "OrganisationEvent").objects.count(),
        "unit_events": apps.get_model("accounts", "UnitEvent").objects.count(),
    }


def test_loads_the_44_police_forces() -> None:
    load()
    forces = Organisation.objects.filter(kind=OrganisationKind.POLICE_FORCE)
    assert forces.count() == 44
    assert set(forces.values_list("code", flat=True)) == EXPECTED_FORCE_CODES
    assert all(forces.values_list("is_active", flat=True))


def test_every_force_but_btp_is_served_by_a_cps_area() -> None:
    load()
    forces = Organisation.objects.filter(kind=OrganisationKind.POLICE_FORCE).select_related("served_by")
    for force in forces.exclude(code="93"):
        assert force.served_by is not None, force.code
        assert force.served_by.kind == OrganisationKind.CPS_AREA
    assert forces.get(code="93").served_by is None
    assert forces.get(code="46").served_by.code == "south-east"
    assert forces.get(code="10").served_by.code == "north-east"
    assert forces.get(code="01").served_by.code == "london-north"


def test_loads_14_cps_areas_and_cps_direct_with_their_units() -> None:
    load()
    assert Organisation.objects.filter(kind=OrganisationKind.CPS_AREA).count() == 14
    direct = Organisation.objects.get(kind=OrganisationKind.CPS_DIRECT)
    assert direct.code == "cps-direct"
    assert list(direct.units.values_list("code", flat=True)) == ["CPSD"]
    wales = Organisation.objects.get(kind=OrganisationKind.CPS_AREA, code="cymru-wales")
    assert set(wales.units.values_list("code", flat=True)) == {"MCU", "CCU", "RASSO", "CCCU"}
    assert set(wales.serves.values_list("code", flat=True)) == {"60", "61", "62", "63"}


def test_kent_has_unit_af_northfleet() -> None:
    load()
    unit = Unit.objects.get(organisation__kind=OrganisationKind.POLICE_FORCE, organisation__code="46", code="AF")
    assert "northfleet" in unit.name.lower()
    assert unit.is_active


def test_units_the_standing_data_marks_historic_are_loaded_inactive() -> None:
    load()
    police_units = Unit.objects.filter(organisation__kind=OrganisationKind.POLICE_FORCE)
    extract = read_extract("police-units")
    assert police_units.count() == len(extract)
    assert police_units.filter(is_active=False).count() == sum(1 for u in extract if not u["active"]) > 0
    assert not police_units.filter(name__icontains="historic", is_active=True).exists()


def test_loads_magistrates_and_crown_courts() -> None:
    load()
    assert Court.objects.filter(kind=CourtKind.MAGISTRATES).count() >= 200
    assert Court.objects.filter(kind=CourtKind.CROWN).count() >= 80
    old_bailey = Court.objects.get(kind=CourtKind.CROWN, name="Central Criminal Court")
    assert old_bailey.code == "C01CE00"
    assert Court.objects.filter(kind=CourtKind.CROWN, name="Leeds").exists()
    assert Court.objects.filter(kind=CourtKind.MAGISTRATES, name="Canterbury").exists()


def test_force_names_match_the_vendored_data() -> None:
    load()
    assert Organisation.objects.get(kind=OrganisationKind.POLICE_FORCE, code="01").name == "Metropolitan Police Service"
    names = dict(Organisation.objects.filter(kind=OrganisationKind.POLICE_FORCE).values_list("code", "name"))
    assert names == {f["code"]: f["fullName"] for f in read_extract("forces")}
    assert names["93"] == "British Transport Police"


def test_second_run_changes_nothing() -> None:
    load()
    before = snapshot()
    output = load()
    assert snapshot() == before
    summary = [line for line in output.splitlines() if " in reference data" in line]
    assert len(summary) == 5  # CPS organisations, CPS units, forces, police units, courts
    assert all("0 created, 0 updated, 0 marked inactive" in line for line in summary), output
    assert Organisation.objects.filter(kind=OrganisationKind.POLICE_FORCE, code="46").count() == 1


def test_existing_rows_are_updated_in_place_keeping_local_settings() -> None:
    area = Organisation.objects.create(kind=OrganisationKind.CPS_AREA, code="south-east", name="South East (old)")
    kent = Organisation.objects.create(
        kind=OrganisationKind.POLICE_FORCE, code="46", name="Kent (typed by hand)", restrict_police_to_unit=True
    )
    unit = Unit.objects.create(organisation=kent, code="AF", name="wrong", is_active=False)

    load()

    kent.refresh_from_db()
    unit.refresh_from_db()
    area.refresh_from_db()
    assert (kent.name, kent.served_by_id, kent.restrict_police_to_unit) == ("Kent Police", area.pk, True)
    assert (unit.name, unit.is_active) == ("NORTHFLEET", True)
    assert area.name == "CPS South East"
    assert Organisation.objects.filter(code="46").count() == 1


def test_rows_not_in_the_reference_data_are_marked_inactive_not_deleted() -> None:
    load()
    kent = Organisation.objects.get(kind=OrganisationKind.POLICE_FORCE, code="46")
    stray_force = Organisation.objects.create(kind=OrganisationKind.POLICE_FORCE, code="XX", name="Not a force")
    stray_area = Organisation.objects.create(kind=OrganisationKind.CPS_AREA, code="old-area", name="CPS Old Area")
    stray_unit = Unit.objects.create(organisation=kent, code="9Z", name="Not a unit")
    stray_cps_unit = Unit.objects.create(organisation=kent.served_by, code="OLD", name="Old CPS unit")
    stray_court = Court.objects.create(code="B99ZZ00", name="Closed court", kind=CourtKind.MAGISTRATES)

    output = load()

    for row in (stray_force, stray_area, stray_unit, stray_cps_unit, stray_court):
        row.refresh_from_db()  # still there
        assert row.is_active is False, row
    assert "1 marked inactive" in output
    assert "0 marked inactive" in load().splitlines()[-1]
