"""Scoped reads of cases. Every list and detail read goes through here (see ``accounts.access``):
only cases the user may see ever appear, in results and in counts."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any, TypeVar

import rules
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.search import (
    SearchQuery,
    SearchQueryCombinable,
)
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import connection
from django.db.models import (
    BooleanField,
    ExpressionWrapper,
    F,
    Func,
    IntegerField,
    Model,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    TextField,
    Value,
    prefetch_related_objects,
)
from django.db.models.functions import Cast, Concat
from django.http import Http404
from django.utils import timezone

from accounts.access import case_scope_for
from accounts.choices import AuditEventType, Role
from accounts.models import AuditEvent, Organisation, User

from .choices import CaseStatus
from .identifiers import IdentifierError, parse_urn
from .models import (
    Case,
    CustodyEvent,
    Hearing,
    OffenceAllegation,
    ScopedLexemes,
    Suspect,
    Victim,
    VictimUpdate,
    Witness,
)

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


@dataclass(frozen=True)
class CaseFilters:
    query: str = ""
    statuses: tuple[str, ...] = ()
    flags: tuple[str, ...] = ()
    officer_in_case: uuid.UUID | None = None  # the officer's public id (the API's filter)
    officer_in_case_pk: int | None = None  # or their id, when the officer has been found already (the page's filter)
    unit_code: str = ""
    updated_from: date | None = None
    updated_to: date | None = None
    sort: str = DEFAULT_SORT
    extra: dict[str, str] = field(default_factory=dict)


def columns_of(model: type[Model], key: str, *columns: Any) -> Subquery:
    """The row of ``model`` the case's ``key`` column points to, as an array of the text of ``columns``: a subquery
    in a list's own SELECT, evaluated for the page's cases only (after the LIMIT, for a sorted search) and not
    joined to every match before it is sorted (the planner hashes every user in the country to join a search's few
    hundred matches). NULL when the case has none."""
    return Subquery(
        model._default_manager.filter(pk=OuterRef(key))
        .order_by()
        .values(columns=Func(*columns, template="ARRAY[%(expressions)s]", output_field=ArrayField(TextField())))[:1]
    )


def case_list_visible_to(*, user: User) -> QuerySet[Case]:
    return Case.objects.filter(case_scope_for(user).as_q()).select_related(
        "force", "unit", "cps_area", "officer_in_case"
    )


def case_search_visible_to(*, user: User, filters: CaseFilters) -> QuerySet[Case]:
    """Filtered and searched cases in scope. The search columns are searched, never shown: they are left out
    of the rows (kilobytes a case, with document text).

    What the search box finds:
    - text that reads as a URN (in any format: ``10/AA/12345/26``, ``10aa1234526``): that case only, by its URN.
      A URN is unambiguous, so cases that merely mention it in their text are not wanted;
    - anything else: cases matching every word typed, each word either in the case's text (full text with
      English stemming: people's names, offences, summary, PNC IDs, material) or like a word of one of its
      people's names (trigram similarity, so misspellings are found). "John Smith" finds John Smith and Jon
      Smith but not Mary Smith; a single word finds every name with that word or one like it. Words full text
      ignores ("of", "the") are left out; text of nothing but such words finds nothing."""
    scope = case_scope_for(user)
    text = filters.query.strip()
    urn = _urn_in(text)
    words = [word for word in search_words(text) if not word.is_stop_word] if text and urn is None else []
    scoped = scope.owner if words else None
    # Searched through the owner's own words (``ScopedLexemes``): "16:smith" is a word of force 16's cases only,
    # so every case found is the owner's, and the owner's id is not asked again. Asked again, the planner took
    # the two for independent: it expected a common word to match a seventh of what it does and ANDed the
    # words' matches with a B-tree bitmap of the whole force (144,000 cases of the Met at a million), too large
    # to keep row by row, so that every match was read again: 150 ms for "Scott" instead of 20. The rest of the
    # scope (an officer's unit, the Area's cases having been sent) is asked as it is.
    cases = case_list_visible_to(user=user) if scoped is None else Case.objects.filter(scope.as_q(owner_implied=True))
    cases = cases.defer(*SEARCH_COLUMNS)
    if filters.statuses:
        cases = cases.filter(status__in=filters.statuses)
    if filters.flags:
        cases = cases.filter(flags__contains=list(filters.flags))
    if filters.officer_in_case:
        cases = cases.filter(officer_in_case__public_id=filters.officer_in_case)
    if filters.officer_in_case_pk is not None:
        cases = cases.filter(officer_in_case_id=filters.officer_in_case_pk)
    if filters.unit_code:
        cases = cases.filter(unit__code=filters.unit_code.upper())
    # Local-day bounds as datetimes, not updated_at__date: a cast of the column cannot use an index.
    if filters.updated_from:
        cases = cases.filter(updated_at__gte=_start_of_day(filters.updated_from))
    if filters.updated_to:
        cases = cases.filter(updated_at__lt=_start_of_day(filters.updated_to + timedelta(days=1)))
    if not text:
        return cases.order_by(*SORTS.get(filters.sort, SORTS[DEFAULT_SORT]))
    if urn is not None:
        # One case at most, so every match is as relevant as another.
        return _sorted(cases.filter(urn=urn), filters.sort, Value(1))
    if not words:
        return _sorted(cases.none(), filters.sort, Value(0))
    # The people and units of only the page of cases shown, not joined to every match before it is sorted
    # (as the planner does with a hash of every user and unit in the country, for a few hundred matches).
    cases = cases.select_related(None).select_related("force", "cps_area").prefetch_related("unit", "officer_in_case")
    for word in words:
        if scoped is None:
            cases = cases.filter(search_vector=word.query)
            continue
        # The scope's own posting lists (``ScopedLexemes``, migration 0009): the cases of this force or Area holding
        # any of the word's lexemes. That decides the match when the word and each name like it are one lexeme
        # each (a name almost always is); otherwise ("O'Brien": 'o' & 'brien') the full-text match decides too.
        column, scope_id = scoped
        cases = cases.alias(scoped_lexemes=ScopedLexemes(F(column), F("search_vector"))).filter(
            scoped_lexemes__overlap=[f"{scope_id}:{lexeme}" for lexeme in word.lexemes]
        )
        if not word.one_lexeme_each:
            cases = cases.filter(search_vector=word.query)
    # Relevance: how many of the words typed the case holds as typed, so exact names come before the names
    # merely like them ("Jon Smith": Jon Smith, then John Smith), and the newest first among equals. Cheap for
    # each match (a lookup in the case's search vector): a search's matches grow with the cases, and a rank
    # from ts_rank and trigram similarity cost 12 microseconds a match, 12 ms for a common surname at 200,000.
    rank: Any = Value(0)
    for word in words:
        typed = ExpressionWrapper(Q(search_vector=SearchQuery(word.text, config="english")), BooleanField())
        rank += Cast(typed, IntegerField())
    return _sorted(cases, filters.sort, rank)


def _urn_in(text: str) -> str | None:
    """The normalised URN that ``text`` is, if it is one."""
    try:
        return parse_urn(text).normalised if text else None
    except IdentifierError:
        return None


def _sorted(cases: QuerySet[Case], sort: str, rank: Any) -> QuerySet[Case]:
    """A search in the order asked for; by relevance, with the (integer) rank annotated for the page cursor."""
    if sort == "relevance":
        return cases.annotate(rank=rank).order_by("-rank", "-id")
    return cases.order_by(*SORTS.get(sort, SORTS[DEFAULT_SORT]))


# How like a word of a name a word typed must be to find it (pg_trgm similarity, 0 to 1): low enough that
# "John" finds Jon (0.29) and "Smith" Smyth (0.33), high enough that "John" does not find Joanne (0.2) nor
# "Smith" Keith (0.2).
NAME_LIKENESS = 0.28
# The most name words one word typed stands for (the nearest first): a bound on the size of the query.
NAME_VARIANTS_MAX = 20


@dataclass(frozen=True)
class SearchWord:
    """One word typed into the search box, and the full-text query it stands for: itself, or any of the words of
    people's names like it."""

    text: str
    is_stop_word: bool
    names_like: tuple[str, ...]
    # The lexemes (English stemming) of the word and of the names like it: a case matches only if it holds one.
    lexemes: tuple[str, ...] = ()
    # Whether each of them (the word, each name) is at most one lexeme, so that holding one is a match.
    one_lexeme_each: bool = True

    @property
    def query(self) -> SearchQueryCombinable:
        query: SearchQueryCombinable = SearchQuery(self.text, config="english")
        for name in self.names_like:
            if name != self.text:
                query |= SearchQuery(name, config="english")
        return query


def search_words(text: str) -> list[SearchWord]:
    """The words of a search, each with whether full text ignores it and the name words like it, in one query.

    The name words (``casework_name_word``, kept by triggers: see migration 0007) are every distinct word of the
    names on cases, whatever the case; the likeness is found through their trigram index, nearest first (GiST
    distance, so no similarity setting of the session is needed). Words with digits in them (PNC IDs, offence
    codes) are not names."""
    typed = list(dict.fromkeys(text.lower().split()))
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT typed.word,
                   numnode(plainto_tsquery('english', typed.word)) = 0,
                   alike.names,
                   ARRAY(
                       SELECT DISTINCT lexeme
                       FROM unnest(typed.word || alike.names) word,
                            unnest(tsvector_to_array(to_tsvector('english', word))) lexeme
                       ORDER BY 1
                   ),
                   (SELECT bool_and(numnode(plainto_tsquery('english', word)) <= 1)
                    FROM unnest(typed.word || alike.names) word)
            FROM unnest(%(typed)s::text[]) WITH ORDINALITY AS typed(word, n)
            CROSS JOIN LATERAL (
                SELECT CASE WHEN typed.word ~ '[0-9]' THEN ARRAY[]::text[] ELSE ARRAY(
                    SELECT near.word FROM (
                        SELECT name.word, name.word <-> typed.word AS distance
                        FROM casework_name_word name
                        ORDER BY name.word <-> typed.word
                        LIMIT %(most)s
                    ) near
                    WHERE near.distance <= %(furthest)s
                    ORDER BY near.distance, near.word
                ) END AS names
                OFFSET 0  -- evaluated once, not copied into each use of alike.names
            ) alike
            ORDER BY typed.n
            """,
            {"typed": typed, "most": NAME_VARIANTS_MAX, "furthest": 1 - NAME_LIKENESS},
        )
        return [
            SearchWord(word, bool(stop), tuple(names), tuple(lexemes), bool(exact))
            for word, stop, names, lexemes, exact in cursor.fetchall()
        ]


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


# ---------------------------------------------------------------------------------------------
# Officers of a force, as the case filter finds them


OFFICER_WORD = re.compile(r"[\w'’-]+")


def force_officers(force: Organisation | None) -> QuerySet[User]:
    """Active police users of the force (anyone police can be officer in case)."""
    return User.objects.filter(
        organisation=force,
        is_active=True,
        roles__overlap=[Role.POLICE_INVESTIGATOR, Role.POLICE_SUPERVISOR, Role.DISCLOSURE_OFFICER, Role.POLICE_MANAGER],
    ).order_by("last_name", "first_name", "username")


def officers_named(*, force: Organisation | None, text: str, limit: int) -> list[User]:
    """Whom ``text`` names among the officers of ``force`` (and of no other force): up to ``limit`` of them.

    Every word of the text must be the officer's collar (shoulder) number or the start of their first or last
    name, so "4512", "Jane Smith", "Ja Smith" and "Smith 4512" all find DC Jane Smith, collar number 4512. When
    the whole text is exactly one officer's collar number, or exactly one officer's first and last name, that
    officer alone is the answer, even if the words also start other names (typing "Jo Smith" in full must
    not be refused because a Joanne Smith serves in the same force). Brackets and commas are not words, so
    "Jane SMITH (4512)", as the case list shows a chosen officer, finds her again."""
    words = OFFICER_WORD.findall(text)
    if force is None or not words:
        return []
    # Named by their own columns only: no organisation or unit joined (a hash of every unit in the country, for
    # the one or two officers found).
    officers = force_officers(force).select_related(None)
    if len(words) == 1 and any(character.isdigit() for character in words[0]):
        # A collar number, as the case list's officer filter is mostly given (and gives back in its links): when it
        # is exactly one officer's, they are the answer, as below, by a lookup that costs a third of the query below
        # (whose every word may also start a name, and which orders the officers found).
        collar = list(officers.filter(shoulder_number__iexact=words[0])[:2])
        if len(collar) == 1 and _names_exactly(collar[0], words):
            return collar
    for word in words:
        officers = officers.filter(
            Q(shoulder_number__iexact=word) | Q(first_name__istartswith=word) | Q(last_name__istartswith=word)
        )
    said = " ".join(words)
    exactly = Q(shoulder_number__iexact=said) | Q(full_name__iexact=said)
    found: list[User] = list(
        officers.alias(full_name=Concat("first_name", Value(" "), "last_name"))
        .alias(named_exactly=ExpressionWrapper(exactly, output_field=BooleanField()))
        .order_by("-named_exactly", "last_name", "first_name", "id")[:limit]
    )
    named_exactly = [officer for officer in found if _names_exactly(officer, words)]
    return named_exactly if len(named_exactly) == 1 else found


def _names_exactly(officer: User, words: list[str]) -> bool:
    said = " ".join(words).casefold()
    return said in {officer.shoulder_number.casefold(), f"{officer.first_name} {officer.last_name}".casefold()}


def officer_of_force(*, force: Organisation | None, public_id: uuid.UUID) -> User | None:
    """The officer of ``force`` with this public id; None for anyone else, in another force or none."""
    return force_officers(force).filter(public_id=public_id).first() if force is not None else None


def open_statuses() -> list[str]:
    return [s for s in CaseStatus.values if s not in {CaseStatus.CONCLUDED, CaseStatus.NO_FURTHER_ACTION}]
