"""Server-side prepared statements (PostgreSQL ``PREPARE`` / ``EXECUTE``) for the few statements of the
quality check, which runs for every draft whenever its case changes.

Why: PostgreSQL parses and plans a statement afresh each time it is sent. The facts statement has seventeen
subqueries, and planning them cost more server CPU than running them (2.6 ms of server CPU a call against 0.7 ms
prepared, measured with /proc/<backend>/stat over 1,000 calls: benchmarks/quality_checks.py). A prepared
statement is planned once per connection; the planner may keep a generic plan once it is no worse than the
custom ones, which for lookups by a case's indexed foreign key it is.

A prepared statement lives in one database session, so which are prepared is remembered per underlying
connection (a weak reference to it: a reconnect starts again from nothing). The first use on a connection
sends ``PREPARE`` and ``EXECUTE`` in one round trip. ``PREPARE`` is not undone by a rollback, so when that
first round trip fails it is not known whether the statement now exists; the next use asks
``pg_prepared_statements`` once instead of guessing.

Not for a transaction-pooling PgBouncer, which may hand the next transaction another server session: set
``DISABLE_SERVER_SIDE_CURSORS`` on the database (what Django asks for behind such a pooler), and statements are
sent as plain ones.
"""

from __future__ import annotations

import hashlib
import weakref
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.backends.utils import CursorWrapper


@dataclass(frozen=True)
class Statement:
    """A statement to prepare: ``sql`` uses ``$1``, ``$2``... for its parameters, of ``types``."""

    label: str
    sql: str
    types: tuple[str, ...]
    name: str = field(init=False)

    def __post_init__(self) -> None:
        # The text is in the name, so a statement changed by a deploy is never confused with the old one.
        digest = hashlib.sha1(self.sql.encode(), usedforsecurity=False).hexdigest()[:12]
        object.__setattr__(self, "name", f"cb_{self.label}_{digest}")

    @property
    def placeholders(self) -> str:
        return ", ".join(["%s"] * len(self.types))

    def plain(self) -> str:
        """The statement to send unprepared: ``$n`` becomes the named parameter ``p<n>`` (a ``$n`` may appear
        more than once)."""
        text = self.sql.replace("%", "%%")
        for n in range(len(self.types), 0, -1):  # $12 before $1
            text = text.replace(f"${n}", f"%(p{n})s")
        return text


@dataclass
class _Session:
    raw: weakref.ref[Any]
    prepared: set[str] = field(default_factory=set)
    uncertain: set[str] = field(default_factory=set)


_SESSION_ATTR = "_casebridge_prepared_statements"


def _session() -> _Session:
    raw = connection.connection
    session: _Session | None = getattr(connection, _SESSION_ATTR, None)
    if session is None or session.raw() is not raw:
        session = _Session(weakref.ref(raw))
        setattr(connection, _SESSION_ATTR, session)
    return session


def execute(cursor: CursorWrapper, statement: Statement, params: Sequence[Any], *, before: str = "") -> None:
    """Execute ``statement`` with ``params`` on ``cursor`` (of the default database), prepared. ``before``
    is SQL without parameters sent in the same round trip ahead of it (``SET LOCAL ...;``)."""
    if connection.settings_dict.get("DISABLE_SERVER_SIDE_CURSORS"):
        cursor.execute(before + statement.plain(), {f"p{n}": value for n, value in enumerate(params, 1)})
        return
    session = _session()
    name = statement.name
    if name in session.uncertain:
        cursor.execute("SELECT 1 FROM pg_prepared_statements WHERE name = %s", [name])
        if cursor.fetchone() is not None:
            session.prepared.add(name)
        session.uncertain.discard(name)
    run = f"{before}EXECUTE {name}({statement.placeholders})"
    if name in session.prepared:
        cursor.execute(run, params)
        return
    types = f"({', '.join(statement.types)})" if statement.types else ""
    try:
        # The ";" on a line of its own: a "--" comment on the statement's last line cannot swallow it.
        cursor.execute(f"PREPARE {name}{types} AS {statement.sql.replace('%', '%%')}\n; {run}", params)
    except Exception:
        session.uncertain.add(name)
        raise
    session.prepared.add(name)
