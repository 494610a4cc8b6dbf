"""Case pages. Reads go through selectors; viewing a case is audited."""

from __future__ import annotations

import uuid

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.audit import audit_record
from accounts.choices import AuditEventType
from accounts.models import User

from ..selectors import case_get_visible_to, case_list_visible_to

PAGE_SIZE = 25


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    page = Paginator(case_list_visible_to(user=user).order_by("-updated_at", "-id"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "casework/case_list.html", {"page": page})


@login_required
def case_detail(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    case = case_get_visible_to(user=user, public_id=case_id)
    audit_record(by=user, event_type=AuditEventType.CASE_VIEWED, obj=case, case_id=case.public_id)
    return render(request, "casework/case_detail.html", {"case": case})
