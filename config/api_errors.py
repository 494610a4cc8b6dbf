"""One JSON error shape for the whole API.

Every error answers::

    {"error": {"status": 400, "code": "invalid", "message": "...", "fields": {"urn": ["..."]}}}

``fields`` appears only for validation errors. A missing object and an object outside the user's
scope both answer 404 with the same body, so a response never reveals whether a record exists.

Services raise Django's ``ValidationError`` (a dict of field → messages) and ``PermissionDenied``;
they are converted here, once, so API views call services without translating their errors.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

NOT_FOUND_MESSAGE = "Not found."


def _flatten(detail: Any) -> Any:
    if isinstance(detail, dict):
        return {key: _flatten(value) for key, value in detail.items()}
    if isinstance(detail, list):
        return [_flatten(item) for item in detail]
    return str(detail)


def error_body(*, status_code: int, code: str, message: str, fields: dict[str, Any] | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"status": status_code, "code": code, "message": message}
    if fields:
        body["fields"] = fields
    return {"error": body}


def validation_detail(exc: DjangoValidationError) -> dict[str, list[str]]:
    """A service's field → messages, with Django's ``__all__`` under DRF's ``non_field_errors``."""
    if not hasattr(exc, "error_dict"):
        return {api_settings.NON_FIELD_ERRORS_KEY: exc.messages}
    return {
        (api_settings.NON_FIELD_ERRORS_KEY if field == NON_FIELD_ERRORS else field): messages
        for field, messages in exc.message_dict.items()
    }


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(NOT_FOUND_MESSAGE)
    elif isinstance(exc, PermissionDenied):
        # The service's own words ("You are not allowed to do this on this case.") when it gave any.
        exc = exceptions.PermissionDenied(str(exc) or None)
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(validation_detail(exc))
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    assert isinstance(exc, exceptions.APIException)
    if isinstance(exc, exceptions.ValidationError):
        detail = exc.detail
        fields = _flatten(detail) if isinstance(detail, dict) else {"non_field_errors": _flatten(detail)}
        response.data = error_body(
            status_code=response.status_code,
            code="invalid",
            message="The request was not valid. See the fields for what to correct.",
            fields=fields,
        )
    else:
        codes = exc.get_codes()
        response.data = error_body(
            status_code=response.status_code,
            code=codes if isinstance(codes, str) else "error",
            message=str(exc.detail) if not isinstance(exc.detail, (dict, list)) else "Request failed.",
        )
    return response


def not_found_response() -> Response:
    return Response(
        error_body(status_code=404, code="not_found", message=NOT_FOUND_MESSAGE), status=status.HTTP_404_NOT_FOUND
    )
