"""One chunk of cases: told as stories, their deadlines and alerts computed, rendered as COPY text, and their
stored files written. Pure of the database: a chunk can be built in any process (``build_chunk`` is what a
worker process runs) and the main process loads the text.
"""

from __future__ import annotations

import contextlib
import os
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from casework.deadlines.calendar import WorkingCalendar
from casework.deadlines.rules import get_rules

from . import deadlines as deadline_rows
from .cases import CaseStory
from .charging import Referrals
from .context import CHUNK, Context, Dice, Ids
from .copy import Rows
from .material import Material
from .rows import render

_CONTEXT: Context | None = None
_HANDOVER: str | None = None  # the folder a worker leaves its chunks' COPY text in (``build_chunk``), if any


@dataclass
class ChunkResult:
    chunk: int
    payload: dict[str, bytes]  # COPY text per table, UTF-8
    counts: Counter[str] = field(default_factory=Counter)
    files: int = 0
    file_bytes: int = 0
    case_dirs: list[str] = field(default_factory=list)  # public ids of the cases that have stored files
    stored: list[tuple[str, bytes]] = field(default_factory=list)  # (storage name, content) to write
    # Set instead of ``payload`` by a worker process (``build_chunk``): the file holding the tables' COPY text one
    # after the other, and (table, bytes) of each in that order; ``take_payload`` reads it back.
    handed_over: tuple[str, list[tuple[str, int]]] | None = None

    def take_payload(self) -> None:
        """Read back the COPY text a worker process left in a file (``build_chunk``), and remove the file."""
        if self.handed_over is None:
            return
        path, sizes = self.handed_over
        with open(path, "rb") as fh:
            for table, size in sizes:
                self.payload[table] = fh.read(size)
        os.remove(path)
        self.handed_over = None


class ChunkBuilder:
    def __init__(self, ctx: Context, chunk: int) -> None:
        self.ctx = ctx
        self.chunk = chunk
        self.dice = Dice(ctx.seed, chunk)
        self.ids = Ids(ctx.bases, chunk)
        self.calendar = WorkingCalendar(ctx.holidays)
        self.rules = get_rules()
        self.force_weights = [f.weight for f in ctx.reference.forces]
        self.material = Material(self)
        self.charging = Referrals(self)
        self.rows = Rows()
        self.result = ChunkResult(chunk, {})
        self._shared: set[str] = set()  # shared files this chunk already returned
        # The actor's columns of an audit row (id, username, roles, organisation) by user id: the same staff act in
        # many of a chunk's cases.
        self.audit_actors: dict[int | None, str] = {}

    def user_public_id(self, user_id: int) -> str:
        return self.ctx.reference.people[user_id].public_id

    def build(self) -> ChunkResult:
        """Tell the chunk's cases. Their stored files are returned (``stored``) for the loading process to
        write (``write_files``) while the database loads the rows."""
        first = self.chunk * CHUNK
        last = min(first + CHUNK, self.ctx.cases)
        for index in range(first, last):
            story = CaseStory(self, index)
            story.tell()
            stored = deadline_rows.build(story, self.calendar, self.rules)
            alerts = deadline_rows.Alerts(story, self.calendar, self.rules)
            raised = [a for row in stored if row.status == "open" for a in alerts.raise_for(row)]
            render(story, stored, raised, self.rows)
            files = [(v.name, v.content) for doc in story.documents for v in doc.versions]
            if self.ctx.shared_files:
                files = [(name, content) for name, content in files if name not in self._shared]
                self._shared.update(name for name, _content in files)
            elif files:
                self.result.case_dirs.append(story.case.public_id)
            self.result.files += len(files)
            self.result.file_bytes += sum(len(content) for _name, content in files)
            self.result.stored.extend(files)
        self.result.payload = self.rows.payload()
        for table, lines in self.rows.lines.items():
            self.result.counts[table] = len(lines)
        # The builder, its material and its referrals refer to one another: a cycle only the garbage collector's
        # rare full collections free. Let go of the rows and the result now, or a worker process grows by a
        # chunk's text with every chunk it builds.
        result, self.result, self.rows = self.result, ChunkResult(self.chunk, {}), Rows()
        return result


def write_files(root: str | None, files: list[tuple[str, bytes]], *, shared: bool = False) -> list[str]:
    """Write stored files: straight into the filesystem storage's root, or through the storage (S3). A shared
    (content-addressed) file already there is the same file and is left alone. Returns the names written."""
    made: set[str] = set()
    written: list[str] = []
    for name, content in files:
        if root is None:
            if not (shared and _storage().exists(name)):
                _save_through_storage(name, content)
                written.append(name)
            continue
        path = os.path.join(root, name)
        if shared and os.path.exists(path):
            continue
        folder = os.path.dirname(path)
        if folder not in made:
            os.makedirs(folder, exist_ok=True)
            made.add(folder)
        with open(path, "wb") as fh:
            fh.write(content)
        written.append(name)
    return written


def _storage() -> Any:
    from files.models import DocumentVersion

    return DocumentVersion._meta.get_field("file").storage  # type: ignore[union-attr]


def _save_through_storage(name: str, content: bytes) -> None:
    from django.core.files.base import ContentFile

    saved = _storage().save(name, ContentFile(content))
    if saved != name:
        raise RuntimeError(f"Storage renamed {name} to {saved}: the generator's file names must be new")


def init_worker(ctx: Context, handover: str | None = None) -> None:
    """Pool initializer: every chunk a worker builds shares the run's context; with ``handover`` (a folder in
    memory, ``/dev/shm``) the worker leaves each chunk's COPY text there rather than sending it back through the
    pool's pipe (``build_chunk``)."""
    global _CONTEXT, _HANDOVER
    _CONTEXT = ctx
    _HANDOVER = handover
    # A forked worker inherits the parent's database connection: it must never use it.
    from django.db import connections

    for conn in connections.all(initialized_only=True):
        conn.inc_thread_sharing()
        conn.connection = None


def build_chunk(chunk: int) -> ChunkResult:
    """Build a chunk in a worker process. The COPY text (about 10 MB a chunk) goes back in a file in memory when
    the pool has a hand-over folder: written in one go and read back table by table, where the pool's pipe would
    pickle it, pass it 64 kB at a time with a switch between the two processes for each, and unpickle it in a
    thread of the loading process, which is part of the pipeline (measured on a 9 MB chunk, both processes
    counted: 20 to 35 ms of CPU through the pipe, 8 ms through a file)."""
    assert _CONTEXT is not None
    result = ChunkBuilder(_CONTEXT, chunk).build()
    if _HANDOVER is not None and result.payload:
        path = os.path.join(_HANDOVER, f"chunk-{chunk}")
        try:
            with open(path, "wb") as fh:
                fh.writelines(result.payload.values())
        except OSError:  # no room (a container's small /dev/shm): through the pipe after all
            with contextlib.suppress(OSError):
                os.remove(path)
            return result
        result.handed_over = (path, [(table, len(text)) for table, text in result.payload.items()])
        result.payload = {}
    return result
