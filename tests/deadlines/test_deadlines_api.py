"""GET /api/v1/cases/{case_id}/deadlines/: the case's stored deadlines, filtered by status, and nothing
for anyone outside the case's scope."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
import time_machine
from django.test import Client

from accounts.choices import AuditEventType
from accounts.models import AuditEvent, User
from casework import services as cs
from casework.api.deadlines import STATUS_UNKNOWN
from casework.choices import DeadlineKind, OffenceStatus
from casework.models import Case, Suspect
from tests.deadlines.conftest import add_offence, at

pytestmark = pytest.mark.django_db

Login = Callable[[User], Client]
NOW = at(2026, 2, 2, 10, 0)


def url(case: Case, query: str = "") -> str:
    return f"/api/v1/cases/{case.public_id}/deadlines/{query}"


@pytest.fixture
def built(case: Case, suspect: Suspect, officer_a: User) -> Case:
    with time_machine.travel(NOW):
        add_offence(case, suspect, officer_a, "PH97003", date(2026, 1, 5))
        add_offence(case, suspect, officer_a, "CJ88001", date(2026, 1, 10), status=OffenceStatus.CHARGED)
    return case


def test_the_deadlines_are_listed_soonest_first_with_their_rule(
    built: Case, suspect: Suspect, officer_a: User, as_user: Login
) -> None:
    response = as_user(officer_a).get(url(built))
    assert response.status_code == 200
    first, second = response.json()
    assert first == {
        "id": first["id"],
        "kind": DeadlineKind.SUMMARY_TIME_LIMIT,
        "kind_label": "Summary time limit (s.127 MCA 1980)",
        "label": "Time limit to charge (s.127): Jamie SMITH, Harassment without violence (PH97003)",
        "suspect": str(suspect.public_id),
        "suspect_name": "Jamie SMITH",
        "offence": str(built.offences.get(offence_code__code="PH97003").public_id),
        "due_at": "2026-07-05T23:59:00+01:00",
        "rule": (
            "s.127 Magistrates' Courts Act 1980: an information must be laid (or a written charge issued) within "
            "6 months from the offence on 5 January 2026 (last day 5 July 2026)."
        ),
        "statutory": True,
        "status": "open",
        "status_label": "Open",
    }
    assert (second["due_at"], second["status"]) == ("2026-07-10T23:59:00+01:00", "met")
    assert AuditEvent.objects.filter(
        event_type=AuditEventType.CASE_VIEWED, case_id=built.public_id, data__part="deadlines"
    ).exists()


def test_the_status_filter(built: Case, officer_a: User, as_user: Login) -> None:
    client = as_user(officer_a)
    assert [d["status"] for d in client.get(url(built, "?status=met")).json()] == ["met"]
    assert [d["status"] for d in client.get(url(built, "?status=open")).json()] == ["open"]
    assert client.get(url(built, "?status=cancelled")).json() == []
    bad = client.get(url(built, "?status=late"))
    assert bad.status_code == 400
    assert bad.json()["error"]["fields"] == {"status": [STATUS_UNKNOWN]}


def test_another_force_gets_404_like_a_case_that_does_not_exist(built: Case, officer_b: User, as_user: Login) -> None:
    response = as_user(officer_b).get(url(built))
    assert response.status_code == 404
    missing = as_user(officer_b).get("/api/v1/cases/00000000-0000-0000-0000-000000000000/deadlines/")
    assert response.json() == missing.json()


def test_another_cps_area_gets_404_and_the_serving_area_sees_them_once_sent(
    built: Case, lawyer_south: User, lawyer_north: User, as_user: Login
) -> None:
    assert as_user(lawyer_north).get(url(built)).status_code == 404  # not yet sent to the CPS
    Case.objects.filter(pk=built.pk).update(sent_to_cps_at=NOW)
    assert as_user(lawyer_south).get(url(built)).status_code == 404
    assert len(as_user(lawyer_north).get(url(built)).json()) == 2


def test_without_signing_in_it_is_401(built: Case, client: Client) -> None:
    response = client.get(url(built))
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


def test_a_deadline_met_later_shows_as_met(built: Case, suspect: Suspect, officer_a: User, as_user: Login) -> None:
    offence = built.offences.get(offence_code__code="PH97003")
    with time_machine.travel(NOW):
        details = cs.OffenceDetails(
            suspect=suspect, code="PH97003", committed_on=date(2026, 1, 5), status=OffenceStatus.CHARGED
        )
        cs.offence_update(offence=offence, details=details, by=officer_a)
    assert as_user(officer_a).get(url(built, "?status=open")).json() == []
