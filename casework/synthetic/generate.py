"""``generate``: a national synthetic data set loaded into the current database in one transaction.

Order of work:

1. the reference data (loaded if the database has none), the public holidays, and the staff
   (``organisations.build_reference``);
2. in the one transaction: triggers off for the load if allowed, the B-tree indexes other than primary keys
   dropped (``copy.deferred_indexes``), then chunk after chunk of cases built (by worker processes when there
   are several chunks) and COPY'd in table order, with the history rows the triggers would have written added
   every ``HISTORY_BATCH`` chunks;
3. the last history rows, the indexes built again, the id sequences moved past the generated ids, statistics
   gathered, the foreign keys checked (``copy.verify_foreign_keys``); then commit.

Speed (``benchmarks/synthetic_generate.py`` measures it): the cases are built by ``workers`` processes (one per
CPU by default) while this process COPYs the previous chunks, so the worker processes and the database server
share the cores; what the server must do alone at the end (build the B-tree indexes, with parallel workers, and
gather statistics) is kept short. The worker processes encode the COPY text themselves: this process and the
server are one pipeline, the floor under the whole run.

A database that already holds synthetic data (synthetic staff exist) is refused unless ``reset=True``, which
removes the previous synthetic data first (``reset``); see ``casework/synthetic/__init__.py``.
"""

from __future__ import annotations

import contextlib
import gc
import math
import multiprocessing
import multiprocessing.pool
import os
import shutil
import tempfile
import time
from collections import Counter, deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from datetime import time as dtime

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import connection, models, transaction
from django.db.backends.utils import CursorWrapper

from casework.deadlines.holidays import load_public_holidays
from casework.models import PublicHoliday
from files.models import DocumentVersion

from . import copy as bulk
from .chunk import ChunkBuilder, ChunkResult, build_chunk, init_worker, write_files
from .context import CHUNK, ID_WIDTHS, LONDON, Context
from .organisations import build_reference, ensure_reference_data, synthetic_users_exist
from .reset import existing_synthetic_cases, reset
from .tables import TABLES

Progress = Callable[[str], None]
HISTORY_BATCH = 4  # chunks loaded between two writes of their history rows (``_write_history``)
EXISTS = (
    "This database already holds synthetic data ({cases:,} cases made by synthetic staff). Run with --reset to "
    "replace it, or generate into a fresh database."
)


class SyntheticDataExists(RuntimeError):
    pass


class IntegrityFailure(RuntimeError):
    """The load broke a foreign key; the transaction is rolled back."""


@dataclass
class SyntheticSummary:
    """What a run made: rows per table, history rows, stored files, and how long each phase took."""

    cases: int
    seed: int
    as_of: datetime
    counts: dict[str, int] = field(default_factory=dict)
    history_rows: int = 0
    files: int = 0
    file_bytes: int = 0
    triggers_off: bool = False
    shared_files: bool = False
    workers: int = 1
    phases: dict[str, float] = field(default_factory=dict)
    elapsed_seconds: float = 0.0

    def lines(self) -> list[str]:
        out = [
            f"{self.cases:,} cases (seed {self.seed}, as of {self.as_of:%Y-%m-%d %H:%M %Z}) in "
            f"{self.elapsed_seconds:.1f} s with {self.workers} worker process(es); row triggers "
            f"{'off for the load (history written in bulk, foreign keys checked)' if self.triggers_off else 'on'}",
        ]
        width = max(len(name) for name in self.counts) if self.counts else 10
        out.extend(f"  {name:<{width}} {count:>12,}" for name, count in self.counts.items())
        out.append(f"  {'history rows':<{width}} {self.history_rows:>12,}")
        shared = " shared, content-addressed" if self.shared_files else ""
        out.append(f"  {'stored files':<{width}} {self.files:>12,}{shared} ({self.file_bytes / 1e6:,.1f} MB)")
        out.append("  phases: " + ", ".join(f"{name} {seconds:.1f} s" for name, seconds in self.phases.items()))
        return out


def default_as_of() -> datetime:
    """The start of today in England and Wales: nothing generated is in the future, and runs on the same day
    with the same seed and size give the same data."""
    today = datetime.now(LONDON).date()
    return datetime.combine(today, dtime(0), tzinfo=LONDON)


def generate(
    cases: int,
    *,
    seed: int = 1,
    progress: Progress | None = None,
    as_of: datetime | date | None = None,
    workers: int | None = None,
    reset_existing: bool = False,
    shared_files: bool = True,
    on_phase: Callable[[str], None] | None = None,
) -> SyntheticSummary:
    """Load ``cases`` synthetic cases (with everything that hangs off them) into the current database.

    ``shared_files`` (the default): store one file per distinct content - a few hundred specimen files,
    content-addressed, shared by the versions with that content - rather than one file per version, which at
    national size means millions of files to write (and to delete again). ``shared_files=False`` writes a file of
    its own, naming its case, for every version.

    ``on_phase`` is called with each phase's name as it ends (``benchmarks.synthetic_generate`` reads the
    database server's CPU time there)."""
    say = progress or (lambda _line: None)
    started = time.perf_counter()
    if isinstance(as_of, date) and not isinstance(as_of, datetime):
        as_of = datetime.combine(as_of, dtime(0), tzinfo=LONDON)
    moment = (as_of or default_as_of()).astimezone(LONDON)
    summary = SyntheticSummary(cases=cases, seed=seed, as_of=moment, shared_files=shared_files)
    phase = _phases(summary, on_phase)

    ensure_reference_data()
    if not PublicHoliday.objects.exists():
        load_public_holidays()
    if synthetic_users_exist():
        if not reset_existing:
            raise SyntheticDataExists(EXISTS.format(cases=existing_synthetic_cases()))
        say("removing the previous synthetic data ...")
        reset(progress=say)
        phase("reset")
    chunks = math.ceil(cases / CHUNK) if cases else 0
    workers = max(1, min(workers if workers is not None else (os.cpu_count() or 1), chunks or 1))
    summary.workers = workers

    written: list[str] = []
    try:
        _load(cases, seed, moment, workers, chunks, summary, phase, say, started, written)
    except BaseException:
        _remove_files(written, shared=shared_files)
        raise
    summary.elapsed_seconds = time.perf_counter() - started
    return summary


def _load(
    cases: int,
    seed: int,
    moment: datetime,
    workers: int,
    chunks: int,
    summary: SyntheticSummary,
    phase: Callable[[str], None],
    say: Progress,
    started: float,
    written: list[str],
) -> None:
    """Everything that happens in the one transaction (see the module docstring)."""
    with transaction.atomic():
        reference = build_reference(cases, seed)
        phase("staff")
        with connection.cursor() as cursor:
            summary.triggers_off = bulk.try_replica_role(cursor)
            bulk.cheap_toast(cursor)
            bases = {name: bulk.max_id(cursor, TABLES[name].model) + 1 for name in ID_WIDTHS}
            for table_spec in TABLES.values():
                table_spec.check()
            history_tables = [e._meta.db_table for t in TABLES.values() if (e := bulk.event_model(t.model)) is not None]
            loaded_tables = [*(t.table for t in TABLES.values()), *history_tables]
            indexes = bulk.deferred_indexes(cursor, loaded_tables)
            bulk.drop_indexes(cursor, indexes)
            ctx = Context(
                seed=seed,
                cases=cases,
                as_of=moment.astimezone(UTC),
                reference=reference,
                bases=bases,
                holidays=frozenset(PublicHoliday.objects.values_list("date", flat=True)),
                media_root=_media_root(),
                site_url=settings.SITE_URL,
                escalate_after_hours=int(settings.ALERT_ESCALATE_AFTER_HOURS),
                digest_hour=int(settings.ALERT_DIGEST_HOUR),
                finalisation_days=int(settings.CHARGING_ADMIN_FINALISATION_DAYS),
                shared_files=summary.shared_files,
            )
            totals: Counter[str] = Counter()
            history_from = 0  # the first chunk whose history rows are not written yet
            done = 0
            last_report = time.perf_counter()
            # Stored files are written by a thread while COPY waits on the database (psycopg2 lets go of the
            # GIL there); one write job at a time, so a slow disk slows the load rather than filling memory.
            writer = ThreadPoolExecutor(max_workers=1)
            writing: Future[list[str]] | None = None
            shared = ctx.shared_files
            blob_sizes: dict[str, int] = {}  # shared files: each counted once
            for result in _results(ctx, chunks, workers):
                if writing is not None:
                    blobs = writing.result()
                    if shared:
                        written.extend(blobs)
                if not shared:
                    written.extend(result.case_dirs)
                writing = writer.submit(write_files, ctx.media_root, result.stored, shared=shared)
                for name, table_spec in TABLES.items():
                    payload = result.payload.get(name)
                    if payload:
                        bulk.copy_payload(cursor, table_spec, payload)
                totals.update(result.counts)
                if summary.triggers_off and (result.chunk + 1) % HISTORY_BATCH == 0:
                    summary.history_rows += _write_history(cursor, bases, history_from, result.chunk + 1)
                    history_from = result.chunk + 1
                if shared:
                    blob_sizes.update((name, len(content)) for name, content in result.stored)
                else:
                    summary.files += result.files
                    summary.file_bytes += result.file_bytes
                done += 1  # noqa: SIM113 - chunks arrive from a generator, counted as they are loaded
                now = time.perf_counter()
                if now - last_report > 10 or done == chunks:
                    made = min(done * CHUNK, cases)
                    rate = made / max(now - started, 1e-9)
                    say(f"{made:,}/{cases:,} cases loaded ({rate:,.0f} cases/s, {now - started:.0f} s)")
                    last_report = now
            if writing is not None:
                blobs = writing.result()
                if shared:
                    written.extend(blobs)
            writer.shutdown()
            if shared:
                summary.files, summary.file_bytes = len(blob_sizes), sum(blob_sizes.values())
            summary.counts = {name: totals.get(name, 0) for name in TABLES}
            phase("cases")
            loaded = [(TABLES[name].model, bases[name], bulk.max_id(cursor, TABLES[name].model)) for name in TABLES]
            if summary.triggers_off:
                summary.history_rows += _write_history(cursor, bases, history_from, chunks)
                phase("history")
            say(f"building {len(indexes)} indexes ...")
            bulk.create_indexes(cursor, indexes)
            bulk.clean_gin_pending_lists(cursor, loaded_tables)
            phase("indexes")
            for table_spec in TABLES.values():
                bulk.reset_sequence(cursor, table_spec.model)
            # Statistics before the foreign-key checks: without them the planner takes the freshly loaded tables
            # for small ones and scans them whole for each key, instead of reading the id ranges checked.
            for table_spec in TABLES.values():
                cursor.execute(f"ANALYZE {connection.ops.quote_name(table_spec.table)}")
            phase("analyze")
            if summary.triggers_off:
                broken = bulk.verify_foreign_keys(cursor, _check_ranges(loaded, chunks))
                if broken:
                    raise IntegrityFailure("; ".join(broken))
                phase("checks")


def _write_history(cursor: CursorWrapper, bases: dict[str, int], first_chunk: int, end_chunk: int) -> int:
    """The history rows of the tracked rows of chunks ``first_chunk`` to ``end_chunk - 1`` (each chunk's ids are
    a fixed range of each table, ``context.Ids``). Written every ``HISTORY_BATCH`` chunks during the load, while
    those rows are still in the server's cache and the worker processes keep the other core busy, rather than
    all at the end, when the server would work alone."""
    written = 0
    for name, table_spec in TABLES.items():
        if name not in _TRACKED:
            continue
        span = ID_WIDTHS[name] * CHUNK
        written += bulk.write_history(
            cursor, table_spec.model, bases[name] + first_chunk * span, bases[name] + end_chunk * span - 1
        )
    return written


_TRACKED = frozenset(name for name, table_spec in TABLES.items() if bulk.event_model(table_spec.model) is not None)


def _remove_files(written: list[str], *, shared: bool) -> None:
    """The stored files of a load that did not commit (the filesystem has no rollback): the cases' folders, or
    the shared files this run wrote."""
    root = _media_root()
    if root is None:
        return
    for name in written:
        if shared:
            with contextlib.suppress(FileNotFoundError):
                os.remove(os.path.join(root, name))
        else:
            shutil.rmtree(os.path.join(root, "cases", name), ignore_errors=True)


def _check_ranges(
    loaded: list[tuple[type[models.Model], int, int]], chunks: int
) -> list[tuple[type[models.Model], list[tuple[int, int]]]]:
    """The id ranges whose foreign keys are checked: every row of a load of up to two chunks, else the rows of the
    first and the last chunk (each chunk is built alike, so they stand for the others; the tests check all)."""
    ranges = []
    for model, first, last in loaded:
        if last < first:
            continue
        if chunks <= 2:
            ranges.append((model, [(first, last)]))
            continue
        width = ID_WIDTHS[_table_name(model)] * CHUNK
        ranges.append((model, [(first, first + width - 1), (first + (chunks - 1) * width, last)]))
    return ranges


def _table_name(model: type[models.Model]) -> str:
    return next(name for name, spec in TABLES.items() if spec.model is model)


def _phases(summary: SyntheticSummary, on_phase: Callable[[str], None] | None) -> Callable[[str], None]:
    clock = {"last": time.perf_counter()}

    def mark(name: str) -> None:
        now = time.perf_counter()
        summary.phases[name] = summary.phases.get(name, 0.0) + now - clock["last"]
        clock["last"] = now
        if on_phase is not None:
            on_phase(name)

    return mark


def _media_root() -> str | None:
    """Where to write stored files directly (the filesystem storage's root), or None to go through the storage."""
    storage = DocumentVersion._meta.get_field("file").storage  # type: ignore[union-attr]
    if isinstance(storage, FileSystemStorage):
        return str(storage.location)
    return None


def _results(ctx: Context, chunks: int, workers: int) -> Iterator[ChunkResult]:
    """Chunks in order, built here or by ``workers`` processes, with a bounded number waiting."""
    if workers <= 1:
        for chunk in range(chunks):
            yield ChunkBuilder(ctx, chunk).build()
        return
    # The workers leave their COPY text in files in memory (``chunk.build_chunk``), removed as they are read back
    # and, whatever happens, with their folder at the end.
    handover = _handover_folder()
    # Forked with everything this process holds (Django, the reference data) moved out of the garbage collector's
    # sight: a worker's collections then never walk those objects, and so never write to (and copy) the pages it
    # shares with this process.
    gc.freeze()
    try:
        pool = multiprocessing.get_context("fork").Pool(workers, initializer=init_worker, initargs=(ctx, handover))
    except BaseException:
        if handover is not None:
            shutil.rmtree(handover, ignore_errors=True)
        raise
    finally:
        gc.unfreeze()
    try:
        pending: deque[multiprocessing.pool.AsyncResult[ChunkResult]] = deque()
        next_chunk = 0
        while next_chunk < chunks or pending:
            while next_chunk < chunks and len(pending) < workers * 2:
                pending.append(pool.apply_async(build_chunk, (next_chunk,)))
                next_chunk += 1
            result = pending.popleft().get()
            result.take_payload()
            yield result
        pool.close()
    finally:
        pool.terminate()
        pool.join()
        if handover is not None:
            shutil.rmtree(handover, ignore_errors=True)


def _handover_folder() -> str | None:
    """A folder of this run's own in memory (``/dev/shm``) for the workers' COPY text, or None (no such place, or
    not ours to write in: the text then comes back through the pool's pipe)."""
    try:
        return tempfile.mkdtemp(prefix="synthetic-", dir="/dev/shm")
    except OSError:
        return None
