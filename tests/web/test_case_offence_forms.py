"""Adding and changing offences, and listing hearings and recording their outcomes, through the
pages: refusals show the service's words against the field and write nothing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import Organisation, Unit, User
from casework.choices import HearingOutcome, OffenceStatus
from casework.forms import CODE_REQUIRED, HEARING_TIME_REQUIRED
from casework.models import Hearing, OffenceAllegation
from casework.services._common import DATE_IN_FUTURE
from casework.services.hearings import COURT_REQUIRED, TYPE_REQUIRED
from casework.services.offences import (
    CODE_NOT_CRIMINAL,
    CODE_UNKNOWN,
    DATE_REQUIRED,
    RANGE_REVERSED,
    SUSPECT_NOT_ON_CASE,
)
from tests.factories.casework import CaseFactory, SuspectFactory

from .test_case_support import (
    BuiltCase,
    assert_form_error,
    build_case,
    date_parts,
    datetime_parts,
    error_summary,
    page,
    send_to_cps,
    snapshot,
)

pytestmark = pytest.mark.django_db

Login = Callable[[User], Client]
TODAY = timezone.localdate


@pytest.fixture
def built(force_a: Organisation, unit_a1: Unit, officer_a: User) -> BuiltCase:
    return build_case(force_a, unit_a1, officer_a)


@pytest.fixture
def client_a(officer_a: User, as_user: Login) -> Client:
    return as_user(officer_a)


def url(built: BuiltCase, rest: str) -> str:
    return f"/cases/{built.case.public_id}/{rest}"


def offence(built: BuiltCase, **extra: object) -> dict[str, object]:
    return {
        "suspect": str(built.suspect.public_id),
        "code": "OF61016",
        "qualifier": "",
        **date_parts("committed_on", TODAY() - timedelta(days=5)),
        "status": OffenceStatus.ALLEGED,
        **extra,
    }


def test_the_offence_page_links_to_the_offence_search(built: BuiltCase, client_a: Client) -> None:
    body = page(client_a.get(url(built, "offences/new/")))
    assert 'href="/offence-codes/"' in body
    assert "search the offence list" in body
    assert f'<option value="{built.suspect.public_id}">{built.suspect.full_name}</option>' in body


def test_the_offence_search_can_hand_back_a_code(built: BuiltCase, client_a: Client) -> None:
    body = page(client_a.get(url(built, "offences/new/"), {"code": "CJ88116"}))
    assert 'value="CJ88116"' in body


def test_an_offence_needs_a_suspect_first(
    force_a: Organisation, unit_a1: Unit, officer_a: User, client_a: Client
) -> None:
    case = CaseFactory(force=force_a, unit=unit_a1, urn="10AA5432126")
    body = page(client_a.get(f"/cases/{case.public_id}/offences/new/"))
    assert "This case has no suspects yet" in body
    assert f'href="/cases/{case.public_id}/suspects/new/"' in body
    assert 'name="code"' not in body


def test_an_empty_offence_form_lists_every_missing_field(built: BuiltCase, client_a: Client) -> None:
    before = snapshot()
    response = client_a.post(url(built, "offences/new/"), {})
    assert error_summary(response) == [
        ("#id_suspect", SUSPECT_NOT_ON_CASE),
        ("#id_code", CODE_REQUIRED),
        ("#id_committed_on_0", DATE_REQUIRED),
        ("#id_status_0", "Choose alleged, charged or not proceeded with"),
    ]
    assert_form_error(response, CODE_REQUIRED, "id_code")
    assert snapshot() == before


@pytest.mark.parametrize(
    ("extra", "message", "anchor"),
    [
        ({"code": "ZZ99999"}, CODE_UNKNOWN.format(code="ZZ99999"), "id_code"),
        ({"code": "FM00001"}, CODE_NOT_CRIMINAL.format(code="FM00001"), "id_code"),
        (
            date_parts("committed_on", TODAY() + timedelta(days=1)),
            DATE_IN_FUTURE.format(label="The offence date"),
            "id_committed_on_0",
        ),
        (
            date_parts("committed_until", TODAY() - timedelta(days=9)),
            RANGE_REVERSED,
            "id_committed_until_0",
        ),
        ({"qualifier": "Z"}, "Choose from the list", "id_qualifier_0"),
    ],
)
def test_a_refused_offence_is_not_added(
    built: BuiltCase, client_a: Client, extra: dict[str, object], message: str, anchor: str
) -> None:
    before = snapshot()
    assert_form_error(client_a.post(url(built, "offences/new/"), offence(built, **extra)), message, anchor)
    assert snapshot() == before


def test_a_suspect_of_another_case_cannot_be_chosen(
    built: BuiltCase, client_a: Client, force_a: Organisation, unit_a1: Unit
) -> None:
    stranger = SuspectFactory(case=CaseFactory(force=force_a, unit=unit_a1, urn="10AA1111126"))
    before = snapshot()
    response = client_a.post(url(built, "offences/new/"), offence(built, suspect=str(stranger.public_id)))
    assert_form_error(response, SUSPECT_NOT_ON_CASE, "id_suspect")
    assert snapshot() == before


def test_an_offence_is_added_with_a_qualifier_in_the_code(built: BuiltCase, client_a: Client) -> None:
    response = client_a.post(
        url(built, "offences/new/"),
        offence(built, code="of61016a", location="Bigg Market", **date_parts("committed_until", TODAY())),
    )
    assert response.status_code == 302
    assert response["Location"] == url(built, "offences/")
    added = OffenceAllegation.objects.get(offence_code__code="OF61016")
    assert (added.qualifier, added.location, added.committed_until) == ("A", "Bigg Market", TODAY())
    body = page(client_a.get(response["Location"]))
    assert "Offence OF61016A added against" in body
    assert "OF61016A" in body


def test_an_offence_is_changed(built: BuiltCase, client_a: Client) -> None:
    path = url(built, f"offences/{built.offence.public_id}/change/")
    body = page(client_a.get(path))
    assert 'value="CJ88116"' in body
    response = client_a.post(path, offence(built, code="CJ88116", status=OffenceStatus.CHARGED))
    assert response.status_code == 302
    built.offence.refresh_from_db()
    assert built.offence.status == OffenceStatus.CHARGED
    before = snapshot()
    assert_form_error(client_a.post(path, offence(built, code="nope")), CODE_UNKNOWN.format(code="nope"), "id_code")
    assert snapshot() == before


# ---------------------------------------------------------------------------------------------
# Hearings


def hearing(built: BuiltCase, **extra: object) -> dict[str, object]:
    return {
        "court": built.court.code,
        **datetime_parts("starts_at", TODAY() + timedelta(days=7), "10:00"),
        "hearing_type": "trial",
        "outcome": "",
        **extra,
    }


def test_an_empty_hearing_lists_every_missing_field(built: BuiltCase, client_a: Client) -> None:
    before = snapshot()
    response = client_a.post(url(built, "hearings/new/"), {})
    assert [m for _, m in error_summary(response)] == [COURT_REQUIRED, HEARING_TIME_REQUIRED, TYPE_REQUIRED]
    assert_form_error(response, HEARING_TIME_REQUIRED, "id_starts_at_0")
    assert snapshot() == before


def test_a_hearing_time_must_be_a_real_time(built: BuiltCase, client_a: Client) -> None:
    response = client_a.post(url(built, "hearings/new/"), hearing(built, starts_at_time="half ten"))
    assert_form_error(response, "The hearing time must include a real time, like 14:30", "id_starts_at_0")


def test_a_hearing_is_listed_and_its_outcome_recorded(built: BuiltCase, client_a: Client) -> None:
    response = client_a.post(url(built, "hearings/new/"), hearing(built))
    assert response.status_code == 302
    added = Hearing.objects.get(hearing_type="trial")
    assert timezone.localtime(added.starts_at).strftime("%H:%M") == "10:00"
    assert "Trial at Newcastle upon Tyne Magistrates" in page(client_a.get(response["Location"]))
    path = url(built, f"hearings/{added.public_id}/change/")
    assert 'value="10:00"' in page(client_a.get(path))
    response = client_a.post(path, hearing(built, outcome=HearingOutcome.ADJOURNED, outcome_notes="Witness ill"))
    assert response.status_code == 302
    added.refresh_from_db()
    assert (added.outcome, added.outcome_notes) == (HearingOutcome.ADJOURNED, "Witness ill")


def test_the_cps_records_a_hearing_outcome_once_sent(built: BuiltCase, lawyer_north: User, as_user: Login) -> None:
    send_to_cps(built.case)
    client = as_user(lawyer_north)
    path = url(built, f"hearings/{built.hearing.public_id}/change/")
    response = client.post(path, hearing(built, hearing_type="first_hearing", outcome=HearingOutcome.SENT_TO_CROWN))
    assert response.status_code == 302
    built.hearing.refresh_from_db()
    assert built.hearing.outcome == HearingOutcome.SENT_TO_CROWN
