"""Keyset (cursor) pagination for the hot lists: the case list, the alerts inbox, notifications and the CPS
charging queue.

A page is the ``size`` rows after (or before) the last row seen, found through the same index the list is
ordered by; nothing counts the table and nothing skips rows with OFFSET, so the millionth page costs what
the first does. The position travels in a signed ``after``/``before`` parameter holding the row's sort
values and its public id (never its sequential id); a tampered, stale or other-order cursor just starts
again from the first page.

The ordering is a tuple of field or annotation names (``-`` for descending) whose last term is ``id`` or
``-id``, so it is total and pages never skip or repeat a row. The ordering values must not be NULL.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Generic, TypeVar

from django.core import signing
from django.db.models import F, Field, Func, Model, Q, QuerySet, Subquery, Value
from django.db.models.lookups import GreaterThan, LessThan
from django.http import HttpRequest

M = TypeVar("M", bound=Model)

SALT = "casework.case-list.cursor"


@dataclass(frozen=True)
class KeysetPage(Generic[M]):
    rows: list[M]
    next_cursor: str | None
    previous_cursor: str | None


@dataclass(frozen=True)
class Position:
    values: tuple[Any, ...]
    public_id: uuid.UUID


def _field(term: str) -> tuple[str, bool]:
    """``-updated_at`` → (``updated_at``, descending)."""
    return term.lstrip("-"), term.startswith("-")


def _as_text(value: Any) -> list[str]:
    """A sort value as a (type, text) pair that survives JSON exactly."""
    if isinstance(value, datetime):
        return ["dt", value.isoformat()]
    if isinstance(value, date):
        return ["d", value.isoformat()]
    if isinstance(value, bool):
        return ["b", "1" if value else "0"]
    if isinstance(value, int):
        return ["i", str(value)]
    if isinstance(value, float):
        return ["f", repr(value)]
    if isinstance(value, str):
        return ["s", value]
    raise TypeError(f"cannot page by a value of type {type(value).__name__}")


def _from_text(pair: Any) -> Any:
    kind, text = pair
    if not isinstance(text, str):
        raise TypeError("not a cursor value")
    readers: dict[str, Callable[[str], Any]] = {
        "dt": datetime.fromisoformat,
        "d": date.fromisoformat,
        "b": lambda t: t == "1",
        "i": int,
        "f": float,
        "s": str,
    }
    return readers[kind](text)


def encode(tag: str, ordering: tuple[str, ...], row: Model, *, salt: str = SALT) -> str:
    """The cursor of ``row`` in a list of kind ``tag`` (a sort name, say) ordered by ``ordering``."""
    values = [_as_text(getattr(row, _field(term)[0])) for term in ordering[:-1]]
    payload = {"s": tag, "v": values, "p": str(row.public_id)}  # type: ignore[attr-defined]
    return signing.dumps(payload, salt=salt, compress=True)


def decode(token: str, tag: str, ordering: tuple[str, ...], *, salt: str = SALT) -> Position | None:
    try:
        payload = signing.loads(token, salt=salt)
        if payload["s"] != tag or len(payload["v"]) != len(ordering) - 1:
            return None
        return Position(tuple(_from_text(pair) for pair in payload["v"]), uuid.UUID(payload["p"]))
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None


def _beyond(model: type[Model], ordering: tuple[str, ...], position: Position, *, forwards: bool) -> Q:
    """Rows strictly after ``position`` in ``ordering`` (or strictly before it, going backwards). The
    tie-breaker is the row id, looked up from the public id inside the same query."""
    tie_value = Subquery(model._default_manager.filter(public_id=position.public_id).order_by().values("id")[:1])
    values = (*position.values, tie_value)
    directions = {_field(term)[1] for term in ordering}
    if len(directions) == 1:
        # One direction throughout: a row comparison, ``(a, b, id) < (x, y, z)``, which PostgreSQL reads as
        # the start of a range scan on an index of those columns, so a page deep in the list costs what
        # the first one does even when the leading column has few values (waiting or not, say).
        later = LessThan if directions == {forwards} else GreaterThan
        row = Func(*(F(_field(term)[0]) for term in ordering), template="ROW(%(expressions)s)", output_field=Field())
        bound = Func(*(_value(v) for v in values), template="ROW(%(expressions)s)", output_field=Field())
        return Q(later(row, bound))
    equal = Q()
    later_somewhere = Q()
    for term, value in zip(ordering, values, strict=True):
        field, descending = _field(term)
        later_lookup = "lt" if descending == forwards else "gt"
        later_somewhere |= equal & Q(**{f"{field}__{later_lookup}": value})
        equal &= Q(**{field: value})
    first, descending = _field(ordering[0])
    first_later = "lt" if descending == forwards else "gt"
    # The first condition is implied by the rest; it is there because PostgreSQL can start an index
    # range scan from it, where from the OR alone it would read (and discard) every row before the
    # position: the cost of OFFSET by another name.
    return Q(**{f"{first}__{first_later}e": values[0]}) & later_somewhere


def _value(value: Any) -> Any:
    return value if isinstance(value, Subquery) else Value(value)


def links(request: HttpRequest, page: KeysetPage[Any], path: str = "") -> dict[str, str | None]:
    """The page's "next" and "previous" links (``next_url``, ``previous_url`` for the GOV.UK pagination
    component): this request's query string, filters and all, with the neighbour's cursor instead of its own
    (and without a ``page`` number left over from numbered pages)."""

    def link(**cursor: str) -> str:
        params = request.GET.copy()
        for key in ("after", "before", "page"):
            params.pop(key, None)
        params.update(cursor)
        return f"{path}?{params.urlencode()}"

    return {
        "next_url": link(after=page.next_cursor) if page.next_cursor else None,
        "previous_url": link(before=page.previous_cursor) if page.previous_cursor else None,
    }


def _reversed(ordering: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(term[1:] if term.startswith("-") else f"-{term}" for term in ordering)


def paginate(
    rows: QuerySet[M],
    *,
    ordering: tuple[str, ...],
    after: str,
    before: str,
    size: int,
    tag: str = "",
    salt: str = SALT,
) -> KeysetPage[M]:
    """One page of ``rows`` in ``ordering``, fetching ``size + 1`` rows to learn whether another page
    follows (going back: precedes). ``tag`` names the kind of list (a sort, a filter) so that a cursor of
    one order is never read as a position in another."""
    assert _field(ordering[-1])[0] == "id", "a keyset ordering ends in the unique id"
    model = rows.model
    back = decode(before, tag, ordering, salt=salt) if before else None
    ahead = decode(after, tag, ordering, salt=salt) if after and back is None else None
    if back is not None:
        found = list(
            rows.filter(_beyond(model, ordering, back, forwards=False)).order_by(*_reversed(ordering))[: size + 1]
        )
        more_before = len(found) > size
        found = found[:size][::-1]
        if not found:
            return paginate(rows, ordering=ordering, after="", before="", size=size, tag=tag, salt=salt)
        return KeysetPage(
            rows=found,
            next_cursor=encode(tag, ordering, found[-1], salt=salt),
            previous_cursor=encode(tag, ordering, found[0], salt=salt) if more_before else None,
        )
    if ahead is not None:
        rows = rows.filter(_beyond(model, ordering, ahead, forwards=True))
    found = list(rows.order_by(*ordering)[: size + 1])
    more_after = len(found) > size
    found = found[:size]
    return KeysetPage(
        rows=found,
        next_cursor=encode(tag, ordering, found[-1], salt=salt) if more_after else None,
        previous_cursor=encode(tag, ordering, found[0], salt=salt) if ahead is not None and found else None,
    )
