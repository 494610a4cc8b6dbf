"""Exhibit pages: the case's exhibit list, adding and changing an exhibit, and its continuity (each
move of the exhibit). Reads go through the scoped selectors; the services decide every write."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse

from accounts.audit import audit_record
from accounts.choices import AuditEventType
from accounts.models import User
from casework.forms import GovukDateTimeField, text
from casework.models import Case
from casework.selectors import case_get_visible_to
from casework.views._common import (
    apply_service_errors,
    case_context,
    current_user,
    form_page,
    may,
    posted,
    require_perm,
)

from ..models import Document
from ..selectors import document_list_for
from ..services import exhibits as service

FORM_TEMPLATE = "casework/form_page.html"


# ---------------------------------------------------------------------------------------------
# Shared by the case material record pages


def material_url(case: Case) -> str:
    """The case's Material area: the files app's page once it is there, else the case tab."""
    for name in ("files:material", "casework:case-material"):
        try:
            return reverse(name, args=[case.public_id])
        except NoReverseMatch:
            continue
    return f"/cases/{case.public_id}/material/"


def visible_case(request: HttpRequest, case_id: uuid.UUID) -> Case:
    return case_get_visible_to(user=current_user(request), public_id=case_id)


def audit_viewed(user: User, case: Case, part: str, obj: Any = None) -> None:
    """Looking at case material is recorded, as viewing the case is."""
    audit_record(
        by=user, event_type=AuditEventType.CASE_VIEWED, obj=obj or case, case_id=case.public_id, data={"part": part}
    )


def material_page(
    request: HttpRequest, template: str, case: Case, *, title: str, back_url: str = "", **extra: Any
) -> HttpResponse:
    """A page of the Material area, inside the case's tabs."""
    context = case_context(case, current_user(request), "material")
    context.update(tab_title=title, back_url=back_url or material_url(case), **extra)
    return render(request, template, context)


class DocumentChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.title} ({obj.get_kind_display()})"


def document_field(documents: QuerySet[Document], *, label: str, help_text: str = "") -> DocumentChoiceField:
    field = DocumentChoiceField(
        queryset=documents,
        label=label,
        required=False,
        to_field_name="public_id",
        widget=forms.CheckboxSelectMultiple,
        help_text=help_text,
    )
    field.error_messages["invalid_choice"] = service.DOCUMENT_NOT_ON_CASE
    field.error_messages["invalid_pk_value"] = service.DOCUMENT_NOT_ON_CASE
    return field


# ---------------------------------------------------------------------------------------------
# Forms: they read what was typed; the service decides whether it is acceptable.


class ExhibitForm(forms.Form):
    description = text("Description", required_message=service.DESCRIPTION_REQUIRED, textarea=True)
    producer_name = text(
        "Producer’s name",
        required_message=service.PRODUCER_REQUIRED,
        max_length=200,
        help_text="The person who found, seized or produced the exhibit",
    )
    producer_initials = text(
        "Producer’s initials (optional)",
        max_length=10,
        help_text="Leave blank to use the initials of the producer’s name. The reference is the initials and "
        "the next number for them on this case, for example JS/1",
    )
    location = text("Where the exhibit is now", required_message=service.LOCATION_REQUIRED, max_length=300)
    documents = document_field(Document.objects.none(), label="Linked documents (optional)")

    def __init__(self, *args: Any, documents: QuerySet[Document], editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["producer_initials"].widget.attrs["class"] = "govuk-input--width-5"
        documents_field = self.fields["documents"]
        assert isinstance(documents_field, DocumentChoiceField)
        documents_field.queryset = documents
        if editing:
            # The reference is on the label and the location changes only by a recorded move.
            del self.fields["producer_initials"]
            del self.fields["location"]
        if not documents.exists():
            del self.fields["documents"]


class MovementForm(forms.Form):
    moved_at = GovukDateTimeField(
        label="When it moved", noun="The date and time of the move", required_message=service.MOVED_AT_REQUIRED
    )
    from_location = text("Moved from", required_message=service.FROM_REQUIRED, max_length=300)
    to_location = text("Moved to", required_message=service.TO_REQUIRED, max_length=300)
    handled_by = text(
        "Handled by",
        required_message=service.HANDLED_BY_REQUIRED,
        max_length=200,
        help_text="Name (and collar number) of the person who moved or received it",
    )
    reason = text("Reason (optional)", max_length=300, help_text="For example, sent for fingerprint examination")


# ---------------------------------------------------------------------------------------------
# Pages


def _manageable_case(request: HttpRequest, case_id: uuid.UUID) -> Case:
    case = visible_case(request, case_id)
    require_perm(current_user(request), "files.manage_exhibits", case)
    return case


def exhibits_url(case: Case) -> str:
    return reverse("files:exhibit-list", args=[case.public_id])


@login_required
def exhibit_list(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    user = current_user(request)
    case = visible_case(request, case_id)
    audit_viewed(user, case, "exhibits")
    return material_page(
        request,
        "files/exhibits.html",
        case,
        title="Exhibits",
        exhibits=list(service.exhibit_list_for(user=user, case=case)),
        can_manage=may(user, "files.manage_exhibits", case),
    )


@login_required
def exhibit_detail(request: HttpRequest, case_id: uuid.UUID, exhibit_id: uuid.UUID) -> HttpResponse:
    user = current_user(request)
    case = visible_case(request, case_id)
    exhibit = service.exhibit_get_for(user=user, case=case, public_id=exhibit_id)
    audit_viewed(user, case, "exhibit", exhibit)
    return material_page(
        request,
        "files/exhibits_detail.html",
        case,
        title=f"Exhibit {exhibit.reference}",
        exhibit=exhibit,
        back_url=exhibits_url(case),
        can_manage=may(user, "files.manage_exhibits", case),
    )


@login_required
def exhibit_add(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    user = current_user(request)
    case = _manageable_case(request, case_id)
    form = ExhibitForm(posted(request), documents=document_list_for(user=user, case=case))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        details = service.ExhibitDetails(
            description=data["description"],
            producer_name=data["producer_name"],
            producer_initials=data.get("producer_initials", ""),
            location=data["location"],
            documents=list(data.get("documents") or []),
        )
        try:
            exhibit = service.exhibit_add(case=case, details=details, by=user)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, f"Exhibit {exhibit.reference} added")
            return redirect(exhibits_url(case))
    return form_page(
        request,
        form,
        case=case,
        title="Add an exhibit",
        submit="Add exhibit",
        back_url=exhibits_url(case),
        template=FORM_TEMPLATE,
    )


@login_required
def exhibit_edit(request: HttpRequest, case_id: uuid.UUID, exhibit_id: uuid.UUID) -> HttpResponse:
    user = current_user(request)
    case = _manageable_case(request, case_id)
    exhibit = service.exhibit_get_for(user=user, case=case, public_id=exhibit_id)
    initial = {
        "description": exhibit.description,
        "producer_name": exhibit.producer_name,
        "documents": [d.public_id for d in exhibit.documents.all()],
    }
    form = ExhibitForm(
        posted(request), documents=document_list_for(user=user, case=case), editing=True, initial=initial
    )
    back_url = reverse("files:exhibit-detail", args=[case.public_id, exhibit.public_id])
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        changes = service.ExhibitChanges(
            description=data["description"],
            producer_name=data["producer_name"],
            documents=list(data.get("documents") or []),
        )
        try:
            service.exhibit_update(exhibit=exhibit, changes=changes, by=user)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, f"Exhibit {exhibit.reference} saved")
            return redirect(back_url)
    return form_page(
        request,
        form,
        case=case,
        title=f"Change exhibit {exhibit.reference}",
        submit="Save",
        back_url=back_url,
        template=FORM_TEMPLATE,
    )


@login_required
def exhibit_move(request: HttpRequest, case_id: uuid.UUID, exhibit_id: uuid.UUID) -> HttpResponse:
    user = current_user(request)
    case = _manageable_case(request, case_id)
    exhibit = service.exhibit_get_for(user=user, case=case, public_id=exhibit_id)
    form = MovementForm(posted(request), initial={"from_location": exhibit.location})
    back_url = reverse("files:exhibit-detail", args=[case.public_id, exhibit.public_id])
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        details = service.MovementDetails(
            moved_at=data["moved_at"],
            from_location=data["from_location"],
            to_location=data["to_location"],
            handled_by=data["handled_by"],
            reason=data.get("reason", ""),
        )
        try:
            service.exhibit_move(exhibit=exhibit, details=details, by=user)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, f"Move of exhibit {exhibit.reference} recorded")
            return redirect(back_url)
    return form_page(
        request,
        form,
        case=case,
        title=f"Record a move of exhibit {exhibit.reference}",
        caption=f"Case {case.urn_display}: continuity",
        submit="Record move",
        back_url=back_url,
        template=FORM_TEMPLATE,
    )
