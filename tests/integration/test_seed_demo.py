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


def test_seed_demo_cases_puts_one_request_in_the_cps_queue_and_one_action_plan_with_the_police() -> None:
    from charging.choices import RequestStatus
    from charging.models import ChargingRequest
    from charging.selectors import charging_queue_for

    seed()
    call_command("seed_demo_cases", stdout=StringIO())
    call_command("seed_demo_cases", stdout=StringIO())  # idempotent
    requests = ChargingRequest.objects.order_by("case__urn")
    assert [r.status for r in requests] == [RequestStatus.WITH_CPS_TRIAGE, RequestStatus.ACTION_PLAN_ISSUED]
    # The ABH offence is reserved to the CPS by DG6 Annex 1, and the request says so.
    assert {r.dg6_decider for r in requests} == {"cps"}
    queue = charging_queue_for(user=User.objects.get(username="paralegal.north"))
    assert [r.status for r in queue] == [RequestStatus.WITH_CPS_TRIAGE]
    assert charging_queue_for(user=User.objects.get(username="paralegal.south")).count() == 0
    planned = requests[1]
    assert planned.action_items.count() == 2
    assert User.objects.get(username="officer.north").notifications.filter(kind="charging_action_plan").exists()


def test_seed_demo_cases_needs_the_demo_users() -> None:
    with pytest.raises(CommandError, match="seed_demo first"):
        call_command("seed_demo_cases", stdout=StringIO())
