"""Who and where: the reference organisations, units, courts and offence codes the synthetic cases use, and
the named staff the generator creates for every force, CPS Area and CPS Direct.

The organisations come from the project's own reference data (``manage.py load_reference_data``: the MoJ
standing data and ``accounts.reference.cps``); ``ensure_reference_data`` loads it when the database has
none. Staff are created here through the ORM (a few thousand rows even at a million cases) with an unusable
password, so nobody can sign in as them; benchmarks and tests use ``force_login``. Every synthetic user's
username starts with ``syn.``, which is also how the generator recognises a database it has filled.
"""

from __future__ import annotations

import io
import math
import random
import re
import uuid
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.management import call_command

from accounts.choices import CourtKind, OrganisationKind, Role
from accounts.models import Court, Organisation, Unit, User
from accounts.reference.loader import read_extract
from casework.models import OffenceCode

from . import distributions as dist
from . import offences

USERNAME_PREFIX = "syn."
UNUSABLE_PASSWORD = "!"  # noqa: S105 - not a password: the hash nothing matches  # an unusable password hash (django.contrib.auth.hashers.UNUSABLE_PASSWORD_PREFIX)
EMAIL_DOMAIN = "synthetic.casebridge.invalid"
ROLE_SLUGS: dict[str, str] = {
    Role.POLICE_INVESTIGATOR: "officer",
    Role.POLICE_SUPERVISOR: "supervisor",
    Role.DISCLOSURE_OFFICER: "disclosure",
    Role.POLICE_MANAGER: "manager",
    Role.CPS_LAWYER: "lawyer",
    Role.CPS_PARALEGAL: "paralegal",
    Role.CPS_LEGAL_MANAGER: "legalmanager",
}
URN_UNIT_CODE = re.compile(r"[A-Z][A-Z0-9]")

MISSING_REFERENCE = "The reference data is incomplete: {what}. Run manage.py load_reference_data."


class ReferenceDataMissing(RuntimeError):
    pass


@dataclass(frozen=True)
class Person:
    """A synthetic member of staff, as the case rows need them."""

    id: int
    public_id: str
    username: str
    first_name: str
    last_name: str
    roles: tuple[str, ...]
    organisation_id: int

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def initials(self) -> str:
        return (self.first_name[:1] + self.last_name[:1]).upper()


@dataclass
class UnitPlan:
    id: int
    code: str
    officers: list[int] = field(default_factory=list)
    supervisors: list[int] = field(default_factory=list)
    disclosure: list[int] = field(default_factory=list)


@dataclass
class ForcePlan:
    id: int
    code: str
    name: str
    served_by_id: int | None
    weight: float
    units: list[UnitPlan] = field(default_factory=list)
    managers: list[int] = field(default_factory=list)
    magistrates: list[int] = field(default_factory=list)
    crown: list[int] = field(default_factory=list)


@dataclass
class AreaPlan:
    id: int
    code: str
    kind: str
    lawyers: list[int] = field(default_factory=list)
    paralegals: list[int] = field(default_factory=list)
    managers: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class Code:
    id: int
    code: str
    title: str
    mode_of_trial: str
    dg6_group: str


@dataclass
class Reference:
    """Everything a worker needs to build cases; plain data, so it can be sent to worker processes."""

    forces: list[ForcePlan]
    areas: dict[int, AreaPlan]
    cps_direct: AreaPlan
    people: dict[int, Person]
    codes: dict[str, Code]


def ensure_reference_data() -> None:
    """Load the reference data when the database has none (a freshly migrated database)."""
    if not Organisation.objects.filter(kind=OrganisationKind.POLICE_FORCE).exists():
        call_command("load_reference_data", verbosity=0, stdout=io.StringIO())


def _court_forces() -> dict[str, str]:
    return {row["code"]: row["force"] for row in read_extract("courts")}


def _sized(count: float, per: float, minimum: int) -> int:
    return max(minimum, math.ceil(count / per))


def _names(rng: random.Random) -> tuple[str, str]:
    first = rng.choice(dist.FIRST_NAMES_F if rng.random() < 0.45 else dist.FIRST_NAMES_M)
    return first, rng.choice(dist.LAST_NAMES)


def build_reference(cases: int, seed: int) -> Reference:
    """Plan the forces, units and Areas for ``cases`` cases and create their staff (deterministic for a seed)."""
    rng = random.Random(f"{seed}:staff")
    forces = {o.code: o for o in Organisation.objects.filter(kind=OrganisationKind.POLICE_FORCE, is_active=True)}
    missing = sorted(set(dist.FORCE_WEIGHTS) - set(forces))
    if missing:
        raise ReferenceDataMissing(MISSING_REFERENCE.format(what=f"no police force {', '.join(missing)}"))
    areas = {o.pk: o for o in Organisation.objects.filter(kind=OrganisationKind.CPS_AREA, is_active=True)}
    cps_direct = Organisation.objects.filter(kind=OrganisationKind.CPS_DIRECT, is_active=True).first()
    if not areas or cps_direct is None:
        raise ReferenceDataMissing(MISSING_REFERENCE.format(what="no CPS Areas or no CPS Direct"))
    codes = {
        c.code: Code(c.pk, c.code, c.title, c.mode_of_trial, c.dg6_group)
        for c in OffenceCode.objects.filter(code__in=_wanted_codes())
    }
    absent = sorted(_wanted_codes() - set(codes))
    if absent:
        raise ReferenceDataMissing(MISSING_REFERENCE.format(what=f"no offence code {', '.join(absent)}"))

    court_force = _court_forces()
    courts: dict[tuple[str, str], list[int]] = defaultdict(list)
    for court in Court.objects.filter(is_active=True).order_by("code"):
        courts[(court_force.get(court.code, ""), court.kind)].append(court.pk)
    all_crown = [pk for (_f, kind), pks in courts.items() if kind == CourtKind.CROWN for pk in pks]
    all_mags = [pk for (_f, kind), pks in courts.items() if kind == CourtKind.MAGISTRATES for pk in pks]

    units_by_force: dict[int, list[Unit]] = defaultdict(list)
    for unit in Unit.objects.filter(organisation__in=forces.values(), is_active=True).order_by("code"):
        if URN_UNIT_CODE.fullmatch(unit.code):
            units_by_force[unit.organisation_id].append(unit)

    total_weight = sum(dist.FORCE_WEIGHTS.values())
    new_users: list[User] = []
    plans: list[ForcePlan] = []
    area_cases: dict[int, float] = defaultdict(float)
    for code in sorted(dist.FORCE_WEIGHTS):
        force = forces[code]
        weight = dist.FORCE_WEIGHTS[code]
        expected = cases * weight / total_weight
        available = units_by_force.get(force.pk, [])
        if not available:
            raise ReferenceDataMissing(MISSING_REFERENCE.format(what=f"no active unit for force {code}"))
        n_units = min(len(available), _sized(expected, dist.CASES_PER_UNIT, 1))
        chosen = sorted(rng.sample(available, n_units), key=lambda u: u.code)
        plan = ForcePlan(force.pk, code, force.name, force.served_by_id, weight)
        plan.magistrates = courts.get((code, CourtKind.MAGISTRATES), []) or all_mags
        plan.crown = courts.get((code, CourtKind.CROWN), []) or all_crown
        per_unit = expected / n_units
        plans.append(plan)
        for unit in chosen:
            unit_plan = UnitPlan(unit.pk, unit.code)
            officers = _sized(per_unit, dist.CASES_PER_OFFICER, 2)
            plan_roles = (
                (Role.POLICE_INVESTIGATOR, officers),
                (Role.POLICE_SUPERVISOR, _sized(officers, dist.OFFICERS_PER_SUPERVISOR, 1)),
                (Role.DISCLOSURE_OFFICER, _sized(officers, dist.OFFICERS_PER_DISCLOSURE_OFFICER, 1)),
            )
            for role, count in plan_roles:
                for _ in range(count):
                    new_users.append(_user(rng, force, unit, role, len(new_users)))
            plan.units.append(unit_plan)
        for _ in range(_sized(expected, dist.CASES_PER_POLICE_MANAGER, 1)):
            new_users.append(_user(rng, force, None, Role.POLICE_MANAGER, len(new_users)))
        if force.served_by_id is not None:
            area_cases[force.served_by_id] += expected
    # British Transport Police cases go to the Area where the offence happened: spread them evenly.
    unserved = sum(cases * w / total_weight for c, w in dist.FORCE_WEIGHTS.items() if forces[c].served_by_id is None)
    for area_id in areas:
        area_cases[area_id] += unserved / len(areas)
    referral_share = 0.22
    area_plans: dict[int, AreaPlan] = {}
    for area_id, area in sorted(areas.items(), key=lambda item: item[1].code):
        lawyers = _sized(area_cases[area_id] * referral_share, dist.REFERRALS_PER_LAWYER, 2)
        area_plans[area_id] = AreaPlan(area_id, area.code, area.kind)
        for role, count in (
            (Role.CPS_LAWYER, lawyers),
            (Role.CPS_PARALEGAL, _sized(lawyers, dist.LAWYERS_PER_PARALEGAL, 1)),
            (Role.CPS_LEGAL_MANAGER, _sized(lawyers, dist.LAWYERS_PER_LEGAL_MANAGER, 1)),
        ):
            for _ in range(count):
                new_users.append(_user(rng, area, None, role, len(new_users)))
    direct_lawyers = _sized(cases * referral_share * dist.CPS_DIRECT_SHARE, dist.REFERRALS_PER_LAWYER, 2)
    direct_plan = AreaPlan(cps_direct.pk, cps_direct.code, cps_direct.kind)
    for role, count in ((Role.CPS_LAWYER, direct_lawyers), (Role.CPS_LEGAL_MANAGER, 1)):
        for _ in range(count):
            new_users.append(_user(rng, cps_direct, None, role, len(new_users)))

    User.objects.bulk_create(new_users, batch_size=2000)
    people: dict[int, Person] = {}
    by_org_unit_role: dict[tuple[int, int | None, str], list[int]] = defaultdict(list)
    for user in User.objects.filter(username__startswith=USERNAME_PREFIX).order_by("username"):
        assert user.organisation_id is not None
        people[user.pk] = Person(
            user.pk,
            str(user.public_id),
            user.username,
            user.first_name,
            user.last_name,
            tuple(user.roles),
            user.organisation_id,
        )
        by_org_unit_role[(user.organisation_id, user.unit_id, user.roles[0])].append(user.pk)
    for plan in plans:
        for unit_plan in plan.units:
            unit_plan.officers = by_org_unit_role[(plan.id, unit_plan.id, Role.POLICE_INVESTIGATOR)]
            unit_plan.supervisors = by_org_unit_role[(plan.id, unit_plan.id, Role.POLICE_SUPERVISOR)]
            unit_plan.disclosure = by_org_unit_role[(plan.id, unit_plan.id, Role.DISCLOSURE_OFFICER)]
        plan.managers = by_org_unit_role[(plan.id, None, Role.POLICE_MANAGER)]
    for area_plan in [*area_plans.values(), direct_plan]:
        area_plan.lawyers = by_org_unit_role[(area_plan.id, None, Role.CPS_LAWYER)]
        area_plan.paralegals = by_org_unit_role[(area_plan.id, None, Role.CPS_PARALEGAL)]
        area_plan.managers = by_org_unit_role[(area_plan.id, None, Role.CPS_LEGAL_MANAGER)]
    return Reference(plans, area_plans, direct_plan, people, codes)


def _wanted_codes() -> set[str]:
    return {e.code for e in offences.OFFENCE_MIX} | {c for codes in offences.SECOND_OFFENCES.values() for c in codes}


def _user(rng: random.Random, organisation: Organisation, unit: Unit | None, role: str, n: int) -> User:
    first, last = _names(rng)
    titles = dist.POLICE_TITLES.get(role) or dist.CPS_TITLES.get(role) or ("",)
    username = f"{USERNAME_PREFIX}{organisation.code}.{ROLE_SLUGS[role]}.{n:06d}"
    return User(
        public_id=uuid.UUID(int=rng.getrandbits(128), version=4),
        username=username,
        first_name=first,
        last_name=last,
        email=f"{username}@{EMAIL_DOMAIN}",
        password=UNUSABLE_PASSWORD,
        organisation=organisation,
        unit=unit,
        roles=[role],
        job_title=rng.choice(titles),
        shoulder_number=f"{rng.randint(1000, 99999)}" if organisation.kind == OrganisationKind.POLICE_FORCE else "",
        is_active=True,
    )


def staff(organisation_code: str, role: str) -> User:
    """The first synthetic member of staff with ``role`` in the organisation with that code (a force's two
    digits, a CPS Area's slug, ``cps-direct``), for benchmarks and tests to ``force_login`` as."""
    user = (
        User.objects.filter(
            username__startswith=USERNAME_PREFIX, organisation__code=organisation_code, roles__contains=[role]
        )
        .order_by("username")
        .first()
    )
    if user is None:
        raise User.DoesNotExist(f"No synthetic {role} in organisation {organisation_code}: run generate_synthetic")
    return user


def synthetic_users_exist() -> bool:
    return User.objects.filter(username__startswith=USERNAME_PREFIX).exists()
