"""One synthetic data set for the whole package, with a stored file of its own for every version, made twice:
first by two worker processes, then - after ``--reset`` - in this process alone, with the same seed, size and
as-of day. The tests read the second; the reproducibility test compares the digests of both.

The data is made (once for the package's two modules) in an outer transaction that is rolled back at the end
(like ``TestCase.setUpTestData``; marked as a test case's so the services' durable transactions nest in it), and
its files in a temporary directory.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction
from django.test import override_settings

from accounts.models import AuditEvent, User
from alerts.models import Alert
from casework.models import Case, CustodyEvent, Deadline, OffenceAllegation, Suspect
from casework.synthetic import SyntheticSummary, default_as_of, generate
from charging.models import ChargingDecision, ChargingRequest
from files.models import DocumentVersion, FileSubmission, QualityReport

CASES = 600  # two chunks of 500, so the two worker processes each build one
SEED = 20260
AS_OF: datetime = default_as_of()


@dataclass
class Generated:
    first: SyntheticSummary
    second: SyntheticSummary
    first_digest: str
    second_digest: str
    first_files: str
    second_files: str
    media: Path


@contextmanager
def built_once(django_db_blocker: Any) -> Iterator[None]:
    """Data for a whole module, in an outer transaction rolled back at the end (see the module docstring)."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer._from_testcase = True  # type: ignore[attr-defined]
        outer.__enter__()
        try:
            yield
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def data_digest() -> str:
    """A digest of the identifiers and facts of the generated rows (users by username: their primary keys are
    new after a reset)."""
    h = hashlib.sha256()

    def feed(rows: Any) -> None:
        for row in rows:
            h.update(repr(row).encode())

    feed(
        Case.objects.order_by("urn").values_list(
            "urn",
            "public_id",
            "status",
            "flags",
            "force__code",
            "unit__code",
            "cps_area__code",
            "officer_in_case__username",
            "reported_on",
            "sent_to_cps_at",
            "updated_at",
            "search_text",
        )
    )
    feed(
        Suspect.objects.order_by("public_id").values_list(
            "public_id", "case__urn", "first_names", "last_name", "date_of_birth", "pnc_id", "asn"
        )
    )
    feed(
        OffenceAllegation.objects.order_by("public_id").values_list(
            "public_id", "offence_code__code", "status", "committed_on"
        )
    )
    feed(CustodyEvent.objects.order_by("public_id").values_list("public_id", "kind", "occurred_at", "period_ends_at"))
    feed(
        ChargingRequest.objects.order_by("public_id").values_list(
            "public_id", "status", "category", "received_by_cps_at", "allocated_lawyer__username", "version"
        )
    )
    feed(ChargingDecision.objects.order_by("public_id").values_list("public_id", "outcome", "decided_at"))
    feed(DocumentVersion.objects.order_by("public_id").values_list("public_id", "file", "sha256", "size"))
    feed(
        Deadline.objects.order_by("public_id").values_list(
            "public_id", "kind", "subject_key", "due_at", "status", "next_alert_at", "met_at"
        )
    )
    feed(Alert.objects.order_by("public_id").values_list("public_id", "threshold", "recipient__username", "created_at"))
    feed(FileSubmission.objects.order_by("public_id").values_list("public_id", "stage", "status", "submitted_at"))
    feed(QualityReport.objects.order_by("public_id").values_list("public_id", "inputs_digest", "blocking_count"))
    feed(
        AuditEvent.objects.order_by("public_id").values_list("public_id", "event_type", "occurred_at", "actor_username")
    )
    feed(
        User.objects.filter(username__startswith="syn.")
        .order_by("username")
        .values_list("username", "public_id", "roles", "organisation__code", "unit__code")
    )
    return h.hexdigest()


def files_digest(root: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        h.update(str(path.relative_to(root)).encode())
        h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()


@pytest.fixture(scope="package")
def generated(
    django_db_setup: None, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Generated]:
    media = tmp_path_factory.mktemp("synthetic-media")
    storages = {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(media)}}
    from django.conf import settings

    with (
        override_settings(MEDIA_ROOT=str(media), STORAGES={**settings.STORAGES, "default": storages}),
        built_once(django_db_blocker),
    ):
        first = generate(CASES, seed=SEED, as_of=AS_OF, workers=2, shared_files=False)
        first_digest, first_files = data_digest(), files_digest(media)
        second = generate(CASES, seed=SEED, as_of=AS_OF, workers=1, reset_existing=True, shared_files=False)
        yield Generated(first, second, first_digest, data_digest(), first_files, files_digest(media), media)
