"""Keyset (cursor) pagination for the case list.

A page is the ``size`` rows after (or before) the last row seen, found through the same index the
list is ordered by; nothing counts the table, so the millionth page costs what the first does. The
position travels in a signed ``after``/``before`` parameter holding the sort value and the case's
public id (never its sequential id); a tampered, stale or other-sort cursor just starts again
from the first page.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core import signing
from django.db.models import Q, QuerySet, Subquery

from ..models import Case

SALT = "casework.case-list.cursor"


@dataclass(frozen=True)
class KeysetPage:
    rows: list[Case]
    next_cursor: str | None
    previous_cursor: str | None


@dataclass(frozen=True)
class _Position:
    value: Any
    public_id: uuid.UUID


def _field(term: str) -> tuple[str, bool]:
    """``-updated_at`` → (``updated_at``, descending)."""
    return term.lstrip("-"), term.startswith("-")


def _as_text(value: Any) -> str:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, float):
        return repr(value)
    return str(value)


def _from_text(field: str, text: str) -> Any:
    if field in {"updated_at", "created_at"}:
        return datetime.fromisoformat(text)
    if field == "rank":
        return float(text)
    return text


def encode(sort: str, ordering: tuple[str, ...], row: Case) -> str:
    field, _ = _field(ordering[0])
    payload = {"s": sort, "v": _as_text(getattr(row, field)), "p": str(row.public_id)}
    return signing.dumps(payload, salt=SALT, compress=True)


def decode(token: str, sort: str, ordering: tuple[str, ...]) -> _Position | None:
    try:
        payload = signing.loads(token, salt=SALT)
        if payload["s"] != sort:
            return None
        return _Position(_from_text(_field(ordering[0])[0], payload["v"]), uuid.UUID(payload["p"]))
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None


def _beyond(ordering: tuple[str, ...], position: _Position, *, forwards: bool) -> Q:
    """Rows strictly after ``position`` in ``ordering`` (or strictly before it, going backwards).
    The tie-breaker is the row id, looked up from the public id inside the same query."""
    field, descending = _field(ordering[0])
    tie_field, tie_descending = _field(ordering[1])
    later = "lt" if descending == forwards else "gt"
    tie_later = "lt" if tie_descending == forwards else "gt"
    tie_value = Subquery(Case.objects.filter(public_id=position.public_id).order_by().values("id")[:1])
    # The first condition is implied by the other two; it is there because PostgreSQL can start an
    # index range scan from it, where from the OR alone it would read (and discard) every row before
    # the position: the cost of OFFSET by another name.
    return Q(**{f"{field}__{later}e": position.value}) & (
        Q(**{f"{field}__{later}": position.value})
        | Q(**{field: position.value, f"{tie_field}__{tie_later}": tie_value})
    )


def _reversed(ordering: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(term[1:] if term.startswith("-") else f"-{term}" for term in ordering)


def paginate(
    cases: QuerySet[Case], *, sort: str, ordering: tuple[str, ...], after: str, before: str, size: int
) -> KeysetPage:
    """One page of ``cases`` (already ordered by ``ordering``), fetching ``size + 1`` rows to learn
    whether another page follows."""
    back = decode(before, sort, ordering) if before else None
    ahead = decode(after, sort, ordering) if after and back is None else None
    if back is not None:
        rows = list(cases.filter(_beyond(ordering, back, forwards=False)).order_by(*_reversed(ordering))[: size + 1])
        more_before = len(rows) > size
        rows = rows[:size][::-1]
        if not rows:
            return paginate(cases, sort=sort, ordering=ordering, after="", before="", size=size)
        return KeysetPage(
            rows=rows,
            next_cursor=encode(sort, ordering, rows[-1]),
            previous_cursor=encode(sort, ordering, rows[0]) if more_before else None,
        )
    if ahead is not None:
        cases = cases.filter(_beyond(ordering, ahead, forwards=True))
    rows = list(cases[: size + 1])
    more_after = len(rows) > size
    rows = rows[:size]
    return KeysetPage(
        rows=rows,
        next_cursor=encode(sort, ordering, rows[-1]) if more_after else None,
        previous_cursor=encode(sort, ordering, rows[0]) if ahead is not None and rows else None,
    )
