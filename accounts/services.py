"""Writes on accounts: API tokens. (Users and organisations are managed in the Django admin.)"""

from __future__ import annotations

import secrets
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from .api_auth import hash_key
from .audit import audit_record
from .choices import AuditEventType
from .models import ApiToken, User

TOKEN_BYTES = 32


@transaction.atomic
def api_token_issue(
    *, user: User, name: str, by: User | None = None, expires_at: datetime | None = None
) -> tuple[ApiToken, str]:
    """Create a token for ``user`` and return it with its key. The key is not stored and cannot be
    shown again."""
    if not user.is_active:
        raise ValueError(f"User {user.username} is not active.")
    key = "cb_" + secrets.token_urlsafe(TOKEN_BYTES)
    token = ApiToken.objects.create(
        user=user, name=name, prefix=key[:10], key_hash=hash_key(key), expires_at=expires_at
    )
    audit_record(
        by=by,
        event_type=AuditEventType.API_TOKEN_ISSUED,
        obj=token,
        data={"for_user": str(user.public_id), "name": name},
        username="manage.py" if by is None else "",
    )
    return token, key


@transaction.atomic
def api_token_revoke(*, token: ApiToken, by: User | None) -> ApiToken:
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(
            by=by, event_type=AuditEventType.API_TOKEN_REVOKED, obj=token, data={"for_user": str(token.user.public_id)}
        )
    return token
