"""``manage.py generate_synthetic --cases N [--seed S] [--as-of YYYY-MM-DD] [--workers W] [--reset]``: fill the
current database with a synthetic national data set (``casework.synthetic``) for benchmarks and load tests.

Refuses a database that already holds synthetic data unless ``--reset`` is given, which first removes the
previous synthetic data (and refuses a database with real cases).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from casework.synthetic import ResetRefused, SyntheticDataExists, generate


class Command(BaseCommand):
    help = "Generate a synthetic national data set (cases, people, charging, material, deadlines, alerts)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--cases", type=int, required=True, help="How many cases to generate.")
        parser.add_argument("--seed", type=int, default=1, help="The random seed (same seed, same data).")
        parser.add_argument(
            "--as-of",
            type=date.fromisoformat,
            default=None,
            help="The day the data stands on (default today): nothing generated happens after its start.",
        )
        parser.add_argument(
            "--workers", type=int, default=None, help="Worker processes building cases (default: one per CPU)."
        )
        parser.add_argument(
            "--reset", action="store_true", help="Remove the synthetic data already in the database first."
        )
        parser.add_argument(
            "--unique-files",
            action="store_true",
            help="Write a stored file of its own for every version (millions at national size) instead of sharing "
            "a few hundred content-addressed specimen files.",
        )

    def handle(
        self,
        *args: Any,
        cases: int,
        seed: int,
        as_of: date | None,
        workers: int | None,
        reset: bool,
        unique_files: bool,
        **options: Any,
    ) -> None:
        if cases < 1:
            raise CommandError("--cases must be at least 1")
        try:
            summary = generate(
                cases,
                seed=seed,
                as_of=as_of,
                workers=workers,
                reset_existing=reset,
                shared_files=not unique_files,
                progress=lambda line: self.stdout.write(line),
            )
        except (SyntheticDataExists, ResetRefused) as exc:
            raise CommandError(str(exc)) from exc
        for line in summary.lines():
            self.stdout.write(line)
