"""The charging journey end to end, in the browser: an officer refers a case to the CPS on an MG3, a police
supervisor approves it, a CPS lawyer of the serving Area takes it from the queue and issues an action plan,
the officer answers the action and resubmits (MG3A), and the lawyer charges. Both sides are told in the app,
and every step is on the case timeline for both.

The case itself (suspect, victim, an ABH offence that DG6 Annex 1 reserves to the CPS) is built through the
services as ``officer.north``; the browser journey that builds a case is ``test_case_building.py``. Every
page each user loads is axe-checked (WCAG 2.2 AA).
"""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts.models import User
from casework import services as case_services
from casework.choices import CaseStatus, ModeOfTrial, OffenceStatus
from casework.models import Case, OffenceCode
from charging.choices import RequestStatus
from charging.models import ChargingRequest

from .conftest import DemoUsers, navigates, visit
from .test_case_building import expect_success, fill_date, follow, sign_in, sign_out, submit

pytestmark = [pytest.mark.e2e]

ABH = "OF61131"


@pytest.fixture
def case(demo_users: DemoUsers) -> Case:
    OffenceCode.objects.update_or_create(
        code=ABH,
        defaults={
            "title": "Assault occasioning actual bodily harm",
            "category": "CE",
            "mode_of_trial": ModeOfTrial.EITHER_WAY,
            "dg6_group": "gbh_abh",
            "is_active": True,
        },
    )
    officer = User.objects.get(username="officer.north")
    supervisor = User.objects.get(username="supervisor.north")
    assert officer.unit is not None
    urn = f"10/{officer.unit.code}/77001/{timezone.localdate():%y}"
    details = case_services.CaseDetails(
        summary="Assault outside a takeaway", officer_in_case=officer, supervisor=supervisor
    )
    case = case_services.case_create(urn=urn, details=details, by=officer)
    suspect = case_services.suspect_add(
        case=case, details=case_services.SuspectDetails("Jordan", "Reed", date_of_birth=date(1994, 3, 2)), by=officer
    )
    case_services.victim_add(
        case=case, details=case_services.VictimDetails("Casey", "Morgan", date_of_birth=date(1990, 7, 14)), by=officer
    )
    case_services.offence_add(
        case=case,
        details=case_services.OffenceDetails(
            suspect=suspect, code=ABH, committed_on=timezone.localdate() - timedelta(days=3)
        ),
        by=officer,
    )
    return case


def _request(case: Case) -> ChargingRequest:
    return ChargingRequest.objects.get(case=case)


def _detail_path(case: Case) -> str:
    return f"/cases/{case.public_id}/charging/{_request(case).public_id}/"


def _workspace_path(case: Case) -> str:
    return f"{_detail_path(case)}workspace/"


def test_refer_approve_action_plan_answer_resubmit_and_charge_seen_by_both_sides(
    page: Page, live_server: object, demo_users: DemoUsers, case: Case
) -> None:
    charging_tab = f"/cases/{case.public_id}/charging/"

    # -- the officer refers the case on an MG3 ------------------------------------------------------------
    sign_in(page, live_server, demo_users, "officer.north")
    visit(page, charging_tab)
    expect(page.get_by_text("The CPS must decide this case", exact=True)).to_be_visible()
    follow(page, "Start a charging request (MG3)", role="button")
    page.get_by_label("Green", exact=True).check()
    page.get_by_label("Full Code Test", exact=True).check()
    page.get_by_label("Not guilty (NGAP)", exact=True).check()
    page.get_by_label("The suspect's status", exact=True).fill("Released on pre-charge bail")
    page.get_by_label("Summary of the offence", exact=True).fill("Punched the victim twice outside a takeaway")
    page.get_by_label("Proposed charges", exact=True).fill("Assault occasioning actual bodily harm")
    page.get_by_label("The suspect's account", exact=True).fill("Self-defence")
    page.get_by_label("Lines of inquiry done", exact=True).fill("CCTV seized; two witnesses statemented")
    submit(page, "Save as a draft")
    expect_success(page, "Charging request (MG3) saved as a draft")
    submit(page, "Submit for supervisor review")
    expect_success(page, "Charging request submitted for supervisor review")
    sign_out(page)

    # -- the supervisor approves it and sends it to the CPS Area ------------------------------------------
    sign_in(page, live_server, demo_users, "supervisor.north")
    visit(page, _detail_path(case))
    follow(page, "Review the request", role="button")
    page.get_by_label("Approve it and send it to the CPS", exact=True).check()
    submit(page, "Confirm your decision")
    expect_success(page, "Charging request approved and sent to the CPS")
    sign_out(page)
    assert _request(case).status == RequestStatus.WITH_CPS_TRIAGE

    # -- the CPS lawyer takes it from the queue and issues an action plan ---------------------------------
    sign_in(page, live_server, demo_users, "lawyer.north")
    visit(page, "/charging/queue/")
    follow(page, case.urn_display)
    follow(page, "Triage the request", role="button")
    page.get_by_label("Accept it into the queue: the file meets the National File Standard", exact=True).check()
    submit(page, "Record the triage")
    submit(page, "Take this request")
    expect_success(page, "Request allocated to")
    follow(page, "Record the charging decision", role="button")
    page.get_by_label("Action plan (further information required)", exact=True).check()
    page.get_by_label("Action 1: what is needed", exact=True).fill("Obtain the treating doctor's statement")
    page.get_by_label("Action 1: why it is needed", exact=True).fill("Proves the actual bodily harm")
    due = timezone.localdate() + timedelta(days=14)
    fill_date(page, "Action 1: when is it due?", due.day, due.month, due.year)
    page.get_by_label("Reasons for the decision", exact=True).fill("The injury must be proved medically first")
    submit(page, "Record the decision")
    expect_success(page, "Charging decision recorded: Action plan")
    sign_out(page)
    assert _request(case).status == RequestStatus.ACTION_PLAN_ISSUED

    # -- the officer is told, answers the action and resubmits (MG3A) -------------------------------------
    sign_in(page, live_server, demo_users, "officer.north")
    expect(page.get_by_role("link", name="Notifications", exact=False)).to_contain_text("1")
    visit(page, "/notifications/")
    expect(page.get_by_text("Action plan (further information required) issued", exact=False).first).to_be_visible()
    visit(page, _detail_path(case))
    follow(page, "Answer to action 1")
    page.get_by_label("Done", exact=True).check()
    page.get_by_label("Your answer", exact=True).fill("Statement from Dr Shah attached to the file")
    submit(page, "Save the answer")
    expect_success(page, "Action 1 answered: Done")
    follow(page, "Resubmit to the CPS (MG3A)", role="button")
    page.get_by_label("What has changed since the last submission?", exact=True).fill(
        "The medical statement confirms a fractured cheekbone"
    )
    submit(page, "Resubmit to the CPS")
    expect_success(page, "Charging request resubmitted to the CPS (MG3A)")
    sign_out(page)
    assert _request(case).status == RequestStatus.ALLOCATED

    # -- the lawyer is told of the resubmission and charges -----------------------------------------------
    sign_in(page, live_server, demo_users, "lawyer.north")
    visit(page, "/notifications/")
    expect(page.get_by_text("Charging request resubmitted (MG3A)", exact=False).first).to_be_visible()
    visit(page, _workspace_path(case))
    expect(page.get_by_text("The medical statement confirms a fractured cheekbone")).to_be_visible()
    follow(page, "Record the charging decision", role="button")
    page.get_by_label("Charge", exact=True).check()
    page.get_by_role("checkbox", name=re.compile(rf"^{ABH} Assault occasioning actual bodily harm, against ")).check()
    page.get_by_label("Full Code Test", exact=True).check()
    page.get_by_label("Reasons for the decision", exact=True).fill(
        "Realistic prospect of conviction on the CCTV and the medical evidence; prosecution in the public interest"
    )
    submit(page, "Record the decision")
    expect_success(page, "Charging decision recorded: Charge")

    case.refresh_from_db()
    assert case.status == CaseStatus.CHARGED
    assert list(case.offences.values_list("status", flat=True)) == [OffenceStatus.CHARGED]

    # -- both sides see every step on the case timeline ---------------------------------------------------
    steps = [
        "Charging request (MG3) started",
        "Charging request submitted for supervisor review",
        "Charging request approved and sent to the CPS",
        "Charging request accepted by CPS triage",
        "Charging decision recorded: Action plan (further information required)",
        "Action 1 answered: Done",
        "Charging request resubmitted (MG3A 1)",
        "Charging decision recorded: Charge",
    ]
    timeline = f"/cases/{case.public_id}/timeline/"
    visit(page, timeline)
    for step in steps:
        expect(page.get_by_text(step, exact=False).first).to_be_visible()
    sign_out(page)
    sign_in(page, live_server, demo_users, "officer.north")
    visit(page, timeline)
    for step in steps:
        expect(page.get_by_text(step, exact=False).first).to_be_visible()
    with navigates(page):
        page.get_by_role("link", name="Charging", exact=True).click()
    expect(page.get_by_text(re.compile(r"^Charge, \d{1,2} \w+ \d{4}"))).to_be_visible()
    # The officer was told of the action plan and of the charge.
    expect(page.get_by_role("link", name="Notifications (2 unread)", exact=True)).to_be_visible()
