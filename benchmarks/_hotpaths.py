"""What the hot-path benchmarks share (``case_list``, ``cps_queue``, ``concurrency``): their database, the
synthetic national data in it, the floor endpoint they are compared with, timing, and signed-in clients.

- **Database.** Each benchmark runs in its own database, ``<DATABASE_URL's name>_bench_<module>``, created and
  migrated here and dropped at the end. ``--database NAME`` names another one (so the three can share one
  national data set, which takes a while to build), ``--keep`` keeps it, and a database that already holds
  exactly the number of synthetic cases asked for is used as it is.
- **Data.** ``casework.synthetic.generate(cases, seed=...)``: every force and CPS Area, with staff, cases and
  everything hanging off them. The stored files it writes are thrown away here (the pages measured never read
  a file, and a million cases' files would fill the disk): the document rows are all there.
- **Floor.** A view defined here, not in the project: signed in, through the whole middleware stack, it reads
  one case by its public id (one indexed lookup) and answers a few bytes. The URLconf here includes the
  project's URLs beside it, and the benchmark process (or the gunicorn it starts) uses it as
  ``ROOT_URLCONF``. A page's ratio to the floor is what the page costs beyond what every request costs.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from typing import Any

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
# The pages are served here as a web process serves them: with parallel query off for its connections, as gunicorn
# and runserver have it (config/settings/base.py, DATABASE_PARALLEL_QUERY). Without this the process counted as a
# management command and a request's short queries paid for starting parallel workers (the Met manager's header
# count: 20-27 ms instead of 2-5 at 1M cases), which no deployed page does. Index builds (maintenance workers)
# are not affected.
os.environ.setdefault("DATABASE_PARALLEL_QUERY", "off")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth.decorators import login_required  # noqa: E402
from django.core.files.storage import Storage  # noqa: E402
from django.db import connection  # noqa: E402
from django.http import Http404, HttpRequest, HttpResponse  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import clear_url_caches, include, path  # noqa: E402

from accounts.models import User  # noqa: E402
from casework.models import Case  # noqa: E402
from casework.selectors import case_list_visible_to  # noqa: E402

URLCONF = "benchmarks._hotpaths"


# ---------------------------------------------------------------------------------------------------------------
# The floor endpoint and the URLconf that carries it


@login_required
def floor(request: HttpRequest, case_id: str) -> HttpResponse:
    """One indexed lookup (a case by its public id, within the user's scope), a few bytes out."""
    urn = case_list_visible_to(user=request.user).filter(public_id=case_id).values_list("urn", flat=True).first()  # type: ignore[arg-type]
    if urn is None:
        raise Http404("No case found.")
    return HttpResponse(urn, content_type="text/plain")


urlpatterns = [
    path("bench/floor/<uuid:case_id>/", floor, name="bench-floor"),
    path("", include("config.urls")),
]


def use_bench_urls() -> None:
    """Serve the project's URLs and the floor endpoint in this process."""
    settings.ROOT_URLCONF = URLCONF
    clear_url_caches()


def wsgi_application() -> Any:
    """The WSGI application gunicorn serves for the concurrency benchmark: the project plus the floor."""
    from django.core.wsgi import get_wsgi_application

    use_bench_urls()
    return get_wsgi_application()


# ---------------------------------------------------------------------------------------------------------------
# Command line, database and data


def arguments(
    description: str | None, default_cases: list[int], quick_cases: list[int], **extra: Any
) -> argparse.ArgumentParser:
    """The options every hot-path benchmark takes, and its own (``extra``: name → ``add_argument`` options)."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument(
        "--cases", type=int, nargs="+", help=f"data set sizes, smallest first (default {default_cases})"
    )
    parser.add_argument("--quick", action="store_true", help=f"a quick run: {quick_cases} cases, fewer requests")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--database",
        default="",
        help="database to use (default: its own, dropped at the end); with {cases} in it, or as a comma-separated "
        "list (one name per size, in the order of --cases), one per size",
    )
    parser.add_argument("--keep", action="store_true", help="keep the database (and its data) at the end")
    parser.add_argument("--no-record", action="store_true", help="do not write benchmarks/results/")
    for name, options in extra.items():
        parser.add_argument(f"--{name.replace('_', '-')}", **options)
    parser.set_defaults(default_cases=default_cases, quick_cases=quick_cases)
    return parser


def parse(parser: argparse.ArgumentParser, argv: list[str], **quick: Any) -> argparse.Namespace:
    """The options, with the sizes (and, for ``--quick``, the ``quick`` values of other options) filled in."""
    args = parser.parse_args(argv)
    args.cases = args.cases or (args.quick_cases if args.quick else args.default_cases)
    if args.quick:
        for name, value in quick.items():
            if getattr(args, name) == parser.get_default(name):
                setattr(args, name, value)
    return args


@contextmanager
def bench_database(module: str, name: str = "", *, keep: bool = False) -> Iterator[str]:
    """Create (or reuse) and migrate the benchmark's database, point the connection at it, and drop it at the end
    unless ``keep``."""
    db = connection.settings_dict
    original = db["NAME"]
    db["TEST"] = {**db.get("TEST", {}), "NAME": name or f"{original}_bench_{module}"}
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False, keepdb=True)
    try:
        yield str(connection.settings_dict["NAME"])
    finally:
        connection.creation.destroy_test_db(original, verbosity=0, keepdb=keep)


class Databases:
    """The database of each data set size: one database for every size in turn (the data replaced between
    sizes), or, when ``--database`` holds ``{cases}`` or names one database per size (``small,big``), one database
    per size (each kept data set reusable)."""

    def __init__(self, module: str, template: str, *, keep: bool, seed: int) -> None:
        self.module, self.template, self.keep, self.seed = module, template, keep, seed
        self._stack = ExitStack()
        self._current: str | None = None

    def __enter__(self) -> Databases:
        return self

    def __exit__(self, *exc: object) -> None:
        self._stack.close()

    def use(self, cases: int, index: int) -> str:
        """Point the connection at the database for ``cases`` cases (the ``index``-th size asked for), filled with
        them; its name."""
        names = self.template.split(",")
        if len(names) > 1:
            name = names[min(index, len(names) - 1)]
        else:
            name = self.template.format(cases=cases) if "{cases}" in self.template else self.template
        if self._current is None or name != self._current:
            self._stack.close()
            self._stack = ExitStack()
            self._current = self._stack.enter_context(bench_database(self.module, name, keep=self.keep))
            print(f"database {self._current}", flush=True)
        national_data(cases, self.seed)
        return self._current


class _DiscardingStorage(Storage):
    """Where the generator's stored files go in a benchmark: nowhere. The rows describing them are kept."""

    def _save(self, name: str, content: Any) -> str:
        return name

    def get_available_name(self, name: str, max_length: int | None = None) -> str:
        return name

    def exists(self, name: str) -> bool:
        return False

    def delete(self, name: str) -> None:
        return None

    def url(self, name: str | None) -> str:
        return ""


def national_data(cases: int, seed: int) -> None:
    """``cases`` synthetic cases in the current database: those already there if they are exactly that many,
    else generated afresh (replacing any other synthetic data set)."""
    from casework.synthetic import generate
    from casework.synthetic.organisations import USERNAME_PREFIX
    from files.models import DocumentVersion

    if Case.objects.count() == cases and User.objects.filter(username__startswith=USERNAME_PREFIX).exists():
        print(f"using the {cases:,} synthetic cases already in the database", flush=True)
        return
    field = DocumentVersion._meta.get_field("file")
    storage = field.storage  # type: ignore[union-attr]
    field.storage = _DiscardingStorage()  # type: ignore[union-attr]
    started = time.perf_counter()
    try:
        summary = generate(cases, seed=seed, reset_existing=True, progress=lambda line: print(f"  {line}", flush=True))
    finally:
        field.storage = storage  # type: ignore[union-attr]
    print(f"generated {cases:,} cases in {time.perf_counter() - started:,.0f} s", flush=True)
    for line in summary.lines()[:1]:
        print(f"  {line}", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


# ---------------------------------------------------------------------------------------------------------------
# Measuring


@dataclass(frozen=True)
class Timing:
    """Latencies of one kind of request, in milliseconds."""

    times: tuple[float, ...]

    @property
    def median(self) -> float:
        return statistics.median(self.times)

    @property
    def p95(self) -> float:
        return percentile(self.times, 95)

    def figures(self) -> dict[str, float]:
        return {"median_ms": round(self.median, 2), "p95_ms": round(self.p95, 2), "runs": len(self.times)}


def percentile(values: tuple[float, ...] | list[float], pct: float) -> float:
    """The nearest-rank percentile (of at least one value)."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(pct / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def time_requests(client: Client, urls: list[str], runs: int, *, warmup: int = 2) -> Timing:
    """GET each of ``urls`` in turn (round robin) ``runs`` times after ``warmup`` rounds; every answer must be 200."""
    for _ in range(warmup):
        for url in urls:
            _get(client, url)
    times = []
    for n in range(runs):
        url = urls[n % len(urls)]
        started = time.perf_counter()
        _get(client, url)
        times.append((time.perf_counter() - started) * 1000)
    return Timing(tuple(times))


def time_interleaved(plan: list[tuple[str, Client, list[str]]], runs: int, *, warmup: int = 2) -> dict[str, Timing]:
    """Like ``time_requests`` for every (label, client, urls) of ``plan`` at once: each round GETs one URL of every
    label in turn, so that every figure (the floor's among them) is measured over the same stretch of time. Timed
    one label after another, a ratio between two of them also measured how the shared machine's speed drifted in
    between (by a third, on this machine, from one minute to the next)."""
    for _ in range(warmup):
        for _label, client, urls in plan:
            for url in urls:
                _get(client, url)
    times: dict[str, list[float]] = {label: [] for label, _client, _urls in plan}
    for n in range(runs):
        for label, client, urls in plan:
            url = urls[n % len(urls)]
            started = time.perf_counter()
            _get(client, url)
            times[label].append((time.perf_counter() - started) * 1000)
    return {label: Timing(tuple(values)) for label, values in times.items()}


def _get(client: Client, url: str) -> Any:
    response = client.get(url)
    if response.status_code != 200:
        raise RuntimeError(f"GET {url} answered {response.status_code}")
    return response


def queries_of(client: Client, url: str) -> int:
    """How many queries one GET of ``url`` makes (after a first GET has warmed the session)."""
    _get(client, url)
    with CaptureQueriesContext(connection) as captured:
        _get(client, url)
    return len(captured)


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def show(label: str, timing: Timing, floor: Timing | None = None) -> None:
    ratio = f"  ×{timing.median / floor.median:5.1f} floor" if floor is not None else ""
    print(f"  {label:<46} median {timing.median:8.1f} ms   p95 {timing.p95:8.1f} ms{ratio}", flush=True)


def verdict(failures: list[str]) -> int:
    if failures:
        print("\nTARGETS MISSED:")
        for failure in failures:
            print(f"  - {failure}")
        return 1
    print("\nall targets met")
    return 0


def exit_with(main: Callable[[list[str]], int]) -> None:
    sys.exit(main(sys.argv[1:]))
