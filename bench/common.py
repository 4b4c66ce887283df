"""Shared helpers for the benchmarks in bench/ (issue 15).

This machine is shared and noisy, so every benchmark prints the core count and load
average first, times each figure several times and reports the median, and prints each
target as one aligned PASS/FAIL line; the script exits non-zero when one fails.

    from common import header, median_of, verdict   # bench/ is on sys.path when run as a script

    header("P1 report build")
    secs, result = median_of(lambda: build(), runs=3)
    ok = verdict("HTML", f"{secs:.2f} s", "< 1 s", secs < 1)
    sys.exit(0 if ok else 1)
"""

from __future__ import annotations

import os
import statistics
import time
from typing import Callable, TypeVar

T = TypeVar("T")


def load_text() -> str:
    """The 1, 5 and 15 minute load averages, e.g. "load 0.52 0.61 0.40"."""
    try:
        one, five, fifteen = os.getloadavg()
    except OSError:  # pragma: no cover - not on Linux
        return "load n/a"
    return f"load {one:.2f} {five:.2f} {fifteen:.2f}"


def header(title: str) -> None:
    """Print the benchmark's title with the machine's core count and current load average."""
    cores = os.cpu_count() or 0
    print(f"{title} | {cores} cores | {load_text()}", flush=True)


def median_of(fn: Callable[[], T], runs: int = 3) -> tuple[float, T]:
    """Run ``fn`` ``runs`` times; return (median seconds, result of the last run)."""
    if runs < 1:
        raise ValueError("runs must be at least 1")
    times: list[float] = []
    result = None
    for _ in range(runs):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), result  # type: ignore[return-value]


def verdict(name: str, value_text: str, target_text: str, ok: bool) -> bool:
    """Print one aligned line: name, measured value, target, PASS or FAIL, load; return ``ok``."""
    print(f"{name:44} {value_text:>10}   target {target_text:10} {'PASS' if ok else 'FAIL'}"
          f"   ({load_text()})", flush=True)
    return bool(ok)
