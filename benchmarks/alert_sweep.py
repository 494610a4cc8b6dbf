"""Benchmark: the alert sweep (``alerts.services.sweep_alerts``) over 100k and 1M open cases.

    . scripts/test-env.sh && .venv/bin/python -m benchmarks.alert_sweep              # 100k, then 1M
    . scripts/test-env.sh && .venv/bin/python -m benchmarks.alert_sweep --cases 100000

Runs in its own database (``<DATABASE_URL's name>_bench_alert_sweep``, created and migrated here, dropped at
the end unless ``--keep``), never the development or test one. For each size it generates the data in SQL
(``INSERT ... SELECT generate_series``, no ORM per row): N open cases in 10 forces of 4 units each, every case
with two open deadlines of a realistic mix (time limits, bail, custody time limits, PACE, charging, action
plans, victim updates), and makes ``--due-fraction`` of the deadlines due now (default 5%: about a day and a
half of thresholds, what the sweep finds after a long outage, far more than the few it finds every two
minutes). Custody time limit and charging cases have an allocated lawyer.

Figures, all measured in the same run on the same data:
- baseline: ``SELECT count(*)`` of the due deadlines (the index scan any sweep must at least do), and
  fetching their rows in sweep order;
- sweep: the full sweep (alerts, outbox rows, cursors advanced, committed batch by batch), with the ratio to
  the baseline;
- idle sweep: the sweep run again at once (nothing due), as every beat run after it sees.

Target (issue 6): the sweep under 60 seconds for 1M open cases on this machine's two cores.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, models  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.choices import OrganisationKind, Role  # noqa: E402
from accounts.models import Organisation, Unit, User  # noqa: E402
from alerts.models import Alert, AlertDelivery  # noqa: E402
from alerts.services import sweep_alerts  # noqa: E402
from benchmarks._results import record  # noqa: E402
from casework.choices import STATUTORY_DEADLINES, DeadlineKind  # noqa: E402
from casework.deadlines.holidays import load_public_holidays  # noqa: E402
from casework.deadlines.rules import ScheduleKind, schedule_for  # noqa: E402
from casework.models import Case, Deadline  # noqa: E402
from charging.models import ChargingRequest  # noqa: E402
from config.celery import app  # noqa: E402

UNUSABLE = "!"  # an unusable password hash: nobody signs in as benchmark staff

FORCES = 10
UNITS_PER_FORCE = 4
OFFICERS_PER_UNIT = 10
LAWYERS = 60
DEADLINES_PER_CASE = 2
TARGET_SECONDS_1M = 60.0

# The mix of deadline kinds (one is picked per deadline, round robin over case and slot).
KINDS = (
    DeadlineKind.SUMMARY_TIME_LIMIT,
    DeadlineKind.PRE_CHARGE_BAIL,
    DeadlineKind.CUSTODY_TIME_LIMIT,
    DeadlineKind.PACE_DETENTION,
    DeadlineKind.ACTION_PLAN_ITEM,
    DeadlineKind.VICTIM_UPDATE,
    DeadlineKind.CHARGING_DECISION,
    DeadlineKind.FIRST_HEARING_FILE,
)
LAWYER_KINDS = (DeadlineKind.CUSTODY_TIME_LIMIT, DeadlineKind.CHARGING_DECISION)


def _literal(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, (list, dict)):
        return "'" + json.dumps(value).replace("'", "''") + "'"
    return "'" + str(value).replace("'", "''") + "'"


def _insert_select(model: type[models.Model], given: dict[str, str], source: str, params: list[Any]) -> int:
    """``INSERT INTO <model> (...) SELECT ... <source>``: the columns in ``given`` from SQL expressions, every
    other NOT NULL column from the model's default (so the benchmark follows schema changes)."""
    columns: dict[str, str] = {}
    for field in model._meta.concrete_fields:
        if field.primary_key or getattr(field, "generated", False):
            continue
        column = field.column
        if column in given:
            columns[column] = given[column]
        elif isinstance(field, models.UUIDField) and field.has_default():
            columns[column] = "gen_random_uuid()"
        elif getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            columns[column] = "now()"
        elif field.null:
            continue
        elif field.has_default():
            default = field.get_default()
            if isinstance(field, models.JSONField):
                columns[column] = _literal(default) + "::jsonb"
            elif isinstance(default, list):
                columns[column] = "'{}'"
            else:
                columns[column] = _literal(default)
        elif isinstance(field, (models.CharField, models.TextField)):
            columns[column] = "''"
        else:
            raise RuntimeError(f"No value for {model.__name__}.{field.name}")
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    sql = f"INSERT INTO {model._meta.db_table} ({names}) SELECT {', '.join(columns.values())} {source}"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return int(cursor.rowcount)


@dataclass
class Staff:
    units: list[tuple[int, int, int, list[int]]]  # (unit, force, supervisor, officers)
    area_id: int
    lawyers: list[int]


def make_staff() -> Staff:
    area = Organisation.objects.create(kind=OrganisationKind.CPS_AREA, code="bench-area", name="CPS Bench")
    units: list[tuple[int, int, int, list[int]]] = []
    users: list[User] = []
    for f in range(FORCES):
        force = Organisation.objects.create(
            kind=OrganisationKind.POLICE_FORCE, code=f"{f + 1:02d}", name=f"Bench force {f + 1}", served_by=area
        )
        users.append(User(username=f"mgr{f}", organisation=force, roles=[Role.POLICE_MANAGER], password=UNUSABLE))
        for u in range(UNITS_PER_FORCE):
            unit = Unit.objects.create(organisation=force, code=f"{chr(65 + u)}A", name=f"Unit {u}")
            users.append(
                User(
                    username=f"sup{f}-{u}",
                    organisation=force,
                    unit=unit,
                    roles=[Role.POLICE_SUPERVISOR],
                    password=UNUSABLE,
                )
            )
            users.extend(
                User(
                    username=f"oic{f}-{u}-{o}",
                    organisation=force,
                    unit=unit,
                    roles=[Role.POLICE_INVESTIGATOR],
                    password=UNUSABLE,
                )
                for o in range(OFFICERS_PER_UNIT)
            )
            units.append((unit.pk, force.pk, 0, []))
    users.extend(
        User(username=f"lawyer{n}", organisation=area, roles=[Role.CPS_LAWYER], password=UNUSABLE)
        for n in range(LAWYERS)
    )
    users.extend(
        User(username=f"legal{n}", organisation=area, roles=[Role.CPS_LEGAL_MANAGER], password=UNUSABLE)
        for n in range(2)
    )
    User.objects.bulk_create(users)
    by_unit: dict[int, list[User]] = {}
    for user in User.objects.filter(unit__isnull=False):
        by_unit.setdefault(user.unit_id or 0, []).append(user)
    filled = []
    for unit_id, force_id, _sup, _officers in units:
        people = by_unit[unit_id]
        supervisor = next(p.pk for p in people if Role.POLICE_SUPERVISOR in p.roles)
        officers = [p.pk for p in people if Role.POLICE_INVESTIGATOR in p.roles]
        filled.append((unit_id, force_id, supervisor, officers))
    lawyers = list(User.objects.filter(roles__contains=[Role.CPS_LAWYER]).values_list("pk", flat=True))
    return Staff(units=filled, area_id=area.pk, lawyers=lawyers)


def generate(n_cases: int, due_fraction: float, now: datetime, staff: Staff) -> dict[str, int]:
    """Cases, deadlines and charging requests for ``n_cases`` open cases, in SQL."""
    with connection.cursor() as cursor:
        # Bulk load: no row-history triggers (pghistory) and no per-row foreign-key checks while loading.
        cursor.execute("SET session_replication_role = replica")
        cursor.execute("DROP TABLE IF EXISTS bench_unit")
        cursor.execute(
            "CREATE TEMP TABLE bench_unit (n int PRIMARY KEY, unit_id bigint, force_id bigint, supervisor_id bigint,"
            " officers bigint[])"
        )
        for n, (unit_id, force_id, supervisor, officers) in enumerate(staff.units):
            cursor.execute(
                "INSERT INTO bench_unit VALUES (%s, %s, %s, %s, %s)", [n, unit_id, force_id, supervisor, officers]
            )
    counts: dict[str, int] = {}
    counts["cases"] = _insert_select(
        Case,
        {
            "urn": "'BN' || lpad(g::text, 9, '0') || '26'",
            "force_id": "u.force_id",
            "unit_id": "u.unit_id",
            "cps_area_id": "%s",
            "officer_in_case_id": f"u.officers[1 + mod(g / {len(staff.units)}, array_length(u.officers, 1))]",
            "supervisor_id": "u.supervisor_id",
            "status": "'investigation'",
            "summary": "'Benchmark case'",
        },
        f"FROM generate_series(1, %s) AS g JOIN bench_unit u ON u.n = mod(g, {len(staff.units)})",
        [staff.area_id, n_cases],
    )
    kinds = "ARRAY[" + ", ".join(_literal(str(k)) for k in KINDS) + "]::text[]"
    statutory = "ARRAY[" + ", ".join(_literal(str(k)) for k in STATUTORY_DEADLINES) + "]::text[]"
    overdue_only = "ARRAY[" + ", ".join(_literal(str(k)) for k in KINDS if schedule_for(k) == ScheduleKind.DUE) + "]"
    # Per deadline: r decides whether it is due; when due, its limit is close enough for a threshold to have
    # been reached (PACE within 2 hours; kinds alerted only when overdue, up to a day overdue; the rest from a
    # day overdue to 6 days ahead); otherwise its next alert point is between an hour and 40 days away.
    counts["deadlines"] = _insert_select(
        Deadline,
        {
            "case_id": "x.case_id",
            "kind": "x.kind",
            "subject_key": "x.slot::text",
            "label": "'Benchmark deadline'",
            "rule": "'benchmark'",
            "statutory": f"x.kind = ANY({statutory})",
            "status": "'open'",
            "due_at": (
                "CASE WHEN x.due THEN CASE WHEN x.kind = 'pace_detention' THEN %s + random() * interval '100 minutes'"
                f" WHEN x.kind = ANY({overdue_only}) THEN %s - random() * interval '1 day'"
                " ELSE %s + (random() * 7 - 1) * interval '1 day' END"
                " ELSE %s + interval '1 hour' + random() * interval '40 days' + interval '7 days' END"
            ),
            "next_alert_at": (
                "CASE WHEN x.due THEN %s - random() * interval '10 minutes'"
                " ELSE %s + interval '1 hour' + random() * interval '40 days' END"
            ),
        },
        # random() in the subquery's select list: evaluated per row (a volatile subquery is not flattened).
        f"FROM (SELECT c.id AS case_id, slot, ({kinds})[1 + mod(c.id + slot * 3, {len(KINDS)})] AS kind,"  # noqa: S608
        f" random() < %s AS due FROM {Case._meta.db_table} c"
        f" CROSS JOIN generate_series(1, {DEADLINES_PER_CASE}) AS slot) x",
        [now, now, now, now, now, now, due_fraction],
    )
    lawyer_kinds = ", ".join(_literal(str(k)) for k in LAWYER_KINDS)
    creator = staff.units[0][2]
    counts["charging requests"] = _insert_select(
        ChargingRequest,
        {
            "case_id": "x.case_id",
            "status": "'allocated'",
            "cps_area_id": "%s",
            "allocated_lawyer_id": f"(%s::bigint[])[1 + mod(x.case_id, {len(staff.lawyers)})]",
            "created_by_id": "%s",
        },
        f"FROM (SELECT DISTINCT case_id FROM {Deadline._meta.db_table} WHERE kind IN ({lawyer_kinds})) x",  # noqa: S608
        [staff.area_id, staff.lawyers, creator],
    )
    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = origin")
        cursor.execute("DROP TABLE bench_unit")
        for model in (Case, Deadline, ChargingRequest, User):
            cursor.execute(f"VACUUM ANALYZE {model._meta.db_table}")
    return counts


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def count_due(now: datetime) -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*) FROM {Deadline._meta.db_table} WHERE status = 'open' AND next_alert_at <= %s",  # noqa: S608
            [now],
        )
        return int(cursor.fetchone()[0])


def fetch_due(now: datetime) -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, case_id, kind, due_at, statutory FROM {Deadline._meta.db_table}"  # noqa: S608
            " WHERE status = 'open' AND next_alert_at <= %s ORDER BY next_alert_at, id",
            [now],
        )
        return len(cursor.fetchall())


def truncate() -> None:
    tables = [m._meta.db_table for m in (AlertDelivery, Alert, ChargingRequest, Deadline)]
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {', '.join(tables)} CASCADE")
        cursor.execute(f"TRUNCATE {Case._meta.db_table} CASCADE")


def run(n_cases: int, due_fraction: float, staff: Staff) -> dict[str, float]:
    truncate()
    now = timezone.now()
    print(f"\n== {n_cases:,} open cases ({DEADLINES_PER_CASE} deadlines each, {due_fraction:.0%} due)")
    generation, counts = timed(lambda: generate(n_cases, due_fraction, now, staff))
    print(f"generated in {generation:.1f} s: " + ", ".join(f"{v:,} {k}" for k, v in counts.items()))
    base_count, due = timed(lambda: count_due(now))
    base_fetch, _rows = timed(lambda: fetch_due(now))
    sweep, created = timed(lambda: sweep_alerts(now=now))
    idle, again = timed(lambda: sweep_alerts(now=now))
    left = count_due(now)
    deliveries = AlertDelivery.objects.count()
    assert left == 0, f"{left} deadlines still due after the sweep"
    assert again == 0, "the second sweep raised alerts"
    assert deliveries == created
    print(f"due deadlines:                  {due:,}")
    print(f"baseline: count due rows        {base_count * 1000:9.1f} ms")
    print(f"baseline: fetch due rows        {base_fetch * 1000:9.1f} ms")
    print(
        f"sweep:                          {sweep * 1000:9.1f} ms  ({created:,} alerts and outbox rows, "
        f"{due / sweep:,.0f} deadlines/s; {sweep / base_count:,.0f}x count, {sweep / base_fetch:,.0f}x fetch)"
    )
    print(f"idle sweep (nothing due):       {idle * 1000:9.1f} ms  ({idle / base_count:,.1f}x count)")
    return {"cases": n_cases, "due": due, "sweep": sweep, "idle": idle, "count": base_count}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--cases", type=int, nargs="+", default=None, help="open cases (default 100,000 then 1M)")
    parser.add_argument("--quick", action="store_true", help="a quick run: 20,000 open cases")
    parser.add_argument("--due-fraction", type=float, default=0.05)
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database afterwards")
    parser.add_argument("--no-record", action="store_true", help="do not write benchmarks/results/")
    args = parser.parse_args(argv)
    args.cases = args.cases or ([20_000] if args.quick else [100_000, 1_000_000])

    # Urgent alerts are handed to Celery after each batch: keep those messages in this process, until the end of this
    # benchmark only (``make bench`` runs the next ones in this process: quality_checks sends its tasks to a worker).
    broker_url = app.conf.broker_url
    app.conf.broker_url = "memory://localhost/"
    db = connection.settings_dict
    original_name = db["NAME"]
    db["TEST"] = {**db.get("TEST", {}), "NAME": f"{db['NAME']}_bench_alert_sweep"}
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False, keepdb=False)
    print(
        f"alert sweep benchmark: database {connection.settings_dict['NAME']}, batch {settings.ALERT_SWEEP_BATCH}, "
        f"{os.cpu_count()} CPUs"
    )
    failed = False
    try:
        load_public_holidays()
        staff = make_staff()
        results = [run(n, args.due_fraction, staff) for n in args.cases]
        print("\n== summary")
        for r in results:
            verdict = ""
            if r["cases"] >= 1_000_000:
                ok = r["sweep"] < TARGET_SECONDS_1M
                failed |= not ok
                verdict = f"  target < {TARGET_SECONDS_1M:.0f} s: {'met' if ok else 'MISSED'}"
            print(
                f"{int(r['cases']):>10,} cases: sweep {r['sweep']:6.1f} s for {int(r['due']):,} due, "
                f"idle {r['idle'] * 1000:.0f} ms{verdict}"
            )
        if not args.no_record:
            record(
                "alert_sweep",
                {"runs": results, "batch": settings.ALERT_SWEEP_BATCH},
                {"sweep_s_at_1M": f"< {TARGET_SECONDS_1M:.0f}"},
            )
    finally:
        if not args.keep:
            connection.creation.destroy_test_db(original_name, verbosity=0)
        app.conf.broker_url = broker_url
        if app._pool is not None:  # the producers' connections, made to the in-memory broker
            app._pool.force_close_all()
            app._pool = None
        app.amqp._producer_pool = None
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
