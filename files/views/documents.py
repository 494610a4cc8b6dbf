"""Document pages: the case's Material tab, uploading (several files at once), a document with its
versions, a new version, sensitivity and redaction, and the one way a file leaves: the
authorising, auditing download. Reads go through the scoped selectors (404 outside scope, and for
sensitive material to those who may not see it); the services decide every write."""

from __future__ import annotations

import uuid
from typing import IO, Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_POST

from accounts.audit import audit_record
from accounts.choices import AuditEventType
from accounts.models import User
from casework.forms import GovukRadios
from casework.models import Case, Suspect, Witness
from casework.selectors import case_get_visible_to
from casework.views._common import apply_service_errors, case_context, current_user, require_perm

from .. import services
from ..choices import DocumentKind, RedactionStatus, ScanStatus, Sensitivity
from ..models import Document, DocumentVersion
from ..selectors import can_see_sensitive, document_get_for, document_list_for
from ..services.documents import (
    KIND_REQUIRED,
    SUSPECT_NOT_ON_CASE,
    TITLE_MAX_LENGTH,
    TITLE_TOO_LONG,
    WITNESS_NOT_ON_CASE,
)
from ..uploads import NO_FILE, describe_allowed, format_size, max_upload_bytes

# GOV.UK tag colours; every tag carries its status in words too.
SCAN_TAG_CLASSES: dict[str, str] = {
    ScanStatus.PENDING: "govuk-tag--yellow",
    ScanStatus.CLEAN: "govuk-tag--green",
    ScanStatus.INFECTED: "govuk-tag--red",
    ScanStatus.FAILED: "govuk-tag--red",
}
REDACTION_TAG_CLASSES: dict[str, str] = {
    RedactionStatus.NOT_REQUIRED: "govuk-tag--grey",
    RedactionStatus.REQUIRED: "govuk-tag--orange",
    RedactionStatus.REDACTED: "govuk-tag--green",
}

# The kinds of material, grouped as people look for them in the list.
_MEDIA = (
    DocumentKind.BODY_WORN_VIDEO,
    DocumentKind.CCTV,
    DocumentKind.AUDIO_999,
    DocumentKind.PHOTOGRAPH,
)
_REPORTS = (DocumentKind.PNC_PRINT, DocumentKind.FORENSIC_REPORT, DocumentKind.MEDICAL)
_FORMS = tuple(k for k in DocumentKind if k not in {*_MEDIA, *_REPORTS, DocumentKind.OTHER})
KIND_CHOICES: list[Any] = [
    ("", "Select the kind of material"),
    ("MG forms and statements", [(k.value, k.label) for k in _FORMS]),
    ("Recordings and photographs", [(k.value, k.label) for k in _MEDIA]),
    ("Reports and records", [(k.value, k.label) for k in _REPORTS]),
    ("Other", [(DocumentKind.OTHER.value, DocumentKind.OTHER.label)]),
]
NOT_ABOUT_ONE_PERSON = "Not about one person"
REDACTION_CHOICES = [
    (RedactionStatus.NOT_REQUIRED.value, "Not required"),
    (RedactionStatus.REQUIRED.value, "Redaction required"),
    (RedactionStatus.REDACTED.value, "Redacted – I have checked the redaction"),
]


# ---------------------------------------------------------------------------------------------
# Forms: they read what was sent; the service decides whether it is acceptable (type, size, and
# so on), so a refused file gets the service's precise message.


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class UploadField(forms.FileField):
    """One file or several, passed to the service as they came: Django's own checks (such as its
    message for an empty file) would get in the way of the service's more precise refusals."""

    def __init__(self, *, multiple: bool = False, **kwargs: Any) -> None:
        self.multiple = multiple
        widget = MultipleFileInput(attrs={"multiple": True}) if multiple else forms.FileInput()
        super().__init__(widget=widget, error_messages={"required": NO_FILE}, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        items = data if isinstance(data, (list, tuple)) else [data]
        uploads = [item for item in items if isinstance(item, UploadedFile)]
        if not uploads and self.required:
            raise ValidationError(self.error_messages["required"], code="required")
        return uploads if self.multiple else (uploads[0] if uploads else None)


def _radios(choices: list[tuple[str, str]], label: str, initial: str) -> forms.ChoiceField:
    return forms.ChoiceField(label=label, choices=choices, widget=GovukRadios, initial=initial)


class DocumentUploadForm(forms.Form):
    kind = forms.ChoiceField(label="What kind of material is it?", choices=KIND_CHOICES)
    title = forms.CharField(
        label="Title (optional)",
        required=False,
        max_length=TITLE_MAX_LENGTH,
        help_text="Leave blank to use each file’s name. With several files, each title ends with the file’s name",
    )
    sensitivity = _radios(
        [(Sensitivity.NORMAL.value, "Not sensitive"), (Sensitivity.SENSITIVE.value, "Sensitive (MG6D material)")],
        "Is this material sensitive?",
        Sensitivity.NORMAL,
    )
    redaction_status = _radios(REDACTION_CHOICES, "Does it need redacting?", RedactionStatus.NOT_REQUIRED)
    witness = forms.ModelChoiceField(
        label="Whose statement or form is it? (witness)",
        queryset=Witness.objects.none(),
        required=False,
        to_field_name="public_id",
        empty_label=NOT_ABOUT_ONE_PERSON,
        help_text="For a witness's statement (MG11) or their MG2, choose the witness",
    )
    suspect = forms.ModelChoiceField(
        label="Which suspect is it about?",
        queryset=Suspect.objects.none(),
        required=False,
        to_field_name="public_id",
        empty_label=NOT_ABOUT_ONE_PERSON,
        help_text="For a suspect's PNC print, MG4 or MG7, choose the suspect",
    )
    file = UploadField(label="Files", multiple=True)

    def __init__(self, *args: Any, case: Case, can_mark_sensitive: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        witness_field = self.fields["witness"]
        suspect_field = self.fields["suspect"]
        assert isinstance(witness_field, forms.ModelChoiceField)
        assert isinstance(suspect_field, forms.ModelChoiceField)
        witness_field.queryset = Witness.objects.filter(case=case)
        suspect_field.queryset = Suspect.objects.filter(case=case)
        witness_field.error_messages["invalid_choice"] = WITNESS_NOT_ON_CASE
        suspect_field.error_messages["invalid_choice"] = SUSPECT_NOT_ON_CASE
        self.fields["kind"].error_messages["required"] = KIND_REQUIRED
        self.fields["title"].error_messages["max_length"] = TITLE_TOO_LONG
        limit = format_size(max_upload_bytes())
        self.fields["file"].help_text = f"You can choose several files of one kind. Each must be smaller than {limit}"
        if not can_mark_sensitive:
            # Only those who may see sensitive (MG6D) material may create it.
            del self.fields["sensitivity"]


class VersionUploadForm(forms.Form):
    file = UploadField(label="Upload a new version")


class SensitivityForm(forms.Form):
    sensitivity = _radios(
        [(Sensitivity.NORMAL.value, "Not sensitive"), (Sensitivity.SENSITIVE.value, "Sensitive (MG6D material)")],
        "Is this material sensitive?",
        Sensitivity.NORMAL,
    )


class RedactionForm(forms.Form):
    redaction_status = _radios(REDACTION_CHOICES, "Redaction", RedactionStatus.NOT_REQUIRED)


# ---------------------------------------------------------------------------------------------
# Shared


def _document(request: HttpRequest, case_id: uuid.UUID, document_id: uuid.UUID) -> tuple[User, Case, Document]:
    user = current_user(request)
    case = case_get_visible_to(user=user, public_id=case_id)
    return user, case, document_get_for(user=user, case=case, public_id=document_id)


def _version_row(version: DocumentVersion) -> dict[str, Any]:
    return {"version": version, "scan_tag_class": SCAN_TAG_CLASSES.get(version.scan_status, "govuk-tag--grey")}


def _document_row(document: Document) -> dict[str, Any]:
    versions = list(document.versions.all())
    latest = versions[-1] if versions else None
    return {
        "document": document,
        "version_count": len(versions),
        "latest": latest,
        "scan_tag_class": SCAN_TAG_CLASSES.get(latest.scan_status, "govuk-tag--grey") if latest else "",
        "redaction_tag_class": REDACTION_TAG_CLASSES.get(document.redaction_status, "govuk-tag--grey"),
    }


def _material_sections(case: Case) -> list[dict[str, str]]:
    """Links to the other parts of the Material area, where they exist."""
    sections = []
    for name, label in (
        ("files:exhibit-list", "Exhibits"),
        ("files:unused-list", "Unused material (MG6C and MG6D)"),
        ("files:case-summary", "MG5 case summary"),
        ("files:submission-list", "Files for the CPS"),
    ):
        try:
            sections.append({"url": reverse(name, args=[case.public_id]), "label": label})
        except NoReverseMatch:
            continue
    return sections


def download_response(stream: IO[bytes], version: DocumentVersion) -> FileResponse:
    """The file as an attachment under its sanitised name, never cached and never sniffed into
    something a browser would run."""
    response = FileResponse(
        stream,
        as_attachment=True,
        filename=version.original_name,
        content_type=version.mime_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response


# ---------------------------------------------------------------------------------------------
# Pages


@login_required
def material(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    """The case's Material tab: its documents grouped by kind, each with its latest version's scan."""
    user = current_user(request)
    case = case_get_visible_to(user=user, public_id=case_id)
    audit_record(
        by=user, event_type=AuditEventType.CASE_VIEWED, obj=case, case_id=case.public_id, data={"part": "material"}
    )
    by_kind: dict[str, list[dict[str, Any]]] = {}
    for document in document_list_for(user=user, case=case):
        by_kind.setdefault(document.kind, []).append(_document_row(document))
    groups = [{"kind": kind, "label": kind.label, "rows": by_kind[kind]} for kind in DocumentKind if kind in by_kind]
    context = case_context(case, user, "material")
    context.update(
        groups=groups,
        can_upload=user.has_perm("files.upload_document", case),
        sections=_material_sections(case),
    )
    return render(request, "files/material.html", context)


@login_required
def document_upload(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    user = current_user(request)
    case = case_get_visible_to(user=user, public_id=case_id)
    require_perm(user, "files.upload_document", case)
    posting = request.method == "POST"
    # A readiness finding's "Upload it" link names the kind of material that is missing.
    kind = request.GET.get("kind", "")
    form = DocumentUploadForm(
        request.POST if posting else None,
        request.FILES if posting else None,
        case=case,
        can_mark_sensitive=can_see_sensitive(user, case),
        initial={"kind": kind} if not posting and kind in DocumentKind.values else None,
    )
    if posting and form.is_valid():
        data = form.cleaned_data
        details = services.DocumentDetails(
            kind=data["kind"],
            title=data["title"],
            sensitivity=data.get("sensitivity") or Sensitivity.NORMAL,
            redaction_status=data["redaction_status"],
            witness=data.get("witness"),
            suspect=data.get("suspect"),
        )
        try:
            documents = services.document_upload(case=case, details=details, files=data["file"], by=user)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            count = len(documents)
            messages.success(
                request,
                f"{count} file{'s' if count != 1 else ''} uploaded. "
                "Each can be downloaded once its virus scan is complete",
            )
            if count == 1:
                return redirect("files:document-detail", case.public_id, documents[0].public_id)
            return redirect("files:material", case.public_id)
    context = case_context(case, user, "material")
    context.update(
        form=form,
        tab_title="Upload material",
        back_url=reverse("files:material", args=[case.public_id]),
        allowed_by_kind=[(kind.label, describe_allowed(kind)) for kind in DocumentKind],
    )
    return render(request, "files/documents_upload.html", context, status=400 if form.errors else 200)


def _detail(
    request: HttpRequest,
    case: Case,
    document: Document,
    user: User,
    *,
    failed: forms.Form | None = None,
    status: int = 200,
) -> HttpResponse:
    can_see = can_see_sensitive(user, case)
    can_redact = user.has_perm("files.confirm_redaction", case)
    can_upload = user.has_perm("files.upload_document", case)

    def form_for(form_class: type[forms.Form], initial: dict[str, Any]) -> forms.Form:
        return failed if isinstance(failed, form_class) else form_class(initial=initial)

    context = case_context(case, user, "material")
    context.update(
        document=document,
        tab_title=document.title,
        back_url=reverse("files:material", args=[case.public_id]),
        versions=[_version_row(v) for v in document.versions.all()],
        redaction_tag_class=REDACTION_TAG_CLASSES.get(document.redaction_status, "govuk-tag--grey"),
        allowed=describe_allowed(document.kind),
        max_size=format_size(max_upload_bytes()),
        form=failed,
        version_form=form_for(VersionUploadForm, {}) if can_upload else None,
        sensitivity_form=form_for(SensitivityForm, {"sensitivity": document.sensitivity}) if can_see else None,
        redaction_form=(
            form_for(RedactionForm, {"redaction_status": document.redaction_status}) if can_redact else None
        ),
    )
    return render(request, "files/documents_detail.html", context, status=status)


@login_required
def document_detail(request: HttpRequest, case_id: uuid.UUID, document_id: uuid.UUID) -> HttpResponse:
    user, case, document = _document(request, case_id, document_id)
    # Looking at case material is recorded, as viewing the case is.
    audit_record(
        by=user,
        event_type=AuditEventType.CASE_VIEWED,
        obj=document,
        case_id=case.public_id,
        data={"part": "document"},
    )
    return _detail(request, case, document, user)


@login_required
@require_POST
def document_version_add(request: HttpRequest, case_id: uuid.UUID, document_id: uuid.UUID) -> HttpResponse:
    user, case, document = _document(request, case_id, document_id)
    require_perm(user, "files.upload_document", case)
    form = VersionUploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            version = services.document_version_add(document=document, file=form.cleaned_data["file"], by=user)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request, f"Version {version.number} uploaded. It can be downloaded once its virus scan is complete"
            )
            return redirect("files:document-detail", case.public_id, document.public_id)
    return _detail(request, case, document, user, failed=form, status=400)


@login_required
@require_POST
def document_sensitivity(request: HttpRequest, case_id: uuid.UUID, document_id: uuid.UUID) -> HttpResponse:
    user, case, document = _document(request, case_id, document_id)
    if not can_see_sensitive(user, case):
        raise PermissionDenied
    form = SensitivityForm(request.POST)
    if form.is_valid():
        try:
            services.document_update(document=document, sensitivity=form.cleaned_data["sensitivity"], by=user)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "Sensitivity saved")
            return redirect("files:document-detail", case.public_id, document.public_id)
    return _detail(request, case, document, user, failed=form, status=400)


@login_required
@require_POST
def document_redaction(request: HttpRequest, case_id: uuid.UUID, document_id: uuid.UUID) -> HttpResponse:
    user, case, document = _document(request, case_id, document_id)
    require_perm(user, "files.confirm_redaction", case)
    form = RedactionForm(request.POST)
    if form.is_valid():
        try:
            services.document_update(document=document, redaction_status=form.cleaned_data["redaction_status"], by=user)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            confirmed = form.cleaned_data["redaction_status"] == RedactionStatus.REDACTED
            messages.success(request, "Redaction confirmed" if confirmed else "Redaction status saved")
            return redirect("files:document-detail", case.public_id, document.public_id)
    return _detail(request, case, document, user, failed=form, status=400)


@login_required
def document_download(
    request: HttpRequest, case_id: uuid.UUID, document_id: uuid.UUID, number: int
) -> HttpResponseBase:
    """The only way a file leaves Casebridge from a page: in scope, allowed to see it, clean, and
    recorded in the audit log."""
    user, case, document = _document(request, case_id, document_id)
    version = services.version_get(document=document, number=number)
    try:
        stream = services.version_open_for_download(version=version, by=user, via="web")
    except services.VersionNotDownloadable as refusal:
        context = case_context(case, user, "material")
        context.update(
            document=document,
            version=version,
            tab_title=document.title,
            message=refusal.message,
            back_url=reverse("files:document-detail", args=[case.public_id, document.public_id]),
        )
        return render(request, "files/documents_unavailable.html", context, status=409)
    return download_response(stream, version)
