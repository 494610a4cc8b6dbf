"""Case pages answer 404 to anyone outside the case's scope, and viewing a case is audited."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable

import pytest
from django.test import Client
from django.utils import timezone

from accounts.choices import AuditEventType
from accounts.models import AuditEvent, Organisation, Unit, User
from casework.models import Case
from tests.factories.casework import CaseFactory

pytestmark = pytest.mark.django_db


def strip_nonce(html: bytes) -> bytes:
    return re.sub(rb'(nonce|name="csrfmiddlewaretoken" value)="[^"]+"', b"", html)


@pytest.fixture
def case_a(force_a: Organisation, unit_a1: Unit) -> Case:
    return CaseFactory(force=force_a, unit=unit_a1, urn="10AA1234526")


def test_officer_sees_their_forces_case_and_the_view_is_audited(
    case_a: Case, officer_a: User, as_user: Callable[[User], Client]
) -> None:
    response = as_user(officer_a).get(f"/cases/{case_a.public_id}/")
    assert response.status_code == 200
    assert case_a.urn_display in response.content.decode()
    event = AuditEvent.objects.get(event_type=AuditEventType.CASE_VIEWED)
    assert event.actor == officer_a
    assert event.case_id == case_a.public_id


@pytest.mark.parametrize("outsider", ["officer_b", "lawyer_south", "lawyer_north", "lawyer_cpsd", "admin_user"])
def test_outsiders_get_the_same_404_as_for_a_missing_case(
    outsider: str, case_a: Case, request: pytest.FixtureRequest, as_user: Callable[[User], Client]
) -> None:
    client = as_user(request.getfixturevalue(outsider))
    outside = client.get(f"/cases/{case_a.public_id}/")
    missing = client.get(f"/cases/{uuid.uuid4()}/")
    assert outside.status_code == missing.status_code == 404
    # Identical pages but for the per-response CSP nonce and CSRF token.
    assert strip_nonce(outside.content) == strip_nonce(missing.content)
    for page in (client.get("/cases/").content.decode(), client.get("/").content.decode()):
        assert case_a.urn not in page
        assert case_a.urn_display not in page
    assert not AuditEvent.objects.filter(event_type=AuditEventType.CASE_VIEWED).exists()


def test_cps_area_sees_the_case_once_sent(case_a: Case, lawyer_north: User, as_user: Callable[[User], Client]) -> None:
    client = as_user(lawyer_north)
    assert client.get(f"/cases/{case_a.public_id}/").status_code == 404
    Case.objects.filter(pk=case_a.pk).update(sent_to_cps_at=timezone.now())
    assert client.get(f"/cases/{case_a.public_id}/").status_code == 200
    assert case_a.urn_display in client.get("/cases/").content.decode()
