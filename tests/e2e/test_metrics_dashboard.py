"""The joint performance dashboard end to end, in the browser: three referrals for a charging decision are made
today through the services for Northumbria (force 10) and their day's snapshots are built; the police manager
opens the dashboard, chooses the last 3 months broken down by charging category, reads the figures, drills down
from the Red figure to the case behind it and opens it; the CPS legal manager of the Area that serves the force
sees the same numbers. Every page is axe-checked (WCAG 2.2 AA), the chart drawn over the table included.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts.models import User
from casework import services as case_services
from casework.choices import ModeOfTrial
from casework.models import Case, OffenceCode
from charging import services as charging_services
from charging.choices import ChargingCategory
from metrics.compute import recompute_day

from .conftest import DemoUsers, axe_check, navigates, visit
from .test_case_building import follow, sign_in, sign_out

pytestmark = [pytest.mark.e2e]

ABH = "OF61131"


def _refer(n: int, officer: User, supervisor: User, category: str) -> Case:
    assert officer.unit is not None
    urn = f"10/{officer.unit.code}/{88000 + n}/{timezone.localdate():%y}"
    case = case_services.case_create(
        urn=urn,
        details=case_services.CaseDetails(summary="Assault outside a takeaway", officer_in_case=officer),
        by=officer,
    )
    suspect = case_services.suspect_add(
        case=case,
        details=case_services.SuspectDetails("Jordan", f"Reed{n}", date_of_birth=date(1994, 3, 2)),
        by=officer,
    )
    case_services.offence_add(
        case=case,
        details=case_services.OffenceDetails(
            suspect=suspect, code=ABH, committed_on=timezone.localdate() - timedelta(days=3)
        ),
        by=officer,
    )
    details = charging_services.Mg3Details(
        category=category,
        suspect_status="Released on pre-charge bail",
        offence_summary="Punched the victim twice outside a takeaway",
        proposed_charges="Assault occasioning actual bodily harm",
        defence_account="Self-defence",
        lines_of_inquiry_done="CCTV seized; two witnesses statemented",
    )
    request = charging_services.request_create(case=case, details=details, by=officer)
    request = charging_services.request_submit(request=request, by=officer)
    charging_services.request_approve(request=request, by=supervisor)
    return case


@pytest.fixture
def referrals(demo_users: DemoUsers) -> dict[str, Case]:
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
    cases = {
        "green_1": _refer(1, officer, supervisor, ChargingCategory.GREEN),
        "green_2": _refer(2, officer, supervisor, ChargingCategory.GREEN),
        "red": _refer(3, officer, supervisor, ChargingCategory.RED),
    }
    recompute_day(timezone.localdate())
    return cases


def _choose_last_3_months_by_category(page: Page) -> None:
    # A CPS Area may serve several forces: the manager picks the one (a police manager has only their own).
    page.get_by_label("Police force", exact=True).select_option(label="Northumbria Police")
    page.get_by_role("group", name="Period").get_by_label("Last 3 months", exact=True).check()
    page.get_by_label("Break down by", exact=True).select_option(label="Charging category")
    with navigates(page, url=re.compile(r"/metrics/\?")):
        page.get_by_role("button", name="Show the figures", exact=True).click()


def _expect_referral_figures(page: Page) -> None:
    panel = page.locator('section[data-metric="referrals"]')
    expect(panel.get_by_test_id("current-value")).to_have_text(re.compile(r"^3:"))
    rows = panel.get_by_test_id("breakdown-row")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("Green")
    expect(rows.nth(0).get_by_role("link")).to_have_text(re.compile(r"^2:"))
    expect(rows.nth(1)).to_contain_text("Red (custody, remand sought)")
    expect(rows.nth(1).get_by_role("link")).to_have_text(re.compile(r"^1:"))


def test_a_manager_filters_the_joint_dashboard_drills_down_and_the_cps_sees_the_same(
    page: Page, live_server: object, demo_users: DemoUsers, referrals: dict[str, Case]
) -> None:
    problems: list[str] = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))

    # -- the police manager filters the dashboard ----------------------------------------------------------
    sign_in(page, live_server, demo_users, "police.manager.north")
    follow(page, "Performance")
    expect(page.get_by_role("heading", name="Joint performance dashboard", level=1)).to_be_visible()
    expect(page.get_by_test_id("joint-view")).to_have_text("Northumbria Police and CPS North East")
    _choose_last_3_months_by_category(page)
    _expect_referral_figures(page)
    # The chart is drawn over the table, which stays: check the page as it is now.
    panel = page.locator('section[data-metric="referrals"]')
    expect(panel.get_by_test_id("metric-chart")).to_be_visible()
    expect(panel.get_by_test_id("trend")).to_be_visible()
    axe_check(page)
    police_figures = panel.inner_text()

    # -- drills down from the Red figure to the case and opens it ------------------------------------------
    red = referrals["red"]
    with navigates(page, url=re.compile(r"/metrics/referrals/cases/\?")):
        panel.get_by_test_id("breakdown-row").nth(1).get_by_role("link").click()
    expect(page.get_by_test_id("case-count")).to_have_text("1 case")
    expect(page.get_by_test_id("case-row")).to_have_count(1)
    follow(page, red.urn_display)
    expect(page).to_have_url(re.compile(rf"/cases/{red.public_id}/$"))
    expect(page.get_by_text(red.urn_display).first).to_be_visible()
    sign_out(page)

    # -- the CPS legal manager of the serving Area sees the same numbers ------------------------------------
    sign_in(page, live_server, demo_users, "cps.manager.north")
    visit(page, "/metrics/")
    _choose_last_3_months_by_category(page)
    expect(page.get_by_test_id("joint-view")).to_have_text("Northumbria Police and CPS North East")
    _expect_referral_figures(page)
    assert page.locator('section[data-metric="referrals"]').inner_text() == police_figures
    assert problems == [], problems
