"""Case API for the offences alleged or charged against the case's suspects, and its hearings.

Offences are given by CJS offence code (``TH68001``, or ``TH68001A`` with the attempt qualifier);
the suspect by public id, and only a suspect on the same case. Hearings name the court by its
standing-data code; the CPS of a case it has been sent to may record hearings too.
"""

from __future__ import annotations

import uuid
from dataclasses import replace
from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from config.api_docs import ERROR_RESPONSES

from ..choices import HearingOutcome, HearingType, OffenceQualifier, OffenceStatus
from ..models import Case, Hearing, OffenceAllegation
from ..services import HearingDetails, OffenceDetails, hearing_add, hearing_update, offence_add, offence_update
from ..services.offences import SUSPECT_NOT_ON_CASE
from .common import (
    References,
    acting_user,
    audit_viewed,
    ensure_allowed,
    validated,
    visible_case,
    visible_child,
    without,
)
from .serializers import HearingOutput, OffenceOutput

# -- offences ------------------------------------------------------------------------------------


class OffenceInput(serializers.Serializer):  # type: ignore[type-arg]
    suspect = serializers.UUIDField(help_text="Public id of a suspect on this case.")
    code = serializers.CharField(
        max_length=20,
        help_text="CJS offence code; an eighth character A, B, C or I qualifies it (attempt, aiding, "
        "conspiracy, inciting). Changing the code without giving `qualifier` takes the code's own qualifier.",
    )
    qualifier = serializers.ChoiceField(choices=OffenceQualifier.choices, required=False, allow_blank=True)
    committed_on = serializers.DateField(help_text="The date, or the first date of a range.")
    committed_until = serializers.DateField(
        required=False, allow_null=True, help_text="The last date, for a continuing offence."
    )
    location = serializers.CharField(required=False, allow_blank=True, max_length=300)
    particulars = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    status = serializers.ChoiceField(choices=OffenceStatus.choices, required=False)

    class Meta:
        ref_name = "Offence"


def _offence_changes(case: Case, data: dict[str, Any]) -> dict[str, Any]:
    changes = without(data, "suspect")
    if "suspect" in data:
        refs = References()
        changes["suspect"] = refs.suspect("suspect", case, data["suspect"], unknown=SUSPECT_NOT_ON_CASE)
        refs.check()
    if "code" in data and "qualifier" not in data:
        changes["qualifier"] = ""
    return changes


def _offence_details(offence: OffenceAllegation) -> OffenceDetails:
    return OffenceDetails(
        suspect=offence.suspect,
        code=offence.offence_code.code,
        committed_on=offence.committed_on,
        qualifier=offence.qualifier,
        committed_until=offence.committed_until,
        location=offence.location,
        particulars=offence.particulars,
        status=offence.status,
    )


class OffenceListApi(APIView):
    """Every offence on the case, each naming its suspect; ``POST`` adds one against a suspect."""

    @extend_schema(responses={200: OffenceOutput(many=True), **ERROR_RESPONSES}, operation_id="cases_offences_list")
    def get(self, request: Request, case_id: uuid.UUID) -> Response:
        """Every offence on the case, each naming its suspect."""
        case = visible_case(request, case_id)
        audit_viewed(request, case, "offences")
        offences = case.offences.select_related("offence_code", "suspect").order_by("created_at", "id")
        return Response(OffenceOutput(offences, many=True).data)

    @extend_schema(
        request=OffenceInput,
        responses={201: OffenceOutput, **ERROR_RESPONSES},
        operation_id="cases_offences_create",
    )
    def post(self, request: Request, case_id: uuid.UUID) -> Response:
        """Add an offence against a suspect on this case."""
        case = visible_case(request, case_id)
        ensure_allowed(request, "casework.change_case", case)
        data = validated(OffenceInput, request.data)
        details = OffenceDetails(**_offence_changes(case, data))
        offence = offence_add(case=case, details=details, by=acting_user(request))
        return Response(OffenceOutput(offence).data, status=status.HTTP_201_CREATED)


class OffenceDetailApi(APIView):
    @extend_schema(responses={200: OffenceOutput, **ERROR_RESPONSES}, operation_id="cases_offences_retrieve")
    def get(self, request: Request, case_id: uuid.UUID, offence_id: uuid.UUID) -> Response:
        """One offence."""
        offence = visible_child(request, case_id, OffenceAllegation, offence_id)
        audit_viewed(request, offence.case, "offence", offence)
        return Response(OffenceOutput(offence).data)

    @extend_schema(
        request=OffenceInput(partial=True),
        responses={200: OffenceOutput, **ERROR_RESPONSES},
        operation_id="cases_offences_update",
    )
    def patch(self, request: Request, case_id: uuid.UUID, offence_id: uuid.UUID) -> Response:
        """Change the offence's details given; those left out stay as they are."""
        offence = visible_child(request, case_id, OffenceAllegation, offence_id)
        ensure_allowed(request, "casework.change_case", offence.case)
        data = validated(OffenceInput, request.data, partial=True)
        details = replace(_offence_details(offence), **_offence_changes(offence.case, data))
        offence = offence_update(offence=offence, details=details, by=acting_user(request))
        return Response(OffenceOutput(offence).data)


# -- hearings ------------------------------------------------------------------------------------


class HearingInput(serializers.Serializer):  # type: ignore[type-arg]
    court = serializers.CharField(max_length=20, help_text="Standing-data court code, like B01BE00.")
    starts_at = serializers.DateTimeField()
    hearing_type = serializers.ChoiceField(choices=HearingType.choices)
    outcome = serializers.ChoiceField(
        choices=HearingOutcome.choices, required=False, allow_blank=True, help_text="Blank until known."
    )
    outcome_notes = serializers.CharField(required=False, allow_blank=True, max_length=5000)

    class Meta:
        ref_name = "Hearing"


def _hearing_changes(data: dict[str, Any]) -> dict[str, Any]:
    changes = without(data, "court")
    if "court" in data:
        refs = References()
        changes["court"] = refs.court("court", data["court"])
        refs.check()
    return changes


def _hearing_details(hearing: Hearing) -> HearingDetails:
    return HearingDetails(
        court=hearing.court,
        starts_at=hearing.starts_at,
        hearing_type=hearing.hearing_type,
        outcome=hearing.outcome,
        outcome_notes=hearing.outcome_notes,
    )


class HearingListApi(APIView):
    """The case's hearings in date order; ``POST`` lists a new one (police of the case, or the CPS
    once the case has been sent to it)."""

    @extend_schema(responses={200: HearingOutput(many=True), **ERROR_RESPONSES}, operation_id="cases_hearings_list")
    def get(self, request: Request, case_id: uuid.UUID) -> Response:
        """The case's hearings in date order."""
        case = visible_case(request, case_id)
        audit_viewed(request, case, "hearings")
        hearings = case.hearings.select_related("court").order_by("starts_at", "id")
        return Response(HearingOutput(hearings, many=True).data)

    @extend_schema(
        request=HearingInput,
        responses={201: HearingOutput, **ERROR_RESPONSES},
        operation_id="cases_hearings_create",
    )
    def post(self, request: Request, case_id: uuid.UUID) -> Response:
        """List a hearing. The police of the case, or the CPS once the case has been sent, may do this."""
        case = visible_case(request, case_id)
        ensure_allowed(request, "casework.record_hearing", case)
        data = validated(HearingInput, request.data)
        hearing = hearing_add(case=case, details=HearingDetails(**_hearing_changes(data)), by=acting_user(request))
        return Response(HearingOutput(hearing).data, status=status.HTTP_201_CREATED)


class HearingDetailApi(APIView):
    @extend_schema(responses={200: HearingOutput, **ERROR_RESPONSES}, operation_id="cases_hearings_retrieve")
    def get(self, request: Request, case_id: uuid.UUID, hearing_id: uuid.UUID) -> Response:
        """One hearing."""
        hearing = visible_child(request, case_id, Hearing, hearing_id)
        audit_viewed(request, hearing.case, "hearing", hearing)
        return Response(HearingOutput(hearing).data)

    @extend_schema(
        request=HearingInput(partial=True),
        responses={200: HearingOutput, **ERROR_RESPONSES},
        operation_id="cases_hearings_update",
    )
    def patch(self, request: Request, case_id: uuid.UUID, hearing_id: uuid.UUID) -> Response:
        """Change the hearing's details given, such as its outcome."""
        hearing = visible_child(request, case_id, Hearing, hearing_id)
        ensure_allowed(request, "casework.record_hearing", hearing.case)
        data = validated(HearingInput, request.data, partial=True)
        details = replace(_hearing_details(hearing), **_hearing_changes(data))
        hearing = hearing_update(hearing=hearing, details=details, by=acting_user(request))
        return Response(HearingOutput(hearing).data)
