"""The access model, established once and used by every selector and rule.

Which cases a person may see:
- police: cases owned by their force; officers (not supervisors, disclosure officers or managers)
  only their own unit's cases where the force is configured to narrow by unit;
- CPS: cases sent to their Area for a charging decision or prosecution; CPS Direct: custody
  referrals sent to CPS Direct;
- system administrators: no case data (they manage users, organisations and the audit log).
Everything outside a user's scope answers 404, in pages and in the API.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from .choices import OrganisationKind, Role
from .models import User

# Police roles that see the whole force even where the force narrows officers to their unit.
FORCE_WIDE_POLICE_ROLES = frozenset({Role.POLICE_SUPERVISOR, Role.POLICE_MANAGER, Role.DISCLOSURE_OFFICER})


@dataclass(frozen=True)
class CaseScope:
    """A filter on cases, expressed in terms of the case's own fields so that any app can apply it
    through the relation path to its case (``prefix``)."""

    police_force_id: int | None = None
    police_unit_id: int | None = None
    cps_area_id: int | None = None
    cps_direct: bool = False

    @property
    def is_empty(self) -> bool:
        return self.police_force_id is None and self.cps_area_id is None and not self.cps_direct

    @property
    def owner(self) -> tuple[str, int] | None:
        """The case field naming the organisation whose cases these are, and its id: the force for police (a unit's
        cases are some of the force's), the CPS Area for the CPS; None for CPS Direct and the empty scope."""
        if self.police_force_id is not None:
            return "force", self.police_force_id
        if self.cps_area_id is not None:
            return "cps_area", self.cps_area_id
        return None

    def as_q(self, prefix: str = "", *, owner_implied: bool = False) -> Q:
        """The filter. ``owner_implied``: leave out the owner's id (``owner``), for a query whose other conditions
        already hold only the owner's cases (case search through each scope's own words, ``casework.selectors``);
        the rest of the scope (an officer's unit, the Area's cases having been sent) is kept."""
        if self.is_empty:
            return Q(pk__in=[])
        if self.police_force_id is not None:
            q = Q() if owner_implied else Q(**{f"{prefix}force_id": self.police_force_id})
            if self.police_unit_id is not None:
                q &= Q(**{f"{prefix}unit_id": self.police_unit_id})
            return q
        if self.cps_direct:
            return Q(**{f"{prefix}sent_to_cps_direct": True})
        sent = Q(**{f"{prefix}sent_to_cps_at__isnull": False})
        return sent if owner_implied else Q(**{f"{prefix}cps_area_id": self.cps_area_id}) & sent


def case_scope_for(user: User) -> CaseScope:
    if not user.is_authenticated or not user.is_active or user.organisation is None:
        return CaseScope()
    organisation = user.organisation
    if user.is_police:
        narrow = (
            organisation.restrict_police_to_unit
            and user.unit_id is not None
            and not user.has_role(*FORCE_WIDE_POLICE_ROLES)
        )
        return CaseScope(police_force_id=organisation.pk, police_unit_id=user.unit_id if narrow else None)
    if user.is_cps:
        if organisation.kind == OrganisationKind.CPS_DIRECT:
            return CaseScope(cps_direct=True)
        return CaseScope(cps_area_id=organisation.pk)
    return CaseScope()
