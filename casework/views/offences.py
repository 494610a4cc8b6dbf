"""Adding and changing the offences alleged against a case's suspects."""

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
from ..forms import OffenceForm
from ..models import Case, OffenceAllegation
from ..selectors import case_get_visible_to
from ._common import (
    apply_service_errors,
    child_or_404,
    current_user,
    form_page,
    offence_search_url,
    posted,
    require_perm,
)


def offences_url(case: Case) -> str:
    return reverse("casework:case-offences", args=[case.public_id])


def _details(data: dict[str, Any]) -> services.OffenceDetails:
    return services.OffenceDetails(
        suspect=data["suspect"],
        code=data["code"],
        committed_on=data["committed_on"],
        qualifier=data.get("qualifier") or "",
        committed_until=data.get("committed_until"),
        location=data.get("location", ""),
        particulars=data.get("particulars", ""),
        status=data["status"],
    )


def _page(request: HttpRequest, form: OffenceForm, case: Case, title: str, submit: str) -> HttpResponse:
    return form_page(
        request,
        form,
        case=case,
        title=title,
        submit=submit,
        back_url=offences_url(case),
        template="casework/offence_form.html",
        offence_search_url=offence_search_url(),
        add_suspect_url=reverse("casework:suspect-add", args=[case.public_id]),
        has_suspects=form.fields["suspect"].queryset.exists(),  # type: ignore[attr-defined]
    )


@login_required
def offence_add(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    user = current_user(request)
    case = case_get_visible_to(user=user, public_id=case_id)
    require_perm(user, "casework.change_case", case)
    # The offence code search page links back here with the chosen code.
    form = OffenceForm(posted(request), case=case, initial={"code": request.GET.get("code", "")[:12]})
    if request.method == "POST" and form.is_valid():
        try:
            offence = services.offence_add(case=case, details=_details(form.cleaned_data), by=user)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request, f"Offence {offence.code_with_qualifier} added against {offence.suspect.full_name}"
            )
            return redirect(offences_url(case))
    return _page(request, form, case, "Add an offence", "Add offence")


@login_required
def offence_edit(request: HttpRequest, case_id: uuid.UUID, offence_id: uuid.UUID) -> HttpResponse:
    user = current_user(request)
    offence = child_or_404(request, case_id, OffenceAllegation, offence_id)
    case = offence.case
    require_perm(user, "casework.change_case", case)
    form = OffenceForm(posted(request), case=case, initial=OffenceForm.initial_for(offence))
    if request.method == "POST" and form.is_valid():
        try:
            offence = services.offence_update(offence=offence, details=_details(form.cleaned_data), by=user)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, f"Offence {offence.code_with_qualifier} saved")
            return redirect(offences_url(case))
    return _page(request, form, case, f"Change offence {offence.code_with_qualifier}", "Save")
