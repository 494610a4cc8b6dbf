"""Sign-in events from Django's auth and django-axes go to the audit log. (Auth is the one place
where events arrive as signals; the handlers only record them.)"""

from __future__ import annotations

import time
from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from .audit import audit_record
from .choices import AuditEventType
from .middleware import SESSION_AUTH_AT, SESSION_LAST_SEEN
from .models import User


@receiver(user_logged_in)
def _signed_in(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        now = time.time()
        request.session[SESSION_AUTH_AT] = now
        request.session[SESSION_LAST_SEEN] = now
    audit_record(by=user, event_type=AuditEventType.SIGNED_IN, obj=user)


@receiver(user_logged_out)
def _signed_out(sender: Any, request: HttpRequest | None, user: User | None, **kwargs: Any) -> None:
    if user is not None:
        audit_record(by=user, event_type=AuditEventType.SIGNED_OUT, obj=user)


@receiver(user_login_failed)
def _sign_in_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    # Only the username is kept; credentials also hold the password, which never leaves here.
    audit_record(by=None, event_type=AuditEventType.SIGN_IN_FAILED, username=str(credentials.get("username", "")))


@receiver(user_locked_out)
def _locked_out(sender: Any, request: HttpRequest, username: str, ip_address: str, **kwargs: Any) -> None:
    audit_record(by=None, event_type=AuditEventType.ACCOUNT_LOCKED, username=username or "")
