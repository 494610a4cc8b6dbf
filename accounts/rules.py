"""Who may do what: predicates on the user (this module) and on one object (each app's rules.py).
Row visibility is not decided here but in selectors (``accounts.access``)."""

from __future__ import annotations

from typing import Any

import rules

from .choices import Role
from .models import User


def _has(role: str) -> Any:
    @rules.predicate(name=f"has_role_{role}")
    def predicate(user: User) -> bool:
        return bool(user.is_authenticated and user.is_active and role in user.roles)

    return predicate


is_investigator = _has(Role.POLICE_INVESTIGATOR)
is_police_supervisor = _has(Role.POLICE_SUPERVISOR)
is_disclosure_officer = _has(Role.DISCLOSURE_OFFICER)
is_police_manager = _has(Role.POLICE_MANAGER)
is_cps_lawyer = _has(Role.CPS_LAWYER)
is_cps_paralegal = _has(Role.CPS_PARALEGAL)
is_cps_legal_manager = _has(Role.CPS_LEGAL_MANAGER)
is_system_administrator = _has(Role.SYSTEM_ADMINISTRATOR)


@rules.predicate
def is_police(user: User) -> bool:
    return bool(user.is_authenticated and user.is_police)


@rules.predicate
def is_cps(user: User) -> bool:
    return bool(user.is_authenticated and user.is_cps)


is_manager = is_police_manager | is_cps_legal_manager

rules.add_perm("accounts.search_audit", is_system_administrator)
rules.add_perm("accounts.manage_users", is_system_administrator)
