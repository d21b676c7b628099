"""Benchmark: the time to grade one full correct submission of each assignment.

Reports wall time per assignment (median of --repeats), the share spent starting student
processes, and the slowest checks, plus the ratio to a baseline measured in the same process
(one sandbox start + one call), so figures from different machines compare.

    .venv/bin/python bench/bench_grading.py [--repeats 3]
"""
from __future__ import annotations

import argparse
import statistics
import time

import numpy as np

from autograder.grading.runner import grade
from autograder.paths import REPO_ROOT
from autograder.registry import ASSIGNMENTS
from autograder.sandbox import Sandbox


def baseline() -> float:
    """One student process started and one trivial call answered (seconds)."""
    start = time.perf_counter()
    with Sandbox({"m.py": b"def f(x):\n    return x\n"}) as sandbox:
        sandbox.call("m", "f", np.zeros(3))
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    base = statistics.median(baseline() for _ in range(args.repeats))
    print(f"baseline (start a student process + one call): {base * 1000:.0f} ms\n")
    print(f"{'assignment':<18} {'score':>7} {'median s':>9} {'x baseline':>11}  slowest checks")
    for name in ASSIGNMENTS:
        times, report = [], None
        for _ in range(args.repeats):
            t0 = time.perf_counter()
            report = grade(REPO_ROOT / "solutions" / name, name)
            times.append(time.perf_counter() - t0)
        median = statistics.median(times)
        slow = sorted(report.results, key=lambda r: -r.elapsed)[:3]
        slowest = ", ".join(f"{r.name} {r.elapsed * 1000:.0f} ms" for r in slow)
        print(f"{name:<18} {report.score:>7g} {median:>9.2f} {median / base:>11.1f}  {slowest}")


if __name__ == "__main__":
    main()
