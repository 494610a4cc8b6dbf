"""Listing a hearing on a case and recording what happened at it (police or CPS)."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from .. import services
from ..forms import HearingForm
from ..models import Case, Hearing
from ..selectors import case_get_visible_to
from ._common import apply_service_errors, child_or_404, current_user, form_page, posted, require_perm


def overview_url(case: Case) -> str:
    return reverse("casework:case-detail", args=[case.public_id])


def _details(data: dict[str, Any]) -> services.HearingDetails:
    return services.HearingDetails(
        court=data["court"],
        starts_at=data["starts_at"],
        hearing_type=data["hearing_type"],
        outcome=data.get("outcome") or "",
        outcome_notes=data.get("outcome_notes", ""),
    )


@login_required
def hearing_add(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    user = current_user(request)
    case = case_get_visible_to(user=user, public_id=case_id)
    require_perm(user, "casework.record_hearing", case)
    form = HearingForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            hearing = services.hearing_add(case=case, details=_details(form.cleaned_data), by=user)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, f"{hearing.get_hearing_type_display()} at {hearing.court.name} added")
            return redirect(overview_url(case))
    return form_page(request, form, case=case, title="Add a hearing", submit="Add hearing", back_url=overview_url(case))


@login_required
def hearing_edit(request: HttpRequest, case_id: uuid.UUID, hearing_id: uuid.UUID) -> HttpResponse:
    user = current_user(request)
    hearing = child_or_404(request, case_id, Hearing, hearing_id)
    case = hearing.case
    require_perm(user, "casework.record_hearing", case)
    initial = {
        "court": hearing.court.code,
        "starts_at": hearing.starts_at,
        "hearing_type": hearing.hearing_type,
        "outcome": hearing.outcome,
        "outcome_notes": hearing.outcome_notes,
    }
    form = HearingForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            hearing = services.hearing_update(hearing=hearing, details=_details(form.cleaned_data), by=user)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, f"{hearing.get_hearing_type_display()} at {hearing.court.name} saved")
            return redirect(overview_url(case))
    return form_page(request, form, case=case, title="Change hearing", submit="Save", back_url=overview_url(case))
