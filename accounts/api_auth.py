"""API authentication: hashed bearer tokens for other systems, the session for the browser."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.utils import timezone
from rest_framework import authentication, exceptions
from rest_framework.request import Request

from .models import ApiToken, User

TOKEN_INVALID = "The token is not valid, has expired or has been revoked."  # noqa: S105 - a message, not a secret


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class ApiTokenAuthentication(authentication.BaseAuthentication):
    """``Authorization: Bearer <key>``. Only the SHA-256 of a key is stored, so a database leak does
    not leak working tokens."""

    keyword = "Bearer"

    def authenticate(self, request: Request) -> tuple[User, ApiToken] | None:
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(TOKEN_INVALID)
        try:
            key = header[1].decode()
        except UnicodeError as exc:
            raise exceptions.AuthenticationFailed(TOKEN_INVALID) from exc
        now = timezone.now()
        token = (
            ApiToken.objects.select_related("user", "user__organisation", "user__unit")
            .filter(key_hash=hash_key(key), revoked_at__isnull=True)
            .first()
        )
        if token is None or not token.user.is_active or (token.expires_at and token.expires_at <= now):
            raise exceptions.AuthenticationFailed(TOKEN_INVALID)
        # Record use at most once a minute, so a busy integration does not write on every call.
        if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        request._request._api_token_auth = True  # type: ignore[attr-defined]
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        return self.keyword


class OtpSessionAuthentication(authentication.SessionAuthentication):
    """The browser's session, with CSRF checks; where two-factor is required the session must have
    passed it, or the API would be a way around it."""

    def authenticate(self, request: Request) -> tuple[User, None] | None:
        result = super().authenticate(request)
        if result is None:
            return None
        user = result[0]
        if settings.TWO_FACTOR_REQUIRED and not user.is_verified() and not request.session.get("casebridge_sso"):
            return None
        return result
