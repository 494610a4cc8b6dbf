"""Demo data: two police forces, the CPS Areas that serve them, CPS Direct, and a user for every
role in each — ``manage.py seed_demo [--password P] [--json]``. Idempotent.

The password comes from ``--password`` or ``DEMO_PASSWORD`` (``make run`` generates one into
``var/demo_password``); there is no default, so no password is written in the repository.
Demo users have two-factor authentication turned off by the demo's ``TWO_FACTOR_REQUIRED=false``.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from accounts.choices import OrganisationKind, Role
from accounts.models import Organisation, Unit, User

# Northumbria (North East) and Kent (South East): one northern and one southern force, each served
# by a different CPS Area, so every "outsider" case is visible in the demo.
DEMO_FORCES = {"10": "north", "46": "south"}


@dataclass(frozen=True)
class DemoUser:
    username: str
    first_name: str
    last_name: str
    roles: tuple[Role, ...]
    job_title: str


def _police_users(slug: str) -> list[DemoUser]:
    return [
        DemoUser(f"officer.{slug}", "Alex", f"Officer ({slug})", (Role.POLICE_INVESTIGATOR,), "Detective Constable"),
        DemoUser(f"supervisor.{slug}", "Sam", f"Supervisor ({slug})", (Role.POLICE_SUPERVISOR,), "Detective Sergeant"),
        DemoUser(
            f"disclosure.{slug}", "Jo", f"Disclosure ({slug})", (Role.DISCLOSURE_OFFICER,), "Police Staff Investigator"
        ),
        DemoUser(
            f"police.manager.{slug}", "Chris", f"Manager ({slug})", (Role.POLICE_MANAGER,), "Detective Chief Inspector"
        ),
    ]


def _cps_users(slug: str) -> list[DemoUser]:
    return [
        DemoUser(f"lawyer.{slug}", "Priya", f"Lawyer ({slug})", (Role.CPS_LAWYER,), "Senior Crown Prosecutor"),
        DemoUser(f"paralegal.{slug}", "Tom", f"Paralegal ({slug})", (Role.CPS_PARALEGAL,), "Paralegal Officer"),
        DemoUser(
            f"cps.manager.{slug}",
            "Morgan",
            f"Manager ({slug})",
            (Role.CPS_LEGAL_MANAGER,),
            "Senior District Crown Prosecutor",
        ),
    ]


class Command(BaseCommand):
    help = "Create (or refresh) the demo organisations and users. Idempotent."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--password", default=os.environ.get("DEMO_PASSWORD"), help="Password for every demo user.")
        parser.add_argument("--json", action="store_true", help="Print the demo sign-ins as JSON.")

    def handle(self, *args: Any, password: str | None, json: bool, **options: Any) -> None:
        if not password:
            raise CommandError("Give the demo password with --password or DEMO_PASSWORD.")
        if not Organisation.objects.filter(kind=OrganisationKind.POLICE_FORCE).exists():
            call_command("load_reference_data", stdout=self.stderr)
        with transaction.atomic():
            rows = self._seed(password)
        if json:
            self.stdout.write(_dumps(rows))
        else:
            for row in rows:
                self.stdout.write(f"{row['username']:<26} {row['role']:<34} {row['organisation']}")

    def _seed(self, password: str) -> list[dict[str, str]]:
        rows: list[dict[str, str]] = []
        for force_code, slug in DEMO_FORCES.items():
            try:
                force = Organisation.objects.select_related("served_by").get(
                    kind=OrganisationKind.POLICE_FORCE, code=force_code
                )
            except Organisation.DoesNotExist as exc:
                raise CommandError(f"Force {force_code} is missing: run manage.py load_reference_data.") from exc
            area = force.served_by
            if area is None:
                raise CommandError(f"{force.name} has no serving CPS Area in the reference data.")
            unit = Unit.objects.filter(organisation=force, is_active=True).order_by("code").first()
            cps_unit = Unit.objects.filter(organisation=area, is_active=True).order_by("code").first()
            for demo in _police_users(slug):
                rows.append(self._user(demo, password, force, unit))
            for demo in _cps_users(slug):
                rows.append(self._user(demo, password, area, cps_unit))
        cps_direct = Organisation.objects.filter(kind=OrganisationKind.CPS_DIRECT).first()
        if cps_direct is not None:
            demo = DemoUser("lawyer.cpsd", "Dana", "Lawyer (CPS Direct)", (Role.CPS_LAWYER,), "Crown Prosecutor")
            rows.append(self._user(demo, password, cps_direct, None))
        admin = DemoUser("admin", "Ash", "Administrator", (Role.SYSTEM_ADMINISTRATOR,), "Service administrator")
        rows.append(self._user(admin, password, None, None, staff=True))
        return rows

    def _user(
        self,
        demo: DemoUser,
        password: str,
        organisation: Organisation | None,
        unit: Unit | None,
        *,
        staff: bool = False,
    ) -> dict[str, str]:
        user, _ = User.objects.get_or_create(username=demo.username)
        user.first_name, user.last_name, user.job_title = demo.first_name, demo.last_name, demo.job_title
        user.organisation, user.unit, user.roles = organisation, unit, list(demo.roles)
        user.email = f"{demo.username}@casebridge.invalid"
        user.is_staff = user.is_superuser = staff
        user.is_active = True
        user.set_password(password)
        user.full_clean(exclude=["password"])
        user.save()
        return {
            "username": demo.username,
            "role": str(demo.roles[0].label),
            "organisation": organisation.name if organisation else "Casebridge service",
        }


def _dumps(rows: list[dict[str, str]]) -> str:
    return json.dumps(rows, indent=2)
