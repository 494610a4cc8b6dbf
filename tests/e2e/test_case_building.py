"""Building a case in the browser: an officer of Northumbria (force 10) creates a case, adds a
suspect, two offences, a victim and a witness; once the case is sent to the CPS, a lawyer of the
serving Area (CPS North East) reads it; an officer of another force gets the 404 page. Every page
on the way is axe-checked (WCAG 2.2 AA)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts.choices import OrganisationKind
from accounts.models import Unit
from casework.choices import ModeOfTrial
from casework.models import Case, OffenceCode

from .conftest import DemoUsers, navigates, visit

pytestmark = [pytest.mark.e2e]

SIGN_IN_PATH = "/accounts/sign-in/"


def sign_in(page: Page, live_server: object, demo_users: DemoUsers, username: str) -> None:
    visit(page, SIGN_IN_PATH)
    page.get_by_label("Username", exact=True).fill(username)
    page.get_by_label("Password", exact=True).fill(demo_users.password)
    with navigates(page, url=f"{live_server.url}/"):  # type: ignore[attr-defined]
        page.get_by_role("button", name="Sign in", exact=True).click()


def sign_out(page: Page) -> None:
    with navigates(page, url=re.compile(re.escape(SIGN_IN_PATH) + r"$")):
        page.get_by_role("button", name="Sign out", exact=True).click()


def fill_date(page: Page, legend: str, day: int, month: int, year: int) -> None:
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day", exact=True).fill(str(day))
    group.get_by_label("Month", exact=True).fill(str(month))
    group.get_by_label("Year", exact=True).fill(str(year))


def submit(page: Page, button: str) -> None:
    with navigates(page):
        page.get_by_role("button", name=button, exact=True).click()


def follow(page: Page, name: str, role: str = "link") -> None:
    with navigates(page):
        page.get_by_role(role, name=name, exact=True).click()  # type: ignore[arg-type]


def expect_success(page: Page, text: str) -> None:
    banner = page.locator(".govuk-notification-banner--success")
    expect(banner).to_contain_text(text)


@pytest.fixture
def offence_codes(demo_users: DemoUsers) -> None:
    """The two codes the officer types, whether or not the reference data has loaded the offence list."""
    for code, title, mode in [
        ("CJ88001", "Common assault", ModeOfTrial.SUMMARY_ONLY),
        ("CJ88116", "Assault by beating", ModeOfTrial.SUMMARY_ONLY),
    ]:
        OffenceCode.objects.get_or_create(
            code=code, defaults={"title": title, "category": "CS", "mode_of_trial": mode, "is_active": True}
        )


def test_an_officer_builds_a_case_the_cps_reads_it_and_another_force_cannot(
    page: Page, live_server: object, demo_users: DemoUsers, offence_codes: None
) -> None:
    unit = (
        Unit.objects.filter(
            organisation__kind=OrganisationKind.POLICE_FORCE,
            organisation__code="10",
            is_active=True,
            code__regex=r"^[A-Z][A-Z0-9]$",
        )
        .order_by("code")
        .first()
    )
    assert unit is not None, "load_reference_data gave force 10 no active unit"
    urn = f"10/{unit.code}/54321/26"
    reported = timezone.localdate() - timedelta(days=2)
    committed = timezone.localdate() - timedelta(days=3)

    # --- The officer creates the case -------------------------------------------------------
    sign_in(page, live_server, demo_users, "officer.north")
    visit(page, "/cases/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Cases")
    follow(page, "Create a case", role="button")
    expect(page.get_by_role("heading", level=1)).to_have_text("Create a case")

    page.get_by_label("URN", exact=True).fill("12345")
    submit(page, "Create case")
    expect(page).to_have_title(re.compile(r"^Error: "))
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link")).to_have_count(1)

    page.get_by_label("URN", exact=True).fill(urn)
    page.get_by_label("Summary (optional)").fill("Assault outside a nightclub on the Quayside")
    page.get_by_label("Violence against women and girls").check()
    fill_date(page, "Date the crime was reported (optional)", reported.day, reported.month, reported.year)
    submit(page, "Create case")
    expect_success(page, f"Case {urn} created")
    expect(page.get_by_role("heading", level=1)).to_have_text("Overview")
    expect(page.get_by_test_id("case-urn")).to_have_text(urn)
    overview_url = page.url

    # --- A suspect --------------------------------------------------------------------------
    follow(page, "People")
    follow(page, "Add suspect", role="button")
    page.get_by_label("First names").fill("Jordan")
    page.get_by_label("Last name").fill("Pickford")
    fill_date(page, "Date of birth (optional)", 3, 3, 1994)
    submit(page, "Add suspect")
    expect_success(page, "Suspect Jordan PICKFORD added")

    # --- Two offences -----------------------------------------------------------------------
    follow(page, "Offences")
    for code in ("CJ88116", "CJ88001"):
        follow(page, "Add offence", role="button")
        page.get_by_label("Suspect").select_option(label="Jordan PICKFORD")
        page.get_by_label("CJS offence code").fill(code)
        fill_date(page, "Date of the offence, or the first date", committed.day, committed.month, committed.year)
        submit(page, "Add offence")
        expect_success(page, f"Offence {code} added against Jordan PICKFORD")
    offences = page.get_by_test_id("offences")
    expect(offences).to_contain_text("Assault by beating")
    expect(offences).to_contain_text("Common assault")

    # --- A victim and a witness ---------------------------------------------------------------
    follow(page, "People")
    follow(page, "Add victim", role="button")
    page.get_by_label("First names").fill("Alex")
    page.get_by_label("Last name").fill("Rowe")
    page.get_by_label("Vulnerable or intimidated").check()
    submit(page, "Add victim")
    expect_success(page, "Victim Alex ROWE added")
    follow(page, "Add witness", role="button")
    page.get_by_label("First names").fill("Sam")
    page.get_by_label("Last name").fill("Tyne")
    submit(page, "Add witness")
    expect_success(page, "Witness Sam TYNE added")
    sign_out(page)

    # --- Sent to the CPS (the charging feature will do this; until then, the ORM) ------------
    case = Case.objects.get(urn=urn.replace("/", ""))
    Case.objects.filter(pk=case.pk).update(sent_to_cps_at=timezone.now())

    # --- The lawyer of the serving Area reads it ---------------------------------------------
    sign_in(page, live_server, demo_users, "lawyer.north")
    visit(page, overview_url.replace(live_server.url, ""))  # type: ignore[attr-defined]
    expect(page.get_by_test_id("case-urn")).to_have_text(urn)
    expect(page.get_by_role("link", name=re.compile(r"^Change"))).to_have_count(0)
    follow(page, "People")
    expect(page.get_by_role("heading", name="Jordan PICKFORD")).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile("Alex ROWE"))).to_be_visible()
    expect(page.get_by_role("heading", name="Sam TYNE")).to_be_visible()
    expect(page.get_by_role("button", name="Add suspect")).to_have_count(0)
    follow(page, "Offences")
    expect(page.get_by_test_id("offences")).to_contain_text("CJ88001")
    expect(page.get_by_role("button", name="Add offence")).to_have_count(0)
    sign_out(page)

    # --- Another force's officer gets the 404 page, and nothing of the case ------------------
    sign_in(page, live_server, demo_users, "officer.south")
    visit(page, overview_url.replace(live_server.url, ""))  # type: ignore[attr-defined]
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    expect(page.locator("main")).not_to_contain_text(urn)
    expect(page.locator("main")).not_to_contain_text("PICKFORD")


def test_every_case_page_and_its_error_state_passes_axe(
    page: Page, live_server: object, demo_users: DemoUsers, offence_codes: None
) -> None:
    """The pages the journey above does not reach: each tab, each form, and each form sent back
    with errors (the GOV.UK error summary, error messages and date inputs in error)."""
    from accounts.models import Court, User
    from tests.factories.casework import (
        CaseFactory,
        CustodyEventFactory,
        HearingFactory,
        OffenceFactory,
        SuspectFactory,
        VictimFactory,
        VictimUpdateFactory,
        WitnessFactory,
        WitnessUnavailabilityFactory,
    )

    officer = User.objects.get(username="officer.north")
    assert officer.organisation is not None
    court = Court.objects.filter(is_active=True).order_by("name").first()
    assert court is not None, "load_reference_data loaded no courts"
    case = CaseFactory(
        force=officer.organisation,
        unit=officer.unit,
        urn=f"10{officer.unit.code}9876526",
        officer_in_case=officer,  # type: ignore[union-attr]
    )
    suspect = SuspectFactory(case=case)
    OffenceFactory(case=case, suspect=suspect, offence_code=OffenceCode.objects.get(code="CJ88116"))
    CustodyEventFactory(suspect=suspect, recorded_by=officer)
    victim = VictimFactory(case=case)
    VictimUpdateFactory(victim=victim, given_by=officer)
    witness = WitnessFactory(case=case)
    WitnessUnavailabilityFactory(witness=witness)
    HearingFactory(case=case, court=court)
    base = f"/cases/{case.public_id}/"

    sign_in(page, live_server, demo_users, "officer.north")
    for tab in ("", "people/", "offences/", "material/", "charging/", "deadlines/", "timeline/"):
        visit(page, base + tab)
    forms = {
        "change/": "Save",
        "suspects/new/": "Add suspect",
        f"suspects/{suspect.public_id}/change/": "Save",
        "victims/new/": "Add victim",
        f"victims/{victim.public_id}/updates/new/": "Save",
        "witnesses/new/": "Add witness",
        "offences/new/": "Add offence",
        "hearings/new/": "Add hearing",
        f"suspects/{suspect.public_id}/custody/new/?kind=pre_charge_bail": "Save",
    }
    for path, button in forms.items():
        visit(page, base + path)
        for box in page.locator("input[type=text]").all():
            box.fill("")
        # A day with no month or year: every one of these forms asks for a date.
        page.locator("input[name$=_day]").first.fill("31")
        submit(page, button)
        expect(page).to_have_title(re.compile(r"^Error: "))
        expect(page.locator(".govuk-error-summary")).to_be_visible()
    # The status change refused by the lifecycle, shown on the overview.
    visit(page, base)
    submit(page, "Change status")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Choose the new status")
    # The first step of a custody or bail event, and choosing nothing.
    visit(page, base + f"suspects/{suspect.public_id}/custody/new/")
    submit(page, "Continue")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Choose what happened")
    # The case list with a filter in error.
    visit(page, "/cases/?updated_from_day=31&updated_from_month=2&updated_from_year=2026")
    expect(page.locator(".govuk-error-summary")).to_contain_text("must be a real date")
