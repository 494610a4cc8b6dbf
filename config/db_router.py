"""Which database a query goes to: the primary, or the optional read replica for the dashboards.

With ``DATABASE_REPLICA_URL`` set (``DATABASES["replica"]``), reads of the metric snapshot tables go to the
replica, so dashboards and their API do not compete with case work for the primary. Everything else, and
every write, stays on the primary. A read made inside a transaction stays on the primary too: a transaction
that reads snapshots is a build deciding what to write (``metrics.compute``), and it must see its own writes
and the latest committed rows, not a replica that may be a few seconds behind. A dashboard read is not in a
transaction (``ATOMIC_REQUESTS`` is off), so it goes to the replica; its figures are at most the replication
lag older, well within the two minutes between snapshot builds.

Raw SQL does not pass through a router: code that runs its own SQL over these tables takes its cursor from
``connection_for_read(Model)`` (or ``connections[queryset.db]``), not from ``django.db.connection``.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, router
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Model

REPLICA = "replica"

# The tables the dashboards read (``Model._meta.label_lower``): snapshots, their rollup, and the days built, which
# must come from the same replica as the rows they vouch for.
REPLICA_READ_MODELS = frozenset({"metrics.metricsnapshot", "metrics.metricrollup", "metrics.builtday"})


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


def connection_for_read(model: type[Model]) -> BaseDatabaseWrapper:
    """The connection a read of ``model`` goes to, for raw SQL (which no router sees)."""
    return connections[router.db_for_read(model)]


class ReplicaRouter:
    """Metric snapshot reads outside a transaction go to the replica when there is one; nothing else does."""

    def db_for_read(self, model: type[Model], **hints: Any) -> str | None:
        if model._meta.label_lower not in REPLICA_READ_MODELS or not replica_configured():
            return None
        if connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return DEFAULT_DB_ALIAS
        return REPLICA

    def db_for_write(self, model: type[Model], **hints: Any) -> str:
        # Explicit, because without a router's answer Django writes an instance back to the database it was
        # read from, and a row read from the replica must still be saved on the primary.
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Model, obj2: Model, **hints: Any) -> bool | None:
        # The replica holds the same rows as the primary, so a row read from either may point at the other's.
        if {obj1._state.db, obj2._state.db} <= {DEFAULT_DB_ALIAS, REPLICA, None}:
            return True
        return None

    def allow_migrate(self, db: str, app_label: str, model_name: str | None = None, **hints: Any) -> bool | None:
        # The replica replays the primary's changes; it is never migrated itself.
        return False if db == REPLICA else None
