"""Report model → Word document the business unit can edit: real headings, tables, alt text.

Heading 1 is an appendix, Heading 2 a partner, Heading 3 a section of the return.
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
    from docx.shared import Inches, Pt, RGBColor

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

    if report.internal:
        for sec in doc.sections:
            p = sec.header.paragraphs[0]
            run = p.add_run(report.banner)
            run.bold = True
            run.font.color.rgb = RGBColor(0xA3, 0x14, 0x1F)

    doc.add_heading(report.title, level=0)
    if report.internal:
        _banner(doc, report.banner, RGBColor)
    for n in report.notes:
        doc.add_paragraph(n)

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
                if b.kind in ("missing", "question"):
                    for r in p.runs:
                        r.italic = True
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
            doc.add_picture(BytesIO(b.png()), width=Inches(6))
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

    for s in report.sections:
        section(s, 1)
    doc.save(path)
    return path


def _banner(doc, text: str, RGBColor) -> None:
    run = doc.add_paragraph().add_run(text)
    run.bold = True
    run.font.color.rgb = RGBColor(0xA3, 0x14, 0x1F)
