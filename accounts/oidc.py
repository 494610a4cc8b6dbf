"""Optional OIDC single sign-on (mozilla-django-oidc), switched on by ``OIDC_RP_CLIENT_ID``.

Users are never created from the identity provider: an administrator creates the account (with its
organisation and roles) and the provider's verified e-mail address must match it. With SSO, the
provider is responsible for multi-factor authentication.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from .models import User


class CasebridgeOIDCBackend(OIDCAuthenticationBackend):
    def filter_users_by_claims(self, claims: dict[str, Any]) -> QuerySet[User]:
        email = claims.get("email")
        if not email or claims.get("email_verified") is False:
            return User.objects.none()
        return User.objects.filter(email__iexact=email, is_active=True)

    def create_user(self, claims: dict[str, Any]) -> None:  # type: ignore[override]
        return None

    def authenticate(self, request: Any, **kwargs: Any) -> User | None:
        user: User | None = super().authenticate(request, **kwargs)
        if user is not None and request is not None:
            request.session["casebridge_sso"] = True
        return user
