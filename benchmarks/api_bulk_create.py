"""Benchmark: creating cases through the API, cases per second (issue 8: "API bulk creation of cases per second").

    . scripts/test-env.sh && .venv/bin/python -m benchmarks.api_bulk_create                 # 1,000 cases each way
    . scripts/test-env.sh && .venv/bin/python -m benchmarks.api_bulk_create --quick         # 100

Runs in its own database (``<DATABASE_URL's name>_bench_api_bulk_create``, created and migrated here, dropped at
the end unless ``--keep``), never the development or test one, over the national reference data loaded by
``manage.py load_reference_data`` when ``--reference-data`` is given (a few forces otherwise: creation reads one).

What is measured, in the same run, one case at a time as an integration sends them:
- baseline: ``casework.services.case_create`` called directly, as the API view calls it (validation of the URN
  against the force's units, the case row with its search columns, the audit event, the case-changed hooks):
  cases per second;
- the API, throttle-free: ``POST /api/v1/cases/`` with ``Authorization: Bearer <token>`` (a token issued by
  ``accounts.services.api_token_issue``, as ``manage.py issue_api_token`` does), through the whole middleware
  stack with ``django.test.Client`` (in process: no network, so the difference from the baseline is what the
  API itself adds: authentication, parsing, validation, the response), with the rate throttle taken off the
  view: what the server can take, from one token or many; every response must be 201.
The ratio API / service is the API's overhead. Each figure comes with the queries one case costs (counted, so
not moved by other work on the machine) and the CPU time of this process per case (the application's side;
PostgreSQL's is in its own processes). There is no target number in the issue; the figures are recorded.

What one user can do: an integration's token is held to ``API_THROTTLE_USER`` (600 a minute by default: at most
that many requests in any minute), which protects the service and stays on. So one token creates at most 10
cases a second, sustained, however fast the server is: the first minute's 600 as fast as the server takes them,
then 600 a minute. The benchmark reports that rate (from the setting, as production reads it, and the
throttle-free rate), the time one token would take for this run's cases, and how many tokens (users) a bulk
load needs to reach the throttle-free rate. A bulk load needs a higher rate for its token's user, or several.
Each case gets a URN of its own (force 10, unit AA or BB, a serial per case), half with an officer in case named
by public id and a summary, as an integration would send them.
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any
from unittest import mock

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from rest_framework.throttling import SimpleRateThrottle  # noqa: E402

from accounts.choices import OrganisationKind, Role  # noqa: E402
from accounts.models import Organisation, Unit, User  # noqa: E402
from accounts.services import api_token_issue  # noqa: E402
from benchmarks._results import record  # noqa: E402
from casework.api.cases import CaseListApi  # noqa: E402
from casework.models import Case  # noqa: E402
from casework.services import CaseDetails, case_create  # noqa: E402
from config.settings import base as production_settings  # noqa: E402

UNUSABLE = "!"  # an unusable password hash: nobody signs in as benchmark staff
DEFAULT_CASES = 1000
QUICK_CASES = 100


def make_staff() -> tuple[User, User]:
    """The integration's user (a police investigator of force 10, whose token creates the cases) and an officer
    named as officer in case."""
    force = Organisation.objects.filter(kind=OrganisationKind.POLICE_FORCE, code="10").first()
    if force is None:
        area = Organisation.objects.create(kind=OrganisationKind.CPS_AREA, code="bench-area", name="CPS Bench")
        force = Organisation.objects.create(
            kind=OrganisationKind.POLICE_FORCE, code="10", name="Bench Constabulary", served_by=area
        )
    for code in ("AA", "BB"):
        Unit.objects.get_or_create(organisation=force, code=code, defaults={"name": f"Unit {code}"})
    unit = Unit.objects.get(organisation=force, code="AA")
    integration = User.objects.create(
        username="bench-integration", organisation=force, unit=unit, roles=[Role.POLICE_INVESTIGATOR], password=UNUSABLE
    )
    officer = User.objects.create(
        username="bench-oic", organisation=force, unit=unit, roles=[Role.POLICE_INVESTIGATOR], password=UNUSABLE
    )
    return integration, officer


def payload(serial: int, officer: User) -> dict[str, Any]:
    body: dict[str, Any] = {"urn": f"10/{'AB'[serial % 2] * 2}/{serial:07d}/26"}
    if serial % 2:
        body["summary"] = "Theft of a bicycle from outside the station, reported by the owner."
        body["officer_in_case"] = str(officer.public_id)
    return body


def timed_each(fn: Callable[[int], None], items: range) -> tuple[list[float], float]:
    """Each call's wall time, and the CPU time of this process over them all."""
    times = []
    cpu_start = time.process_time()
    for item in items:
        start = time.perf_counter()
        fn(item)
        times.append(time.perf_counter() - start)
    return times, time.process_time() - cpu_start


def summary(times: list[float], cpu: float) -> dict[str, float]:
    ordered = sorted(times)
    return {
        "per_s": round(len(times) / sum(times), 1),
        "median_ms": round(statistics.median(ordered) * 1000, 2),
        "p95_ms": round(ordered[int(0.95 * (len(ordered) - 1))] * 1000, 2),
        "cpu_ms_per_case": round(cpu / len(times) * 1000, 2),
    }


def queries_of(fn: Callable[[int], None], serial: int) -> int:
    """The queries one case costs, those run on commit included (outside a test, they run as it commits)."""
    with CaptureQueriesContext(connection) as queries:
        fn(serial)
    return len(queries)


def one_user(throttle_free_per_s: float, n: int) -> dict[str, Any]:
    """What one token can do under the production throttle (``API_THROTTLE_USER``, read as production reads it):
    its sustained rate, the time it takes for ``n`` cases (each window's allowance as fast as the server takes
    it, then a wait for the window to move on) and the tokens a load needs to reach the throttle-free rate."""
    rate = str(production_settings.env("API_THROTTLE_USER"))

    class ProductionUserRate(SimpleRateThrottle):
        pass

    ProductionUserRate.rate = rate
    # Read as DRF reads it: "600/minute" is 600 requests in any 60 seconds.
    allowed, window = ProductionUserRate().parse_rate(rate)
    if not allowed or not window:
        return {"throttle": "none", "sustained_per_s": throttle_free_per_s}
    limit = allowed / window
    full_windows, rest = divmod(n, allowed)
    if rest == 0:
        full_windows, rest = full_windows - 1, allowed
    seconds = full_windows * max(window, allowed / throttle_free_per_s) + rest / throttle_free_per_s
    return {
        "throttle": rate,
        "sustained_per_s": round(min(limit, throttle_free_per_s), 1),
        "seconds_for_this_run": round(seconds, 1),
        "per_s_for_this_run": round(n / seconds, 1),
        "tokens_to_reach_throttle_free_rate": math.ceil(throttle_free_per_s / limit),
    }


def run(n: int) -> dict[str, Any]:
    integration, officer = make_staff()
    _token, key = api_token_issue(user=integration, name="benchmark bulk load")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
    url = reverse("api:case-list")

    def by_service(serial: int) -> None:
        body = payload(serial, officer)
        details = CaseDetails(
            summary=body.get("summary", ""), officer_in_case=officer if "officer_in_case" in body else None
        )
        case_create(urn=body["urn"], details=details, by=integration)

    def by_api(serial: int) -> None:
        response = client.post(url, payload(serial, officer), content_type="application/json")
        if response.status_code != 201:
            raise RuntimeError(f"POST {url} answered {response.status_code}: {response.content[:500]!r}")

    # The throttle comes off the view for the API figures: they are what the server takes, not what one token
    # is allowed (``one_user``).
    with mock.patch.object(CaseListApi, "throttle_classes", []):
        # One warm-up each (first-use imports and caches, the token's first-use stamp), outside the figures.
        by_service(9_000_000)
        by_api(9_000_001)
        service, service_cpu = timed_each(by_service, range(1, n + 1))
        api, api_cpu = timed_each(by_api, range(1_000_001, 1_000_001 + n))
        # A case with an officer in case and a summary (an odd serial), as half of those above.
        service_queries = queries_of(by_service, 9_000_003)
        api_queries = queries_of(by_api, 9_000_005)
    created = Case.objects.filter(force=integration.organisation).count()
    assert created == 2 * n + 4, f"{created} cases created, expected {2 * n + 4}"
    s, a = summary(service, service_cpu), summary(api, api_cpu)
    s["queries_per_case"], a["queries_per_case"] = service_queries, api_queries
    ratio = round(sum(api) / sum(service), 2)
    user = one_user(a["per_s"], n)
    print(f"cases:                     {n:,} each way, one request at a time")

    def line(label: str, f: dict[str, float]) -> str:
        return (
            f"{label:<27}{f['per_s']:7,.0f} cases/s  median {f['median_ms']:6.2f} ms  p95 {f['p95_ms']:6.2f} ms"
            f"  {f['queries_per_case']:3.0f} queries  CPU {f['cpu_ms_per_case']:6.2f} ms/case"
        )

    print(line("baseline: case_create", s))
    print(line("API: POST /api/v1/cases/", a) + f"  {ratio:.2f}x the service (throttle-free)")
    if "seconds_for_this_run" in user:
        print(
            f"one token at {user['throttle']}:  {user['sustained_per_s']:,.1f} cases/s sustained; {n:,} cases in "
            f"{user['seconds_for_this_run']:,.1f} s ({user['per_s_for_this_run']:,.1f}/s); "
            f"tokens to reach the throttle-free rate: {user['tokens_to_reach_throttle_free_rate']}"
        )
    return {"cases_each_way": n, "service": s, "api": a, "api_to_service_ratio": ratio, "one_user": user}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--cases", type=int, default=None, help=f"cases created each way (default {DEFAULT_CASES:,})")
    parser.add_argument("--quick", action="store_true", help=f"a quick run: {QUICK_CASES} cases each way")
    parser.add_argument("--reference-data", action="store_true", help="load the national reference data first")
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database afterwards")
    parser.add_argument("--no-record", action="store_true", help="do not write benchmarks/results/")
    args = parser.parse_args(argv)
    n = args.cases or (QUICK_CASES if args.quick else DEFAULT_CASES)

    db = connection.settings_dict
    original_name = db["NAME"]
    db["TEST"] = {**db.get("TEST", {}), "NAME": f"{db['NAME']}_bench_api_bulk_create"}
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False, keepdb=False)
    print(f"API bulk creation benchmark: database {connection.settings_dict['NAME']}, {os.cpu_count()} CPUs")
    try:
        if args.reference_data:
            call_command("load_reference_data", verbosity=0)
        figures = run(n)
        if not args.no_record:
            targets = {"api_per_s": "recorded (no target in issue 8)", "one_user": "held to API_THROTTLE_USER"}
            record("api_bulk_create", figures, targets)
    finally:
        if not args.keep:
            connection.creation.destroy_test_db(original_name, verbosity=0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
