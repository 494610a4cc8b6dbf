"""Removing a previous synthetic data set (``generate_synthetic --reset``).

Only a database whose every case was made by the generator can be reset: the case tables (and everything that
hangs off a case, with their row history) are truncated, the audit events of cases and of synthetic staff are
deleted (the audit log refuses deletes through a trigger, so the row triggers are switched off for this one
transaction), the synthetic staff are deleted, and their stored files removed. A database with real cases is
refused: generate into a fresh database instead.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable

from django.core.files.storage import FileSystemStorage
from django.db import connection, transaction

from accounts.models import AuditEvent, User
from casework.models import Case
from files.models import DocumentVersion

from . import copy as bulk
from .documents import SHARED_PREFIX
from .organisations import USERNAME_PREFIX

NOT_ALL_SYNTHETIC = (
    "This database holds {count:,} case(s) not made by the synthetic generator: --reset would delete them. "
    "Generate into a fresh database instead."
)


class ResetRefused(RuntimeError):
    pass


def existing_synthetic_cases() -> int:
    return Case.objects.filter(created_by__username__startswith=USERNAME_PREFIX).count()


def reset(progress: Callable[[str], None] | None = None) -> None:
    say = progress or (lambda _line: None)
    others = Case.objects.exclude(created_by__username__startswith=USERNAME_PREFIX).count()
    if others:
        raise ResetRefused(NOT_ALL_SYNTHETIC.format(count=others))
    from .tables import TABLES

    quote = connection.ops.quote_name
    case_ids = [str(pk) for pk in Case.objects.values_list("public_id", flat=True)]
    with transaction.atomic(), connection.cursor() as cursor:
        tables = {spec.table for spec in TABLES.values() if spec.model is not AuditEvent}
        for spec in TABLES.values():
            event = bulk.event_model(spec.model)
            if event is not None:
                tables.add(event._meta.db_table)
        cursor.execute(f"TRUNCATE {', '.join(quote(t) for t in sorted(tables))} CASCADE")
        if not bulk.try_replica_role(cursor):
            raise ResetRefused("Resetting needs the privilege to switch triggers off (a superuser connection).")
        cursor.execute(
            f"DELETE FROM {quote(AuditEvent._meta.db_table)} WHERE case_id IS NOT NULL OR actor_username LIKE %s",  # noqa: S608
            [f"{USERNAME_PREFIX}%"],
        )
        user_event = bulk.event_model(User)
        synthetic = User.objects.filter(username__startswith=USERNAME_PREFIX)
        if user_event is not None:
            user_event._default_manager.filter(pgh_obj__in=synthetic).delete()
        deleted, _by_model = synthetic.delete()
        say(f"deleted {len(case_ids):,} cases and {deleted:,} synthetic staff rows")
    storage = DocumentVersion._meta.get_field("file").storage  # type: ignore[union-attr]
    if isinstance(storage, FileSystemStorage):
        root = os.path.join(str(storage.location), "cases")
        for public_id in case_ids:
            shutil.rmtree(os.path.join(root, public_id), ignore_errors=True)
        # Shared specimen files (``documents.shared_blob``): every case was synthetic, so no one else uses them.
        shutil.rmtree(os.path.join(str(storage.location), SHARED_PREFIX), ignore_errors=True)
    else:
        say("stored files of the previous data set were left in the object storage")
