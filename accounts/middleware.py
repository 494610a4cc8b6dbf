"""Request id, session time-outs and the two-factor requirement."""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Callable

import structlog
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from . import request_context
from .audit import audit_record
from .choices import AuditEventType

_SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class RequestIdMiddleware:
    """Gives every request an id (kept from a trusted proxy's ``X-Request-ID`` when well formed),
    binds it to the logs and the audit context, and returns it in the response."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _SAFE_REQUEST_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id  # type: ignore[attr-defined]
        token = request_context.set_current(
            request_context.RequestContext(request_id=request_id, ip_address=request.META.get("REMOTE_ADDR"))
        )
        structlog.contextvars.bind_contextvars(request_id=request_id)
        try:
            response = self.get_response(request)
        finally:
            structlog.contextvars.unbind_contextvars("request_id")
            request_context.reset(token)
        response["X-Request-ID"] = request_id
        return response


SESSION_AUTH_AT = "casebridge_auth_at"
SESSION_LAST_SEEN = "casebridge_last_seen"
IDLE_MESSAGE = "You were signed out because you had not done anything for 30 minutes. Sign in again to continue."
ABSOLUTE_MESSAGE = "You were signed out because your session reached its time limit. Sign in again to continue."


class SessionTimeoutMiddleware:
    """Signs a user out after ``SESSION_IDLE_SECONDS`` without a request and, whatever they do,
    ``SESSION_ABSOLUTE_SECONDS`` after they signed in."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated and hasattr(request, "session") and not getattr(request, "_api_token_auth", False):
            now = time.time()
            auth_at = request.session.get(SESSION_AUTH_AT, now)
            last_seen = request.session.get(SESSION_LAST_SEEN, now)
            reason = None
            if now - last_seen > settings.SESSION_IDLE_SECONDS:
                reason = ("idle", IDLE_MESSAGE)
            elif now - auth_at > settings.SESSION_ABSOLUTE_SECONDS:
                reason = ("absolute", ABSOLUTE_MESSAGE)
            if reason:
                audit_record(
                    by=user, event_type=AuditEventType.SESSION_EXPIRED, summary=f"Session expired ({reason[0]})"
                )  # type: ignore[arg-type]
                logout(request)
                messages.warning(request, reason[1])
                if request.path.startswith("/api/"):
                    return self.get_response(request)
                return HttpResponseRedirect(f"{reverse(settings.LOGIN_URL)}?next={request.path}")
            request.session[SESSION_AUTH_AT] = auth_at
            request.session[SESSION_LAST_SEEN] = now
        return self.get_response(request)


# Paths a signed-in user may reach before completing two-factor authentication.
TWO_FACTOR_EXEMPT_PREFIXES = (
    "/accounts/sign-in",
    "/accounts/sign-out",
    "/accounts/two-factor/",
    "/accounts/password-reset",
    "/static/",
    "/healthz",
    "/api/",
)


class TwoFactorRequiredMiddleware:
    """With ``TWO_FACTOR_REQUIRED``, a user signed in by password only is sent to enrol (no device
    yet) or to enter their code. API requests are authenticated separately: session API calls require
    a verified session (``OtpSessionAuthentication``)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            settings.TWO_FACTOR_REQUIRED
            and user.is_authenticated
            and not user.is_verified()  # type: ignore[union-attr,attr-defined]
            and not request.path.startswith(TWO_FACTOR_EXEMPT_PREFIXES)
            and not request.session.get("casebridge_sso")
        ):
            from django_otp import user_has_device

            target = "accounts:two-factor-verify" if user_has_device(user) else "accounts:two-factor-setup"
            return HttpResponseRedirect(f"{reverse(target)}?next={request.get_full_path()}")
        return self.get_response(request)
