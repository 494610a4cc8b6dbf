"""The committed OpenAPI schema matches the code, and the docs are served."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client

SCHEMA = Path(__file__).resolve().parents[2] / "openapi" / "schema.yaml"


def test_committed_schema_matches_the_code() -> None:
    out = StringIO()
    call_command("spectacular", "--validate", "--fail-on-warn", stdout=out)
    assert out.getvalue() == SCHEMA.read_text(), "The API changed: run `make openapi` and commit openapi/schema.yaml."


def test_every_operation_documents_its_errors() -> None:
    import yaml

    schema = yaml.safe_load(SCHEMA.read_text())
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            assert {"401", "403", "404"} <= set(operation["responses"]), f"{method.upper()} {path}"


@pytest.mark.django_db
def test_schema_and_docs_are_served(client: Client) -> None:
    assert client.get("/api/schema/").status_code == 200
    assert client.get("/api/docs/").status_code == 200
