"""Case API for the structured MG5: the case summary and interview summary, the supervisor's
certification, and the points to prove for each offence with the evidence that proves them.

Any change to the MG5 (summaries or points to prove) clears its certification. Evidence is named
by public id and must be documents or exhibits of the case; sensitive documents are never
evidence on the MG5, which is disclosed to the defence.
"""

from __future__ import annotations

import uuid
from typing import Any

from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from casework.api.common import References, acting_user, audit_viewed, ensure_allowed, validated, visible_case
from casework.api.serializers import UserRefOutput
from casework.models import Case
from config.api_docs import ERROR_RESPONSES

from ..models import CaseSummary, Exhibit, PointToProve
from ..services import case_summary as service
from .exhibits import DocumentRefOutput, documents_from


class ExhibitRefOutput(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.UUIDField(source="public_id")
    reference = serializers.CharField()
    description = serializers.CharField()

    class Meta:
        ref_name = "ExhibitRef"


def _evidence(request: Request, case: Case, data: dict[str, Any], point: PointToProve | None) -> dict[str, Any]:
    """The evidence named in the input as rows; left out on a change, the point's own stays."""
    if "evidence_documents" in data:
        documents = documents_from(
            request,
            case,
            data["evidence_documents"],
            field="evidence_documents",
            message=service.EVIDENCE_DOCUMENT_NOT_ON_CASE,
        )
    else:
        documents = list(point.evidence_documents.all()) if point else []
    if "evidence_exhibits" in data:
        wanted = set(data["evidence_exhibits"])
        exhibits = list(Exhibit.objects.filter(case=case, public_id__in=wanted))
        if len(exhibits) != len(wanted):
            raise serializers.ValidationError({"evidence_exhibits": [service.EVIDENCE_EXHIBIT_NOT_ON_CASE]})
    else:
        exhibits = list(point.evidence_exhibits.all()) if point else []
    return {"evidence_documents": documents, "evidence_exhibits": exhibits}


class PointToProveDetailApi(APIView):
    """One point to prove; ``PATCH`` changes its text, position or evidence."""

    class OutputSerializer(serializers.Serializer):  # type: ignore[type-arg]
        id = serializers.UUIDField(source="public_id")
        offence = serializers.UUIDField(source="offence.public_id", help_text="Public id of the offence.")
        text = serializers.CharField()
        order = serializers.IntegerField(help_text="Position among the offence's points, from 1.")
        evidence_documents = DocumentRefOutput(many=True, source="evidence_documents.all")
        evidence_exhibits = ExhibitRefOutput(many=True, source="evidence_exhibits.all")

        class Meta:
            ref_name = "PointToProve"

    class UpdateInputSerializer(serializers.Serializer):  # type: ignore[type-arg]
        text = serializers.CharField(allow_blank=True, max_length=2000)
        order = serializers.IntegerField(min_value=1)
        evidence_documents = serializers.ListField(child=serializers.UUIDField(), max_length=200)
        evidence_exhibits = serializers.ListField(child=serializers.UUIDField(), max_length=200)

        class Meta:
            ref_name = "PointToProveChange"

    @extend_schema(
        responses={200: OutputSerializer, **ERROR_RESPONSES}, operation_id="cases_case_summary_points_retrieve"
    )
    def get(self, request: Request, case_id: uuid.UUID, point_id: uuid.UUID) -> Response:
        case = visible_case(request, case_id)
        point = service.point_to_prove_get(case=case, public_id=point_id)
        audit_viewed(request, case, "point_to_prove", point)
        return Response(self.OutputSerializer(point).data)

    @extend_schema(
        request=UpdateInputSerializer(partial=True),
        responses={200: OutputSerializer, **ERROR_RESPONSES},
        operation_id="cases_case_summary_points_update",
    )
    def patch(self, request: Request, case_id: uuid.UUID, point_id: uuid.UUID) -> Response:
        """Change the fields given; those left out stay as they are. Clears the MG5's certification."""
        case = visible_case(request, case_id)
        point = service.point_to_prove_get(case=case, public_id=point_id)
        ensure_allowed(request, "files.edit_case_summary", case)
        data = validated(self.UpdateInputSerializer, request.data, partial=True)
        details = service.PointDetails(
            text=data.get("text", point.text),
            order=data.get("order", point.order),
            **_evidence(request, case, data, point),
        )
        service.point_to_prove_update(point=point, details=details, by=acting_user(request))
        return Response(self.OutputSerializer(service.point_to_prove_get(case=case, public_id=point_id)).data)


class PointToProveListApi(APIView):
    """The points to prove of every offence on the case, by offence then position; ``POST`` adds one."""

    class InputSerializer(serializers.Serializer):  # type: ignore[type-arg]
        offence = serializers.UUIDField(help_text="Public id of an offence on this case.")
        text = serializers.CharField(allow_blank=True, max_length=2000)
        order = serializers.IntegerField(required=False, min_value=1, help_text="Leave out to put it last.")
        evidence_documents = serializers.ListField(child=serializers.UUIDField(), required=False, max_length=200)
        evidence_exhibits = serializers.ListField(child=serializers.UUIDField(), required=False, max_length=200)

        class Meta:
            ref_name = "PointToProveCreate"

    @extend_schema(
        responses={200: PointToProveDetailApi.OutputSerializer(many=True), **ERROR_RESPONSES},
        operation_id="cases_case_summary_points_list",
    )
    def get(self, request: Request, case_id: uuid.UUID) -> Response:
        case = visible_case(request, case_id)
        audit_viewed(request, case, "points_to_prove")
        points = service.points_to_prove_of(case)
        return Response(PointToProveDetailApi.OutputSerializer(points, many=True).data)

    @extend_schema(
        request=InputSerializer,
        responses={201: PointToProveDetailApi.OutputSerializer, **ERROR_RESPONSES},
        operation_id="cases_case_summary_points_create",
    )
    def post(self, request: Request, case_id: uuid.UUID) -> Response:
        """Add a point to prove for an offence. Clears the MG5's certification."""
        case = visible_case(request, case_id)
        ensure_allowed(request, "files.edit_case_summary", case)
        data = validated(self.InputSerializer, request.data)
        refs = References()
        offence = refs.offence("offence", case, data["offence"], unknown=service.OFFENCE_NOT_ON_CASE)
        refs.check()
        assert offence is not None
        details = service.PointDetails(
            text=data["text"], order=data.get("order"), **_evidence(request, case, data, None)
        )
        point = service.point_to_prove_add(case=case, offence=offence, details=details, by=acting_user(request))
        output = PointToProveDetailApi.OutputSerializer(
            service.point_to_prove_get(case=case, public_id=point.public_id)
        )
        return Response(output.data, status=status.HTTP_201_CREATED)


class CaseSummaryApi(APIView):
    """The case's MG5; ``PATCH`` changes the case summary or interview summary."""

    class OutputSerializer(serializers.Serializer):  # type: ignore[type-arg]
        summary = serializers.CharField()
        interview_summary = serializers.CharField()
        certified = serializers.SerializerMethodField()
        certified_by = UserRefOutput(allow_null=True)
        certified_at = serializers.DateTimeField(allow_null=True)
        updated_at = serializers.DateTimeField(allow_null=True, help_text="Null until the MG5 is first written.")
        points_to_prove = serializers.SerializerMethodField()

        class Meta:
            ref_name = "CaseSummary"

        def get_certified(self, mg5: CaseSummary) -> bool:
            return mg5.certified_at is not None

        @extend_schema_field(PointToProveDetailApi.OutputSerializer(many=True))
        def get_points_to_prove(self, mg5: CaseSummary) -> list[dict[str, Any]]:
            points = service.points_to_prove_of(mg5.case)
            return list(PointToProveDetailApi.OutputSerializer(points, many=True).data)

    class UpdateInputSerializer(serializers.Serializer):  # type: ignore[type-arg]
        summary = serializers.CharField(allow_blank=True, max_length=50000)
        interview_summary = serializers.CharField(allow_blank=True, max_length=50000)

        class Meta:
            ref_name = "CaseSummaryChange"

    @extend_schema(responses={200: OutputSerializer, **ERROR_RESPONSES}, operation_id="cases_case_summary_retrieve")
    def get(self, request: Request, case_id: uuid.UUID) -> Response:
        case = visible_case(request, case_id)
        audit_viewed(request, case, "case_summary")
        return Response(self.OutputSerializer(service.case_summary_of(case)).data)

    @extend_schema(
        request=UpdateInputSerializer(partial=True),
        responses={200: OutputSerializer, **ERROR_RESPONSES},
        operation_id="cases_case_summary_update",
    )
    def patch(self, request: Request, case_id: uuid.UUID) -> Response:
        """Change the fields given; those left out stay as they are. A change clears the certification."""
        case = visible_case(request, case_id)
        ensure_allowed(request, "files.edit_case_summary", case)
        data = validated(self.UpdateInputSerializer, request.data, partial=True)
        mg5 = service.case_summary_of(case)
        service.case_summary_update(
            case=case,
            summary=data.get("summary", mg5.summary),
            interview_summary=data.get("interview_summary", mg5.interview_summary),
            by=acting_user(request),
        )
        return Response(self.OutputSerializer(service.case_summary_of(case)).data)


class CaseSummaryCertifyApi(APIView):
    """A police supervisor of the owning force certifies the MG5 as it stands."""

    @extend_schema(
        request=None,
        responses={200: CaseSummaryApi.OutputSerializer, **ERROR_RESPONSES},
        operation_id="cases_case_summary_certify",
    )
    def post(self, request: Request, case_id: uuid.UUID) -> Response:
        case = visible_case(request, case_id)
        ensure_allowed(request, "files.certify_case_summary", case)
        service.case_summary_certify(case=case, by=acting_user(request))
        return Response(CaseSummaryApi.OutputSerializer(service.case_summary_of(case)).data)
