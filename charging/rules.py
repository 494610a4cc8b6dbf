"""Who may act on one charging request. The lifecycle (``charging.workflow``) says which side makes a move;
these predicates say which person on that side: the owning force's builders and supervisors, the CPS Area the
request was sent to (or CPS Direct), and only the allocated lawyer for the decision."""

from __future__ import annotations

import rules

from accounts.choices import OrganisationKind, Role
from accounts.models import User
from casework.models import Case
from casework.rules import CASE_BUILDERS

from .models import ChargingRequest


@rules.predicate
def is_case_builder(user: User, case: Case | None) -> bool:
    return bool(
        case is not None and user.is_police and user.organisation_id == case.force_id and user.has_role(*CASE_BUILDERS)
    )


@rules.predicate
def is_request_builder(user: User, request: ChargingRequest | None) -> bool:
    return bool(request is not None and is_case_builder(user, request.case))


@rules.predicate
def is_request_supervisor(user: User, request: ChargingRequest | None) -> bool:
    return bool(
        request is not None
        and user.is_police
        and user.organisation_id == request.case.force_id
        and user.has_role(Role.POLICE_SUPERVISOR)
    )


def _is_cps_for(user: User, request: ChargingRequest) -> bool:
    if not user.is_cps or request.received_by_cps_at is None:
        return False
    organisation = user.organisation
    if request.to_cps_direct and organisation is not None and organisation.kind == OrganisationKind.CPS_DIRECT:
        return True
    return request.cps_area_id is not None and user.organisation_id == request.cps_area_id


@rules.predicate
def is_cps_triage(user: User, request: ChargingRequest | None) -> bool:
    return bool(
        request is not None and _is_cps_for(user, request) and user.has_role(Role.CPS_PARALEGAL, Role.CPS_LAWYER)
    )


@rules.predicate
def is_cps_lawyer_of_request(user: User, request: ChargingRequest | None) -> bool:
    return bool(request is not None and _is_cps_for(user, request) and user.has_role(Role.CPS_LAWYER))


@rules.predicate
def is_cps_legal_manager_of_request(user: User, request: ChargingRequest | None) -> bool:
    return bool(request is not None and _is_cps_for(user, request) and user.has_role(Role.CPS_LEGAL_MANAGER))


@rules.predicate
def is_allocated_lawyer(user: User, request: ChargingRequest | None) -> bool:
    return bool(
        request is not None
        and request.allocated_lawyer_id == user.pk
        and _is_cps_for(user, request)
        and user.has_role(Role.CPS_LAWYER)
    )


@rules.predicate
def is_case_supervisor(user: User, case: Case | None) -> bool:
    return bool(
        case is not None
        and user.is_police
        and user.organisation_id == case.force_id
        and user.has_role(Role.POLICE_SUPERVISOR)
    )


rules.add_perm("charging.create_request", is_case_builder)
rules.add_perm("charging.police_charge", is_case_supervisor)
rules.add_perm("charging.submit_request", is_request_builder)
rules.add_perm("charging.approve_request", is_request_supervisor)
rules.add_perm("charging.triage_request", is_cps_triage)
rules.add_perm("charging.take_request", is_cps_lawyer_of_request)
rules.add_perm("charging.assign_request", is_cps_legal_manager_of_request)
rules.add_perm("charging.decide_request", is_allocated_lawyer)
