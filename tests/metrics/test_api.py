"""The metrics API (``metrics.api``): definitions for everyone signed in, and values read from snapshot rows
made here by hand, so every expected number below is added up from the rows in this file, not from the code.

Force A (code 10) is served by CPS North East, force B (46) by CPS South East. Snapshot rows of "referrals"
(a count), and of two metrics registered only for these tests: a stock count and a day-count (``DAYS``) metric
with histograms.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

import pytest
from django.test import Client

from accounts.choices import Role
from accounts.models import Organisation, Unit, User
from casework.models import Case
from metrics.api import (
    MALFORMED_DATE,
    UNIT_OUT_OF_SCOPE,
    UNKNOWN_CPS_AREA,
    UNKNOWN_FORCE,
    UNKNOWN_UNIT,
)
from metrics.registry import REGISTRY, Metric, MetricUnit, Owner, histogram_of, register
from metrics.selectors import (
    FORCE_OUT_OF_SCOPE,
    NO_SCOPE,
    PERIOD_BACKWARDS,
    PERIOD_TOO_LONG,
    UNKNOWN_CATEGORY_VALUE,
    UNKNOWN_DIMENSION,
    UNKNOWN_GRAIN,
    UNKNOWN_METRIC,
)
from tests.factories.accounts import UserFactory
from tests.metrics.snapshots import add_snapshot

SignIn = Callable[[User], Client]
URL = "/api/v1/metrics/{}/"
DEFINITIONS = "/api/v1/metrics/definitions/"
JAN_FEB = {"start": "2026-01-01", "end": "2026-02-28"}
STOCK = "test_api_open_things"
DAYS = "test_api_days_to_decision"


@pytest.fixture
def test_metrics() -> Iterator[None]:
    """A stock metric and a day-count metric, registered for these tests only."""

    def nothing(day: date) -> list[Any]:
        return []

    def no_cases(start: date, end: date) -> Any:
        return Case.objects.none()

    common: dict[str, Any] = {
        "numerator": "n",
        "denominator": "d",
        "owner": Owner.JOINT,
        "reads": ("casework.Case.id",),
        "version": 3,
        "compute": nothing,
        "cases": no_cases,
    }
    register(
        Metric(
            id=STOCK,
            name="Open things",
            definition="Open at the day's end",
            unit=MetricUnit.COUNT,
            stock=True,
            **common,
        )
    )
    register(
        Metric(
            id=DAYS, name="Days to decide", definition="Days from referral to decision", unit=MetricUnit.DAYS, **common
        )
    )
    yield
    REGISTRY.pop(STOCK)
    REGISTRY.pop(DAYS)


@pytest.fixture
def manager_police_b(force_b: Organisation) -> User:
    return UserFactory(username="manager_police_b", organisation=force_b, roles=[Role.POLICE_MANAGER])


@pytest.fixture
def manager_cps_south(area_south: Organisation) -> User:
    return UserFactory(username="manager_cps_south", organisation=area_south, roles=[Role.CPS_LEGAL_MANAGER])


def snap(metric: str, day: str, unit: Unit, area: Organisation | None, **values: Any) -> None:
    add_snapshot(
        metric=metric,
        version=REGISTRY[metric].version,
        day=date.fromisoformat(day),
        force_id=unit.organisation_id,
        unit=unit,
        cps_area=area,
        **values,
    )


@pytest.fixture
def referrals(
    unit_a1: Unit,
    unit_a2: Unit,
    unit_b1: Unit,
    area_north: Organisation,
    area_south: Organisation,
    cps_direct: Organisation,
) -> None:
    gbh = {"offence_group": "gbh_abh"}
    snap("referrals", "2025-12-31", unit_a1, area_north, category="red", numerator=5, **gbh)  # before the period
    snap("referrals", "2026-01-05", unit_a1, area_north, category="red", numerator=3, **gbh)
    snap("referrals", "2026-01-12", unit_a1, cps_direct, offence_group="summary_only", category="red", numerator=10)
    snap("referrals", "2026-01-20", unit_a2, area_north, offence_group="either_way", category="green", numerator=2)
    snap("referrals", "2026-01-31", unit_a1, area_north, category="green", numerator=1, **gbh)
    snap("referrals", "2026-02-01", unit_a1, area_north, category="red", numerator=4, **gbh)
    snap("referrals", "2026-02-10", unit_b1, area_south, category="red", numerator=7, **gbh)  # force B
    snap("referrals", "2026-03-01", unit_a1, area_north, category="red", numerator=6, **gbh)  # after the period


def get(client: Client, metric: str, **params: str) -> Any:
    return client.get(URL.format(metric), params)


def values(body: dict[str, Any]) -> dict[tuple[str, Any], float | None]:
    return {(p["period"], p["group"]): p["value"] for p in body["points"]}


def error(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, (response.status_code, response.content)
    body: dict[str, Any] = response.json()["error"]
    assert body["status"] == status
    return body


def field_errors(response: Any) -> dict[str, list[str]]:
    body = error(response, 400)
    assert body["code"] == "invalid"
    fields: dict[str, list[str]] = body["fields"]
    return fields


# Definitions


def test_definitions_are_published_to_everyone_signed_in(officer_a: User, as_user: SignIn) -> None:
    response = as_user(officer_a).get(DEFINITIONS)
    assert response.status_code == 200
    by_id = {d["id"]: d for d in response.json()}
    referral = by_id["referrals"]
    assert set(referral) == {
        "id",
        "name",
        "definition",
        "numerator",
        "denominator",
        "unit",
        "owner",
        "reads",
        "version",
        "stock",
        "notes",
        "category_kind",
        "categories",
    }
    assert referral["name"] == "Referrals for a charging decision"
    assert referral["category_kind"] == "charging_category"
    assert referral["categories"] == {
        "red": "Red (custody, remand sought)",
        "green": "Green",
        "green_priority": "Green Priority",
    }
    # What the category holds differs by metric, and the API says so.
    assert by_id["quality_failure_reasons"]["category_kind"] == "failure_reason"
    assert by_id["quality_failure_reasons"]["categories"]["FQ01"].startswith("FQ01: MG5")
    assert by_id["bail_population"]["categories"] == {
        "0-3m": "Under 3 months",
        "3-6m": "3 to 6 months",
        "6-9m": "6 to 9 months",
        "9m+": "9 months or more",
    }
    assert by_id["time_limit_breaches"]["category_kind"] == "none"
    assert referral["unit"] == "count"
    assert referral["owner"] == "joint"
    assert referral["version"] == 1
    assert referral["stock"] is False
    assert "charging.ChargingRequest.received_by_cps_at" in referral["reads"]
    assert set(by_id) == set(REGISTRY)


def test_definitions_show_a_metrics_unit_and_stock_rule(
    test_metrics: None, lawyer_north: User, as_user: SignIn
) -> None:
    by_id = {d["id"]: d for d in as_user(lawyer_north).get(DEFINITIONS).json()}
    assert (by_id[STOCK]["stock"], by_id[STOCK]["version"]) == (True, 3)
    assert by_id[DAYS]["unit"] == "days"


@pytest.mark.django_db
def test_definitions_need_sign_in(client: Client) -> None:
    assert error(client.get(DEFINITIONS), 401)["code"] == "not_authenticated"


# Values by period and group


def test_monthly_referrals_add_up_the_days_of_the_managers_force(
    referrals: None, manager_police_a: User, as_user: SignIn
) -> None:
    body = get(as_user(manager_police_a), "referrals", **JAN_FEB).json()
    # January: 3 + 10 + 2 + 1; February: 4 (force B's 7, December's 5 and March's 6 are left out).
    assert values(body) == {("2026-01-01", None): 16.0, ("2026-02-01", None): 4.0}
    assert body["metric"] == "referrals"
    assert body["version"] == 1
    assert (body["start"], body["end"], body["grain"], body["group_by"]) == ("2026-01-01", "2026-02-28", "month", "")
    january = body["points"][0]
    assert (january["numerator"], january["denominator"], january["median"], january["p90"]) == (16.0, 0.0, None, None)


def test_weekly_periods_start_on_monday(referrals: None, manager_police_a: User, as_user: SignIn) -> None:
    body = get(as_user(manager_police_a), "referrals", grain="week", **JAN_FEB).json()
    # 5 Jan (Mon): 3; 12 Jan (Mon): 10; 20 Jan (Tue): 2; 31 Jan (Sat) and 1 Feb (Sun), week of 26 Jan: 1 + 4.
    assert values(body) == {
        ("2026-01-05", None): 3.0,
        ("2026-01-12", None): 10.0,
        ("2026-01-19", None): 2.0,
        ("2026-01-26", None): 5.0,
    }


def test_daily_figures(referrals: None, manager_police_a: User, as_user: SignIn) -> None:
    body = get(as_user(manager_police_a), "referrals", grain="day", start="2026-01-31", end="2026-02-01").json()
    assert values(body) == {("2026-01-31", None): 1.0, ("2026-02-01", None): 4.0}


def test_grouped_by_unit_names_units_by_public_id(
    referrals: None, manager_police_a: User, unit_a1: Unit, unit_a2: Unit, as_user: SignIn
) -> None:
    body = get(as_user(manager_police_a), "referrals", group_by="unit", **JAN_FEB).json()
    a1, a2 = str(unit_a1.public_id), str(unit_a2.public_id)
    assert values(body) == {("2026-01-01", a1): 14.0, ("2026-01-01", a2): 2.0, ("2026-02-01", a1): 4.0}
    assert {p["group_name"] for p in body["points"]} == {"Newcastle", "Sunderland"}


def test_grouped_by_force_and_cps_area_gives_codes_never_keys(
    referrals: None, manager_police_a: User, as_user: SignIn
) -> None:
    client = as_user(manager_police_a)
    by_force = get(client, "referrals", group_by="force", **JAN_FEB).json()
    assert values(by_force) == {("2026-01-01", "10"): 16.0, ("2026-02-01", "10"): 4.0}
    assert by_force["points"][0]["group_name"] == "Northumbria Police"
    by_area = get(client, "referrals", group_by="cps_area", **JAN_FEB).json()
    assert values(by_area) == {
        ("2026-01-01", "north-east"): 6.0,
        ("2026-01-01", "cps-direct"): 10.0,
        ("2026-02-01", "north-east"): 4.0,
    }


def test_grouped_by_category_and_offence_group(referrals: None, manager_police_a: User, as_user: SignIn) -> None:
    client = as_user(manager_police_a)
    by_category = get(client, "referrals", group_by="category", **JAN_FEB).json()
    assert values(by_category) == {
        ("2026-01-01", "red"): 13.0,
        ("2026-01-01", "green"): 3.0,
        ("2026-02-01", "red"): 4.0,
    }
    assert {p["group"]: p["group_name"] for p in by_category["points"]}["red"] == "Red (custody, remand sought)"
    by_offence = get(client, "referrals", group_by="offence_group", **JAN_FEB).json()
    assert values(by_offence) == {
        ("2026-01-01", "gbh_abh"): 4.0,
        ("2026-01-01", "summary_only"): 10.0,
        ("2026-01-01", "either_way"): 2.0,
        ("2026-02-01", "gbh_abh"): 4.0,
    }


def test_filters_by_public_ids_and_codes(
    referrals: None, manager_police_a: User, force_a: Organisation, unit_a2: Unit, as_user: SignIn
) -> None:
    client = as_user(manager_police_a)
    both_months = {("2026-01-01", None): 16.0, ("2026-02-01", None): 4.0}
    assert values(get(client, "referrals", force="10", **JAN_FEB).json()) == both_months
    assert values(get(client, "referrals", force=str(force_a.public_id), **JAN_FEB).json()) == both_months
    by_unit = get(client, "referrals", unit=str(unit_a2.public_id), **JAN_FEB).json()
    assert values(by_unit) == {("2026-01-01", None): 2.0}
    assert by_unit["filters"] == {"unit": str(unit_a2.public_id)}
    north = {("2026-01-01", None): 6.0, ("2026-02-01", None): 4.0}
    assert values(get(client, "referrals", cps_area="north-east", **JAN_FEB).json()) == north
    assert values(get(client, "referrals", cps_area="cps-direct", **JAN_FEB).json()) == {("2026-01-01", None): 10.0}
    assert values(get(client, "referrals", category="green", **JAN_FEB).json()) == {("2026-01-01", None): 3.0}
    gbh_red = get(client, "referrals", offence_group="gbh_abh", category="red", **JAN_FEB).json()
    assert values(gbh_red) == {("2026-01-01", None): 3.0, ("2026-02-01", None): 4.0}


def test_cps_manager_sees_the_forces_their_area_serves(
    referrals: None, manager_cps_north: User, manager_cps_south: User, as_user: SignIn
) -> None:
    north = get(as_user(manager_cps_north), "referrals", **JAN_FEB).json()
    assert values(north) == {("2026-01-01", None): 16.0, ("2026-02-01", None): 4.0}
    south = get(as_user(manager_cps_south), "referrals", group_by="force", **JAN_FEB).json()
    assert values(south) == {("2026-02-01", "46"): 7.0}


def test_stock_metric_shows_each_periods_last_day(
    test_metrics: None, unit_a1: Unit, unit_a2: Unit, area_north: Organisation, manager_police_a: User, as_user: SignIn
) -> None:
    snap(STOCK, "2026-01-10", unit_a1, area_north, numerator=5)
    snap(STOCK, "2026-01-30", unit_a1, area_north, numerator=8)
    snap(STOCK, "2026-01-30", unit_a2, area_north, numerator=1)
    snap(STOCK, "2026-02-03", unit_a1, area_north, numerator=2)
    client = as_user(manager_police_a)
    body = get(client, STOCK, **JAN_FEB).json()
    # January's last day with figures is the 30th: 8 + 1 open then (not 5 + 8 + 1); February: the 3rd's 2.
    assert values(body) == {("2026-01-01", None): 9.0, ("2026-02-01", None): 2.0}
    assert (body["stock"], body["version"]) == (True, 3)
    by_unit = get(client, STOCK, group_by="unit", **JAN_FEB).json()
    assert values(by_unit) == {
        ("2026-01-01", str(unit_a1.public_id)): 8.0,
        ("2026-01-01", str(unit_a2.public_id)): 1.0,
        ("2026-02-01", str(unit_a1.public_id)): 2.0,
    }


def test_day_count_metric_merges_histograms_for_exact_median_and_p90(
    test_metrics: None,
    unit_a1: Unit,
    unit_a2: Unit,
    unit_b1: Unit,
    area_north: Organisation,
    area_south: Organisation,
    manager_police_a: User,
    as_user: SignIn,
) -> None:
    snap(DAYS, "2026-01-05", unit_a1, area_north, numerator=14, denominator=3, histogram=list(histogram_of([2, 2, 10])))
    snap(DAYS, "2026-01-20", unit_a2, area_north, numerator=33, denominator=2, histogram=list(histogram_of([3, 30])))
    # Force B's three same-day decisions would pull force A's median down to 2 if they leaked in.
    snap(DAYS, "2026-01-07", unit_b1, area_south, numerator=0, denominator=3, histogram=list(histogram_of([0, 0, 0])))
    client = as_user(manager_police_a)
    (january,) = get(client, DAYS, **JAN_FEB).json()["points"]
    # Decisions took 2, 2, 3, 10 and 30 days: mean 47 / 5, median the 3rd of 5 (3), p90 the 5th of 5 (30).
    assert (january["numerator"], january["denominator"], january["value"]) == (47.0, 5.0, 9.4)
    assert (january["median"], january["p90"]) == (3.0, 30.0)
    by_unit = {p["group"]: p for p in get(client, DAYS, group_by="unit", **JAN_FEB).json()["points"]}
    a1, a2 = by_unit[str(unit_a1.public_id)], by_unit[str(unit_a2.public_id)]
    # Unit a1: 2, 2, 10 (median 2, p90 10, mean 14/3); unit a2: 3, 30 (median 3, p90 30, mean 16.5).
    assert (a1["median"], a1["p90"], a1["value"]) == (2.0, 10.0, pytest.approx(14 / 3))
    assert (a2["median"], a2["p90"], a2["value"]) == (3.0, 30.0, 16.5)


def test_a_period_with_no_figures_has_no_points(referrals: None, manager_police_a: User, as_user: SignIn) -> None:
    body = get(as_user(manager_police_a), "referrals", start="2024-01-01", end="2024-12-31").json()
    assert body["points"] == []


# Bad input


def test_unknown_metric_is_404_in_the_error_shape(manager_police_a: User, as_user: SignIn) -> None:
    body = error(get(as_user(manager_police_a), "charge_velocity", **JAN_FEB), 404)
    assert body == {"status": 404, "code": "not_found", "message": UNKNOWN_METRIC.format(value="charge_velocity")}


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        (
            {"group_by": "colour"},
            "group_by",
            UNKNOWN_DIMENSION.format(value="colour", choices="force, unit, cps_area, offence_group, category"),
        ),
        ({"grain": "fortnight"}, "grain", UNKNOWN_GRAIN.format(value="fortnight")),
        ({"start": "2026-02-01", "end": "2026-01-31"}, "end", PERIOD_BACKWARDS),
        # 1 Jan 2025 to 2 Jan 2026: 365 + 2 days.
        (
            {"grain": "day", "start": "2025-01-01", "end": "2026-01-02"},
            "start",
            PERIOD_TOO_LONG.format(days=367, grain="day", max=366),
        ),
        # 1 Jan 2021 to 6 Jan 2026: 5 × 365 + 1 (2024) + 6 = 1832 days, more than five years of 366.
        (
            {"grain": "month", "start": "2021-01-01", "end": "2026-01-06"},
            "start",
            PERIOD_TOO_LONG.format(days=1832, grain="month", max=1830),
        ),
        ({"start": "2026-13-01"}, "start", MALFORMED_DATE.format(value="2026-13-01")),
        ({"start": "2026-02-30"}, "start", MALFORMED_DATE.format(value="2026-02-30")),
        ({"end": "yesterday"}, "end", MALFORMED_DATE.format(value="yesterday")),
        ({"end": "01/02/2026"}, "end", MALFORMED_DATE.format(value="01/02/2026")),
        ({"force": "99"}, "force", UNKNOWN_FORCE.format(value="99")),
        ({"force": "north-east"}, "force", UNKNOWN_FORCE.format(value="north-east")),
        ({"unit": "AA"}, "unit", UNKNOWN_UNIT.format(value="AA")),
        (
            {"unit": "00000000-0000-0000-0000-000000000000"},
            "unit",
            UNKNOWN_UNIT.format(value="00000000-0000-0000-0000-000000000000"),
        ),
        ({"cps_area": "10"}, "cps_area", UNKNOWN_CPS_AREA.format(value="10")),
        (
            {"category": "purple"},
            "category",
            UNKNOWN_CATEGORY_VALUE.format(
                value="purple",
                kind="charging category",
                name=REGISTRY["referrals"].name,
                choices="red, green, green_priority",
            ),
        ),
    ],
)
def test_bad_input_is_refused_with_the_precise_message_on_its_field(
    params: dict[str, str], field: str, message: str, referrals: None, manager_police_a: User, as_user: SignIn
) -> None:
    query = {**JAN_FEB, **params}
    assert field_errors(get(as_user(manager_police_a), "referrals", **query)) == {field: [message]}


def test_a_year_of_days_is_not_too_long(referrals: None, manager_police_a: User, as_user: SignIn) -> None:
    # 2 Jan 2025 to 2 Jan 2026: 366 days, the most daily figures one query may cover.
    response = get(as_user(manager_police_a), "referrals", grain="day", start="2025-01-02", end="2026-01-02")
    assert response.status_code == 200
    assert values(response.json()) == {("2025-12-31", None): 5.0}


# Outsiders


def test_manager_of_another_force_is_refused_that_force_and_sees_only_their_own(
    referrals: None, manager_police_b: User, force_a: Organisation, as_user: SignIn
) -> None:
    client = as_user(manager_police_b)
    for force in ("10", str(force_a.public_id)):
        body = error(get(client, "referrals", force=force, **JAN_FEB), 403)
        assert body == {"status": 403, "code": "permission_denied", "message": FORCE_OUT_OF_SCOPE}
    assert values(get(client, "referrals", **JAN_FEB).json()) == {("2026-02-01", None): 7.0}


def test_a_unit_of_a_force_outside_scope_is_refused(
    referrals: None, manager_police_b: User, unit_a1: Unit, as_user: SignIn
) -> None:
    body = error(get(as_user(manager_police_b), "referrals", unit=str(unit_a1.public_id), **JAN_FEB), 403)
    assert body["message"] == UNIT_OUT_OF_SCOPE


def test_cps_manager_of_another_area_is_refused_its_forces(
    referrals: None, manager_cps_south: User, as_user: SignIn
) -> None:
    body = error(get(as_user(manager_cps_south), "referrals", force="10", **JAN_FEB), 403)
    assert body["message"] == FORCE_OUT_OF_SCOPE


@pytest.mark.parametrize("persona", ["officer_a", "supervisor_a", "lawyer_north", "admin_user"])
def test_people_without_organisation_wide_figures_are_refused(
    persona: str, referrals: None, as_user: SignIn, request: pytest.FixtureRequest
) -> None:
    user: User = request.getfixturevalue(persona)
    body = error(get(as_user(user), "referrals", **JAN_FEB), 403)
    assert body == {"status": 403, "code": "permission_denied", "message": NO_SCOPE}
    assert "16" not in str(body)


def test_signed_out_callers_get_401(referrals: None, client: Client) -> None:
    body = error(get(client, "referrals", **JAN_FEB), 401)
    assert body["code"] == "not_authenticated"
