"""P1: report build for the example partnership (draft build, every return).

Each timing runs in a fresh Python process, as `masa report build` does, so it includes the
imports and any engine start-up; the dataset is loaded first and not counted. Each is run 3
times and the median printed, with the load average (the machine is shared and noisy).

Measured:
- HTML build (model + charts + HTML), target < 1 s;
- PDF step (model + HTML + PDF), DOCX build, all formats (html, pdf, docx, csv, xlsx), target < 5 s;
- two HTML-to-PDF renderers on the same pre-built HTML, each from a cold process: WeasyPrint
  with masa's options (tagged, PDF/UA-1) and Chromium's print to PDF (Playwright,
  /usr/bin/chromium, tagged, with the browser's launch); and each renderer warm (a second
  document in the same process or browser), for information;
- target: the PDF step <= 1.3 x the best cold renderer of the PDF masa publishes (WeasyPrint;
  Chromium's ratio is printed for information: docs/report.md says why it is not eligible).

It measures the draft build: the example's returns are submitted, not approved, so a public
build would stop with "nothing approved". Exits 1 when a target fails.

Run: .venv/bin/python bench/report_build.py [example folder] [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(ROOT / "src"))

from common import header, load_text, median_of, verdict

CHROMIUM = "/usr/bin/chromium"
ALL = "html,pdf,docx,csv,xlsx"
ELIGIBLE = {"WeasyPrint"}  # renderers that write the PDF masa publishes


# --- the child: one cold measurement, printed as JSON -------------------------------------------

def _cpu() -> float:
    """CPU seconds of this process and of its children that have ended (the PDF worker)."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def _child(kind: str, folder: Path, html_file: Path | None) -> dict:
    """One cold measurement: ``seconds`` (wall) and ``cpu`` of the timed part, and details."""
    out: dict = {}
    if kind.startswith("build:"):
        from masa.returns import load_dataset

        ds = load_dataset(folder)
        period = ds.spec.periods.current
        with tempfile.TemporaryDirectory() as tmp:
            cpu, t = _cpu(), time.perf_counter()
            from masa.report import build_report

            paths = build_report(ds, period, kind[6:].split(","), Path(tmp), draft=True)
            out["seconds"], out["cpu"] = time.perf_counter() - t, _cpu() - cpu
            out["files"] = {f: p.stat().st_size for f, p in paths.items()}
            if "pdf" in paths:
                out["pdf"] = _pdfinfo(paths["pdf"])
    elif kind == "weasyprint":
        from masa.report.pdf import PDF_OPTIONS  # masa's own imports are not the renderer's time

        html = html_file.read_text(encoding="utf-8")
        with tempfile.TemporaryDirectory() as tmp:
            cpu, t = _cpu(), time.perf_counter()
            from weasyprint import HTML

            HTML(string=html).write_pdf(Path(tmp) / "a.pdf", **PDF_OPTIONS)
            out["seconds"], out["cpu"] = time.perf_counter() - t, _cpu() - cpu
            t = time.perf_counter()
            HTML(string=html).write_pdf(Path(tmp) / "b.pdf", **PDF_OPTIONS)
            out["warm"] = time.perf_counter() - t
            out["pdf"] = _pdfinfo(Path(tmp) / "a.pdf")
    elif kind == "chromium":
        html = html_file.read_text(encoding="utf-8")
        with tempfile.TemporaryDirectory() as tmp:
            cpu, t = _cpu(), time.perf_counter()
            from playwright.sync_api import sync_playwright

            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM)
                for name in ("a", "b"):
                    t1 = time.perf_counter()
                    page = browser.new_page()
                    page.set_content(html)
                    page.pdf(path=str(Path(tmp) / f"{name}.pdf"), format="A4", tagged=True, outline=True,
                             prefer_css_page_size=True, print_background=True)
                    page.close()
                    if name == "a":
                        first = time.perf_counter() - t
                    else:
                        out["warm"] = time.perf_counter() - t1
                browser.close()
            out["seconds"], out["cpu"] = first, _cpu() - cpu  # CPU: both documents, the browser once ended
            out["pdf"] = _pdfinfo(Path(tmp) / "a.pdf")
    return out


def _pdfinfo(path: Path) -> dict:
    if not shutil.which("pdfinfo"):
        return {}
    text = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=False).stdout
    info = dict(line.split(":", 1) for line in text.splitlines() if ":" in line)
    return {k: info.get(k, "").strip() for k in ("Pages", "Tagged", "Title")}


# --- the parent ------------------------------------------------------------------------------------

def cold(kind: str, folder: Path, runs: int, html_file: Path | None = None) -> tuple[float, dict, list[float]]:
    """Median wall seconds of ``runs`` fresh processes, the last one's details (with ``cpu_median``),
    and every run's wall seconds."""
    results = []
    for _ in range(runs):
        cmd = [sys.executable, __file__, str(folder), "--child", kind]
        if html_file:
            cmd += ["--html", str(html_file)]
        proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, check=False)
        if proc.returncode != 0:
            raise SystemExit(f"{kind}: the measuring process failed:\n{proc.stderr[-2000:]}")
        results.append(json.loads(proc.stdout.strip().splitlines()[-1]))
    last = dict(results[-1], cpu_median=statistics.median(r["cpu"] for r in results))
    return statistics.median(r["seconds"] for r in results), last, [r["seconds"] for r in results]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("folder", nargs="?", default=str(ROOT / "examples" / "luton-2024-25"))
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--child")
    ap.add_argument("--html")
    args = ap.parse_args()
    folder = Path(args.folder)
    if args.child:
        print(json.dumps(_child(args.child, folder, Path(args.html) if args.html else None)))
        return 0

    header("P1 report build (draft build, every return, each timing a fresh process, median of "
           f"{args.runs})")
    from masa.report import build_model
    from masa.report.html import render_html
    from masa.returns import load_dataset

    t = time.perf_counter()
    ds = load_dataset(folder)
    print(f"{ds.spec.partnership.name} {ds.spec.periods.current}: {len(ds.returns)} returns "
          f"(dataset load {time.perf_counter() - t:.2f} s, not counted)")
    ok = True

    def show(name: str, secs: float, runs: list[float], info: dict, extra: str = "") -> None:
        each = ", ".join(f"{s:.2f}" for s in runs)
        print(f"  {name:40} {secs:6.2f} s wall, {info['cpu_median']:5.2f} s CPU   runs [{each}] {extra}"
              f"  ({load_text()})", flush=True)

    html_s, html_info, runs = cold("build:html", folder, args.runs)
    show("HTML build", html_s, runs, html_info)
    pdf_s, pdf_info, runs = cold("build:pdf", folder, args.runs)
    show("PDF step (model + HTML + WeasyPrint)", pdf_s, runs, pdf_info, f"{pdf_info.get('pdf')}")
    docx_s, docx_info, runs = cold("build:docx", folder, args.runs)
    show("DOCX build", docx_s, runs, docx_info)
    all_s, all_info, runs = cold("build:" + ALL, folder, args.runs)
    show("All formats (CPU: both processes)", all_s, runs, all_info, f"{all_info.get('files')}")

    # Warm, in this process (as in `masa serve`): imports done, the chart cache emptied each run.
    from masa.report import build_report
    from masa.report.charts import PNG_CACHE, SVG_CACHE

    def warm_all() -> None:
        SVG_CACHE.clear()
        PNG_CACHE.clear()
        with tempfile.TemporaryDirectory() as tmp:
            build_report(ds, ds.spec.periods.current, ALL.split(","), Path(tmp), draft=True)

    warm_all()  # the first build pays the imports
    warm_s, _ = median_of(warm_all, runs=args.runs)
    print(f"  {'All formats, warm process (information)':42} {warm_s:6.2f} s   median of {args.runs}  "
          f"({load_text()})", flush=True)

    with tempfile.TemporaryDirectory() as tmp:
        html_file = Path(tmp) / "report.html"
        html_file.write_text(render_html(build_model(ds, ds.spec.periods.current, draft=True)), encoding="utf-8")
        renderers = {}
        w_s, w_info, runs = cold("weasyprint", folder, args.runs, html_file)
        show("Renderer: WeasyPrint, cold", w_s, runs, w_info, f"warm {w_info['warm']:.2f} s; {w_info.get('pdf')}")
        renderers["WeasyPrint"] = w_s
        if Path(CHROMIUM).exists():
            c_s, c_info, runs = cold("chromium", folder, args.runs, html_file)
            show("Renderer: Chromium print to PDF, cold", c_s, runs, c_info,
                 f"warm {c_info['warm']:.2f} s; {c_info.get('pdf')}")
            renderers["Chromium"] = c_s
        else:
            print(f"  Chromium not found at {CHROMIUM}: only WeasyPrint measured")
    print("Targets:")
    ok &= verdict("HTML build (cold process)", f"{html_s:.2f} s", "< 1 s", html_s < 1)
    ok &= verdict("All formats (cold process)", f"{all_s:.2f} s", "< 5 s", all_s < 5)
    # The target's yardstick is the best renderer of the PDF masa publishes: tagged, PDF/UA-1,
    # contents with page numbers, running title. Chromium's print to PDF has none of the last
    # three (docs/report.md), so its ratio is printed for information, not judged.
    eligible = {k: v for k, v in renderers.items() if k in ELIGIBLE}
    best_name = min(eligible, key=eligible.get)
    ratio = pdf_s / eligible[best_name]
    ok &= verdict(f"PDF step / best eligible renderer ({best_name})", f"{ratio:.2f}x", "<= 1.3x", ratio <= 1.3)
    for name, secs in renderers.items():
        if name not in ELIGIBLE:
            print(f"{'(info) PDF step / ' + name + ', not eligible':44} {pdf_s / secs:9.2f}x   "
                  f"no contents page numbers, no running title, no PDF/UA-1 mark   ({load_text()})")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
