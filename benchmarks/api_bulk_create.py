"""Benchmark: creating cases through the API, cases per second (issue 8: "API bulk creation of cases per second").

    . scripts/test-env.sh && .venv/bin/python -m benchmarks.api_bulk_create                 # 1,000 cases each way
    . scripts/test-env.sh && .venv/bin/python -m benchmarks.api_bulk_create --quick         # 100

Runs in its own database (``<DATABASE_URL's name>_bench_api_bulk_create``, created and migrated here, dropped at
the end unless ``--keep``), never the development or test one, over the national reference data loaded by
``manage.py load_reference_data`` when ``--reference-data`` is given (a few forces otherwise: creation reads one).

What is measured, in the same run, one case at a time as an integration sends them:
- baseline: ``casework.services.case_create`` called directly, as the API view calls it (validation of the URN
  against the force's units, the case row, its search columns, the audit event): cases per second;
- the API: ``POST /api/v1/cases/`` with ``Authorization: Bearer <token>`` (a token issued by
  ``accounts.services.api_token_issue``, as ``manage.py issue_api_token`` does), through the whole middleware
  stack with ``django.test.Client`` (in process: no network, so the difference from the baseline is what the
  API itself adds: authentication, throttling, parsing, validation, the response); every response must be 201.
The ratio API / service is the API's overhead. There is no target number in the issue; the figure is recorded.
Each case gets a URN of its own (force 10, unit AA or BB, a serial per case), half with an officer in case named
by public id and a summary, as an integration would send them.

An integration is held to ``API_THROTTLE_USER`` (600 a minute by default, 10 a second): a bulk load needs a
higher rate for its token's user, or several users. The test settings used here allow 10,000 a minute.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from typing import Any

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from accounts.choices import OrganisationKind, Role  # noqa: E402
from accounts.models import Organisation, Unit, User  # noqa: E402
from accounts.services import api_token_issue  # noqa: E402
from benchmarks._results import record  # noqa: E402
from casework.models import Case  # noqa: E402
from casework.services import CaseDetails, case_create  # noqa: E402

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


def timed_each(fn: Any, items: range) -> list[float]:
    times = []
    for item in items:
        start = time.perf_counter()
        fn(item)
        times.append(time.perf_counter() - start)
    return times


def summary(times: list[float]) -> dict[str, float]:
    ordered = sorted(times)
    return {
        "per_s": round(len(times) / sum(times), 1),
        "median_ms": round(statistics.median(ordered) * 1000, 2),
        "p95_ms": round(ordered[int(0.95 * (len(ordered) - 1))] * 1000, 2),
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

    # One warm-up each (first-use imports and caches), outside the figures.
    by_service(9_000_000)
    by_api(9_000_001)
    service = timed_each(by_service, range(1, n + 1))
    api = timed_each(by_api, range(1_000_001, 1_000_001 + n))
    created = Case.objects.filter(force=integration.organisation).count()
    assert created == 2 * n + 2, f"{created} cases created, expected {2 * n + 2}"
    s, a = summary(service), summary(api)
    ratio = round(sum(api) / sum(service), 2)
    print(f"cases:                     {n:,} each way, one request at a time")

    def line(label: str, f: dict[str, float]) -> str:
        return f"{label:<27}{f['per_s']:7,.0f} cases/s  median {f['median_ms']:6.2f} ms  p95 {f['p95_ms']:6.2f} ms"

    print(line("baseline: case_create", s))
    print(line("API: POST /api/v1/cases/", a) + f"  {ratio:.2f}x the service")
    return {"cases_each_way": n, "service": s, "api": a, "api_to_service_ratio": ratio}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--cases", type=int, default=None, help=f"cases created each way (default {DEFAULT_CASES:,})")
    parser.add_argument("--quick", action="store_true", help=f"a quick run: {QUICK_CASES} cases each way")
    parser.add_argument("--reference-data", action="store_true", help="load the national reference data first")
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database afterwards")
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
        record("api_bulk_create", figures, {"api_per_s": "recorded (no target in issue 8)"})
    finally:
        if not args.keep:
            connection.creation.destroy_test_db(original_name, verbosity=0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
