"""Fixtures for ``test_material_file.py`` (imported there by name; pytest does not load this module as
a conftest): a real clamd, a private MEDIA_ROOT, Celery kept in this process with the virus scans
held back until the test runs them, and a second browser page (its own context) with the same axe
bookkeeping as ``conftest.page``."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page

# clamd is the session fixture of tests/files (re-exported, see __all__); it starts one clamd per session.
from tests.files.conftest import clamd, use_media_root

from .conftest import _CALL_FAILED, _LOADS, ACTION_TIMEOUT_MS, NAVIGATION_TIMEOUT_MS, _PageLoads

__all__ = ["clamd", "e2e_media_root", "held_scans", "second_page"]


@pytest.fixture
def e2e_media_root(settings: Any, tmp_path: Path) -> Path:
    """Uploaded files go to this test's own directory (the live server thread shares ``settings``)."""
    root = tmp_path / "media"
    root.mkdir()
    return use_media_root(settings, root)


@pytest.fixture
def held_scans(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """The ids of the versions whose virus scan was queued, in order; nothing is sent to a broker.

    ``documents.enqueue_scan`` (called on commit of every upload) records the id instead of queueing
    ``files.tasks.scan_document_version``, so each upload stays pending (quarantined) until the test
    runs the task itself. Every other task (the debounced quality checks) runs eagerly in the
    process that queues it, so the e2e run leaves nothing in the shared Redis broker."""
    from config.celery import app
    from files.services import documents

    queued: list[int] = []
    monkeypatch.setattr(documents, "enqueue_scan", queued.append)
    before = {"task_always_eager": app.conf.task_always_eager, "task_eager_propagates": app.conf.task_eager_propagates}
    app.conf.update(task_always_eager=True, task_eager_propagates=True)
    try:
        yield queued
    finally:
        app.conf.update(before)


@pytest.fixture
def second_page(new_context: Callable[..., BrowserContext], request: pytest.FixtureRequest) -> Iterator[Page]:
    """A page in a browser context of its own (its own session cookie), checked like ``page``:
    the test fails if it loads a document without an axe check."""
    context = new_context()
    context.set_default_timeout(ACTION_TIMEOUT_MS)
    context.set_default_navigation_timeout(NAVIGATION_TIMEOUT_MS)
    other = context.new_page()
    loads = _LOADS[id(other)] = _PageLoads()
    other.on("load", lambda p: loads.urls.append(p.url))
    try:
        yield other
        if request.node.stash.get(_CALL_FAILED, True):
            return
        if not other.is_closed():
            other.evaluate("1")
        missed = loads.unchecked + loads.urls[loads.checked :]
        assert not missed, f"pages loaded without an axe check: {missed}"
    finally:
        _LOADS.pop(id(other), None)
