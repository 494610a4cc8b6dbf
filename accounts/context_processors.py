from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from .navigation import navigation_for


def service(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    return {
        "service_name": settings.SERVICE_NAME,
        "navigation": navigation_for(user, request.path) if user is not None and user.is_authenticated else [],
    }
