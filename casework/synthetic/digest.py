"""``inputs_digest``: ``files.quality.facts.inputs_digest`` for the facts of a synthetic file - the SHA-256 of the
same canonical JSON text - written out directly.

The application builds that text generically: ``FileFacts.as_json`` walks every value (``is_dataclass`` and
``fields`` at each), sorts each collection by the ``repr`` of its items, and ``json.dumps(sort_keys=True,
default=str)`` calls back into Python for every date. Here each fact record is written from its ``__dict__`` with
its keys sorted once per class, dates written as ``str`` writes them, and a collection of records identified by
distinct UUIDs sorted by that id, which is the order their ``repr`` gives (it starts ``{'id': '<uuid>'``); any
other collection is sorted by ``repr`` as the application does. ``tests/synthetic`` compares the two digests on
every file of a generated data set, so a change to the application's digest shows there.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import operator
from collections.abc import Callable
from datetime import date
from typing import Any

from files.quality.rules import (
    RULESET_VERSION,
    CaseSummaryFact,
    DocumentFact,
    ExhibitFact,
    FileFacts,
    OffenceFact,
    PointFact,
    SuspectFact,
    Thresholds,
    UncleanUploadFact,
    UnusedItemFact,
    VictimFact,
    WitnessFact,
)

_string = json.encoder.encode_basestring_ascii  # what json.dumps writes a string as (ensure_ascii, in C)
_UUID_LENGTH = 36


# How each declared type of a fact's field is written, as a Python expression of the value ``@``; any other type
# (none today) goes through ``_value``.
_BY_TYPE: dict[str, str] = {
    "str": "_s(@)",
    "str | None": '("null" if @ is None else _s(@))',
    "bool": '("true" if @ else "false")',
    "int": "_i(@)",
    "int | None": '("null" if @ is None else _i(@))',
    "date": "(_q + @.isoformat() + _q)",  # default=str: str(date) is its ISO form, plain ASCII
    "date | None": '("null" if @ is None else _q + @.isoformat() + _q)',
    "tuple[str, ...]": '("[" + ",".join(map(_s, @)) + "]")',
}


def _day(value: Any) -> str:
    return f'"{value.isoformat()}"'  # default=str: str(date) is its ISO form, plain ASCII


def _encoder(cls: type) -> Callable[[Any], str]:
    """A function writing a ``cls`` record as JSON, keys sorted: one f-string over its fields, each written as its
    declared type says (``_BY_TYPE``) - compiled once, as ``dataclasses`` compiles ``__init__``."""
    cells = []
    for f in sorted(dataclasses.fields(cls), key=lambda f: f.name):
        expression = _BY_TYPE.get(str(f.type), "_g(@)").replace("@", f"o.{f.name}")
        cells.append(f'"{f.name}":{{{expression}}}')
    source = "def encode(o):\n    return f'{{" + ",".join(cells) + "}}'\n"
    scope: dict[str, Any] = {"_s": _string, "_i": int.__repr__, "_q": '"', "_g": _generic}
    exec(source, scope)  # noqa: S102 - source built above from the dataclass's own field names
    return scope["encode"]  # type: ignore[no-any-return]


def _generic(value: Any) -> str:
    return _value(value)


# The facts' own dataclasses: flat records of plain values (strings, numbers, dates, None, tuples of strings), held
# in ``FileFacts`` alone or in tuples.
_RECORDS: dict[type, Callable[[Any], str]] = {
    cls: _encoder(cls)
    for cls in (
        SuspectFact,
        OffenceFact,
        WitnessFact,
        VictimFact,
        DocumentFact,
        UncleanUploadFact,
        ExhibitFact,
        UnusedItemFact,
        PointFact,
        CaseSummaryFact,
    )
}
# Each record's first field (its ``id`` where it has one): what its ``repr`` starts with.
_FIRST: dict[type, Callable[[Any], Any]] = {
    cls: operator.attrgetter(dataclasses.fields(cls)[0].name) for cls in _RECORDS
}
_FILE_KEYS = tuple((f'"{f.name}":', f.name) for f in sorted(dataclasses.fields(FileFacts), key=lambda f: f.name))


def inputs_digest(facts: FileFacts, thresholds: Thresholds) -> str:
    """``files.quality.facts.inputs_digest(facts, thresholds)``, the same digest (see the module docstring)."""
    try:
        text = _text(facts)
    except (TypeError, AttributeError):  # a value not of its declared type: the generic path writes it
        text = json.dumps(facts.as_json(), sort_keys=True, default=str, separators=(",", ":"))
    text = '{"facts":' + text + ',"ruleset":' + _string(RULESET_VERSION) + ',"thresholds":'
    text += _thresholds(thresholds) + "}"
    return hashlib.sha256(text.encode()).hexdigest()


def _text(facts: FileFacts) -> str:
    values = facts.__dict__
    parts = []
    for key, name in _FILE_KEYS:
        value = values[name]
        if type(value) is tuple or type(value) is list:
            parts.append(key + "[" + ",".join(_sorted_items(value)) + "]")
        else:
            parts.append(key + _value(value))
    return "{" + ",".join(parts) + "}"


def _sorted_items(items: tuple[Any, ...] | list[Any]) -> list[str]:
    """The items of a top-level collection as JSON, in the order ``FileFacts.as_json`` sorts them."""
    if items:
        cls = type(items[0])
        encode = _RECORDS.get(cls)
        if encode is not None and all(type(item) is cls for item in items):
            first = list(map(_FIRST[cls], items))
            if len(set(first)) == len(first) and all(type(v) is str and len(v) == _UUID_LENGTH for v in first):
                # Distinct ids: the pairs sort by their id alone, never by the text beside it.
                return [line for _id, line in sorted(zip(first, map(encode, items), strict=True))]
    return [_value(item) for item in sorted(items, key=lambda item: repr(_plain(item)))]


def _plain(value: Any) -> Any:
    """A collection item as the app's plain definitions (``files.quality.rules``) see it, for sorting by its
    ``repr``."""
    return dict(value.__dict__) if type(value) in _RECORDS else value


def _record(record: Any) -> str:
    return _RECORDS[type(record)](record)


def _value(value: Any) -> str:
    """One value as ``json.dumps(..., default=str)`` writes it."""
    kind = type(value)
    if kind is str:
        return str(_string(value))
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if kind is int:
        return int.__repr__(value)
    if kind is date:
        return _day(value)
    if kind is tuple or kind is list:
        return "[" + ",".join(_value(item) for item in value) + "]"
    if kind in _RECORDS:
        return _record(value)
    if isinstance(value, str):  # a choice (StrEnum): JSON writes its value
        return str(_string(value))
    # Anything else (not in today's facts): exactly as json.dumps writes it.
    return json.dumps(value, sort_keys=True, default=str, separators=(",", ":"))


_THRESHOLDS: dict[Thresholds, str] = {}


def _thresholds(thresholds: Thresholds) -> str:
    known = _THRESHOLDS.get(thresholds)
    if known is None:
        known = _THRESHOLDS[thresholds] = json.dumps(
            dataclasses.asdict(thresholds), sort_keys=True, default=str, separators=(",", ":")
        )
    return known
