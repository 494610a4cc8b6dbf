"""Demo data: two forces with the CPS Areas that serve them, a user per role in each; idempotent."""

from __future__ import annotations

import json
import secrets
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from accounts.choices import CPS_ROLES, POLICE_ROLES, OrganisationKind, Role
from accounts.models import Organisation, User

pytestmark = pytest.mark.django_db


def seed(password: str | None = None) -> list[dict[str, str]]:
    password = password or secrets.token_urlsafe(12)
    out = StringIO()
    # "--password=..." in one argument: a generated password may start with "-".
    call_command("seed_demo", f"--password={password}", "--json", stdout=out, stderr=StringIO())
    return json.loads(out.getvalue())


def test_seed_demo_creates_every_role_in_each_of_two_forces_and_their_areas() -> None:
    rows = seed()
    assert {"username", "role", "organisation"} <= rows[0].keys()
    forces = Organisation.objects.filter(kind=OrganisationKind.POLICE_FORCE, users__isnull=False).distinct()
    assert forces.count() == 2
    for force in forces:
        roles = {r for u in force.users.all() for r in u.roles}
        assert roles == set(POLICE_ROLES)
        area = force.served_by
        assert area is not None
        assert {r for u in area.users.all() for r in u.roles} == set(CPS_ROLES)
    assert User.objects.filter(roles__contains=[Role.SYSTEM_ADMINISTRATOR], is_staff=True).exists()


def test_seed_demo_is_idempotent_and_sets_the_given_password() -> None:
    first = seed()
    second_password = secrets.token_urlsafe(12)
    count = User.objects.count()
    second = seed(second_password)
    assert first == second
    assert User.objects.count() == count
    assert User.objects.get(username="officer.north").check_password(second_password)


def test_seed_demo_needs_a_password(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)
    with pytest.raises(CommandError, match="password"):
        call_command("seed_demo", password=None)
