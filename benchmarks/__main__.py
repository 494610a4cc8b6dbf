"""``make bench``: every benchmark in turn, with its default sizes. Pass a module name to run one:
``python -m benchmarks alert_sweep --cases 100000``."""

from __future__ import annotations

import importlib
import sys

BENCHMARKS = ("alert_sweep", "metrics_dashboard")


def main(argv: list[str]) -> int:
    names = [argv[0]] if argv and argv[0] in BENCHMARKS else list(BENCHMARKS)
    rest = argv[1:] if argv and argv[0] in BENCHMARKS else argv
    status = 0
    for name in names:
        print(f"== benchmarks.{name}", flush=True)
        module = importlib.import_module(f"benchmarks.{name}")
        status = max(status, int(module.main(rest)))
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
