"""Read a report document into plain text: txt, md, docx, pdf.

Every failure is a :class:`ReadError` with a one-line reason; callers report it against the
file and carry on with the other files.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

SUPPORTED = (".txt", ".md", ".markdown", ".docx", ".pdf")


class ReadError(Exception):
    """A file that cannot be read, with a reason fit for one line."""


def read_text(path: Path) -> str:
    suffix = path.suffix.lower()
    if not path.exists():
        raise ReadError("no such file")
    if path.is_dir():
        raise ReadError("is a folder, not a file")
    if suffix not in SUPPORTED:
        raise ReadError(f"unsupported file type {suffix or '(none)'}; use one of {', '.join(SUPPORTED)}")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ReadError(f"cannot read: {exc.strerror or exc}") from None
    if not data.strip():
        return ""
    if suffix == ".docx":
        return _docx(path)
    if suffix == ".pdf":
        return _pdf(path, data)
    return decode(data)


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), else Windows-1252, which is what Word on Windows saves."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise ReadError(f"not UTF-8 or Windows-1252 text (byte {exc.start})") from None


def _docx(path: Path) -> str:
    import docx

    if not zipfile.is_zipfile(path):
        raise ReadError("not a valid .docx (not a zip package; is it an old .doc or damaged?)")
    try:
        document = docx.Document(str(path))
    except Exception as exc:  # noqa: BLE001 - python-docx raises many types for damaged packages
        raise ReadError(f"damaged .docx: {type(exc).__name__}: {exc}") from None
    out: list[str] = []
    body = document.element.body
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            out.append("".join(t.text or "" for t in child.iter() if t.tag.endswith("}t")))
        elif tag == "tbl":
            for row in child.iter():
                if row.tag.endswith("}tr"):
                    cells = []
                    for cell in row:
                        if cell.tag.endswith("}tc"):
                            cells.append(" ".join("".join(t.text or "" for t in p.iter() if t.tag.endswith("}t"))
                                                  for p in cell if p.tag.endswith("}p")).strip())
                    out.append("\t".join(cells))
            out.append("")
    return "\n".join(out)


def _pdf(path: Path, data: bytes) -> str:
    if not data.startswith(b"%PDF"):
        raise ReadError("not a PDF (no %PDF header)")
    try:
        from pypdf import PdfReader

        if PdfReader(str(path)).is_encrypted:
            raise ReadError("encrypted PDF: it needs a password")
    except ReadError:
        raise
    except Exception as exc:  # noqa: BLE001 - pypdf raises many types for damaged files
        raise ReadError(f"damaged PDF: {type(exc).__name__}: {exc}".strip().rstrip(":")) from None
    try:
        import pdfplumber
        from pdfminer.pdfdocument import PDFPasswordIncorrect
    except ImportError:  # pragma: no cover
        raise ReadError("pdfplumber is not installed") from None
    try:
        with pdfplumber.open(str(path)) as pdf:
            pages = [p.extract_text() or "" for p in pdf.pages]
    except PDFPasswordIncorrect:
        raise ReadError("encrypted PDF: it needs a password") from None
    except Exception as exc:  # noqa: BLE001 - pdfminer raises many types for damaged files
        name = type(exc).__name__
        if "password" in str(exc).lower() or "encrypt" in str(exc).lower() or name == "PDFPasswordIncorrect":
            raise ReadError("encrypted PDF: it needs a password") from None
        raise ReadError(f"damaged PDF: {name}: {exc}".strip()) from None
    return "\n\n".join(pages)
