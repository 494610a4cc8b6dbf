"""What every case API view shares: the acting user, scoped reads (404 outside scope), the
permission check made before the input is read, auditing of views, turning public ids and codes
in the input into rows, and cursor pagination.

Order of answers for a request on a case: outside scope → 404; not allowed to do this → 403;
input of the wrong type or naming a record that cannot be used → 400; then the service decides.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any, TypeVar

import rules
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from rest_framework import serializers
from rest_framework.pagination import CursorPagination
from rest_framework.request import Request

from accounts.audit import audit_record
from accounts.choices import AuditEventType, OrganisationKind
from accounts.models import Court, Organisation, User
from config.api_errors import validation_detail

from ..models import Case, OffenceAllegation, Suspect
from ..selectors import DEFAULT_SORT, SORTS, case_child_visible_to, case_get_visible_to
from ..services._common import NOT_ALLOWED

COURT_UNKNOWN = "There is no court with code {code}. Give the court's standing-data code, like B01BE00."
CPS_AREA_UNKNOWN = "There is no CPS Area with code {code}. The organisations list gives each Area's code."

M = TypeVar("M", bound=models.Model)


def acting_user(request: Request) -> User:
    user = request.user
    assert isinstance(user, User)  # every case view requires an authenticated user
    return user


def visible_case(request: Request, case_id: uuid.UUID) -> Case:
    return case_get_visible_to(user=acting_user(request), public_id=case_id)


def visible_child(request: Request, case_id: uuid.UUID, model: type[M], public_id: uuid.UUID) -> M:
    child = case_child_visible_to(user=acting_user(request), case_id=case_id, model=model, public_id=public_id)
    assert isinstance(child, model)
    return child


def ensure_allowed(request: Request, perm: str, case: Case | None = None) -> None:
    """Refuse (403) before reading the input, so someone who may see a case but not change it is
    told so whatever they send. The service checks the same permission again.

    The rule itself is asked (``rules.has_perm``), not ``User.has_perm``: Django answers yes to
    every permission for a superuser, and a system administrator must not build cases."""
    if not rules.has_perm(perm, acting_user(request), case):
        raise PermissionDenied(NOT_ALLOWED)


def audit_viewed(request: Request, case: Case, part: str, obj: models.Model | None = None) -> None:
    """Reading a case, or any part of it, is recorded as the case page records it."""
    audit_record(
        by=acting_user(request),
        event_type=AuditEventType.CASE_VIEWED,
        obj=obj or case,
        case_id=case.public_id,
        data={"via": "api", "part": part},
    )


def validated(serializer_class: type[serializers.Serializer], data: Any, *, partial: bool = False) -> dict[str, Any]:  # type: ignore[type-arg]
    serializer = serializer_class(data=data, partial=partial)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


@contextmanager
def service_fields(**renames: str) -> Iterator[None]:
    """Report a service's field errors under the names the API input uses, where they differ."""
    try:
        yield
    except DjangoValidationError as exc:
        detail = validation_detail(exc)
        raise serializers.ValidationError({renames.get(key, key): value for key, value in detail.items()}) from exc


class References:
    """Turns the public ids and codes in an input into rows, collecting a field error for each
    that cannot be used. Whether a found person may hold the role is the service's decision; an
    unknown id gets the same message as a person of another force, so ids cannot be probed."""

    def __init__(self) -> None:
        self.errors: dict[str, list[str]] = {}

    def _fail(self, field: str, message: str) -> None:
        self.errors[field] = [message]

    def user(self, field: str, public_id: uuid.UUID | None, *, unknown: str) -> User | None:
        if public_id is None:
            return None
        user = User.objects.filter(public_id=public_id).first()
        if user is None:
            self._fail(field, unknown)
        return user

    def court(self, field: str, code: str | None) -> Court | None:
        if not code:
            return None
        court = Court.objects.filter(code__iexact=code.strip()).first()
        if court is None:
            self._fail(field, COURT_UNKNOWN.format(code=code.strip()))
        return court

    def cps_area(self, field: str, code: str | None) -> Organisation | None:
        if not code:
            return None
        area = Organisation.objects.filter(kind=OrganisationKind.CPS_AREA, code=code.strip(), is_active=True).first()
        if area is None:
            self._fail(field, CPS_AREA_UNKNOWN.format(code=code.strip()))
        return area

    def suspect(self, field: str, case: Case, public_id: uuid.UUID, *, unknown: str) -> Suspect | None:
        suspect = Suspect.objects.filter(case=case, public_id=public_id).first()
        if suspect is None:
            self._fail(field, unknown)
        return suspect

    def offence(self, field: str, case: Case, public_id: uuid.UUID | None, *, unknown: str) -> OffenceAllegation | None:
        if public_id is None:
            return None
        offence = OffenceAllegation.objects.filter(case=case, public_id=public_id).first()
        if offence is None:
            self._fail(field, unknown)
        return offence

    def check(self) -> None:
        if self.errors:
            raise serializers.ValidationError(self.errors)


def without(data: Mapping[str, Any], *keys: str) -> dict[str, Any]:
    return {key: value for key, value in data.items() if key not in keys}


class CaseCursorPagination(CursorPagination):
    """Keyset pages (no COUNT over the table) in the order the caller chose; the order always ends
    in the unique id so pages never skip or repeat a case."""

    page_size = 50
    ordering = SORTS[DEFAULT_SORT]

    def __init__(self, ordering: tuple[str, ...] | None = None) -> None:
        if ordering is not None:
            self.ordering = ordering


class TimelinePagination(CursorPagination):
    page_size = 100
    ordering = ("occurred_at", "id")
