"""What every charging API view shares: the scoped reads (404 outside scope), the permission check made before
the input is read, the ``version`` every change carries, and turning public ids in the input into rows.

Order of answers on a charging request: outside scope → 404; not allowed to do this → 403; input of the wrong
type or naming a record that cannot be used → 400; someone else changed the request since the caller read it
→ 409; then the service decides (400 with the field to correct).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import rules
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers
from rest_framework.exceptions import APIException
from rest_framework.request import Request

from accounts.models import User
from casework.api.common import acting_user, audit_viewed, validated, visible_case
from casework.models import Case, OffenceAllegation
from config.api_docs import ErrorSerializer
from files.models import Document, FileSubmission
from files.selectors import document_list_for
from files.services.submissions import submission_list_visible_to

from ..models import ChargingDecision, ChargingRequest
from ..selectors import decisions_for, request_get_for
from ..services import CONFLICT, NOT_ALLOWED

__all__ = ["acting_user", "audit_viewed", "validated", "visible_case"]


CONFLICT_RESPONSE = {
    409: OpenApiResponse(
        ErrorSerializer, description="Someone changed the request since you read it (stale `version`): reload."
    )
}


class Conflict(APIException):
    """The request changed since the caller read it (a stale ``version``): nothing was changed."""

    status_code = 409
    default_code = "conflict"
    default_detail = CONFLICT


def visible_request(request: Request, case_id: uuid.UUID, request_id: uuid.UUID) -> ChargingRequest:
    """The charging request on a case the caller may see, or 404 (the same for a missing one)."""
    case = visible_case(request, case_id)
    return request_get_for(user=acting_user(request), case=case, public_id=request_id)


def visible_decision(charging_request: ChargingRequest, decision_id: uuid.UUID) -> ChargingDecision:
    """One decision of a request the caller may already see, with its charges and actions, or 404."""
    for decision in decisions_for(charging_request):
        if decision.public_id == decision_id:
            return decision
    raise Http404("Charging decision not found")


def ensure_any(request: Request, obj: object, *perms: str) -> None:
    """Refuse (403) before reading the input unless the caller holds one of ``perms`` on ``obj``, so someone
    who may see a request but not act on it is told so whatever they send. The service checks again.

    ``rules.has_perm``, not ``User.has_perm``: Django says yes to everything for a superuser, and a system
    administrator must not decide charges."""
    user = acting_user(request)
    if not (user.is_active and any(rules.has_perm(perm, user, obj) for perm in perms)):
        raise PermissionDenied(NOT_ALLOWED)


@contextmanager
def service_call() -> Iterator[None]:
    """Turn a service's stale-version refusal into 409; its other field errors pass through as 400."""
    try:
        yield
    except DjangoValidationError as exc:
        if hasattr(exc, "error_dict") and exc.message_dict.get("version") == [CONFLICT]:
            raise Conflict() from exc
        raise


class VersionInput(serializers.Serializer):  # type: ignore[type-arg]
    """Every change names the version of the request the caller read, so two people acting on the same
    request cannot overwrite each other: a stale version is refused with 409 and nothing changes."""

    version = serializers.IntegerField(
        min_value=1, help_text="The request's `version` as last read; refused with 409 if it has changed since."
    )


class ReasonInput(VersionInput):
    reason = serializers.CharField(allow_blank=True, max_length=5000, help_text="Read by the other side.")


class References:
    """Turns the public ids in an input into rows of the request's case, collecting one field error for each
    that cannot be used. An id that does not exist gets the same message as one on another case."""

    def __init__(self, case: Case, user: User) -> None:
        self.case = case
        self.user = user
        self.errors: dict[str, Any] = {}

    def fail(self, field: str, message: str) -> None:
        self.errors[field] = [message]

    def offence(self, public_id: uuid.UUID | None) -> OffenceAllegation | None:
        if public_id is None:
            return None
        return OffenceAllegation.objects.filter(case=self.case, public_id=public_id).first()

    def offences(self, field: str, public_ids: list[uuid.UUID], *, unknown: str) -> list[OffenceAllegation]:
        found = {o.public_id: o for o in OffenceAllegation.objects.filter(case=self.case, public_id__in=public_ids)}
        if any(pid not in found for pid in public_ids):
            self.fail(field, unknown)
        return [found[pid] for pid in public_ids if pid in found]

    def documents(self, field: str, public_ids: list[uuid.UUID], *, unknown: str) -> list[Document]:
        # Only material the caller may see can be attached: sensitive items stay out of reach of those who
        # may not see them, and their ids get the same answer as ids that do not exist.
        visible = document_list_for(user=self.user, case=self.case)
        found = {d.public_id: d for d in visible.filter(public_id__in=public_ids)}
        if any(pid not in found for pid in public_ids):
            self.fail(field, unknown)
        return [found[pid] for pid in public_ids if pid in found]

    def submission(self, field: str, public_id: uuid.UUID | None, *, unknown: str) -> FileSubmission | None:
        if public_id is None:
            return None
        submission = submission_list_visible_to(user=self.user, case=self.case).filter(public_id=public_id).first()
        if submission is None:
            self.fail(field, unknown)
        return submission

    def lawyer(self, field: str, public_id: uuid.UUID, *, unknown: str) -> User | None:
        lawyer = User.objects.filter(public_id=public_id).first()
        if lawyer is None:
            self.fail(field, unknown)
        return lawyer

    def check(self) -> None:
        if self.errors:
            raise serializers.ValidationError(self.errors)
