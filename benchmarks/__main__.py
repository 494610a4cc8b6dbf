"""``make bench``: every benchmark in turn, with its default sizes. Pass a module name to run one:
``python -m benchmarks alert_sweep --cases 100000``. Options without a name go to every benchmark; each accepts
``--quick`` (small sizes, for a run in a few minutes): ``make bench BENCH_ARGS=--quick``. Each writes its figures
to ``benchmarks/results/`` (``benchmarks/_results.py``)."""

from __future__ import annotations

import importlib
import sys
import traceback

BENCHMARKS = (
    "alert_sweep",
    "metrics_dashboard",
    "quality_checks",
    "api_bulk_create",
    "case_list",
    "cps_queue",
    "concurrency",
    "synthetic_generate",
)


def main(argv: list[str]) -> int:
    names = [argv[0]] if argv and argv[0] in BENCHMARKS else list(BENCHMARKS)
    rest = argv[1:] if argv and argv[0] in BENCHMARKS else argv
    status = 0
    for name in names:
        print(f"== benchmarks.{name}", flush=True)
        module = importlib.import_module(f"benchmarks.{name}")
        try:
            code = int(module.main(rest))
        except SystemExit as exc:  # argparse refusing an option: say so and go on with the others
            code = exc.code if isinstance(exc.code, int) else 1
            print(f"benchmarks.{name} stopped (exit {code})", flush=True)
        except Exception:  # noqa: BLE001 - one benchmark failing must not keep the others from running
            traceback.print_exc()
            print(f"benchmarks.{name} failed: see the traceback above; going on with the others", flush=True)
            code = 1
        status = max(status, code)
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
