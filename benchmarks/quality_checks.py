"""Benchmark: file quality checks per second per worker process (issue 8; target at least 100 submissions/s).

    . scripts/test-env.sh && .venv/bin/python -m benchmarks.quality_checks                  # 1,000 draft files
    . scripts/test-env.sh && .venv/bin/python -m benchmarks.quality_checks --quick          # 100
    . scripts/test-env.sh && .venv/bin/python -m benchmarks.quality_checks --profile        # where the time goes
    . scripts/test-env.sh && .venv/bin/python -m benchmarks.quality_checks --against HEAD   # and the committed code

Runs in its own database (``<DATABASE_URL's name>_bench_quality_checks``, created and migrated here, dropped at the
end unless ``--keep``), never the development or test one.

The data: N cases of one force, each with a draft file submission for a stage drawn as files are (most for a
first hearing, guilty or not guilty plea, then pre-charge), and what the checks read, in realistic numbers and
with realistic gaps: 1-3 suspects with PNC ids, custody and bail events and 1-2 offences each; 2-5 witnesses
(some vulnerable, most with dates to avoid), 1-2 victims; an MG11 statement for most witnesses, PNC prints,
MG6, MG15, body-worn video, CCTV and photographs, some with a newer version still being scanned; an MG5 case
summary (mostly certified); exhibits linked to documents; unused material on MG6C/MG6D; two points to prove
per offence with their evidence. Written with ``bulk_create`` (the checks read rows, not how they were made).

What is measured, in the same run on the same data:
- baseline: one indexed read of each submission (``FileSubmission.objects.get(pk=...)``);
- in process: ``files.quality.engine.refresh_report`` per submission, the body of the Celery task
  ``run_quality_checks``: lock the draft, gather its facts (a fixed number of queries), run every rule, store
  the report. First with inputs changed (a report is stored), then again with nothing changed (nothing stored);
- through a real worker: one ``celery worker --pool=solo -Q quality`` process (one worker process) on the real
  broker (Redis, in a namespace of its own), the tasks sent as the services send them (routed to ``quality``);
  from the first message sent to the last report stored. Its baseline is the same number of trivial tasks
  through the same worker (checks on a file no longer a draft: one locked read, nothing else).
- with ``--against REV``: the same through a worker running commit REV's code and settings (its files taken with
  ``git archive``; nothing in the checkout changes), up at the same time on a broker namespace of its own, the two
  measured in turn for ``--rounds`` rounds, so that the machine's load falls on both alike.
The reports the worker stores must equal those computed in process (same digests and findings); REV's are
compared too, and said to differ when its rules do.

Wall-clock rates follow the machine's load (it is shared), so CPU time is given as well: of the checking process
(``time.process_time`` in process, ``/proc/<pid>/stat`` for the worker) and of the PostgreSQL server processes
serving it (``/proc/<pid>/stat`` of the backends, when the server runs on this machine). Their sum per check is the
check's cost whatever the load, and its inverse a ceiling on the rate of one worker process (round trips aside).
"""

from __future__ import annotations

import argparse
import cProfile
import hashlib
import io
import json
import os
import pstats
import random
import re
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django
import redis

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.choices import OrganisationKind, Role  # noqa: E402
from accounts.models import Organisation, Unit, User  # noqa: E402
from benchmarks._results import record  # noqa: E402
from casework.choices import (  # noqa: E402
    CustodyEventKind,
    ModeOfTrial,
    OffenceStatus,
    VictimPersonalStatement,
    WitnessVulnerability,
)
from casework.identifiers import pnc_check_letter  # noqa: E402
from casework.models import (  # noqa: E402
    Case,
    CustodyEvent,
    OffenceAllegation,
    OffenceCode,
    Suspect,
    Victim,
    Witness,
    WitnessUnavailability,
)
from config.celery import app  # noqa: E402
from files.choices import (  # noqa: E402
    AnticipatedPlea,
    DocumentKind,
    FileStage,
    RedactionStatus,
    ScanStatus,
    Schedule,
    Sensitivity,
    SubmissionStatus,
)
from files.models import (  # noqa: E402
    CaseSummary,
    Document,
    DocumentVersion,
    Exhibit,
    FileSubmission,
    PointToProve,
    QualityReport,
    UnusedItem,
)
from files.quality.engine import refresh_report  # noqa: E402
from files.tasks_quality import run_quality_checks  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
UNUSABLE = "!"  # an unusable password hash: nobody signs in as benchmark staff
TARGET_PER_SECOND = 100.0
DEFAULT_SUBMISSIONS = 1000
QUICK_SUBMISSIONS = 100

# Stages and pleas as files come: (stage, plea, weight).
STAGES = (
    (FileStage.FIRST_HEARING_GAP, AnticipatedPlea.GUILTY, 35),
    (FileStage.FIRST_HEARING_NGAP, AnticipatedPlea.NOT_GUILTY, 22),
    (FileStage.PRE_CHARGE_FCT, AnticipatedPlea.UNKNOWN, 20),
    (FileStage.FIRST_HEARING_CROWN, AnticipatedPlea.NOT_GUILTY, 8),
    (FileStage.PRE_CHARGE_TT, AnticipatedPlea.UNKNOWN, 5),
    (FileStage.EARLY_ADVICE, AnticipatedPlea.UNKNOWN, 5),
    (FileStage.MAGS_TRIAL_UPGRADE, AnticipatedPlea.NOT_GUILTY, 5),
)
PRE_CHARGE = (FileStage.PRE_CHARGE_FCT, FileStage.PRE_CHARGE_TT, FileStage.EARLY_ADVICE)
OFFENCES = (
    ("CJ88001", "Common assault", "CS", ModeOfTrial.SUMMARY_ONLY, ""),
    ("TH68001", "Theft from the person of another", "CE", ModeOfTrial.EITHER_WAY, ""),
    ("TH68010", "Theft from a shop", "CE", ModeOfTrial.EITHER_WAY, ""),
    ("OF61016", "Wounding with intent to do grievous bodily harm", "CI", ModeOfTrial.INDICTABLE_ONLY, "gbh_abh"),
    ("OF61006", "Assault occasioning actual bodily harm", "CE", ModeOfTrial.EITHER_WAY, "gbh_abh"),
    ("PH97003", "Harassment without violence", "CS", ModeOfTrial.SUMMARY_ONLY, "harassment_stalking"),
    ("CD71001", "Criminal damage", "CE", ModeOfTrial.EITHER_WAY, ""),
    ("RT88191", "Drive with excess alcohol", "CS", ModeOfTrial.SUMMARY_ONLY, ""),
    ("MD71230", "Possess a controlled drug of class B", "CE", ModeOfTrial.EITHER_WAY, ""),
    ("TH68023", "Burglary dwelling and theft", "CE", ModeOfTrial.EITHER_WAY, ""),
)
FIRST_NAMES = ("John", "Mary", "Amir", "Grace", "Tomasz", "Aisha", "Liam", "Chloe", "Kwame", "Sofia", "Owen", "Priya")
LAST_NAMES = ("Smith", "Jones", "Khan", "Brown", "Nowak", "Taylor", "Patel", "Evans", "Okafor", "Walsh", "Hughes")


# -- data -------------------------------------------------------------------------------------------------------


def make_staff() -> tuple[Organisation, User, User]:
    area = Organisation.objects.create(kind=OrganisationKind.CPS_AREA, code="bench-area", name="CPS Bench")
    force = Organisation.objects.create(
        kind=OrganisationKind.POLICE_FORCE, code="10", name="Bench Constabulary", served_by=area
    )
    unit = Unit.objects.create(organisation=force, code="AA", name="Response")
    officer = User.objects.create(
        username="bench-oic", organisation=force, unit=unit, roles=[Role.POLICE_INVESTIGATOR], password=UNUSABLE
    )
    supervisor = User.objects.create(
        username="bench-sup", organisation=force, unit=unit, roles=[Role.POLICE_SUPERVISOR], password=UNUSABLE
    )
    return force, officer, supervisor


def _pnc(rng: random.Random) -> str:
    year, serial = str(rng.randint(2005, 2025)), str(rng.randint(1, 9_999_999))
    return f"{year}/{int(serial):07d}{pnc_check_letter(year, serial)}"


def _name(rng: random.Random) -> dict[str, str]:
    return {"first_names": rng.choice(FIRST_NAMES), "last_name": rng.choice(LAST_NAMES)}


def _sha(rng: random.Random) -> str:
    return hashlib.sha256(rng.randbytes(16)).hexdigest()


def build(n: int, seed: int) -> list[int]:
    """N cases with their draft files; returns the submissions' ids."""
    rng = random.Random(seed)
    force, officer, supervisor = make_staff()
    unit = Unit.objects.get(organisation=force)
    codes = OffenceCode.objects.bulk_create(
        OffenceCode(code=c, title=t, category=cat, mode_of_trial=mode, dg6_group=group)
        for c, t, cat, mode, group in OFFENCES
    )
    today = timezone.localdate()
    now = timezone.now()
    cases = Case.objects.bulk_create(
        Case(
            urn=f"10AA{i:07d}26",
            urn_as_entered=f"10/AA/{i:07d}/26",
            force=force,
            unit=unit,
            cps_area=force.served_by,
            officer_in_case=officer if rng.random() < 0.95 else None,
            supervisor=supervisor,
            summary="Benchmark case",
            flags=sorted(
                rng.sample(["domestic_abuse", "vulnerable_victim", "youth", "hate_crime"], k=rng.choice((0, 0, 1)))
            ),
            created_by=officer,
        )
        for i in range(1, n + 1)
    )
    plan = {c.pk: rng.choices(STAGES, weights=[w for *_, w in STAGES])[0] for c in cases}

    suspects = Suspect.objects.bulk_create(
        Suspect(
            case=c,
            date_of_birth=date(rng.randint(1960, 2006), rng.randint(1, 12), rng.randint(1, 28)),
            pnc_id=_pnc(rng) if rng.random() < 0.9 else "",
            **_name(rng),
        )
        for c in cases
        for _ in range(rng.choice((1, 1, 1, 2, 2, 3)))
    )
    events: list[CustodyEvent] = []
    offences: list[OffenceAllegation] = []
    for s in suspects:
        stage = plan[s.case_id][0]
        arrested = now - timedelta(days=rng.randint(1, 60))
        events.append(
            CustodyEvent(
                suspect=s,
                kind=CustodyEventKind.DETAINED,
                occurred_at=arrested,
                authority="custody_officer",
                recorded_by=officer,
            )
        )
        later = CustodyEventKind.PRE_CHARGE_BAIL if stage in PRE_CHARGE else CustodyEventKind.CHARGED_AND_BAILED
        if rng.random() < 0.2:
            later = CustodyEventKind.RELEASED_UNDER_INVESTIGATION if stage in PRE_CHARGE else later
        events.append(
            CustodyEvent(
                suspect=s,
                kind=later,
                occurred_at=arrested + timedelta(hours=rng.randint(4, 30)),
                bail_regime="pcsc_2022" if "bail" in later else "",
                authority="custody_officer",
                recorded_by=officer,
            )
        )
        for _ in range(rng.choice((1, 1, 2))):
            committed = today - timedelta(days=rng.randint(2, 120))
            offences.append(
                OffenceAllegation(
                    case_id=s.case_id,
                    suspect=s,
                    offence_code=rng.choice(codes),
                    committed_on=committed,
                    status=OffenceStatus.ALLEGED if stage in PRE_CHARGE else OffenceStatus.CHARGED,
                    location="High Street",
                    particulars="Benchmark particulars of the offence.",
                )
            )
    CustodyEvent.objects.bulk_create(events)
    offences = OffenceAllegation.objects.bulk_create(offences)

    witnesses = Witness.objects.bulk_create(
        Witness(
            case=c,
            is_key=k == 0,
            vulnerability=WitnessVulnerability.VULNERABLE if rng.random() < 0.1 else WitnessVulnerability.NONE,
            no_dates_to_avoid=rng.random() < 0.2,
            **_name(rng),
        )
        for c in cases
        for k in range(rng.randint(2, 5))
    )
    WitnessUnavailability.objects.bulk_create(
        WitnessUnavailability(
            witness=w, starts_on=today + timedelta(days=30), ends_on=today + timedelta(days=44), reason="Holiday"
        )
        for w in witnesses
        if not w.no_dates_to_avoid and rng.random() < 0.75
    )
    Victim.objects.bulk_create(
        Victim(
            case=c,
            contact_details="07700 900123",
            personal_statement=rng.choice(list(VictimPersonalStatement)),
            first_statement_on=today - timedelta(days=rng.randint(1, 30)),
            **_name(rng),
        )
        for c in cases
        for _ in range(rng.choice((1, 1, 2)))
    )

    by_case: dict[int, dict[str, list[Any]]] = {c.pk: {"suspects": [], "witnesses": [], "offences": []} for c in cases}
    for s in suspects:
        by_case[s.case_id]["suspects"].append(s)
    for w in witnesses:
        by_case[w.case_id]["witnesses"].append(w)
    for o in offences:
        by_case[o.case_id]["offences"].append(o)

    documents: list[Document] = []

    def doc(case: Case, kind: str, **extra: Any) -> None:
        documents.append(Document(case=case, kind=kind, title=DocumentKind(kind).label, created_by=officer, **extra))

    for c in cases:
        people = by_case[c.pk]
        for w in people["witnesses"]:
            if rng.random() < 0.9:
                doc(c, DocumentKind.MG11, witness=w)
        for s in people["suspects"]:
            if rng.random() < 0.85:
                doc(c, DocumentKind.PNC_PRINT, suspect=s)
            if rng.random() < 0.7:
                doc(c, DocumentKind.MG15, suspect=s)
        for kind, share in ((DocumentKind.MG6, 0.85), (DocumentKind.MG6C, 0.6), (DocumentKind.MG9, 0.5)):
            if rng.random() < share:
                doc(c, kind)
        for kind in rng.sample(
            [DocumentKind.BODY_WORN_VIDEO, DocumentKind.CCTV, DocumentKind.PHOTOGRAPH], k=rng.randint(0, 3)
        ):
            doc(
                c,
                kind,
                redaction_status=rng.choice(
                    [RedactionStatus.NOT_REQUIRED, RedactionStatus.REQUIRED, RedactionStatus.REDACTED]
                ),
            )
        if rng.random() < 0.05:
            doc(c, DocumentKind.OTHER, sensitivity=Sensitivity.SENSITIVE)
    documents = Document.objects.bulk_create(documents)

    versions: list[DocumentVersion] = []
    for d in documents:
        count = 2 if rng.random() < 0.15 else 1
        for number in range(1, count + 1):
            newest = number == count
            status = ScanStatus.PENDING if newest and count > 1 and rng.random() < 0.2 else ScanStatus.CLEAN
            versions.append(
                DocumentVersion(
                    document=d,
                    number=number,
                    file=f"bench/{d.case_id}/{uuid.uuid4().hex}.pdf",
                    original_name=f"{d.kind}-v{number}.pdf",
                    size=rng.randint(20_000, 2_000_000),
                    sha256=_sha(rng),
                    mime_type="application/pdf",
                    scan_status=status,
                    scanned_at=now if status != ScanStatus.PENDING else None,
                    uploaded_by=officer,
                )
            )
    DocumentVersion.objects.bulk_create(versions, batch_size=2000)

    docs_of: dict[int, list[Document]] = {}
    for d in documents:
        docs_of.setdefault(d.case_id, []).append(d)
    exhibits: list[Exhibit] = []
    exhibit_docs: list[tuple[int, Document]] = []
    for c in cases:
        for number in range(1, rng.randint(0, 3) + 1):
            exhibits.append(
                Exhibit(
                    case=c,
                    reference=f"AB/{number}",
                    producer_name="Alan Brown",
                    producer_initials="AB",
                    number=number,
                    description="Mobile phone",
                    location="Property store",
                    created_by=officer,
                )
            )
    exhibits = Exhibit.objects.bulk_create(exhibits)
    through = Exhibit.documents.through
    links = []
    for e in exhibits:
        candidates = docs_of.get(e.case_id, [])
        if candidates:
            d = rng.choice(candidates)
            links.append(through(exhibit_id=e.pk, document_id=d.pk))
            exhibit_docs.append((e.pk, d))
    through.objects.bulk_create(links, ignore_conflicts=True)

    UnusedItem.objects.bulk_create(
        UnusedItem(
            case=c,
            schedule=Schedule.MG6D if rng.random() < 0.1 else Schedule.MG6C,
            item_number=i,
            description="Officer's pocket notebook",
            location="Station",
            rebuttable_presumption=rng.random() < 0.3,
            created_by=officer,
        )
        for c in cases
        for i in range(1, rng.randint(1, 5) + 1)
    )
    CaseSummary.objects.bulk_create(
        CaseSummary(
            case=c,
            summary="On the day the suspect took a phone from the victim's hand and ran.",
            interview_summary=" ".join(["The suspect answered no comment to every question."] * rng.randint(0, 6)),
            certified_by=supervisor if rng.random() < 0.7 else None,
            certified_at=now if rng.random() < 0.7 else None,
        )
        for c in cases
        if rng.random() < 0.85
    )
    points = PointToProve.objects.bulk_create(
        PointToProve(case_id=o.case_id, offence=o, text=text, order=k)
        for o in offences
        for k, text in enumerate(("Identification of the suspect", "The act and the intent"))
    )
    statement_of = {c: [d for d in ds if d.kind == DocumentKind.MG11] for c, ds in docs_of.items()}
    exhibits_of: dict[int, list[int]] = {}
    for e in exhibits:
        exhibits_of.setdefault(e.case_id, []).append(e.pk)
    point_docs = PointToProve.evidence_documents.through
    point_exhibits = PointToProve.evidence_exhibits.through
    point_docs.objects.bulk_create(
        (
            point_docs(pointtoprove_id=p.pk, document_id=rng.choice(statement_of[p.case_id]).pk)
            for p in points
            if statement_of.get(p.case_id) and rng.random() < 0.85
        ),
        ignore_conflicts=True,
    )
    point_exhibits.objects.bulk_create(
        (
            point_exhibits(pointtoprove_id=p.pk, exhibit_id=rng.choice(exhibits_of[p.case_id]))
            for p in points
            if exhibits_of.get(p.case_id) and rng.random() < 0.3
        ),
        ignore_conflicts=True,
    )
    submissions = FileSubmission.objects.bulk_create(
        FileSubmission(case=c, stage=plan[c.pk][0], anticipated_plea=plan[c.pk][1], created_by=officer) for c in cases
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return [s.pk for s in submissions]


# -- measuring ----------------------------------------------------------------------------------------------------


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def reports() -> dict[int, tuple[str, Any]]:
    return {
        sid: (digest, findings)
        for sid, digest, findings in QualityReport.objects.values_list("submission_id", "inputs_digest", "findings")
    }


def _database_url() -> str:
    db = connection.settings_dict
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or "5432"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    if host.startswith("/"):
        return f"postgres://{db['USER']}{password}@/{db['NAME']}?host={host}&port={port}"
    return f"postgres://{db['USER']}{password}@{host}:{port}/{db['NAME']}"


# -- CPU time: the machine is shared, so wall-clock rates move with its load; CPU time per check does not --------


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU time of a local process (``/proc/<pid>/stat``), or None when it is not readable."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _database_is_local() -> bool:
    host = connection.settings_dict.get("HOST") or ""
    return host in ("", "localhost", "127.0.0.1", "::1") or host.startswith("/")


class ServerCpu:
    """CPU time of the PostgreSQL server processes serving a set of connections to the benchmark database: its
    own (``own=True``, the in-process figures) or every other one (the worker's). Sampled while waiting, because
    the worker's Django connection is replaced every ``CELERY_DB_REUSE_MAX`` tasks and an ended process can no
    longer be read; a process first seen after the start counts from zero. None when the server is not on this
    machine."""

    def __init__(self, *, own: bool) -> None:
        self.own = own
        self.local = _database_is_local()
        self.start: dict[int, float] = {}
        self.last: dict[int, float] = {}
        self.start = self._read()

    def _read(self) -> dict[int, float]:
        if not self.local:
            return {}
        where = "pid = pg_backend_pid()" if self.own else "pid <> pg_backend_pid()"
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND {where}"  # noqa: S608
                " AND backend_type = 'client backend'"
            )
            pids = [row[0] for row in cursor.fetchall()]
        found = {pid: cpu_seconds(pid) for pid in pids}
        return {pid: cpu for pid, cpu in found.items() if cpu is not None}

    def sample(self) -> None:
        self.last.update(self._read())

    def seconds(self) -> float | None:
        self.sample()
        if not self.local or not self.last:
            return None
        return sum(cpu - self.start.get(pid, 0.0) for pid, cpu in self.last.items())


def cpu_ms(seconds: float | None, n: int) -> float | None:
    return None if seconds is None else round(seconds / n * 1000, 3)


def show_cpu(label: str, client_ms: float | None, server_ms: float | None) -> str:
    if client_ms is None:
        return ""
    if server_ms is None:
        return f"{label} {client_ms:.2f} ms CPU"
    total = client_ms + server_ms
    return f"{label} {client_ms:.2f} + PostgreSQL {server_ms:.2f} = {total:.2f} ms CPU (at most {1000 / total:,.0f}/s)"


# -- through a real worker ----------------------------------------------------------------------------------------


@dataclass
class Contender:
    """A worker process to measure: this checkout's code, or another commit's (``--against``), run from ``tree``.
    Each reads its own broker namespace, so that both can stay up and be measured in turn."""

    label: str
    tree: Path
    log: Path
    options: dict[str, object]
    process: subprocess.Popen[bytes] | None = None
    rounds: list[dict[str, float]] = field(default_factory=list)
    reports: dict[int, tuple[str, Any]] = field(default_factory=dict)

    def total(self, key: str) -> float:
        return sum(r[key] for r in self.rounds)


def extract_commit(rev: str, into: Path) -> str:
    """The files of commit ``rev`` (``git archive``: reads the repository, changes nothing in the checkout)."""
    sha = subprocess.run(  # noqa: S603
        ["git", "rev-parse", "--verify", f"{rev}^{{commit}}"],  # noqa: S607
        cwd=ROOT, capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    archive = subprocess.run(["git", "archive", sha], cwd=ROOT, capture_output=True, check=True)  # noqa: S603, S607
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(into, filter="data")
    return sha


@contextmanager
def quality_worker(contender: Contender) -> Iterator[subprocess.Popen[bytes]]:
    """One worker process (``--pool=solo``) reading the ``quality`` queue, on the benchmark's database, with the
    settings of its tree (its prefetch multiplier, its connection reuse)."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": _database_url(),
        "CELERY_BROKER_TRANSPORT_OPTIONS": json.dumps(contender.options),
    }
    command = [
        sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo", "-Q", "quality",
        "--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel=INFO",
        f"--hostname=bench-quality-{uuid.uuid4().hex[:8]}@%h",
    ]  # fmt: skip
    log = contender.log
    with open(log, "wb") as out:
        # cwd first on sys.path (python -m): the tree's own packages, not the checkout's.
        process = subprocess.Popen(command, cwd=contender.tree, env=env, stdout=out, stderr=subprocess.STDOUT)  # noqa: S603
    try:
        deadline = time.monotonic() + 120
        while b"ready." not in log.read_bytes():
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the Celery worker did not start:\n{log.read_text()}")
            time.sleep(0.1)
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()


def wait_until(predicate: Callable[[], bool], timeout: float, server: ServerCpu | None = None) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise RuntimeError("the worker did not finish in time")
        if server is not None:
            server.sample()
        time.sleep(0.05)


def worker_round(contender: Contender, ids: list[int], trivial_id: int, marker_id: int) -> dict[str, float]:
    """Trivial tasks, then the checks, through the contender's worker; wall time and CPU time of each phase."""
    assert contender.process is not None
    pid = contender.process.pid
    n = len(ids)
    with app.connection_for_write(transport_options=contender.options) as conn:
        # Baseline: as many trivial tasks, then one real check as a marker (the solo worker runs them in order).
        QualityReport.objects.filter(submission_id=marker_id).delete()
        cpu0, server, start = cpu_seconds(pid), ServerCpu(own=False), time.perf_counter()
        for _ in ids:
            run_quality_checks.apply_async(args=[trivial_id], connection=conn)
        run_quality_checks.apply_async(args=[marker_id], connection=conn)
        wait_until(lambda: QualityReport.objects.filter(submission_id=marker_id).exists(), 600, server)
        trivial, trivial_cpu, trivial_server = time.perf_counter() - start, cpu_seconds(pid), server.seconds()

        QualityReport.objects.all().delete()
        cpu1, server, start = cpu_seconds(pid), ServerCpu(own=False), time.perf_counter()
        for pk in ids:
            run_quality_checks.apply_async(args=[pk], connection=conn)  # routed: no queue named
        sent = time.perf_counter() - start
        wait_until(lambda: QualityReport.objects.count() >= n, 1800, server)
        checks, checks_cpu, checks_server = time.perf_counter() - start, cpu_seconds(pid), server.seconds()
    contender.reports = reports()
    figures = {"trivial": trivial, "send": sent, "checks": checks}
    if None not in (cpu0, trivial_cpu, cpu1, checks_cpu):
        figures.update(trivial_cpu=trivial_cpu - cpu0, checks_cpu=checks_cpu - cpu1)  # type: ignore[operator]
    if trivial_server is not None and checks_server is not None:
        figures.update(trivial_server=trivial_server, checks_server=checks_server)
    return figures


def body_medians(contender: Contender, n: int) -> tuple[float, float]:
    """The worker's own timing of each task body ("succeeded in 0.0123s"), medians of its last round: the rest of
    the wall time is Celery and the broker."""
    text = contender.log.read_text()
    failures = text.count("raised unexpected")
    if failures:
        raise RuntimeError(f"{failures} tasks failed in the worker; see {contender.log}")
    inside = [float(m) for m in re.findall(r"run_quality_checks\[[^]]+\] succeeded in ([0-9.e-]+)s", text)]
    last = inside[-(2 * n + 1) :]  # n trivial tasks, the marker, n checks
    return statistics.median(last[-n:]), statistics.median(last[:n])


def through_workers(contenders: list[Contender], ids: list[int], trivial_id: int, rounds: int) -> None:
    """Each contender's worker up at once (each on its own broker namespace), measured in turn, ``rounds``
    times, so that a change in the machine's load falls on all of them alike."""
    prefixes = [str(c.options["global_keyprefix"]) for c in contenders]
    try:
        with ExitStack() as stack:
            for contender in contenders:
                contender.process = stack.enter_context(quality_worker(contender))
            for _ in range(rounds):
                for contender in contenders:
                    contender.rounds.append(worker_round(contender, ids, trivial_id, marker_id=ids[-1]))
    finally:
        client = redis.Redis.from_url(str(settings.CELERY_BROKER_URL))
        for prefix in prefixes:
            keys = list(client.scan_iter(match=f"{prefix}*"))
            if keys:
                client.delete(*keys)
        client.close()


def worker_figures(contender: Contender, n: int) -> dict[str, Any]:
    """Per-check figures of a contender over all its rounds."""
    count = n * len(contender.rounds)
    checks, trivial = contender.total("checks"), contender.total("trivial")
    inside_checks, inside_trivial = body_medians(contender, n)
    figures: dict[str, Any] = {
        "stored_per_s": round(count / checks, 1),
        "stored_ms": round(checks / count * 1000, 3),
        "trivial_ms": round(trivial / count * 1000, 3),
        "ratio_to_trivial": round(checks / trivial, 2),
        "per_round_stored_per_s": [round(n / r["checks"], 1) for r in contender.rounds],
        "task_body_median_ms": round(inside_checks * 1000, 3),
        "trivial_body_median_ms": round(inside_trivial * 1000, 3),
    }
    if all("checks_cpu" in r for r in contender.rounds):
        figures.update(
            cpu_ms=cpu_ms(contender.total("checks_cpu"), count),
            trivial_cpu_ms=cpu_ms(contender.total("trivial_cpu"), count),
        )
    if all("checks_server" in r for r in contender.rounds):
        figures.update(
            server_cpu_ms=cpu_ms(contender.total("checks_server"), count),
            trivial_server_cpu_ms=cpu_ms(contender.total("trivial_server"), count),
        )
    return figures


def print_worker(label: str, f: dict[str, Any]) -> None:
    print(f"through a worker ({label}):")
    print(f"  trivial task:                  {f['trivial_ms']:7.2f} ms each  ({1000 / f['trivial_ms']:8,.0f}/s)")
    rounds = ", ".join(f"{r:,.0f}" for r in f["per_round_stored_per_s"])
    print(
        f"  report stored:                 {f['stored_ms']:7.2f} ms each  ({f['stored_per_s']:8,.0f}/s)  "
        f"{f['ratio_to_trivial']:.1f}x the trivial task  (rounds: {rounds}/s)"
    )
    print(
        f"  task body (median, as the worker times it): check {f['task_body_median_ms']:.2f} ms, "
        f"trivial {f['trivial_body_median_ms']:.2f} ms"
    )
    cpu = show_cpu("  CPU per check: worker", f.get("cpu_ms"), f.get("server_cpu_ms"))
    if cpu:
        print(cpu)
        print(show_cpu("  CPU per trivial task: worker", f.get("trivial_cpu_ms"), f.get("trivial_server_cpu_ms")))


def profile(ids: list[int]) -> None:
    QualityReport.objects.filter(submission_id__in=ids).delete()
    profiler = cProfile.Profile()
    profiler.enable()
    for pk in ids:
        refresh_report(pk)
    profiler.disable()
    print(f"\n== profile of {len(ids)} checks (cumulative time, top 25)")
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)


def measure_workers(
    ids: list[int], in_process: dict[int, tuple[str, Any]], *, against: str | None, rounds: int
) -> dict[str, Any]:
    """This checkout's worker, and with ``against`` the worker of that commit on the same data and broker, in
    turn; the worker's reports must be those computed in process."""
    n = len(ids)
    submitted = FileSubmission.objects.create(
        case_id=FileSubmission.objects.get(pk=ids[0]).case_id,
        stage=FileStage.FIRST_HEARING_GAP,
        anticipated_plea=AnticipatedPlea.GUILTY,
        status=SubmissionStatus.SUBMITTED,
        created_by=User.objects.get(username="bench-oic"),
    )
    scratch = Path(tempfile.mkdtemp(prefix="bench-quality-"))

    def contender(label: str, tree: Path) -> Contender:
        prefix = f"bench-{uuid.uuid4().hex[:10]}:"
        options = {**settings.CELERY_BROKER_TRANSPORT_OPTIONS, "global_keyprefix": prefix}
        return Contender(label, tree, scratch / f"worker-{prefix[6:-1]}.log", options)

    contenders = [contender("this checkout", ROOT)]
    sha = ""
    if against:
        sha = extract_commit(against, scratch / "tree")
        contenders.append(contender(f"{against} = {sha[:10]}", scratch / "tree"))
    try:
        through_workers(contenders, ids, submitted.pk, rounds)
        ours = contenders[0]
        assert ours.reports == in_process, "the worker's reports differ from those computed in process"
        figures: dict[str, Any] = {}
        for c in contenders:
            f = worker_figures(c, n)
            print_worker(c.label, f)
            if c is ours:
                figures.update({f"worker_{k}": v for k, v in f.items()}, worker_reports_equal_in_process=True)
            else:
                same = c.reports == in_process
                print(f"  its reports equal this checkout's (digests and findings): {same}")
                figures["against"] = {"rev": against, "commit": sha, **f, "reports_equal": same}
        if against:
            theirs = figures["against"]
            speedup = figures["worker_stored_per_s"] / theirs["stored_per_s"]
            line = f"this checkout / {against}: {speedup:.2f}x the checks per second through a worker"
            if figures.get("worker_cpu_ms") and theirs.get("cpu_ms"):
                ours_cpu = figures["worker_cpu_ms"] + (figures.get("worker_server_cpu_ms") or 0)
                their_cpu = theirs["cpu_ms"] + (theirs.get("server_cpu_ms") or 0)
                line += f"; {their_cpu / ours_cpu:.2f}x less CPU per check (worker and PostgreSQL)"
                figures["against"]["cpu_ratio"] = round(their_cpu / ours_cpu, 2)
            figures["against"]["speedup"] = round(speedup, 2)
            print(line)
        return figures
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def run(n: int, seed: int, *, worker: bool, do_profile: bool, against: str | None, rounds: int) -> dict[str, Any]:
    generation, ids = timed(lambda: build(n, seed))
    counts = {
        model.__name__: model.objects.count()
        for model in (
            Case,
            Suspect,
            OffenceAllegation,
            Witness,
            Victim,
            Document,
            DocumentVersion,
            Exhibit,
            UnusedItem,
            PointToProve,
        )
    }
    print(f"generated in {generation:.1f} s: " + ", ".join(f"{v:,} {k}" for k, v in counts.items()))

    base, _ = timed(lambda: [FileSubmission.objects.get(pk=pk) for pk in ids])
    with CaptureQueriesContext(connection) as queries:
        refresh_report(ids[0])
    QualityReport.objects.filter(submission_id=ids[0]).delete()
    server, cpu0 = ServerCpu(own=True), time.process_time()
    first, stored = timed(lambda: [refresh_report(pk) for pk in ids])
    first_cpu, first_server = time.process_time() - cpu0, server.seconds()
    assert all(r is not None for r in stored), "a check with changed inputs stored no report"
    server, cpu0 = ServerCpu(own=True), time.process_time()
    again, unchanged = timed(lambda: [refresh_report(pk) for pk in ids])
    again_cpu, again_server = time.process_time() - cpu0, server.seconds()
    assert all(r is None for r in unchanged), "a check with nothing changed stored a report"
    in_process = reports()
    blocking = sum(r.blocking_count for r in stored) / n
    advisory = sum(r.advisory_count for r in stored) / n

    print(f"submissions:                     {n:,} drafts; findings: {blocking:.1f} blocking, {advisory:.1f} advisory")
    print(f"queries per check:               {len(queries)}")
    print(f"baseline: indexed read           {base / n * 1000:7.2f} ms each  ({n / base:8,.0f}/s)")
    print(
        f"in process, report stored:       {first / n * 1000:7.2f} ms each  ({n / first:8,.0f}/s)  "
        f"{first / base:.1f}x the read"
    )
    print(show_cpu("  CPU per check: Python", cpu_ms(first_cpu, n), cpu_ms(first_server, n)))
    print(
        f"in process, nothing changed:     {again / n * 1000:7.2f} ms each  ({n / again:8,.0f}/s)  "
        f"{again / base:.1f}x the read"
    )
    print(show_cpu("  CPU per check: Python", cpu_ms(again_cpu, n), cpu_ms(again_server, n)))
    figures: dict[str, Any] = {
        "submissions": n,
        "generation_s": round(generation, 2),
        "rows": counts,
        "queries_per_check": len(queries),
        "findings_per_file": {"blocking": round(blocking, 2), "advisory": round(advisory, 2)},
        "baseline_read_ms": round(base / n * 1000, 3),
        "in_process_stored_per_s": round(n / first, 1),
        "in_process_stored_ms": round(first / n * 1000, 3),
        "in_process_stored_cpu_ms": cpu_ms(first_cpu, n),
        "in_process_stored_server_cpu_ms": cpu_ms(first_server, n),
        "in_process_unchanged_per_s": round(n / again, 1),
        "in_process_unchanged_cpu_ms": cpu_ms(again_cpu, n),
        "in_process_unchanged_server_cpu_ms": cpu_ms(again_server, n),
        "in_process_ratio_to_read": round(first / base, 2),
    }

    if worker:
        if not str(settings.CELERY_BROKER_URL).startswith("redis"):
            print("through a worker:                skipped (needs Redis; the filesystem broker is not measured)")
        else:
            figures.update(measure_workers(ids, in_process, against=against, rounds=rounds))
    if do_profile:
        profile(ids[: min(200, n)])
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--submissions", type=int, default=None, help=f"draft files (default {DEFAULT_SUBMISSIONS:,})")
    parser.add_argument("--quick", action="store_true", help=f"a quick run: {QUICK_SUBMISSIONS} draft files")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-worker", action="store_true", help="measure in process only")
    parser.add_argument("--profile", action="store_true", help="print a cProfile of the checks")
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database afterwards")
    parser.add_argument(
        "--against",
        metavar="REV",
        help="also measure the worker of this git commit (e.g. HEAD: the code before uncommitted changes) on the "
        "same data and broker, in turn with this checkout's",
    )
    parser.add_argument(
        "--rounds", type=int, default=None, help="rounds of worker measurement (default 1; 2 with --against)"
    )
    parser.add_argument("--no-record", action="store_true", help="print only; write nothing to benchmarks/results")
    args = parser.parse_args(argv)
    rounds = args.rounds or (2 if args.against else 1)
    n = args.submissions or (QUICK_SUBMISSIONS if args.quick else DEFAULT_SUBMISSIONS)

    db = connection.settings_dict
    original_name = db["NAME"]
    db["TEST"] = {**db.get("TEST", {}), "NAME": f"{db['NAME']}_bench_quality_checks"}
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False, keepdb=False)
    print(f"quality checks benchmark: database {connection.settings_dict['NAME']}, {os.cpu_count()} CPUs")
    failed = False
    try:
        figures = run(
            n, args.seed, worker=not args.no_worker, do_profile=args.profile, against=args.against, rounds=rounds
        )
        print("\n== summary")
        verdicts = []
        for key, label in (("in_process_stored_per_s", "in process"), ("worker_stored_per_s", "through a worker")):
            if key in figures:
                ok = figures[key] >= TARGET_PER_SECOND
                failed |= not ok
                verdicts.append(f"{label} {figures[key]:,.0f}/s ({'met' if ok else 'MISSED'})")
        print(
            f"{n:,} draft files, target >= {TARGET_PER_SECOND:.0f} checks/s per worker process: " + "; ".join(verdicts)
        )
        if not args.no_record:
            record(
                "quality_checks",
                figures,
                {
                    "in_process_stored_per_s": f">= {TARGET_PER_SECOND:.0f}",
                    "worker_stored_per_s": f">= {TARGET_PER_SECOND:.0f}",
                },
            )
    finally:
        if not args.keep:
            connection.creation.destroy_test_db(original_name, verbosity=0)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
