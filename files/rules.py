"""Who may do what with case material. Visibility of rows is decided in ``files.selectors``."""

from __future__ import annotations

import rules

from accounts.choices import Role
from accounts.models import User
from casework.models import Case
from casework.rules import is_cps_of_case, is_owning_force_builder, is_police_of_force

# Sensitive (MG6D) material: only the disclosure officer, a police supervisor and the CPS (domain.md 6).
SENSITIVE_POLICE_ROLES = (Role.DISCLOSURE_OFFICER, Role.POLICE_SUPERVISOR)


@rules.predicate
def sees_sensitive_material(user: User, case: Case | None) -> bool:
    if case is None:
        return False
    if user.is_police:
        return bool(user.organisation_id == case.force_id and user.has_role(*SENSITIVE_POLICE_ROLES))
    return bool(is_cps_of_case(user, case))


@rules.predicate
def is_disclosure_or_supervisor(user: User, case: Case | None) -> bool:
    return bool(case is not None and is_police_of_force(user, case) and user.has_role(*SENSITIVE_POLICE_ROLES))


@rules.predicate
def is_police_supervisor_of_force(user: User, case: Case | None) -> bool:
    return bool(case is not None and is_police_of_force(user, case) and user.has_role(Role.POLICE_SUPERVISOR))


@rules.predicate
def is_cps_lawyer_or_paralegal_of_case(user: User, case: Case | None) -> bool:
    return bool(is_cps_of_case(user, case) and user.has_role(Role.CPS_LAWYER, Role.CPS_PARALEGAL))


@rules.predicate
def is_cps_legal_manager_of_case(user: User, case: Case | None) -> bool:
    return bool(is_cps_of_case(user, case) and user.has_role(Role.CPS_LEGAL_MANAGER))


rules.add_perm("files.upload_document", is_owning_force_builder)
rules.add_perm("files.see_sensitive", sees_sensitive_material)
rules.add_perm("files.manage_unused", is_disclosure_or_supervisor)
rules.add_perm("files.decide_unused", is_cps_lawyer_or_paralegal_of_case)
rules.add_perm("files.confirm_redaction", is_owning_force_builder)
rules.add_perm("files.manage_exhibits", is_owning_force_builder)
rules.add_perm("files.edit_case_summary", is_owning_force_builder)
rules.add_perm("files.certify_case_summary", is_police_supervisor_of_force)
rules.add_perm("files.build_submission", is_owning_force_builder)
rules.add_perm("files.override_quality", is_police_supervisor_of_force)
rules.add_perm("files.assess_file", is_cps_lawyer_or_paralegal_of_case)
rules.add_perm("files.respond_to_failure", is_owning_force_builder)
rules.add_perm("files.decide_dispute", is_cps_legal_manager_of_case)
