"""PDF and Word outputs: every partner present, real structure, metadata, alt text."""

from __future__ import annotations

import functools
import re
import shutil
import subprocess

from tests.conftest import need


def _normalise(text: str) -> str:
    text = re.sub(r"-\s*\n\s*", "-", text)  # hyphenation at a line end
    return " ".join(text.split())


@functools.cache
def _pdftotext(path) -> str:
    """The PDF's text; each of the session's built PDFs is read once (several tests read it)."""
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def test_pdf_contains_every_partner_name(published, spec):
    need(shutil.which("pdftotext") is not None, "pdftotext (poppler-utils) not installed")
    text = _pdftotext(published["pdf"])
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


def _pdf_pages(path) -> list[str]:
    need(shutil.which("pdftotext") is not None, "pdftotext (poppler-utils) not installed")
    text = _pdftotext(path)
    return [_normalise(p) for p in text.split("\f") if p.strip()]


def test_pdf_has_a_contents_page_with_the_page_of_each_section(published):
    pages = _pdf_pages(published["pdf"])
    contents = pages[0]
    assert "Contents" in contents
    m = re.search(r"Appendix C: Partners Voice of the Child Snapshot[ .]*?(\d+)\b", contents)
    assert m, contents[:500]
    page = int(m.group(1))
    assert page > 2
    assert "Appendix C: Partners Voice of the Child Snapshot" in pages[page - 1]
    assert "Appendix C: Partners Voice of the Child Snapshot" not in pages[page - 2]


def test_every_page_of_a_draft_pdf_is_marked_and_a_public_one_never(draft, published):
    pages = _pdf_pages(draft["pdf"])
    assert len(pages) > 10
    assert [i + 1 for i, p in enumerate(pages) if p.count("DRAFT – NOT FOR PUBLICATION") < 2] == []
    assert not [p for p in _pdf_pages(published["pdf"]) if "NOT FOR PUBLICATION" in p]


def _docx_xml(path, part: str) -> str:
    import zipfile

    with zipfile.ZipFile(path) as z:
        return "".join(z.read(n).decode("utf-8") for n in z.namelist() if n.startswith(part))


def test_docx_is_a4_with_page_numbers_and_a_contents_field(published):
    from docx import Document

    doc = Document(str(published["docx"]))
    for sec in doc.sections:
        assert (round(sec.page_width.cm, 1), round(sec.page_height.cm, 1)) == (21.0, 29.7)
        assert sec.left_margin.cm >= 1.5 and sec.top_margin.cm >= 1.5
    body = _docx_xml(published["docx"], "word/document.xml")
    assert re.search(r'<w:instrText[^>]*> TOC \\o "1-3" \\h \\z \\u </w:instrText>', body)
    assert body.index("TOC \\o") < body.index("Appendix B: Partners Safeguarding Snapshot")
    footers = _docx_xml(published["docx"], "word/footer")
    assert "> PAGE </w:instrText>" in footers and "> NUMPAGES </w:instrText>" in footers
    assert 'w:updateFields w:val="true"' in _docx_xml(published["docx"], "word/settings.xml")
    assert "NOT FOR PUBLICATION" not in _docx_xml(published["docx"], "word/header")


def test_draft_docx_carries_the_marking_in_its_page_header(draft):
    headers = _docx_xml(draft["docx"], "word/header")
    assert "DRAFT – NOT FOR PUBLICATION" in headers
    assert "DRAFT – NOT FOR PUBLICATION" in _docx_xml(draft["docx"], "word/document.xml")


def test_draft_open_data_says_so_in_its_first_line_and_sheets(draft):
    from openpyxl import load_workbook

    first = draft["csv"].read_text(encoding="utf-8").splitlines()[0]
    assert first == "DRAFT – NOT FOR PUBLICATION"
    wb = load_workbook(draft["xlsx"])
    for ws in wb.worksheets:
        assert ws["A1"].value == "DRAFT – NOT FOR PUBLICATION", ws.title
    head = [c.value for c in wb["Figures"][2]]
    col = head.index("publication")
    assert {r[col] for r in wb["Figures"].iter_rows(min_row=3, values_only=True)} == {"draft-not-for-publication"}


def test_chart_text_is_legible_on_screen_and_in_print(published_html):
    svgs = re.findall(r"<svg[^>]*>.*?</svg>", published_html, re.DOTALL)
    assert svgs
    for svg in svgs:
        sizes = [float(x) for x in re.findall(r'font-size[=:]\s*"?([0-9.]+)', svg)]
        assert sizes and min(sizes) >= 11, sorted(set(sizes))  # px on screen
        width = float(re.search(r'<svg[^>]*?\swidth="([0-9.]+)', svg).group(1))
        # print: the A4 text block is 17.4 cm = 657 px; a wider chart is scaled down with its text
        printed_pt = min(sizes) * 0.75 * min(1.0, 657 / width)
        assert printed_pt >= 8, (width, min(sizes))


def test_the_dash_is_explained_wherever_c_is(published_html):
    tables = re.findall(r"(<table.*?</table>)((?:<p class=\"table-notes\">[^<]*</p>)*)", published_html, re.DOTALL)
    with_dash = [(t, notes) for t, notes in tables if re.search(r"<td[^>]*>–</td>", t)]
    assert with_dash, "the example has tables with no figure for a period"
    for _, notes in with_dash:
        assert "–: no figure was recorded" in notes
    top = published_html[:published_html.index('<h2 id="appendix-b"')]
    assert "c: a count from 1 to 5" in top and "–: no figure was recorded" in top
