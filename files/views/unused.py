"""Unused material pages: the MG6C and MG6D schedules as two tables, scheduling and changing an item
(the police disclosure officer or a supervisor), and the prosecutor's decision on an item (the
CPS). The MG6D table, its items and their pages exist only for those who may see sensitive
material: to anyone else an MG6D item answers 404 like a missing one."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from casework.forms import radios, text
from casework.models import Case
from casework.selectors import CASE_NOT_FOUND
from casework.views._common import apply_service_errors, current_user, form_page, may, posted, require_perm

from ..choices import Schedule, Sensitivity
from ..models import Document, UnusedItem
from ..selectors import can_see_sensitive, document_list_for, unused_items_for
from ..services import unused as service
from .exhibits import FORM_TEMPLATE, audit_viewed, material_page, visible_case

SCHEDULE_TITLES: dict[str, str] = {
    Schedule.MG6C: "MG6C: relevant non-sensitive material",
    Schedule.MG6D: "MG6D: relevant sensitive material",
}


class DocumentChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.title} ({obj.get_kind_display()})"


class UnusedItemForm(forms.Form):
    description = text(
        "Description",
        required_message=service.DESCRIPTION_REQUIRED,
        textarea=True,
        help_text="Enough to identify the item and tell whether it needs to be disclosed",
    )
    location = text("Where it is kept", required_message=service.LOCATION_REQUIRED, max_length=300)
    sensitivity_reason = text(
        "Why it is sensitive",
        required_message=service.SENSITIVITY_REASON_REQUIRED,
        textarea=True,
        help_text="This is for the prosecutor only. Do not reveal the sensitivity in the description",
    )
    rebuttable_presumption = forms.BooleanField(
        label="This is rebuttable presumption material",
        required=False,
        help_text="Presumed to meet the disclosure test, for example a 999 call or a previous account of a witness",
    )
    document = DocumentChoiceField(
        queryset=Document.objects.none(),
        label="Linked document (optional)",
        required=False,
        to_field_name="public_id",
        empty_label="No linked document",
    )

    def __init__(self, *args: Any, schedule: str, documents: QuerySet[Document], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if schedule != Schedule.MG6D:
            del self.fields["sensitivity_reason"]
            # The MG6C goes to the defence: only non-sensitive documents may be linked to it.
            documents = documents.exclude(sensitivity=Sensitivity.SENSITIVE)
        field = self.fields["document"]
        assert isinstance(field, DocumentChoiceField)
        field.queryset = documents
        field.error_messages["invalid_choice"] = service.DOCUMENT_NOT_ON_CASE
        if not documents.exists():
            del self.fields["document"]


class DecisionForm(forms.Form):
    decision = radios([], label="Prosecutor’s decision", required_message=service.DECISION_REQUIRED)
    note = text("Note (optional)", textarea=True, help_text="For example, why the item is to be inspected")

    def __init__(self, *args: Any, schedule: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["decision"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(d.value, d.label) for d in service.decisions_for(schedule)]


def unused_url(case: Case) -> str:
    return reverse("files:unused-list", args=[case.public_id])


def _item(request: HttpRequest, case: Case, item_id: uuid.UUID) -> UnusedItem:
    return service.unused_item_get_for(user=current_user(request), case=case, public_id=item_id)


def _details(data: dict[str, Any]) -> service.UnusedItemDetails:
    return service.UnusedItemDetails(
        description=data["description"],
        location=data["location"],
        sensitivity_reason=data.get("sensitivity_reason", ""),
        rebuttable_presumption=bool(data.get("rebuttable_presumption")),
        document=data.get("document"),
    )


@login_required
def unused_list(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    user = current_user(request)
    case = visible_case(request, case_id)
    items = list(unused_items_for(user=user, case=case).order_by("schedule", "item_number"))
    sees_sensitive = can_see_sensitive(user, case)
    audit_viewed(user, case, "unused material")
    schedules = [
        {
            "schedule": schedule,
            "title": SCHEDULE_TITLES[schedule],
            "items": [i for i in items if i.schedule == schedule],
            "print_url": reverse(f"files:print-{schedule}", args=[case.public_id]),
        }
        for schedule in (Schedule.MG6C, Schedule.MG6D)
        if schedule == Schedule.MG6C or sees_sensitive
    ]
    return material_page(
        request,
        "files/unused.html",
        case,
        title="Unused material",
        schedules=schedules,
        sees_sensitive=sees_sensitive,
        can_manage=may(user, "files.manage_unused", case),
        can_decide=may(user, "files.decide_unused", case),
    )


@login_required
def unused_detail(request: HttpRequest, case_id: uuid.UUID, item_id: uuid.UUID) -> HttpResponse:
    user = current_user(request)
    case = visible_case(request, case_id)
    item = _item(request, case, item_id)
    audit_viewed(user, case, "unused material item", item)
    return material_page(
        request,
        "files/unused_detail.html",
        case,
        title=f"{service.SCHEDULE_NAMES[item.schedule]} item {item.item_number}",
        item=item,
        back_url=unused_url(case),
        sees_sensitive=can_see_sensitive(user, case),
        can_manage=may(user, "files.manage_unused", case),
        can_decide=may(user, "files.decide_unused", case),
    )


@login_required
def unused_add(request: HttpRequest, case_id: uuid.UUID, schedule: str) -> HttpResponse:
    user = current_user(request)
    case = visible_case(request, case_id)
    if schedule not in Schedule.values or (schedule == Schedule.MG6D and not can_see_sensitive(user, case)):
        raise Http404(CASE_NOT_FOUND)
    require_perm(user, "files.manage_unused", case)
    form = UnusedItemForm(posted(request), schedule=schedule, documents=document_list_for(user=user, case=case))
    if request.method == "POST" and form.is_valid():
        try:
            item = service.unused_item_add(case=case, schedule=schedule, details=_details(form.cleaned_data), by=user)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, f"{service.SCHEDULE_NAMES[schedule]} item {item.item_number} scheduled")
            return redirect(unused_url(case))
    return form_page(
        request,
        form,
        case=case,
        title=f"Schedule an item on the {service.SCHEDULE_NAMES[schedule]}",
        caption=f"Case {case.urn_display}: {SCHEDULE_TITLES[schedule]}",
        submit="Add to schedule",
        back_url=unused_url(case),
        template=FORM_TEMPLATE,
    )


@login_required
def unused_edit(request: HttpRequest, case_id: uuid.UUID, item_id: uuid.UUID) -> HttpResponse:
    user = current_user(request)
    case = visible_case(request, case_id)
    item = _item(request, case, item_id)
    require_perm(user, "files.manage_unused", case)
    initial = {
        "description": item.description,
        "location": item.location,
        "sensitivity_reason": item.sensitivity_reason,
        "rebuttable_presumption": item.rebuttable_presumption,
        "document": item.document.public_id if item.document else None,
    }
    form = UnusedItemForm(
        posted(request), schedule=item.schedule, documents=document_list_for(user=user, case=case), initial=initial
    )
    if item.prosecutor_decision:
        form.fields[
            "description"
        ].help_text = "The prosecutor has decided on this item, so its description can no longer be changed"
        form.fields["description"].disabled = True
    back_url = reverse("files:unused-detail", args=[case.public_id, item.public_id])
    name = f"{service.SCHEDULE_NAMES[item.schedule]} item {item.item_number}"
    if request.method == "POST" and form.is_valid():
        try:
            service.unused_item_update(item=item, details=_details(form.cleaned_data), by=user)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, f"{name} saved")
            return redirect(back_url)
    return form_page(
        request, form, case=case, title=f"Change {name}", submit="Save", back_url=back_url, template=FORM_TEMPLATE
    )


@login_required
def unused_decide(request: HttpRequest, case_id: uuid.UUID, item_id: uuid.UUID) -> HttpResponse:
    user = current_user(request)
    case = visible_case(request, case_id)
    item = _item(request, case, item_id)
    require_perm(user, "files.decide_unused", case)
    form = DecisionForm(
        posted(request),
        schedule=item.schedule,
        initial={"decision": item.prosecutor_decision or None, "note": item.decision_note},
    )
    name = f"{service.SCHEDULE_NAMES[item.schedule]} item {item.item_number}"
    if request.method == "POST" and form.is_valid():
        try:
            service.unused_item_decide(
                item=item, decision=form.cleaned_data["decision"], note=form.cleaned_data.get("note", ""), by=user
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, f"Decision on {name} recorded")
            return redirect(unused_url(case))
    return form_page(
        request,
        form,
        case=case,
        title=f"Decision on {name}",
        submit="Record decision",
        back_url=reverse("files:unused-detail", args=[case.public_id, item.public_id]),
        template="files/unused_decision.html",
        item=item,
    )
