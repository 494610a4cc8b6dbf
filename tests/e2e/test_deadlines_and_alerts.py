"""Deadlines and delay alerts in the browser: a summary-only offence's s.127 time limit is worked out when the
offence is added, shown on the case's Deadlines tab, and raised by the sweep as an alert to the officer in the
case, who cannot dismiss it without acknowledging it with a note; an administrator sees an undelivered alert
email. Every page is axe-checked (WCAG 2.2 AA), including the acknowledgement's error state.

The sweep runs in this process (``alerts.services.sweep_alerts``, the task's own code) so the test decides
when alerts are raised; its Celery task is tested with a real worker in ``tests/alerts``.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from dateutil.relativedelta import relativedelta
from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts.models import User
from alerts.choices import DeliveryStatus
from alerts.models import Alert, AlertDelivery
from alerts.services import sweep_alerts
from casework import services as case_services
from casework.choices import DeadlineKind, ModeOfTrial
from casework.models import Case, Deadline, OffenceCode

from .conftest import DemoUsers, visit
from .test_case_building import expect_success, follow, sign_in, sign_out, submit

pytestmark = [pytest.mark.e2e]

COMMON_ASSAULT = "CJ88001"


@pytest.fixture
def case(demo_users: DemoUsers) -> Case:
    OffenceCode.objects.get_or_create(
        code=COMMON_ASSAULT,
        defaults={
            "title": "Common assault",
            "category": "CS",
            "mode_of_trial": ModeOfTrial.SUMMARY_ONLY,
            "is_active": True,
        },
    )
    officer = User.objects.get(username="officer.north")
    supervisor = User.objects.get(username="supervisor.north")
    assert officer.unit is not None
    details = case_services.CaseDetails(summary="Assault at a bus stop", officer_in_case=officer, supervisor=supervisor)
    case = case_services.case_create(
        urn=f"10/{officer.unit.code}/77002/{timezone.localdate():%y}", details=details, by=officer
    )
    suspect = case_services.suspect_add(
        case=case, details=case_services.SuspectDetails("Sam", "Hale", date_of_birth=date(1988, 1, 9)), by=officer
    )
    # Six months run out in about three weeks: the 30-day alert is due.
    committed = timezone.localdate() - relativedelta(months=6) + timedelta(days=20)
    case_services.offence_add(
        case=case,
        details=case_services.OffenceDetails(suspect=suspect, code=COMMON_ASSAULT, committed_on=committed),
        by=officer,
    )
    return case


def test_a_time_limit_is_shown_alerted_acknowledged_and_an_undelivered_email_is_seen_by_an_administrator(
    page: Page, live_server: object, demo_users: DemoUsers, case: Case
) -> None:
    deadline = Deadline.objects.get(case=case, kind=DeadlineKind.SUMMARY_TIME_LIMIT)
    assert deadline.statutory
    assert sweep_alerts() == 2  # the officer in the case and the supervisor
    alert = Alert.objects.get(deadline=deadline, recipient__username="officer.north")
    assert alert.threshold == "T-30d"
    assert alert.requires_acknowledgement

    sign_in(page, live_server, demo_users, "officer.north")
    expect(page.get_by_role("link", name="Alerts (1 unacknowledged)", exact=True)).to_be_visible()

    # The case's Deadlines tab says what is due, when, how long is left, and the rule that gave it.
    visit(page, f"/cases/{case.public_id}/deadlines/")
    expect(page.get_by_text(re.compile(r"s\.127 Magistrates' Courts Act 1980")).first).to_be_visible()
    expect(page.get_by_text("Statutory", exact=True).first).to_be_visible()
    expect(page.get_by_text(re.compile(r"^In \d+ days$")).first).to_be_visible()

    # The inbox, then the alert: it cannot be dismissed before it is acknowledged, and a note is required.
    visit(page, "/alerts/")
    expect(page.get_by_text("Needs acknowledgement", exact=True).first).to_be_visible()
    follow(page, deadline.label)
    expect(page.get_by_role("button", name="Dismiss this alert")).to_have_count(0)
    submit(page, "Acknowledge")
    expect(page.locator(".govuk-error-summary")).to_contain_text("note")
    page.get_by_label("Note", exact=True).fill("Charge requisition being prepared; supervisor aware")
    submit(page, "Acknowledge")
    expect_success(page, "Alert acknowledged")
    alert.refresh_from_db()
    assert alert.acknowledged_at is not None
    assert alert.acknowledgement_note == "Charge requisition being prepared; supervisor aware"
    sign_out(page)

    # The supervisor's copy went in the digest and its email failed every attempt: administrators see it.
    delivery = AlertDelivery.objects.get(alert__deadline=deadline, alert__recipient__username="supervisor.north")
    AlertDelivery.objects.filter(pk=delivery.pk).update(
        status=DeliveryStatus.FAILED, attempts=6, last_error="SMTP 451 4.3.0 try again later"
    )
    sign_in(page, live_server, demo_users, "admin")
    visit(page, "/alerts/admin/undelivered/")
    expect(page.get_by_text("SMTP 451 4.3.0 try again later").first).to_be_visible()
    expect(page.get_by_role("button", name=re.compile(r"^Retry now"))).to_have_count(1)
