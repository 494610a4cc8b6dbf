"""Offence code API: search the CJS offence list and read one code.

Public reference data, so any signed-in user (or token) may read it; like every API route it still
needs authentication. Reads go through ``casework.offence_codes``.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from config.api_docs import ERROR_RESPONSES

from ..choices import ModeOfTrial
from ..dg6 import dg6_label
from ..models import OffenceCode
from ..offence_codes import SEARCH_LIMIT_MAX, SEARCH_TEXT_MAX, offence_code_get, offence_code_search


class OffenceCodeOutput(serializers.Serializer):  # type: ignore[type-arg]
    code = serializers.CharField()
    title = serializers.CharField()
    category = serializers.CharField(help_text="Standing-data offence category, e.g. CS, CM, CE, CI.")
    mode_of_trial = serializers.ChoiceField(choices=ModeOfTrial.choices)
    mode_of_trial_label = serializers.CharField(source="get_mode_of_trial_display")
    dg6_group = serializers.CharField(
        help_text="DG6 Annex 1 group that reserves the charging decision to the CPS; empty if none."
    )
    dg6_label = serializers.SerializerMethodField()
    is_active = serializers.BooleanField(help_text="False once the code has left the MoJ standing data.")

    def get_dg6_label(self, offence_code: OffenceCode) -> str:
        return dg6_label(offence_code.dg6_group)


class OffenceCodeSearchApi(APIView):
    """Offence codes matching a code, the start of one, or words from the title, best first."""

    class Input(serializers.Serializer):  # type: ignore[type-arg]
        q = serializers.CharField(
            min_length=1, max_length=SEARCH_TEXT_MAX, help_text="A code (TH68001, th68) or words (assault by beating)."
        )
        limit = serializers.IntegerField(min_value=1, max_value=SEARCH_LIMIT_MAX, default=20)

    @extend_schema(
        parameters=[Input],
        responses={200: OffenceCodeOutput(many=True), **ERROR_RESPONSES},
        operation_id="offence_codes_list",
    )
    def get(self, request: Request) -> Response:
        params = self.Input(data=request.query_params)
        params.is_valid(raise_exception=True)
        found = offence_code_search(query=params.validated_data["q"], limit=params.validated_data["limit"])
        return Response(OffenceCodeOutput(found, many=True).data)


class OffenceCodeDetailApi(APIView):
    """One offence code, active or not (an old allegation may still point at a withdrawn code)."""

    @extend_schema(responses={200: OffenceCodeOutput, **ERROR_RESPONSES}, operation_id="offence_codes_retrieve")
    def get(self, request: Request, code: str) -> Response:
        return Response(OffenceCodeOutput(offence_code_get(code=code)).data)
