"""The quality check sent through the real broker is run by a real worker process and stores a
quality report. Needs ``from . import tasks_quality`` in ``files/tasks.py`` (Celery autodiscovers
``files.tasks`` only)."""

from __future__ import annotations

import subprocess

import pytest

from accounts.models import User
from casework.models import Case
from files.choices import AnticipatedPlea, FileStage
from files.models import FileSubmission, QualityReport
from files.tasks_quality import run_quality_checks
from tests.tasks.conftest import wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_a_quality_check_travels_through_the_broker_and_stores_a_report(
    case_a: Case, officer_a: User, celery_worker_process: subprocess.Popen[bytes], celery_queue: str
) -> None:
    import files.tasks

    # The worker finds tasks through files.tasks; without this it would drop the message unread.
    assert hasattr(files.tasks, "tasks_quality"), "add `from . import tasks_quality  # noqa` to files/tasks.py"
    submission = FileSubmission.objects.create(
        case=case_a, stage=FileStage.FIRST_HEARING_GAP, anticipated_plea=AnticipatedPlea.GUILTY, created_by=officer_a
    )
    run_quality_checks.apply_async(args=[submission.pk], queue=celery_queue)
    assert wait_for(lambda: QualityReport.objects.filter(submission=submission).exists()), "the worker never ran it"
    report = QualityReport.objects.get(submission=submission)
    assert report.blocking_count > 0  # an empty case: no suspect, offence, MG5...
    assert not report.on_submission

    # Sent again with nothing changed, it stores nothing (idempotent).
    run_quality_checks.apply_async(args=[submission.pk], queue=celery_queue)
    marker = FileSubmission.objects.create(
        case=case_a, stage=FileStage.EARLY_ADVICE, anticipated_plea=AnticipatedPlea.UNKNOWN, created_by=officer_a
    )
    run_quality_checks.apply_async(args=[marker.pk], queue=celery_queue)  # the solo worker runs them in order
    assert wait_for(lambda: QualityReport.objects.filter(submission=marker).exists())
    assert QualityReport.objects.filter(submission=submission).count() == 1
    assert celery_worker_process.poll() is None
