"""Administrators search the audit log (read-only); nobody else reaches the admin."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from accounts.audit import audit_record
from accounts.choices import AuditEventType
from accounts.models import AuditEvent, User

pytestmark = pytest.mark.django_db


def test_administrator_searches_the_audit_and_the_search_is_audited(
    admin_user: User, officer_a: User, as_user: Callable[[User], Client]
) -> None:
    audit_record(by=officer_a, event_type=AuditEventType.CASE_VIEWED, summary="viewed a case")
    response = as_user(admin_user).get("/admin/accounts/auditevent/?q=officer_a")
    assert response.status_code == 200
    assert "officer_a" in response.content.decode()
    assert AuditEvent.objects.filter(event_type=AuditEventType.AUDIT_SEARCHED, actor=admin_user).exists()


def test_audit_rows_cannot_be_changed_or_deleted_in_the_admin(
    admin_user: User, officer_a: User, as_user: Callable[[User], Client]
) -> None:
    event = audit_record(by=officer_a, event_type=AuditEventType.CASE_VIEWED)
    client = as_user(admin_user)
    assert client.post(f"/admin/accounts/auditevent/{event.pk}/change/", {"summary": "x"}).status_code == 403
    assert client.post(f"/admin/accounts/auditevent/{event.pk}/delete/", {"post": "yes"}).status_code == 403
    assert AuditEvent.objects.filter(pk=event.pk, summary="").exists()


@pytest.mark.parametrize("persona", ["officer_a", "manager_police_a", "lawyer_north"])
def test_case_workers_do_not_reach_the_admin(
    persona: str, request: pytest.FixtureRequest, as_user: Callable[[User], Client]
) -> None:
    client = as_user(request.getfixturevalue(persona))
    response = client.get("/admin/accounts/auditevent/", follow=True)
    assert response.status_code == 403
    assert "You cannot do this" in response.content.decode()


def test_administrator_edits_a_users_roles(
    admin_user: User, officer_a: User, as_user: Callable[[User], Client]
) -> None:
    page = as_user(admin_user).get(f"/admin/accounts/user/{officer_a.pk}/change/")
    assert page.status_code == 200
    assert 'value="disclosure_officer"' in page.content.decode()


def test_the_admin_has_no_sign_in_of_its_own(client: Client, db: None) -> None:
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/sign-in/")
