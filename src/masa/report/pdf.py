"""HTML → PDF with WeasyPrint: the same HTML the web gets, laid out by the print CSS.

The PDF is tagged (``pdf_tags``) so screen readers get the heading and table structure; the
document title and language come from ``<title>`` and ``<html lang>``.
"""

from __future__ import annotations

from pathlib import Path

PDF_OPTIONS = {"pdf_tags": True, "pdf_variant": "pdf/ua-1", "uncompressed_pdf": False}


def render_pdf(html: str, path: Path) -> Path:
    from weasyprint import HTML

    HTML(string=html, base_url=None).write_pdf(path, **PDF_OPTIONS)
    return path
