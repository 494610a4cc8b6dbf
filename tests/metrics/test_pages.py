"""The performance pages: metric definitions, the joint dashboard of a force and the CPS Area that serves it,
the cases behind a number, the CSV export and "your work".

The figures are built as the service builds them: referrals made through the charging services on known days
(time travel), then ``metrics.compute.recompute_day`` for those days. Every expected number is counted by hand
from that story:

- 15 Dec 2025: one Green referral (case 1)                        -> the previous period
- 10 Jan 2026: two referrals, Green (case 2) and Green Priority (case 3)
- 3 Feb 2026: one Red referral (case 4)

The period asked for is 1 Jan to 28 Feb 2026 (59 days), so the previous period is the 59 days before it:
3 Nov to 31 Dec 2025.
"""

from __future__ import annotations

import csv
import html
import io
import re
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Organisation, Unit, User
from casework import services as cs
from casework.models import Case, OffenceCode
from charging import services as s
from charging.choices import ChargingCategory, DecisionOutcome
from charging.models import ChargingRequest
from metrics.compute import recompute_day
from metrics.dimensions import DIMENSIONS
from metrics.forms import DATE_UNREADABLE, END_REQUIRED, START_REQUIRED
from metrics.registry import REGISTRY
from metrics.selectors import (
    FORCE_OUT_OF_SCOPE,
    NO_SCOPE,
    PERIOD_BACKWARDS,
    PERIOD_TOO_LONG,
    UNKNOWN_DIMENSION,
    UNKNOWN_GRAIN,
)
from tests.alerts._inbox_support import make_alert, make_deadline
from tests.charging.test_services import _mg3
from tests.conftest import _user
from tests.metrics.snapshots import add_snapshot
from tests.web.test_case_support import assert_form_error, error_summary, page

pytestmark = pytest.mark.django_db

Login = Callable[[User], Client]
LONDON = ZoneInfo("Europe/London")

DASHBOARD = "/metrics/"
PERIOD = {
    "force": "10",
    "period": "custom",
    "start_day": "1",
    "start_month": "1",
    "start_year": "2026",
    "end_day": "28",
    "end_month": "2",
    "end_year": "2026",
    "grain": "month",
}


# ---------------------------------------------------------------------------------------------
# The story, through the services


def _referral(n: int, when: datetime, officer: User, supervisor: User, category: str) -> Case:
    with time_machine.travel(when, tick=False):
        case = cs.case_create(
            urn=f"10/AA/{n:05d}/{when:%y}", details=cs.CaseDetails(summary="Wounding outside a pub"), by=officer
        )
        suspect = cs.suspect_add(case=case, details=cs.SuspectDetails("Jamie", f"Smith{n}"), by=officer)
        cs.offence_add(
            case=case,
            details=cs.OffenceDetails(suspect=suspect, code="OF61016", committed_on=when.date() - timedelta(days=3)),
            by=officer,
        )
        request = s.request_create(case=case, details=_mg3(category=category), by=officer)
        request = s.request_submit(request=request, by=officer, expected_version=request.version)
        s.request_approve(request=request, by=supervisor, expected_version=request.version)
    return case


@pytest.fixture
def story(officer_a: User, supervisor_a: User, unit_a1: Unit, offence_codes: dict[str, OffenceCode]) -> dict[str, Case]:
    cases = {
        "dec": _referral(1, datetime(2025, 12, 15, 10, tzinfo=LONDON), officer_a, supervisor_a, ChargingCategory.GREEN),
        "jan_green": _referral(
            2, datetime(2026, 1, 10, 9, tzinfo=LONDON), officer_a, supervisor_a, ChargingCategory.GREEN
        ),
        "jan_priority": _referral(
            3, datetime(2026, 1, 10, 15, tzinfo=LONDON), officer_a, supervisor_a, ChargingCategory.GREEN_PRIORITY
        ),
        "feb_red": _referral(4, datetime(2026, 2, 3, 11, tzinfo=LONDON), officer_a, supervisor_a, ChargingCategory.RED),
    }
    for day in (date(2025, 12, 15), date(2026, 1, 10), date(2026, 2, 3)):
        recompute_day(day, ["referrals"])
    return cases


@pytest.fixture
def manager_police_b(force_b: Organisation) -> User:
    from accounts.choices import Role

    return _user("manager_police_b", force_b, [Role.POLICE_MANAGER])


def _panel(response: Any, metric: str) -> str:
    match = re.search(rf'<section[^>]*data-metric="{metric}">.*?</section>', page(response), re.S)
    assert match is not None, f"no panel for {metric}"
    return match.group(0)


def _text(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def _testid(fragment: str, testid: str) -> str:
    match = re.search(rf'data-testid="{testid}"[^>]*>(.*?)</(?:a|dd)>', fragment, re.S)
    assert match is not None, f"no {testid}"
    # The number without its visually hidden context.
    return _text(re.sub(r'<span class="govuk-visually-hidden">.*?</span>', "", match.group(1)))


def _trend(fragment: str) -> list[tuple[str, str]]:
    table = re.search(r'data-testid="trend".*?</table>', fragment, re.S)
    assert table is not None
    rows = re.findall(r'data-chart-label="([^"]*)" data-chart-value="([^"]*)"', table.group(0))
    return [(html.unescape(label), value) for label, value in rows]


def _breakdown(fragment: str) -> list[tuple[str, str]]:
    rows = re.findall(
        r'data-testid="breakdown-row">\s*<th[^>]*>(.*?)</th>\s*<td[^>]*><a[^>]*>(.*?)<span', fragment, re.S
    )
    return [(_text(label), _text(value)) for label, value in rows]


def _links(fragment: str) -> list[str]:
    return [html.unescape(href) for href in re.findall(r'href="(/metrics/referrals/cases/[^"]+)"', fragment)]


def _urns(response: Any) -> list[str]:
    return re.findall(r'data-testid="case-row">\s*<td[^>]*><a[^>]*>([^<]+)</a>', page(response))


# ---------------------------------------------------------------------------------------------
# Definitions


def test_definitions_list_every_registered_metric_with_its_formula(as_user: Login, officer_a: User) -> None:
    response = as_user(officer_a).get(reverse("metrics:definitions"))
    assert response.status_code == 200
    body = page(response)
    for metric in REGISTRY.values():
        assert f'id="metric-{metric.id}"' in body
        assert f'href="#metric-{metric.id}"' in body
        assert html.escape(metric.definition) in body
        assert html.escape(metric.numerator) in body
    referrals = re.search(r'<section[^>]*aria-labelledby="metric-referrals".*?</section>', body, re.S)
    assert referrals is not None
    text = _text(referrals.group(0))
    assert "Identifier referrals" in text
    assert "Denominator None: the figure is a count" in text
    assert "Unit Count" in text
    assert "Owned by Joint: police and CPS" in text
    assert "charging.ChargingRequest.received_by_cps_at" in text
    assert "Version 1" in text


@pytest.mark.parametrize("who", ["lawyer_north", "manager_cps_north", "admin_user"])
def test_definitions_are_shown_to_every_signed_in_user(as_user: Login, who: str, request: Any) -> None:
    user = request.getfixturevalue(who)
    assert as_user(user).get(reverse("metrics:definitions")).status_code == 200


@pytest.mark.parametrize(
    "path", ["/metrics/", "/metrics/definitions/", "/metrics/mine/", "/metrics/export.csv", "/metrics/referrals/cases/"]
)
def test_every_page_asks_an_anonymous_visitor_to_sign_in(client: Client, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sign-in"))


# ---------------------------------------------------------------------------------------------
# The joint dashboard


def test_dashboard_compares_the_period_with_the_one_before_and_shows_the_trend(
    as_user: Login, manager_police_a: User, story: dict[str, Case]
) -> None:
    response = as_user(manager_police_a).get(DASHBOARD, PERIOD)
    assert response.status_code == 200
    panel = _panel(response, "referrals")
    assert _testid(panel, "current-value") == "3"
    assert _testid(panel, "previous-value") == "1"
    assert _testid(panel, "change") == "Up 2 from 1"
    assert _trend(panel) == [("January 2026", "2.0"), ("February 2026", "1.0")]
    summary = _text(re.search(r'data-testid="period-summary">(.*?)</p>', page(response), re.S).group(1))  # type: ignore[union-attr]
    assert "compared with the 59 days before: 3 November 2025 to 31 December 2025" in summary
    assert "Northumbria Police and CPS North East" in page(response)


def test_every_registered_metric_has_a_panel(as_user: Login, manager_police_a: User, story: dict[str, Case]) -> None:
    response = as_user(manager_police_a).get(DASHBOARD, PERIOD)
    for metric in REGISTRY.values():
        assert f'data-metric="{metric.id}"' in page(response)


def test_by_week_the_trend_has_a_row_per_week(as_user: Login, manager_police_a: User, story: dict[str, Case]) -> None:
    response = as_user(manager_police_a).get(DASHBOARD, {**PERIOD, "grain": "week"})
    trend = _trend(_panel(response, "referrals"))
    # 1 Jan 2026 is a Thursday: its week (from Monday 29 Dec) is cut to 1-4 Jan; then Mondays 5 Jan to 23 Feb.
    assert len(trend) == 9
    assert trend[0] == ("Week from 29 Dec 2025 (1 Jan 2026 to 4 Jan 2026 only)", "0.0")
    assert ("Week from 5 Jan 2026", "2.0") in trend
    assert ("Week from 2 Feb 2026", "1.0") in trend
    assert sum(float(v) for _, v in trend) == 3


def test_a_cps_legal_manager_sees_the_same_numbers_for_the_force(
    as_user: Login, manager_police_a: User, manager_cps_north: User, story: dict[str, Case]
) -> None:
    police = as_user(manager_police_a).get(DASHBOARD, {**PERIOD, "group_by": "category"})
    cps = as_user(manager_cps_north).get(DASHBOARD, {**PERIOD, "group_by": "category"})
    assert cps.status_code == 200
    for metric in REGISTRY:
        assert _panel(police, metric) == _panel(cps, metric)


def test_breaking_down_by_category(as_user: Login, manager_police_a: User, story: dict[str, Case]) -> None:
    response = as_user(manager_police_a).get(DASHBOARD, {**PERIOD, "group_by": "category"})
    assert _breakdown(_panel(response, "referrals")) == [
        ("Green", "1"),
        ("Green Priority", "1"),
        ("Red (custody, remand sought)", "1"),
    ]


def test_filtering_by_category(as_user: Login, manager_police_a: User, story: dict[str, Case]) -> None:
    response = as_user(manager_police_a).get(DASHBOARD, {**PERIOD, "category": "green"})
    panel = _panel(response, "referrals")
    assert _testid(panel, "current-value") == "1"
    assert _testid(panel, "previous-value") == "1"
    assert _testid(panel, "change") == "No change from 1"
    assert _trend(panel) == [("January 2026", "1.0"), ("February 2026", "0.0")]


def test_the_presets_run_to_today(as_user: Login, manager_police_a: User, story: dict[str, Case]) -> None:
    with time_machine.travel(datetime(2026, 2, 20, 12, tzinfo=LONDON), tick=False):
        response = as_user(manager_police_a).get(DASHBOARD, {"period": "last-3-months"})
    panel = _panel(response, "referrals")
    # 1 December 2025 to 20 February 2026: the December, January and February referrals.
    assert _testid(panel, "current-value") == "4"
    assert [label for label, _ in _trend(panel)] == [
        "December 2025",
        "January 2026",
        "February 2026 (1 Feb 2026 to 20 Feb 2026 only)",
    ]


def test_every_number_links_to_the_cases_behind_it(
    as_user: Login, manager_police_a: User, story: dict[str, Case]
) -> None:
    client = as_user(manager_police_a)
    panel = _panel(client.get(DASHBOARD, {**PERIOD, "group_by": "category"}), "referrals")
    links = _links(panel)
    # current, previous, two months, three categories
    assert len(links) == 7
    current = client.get(links[0])
    assert current.status_code == 200
    assert sorted(_urns(current)) == ["10/AA/00002/26", "10/AA/00003/26", "10/AA/00004/26"]
    assert "3 cases" in page(current)
    previous = client.get(links[1])
    assert _urns(previous) == ["10/AA/00001/25"]
    february = client.get(links[3])
    assert _urns(february) == ["10/AA/00004/26"]
    red = next(link for link in links if "category=red" in link and "start=2026-01-01" in link)
    assert _urns(client.get(red)) == ["10/AA/00004/26"]


def test_the_drill_down_links_to_each_case(as_user: Login, manager_police_a: User, story: dict[str, Case]) -> None:
    response = as_user(manager_police_a).get(
        "/metrics/referrals/cases/", {"force": "10", "start": "2026-02-01", "end": "2026-02-28"}
    )
    assert f'href="/cases/{story["feb_red"].public_id}/"' in page(response)
    assert "1 case" in page(response)


def test_the_drill_down_never_lists_a_case_the_user_may_not_see(
    as_user: Login,
    manager_police_a: User,
    manager_cps_north: User,
    area_south: Organisation,
    story: dict[str, Case],
) -> None:
    # The January Green case moved to another CPS Area after it was referred: the force still counts it.
    Case.objects.filter(pk=story["jan_green"].pk).update(cps_area=area_south)
    params = {"force": "10", "start": "2026-01-01", "end": "2026-01-31"}
    assert sorted(_urns(as_user(manager_police_a).get("/metrics/referrals/cases/", params))) == [
        "10/AA/00002/26",
        "10/AA/00003/26",
    ]
    cps = as_user(manager_cps_north).get("/metrics/referrals/cases/", params)
    assert _urns(cps) == ["10/AA/00003/26"]
    assert "1 case" in page(cps)
    assert "00002" not in page(cps)


def test_the_drill_down_is_paginated(
    as_user: Login, manager_police_a: User, officer_a: User, supervisor_a: User, story: dict[str, Case]
) -> None:
    for n in range(10, 62):
        _referral(n, datetime(2026, 1, 20, 10, tzinfo=LONDON), officer_a, supervisor_a, ChargingCategory.GREEN)
    client = as_user(manager_police_a)
    params = {"force": "10", "start": "2026-01-01", "end": "2026-01-31"}
    first = client.get("/metrics/referrals/cases/", params)
    assert "54 cases" in page(first)
    assert len(_urns(first)) == 50
    second = client.get("/metrics/referrals/cases/", {**params, "page": "2"})
    assert len(_urns(second)) == 4
    assert not set(_urns(first)) & set(_urns(second))


# ---------------------------------------------------------------------------------------------
# Bad input


@pytest.mark.parametrize(
    ("params", "message", "anchor"),
    [
        ({"group_by": "colour"}, UNKNOWN_DIMENSION.format(value="colour", choices=", ".join(DIMENSIONS)),
         "id_group_by"),
        ({"grain": "year"}, UNKNOWN_GRAIN.format(value="year"), None),
        ({"end_year": "2025", "end_month": "12", "end_day": "1"}, PERIOD_BACKWARDS, None),
        ({"start_year": "2020", "end_year": "2026", "end_month": "1", "end_day": "1"},
         PERIOD_TOO_LONG.format(days=2193, grain="month", max=5 * 366), None),
        ({"start_day": "", "start_month": "", "start_year": ""}, START_REQUIRED, None),
        ({"end_day": "", "end_month": "", "end_year": ""}, END_REQUIRED, None),
    ],
)  # fmt: skip
def test_bad_filters_are_refused_with_the_precise_message(
    as_user: Login, manager_police_a: User, params: dict[str, str], message: str, anchor: str | None
) -> None:
    response = as_user(manager_police_a).get(DASHBOARD, {**PERIOD, **params})
    assert_form_error(response, message, anchor)
    assert 'data-testid="metric-panel"' not in page(response)


def test_the_csv_export_refuses_bad_filters_too(as_user: Login, manager_police_a: User) -> None:
    response = as_user(manager_police_a).get("/metrics/export.csv", {**PERIOD, "group_by": "colour"})
    assert_form_error(response, UNKNOWN_DIMENSION.format(value="colour", choices=", ".join(DIMENSIONS)))


def test_a_manager_of_another_force_cannot_pick_force_10(
    as_user: Login, manager_police_b: User, story: dict[str, Case]
) -> None:
    client = as_user(manager_police_b)
    assert_form_error(client.get(DASHBOARD, PERIOD), FORCE_OUT_OF_SCOPE, "id_force")
    assert_form_error(client.get("/metrics/export.csv", PERIOD), FORCE_OUT_OF_SCOPE, "id_force")
    drill = client.get("/metrics/referrals/cases/", {"force": "10", "start": "2026-01-01", "end": "2026-01-31"})
    assert_form_error(drill, FORCE_OUT_OF_SCOPE, "id_force")
    assert "00002" not in page(drill)
    # Their own force's dashboard has none of force 10's referrals.
    own = client.get(DASHBOARD, {**PERIOD, "force": "46"})
    assert _testid(_panel(own, "referrals"), "current-value") == "0"


def test_a_force_that_does_not_exist_gets_the_same_answer(as_user: Login, manager_police_a: User) -> None:
    assert_form_error(as_user(manager_police_a).get(DASHBOARD, {**PERIOD, "force": "99"}), FORCE_OUT_OF_SCOPE)


def test_an_unknown_metric_in_the_drill_down_is_not_found(as_user: Login, manager_police_a: User) -> None:
    response = as_user(manager_police_a).get("/metrics/nonsense/cases/", {"start": "2026-01-01", "end": "2026-01-31"})
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"start": "1 Jan", "end": "2026-01-31"}, DATE_UNREADABLE.format(noun="start date")),
        ({"start": "2026-02-01", "end": "2026-01-31"}, PERIOD_BACKWARDS),
        (
            {"start": "2026-01-01", "end": "2026-01-31", "unit": "ZZ"},
            "Northumbria Police has no unit with the code “ZZ”",
        ),
    ],
)
def test_a_bad_drill_down_link_is_refused_with_the_precise_message(
    as_user: Login, manager_police_a: User, unit_a1: Unit, params: dict[str, str], message: str
) -> None:
    assert_form_error(as_user(manager_police_a).get("/metrics/referrals/cases/", params), message)


def test_a_drill_down_by_a_category_the_metric_does_not_have_is_refused_on_that_field(
    as_user: Login, manager_police_a: User
) -> None:
    client = as_user(manager_police_a)
    period = {"start": "2026-01-01", "end": "2026-01-31"}
    # Failure reasons are split by FQ code: a charging category is not one of them.
    response = client.get("/metrics/quality_failure_reasons/cases/", {**period, "category": "red"})
    assert response.status_code == 400
    [(anchor, message)] = error_summary(response)
    assert anchor == "#id_category"
    assert message.startswith("“red” is not a file quality failure reason (FQ code) of File quality failure reasons")
    # Time limit breaches are not split at all.
    breaches = client.get("/metrics/time_limit_breaches/cases/", {**period, "category": "red"})
    assert_form_error(breaches, "Statutory time limits breached is not split into categories", "id_category")


# ---------------------------------------------------------------------------------------------
# CSV


def test_the_csv_has_the_dashboards_figures_and_no_case_data(
    as_user: Login, manager_police_a: User, story: dict[str, Case]
) -> None:
    response = as_user(manager_police_a).get("/metrics/export.csv", {**PERIOD, "group_by": "category"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == (
        'attachment; filename="casebridge-metrics-10-2026-01-01-to-2026-02-28.csv"'
    )
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == [
        "metric", "period_start", "period_end", "dimension", "group", "value", "numerator", "denominator", "median",
        "p90",
    ]  # fmt: skip
    referrals = [row for row in rows[1:] if row[0] == "referrals"]
    assert referrals == [
        ["referrals", "2026-01-01", "2026-02-28", "", "", "3", "3", "0", "", ""],
        ["referrals", "2025-11-03", "2025-12-31", "", "", "1", "1", "0", "", ""],
        ["referrals", "2026-01-01", "2026-01-31", "month", "", "2", "2", "0", "", ""],
        ["referrals", "2026-02-01", "2026-02-28", "month", "", "1", "1", "0", "", ""],
        ["referrals", "2026-01-01", "2026-02-28", "category", "Green", "1", "1", "0", "", ""],
        ["referrals", "2026-01-01", "2026-02-28", "category", "Green Priority", "1", "1", "0", "", ""],
        ["referrals", "2026-01-01", "2026-02-28", "category", "Red (custody, remand sought)", "1", "1", "0", "", ""],
    ]
    assert {row[0] for row in rows[1:]} == set(REGISTRY)
    body = response.content.decode()
    for case in story.values():
        assert case.urn_display not in body
        assert str(case.public_id) not in body


# ---------------------------------------------------------------------------------------------
# Figures from snapshot rows made directly: units, medians, positions


def test_day_metrics_show_their_median_and_90th_percentile(
    as_user: Login, manager_police_a: User, force_a: Organisation
) -> None:
    days = REGISTRY["days_referral_to_decision"]
    histogram = [0] * 366
    # Ten values: 2, 2, 3, 3, 3, 5, 8, 8, 13, 30 days -> mean 77/10, median 3, 90th percentile 13.
    for value in (2, 2, 3, 3, 3, 5, 8, 8, 13, 30):
        histogram[value] += 1
    add_snapshot(
        metric=days.id, version=days.version, day=date(2026, 1, 15), force=force_a, numerator=77, denominator=10,
        histogram=histogram,
    )  # fmt: skip
    panel = _panel(as_user(manager_police_a).get(DASHBOARD, PERIOD), days.id)
    assert _testid(panel, "current-value") == "7.7 days"
    january = re.search(r'data-chart-label="January 2026".*?</tr>', panel, re.S)
    assert january is not None
    assert _text(january.group(0)).split(": ")[-1].endswith("3 days 13 days 10")


def test_the_change_is_said_in_words(manager_police_a: User) -> None:
    from metrics.views import change_in_words

    referrals = REGISTRY["referrals"]
    assert change_in_words(referrals, 44, 40) == "Up 4 from 40"
    assert change_in_words(referrals, 36, 40) == "Down 4 from 40"
    assert change_in_words(referrals, 40, 40) == "No change from 40"
    percent = REGISTRY["charge_rate"]
    assert change_in_words(percent, 52.5, 50.0) == "Up 2.5 percentage points from 50.0%"
    assert change_in_words(percent, None, 50.0) == "No figure this period; the previous period was 50.0%"
    assert change_in_words(percent, 50.0, None) == "No figure for the previous period to compare with"


# ---------------------------------------------------------------------------------------------
# People without organisation-wide figures, and their own work


def test_an_officer_is_told_they_have_no_dashboard_and_sees_their_own_work(
    as_user: Login,
    officer_a: User,
    officer_a2: User,
    supervisor_a: User,
    paralegal_north: User,
    lawyer_north: User,
    offence_codes: dict[str, OffenceCode],
) -> None:
    now = timezone.now()
    # Two of officer_a's cases go to the CPS; the lawyer sets an action plan on one with two actions, one
    # already past its due date (the service refuses a past due date, so it is moved back afterwards).
    first = _referral(81, now - timedelta(days=20), officer_a, supervisor_a, ChargingCategory.GREEN)
    _referral(82, now - timedelta(days=2), officer_a, supervisor_a, ChargingCategory.GREEN)
    request = ChargingRequest.objects.get(case=first)
    request = s.request_accept(request=request, by=paralegal_north)
    request = s.request_allocate(request=request, by=lawyer_north)
    decision = s.decision_record(
        request=request,
        by=lawyer_north,
        outcome=DecisionOutcome.ACTION_PLAN,
        reasons="Further information required",
        action_items=[
            s.ActionItemDetails(
                action="Obtain the medical statement", reason="Injury", due_on=now.date() + timedelta(7)
            ),
            s.ActionItemDetails(action="Trace the second witness", reason="Identity", due_on=now.date() + timedelta(1)),
        ],
    )
    decision.action_items.filter(number=2).update(due_on=now.date() - timedelta(days=1))
    # Another officer's case and alert are not officer_a's work.
    other = cs.case_create(urn="10/AB/00090/26", details=cs.CaseDetails(summary="Theft"), by=officer_a2)
    make_alert(make_deadline(first), officer_a)
    make_alert(make_deadline(first), officer_a, threshold="T-2h", acknowledged_at=now, acknowledgement_note="Seen")
    make_alert(make_deadline(other), officer_a2)

    response = as_user(officer_a).get(DASHBOARD)
    assert response.status_code == 200
    assert NO_SCOPE in page(response)
    assert 'data-testid="metric-panel"' not in page(response)
    mine = as_user(officer_a).get("/metrics/mine/")
    for testid, expected in (("open-requests", "2"), ("open-actions", "2"), ("overdue-actions", "1"),
                             ("alerts-waiting", "1")):  # fmt: skip
        for body in (page(response), page(mine)):
            found = re.search(rf'data-testid="{testid}">(\d+)<', body)
            assert found is not None, testid
            assert found.group(1) == expected, testid
    assert as_user(officer_a).get("/metrics/export.csv", PERIOD).status_code == 403
    drill = as_user(officer_a).get("/metrics/referrals/cases/", {"start": "2026-01-01", "end": "2026-01-31"})
    assert drill.status_code == 403
    assert 'data-testid="case-row"' not in page(drill)


def test_a_lawyer_sees_their_allocations_and_decisions(
    as_user: Login,
    officer_a: User,
    supervisor_a: User,
    paralegal_north: User,
    lawyer_north: User,
    offence_codes: dict[str, OffenceCode],
) -> None:
    now = timezone.now()
    # Allocated 40 days ago (past the 28-day Green time aim), allocated today, and one decided this month.
    for n, ago in ((91, 40), (92, 0), (93, 0)):
        case = _referral(n, now - timedelta(days=ago), officer_a, supervisor_a, ChargingCategory.GREEN)
        request = s.request_accept(request=ChargingRequest.objects.get(case=case), by=paralegal_north)
        request = s.request_allocate(request=request, by=lawyer_north)
    s.decision_record(
        request=request, by=lawyer_north, outcome=DecisionOutcome.EARLY_ADVICE, reasons="Advice on the evidence"
    )
    response = as_user(lawyer_north).get(DASHBOARD)
    assert NO_SCOPE in page(response)
    for testid, expected in (("allocated", "2"), ("overdue", "1"), ("decisions", "0"), ("interim", "1")):
        found = re.search(rf'data-testid="{testid}">(\d+)<', page(response))
        assert found is not None, testid
        assert found.group(1) == expected, testid


def test_a_system_administrator_sees_no_figures_and_no_case_data(
    as_user: Login, admin_user: User, story: dict[str, Case]
) -> None:
    client = as_user(admin_user)
    response = client.get(DASHBOARD, PERIOD)
    assert response.status_code == 200
    assert NO_SCOPE in page(response)
    assert 'data-testid="no-work"' in page(response)
    assert client.get("/metrics/export.csv", PERIOD).status_code == 403
    drill = client.get("/metrics/referrals/cases/", {"force": "10", "start": "2026-01-01", "end": "2026-01-31"})
    assert drill.status_code == 403
    for case in story.values():
        assert case.urn_display not in page(drill)
        assert case.urn_display not in page(response)


def test_the_performance_entry_is_in_the_navigation(
    as_user: Login, officer_a: User, manager_cps_north: User, admin_user: User
) -> None:
    for user in (officer_a, manager_cps_north):
        assert 'href="/metrics/"' in page(as_user(user).get("/"))
    assert error_summary(as_user(admin_user).get("/")) == []
    assert 'href="/metrics/"' not in page(as_user(admin_user).get("/"))


def test_a_whole_periods_median_and_90th_percentile_come_from_every_day_not_from_the_months(
    manager_police_a: User, force_a: Organisation
) -> None:
    from metrics.selectors import MetricQuery, metric_series, metric_total

    days = REGISTRY["days_referral_to_decision"]

    def snapshot(day: date, values: tuple[int, ...]) -> None:
        histogram = [0] * 366
        for value in values:
            histogram[value] += 1
        add_snapshot(
            metric=days.id, version=days.version, day=day, force=force_a, numerator=sum(values),
            denominator=len(values), histogram=histogram,
        )  # fmt: skip

    snapshot(date(2026, 1, 15), (1, 1, 1, 2))  # January: median 1
    snapshot(date(2026, 2, 10), (10, 20, 30))  # February: median 20
    query = MetricQuery(metric=days.id, start=date(2026, 1, 1), end=date(2026, 2, 28), filters={"force": force_a.pk})
    months = metric_series(query, user=manager_police_a)
    assert [(p.period.month, p.median) for p in months] == [(1, 1.0), (2, 20.0)]
    [whole] = metric_total(query, user=manager_police_a)
    # All seven values 1, 1, 1, 2, 10, 20, 30: mean 65/7, median 2 (the 4th), 90th percentile 30 (6.3 -> 7th).
    assert (whole.numerator, whole.denominator, whole.median, whole.p90) == (65.0, 7.0, 2.0, 30.0)


def test_a_metric_whose_categories_are_not_charging_categories_says_so_and_breaks_down_by_its_own(
    manager_police_a: User, force_a: Organisation, unit_a1: Unit, as_user: Callable[[User], Client]
) -> None:
    day = date(2026, 1, 15)
    add_snapshot(metric="referrals", day=day, force=force_a, unit=unit_a1, category="red", numerator=2)
    add_snapshot(metric="referrals", day=day, force=force_a, unit=unit_a1, category="green", numerator=5)
    add_snapshot(metric="quality_failure_reasons", day=day, force=force_a, unit=unit_a1, category="FQ03", numerator=4)
    client = as_user(manager_police_a)

    red_only = client.get(DASHBOARD, {**PERIOD, "category": "red"})
    assert _testid(_panel(red_only, "referrals"), "current-value") == "2"
    failures = _panel(red_only, "quality_failure_reasons")
    # The failure reasons cannot be narrowed to red referrals: the panel says so and shows every category.
    assert "is not split by charging category: these figures cover every category" in _text(failures)
    assert _testid(failures, "current-value") == "4"
    assert "category=red" not in failures

    by_category = client.get(DASHBOARD, {**PERIOD, "group_by": "category"})
    failures = _panel(by_category, "quality_failure_reasons")
    assert "by file quality failure reason (fq code)" in _text(failures).lower()
    from files.quality.rules import FAILURE_CODES

    assert f"FQ03: {FAILURE_CODES['FQ03']}" in html.unescape(failures)
    assert "category=FQ03" in failures
    breaches = _panel(by_category, "time_limit_breaches")
    assert "is not split into categories, so there is no breakdown by category" in _text(breaches)
    assert 'data-testid="breakdown"' not in breaches
