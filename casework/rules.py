"""Who may do what to one case. Row visibility is decided first, by selectors: these predicates
assume the case is already visible to the user."""

from __future__ import annotations

import rules

from accounts.choices import Role
from accounts.models import User

from .models import Case

# Police roles that build and change the case record.
CASE_BUILDERS = (Role.POLICE_INVESTIGATOR, Role.POLICE_SUPERVISOR, Role.DISCLOSURE_OFFICER)


@rules.predicate
def is_owning_force_builder(user: User, case: Case | None) -> bool:
    return bool(
        case is not None and user.is_police and user.organisation_id == case.force_id and user.has_role(*CASE_BUILDERS)
    )


@rules.predicate
def is_police_of_force(user: User, case: Case | None) -> bool:
    return bool(case is not None and user.is_police and user.organisation_id == case.force_id)


@rules.predicate
def is_cps_of_case(user: User, case: Case | None) -> bool:
    if case is None or not user.is_cps or case.sent_to_cps_at is None:
        return False
    if case.sent_to_cps_direct and user.organisation and user.organisation.kind == "cps_direct":
        return True
    return user.organisation_id == case.cps_area_id


@rules.predicate
def can_create_case(user: User) -> bool:
    return bool(user.is_police and user.has_role(*CASE_BUILDERS))


rules.add_perm("casework.create_case", can_create_case)
rules.add_perm("casework.change_case", is_owning_force_builder)
rules.add_perm("casework.change_status", is_owning_force_builder | is_cps_of_case)
rules.add_perm("casework.record_hearing", is_owning_force_builder | is_cps_of_case)
rules.add_perm("casework.record_victim_update", is_owning_force_builder)
