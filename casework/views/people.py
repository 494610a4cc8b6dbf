"""Adding and changing suspects, victims and witnesses; recording a suspect's custody and bail
events and the Victims' Code updates given to a victim. Each view parses the form, calls the
service, and shows the service's refusal against the fields it is about."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from .. import services
from ..choices import CustodyEventKind
from ..forms import CustodyEventForm, CustodyKindForm, SuspectForm, VictimForm, VictimUpdateForm, WitnessForm
from ..models import Case, Suspect, Victim, Witness
from ..selectors import case_get_visible_to
from ._common import apply_service_errors, child_or_404, current_user, form_page, posted, require_perm

SUSPECT_FIELDS = (
    "first_names",
    "last_name",
    "date_of_birth",
    "pnc_id",
    "asn",
    "custody_record_number",
    "interpreter_language",
    "vulnerabilities",
    "needs_appropriate_adult",
)
VICTIM_FIELDS = (
    "first_names",
    "last_name",
    "date_of_birth",
    "is_organisation",
    "enhanced_rights",
    "contact_preference",
    "contact_details",
    "personal_statement",
    "personal_statement_on",
    "first_statement_on",
)
WITNESS_FIELDS = (
    "first_names",
    "last_name",
    "date_of_birth",
    "witness_type",
    "is_key",
    "vulnerability",
    "special_measures",
    "willing_to_attend",
    "notes",
    "no_dates_to_avoid",
)


def people_url(case: Case) -> str:
    return reverse("casework:case-people", args=[case.public_id])


def _pick(data: dict[str, Any], names: tuple[str, ...]) -> dict[str, Any]:
    return {name: data[name] for name in names}


def _editable_case(request: HttpRequest, case_id: uuid.UUID) -> Case:
    case = case_get_visible_to(user=current_user(request), public_id=case_id)
    require_perm(current_user(request), "casework.change_case", case)
    return case


# ---------------------------------------------------------------------------------------------
# Suspects


@login_required
def suspect_add(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    case = _editable_case(request, case_id)
    form = SuspectForm(posted(request))
    if request.method == "POST" and form.is_valid():
        details = services.SuspectDetails(**_pick(form.cleaned_data, SUSPECT_FIELDS))
        try:
            suspect = services.suspect_add(case=case, details=details, by=current_user(request))
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, f"Suspect {suspect.full_name} added")
            return redirect(people_url(case))
    return form_page(request, form, case=case, title="Add a suspect", submit="Add suspect", back_url=people_url(case))


@login_required
def suspect_edit(request: HttpRequest, case_id: uuid.UUID, suspect_id: uuid.UUID) -> HttpResponse:
    suspect = child_or_404(request, case_id, Suspect, suspect_id)
    case = suspect.case
    require_perm(current_user(request), "casework.change_case", case)
    initial = {name: getattr(suspect, name) for name in SUSPECT_FIELDS} | {"asn": suspect.asn_display}
    form = SuspectForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        details = services.SuspectDetails(**_pick(form.cleaned_data, SUSPECT_FIELDS))
        try:
            suspect = services.suspect_update(suspect=suspect, details=details, by=current_user(request))
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, f"Suspect {suspect.full_name} saved")
            return redirect(people_url(case))
    return form_page(
        request, form, case=case, title=f"Change suspect {suspect.full_name}", submit="Save", back_url=people_url(case)
    )


@login_required
def custody_event_add(request: HttpRequest, case_id: uuid.UUID, suspect_id: uuid.UUID) -> HttpResponse:
    """Two steps: what happened (a GET form of radios), then the details that kind of event needs."""
    user = current_user(request)
    suspect = child_or_404(request, case_id, Suspect, suspect_id)
    case = suspect.case
    require_perm(user, "casework.change_case", case)
    kind = request.POST.get("kind") if request.method == "POST" else request.GET.get("kind")
    back_url = people_url(case)
    if kind not in CustodyEventKind.values:
        if request.method == "POST":
            kind_form = CustodyKindForm(request.POST)
        else:
            kind_form = CustodyKindForm(request.GET if "chosen" in request.GET else None)
        kind_form.is_valid()  # an unbound form (the first visit) has no errors
        return render(
            request,
            "casework/custody_kind.html",
            {"form": kind_form, "case": case, "suspect": suspect, "back_url": back_url},
            status=400 if kind_form.errors else 200,
        )
    form = CustodyEventForm(posted(request), kind=kind, suspect=suspect)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        details = services.CustodyDetails(
            kind=kind,
            occurred_at=data["occurred_at"],
            relevant_time=data.get("relevant_time"),
            arrested_on=data.get("arrested_on"),
            bail_start_date=data.get("bail_start_date"),
            period_ends_on=data.get("period_ends_on"),
            period_ends_at=data.get("period_ends_at"),
            authority=data.get("authority") or "",
            authorised_by=data.get("authorised_by", ""),
            court=data.get("court"),
            offence=data.get("offence"),
            first_remand_date=data.get("first_remand_date"),
            conditions=data.get("conditions", ""),
            notes=data.get("notes", ""),
        )
        try:
            event = services.custody_event_record(suspect=suspect, details=details, by=user)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, f"{suspect.full_name}: {event.get_kind_display()} recorded")
            return redirect(back_url)
    return form_page(
        request,
        form,
        case=case,
        title=CustodyEventKind(kind).label,
        caption=f"Case {case.urn_display}: {suspect.full_name}",
        submit="Save",
        back_url=back_url,
        change_kind_url=reverse("casework:custody-event-add", args=[case.public_id, suspect.public_id]),
        template="casework/custody_event_form.html",
    )


# ---------------------------------------------------------------------------------------------
# Victims


def _victim_details(data: dict[str, Any]) -> services.VictimDetails:
    return services.VictimDetails(**_pick(data, VICTIM_FIELDS))


@login_required
def victim_add(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    case = _editable_case(request, case_id)
    form = VictimForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            victim = services.victim_add(
                case=case, details=_victim_details(form.cleaned_data), by=current_user(request)
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, f"Victim {victim.full_name} added")
            return redirect(people_url(case))
    return form_page(request, form, case=case, title="Add a victim", submit="Add victim", back_url=people_url(case))


@login_required
def victim_edit(request: HttpRequest, case_id: uuid.UUID, victim_id: uuid.UUID) -> HttpResponse:
    victim = child_or_404(request, case_id, Victim, victim_id)
    case = victim.case
    require_perm(current_user(request), "casework.change_case", case)
    form = VictimForm(posted(request), initial={name: getattr(victim, name) for name in VICTIM_FIELDS})
    if request.method == "POST" and form.is_valid():
        try:
            victim = services.victim_update(
                victim=victim, details=_victim_details(form.cleaned_data), by=current_user(request)
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, f"Victim {victim.full_name} saved")
            return redirect(people_url(case))
    return form_page(
        request, form, case=case, title=f"Change victim {victim.full_name}", submit="Save", back_url=people_url(case)
    )


@login_required
def victim_update_add(request: HttpRequest, case_id: uuid.UUID, victim_id: uuid.UUID) -> HttpResponse:
    user = current_user(request)
    victim = child_or_404(request, case_id, Victim, victim_id)
    case = victim.case
    require_perm(user, "casework.record_victim_update", case)
    form = VictimUpdateForm(posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.victim_update_record(
                victim=victim,
                reason=data["reason"],
                event_on=data["event_on"],
                given_on=data["given_on"],
                method=data["method"],
                summary=data["summary"],
                by=user,
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, f"Update given to {victim.full_name} recorded")
            return redirect(people_url(case))
    return form_page(
        request,
        form,
        case=case,
        title=f"Record an update given to {victim.full_name}",
        submit="Save",
        back_url=people_url(case),
    )


# ---------------------------------------------------------------------------------------------
# Witnesses


def _witness_details(data: dict[str, Any]) -> services.WitnessDetails:
    return services.WitnessDetails(**_pick(data, WITNESS_FIELDS), dates_to_avoid=data["dates_to_avoid"])


def _save_witness(request: HttpRequest, form: WitnessForm, case: Case, witness: Witness | None) -> HttpResponse | None:
    """Call the service; the redirect on success, or None with the refusal on the form."""
    details = _witness_details(form.cleaned_data)
    try:
        if witness is None:
            witness = services.witness_add(case=case, details=details, by=current_user(request))
            messages.success(request, f"Witness {witness.full_name} added")
        else:
            witness = services.witness_update(witness=witness, details=details, by=current_user(request))
            messages.success(request, f"Witness {witness.full_name} saved")
    except ValidationError as exc:
        apply_service_errors(form, exc, {"dates_to_avoid": form.reversed_range_field()})
        return None
    return redirect(people_url(case))


WITNESS_SECTIONS = [("avoid_1_from", "Dates the witness cannot attend court")]


@login_required
def witness_add(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    case = _editable_case(request, case_id)
    form = WitnessForm(posted(request))
    if request.method == "POST" and form.is_valid():
        response = _save_witness(request, form, case, None)
        if response is not None:
            return response
    return form_page(
        request,
        form,
        case=case,
        title="Add a witness",
        submit="Add witness",
        back_url=people_url(case),
        sections=WITNESS_SECTIONS,
    )


@login_required
def witness_edit(request: HttpRequest, case_id: uuid.UUID, witness_id: uuid.UUID) -> HttpResponse:
    witness = child_or_404(request, case_id, Witness, witness_id)
    case = witness.case
    require_perm(current_user(request), "casework.change_case", case)
    ranges = [(d.starts_on, d.ends_on, d.reason) for d in witness.dates_to_avoid.all()]
    initial = {name: getattr(witness, name) for name in WITNESS_FIELDS} | WitnessForm.initial_ranges(ranges)
    form = WitnessForm(posted(request), initial=initial, ranges=len(ranges))
    if request.method == "POST" and form.is_valid():
        response = _save_witness(request, form, case, witness)
        if response is not None:
            return response
    return form_page(
        request,
        form,
        case=case,
        title=f"Change witness {witness.full_name}",
        submit="Save",
        back_url=people_url(case),
        sections=WITNESS_SECTIONS,
    )
