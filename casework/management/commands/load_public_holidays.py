"""``manage.py load_public_holidays``: put the England and Wales public holidays into ``PublicHoliday``.

Reads the vendored GOV.UK list (``casework/reference/bank_holidays_england_wales.json``) or the file
given with ``--file``. Idempotent: a second run reports nothing created, updated or deleted. Run it
after ``migrate`` on every deployment.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from casework.deadlines.holidays import VENDORED_PATH, load_public_holidays


class Command(BaseCommand):
    help = "Load the England and Wales public holidays from the vendored GOV.UK list."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--file", type=Path, default=VENDORED_PATH, help="A GOV.UK-shaped bank-holidays JSON file.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = load_public_holidays(options["file"])
        except (OSError, KeyError, ValueError) as exc:
            raise CommandError(f"Cannot load public holidays from {options['file']}: {exc}") from exc
        self.stdout.write(self.style.SUCCESS(str(result)) if result.changed else str(result))
