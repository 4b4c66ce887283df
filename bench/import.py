"""P5: import the ~70 KB Appendix B seed; target under 1 second.

Prints the median import time and its ratio to a baseline measured in the same run (reading
the file and splitting it into lines), so the figure means something on any machine.

    .venv/bin/python bench/import.py [SEED_FILE]
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from masa.ingest import import_document
from masa.spec import load_spec

TARGET_SECONDS = 1.0
RUNS = 5


def _seed_b() -> Path:
    for f in sorted((ROOT.parent / "shared" / "seeds").glob("*.txt")):
        if "Appendix B" in f.read_text(encoding="utf-8", errors="replace")[:400]:
            return f
    sys.exit("no Appendix B seed found in ../shared/seeds; pass the file as an argument")


def _median(fn) -> float:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else _seed_b()
    spec = load_spec(ROOT / "examples" / "luton-2024-25" / "spec")
    import_document(path, spec, "2024-25")  # warm-up: imports, regex compilation
    baseline = _median(lambda: path.read_text(encoding="utf-8").splitlines())
    result = import_document(path, spec, "2024-25")
    took = _median(lambda: import_document(path, spec, "2024-25"))
    verdict = "PASS" if took < TARGET_SECONDS else "FAIL"
    print(f"file            {path.name} ({path.stat().st_size / 1024:.0f} KB)")
    print(f"returns         {len(result.returns)}; figures {len(result.report.figures)}")
    print(f"baseline        {baseline * 1000:.2f} ms (read + split lines)")
    print(f"import          {took * 1000:.1f} ms (median of {RUNS})")
    print(f"ratio           {took / baseline:.0f}x baseline")
    print(f"target          < {TARGET_SECONDS:.1f} s: {verdict}")
    return 0 if verdict == "PASS" else 1


if __name__ == "__main__":
    sys.exit(main())
