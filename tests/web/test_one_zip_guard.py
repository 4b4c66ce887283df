"""One zip-bomb guard (masa.ingest.readers.guard.check_zip) for every Office package masa
opens: imported Word documents, .xlsx indicator extracts and .xlsx figures uploads. Each
refuses the same packages with the same reason, before any parser unpacks them."""

from __future__ import annotations

import io
import zipfile

import pytest

from masa.indicators import ExtractError, compute
from masa.ingest import IngestError
from masa.ingest.readers import guard
from tests.indicators.indicators_helpers import luton_definitions


def _package(members: dict[str, bytes], encrypted: str = "") -> bytes:
    """A zip package; the member named ``encrypted`` is marked password-protected (flag bit 0
    in the central directory, which is what readers look at before unpacking)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    out = bytearray(buf.getvalue())
    at = out.find(b"PK\x01\x02")
    while encrypted and at >= 0:
        size = int.from_bytes(out[at + 28:at + 30], "little")
        if out[at + 46:at + 46 + size].decode() == encrypted:
            out[at + 8] |= 0x1
        at = out.find(b"PK\x01\x02", at + 46)
    return bytes(out)


BOMB = b"0" * (3 * 1024 * 1024)  # 3 MB of zeros packs to a few KB: over 100× expansion


def _refusals(tmp_path, members: dict[str, bytes], encrypted: str = "") -> dict[str, str]:
    """What each reader says about the same extra members in its own kind of package."""
    from masa.web.site.spreadsheets import UploadError, read_upload

    out = {}
    docx = tmp_path / "report.docx"
    docx.write_bytes(_package({"word/document.xml": b"<w:document/>", **members}, encrypted))
    with pytest.raises(IngestError) as e:
        guard.check_docx(docx, guard.DEFAULT_MAX_BYTES)
    out["import"] = e.value.reason
    xlsx = _package({"xl/workbook.xml": b"<workbook/>", **members}, encrypted)
    (tmp_path / "referrals.xlsx").write_bytes(xlsx)
    csc = [d for d in luton_definitions() if d.source.table == "referrals"]
    with pytest.raises(ExtractError) as e:
        compute(csc, {"referrals": tmp_path / "referrals.xlsx"}, "2024-25")
    out["extract"] = str(e.value).removeprefix("referrals.xlsx: ")
    with pytest.raises(UploadError) as e:
        read_upload("figures.xlsx", xlsx, 1024 * 1024)
    out["upload"] = str(e.value).removeprefix("figures.xlsx: ")
    return out


def test_a_zip_bomb_member_is_refused_alike_by_every_reader(tmp_path, monkeypatch):
    import openpyxl

    monkeypatch.setattr(openpyxl, "load_workbook", lambda *a, **k: pytest.fail("opened a zip bomb"))
    said = _refusals(tmp_path, {"media/big.bin": BOMB})
    assert len(set(said.values())) == 1, said
    assert said["import"].startswith("refused as a possible zip bomb: media/big.bin expands")


def test_an_encrypted_member_is_refused_alike_by_every_reader(tmp_path):
    said = _refusals(tmp_path, {"secret.xml": b"<x/>"}, encrypted="secret.xml")
    assert set(said.values()) == {"encrypted zip member secret.xml: remove the password and try again"}, said


def test_a_package_without_its_main_part_is_named_by_kind(tmp_path):
    from masa.web.site.spreadsheets import UploadError, read_upload

    with pytest.raises(UploadError, match="^figures.xlsx: not an Excel workbook: the package has no xl/workbook.xml$"):
        read_upload("figures.xlsx", _package({"word/document.xml": b"<w:document/>"}), 1024 * 1024)
