"""Bounded counts of several queries in one round trip."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import QuerySet


def counts_up_to(querysets: Sequence[QuerySet[Any, Any]], up_to: int) -> list[int]:
    """How many rows each of ``querysets`` (of one column: ``values_list("pk", flat=True)``) gives, up to
    ``up_to + 1`` at most (so "99+" can be told from 99), in one query when they read the same database. Each
    query reads its first ``up_to + 1`` rows as before (an ordered one stops there in its index; nothing is
    counted in the database) and they come back together, as arrays: every page's header shows the user's
    unread notifications and waiting alerts, and two queries were two round trips."""
    if not querysets:
        return []
    databases = {qs.db for qs in querysets}
    if len(databases) > 1:
        return [len(qs[: up_to + 1]) for qs in querysets]
    parts: list[str] = []
    params: list[Any] = []
    for qs in querysets:
        try:
            sql, query_params = qs[: up_to + 1].query.sql_with_params()
        except EmptyResultSet:  # a query that can match nothing (an empty scope): no rows, nothing to ask
            parts.append("ARRAY[]::integer[]")
            continue
        parts.append(f"ARRAY({sql})")  # Django compiled it; its values stay parameters
        params.extend(query_params)
    with connections[databases.pop()].cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        row = cursor.fetchone()
    return [len(values) for values in row]
