"""Report model → Word document the business unit can edit: real headings, tables, alt text.

Heading 1 is an appendix, Heading 2 a partner, Heading 3 a section of the return. The page is
A4 with page numbers in the footer and a table of contents field that Word fills in when the
file is opened, so the document drops into the yearly report as it is.
"""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

from . import markdown
from .model import Chart, Heading, Items, Markdown, Paragraph, Report, Section, Table


def render_docx(report: Report, path: Path) -> Path:
    from docx import Document
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm, Inches, Pt, RGBColor

    doc = Document()
    props = doc.core_properties
    props.title = report.title
    props.language = report.lang
    props.subject = "; ".join(s.title for s in report.sections)
    props.author = report.partnership_name
    normal = doc.styles["Normal"]
    normal.font.name = "Arial"
    normal.font.size = Pt(11)
    rpr = normal.element.get_or_add_rPr()
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), report.lang)
    rpr.append(lang)

    for sec in doc.sections:
        sec.page_width, sec.page_height = Cm(21), Cm(29.7)
        sec.top_margin = sec.bottom_margin = Cm(2)
        sec.left_margin = sec.right_margin = Cm(1.8)
        if report.banner:
            run = sec.header.paragraphs[0].add_run(report.banner)
            run.bold = True
            run.font.color.rgb = RGBColor(0xA3, 0x14, 0x1F)
        foot = sec.footer.paragraphs[0]
        foot.add_run("Page ")
        _field(foot, "PAGE", "1")
        foot.add_run(" of ")
        _field(foot, "NUMPAGES", "1")
    _update_fields_on_open(doc)
    text_width = Cm(21 - 3.6)

    doc.add_heading(report.title, level=0)
    if report.banner:
        _banner(doc, report.banner, RGBColor)
    front = len(doc.paragraphs)  # the partial-report notice goes here, once block() exists
    doc.add_paragraph().add_run("Contents").bold = True
    _field(doc.add_paragraph(), 'TOC \\o "1-3" \\h \\z \\u',
           "Right-click and choose Update Field to show the contents.")

    def table(t: Table) -> None:
        cap = doc.add_paragraph(t.caption, style="Caption")
        cap.paragraph_format.keep_with_next = True
        tbl = doc.add_table(rows=1, cols=len(t.header))
        tbl.style = "Table Grid"
        hdr = tbl.rows[0]
        trpr = hdr._tr.get_or_add_trPr()
        mark = OxmlElement("w:tblHeader")  # repeat as header row on each page; read as headers
        mark.set(qn("w:val"), "true")
        trpr.append(mark)
        for i, c in enumerate(t.header):
            hdr.cells[i].paragraphs[0].add_run(c).bold = True
        for row in t.rows:
            cells = tbl.add_row().cells
            for i, c in enumerate(row):
                run = cells[i].paragraphs[0].add_run(c)
                if i < t.row_headers:
                    run.bold = True
        for note in t.notes:
            doc.add_paragraph(note)

    def block(b, level: int) -> None:
        if isinstance(b, Markdown):
            for kind, runs in markdown.blocks(b.text):
                if kind == "h":
                    para = doc.add_heading("", level=min(9, level + 2))
                else:
                    style = {"bullet": "List Bullet", "number": "List Number"}.get(kind)
                    para = doc.add_paragraph(style=style)
                for text, bold, italic in runs:
                    r = para.add_run(text)
                    r.bold, r.italic = bold or None, italic or None
        elif isinstance(b, Heading):
            doc.add_heading(b.text, level=min(9, level + 1))
        elif isinstance(b, Paragraph):
            if b.kind == "internal":
                _banner(doc, b.text, RGBColor)
            else:
                p = doc.add_paragraph(b.text)
                for r in p.runs:
                    r.italic = b.kind in ("missing", "question") or None
                    r.bold = b.kind == "notice" or None
        elif isinstance(b, Items):
            if b.title:
                doc.add_paragraph().add_run(b.title).bold = True
            flags = b.flags or [False] * len(b.items)
            for item, flag in zip(b.items, flags):
                r = doc.add_paragraph(style="List Bullet").add_run(item)
                r.bold = flag or None
        elif isinstance(b, Table):
            table(b)
        elif isinstance(b, Chart):
            # 1 px of the SVG = 0.75 pt on paper, so chart text prints at the size it was drawn
            doc.add_picture(BytesIO(b.png()), width=min(text_width, Pt(b.width_px * 0.75)) if b.width_px
                            else Inches(6))
            pic = doc.paragraphs[-1]
            for docpr in pic._p.xpath(".//wp:docPr"):
                docpr.set("descr", b.description)
                docpr.set("title", b.title)

    def section(s: Section, level: int) -> None:
        doc.add_heading(s.title, level=min(9, level))
        for b in s.blocks:
            block(b, level)
        for c in s.children:
            section(c, level + 1)

    if report.front:  # before the contents: the first thing a reader sees
        anchor = doc.paragraphs[front]._p
        before = set(doc.element.body)
        for b in report.front:
            block(b, 1)
        for el in [e for e in doc.element.body if e not in before and not e.tag.endswith("}sectPr")]:
            anchor.addprevious(el)
    for n in report.notes:
        doc.add_paragraph(n)
    for s in report.sections:
        section(s, 1)
    doc.save(path)
    return path


def _banner(doc, text: str, RGBColor) -> None:
    run = doc.add_paragraph().add_run(text)
    run.bold = True
    run.font.color.rgb = RGBColor(0xA3, 0x14, 0x1F)


def _field(paragraph, instruction: str, placeholder: str) -> None:
    """A Word field (PAGE, NUMPAGES, TOC) with the text shown until Word updates it."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    def char(kind: str):
        run = OxmlElement("w:r")
        fc = OxmlElement("w:fldChar")
        fc.set(qn("w:fldCharType"), kind)
        if kind == "begin":
            fc.set(qn("w:dirty"), "true")
        run.append(fc)
        return run

    instr = OxmlElement("w:r")
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = f" {instruction} "
    instr.append(text)
    shown = OxmlElement("w:r")
    t = OxmlElement("w:t")
    t.text = placeholder
    shown.append(t)
    for el in (char("begin"), instr, char("separate"), shown, char("end")):
        paragraph._p.append(el)


def _update_fields_on_open(doc) -> None:
    """Ask Word to fill in the contents and page numbers when the file is opened."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    settings = doc.settings.element
    el = settings.find(qn("w:updateFields"))
    if el is None:
        el = OxmlElement("w:updateFields")
        # the schema orders settings: updateFields comes before these (Word checks the order)
        later = {qn(f"w:{n}") for n in ("hdrShapeDefaults", "footnotePr", "endnotePr", "compat", "docVars", "rsids")}
        nxt = next((c for c in settings if c.tag in later), None)
        if nxt is not None:
            nxt.addprevious(el)
        else:
            settings.append(el)
    el.set(qn("w:val"), "true")
