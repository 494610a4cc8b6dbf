"""Case API: search and open cases, read a whole case, change its details and status, and read its
timeline. Reads go through ``casework.selectors``, writes through ``casework.services``; the pages
and the API share both, so the validation, scoping and audit are the same.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from typing import Any, cast

from django.db.models import QuerySet, TextField
from django.db.models.functions import Cast
from drf_spectacular.utils import extend_schema
from rest_framework import ISO_8601, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from accounts.audit import audit_record
from accounts.choices import AuditEventType
from accounts.models import Unit, User
from config.api_docs import ERROR_RESPONSES

from ..choices import CaseFlag, CaseStatus
from ..identifiers import display_urn
from ..models import Case
from ..selectors import (
    DEFAULT_SORT,
    SORTS,
    CaseFilters,
    case_detail_visible_to,
    case_search_visible_to,
    case_timeline,
    columns_of,
)
from ..services import CaseDetails, case_create, case_transition, case_update
from ..services.cases import OIC_NOT_IN_FORCE, SUPERVISOR_NOT_IN_FORCE
from .common import (
    CaseCursorPagination,
    References,
    TimelinePagination,
    acting_user,
    audit_viewed,
    ensure_allowed,
    service_fields,
    validated,
    visible_case,
)
from .serializers import CaseDetailOutput, CaseOutput, TimelineEventOutput

RELEVANCE = "relevance"


class CaseDetailsInput(serializers.Serializer):  # type: ignore[type-arg]
    """What an officer says about a case (``casework.services.CaseDetails``)."""

    summary = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    flags = serializers.ListField(child=serializers.ChoiceField(choices=CaseFlag.choices), required=False)
    officer_in_case = serializers.UUIDField(required=False, allow_null=True, help_text="Public id of an officer.")
    supervisor = serializers.UUIDField(required=False, allow_null=True, help_text="Public id of a supervisor.")
    reported_on = serializers.DateField(required=False, allow_null=True)
    cps_area = serializers.CharField(
        required=False,
        allow_null=True,
        max_length=40,
        help_text="Code of the CPS Area. Leave out for the Area that serves the force; "
        "British Transport Police cases name the Area where the offence happened.",
    )

    class Meta:
        ref_name = "CaseDetails"


class CaseCreateInput(CaseDetailsInput):
    urn = serializers.CharField(max_length=40, help_text="Force, unit, serial and year, e.g. 10/AA/12345/26.")

    class Meta:
        ref_name = "CaseCreate"


def _resolve_details(data: dict[str, Any], current: CaseDetails, force_name: str) -> CaseDetails:
    """The case details with the input's public ids and codes turned into rows."""
    refs = References()
    changes: dict[str, Any] = {k: data[k] for k in ("summary", "flags", "reported_on") if k in data}
    if "officer_in_case" in data:
        changes["officer_in_case"] = refs.user(
            "officer_in_case", data["officer_in_case"], unknown=OIC_NOT_IN_FORCE.format(force=force_name)
        )
    if "supervisor" in data:
        changes["supervisor"] = refs.user(
            "supervisor", data["supervisor"], unknown=SUPERVISOR_NOT_IN_FORCE.format(force=force_name)
        )
    if "cps_area" in data:
        changes["cps_area"] = refs.cps_area("cps_area", data["cps_area"])
    refs.check()
    return replace(current, **changes)


_STATUS_LABELS = {str(value): str(label) for value, label in CaseStatus.choices}
_FLAG_LABELS = {str(value): str(label) for value, label in CaseFlag.choices}
# The representations of CaseOutput's own fields, so that dates, times and booleans come out as it writes them.
_DATE = serializers.DateField()
_DATE_TIME = serializers.DateTimeField()
_BOOLEAN = serializers.BooleanField()


# What listed_cases reads, and no more: a page is 50 cases, each with its force, unit, Area, officer in case and
# supervisor, read as one row of values each (model instances for a case and its four relations cost more than the
# rest of the request).
_LISTED_COLUMNS = (
    *("public_id", "urn", "status", "flags", "summary", "reported_on", "sent_to_cps_at", "sent_to_cps_direct"),
    *("created_at", "updated_at"),
    # Joined, as the selector joins them for every list and search.
    *(f"{relation}__{column}" for relation in ("force", "cps_area") for column in ("code", "name")),
)


_PERSON = (Cast("public_id", TextField()), "first_name", "last_name")
_RELATED = {
    "listed_unit": columns_of(Unit, "unit_id", "code", "name"),
    "listed_officer": columns_of(User, "officer_in_case_id", *_PERSON),
    "listed_supervisor": columns_of(User, "supervisor_id", *_PERSON),
}


def listed_rows(cases: QuerySet[Case], ordering: tuple[str, ...]) -> QuerySet[Case, dict[str, Any]]:
    """``cases`` as ``listed_cases`` reads them, with the columns of ``ordering`` (which the page cursor reads)."""
    sorted_by = [term.lstrip("-") for term in ordering if term.lstrip("-") not in _LISTED_COLUMNS]
    rows = cases.select_related(None).prefetch_related(None).annotate(**_RELATED)
    return cast("QuerySet[Case, dict[str, Any]]", rows.values(*_LISTED_COLUMNS, *sorted_by, *_RELATED))


def _organisation(columns: list[str] | None) -> dict[str, str] | None:
    return None if columns is None else {"code": columns[0], "name": columns[1]}


def _joined(code: str | None, name: str | None) -> dict[str, str] | None:
    return None if code is None else {"code": str(code), "name": str(name)}


def _user(columns: list[str] | None) -> dict[str, str] | None:
    """``{"id": public id, "name": get_full_name()}``"""
    if columns is None:
        return None
    public_id, first_name, last_name = columns
    return {"id": public_id, "name": f"{first_name} {last_name}".strip()}


def _when(value: Any, field: serializers.Field) -> Any:  # type: ignore[type-arg]
    return None if value is None else field.to_representation(value)


def _date_time_writer() -> Callable[[datetime | None], Any]:
    """``DateTimeField().to_representation`` for the current time zone, which it looks up for every value: an ISO
    8601 time in the current zone, UTC written as ``Z``. Anything but an aware time is left to the field."""
    if str(getattr(_DATE_TIME, "format", api_settings.DATETIME_FORMAT)).lower() != ISO_8601:
        return lambda value: _when(value, _DATE_TIME)
    zone = _DATE_TIME.default_timezone()

    def write(value: datetime | None) -> Any:
        if value is None:
            return None
        if zone is None or value.tzinfo is None:
            return _DATE_TIME.to_representation(value)
        text = value.astimezone(zone).isoformat()
        return text[:-6] + "Z" if text.endswith("+00:00") else text

    return write


def listed_cases(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``CaseOutput(cases, many=True).data`` for the cases of ``listed_rows``, written out field by field: the same
    keys, in the same order, with the same values. The serializer's machinery (a bound copy of every field, nested
    serializers for the force, unit, Area and officers) cost more than the rest of the request for a page of 50
    cases."""
    when = _date_time_writer()
    return [
        {
            "id": str(row["public_id"]),
            "urn": str(row["urn"]),
            "urn_display": display_urn(row["urn"]),
            "status": str(row["status"]),
            "status_label": _STATUS_LABELS.get(str(row["status"]), str(row["status"])),
            "flags": [None if flag is None else str(flag) for flag in row["flags"]],
            "flag_labels": [_FLAG_LABELS.get(str(flag), str(flag)) for flag in row["flags"]],
            "summary": str(row["summary"]),
            "force": _joined(row["force__code"], row["force__name"]),
            "unit": _organisation(row["listed_unit"]),
            "cps_area": _joined(row["cps_area__code"], row["cps_area__name"]),
            "officer_in_case": _user(row["listed_officer"]),
            "supervisor": _user(row["listed_supervisor"]),
            "reported_on": _when(row["reported_on"], _DATE),
            "sent_to_cps_at": when(row["sent_to_cps_at"]),
            "sent_to_cps_direct": _when(row["sent_to_cps_direct"], _BOOLEAN),
            "created_at": when(row["created_at"]),
            "updated_at": when(row["updated_at"]),
        }
        for row in rows
    ]


class CaseListApi(APIView):
    """Cases the caller may see. ``GET`` searches and lists them by cursor; ``POST`` opens a case
    for the caller's own force."""

    pagination_class = CaseCursorPagination

    class FilterInput(serializers.Serializer):  # type: ignore[type-arg]
        q = serializers.CharField(
            required=False,
            allow_blank=True,
            max_length=200,
            help_text="A URN in any format finds that case alone. Otherwise every word must be in the case (names, "
            "offences, PNC IDs, summary, material) or be like a word of one of its people's names, so misspelt "
            "names are found too.",
        )
        status = serializers.ListField(
            child=serializers.ChoiceField(choices=CaseStatus.choices), required=False, help_text="Repeatable."
        )
        flag = serializers.ListField(
            child=serializers.ChoiceField(choices=CaseFlag.choices),
            required=False,
            help_text="Repeatable; a case must carry every flag given.",
        )
        officer_in_case = serializers.UUIDField(required=False, help_text="Public id of the officer in case.")
        unit = serializers.CharField(required=False, allow_blank=True, max_length=20, help_text="Unit code.")
        updated_from = serializers.DateField(required=False)
        updated_to = serializers.DateField(required=False)
        sort = serializers.ChoiceField(
            choices=[*SORTS, RELEVANCE],
            required=False,
            default=DEFAULT_SORT,
            help_text="`relevance` applies when `q` is given.",
        )

    @extend_schema(
        parameters=[FilterInput],
        responses={200: CaseOutput(many=True), **ERROR_RESPONSES},
        operation_id="cases_list",
    )
    def get(self, request: Request) -> Response:
        """Cases the caller may see, filtered and searched as the case search page does, by cursor."""
        params = validated(self.FilterInput, request.query_params)
        filters = CaseFilters(
            query=params.get("q", ""),
            statuses=tuple(params.get("status", ())),
            flags=tuple(params.get("flag", ())),
            officer_in_case=params.get("officer_in_case"),
            unit_code=params.get("unit", ""),
            updated_from=params.get("updated_from"),
            updated_to=params.get("updated_to"),
            sort=params["sort"],
        )
        ordering = SORTS.get(filters.sort, SORTS[DEFAULT_SORT])
        if filters.sort == RELEVANCE and filters.query.strip():
            ordering = ("-rank", "-id")  # the selector's rank annotation
        cases = listed_rows(case_search_visible_to(user=acting_user(request), filters=filters), ordering)
        paginator = CaseCursorPagination(ordering)
        page = paginator.paginate_queryset(cases, request, view=self)
        return paginator.get_paginated_response(listed_cases(page or []))

    @extend_schema(
        request=CaseCreateInput,
        responses={201: CaseOutput, **ERROR_RESPONSES},
        operation_id="cases_create",
    )
    def post(self, request: Request) -> Response:
        """Open a case for the caller's own force. The URN names the force and unit."""
        user = acting_user(request)
        ensure_allowed(request, "casework.create_case")
        data = validated(CaseCreateInput, request.data)
        assert user.organisation is not None  # only police of a force may create cases
        details = _resolve_details(data, CaseDetails(), user.organisation.name)
        case = case_create(urn=data["urn"], details=details, by=user)
        return Response(CaseOutput(case).data, status=status.HTTP_201_CREATED)


class CaseDetailApi(APIView):
    """One case. ``GET`` gives the whole case (suspects with their custody history, offences,
    victims with their updates, witnesses, hearings) and is recorded as a view; ``PATCH`` changes
    the details given."""

    @extend_schema(responses={200: CaseDetailOutput, **ERROR_RESPONSES}, operation_id="cases_retrieve")
    def get(self, request: Request, case_id: uuid.UUID) -> Response:
        """The whole case in one read. Recorded in the audit log as a view."""
        user = acting_user(request)
        case = case_detail_visible_to(user=user, public_id=case_id)
        audit_record(
            by=user,
            event_type=AuditEventType.CASE_VIEWED,
            obj=case,
            case_id=case.public_id,
            data={"via": "api"},
        )
        return Response(CaseDetailOutput(case).data)

    @extend_schema(
        request=CaseDetailsInput(partial=True),
        responses={200: CaseOutput, **ERROR_RESPONSES},
        operation_id="cases_update",
    )
    def patch(self, request: Request, case_id: uuid.UUID) -> Response:
        """Change the case details given; those left out stay as they are."""
        case = visible_case(request, case_id)
        ensure_allowed(request, "casework.change_case", case)
        data = validated(CaseDetailsInput, request.data, partial=True)
        details = _resolve_details(data, _details_of(case), case.force.name)
        case = case_update(case=case, details=details, by=acting_user(request))
        return Response(CaseOutput(case).data)


def _details_of(case: Case) -> CaseDetails:
    return CaseDetails(
        summary=case.summary,
        flags=list(case.flags),
        officer_in_case=case.officer_in_case,
        supervisor=case.supervisor,
        reported_on=case.reported_on,
        cps_area=case.cps_area,
    )


class CaseStatusApi(APIView):
    """Move the case to another status, if the case lifecycle allows it (``casework.workflow``)."""

    class StatusInput(serializers.Serializer):  # type: ignore[type-arg]
        to = serializers.ChoiceField(choices=CaseStatus.choices, help_text="The status to move to.")
        reason = serializers.CharField(allow_blank=True, max_length=2000, help_text="Why; recorded in the timeline.")

        class Meta:
            ref_name = "CaseStatusChange"

    @extend_schema(
        request=StatusInput,
        responses={200: CaseOutput, **ERROR_RESPONSES},
        operation_id="cases_status_change",
    )
    def post(self, request: Request, case_id: uuid.UUID) -> Response:
        """Move the case to another status, with the reason. Moves made by the charging process are refused here."""
        case = visible_case(request, case_id)
        ensure_allowed(request, "casework.change_status", case)
        data = validated(self.StatusInput, request.data)
        with service_fields(status="to"):
            case = case_transition(case=case, to=data["to"], by=acting_user(request), reason=data["reason"])
        return Response(CaseOutput(case).data)


class CaseTimelineApi(APIView):
    """Everything that happened on the case, oldest first: one record for police and CPS alike."""

    pagination_class = TimelinePagination

    @extend_schema(responses={200: TimelineEventOutput(many=True), **ERROR_RESPONSES}, operation_id="cases_timeline")
    def get(self, request: Request, case_id: uuid.UUID) -> Response:
        """The case's history, oldest first, by cursor. Views and searches are audited but are not history."""
        case = visible_case(request, case_id)
        audit_viewed(request, case, "timeline")
        paginator = TimelinePagination()
        events = case_timeline(case=case, user=request.user)  # type: ignore[arg-type]
        page = paginator.paginate_queryset(events, request, view=self)
        return paginator.get_paginated_response(TimelineEventOutput(page, many=True).data)
