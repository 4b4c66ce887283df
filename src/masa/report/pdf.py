"""HTML → PDF with WeasyPrint: the same HTML the web gets, laid out by the print CSS.

The PDF is tagged (``pdf_tags``) so screen readers get the heading and table structure; the
document title and language come from ``<title>`` and ``<html lang>``.

WeasyPrint is the slowest step of a build (about 3 s of CPU for the example's 51 pages, plus
0.8 s to import it). When a build writes other formats too, ``PdfWorker`` runs it in a
separate Python process started at the beginning of the build: the import overlaps the model,
and the layout overlaps the DOCX, CSV and XLSX, on a second core. The child runs the same call
with the same options on the same HTML, so the PDF is the same as ``render_pdf``'s.
Chromium's print to PDF was measured against it and not adopted (docs/report.md).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from .boundary import ReportError

PDF_OPTIONS = {"pdf_tags": True, "pdf_variant": "pdf/ua-1", "uncompressed_pdf": False}


def render_pdf(html: str, path: Path) -> Path:
    from weasyprint import HTML

    HTML(string=html, base_url=None).write_pdf(path, **PDF_OPTIONS)
    return path


# The child: import WeasyPrint at once, then wait for one job (a JSON line on stdin). An empty
# line or a closed stdin (the build failed before its HTML was ready) ends it quietly.
_CHILD = """
import json, sys
from pathlib import Path
from weasyprint import HTML
line = sys.stdin.readline()
if line.strip():
    job = json.loads(line)
    html = Path(job["html"]).read_text(encoding="utf-8")
    HTML(string=html, base_url=None).write_pdf(job["pdf"], **job["options"])
"""


class PdfWorker:
    """``render_pdf`` in a separate process: ``start()`` early, ``submit()`` the HTML file,
    ``wait()`` for the PDF. A failure is a ``ReportError`` naming the cause, never a traceback."""

    def __init__(self) -> None:
        self.proc: subprocess.Popen | None = None
        self.pdf: Path | None = None

    @staticmethod
    def available() -> bool:
        """Whether this process can start a Python child (not so under an embedding server
        whose ``sys.executable`` is not Python): otherwise the PDF is written in-process."""
        return Path(sys.executable or "").name.startswith("python")

    def start(self) -> PdfWorker:
        self.proc = subprocess.Popen([sys.executable, "-c", _CHILD], stdin=subprocess.PIPE,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        return self

    def submit(self, html_path: Path, pdf_path: Path) -> None:
        self.pdf = Path(pdf_path)
        job = {"html": str(html_path), "pdf": str(pdf_path), "options": PDF_OPTIONS}
        try:
            self.proc.stdin.write(json.dumps(job) + "\n")
            self.proc.stdin.close()
        except (OSError, ValueError):  # the child has already died (e.g. WeasyPrint failed to import): wait() says why
            pass

    def wait(self) -> Path:
        err = self.proc.stderr.read()  # to its end: stdout is not kept, so this cannot block the child
        self.proc.wait()
        if self.proc.returncode != 0 or self.pdf is None or not self.pdf.exists():
            last = next((x for x in reversed((err or "").strip().splitlines()) if x.strip()), "no message")
            raise ReportError(f"the PDF could not be written (WeasyPrint, exit {self.proc.returncode}): {last}")
        return self.pdf

    def cancel(self) -> None:
        """End the child if the build stops early; harmless when it has finished."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        if self.proc is not None and self.proc.stderr and not self.proc.stderr.closed:
            self.proc.stderr.close()
