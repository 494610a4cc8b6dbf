"""Accounts API: who am I, and the organisations (reference data)."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from config.api_docs import ERROR_RESPONSES

from .choices import OrganisationKind
from .models import Organisation


class OrganisationOutput(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.UUIDField(source="public_id")
    kind = serializers.ChoiceField(choices=OrganisationKind.choices)
    code = serializers.CharField()
    name = serializers.CharField()
    served_by = serializers.CharField(source="served_by.code", allow_null=True, default=None)


class MeOutput(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.UUIDField(source="public_id")
    username = serializers.CharField()
    name = serializers.CharField(source="get_full_name")
    roles = serializers.ListField(child=serializers.CharField())
    organisation = OrganisationOutput(allow_null=True)
    unit_code = serializers.CharField(source="unit.code", allow_null=True, default=None)


class MeApi(APIView):
    @extend_schema(responses={200: MeOutput, **ERROR_RESPONSES}, operation_id="me_retrieve")
    def get(self, request: Request) -> Response:
        return Response(MeOutput(request.user).data)


class OrganisationListApi(APIView):
    class FilterInput(serializers.Serializer):  # type: ignore[type-arg]
        kind = serializers.ChoiceField(choices=OrganisationKind.choices, required=False)

    @extend_schema(
        parameters=[OpenApiParameter("kind", enum=OrganisationKind.values, required=False)],
        responses={200: OrganisationOutput(many=True), **ERROR_RESPONSES},
        operation_id="organisations_list",
    )
    def get(self, request: Request) -> Response:
        filters = self.FilterInput(data=request.query_params)
        filters.is_valid(raise_exception=True)
        organisations = Organisation.objects.filter(is_active=True).select_related("served_by")
        if kind := filters.validated_data.get("kind"):
            organisations = organisations.filter(kind=kind)
        return Response(OrganisationOutput(organisations, many=True).data)
