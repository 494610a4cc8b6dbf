"""Scoped reads of case material. The case is always reached through casework's scoped selector
(404 outside scope); within a case, sensitive (MG6D) material is filtered out for anyone who may
not see it, and a sensitive document answers 404 to them exactly like a missing one."""

from __future__ import annotations

import uuid

import rules
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet
from django.http import Http404

from accounts.models import User
from casework.models import Case
from casework.selectors import CASE_NOT_FOUND

from .choices import Schedule, Sensitivity
from .models import Document, DocumentVersion, UnusedItem


def can_see_sensitive(user: User, case: Case) -> bool:
    return bool(rules.has_perm("files.see_sensitive", user, case))


def document_list_for(*, user: User, case: Case) -> QuerySet[Document]:
    documents = Document.objects.filter(case=case).prefetch_related(
        Prefetch("versions", queryset=DocumentVersion.objects.order_by("number"))
    )
    if not can_see_sensitive(user, case):
        documents = documents.exclude(sensitivity=Sensitivity.SENSITIVE)
    return documents


def document_get_for(*, user: User, case: Case, public_id: uuid.UUID | str) -> Document:
    try:
        return document_list_for(user=user, case=case).get(public_id=public_id)
    except (Document.DoesNotExist, ValueError, ValidationError) as exc:
        raise Http404(CASE_NOT_FOUND) from exc


def unused_items_for(*, user: User, case: Case) -> QuerySet[UnusedItem]:
    items = UnusedItem.objects.filter(case=case).select_related("document", "decided_by")
    if not can_see_sensitive(user, case):
        items = items.exclude(schedule=Schedule.MG6D)
    return items
