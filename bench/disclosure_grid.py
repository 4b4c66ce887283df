"""How long the publishing boundary takes to protect one large table of mostly small counts.

Not part of ``make bench`` (one run takes minutes): it reproduces the figure in
docs/disclosure.md. Three breakdowns (area, sex, age group) over a year, its quarters and the
year before, leaves drawn from 0-8 with a fixed seed, 80% of the grid supplied.

    .venv/bin/python bench/disclosure_grid.py
"""

from __future__ import annotations

import itertools
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from masa.report import boundary  # noqa: E402
from masa.spec import load_spec  # noqa: E402
from tests.report import test_publishing_boundary as grid  # noqa: E402


def main() -> None:
    print(f"cores {os.cpu_count()}, load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    base = load_spec(ROOT / "examples" / "luton-2024-25" / "spec")
    rnd = random.Random(3)
    dims = ["area", "sex", "age-group"]
    spec = grid._spec_with(base, dims)
    truth, _ = grid._grid(spec, dims, True, True, (rnd.randint(0, 8) for _ in itertools.count()))
    supplied = {k: v for k, v in truth.items() if rnd.random() < 0.8}
    start = time.perf_counter()
    figures = boundary.published_figures(grid._dataset(spec, supplied), grid.YEAR)
    took = time.perf_counter() - start
    print(f"{len(truth)} cells in the grid, {len(supplied)} supplied, {len(figures)} published: {took:.1f} s")


if __name__ == "__main__":
    main()
