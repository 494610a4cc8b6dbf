"""The bulk load of ``casework.synthetic.generate`` sets indexes and constraints aside while it copies rows in, and
writes the row history the triggers would have written batch by batch: afterwards the schema is exactly what
the migrations made, and every tracked row has its history."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.db import connection

from casework.synthetic import generate
from casework.synthetic.copy import event_model
from casework.synthetic.tables import TABLES

pytestmark = pytest.mark.django_db

CASES = 600  # two chunks
generate_module = importlib.import_module("casework.synthetic.generate")  # the package exports the function


def _schema() -> tuple[set[tuple[str, str, str, str]], set[tuple[str, str, str, str]]]:
    """Every index (table, name, definition up to its predicate, whether it has one) and constraint (table, name,
    type, definition) of the schema. A partial index's predicate is left out of the comparison: PostgreSQL writes
    an ``IN`` list back differently once the index is made again from its own definition, to the same effect."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tablename, indexname, split_part(indexdef, ' WHERE ', 1), (indexdef LIKE '%% WHERE %%')::text "
            "FROM pg_indexes WHERE schemaname = current_schema()"
        )
        indexes = {(str(t), str(n), str(d), str(p)) for t, n, d, p in cursor.fetchall()}
        cursor.execute(
            "SELECT t.relname, c.conname, c.contype, pg_get_constraintdef(c.oid) FROM pg_constraint c "
            "JOIN pg_class t ON t.oid = c.conrelid WHERE t.relnamespace = current_schema()::regnamespace"
        )
        constraints = {(str(t), str(n), str(k), str(d)) for t, n, k, d in cursor.fetchall()}
    return indexes, constraints


@pytest.fixture
def media(tmp_path: Path, settings: Any) -> Path:
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}},
    }
    return tmp_path


def test_the_load_builds_again_every_index_and_constraint_it_set_aside(media: Path) -> None:
    indexes, constraints = _schema()
    unique = {(t, n) for t, n, kind, _d in constraints if kind == "u" and t in {s.table for s in TABLES.values()}}
    assert ("casework_case", "casework_case_public_id_key") in unique  # among those set aside for the load

    summary = generate(CASES, seed=7, workers=1)

    assert summary.counts["case"] == CASES
    after_indexes, after_constraints = _schema()
    assert after_indexes == indexes
    assert after_constraints == constraints


def test_every_tracked_row_has_its_history_when_it_is_written_chunk_by_chunk(
    media: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(generate_module, "HISTORY_BATCH", 1)  # after every chunk, as at national size

    summary = generate(CASES, seed=7, workers=1)

    assert summary.triggers_off
    tracked = 0
    for table_spec in TABLES.values():
        event = event_model(table_spec.model)
        if event is None:
            continue
        rows = table_spec.model._default_manager.count()
        inserts = event._default_manager.filter(pgh_label="insert").count()
        assert inserts == rows, table_spec.model.__name__
        tracked += rows
    assert summary.history_rows == tracked
    assert apps.get_model("casework", "CaseEvent")._default_manager.count() == CASES
