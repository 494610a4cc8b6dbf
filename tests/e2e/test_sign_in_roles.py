"""Every demo user signs in through the sign-in page, lands on the home page for their kind of
user, sees who they are signed in as, and signs out. Every page on the way is axe-checked."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from .conftest import DemoUsers, navigates, visit

pytestmark = [pytest.mark.e2e]

YOUR_CASES = "Your cases"  # police investigator, supervisor, disclosure officer
CHARGING_WORK = "Charging work"  # CPS lawyer, paralegal
PERFORMANCE = "Performance and casework"  # police manager, CPS legal manager
ADMINISTRATION = "Service administration"  # system administrator

# The home page heading each demo user should land on (manage.py seed_demo makes these users).
EXPECTED_HOME_HEADING = {
    **{
        f"{prefix}.{slug}": heading
        for slug in ("north", "south")
        for prefix, heading in [
            ("officer", YOUR_CASES),
            ("supervisor", YOUR_CASES),
            ("disclosure", YOUR_CASES),
            ("police.manager", PERFORMANCE),
            ("lawyer", CHARGING_WORK),
            ("paralegal", CHARGING_WORK),
            ("cps.manager", PERFORMANCE),
        ]
    },
    "lawyer.cpsd": CHARGING_WORK,
    "admin": ADMINISTRATION,
}

SIGN_IN_PATH = "/accounts/sign-in/"


# Known app gap (reported, not fixed here): seed_demo reports the administrator's organisation as
# "Casebridge service", but the administrator has no organisation and base.html's signed-in bar
# shows an organisation only when the user has one.
def test_every_demo_user_is_covered(demo_users: DemoUsers) -> None:
    """The parametrised test below covers exactly the users seed_demo makes."""
    assert sorted(u["username"] for u in demo_users.users) == sorted(EXPECTED_HOME_HEADING)


@pytest.mark.parametrize("username", list(EXPECTED_HOME_HEADING))
def test_demo_user_signs_in_and_out(page: Page, live_server: object, demo_users: DemoUsers, username: str) -> None:
    user = demo_users.get(username)

    visit(page, SIGN_IN_PATH)
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to Casebridge")
    page.get_by_label("Username", exact=True).fill(username)
    page.get_by_label("Password", exact=True).fill(demo_users.password)
    with navigates(page, url=f"{live_server.url}/"):  # type: ignore[attr-defined]
        page.get_by_role("button", name="Sign in", exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(EXPECTED_HOME_HEADING[username])
    signed_in_as = page.get_by_test_id("signed-in-user")
    expect(signed_in_as).to_contain_text(user["role"])
    signed_in_text = signed_in_as.inner_text()

    with navigates(page, url=re.compile(re.escape(SIGN_IN_PATH) + r"$")):
        page.get_by_role("button", name="Sign out", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to Casebridge")
    expect(page.get_by_test_id("signed-in-user")).to_have_count(0)

    assert user["organisation"] in signed_in_text, f"{user['organisation']!r} not in {signed_in_text!r}"
