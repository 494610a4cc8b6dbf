"""The background computation: the Celery tasks (one through a real worker), their beat entries, and
``manage.py recompute_metrics``."""

from __future__ import annotations

import subprocess
from datetime import date, datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from celery.schedules import crontab
from django.conf import settings
from django.core.management import CommandError, call_command
from django.utils import timezone

from accounts.models import Unit, User
from casework import services as cs
from casework.choices import Authority, CustodyEventKind
from casework.models import OffenceCode
from casework.services.custody import CustodyDetails
from config.celery import app
from metrics import tasks
from metrics.management.commands import recompute_metrics as command
from metrics.models import DirtyDay, MetricSnapshot
from tests.tasks.conftest import celery_queue, celery_worker_process, wait_for  # noqa: F401  (fixtures)

LONDON = ZoneInfo("Europe/London")


def _bail(officer: User, occurred_at: datetime) -> None:
    case = cs.case_create(urn="10/AA/12345/26", details=cs.CaseDetails(summary="Theft"), by=officer)
    suspect = cs.suspect_add(case=case, details=cs.SuspectDetails("Jamie", "Smith"), by=officer)
    day = timezone.localdate(occurred_at)
    cs.offence_add(case=case, details=cs.OffenceDetails(suspect=suspect, code="TH68001", committed_on=day), by=officer)
    cs.custody_event_record(
        suspect=suspect,
        details=CustodyDetails(
            kind=CustodyEventKind.PRE_CHARGE_BAIL,
            occurred_at=occurred_at,
            arrested_on=day,
            bail_start_date=day,
            authority=Authority.CUSTODY_OFFICER,
        ),
        by=officer,
    )


def _bail_rows(day: date) -> list[tuple[str, float]]:
    rows = MetricSnapshot.objects.filter(metric="bail_population", day=day)
    return list(rows.values_list("category", "numerator"))


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_build_snapshots_run_by_a_real_worker_rebuilds_a_dirty_day(
    celery_worker_process: subprocess.Popen[bytes],  # noqa: F811
    celery_queue: str,  # noqa: F811
    officer_a: User,
    unit_a1: Unit,
    offence_codes: dict[str, OffenceCode],
) -> None:
    yesterday = timezone.localdate() - timedelta(days=1)
    _bail(officer_a, datetime(yesterday.year, yesterday.month, yesterday.day, 10, tzinfo=LONDON))
    DirtyDay.objects.all().delete()
    MetricSnapshot.objects.all().delete()
    DirtyDay.objects.create(day=yesterday)

    tasks.build_snapshots.apply_async(queue=celery_queue)

    assert wait_for(lambda: not DirtyDay.objects.exists()), "the worker never built the dirty day"
    assert _bail_rows(yesterday) == [("0-3m", 1.0)]
    assert celery_worker_process.poll() is None


@pytest.mark.django_db
def test_recompute_recent_marks_yesterday_and_today_so_stock_metrics_roll_over(
    officer_a: User, unit_a1: Unit, offence_codes: dict[str, OffenceCode]
) -> None:
    with time_machine.travel(datetime(2026, 3, 9, 15, tzinfo=LONDON), tick=False):
        _bail(officer_a, timezone.now())
        tasks.build_snapshots()
        assert _bail_rows(date(2026, 3, 9)) == [("0-3m", 1.0)]
    # Nothing changes on 10 March: the roll-over marks the day before (to take in what changed without a
    # change to a case) and the new day, and the builder always builds today.
    with time_machine.travel(datetime(2026, 3, 10, 0, 5, tzinfo=LONDON), tick=False):
        assert _bail_rows(date(2026, 3, 10)) == []
        assert tasks.recompute_recent() == 2
        assert set(DirtyDay.objects.values_list("day", flat=True)) == {date(2026, 3, 9), date(2026, 3, 10)}
        assert tasks.build_snapshots() == 2
        assert _bail_rows(date(2026, 3, 10)) == [("0-3m", 1.0)]
        assert not DirtyDay.objects.exists()
    with time_machine.travel(datetime(2026, 3, 11, 9, 0, tzinfo=LONDON), tick=False):
        assert tasks.build_snapshots() == 1
        assert _bail_rows(date(2026, 3, 11)) == [("0-3m", 1.0)]


def test_the_beat_schedule_runs_both_tasks_and_they_are_registered() -> None:
    schedule = settings.CELERY_BEAT_SCHEDULE
    assert schedule["metrics-build-snapshots"] == {"task": "metrics.tasks.build_snapshots", "schedule": 120.0}
    roll_over = schedule["metrics-roll-over"]
    assert roll_over["task"] == "metrics.tasks.recompute_recent"
    assert isinstance(roll_over["schedule"], crontab)
    assert roll_over["schedule"].hour == {0}
    assert roll_over["schedule"].minute == {5}
    assert settings.CELERY_TIMEZONE == "Europe/London"
    app.loader.import_default_modules()
    assert {"metrics.tasks.build_snapshots", "metrics.tasks.recompute_recent"} <= set(app.tasks)


# -- manage.py recompute_metrics --------------------------------------------------------------------


@pytest.mark.django_db
def test_recompute_metrics_rebuilds_the_period_for_the_metrics_named(
    officer_a: User, unit_a1: Unit, offence_codes: dict[str, OffenceCode]
) -> None:
    with time_machine.travel(datetime(2026, 3, 9, 15, tzinfo=LONDON), tick=False):
        _bail(officer_a, timezone.now())
    with time_machine.travel(datetime(2026, 3, 12, 15, tzinfo=LONDON), tick=False):
        out = StringIO()
        call_command(
            "recompute_metrics", "--start", "2026-03-08", "--end", "2026-03-11", "--metric", "bail_population",
            "--metric", "rui_population", stdout=out,
        )  # fmt: skip
    assert out.getvalue().strip() == (
        "Recomputed 4 days (2026-03-08 to 2026-03-11) for bail_population, rui_population: 3 rows."
    )
    days = MetricSnapshot.objects.filter(metric="bail_population").values_list("day", flat=True)
    assert sorted(days) == [date(2026, 3, 9), date(2026, 3, 10), date(2026, 3, 11)]
    assert set(MetricSnapshot.objects.values_list("metric", flat=True)) == {"bail_population"}


@pytest.mark.django_db
def test_recompute_metrics_without_metrics_rebuilds_every_metric() -> None:
    out = StringIO()
    call_command("recompute_metrics", "--start", "2026-03-08", "--end", "2026-03-08", stdout=out)
    assert out.getvalue().strip() == "Recomputed 1 day (2026-03-08 to 2026-03-08) for every metric: 0 rows."


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--start", "2026-13-01", "--end", "2026-03-01"], command.NOT_A_DATE.format(name="start", value="2026-13-01")),
        (["--start", "2026-03-01", "--end", "1 March"], command.NOT_A_DATE.format(name="end", value="1 March")),
        (
            ["--start", "2026-03-02", "--end", "2026-03-01"],
            command.PERIOD_BACKWARDS.format(start="2026-03-02", end="2026-03-01"),
        ),
        (["--end", "2026-03-01"], "Error: the following arguments are required: --start"),
    ],
)
def test_recompute_metrics_refuses_bad_dates_precisely(args: list[str], message: str) -> None:
    with pytest.raises(CommandError) as exc:
        call_command("recompute_metrics", *args)
    assert str(exc.value) == message
    assert not MetricSnapshot.objects.exists()


@pytest.mark.django_db
def test_recompute_metrics_refuses_an_unknown_metric_and_names_the_known_ones() -> None:
    with pytest.raises(CommandError) as exc:
        call_command(
            "recompute_metrics", "--start", "2026-03-01", "--end", "2026-03-01", "--metric", "bail_population",
            "--metric", "bail_populaton",
        )  # fmt: skip
    message = str(exc.value)
    assert message.startswith("There is no metric called “bail_populaton”: choose from ")
    assert "bail_population" in message
    assert "victim_updates_on_time" in message
    assert not MetricSnapshot.objects.exists()
