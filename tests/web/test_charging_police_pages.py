"""The police charging pages: the case's Charging tab, the MG3, supervisor review, withdrawal, action plan
answers, MG3A resubmission, reopening and police charges under DG6 Annex 1. Every bad input shows a precise
message and changes nothing; every page answers outsiders with 404 (or 403 for a wrong role that can see it)."""

from __future__ import annotations

import html
import re
import uuid
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.http import HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.choices import AuditEventType
from accounts.models import AuditEvent, Unit, User
from casework.choices import CaseFlag, CaseStatus
from casework.models import Case, OffenceAllegation, OffenceCode
from charging import forms_police as fp
from charging import services as s
from charging.choices import ActionItemStatus, ChargingCategory, DecisionOutcome, RequestStatus
from charging.choices import TestSought as CodeTest
from charging.models import ActionPlanItem, ChargingRequest, PoliceChargeDecision, Resubmission
from charging.routing import routing_for_case
from charging.views import police as views
from files.choices import DocumentKind, FileStage, SubmissionStatus
from files.models import Document, FileSubmission

from ..charging.builders import add_offence, make_case
from .test_case_support import date_parts, error_summary, page

pytestmark = pytest.mark.django_db

Login = Callable[[User], Client]


# -- building cases and requests through the services ---------------------------------------------


_case, _offence = make_case, add_offence


def _mg3(**overrides: Any) -> s.Mg3Details:
    values: dict[str, Any] = {
        "category": ChargingCategory.GREEN,
        "anticipated_plea": "not_guilty",
        "suspect_status": "Released on bail",
        "offence_summary": "Stabbed the victim outside the pub",
        "proposed_charges": "Wounding with intent (s.18)",
        "defence_account": "No comment interview",
        "lines_of_inquiry_done": "CCTV seized, witnesses spoken to",
        "outstanding_evidence": [{"what": "Medical statement", "target_date": "2026-03-01"}],
    }
    values.update(overrides)
    return s.Mg3Details(**values)


def _sent(case: Case, officer: User, supervisor: User) -> ChargingRequest:
    request = s.request_create(case=case, details=_mg3(), by=officer)
    request = s.request_submit(request=request, by=officer)
    return s.request_approve(request=request, by=supervisor)


def _allocated(case: Case, officer: User, supervisor: User, triage: User, lawyer: User) -> ChargingRequest:
    request = s.request_accept(request=_sent(case, officer, supervisor), by=triage)
    return s.request_allocate(request=request, by=lawyer)


def _plan(request: ChargingRequest, lawyer: User, offence: OffenceAllegation | None, items: int = 2) -> None:
    s.decision_record(
        request=request,
        by=lawyer,
        outcome=DecisionOutcome.ACTION_PLAN,
        reasons="Need the medical evidence before deciding",
        action_items=[
            s.ActionItemDetails(
                action=f"Obtain statement {n}",
                reason="Proves really serious harm",
                due_on=timezone.localdate() + timedelta(days=7),
                offence=offence,
                point_to_prove="Really serious harm",
            )
            for n in range(1, items + 1)
        ],
    )
    request.refresh_from_db()


def _items(request: ChargingRequest) -> list[ActionPlanItem]:
    return list(s.current_action_items(request))


def _document(case: Case, officer: User, title: str = "Medical statement") -> Document:
    return Document.objects.create(case=case, kind=DocumentKind.MG11, title=title, created_by=officer)


def _state(request: ChargingRequest) -> tuple[Any, ...]:
    """What a refused form must leave untouched."""
    request.refresh_from_db()
    request.case.refresh_from_db()
    return (
        request.status,
        request.version,
        request.case.status,
        Resubmission.objects.count(),
        PoliceChargeDecision.objects.count(),
        sorted(ActionPlanItem.objects.values_list("pk", "status", "response")),
        ChargingRequest.objects.count(),
    )


def summary_texts(response: HttpResponse) -> list[str]:
    return [text for _, text in error_summary(response)]


def assert_refused(response: HttpResponse, message: str, anchor: str | None = None) -> None:
    """The page came back (400) with ``message`` in the GOV.UK error summary and a title starting 'Error:'."""
    assert response.status_code == 400, response.status_code
    summary = error_summary(response)
    assert message in [text for _, text in summary], f"{message!r} not in {summary}"
    if anchor is not None:
        assert (anchor, message) in summary, f"{message!r} not linked to {anchor}: {summary}"
    assert re.search(r"<title>\s*Error: ", page(response))


def banner(response: HttpResponse) -> str:
    match = re.search(r'govuk-notification-banner--success.*?<p class="govuk-notification-banner__heading">(.*?)</p>',
                      page(response), re.S)  # fmt: skip
    return html.unescape(match.group(1)).strip() if match else ""


def _url(name: str, request: ChargingRequest, *extra: Any) -> str:
    return reverse(f"charging:{name}", args=[request.case.public_id, request.public_id, *extra])


# -- fixtures --------------------------------------------------------------------------------------


@pytest.fixture
def case(officer_a: User, unit_a1: Unit, offence_codes: dict[str, OffenceCode]) -> Case:
    return _case("10/AA/12345/26", officer_a)


@pytest.fixture
def offence(case: Case, officer_a: User) -> OffenceAllegation:
    return _offence(case, officer_a)


@pytest.fixture
def draft(case: Case, offence: OffenceAllegation, officer_a: User) -> ChargingRequest:
    return s.request_create(case=case, details=_mg3(), by=officer_a)


@pytest.fixture
def awaiting(draft: ChargingRequest, officer_a: User) -> ChargingRequest:
    return s.request_submit(request=draft, by=officer_a)


@pytest.fixture
def planned(
    case: Case, offence: OffenceAllegation, officer_a: User, supervisor_a: User, paralegal_north: User,
    lawyer_north: User,
) -> ChargingRequest:  # fmt: skip
    request = _allocated(case, officer_a, supervisor_a, paralegal_north, lawyer_north)
    _plan(request, lawyer_north, offence)
    return request


@pytest.fixture
def finalised(planned: ChargingRequest) -> ChargingRequest:
    later = timezone.now() + timedelta(days=settings.CHARGING_ADMIN_FINALISATION_DAYS + 30)
    assert s.finalise_unanswered_action_plans(now=later) == 1
    planned.refresh_from_db()
    assert planned.status == RequestStatus.ADMINISTRATIVELY_FINALISED
    return planned


def mg3_post(**overrides: str) -> dict[str, str]:
    data = {
        "category": ChargingCategory.GREEN_PRIORITY,
        "test_sought": CodeTest.FULL_CODE_TEST,
        "anticipated_plea": "guilty",
        "venue": "Newcastle Magistrates' Court",
        "suspect_status": "Released on bail to 1 April",
        "pace_clock": "Not in custody",
        "bail_status": "Pre-charge bail with conditions",
        "offence_summary": "Punched the victim in the street",
        "proposed_charges": "Assault by beating",
        "defence_account": "Self-defence claimed in interview",
        "lines_of_inquiry_done": "CCTV viewed; two witnesses",
        "lines_not_pursued": "House-to-house: no houses overlook the street",
        "victim_witness_needs": "Victim needs screens",
        "digital_strategy": "Phone not examined: not relevant",
        "unused_material_info": "999 call recording",
        "evidence_0_what": "Medical statement",
        **date_parts("evidence_0_date", date(2026, 5, 1)),
        "evidence_1_what": "",
        "evidence_2_what": "Forensic report",
    }
    data.update(overrides)
    return data


# -- the Charging tab ------------------------------------------------------------------------------


def test_tab_shows_who_decides_and_lets_an_officer_start_an_mg3(
    case: Case, offence: OffenceAllegation, officer_a: User, as_user: Login
) -> None:
    url = reverse("charging:case-charging", args=[case.public_id])
    body = page(as_user(officer_a).get(url))
    assert "The CPS must decide this case" in body
    assert "Start a charging request (MG3)" in body
    assert "Record a police charging decision" not in body
    s.request_create(case=case, details=_mg3(), by=officer_a)
    body = page(as_user(officer_a).get(url))
    assert "Start a charging request (MG3)" not in body
    assert "still open" in body
    assert "Draft" in body


def test_tab_says_add_offences_first_when_the_case_has_none(case: Case, officer_a: User, as_user: Login) -> None:
    body = page(as_user(officer_a).get(reverse("charging:case-charging", args=[case.public_id])))
    assert "Add the offences to the case first" in body
    assert "The police may charge" not in body
    assert "The CPS must decide" not in body


def test_a_summary_only_case_may_be_charged_by_the_police_and_a_supervisor_gets_the_button(
    case: Case, officer_a: User, supervisor_a: User, as_user: Login
) -> None:
    _offence(case, officer_a, code="CJ88001")
    url = reverse("charging:case-charging", args=[case.public_id])
    body = page(as_user(supervisor_a).get(url))
    assert "The police may charge this case" in body
    assert "Record a police charging decision" in body
    assert "Record a police charging decision" not in page(as_user(officer_a).get(url))


def test_cps_users_see_only_requests_sent_to_them_with_the_links_their_role_allows(
    case: Case,
    offence: OffenceAllegation,
    officer_a: User,
    supervisor_a: User,
    paralegal_north: User,
    lawyer_north: User,
    manager_cps_north: User,
    as_user: Login,
) -> None:
    # A draft the police withdrew never reaches the CPS; the request sent after it does.
    withdrawn = s.request_create(case=case, details=_mg3(offence_summary="First draft"), by=officer_a)
    s.request_withdraw(request=withdrawn, by=officer_a, reason="Started on the wrong suspect")
    sent = _sent(case, officer_a, supervisor_a)
    url = reverse("charging:case-charging", args=[case.public_id])
    assert page(as_user(officer_a).get(url)).count('data-testid="charging-request"') == 2
    body = page(as_user(paralegal_north).get(url))
    assert body.count('data-testid="charging-request"') == 1
    assert "Triage this request" in body
    assert "Start a charging request" not in body
    assert "Triage this request" not in page(as_user(manager_cps_north).get(url))
    s.request_accept(request=sent, by=paralegal_north)
    assert "Assign this request to a lawyer" in page(as_user(manager_cps_north).get(url))
    assert "Take this request" in page(as_user(lawyer_north).get(url))
    s.request_allocate(request=sent, by=lawyer_north)
    assert "Open the lawyer&#x27;s workspace" in page(as_user(lawyer_north).get(url))


def test_tab_shows_every_step_the_due_time_and_overdue_in_words(
    case: Case, offence: OffenceAllegation, officer_a: User, supervisor_a: User, as_user: Login
) -> None:
    request = _sent(case, officer_a, supervisor_a)
    url = reverse("charging:case-charging", args=[case.public_id])
    body = page(as_user(officer_a).get(url))
    for step in ("Referred (MG3 started)", "Submitted for supervisor review", "Approved and sent to the CPS"):
        assert step in body
    assert "Decision due by" in body
    assert "On time" in body
    assert "Overdue" not in body
    ChargingRequest.objects.filter(pk=request.pk).update(received_by_cps_at=timezone.now() - timedelta(days=60))
    body = page(as_user(officer_a).get(url))
    assert ">Overdue</strong>" in body


# -- the MG3 -------------------------------------------------------------------------------------


def test_an_officer_creates_an_mg3_with_every_field(
    case: Case, offence: OffenceAllegation, officer_a: User, as_user: Login
) -> None:
    submitted = FileSubmission.objects.create(
        case=case, stage=FileStage.PRE_CHARGE_FCT, status=SubmissionStatus.SUBMITTED, created_by=officer_a
    )
    FileSubmission.objects.create(case=case, stage=FileStage.PRE_CHARGE_FCT, created_by=officer_a)
    client = as_user(officer_a)
    url = reverse("charging:request-create", args=[case.public_id])
    form = page(client.get(url))
    for hint in fp.CATEGORY_HINTS.values():
        assert html.escape(hint) in form
    assert form.count('name="submission"') == 1
    assert form.count("<option") == 2
    response = client.post(url, mg3_post(submission=str(submitted.public_id)), follow=True)
    request = ChargingRequest.objects.get()
    assert response.redirect_chain[-1][0] == _url("request-detail", request)
    assert banner(response) == "Charging request (MG3) saved as a draft"
    assert request.category == ChargingCategory.GREEN_PRIORITY
    assert request.anticipated_plea == "guilty"
    assert request.lines_not_pursued == "House-to-house: no houses overlook the street"
    assert request.unused_material_info == "999 call recording"
    assert request.submission == submitted
    assert request.outstanding_evidence == [
        {"what": "Medical statement", "target_date": "2026-05-01"},
        {"what": "Forensic report", "target_date": ""},
    ]
    assert request.dg6_decider == "cps"
    body = page(response)
    assert "Medical statement, expected by 1 May 2026" in body
    assert "Pre-charge bail with conditions" in body
    assert reverse("files:submission-detail", args=[case.public_id, submitted.public_id]) in body


def test_an_evidence_row_with_a_date_but_no_text_is_refused(
    case: Case, offence: OffenceAllegation, officer_a: User, as_user: Login
) -> None:
    data = mg3_post(evidence_0_what="")
    response = as_user(officer_a).post(reverse("charging:request-create", args=[case.public_id]), data)
    assert_refused(response, fp.EVIDENCE_WHAT_REQUIRED.format(n=1), "#id_evidence_0_what")
    assert not ChargingRequest.objects.exists()


def test_an_empty_mg3_names_each_choice_to_make(case: Case, officer_a: User, as_user: Login) -> None:
    response = as_user(officer_a).post(reverse("charging:request-create", args=[case.public_id]), {})
    assert_refused(response, fp.CATEGORY_REQUIRED, "#id_category_0")
    assert_refused(response, fp.TEST_SOUGHT_REQUIRED, "#id_test_sought_0")
    assert_refused(response, fp.PLEA_REQUIRED, "#id_anticipated_plea_0")
    assert not ChargingRequest.objects.exists()


def test_a_file_of_another_case_cannot_be_carried(
    case: Case, offence: OffenceAllegation, officer_a: User, as_user: Login
) -> None:
    other = _case("10/AA/99999/26", officer_a)
    elsewhere = FileSubmission.objects.create(
        case=other, stage=FileStage.PRE_CHARGE_FCT, status=SubmissionStatus.SUBMITTED, created_by=officer_a
    )
    response = as_user(officer_a).post(
        reverse("charging:request-create", args=[case.public_id]), mg3_post(submission=str(elsewhere.public_id))
    )
    assert_refused(response, fp.SUBMISSION_NOT_LISTED, "#id_submission")
    assert not ChargingRequest.objects.exists()


def test_the_edit_page_shows_the_mg3_and_saves_changes(draft: ChargingRequest, officer_a: User, as_user: Login) -> None:
    client = as_user(officer_a)
    url = _url("request-edit", draft)
    body = page(client.get(url))
    assert f'name="version" value="{draft.version}"' in body
    assert 'value="Medical statement"' in body  # the existing row, then three empty ones
    assert 'name="evidence_3_what"' in body
    assert 'name="evidence_4_what"' not in body
    response = client.post(url, mg3_post(version=str(draft.version), evidence_0_what="Medical statement (GP)"))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.version == 2
    assert draft.offence_summary == "Punched the victim in the street"
    assert draft.outstanding_evidence[0] == {"what": "Medical statement (GP)", "target_date": "2026-05-01"}


def test_a_stale_version_shows_the_conflict_and_saves_nothing(
    draft: ChargingRequest, officer_a: User, as_user: Login
) -> None:
    stale = draft.version
    s.request_update(request=draft, details=_mg3(offence_summary="Changed meanwhile"), by=officer_a)
    before = _state(draft)
    response = as_user(officer_a).post(_url("request-edit", draft), mg3_post(version=str(stale)))
    assert_refused(response, s.CONFLICT)
    assert _state(draft) == before
    assert draft.offence_summary == "Changed meanwhile"


def test_the_edit_page_of_a_submitted_request_sends_the_officer_back_saying_why(
    awaiting: ChargingRequest, officer_a: User, as_user: Login
) -> None:
    response = as_user(officer_a).get(_url("request-edit", awaiting), follow=True)
    assert response.redirect_chain[-1][0] == _url("request-detail", awaiting)
    assert html.escape(views.NOT_A_DRAFT.format(status="Awaiting supervisor review")) in page(response)


# -- the request page and submitting it ----------------------------------------------------------------


def test_the_request_page_shows_the_mg3_routing_and_the_officers_buttons(
    draft: ChargingRequest, officer_a: User, supervisor_a: User, as_user: Login
) -> None:
    body = page(as_user(officer_a).get(_url("request-detail", draft)))
    viewed = AuditEvent.objects.get(event_type=AuditEventType.CASE_VIEWED)
    assert (viewed.actor, viewed.case_id, viewed.data["part"]) == (officer_a, draft.case.public_id, "charging_request")
    assert "Stabbed the victim outside the pub" in body
    assert "The CPS must decide" in body
    assert draft.dg6_reason
    assert html.escape(draft.dg6_reason) in body
    assert "Change the MG3" in body
    assert "Submit for supervisor review" in body
    assert "Withdraw the request" in body
    assert "Review the request" not in body
    # A supervisor may withdraw a draft but neither change nor submit it for the officer... nor review it yet.
    body = page(as_user(supervisor_a).get(_url("request-detail", draft)))
    assert "Withdraw the request" in body
    assert "Review the request" not in body


def test_submitting_an_incomplete_mg3_lists_each_gap_linked_to_the_edit_page(
    case: Case, offence: OffenceAllegation, officer_a: User, as_user: Login
) -> None:
    request = s.request_create(case=case, details=_mg3(offence_summary="", defence_account=""), by=officer_a)
    before = _state(request)
    response = as_user(officer_a).post(_url("request-submit", request), {"version": str(request.version)})
    edit = _url("request-edit", request)
    assert_refused(response, s.FIELD_REQUIRED.format(label="a summary of the offence"), f"{edit}#id_offence_summary")
    assert_refused(response, s.FIELD_REQUIRED.format(label="the suspect's account"), f"{edit}#id_defence_account")
    assert _state(request) == before


def test_submitting_with_a_stale_version_changes_nothing(
    draft: ChargingRequest, officer_a: User, as_user: Login
) -> None:
    before = _state(draft)
    response = as_user(officer_a).post(_url("request-submit", draft), {"version": str(draft.version + 5)})
    assert_refused(response, s.CONFLICT, f"#{views.ACTIONS_ANCHOR}")
    response = as_user(officer_a).post(_url("request-submit", draft), {})
    assert_refused(response, fp.VERSION_MISSING)
    assert _state(draft) == before


def test_submitting_sends_it_to_the_supervisor(draft: ChargingRequest, officer_a: User, as_user: Login) -> None:
    response = as_user(officer_a).post(_url("request-submit", draft), {"version": str(draft.version)}, follow=True)
    assert banner(response) == "Charging request submitted for supervisor review"
    draft.refresh_from_db()
    assert draft.status == RequestStatus.AWAITING_SUPERVISOR


def test_a_request_returned_by_cps_triage_is_taken_back_put_right_and_sent_again(
    case: Case,
    offence: OffenceAllegation,
    officer_a: User,
    officer_b: User,
    supervisor_a: User,
    paralegal_north: User,
    as_user: Login,
) -> None:
    request = s.request_return_not_to_standard(
        request=_sent(case, officer_a, supervisor_a), by=paralegal_north, reason="No MG5", failure_codes=["FQ01"]
    )
    detail = _url("request-detail", request)
    body = page(as_user(officer_a).get(detail))
    assert "Take back to put it right" in body
    assert "Take back to put it right" not in page(as_user(paralegal_north).get(detail))
    url = _url("request-take-back", request)
    # A stale form changes nothing; another force's officer is told nothing exists.
    stale = as_user(officer_a).post(url, {"version": str(request.version - 1)})
    assert stale.status_code == 400
    assert as_user(officer_b).post(url, {"version": str(request.version)}).status_code == 404
    request.refresh_from_db()
    assert request.status == RequestStatus.RETURNED_NOT_TO_STANDARD
    response = as_user(officer_a).post(url, {"version": str(request.version)}, follow=True)
    assert banner(response).startswith("Charging request taken back")
    request.refresh_from_db()
    assert request.status == RequestStatus.DRAFT
    # Put right and sent again: through the supervisor to the CPS.
    s.request_submit(request=request, by=officer_a)
    request = s.request_approve(request=request, by=supervisor_a)
    assert request.status == RequestStatus.WITH_CPS_TRIAGE


def test_a_second_open_request_on_a_case_is_refused(draft: ChargingRequest, officer_a: User) -> None:
    with pytest.raises(s.ValidationError) as exc:
        s.request_create(case=draft.case, details=_mg3(), by=officer_a)
    assert exc.value.message_dict == {"case": [s.ONE_OPEN_REQUEST]}
    assert ChargingRequest.objects.filter(case=draft.case).count() == 1
    s.request_withdraw(request=draft, by=officer_a, reason="Charged by the police instead")
    assert s.request_create(case=draft.case, details=_mg3(), by=officer_a).status == RequestStatus.DRAFT


# -- supervisor review and withdrawal ---------------------------------------------------------------


def test_a_supervisor_approves_and_sends_to_cps_direct(
    awaiting: ChargingRequest, supervisor_a: User, as_user: Login
) -> None:
    client = as_user(supervisor_a)
    body = page(client.get(_url("request-detail", awaiting)))
    assert "Review the request" in body
    form = page(client.get(_url("request-review", awaiting)))
    assert "Send to CPS Direct (custody case out of hours)" in form
    # No conditional reveal: GOV.UK Frontend's puts aria-expanded on a radio, which ARIA does not allow.
    assert "data-aria-controls" not in form
    assert "What must the officer put right?" in form or 'id="conditional-return"' in form
    assert "Confirm your decision</button>" in form
    response = client.post(
        _url("request-review", awaiting),
        {"version": str(awaiting.version), "decision": "approve", "to_cps_direct": "on"},
        follow=True,
    )
    assert banner(response) == "Charging request approved and sent to CPS Direct"
    awaiting.refresh_from_db()
    assert awaiting.status == RequestStatus.WITH_CPS_TRIAGE
    assert awaiting.to_cps_direct


def test_returning_to_the_officer_needs_a_reason(awaiting: ChargingRequest, supervisor_a: User, as_user: Login) -> None:
    client = as_user(supervisor_a)
    before = _state(awaiting)
    response = client.post(
        _url("request-review", awaiting), {"version": str(awaiting.version), "decision": "return", "reason": " "}
    )
    assert_refused(response, fp.RETURN_REASON_REQUIRED, "#id_reason")
    assert 'id="conditional-return"' in page(response)
    assert _state(awaiting) == before
    response = client.post(_url("request-review", awaiting), {"version": str(awaiting.version)})
    assert_refused(response, fp.REVIEW_CHOICE_REQUIRED, "#id_decision_0")
    assert _state(awaiting) == before
    response = client.post(
        _url("request-review", awaiting),
        {"version": str(awaiting.version), "decision": "return", "reason": "Add the CCTV timings"},
        follow=True,
    )
    assert banner(response) == "Charging request returned to the officer"
    awaiting.refresh_from_db()
    assert awaiting.status == RequestStatus.DRAFT


def test_an_officer_cannot_review(awaiting: ChargingRequest, officer_a: User, as_user: Login) -> None:
    before = _state(awaiting)
    client = as_user(officer_a)
    assert client.get(_url("request-review", awaiting)).status_code == 403
    data = {"version": str(awaiting.version), "decision": "approve"}
    assert client.post(_url("request-review", awaiting), data).status_code == 403
    assert _state(awaiting) == before


def test_withdrawing_needs_a_reason(draft: ChargingRequest, officer_a: User, as_user: Login) -> None:
    client = as_user(officer_a)
    before = _state(draft)
    response = client.post(_url("request-withdraw", draft), {"version": str(draft.version), "reason": ""})
    assert_refused(response, fp.WITHDRAW_REASON_REQUIRED, "#id_reason")
    assert _state(draft) == before
    response = client.post(
        _url("request-withdraw", draft), {"version": str(draft.version), "reason": "Charged by the police"}, follow=True
    )
    assert banner(response) == "Charging request withdrawn"
    draft.refresh_from_db()
    assert draft.status == RequestStatus.WITHDRAWN


# -- action plans, MG3A and reopening ----------------------------------------------------------------


def test_the_request_page_shows_each_action_with_an_answer_link(
    planned: ChargingRequest, officer_a: User, lawyer_north: User, as_user: Login
) -> None:
    body = page(as_user(officer_a).get(_url("request-detail", planned)))
    assert body.count('data-testid="action-item"') == 2
    assert "Obtain statement 1" in body
    assert "Proves really serious harm" in body
    assert "Really serious harm" in body
    assert "OF61016" in body
    assert "Officer in case" in body
    assert "Not answered" in body
    assert "Resubmit to the CPS (MG3A)" in body
    items = _items(planned)
    assert _url("action-answer", planned, items[0].public_id) in body
    lawyer_view = page(as_user(lawyer_north).get(_url("request-detail", planned)))
    assert "Obtain statement 1" in lawyer_view
    assert _url("action-answer", planned, items[0].public_id) not in lawyer_view


def test_the_request_page_shows_charges_and_a_correction_beside_the_decision_it_replaces(
    case: Case, offence: OffenceAllegation, officer_a: User, supervisor_a: User, paralegal_north: User,
    lawyer_north: User, as_user: Login,
) -> None:  # fmt: skip
    request = _allocated(case, officer_a, supervisor_a, paralegal_north, lawyer_north)
    first = s.decision_record(
        request=request,
        by=lawyer_north,
        outcome=DecisionOutcome.CHARGE,
        reasons="Full Code Test met",
        test_applied=CodeTest.FULL_CODE_TEST,
        charges=[s.ChargeDetails(offence=offence, wording="On 5 January 2026 wounded A with intent")],
    )
    request.refresh_from_db()
    s.decision_correct(
        request=request,
        corrects=first,
        by=lawyer_north,
        reasons="Wording corrected",
        test_applied=CodeTest.FULL_CODE_TEST,
        charges=[s.ChargeDetails(offence=offence, wording="On 6 January 2026 wounded A with intent")],
    )
    body = page(as_user(officer_a).get(_url("request-detail", request)))
    assert body.count('data-testid="decision"') == 2
    assert "OF61016 Wounding with intent to do grievous bodily harm: On 5 January 2026 wounded A with intent" in body
    assert "Charge (correction)" in body
    assert ">Replaced</strong> by a correction" in body
    assert "Decided: " in body
    tab = page(as_user(officer_a).get(reverse("charging:case-charging", args=[case.public_id])))
    assert 'Latest decision</dt><dd class="govuk-summary-list__value">Charge, ' in tab


def test_an_officer_answers_an_action_with_material(planned: ChargingRequest, officer_a: User, as_user: Login) -> None:
    statement = _document(planned.case, officer_a)
    item = _items(planned)[0]
    client = as_user(officer_a)
    url = _url("action-answer", planned, item.public_id)
    form = page(client.get(url))
    assert "Medical statement" in form
    assert 'name="documents"' in form
    response = client.post(
        url, {"status": ActionItemStatus.DONE, "response": "Statement taken", "documents": [str(statement.public_id)]},
        follow=True,
    )  # fmt: skip
    assert banner(response) == "Action 1 answered: Done"
    item.refresh_from_db()
    assert item.status == ActionItemStatus.DONE
    assert list(item.documents.all()) == [statement]
    assert "Statement taken" in page(response)
    assert f"/documents/{statement.public_id}/" in page(response)


@pytest.mark.parametrize(
    ("status", "message"),
    [
        (ActionItemStatus.DONE, s.ANSWER_TEXT[ActionItemStatus.DONE]),
        (ActionItemStatus.CANNOT_BE_DONE, s.ANSWER_TEXT[ActionItemStatus.CANNOT_BE_DONE]),
        (ActionItemStatus.DISPUTED, s.ANSWER_TEXT[ActionItemStatus.DISPUTED]),
        ("", fp.ANSWER_TEXT_REQUIRED),
    ],
)
def test_an_answer_without_text_says_what_is_missing_for_the_choice(
    planned: ChargingRequest, officer_a: User, as_user: Login, status: str, message: str
) -> None:
    item = _items(planned)[0]
    before = _state(planned)
    response = as_user(officer_a).post(_url("action-answer", planned, item.public_id), {"status": status})
    assert_refused(response, message, "#id_response")
    if not status:
        assert_refused(response, s.ANSWER_STATUS, "#id_status_0")
    assert _state(planned) == before


def test_material_of_another_case_cannot_be_attached(planned: ChargingRequest, officer_a: User, as_user: Login) -> None:
    other = _case("10/AA/99999/26", officer_a)
    elsewhere = _document(other, officer_a)
    item = _items(planned)[0]
    before = _state(planned)
    response = as_user(officer_a).post(
        _url("action-answer", planned, item.public_id),
        {"status": ActionItemStatus.DONE, "response": "Done", "documents": [str(elsewhere.public_id)]},
    )
    assert_refused(response, fp.DOCUMENT_NOT_LISTED, "#id_documents_0")
    assert _state(planned) == before


def test_an_action_of_another_request_or_force_is_not_found(
    planned: ChargingRequest, officer_a: User, officer_b: User, unit_b1: Unit, lawyer_south: User, as_user: Login
) -> None:
    item = _items(planned)[0]
    data = {"status": ActionItemStatus.DONE, "response": "Done"}
    # An earlier request of the same case, withdrawn before this one was made.
    other = ChargingRequest.objects.create(case=planned.case, created_by=officer_a, status=RequestStatus.WITHDRAWN)
    before = _state(planned)
    assert as_user(officer_b).post(_url("action-answer", planned, item.public_id), data).status_code == 404
    # The item's id under another request of the same case is not found either.
    assert as_user(officer_a).post(_url("action-answer", other, item.public_id), data).status_code == 404
    assert _state(planned) == before


def test_resubmitting_with_unanswered_actions_names_them_and_changes_nothing(
    planned: ChargingRequest, officer_a: User, as_user: Login
) -> None:
    client = as_user(officer_a)
    form = page(client.get(_url("request-resubmit", planned)))
    assert "2 actions not answered yet: action 1, action 2" in form
    before = _state(planned)
    data = {"version": str(planned.version), "summary": "Statements attached"}
    response = client.post(_url("request-resubmit", planned), data)
    assert_refused(response, s.UNANSWERED_ITEMS.format(numbers="action 1, action 2"), "#actions")
    assert _state(planned) == before
    response = client.post(_url("request-resubmit", planned), {"version": str(planned.version), "summary": ""})
    assert_refused(response, s.RESUBMISSION_SUMMARY, "#id_summary")
    assert _state(planned) == before


def test_resubmitting_an_answered_plan_returns_it_to_the_lawyer(
    planned: ChargingRequest, officer_a: User, lawyer_north: User, as_user: Login
) -> None:
    for item in _items(planned):
        s.action_item_answer(item=item, by=officer_a, status=ActionItemStatus.CANNOT_BE_DONE, response="Declined")
    planned.refresh_from_db()
    response = as_user(officer_a).post(
        _url("request-resubmit", planned), {"version": str(planned.version), "summary": "Both answered"}, follow=True
    )
    assert banner(response) == "Charging request resubmitted to the CPS (MG3A)"
    planned.refresh_from_db()
    assert planned.status == RequestStatus.ALLOCATED
    assert planned.allocated_lawyer == lawyer_north
    body = page(response)
    assert "MG3A 1" in body
    assert "Both answered" in body


def test_reopening_a_finalised_request_needs_the_material_that_arrived(
    finalised: ChargingRequest, officer_a: User, as_user: Login
) -> None:
    client = as_user(officer_a)
    assert "Reopen: new material has arrived" in page(client.get(_url("request-detail", finalised)))
    before = _state(finalised)
    response = client.post(_url("request-reopen", finalised), {"version": str(finalised.version), "summary": ""})
    assert_refused(response, fp.REOPEN_SUMMARY_REQUIRED, "#id_summary")
    assert _state(finalised) == before
    response = client.post(
        _url("request-reopen", finalised),
        {"version": str(finalised.version), "summary": "Medical statement now received"},
        follow=True,
    )
    assert banner(response) == "Charging request reopened and sent back to the CPS"
    assert Resubmission.objects.get().reopened


def test_the_resubmit_page_of_a_draft_sends_the_officer_back(
    draft: ChargingRequest, officer_a: User, as_user: Login
) -> None:
    response = as_user(officer_a).get(_url("request-resubmit", draft))
    assert response.status_code == 302
    assert response["Location"] == _url("request-detail", draft)


# -- police charges under DG6 Annex 1 --------------------------------------------------------------


def test_a_supervisor_charges_a_summary_only_case(
    case: Case, officer_a: User, supervisor_a: User, as_user: Login
) -> None:
    assault = _offence(case, officer_a, code="CJ88001")
    client = as_user(supervisor_a)
    url = reverse("charging:police-charge", args=[case.public_id])
    assert "CJ88001 Common assault, against Jamie SMITH" in page(client.get(url))
    data = {
        "offences": [str(assault.public_id)],
        "anticipated_plea": "guilty",
        "likely_sentence_over_12_months": "no",
        "suitable_for_magistrates": "yes",
        "rationale": "Admitted in interview; CCTV",
    }
    response = client.post(url, data, follow=True)
    assert banner(response) == "Police charging decision recorded: 1 offence charged"
    decision = PoliceChargeDecision.objects.get()
    assert list(decision.offences.all()) == [assault]
    case.refresh_from_db()
    assert case.status == CaseStatus.CHARGED
    assert "Admitted in interview; CCTV" in page(response)


def test_dg6_refuses_a_police_charge_of_a_cps_case_and_nothing_changes(
    case: Case, offence: OffenceAllegation, supervisor_a: User, as_user: Login
) -> None:
    before = (case.status, PoliceChargeDecision.objects.count())
    data = {
        "offences": [str(offence.public_id)],
        "anticipated_plea": "guilty",
        "likely_sentence_over_12_months": "no",
        "suitable_for_magistrates": "yes",
        "rationale": "Admitted",
    }
    response = as_user(supervisor_a).post(reverse("charging:police-charge", args=[case.public_id]), data)
    routing = routing_for_case(case, anticipated_plea="guilty")
    assert routing is not None
    reserved = (routing.cps_rule or routing.rule).reason.rstrip(".")
    message = s.POLICE_CHARGE_CPS_CASE.format(reason=reserved)
    assert_refused(response, message, "#id_offences_0")
    assert summary_texts(response) == [message]
    assert "indictable-only" in message
    case.refresh_from_db()
    assert (case.status, PoliceChargeDecision.objects.count()) == before


def test_a_police_charge_needs_offences_answers_and_a_rationale(
    case: Case, offence: OffenceAllegation, supervisor_a: User, as_user: Login
) -> None:
    response = as_user(supervisor_a).post(reverse("charging:police-charge", args=[case.public_id]), {})
    assert_refused(response, s.CHARGES_REQUIRED, "#id_offences_0")
    assert_refused(response, fp.PLEA_REQUIRED, "#id_anticipated_plea_0")
    assert_refused(response, fp.SENTENCE_REQUIRED, "#id_likely_sentence_over_12_months_0")
    assert_refused(response, fp.MAGISTRATES_REQUIRED, "#id_suitable_for_magistrates_0")
    assert_refused(response, s.RATIONALE_REQUIRED, "#id_rationale")
    assert not PoliceChargeDecision.objects.exists()


def test_a_police_charge_while_a_request_is_with_the_cps_is_refused(
    case: Case, officer_a: User, supervisor_a: User, as_user: Login
) -> None:
    assault = _offence(case, officer_a, code="CJ88001")
    _sent(case, officer_a, supervisor_a)
    data = {
        "offences": [str(assault.public_id)],
        "anticipated_plea": "guilty",
        "likely_sentence_over_12_months": "no",
        "suitable_for_magistrates": "yes",
        "rationale": "Admitted",
    }
    response = as_user(supervisor_a).post(reverse("charging:police-charge", args=[case.public_id]), data)
    assert_refused(response, s.POLICE_CHARGE_OPEN_REQUEST)
    assert not PoliceChargeDecision.objects.exists()


# -- outsiders on every view -----------------------------------------------------------------------

VIEWS: list[tuple[str, str]] = [
    ("case-charging", "get"),
    ("request-create", "get"),
    ("request-create", "post"),
    ("request-detail", "get"),
    ("request-edit", "get"),
    ("request-edit", "post"),
    ("request-submit", "post"),
    ("request-review", "get"),
    ("request-review", "post"),
    ("request-withdraw", "get"),
    ("request-withdraw", "post"),
    ("action-answer", "get"),
    ("action-answer", "post"),
    ("request-resubmit", "get"),
    ("request-resubmit", "post"),
    ("request-reopen", "get"),
    ("request-reopen", "post"),
    ("police-charge", "get"),
    ("police-charge", "post"),
]
CASE_VIEWS = {"case-charging", "request-create", "police-charge"}


def view_url(name: str, request: ChargingRequest) -> str:
    if name in CASE_VIEWS:
        return reverse(f"charging:{name}", args=[request.case.public_id])
    if name == "action-answer":
        return _url(name, request, _items(request)[0].public_id)
    return _url(name, request)


POSTED = {
    "version": "1",
    "status": "done",
    "response": "Done",
    "summary": "New material",
    "reason": "Because",
    "decision": "approve",
    "rationale": "Because",
}


def _hit(client: Client, method: str, url: str) -> HttpResponse:
    return client.post(url, POSTED) if method == "post" else client.get(url)


@pytest.mark.parametrize(("name", "method"), VIEWS)
@pytest.mark.parametrize("outsider", ["officer_b", "lawyer_south", "lawyer_cpsd", "admin_user"])
def test_outsiders_get_404_and_change_nothing(
    planned: ChargingRequest, name: str, method: str, outsider: str, request: pytest.FixtureRequest, as_user: Login
) -> None:
    before = _state(planned)
    client = as_user(request.getfixturevalue(outsider))
    assert _hit(client, method, view_url(name, planned)).status_code == 404
    assert _state(planned) == before


@pytest.mark.parametrize(("name", "method"), VIEWS)
def test_signed_out_users_are_sent_to_sign_in(planned: ChargingRequest, name: str, method: str) -> None:
    url = view_url(name, planned)
    response = _hit(Client(), method, url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse(settings.LOGIN_URL))


# The police manager and the CPS lawyer can see the case and the request, but none of these are theirs to do;
# a disclosure officer builds the case, so only the supervisor's pages are refused to them.
WRONG_ROLE_CASES = [
    (persona, name, method)
    for persona in ("manager_police_a", "lawyer_north", "disclosure_a")
    for name, method in VIEWS
    if name not in {"case-charging", "request-detail"}
    and (persona != "disclosure_a" or name in {"request-review", "police-charge"})
]


@pytest.mark.parametrize(("persona", "name", "method"), WRONG_ROLE_CASES)
def test_the_wrong_role_is_refused_and_nothing_changes(
    planned: ChargingRequest, name: str, method: str, persona: str, request: pytest.FixtureRequest, as_user: Login
) -> None:
    before = _state(planned)
    response = _hit(as_user(request.getfixturevalue(persona)), method, view_url(name, planned))
    assert response.status_code == 403
    assert "You cannot do this" in page(response)
    assert _state(planned) == before


def test_a_cps_user_sees_the_request_page_but_no_police_buttons(
    planned: ChargingRequest, lawyer_north: User, as_user: Login
) -> None:
    body = page(as_user(lawyer_north).get(_url("request-detail", planned)))
    assert "Obtain statement 1" in body
    for button in ("Change the MG3", "Resubmit to the CPS (MG3A)", "Withdraw the request", "Review the request"):
        assert button not in body
    assert "Open the lawyer&#x27;s workspace" in body


def test_a_draft_is_not_found_by_the_cps(draft: ChargingRequest, lawyer_north: User, as_user: Login) -> None:
    Case.objects.filter(pk=draft.case.pk).update(sent_to_cps_at=timezone.now())
    client = as_user(lawyer_north)
    assert client.get(reverse("charging:case-charging", args=[draft.case.public_id])).status_code == 200
    assert client.get(_url("request-detail", draft)).status_code == 404
    assert client.get(reverse("charging:request-detail", args=[draft.case.public_id, uuid.uuid4()])).status_code == 404


# -- a fixed number of queries however many decisions and actions ----------------------------------


def _history(case: Case, officer: User, supervisor: User, triage: User, lawyer: User, rounds: int) -> ChargingRequest:
    """A request that has been through ``rounds`` action plans, the earlier ones answered with material and
    resubmitted; the last one is waiting for the police."""
    offence = _offence(case, officer)
    request = _allocated(case, officer, supervisor, triage, lawyer)
    for n in range(rounds):
        _plan(request, lawyer, offence, items=1 + 2 * n)
        if n == rounds - 1:
            break
        for item in _items(request):
            document = _document(case, officer, title=f"Answer {item.pk}")
            s.action_item_answer(item=item, by=officer, status="done", response="Done", documents=[document])
        request.refresh_from_db()
        s.request_resubmit(request=request, by=officer, summary=f"Round {n}")
        request.refresh_from_db()
    return request


# Session and user, the case, the requests with their decisions, charges, actions, answers' material and
# resubmissions, DG6 routing's offences, the rules' lookups and the view's audit row: enough to survive an added
# prefetch, tight enough to catch a query per decision or action.
MAX_QUERIES = 20


def count(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("persona", ["officer_a", "lawyer_north"])
def test_the_tab_and_the_request_page_cost_the_same_queries_however_long_the_history(
    officer_a: User, supervisor_a: User, paralegal_north: User, lawyer_north: User, unit_a1: Unit,
    offence_codes: dict[str, OffenceCode], persona: str, request: pytest.FixtureRequest, as_user: Login,
) -> None:  # fmt: skip
    small = _history(_case("10/AA/11111/26", officer_a), officer_a, supervisor_a, paralegal_north, lawyer_north, 1)
    large_case = _case("10/AA/22222/26", officer_a, flags=[CaseFlag.DOMESTIC_ABUSE])
    for _ in range(2):
        withdrawn = s.request_create(case=large_case, details=_mg3(), by=officer_a)
        s.request_withdraw(request=withdrawn, by=officer_a, reason="Started twice")
    large = _history(large_case, officer_a, supervisor_a, paralegal_north, lawyer_north, 4)
    assert large.decisions.count() == 4
    assert large.action_items.count() == 16
    assert large_case.charging_requests.count() == 3
    client = as_user(request.getfixturevalue(persona))
    client.get("/")
    for name in ("case-charging", "request-detail"):
        small_count = count(client, view_url(name, small))
        assert count(client, view_url(name, large)) == small_count, name
        assert small_count <= MAX_QUERIES, (name, small_count)
