"""Writing a benchmark's figures to ``benchmarks/results/``, with a description of the machine they were measured
on, so a figure quoted in the README can be traced to a run, a machine and a commit.

Each run writes ``<name>-<UTC timestamp>.json`` and overwrites ``<name>-latest.json`` with the same content.
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).resolve().parent / "results"
ROOT = RESULTS.parent.parent


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _ram_bytes() -> int | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return None


def _git(*args: str) -> str:
    try:
        done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, timeout=10, check=True)  # noqa: S603, S607
    except (OSError, subprocess.SubprocessError):
        return ""
    return done.stdout.strip()


def _postgres_version() -> str:
    """The server's version, from the current connection when one can be made (Django is set up by then)."""
    try:
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            row = cursor.fetchone()
        return str(row[0]) if row else ""
    except Exception:  # noqa: BLE001 - the description is best effort; the figures matter more
        return ""


def machine() -> dict[str, Any]:
    commit = _git("rev-parse", "HEAD")
    dirty = bool(_git("status", "--porcelain", "--untracked-files=no"))
    return {
        "cpu_model": _cpu_model(),
        "cpu_cores": os.cpu_count(),
        "ram_bytes": _ram_bytes(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "postgresql": _postgres_version(),
        "git_commit": commit + ("+uncommitted" if commit and dirty else ""),
        # Other work on the machine moves the figures: the load when they were recorded (1, 5, 15 minutes).
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }


def record(name: str, figures: dict[str, Any], targets: dict[str, Any]) -> Path:
    """Write ``figures`` (what was measured) and ``targets`` (what they are held to) for benchmark ``name``;
    return the timestamped file. Call it while the benchmark's database is still there (for its version)."""
    now = datetime.now(UTC)
    payload = {
        "benchmark": name,
        "recorded_at": now.isoformat(timespec="seconds"),
        "machine": machine(),
        "figures": figures,
        "targets": targets,
    }
    text = json.dumps(payload, indent=2, sort_keys=True, default=str) + "\n"
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}-{now:%Y%m%dT%H%M%SZ}.json"
    path.write_text(text)
    (RESULTS / f"{name}-latest.json").write_text(text)
    print(f"results written to {path.relative_to(ROOT)} (and {name}-latest.json)")
    return path
