"""Readers: any supported file → :class:`masa.ingest.document.Document`."""

from __future__ import annotations

import zipfile
from pathlib import Path

from ..document import Document
from ..errors import IngestError
from .guard import DEFAULT_MAX_BYTES, check_docx, check_size, decode, sniff


def read_document(path: str | Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Document:
    """Read a Word, PDF, markdown or text file, refusing bad input with an IngestError."""
    path = Path(path)
    check_size(path, max_bytes)
    kind = sniff(path)
    if kind == "docx":
        check_docx(path, max_bytes)
        from .docx import parse_docx

        try:
            doc = parse_docx(path)
        except (KeyError, ValueError, zipfile.BadZipFile) as exc:
            raise IngestError(path, f"corrupt Word document: {exc}") from None
        except Exception as exc:  # noqa: BLE001 - lxml and python-docx raise many types on malformed XML
            raise IngestError(path, f"corrupt Word document: {type(exc).__name__}: {exc}") from None
    elif kind == "pdf":
        doc = _read_pdf(path)
    else:
        text = decode(path, path.read_bytes())
        if kind == "markdown":
            from .markdown import parse_markdown

            doc = parse_markdown(text, path)
        else:
            from .text import parse_text

            doc = parse_text(text, path)
    if not any(b.text.strip() or b.rows for b in doc.blocks):
        raise IngestError(path, "no text found in the document")
    return doc


def _read_pdf(path: Path) -> Document:
    import pdfplumber
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(str(path))
        encrypted = reader.is_encrypted
        pages = len(reader.pages) if not encrypted else 0
    except (PyPdfError, ValueError, OSError, KeyError) as exc:
        raise IngestError(path, f"corrupt PDF: {exc}") from None
    if encrypted:
        raise IngestError(path, "the PDF is encrypted (password-protected); save an unprotected copy and try again")
    if pages == 0:
        raise IngestError(path, "the PDF has no pages")
    from .pdf import parse_pdf

    try:
        with pdfplumber.open(str(path)) as pdf:
            doc = parse_pdf(pdf, path)
    except IngestError:
        raise
    except Exception as exc:  # noqa: BLE001 - pdfminer raises many types on malformed files
        raise IngestError(path, f"corrupt PDF: {type(exc).__name__}: {exc}") from None
    if not any(b.text.strip() or b.rows for b in doc.blocks):
        raise IngestError(path, "the PDF has no text layer (a scan?); run OCR on it first")
    return doc


__all__ = ["DEFAULT_MAX_BYTES", "read_document"]
