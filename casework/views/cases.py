"""The case list and search, creating a case, and the case's own tabs (overview, people, offences,
timeline, and the placeholders of features still to come). Reads go through selectors; viewing a
case's overview is audited."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from html import escape
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS_3
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator, add_truncation_text, calculate_truncate_chars_length
from django.views.decorators.http import require_POST

from accounts.audit import audit_record
from accounts.choices import AuditEventType, Role
from accounts.models import User
from config import keyset

from .. import services
from ..choices import CaseFlag, CaseStatus, EnhancedRights, SpecialMeasure
from ..dg6 import dg6_label
from ..forms import CaseFilterForm, CaseForm, StatusChangeForm
from ..identifiers import display_urn
from ..models import Case
from ..selectors import (
    DEFAULT_SORT,
    SORTS,
    CaseFilters,
    case_detail_visible_to,
    case_get_visible_to,
    case_search_visible_to,
    case_timeline,
    columns_of,
)
from ..workflow import Mover, targets_from
from ._common import (
    MODE_OF_TRIAL_TAG_CLASSES,
    OFFENCE_STATUS_TAG_CLASSES,
    STATUS_TAG_CLASSES,
    apply_service_errors,
    case_context,
    current_user,
    form_page,
    labels,
    may,
    offence_search_url,
    posted,
    require_perm,
)

PAGE_SIZE = 25
SUMMARY_CHARS = 90
RELEVANCE_ORDERING = ("-rank", "-id")
TIMELINE_PAGE_SIZE = 50
TIMELINE_ORDERING = ("-occurred_at", "-id")
TIMELINE_CURSOR_SALT = "casework.timeline.cursor"


# ---------------------------------------------------------------------------------------------
# List and search


def _filters(data: dict[str, Any]) -> CaseFilters:
    officer = data.get("officer")
    return CaseFilters(
        query=data.get("q", "").strip(),
        statuses=tuple(data.get("status", ())),
        flags=tuple(data.get("flag", ())),
        officer_in_case_pk=officer.pk if officer is not None else None,  # found in the user's own force by the form
        unit_code=data.get("unit", "").strip(),
        updated_from=data.get("updated_from"),
        updated_to=data.get("updated_to"),
        sort=data.get("sort") or DEFAULT_SORT,
    )


def _ordering(filters: CaseFilters) -> tuple[str, ...]:
    """The ORDER BY ``case_search_visible_to`` applies for these filters."""
    if filters.sort == "relevance" and filters.query:
        return RELEVANCE_ORDERING
    return SORTS.get(filters.sort, SORTS[DEFAULT_SORT])


@dataclass(frozen=True)
class CaseRow:
    """One case as the list shows it, worked out here rather than by template filters and tags: a page lists
    25 cases, and resolving a dozen template variables, a URL and two date formats a row was a third of the
    time the page took to render."""

    url: str
    urn: str
    summary: str
    status: str
    status_tag_class: str
    flag_labels: list[str]
    officer: str
    updated_iso: str
    updated: str


def case_rows(cases: list[Any]) -> list[CaseRow]:
    """The rows of a page of ``_as_listed`` cases (named tuples of their columns, the officer's name among them)."""
    # One reverse() for the page: every row's link differs only by the case's public id.
    placeholder = uuid.UUID(int=0)
    detail = reverse("casework:case-detail", args=[placeholder]).replace(str(placeholder), "{}")
    # Labels looked up once for the page; dates written as dateformat's "c" and "j M Y" write them, without
    # parsing the format for each (two formats a row were a fifth of the page's own work).
    statuses, flags = dict(CaseStatus.choices), dict(CaseFlag.choices)
    months = {number: name.title() for number, name in MONTHS_3.items()}
    zone = timezone.get_current_timezone()
    rows = []
    for case in cases:
        updated = case.updated_at.astimezone(zone)  # timezone.localtime(), without looking the zone up each time
        rows.append(
            CaseRow(
                url=detail.format(case.public_id),
                urn=display_urn(case.urn),
                summary=_summary(case.summary),
                status=str(statuses.get(case.status, case.status)),
                status_tag_class=STATUS_TAG_CLASSES.get(case.status, "govuk-tag--grey"),
                flag_labels=[str(flags.get(flag, flag)) for flag in case.flags],
                officer=_officer_name(case.officer),
                updated_iso=updated.isoformat(),
                updated=f"{updated.day} {months[updated.month]} {updated.year:04d}",
            )
        )
    return rows


def _officer_name(officer: list[str] | None) -> str:
    """What ``str(user)`` gives for the officer in case (their full name, else their username), from the
    ``[first name, last name, username]`` the list reads; "Not allocated" for none."""
    if officer is None:
        return "Not allocated"
    first_name, last_name, username = officer
    return f"{first_name} {last_name}".strip() or username


_ROW = (
    '\n          <tr class="govuk-table__row">\n'
    '            <td class="govuk-table__cell"><a class="govuk-link" href="{url}">{urn}</a><br>'
    '<span class="govuk-body-s">{summary}</span></td>\n'
    '            <td class="govuk-table__cell">'
    '<strong class="govuk-tag {tag} cb-tag-list__tag">{status}</strong>{flags}</td>\n'
    '            <td class="govuk-table__cell">{officer}</td>\n'
    '            <td class="govuk-table__cell"><time datetime="{updated_iso}">{updated}</time></td>\n'
    "          </tr>"
)
_FLAG = ' <strong class="govuk-tag govuk-tag--grey cb-tag-list__tag">{}</strong>'


def case_rows_html(rows: list[CaseRow]) -> SafeString:
    """The rows of the results table, written here rather than by a loop in the template: two dozen template
    variables a row, 25 rows, were half the page's rendering. Every value is escaped as the template engine escapes
    it (``html.escape``, quotes included); ``tests/web/test_case_list_rows.py`` holds this to the markup the
    template wrote."""
    return mark_safe(  # noqa: S308 - every value below is escaped
        "".join(
            _ROW.format(
                url=escape(row.url),
                urn=escape(row.urn),
                summary=escape(row.summary),
                tag=escape(row.status_tag_class),
                status=escape(row.status),
                flags="".join(_FLAG.format(escape(flag)) for flag in row.flag_labels),
                officer=escape(row.officer),
                updated_iso=escape(row.updated_iso),
                updated=escape(row.updated),
            )
            for row in rows
        )
    )


def _summary(text: str) -> str:
    """The summary as the list shows it: its first ``SUMMARY_CHARS`` characters (``Truncator.chars``)."""
    if not text:
        return "No summary"
    if text.isascii():
        # What Truncator gives for a text with no combining characters (and nothing for NFC to change): the text if
        # it is short enough, else its start and the truncation text, without looking at each character.
        if len(text) <= SUMMARY_CHARS:
            return text
        return add_truncation_text(text[: calculate_truncate_chars_length(SUMMARY_CHARS, None)])
    return Truncator(text).chars(SUMMARY_CHARS)


# What a row shows, and what the page cursor needs (the sort columns, the id and the public id).
LISTED_COLUMNS = ("id", "public_id", "urn", "summary", "status", "flags", "updated_at", "created_at")

# The officer in case's first name, last name and username, read beside each case listed: a subquery in the
# list's own SELECT, which PostgreSQL evaluates for the page's rows only (after the LIMIT, for a sorted search),
# instead of a second query for the page's officers and a model instance for each of them.
_OFFICER = columns_of(User, "officer_in_case_id", "first_name", "last_name", "username")


def _as_listed(cases: QuerySet[Case], ordering: tuple[str, ...]) -> QuerySet[Any]:
    """Only what the list shows, as named tuples rather than model instances: no force, unit or CPS Area (the
    list does not show them), and of the officer in case only their names. A row was five model instances, a
    user with every column among them; then a case instance and a prefetched user."""
    sorted_by = [term.lstrip("-") for term in ordering if term.lstrip("-") not in LISTED_COLUMNS]
    return (
        cases.select_related(None)
        .prefetch_related(None)
        .annotate(officer=_OFFICER)
        .values_list(*LISTED_COLUMNS, *sorted_by, "officer", named=True)
    )


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    data = request.GET.copy()
    if not data.get("sort"):
        # Searching puts the best matches first unless the user chose another order.
        data["sort"] = "relevance" if data.get("q", "").strip() else DEFAULT_SORT
    form = CaseFilterForm(data, user=user)
    context: dict[str, Any] = {
        "form": form,
        "can_create": may(user, "casework.create_case"),
        "filtered": any(k not in {"after", "before", "sort"} and v for k, v in request.GET.items()),
    }
    if not form.is_valid():
        return render(request, "casework/case_list.html", context, status=400)
    filters = _filters(form.cleaned_data)
    ordering = _ordering(filters)
    page = keyset.paginate(
        _as_listed(case_search_visible_to(user=user, filters=filters), ordering),
        tag=filters.sort,
        ordering=ordering,
        after=request.GET.get("after", ""),
        before=request.GET.get("before", ""),
        size=PAGE_SIZE,
    )
    rows = case_rows(page.rows)
    context.update(rows=rows, rows_html=case_rows_html(rows), **keyset.links(request, page))
    return render(request, "casework/case_list.html", context)


# ---------------------------------------------------------------------------------------------
# Creating and changing a case


def _case_details(data: dict[str, Any]) -> services.CaseDetails:
    return services.CaseDetails(
        summary=data.get("summary", ""),
        flags=list(data.get("flags", [])),
        officer_in_case=data.get("officer_in_case"),
        supervisor=data.get("supervisor"),
        reported_on=data.get("reported_on"),
        cps_area=data.get("cps_area"),
    )


@login_required
def case_create(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    require_perm(user, "casework.create_case")
    force = user.organisation
    assert force is not None  # the rule gives case creation only to police with a force
    initial = {"officer_in_case": user.public_id} if user.has_role(Role.POLICE_INVESTIGATOR) else {}
    form = CaseForm(posted(request), force=force, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            case = services.case_create(urn=form.cleaned_data["urn"], details=_case_details(form.cleaned_data), by=user)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, f"Case {case.urn_display} created")
            return redirect("casework:case-detail", case.public_id)
    return form_page(
        request,
        form,
        title="Create a case",
        submit="Create case",
        back_url=reverse("casework:case-list"),
        caption=force.name,
    )


@login_required
def case_edit(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    user = current_user(request)
    case = case_get_visible_to(user=user, public_id=case_id)
    require_perm(user, "casework.change_case", case)
    form = CaseForm(posted(request), force=case.force, with_urn=False, initial=CaseForm.initial_for(case))
    if request.method == "POST" and form.is_valid():
        try:
            services.case_update(case=case, details=_case_details(form.cleaned_data), by=user)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "Case details saved")
            return redirect("casework:case-detail", case.public_id)
    return form_page(
        request,
        form,
        case=case,
        title="Change case details",
        submit="Save",
        back_url=reverse("casework:case-detail", args=[case.public_id]),
    )


# ---------------------------------------------------------------------------------------------
# The case's tabs


def mover_for(user: User) -> Mover:
    """A person moves a case as their side, as ``case_transition`` does."""
    return Mover.CPS if user.is_cps else Mover.POLICE


def _overview(request: HttpRequest, case: Case, user: User, form: StatusChangeForm | None) -> HttpResponse:
    context = case_context(case, user, "overview")
    targets = targets_from(case.status, mover_for(user))
    if context["can"].change_status and targets and form is None:
        form = StatusChangeForm(targets=targets)
    context.update(form=form, status_targets=targets, hearings=list(case.hearings.all()))
    return render(request, "casework/case_overview.html", context, status=400 if form and form.errors else 200)


@login_required
def case_detail(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    user = current_user(request)
    case = case_detail_visible_to(user=user, public_id=case_id)
    audit_record(by=user, event_type=AuditEventType.CASE_VIEWED, obj=case, case_id=case.public_id)
    return _overview(request, case, user, None)


@login_required
@require_POST
def case_status_change(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    user = current_user(request)
    case = case_get_visible_to(user=user, public_id=case_id)
    require_perm(user, "casework.change_status", case)
    form = StatusChangeForm(request.POST, targets=targets_from(case.status, mover_for(user)))
    if form.is_valid():
        try:
            case = services.case_transition(
                case=case, to=form.cleaned_data["status"], by=user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, f"Status changed to {CaseStatus(case.status).label}")
            return redirect("casework:case-detail", case.public_id)
    return _overview(request, case_detail_visible_to(user=user, public_id=case_id), user, form)


@login_required
def case_people(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    user = current_user(request)
    case = case_detail_visible_to(user=user, public_id=case_id)
    today = timezone.localdate()
    context = case_context(case, user, "people")
    context.update(
        suspects=[{"suspect": s, "age": s.age_on(today)} for s in case.suspects.all()],
        victims=[
            {"victim": v, "enhanced_rights": labels(v.enhanced_rights, EnhancedRights)} for v in case.victims.all()
        ],
        witnesses=[
            {"witness": w, "special_measures": labels(w.special_measures, SpecialMeasure)} for w in case.witnesses.all()
        ],
    )
    return render(request, "casework/case_people.html", context)


@login_required
def case_offences(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    user = current_user(request)
    case = case_detail_visible_to(user=user, public_id=case_id)
    context = case_context(case, user, "offences")
    context.update(
        offences=[
            {
                "offence": o,
                "mode_tag_class": MODE_OF_TRIAL_TAG_CLASSES.get(o.offence_code.mode_of_trial, "govuk-tag--grey"),
                "status_tag_class": OFFENCE_STATUS_TAG_CLASSES.get(o.status, "govuk-tag--grey"),
                "dg6_label": dg6_label(o.offence_code.dg6_group) or o.offence_code.dg6_group,
            }
            for o in case.offences.all()
        ],
        has_suspects=bool(case.suspects.all()),
        offence_search_url=offence_search_url(),
    )
    return render(request, "casework/case_offences.html", context)


@login_required
def case_timeline_page(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    user = current_user(request)
    case = case_get_visible_to(user=user, public_id=case_id)
    context = case_context(case, user, "timeline")
    # Newest first, as the MOJ timeline pattern shows events; a page at a time, so a long-running case
    # with years of history opens as fast as a new one.
    page = keyset.paginate(
        case_timeline(case=case, user=user),
        ordering=TIMELINE_ORDERING,
        after=request.GET.get("after", ""),
        before=request.GET.get("before", ""),
        size=TIMELINE_PAGE_SIZE,
        tag="timeline",
        salt=TIMELINE_CURSOR_SALT,
    )
    context.update(events=page.rows, **keyset.links(request, page))
    return render(request, "casework/case_timeline.html", context)


def _placeholder(request: HttpRequest, case_id: uuid.UUID, tab: str) -> HttpResponse:
    user = current_user(request)
    case = case_get_visible_to(user=user, public_id=case_id)
    return render(request, f"casework/case_{tab}.html", case_context(case, user, tab))


@login_required
def case_material(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    return _placeholder(request, case_id, "material")
