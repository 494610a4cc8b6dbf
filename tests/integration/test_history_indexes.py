"""Row history (django-pghistory) is indexed by what reads it: the row an event is of (``pgh_obj``) and its context
(``pgh_context``). The foreign keys an event copies from its row are not indexed (``PGHISTORY_FOREIGN_KEY_FIELD``):
nothing reads history by them, and each index was written on every tracked change."""

from __future__ import annotations

import pghistory.models
import pytest
from django.apps import apps
from django.db import connection, models

pytestmark = pytest.mark.django_db

EVENT_MODELS = [
    model
    for model in apps.get_models()
    if issubclass(model, pghistory.models.Event) and not model._meta.abstract and not model._meta.proxy
]


def test_there_are_event_tables_to_check() -> None:
    assert {"CaseEvent", "DocumentEvent", "UserEvent"} <= {model.__name__ for model in EVENT_MODELS}


@pytest.mark.parametrize("model", EVENT_MODELS, ids=lambda model: model.__name__)
def test_an_event_table_is_indexed_by_its_object_and_context_only(model: type[models.Model]) -> None:
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, model._meta.db_table)
    indexed = {tuple(c["columns"]) for c in constraints.values() if c["index"] and not c["primary_key"]}
    copied_keys = {
        field.column
        for field in model._meta.concrete_fields
        if isinstance(field, models.ForeignKey) and field.name not in {"pgh_obj", "pgh_context"}
    }
    assert ("pgh_obj_id",) in indexed
    assert ("pgh_context_id",) in indexed
    assert not {columns for columns in indexed if columns[0] in copied_keys}
