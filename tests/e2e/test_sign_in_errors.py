"""Sign-in errors follow the GOV.UK error pattern, and the page works from the keyboard.
Every page (including the error pages) is axe-checked."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from .conftest import DemoUsers, navigates, visit

pytestmark = [pytest.mark.e2e]

SIGN_IN_PATH = "/accounts/sign-in/"
SIGN_IN_URL = re.compile(re.escape(SIGN_IN_PATH) + r"$")


def _submit(page: Page) -> None:
    with navigates(page, url=SIGN_IN_URL):
        page.get_by_role("button", name="Sign in", exact=True).click()


def test_empty_submit_shows_error_summary_linked_to_fields(page: Page) -> None:
    visit(page, SIGN_IN_PATH)
    expect(page).not_to_have_title(re.compile(r"^Error:"))
    _submit(page)

    expect(page).to_have_title(re.compile(r"^Error: "))
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary.get_by_role("heading", name="There is a problem")).to_be_visible()
    # GOV.UK Frontend moves focus to the summary when the page loads.
    expect(summary).to_be_focused()
    username_link = summary.get_by_role("link", name="Enter your username", exact=True)
    password_link = summary.get_by_role("link", name="Enter your password", exact=True)
    expect(username_link).to_be_visible()
    expect(password_link).to_be_visible()

    # Each field shows its own message too, tied to the input by aria-describedby.
    username = page.get_by_label("Username", exact=True)
    password = page.get_by_label("Password", exact=True)
    expect(username).to_have_accessible_description(re.compile("Enter your username"))
    expect(password).to_have_accessible_description(re.compile("Enter your password"))

    # Following a summary link moves focus to its field (no new page, so no new axe check).
    username_link.click()
    expect(username).to_be_focused()
    password_link.click()
    expect(password).to_be_focused()


def test_wrong_password_is_refused(page: Page, demo_users: DemoUsers) -> None:
    visit(page, SIGN_IN_PATH)
    page.get_by_label("Username", exact=True).fill("officer.north")
    page.get_by_label("Password", exact=True).fill(demo_users.password + "-wrong")
    _submit(page)

    expect(page).to_have_title(re.compile(r"^Error: "))
    summary = page.locator(".govuk-error-summary")
    expect(summary.get_by_role("heading", name="There is a problem")).to_be_visible()
    error_link = summary.get_by_role("link", name=re.compile("^The username or password is not right"))
    expect(error_link).to_be_visible()
    expect(page.get_by_test_id("signed-in-user")).to_have_count(0)
    # The username is kept, the password is not.
    expect(page.get_by_label("Username", exact=True)).to_have_value("officer.north")
    expect(page.get_by_label("Password", exact=True)).to_have_value("")

    error_link.click()
    expect(page.get_by_label("Username", exact=True)).to_be_focused()


def test_skip_link_is_first_and_moves_focus_to_main(page: Page) -> None:
    visit(page, SIGN_IN_PATH)
    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name="Skip to main content", exact=True)
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_visible()  # visually hidden until focused

    page.keyboard.press("Enter")
    expect(page.locator("main#main-content")).to_be_focused()
    expect(page).to_have_url(re.compile(re.escape(SIGN_IN_PATH) + r"#main-content$"))
