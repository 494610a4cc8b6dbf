"""Celery queues by kind of work: every task is routed to a queue some worker reads, beat's entries follow the
same routes, every deployment reads every queue, and a worker reads only the queues it is given, so a kind of
work scales with its own workers (README, "Growing past one machine")."""

from __future__ import annotations

import ast
import json
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import redis
import yaml
from django.conf import settings

from accounts.models import User
from accounts.tasks import record_worker_heartbeat
from casework import services as cs
from config.celery import app
from files.choices import AnticipatedPlea, FileStage
from files.models import FileSubmission, QualityReport
from files.tasks_quality import run_quality_checks
from tests.tasks.conftest import ROOT, _database_url, start_celery_worker, stop_celery_worker, wait_for

# What each kind of work is, in the words of config/settings/base.py, and one task of each.
KIND_OF = {
    "files.tasks_quality.run_quality_checks": "quality",
    "files.tasks.scan_document_version": "documents",
    "files.tasks.extract_document_text": "documents",
    "alerts.tasks.sweep_alerts": "alerts",
    "alerts.tasks.deliver_due": "alerts",
    "alerts.tasks.send_daily_digests": "alerts",
    "alerts.tasks.escalate_unacknowledged": "alerts",
    "metrics.tasks.build_snapshots": "metrics",
    "metrics.tasks.recompute_recent": "metrics",
    "accounts.tasks.send_notification_emails": "default",
    "accounts.tasks.record_worker_heartbeat": "default",
    "casework.tasks.recompute_open_deadlines": "default",
    "charging.tasks.escalate_overdue_action_items": "default",
    "charging.tasks.finalise_unanswered_action_plans": "default",
}


def queue_of(task_name: str, options: dict[str, Any] | None = None) -> str:
    """The queue Celery sends ``task_name`` to, as ``send_task`` decides it (beat sends through it too)."""
    return str(app.amqp.router.route(dict(options or {}), task_name)["queue"].name)


def project_tasks() -> list[str]:
    app.loader.import_default_modules()  # autodiscovery, as a worker does at start
    return sorted(name for name in app.tasks if not name.startswith("celery."))


def test_the_queues_are_the_five_kinds_of_work() -> None:
    assert settings.CELERY_QUEUE_NAMES == ("default", "quality", "alerts", "metrics", "documents")
    assert {q.name: q.routing_key for q in app.conf.task_queues} == {n: n for n in settings.CELERY_QUEUE_NAMES}


def test_every_task_of_the_project_is_routed_by_name_to_a_known_queue() -> None:
    tasks = project_tasks()
    assert len(tasks) >= len(KIND_OF)
    unrouted = [name for name in tasks if name not in settings.CELERY_TASK_ROUTES]
    assert not unrouted, f"route these tasks in CELERY_TASK_ROUTES (config/settings/base.py): {unrouted}"
    assert {name: queue_of(name) for name in tasks if queue_of(name) not in settings.CELERY_QUEUE_NAMES} == {}
    stale = set(settings.CELERY_TASK_ROUTES) - set(tasks)
    assert not stale, f"routes for tasks that do not exist: {stale}"


def test_celerys_own_tasks_go_to_the_default_queue() -> None:
    project_tasks()
    for name in (n for n in app.tasks if n.startswith("celery.")):
        assert queue_of(name) == "default", name


@pytest.mark.parametrize(("task_name", "queue"), KIND_OF.items())
def test_each_kind_of_work_goes_to_its_queue(task_name: str, queue: str) -> None:
    assert queue_of(task_name) == queue
    # What files.services sends when FILES_TASK_QUEUE is blank: no queue of its own, so the route decides.
    assert queue_of(task_name, {"queue": None}) == queue


def test_an_explicit_queue_still_wins_over_the_route() -> None:
    # FILES_TASK_QUEUE and the tests' own worker queues rely on this.
    assert queue_of("files.tasks_quality.run_quality_checks", {"queue": "test-own"}) == "test-own"


def test_beat_sends_each_periodic_task_to_its_kinds_queue() -> None:
    for key, entry in settings.CELERY_BEAT_SCHEDULE.items():
        assert "queue" not in entry.get("options", {}), f"{key}: leave the queue to CELERY_TASK_ROUTES"
        assert queue_of(entry["task"], entry.get("options")) == KIND_OF[entry["task"]], key


@pytest.mark.django_db(transaction=True)  # the scheduler closes stale connections, as beat does between ticks
def test_beats_database_scheduler_leaves_the_queue_to_the_routes() -> None:
    """django-celery-beat stores the schedule as rows and sends with each row's queue; rows made from
    CELERY_BEAT_SCHEDULE carry none, so the routes apply."""
    from django_celery_beat.models import PeriodicTask
    from django_celery_beat.schedulers import DatabaseScheduler, ModelEntry

    DatabaseScheduler(app=app, lazy=True).setup_schedule()  # writes the rows, as beat does when it starts
    for key, entry in settings.CELERY_BEAT_SCHEDULE.items():
        model_entry = ModelEntry(PeriodicTask.objects.get(name=key), app=app)
        assert model_entry.options.get("queue") is None
        assert queue_of(model_entry.task, model_entry.options) == KIND_OF[entry["task"]], key


# -- deployments read every queue ---------------------------------------------------------------------------


def _worker_queues(command: list[str]) -> set[str]:
    return set(command[command.index("-Q") + 1].split(","))


def test_docker_compose_has_a_worker_service_per_kind_reading_every_queue_once_and_one_beat() -> None:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    workers = {name: s for name, s in services.items() if "worker" in (s.get("command") or [])}
    read = [q for s in workers.values() for q in _worker_queues(s["command"])]
    assert sorted(read) == sorted(settings.CELERY_QUEUE_NAMES), "each queue is read by exactly one worker service"
    assert len(workers) >= 4
    for name in ("worker-quality", "worker-documents"):
        assert "replicas" in workers[name].get("deploy", {}), f"{name} scales with deploy.replicas"
    beats = [s for s in services.values() if "beat" in (s.get("command") or [])]
    assert len(beats) == 1
    assert beats[0]["deploy"]["replicas"] == 1


def test_make_run_starts_one_worker_reading_every_queue() -> None:
    source = (ROOT / "scripts" / "devserver.py").read_text()
    constants = {
        node.targets[0].id: node.value.value
        for node in ast.parse(source).body
        if isinstance(node, ast.Assign)
        and isinstance(node.targets[0], ast.Name)
        and isinstance(node.value, ast.Constant)
    }
    assert set(str(constants["WORKER_QUEUES"]).split(",")) == set(settings.CELERY_QUEUE_NAMES)
    assert '"-Q", WORKER_QUEUES' in source
    assert "run: venv\n\t$(PY) scripts/devserver.py\n" in (ROOT / "Makefile").read_text()


# -- real workers on the real queue names ---------------------------------------------------------------------


@pytest.fixture
def isolated_broker() -> Iterator[dict[str, object]]:
    """A namespace of its own on the test Redis (kombu's ``global_keyprefix``), so workers here can read the
    real queue names without taking messages other test runs on this machine leave on them, and vice versa."""
    if not str(settings.CELERY_BROKER_URL).startswith("redis"):
        pytest.skip("needs Redis: the filesystem broker has no namespaces, and the real queue names are shared")
    prefix = f"cbtest-{uuid.uuid4().hex[:10]}:"
    yield {**settings.CELERY_BROKER_TRANSPORT_OPTIONS, "global_keyprefix": prefix}
    client = redis.Redis.from_url(str(settings.CELERY_BROKER_URL))
    keys = list(client.scan_iter(match=f"{prefix}*"))
    if keys:
        client.delete(*keys)
    client.close()


def _start(queues: str, options: dict[str, object], tmp_path: Path) -> subprocess.Popen[bytes]:
    return start_celery_worker(
        database_url=_database_url(),
        queue=queues,
        log=tmp_path / f"worker-{queues}.log",
        extra_env={"CELERY_BROKER_TRANSPORT_OPTIONS": json.dumps(options)},
    )


def _waiting(options: dict[str, object], queue: str) -> int:
    with app.connection_for_write(transport_options=options) as conn, conn.channel() as channel:
        return int(channel.queue_declare(queue=queue).message_count)


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_quality_check_waits_for_a_quality_worker_and_a_default_worker_never_takes_it(
    isolated_broker: dict[str, object], tmp_path: Path, officer_a: User
) -> None:
    case = cs.case_create(urn="10/AA/24680/26", details=cs.CaseDetails(), by=officer_a)
    draft = FileSubmission.objects.create(
        case=case, stage=FileStage.FIRST_HEARING_GAP, anticipated_plea=AnticipatedPlea.GUILTY, created_by=officer_a
    )
    default_worker = _start("default", isolated_broker, tmp_path)
    quality_worker = None
    try:
        with app.connection_for_write(transport_options=isolated_broker) as conn:
            # As files.services sends it (FILES_TASK_QUEUE blank): no queue named, the route decides.
            run_quality_checks.apply_async(args=[draft.pk], queue=None, connection=conn)
            record_worker_heartbeat.apply_async(connection=conn)
        default_log = tmp_path / "worker-default.log"
        assert wait_for(
            lambda: (
                b"Task accounts.tasks.record_worker_heartbeat[" in default_log.read_bytes()
                and b"succeeded" in default_log.read_bytes()
            )
        )
        # The default worker has taken the later heartbeat from its queue; the check is still waiting in `quality`.
        assert _waiting(isolated_broker, "quality") == 1
        assert not QualityReport.objects.filter(submission=draft).exists()

        quality_worker = _start("quality", isolated_broker, tmp_path)
        assert wait_for(lambda: QualityReport.objects.filter(submission=draft).exists()), "no quality worker ran it"
        assert _waiting(isolated_broker, "quality") == 0
    finally:
        stop_celery_worker(default_worker)
        if quality_worker is not None:
            stop_celery_worker(quality_worker)
    quality_log = (tmp_path / "worker-quality.log").read_text()
    default_log_text = default_log.read_text()
    # "Task <name>[<id>] received": the worker's banner lists every task it knows, whichever queue it reads.
    assert "Task files.tasks_quality.run_quality_checks[" in quality_log
    assert "Task accounts.tasks.record_worker_heartbeat[" not in quality_log
    assert "Task files.tasks_quality.run_quality_checks[" not in default_log_text
