"""Case API for exhibits (the MG12) and their continuity.

An exhibit's reference is given by the service (the producer's initials and the next number for
them on the case) and never changes; its location changes only by recording a movement. Linked
documents are given by public id and must be documents of the case that the caller may see; a
linked sensitive document is left out of every answer to someone who may not see it.

Order of answers: outside scope or missing → 404 (the same body); not allowed → 403; input of
the wrong shape or naming a document that cannot be used → 400; then the service decides.
"""

from __future__ import annotations

import uuid
from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from casework.api.common import acting_user, audit_viewed, ensure_allowed, validated, visible_case
from casework.api.serializers import UserRefOutput
from casework.models import Case
from config.api_docs import ERROR_RESPONSES

from ..models import Document, Exhibit
from ..selectors import document_list_for
from ..services import exhibits as service


class DocumentRefOutput(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.UUIDField(source="public_id")
    kind = serializers.CharField()
    title = serializers.CharField()

    class Meta:
        ref_name = "DocumentRef"


def documents_from(request: Request, case: Case, ids: list[uuid.UUID], *, field: str, message: str) -> list[Document]:
    """The documents named, each of the case and visible to the caller; else a 400 on ``field``
    with one message whatever the reason, so ids cannot be probed."""
    wanted = set(ids)
    found = list(document_list_for(user=acting_user(request), case=case).filter(public_id__in=wanted))
    if len(found) != len(wanted):
        raise serializers.ValidationError({field: [message]})
    return found


def _exhibit(request: Request, case: Case, exhibit_id: uuid.UUID) -> Exhibit:
    return service.exhibit_get_for(user=acting_user(request), case=case, public_id=exhibit_id)


class ExhibitDetailApi(APIView):
    """One exhibit; ``PATCH`` changes its description, producer's name or linked documents."""

    class OutputSerializer(serializers.Serializer):  # type: ignore[type-arg]
        id = serializers.UUIDField(source="public_id")
        reference = serializers.CharField(help_text="Producer's initials and number, e.g. JS/1. Never changes.")
        producer_name = serializers.CharField()
        producer_initials = serializers.CharField()
        number = serializers.IntegerField()
        description = serializers.CharField()
        location = serializers.CharField(help_text="Where the exhibit is now (changes by recording a movement).")
        documents = DocumentRefOutput(many=True, source="documents.all", help_text="Linked documents you may see.")
        created_by = UserRefOutput()
        created_at = serializers.DateTimeField()

        class Meta:
            ref_name = "Exhibit"

    class UpdateInputSerializer(serializers.Serializer):  # type: ignore[type-arg]
        description = serializers.CharField(allow_blank=True, max_length=5000)
        producer_name = serializers.CharField(allow_blank=True, max_length=200)
        documents = serializers.ListField(
            child=serializers.UUIDField(), max_length=200, help_text="Public ids of documents of this case."
        )

        class Meta:
            ref_name = "ExhibitChange"

    @extend_schema(responses={200: OutputSerializer, **ERROR_RESPONSES}, operation_id="cases_exhibits_retrieve")
    def get(self, request: Request, case_id: uuid.UUID, exhibit_id: uuid.UUID) -> Response:
        case = visible_case(request, case_id)
        exhibit = _exhibit(request, case, exhibit_id)
        audit_viewed(request, case, "exhibit", exhibit)
        return Response(self.OutputSerializer(exhibit).data)

    @extend_schema(
        request=UpdateInputSerializer(partial=True),
        responses={200: OutputSerializer, **ERROR_RESPONSES},
        operation_id="cases_exhibits_update",
    )
    def patch(self, request: Request, case_id: uuid.UUID, exhibit_id: uuid.UUID) -> Response:
        """Change the fields given; those left out stay as they are. Links to sensitive documents
        you may not see are kept."""
        case = visible_case(request, case_id)
        exhibit = _exhibit(request, case, exhibit_id)
        ensure_allowed(request, "files.manage_exhibits", case)
        data = validated(self.UpdateInputSerializer, request.data, partial=True)
        documents = (
            documents_from(request, case, data["documents"], field="documents", message=service.DOCUMENT_NOT_ON_CASE)
            if "documents" in data
            else list(exhibit.documents.all())
        )
        changes = service.ExhibitChanges(
            description=data.get("description", exhibit.description),
            producer_name=data.get("producer_name", exhibit.producer_name),
            documents=documents,
        )
        service.exhibit_update(exhibit=exhibit, changes=changes, by=acting_user(request))
        return Response(self.OutputSerializer(_exhibit(request, case, exhibit_id)).data)


class ExhibitListApi(APIView):
    """The case's exhibits in reference order; ``POST`` adds one with the next reference."""

    class InputSerializer(serializers.Serializer):  # type: ignore[type-arg]
        description = serializers.CharField(allow_blank=True, max_length=5000)
        producer_name = serializers.CharField(allow_blank=True, max_length=200)
        producer_initials = serializers.CharField(
            required=False,
            allow_blank=True,
            max_length=10,
            help_text="Leave out to use the initials of the producer's name.",
        )
        location = serializers.CharField(allow_blank=True, max_length=300, help_text="Where the exhibit is now.")
        documents = serializers.ListField(
            child=serializers.UUIDField(),
            required=False,
            max_length=200,
            help_text="Public ids of documents of this case.",
        )

        class Meta:
            ref_name = "ExhibitCreate"

    @extend_schema(
        responses={200: ExhibitDetailApi.OutputSerializer(many=True), **ERROR_RESPONSES},
        operation_id="cases_exhibits_list",
    )
    def get(self, request: Request, case_id: uuid.UUID) -> Response:
        case = visible_case(request, case_id)
        audit_viewed(request, case, "exhibits")
        exhibits = service.exhibit_list_for(user=acting_user(request), case=case)
        return Response(ExhibitDetailApi.OutputSerializer(exhibits, many=True).data)

    @extend_schema(
        request=InputSerializer,
        responses={201: ExhibitDetailApi.OutputSerializer, **ERROR_RESPONSES},
        operation_id="cases_exhibits_create",
    )
    def post(self, request: Request, case_id: uuid.UUID) -> Response:
        case = visible_case(request, case_id)
        ensure_allowed(request, "files.manage_exhibits", case)
        data: dict[str, Any] = validated(self.InputSerializer, request.data)
        documents = documents_from(
            request, case, data.get("documents", []), field="documents", message=service.DOCUMENT_NOT_ON_CASE
        )
        details = service.ExhibitDetails(
            description=data["description"],
            producer_name=data["producer_name"],
            producer_initials=data.get("producer_initials", ""),
            location=data["location"],
            documents=documents,
        )
        exhibit = service.exhibit_add(case=case, details=details, by=acting_user(request))
        output = ExhibitDetailApi.OutputSerializer(_exhibit(request, case, exhibit.public_id))
        return Response(output.data, status=status.HTTP_201_CREATED)


class ExhibitMovementListApi(APIView):
    """The exhibit's continuity, oldest first; ``POST`` records a move from where it is now."""

    class OutputSerializer(serializers.Serializer):  # type: ignore[type-arg]
        moved_at = serializers.DateTimeField()
        from_location = serializers.CharField()
        to_location = serializers.CharField()
        handled_by = serializers.CharField()
        reason = serializers.CharField()
        recorded_by = UserRefOutput()
        recorded_at = serializers.DateTimeField()

        class Meta:
            ref_name = "ExhibitMovement"

    class InputSerializer(serializers.Serializer):  # type: ignore[type-arg]
        moved_at = serializers.DateTimeField(help_text="When it moved; not in the future, nor before the last move.")
        from_location = serializers.CharField(allow_blank=True, max_length=300, help_text="Must be where it is now.")
        to_location = serializers.CharField(allow_blank=True, max_length=300)
        handled_by = serializers.CharField(allow_blank=True, max_length=200)
        reason = serializers.CharField(required=False, allow_blank=True, max_length=300)

        class Meta:
            ref_name = "ExhibitMovementCreate"

    @extend_schema(
        responses={200: OutputSerializer(many=True), **ERROR_RESPONSES}, operation_id="cases_exhibits_movements_list"
    )
    def get(self, request: Request, case_id: uuid.UUID, exhibit_id: uuid.UUID) -> Response:
        case = visible_case(request, case_id)
        exhibit = _exhibit(request, case, exhibit_id)
        audit_viewed(request, case, "exhibit_movements", exhibit)
        return Response(self.OutputSerializer(exhibit.movements.all(), many=True).data)

    @extend_schema(
        request=InputSerializer,
        responses={201: OutputSerializer, **ERROR_RESPONSES},
        operation_id="cases_exhibits_movements_create",
    )
    def post(self, request: Request, case_id: uuid.UUID, exhibit_id: uuid.UUID) -> Response:
        case = visible_case(request, case_id)
        exhibit = _exhibit(request, case, exhibit_id)
        ensure_allowed(request, "files.manage_exhibits", case)
        data = validated(self.InputSerializer, request.data)
        details = service.MovementDetails(
            moved_at=data["moved_at"],
            from_location=data["from_location"],
            to_location=data["to_location"],
            handled_by=data["handled_by"],
            reason=data.get("reason", ""),
        )
        movement = service.exhibit_move(exhibit=exhibit, details=details, by=acting_user(request))
        return Response(self.OutputSerializer(movement).data, status=status.HTTP_201_CREATED)
