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
from .charts import warm_up
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
                 progress: Callable[[str], None] | None = None, assurance=None, section11=None) -> dict[str, Path]:
    """Build the yearly report for ``period`` in each format into ``out_dir``; return the paths.

    The published build (the default) reads approved and published returns only and
    suppresses small counts. ``draft=True`` reads every return, for review; ``internal=True``
    also shows small counts. Both are marked NOT FOR PUBLICATION on every page of every format.
    """
    from .docx_out import render_docx
    from .html import render_html
    from .opendata import render_csv, render_xlsx
    from .pdf import render_pdf

    formats = check_formats(formats)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    say = progress or (lambda _msg: None)
    say("model")
    warm_up()
    report = build_model(dataset, period, internal=internal, draft=draft, findings=findings, assurance=assurance,
                         section11=section11)
    # Every format is written into a scratch folder first and moved into place only when all
    # of them succeeded: a failure never leaves a new HTML beside an old PDF, or half a file.
    staged: dict[str, Path] = {}
    html = None
    with tempfile.TemporaryDirectory(prefix=".masa-build-", dir=out_dir) as scratch:
        for fmt in formats:
            say(fmt)
            path = Path(scratch) / output_name(report, fmt)
            if fmt in ("html", "pdf") and html is None:
                html = render_html(report)
            if fmt == "html":
                path.write_text(html, encoding="utf-8")
            elif fmt == "pdf":
                render_pdf(html, path)
            elif fmt == "docx":
                render_docx(report, path)
            elif fmt == "csv":
                render_csv(report, path)
            elif fmt == "xlsx":
                render_xlsx(report, path)
            staged[fmt] = path
        written = {fmt: out_dir / path.name for fmt, path in staged.items()}
        for fmt, path in staged.items():
            os.replace(path, written[fmt])
    return written

