"""Charging request API: the MG3 and its way from the officer to a CPS lawyer (DG6, domain.md 2.2).

- ``cases/{case}/charging-requests/``: the case's requests the caller may see; ``POST`` starts an MG3.
- ``.../{request}/``: the whole request (MG3, decisions, actions, MG3As); ``PATCH`` changes a draft.
- ``.../submit/``, ``withdraw/``: the officer's moves; ``approve/`` and ``return-to-officer/``: the police
  supervisor's; ``accept/`` and ``return-not-to-standard/``: CPS triage's; ``allocate/``: a lawyer takes it or a
  legal manager assigns it.

Every change carries the ``version`` the caller read (409 when it is stale). Writes go through
``charging.services``, so the pages and the API refuse the same things with the same words.
"""

from __future__ import annotations

import uuid
from dataclasses import fields, replace
from typing import Any

import rules
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from config.api_docs import ERROR_RESPONSES
from files.quality.rules import FAILURE_CODES
from files.selectors import can_see_sensitive

from .. import services
from ..choices import AnticipatedPlea, ChargingCategory, TestSought
from ..models import ChargingRequest
from ..selectors import request_get_for, requests_for_case
from .common import (
    CONFLICT_RESPONSE,
    ReasonInput,
    References,
    VersionInput,
    acting_user,
    audit_viewed,
    ensure_any,
    service_call,
    validated,
    visible_case,
    visible_request,
)
from .serializers import RequestDetailOutput, RequestOutput

ASSIGN_TO_WHOM = "Choose the CPS lawyer to assign the request to"

RESPONSES = {200: RequestDetailOutput, **ERROR_RESPONSES, **CONFLICT_RESPONSE}


def detail(request: Request, charging_request: ChargingRequest) -> dict[str, Any]:
    """The request as the caller may see it, re-read through the selector after a change."""
    fresh = request_get_for(user=acting_user(request), case=charging_request.case, public_id=charging_request.public_id)
    context = {"sees_sensitive": can_see_sensitive(acting_user(request), fresh.case)}
    return dict(RequestDetailOutput(fresh, context=context).data)


# -- the MG3 -------------------------------------------------------------------------------------


class OutstandingEvidenceInput(serializers.Serializer):  # type: ignore[type-arg]
    what = serializers.CharField(max_length=2000)
    target_date = serializers.DateField(required=False, allow_null=True, help_text="When it is expected.")

    class Meta:
        ref_name = "Mg3OutstandingEvidenceInput"


class Mg3Input(serializers.Serializer):  # type: ignore[type-arg]
    """The police part of the MG3 (``charging.services.Mg3Details``). Required parts are checked when the
    request is submitted, so a draft can be saved half done."""

    category = serializers.ChoiceField(choices=ChargingCategory.choices, required=False)
    test_sought = serializers.ChoiceField(choices=TestSought.choices, required=False)
    anticipated_plea = serializers.ChoiceField(choices=AnticipatedPlea.values, required=False)
    venue = serializers.CharField(required=False, allow_blank=True, max_length=200)
    suspect_status = serializers.CharField(required=False, allow_blank=True, max_length=10000)
    pace_clock = serializers.CharField(required=False, allow_blank=True, max_length=10000)
    bail_status = serializers.CharField(required=False, allow_blank=True, max_length=10000)
    offence_summary = serializers.CharField(required=False, allow_blank=True, max_length=20000)
    proposed_charges = serializers.CharField(required=False, allow_blank=True, max_length=10000)
    defence_account = serializers.CharField(required=False, allow_blank=True, max_length=20000)
    lines_of_inquiry_done = serializers.CharField(required=False, allow_blank=True, max_length=20000)
    lines_not_pursued = serializers.CharField(required=False, allow_blank=True, max_length=20000)
    outstanding_evidence = OutstandingEvidenceInput(many=True, required=False)
    victim_witness_needs = serializers.CharField(required=False, allow_blank=True, max_length=10000)
    digital_strategy = serializers.CharField(required=False, allow_blank=True, max_length=10000)
    unused_material_info = serializers.CharField(required=False, allow_blank=True, max_length=10000)
    submission = serializers.UUIDField(
        required=False, allow_null=True, help_text="Public id of the file (submission) on this case it carries."
    )

    class Meta:
        ref_name = "Mg3"


class Mg3UpdateInput(Mg3Input, VersionInput):
    class Meta:
        ref_name = "Mg3Update"


_MG3_NAMES = {f.name for f in fields(services.Mg3Details)}


def _details(data: dict[str, Any], current: services.Mg3Details, refs: References) -> services.Mg3Details:
    changes = {name: value for name, value in data.items() if name in _MG3_NAMES and name != "submission"}
    if "outstanding_evidence" in data:
        changes["outstanding_evidence"] = [
            {"what": item["what"], "target_date": item["target_date"].isoformat() if item.get("target_date") else ""}
            for item in data["outstanding_evidence"]
        ]
    if "submission" in data:
        changes["submission"] = refs.submission(
            "submission", data["submission"], unknown=services.SUBMISSION_OTHER_CASE
        )
    refs.check()
    return replace(current, **changes)


def _details_of(charging_request: ChargingRequest) -> services.Mg3Details:
    kept = {name: getattr(charging_request, name) for name in _MG3_NAMES if name != "outstanding_evidence"}
    return services.Mg3Details(**{**kept, "outstanding_evidence": list(charging_request.outstanding_evidence)})


class RequestListApi(APIView):
    """The case's charging requests the caller may see, newest first; ``POST`` starts an MG3 (the police who
    build the case)."""

    @extend_schema(responses={200: RequestOutput(many=True), **ERROR_RESPONSES}, operation_id="charging_requests_list")
    def get(self, request: Request, case_id: uuid.UUID) -> Response:
        case = visible_case(request, case_id)
        audit_viewed(request, case, "charging_requests")
        charging_requests = requests_for_case(user=acting_user(request), case=case).select_related("case", "cps_area")
        return Response(RequestOutput(charging_requests, many=True).data)

    @extend_schema(
        request=Mg3Input,
        responses={201: RequestDetailOutput, **ERROR_RESPONSES},
        operation_id="charging_requests_create",
    )
    def post(self, request: Request, case_id: uuid.UUID) -> Response:
        case = visible_case(request, case_id)
        ensure_any(request, case, "charging.create_request")
        serializer = Mg3Input(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = acting_user(request)
        details = _details(dict(serializer.validated_data), services.Mg3Details(), References(case, user))
        charging_request = services.request_create(case=case, details=details, by=user)
        return Response(detail(request, charging_request), status=status.HTTP_201_CREATED)


class RequestDetailApi(APIView):
    """One charging request, whole; ``PATCH`` changes the MG3 of a draft (the parts given)."""

    @extend_schema(responses={200: RequestDetailOutput, **ERROR_RESPONSES}, operation_id="charging_requests_retrieve")
    def get(self, request: Request, case_id: uuid.UUID, request_id: uuid.UUID) -> Response:
        charging_request = visible_request(request, case_id, request_id)
        audit_viewed(request, charging_request.case, "charging_request", charging_request)
        return Response(detail(request, charging_request))

    @extend_schema(request=Mg3UpdateInput, responses=RESPONSES, operation_id="charging_requests_update")
    def patch(self, request: Request, case_id: uuid.UUID, request_id: uuid.UUID) -> Response:
        charging_request = visible_request(request, case_id, request_id)
        ensure_any(request, charging_request, "charging.submit_request")
        serializer = Mg3UpdateInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        user = acting_user(request)
        details = _details(data, _details_of(charging_request), References(charging_request.case, user))
        with service_call():
            charging_request = services.request_update(
                request=charging_request, details=details, by=user, expected_version=data["version"]
            )
        return Response(detail(request, charging_request))


# -- moves ---------------------------------------------------------------------------------------


class RequestSubmitApi(APIView):
    """The officer submits the MG3 for supervisor review. Refused (400, one message per missing MG3 part)
    while required parts are empty or the file it carries has blocking quality failures."""

    @extend_schema(request=VersionInput, responses=RESPONSES, operation_id="charging_requests_submit")
    def post(self, request: Request, case_id: uuid.UUID, request_id: uuid.UUID) -> Response:
        charging_request = visible_request(request, case_id, request_id)
        ensure_any(request, charging_request, "charging.submit_request")
        data = validated(VersionInput, request.data)
        with service_call():
            charging_request = services.request_submit(
                request=charging_request, by=acting_user(request), expected_version=data["version"]
            )
        return Response(detail(request, charging_request))


class RequestWithdrawApi(APIView):
    """The police withdraw a draft that will not be sent, saying why."""

    @extend_schema(request=ReasonInput, responses=RESPONSES, operation_id="charging_requests_withdraw")
    def post(self, request: Request, case_id: uuid.UUID, request_id: uuid.UUID) -> Response:
        charging_request = visible_request(request, case_id, request_id)
        ensure_any(request, charging_request, "charging.submit_request", "charging.approve_request")
        data = validated(ReasonInput, request.data)
        with service_call():
            charging_request = services.request_withdraw(
                request=charging_request,
                by=acting_user(request),
                reason=data["reason"],
                expected_version=data["version"],
            )
        return Response(detail(request, charging_request))


class ApproveInput(VersionInput):
    to_cps_direct = serializers.BooleanField(
        required=False, default=False, help_text="Send to CPS Direct (a custody case out of hours)."
    )

    class Meta:
        ref_name = "ChargingRequestApprove"


class RequestApproveApi(APIView):
    """The police supervisor certifies the MG3 against the National File Standard and sends it to the CPS Area
    that serves the case (or CPS Direct)."""

    @extend_schema(request=ApproveInput, responses=RESPONSES, operation_id="charging_requests_approve")
    def post(self, request: Request, case_id: uuid.UUID, request_id: uuid.UUID) -> Response:
        charging_request = visible_request(request, case_id, request_id)
        ensure_any(request, charging_request, "charging.approve_request")
        data = validated(ApproveInput, request.data)
        with service_call():
            charging_request = services.request_approve(
                request=charging_request,
                by=acting_user(request),
                expected_version=data["version"],
                to_cps_direct=data["to_cps_direct"],
            )
        return Response(detail(request, charging_request))


class RequestReturnToOfficerApi(APIView):
    """The police supervisor sends the MG3 back to the officer, saying what to put right."""

    @extend_schema(request=ReasonInput, responses=RESPONSES, operation_id="charging_requests_return_to_officer")
    def post(self, request: Request, case_id: uuid.UUID, request_id: uuid.UUID) -> Response:
        charging_request = visible_request(request, case_id, request_id)
        ensure_any(request, charging_request, "charging.approve_request")
        data = validated(ReasonInput, request.data)
        with service_call():
            charging_request = services.request_return_to_police(
                request=charging_request,
                by=acting_user(request),
                reason=data["reason"],
                expected_version=data["version"],
            )
        return Response(detail(request, charging_request))


class RequestAcceptApi(APIView):
    """CPS triage accepts the request into the Area's queue."""

    @extend_schema(request=VersionInput, responses=RESPONSES, operation_id="charging_requests_accept")
    def post(self, request: Request, case_id: uuid.UUID, request_id: uuid.UUID) -> Response:
        charging_request = visible_request(request, case_id, request_id)
        ensure_any(request, charging_request, "charging.triage_request")
        data = validated(VersionInput, request.data)
        with service_call():
            charging_request = services.request_accept(
                request=charging_request, by=acting_user(request), expected_version=data["version"]
            )
        return Response(detail(request, charging_request))


class RequestTakeBackApi(APIView):
    """The officer takes a request CPS triage returned as not to the National File Standard back to a draft,
    to put it right and send it again through the supervisor."""

    @extend_schema(request=VersionInput, responses=RESPONSES, operation_id="charging_requests_take_back")
    def post(self, request: Request, case_id: uuid.UUID, request_id: uuid.UUID) -> Response:
        charging_request = visible_request(request, case_id, request_id)
        ensure_any(request, charging_request, "charging.submit_request")
        data = validated(VersionInput, request.data)
        with service_call():
            charging_request = services.request_take_back(
                request=charging_request, by=acting_user(request), expected_version=data["version"]
            )
        return Response(detail(request, charging_request))


class NotToStandardInput(ReasonInput):
    failure_codes = serializers.ListField(
        child=serializers.CharField(max_length=10),
        required=False,
        default=list,
        help_text=f"File quality failure codes naming what falls short: {', '.join(sorted(FAILURE_CODES))}.",
    )

    class Meta:
        ref_name = "ChargingRequestNotToStandard"


class RequestReturnNotToStandardApi(APIView):
    """CPS triage returns the request because the file does not meet the National File Standard."""

    @extend_schema(
        request=NotToStandardInput, responses=RESPONSES, operation_id="charging_requests_return_not_to_standard"
    )
    def post(self, request: Request, case_id: uuid.UUID, request_id: uuid.UUID) -> Response:
        charging_request = visible_request(request, case_id, request_id)
        ensure_any(request, charging_request, "charging.triage_request")
        data = validated(NotToStandardInput, request.data)
        with service_call():
            charging_request = services.request_return_not_to_standard(
                request=charging_request,
                by=acting_user(request),
                reason=data["reason"],
                failure_codes=list(data["failure_codes"]),
                expected_version=data["version"],
            )
        return Response(detail(request, charging_request))


class AllocateInput(VersionInput):
    lawyer = serializers.UUIDField(
        required=False,
        allow_null=True,
        help_text="Public id of the lawyer a legal manager assigns it to; leave out to take it yourself.",
    )

    class Meta:
        ref_name = "ChargingRequestAllocate"


class RequestAllocateApi(APIView):
    """A lawyer of the Area takes the request, or a legal manager of the Area assigns it to one."""

    @extend_schema(request=AllocateInput, responses=RESPONSES, operation_id="charging_requests_allocate")
    def post(self, request: Request, case_id: uuid.UUID, request_id: uuid.UUID) -> Response:
        charging_request = visible_request(request, case_id, request_id)
        user = acting_user(request)
        ensure_any(request, charging_request, "charging.take_request", "charging.assign_request")
        data = validated(AllocateInput, request.data)
        lawyer_id = data.get("lawyer")
        lawyer = None
        if lawyer_id is None or lawyer_id == user.public_id:
            if not rules.has_perm("charging.take_request", user, charging_request):
                # A legal manager who is not a lawyer assigns it; they must say to whom.
                raise serializers.ValidationError({"lawyer": [ASSIGN_TO_WHOM]})
        else:
            ensure_any(request, charging_request, "charging.assign_request")
            refs = References(charging_request.case, user)
            lawyer = refs.lawyer("lawyer", lawyer_id, unknown=services.LAWYER_NOT_IN_AREA)
            refs.check()
        with service_call():
            charging_request = services.request_allocate(
                request=charging_request, by=user, lawyer=lawyer, expected_version=data["version"]
            )
        return Response(detail(request, charging_request))
