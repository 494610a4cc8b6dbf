"""Benchmark: ``manage.py generate_synthetic`` (``casework.synthetic.generate``) at national size (issue 8; target:
1,000,000 cases in under 15 minutes on this machine's two cores).

    . scripts/test-env.sh && .venv/bin/python -m benchmarks.synthetic_generate                   # 10k, then 1M
    . scripts/test-env.sh && .venv/bin/python -m benchmarks.synthetic_generate --quick           # 10k, then 20k
    . scripts/test-env.sh && .venv/bin/python -m benchmarks.synthetic_generate --cases 100000

Runs in its own database (``<DATABASE_URL's name>_bench_synthetic_generate``, created and migrated here, dropped
at the end unless ``--keep``), never the development or test one, with the stored files in a temporary
directory (shared specimen files, as the command writes them by default). The reference data and public holidays
are loaded first, outside the measurement (a national database has them before it is filled).

Two runs, in the same process on the same database, each into emptied tables (``reset``, not measured):

- baseline: ``--baseline`` cases (default 10,000), giving the per-case rate the big run is compared with (a
  ratio above 1 means the cost grows with the size of the data set);
- the run: ``--cases`` cases (default 1,000,000; ``--quick``: 20,000).

Figures per run: wall time, cases/s, the phases (``SyntheticSummary.phases``), and CPU time per case of the
builder processes (the pool's workers, reaped at the end of the run), of this process (the loader: COPY, the
stored files, and with one worker the building too) and of the database server's backend (read from
``/proc`` when the server runs on this machine; parallel index-build workers, if any, are not in it). The
machine is shared: CPU times, and ratios within a run, are what to compare across runs; the wall time is what
the target is about. The extrapolation to 1M: this run's wall time scaled by 1M / N, and the CPU-bound
estimate for an otherwise idle machine - the building phase's CPU (builders + loader + server) shared by the
cores, plus the server CPU of the phases after it, which one backend runs alone.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from dataclasses import dataclass, field
from typing import Any

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import override_settings  # noqa: E402

from benchmarks._results import record  # noqa: E402
from casework.deadlines.holidays import load_public_holidays  # noqa: E402
from casework.models import PublicHoliday  # noqa: E402
from casework.synthetic import generate  # noqa: E402
from casework.synthetic.organisations import ensure_reference_data, synthetic_users_exist  # noqa: E402
from casework.synthetic.reset import reset  # noqa: E402

TARGET_CASES = 1_000_000
TARGET_SECONDS = 15 * 60
SEED = 1
_TICK = os.sysconf("SC_CLK_TCK")


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


class ServerClock:
    """The CPU time of this connection's server process (``/proc/<pid>/stat``), when the server is local."""

    def __init__(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            self.pid = int(cursor.fetchone()[0])
        self.available = self.read() is not None

    def read(self) -> float | None:
        try:
            with open(f"/proc/{self.pid}/stat") as fh:
                stat = fh.read()
        except OSError:
            return None
        if "postgres" not in stat.split(")")[0]:
            return None  # another process with that pid: the server is elsewhere
        fields = stat.rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / _TICK  # utime, stime


@dataclass
class Run:
    cases: int
    workers: int
    wall_s: float = 0.0
    builder_cpu_s: float = 0.0
    loader_cpu_s: float = 0.0
    server_cpu_s: float | None = None
    server_cpu_after_cases_s: float | None = None  # history, indexes, checks, analyze: one backend alone
    server_cpu_by_phase_s: dict[str, float] = field(default_factory=dict)
    phases: dict[str, float] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)

    def per_case_ms(self, seconds: float | None) -> float | None:
        return None if seconds is None else seconds / self.cases * 1000

    @property
    def total_cpu_s(self) -> float:
        return self.builder_cpu_s + self.loader_cpu_s + (self.server_cpu_s or 0.0)

    def idle_estimate_s(self, cores: int) -> float | None:
        """Wall time on an otherwise idle machine if CPU were the only limit (see the module docstring)."""
        if self.server_cpu_s is None or self.server_cpu_after_cases_s is None:
            return None
        building = self.total_cpu_s - self.server_cpu_after_cases_s
        return building / cores + self.server_cpu_after_cases_s + self.phases.get("staff", 0.0)

    def figures(self, cores: int) -> dict[str, Any]:
        scale = TARGET_CASES / self.cases
        estimate = self.idle_estimate_s(cores)
        return {
            "cases": self.cases,
            "workers": self.workers,
            "wall_s": round(self.wall_s, 1),
            "cases_per_s": round(self.cases / self.wall_s),
            "cpu_ms_per_case": {
                "builders": _round(self.per_case_ms(self.builder_cpu_s)),
                "loader": _round(self.per_case_ms(self.loader_cpu_s)),
                "server": _round(self.per_case_ms(self.server_cpu_s)),
                "server_after_building": _round(self.per_case_ms(self.server_cpu_after_cases_s)),
                "total": _round(self.per_case_ms(self.total_cpu_s)),
            },
            "phases_s": {name: round(seconds, 1) for name, seconds in self.phases.items()},
            "server_cpu_by_phase_s": {name: round(seconds, 1) for name, seconds in self.server_cpu_by_phase_s.items()},
            "rows": sum(self.counts.values()),
            "extrapolated_1M_wall_s": round(self.wall_s * scale),
            "extrapolated_1M_idle_cpu_bound_s": None if estimate is None else round(estimate * scale),
        }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


def measure(cases: int, workers: int | None, server: ServerClock) -> Run:
    if synthetic_users_exist():
        reset()
    server_start = server.read()
    marks: dict[str, float | None] = {}
    children, own, started = _children_cpu(), time.process_time(), time.perf_counter()
    summary = generate(
        cases,
        seed=SEED,
        workers=workers,
        progress=lambda line: print(f"  {line}", flush=True),
        on_phase=lambda name: marks.__setitem__(name, server.read()),
    )
    wall = time.perf_counter() - started
    run = Run(cases=cases, workers=summary.workers, wall_s=wall, phases=summary.phases, counts=summary.counts)
    run.builder_cpu_s = _children_cpu() - children
    run.loader_cpu_s = time.process_time() - own
    server_end = server.read()
    if server_start is not None and server_end is not None:
        run.server_cpu_s = server_end - server_start
        after_cases = marks.get("cases")
        if after_cases is not None:
            run.server_cpu_after_cases_s = server_end - after_cases
        previous = server_start
        for name, mark in marks.items():
            if mark is not None:
                run.server_cpu_by_phase_s[name] = mark - previous
                previous = mark
    return run


def report(run: Run, cores: int, baseline: Run | None) -> None:
    f = run.figures(cores)
    cpu = f["cpu_ms_per_case"]
    print(f"\n== {run.cases:,} cases, {run.workers} worker process(es)")
    print(f"wall:            {run.wall_s:9.1f} s   ({f['cases_per_s']:,} cases/s, {f['rows']:,} rows)")
    print("phases:          " + ", ".join(f"{name} {seconds:.1f} s" for name, seconds in run.phases.items()))
    if run.server_cpu_by_phase_s:
        print("server CPU:      " + ", ".join(f"{n} {s:.1f} s" for n, s in run.server_cpu_by_phase_s.items()))
    print(
        f"CPU per case:    builders {_ms(cpu['builders'])}, loader {_ms(cpu['loader'])}, server {_ms(cpu['server'])}"
        f" (of which after building {_ms(cpu['server_after_building'])}); total {_ms(cpu['total'])}"
    )
    if baseline is not None and baseline is not run:
        wall_ratio = (run.wall_s / run.cases) / (baseline.wall_s / baseline.cases)
        cpu_ratio = (run.total_cpu_s / run.cases) / (baseline.total_cpu_s / baseline.cases)
        print(f"vs baseline:     wall per case x{wall_ratio:.2f}, CPU per case x{cpu_ratio:.2f}")
    estimate = f["extrapolated_1M_idle_cpu_bound_s"]
    print(
        f"1M cases:        {f['extrapolated_1M_wall_s'] / 60:.1f} min at this run's wall rate"
        + (f"; {estimate / 60:.1f} min CPU-bound on an idle {cores}-core machine" if estimate is not None else "")
        + f" (target < {TARGET_SECONDS / 60:.0f} min)"
    )


def _ms(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f} ms"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--cases", type=int, default=None, help=f"cases in the run (default {TARGET_CASES:,})")
    parser.add_argument("--baseline", type=int, default=10_000, help="cases in the baseline run (default 10,000)")
    parser.add_argument("--quick", action="store_true", help="a quick run: 20,000 cases")
    parser.add_argument("--workers", type=int, default=None, help="builder processes (default: one per CPU)")
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database (and its data) afterwards")
    parser.add_argument("--no-record", action="store_true", help="do not write benchmarks/results/")
    args = parser.parse_args(argv)
    cases = args.cases or (20_000 if args.quick else TARGET_CASES)
    cores = os.cpu_count() or 1

    db = connection.settings_dict
    original_name = db["NAME"]
    db["TEST"] = {**db.get("TEST", {}), "NAME": f"{db['NAME']}_bench_synthetic_generate"}
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False, keepdb=False)
    print(f"synthetic data benchmark: database {connection.settings_dict['NAME']}, {cores} CPUs", flush=True)
    failed = False
    try:
        with tempfile.TemporaryDirectory(prefix="synthetic-bench-") as media:
            storage = {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": media}}
            from django.conf import settings

            with override_settings(MEDIA_ROOT=media, STORAGES={**settings.STORAGES, "default": storage}):
                ensure_reference_data()
                if not PublicHoliday.objects.exists():
                    load_public_holidays()
                server = ServerClock()
                if not server.available:
                    print("the database server is not on this machine: its CPU time is not measured")
                runs = [measure(n, args.workers, server) for n in dict.fromkeys([args.baseline, cases]) if n > 0]
        baseline, run = runs[0], runs[-1]
        for r in runs:
            report(r, cores, baseline)
        figures = run.figures(cores)
        if run.cases >= TARGET_CASES:
            ok = run.wall_s < TARGET_SECONDS
            failed = not ok
            print(f"\ntarget {TARGET_CASES:,} cases < {TARGET_SECONDS / 60:.0f} min: {'met' if ok else 'MISSED'}")
        if args.no_record:
            return 1 if failed else 0
        record(
            "synthetic_generate",
            {
                "runs": [r.figures(cores) for r in runs],
                "wall_per_case_ratio_to_baseline": round(
                    (run.wall_s / run.cases) / (baseline.wall_s / baseline.cases), 2
                ),
                "cpu_per_case_ratio_to_baseline": round(
                    (run.total_cpu_s / run.cases) / (baseline.total_cpu_s / baseline.cases), 2
                ),
                "extrapolated_1M_wall_s": figures["extrapolated_1M_wall_s"],
                "extrapolated_1M_idle_cpu_bound_s": figures["extrapolated_1M_idle_cpu_bound_s"],
            },
            {"wall_s_at_1M": f"< {TARGET_SECONDS}"},
        )
    finally:
        if not args.keep:
            connection.creation.destroy_test_db(original_name, verbosity=0)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
