"""Runs every benchmark in bench/ and prints one table of figures (`make bench`).

Each `bench_*.py` module exposes `run() -> list[Figure]`. Benchmarks print figures; they never
pass or fail, so the machine's speed does not decide whether the build is green.
"""

import importlib
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


@dataclass
class Figure:
    benchmark: str
    measure: str
    value: float
    unit: str
    note: str = ""


def timed(func, *, repeat: int = 5) -> float:
    """The best of `repeat` wall-clock runs, in seconds (the least disturbed by other load)."""
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        func()
        best = min(best, time.perf_counter() - started)
    return best


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    names = sorted(p.stem for p in (ROOT / "bench").glob("bench_*.py"))
    wanted = set(sys.argv[1:])
    figures: list[Figure] = []
    for name in names:
        if wanted and name not in wanted:
            continue
        module = importlib.import_module(f"bench.{name}")
        print(f"running {name} ...", file=sys.stderr)
        figures.extend(module.run())
    width = max((len(f.benchmark) + len(f.measure) for f in figures), default=20) + 3
    print(f"{'benchmark · measure':<{width}} {'value':>12}  unit      note")
    for f in figures:
        label = f"{f.benchmark} · {f.measure}"
        print(f"{label:<{width}} {f.value:>12.3f}  {f.unit:<8}  {f.note}")


if __name__ == "__main__":
    main()
