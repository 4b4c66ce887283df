"""Bad files give one clear line naming the file and the reason, and nothing is imported."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from masa.ingest import IngestError, import_document


def _blank_pdf(path: Path, password: str | None = None) -> Path:
    from pypdf import PdfWriter

    w = PdfWriter()
    w.add_blank_page(width=200, height=200)
    if password:
        w.encrypt(password)
    with path.open("wb") as f:
        w.write(f)
    return path


def _zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return path


def _corrupt_zip(tmp: Path) -> Path:
    good = io.BytesIO()
    with zipfile.ZipFile(good, "w") as z:
        z.writestr("word/document.xml", "<w:document/>" * 50)
    data = bytearray(good.getvalue())
    data[-30:] = b"\x00" * 30  # break the central directory
    path = tmp / "corrupt.docx"
    path.write_bytes(bytes(data))
    return path


CASES = {
    "corrupt zip": (_corrupt_zip, "corrupt Word document"),
    "not a zip": (lambda t: (t / "fake.docx").write_bytes(b"just words") and t / "fake.docx",
                  "corrupt Word document: not a zip package"),
    "zip without a document": (lambda t: _zip(t / "other.docx", {"hello.txt": b"hi"}), "not a Word document"),
    "zip bomb": (lambda t: _zip(t / "bomb.docx", {"word/document.xml": b"0" * (3 * 1024 * 1024)}),
                 "possible zip bomb"),
    "encrypted Word": (lambda t: (t / "locked.docx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
                       and t / "locked.docx", "password-protected"),
    "encrypted PDF": (lambda t: _blank_pdf(t / "locked.pdf", "secret"), "encrypted (password-protected)"),
    "PDF without text": (lambda t: _blank_pdf(t / "scan.pdf"), "no text layer"),
    "corrupt PDF": (lambda t: (t / "broken.pdf").write_bytes(b"%PDF-1.7\n garbage") and t / "broken.pdf",
                    "corrupt PDF"),
    "undecodable text": (lambda t: (t / "odd.txt").write_bytes(b"Appendix B\n\nELFT \x81\x8d text\n") and t / "odd.txt",
                         "unknown text encoding: byte 0x81 on line 3 (offset 17)"),
    "binary as text": (lambda t: (t / "bin.txt").write_bytes(b"abc\x00def") and t / "bin.txt", "binary data"),
    "empty": (lambda t: (t / "empty.md").write_bytes(b"") or t / "empty.md", "file is empty"),
    "missing": (lambda t: t / "nowhere.docx", "file not found"),
    "no partner": (lambda t: (t / "stray.txt").write_text("Appendix B: Report\n\nNothing about partners here.\n")
                   and t / "stray.txt", "no partner sections found"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_bad_file_is_one_clear_line(tmp_path, spec, case):
    make, reason = CASES[case]
    path = make(tmp_path)
    with pytest.raises(IngestError) as err:
        import_document(path, spec, "2024-25")
    message = str(err.value)
    assert "\n" not in message
    assert message.startswith(f"{path.name}: ")
    assert reason in message


def test_oversize_file_refused_before_reading(tmp_path, spec):
    path = tmp_path / "big.txt"
    path.write_text("Appendix B\n\nELFT - achievements and impact\n\n" + "words " * 400, encoding="utf-8")
    with pytest.raises(IngestError, match=r"big.txt: file is 0.0 MB, over the import limit"):
        import_document(path, spec, "2024-25", max_bytes=1000)
    assert import_document(path, spec, "2024-25", max_bytes=10_000).returns  # the limit is the only problem


def test_unknown_period_and_template_are_refused(tmp_path, spec):
    path = tmp_path / "ok.txt"
    path.write_text("Appendix B\n\nELFT - achievements and impact\n\nText.\n", encoding="utf-8")
    with pytest.raises(IngestError, match="period 2030-31 is not in the partnership's spec"):
        import_document(path, spec, "2030-31")
    with pytest.raises(IngestError, match="unknown template 'appendix-z'"):
        import_document(path, spec, "2024-25", template="appendix-z")
