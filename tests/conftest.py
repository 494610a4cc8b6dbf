"""The fixed cast of test users. Force A (Northumbria, 10) is served by CPS North East ("north");
force B (Kent, 46) by CPS South East ("south")."""

from __future__ import annotations

import pytest
from django.test import Client

from accounts.choices import CourtKind, OrganisationKind, Role
from accounts.models import Court, Organisation, Unit, User
from casework.choices import ModeOfTrial
from casework.models import OffenceCode
from tests.factories.accounts import TEST_PASSWORD, CpsAreaFactory, ForceFactory, UnitFactory, UserFactory


@pytest.fixture
def area_north(db: None) -> Organisation:
    return CpsAreaFactory(code="north-east", name="CPS North East")


@pytest.fixture
def area_south(db: None) -> Organisation:
    return CpsAreaFactory(code="south-east", name="CPS South East")


@pytest.fixture
def cps_direct(db: None) -> Organisation:
    return CpsAreaFactory(kind=OrganisationKind.CPS_DIRECT, code="cps-direct", name="CPS Direct")


@pytest.fixture
def force_a(area_north: Organisation) -> Organisation:
    return ForceFactory(code="10", name="Northumbria Police", served_by=area_north)


@pytest.fixture
def force_b(area_south: Organisation) -> Organisation:
    return ForceFactory(code="46", name="Kent Police", served_by=area_south)


@pytest.fixture
def unit_a1(force_a: Organisation) -> Unit:
    return UnitFactory(organisation=force_a, code="AA", name="Newcastle")


@pytest.fixture
def unit_a2(force_a: Organisation) -> Unit:
    return UnitFactory(organisation=force_a, code="AB", name="Sunderland")


@pytest.fixture
def unit_b1(force_b: Organisation) -> Unit:
    return UnitFactory(organisation=force_b, code="AF", name="Northfleet")


def _user(
    username: str, organisation: Organisation | None, roles: list[str], unit: Unit | None = None, **extra: object
) -> User:
    return UserFactory(username=username, organisation=organisation, unit=unit, roles=roles, **extra)


@pytest.fixture
def officer_a(force_a: Organisation, unit_a1: Unit) -> User:
    return _user("officer_a", force_a, [Role.POLICE_INVESTIGATOR], unit_a1)


@pytest.fixture
def officer_a2(force_a: Organisation, unit_a2: Unit) -> User:
    return _user("officer_a2", force_a, [Role.POLICE_INVESTIGATOR], unit_a2)


@pytest.fixture
def officer_b(force_b: Organisation, unit_b1: Unit) -> User:
    return _user("officer_b", force_b, [Role.POLICE_INVESTIGATOR], unit_b1)


@pytest.fixture
def supervisor_a(force_a: Organisation, unit_a1: Unit) -> User:
    return _user("supervisor_a", force_a, [Role.POLICE_SUPERVISOR], unit_a1)


@pytest.fixture
def disclosure_a(force_a: Organisation, unit_a1: Unit) -> User:
    return _user("disclosure_a", force_a, [Role.DISCLOSURE_OFFICER], unit_a1)


@pytest.fixture
def manager_police_a(force_a: Organisation) -> User:
    return _user("manager_police_a", force_a, [Role.POLICE_MANAGER])


@pytest.fixture
def lawyer_north(area_north: Organisation) -> User:
    return _user("lawyer_north", area_north, [Role.CPS_LAWYER])


@pytest.fixture
def lawyer_south(area_south: Organisation) -> User:
    return _user("lawyer_south", area_south, [Role.CPS_LAWYER])


@pytest.fixture
def paralegal_north(area_north: Organisation) -> User:
    return _user("paralegal_north", area_north, [Role.CPS_PARALEGAL])


@pytest.fixture
def manager_cps_north(area_north: Organisation) -> User:
    return _user("manager_cps_north", area_north, [Role.CPS_LEGAL_MANAGER])


@pytest.fixture
def lawyer_cpsd(cps_direct: Organisation) -> User:
    return _user("lawyer_cpsd", cps_direct, [Role.CPS_LAWYER])


@pytest.fixture
def admin_user(db: None) -> User:
    return _user("admin", None, [Role.SYSTEM_ADMINISTRATOR], is_staff=True, is_superuser=True)


@pytest.fixture
def password() -> str:
    return TEST_PASSWORD


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def as_user() -> object:
    """``as_user(user)`` gives a test client signed in as that user."""
    return signed_in


# Reference rows for case-building tests (a few real CJS codes; the full list loads in its own test).
@pytest.fixture
def offence_codes(db: None) -> dict[str, OffenceCode]:
    rows = [
        ("CJ88001", "Common assault", "CS", ModeOfTrial.SUMMARY_ONLY, ""),
        ("CJ88116", "Assault by beating", "CS", ModeOfTrial.SUMMARY_ONLY, ""),
        ("TH68001", "Theft from a shop", "CE", ModeOfTrial.EITHER_WAY, ""),
        ("OF61016", "Wounding with intent to do grievous bodily harm", "CI", ModeOfTrial.INDICTABLE_ONLY, "gbh_abh"),
        ("PH97003", "Harassment without violence", "CS", ModeOfTrial.SUMMARY_ONLY, "harassment_stalking"),
        ("0101AP001", "Application for an extension", "B7", ModeOfTrial.NOT_CRIMINAL, ""),
    ]
    return {
        code: OffenceCode.objects.create(code=code, title=title, category=cat, mode_of_trial=mode, dg6_group=group)
        for code, title, cat, mode, group in rows
    }


@pytest.fixture
def magistrates_court(db: None) -> Court:
    return Court.objects.create(code="B10AA00", name="Newcastle Magistrates' Court", kind=CourtKind.MAGISTRATES)


@pytest.fixture
def crown_court(db: None) -> Court:
    return Court.objects.create(code="C10AA00", name="Newcastle Crown Court", kind=CourtKind.CROWN)
