"""Joint performance metrics through the API: the published definitions, and a metric's values by period and
dimension read from the daily snapshots (``metrics.selectors.metric_series``), for what the caller may see.

- ``GET /api/v1/metrics/definitions/``: every registered metric's definition, for any signed-in user.
- ``GET /api/v1/metrics/{metric_id}/``: values per period (``grain``) and optionally per value of one dimension
  (``group_by``), narrowed by dimension filters. Forces and CPS Areas are named by their code or public id,
  units by their public id; internal keys never appear in the input or the output.

Order of answers: not signed in → 401; unknown metric → 404; bad input (unknown dimension or period length,
malformed dates, a period that ends before it starts or is too long, a force or unit that does not exist) →
400 with the message on the field to correct; no organisation-wide figures for the caller's role, or a force
(or a unit of a force) outside their scope → 403 with the precise message.
"""

from __future__ import annotations

import re
import uuid
from datetime import date
from typing import Any

from django.db.models import Q
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import exceptions, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.choices import OrganisationKind
from accounts.models import Organisation, Unit, User
from config.api_docs import ERROR_RESPONSES

from .dimensions import DIMENSIONS
from .registry import REGISTRY, CategoryKind, Metric, MetricUnit, Owner
from .selectors import (
    FORCE_OUT_OF_SCOPE,
    GRAINS,
    NO_SCOPE,
    UNKNOWN_METRIC,
    MetricQuery,
    MetricQueryError,
    Point,
    metric_series,
    metrics_scope_for,
)

MALFORMED_DATE = "“{value}” is not a date: write it as YYYY-MM-DD, for example 2026-01-31"
UNKNOWN_FORCE = "There is no police force with the code or id “{value}”"
UNKNOWN_UNIT = "There is no unit with the id “{value}”"
UNKNOWN_CPS_AREA = "There is no CPS Area with the code or id “{value}”"
UNIT_OUT_OF_SCOPE = "You cannot see figures for that unit"

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# Errors that are about who the caller is rather than what they sent.
_FORBIDDEN = (NO_SCOPE, FORCE_OUT_OF_SCOPE)


def _user(request: Request) -> User:
    user = request.user
    assert isinstance(user, User)  # every metrics view requires an authenticated user
    return user


def _invalid(field: str, message: str) -> exceptions.ValidationError:
    return exceptions.ValidationError({field: [message]})


# Named in the schema by config.settings SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"] (MetricUnitEnum,
# MetricOwnerEnum), so they cannot take the names of the API's other "unit" and "owner" enumerations.
UNIT_VALUES = [u.value for u in MetricUnit]
OWNER_VALUES = [o.value for o in Owner]


@extend_schema_field({"type": "string", "enum": UNIT_VALUES})
class MetricUnitField(serializers.CharField):
    pass


@extend_schema_field({"type": "string", "enum": OWNER_VALUES})
class MetricOwnerField(serializers.CharField):
    pass


@extend_schema_field({"type": "string", "enum": list(GRAINS)})
class GrainField(serializers.CharField):
    pass


class MetricDefinitionOutput(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.CharField()
    name = serializers.CharField()
    definition = serializers.CharField(help_text="What the metric measures, in plain English.")
    numerator = serializers.CharField(help_text="What is counted (or, for days, what is totalled).")
    denominator = serializers.CharField(help_text="What it is divided by; empty for a count.")
    unit = MetricUnitField(help_text="count, percent, days (a mean, with median and 90th percentile) or ratio.")
    owner = MetricOwnerField(help_text="Which side owns the measure: police, cps or joint.")
    reads = serializers.ListField(child=serializers.CharField(), help_text="The fields it is computed from.")
    version = serializers.IntegerField(help_text="Goes up whenever the definition or its computation changes.")
    stock = serializers.BooleanField(
        help_text="True: a position at the end of each day (a period shows its last day); false: a flow, summed."
    )
    notes = serializers.CharField(help_text="What the number does not cover.")
    category_kind = serializers.ChoiceField(
        choices=[kind.value for kind in CategoryKind],
        help_text="What the `category` dimension holds for this metric: charging_category, failure_reason (an FQ "
        "code), dispute_outcome, age_band, or none (not split).",
    )
    categories = serializers.DictField(
        child=serializers.CharField(), help_text="The values `category` can take, with their names."
    )


class MetricPointOutput(serializers.Serializer):  # type: ignore[type-arg]
    period = serializers.DateField(help_text="First day of the period (the 1st of a month, a week's Monday).")
    group = serializers.CharField(
        allow_null=True,
        help_text="The `group_by` value: a force's or CPS Area's code, a unit's public id, an offence group or a "
        "charging category ('' where the record has none); null without `group_by`, or for records with no force, "
        "unit or CPS Area when grouped by it.",
    )
    group_name = serializers.CharField(allow_null=True, help_text="The group in words, where it has a name.")
    value = serializers.FloatField(allow_null=True, help_text="The metric's value; null when nothing to divide by.")
    numerator = serializers.FloatField()
    denominator = serializers.FloatField()
    median = serializers.FloatField(allow_null=True, help_text="Day-count metrics: the median in whole days.")
    p90 = serializers.FloatField(allow_null=True, help_text="Day-count metrics: the 90th percentile in whole days.")


class MetricSeriesOutput(serializers.Serializer):  # type: ignore[type-arg]
    metric = serializers.CharField()
    name = serializers.CharField()
    unit = MetricUnitField()
    version = serializers.IntegerField(help_text="The version of the definition the values are read for.")
    stock = serializers.BooleanField()
    start = serializers.DateField()
    end = serializers.DateField()
    grain = GrainField()
    group_by = serializers.CharField(help_text="'' when not grouped.")
    filters = serializers.DictField(child=serializers.CharField(), help_text="The filters applied, as given.")
    points = MetricPointOutput(many=True)


def _definition(metric: Metric) -> dict[str, Any]:
    return {
        "id": metric.id,
        "name": metric.name,
        "definition": metric.definition,
        "numerator": metric.numerator,
        "denominator": metric.denominator,
        "unit": metric.unit.value,
        "owner": metric.owner.value,
        "reads": list(metric.reads),
        "version": metric.version,
        "stock": metric.stock,
        "notes": metric.notes,
        "category_kind": metric.category_kind.value,
        "categories": metric.category_labels(),
    }


class MetricDefinitionListApi(APIView):
    @extend_schema(
        responses={200: MetricDefinitionOutput(many=True), **ERROR_RESPONSES}, operation_id="metrics_definitions_list"
    )
    def get(self, request: Request) -> Response:
        """Every metric's published definition: its formula, unit, owner, the fields it reads and its version.
        The same for everyone signed in."""
        metrics = sorted(REGISTRY.values(), key=lambda m: m.id)
        return Response(MetricDefinitionOutput([_definition(m) for m in metrics], many=True).data)


def _parse_date(field: str, raw: str | None, default: date) -> date:
    if raw is None or raw == "":
        return default
    if not _ISO_DATE.match(raw):
        raise _invalid(field, MALFORMED_DATE.format(value=raw))
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise _invalid(field, MALFORMED_DATE.format(value=raw)) from None


def _as_uuid(raw: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(raw)
    except ValueError:
        return None


def _organisation(raw: str, kinds: tuple[str, ...]) -> Organisation | None:
    public_id = _as_uuid(raw)
    match = Q(public_id=public_id) if public_id is not None else Q(code=raw)
    return Organisation.objects.filter(match, kind__in=kinds).first()


def _filters(request: Request, user: User) -> tuple[dict[str, Any], dict[str, str]]:
    """The dimension filters as the selector takes them (primary keys, codes), and as the caller gave them."""
    params = request.query_params
    filters: dict[str, Any] = {}
    given: dict[str, str] = {}
    scope = metrics_scope_for(user)
    if raw := params.get("force", ""):
        force = _organisation(raw, (OrganisationKind.POLICE_FORCE,))
        if force is None:
            raise _invalid("force", UNKNOWN_FORCE.format(value=raw))
        filters["force"], given["force"] = force.pk, raw
    if raw := params.get("unit", ""):
        public_id = _as_uuid(raw)
        unit = Unit.objects.filter(public_id=public_id).first() if public_id is not None else None
        if unit is None:
            raise _invalid("unit", UNKNOWN_UNIT.format(value=raw))
        # Units are reference data like forces (see MetricSeriesApi.get): naming one of a force outside the
        # caller's scope is refused as plainly as naming that force.
        if scope.force_ids is not None and scope.force_ids and unit.organisation_id not in scope.force_ids:
            raise exceptions.PermissionDenied(UNIT_OUT_OF_SCOPE)
        filters["unit"], given["unit"] = unit.pk, raw
    if raw := params.get("cps_area", ""):
        area = _organisation(raw, (OrganisationKind.CPS_AREA, OrganisationKind.CPS_DIRECT))
        if area is None:
            raise _invalid("cps_area", UNKNOWN_CPS_AREA.format(value=raw))
        filters["cps_area"], given["cps_area"] = area.pk, raw
    if raw := params.get("offence_group", ""):
        filters["offence_group"] = given["offence_group"] = raw
    if raw := params.get("category", ""):
        # Which values are categories depends on the metric (``Metric.category_kind``): ``validate`` decides.
        filters["category"] = given["category"] = raw
    return filters, given


def _group_labels(metric: Metric, group_by: str, points: list[Point]) -> dict[Any, tuple[str, str | None]]:
    """Each group's public value and name: internal keys of forces, CPS Areas and units never leave here."""
    keys = {p.group for p in points if p.group is not None}
    if group_by in ("force", "cps_area"):
        return {o.pk: (o.code, o.name) for o in Organisation.objects.filter(pk__in=keys)}
    if group_by == "unit":
        return {u.pk: (str(u.public_id), u.name) for u in Unit.objects.filter(pk__in=keys)}
    if group_by == "category":
        labels = metric.category_labels()
        return {key: (key, labels.get(key)) for key in keys}
    return {key: (key, None) for key in keys}


def _default_start(end: date) -> date:
    """The first day of the month eleven months before ``end``'s: twelve calendar months at most 366 days long."""
    month = end.month - 11
    year = end.year if month > 0 else end.year - 1
    return date(year, month if month > 0 else month + 12, 1)


_DIMENSION_FILTERS = [
    OpenApiParameter(
        "force", str, required=False, description="Only this police force: its two-digit code (`10`) or public id."
    ),
    OpenApiParameter("unit", OpenApiTypes.UUID, required=False, description="Only this unit: its public id."),
    OpenApiParameter(
        "cps_area", str, required=False, description="Only cases with this CPS Area: its code or public id."
    ),
    OpenApiParameter(
        "offence_group",
        str,
        required=False,
        description="Only this offence group (a DG6 group such as `gbh_abh`, else a mode of trial).",
    ),
    OpenApiParameter(
        "category",
        str,
        required=False,
        description="Only this category. What a category is depends on the metric (its definition's `category_kind`"
        " and `categories`): the charging category (`red`, `green_priority`, `green`) for most charging measures,"
        " an FQ code, a dispute outcome or an age band for others.",
    ),
]


class MetricSeriesApi(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter(
                "start",
                OpenApiTypes.DATE,
                required=False,
                description="First day (YYYY-MM-DD); default: the 1st of the month eleven months before `end`.",
            ),
            OpenApiParameter("end", OpenApiTypes.DATE, required=False, description="Last day; default: today."),
            OpenApiParameter(
                "grain",
                str,
                required=False,
                enum=list(GRAINS),
                default="month",
                description="Period length. At most 366 days of daily figures, or five years of weeks or months.",
            ),
            OpenApiParameter(
                "group_by", str, required=False, enum=list(DIMENSIONS), description="Break each period down by this."
            ),
            *_DIMENSION_FILTERS,
        ],
        responses={200: MetricSeriesOutput, **ERROR_RESPONSES},
        operation_id="metrics_retrieve",
    )
    def get(self, request: Request, metric_id: str) -> Response:
        """A metric's values per period, optionally per value of one dimension, for the forces you may see
        (police managers: their force; CPS legal managers: the forces their Area serves). A stock metric's
        period shows its last day; the others add up the period's days. Day-count metrics also give the exact
        median and 90th percentile."""
        user = _user(request)
        metric = REGISTRY.get(metric_id)
        if metric is None:
            # The list of metrics is public to everyone signed in, so saying which one is unknown leaks nothing.
            raise exceptions.NotFound(UNKNOWN_METRIC.format(value=metric_id))
        params = request.query_params
        end = _parse_date("end", params.get("end"), timezone.localdate())
        start = _parse_date("start", params.get("start"), _default_start(end))
        filters, given = _filters(request, user)
        query = MetricQuery(
            metric=metric.id,
            start=start,
            end=end,
            grain=params.get("grain", "") or "month",
            group_by=params.get("group_by", ""),
            filters=filters,
        )
        try:
            points = metric_series(query, user=user)
        except MetricQueryError as error:
            # A police force is public reference data (GET /api/v1/organisations/ lists them all), so refusing
            # one outside the caller's scope with 403 and the precise reason reveals nothing; the 404-for-both
            # rule protects records whose existence is itself confidential, such as cases.
            if error.message in _FORBIDDEN:
                raise exceptions.PermissionDenied(error.message) from None
            raise _invalid(error.field, error.message) from None
        labels = _group_labels(metric, query.group_by, points)
        body = {
            "metric": metric.id,
            "name": metric.name,
            "unit": metric.unit.value,
            "version": metric.version,
            "stock": metric.stock,
            "start": start,
            "end": end,
            "grain": query.grain,
            "group_by": query.group_by,
            "filters": given,
            "points": [
                {
                    "period": p.period,
                    "group": labels[p.group][0] if p.group is not None else None,
                    "group_name": labels[p.group][1] if p.group is not None else None,
                    "value": p.value,
                    "numerator": p.numerator,
                    "denominator": p.denominator,
                    "median": p.median,
                    "p90": p.p90,
                }
                for p in points
            ],
        }
        return Response(MetricSeriesOutput(body).data)
