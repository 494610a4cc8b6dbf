"""Creating a case and changing its details through the pages: every refusal shows the service's
own words in the GOV.UK error summary and writes nothing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from accounts.choices import AuditEventType, Role
from accounts.models import AuditEvent, Organisation, Unit, User
from casework.forms import OFFICER_NOT_LISTED, URN_REQUIRED
from casework.identifiers import URN_INVALID
from casework.models import Case
from casework.services._common import DATE_IN_FUTURE
from casework.services.cases import BTP_NEEDS_AREA, URN_OTHER_FORCE, URN_TAKEN, URN_UNKNOWN_UNIT
from tests.factories.accounts import ForceFactory, UnitFactory, UserFactory
from tests.factories.casework import CaseFactory

from .test_case_support import assert_form_error, date_parts, error_summary, page, snapshot

pytestmark = pytest.mark.django_db

Login = Callable[[User], Client]


@pytest.fixture
def client_a(officer_a: User, unit_a1: Unit, as_user: Login) -> Client:
    return as_user(officer_a)


def test_the_create_page_asks_for_the_urn_with_an_example(client_a: Client) -> None:
    response = client_a.get("/cases/new/")
    assert response.status_code == 200
    body = page(response)
    assert '<h1 class="govuk-heading-l">Create a case</h1>' in body
    assert "For example, 10/AA/12345/26" in body
    assert 'class="govuk-back-link"' in body
    assert 'name="cps_area"' not in body  # Northumbria is served by CPS North East
    assert "For example, 27 3 2026" in body
    assert "<title>Create a case" in body
    assert '<div class="govuk-checkboxes" data-module="govuk-checkboxes" id="id_flags">' in body
    assert 'type="checkbox" name="flags" value="domestic_abuse" class="govuk-checkboxes__input"' in body


def test_an_officer_creates_a_case_and_sees_it_with_a_success_banner(
    client_a: Client, officer_a: User, supervisor_a: User
) -> None:
    reported = timezone.localdate() - timedelta(days=3)
    response = client_a.post(
        "/cases/new/",
        {
            "urn": "10/aa/12345/26",
            "summary": "Theft of a bicycle",
            "flags": ["domestic_abuse", "hate_crime"],
            **date_parts("reported_on", reported),
            "supervisor": str(supervisor_a.public_id),
        },
    )
    case = Case.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/cases/{case.public_id}/"
    assert (case.urn, case.summary, case.reported_on) == ("10AA1234526", "Theft of a bicycle", reported)
    assert case.flags == ["domestic_abuse", "hate_crime"]
    assert case.officer_in_case == officer_a  # an investigator is the officer in case unless they say otherwise
    assert case.supervisor == supervisor_a
    assert case.cps_area is not None
    assert case.cps_area.name == "CPS North East"
    body = page(client_a.get(response["Location"]))
    assert "govuk-notification-banner--success" in body
    assert "Case 10/AA/12345/26 created" in body
    assert AuditEvent.objects.filter(event_type=AuditEventType.CASE_CREATED, case_id=case.public_id).exists()


def test_the_officer_list_offers_only_the_forces_officers(
    client_a: Client, officer_a: User, officer_a2: User, officer_b: User, supervisor_a: User, lawyer_north: User
) -> None:
    body = page(client_a.get("/cases/new/"))
    for user in (officer_a, officer_a2, supervisor_a):
        assert str(user.public_id) in body
    for user in (officer_b, lawyer_north):
        assert str(user.public_id) not in body


@pytest.mark.parametrize(
    ("data", "message", "anchor"),
    [
        ({}, URN_REQUIRED, "id_urn"),
        ({"urn": "12345"}, URN_INVALID, "id_urn"),
        ({"urn": "46/AF/12345/26"}, URN_OTHER_FORCE.format(code="46", force="Northumbria Police"), "id_urn"),
        ({"urn": "10/ZZ/12345/26"}, URN_UNKNOWN_UNIT.format(unit="ZZ", force="Northumbria Police"), "id_urn"),
        ({"urn": "10/AA/99999/26"}, URN_TAKEN, "id_urn"),
        (
            {"urn": "10/AA/12345/26", **date_parts("reported_on", timezone.localdate() + timedelta(days=1))},
            DATE_IN_FUTURE.format(label="The date reported"),
            "id_reported_on_0",
        ),
        (
            {"urn": "10/AA/12345/26", "reported_on_day": "31", "reported_on_month": "2", "reported_on_year": "2026"},
            "The date reported must be a real date",
            "id_reported_on_0",
        ),
        (
            {"urn": "10/AA/12345/26", "reported_on_day": "3", "reported_on_month": "3", "reported_on_year": ""},
            "The date reported must include a year",
            "id_reported_on_0",
        ),
        ({"urn": "10/AA/12345/26", "flags": ["nonsense"]}, "Choose from the list", "id_flags_0"),
        ({"urn": "10/AA/12345/26", "officer_in_case": "not-a-uuid"}, OFFICER_NOT_LISTED, "id_officer_in_case"),
    ],
)
def test_a_refused_case_is_not_created(
    client_a: Client, force_a: Organisation, unit_a1: Unit, data: dict[str, object], message: str, anchor: str
) -> None:
    CaseFactory(force=force_a, unit=unit_a1, urn="10AA9999926")
    before = snapshot()
    response = client_a.post("/cases/new/", data)
    assert_form_error(response, message, anchor)
    assert snapshot() == before


def test_an_officer_of_another_force_is_not_offered_as_officer_in_case(
    client_a: Client, officer_b: User, unit_a1: Unit
) -> None:
    response = client_a.post("/cases/new/", {"urn": "10/AA/12345/26", "officer_in_case": str(officer_b.public_id)})
    assert_form_error(response, OFFICER_NOT_LISTED, "id_officer_in_case")
    assert not Case.objects.exists()


def test_every_error_is_shown_at_once_and_the_typed_values_kept(client_a: Client) -> None:
    response = client_a.post(
        "/cases/new/",
        {"urn": "", "reported_on_day": "40", "reported_on_month": "1", "reported_on_year": "2026", "summary": "Kept"},
    )
    assert [text for _, text in error_summary(response)] == [URN_REQUIRED, "The date reported must be a real date"]
    body = page(response)
    assert 'value="40"' in body
    assert "Kept</textarea>" in body
    assert "govuk-input--error" in body


@pytest.fixture
def btp(db: None) -> tuple[Organisation, User]:
    """British Transport Police: no serving CPS Area of its own."""
    force = ForceFactory(code="93", name="British Transport Police", served_by=None)
    unit = UnitFactory(organisation=force, code="BT", name="London")
    return force, UserFactory(username="officer_btp", organisation=force, unit=unit, roles=[Role.POLICE_INVESTIGATOR])


def test_btp_chooses_the_cps_area_where_the_offence_happened(
    btp: tuple[Organisation, User], area_north: Organisation, as_user: Login
) -> None:
    client = as_user(btp[1])
    assert 'name="cps_area"' in page(client.get("/cases/new/"))
    response = client.post("/cases/new/", {"urn": "93/BT/12345/26"})
    assert_form_error(response, BTP_NEEDS_AREA, "id_cps_area")
    assert not Case.objects.exists()
    response = client.post("/cases/new/", {"urn": "93/BT/12345/26", "cps_area": area_north.code})
    assert response.status_code == 302
    assert Case.objects.get().cps_area == area_north


# ---------------------------------------------------------------------------------------------
# Changing the case details


@pytest.fixture
def case_a(force_a: Organisation, unit_a1: Unit, officer_a: User) -> Case:
    return CaseFactory(force=force_a, unit=unit_a1, urn="10AA1234526", officer_in_case=officer_a, summary="Old")


def test_the_change_page_is_filled_in_and_saves(case_a: Case, client_a: Client, officer_a2: User) -> None:
    url = f"/cases/{case_a.public_id}/change/"
    body = page(client_a.get(url))
    assert "Old</textarea>" in body
    assert f'value="{case_a.officer_in_case.public_id}" selected' in body  # type: ignore[union-attr]
    assert 'name="urn"' not in body  # the URN is the case's identity: it is not changed here
    response = client_a.post(url, {"summary": "New", "flags": ["rasso"], "officer_in_case": str(officer_a2.public_id)})
    assert response.status_code == 302
    case_a.refresh_from_db()
    assert (case_a.summary, case_a.flags, case_a.officer_in_case) == ("New", ["rasso"], officer_a2)
    assert "Case details saved" in page(client_a.get(response["Location"]))


def test_a_refused_change_changes_nothing(case_a: Case, client_a: Client) -> None:
    before = snapshot()
    response = client_a.post(
        f"/cases/{case_a.public_id}/change/",
        {"summary": "New", **date_parts("reported_on", timezone.localdate() + timedelta(days=5))},
    )
    assert_form_error(response, DATE_IN_FUTURE.format(label="The date reported"), "id_reported_on_0")
    assert snapshot() == before
