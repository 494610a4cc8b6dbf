"""The CJS offence code list: loading it from the MoJ standing data and searching it.

The list comes from the vendored extract ``accounts/reference/data/offence-codes.json.gz`` (MoJ
``bichard7-next-data``, see ``VERSION``): about 30,000 codes with title, offence category, Home Office
classification and the notifiable and recordable flags. Each code's mode of trial is read from its
category and its DG6 Annex 1 group from ``casework.dg6``.

Offence categories (``offence-categories.json.gz``) and the mode of trial each gives:

======  ===========================================  =================
CS      Summary Non-motoring                         summary only
CM      Summary Motoring                             summary only
CE      Either Way                                   either way
CI      Indictable                                   indictable only
B7      Bichard 7-specific category                  not criminal
CB      Non-Offence Breach                           not criminal
CR      Civil - Related to Criminal                  not criminal
EF      Fines                                        not criminal
EM, EX  Maintenance Enforcement (home / foreign)     not criminal
FC, FH, FL, FO, FP, FV, FX   Family                  not criminal
LB, LC, LG, LL, LM   Betting, club, gaming, liquor and magistrates' licensing   not criminal
VA, VP  Miscellaneous Applications (Civil), Civil Proceedings   not criminal
(other) anything else, e.g. CO (one legal aid appeal)  not criminal
======  ===========================================  =================

The category is the standing data's, not a statute book: a few legacy codes carry a category that
understates the offence (``COMLA03`` MURDER and ``SX56001`` RAPE are CE). Their DG6 group still sends
them to the CPS, and ``OffenceAllegation`` records the code actually charged.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from django.contrib.postgres.search import SearchQuery, SearchRank, TrigramWordSimilarity
from django.db import connection, transaction
from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Collate, Length
from django.shortcuts import get_object_or_404

from accounts.reference.loader import BATCH_SIZE, ReferenceDataError, read_extract

from .choices import ModeOfTrial
from .dg6 import base_code, dg6_group_for
from .models import OffenceCode

EXTRACT = "offence-codes"
CODE_MAX_LENGTH = 12  # OffenceCode.code; the longest in the extract is 10 (force-local codes)

CATEGORY_MODE_OF_TRIAL: dict[str, str] = {
    "CS": ModeOfTrial.SUMMARY_ONLY,
    "CM": ModeOfTrial.SUMMARY_ONLY,
    "CE": ModeOfTrial.EITHER_WAY,
    "CI": ModeOfTrial.INDICTABLE_ONLY,
}

# The fields the standing data owns; ``is_active`` is ours (set when a code leaves the data).
_FIELDS = (
    "title",
    "category",
    "mode_of_trial",
    "home_office_classification",
    "notifiable",
    "recordable",
    "dg6_group",
    "is_active",
)

SEARCH_LIMIT_MAX = 50
SEARCH_TEXT_MAX = 100
_CODE_LIKE = re.compile(r"[A-Z0-9]{2,12}")
# National codes start with letters (TH68001, COML025); force-local ones with the force number
# (1212PH001, 53PH97004G). Among equally good matches the national code comes first.
_LOCAL_CODE = Case(When(code__regex=r"^[0-9]", then=Value(1)), default=Value(0), output_field=IntegerField())


def mode_of_trial_for(category: str) -> str:
    """The mode of trial an offence category gives; anything but CS, CM, CE and CI is not criminal."""
    return CATEGORY_MODE_OF_TRIAL.get(category.strip().upper(), ModeOfTrial.NOT_CRIMINAL)


def _desired() -> dict[str, dict[str, Any]]:
    desired: dict[str, dict[str, Any]] = {}
    for row in read_extract(EXTRACT):
        # One code in the extract has a lower-case letter (42ESx084); codes are matched upper-case.
        code = "".join(str(row.get("code") or "").split()).upper()
        if not code or len(code) > CODE_MAX_LENGTH:
            raise ReferenceDataError(f"{EXTRACT}: bad offence code {row.get('code')!r}")
        title = " ".join(str(row.get("title") or "").split())
        category = str(row.get("offenceCategory") or "").strip().upper()
        mode = mode_of_trial_for(category)
        desired[code] = {
            "title": title,
            "category": category,
            "mode_of_trial": mode,
            "home_office_classification": str(row.get("homeOfficeClassification") or "").strip(),
            "notifiable": bool(row.get("notifiable")),
            "recordable": bool(row.get("recordable")),
            # A civil, family or licensing application is never charged, so it has no DG6 group even
            # under a flagged Act (e.g. PH97501 "Application to vary restraining order").
            "dg6_group": dg6_group_for(code, title) if mode != ModeOfTrial.NOT_CRIMINAL else "",
            "is_active": True,
        }
    return desired


@transaction.atomic
def load_offence_codes() -> dict[str, int]:
    """Bring ``OffenceCode`` into line with the vendored extract; idempotent, never deletes.

    Writes only codes that are new or differ (one ``INSERT ... ON CONFLICT (code) DO UPDATE`` per
    batch), so a second run writes nothing. A code that has left the standing data is marked
    inactive, because offence allegations may still point at it; one that comes back is reactivated.
    Returns the counts ``total`` (codes in the extract), ``created``, ``updated`` and ``deactivated``.
    """
    desired = _desired()
    existing = {row[0]: row[1:] for row in OffenceCode.objects.values_list("code", *_FIELDS)}
    to_write: list[OffenceCode] = []
    created = updated = 0
    for code, values in desired.items():
        current = existing.get(code)
        if current is None:
            created += 1
        elif current != tuple(values[field] for field in _FIELDS):
            updated += 1
        else:
            continue
        to_write.append(OffenceCode(code=code, **values))
    if to_write:
        OffenceCode.objects.bulk_create(
            to_write,
            batch_size=BATCH_SIZE,
            update_conflicts=True,
            unique_fields=["code"],
            update_fields=list(_FIELDS),
        )
    is_active = _FIELDS.index("is_active")
    stale = [code for code, values in existing.items() if code not in desired and values[is_active]]
    deactivated = OffenceCode.objects.filter(code__in=stale).update(is_active=False) if stale else 0
    return {"total": len(desired), "created": created, "updated": updated, "deactivated": deactivated}


def offence_code_get(*, code: str) -> OffenceCode:
    """One offence code by its code, in any case and spacing, active or not; 404 if there is none."""
    return get_object_or_404(OffenceCode.objects.defer("search_vector"), code="".join(code.split()).upper())


def offence_code_search(*, query: str, limit: int = 20) -> list[OffenceCode]:
    """Active offence codes for what someone typed: a code, the start of one, or words from the title.

    In order, without repeats: the exact code (``th68001``, or ``TH68001A`` and then ``TH68001``: a
    trailing A/B/C/I qualifier is also tried without it) and the codes starting with it (``TH68``),
    in code order; if the query found no code, titles matching the words (``websearch`` full text
    with English stemming, best ranked first), then, for misspellings, titles containing a word
    like the query (pg_trgm word similarity; for a query of several words only if full text found
    nothing). A later step runs only if the earlier ones left room under ``limit`` (at most 50).
    Each step uses its index: the varchar_pattern_ops index on code, the GIN index on
    ``search_vector`` and the trigram GIN index on title.
    """
    text = " ".join(query.split())[:SEARCH_TEXT_MAX]
    limit = max(1, min(limit, SEARCH_LIMIT_MAX))
    if not text:
        return []
    active = OffenceCode.objects.filter(is_active=True).defer("search_vector")
    found: dict[int, OffenceCode] = {}

    def add(rows: Iterable[OffenceCode]) -> None:
        for row in rows:
            if len(found) >= limit:
                return
            found.setdefault(row.pk, row)

    compact = "".join(text.split()).upper()
    if _CODE_LIKE.fullmatch(compact):
        add(_code_matches(active, compact, limit))
        if found:  # someone who typed a code wants codes, not titles that happen to contain it
            return list(found.values())
    words = SearchQuery(text, config="english", search_type="websearch")
    add(
        active.filter(search_vector=words)
        # Normalisation 1 divides the rank by log(length), so "Assault by beating" comes before the
        # longer titles that merely contain the words.
        .annotate(rank=SearchRank(F("search_vector"), words, normalization=1), local=_LOCAL_CODE)
        .order_by("-rank", "local", "code")[:limit]
    )
    # A query of several words that full text already answers is not misspelt, and its common words
    # ("with", "of") would pull in hundreds of loosely similar titles (25 ms instead of 5).
    if len(found) < limit and (not found or " " not in text):
        add(_similar_titles(active, text, limit + len(found)))
    return list(found.values())


def _code_matches(active: QuerySet[OffenceCode], compact: str, limit: int) -> list[OffenceCode]:
    stem = base_code(compact)
    return list(
        active.filter(Q(code=compact) | Q(code__startswith=stem))
        .annotate(exact=Case(When(code=compact, then=Value(0)), When(code=stem, then=Value(1)), default=Value(2)))
        # Byte order (COLLATE "C") is the order the varchar_pattern_ops index holds; ordering by plain
        # "code" tempts the planner to walk the unique index instead, filtering 27,000 rows to find 20.
        .order_by("exact", Collate("code", "C"))[:limit]
    )


def _similar_titles(active: QuerySet[OffenceCode], text: str, limit: int) -> list[OffenceCode]:
    matches = (
        active.filter(title__trigram_word_similar=text)
        .annotate(similarity=TrigramWordSimilarity(text, "title"), local=_LOCAL_CODE, length=Length("title"))
        # Shorter titles first among equals: "Harassment without violence" before the aggravated
        # forms that mention harassment among other things.
        .order_by("-similarity", "local", "length", "code")[:limit]
    )
    # The planner costs pg_trgm's %> operator like an equality test, so for a common word it prefers
    # reading all 30,000 titles (250 ms of word_similarity calls) to the trigram index (3 ms). Turn
    # sequential scans off for this one query, inside a transaction (a savepoint if the caller is
    # already in one), and put the setting back before leaving it.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('enable_seqscan')")
        previous = cursor.fetchone()[0]
        cursor.execute("SELECT set_config('enable_seqscan', 'off', true)")
        try:
            return list(matches)
        finally:
            cursor.execute("SELECT set_config('enable_seqscan', %s, true)", [previous])
