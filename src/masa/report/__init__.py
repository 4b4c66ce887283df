"""The report engine: a dataset → one report model → HTML, PDF, DOCX, CSV and XLSX.

Plain Python (never Django). Disclosure control is applied once, where figures are
published (see ``figures``); every comparison sentence is computed by ``masa.compare``.
"""

from __future__ import annotations

import os
import tempfile

from pathlib import Path
from typing import Callable, Iterable

from .builder import build_model
from .figures import ReportError
from .model import Report

FORMATS = ("html", "pdf", "docx", "csv", "xlsx")

__all__ = ["FORMATS", "Report", "ReportError", "build_model", "build_report", "check_formats", "output_name"]


def check_formats(formats: Iterable[str]) -> list[str]:
    """Normalise and validate format names; raise ValueError listing the valid ones."""
    out: list[str] = []
    for f in formats:
        f = f.strip().lower().lstrip(".")
        if not f:
            continue
        if f not in FORMATS:
            raise ValueError(f"unknown format {f!r}; valid formats: {', '.join(FORMATS)}")
        if f not in out:
            out.append(f)
    if not out:
        raise ValueError(f"no format given; valid formats: {', '.join(FORMATS)}")
    return out


def output_name(report: Report, fmt: str) -> str:
    suffix = "-INTERNAL" if report.internal else "-DRAFT" if report.draft else ""
    return f"{report.partnership}-{report.period}-report{suffix}.{fmt}"


def build_report(dataset, period: str, formats: Iterable[str], out_dir: Path, *, internal: bool = False,
                 draft: bool = False, findings: list | None = None,
                 progress: Callable[[str], None] | None = None, assurance=None, section11=None,
                 parallel_pdf: bool | None = None) -> dict[str, Path]:
    """Build the yearly report for ``period`` in each format into ``out_dir``; return the paths.

    The published build (the default) reads approved and published returns only and
    suppresses small counts. ``draft=True`` reads every return, for review; ``internal=True``
    also shows small counts. Both are marked NOT FOR PUBLICATION on every page of every format.

    The model is built once and every format is rendered from it. When the PDF is asked for
    with DOCX, CSV or XLSX, WeasyPrint runs in a second process (``pdf.PdfWorker``) while the
    others are written; ``parallel_pdf=False`` keeps it in this process.
    """
    from .docx_out import render_docx
    from .html import render_html
    from .opendata import render_csv, render_xlsx
    from .pdf import PdfWorker, render_pdf

    formats = check_formats(formats)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    say = progress or (lambda _msg: None)
    if parallel_pdf is None:
        parallel_pdf = ("pdf" in formats and bool({"docx", "csv", "xlsx"} & set(formats))
                        and PdfWorker.available())
    worker = PdfWorker().start() if parallel_pdf and "pdf" in formats else None  # imports WeasyPrint meanwhile
    try:
        say("model")
        report = build_model(dataset, period, internal=internal, draft=draft, findings=findings,
                             assurance=assurance, section11=section11)
        # Every format is written into a scratch folder first and moved into place only when all
        # of them succeeded: a failure never leaves a new HTML beside an old PDF, or half a file.
        staged: dict[str, Path] = {}
        with tempfile.TemporaryDirectory(prefix=".masa-build-", dir=out_dir) as scratch:
            names = {fmt: Path(scratch) / output_name(report, fmt) for fmt in formats}
            html = render_html(report) if {"html", "pdf"} & set(formats) else None
            if worker is not None:  # the PDF first, so it lays out while the rest is written
                html_file = names["html"] if "html" in formats else Path(scratch) / ".pdf-source.html"
                html_file.write_text(html, encoding="utf-8")
                worker.submit(html_file, names["pdf"])
            for fmt in formats:
                say(fmt)
                path = names[fmt]
                if fmt == "html":
                    if not path.exists():
                        path.write_text(html, encoding="utf-8")
                elif fmt == "pdf":
                    if worker is None:
                        render_pdf(html, path)
                elif fmt == "docx":
                    render_docx(report, path)
                elif fmt == "csv":
                    render_csv(report, path)
                elif fmt == "xlsx":
                    render_xlsx(report, path)
                staged[fmt] = path
            if worker is not None:
                worker.wait()
            written = {fmt: out_dir / path.name for fmt, path in staged.items()}
            for fmt, path in staged.items():
                os.replace(path, written[fmt])
    finally:
        if worker is not None:
            worker.cancel()
    return written
