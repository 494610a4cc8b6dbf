"""Benchmark: the CPS charging queue page and the case detail page at 10k and 1M cases.

    . scripts/test-env.sh && .venv/bin/python -m benchmarks cps_queue                    # 10k, then 1M
    . scripts/test-env.sh && .venv/bin/python -m benchmarks cps_queue --quick            # 2k, then 10k
    . scripts/test-env.sh && .venv/bin/python -m benchmarks cps_queue --cases 1000000 --runs 40

Runs in its own database (``<DATABASE_URL's name>_bench_cps_queue``; see ``benchmarks/_hotpaths.py`` for
``--database`` and ``--keep``), filled for each size by ``casework.synthetic.generate``.

Who asks: a CPS lawyer of the Area with the longest open queue, and the police manager of the force with the
most cases. What is asked, each ``--runs`` times after two warm-up rounds, through the whole middleware stack
(``django.test.Client``), with the floor (one indexed lookup, ``benchmarks._hotpaths.floor``) as the baseline:
- the queue's first page, a page deep in it (by cursor), and the queue filtered (overdue; unallocated; green;
  allocated to the lawyer);
- the case detail page of cases of every size in the force: the fewest and the most suspects, offences,
  victims, witnesses and hearings, and some in between (in turn).

Query counts (``CaptureQueriesContext``) of every queue page and filter, and of the detail page of each of
those cases, show that a page's queries do not depend on its contents or position.

Targets (issue 8) at the largest size: 95th percentile ≤ 150 ms for the queue and the case detail page; query
counts that do not grow with what a page shows: no case's detail page above the largest case's (a case lacking
a kind of record, victims say, makes one query fewer: there are no victims' updates to read), and no queue page
above the first page's (the order is read once per charging category, then the page's rows). Exit 1 when a
target is missed.
"""

from __future__ import annotations

import os
from typing import Any
from urllib.parse import urlencode

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
os.environ.setdefault("DATABASE_PARALLEL_QUERY", "off")  # served as a web process serves them: see _hotpaths

import django

django.setup()

from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from accounts.choices import Role  # noqa: E402
from accounts.models import Organisation  # noqa: E402
from benchmarks import _hotpaths as hp  # noqa: E402
from casework.models import Case  # noqa: E402
from casework.synthetic import staff  # noqa: E402
from charging.models import QUEUE_STATUSES, ChargingRequest  # noqa: E402

TARGET_P95_MS = 150.0
DEEP_PAGE = 10
DETAIL_CASES = 6


def _next_url(client: Client, url: str) -> str | None:
    html = client.get(url).content.decode()
    marker = html.find('rel="next"')
    if marker < 0:
        return None
    start = html.rfind('href="', 0, marker) + len('href="')
    return html[start : html.find('"', start)].replace("&amp;", "&")


def _deep(client: Client, first: str, pages: int) -> tuple[str, int]:
    """The URL of page ``pages`` of the queue (or its last page, if it has fewer) and its number."""
    url, number = first, 1
    while number < pages:
        following = _next_url(client, url)
        if following is None:
            break
        url, number = following, number + 1
    return url, number


def _cases_of_every_size(force: Organisation) -> list[Case]:
    """Cases of the force with the fewest and the most people, offences and hearings, and some in between."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT c.id,
                   (SELECT count(*) FROM casework_suspect s WHERE s.case_id = c.id)
                 + (SELECT count(*) FROM casework_offenceallegation o WHERE o.case_id = c.id)
                 + (SELECT count(*) FROM casework_victim v WHERE v.case_id = c.id)
                 + (SELECT count(*) FROM casework_witness w WHERE w.case_id = c.id)
                 + (SELECT count(*) FROM casework_hearing h WHERE h.case_id = c.id) AS size
            FROM casework_case c
            WHERE c.force_id = %s AND c.id %% 97 = 0
            ORDER BY size, c.id
            """,
            [force.pk],
        )
        rows = cursor.fetchall()
    if not rows:
        return []
    step = max(1, (len(rows) - 1) // (DETAIL_CASES - 1))
    picked = [rows[min(i * step, len(rows) - 1)][0] for i in range(DETAIL_CASES - 1)] + [rows[-1][0]]
    by_id = Case.objects.in_bulk(list(dict.fromkeys(picked)))
    return [by_id[pk] for pk in dict.fromkeys(picked)]


def measure(cases: int, runs: int) -> dict[str, Any]:
    busiest = (
        ChargingRequest.objects.filter(status__in=QUEUE_STATUSES, received_by_cps_at__isnull=False, to_cps_direct=False)
        .values("cps_area")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    assert busiest is not None, "no open charging requests"
    area = Organisation.objects.get(pk=busiest["cps_area"])
    largest = Case.objects.values("force").annotate(n=Count("id")).order_by("-n").first()
    assert largest is not None
    force = Organisation.objects.get(pk=largest["force"])
    lawyer = staff(area.code, Role.CPS_LAWYER)
    manager = staff(force.code, Role.POLICE_MANAGER)
    cps, police = hp.signed_in(lawyer), hp.signed_in(manager)
    queue = reverse("charging:queue")
    deep, deep_number = _deep(cps, queue, DEEP_PAGE)
    detail_cases = _cases_of_every_size(force)
    detail_urls = [reverse("casework:case-detail", args=[case.public_id]) for case in detail_cases]
    print(
        f"\n== {cases:,} cases: queue of {area.name} ({busiest['n']:,} open requests), page {deep_number} by "
        f"cursor; case detail of {len(detail_cases)} cases of {force.name}",
        flush=True,
    )
    filters = {
        "overdue": {"overdue": "on"},
        "unallocated": {"unallocated": "on"},
        "green": {"category": "green"},
        "mine": {"mine": "on"},
    }
    one_case = Case.objects.filter(force=force).order_by("id").values_list("public_id", flat=True)[50]
    plan: list[tuple[str, Client, list[str]]] = [
        ("floor (one indexed lookup)", police, [reverse("bench-floor", args=[one_case])]),
        ("queue: first page", cps, [queue]),
        ("queue: deepest page reached by cursor", cps, [deep]),
        *((f"queue: {name}", cps, [f"{queue}?{urlencode(query)}"]) for name, query in filters.items()),
        ("case detail (cases of every size in turn)", police, detail_urls),
    ]
    results: dict[str, Any] = {
        "area": area.code,
        "open_requests": busiest["n"],
        "deep_page": deep_number,
        "timings": {},
        "queries": {},
    }
    floor = None
    for label, client, urls in plan:
        timing = hp.time_requests(client, urls, runs)
        floor = floor or timing
        hp.show(label, timing, None if timing is floor else floor)
        results["timings"][label] = {**timing.figures(), "floor_ratio": round(timing.median / floor.median, 2)}
    queue_queries = {
        "first page": hp.queries_of(cps, queue),
        f"page {deep_number} (deepest reached)": hp.queries_of(cps, deep),
        **{name: hp.queries_of(cps, f"{queue}?{urlencode(query)}") for name, query in filters.items()},
    }
    detail_queries = {}
    for case, url in zip(detail_cases, detail_urls, strict=True):
        size = sum(related.count() for related in (case.suspects, case.offences, case.victims, case.witnesses))
        size += case.hearings.count()
        detail_queries[f"{case.urn_display} ({size} people, offences and hearings)"] = hp.queries_of(police, url)
    print("  queries per page:")
    for name, count in queue_queries.items():
        print(f"    queue, {name:<40} {count}")
    for name, count in detail_queries.items():
        print(f"    case detail, {name:<34} {count}")
    results["queries"] = {"queue": queue_queries, "case_detail": detail_queries}
    return results


def main(argv: list[str]) -> int:
    parser = hp.arguments(
        __doc__.split("\n\n")[0] if __doc__ else None,
        [10_000, 1_000_000],
        [2_000, 10_000],
        runs={"type": int, "default": 40, "help": "timed requests per figure"},
    )
    args = hp.parse(parser, argv, runs=10)
    hp.use_bench_urls()
    failures: list[str] = []
    by_size: dict[int, dict[str, Any]] = {}
    with hp.Databases("cps_queue", args.database, keep=args.keep, seed=args.seed) as databases:
        print(f"CPS queue and case detail benchmark: sizes {args.cases}, {args.runs} runs per figure", flush=True)
        for index, cases in enumerate(args.cases):
            databases.use(cases, index)
            by_size[cases] = measure(cases, args.runs)
        smallest, largest = min(by_size), max(by_size)
        final = by_size[largest]
        for label, figures in final["timings"].items():
            if not label.startswith("floor") and figures["p95_ms"] > TARGET_P95_MS:
                failures.append(f"{largest:,} cases, {label}: p95 {figures['p95_ms']} ms > {TARGET_P95_MS:.0f} ms")
        for cases, result in by_size.items():
            queue_counts = list(result["queries"]["queue"].values())
            if max(queue_counts) > queue_counts[0]:
                failures.append(f"{cases:,} cases: a queue page made more queries than the first ({queue_counts})")
            detail_counts = list(result["queries"]["case_detail"].values())
            if max(detail_counts) > detail_counts[-1]:
                failures.append(f"{cases:,} cases: a smaller case's detail page made more queries ({detail_counts})")
        if largest != smallest:
            print(f"\n== ratio {largest:,} / {smallest:,} cases (median; p95 in brackets), for information")
            for label, figures in final["timings"].items():
                base = by_size[smallest]["timings"][label]
                figures["scale_ratio"] = round(figures["median_ms"] / base["median_ms"], 2)
                print(f"  {label:<46} ×{figures['scale_ratio']:5.2f}  (×{figures['p95_ms'] / base['p95_ms']:.2f})")
        if not args.no_record:
            _record(by_size)
    return hp.verdict(failures)


def _record(by_size: dict[int, dict[str, Any]]) -> None:
    try:
        from benchmarks._results import record
    except ImportError:  # the results writer is not there yet
        return
    record(
        "cps_queue",
        {str(cases): figures for cases, figures in by_size.items()},
        {
            "p95_ms_max": TARGET_P95_MS,
            "case_detail_queries": "<= the largest case's",
            "queue_queries": "<= the first page's",
        },
    )


if __name__ == "__main__":
    hp.exit_with(main)
