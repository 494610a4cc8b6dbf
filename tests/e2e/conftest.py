"""End-to-end tests: real pages in Debian Chromium (Playwright), against pytest-django's live server.

Running them::

    .venv/bin/python -m pytest tests/e2e -p no:cacheprovider        # or: -m e2e

Browser
    One headless Debian Chromium (``/usr/bin/chromium``, from ``apt-get install chromium``) per test
    session; each test gets a fresh browser context (cookies, storage) and page from
    pytest-playwright. Playwright's own browser downloads are never used. Every context's
    ``base_url`` is the live server, so tests navigate with paths (``visit(page, "/")``).

Database
    ``live_server`` runs in another thread with its own connection, so tests need committed data:
    every test here uses ``transactional_db`` (the ``_e2e_db`` autouse fixture), which empties the
    tables after each test. The e2e run uses its own test database (``test_<name>_e2e``) so it
    cannot collide with an ordinary ``pytest`` run on the same PostgreSQL server.

Demo users
    ``demo_users`` runs ``manage.py seed_demo`` (which loads the reference data first) with a random
    password made once per session, and returns ``DemoUsers(password, users)``; each user is a dict
    with ``username``, ``role`` (the role label) and ``organisation`` (the organisation name).

Accessibility: every page is checked with axe
    ``axe_check(page)`` runs axe-core (via ``axe_playwright_python``) with the WCAG 2.0/2.1/2.2 A
    and AA rule tags and fails with a readable list of the violations (rule id, impact, help, URL
    and the failing nodes' selectors).

    The rule is simple: a test never looks at a new page without checking it.

    * ``visit(page, path)`` is ``page.goto(path)`` followed by ``axe_check(page)``;
    * anything that loads a new document (following a link, submitting a form) goes inside
      ``with navigates(page, url=...):`` — it waits for the new document (whose URL matches ``url``,
      when given) to load, then runs ``axe_check(page)``. It also works when a form is re-shown at
      the same URL, which waiting for a URL alone would not notice.

    This is enforced, not just conventional: the ``page`` fixture records every document the
    page loads (its ``load`` event) and fails the test — at the next ``axe_check`` or at teardown —
    if any document was loaded without being axe-checked. In-page changes that load no document
    (moving focus, following a ``#fragment`` link) do not need a new check; call ``axe_check``
    yourself after an in-page change worth checking (an opened dialog, an htmx swap).

Markers
    Every module sets ``pytestmark = [pytest.mark.e2e, ...]``; ``-m "not e2e"`` skips them all.
"""

from __future__ import annotations

import io
import json
import os
import re
import secrets
from collections.abc import Callable, Generator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from playwright.sync_api import Page, expect

# Playwright's sync API runs an event loop in the test thread; Django's async-safety check would
# otherwise refuse the ORM calls that fixtures (transactional_db, seed_demo) make in that thread.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

# WCAG 2.2 AA, as axe-core tags its rules (wcag22a has no rules of its own in axe 4.x).
WCAG_AA_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_AA_TAGS}, "resultTypes": ["violations"]}
_AXE = Axe()

# Short timeouts: everything is local, so a wait this long means something is wrong.
ACTION_TIMEOUT_MS = 10_000
NAVIGATION_TIMEOUT_MS = 15_000


# --- Browser ------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    """pytest-playwright's launch options, pointed at Debian's Chromium (never a downloaded one)."""
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"{CHROMIUM} is missing: install it with `apt-get install -y chromium`.")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "headless": True, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any], live_server: Any) -> dict[str, Any]:
    return {**browser_context_args, "base_url": live_server.url, "locale": "en-GB", "timezone_id": "Europe/London"}


# --- Database -------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix: None) -> None:
    """Give the e2e run its own test database, so it never drops another run's ``test_<name>``."""
    from django.conf import settings

    for db in settings.DATABASES.values():
        test = db.setdefault("TEST", {})
        test["NAME"] = f"{test.get('NAME') or 'test_' + db['NAME']}_e2e"


@pytest.fixture(autouse=True)
def _e2e_db(transactional_db: None, live_server: Any) -> None:
    """Every e2e test talks to the live server, which sees only committed rows."""


# --- Demo users -----------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def demo_password() -> str:
    return secrets.token_urlsafe(24)


@dataclass(frozen=True)
class DemoUsers:
    password: str
    users: list[dict[str, str]]

    def get(self, username: str) -> dict[str, str]:
        for user in self.users:
            if user["username"] == username:
                return user
        raise KeyError(f"seed_demo made no user {username!r}; it made {[u['username'] for u in self.users]}")


@pytest.fixture
def demo_users(_e2e_db: None, demo_password: str) -> DemoUsers:
    """The demo organisations and users (``manage.py seed_demo --json``), committed for the live server."""
    buf = io.StringIO()
    # "--password=..." in one argument: a generated password may start with "-".
    call_command("seed_demo", f"--password={demo_password}", "--json", stdout=buf, stderr=io.StringIO())
    return DemoUsers(password=demo_password, users=json.loads(buf.getvalue()))


# --- Accessibility: axe on every page -------------------------------------------------------------


@dataclass
class _PageLoads:
    """Documents a page has loaded, and how many of them have been axe-checked."""

    urls: list[str] = field(default_factory=list)
    checked: int = 0
    unchecked: list[str] = field(default_factory=list)


_LOADS: dict[int, _PageLoads] = {}


def format_violations(url: str, violations: list[dict[str, Any]]) -> str:
    lines = [f"{len(violations)} accessibility violation(s) (axe, WCAG 2.2 AA) on {url}:"]
    for v in violations:
        lines.append(f"- {v['id']} [{v.get('impact') or 'unknown impact'}]: {v['help']} ({v['helpUrl']})")
        for node in v["nodes"]:
            target = " >> ".join(str(t) for t in node["target"])
            lines.append(f"    at {target}")
            lines.append(f"       {' '.join(node.get('html', '').split())[:200]}")
            summary = " ".join((node.get("failureSummary") or "").split())
            if summary:
                lines.append(f"       {summary[:400]}")
    return "\n".join(lines)


def axe_check(page: Page) -> None:
    """Assert the page as it is now has no WCAG 2.2 A/AA violations that axe can find."""
    page.wait_for_load_state("load")
    results = _AXE.run(page, options=AXE_OPTIONS)
    violations = results.response["violations"]
    assert not violations, format_violations(page.url, violations)
    loads = _LOADS.get(id(page))
    if loads is not None:
        # Every earlier document since the last check was left without one.
        loads.unchecked.extend(loads.urls[loads.checked : len(loads.urls) - 1])
        loads.checked = len(loads.urls)
        assert not loads.unchecked, f"pages loaded without an axe check: {loads.unchecked}"


def visit(page: Page, path: str) -> None:
    """Go to ``path`` (relative to the live server) and axe-check the page."""
    response = page.goto(path)
    assert response is not None, f"no response for {path}"
    axe_check(page)


@contextmanager
def navigates(page: Page, url: str | re.Pattern[str] | Callable[[str], bool] | None = None) -> Iterator[None]:
    """Wrap a click or submit that loads a new document: waits for that document (at ``url``, when
    given) to load, then axe-checks it. Works when the new URL equals the old one (a form re-shown
    with errors), which waiting for a URL alone would not notice."""
    with page.expect_navigation(url=url, wait_until="load"):
        yield
    axe_check(page)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Generator[None, Any, Any]:
    report = yield
    if report.when == "call":
        item.stash[_CALL_FAILED] = report.failed
    return report


_CALL_FAILED = pytest.StashKey[bool]()


@pytest.fixture
def page(context: Any, request: pytest.FixtureRequest) -> Iterator[Page]:
    """pytest-playwright's page, plus the bookkeeping that makes sure every page is axe-checked."""
    context.set_default_timeout(ACTION_TIMEOUT_MS)
    context.set_default_navigation_timeout(NAVIGATION_TIMEOUT_MS)
    expect.set_options(timeout=ACTION_TIMEOUT_MS)
    new_page = context.new_page()
    loads = _LOADS[id(new_page)] = _PageLoads()
    new_page.on("load", lambda p: loads.urls.append(p.url))
    try:
        yield new_page
        if request.node.stash.get(_CALL_FAILED, True):
            return  # the test's own failure is the one to read
        if not new_page.is_closed():
            new_page.evaluate("1")  # let any load event still in flight arrive
        missed = loads.unchecked + loads.urls[loads.checked :]
        assert not missed, (
            f"pages loaded without an axe check: {missed} — use visit(page, path) or `with navigates(page):`"
        )
    finally:
        _LOADS.pop(id(new_page), None)
