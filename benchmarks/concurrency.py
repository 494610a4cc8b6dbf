"""Benchmark: throughput of the case list under 20 concurrent clients, on a real server on loopback.

    . scripts/test-env.sh && .venv/bin/python -m benchmarks concurrency                      # 1M cases
    . scripts/test-env.sh && .venv/bin/python -m benchmarks concurrency --quick          # 5k, 10 s a run
    . scripts/test-env.sh && .venv/bin/python -m benchmarks concurrency --cases 10000 --duration 20

Runs in its own database (``<DATABASE_URL's name>_bench_concurrency``; see ``benchmarks/_hotpaths.py`` for
``--database`` and ``--keep``), filled for each size by ``casework.synthetic.generate``.

The server: gunicorn from the virtualenv, bound to 127.0.0.1 on a free port, serving the project (and the floor
endpoint of ``benchmarks._hotpaths``) against the benchmark database, with ``--workers`` sync workers (the
Dockerfile's worker class). The clients: ``--clients`` threads of this process, each signed in as a different
member of staff (half police managers of different forces, half CPS lawyers of different Areas: a session made
here, its cookie sent by the thread), each on its own keep-alive connection, each sending its next request as
soon as the last one is answered, for ``--duration`` seconds after ``--warmup`` seconds.

Two runs in turn on the same server and clients: the floor (one indexed lookup per request: the baseline) and
the case list's first page. Figures: requests a second, latency percentiles (50, 95, 99) and the error rate
(anything but a 200, and failed connections), and the case list's throughput as a share of the floor's.
Target: no errors. Exit 1 when a request fails.
"""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.urls import reverse  # noqa: E402

from accounts.choices import OrganisationKind, Role  # noqa: E402
from accounts.models import Organisation, User  # noqa: E402
from benchmarks import _hotpaths as hp  # noqa: E402
from casework.selectors import case_list_visible_to  # noqa: E402
from casework.synthetic import staff  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).parent / "gunicorn"


@dataclass
class Client:
    """One simulated person: their session cookie and what they ask for."""

    label: str
    cookie: str
    path: str
    times: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _people(count: int) -> list[tuple[str, User]]:
    """Half police managers of the forces, half CPS lawyers of the Areas (in turn, by code), each with cases."""
    forces = list(
        Organisation.objects.filter(kind=OrganisationKind.POLICE_FORCE, cases__isnull=False)
        .distinct()
        .order_by("code")
        .values_list("code", flat=True)
    )
    areas = list(
        Organisation.objects.filter(kind=OrganisationKind.CPS_AREA, cps_cases__sent_to_cps_at__isnull=False)
        .distinct()
        .order_by("code")
        .values_list("code", flat=True)
    )
    people: list[tuple[str, User]] = []
    for n in range(count):
        if n % 2 == 0 or not areas:
            code = forces[(n // 2) % len(forces)]
            people.append((f"police manager, force {code}", staff(code, Role.POLICE_MANAGER)))
        else:
            code = areas[(n // 2) % len(areas)]
            people.append((f"CPS lawyer, {code}", staff(code, Role.CPS_LAWYER)))
    return people


def _session_cookie(user: User) -> str:
    client = hp.signed_in(user)
    return str(client.cookies[settings.SESSION_COOKIE_NAME].value)


def _database_url() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def start_server(port: int, workers: int) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": _database_url(),
        # The sessions made here must be valid there.
        "DJANGO_SECRET_KEY": settings.SECRET_KEY,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
    }
    process = subprocess.Popen(  # noqa: S603 - our own virtualenv's gunicorn, fixed arguments
        [
            str(GUNICORN),
            "benchmarks._hotpaths:wsgi_application()",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                conn.close()
                return process
        except OSError:
            time.sleep(0.3)
    stop_server(process)
    raise RuntimeError("gunicorn did not answer /healthz within 60 s")


def stop_server(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)  # gunicorn's graceful stop, of the process started above only
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _run_client(port: int, client: Client, start: float, measure_from: float, stop: float) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Cookie": f"{settings.SESSION_COOKIE_NAME}={client.cookie}", "Connection": "keep-alive"}
    while time.monotonic() < start:
        time.sleep(0.001)
    while True:
        began = time.monotonic()
        if began >= stop:
            break
        try:
            conn.request("GET", client.path, headers=headers)
            response = conn.getresponse()
            response.read()
            ok = response.status == 200
            error = "" if ok else f"HTTP {response.status}"
        except (OSError, http.client.HTTPException) as exc:
            ok, error = False, type(exc).__name__
            conn.close()
        if began >= measure_from:
            if ok:
                client.times.append((time.monotonic() - began) * 1000)
            else:
                client.errors.append(error)
    conn.close()


def load(port: int, clients: list[Client], warmup: float, duration: float) -> dict[str, Any]:
    start = time.monotonic() + 0.5
    measure_from, stop = start + warmup, start + warmup + duration
    threads = [
        threading.Thread(target=_run_client, args=(port, c, start, measure_from, stop), daemon=True) for c in clients
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    times = [t for c in clients for t in c.times]
    errors = [e for c in clients for e in c.errors]
    total = len(times) + len(errors)
    figures = {
        "requests": total,
        "requests_per_second": round(total / duration, 1),
        "error_rate": round(len(errors) / total, 4) if total else 1.0,
        "errors": sorted(set(errors)),
    }
    if times:
        figures.update(
            p50_ms=round(hp.percentile(times, 50), 1),
            p95_ms=round(hp.percentile(times, 95), 1),
            p99_ms=round(hp.percentile(times, 99), 1),
        )
    return figures


def _show(label: str, figures: dict[str, Any], floor: dict[str, Any] | None = None) -> None:
    share = f"   {figures['requests_per_second'] / floor['requests_per_second']:.0%} of the floor's" if floor else ""
    print(
        f"  {label:<28} {figures['requests_per_second']:7.1f} req/s   p50 {figures.get('p50_ms', 0):7.1f} ms   "
        f"p95 {figures.get('p95_ms', 0):7.1f} ms   p99 {figures.get('p99_ms', 0):7.1f} ms   "
        f"errors {figures['error_rate']:.2%}{share}",
        flush=True,
    )


def measure(cases: int, n_clients: int, workers: int, warmup: float, duration: float) -> dict[str, Any]:
    people = _people(n_clients)
    lists = reverse("casework:case-list")
    cookies = [(label, _session_cookie(user), user) for label, user in people]
    port = _free_port()
    print(
        f"\n== {cases:,} cases: gunicorn on 127.0.0.1:{port}, {workers} sync workers; {n_clients} clients "
        f"({sum(1 for p in people if p[1].is_police)} police managers, {sum(1 for p in people if p[1].is_cps)} "
        f"CPS lawyers); {warmup:.0f} s warm-up, {duration:.0f} s measured",
        flush=True,
    )
    server = start_server(port, workers)
    results: dict[str, Any] = {"workers": workers, "clients": n_clients}
    try:
        # Each asks the floor for a case of their own (another's would be their 404).
        floor_clients = []
        for label, cookie, user in cookies:
            own = case_list_visible_to(user=user).order_by().values_list("public_id", flat=True).first()
            assert own is not None, f"{label} sees no case"
            floor_clients.append(Client(label, cookie, reverse("bench-floor", args=[own])))
        results["floor"] = load(port, floor_clients, warmup, duration)
        _show("floor (one indexed lookup)", results["floor"])
        list_clients = [Client(label, cookie, lists) for label, cookie, _ in cookies]
        results["case_list"] = load(port, list_clients, warmup, duration)
        _show("case list, first page", results["case_list"], results["floor"])
        by_side: dict[str, list[float]] = {"police": [], "cps": []}
        for client in list_clients:
            by_side["police" if client.label.startswith("police") else "cps"].extend(client.times)
        for side, times in by_side.items():
            if times:
                print(
                    f"    {side:<26} p50 {hp.percentile(times, 50):7.1f} ms   p95 {hp.percentile(times, 95):7.1f} ms",
                    flush=True,
                )
                results["case_list"][f"{side}_p95_ms"] = round(hp.percentile(times, 95), 1)
        results["case_list"]["share_of_floor"] = round(
            results["case_list"]["requests_per_second"] / max(results["floor"]["requests_per_second"], 0.1), 3
        )
    finally:
        stop_server(server)
    return results


def main(argv: list[str]) -> int:
    parser = hp.arguments(
        __doc__.split("\n\n")[0] if __doc__ else None,
        [1_000_000],
        [5_000],
        clients={"type": int, "default": 20},
        workers={"type": int, "default": 2 * (os.cpu_count() or 1), "help": "gunicorn sync workers"},
        warmup={"type": float, "default": 5.0, "help": "seconds before measuring"},
        duration={"type": float, "default": 30.0, "help": "seconds measured, per run"},
    )
    args = hp.parse(parser, argv, duration=10.0, warmup=2.0)
    hp.use_bench_urls()
    failures: list[str] = []
    by_size: dict[int, dict[str, Any]] = {}
    with hp.Databases("concurrency", args.database, keep=args.keep, seed=args.seed) as databases:
        print(f"concurrency benchmark: sizes {args.cases}", flush=True)
        for index, cases in enumerate(args.cases):
            databases.use(cases, index)
            connection.close()  # the server's workers are about to use the database: no idle transaction here
            by_size[cases] = measure(cases, args.clients, args.workers, args.warmup, args.duration)
            for run in ("floor", "case_list"):
                figures = by_size[cases][run]
                if figures["error_rate"] > 0:
                    failures.append(f"{cases:,} cases, {run}: {figures['error_rate']:.2%} errors {figures['errors']}")
        if not args.no_record:
            _record(by_size)
    return hp.verdict(failures)


def _record(by_size: dict[int, dict[str, Any]]) -> None:
    try:
        from benchmarks._results import record
    except ImportError:  # the results writer is not there yet
        return
    record("concurrency", {str(cases): figures for cases, figures in by_size.items()}, {"error_rate_max": 0.0})


if __name__ == "__main__":
    hp.exit_with(main)
