"""Where the holiday set comes from: the vendored GOV.UK list and the ``PublicHoliday`` table.

``casework/reference/bank_holidays_england_wales.json`` has the shape of GOV.UK's
https://www.gov.uk/bank-holidays.json, cut down to the ``england-and-wales`` division, for 2018 to
2030. The years GOV.UK had not yet published were filled in from the usual rules
(``calendar.england_and_wales_bank_holidays``); a newly proclaimed holiday is added to the file (and
to ``calendar.PROCLAMATIONS``) and reloaded with ``manage.py load_public_holidays``.

Loading is idempotent: rows are matched by date; a second run writes nothing. A row from this source
whose date has left the file is deleted (a moved holiday), but rows from any other source are left
alone.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

from django.db import transaction

from ..models import PublicHoliday
from .calendar import WorkingCalendar

VENDORED_PATH = Path(__file__).resolve().parent.parent / "reference" / "bank_holidays_england_wales.json"
DIVISION = "england-and-wales"
SOURCE = "GOV.UK bank-holidays.json (vendored)"


@dataclass(frozen=True)
class HolidayRow:
    date: date
    title: str
    notes: str = ""


@dataclass(frozen=True)
class HolidayLoadResult:
    total: int
    created: int
    updated: int
    deleted: int

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.deleted)

    def __str__(self) -> str:
        return (
            f"Public holidays: {self.total} in the list, {self.created} created, "
            f"{self.updated} updated, {self.deleted} deleted"
        )


def read_vendored(path: Path = VENDORED_PATH) -> list[HolidayRow]:
    """The England and Wales events from a GOV.UK-shaped bank-holidays file, in date order."""
    with path.open(encoding="utf-8") as fh:
        document = json.load(fh)
    events = document[DIVISION]["events"]
    return sorted(
        (HolidayRow(date.fromisoformat(e["date"]), e["title"], e.get("notes", "")) for e in events),
        key=lambda row: row.date,
    )


@cache
def vendored_calendar() -> WorkingCalendar:
    """A calendar from the vendored file, for code that must not touch the database."""
    return WorkingCalendar(frozenset(row.date for row in read_vendored()))


def calendar_from_db() -> WorkingCalendar:
    """A calendar from the ``PublicHoliday`` table (what the running system uses)."""
    return WorkingCalendar(frozenset(PublicHoliday.objects.values_list("date", flat=True)))


def _name(row: HolidayRow) -> str:
    return f"{row.title} ({row.notes.lower()})" if row.notes else row.title


@transaction.atomic
def load_public_holidays(path: Path = VENDORED_PATH, *, source: str = SOURCE) -> HolidayLoadResult:
    rows = read_vendored(path)
    wanted = {row.date: _name(row) for row in rows}
    existing = {h.date: h for h in PublicHoliday.objects.select_for_update()}
    created = updated = 0
    for day, name in wanted.items():
        current = existing.get(day)
        if current is None:
            PublicHoliday.objects.create(date=day, name=name, source=source)
            created += 1
        elif (current.name, current.source) != (name, source):
            current.name, current.source = name, source
            current.save(update_fields=["name", "source"])
            updated += 1
    years = {day.year for day in wanted}
    stale = [h.pk for day, h in existing.items() if h.source == source and day.year in years and day not in wanted]
    deleted, _ = PublicHoliday.objects.filter(pk__in=stale).delete()
    return HolidayLoadResult(total=len(rows), created=created, updated=updated, deleted=deleted)
