"""Case API for documents and their versions: list and upload, one document with its versions, a
new version, sensitivity and redaction, and the authorising, auditing download.

Uploads are ``multipart/form-data`` with one file per request. A new version is quarantined
(``scan_status`` ``pending``) until ClamAV has scanned it; only ``clean`` versions download, and the
others answer 409 (``awaiting_scan`` or ``quarantined``). There is no other URL for a file.

Order of answers: outside scope, missing, or sensitive material the caller may not see → 404 (the
same body); not allowed → 403; input of the wrong shape → 400; then the service decides, and a
refused file is a 400 on ``file`` naming the file.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponseBase
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.parsers import BaseParser, MultiPartParser
from rest_framework.renderers import BaseRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from casework.api.common import acting_user, audit_viewed, ensure_allowed, validated, visible_case
from casework.api.serializers import ChoiceLabelField, UserRefOutput
from casework.models import Case, Suspect, Witness
from config.api_docs import ERROR_RESPONSES, ErrorSerializer
from config.api_errors import error_body

from .. import services
from ..choices import DocumentKind, RedactionStatus, ScanStatus, Sensitivity
from ..models import Document, DocumentVersion
from ..selectors import can_see_sensitive, document_get_for, document_list_for
from ..services.documents import SUSPECT_NOT_ON_CASE, WITNESS_NOT_ON_CASE
from ..uploads import NO_FILE
from ..views.documents import download_response

# -- output ----------------------------------------------------------------------------------------


class VersionOutput(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.UUIDField(source="public_id")
    number = serializers.IntegerField()
    file_name = serializers.CharField(source="original_name", help_text="The uploaded name, made safe.")
    size = serializers.IntegerField(help_text="Bytes.")
    sha256 = serializers.CharField()
    mime_type = serializers.CharField(help_text="Found from the content, not the name.")
    scan_status = serializers.ChoiceField(choices=ScanStatus.choices)
    scan_status_label = ChoiceLabelField(ScanStatus, source="scan_status")
    scanned_at = serializers.DateTimeField(allow_null=True)
    page_count = serializers.IntegerField(allow_null=True, help_text="PDFs, once scanned.")
    uploaded_by = UserRefOutput()
    uploaded_at = serializers.DateTimeField()
    download_url = serializers.SerializerMethodField()

    class Meta:
        ref_name = "DocumentVersion"

    @extend_schema_field(OpenApiTypes.STR)
    def get_download_url(self, version: DocumentVersion) -> str | None:
        """Only for a clean version; the download checks access again and is recorded."""
        if not version.is_downloadable:
            return None
        case: Case = self.context["case"]
        return reverse(
            "api:case-document-version-download", args=[case.public_id, version.document.public_id, version.number]
        )


class DocumentOutput(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.UUIDField(source="public_id")
    kind = serializers.ChoiceField(choices=DocumentKind.choices)
    kind_label = ChoiceLabelField(DocumentKind, source="kind")
    title = serializers.CharField()
    sensitivity = serializers.ChoiceField(choices=Sensitivity.choices)
    redaction_status = serializers.ChoiceField(choices=RedactionStatus.choices)
    redaction_status_label = ChoiceLabelField(RedactionStatus, source="redaction_status")
    redaction_confirmed_by = UserRefOutput(allow_null=True)
    redaction_confirmed_at = serializers.DateTimeField(allow_null=True)
    witness = serializers.UUIDField(
        source="witness.public_id", allow_null=True, help_text="The witness whose statement or form it is."
    )
    suspect = serializers.UUIDField(source="suspect.public_id", allow_null=True, help_text="The suspect it is about.")
    created_by = UserRefOutput()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    version_count = serializers.SerializerMethodField()
    latest_version = serializers.SerializerMethodField()

    class Meta:
        ref_name = "Document"

    def get_version_count(self, document: Document) -> int:
        return len(document.versions.all())

    @extend_schema_field(VersionOutput(allow_null=True))
    def get_latest_version(self, document: Document) -> dict[str, Any] | None:
        versions = list(document.versions.all())
        return dict(VersionOutput(versions[-1], context=self.context).data) if versions else None


class DocumentDetailOutput(DocumentOutput):
    versions = VersionOutput(many=True, source="versions.all", help_text="Oldest first.")

    class Meta:
        ref_name = "DocumentDetail"


def _documents(request: Request, case: Case) -> QuerySet[Document]:
    return (
        document_list_for(user=acting_user(request), case=case)
        .select_related("witness", "suspect")
        .prefetch_related("versions__uploaded_by", "created_by", "redaction_confirmed_by")
    )


def _document(request: Request, case: Case, document_id: uuid.UUID) -> Document:
    document = document_get_for(user=acting_user(request), case=case, public_id=document_id)
    return _documents(request, case).get(pk=document.pk)


def _detail(request: Request, case: Case, document_id: uuid.UUID) -> dict[str, Any]:
    return dict(DocumentDetailOutput(_document(request, case, document_id), context={"case": case}).data)


# -- input -----------------------------------------------------------------------------------------


def _file_field() -> serializers.FileField:
    # Empty files reach the service, which refuses them with its own message.
    return serializers.FileField(allow_empty_file=True, use_url=False, error_messages={"required": NO_FILE})


class DocumentUploadInput(serializers.Serializer):  # type: ignore[type-arg]
    kind = serializers.ChoiceField(choices=DocumentKind.choices)
    title = serializers.CharField(
        required=False, allow_blank=True, max_length=300, help_text="Leave out to use the file's name."
    )
    sensitivity = serializers.ChoiceField(
        choices=Sensitivity.choices,
        default=Sensitivity.NORMAL,
        help_text="`sensitive` (MG6D) only if you may see sensitive material.",
    )
    redaction_status = serializers.ChoiceField(
        choices=RedactionStatus.choices,
        default=RedactionStatus.NOT_REQUIRED,
        help_text="`redacted` records you as confirming the redaction.",
    )
    witness = serializers.UUIDField(
        required=False,
        allow_null=True,
        help_text="Id of the case's witness whose statement or form it is (such as their MG11 or MG2).",
    )
    suspect = serializers.UUIDField(
        required=False,
        allow_null=True,
        help_text="Id of the case's suspect it is about (such as their PNC print, MG4 or MG7).",
    )
    file = _file_field()

    class Meta:
        ref_name = "DocumentUpload"


class VersionUploadInput(serializers.Serializer):  # type: ignore[type-arg]
    file = _file_field()

    class Meta:
        ref_name = "DocumentVersionUpload"


class DocumentUpdateInput(serializers.Serializer):  # type: ignore[type-arg]
    sensitivity = serializers.ChoiceField(
        choices=Sensitivity.choices, required=False, help_text="Only if you may see sensitive material."
    )
    redaction_status = serializers.ChoiceField(
        choices=RedactionStatus.choices,
        required=False,
        help_text="`redacted` records you as confirming the redaction, and when.",
    )

    class Meta:
        ref_name = "DocumentUpdate"


def _people(data: dict[str, Any]) -> tuple[Witness | None, Suspect | None]:
    """The witness and suspect named by public id. An unknown id gets the same message as a person
    of another case (which the service refuses), so ids cannot be probed."""
    errors: dict[str, list[str]] = {}
    witness = suspect = None
    if data.get("witness") is not None:
        witness = Witness.objects.filter(public_id=data["witness"]).first()
        if witness is None:
            errors["witness"] = [WITNESS_NOT_ON_CASE]
    if data.get("suspect") is not None:
        suspect = Suspect.objects.filter(public_id=data["suspect"]).first()
        if suspect is None:
            errors["suspect"] = [SUSPECT_NOT_ON_CASE]
    if errors:
        raise serializers.ValidationError(errors)
    return witness, suspect


# -- views -----------------------------------------------------------------------------------------


class DocumentListApi(APIView):
    """The case's documents (without the sensitive ones, for those who may not see them), each with
    its latest version; ``POST`` uploads one file as a new document."""

    parser_classes = [MultiPartParser]

    @extend_schema(responses={200: DocumentOutput(many=True), **ERROR_RESPONSES}, operation_id="cases_documents_list")
    def get(self, request: Request, case_id: uuid.UUID) -> Response:
        case = visible_case(request, case_id)
        audit_viewed(request, case, "documents")
        return Response(DocumentOutput(_documents(request, case), many=True, context={"case": case}).data)

    @extend_schema(
        request={"multipart/form-data": DocumentUploadInput},
        responses={201: DocumentDetailOutput, **ERROR_RESPONSES},
        operation_id="cases_documents_create",
    )
    def post(self, request: Request, case_id: uuid.UUID) -> Response:
        """Upload a file as a new document (version 1). It is checked (size, type for the kind,
        programs, password-protected or damaged PDFs) and then virus scanned in the background."""
        case = visible_case(request, case_id)
        ensure_allowed(request, "files.upload_document", case)
        data = validated(DocumentUploadInput, request.data)
        witness, suspect = _people(data)
        details = services.DocumentDetails(
            kind=data["kind"],
            title=data.get("title", ""),
            sensitivity=data["sensitivity"],
            redaction_status=data["redaction_status"],
            witness=witness,
            suspect=suspect,
        )
        (document,) = services.document_upload(
            case=case, details=details, files=[data["file"]], by=acting_user(request)
        )
        return Response(_detail(request, case, document.public_id), status=status.HTTP_201_CREATED)


class DocumentDetailApi(APIView):
    """One document with all its versions; ``PATCH`` changes its sensitivity or redaction status."""

    @extend_schema(responses={200: DocumentDetailOutput, **ERROR_RESPONSES}, operation_id="cases_documents_retrieve")
    def get(self, request: Request, case_id: uuid.UUID, document_id: uuid.UUID) -> Response:
        case = visible_case(request, case_id)
        document = _document(request, case, document_id)
        audit_viewed(request, case, "document", document)
        return Response(DocumentDetailOutput(document, context={"case": case}).data)

    @extend_schema(
        request=DocumentUpdateInput,
        responses={200: DocumentDetailOutput, **ERROR_RESPONSES},
        operation_id="cases_documents_update",
    )
    def patch(self, request: Request, case_id: uuid.UUID, document_id: uuid.UUID) -> Response:
        """Sensitivity may be changed by those who may see sensitive material; the redaction status
        by the police of the case. Fields left out stay as they are."""
        case = visible_case(request, case_id)
        document = document_get_for(user=acting_user(request), case=case, public_id=document_id)
        user = acting_user(request)
        if not (can_see_sensitive(user, case) or user.has_perm("files.confirm_redaction", case)):
            ensure_allowed(request, "files.confirm_redaction", case)
        data = validated(DocumentUpdateInput, request.data, partial=True)
        services.document_update(
            document=document,
            sensitivity=data.get("sensitivity"),
            redaction_status=data.get("redaction_status"),
            by=user,
        )
        return Response(_detail(request, case, document_id))


class DocumentVersionListApi(APIView):
    """``POST`` uploads a new version of the document (version n+1; earlier versions stay)."""

    parser_classes = [MultiPartParser]

    @extend_schema(
        request={"multipart/form-data": VersionUploadInput},
        responses={201: VersionOutput, **ERROR_RESPONSES},
        operation_id="cases_documents_versions_create",
    )
    def post(self, request: Request, case_id: uuid.UUID, document_id: uuid.UUID) -> Response:
        case = visible_case(request, case_id)
        document = document_get_for(user=acting_user(request), case=case, public_id=document_id)
        ensure_allowed(request, "files.upload_document", case)
        data = validated(VersionUploadInput, request.data)
        version = services.document_version_add(document=document, file=data["file"], by=acting_user(request))
        return Response(VersionOutput(version, context={"case": case}).data, status=status.HTTP_201_CREATED)


class _IgnoreAccept(BaseContentNegotiation):
    """The download answers with the file, or with the JSON error shape, whatever ``Accept`` says
    (a client asking for ``application/pdf`` must not get a 406)."""

    def select_parser(self, request: Request, parsers: Iterable[BaseParser]) -> BaseParser | None:
        return next(iter(parsers), None)

    def select_renderer(
        self, request: Request, renderers: Iterable[BaseRenderer], format_suffix: str | None = None
    ) -> tuple[BaseRenderer, str]:
        renderer = next(iter(renderers))
        return renderer, renderer.media_type


class DocumentVersionDownloadApi(APIView):
    content_negotiation_class = _IgnoreAccept

    @extend_schema(
        responses={
            (200, "application/octet-stream"): OpenApiResponse(
                OpenApiTypes.BINARY, description="The file, as an attachment, with the type found in its content."
            ),
            409: OpenApiResponse(
                ErrorSerializer,
                description="The version is waiting for its virus scan (`awaiting_scan`) or is quarantined "
                "(`quarantined`).",
            ),
            **ERROR_RESPONSES,
        },
        operation_id="cases_documents_versions_download",
    )
    def get(
        self, request: Request, case_id: uuid.UUID, document_id: uuid.UUID, number: int
    ) -> Response | HttpResponseBase:
        """Download one version. Only clean versions download; each download is recorded in the
        audit log. Do not store or share the response's location: there is no other way to the file."""
        case = visible_case(request, case_id)
        document = document_get_for(user=acting_user(request), case=case, public_id=document_id)
        version = services.version_get(document=document, number=number)
        try:
            stream = services.version_open_for_download(version=version, by=acting_user(request), via="api")
        except services.VersionNotDownloadable as refusal:
            return Response(
                error_body(status_code=409, code=refusal.code, message=refusal.message), status=status.HTTP_409_CONFLICT
            )
        return download_response(stream, version)
