"""The bulk path: rows as PostgreSQL COPY text, loaded with ``cursor.copy_expert``, and what a bulk load
must do around it.

The generator builds every row in Python as COPY text (tab-separated, ``\\N`` for NULL) for a list of
columns named here per table; ``TableSpec`` checks that list against the model, so a NOT NULL column added
to a model later stops the generator with a clear message instead of a COPY error half way through.

Around the load (``BulkLoad``), in the one transaction that holds the whole load:

- ``session_replication_role = replica`` switches off row triggers for this transaction only: the
  django-pghistory triggers (which would write one history row per row, in PL/pgSQL) and the triggers
  that check foreign keys row by row. Integrity is then the generator's job, so it writes the history
  rows itself in one set-based ``INSERT ... SELECT`` per tracked table (exactly the columns the insert
  trigger copies, labelled ``insert``) and checks the foreign keys it loaded with anti-joins before committing
  (``verify_foreign_keys``: every row of a small load; the first and the last chunk of a large one, where each
  chunk is built alike - the tests check every row). Without the privilege to change the role
  (not a superuser) the triggers stay on and do both jobs themselves, more slowly.
- The B-tree indexes of the loaded tables other than primary keys (``deferred_indexes``: unique ones too, which
  still guard the data when they are built again in the same transaction) are dropped first and built again
  at the end, which is several times faster than maintaining them row by row; DDL is transactional, so a
  failed load leaves them as they were. GIN indexes stay (see ``deferred_indexes``).
"""

from __future__ import annotations

import io
import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.apps import apps
from django.db import connection, models
from django.db.backends.utils import CursorWrapper

NULL = "\\N"


class GeneratorSchemaError(RuntimeError):
    """The models changed in a way the generator does not fill in."""


# ---------------------------------------------------------------------------------------------
# Cell formatting: each returns COPY text for one value. Identifiers and enumerations are plain
# text already; free text goes through ``text``.


def quote(name: str | None) -> str:
    """A quoted SQL identifier (a table or column name taken from a model)."""
    return str(connection.ops.quote_name(str(name)))


def text(value: str) -> str:
    # Four substring scans and replaces (memchr in C) beat one ``str.translate``, which looks every character up
    # in a dict: most values need nothing, and the long ones (search text, extracted text) only line breaks.
    if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
        return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return value


def opt_text(value: str | None) -> str:
    return NULL if value is None else text(value)


def ts(value: datetime | None) -> str:
    return NULL if value is None else value.isoformat()


def day(value: date | None) -> str:
    return NULL if value is None else value.isoformat()


def ref(value: int | None) -> str:
    return NULL if value is None else str(value)


def flag(value: bool) -> str:
    return "t" if value else "f"


def array(values: Iterable[str]) -> str:
    """A text[] literal of plain values (choice values: no quoting needed)."""
    return "{" + ",".join(values) + "}"


def jsonb(value: Any) -> str:
    # json.dumps escapes tabs and line breaks inside strings itself: only its backslashes need escaping.
    return _json(value).replace("\\", "\\\\")


# ``json.dumps(value, separators=(",", ":"), ensure_ascii=False)``, the same text, without building an encoder on
# every call nor looking for cycles (the values are trees the generator has just built): a third faster.
_json = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False, check_circular=False).encode


# ---------------------------------------------------------------------------------------------
# Tables


@dataclass(frozen=True)
class TableSpec:
    """A model's table and the columns the generator writes, in the order it writes them."""

    model: type[models.Model]
    columns: tuple[str, ...]

    @property
    def table(self) -> str:
        return self.model._meta.db_table

    def check(self) -> None:
        """Every column named exists, and every NOT NULL column without a database default is named."""
        concrete = {str(f.column): f for f in self.model._meta.concrete_fields if not getattr(f, "generated", False)}
        unknown = [c for c in self.columns if c not in concrete]
        if unknown:
            raise GeneratorSchemaError(f"{self.model.__name__} has no column(s) {', '.join(unknown)}")
        missing = [
            column
            for column, f in concrete.items()
            if column not in self.columns
            and not f.null
            and getattr(f, "db_default", models.NOT_PROVIDED) is models.NOT_PROVIDED
        ]
        if missing:
            raise GeneratorSchemaError(
                f"{self.model.__name__} has NOT NULL column(s) {', '.join(missing)} the synthetic generator does "
                "not fill: add them to casework/synthetic"
            )

    def copy_sql(self) -> str:
        names = ", ".join(quote(c) for c in self.columns)
        return f"COPY {quote(self.table)} ({names}) FROM STDIN"


def spec(model: type[models.Model], columns: str) -> TableSpec:
    return TableSpec(model, tuple(columns.split()))


@dataclass
class Rows:
    """The COPY text of one chunk, per table: ``add`` a row's cells, or append a whole line (tab-separated
    cells) to ``lines[table]``."""

    lines: defaultdict[str, list[str]] = field(default_factory=lambda: defaultdict(list))

    def add(self, table: str, *cells: str) -> None:
        self.lines[table].append("\t".join(cells))

    def count(self, table: str) -> int:
        return len(self.lines.get(table, ()))

    def payload(self) -> dict[str, bytes]:
        """Each table's COPY text, encoded here (in the worker process) so that the loading process only passes
        the bytes on: it and the database server are one pipeline, which the worker processes must not wait on.
        Each line is encoded on its own: a table's text joined first is held in the widest form any of its lines
        needs (one line with a character beyond Latin-1 makes it two bytes a character), and encoding that to UTF-8
        takes the slow path over all of it; an ASCII line encodes as a copy."""
        out = {}
        for table, rows in self.lines.items():
            if rows:
                encoded = [line.encode() for line in rows]
                encoded.append(b"")  # the last line's end
                out[table] = b"\n".join(encoded)
        return out


def copy_payload(cursor: CursorWrapper, table_spec: TableSpec, payload: bytes) -> None:
    raw = cursor.cursor  # psycopg2's cursor: COPY is not part of the DB-API
    raw.copy_expert(table_spec.copy_sql(), io.BytesIO(payload), size=1 << 20)


# ---------------------------------------------------------------------------------------------
# Around the load


def try_replica_role(cursor: CursorWrapper) -> bool:
    """Switch row triggers off for the current transaction; False when not allowed (triggers stay on)."""
    cursor.execute("SAVEPOINT synthetic_role")
    try:
        cursor.execute("SET LOCAL session_replication_role = replica")
    except Exception:  # noqa: BLE001 - any refusal means: keep the triggers
        cursor.execute("ROLLBACK TO SAVEPOINT synthetic_role")
        return False
    cursor.execute("RELEASE SAVEPOINT synthetic_role")
    return True


def cheap_toast(cursor: CursorWrapper) -> None:
    """Compress the large values of this load (snapshots, findings, search text) with lz4 where the server has
    it: several times faster than the default pglz, and read back the same way."""
    cursor.execute("SAVEPOINT synthetic_toast")
    try:
        cursor.execute("SET LOCAL default_toast_compression = 'lz4'")
    except Exception:  # noqa: BLE001 - a server built without lz4 keeps pglz
        cursor.execute("ROLLBACK TO SAVEPOINT synthetic_toast")
        return
    cursor.execute("RELEASE SAVEPOINT synthetic_toast")


@dataclass(frozen=True)
class DeferredIndex:
    """A B-tree index of a loaded table that is dropped for the load and built again at the end: a plain index
    (``DROP INDEX``, then its ``CREATE INDEX``) or a UNIQUE constraint (``ALTER TABLE ... DROP``/``ADD
    CONSTRAINT``)."""

    name: str
    table: str
    definition: str  # CREATE [UNIQUE] INDEX ..., or the constraint's definition (UNIQUE (...))
    constraint: bool

    def drop(self, cursor: CursorWrapper) -> None:
        if self.constraint:
            cursor.execute(f"ALTER TABLE {quote(self.table)} DROP CONSTRAINT {quote(self.name)}")
        else:
            cursor.execute(f"DROP INDEX {quote(self.name)}")

    def create(self, cursor: CursorWrapper) -> None:
        if self.constraint:
            cursor.execute(f"ALTER TABLE {quote(self.table)} ADD CONSTRAINT {quote(self.name)} {self.definition}")
        else:
            cursor.execute(self.definition)


def deferred_indexes(cursor: CursorWrapper, tables: Sequence[str]) -> list[DeferredIndex]:
    """The B-tree indexes of the tables other than primary keys (and other than unique ones a foreign key relies
    on): built in one sorted pass after the load (with parallel workers) they cost a fraction of what maintaining
    them row by row does - a unique index on random UUIDs most of all, whose every insert lands on a page of its
    own once it outgrows the cache. A UNIQUE constraint built again still refuses a duplicate, in the same
    transaction, so it guards the data as before.

    The other indexes (GIN: full-text and trigram search) stay and are maintained during the load: PostgreSQL
    builds a GIN index in one process, so built at the end it would keep one core idle, while kept it costs about
    the same work done beside the worker processes (measured at 100,000 cases: the four GIN indexes of the cases
    take 4.9 s to build at the end, in one process; kept, their inserts cost the server about 4.7 s of CPU during
    the load, shared with the builders). A longer pending list (``gin_pending_list_limit``, ``work_mem``) does not
    make them cheaper, only moves the merging to the end (``clean_gin_pending_lists``)."""
    cursor.execute(
        """
        SELECT i.relname, t.relname, c.conname IS NOT NULL, pg_get_indexdef(x.indexrelid),
               pg_get_constraintdef(c.oid)
        FROM pg_index x
        JOIN pg_class i ON i.oid = x.indexrelid
        JOIN pg_am am ON am.oid = i.relam
        JOIN pg_class t ON t.oid = x.indrelid
        JOIN pg_namespace n ON n.oid = t.relnamespace
        LEFT JOIN pg_constraint c
          ON c.conindid = x.indexrelid AND c.conrelid = x.indrelid AND c.contype IN ('p', 'u', 'x')
        WHERE n.nspname = current_schema() AND t.relname = ANY(%s) AND am.amname = 'btree'
          AND NOT x.indisprimary AND (c.oid IS NULL OR c.contype = 'u')
          AND NOT EXISTS (SELECT 1 FROM pg_constraint f WHERE f.contype = 'f' AND f.conindid = x.indexrelid)
        ORDER BY t.relname, i.relname
        """,
        [list(tables)],
    )
    return [
        DeferredIndex(str(name), str(table), str(constraint_def if constraint else index_def), bool(constraint))
        for name, table, constraint, index_def, constraint_def in cursor.fetchall()
    ]


def drop_indexes(cursor: CursorWrapper, indexes: Sequence[DeferredIndex]) -> None:
    for index in indexes:
        index.drop(cursor)


def create_indexes(cursor: CursorWrapper, indexes: Sequence[DeferredIndex]) -> None:
    """Build the indexes again, each with up to two parallel workers sharing the memory for its sort (the worker
    processes are done by then: the machine has nothing else to do)."""
    cursor.execute("SET LOCAL maintenance_work_mem = '1GB'")
    cursor.execute("SET LOCAL max_parallel_maintenance_workers = 2")
    for index in indexes:
        index.create(cursor)


def clean_gin_pending_lists(cursor: CursorWrapper, tables: Sequence[str]) -> None:
    """Move what the load left in the GIN indexes' pending lists (fast update) into the indexes, so that the first
    searches after the load do not scan it."""
    cursor.execute("SAVEPOINT synthetic_gin")
    try:
        cursor.execute(
            """
            SELECT gin_clean_pending_list(x.indexrelid)
            FROM pg_index x
            JOIN pg_class i ON i.oid = x.indexrelid
            JOIN pg_am am ON am.oid = i.relam
            JOIN pg_class t ON t.oid = x.indrelid
            WHERE t.relnamespace = current_schema()::regnamespace AND t.relname = ANY(%s) AND am.amname = 'gin'
            """,
            [list(tables)],
        )
    except Exception:  # noqa: BLE001 - not allowed (not the owner): autovacuum does it later
        cursor.execute("ROLLBACK TO SAVEPOINT synthetic_gin")
        return
    cursor.execute("RELEASE SAVEPOINT synthetic_gin")


def event_model(model: type[models.Model]) -> type[models.Model] | None:
    """The django-pghistory event model that tracks ``model``, if any."""
    try:
        event = apps.get_model(model._meta.app_label, f"{model.__name__}Event")
    except LookupError:
        return None
    names = {f.name for f in event._meta.concrete_fields}
    return event if {"pgh_obj", "pgh_label", "pgh_created_at"} <= names else None


def write_history(cursor: CursorWrapper, model: type[models.Model], id_from: int, id_to: int) -> int:
    """What the pghistory insert trigger would have written for the rows id_from..id_to of ``model``: one
    ``insert`` snapshot each (its time is the row's ``created_at`` where it has one). Returns the rows written."""
    event = event_model(model)
    if event is None:
        return 0
    source_columns = {f.column for f in model._meta.concrete_fields}
    targets: list[str] = []
    values: list[str] = []
    created = "s.created_at" if "created_at" in source_columns else "now()"
    for f in event._meta.concrete_fields:
        if f.name == "pgh_id":
            continue
        targets.append(quote(f.column))
        if f.name == "pgh_created_at":
            values.append(created)
        elif f.name == "pgh_label":
            values.append("'insert'")
        elif f.name == "pgh_obj":
            values.append("s.id")
        elif f.name == "pgh_context":
            values.append("NULL")
        elif f.column in source_columns:
            values.append(f"s.{quote(f.column)}")
        else:
            raise GeneratorSchemaError(f"{event.__name__}.{f.name} has no column in {model.__name__}")
    sql = (
        f"INSERT INTO {quote(event._meta.db_table)} ({', '.join(targets)}) "  # noqa: S608 - names from models
        f"SELECT {', '.join(values)} FROM {quote(model._meta.db_table)} s WHERE s.id BETWEEN %s AND %s ORDER BY s.id"
    )
    cursor.execute(sql, [id_from, id_to])
    return int(cursor.rowcount)


def verify_foreign_keys(
    cursor: CursorWrapper, ranges: Sequence[tuple[type[models.Model], Sequence[tuple[int, int]]]]
) -> list[str]:
    """Every foreign key of the rows in the given id ranges of each model points at an existing row; returns one
    line per broken key (empty when the load is sound). Run after a load made with the row triggers switched off:
    the generator builds every reference from rows it made in the same chunk (or the reference data and staff),
    and this check proves it on the ranges given."""
    broken: list[str] = []
    for model, spans in ranges:
        fks = [f for f in model._meta.concrete_fields if f.is_relation and f.db_constraint]  # type: ignore[attr-defined]
        for f in fks:
            target = f.related_model._meta  # type: ignore[union-attr]
            target_column = f.target_field.column  # type: ignore[attr-defined]
            for id_from, id_to in spans:
                cursor.execute(
                    f"SELECT count(*) FROM {quote(model._meta.db_table)} c WHERE c.id BETWEEN %s AND %s "  # noqa: S608
                    f"AND c.{quote(f.column)} IS NOT NULL AND NOT EXISTS (SELECT 1 FROM {quote(target.db_table)} p "
                    f"WHERE p.{quote(target_column)} = c.{quote(f.column)})",
                    [id_from, id_to],
                )
                missing = int(cursor.fetchone()[0])
                if missing:
                    broken.append(f"{model.__name__}.{f.name}: {missing} row(s) point at no {target.object_name}")
    return broken


def reset_sequence(cursor: CursorWrapper, model: type[models.Model]) -> None:
    """Move the id sequence past the ids the generator chose itself (never back: sequences are not rolled back
    with a transaction, so one moved back would hand out ids already taken)."""
    table = model._meta.db_table
    cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
    sequence = cursor.fetchone()[0]
    if sequence is None:
        return
    cursor.execute(
        f"SELECT setval(%s, GREATEST((SELECT COALESCE(max(id), 1) FROM {quote(table)}), "  # noqa: S608 - names from the model
        f"(SELECT last_value FROM {sequence})))",
        [sequence],
    )


def max_id(cursor: CursorWrapper, model: type[models.Model]) -> int:
    cursor.execute(f"SELECT COALESCE(max(id), 0) FROM {quote(model._meta.db_table)}")  # noqa: S608
    return int(cursor.fetchone()[0])
