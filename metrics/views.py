"""The performance pages: the metric definitions (everyone signed in), the joint dashboard of a police force
and the CPS Area that serves it (police managers and CPS legal managers, the same page and numbers for both),
the cases behind any number, the dashboard's figures as CSV, and "your work" for officers and lawyers.

Every figure comes from ``metrics.selectors.SnapshotReader`` (rollup and snapshot rows only, scoped by
``metrics_scope_for``) and every list of cases from ``metrics.selectors.cases_behind`` (only cases the user may
see). Bad input is refused with the selectors' own message against the field it is about, status 400; a user
without organisation-wide figures is told so and shown their own work instead.
"""

from __future__ import annotations

import csv
import dataclasses
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, cast
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from accounts.choices import OrganisationKind
from accounts.models import Organisation, Unit, User
from casework.choices import ModeOfTrial
from casework.dg6 import GROUPS_BY_SLUG
from charging.choices import ChargingCategory

from .forms import (
    BREAKDOWN_LABELS,
    CUSTOM,
    NONE_VALUE,
    PERIOD_CHOICES,
    DashboardFilters,
    DashboardForm,
    DrillDownFilters,
    DrillDownForm,
    with_defaults,
)
from .registry import REGISTRY, CategoryKind, Metric, MetricUnit, Owner
from .selectors import (
    NO_SCOPE,
    MetricQuery,
    MetricQueryError,
    Point,
    SnapshotReader,
    cases_behind,
    metrics_scope_for,
    period_bounds,
)
from .work import lawyer_work_for, officer_work_for

CASES_PER_PAGE = 50
UNIT_LABELS = {
    MetricUnit.COUNT: "Count",
    MetricUnit.PERCENT: "Percentage",
    MetricUnit.DAYS: "Days (mean, median and 90th percentile)",
    MetricUnit.RATIO: "Ratio",
}
OWNER_LABELS = {Owner.POLICE: "Police", Owner.CPS: "CPS", Owner.JOINT: "Joint: police and CPS"}
GRAIN_NOUNS = {"month": "month", "week": "week", "day": "day"}
CSV_COLUMNS = [
    "metric",
    "period_start",
    "period_end",
    "dimension",
    "group",
    "value",
    "numerator",
    "denominator",
    "median",
    "p90",
]


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def forces_in_scope(user: User) -> list[Organisation]:
    """The police forces whose figures the user may see, by name (a police manager: their force; a CPS legal
    manager: the forces their Area serves)."""
    scope = metrics_scope_for(user)
    forces = Organisation.objects.filter(kind=OrganisationKind.POLICE_FORCE).select_related("served_by")
    if scope.force_ids is not None:
        forces = forces.filter(pk__in=scope.force_ids)
    return list(forces.order_by("name", "code"))


# ---------------------------------------------------------------------------------------------
# Numbers in words


def format_value(metric: Metric, value: float | None) -> str:
    if value is None:
        return "No figure"
    if metric.unit == MetricUnit.COUNT:
        return f"{value:,.0f}"
    if metric.unit == MetricUnit.PERCENT:
        return f"{value:.1f}%"
    if metric.unit == MetricUnit.DAYS:
        return f"{value:.1f} days"
    return f"{value:.2f}"


def _format_difference(metric: Metric, difference: float) -> str:
    if metric.unit == MetricUnit.COUNT:
        return f"{difference:,.0f}"
    if metric.unit == MetricUnit.PERCENT:
        return f"{difference:.1f} percentage points"
    if metric.unit == MetricUnit.DAYS:
        return f"{difference:.1f} days"
    return f"{difference:.2f}"


def change_in_words(metric: Metric, current: float | None, previous: float | None) -> str:
    """The change from the previous period in words ("up 4 from 40"), never by colour alone."""
    if current is None and previous is None:
        return "No figure for either period"
    if previous is None:
        return "No figure for the previous period to compare with"
    if current is None:
        return f"No figure this period; the previous period was {format_value(metric, previous)}"
    difference = current - previous
    # Compare what is shown: a change too small to show is no change.
    if _format_difference(metric, abs(difference)) == _format_difference(metric, 0.0):
        return f"No change from {format_value(metric, previous)}"
    direction = "up" if difference > 0 else "down"
    return (
        f"{direction.capitalize()} {_format_difference(metric, abs(difference))} from {format_value(metric, previous)}"
    )


def _day(value: date) -> str:
    return f"{value.day} {value:%b %Y}"


def period_label(period: date, grain: str) -> str:
    if grain == "month":
        return f"{period:%B %Y}"
    if grain == "week":
        return f"Week from {_day(period)}"
    return _day(period)


def _trend_label(key: date, first: date, last: date, grain: str) -> str:
    """A period's label, saying so when the chosen dates cut it short."""
    label = period_label(key, grain)
    if (first, last) != period_bounds(key, grain):
        label += f" ({_day(first)} to {_day(last)} only)"
    return label


# ---------------------------------------------------------------------------------------------
# The dashboard's figures


@dataclass(frozen=True)
class Figure:
    value: float | None
    text: str
    numerator: float
    denominator: float
    url: str
    label: str = ""  # what the number is, for its link's accessible name and the CSV
    start: date | None = None
    end: date | None = None
    median: float | None = None
    p90: float | None = None
    group: str = ""

    @property
    def chart_value(self) -> str:
        """The value as the chart script reads it from the table ('' for no figure)."""
        return "" if self.value is None else repr(float(self.value))


@dataclass
class Panel:
    metric: Metric
    current: Figure
    previous: Figure
    change: str
    trend: list[Figure] = field(default_factory=list)
    breakdown: list[Figure] = field(default_factory=list)
    # Why the panel does not follow a filter or breakdown by charging category (its categories are something
    # else, or it has none), in words; '' when it does.
    category_note: str = ""
    breakdown_label: str = ""

    @property
    def is_days(self) -> bool:
        return self.metric.unit == MetricUnit.DAYS

    @property
    def has_ratio(self) -> bool:
        return self.metric.unit in (MetricUnit.PERCENT, MetricUnit.RATIO)


def _query(metric: Metric, filters: DashboardFilters, start: date, end: date, group_by: str = "") -> MetricQuery:
    dimensions: dict[str, Any] = {"force": filters.force.pk}
    if filters.category and metric.category_kind == CategoryKind.CHARGING:
        dimensions["category"] = filters.category
    return MetricQuery(
        metric=metric.id, start=start, end=end, grain=filters.grain, group_by=group_by, filters=dimensions
    )


def cases_url(metric: Metric, filters: DashboardFilters, start: date, end: date, **extra: str) -> str:
    params = {"force": filters.force.code, "start": start.isoformat(), "end": end.isoformat()}
    if filters.category and metric.category_kind == CategoryKind.CHARGING:
        params["category"] = filters.category
    params.update(extra)
    return f"{reverse('metrics:cases', args=[metric.id])}?{urlencode(params)}"


def _periods(start: date, end: date, grain: str) -> list[tuple[date, date, date]]:
    """(period key, first day, last day) of each period of the grain in [start, end], clipped to it."""
    result = []
    key = period_bounds(start, grain)[0]
    while key <= end:
        first, last = period_bounds(key, grain)
        result.append((key, max(first, start), min(last, end)))
        key = last + timedelta(days=1)
    return result


def _last_period(points: list[Point], end: date, grain: str) -> list[Point]:
    key = period_bounds(end, grain)[0]
    return [p for p in points if p.period == key]


def _whole(metric: Metric, filters: DashboardFilters, start: date, end: date, reader: SnapshotReader) -> Point | None:
    """The whole period's figure (``SnapshotReader.total``): a flow metric adds up its days, a stock metric is
    its position on the last built day, and a day metric carries the whole period's median and 90th
    percentile."""
    points = reader.total(_query(metric, filters, start, end))
    return points[0] if points else None


def _figure(metric: Metric, point: Point | None, url: str, label: str, start: date, end: date) -> Figure:
    value = point.value if point else _empty_value(metric)
    return Figure(
        value=value,
        text=format_value(metric, value),
        numerator=point.numerator if point else 0.0,
        denominator=point.denominator if point else 0.0,
        url=url,
        label=label,
        start=start,
        end=end,
        median=point.median if point else None,
        p90=point.p90 if point else None,
    )


def _empty_value(metric: Metric) -> float | None:
    # No snapshot rows in a built period means nothing happened: a count of none is 0; a ratio has no figure.
    return 0.0 if metric.unit == MetricUnit.COUNT else None


def group_labels(dimension: str, groups: set[Any], metric: Metric | None = None) -> dict[Any, tuple[str, str]]:
    """Each group's label and its value in a drill-down link (a category's label depends on what the metric's
    categories are: ``Metric.category_kind``)."""
    labels: dict[Any, tuple[str, str]] = {}
    if dimension == "unit":
        units = Unit.objects.in_bulk([g for g in groups if g is not None])
        for g in groups:
            unit = units.get(g)
            labels[g] = (f"{unit.name} ({unit.code})", unit.code) if unit else ("No unit", NONE_VALUE)
    elif dimension in ("force", "cps_area"):
        organisations = Organisation.objects.in_bulk([g for g in groups if g is not None])
        for g in groups:
            organisation = organisations.get(g)
            none = "No force" if dimension == "force" else "No CPS Area"
            labels[g] = (organisation.name, organisation.code) if organisation else (none, NONE_VALUE)
    elif dimension == "offence_group":
        modes = dict(ModeOfTrial.choices)
        for g in groups:
            if not g:
                labels[g] = ("No offence recorded", NONE_VALUE)
            elif g in GROUPS_BY_SLUG:
                labels[g] = (GROUPS_BY_SLUG[g].label, g)
            else:
                labels[g] = (str(modes.get(g, g)), g)
    elif dimension == "category":
        categories = metric.category_labels() if metric is not None else dict(ChargingCategory.choices)
        kind = (metric.category_label if metric is not None else "Charging category").lower()
        for g in groups:
            labels[g] = (str(categories.get(g, g)), g) if g else (f"No {kind}", NONE_VALUE)
    return labels


def build_panel(metric: Metric, filters: DashboardFilters, reader: SnapshotReader) -> Panel:
    grain = filters.grain
    current_points = reader.series(_query(metric, filters, filters.start, filters.end))
    current = _figure(
        metric,
        _whole(metric, filters, filters.start, filters.end, reader),
        cases_url(metric, filters, filters.start, filters.end),
        f"{_day(filters.start)} to {_day(filters.end)}",
        filters.start,
        filters.end,
    )
    previous = _figure(
        metric,
        _whole(metric, filters, filters.previous_start, filters.previous_end, reader),
        cases_url(metric, filters, filters.previous_start, filters.previous_end),
        f"{_day(filters.previous_start)} to {_day(filters.previous_end)}",
        filters.previous_start,
        filters.previous_end,
    )
    value, p_value = current.value, previous.value
    by_period = {p.period: p for p in current_points}
    trend = []
    for key, first, last in _periods(filters.start, filters.end, grain):
        point = by_period.get(key)
        v = point.value if point else _empty_value(metric)
        trend.append(
            Figure(
                value=v,
                text=format_value(metric, v),
                numerator=point.numerator if point else 0.0,
                denominator=point.denominator if point else 0.0,
                url=cases_url(metric, filters, first, last),
                label=_trend_label(key, first, last, grain),
                start=first,
                end=last,
                median=point.median if point else None,
                p90=point.p90 if point else None,
            )
        )
    panel = Panel(metric, current, previous, change_in_words(metric, value, p_value), trend)
    if filters.category and metric.category_kind != CategoryKind.CHARGING:
        panel.category_note = f"{metric.name} is not split by charging category: these figures cover every category."
    if filters.group_by == "category" and metric.category_kind == CategoryKind.NONE:
        panel.category_note = f"{metric.name} is not split into categories, so there is no breakdown by category."
    elif filters.group_by:
        panel.breakdown = _breakdown(metric, filters, reader)
        category = filters.group_by == "category"
        panel.breakdown_label = metric.category_label if category else BREAKDOWN_LABELS.get(filters.group_by, "")
    return panel


def _breakdown(metric: Metric, filters: DashboardFilters, reader: SnapshotReader) -> list[Figure]:
    points = reader.total(_query(metric, filters, filters.start, filters.end, filters.group_by))
    groups = {p.group for p in points}
    if filters.group_by == "category":
        labels = group_labels(filters.group_by, groups, metric)
    else:
        # The same units, Areas or offence groups recur in every panel: look their names up once a page.
        key = (filters.group_by, frozenset(groups))
        if key not in reader.memo:
            reader.memo[key] = group_labels(filters.group_by, groups)
        labels = reader.memo[key]
    rows = []
    for point in points:
        label, link_value = labels[point.group]
        figure = _figure(
            metric,
            point,
            cases_url(metric, filters, filters.start, filters.end, **{filters.group_by: link_value}),
            label,
            filters.start,
            filters.end,
        )
        rows.append(dataclasses.replace(figure, group=label))
    return sorted(rows, key=lambda f: f.label.lower())


def _apply_query_error(form: DashboardForm | DrillDownForm, error: MetricQueryError) -> None:
    """Put the selectors' refusal against the field it is about (or the whole form)."""
    name: str | None = error.field if error.field in form.fields else None
    form.add_error(name, error.message)


def _dashboard_form(request: HttpRequest, forces: list[Organisation]) -> DashboardForm:
    data = with_defaults(request.GET, DashboardForm.defaults(forces))
    return DashboardForm(data, forces=forces, today=timezone.localdate())


def _panels(form: DashboardForm, user: User) -> list[Panel] | None:
    """Every registered metric's panel, or None when the selectors refused the filters (the form then says
    why)."""
    if not form.is_valid():
        return None
    filters = form.filters()
    # One reader for the page: the built days and rollup rows of every metric are fetched once, for the
    # previous period and the current one together.
    reader = SnapshotReader(user)
    reader.prefetch(min(filters.previous_start, filters.start), filters.end)
    try:
        return [build_panel(metric, filters, reader) for metric in REGISTRY.values()]
    except MetricQueryError as error:
        _apply_query_error(form, error)
        return None


def _no_scope(request: HttpRequest, user: User, status: int = 200) -> HttpResponse:
    return render(request, "metrics/no_scope.html", {"message": NO_SCOPE, **_work_context(user)}, status=status)


# ---------------------------------------------------------------------------------------------
# Pages


@login_required
def definitions(request: HttpRequest) -> HttpResponse:
    metrics = [
        {
            "metric": metric,
            "unit_label": UNIT_LABELS[metric.unit],
            "owner_label": OWNER_LABELS[metric.owner],
            "categories": list(metric.category_labels().items()),
        }
        for metric in REGISTRY.values()
    ]
    return render(request, "metrics/definitions.html", {"metrics": metrics})


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    forces = forces_in_scope(user)
    if not forces:
        return _no_scope(request, user)
    form = _dashboard_form(request, forces)
    panels = _panels(form, user)
    context: dict[str, Any] = {"form": form, "panels": panels, "period_choices": PERIOD_CHOICES, "custom": CUSTOM}
    if panels is None:
        return render(request, "metrics/dashboard.html", context, status=400)
    filters = form.filters()
    query = request.GET.urlencode()
    context.update(
        filters=filters,
        grain_noun=GRAIN_NOUNS.get(filters.grain, filters.grain),
        breakdown_label=BREAKDOWN_LABELS.get(filters.group_by, filters.group_by),
        category_label=dict(ChargingCategory.choices).get(filters.category, ""),
        previous_days=(filters.previous_end - filters.previous_start).days + 1,
        export_url=f"{reverse('metrics:export')}{'?' + query if query else ''}",
    )
    return render(request, "metrics/dashboard.html", context)


def _csv_number(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else f"{value:.4f}".rstrip("0").rstrip(".")


def _csv_text(value: str) -> str:
    # A cell starting with = + - @ is a formula to a spreadsheet: make it plain text.
    return f"'{value}" if value[:1] in ("=", "+", "-", "@") else value


@login_required
def export_csv(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    forces = forces_in_scope(user)
    if not forces:
        return _no_scope(request, user, status=403)
    form = _dashboard_form(request, forces)
    panels = _panels(form, user)
    if panels is None:
        context = {"form": form, "panels": None, "period_choices": PERIOD_CHOICES, "custom": CUSTOM}
        return render(request, "metrics/dashboard.html", context, status=400)
    filters = form.filters()
    filename = f"casebridge-metrics-{filters.force.code}-{filters.start:%Y-%m-%d}-to-{filters.end:%Y-%m-%d}.csv"
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    writer.writerow(CSV_COLUMNS)

    def row(metric: Metric, figure: Figure, dimension: str = "") -> None:
        assert figure.start is not None
        assert figure.end is not None
        writer.writerow(
            [
                metric.id,
                figure.start.isoformat(),
                figure.end.isoformat(),
                dimension,
                _csv_text(figure.group),
                _csv_number(figure.value),
                _csv_number(figure.numerator),
                _csv_number(figure.denominator),
                _csv_number(figure.median),
                _csv_number(figure.p90),
            ]
        )

    for panel in panels:
        row(panel.metric, panel.current)
        row(panel.metric, panel.previous)
        for figure in panel.trend:
            row(panel.metric, figure, f"{filters.grain}")
        for figure in panel.breakdown:
            row(panel.metric, figure, filters.group_by)
    return response


@login_required
def cases(request: HttpRequest, metric_id: str) -> HttpResponse:
    metric = REGISTRY.get(metric_id)
    if metric is None:
        raise Http404("No such metric")
    user = _user(request)
    forces = forces_in_scope(user)
    if not forces:
        return _no_scope(request, user, status=403)
    data = with_defaults(request.GET, {"force": forces[0].code} if len(forces) == 1 else {})
    form = DrillDownForm(data, forces=forces)
    context: dict[str, Any] = {"form": form, "metric": metric}
    if not form.is_valid():
        return render(request, "metrics/cases.html", context, status=400)
    filters = form.filters()
    query = MetricQuery(
        metric=metric.id, start=filters.start, end=filters.end, grain="month", filters=filters.dimensions
    )
    try:
        found = cases_behind(query, user=user)
    except MetricQueryError as error:
        _apply_query_error(form, error)
        return render(request, "metrics/cases.html", context, status=400)
    paginator = Paginator(found, CASES_PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    described = []
    for name in form.chosen():
        key = filters.dimensions[name]
        heading = metric.category_label if name == "category" else BREAKDOWN_LABELS.get(name, name)
        described.append((heading, group_labels(name, {key}, metric)[key][0]))
    params = request.GET.copy()
    params.pop("page", None)
    context.update(
        filters=filters,
        page=page,
        count=paginator.count,
        described=described,
        page_query=params.urlencode(),
        dashboard_url=f"{reverse('metrics:dashboard')}?{urlencode(_dashboard_params(filters))}",
    )
    return render(request, "metrics/cases.html", context)


def _dashboard_params(filters: DrillDownFilters) -> dict[str, str]:
    """The dashboard for the drill-down's force, period and category (its way back)."""
    params = {"force": filters.force.code, "period": CUSTOM}
    for name in ("start", "end"):
        day: date = getattr(filters, name)
        params.update({f"{name}_day": str(day.day), f"{name}_month": str(day.month), f"{name}_year": str(day.year)})
    if filters.dimensions.get("category"):
        params["category"] = filters.dimensions["category"]
    return params


# ---------------------------------------------------------------------------------------------
# Your work


def _work_context(user: User) -> dict[str, Any]:
    if user.is_police:
        return {"officer_work": officer_work_for(user=user)}
    if user.is_cps:
        return {"lawyer_work": lawyer_work_for(user=user)}
    return {}


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    return render(request, "metrics/mine.html", _work_context(user))
