"""Writing the audit log. Every service calls ``audit_record`` inside its own transaction, so the
change and the record of it commit or roll back together."""

from __future__ import annotations

import uuid
from typing import Any

from django.db import models

from . import request_context
from .choices import AuditEventType
from .models import AuditEvent, User


def _object_ref(obj: models.Model | None) -> tuple[str, str]:
    if obj is None:
        return "", ""
    ref = getattr(obj, "public_id", None) or obj.pk
    return obj._meta.label_lower, str(ref)


def audit_record(
    *,
    by: User | None,
    event_type: AuditEventType,
    obj: models.Model | None = None,
    case_id: uuid.UUID | None = None,
    summary: str = "",
    data: dict[str, Any] | None = None,
    username: str = "",
) -> AuditEvent:
    """Append one audit event. ``username`` names the actor when there is no user row (a failed
    sign-in for an unknown name); it is never a password or any other secret."""
    context = request_context.current()
    object_type, object_id = _object_ref(obj)
    actor = by if by is not None and by.is_authenticated and by.pk else None
    return AuditEvent.objects.create(
        event_type=event_type,
        actor=actor,
        actor_username=actor.username if actor else username[:150],
        actor_roles=list(actor.roles) if actor else [],
        actor_organisation_id=actor.organisation_id if actor else None,
        object_type=object_type,
        object_id=object_id,
        case_id=case_id,
        summary=summary[:500],
        data=data or {},
        ip_address=context.ip_address,
        request_id=context.request_id,
    )
