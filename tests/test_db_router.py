"""The read replica for the dashboards (config/db_router.py): metric snapshot reads go to it when it is
configured, writes never do, and a read inside a transaction stays with the transaction on the primary.

The replica here is a second alias pointing at the test database on its own connection, as
``DATABASE_REPLICA_URL`` adds one: what a streaming replica is, less the lag. Tests that look at which
connection ran a query commit their rows first (``transaction=True``), as a replica only ever sees committed rows.
"""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import date

import pytest
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, router, transaction
from django.test.utils import CaptureQueriesContext

from accounts.models import Organisation, User
from casework.models import Case
from config.db_router import REPLICA, connection_for_read
from metrics.models import BuiltDay, DirtyDay, MetricRollup, MetricSnapshot
from metrics.selectors import MetricQuery, metric_series
from tests.tasks.conftest import ROOT

DASHBOARD_TABLES = tuple(m._meta.db_table for m in (MetricSnapshot, MetricRollup, BuiltDay))


@pytest.fixture(scope="module")
def replica(django_db_setup: None) -> Iterator[str]:
    """The alias for the module, added once the test database exists (its settings name the test database);
    Django lets a test use only the aliases it declares (``WITH_REPLICA``), and they must exist by then."""
    entry = copy.deepcopy(connections[DEFAULT_DB_ALIAS].settings_dict)
    entry["TEST"] = {**entry.get("TEST", {}), "MIRROR": DEFAULT_DB_ALIAS}
    registries = [settings.DATABASES, connections.settings]
    for registry in registries:
        registry[REPLICA] = entry
    yield REPLICA
    connections[REPLICA].close()
    del connections[REPLICA]
    for registry in registries:
        registry.pop(REPLICA, None)


WITH_REPLICA = pytest.mark.django_db(transaction=True, databases=[DEFAULT_DB_ALIAS, REPLICA])


def snapshot(force: Organisation, *, day: date = date(2026, 3, 2), numerator: float = 3) -> MetricSnapshot:
    return MetricSnapshot.objects.create(metric="referrals", version=1, day=day, force=force, numerator=numerator)


def tables_read(queries: CaptureQueriesContext) -> set[str]:
    return {table for q in queries.captured_queries for table in DASHBOARD_TABLES if f'"{table}"' in q["sql"]}


@pytest.mark.django_db
def test_without_a_replica_everything_reads_and_writes_the_primary(
    force_a: Organisation, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delitem(settings.DATABASES, REPLICA, raising=False)  # as when DATABASE_REPLICA_URL is unset
    snapshot(force_a)
    assert MetricSnapshot.objects.all().db == DEFAULT_DB_ALIAS
    assert MetricSnapshot.objects.count() == 1


@WITH_REPLICA
def test_dashboard_reads_go_to_the_replica_and_find_the_committed_rows(replica: str, force_a: Organisation) -> None:
    row = snapshot(force_a)
    with (
        CaptureQueriesContext(connections[replica]) as on_replica,
        CaptureQueriesContext(connections["default"]) as on_primary,
    ):
        found = list(MetricSnapshot.objects.filter(metric="referrals", force=force_a))
        built = BuiltDay.objects.filter(metric="referrals").exists()
        rolled = MetricRollup.objects.filter(metric="referrals").exists()
    assert [r.pk for r in found] == [row.pk]
    assert found[0]._state.db == replica
    assert (built, rolled) == (False, False)
    assert len(on_replica) == 3
    assert len(on_primary) == 0


@WITH_REPLICA
def test_the_dashboard_selector_reads_the_metric_tables_only_from_the_replica(
    replica: str, manager_police_a: User
) -> None:
    query = MetricQuery(metric="referrals", start=date(2026, 1, 1), end=date(2026, 3, 31))
    with (
        CaptureQueriesContext(connections[replica]) as on_replica,
        CaptureQueriesContext(connections["default"]) as on_primary,
    ):
        metric_series(query, user=manager_police_a)
    assert tables_read(on_replica), "the selector read no metric table from the replica"
    assert tables_read(on_primary) == set(), [q["sql"] for q in on_primary.captured_queries]


@WITH_REPLICA
def test_writes_never_go_to_the_replica_even_for_a_row_read_from_it(replica: str, force_a: Organisation) -> None:
    snapshot(force_a)
    row = MetricSnapshot.objects.get(metric="referrals")
    assert row._state.db == replica
    row.numerator = 5
    with (
        CaptureQueriesContext(connections[replica]) as on_replica,
        CaptureQueriesContext(connections["default"]) as on_primary,
    ):
        row.save()
        MetricSnapshot.objects.filter(pk=row.pk).update(denominator=7)
        snapshot(force_a, day=date(2026, 3, 3))
        MetricSnapshot.objects.filter(day=date(2026, 3, 3)).delete()
    assert len(on_replica) == 0
    statements = [q["sql"].split()[0] for q in on_primary.captured_queries]
    assert [s for s in statements if s not in ("BEGIN", "COMMIT")] == ["UPDATE", "UPDATE", "INSERT", "DELETE"]
    with transaction.atomic():  # read on the primary, so the figure is what was just written
        assert MetricSnapshot.objects.values_list("numerator", "denominator").get(pk=row.pk) == (5, 7)


@WITH_REPLICA
def test_a_read_inside_a_transaction_sees_that_transactions_writes(replica: str, force_a: Organisation) -> None:
    """A snapshot build deletes and rewrites a day's rows in one transaction and reads them back: on the
    replica (another connection) it would not see its own uncommitted rows."""
    with transaction.atomic():
        row = snapshot(force_a)
        with CaptureQueriesContext(connections[replica]) as on_replica:
            assert MetricSnapshot.objects.filter(pk=row.pk).exists()
            assert MetricSnapshot.objects.all().db == DEFAULT_DB_ALIAS
    assert len(on_replica) == 0


@WITH_REPLICA
def test_raw_sql_over_a_dashboard_table_takes_the_replicas_connection(replica: str) -> None:
    assert connection_for_read(MetricSnapshot).alias == replica
    assert connection_for_read(Case).alias == DEFAULT_DB_ALIAS
    with transaction.atomic():
        assert connection_for_read(MetricSnapshot).alias == DEFAULT_DB_ALIAS


@WITH_REPLICA
def test_other_tables_are_read_from_the_primary(replica: str, force_a: Organisation) -> None:
    for model in (Case, DirtyDay, Organisation, User):
        assert router.db_for_read(model) == DEFAULT_DB_ALIAS, model
    assert router.db_for_read(MetricSnapshot) == replica


@WITH_REPLICA
def test_rows_from_the_replica_and_the_primary_may_point_at_each_other(replica: str, force_a: Organisation) -> None:
    row = MetricSnapshot.objects.get(pk=snapshot(force_a).pk)
    force = Organisation.objects.get(pk=force_a.pk)
    assert (row._state.db, force._state.db) == (replica, DEFAULT_DB_ALIAS)
    assert router.allow_relation(row, force)
    row.force = force  # Django refuses a cross-database relation the router does not allow
    row.save()


def test_the_replica_is_never_migrated(replica: str) -> None:
    assert router.allow_migrate(replica, "metrics", model_name="metricsnapshot") is False
    assert router.allow_migrate(DEFAULT_DB_ALIAS, "metrics", model_name="metricsnapshot") is True


def test_database_replica_url_adds_the_replica_alias() -> None:
    script = (
        "import json; from django.conf import settings; d = settings.DATABASES;"
        " print(json.dumps({a: [d[a]['HOST'], d[a]['NAME'], d[a].get('TEST', {}).get('MIRROR')] for a in d}))"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": "postgres://app@primary.internal:5432/casebridge",
        "DATABASE_REPLICA_URL": "postgres://reader@replica.internal:5432/casebridge",
    }
    out = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {script}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        check=True,
        text=True,
    ).stdout
    assert json.loads(out.strip().splitlines()[-1]) == {
        "default": ["primary.internal", "casebridge", None],
        "replica": ["replica.internal", "casebridge", "default"],
    }
