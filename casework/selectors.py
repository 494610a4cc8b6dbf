"""Scoped reads of cases. Every list and detail read goes through here (see ``accounts.access``):
only cases the user may see ever appear, in results and in counts."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import TypeVar

import rules
from django.contrib.postgres.search import SearchQuery, SearchRank, TrigramWordSimilarity
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db.models import F, FloatField, Model, Prefetch, Q, QuerySet, prefetch_related_objects
from django.db.models.functions import Cast
from django.http import Http404
from django.utils import timezone

from accounts.access import case_scope_for
from accounts.choices import AuditEventType
from accounts.models import AuditEvent, User

from .choices import CaseStatus
from .identifiers import IdentifierError, parse_urn
from .models import Case, CustodyEvent, Hearing, OffenceAllegation, Suspect, Victim, VictimUpdate, Witness

CASE_NOT_FOUND = "No case found."

ChildT = TypeVar("ChildT", bound=Model)

# How a list may be ordered: the name in the query string → the ORDER BY, always ending in a unique
# column so keyset pagination is stable.
SORTS: dict[str, tuple[str, ...]] = {
    "updated": ("-updated_at", "-id"),
    "oldest": ("updated_at", "id"),
    "created": ("-created_at", "-id"),
    "urn": ("urn", "id"),
}
DEFAULT_SORT = "updated"
SEARCH_COLUMNS = ("search_text", "search_names", "search_vector")
NAME_SIMILARITY = 0.45


@dataclass(frozen=True)
class CaseFilters:
    query: str = ""
    statuses: tuple[str, ...] = ()
    flags: tuple[str, ...] = ()
    officer_in_case: uuid.UUID | None = None
    unit_code: str = ""
    updated_from: date | None = None
    updated_to: date | None = None
    sort: str = DEFAULT_SORT
    extra: dict[str, str] = field(default_factory=dict)


def case_list_visible_to(*, user: User) -> QuerySet[Case]:
    return Case.objects.filter(case_scope_for(user).as_q()).select_related(
        "force", "unit", "cps_area", "officer_in_case"
    )


def case_search_visible_to(*, user: User, filters: CaseFilters) -> QuerySet[Case]:
    """Filtered and searched cases in scope. Text search covers the URN (exactly, in any format),
    full-text over people's names, offences and summary, and misspelt names by trigram. The search columns
    are searched, never shown: they are left out of the rows (kilobytes a case, with document text)."""
    cases = case_list_visible_to(user=user).defer(*SEARCH_COLUMNS)
    if filters.statuses:
        cases = cases.filter(status__in=filters.statuses)
    if filters.flags:
        cases = cases.filter(flags__contains=list(filters.flags))
    if filters.officer_in_case:
        cases = cases.filter(officer_in_case__public_id=filters.officer_in_case)
    if filters.unit_code:
        cases = cases.filter(unit__code=filters.unit_code.upper())
    # Local-day bounds as datetimes, not updated_at__date: a cast of the column cannot use an index.
    if filters.updated_from:
        cases = cases.filter(updated_at__gte=_start_of_day(filters.updated_from))
    if filters.updated_to:
        cases = cases.filter(updated_at__lt=_start_of_day(filters.updated_to + timedelta(days=1)))
    text = filters.query.strip()
    if text:
        try:
            urn = parse_urn(text)
        except IdentifierError:
            urn = None
        query = SearchQuery(text, config="english", search_type="websearch")
        condition = Q(search_vector=query) | Q(search_names__trigram_word_similar=text.lower())
        if urn is not None:
            condition |= Q(urn=urn.normalised)
        cases = cases.filter(condition)
        if filters.sort == "relevance":
            # As double precision: both functions give a float4, whose value Python reads back rounded, so
            # a page cursor holding it would not compare equal to the rank it came from, and the next page
            # would start again at the top of a run of equal ranks.
            rank = SearchRank(F("search_vector"), query) + TrigramWordSimilarity(text.lower(), "search_names")
            return cases.annotate(rank=Cast(rank, FloatField())).order_by("-rank", "-id")
    return cases.order_by(*SORTS.get(filters.sort, SORTS[DEFAULT_SORT]))


def _start_of_day(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def case_get_visible_to(*, user: User, public_id: uuid.UUID | str) -> Case:
    """The case, or 404 — the same answer whether it does not exist or is outside the user's scope."""
    try:
        return case_list_visible_to(user=user).select_related("supervisor").get(public_id=public_id)
    except (Case.DoesNotExist, ValueError, ValidationError) as exc:
        raise Http404(CASE_NOT_FOUND) from exc


def case_detail_visible_to(*, user: User, public_id: uuid.UUID | str) -> Case:
    """The case with everything its overview shows, in a fixed number of queries however many
    people, offences and events it has."""
    case = case_get_visible_to(user=user, public_id=public_id)
    offences = OffenceAllegation.objects.select_related("offence_code").order_by("created_at", "id")
    custody = CustodyEvent.objects.select_related("court", "offence__offence_code").order_by("occurred_at", "id")
    prefetch_related_objects(
        [case],
        Prefetch("suspects", queryset=Suspect.objects.order_by("created_at", "id")),
        Prefetch("suspects__offences", queryset=offences),
        Prefetch("suspects__custody_events", queryset=custody),
        Prefetch("offences", queryset=offences.select_related("suspect")),
        Prefetch("victims", queryset=Victim.objects.order_by("created_at", "id")),
        Prefetch("victims__updates", queryset=_victim_updates()),
        Prefetch("witnesses", queryset=Witness.objects.order_by("created_at", "id")),
        Prefetch("witnesses__dates_to_avoid"),
        Prefetch("hearings", queryset=Hearing.objects.select_related("court").order_by("starts_at", "id")),
    )
    return case


def _victim_updates() -> QuerySet[VictimUpdate]:
    return VictimUpdate.objects.select_related("given_by").order_by("given_on", "id")


def case_child_visible_to(
    *, user: User, case_id: uuid.UUID | str, model: type[ChildT], public_id: uuid.UUID | str
) -> ChildT:
    """A suspect, victim, witness, offence or hearing of a case the user may see, or 404."""
    case = case_get_visible_to(user=user, public_id=case_id)
    try:
        return model._default_manager.select_related("case").get(case=case, public_id=public_id)
    except (ObjectDoesNotExist, ValueError, ValidationError) as exc:
        raise Http404(CASE_NOT_FOUND) from exc


# Events that are about the case's history. Views and searches are audited but are not history.
TIMELINE_EXCLUDED = frozenset({AuditEventType.CASE_VIEWED, AuditEventType.CASE_SEARCHED})


def case_timeline(*, case: Case, user: User) -> QuerySet[AuditEvent]:
    """Everything that happened on the case, oldest first, from the audit log — one record for
    police and CPS alike. Call only with a case obtained through a scoped selector. Events about
    sensitive (MG6D) material carry ``data.sensitive`` and are left out for anyone who may not see
    that material."""
    events = AuditEvent.objects.filter(case_id=case.public_id)
    if not rules.has_perm("files.see_sensitive", user, case):
        # data__contains, not data__sensitive: NOT (data->'sensitive' = true) is NULL, so false, for
        # every event without the key, which would empty the timeline.
        events = events.exclude(data__contains={"sensitive": True})
    return (
        events.exclude(event_type__in=TIMELINE_EXCLUDED)
        .select_related("actor_organisation")
        .order_by("occurred_at", "id")
    )


def open_statuses() -> list[str]:
    return [s for s in CaseStatus.values if s not in {CaseStatus.CONCLUDED, CaseStatus.NO_FURTHER_ACTION}]
