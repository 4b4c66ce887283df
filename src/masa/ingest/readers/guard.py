"""Checks made before a parser sees the bytes: size, file type, zip bombs, encryption,
encodings. Each failure is an IngestError naming the file and the reason."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from ..errors import IngestError

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
MAX_RATIO = 100  # uncompressed / compressed, per zip member
MAX_UNZIPPED_FACTOR = 20  # the whole unzipped package may be at most this × max_bytes
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB"


def check_size(path: Path, max_bytes: int) -> int:
    if not path.exists():
        raise IngestError(path, "file not found")
    if not path.is_file():
        raise IngestError(path, "not a file")
    size = path.stat().st_size
    if size > max_bytes:
        raise IngestError(path, f"file is {_mb(size)}, over the import limit of {_mb(max_bytes)}")
    if size == 0:
        raise IngestError(path, "file is empty")
    return size


def sniff(path: Path) -> str:
    """docx | pdf | markdown | text, from the first bytes and then the suffix."""
    with path.open("rb") as f:
        head = f.read(8)
    suffix = path.suffix.lower()
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"PK"):
        return "docx"
    if head.startswith(_OLE):
        reason = ("an old .doc file or an encrypted (password-protected) Word document"
                  if suffix in (".doc", ".docx") else "an OLE compound file (old Office format or encrypted)")
        raise IngestError(path, f"{reason}; save it as an unprotected .docx and try again")
    if suffix == ".docx":
        raise IngestError(path, "corrupt Word document: not a zip package")
    if suffix == ".pdf":
        raise IngestError(path, "corrupt PDF: no %PDF header")
    if suffix in (".md", ".markdown"):
        return "markdown"
    return "text"


def check_zip(path: str | Path, max_bytes: int, required_member: str, kind: str, data: bytes | None = None) -> None:
    """Refuse a corrupt, encrypted or over-expanding (zip bomb) Office package before any parser
    unpacks it. The one copy of these limits: imports, indicator extracts and web uploads.

    ``kind`` names the format in messages ("Word document"); ``data`` is the package when it is
    in memory (an upload), ``path`` then only names it."""
    try:
        with zipfile.ZipFile(io.BytesIO(data) if data is not None else path) as z:
            infos = z.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise IngestError(path, f"corrupt {kind}: {exc}") from None
    if required_member not in {i.filename for i in infos}:
        raise IngestError(path, f"not {'an' if kind[:1] in 'AEIOU' else 'a'} {kind}: the package has no {required_member}")
    total = 0
    for i in infos:
        if i.flag_bits & 0x1:
            raise IngestError(path, f"encrypted zip member {i.filename}: remove the password and try again")
        total += i.file_size
        ratio = i.file_size / max(i.compress_size, 1)
        if i.file_size > 1024 * 1024 and ratio > MAX_RATIO:
            raise IngestError(path, f"refused as a possible zip bomb: {i.filename} expands {ratio:.0f}×")
    if total > max_bytes * MAX_UNZIPPED_FACTOR:
        raise IngestError(path, f"refused as a possible zip bomb: unpacks to {_mb(total)}")


def check_docx(path: Path, max_bytes: int) -> None:
    check_zip(path, max_bytes, "word/document.xml", "Word document")


def decode(path: Path, data: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, or Windows-1252; else a clear error."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise IngestError(path, f"invalid UTF-16 text at byte {exc.start}") from None
    nul = data.find(b"\x00")
    if nul >= 0:
        raise IngestError(path, f"binary data (a NUL byte at offset {nul}), not a text file")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        first = exc
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        bad, line = data[first.start], data[: first.start].count(b"\n") + 1
        raise IngestError(path, f"unknown text encoding: byte 0x{bad:02x} on line {line} (offset {first.start}) is "
                                "neither UTF-8 nor Windows-1252; save the file as UTF-8") from None
