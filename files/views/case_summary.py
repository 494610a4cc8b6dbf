"""The MG5 editor: the case summary and interview summary, the points to prove for each offence
with the evidence that proves each (a form per point, evidence chosen from the case's documents
and exhibits), and the supervisor's certification."""

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
from django.urls import reverse

from accounts.models import User
from casework.forms import text as text_field
from casework.models import Case, OffenceAllegation
from casework.selectors import case_child_visible_to
from casework.views._common import apply_service_errors, current_user, form_page, may, posted, require_perm

from ..choices import Sensitivity
from ..models import Document, Exhibit
from ..selectors import document_list_for
from ..services import case_summary as service
from .exhibits import DocumentChoiceField, audit_viewed, document_field, material_page, visible_case


class ExhibitChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.reference}: {obj.description[:80]}"


class CaseSummaryForm(forms.Form):
    summary = text_field(
        "Case summary",
        textarea=True,
        help_text="Objective, balanced and in time order: what happened, what the key witnesses say, and the "
        "evidence. Sensitive information goes on the MG6, not here",
    )
    interview_summary = text_field("Interview summary", textarea=True, help_text="What the suspect said in interview")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["summary"].widget.attrs["rows"] = 12
        self.fields["interview_summary"].widget.attrs["rows"] = 8


class PointForm(forms.Form):
    text = text_field("Point to prove", required_message=service.POINT_TEXT_REQUIRED, textarea=True)
    order = forms.IntegerField(
        label="Position (optional)",
        required=False,
        min_value=1,
        help_text="1 for the first point of this offence. Leave blank to put a new point last",
        error_messages={"invalid": service.ORDER_INVALID, "min_value": service.ORDER_INVALID},
    )
    evidence_documents = document_field(Document.objects.none(), label="Documents that prove it")
    evidence_exhibits = ExhibitChoiceField(
        queryset=Exhibit.objects.none(),
        label="Exhibits that prove it",
        required=False,
        to_field_name="public_id",
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, documents: QuerySet[Document], exhibits: QuerySet[Exhibit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["text"].max_length = service.POINT_TEXT_MAX  # type: ignore[attr-defined]
        self.fields["order"].widget.attrs["class"] = "govuk-input--width-3"
        documents_field = self.fields["evidence_documents"]
        assert isinstance(documents_field, DocumentChoiceField)
        documents_field.queryset = documents
        documents_field.error_messages["invalid_choice"] = service.EVIDENCE_DOCUMENT_NOT_ON_CASE
        exhibits_field = self.fields["evidence_exhibits"]
        assert isinstance(exhibits_field, ExhibitChoiceField)
        exhibits_field.queryset = exhibits
        exhibits_field.error_messages["invalid_choice"] = service.EVIDENCE_EXHIBIT_NOT_ON_CASE
        if not documents.exists():
            del self.fields["evidence_documents"]
        if not exhibits.exists():
            del self.fields["evidence_exhibits"]


class CertifyForm(forms.Form):
    """Nothing to fill in: the button is the declaration."""


# The MG5 forms warn that saving clears a certification.
POINT_TEMPLATE = "files/case_summary_form.html"


def _is_certified(case: Case) -> bool:
    return service.case_summary_of(case).certified_at is not None


def mg5_url(case: Case) -> str:
    return reverse("files:case-summary", args=[case.public_id])


def _evidence_documents(user: User, case: Case) -> QuerySet[Document]:
    # Evidence on the MG5 is never sensitive: it is disclosed to the defence.
    return document_list_for(user=user, case=case).exclude(sensitivity=Sensitivity.SENSITIVE).order_by("title", "id")


def _exhibits(case: Case) -> QuerySet[Exhibit]:
    return Exhibit.objects.filter(case=case).order_by("producer_initials", "number")


def _details(data: dict[str, Any]) -> service.PointDetails:
    return service.PointDetails(
        text=data["text"],
        order=data.get("order"),
        evidence_documents=list(data.get("evidence_documents") or []),
        evidence_exhibits=list(data.get("evidence_exhibits") or []),
    )


def offences_with_points(case: Case) -> list[dict[str, Any]]:
    """Each offence on the case with its points to prove, in order, and their evidence."""
    points = list(service.points_to_prove_of(case))
    offences = OffenceAllegation.objects.filter(case=case).select_related("offence_code", "suspect")
    return [
        {"offence": offence, "points": [p for p in points if p.offence_id == offence.pk]}
        for offence in offences.order_by("created_at", "id")
    ]


@login_required
def case_summary(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    user = current_user(request)
    case = visible_case(request, case_id)
    audit_viewed(user, case, "MG5")
    return material_page(
        request,
        "files/case_summary.html",
        case,
        title="MG5 case summary",
        mg5=service.case_summary_of(case),
        offences=offences_with_points(case),
        can_edit=may(user, "files.edit_case_summary", case),
        can_certify=may(user, "files.certify_case_summary", case),
    )


@login_required
def case_summary_edit(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    user = current_user(request)
    case = visible_case(request, case_id)
    require_perm(user, "files.edit_case_summary", case)
    mg5 = service.case_summary_of(case)
    form = CaseSummaryForm(
        posted(request), initial={"summary": mg5.summary, "interview_summary": mg5.interview_summary}
    )
    if request.method == "POST" and form.is_valid():
        try:
            service.case_summary_update(
                case=case,
                summary=form.cleaned_data.get("summary", ""),
                interview_summary=form.cleaned_data.get("interview_summary", ""),
                by=user,
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "MG5 saved")
            return redirect(mg5_url(case))
    return form_page(
        request,
        form,
        case=case,
        title="Case summary and interview summary",
        caption=f"Case {case.urn_display}: MG5",
        submit="Save",
        back_url=mg5_url(case),
        template="files/case_summary_form.html",
        certified=mg5.certified_at is not None,
    )


@login_required
def case_summary_certify(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    user = current_user(request)
    case = visible_case(request, case_id)
    require_perm(user, "files.certify_case_summary", case)
    form = CertifyForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            service.case_summary_certify(case=case, by=user)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "MG5 certified")
            return redirect(mg5_url(case))
    context = {
        "form": form,
        "case": case,
        "mg5": service.case_summary_of(case),
        "offences": offences_with_points(case),
        "back_url": mg5_url(case),
    }
    return render(request, "files/case_summary_certify.html", context, status=400 if form.errors else 200)


@login_required
def point_add(request: HttpRequest, case_id: uuid.UUID, offence_id: uuid.UUID) -> HttpResponse:
    user = current_user(request)
    offence = case_child_visible_to(user=user, case_id=case_id, model=OffenceAllegation, public_id=offence_id)
    assert isinstance(offence, OffenceAllegation)
    case = offence.case
    require_perm(user, "files.edit_case_summary", case)
    form = PointForm(posted(request), documents=_evidence_documents(user, case), exhibits=_exhibits(case))
    if request.method == "POST" and form.is_valid():
        try:
            service.point_to_prove_add(case=case, offence=offence, details=_details(form.cleaned_data), by=user)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, f"Point to prove added for {offence.code_with_qualifier}")
            return redirect(mg5_url(case))
    return form_page(
        request,
        form,
        case=case,
        title="Add a point to prove",
        caption=f"Case {case.urn_display}: {offence.code_with_qualifier} {offence.offence_code.title}",
        submit="Add point to prove",
        back_url=mg5_url(case),
        template=POINT_TEMPLATE,
        certified=_is_certified(case),
    )


@login_required
def point_edit(request: HttpRequest, case_id: uuid.UUID, point_id: uuid.UUID) -> HttpResponse:
    user = current_user(request)
    case = visible_case(request, case_id)
    require_perm(user, "files.edit_case_summary", case)
    point = service.point_to_prove_get(case=case, public_id=point_id)
    initial = {
        "text": point.text,
        "order": point.order,
        "evidence_documents": [d.public_id for d in point.evidence_documents.all()],
        "evidence_exhibits": [e.public_id for e in point.evidence_exhibits.all()],
    }
    form = PointForm(
        posted(request), documents=_evidence_documents(user, case), exhibits=_exhibits(case), initial=initial
    )
    offence = point.offence
    if request.method == "POST" and form.is_valid():
        try:
            service.point_to_prove_update(point=point, details=_details(form.cleaned_data), by=user)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, f"Point to prove for {offence.code_with_qualifier} saved")
            return redirect(mg5_url(case))
    return form_page(
        request,
        form,
        case=case,
        title="Change a point to prove",
        caption=f"Case {case.urn_display}: {offence.code_with_qualifier} {offence.offence_code.title}",
        submit="Save",
        back_url=mg5_url(case),
        template=POINT_TEMPLATE,
        certified=_is_certified(case),
    )
