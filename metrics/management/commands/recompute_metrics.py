"""``manage.py recompute_metrics --start YYYY-MM-DD --end YYYY-MM-DD [--metric ID ...]``: rebuild the daily
snapshots of a period from scratch (every metric, or the ones named), for example after a definition changes
its version or data was corrected outside the services. Each day is replaced in one transaction, so
dashboards see a day's old figures or its new ones, never half of each.

``--rollups`` rebuilds only the monthly rollup the dashboards read (``metrics.rollup.rebuild_months``), from
the stored snapshots, for the whole months the period touches: after restoring snapshots from a backup, say."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from metrics.compute import recompute_period
from metrics.registry import REGISTRY
from metrics.rollup import rebuild_months

NOT_A_DATE = "--{name} “{value}” is not a date: write it as YYYY-MM-DD, for example 2026-01-31"
PERIOD_BACKWARDS = "The period ends (--end {end}) before it starts (--start {start})"
UNKNOWN_METRIC = "There is no metric called “{value}”: choose from {choices}"


def _date(name: str, value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(NOT_A_DATE.format(name=name, value=value)) from None


class Command(BaseCommand):
    help = "Rebuild the daily metric snapshots of a period (inclusive), for every metric or the ones named."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--start", required=True, help="First day, YYYY-MM-DD.")
        parser.add_argument("--end", required=True, help="Last day, YYYY-MM-DD.")
        parser.add_argument(
            "--metric", action="append", default=None, metavar="ID", help="A metric id; repeat for more. Default: all."
        )
        parser.add_argument(
            "--rollups",
            action="store_true",
            help="Rebuild only the dashboards' monthly rollup of the months the period touches, from the snapshots.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        start = _date("start", str(options["start"]))
        end = _date("end", str(options["end"]))
        if end < start:
            raise CommandError(PERIOD_BACKWARDS.format(start=start, end=end))
        metric_ids: list[str] | None = options["metric"]
        if metric_ids is not None:
            for metric_id in metric_ids:
                if metric_id not in REGISTRY:
                    raise CommandError(UNKNOWN_METRIC.format(value=metric_id, choices=", ".join(sorted(REGISTRY))))
        which = ", ".join(metric_ids) if metric_ids else "every metric"
        if options["rollups"]:
            with transaction.atomic():
                rebuild_months(start, end, metric_ids)
            first, last = start.replace(day=1), end.replace(day=1)
            months = (last.year - first.year) * 12 + last.month - first.month + 1
            self.stdout.write(
                self.style.SUCCESS(
                    f"Rebuilt the rollup of {months} month{'s' if months != 1 else ''} "
                    f"({first:%B %Y} to {last:%B %Y}) for {which}."
                )
            )
            return
        rows = recompute_period(start, end, metric_ids)
        days = (end - start).days + 1
        self.stdout.write(
            self.style.SUCCESS(
                f"Recomputed {days} day{'s' if days != 1 else ''} ({start} to {end}) for {which}: {rows} rows."
            )
        )
