"""``manage.py load_reference_data``: put the vendored reference data into the database.

CPS Areas and CPS Direct (with their units) first, then police forces (each served by its Area),
police units, courts and the CJS offence codes (``casework.offence_codes``), all in one
transaction. Idempotent: a second run reports nothing created or updated. Run it after ``migrate``
on every deployment and after ``scripts/refresh-reference-data.sh``.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.reference.loader import (
    ReferenceDataError,
    data_version,
    load_courts,
    load_cps,
    load_organisations,
    load_police_units,
)
from casework.offence_codes import load_offence_codes


class Command(BaseCommand):
    help = "Load CPS Areas, police forces, police units, courts and offence codes from the vendored reference data."

    def handle(self, *args: Any, **options: Any) -> None:
        version = data_version()
        if version:
            self.stdout.write(
                f"Reference data: {version.get('package', '?')} {version.get('version', '?')} "
                f"(extracted {version.get('extracted', '?')})"
            )
        try:
            with transaction.atomic():
                # Order matters: forces point at CPS Areas, police units at forces.
                for loader in (load_cps, load_organisations, load_police_units, load_courts):
                    for result in loader():
                        style = self.style.SUCCESS if result.changed else (lambda text: text)
                        self.stdout.write(style(str(result)))
                codes = load_offence_codes()
                line = (
                    f"Offence codes: {codes['total']} in the extract, {codes['created']} created, "
                    f"{codes['updated']} updated, {codes['deactivated']} marked inactive"
                )
                changed = codes["created"] or codes["updated"] or codes["deactivated"]
                self.stdout.write(self.style.SUCCESS(line) if changed else line)
        except ReferenceDataError as exc:
            raise CommandError(str(exc)) from exc
