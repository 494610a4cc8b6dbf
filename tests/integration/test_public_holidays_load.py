"""``manage.py load_public_holidays`` fills ``PublicHoliday`` from the vendored GOV.UK list, idempotently,
and never removes a holiday somebody added by hand."""

from __future__ import annotations

import json
from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from casework.deadlines.holidays import SOURCE, VENDORED_PATH, calendar_from_db, vendored_calendar
from casework.models import PublicHoliday

pytestmark = pytest.mark.django_db


def load(*args: str) -> str:
    out = StringIO()
    call_command("load_public_holidays", *args, stdout=out)
    return out.getvalue()


def test_loading_twice_creates_every_holiday_once_and_then_changes_nothing() -> None:
    assert load().strip() == "Public holidays: 107 in the list, 107 created, 0 updated, 0 deleted"
    assert load().strip() == "Public holidays: 107 in the list, 0 created, 0 updated, 0 deleted"
    assert calendar_from_db() == vendored_calendar()
    coronation = PublicHoliday.objects.get(date=date(2023, 5, 8))
    assert coronation.name == "Bank holiday for the coronation of King Charles III"
    assert coronation.source == SOURCE
    assert PublicHoliday.objects.get(date=date(2022, 12, 27)).name == "Christmas Day (substitute day)"


def test_a_reload_repairs_changed_rows_and_drops_moved_ones_but_keeps_hand_added_ones() -> None:
    load()
    PublicHoliday.objects.filter(date=date(2026, 12, 25)).update(name="Xmas")
    PublicHoliday.objects.create(date=date(2026, 6, 1), name="Stale vendored day", source=SOURCE)
    PublicHoliday.objects.create(date=date(2026, 6, 2), name="Proclaimed by hand", source="proclamation")
    assert load().strip() == "Public holidays: 107 in the list, 0 created, 1 updated, 1 deleted"
    assert PublicHoliday.objects.get(date=date(2026, 12, 25)).name == "Christmas Day"
    assert not PublicHoliday.objects.filter(date=date(2026, 6, 1)).exists()
    assert PublicHoliday.objects.filter(date=date(2026, 6, 2), source="proclamation").exists()
    assert date(2026, 6, 2) in calendar_from_db().holidays


def test_another_file_can_be_loaded_and_a_broken_one_is_refused(tmp_path: Path) -> None:
    document = json.loads(VENDORED_PATH.read_text(encoding="utf-8"))
    document["england-and-wales"]["events"] = document["england-and-wales"]["events"][:3]
    small = tmp_path / "holidays.json"
    small.write_text(json.dumps(document), encoding="utf-8")
    assert "3 created" in load("--file", str(small))
    broken = tmp_path / "broken.json"
    broken.write_text("{}", encoding="utf-8")
    with pytest.raises(CommandError, match="Cannot load public holidays"):
        load("--file", str(broken))
    assert PublicHoliday.objects.count() == 3
