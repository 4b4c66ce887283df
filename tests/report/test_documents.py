"""PDF and Word outputs: every partner present, real structure, metadata, alt text."""

from __future__ import annotations

import re
import shutil
import subprocess

from tests.conftest import need


def _normalise(text: str) -> str:
    text = re.sub(r"-\s*\n\s*", "-", text)  # hyphenation at a line end
    return " ".join(text.split())


def test_pdf_contains_every_partner_name(published, spec):
    need(shutil.which("pdftotext") is not None, "pdftotext (poppler-utils) not installed")
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(published["pdf"]), "-"],
                          capture_output=True, text=True, check=True).stdout
    flat = _normalise(text)
    for p in spec.partners:
        assert p.name in flat, p.name
    assert "Appendix C: Partners Voice of the Child Snapshot" in flat
    assert re.search(r"Page 2 of \d+", flat), "page numbers"


def test_pdf_is_tagged_with_title_and_language(published):
    from pypdf import PdfReader

    pdf = PdfReader(str(published["pdf"]))
    assert pdf.metadata.title == "Luton Safeguarding Children Partnership Yearly Report 2024-25"
    root = pdf.trailer["/Root"]
    assert root.get("/Lang") == "en-GB"
    assert "/StructTreeRoot" in root, "PDF is not tagged"
    assert len(pdf.pages) > 10


def test_docx_has_heading_outline_and_real_tables(published, spec):
    from docx import Document

    doc = Document(str(published["docx"]))
    heads = [(p.style.name, p.text) for p in doc.paragraphs if p.style.name.startswith("Heading")]
    h1 = [t for s, t in heads if s == "Heading 1"]
    h2 = [t for s, t in heads if s == "Heading 2"]
    assert h1 == ["Appendix B: Partners Safeguarding Snapshot", "Appendix C: Partners Voice of the Child Snapshot"]
    assert h2 == ([f"{p.name} – achievements and impact" for p in spec.partners] + [p.name for p in spec.partners])
    assert doc.core_properties.title == "Luton Safeguarding Children Partnership Yearly Report 2024-25"
    assert len(doc.tables) >= 10
    for t in doc.tables:
        assert t.rows[0]._tr.trPr is not None and t.rows[0]._tr.trPr.xpath("./w:tblHeader"), "header row"
        assert all(r.bold for r in t.rows[0].cells[0].paragraphs[0].runs)
    fire = next(t for t in doc.tables if [c.text for c in t.rows[0].cells][:2] == ["Local authority", "Sex"])
    female = next(r for r in fire.rows if r.cells[1].text == "Female")
    assert female.cells[-1].text == "c"


def test_docx_charts_carry_alt_text(published):
    from docx import Document

    doc = Document(str(published["docx"]))
    descr = [d.get("descr") for d in doc.element.body.xpath(".//wp:docPr")]
    assert descr and all(d and d.startswith("Bar chart of") for d in descr)
