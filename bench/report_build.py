"""P1: report build for the example partnership.

Times the HTML, PDF and DOCX builds separately (each from the dataset, so each includes
building the report model and its charts), the all-formats build, and, as the baseline in
the same run, WeasyPrint alone rendering the same pre-built HTML with the same options.
Targets: HTML < 1 s; all formats < 10 s; PDF step <= 1.3 x the WeasyPrint baseline.
It measures the draft build (every return, marked DRAFT): the example's returns are
submitted, not approved, so a public build would stop with "nothing approved".
Run: .venv/bin/python bench/report_build.py [example folder]
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def timed(fn):
    t = time.perf_counter()
    result = fn()
    return time.perf_counter() - t, result


def main() -> None:
    from weasyprint import HTML

    from masa.report import build_report
    from masa.report.pdf import PDF_OPTIONS
    from masa.returns import load_dataset

    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "examples" / "luton-2024-25"
    load_s, ds = timed(lambda: load_dataset(folder))
    period = ds.spec.periods.current
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        html_s, paths = timed(lambda: build_report(ds, period, ["html"], out / "html", draft=True))
        pdf_s, _ = timed(lambda: build_report(ds, period, ["pdf"], out / "pdf", draft=True))
        docx_s, _ = timed(lambda: build_report(ds, period, ["docx"], out / "docx", draft=True))
        html = paths["html"].read_text(encoding="utf-8")
        base_s, _ = timed(lambda: HTML(string=html).write_pdf(out / "baseline.pdf", **PDF_OPTIONS))
        all_s, _ = timed(lambda: build_report(ds, period, ["html", "pdf", "docx", "csv", "xlsx"], out / "all", draft=True))
    ratio = pdf_s / base_s

    def line(name, value, target, ok):
        print(f"{name:38} {value:>8}   target {target:10} {'OK' if ok else 'MISSED'}")

    print(f"P1 report build (draft build, every return): {ds.spec.partnership.name} {period} "
          f"({len(ds.returns)} returns; dataset load {load_s:.2f} s, not counted)")
    line("HTML (first build in process)", f"{html_s:.2f} s", "< 1 s", html_s < 1)
    line("PDF step (model + HTML + WeasyPrint)", f"{pdf_s:.2f} s", "", True)
    line("DOCX", f"{docx_s:.2f} s", "", True)
    line("Baseline: WeasyPrint on same HTML", f"{base_s:.2f} s", "", True)
    line("All formats (html,pdf,docx,csv,xlsx)", f"{all_s:.2f} s", "< 10 s", all_s < 10)
    line("Ratio PDF step / baseline", f"{ratio:.2f}x", "<= 1.3x", ratio <= 1.3)


if __name__ == "__main__":
    main()
