"""Building blocks for the charging API tests: a case with offences, and a charging request taken to each stage
through the services (as the pages and the API take it), plus what a refused call must leave alone."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db.models import Max
from django.test import Client
from django.utils import timezone

from accounts.choices import AuditEventType
from accounts.models import AuditEvent, Notification, User
from casework import services as cs
from casework.models import Case, OffenceAllegation
from charging import services as s
from charging.choices import ChargingCategory, DecisionOutcome, TestSought
from charging.models import ActionPlanItem, ChargingDecision, ChargingRequest, PoliceChargeDecision, Resubmission

NOT_FOUND = {"error": {"status": 404, "code": "not_found", "message": "Not found."}}
FORBIDDEN = {"error": {"status": 403, "code": "permission_denied", "message": s.NOT_ALLOWED}}

MG3: dict[str, Any] = {
    "category": ChargingCategory.GREEN,
    "suspect_status": "Released on bail",
    "offence_summary": "Stabbed the victim outside the pub",
    "proposed_charges": "Wounding with intent (s.18)",
    "defence_account": "No comment interview",
    "lines_of_inquiry_done": "CCTV seized, witnesses spoken to",
    "outstanding_evidence": [{"what": "Medical statement", "target_date": "2026-03-01"}],
}


def make_case(officer: User, urn: str = "10/AA/12345/26") -> Case:
    return cs.case_create(urn=urn, details=cs.CaseDetails(summary="Wounding outside a pub"), by=officer)


def add_offence(case: Case, officer: User, code: str = "OF61016") -> OffenceAllegation:
    suspect = cs.suspect_add(case=case, details=cs.SuspectDetails("Jamie", "Smith"), by=officer)
    return cs.offence_add(
        case=case, details=cs.OffenceDetails(suspect=suspect, code=code, committed_on=date(2026, 1, 5)), by=officer
    )


def mg3_details(**overrides: Any) -> s.Mg3Details:
    return s.Mg3Details(**{**MG3, **overrides})


def draft(case: Case, officer: User, **overrides: Any) -> ChargingRequest:
    return s.request_create(case=case, details=mg3_details(**overrides), by=officer)


def with_cps(case: Case, officer: User, supervisor: User, **overrides: Any) -> ChargingRequest:
    request = draft(case, officer, **overrides)
    request = s.request_submit(request=request, by=officer)
    return s.request_approve(request=request, by=supervisor)


def allocated(case: Case, officer: User, supervisor: User, triage: User, lawyer: User) -> ChargingRequest:
    request = with_cps(case, officer, supervisor)
    request = s.request_accept(request=request, by=triage)
    return s.request_allocate(request=request, by=lawyer)


def action_plan(request: ChargingRequest, lawyer: User, offence: OffenceAllegation | None = None) -> ChargingDecision:
    due = timezone.localdate() + timedelta(days=14)
    return s.decision_record(
        request=request,
        by=lawyer,
        outcome=DecisionOutcome.ACTION_PLAN,
        reasons="Need the medical evidence before deciding",
        action_items=[
            s.ActionItemDetails(
                action="Obtain the medical statement", reason="Proves really serious harm", due_on=due, offence=offence
            ),
            s.ActionItemDetails(action="Trace the second witness", reason="Identification", due_on=due),
        ],
    )


def charge(request: ChargingRequest, lawyer: User, offence: OffenceAllegation) -> ChargingDecision:
    return s.decision_record(
        request=request,
        by=lawyer,
        outcome=DecisionOutcome.CHARGE,
        reasons="Full Code Test met: CCTV and two witnesses.",
        test_applied=TestSought.FULL_CODE_TEST,
        charges=[s.ChargeDetails(offence=offence, wording="Wounding with intent")],
    )


def post(client: Client, path: str, data: dict[str, Any] | None = None) -> Any:
    return client.post(path, data or {}, content_type="application/json")


def patch(client: Client, path: str, data: dict[str, Any]) -> Any:
    return client.patch(path, data, content_type="application/json")


def fields(response: Any) -> dict[str, Any]:
    assert response.status_code == 400, (response.status_code, response.content)
    body = response.json()["error"]
    assert body["code"] == "invalid"
    result: dict[str, Any] = body["fields"]
    return result


def db_state() -> dict[str, Any]:
    """Everything a refused or invalid call must leave alone."""
    state: dict[str, Any] = {
        model.__name__: model.objects.count()
        for model in (
            ChargingRequest,
            ChargingDecision,
            ActionPlanItem,
            Resubmission,
            PoliceChargeDecision,
            Notification,
        )
    }
    # Signing a test client in is audited; it is not something the call under test did.
    state["AuditEvent"] = AuditEvent.objects.exclude(event_type=AuditEventType.SIGNED_IN).count()
    state["requests"] = sorted(ChargingRequest.objects.values_list("status", "version", "allocated_lawyer_id"))
    state["items"] = sorted(ActionPlanItem.objects.values_list("status", "response"))
    state["cases"] = sorted(Case.objects.values_list("status", flat=True))
    state["offences"] = sorted(OffenceAllegation.objects.values_list("status", flat=True))
    state["last_change"] = ChargingRequest.objects.aggregate(Max("updated_at"))["updated_at__max"]
    return state
