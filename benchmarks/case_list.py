"""Benchmark: the case list and case search, page (``/cases/``) and API (``/api/v1/cases/``), at 10k and 1M cases.

    . scripts/test-env.sh && .venv/bin/python -m benchmarks case_list                    # 10k, then 1M
    . scripts/test-env.sh && .venv/bin/python -m benchmarks case_list --quick            # 2k, then 10k
    . scripts/test-env.sh && .venv/bin/python -m benchmarks case_list --cases 10000 100000 --runs 20

Runs in its own database (``<DATABASE_URL's name>_bench_case_list``; see ``benchmarks/_hotpaths.py`` for
``--database`` and ``--keep``), filled for each size by ``casework.synthetic.generate``.

Who asks: the police manager of the force with the most cases (the whole force is their scope) and a CPS lawyer
of the Area that serves it (every case sent to it). What is asked, each ``--runs`` times after two warm-up
rounds, signed in through the whole middleware stack with ``django.test.Client``, one request of each kind in turn
(``_hotpaths.time_interleaved``, so that the floor and the pages share the machine's ups and downs):
- the floor: one indexed lookup of a case (``benchmarks._hotpaths.floor``), the cost of any request;
- the list's first page, for the lawyer and for the manager, and the lawyer's eleventh page (by its cursor; the
  last page, for a smaller data set);
- search by a person's full name (three suspects of the user's cases in turn) and by URN, on the page (in
  order of relevance) and in the API (in its default order, most recently updated first); and by a surname
  alone, for information (a surname matches a share of all cases, so its cost grows with them whatever the
  index);
- the manager's list filtered by the officer in case, typed as their collar number (a text box looked up in the
  manager's own force; it was a drop-down of every officer of the force, 3,100 in the Met at a million cases);
- the API list, first page.

Figures: median and 95th percentile; each median's ratio to the floor's (target ≤ 3) and, at the largest size,
to its median at the smallest size (target ≤ 1.5). Exit 1 when a target is missed.
"""

from __future__ import annotations

import os
from typing import Any
from urllib.parse import urlencode

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
os.environ.setdefault("DATABASE_PARALLEL_QUERY", "off")  # served as a web process serves them: see _hotpaths

import django

django.setup()

from django.db.models import Count, QuerySet  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from accounts.choices import Role  # noqa: E402
from accounts.models import Organisation, User  # noqa: E402
from benchmarks import _hotpaths as hp  # noqa: E402
from casework.models import Case, Suspect  # noqa: E402
from casework.selectors import case_list_visible_to  # noqa: E402
from casework.synthetic import staff  # noqa: E402

TARGET_FLOOR_RATIO = 3.0
TARGET_SCALE_RATIO = 1.5
DEEP_PAGE = 11
# Measured for information only: see the module docstring.
INFORMATION_ONLY = ("page: search by surname, CPS lawyer",)


def _search_terms(cases: QuerySet[Case]) -> dict[str, list[str]]:
    """Full names of (up to) three suspects of ``cases``, the URN of one of them, and a surname."""
    suspects = list(Suspect.objects.filter(case__in=cases).exclude(last_name="").order_by("id")[:600:200])
    assert suspects, "no suspects to search for"
    names = [f"{s.first_names} {s.last_name}" for s in suspects]
    urn = list(cases.order_by("id").values_list("urn", flat=True)[:101])[-1]
    return {"name": names, "urn": [urn], "surname": [suspects[0].last_name]}


def _collar_number(force: Organisation) -> str:
    """The collar number of an officer in case of the force's cases that no other officer of the force has."""
    numbers = (
        Case.objects.filter(force=force, officer_in_case__isnull=False)
        .values_list("officer_in_case__shoulder_number", flat=True)
        .order_by("id")[:200]
    )
    for number in numbers:
        if number and User.objects.filter(organisation=force, shoulder_number=number).count() == 1:
            return str(number)
    raise AssertionError("no officer in case with a collar number of their own")


def _deep_page(client: Client, first: str, pages: int) -> tuple[str, int]:
    """The URL of page ``pages`` of a list (or of its last page, if it has fewer), reached by following its "next"
    links, and that page's number."""
    url, number = first, 1
    while number < pages:
        html = client.get(url).content.decode()
        marker = html.find('rel="next"')
        if marker < 0:
            break
        start = html.rfind('href="', 0, marker) + len('href="')
        url = reverse("casework:case-list") + html[start : html.find('"', start)].replace("&amp;", "&")
        number += 1
    return url, number


def measure(cases: int, runs: int) -> dict[str, dict[str, Any]]:
    largest = Case.objects.values("force").annotate(n=Count("id")).order_by("-n").first()
    assert largest is not None, "no cases"
    force = Organisation.objects.get(pk=largest["force"])
    area = force.served_by
    assert area is not None
    manager = staff(force.code, Role.POLICE_MANAGER)
    lawyer = staff(area.code, Role.CPS_LAWYER)
    police_terms = _search_terms(case_list_visible_to(user=manager))
    cps_terms = _search_terms(case_list_visible_to(user=lawyer))
    print(
        f"\n== {cases:,} cases: {force.name} ({largest['n']:,} cases), served by {area.name}; the manager searches "
        f"for {police_terms['name']} and URN {police_terms['urn'][0]}, the lawyer for {cps_terms['name']}, "
        f"URN {cps_terms['urn'][0]} and surname {cps_terms['surname'][0]!r}",
        flush=True,
    )
    police, cps = hp.signed_in(manager), hp.signed_in(lawyer)
    one_case = Case.objects.filter(force=force).order_by("id").values_list("public_id", flat=True)[50]
    lists = reverse("casework:case-list")
    api = reverse("api:case-list")

    deep, deep_number = _deep_page(cps, lists, DEEP_PAGE)
    print(f"  the lawyer's deep page is page {deep_number}", flush=True)
    by_officer = f"{lists}?{urlencode({'officer': _collar_number(force)})}"

    def searches(path: str, terms: list[str]) -> list[str]:
        return [f"{path}?{urlencode({'q': term})}" for term in terms]

    plan: list[tuple[str, Client, list[str]]] = [
        ("floor (one indexed lookup)", police, [reverse("bench-floor", args=[one_case])]),
        ("page: list, CPS lawyer", cps, [lists]),
        ("page: list, CPS lawyer, a page deep by cursor", cps, [deep]),
        ("page: search by full name, CPS lawyer", cps, searches(lists, cps_terms["name"])),
        ("page: search by URN, CPS lawyer", cps, searches(lists, cps_terms["urn"])),
        ("page: search by surname, CPS lawyer", cps, searches(lists, cps_terms["surname"])),
        ("page: list, police manager", police, [lists]),
        ("page: search by full name, police manager", police, searches(lists, police_terms["name"])),
        (
            "page: list by officer's collar number, police manager",
            police,
            [by_officer],
        ),
        ("API: list, police manager", police, [api]),
        ("API: search by full name, police manager", police, searches(api, police_terms["name"])),
        ("API: search by URN, police manager", police, searches(api, police_terms["urn"])),
    ]
    results: dict[str, dict[str, Any]] = {}
    timings = hp.time_interleaved(plan, runs)
    floor = timings[plan[0][0]]
    for label, timing in timings.items():
        hp.show(label, timing, None if timing is floor else floor)
        results[label] = {**timing.figures(), "floor_ratio": round(timing.median / floor.median, 2)}
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
    by_size: dict[int, dict[str, dict[str, Any]]] = {}
    with hp.Databases("case_list", args.database, keep=args.keep, seed=args.seed) as databases:
        print(f"case list benchmark: sizes {args.cases}, {args.runs} runs per figure", flush=True)
        for index, cases in enumerate(args.cases):
            databases.use(cases, index)
            by_size[cases] = measure(cases, args.runs)
            for label, figures in by_size[cases].items():
                if label in INFORMATION_ONLY or label.startswith("floor"):
                    continue
                if figures["floor_ratio"] > TARGET_FLOOR_RATIO:
                    failures.append(f"{cases:,} cases, {label}: {figures['floor_ratio']}× the floor")
        smallest, largest = min(by_size), max(by_size)
        if largest != smallest:
            print(f"\n== ratio {largest:,} / {smallest:,} cases (median; p95 in brackets)")
            for label, figures in by_size[largest].items():
                base = by_size[smallest][label]
                ratio = figures["median_ms"] / base["median_ms"]
                figures["scale_ratio"] = round(ratio, 2)
                note = "  (information only)" if label in INFORMATION_ONLY else ""
                print(f"  {label:<46} ×{ratio:5.2f}  (×{figures['p95_ms'] / base['p95_ms']:.2f}){note}")
                if ratio > TARGET_SCALE_RATIO and label not in INFORMATION_ONLY and not label.startswith("floor"):
                    failures.append(f"{label}: ×{ratio:.2f} from {smallest:,} to {largest:,} cases")
        if not args.no_record:
            _record(by_size)
    return hp.verdict(failures)


def _record(by_size: dict[int, dict[str, dict[str, Any]]]) -> None:
    try:
        from benchmarks._results import record
    except ImportError:  # the results writer is not there yet
        return
    record(
        "case_list",
        {str(cases): figures for cases, figures in by_size.items()},
        {"floor_ratio_max": TARGET_FLOOR_RATIO, "scale_ratio_max": TARGET_SCALE_RATIO},
    )


if __name__ == "__main__":
    hp.exit_with(main)
