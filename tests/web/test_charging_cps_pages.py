"""The CPS charging pages: the queue, triage, allocation, the lawyer's workspace, decisions and corrections
(DG6, domain.md 2.2–2.5). Every write goes through ``charging.services``; these tests check what the CPS user
sees and can do, that bad input is refused with a precise message and changes nothing, and that nobody outside
the request's CPS Area reaches any of the pages."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.choices import AuditEventType
from accounts.models import AuditEvent, Unit, User
from casework import services as cs
from casework.choices import CaseStatus
from casework.models import Case, OffenceAllegation, OffenceCode
from charging import services as s
from charging.choices import (
    ActionItemOwner,
    ActionItemStatus,
    ChargingCategory,
    DecisionOutcome,
    RequestStatus,
)
from charging.choices import TestSought as CodeTest
from charging.forms_cps import RETURN_REASON_REQUIRED
from charging.models import ActionPlanItem, ChargingDecision, ChargingRequest, DecisionCharge
from charging.views import cps as views
from files.choices import FileStage, SubmissionStatus
from files.models import FileSubmission, QualityReport
from tests.factories.accounts import UserFactory

from ..charging.builders import add_offence, mg3
from .test_case_support import assert_form_error, date_parts, page

pytestmark = pytest.mark.django_db

Login = Callable[[User], Client]

# ---------------------------------------------------------------------------------------------
# Building requests through the services, as the police and the CPS would


def _case(n: int, officer: User) -> Case:
    return cs.case_create(urn=f"10/AA/{n:05d}/26", details=cs.CaseDetails(summary="Wounding outside a pub"), by=officer)


_offence, _mg3 = add_offence, mg3


def _sent(case: Case, officer: User, supervisor: User, *, to_cps_direct: bool = False, **mg3: Any) -> ChargingRequest:
    request = s.request_create(case=case, details=_mg3(**mg3), by=officer)
    request = s.request_submit(request=request, by=officer)
    return s.request_approve(request=request, by=supervisor, to_cps_direct=to_cps_direct)


def _received(request: ChargingRequest, ago: timedelta) -> None:
    ChargingRequest.objects.filter(pk=request.pk).update(received_by_cps_at=timezone.now() - ago)


def _fresh(request: ChargingRequest) -> ChargingRequest:
    return ChargingRequest.objects.select_related("case").get(pk=request.pk)


@pytest.fixture
def case(officer_a: User, unit_a1: Unit, offence_codes: dict[str, OffenceCode]) -> Case:
    return _case(12345, officer_a)


@pytest.fixture
def offence(case: Case, officer_a: User) -> OffenceAllegation:
    return _offence(case, officer_a)


@pytest.fixture
def sent(case: Case, offence: OffenceAllegation, officer_a: User, supervisor_a: User) -> ChargingRequest:
    return _sent(case, officer_a, supervisor_a)


@pytest.fixture
def accepted(sent: ChargingRequest, paralegal_north: User) -> ChargingRequest:
    return s.request_accept(request=sent, by=paralegal_north)


@pytest.fixture
def allocated(accepted: ChargingRequest, lawyer_north: User) -> ChargingRequest:
    return s.request_allocate(request=accepted, by=lawyer_north)


@pytest.fixture
def charged(allocated: ChargingRequest, offence: OffenceAllegation, lawyer_north: User) -> ChargingDecision:
    return s.decision_record(
        request=allocated,
        by=lawyer_north,
        outcome=DecisionOutcome.CHARGE,
        reasons="Full Code Test met: CCTV and two witnesses.",
        test_applied=CodeTest.FULL_CODE_TEST,
        charges=[s.ChargeDetails(offence=offence, wording="On 5 January 2026 wounded Sam Brown")],
    )


def url(name: str, request: ChargingRequest, *extra: Any) -> str:
    return reverse(f"charging:{name}", args=[request.case.public_id, request.public_id, *extra])


def _state() -> tuple[Any, ...]:
    """Everything the CPS pages can write, to prove a refused form wrote nothing."""
    return (
        sorted(ChargingRequest.objects.values_list("pk", "status", "version", "allocated_lawyer_id")),
        ChargingDecision.objects.count(),
        DecisionCharge.objects.count(),
        ActionPlanItem.objects.count(),
        sorted(Case.objects.values_list("pk", "status")),
    )


def _follow_banner(client: Client, response: Any) -> str:
    """The page a successful POST redirects to (the workspace), with its success banner."""
    assert response.status_code == 302, response.status_code
    landed = client.get(response["Location"])
    assert landed.status_code == 200
    return page(landed)


def _answer_and_resubmit(request: ChargingRequest, officer: User, lawyer: User, items: int) -> None:
    """An action plan with ``items`` actions, each answered by the police, and the MG3A back to the lawyer."""
    due = timezone.localdate() + timedelta(days=7)
    s.decision_record(
        request=_fresh(request),
        by=lawyer,
        outcome=DecisionOutcome.ACTION_PLAN,
        reasons="Need more evidence",
        action_items=[
            s.ActionItemDetails(action=f"Obtain statement {n}", reason="Proves identity", due_on=due)
            for n in range(items)
        ],
    )
    for item in ActionPlanItem.objects.filter(request=request, status=ActionItemStatus.OPEN):
        s.action_item_answer(item=item, by=officer, status=ActionItemStatus.DONE, response="Statement obtained")
    s.request_resubmit(request=_fresh(request), by=officer, summary="All actions done")


# ---------------------------------------------------------------------------------------------
# The queue


def _queue_urns(response: Any) -> list[str]:
    return re.findall(
        r'<tr class="govuk-table__row" data-testid="queue-row">\s*<td[^>]*><a[^>]*>([^<]+)</a>', page(response)
    )


@pytest.fixture
def mixed_queue(
    officer_a: User, supervisor_a: User, paralegal_north: User, lawyer_north: User, unit_a1: Unit
) -> dict[str, ChargingRequest]:
    """A red request in triage, a green one accepted, a green priority one allocated to lawyer_north, and an
    old green one in triage that is past its time aim."""
    red = _sent(_case(1, officer_a), officer_a, supervisor_a, category=ChargingCategory.RED)
    green = _sent(_case(2, officer_a), officer_a, supervisor_a, category=ChargingCategory.GREEN)
    green = s.request_accept(request=green, by=paralegal_north)
    priority = _sent(_case(3, officer_a), officer_a, supervisor_a, category=ChargingCategory.GREEN_PRIORITY)
    priority = s.request_accept(request=priority, by=paralegal_north)
    priority = s.request_allocate(request=priority, by=lawyer_north)
    old = _sent(_case(4, officer_a), officer_a, supervisor_a, category=ChargingCategory.GREEN)
    _received(old, timedelta(days=30))
    _received(green, timedelta(days=1))
    return {"red": red, "green": green, "priority": priority, "old": old}


def test_queue_puts_red_first_then_orders_by_when_due_and_marks_overdue(
    mixed_queue: dict[str, ChargingRequest], lawyer_north: User, as_user: Login
) -> None:
    response = as_user(lawyer_north).get(reverse("charging:queue"))
    assert response.status_code == 200
    q = mixed_queue
    # Red (due in 4 hours), the overdue green (due 2 days ago), green priority (5 days), green (27 days).
    expected = [q[k].case.urn_display for k in ("red", "old", "priority", "green")]
    assert _queue_urns(response) == expected
    rows = page(response).split('data-testid="queue-row"')[1:]
    assert ["Overdue" in row for row in rows] == [False, True, False, False]
    assert "Red (custody, remand sought)" in rows[0]
    assert "Unallocated" in rows[0]
    assert "lawyer_north" in rows[2] or lawyer_north.get_full_name() in rows[2]
    assert url("workspace", q["red"]) in rows[0]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("category=red", {"red"}),
        ("status=accepted_awaiting_allocation", {"green"}),
        ("mine=on", {"priority"}),
        ("unallocated=on", {"red", "green", "old"}),
        ("overdue=on", {"old"}),
        ("category=green&overdue=on", {"old"}),
    ],
)
def test_each_queue_filter_keeps_only_its_requests(
    mixed_queue: dict[str, ChargingRequest], lawyer_north: User, as_user: Login, query: str, expected: set[str]
) -> None:
    response = as_user(lawyer_north).get(f"{reverse('charging:queue')}?{query}")
    assert response.status_code == 200
    assert set(_queue_urns(response)) == {mixed_queue[k].case.urn_display for k in expected}


def test_removing_one_filter_keeps_the_others(
    mixed_queue: dict[str, ChargingRequest], lawyer_north: User, as_user: Login
) -> None:
    response = as_user(lawyer_north).get(f"{reverse('charging:queue')}?category=green&overdue=on")
    body = page(response)
    tags = {
        label.strip(): href
        for href, label in re.findall(
            r'<a class="moj-filter__tag" href="([^"]+)"><span class="govuk-visually-hidden">[^<]*</span>([^<]+)</a>',
            body,
        )
    }
    assert tags == {"Green": "/charging/queue/?overdue=on", "Overdue": "/charging/queue/?category=green"}


def test_a_filter_that_cannot_be_read_is_refused_with_a_message(lawyer_north: User, as_user: Login) -> None:
    response = as_user(lawyer_north).get(f"{reverse('charging:queue')}?category=purple")
    assert_form_error(response, "Choose from the list", "id_category")


def test_an_empty_queue_says_so(lawyer_north: User, as_user: Login) -> None:
    response = as_user(lawyer_north).get(reverse("charging:queue"))
    assert "There are no charging requests in the queue." in page(response)
    filtered = as_user(lawyer_north).get(f"{reverse('charging:queue')}?overdue=on")
    assert "No requests match these filters." in page(filtered)


def _queue_link(response: Any, rel: str) -> str | None:
    match = re.search(rf'href="([^"]+)" rel="{rel}"', page(response))
    return match.group(1).replace("&amp;", "&") if match else None


def test_the_queue_is_paged_in_its_order_with_previous_and_next(
    mixed_queue: dict[str, ChargingRequest], lawyer_north: User, as_user: Login, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(views, "QUEUE_PAGE_SIZE", 1)
    client = as_user(lawyer_north)
    walked, url = [], reverse("charging:queue")
    responses = []
    while url:
        response = client.get(url)
        responses.append(response)
        walked.extend(_queue_urns(response))
        url = _queue_link(response, "next")
    q = mixed_queue
    assert walked == [q[k].case.urn_display for k in ("red", "old", "priority", "green")]
    assert _queue_link(responses[0], "prev") is None
    back = client.get(_queue_link(responses[3], "prev"))
    assert _queue_urns(back) == [q["priority"].case.urn_display]
    # No count of the queue anywhere: neither page numbers nor a total.
    assert "Page " not in page(responses[1])


def test_the_queue_pages_keep_the_filters(
    mixed_queue: dict[str, ChargingRequest], lawyer_north: User, as_user: Login, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(views, "QUEUE_PAGE_SIZE", 1)
    client = as_user(lawyer_north)
    first = client.get(f"{reverse('charging:queue')}?unallocated=on")
    next_url = _queue_link(first, "next")
    assert next_url is not None
    assert "unallocated=on" in next_url
    second = client.get(next_url)
    q = mixed_queue
    assert _queue_urns(first) + _queue_urns(second) == [q["red"].case.urn_display, q["old"].case.urn_display]
    assert "unallocated=on" in (_queue_link(second, "prev") or "")


def test_a_tampered_queue_cursor_starts_again_at_the_first_page(
    mixed_queue: dict[str, ChargingRequest], lawyer_north: User, as_user: Login
) -> None:
    client = as_user(lawyer_north)
    first = _queue_urns(client.get(reverse("charging:queue")))
    assert _queue_urns(client.get(f"{reverse('charging:queue')}?after=tampered")) == first
    assert _queue_urns(client.get(f"{reverse('charging:queue')}?before=tampered")) == first


def test_a_page_of_the_queue_costs_no_more_queries_than_the_first_wherever_it_is(
    mixed_queue: dict[str, ChargingRequest], lawyer_north: User, as_user: Login, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(views, "QUEUE_PAGE_SIZE", 1)
    client = as_user(lawyer_north)
    client.get("/")  # the session's first-request work out of the way
    counts, url = [], reverse("charging:queue")
    while url:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        counts.append(len(queries))
        assert not [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]
        url = _queue_link(response, "next")
    assert len(counts) == 4
    # One read per charging category at most (past the red ones, red is not read at all).
    assert max(counts) == counts[0]
    assert counts[0] - min(counts) <= 1


def test_a_request_back_from_the_police_is_marked_mg3a_in_the_queue(
    allocated: ChargingRequest, officer_a: User, lawyer_north: User, as_user: Login
) -> None:
    assert "MG3A: back from the police" not in page(as_user(lawyer_north).get(reverse("charging:queue")))
    _answer_and_resubmit(allocated, officer_a, lawyer_north, items=1)
    assert _fresh(allocated).status == RequestStatus.ALLOCATED  # back with the same lawyer
    response = as_user(lawyer_north).get(reverse("charging:queue"))
    assert "MG3A: back from the police" in page(response)


def test_another_areas_requests_never_show_and_cps_direct_sees_only_its_own(
    officer_a: User,
    supervisor_a: User,
    officer_b: User,
    unit_a1: Unit,
    lawyer_north: User,
    lawyer_south: User,
    lawyer_cpsd: User,
    as_user: Login,
) -> None:
    north = _sent(_case(11, officer_a), officer_a, supervisor_a)
    direct = _sent(_case(12, officer_a), officer_a, supervisor_a, to_cps_direct=True)
    north_urns = set(_queue_urns(as_user(lawyer_north).get(reverse("charging:queue"))))
    assert north_urns == {north.case.urn_display, direct.case.urn_display}
    south = page(as_user(lawyer_south).get(reverse("charging:queue")))
    assert north.case.urn_display not in south
    assert direct.case.urn_display not in south
    assert _queue_urns(as_user(lawyer_cpsd).get(reverse("charging:queue"))) == [direct.case.urn_display]


@pytest.mark.parametrize("persona", ["officer_a", "supervisor_a", "admin_user"])
def test_the_queue_is_not_there_for_anyone_outside_the_cps(
    persona: str, request: pytest.FixtureRequest, as_user: Login
) -> None:
    response = as_user(request.getfixturevalue(persona)).get(reverse("charging:queue"))
    assert response.status_code == 404


def test_the_queue_needs_signing_in(client: Client) -> None:
    response = client.get(reverse("charging:queue"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sign-in"))


def test_cps_users_have_the_queue_in_the_service_navigation(
    lawyer_north: User, officer_a: User, as_user: Login
) -> None:
    assert 'href="/charging/queue/"' in page(as_user(lawyer_north).get("/"))
    assert 'href="/charging/queue/"' not in page(as_user(officer_a).get("/"))


def test_the_queue_costs_the_same_queries_however_many_requests(
    officer_a: User, supervisor_a: User, unit_a1: Unit, lawyer_north: User, as_user: Login
) -> None:
    client = as_user(lawyer_north)
    client.get("/")

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("charging:queue"))
        assert response.status_code == 200
        return len(queries)

    for n in range(2):
        _sent(_case(100 + n, officer_a), officer_a, supervisor_a)
    small = count()
    for n in range(2, 12):
        _sent(_case(100 + n, officer_a), officer_a, supervisor_a, category=ChargingCategory.RED)
    assert count() == small
    # Session, user, navigation counts, and the queue: its order read per charging category, then the page.
    assert small <= 11


# ---------------------------------------------------------------------------------------------
# Triage


def test_triage_shows_the_mg3_and_the_files_quality_report(
    case: Case, offence: OffenceAllegation, officer_a: User, supervisor_a: User, paralegal_north: User, as_user: Login
) -> None:
    submission = FileSubmission.objects.create(
        case=case, stage=FileStage.PRE_CHARGE_FCT, status=SubmissionStatus.SUBMITTED, created_by=officer_a
    )
    finding = {
        "rule_id": "R-MG11-KEY",
        "fq_code": "FQ04",
        "reference": "NFS pre-charge",
        "severity": "advisory",
        "title": "Key witness statement missing",
        "explanation": "No MG11 from the key witness",
        "fix": "Upload it",
        "link": {"kind": "case", "target": ""},
    }
    QualityReport.objects.create(
        submission=submission, ruleset_version="1", inputs_digest="x", findings=[finding], advisory_count=1
    )
    request = _sent(case, officer_a, supervisor_a, submission=submission)
    response = as_user(paralegal_north).get(url("request-triage", request))
    body = page(response)
    assert response.status_code == 200
    assert "Stabbed the victim outside the pub" in body
    assert "Key witness statement missing" in body
    assert "FQ04" in body
    assert "Outstanding evidence listed without a target date (FQ09)" in body  # the failure codes to choose from


def test_triage_accepts_the_request_into_the_queue(
    sent: ChargingRequest, paralegal_north: User, as_user: Login
) -> None:
    client = as_user(paralegal_north)
    response = client.post(url("request-triage", sent), {"version": sent.version, "decision": "accept"})
    assert response["Location"] == url("workspace", sent)
    assert "Request accepted into the queue" in _follow_banner(client, response)
    assert _fresh(sent).status == RequestStatus.ACCEPTED_AWAITING_ALLOCATION


def test_triage_returns_the_request_with_reasons_and_failure_codes(
    sent: ChargingRequest, paralegal_north: User, as_user: Login
) -> None:
    response = as_user(paralegal_north).post(
        url("request-triage", sent),
        {
            "version": sent.version,
            "decision": "return",
            "reason": "No CCTV and no account",
            "failure_codes": ["FQ05", "FQ11"],
        },
    )
    assert response.status_code == 302
    assert _fresh(sent).status == RequestStatus.RETURNED_NOT_TO_STANDARD
    event = AuditEvent.objects.filter(event_type=AuditEventType.CHARGING_REQUEST_RETURNED).latest("occurred_at")
    assert event.data["failure_codes"] == ["FQ05", "FQ11"]
    assert event.data["reason"] == "No CCTV and no account"


@pytest.mark.parametrize(
    ("data", "message", "anchor"),
    [
        ({"decision": "return", "reason": " "}, RETURN_REASON_REQUIRED, "id_reason"),
        ({}, "Say whether you accept the request or return it to the police", "id_decision_0"),
        (
            {"decision": "return", "reason": "x", "failure_codes": ["FQ99"]},
            "Choose from the list",
            "id_failure_codes_0",
        ),
    ],
)
def test_a_triage_that_cannot_be_recorded_changes_nothing(
    sent: ChargingRequest, paralegal_north: User, as_user: Login, data: dict[str, Any], message: str, anchor: str
) -> None:
    before = _state()
    response = as_user(paralegal_north).post(url("request-triage", sent), {"version": sent.version, **data})
    assert_form_error(response, message, anchor)
    assert _state() == before


def test_triage_of_a_request_someone_else_changed_is_refused(
    sent: ChargingRequest, paralegal_north: User, as_user: Login
) -> None:
    before = _state()
    response = as_user(paralegal_north).post(
        url("request-triage", sent), {"version": sent.version - 1, "decision": "accept"}
    )
    assert_form_error(response, s.CONFLICT)
    assert _state() == before


def test_a_legal_manager_without_triage_role_gets_403_on_triage(
    sent: ChargingRequest, manager_cps_north: User, as_user: Login
) -> None:
    client = as_user(manager_cps_north)
    assert client.get(url("request-triage", sent)).status_code == 403
    before = _state()
    assert client.post(url("request-triage", sent), {"version": 3, "decision": "accept"}).status_code == 403
    assert _state() == before


# ---------------------------------------------------------------------------------------------
# Allocation


def test_a_lawyer_takes_the_request_from_the_workspace(
    accepted: ChargingRequest, lawyer_north: User, as_user: Login
) -> None:
    client = as_user(lawyer_north)
    workspace = page(client.get(url("workspace", accepted)))
    assert "Take this request" in workspace
    # The button's own form carries the version the page was drawn from.
    version = re.search(r'<input type="hidden" name="version" value="(\d+)">', workspace)
    assert version is not None
    assert version.group(1) == str(accepted.version)
    response = client.post(url("request-allocate", accepted), {"version": version.group(1), "action": "take"})
    assert "Request allocated to you" in _follow_banner(client, response)
    assert _fresh(accepted).allocated_lawyer == lawyer_north
    assert _fresh(accepted).status == RequestStatus.ALLOCATED


def test_a_legal_manager_allocates_to_a_lawyer_of_the_area(
    accepted: ChargingRequest, manager_cps_north: User, lawyer_north: User, lawyer_south: User, as_user: Login
) -> None:
    client = as_user(manager_cps_north)
    form = page(client.get(url("request-allocate", accepted)))
    assert str(lawyer_north.public_id) in form
    assert str(lawyer_south.public_id) not in form
    assert "Take this request" not in form  # a legal manager who is not a lawyer cannot take it
    before = _state()
    refused = client.post(
        url("request-allocate", accepted),
        {"version": accepted.version, "action": "assign", "lawyer": str(lawyer_south.public_id)},
    )
    assert_form_error(refused, s.LAWYER_NOT_IN_AREA, "id_lawyer")
    assert _state() == before
    response = client.post(
        url("request-allocate", accepted),
        {"version": accepted.version, "action": "assign", "lawyer": str(lawyer_north.public_id)},
    )
    assert response.status_code == 302
    assert _fresh(accepted).allocated_lawyer == lawyer_north


def test_a_paralegal_cannot_take_or_allocate(accepted: ChargingRequest, paralegal_north: User, as_user: Login) -> None:
    client = as_user(paralegal_north)
    assert client.get(url("request-allocate", accepted)).status_code == 403
    before = _state()
    response = client.post(url("request-allocate", accepted), {"version": accepted.version, "action": "take"})
    assert response.status_code == 403
    assert _state() == before


# ---------------------------------------------------------------------------------------------
# The decision


def _decision_post(request: ChargingRequest, **fields: Any) -> dict[str, Any]:
    return {"version": request.version, **fields}


def test_the_allocated_lawyer_records_a_charge(
    allocated: ChargingRequest, offence: OffenceAllegation, lawyer_north: User, as_user: Login
) -> None:
    client = as_user(lawyer_north)
    form = page(client.get(url("decision-record", allocated)))
    assert "OF61016" in form
    assert 'id="conditional-charge"' in form
    response = client.post(
        url("decision-record", allocated),
        _decision_post(
            allocated,
            outcome="charge",
            charges=[str(offence.public_id)],
            **{f"wording_{offence.public_id.hex}": "Wounded Sam Brown with intent"},
            test_applied="full_code_test",
            reasons="Full Code Test met",
        ),
    )
    assert "Charging decision recorded: Charge" in _follow_banner(client, response)
    decision = ChargingDecision.objects.get()
    assert decision.outcome == DecisionOutcome.CHARGE
    assert [(c.offence, c.wording) for c in decision.charges.all()] == [(offence, "Wounded Sam Brown with intent")]
    assert _fresh(allocated).status == RequestStatus.DECIDED
    assert Case.objects.get(pk=allocated.case_id).status == CaseStatus.CHARGED


def test_a_threshold_test_charge_records_the_review_date(
    allocated: ChargingRequest, offence: OffenceAllegation, lawyer_north: User, as_user: Login
) -> None:
    review = timezone.localdate() + timedelta(days=28)
    response = as_user(lawyer_north).post(
        url("decision-record", allocated),
        _decision_post(
            allocated,
            outcome="charge",
            charges=[str(offence.public_id)],
            test_applied="threshold_test",
            reasons="Threshold Test met; forensic results awaited",
            **date_parts("threshold_review_on", review),
        ),
    )
    assert response.status_code == 302
    assert ChargingDecision.objects.get().threshold_review_on == review


def test_no_further_action_decides_the_request_and_ignores_the_hidden_charge_fields(
    allocated: ChargingRequest, offence: OffenceAllegation, lawyer_north: User, as_user: Login
) -> None:
    response = as_user(lawyer_north).post(
        url("decision-record", allocated),
        _decision_post(
            allocated,
            outcome="no_further_action_evidential",
            charges=[str(offence.public_id)],  # ticked before the lawyer changed their mind: hidden, not sent
            reasons="No realistic prospect of conviction",
        ),
    )
    assert response.status_code == 302
    decision = ChargingDecision.objects.get()
    assert decision.outcome == DecisionOutcome.NO_FURTHER_ACTION_EVIDENTIAL
    assert not decision.charges.exists()
    assert Case.objects.get(pk=allocated.case_id).status == CaseStatus.NO_FURTHER_ACTION


def test_an_action_plan_records_the_filled_rows_and_ignores_blank_ones(
    allocated: ChargingRequest, offence: OffenceAllegation, lawyer_north: User, as_user: Login
) -> None:
    due = timezone.localdate() + timedelta(days=14)
    response = as_user(lawyer_north).post(
        url("decision-record", allocated),
        _decision_post(
            allocated,
            outcome="action_plan",
            reasons="The medical evidence is needed",
            **{
                "item-1-action": "Obtain the medical statement",
                "item-1-reason": "Proves really serious harm",
                "item-1-offence": str(offence.public_id),
                "item-1-point_to_prove": "Grievous bodily harm",
                "item-1-owner": ActionItemOwner.OFFICER_IN_CASE,
                **date_parts("item-1-due_on", due),
                "item-2-owner": ActionItemOwner.OFFICER_IN_CASE,  # blank row: only the default owner
                "item-3-action": "Download the phone",
                "item-3-reason": "Shows the messages before the attack",
                "item-3-owner": ActionItemOwner.OTHER_POLICE,
                **date_parts("item-3-due_on", due),
            },
        ),
    )
    assert response.status_code == 302
    items = list(ActionPlanItem.objects.order_by("number"))
    assert [(i.number, i.action, i.owner) for i in items] == [
        (1, "Obtain the medical statement", ActionItemOwner.OFFICER_IN_CASE),
        (2, "Download the phone", ActionItemOwner.OTHER_POLICE),
    ]
    assert items[0].offence == offence
    assert items[0].point_to_prove == "Grievous bodily harm"
    assert _fresh(allocated).status == RequestStatus.ACTION_PLAN_ISSUED


@pytest.mark.parametrize(
    ("fields", "message", "anchor"),
    [
        (
            {"outcome": "charge", "test_applied": "threshold_test", "reasons": "Threshold Test met"},
            s.REVIEW_DATE_REQUIRED,
            "id_threshold_review_on_0",
        ),
        ({"outcome": "no_further_action_public_interest", "reasons": "  "}, s.REASONS_REQUIRED, "id_reasons"),
        ({"outcome": "action_plan", "reasons": "More needed"}, s.ACTION_ITEMS_REQUIRED, "id_item-1-action"),
        (
            {"outcome": "action_plan", "reasons": "More needed", "item-2-action": "Get CCTV"},
            s.ACTION_REASON_REQUIRED.format(n=1) + "; " + s.ACTION_DUE_REQUIRED.format(n=1),
            "id_item-1-action",
        ),
        ({"reasons": "No outcome chosen"}, "Choose the outcome of the charging decision", "id_outcome_0"),
    ],
)
def test_a_decision_that_cannot_be_recorded_changes_nothing(
    allocated: ChargingRequest,
    offence: OffenceAllegation,
    lawyer_north: User,
    as_user: Login,
    fields: dict[str, Any],
    message: str,
    anchor: str,
) -> None:
    if fields.get("outcome") == "charge":
        fields["charges"] = [str(offence.public_id)]
    before = _state()
    response = as_user(lawyer_north).post(url("decision-record", allocated), _decision_post(allocated, **fields))
    assert_form_error(response, message, anchor)
    assert _state() == before


def test_an_action_plan_message_is_shown_on_the_action_plan_fieldset(
    allocated: ChargingRequest, lawyer_north: User, as_user: Login
) -> None:
    response = as_user(lawyer_north).post(
        url("decision-record", allocated), _decision_post(allocated, outcome="action_plan", reasons="More needed")
    )
    body = page(response)
    fieldset = body[body.index('id="action-items"') :]
    assert s.ACTION_ITEMS_REQUIRED in fieldset[: fieldset.index('data-testid="action-row"')]


def test_charging_an_offence_of_another_case_is_refused(
    allocated: ChargingRequest, officer_a: User, lawyer_north: User, as_user: Login
) -> None:
    other = _offence(_case(99, officer_a), officer_a, code="TH68001")
    before = _state()
    response = as_user(lawyer_north).post(
        url("decision-record", allocated),
        _decision_post(
            allocated, outcome="charge", charges=[str(other.public_id)], test_applied="full_code_test", reasons="x"
        ),
    )
    assert_form_error(response, s.OFFENCE_NOT_ON_CASE, "id_charges_0")
    assert _state() == before
    assert "TH68001" not in page(response)


def test_a_decision_on_a_stale_page_shows_the_conflict_and_saves_nothing(
    allocated: ChargingRequest, lawyer_north: User, manager_cps_north: User, as_user: Login
) -> None:
    stale = allocated.version
    # Someone else moves the request on after the lawyer opened the form (here: a decision recorded elsewhere).
    s.decision_record(
        request=_fresh(allocated), by=lawyer_north, outcome=DecisionOutcome.EARLY_ADVICE, reasons="Advice first"
    )
    before = _state()
    response = as_user(lawyer_north).post(
        url("decision-record", allocated),
        {"version": stale, "outcome": "no_further_action_evidential", "reasons": "No prospect"},
    )
    assert_form_error(response, s.CONFLICT)
    assert _state() == before


def test_a_lawyer_who_is_not_allocated_or_a_paralegal_gets_403_on_the_decision(
    allocated: ChargingRequest, paralegal_north: User, area_north: Any, as_user: Login
) -> None:
    other_lawyer = UserFactory(username="lawyer_north_2", organisation=area_north, roles=["cps_lawyer"])
    data = _decision_post(allocated, outcome="no_further_action_evidential", reasons="No prospect")
    for user in (paralegal_north, other_lawyer):
        client = as_user(user)
        assert client.get(url("decision-record", allocated)).status_code == 403
        before = _state()
        assert client.post(url("decision-record", allocated), data).status_code == 403
        assert _state() == before
        # They can still read the workspace, without the button to decide.
        workspace = client.get(url("workspace", allocated))
        assert workspace.status_code == 200
        assert "Record the charging decision" not in page(workspace)


# ---------------------------------------------------------------------------------------------
# Corrections


def test_a_correction_keeps_the_original_and_marks_it_corrected(
    charged: ChargingDecision, offence: OffenceAllegation, lawyer_north: User, as_user: Login
) -> None:
    request = _fresh(charged.request)
    client = as_user(lawyer_north)
    correct_url = url("decision-correct", request, charged.public_id)
    assert correct_url in page(client.get(url("workspace", request)))
    form = page(client.get(correct_url))
    assert "On 5 January 2026 wounded Sam Brown" in form  # prefilled from the decision being corrected
    response = client.post(
        correct_url,
        {
            "version": request.version,
            "charges": [str(offence.public_id)],
            f"wording_{offence.public_id.hex}": "On 5 January 2026 wounded Sam BROWNE",
            "test_applied": "full_code_test",
            "reasons": "The victim's name was misspelt",
        },
    )
    workspace = _follow_banner(client, response)
    assert "Charging decision corrected" in workspace
    original, correction = ChargingDecision.objects.order_by("id")
    assert correction.corrects == original
    assert original.charges.get().wording == "On 5 January 2026 wounded Sam Brown"
    assert correction.charges.get().wording == "On 5 January 2026 wounded Sam BROWNE"
    assert "Corrected by" in workspace
    assert "The victim&#x27;s name was misspelt" in workspace
    # The corrected decision cannot be corrected again; the correction can.
    assert correct_url not in workspace
    assert url("decision-correct", request, correction.public_id) in workspace
    again = client.get(correct_url)
    assert again.status_code == 302
    assert s.CORRECTS_SUPERSEDED in _follow_banner(client, again)


def test_a_correction_without_reasons_changes_nothing(
    charged: ChargingDecision, offence: OffenceAllegation, lawyer_north: User, as_user: Login
) -> None:
    request = _fresh(charged.request)
    before = _state()
    response = as_user(lawyer_north).post(
        url("decision-correct", request, charged.public_id),
        {"version": request.version, "charges": [str(offence.public_id)], "test_applied": "full_code_test"},
    )
    assert_form_error(response, s.CORRECTION_REASON, "id_reasons")
    assert _state() == before


def test_a_paralegal_cannot_correct_a_decision(
    charged: ChargingDecision, paralegal_north: User, as_user: Login
) -> None:
    request = _fresh(charged.request)
    client = as_user(paralegal_north)
    assert client.get(url("decision-correct", request, charged.public_id)).status_code == 403
    before = _state()
    response = client.post(url("decision-correct", request, charged.public_id), {"version": request.version})
    assert response.status_code == 403
    assert _state() == before


# ---------------------------------------------------------------------------------------------
# The workspace


def test_the_workspace_shows_the_file_the_case_and_the_history(
    allocated: ChargingRequest, officer_a: User, lawyer_north: User, as_user: Login
) -> None:
    _answer_and_resubmit(allocated, officer_a, lawyer_north, items=2)
    response = as_user(lawyer_north).get(url("workspace", allocated))
    body = page(response)
    assert response.status_code == 200
    assert 'class="govuk-grid-column-one-half" data-testid="the-file"' in body
    assert "Stabbed the victim outside the pub" in body  # the MG3
    assert "OF61016" in body
    assert "Jamie SMITH" in body
    assert "Obtain statement 1" in body
    assert "Statement obtained" in body
    assert "MG3A 1" in body
    assert "All actions done" in body
    assert "Charging request allocated to a lawyer" in body  # the case timeline
    assert "Record the charging decision" in body
    assert AuditEvent.objects.filter(event_type=AuditEventType.CASE_VIEWED, actor=lawyer_north).exists()


def _workspace_queries(client: Client, request: ChargingRequest) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url("workspace", request))
    assert response.status_code == 200
    return len(queries)


def test_the_workspace_costs_the_same_queries_however_many_decisions_and_actions(
    officer_a: User,
    supervisor_a: User,
    paralegal_north: User,
    lawyer_north: User,
    unit_a1: Unit,
    offence_codes: dict[str, OffenceCode],
    as_user: Login,
) -> None:
    built = []
    for n, rounds in ((201, 1), (202, 4)):
        case = _case(n, officer_a)
        offence = _offence(case, officer_a)
        request = _sent(case, officer_a, supervisor_a)
        s.request_accept(request=request, by=paralegal_north)
        s.request_allocate(request=_fresh(request), by=lawyer_north)
        for _ in range(rounds):
            _answer_and_resubmit(request, officer_a, lawyer_north, items=rounds)
        decision = s.decision_record(
            request=_fresh(request),
            by=lawyer_north,
            outcome=DecisionOutcome.CHARGE,
            reasons="Full Code Test met",
            test_applied=CodeTest.FULL_CODE_TEST,
            charges=[s.ChargeDetails(offence=offence)],
        )
        s.decision_correct(
            request=_fresh(request),
            corrects=decision,
            by=lawyer_north,
            reasons="Wording",
            test_applied=CodeTest.FULL_CODE_TEST,
            charges=[s.ChargeDetails(offence=offence, wording="Corrected")],
        )
        built.append(request)
    small, large = built
    assert ActionPlanItem.objects.filter(request=large).count() == 16
    client = as_user(lawyer_north)
    client.get("/")
    assert _workspace_queries(client, large) == _workspace_queries(client, small)
    assert _workspace_queries(client, large) <= 30


# ---------------------------------------------------------------------------------------------
# Outsiders, on every page


VIEWS = ["workspace", "request-triage", "request-allocate", "decision-record", "decision-correct"]


def _view_url(name: str, request: ChargingRequest, decision: ChargingDecision) -> str:
    extra = [decision.public_id] if name == "decision-correct" else []
    return url(name, request, *extra)


@pytest.mark.parametrize("name", VIEWS)
@pytest.mark.parametrize(
    "outsider", ["officer_a", "supervisor_a", "officer_b", "lawyer_south", "lawyer_cpsd", "admin_user"]
)
def test_outsiders_get_404_on_every_cps_charging_page(
    name: str, outsider: str, charged: ChargingDecision, request: pytest.FixtureRequest, as_user: Login
) -> None:
    charging_request = _fresh(charged.request)
    client = as_user(request.getfixturevalue(outsider))
    target = _view_url(name, charging_request, charged)
    assert client.get(target).status_code == 404
    before = _state()
    posted = client.post(target, {"version": charging_request.version, "reasons": "x", "decision": "accept"})
    assert posted.status_code == 404
    assert _state() == before


@pytest.mark.parametrize("name", VIEWS)
def test_every_cps_charging_page_needs_signing_in(name: str, charged: ChargingDecision, client: Client) -> None:
    target = _view_url(name, _fresh(charged.request), charged)
    for response in (client.get(target), client.post(target, {})):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:sign-in"))


def test_a_request_not_yet_sent_to_the_cps_is_404_to_the_area(
    case: Case, officer_a: User, lawyer_north: User, as_user: Login
) -> None:
    draft = s.request_create(case=case, details=_mg3(), by=officer_a)
    Case.objects.filter(pk=case.pk).update(sent_to_cps_at=timezone.now())  # the case is visible, the draft is not
    assert as_user(lawyer_north).get(url("workspace", draft)).status_code == 404


def test_a_page_whose_moment_has_passed_sends_the_user_back_to_the_workspace(
    allocated: ChargingRequest, paralegal_north: User, lawyer_north: User, as_user: Login
) -> None:
    response = as_user(paralegal_north).get(url("request-triage", allocated))
    assert response.status_code == 302
    assert response["Location"] == url("workspace", allocated)
    taken = as_user(lawyer_north).get(url("request-allocate", allocated))
    assert taken.status_code == 302


def test_early_advice_can_list_actions_due_today(
    allocated: ChargingRequest, lawyer_north: User, as_user: Login
) -> None:
    response = as_user(lawyer_north).post(
        url("decision-record", allocated),
        _decision_post(
            allocated,
            outcome="early_advice",
            reasons="Advice on the identification evidence",
            **{"item-1-action": "Hold an identification procedure", "item-1-reason": "Identity is disputed"},
            **date_parts("item-1-due_on", timezone.localdate()),
            **{"item-1-owner": ActionItemOwner.OFFICER_IN_CASE},
        ),
    )
    assert response.status_code == 302
    assert ActionPlanItem.objects.get().due_on == timezone.localdate()
