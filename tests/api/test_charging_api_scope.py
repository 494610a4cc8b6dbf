"""Who may reach each charging API endpoint. Outsiders (another force's officer, a CPS lawyer of another
Area, CPS Direct, a system administrator) get a 404 identical to a record that does not exist and nothing
changes; so does the case's own CPS Area before the request is sent. Without signing in: 401. Someone who
may see the request but not make this move: 403, before their input is even read."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from accounts.models import Unit, User
from casework.models import Case, OffenceAllegation, OffenceCode
from charging.models import ActionPlanItem, ChargingDecision, ChargingRequest
from tests.api.charging_support import (
    FORBIDDEN,
    NOT_FOUND,
    action_plan,
    add_offence,
    allocated,
    db_state,
    draft,
    make_case,
)

pytestmark = pytest.mark.django_db

ClientFor = Callable[[User], Client]


@dataclass
class Ids:
    case: Case
    request: ChargingRequest
    decision: ChargingDecision
    item: ActionPlanItem
    offence: OffenceAllegation

    def fill(self, path: str) -> str:
        return path.format(
            case=self.case.public_id,
            request=self.request.public_id,
            decision=self.decision.public_id,
            item=self.item.public_id,
        )


@pytest.fixture
def ids(
    officer_a: User,
    unit_a1: Unit,
    supervisor_a: User,
    paralegal_north: User,
    lawyer_north: User,
    offence_codes: dict[str, OffenceCode],
) -> Ids:
    case = make_case(officer_a)
    offence = add_offence(case, officer_a)
    request = allocated(case, officer_a, supervisor_a, paralegal_north, lawyer_north)
    decision = action_plan(request, lawyer_north)
    request.refresh_from_db()
    item = decision.action_items.order_by("number").first()
    assert item is not None
    return Ids(case, request, decision, item, offence)


C = "/api/v1/cases/{case}"
R = C + "/charging-requests/{request}"
READS = [
    C + "/charging-requests/",
    C + "/charging-routing/",
    C + "/police-charges/",
    R + "/",
    R + "/decisions/",
    R + "/decisions/{decision}/",
    R + "/action-items/",
    R + "/resubmissions/",
    "/api/v1/charging-requests/{request}/",
]
WRITES: list[tuple[str, str, dict[str, Any]]] = [
    ("post", C + "/charging-requests/", {"category": "red"}),
    ("patch", R + "/", {"version": 7, "offence_summary": "Changed"}),
    ("post", R + "/submit/", {"version": 7}),
    ("post", R + "/withdraw/", {"version": 7, "reason": "Charged by the police"}),
    ("post", R + "/approve/", {"version": 7}),
    ("post", R + "/return-to-officer/", {"version": 7, "reason": "Add the CCTV"}),
    ("post", R + "/accept/", {"version": 7}),
    ("post", R + "/return-not-to-standard/", {"version": 7, "reason": "No MG5", "failure_codes": []}),
    ("post", R + "/allocate/", {"version": 7}),
    ("post", R + "/decisions/", {"version": 7, "outcome": "no_further_action_evidential", "reasons": "No case"}),
    ("post", R + "/decisions/{decision}/correct/", {"version": 7, "reasons": "Typo"}),
    ("post", R + "/action-items/{item}/answer/", {"status": "done", "response": "Statement obtained"}),
    ("post", R + "/resubmit/", {"version": 7, "summary": "All answered"}),
    ("post", R + "/reopen/", {"version": 7, "summary": "Material arrived"}),
    (
        "post",
        C + "/police-charges/",
        {"offences": [], "rationale": "Admitted", "anticipated_plea": "guilty"},
    ),
]
ENDPOINTS: list[tuple[str, str, dict[str, Any]]] = [("get", path, {}) for path in READS] + WRITES
OUTSIDERS = ["officer_b", "lawyer_south", "lawyer_cpsd", "admin_user"]


def _call(client: Client, method: str, path: str, payload: dict[str, Any]) -> Any:
    if method == "get":
        return client.get(path)
    return getattr(client, method)(path, payload, content_type="application/json")


@pytest.mark.parametrize("outsider", OUTSIDERS)
def test_outsiders_get_not_found_everywhere_and_change_nothing(
    ids: Ids, outsider: str, request: pytest.FixtureRequest, as_user: ClientFor
) -> None:
    client = as_user(request.getfixturevalue(outsider))
    before = db_state()
    for method, path, payload in ENDPOINTS:
        response = _call(client, method, ids.fill(path), payload)
        assert response.status_code == 404, (outsider, method, path, response.status_code, response.content)
        assert response.json() == NOT_FOUND, (method, path)
    assert db_state() == before


def test_a_missing_request_answers_exactly_like_one_out_of_scope(ids: Ids, officer_a: User, as_user: ClientFor) -> None:
    client = as_user(officer_a)
    missing = ids.fill(C + "/charging-requests/") + f"{uuid.uuid4()}/"
    assert client.get(missing).json() == NOT_FOUND
    assert client.get(f"/api/v1/charging-requests/{uuid.uuid4()}/").json() == NOT_FOUND
    missing_decision = ids.fill(R + "/decisions/") + f"{uuid.uuid4()}/"
    assert client.get(missing_decision).json() == NOT_FOUND


def test_the_cps_area_cannot_see_a_request_before_it_is_sent(
    officer_a: User, unit_a1: Unit, lawyer_north: User, manager_cps_north: User, offence_codes: dict[str, OffenceCode],
    as_user: ClientFor,
) -> None:  # fmt: skip
    case = make_case(officer_a)
    add_offence(case, officer_a)
    request = draft(case, officer_a)
    paths = [
        f"/api/v1/charging-requests/{request.public_id}/",
        f"/api/v1/cases/{case.public_id}/charging-requests/{request.public_id}/",
    ]
    for user in (lawyer_north, manager_cps_north):
        for path in paths:
            assert as_user(user).get(path).json() == NOT_FOUND
        accept = as_user(user).post(paths[1] + "accept/", {"version": 1}, content_type="application/json")
        assert accept.status_code == 404
    assert as_user(lawyer_north).get("/api/v1/charging-queue/").json()["results"] == []


@pytest.mark.parametrize(("method", "path", "payload"), ENDPOINTS)
def test_without_signing_in_every_endpoint_answers_401(
    ids: Ids, client: Client, method: str, path: str, payload: dict[str, Any]
) -> None:
    before = db_state()
    response = _call(client, method, ids.fill(path), payload)
    assert response.status_code == 401
    assert response.json()["error"]["status"] == 401
    assert db_state() == before


# Someone who may see the request but may not make the move: refused before the input is read (the body is
# empty, so a 400 would mean the input was read first).
WRONG_ROLE = [
    ("officer_a", R + "/accept/"),
    ("officer_a", R + "/allocate/"),
    ("officer_a", R + "/decisions/"),
    ("officer_a", R + "/decisions/{decision}/correct/"),
    ("officer_a", R + "/approve/"),
    ("officer_a", C + "/police-charges/"),
    ("manager_police_a", C + "/charging-requests/"),
    ("manager_police_a", R + "/submit/"),
    ("manager_police_a", R + "/action-items/{item}/answer/"),
    ("manager_police_a", R + "/resubmit/"),
    ("manager_police_a", R + "/withdraw/"),
    ("paralegal_north", R + "/decisions/"),
    ("paralegal_north", R + "/allocate/"),
    ("paralegal_north", R + "/action-items/{item}/answer/"),
    ("lawyer_north", R + "/action-items/{item}/answer/"),
    ("lawyer_north", R + "/resubmit/"),
    ("lawyer_north", R + "/reopen/"),
    ("lawyer_north", R + "/approve/"),
    ("lawyer_north", C + "/charging-requests/"),
    ("lawyer_north", C + "/police-charges/"),
    ("manager_cps_north", R + "/decisions/"),
    ("manager_cps_north", R + "/accept/"),
    ("supervisor_a", R + "/accept/"),
]


@pytest.mark.parametrize(("who", "path"), WRONG_ROLE)
def test_the_wrong_role_is_refused_before_its_input_is_read(
    ids: Ids, who: str, path: str, request: pytest.FixtureRequest, as_user: ClientFor
) -> None:
    client = as_user(request.getfixturevalue(who))
    before = db_state()
    response = client.post(ids.fill(path), {}, content_type="application/json")
    assert response.status_code == 403, (who, path, response.content)
    assert response.json() == FORBIDDEN
    assert db_state() == before


def test_patch_by_a_cps_lawyer_is_refused(ids: Ids, lawyer_north: User, as_user: ClientFor) -> None:
    client = as_user(lawyer_north)
    before = db_state()
    response = client.patch(ids.fill(R + "/"), {}, content_type="application/json")
    assert response.json() == FORBIDDEN
    assert db_state() == before


def test_the_queue_is_only_for_the_cps(ids: Ids, officer_a: User, supervisor_a: User, as_user: ClientFor) -> None:
    for user in (officer_a, supervisor_a):
        response = as_user(user).get("/api/v1/charging-queue/")
        assert response.status_code == 403
        assert (
            response.json()["error"]["message"]
            == "The charging queue is for CPS lawyers, paralegals and legal managers."
        )


def test_another_area_and_cps_direct_see_an_empty_queue(
    ids: Ids, lawyer_south: User, lawyer_cpsd: User, as_user: ClientFor
) -> None:
    for user in (lawyer_south, lawyer_cpsd):
        assert as_user(user).get("/api/v1/charging-queue/").json()["results"] == []
