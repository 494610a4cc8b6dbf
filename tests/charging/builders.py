"""Building cases and charging requests through the real services, as the police and the CPS would: shared
by the charging tests (services, pages, notifications)."""

from __future__ import annotations

from datetime import date
from typing import Any

from accounts.models import User
from casework import services as cs
from casework.models import Case, OffenceAllegation
from charging import services as s
from charging.choices import ChargingCategory
from charging.models import ChargingRequest


def make_case(urn: str, officer: User, supervisor: User | None = None, **details: Any) -> Case:
    return cs.case_create(
        urn=urn,
        details=cs.CaseDetails(summary="Wounding outside a pub", supervisor=supervisor, **details),
        by=officer,
    )


def add_offence(
    case: Case, officer: User, code: str = "OF61016", committed_on: date = date(2026, 1, 5)
) -> OffenceAllegation:
    """An offence (wounding with intent by default: indictable only, so the CPS decides) against a new suspect."""
    suspect = cs.suspect_add(case=case, details=cs.SuspectDetails("Jamie", "Smith"), by=officer)
    return cs.offence_add(
        case=case, details=cs.OffenceDetails(suspect=suspect, code=code, committed_on=committed_on), by=officer
    )


def mg3(**overrides: Any) -> s.Mg3Details:
    """The MG3 police part with every part a supervisor cannot send without."""
    values: dict[str, Any] = {
        "category": ChargingCategory.GREEN,
        "suspect_status": "Released on bail",
        "offence_summary": "Stabbed the victim outside the pub",
        "proposed_charges": "Wounding with intent (s.18)",
        "defence_account": "No comment interview",
        "lines_of_inquiry_done": "CCTV seized, witnesses spoken to",
    }
    values.update(overrides)
    return s.Mg3Details(**values)


def sent(
    case: Case, officer: User, supervisor: User, *, details: s.Mg3Details | None = None, to_cps_direct: bool = False
) -> ChargingRequest:
    """Created, submitted and approved: with CPS triage."""
    request = s.request_create(case=case, details=details or mg3(), by=officer)
    request = s.request_submit(request=request, by=officer)
    return s.request_approve(request=request, by=supervisor, to_cps_direct=to_cps_direct)


def allocated(
    case: Case,
    officer: User,
    supervisor: User,
    triage: User,
    lawyer: User,
    *,
    details: s.Mg3Details | None = None,
) -> ChargingRequest:
    """Sent, accepted by triage and taken by ``lawyer``."""
    request = s.request_accept(request=sent(case, officer, supervisor, details=details), by=triage)
    return s.request_allocate(request=request, by=lawyer)
