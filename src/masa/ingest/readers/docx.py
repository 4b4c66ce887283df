"""Word documents via python-docx: headings by style, paragraphs, lists, tables in body
order, and embedded objects noted (an OLE object or package becomes an 'object' block)."""

from __future__ import annotations

from pathlib import Path

from docx import Document as open_docx
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph

from ..document import Block, Document, Link, Location
from .inline import clean_inline, looks_like_heading, strip_bullet

_OBJECT_TAGS = (qn("w:object"), "{urn:schemas-microsoft-com:office:office}OLEObject")


def _heading_level(p: Paragraph) -> int:
    name = (p.style.name if p.style is not None else "") or ""
    if name == "Title":
        return 1
    if name.startswith("Heading"):
        tail = name.split()[-1]
        return int(tail) if tail.isdigit() else 2
    runs = [r for r in p.runs if r.text.strip()]
    if runs and all(r.bold for r in runs) and looks_like_heading(p.text):
        return 3
    return 0


def _is_list(p: Paragraph) -> bool:
    name = (p.style.name if p.style is not None else "") or ""
    if "List" in name:
        return True
    ppr = p._p.pPr
    return ppr is not None and ppr.numPr is not None


def _objects(p: Paragraph) -> list[str]:
    """Labels of objects embedded in a paragraph: the OLE ProgID, e.g. 'Word.Document.12'."""
    out = []
    for obj in p._p.iter(_OBJECT_TAGS[0]):
        ole = next(obj.iter(_OBJECT_TAGS[1]), None)
        out.append((ole.get("ProgID") if ole is not None else "") or "embedded object")
    if not out:  # an OLE object outside a w:object wrapper
        out = [el.get("ProgID") or "embedded object" for el in p._p.iter(_OBJECT_TAGS[1])]
    return out


def parse_docx(path: Path) -> Document:
    doc = open_docx(str(path))
    file = str(path)
    blocks: list[Block] = []
    links: list[Link] = []
    offset = 0
    n = 0
    body = doc.element.body
    for child in body.iterchildren():
        if child.tag == qn("w:p"):
            n += 1
            p = Paragraph(child, doc)
            raw = p.text
            loc = Location(file, paragraph=n, start=offset, end=offset + len(raw))
            offset += len(raw) + 1
            for label in _objects(p):
                blocks.append(Block("object", loc, label))
            for h in p.hyperlinks if hasattr(p, "hyperlinks") else []:
                links.append(Link(h.text, h.address or "", loc))
            text, _ = clean_inline(raw)
            if not text:
                continue
            level = _heading_level(p)
            if level:
                blocks.append(Block("heading", loc, text, level=level))
            elif _is_list(p):
                blocks.append(Block("list_item", loc, strip_bullet(text)[1]))
            else:
                bullet, rest = strip_bullet(text)
                blocks.append(Block("list_item" if bullet else "paragraph", loc, rest))
        elif child.tag == qn("w:tbl"):
            n += 1
            table = Table(child, doc)
            rows = []
            for r in table.rows:
                cells = []
                for c in r.cells:
                    items = [strip_bullet(clean_inline(cp.text)[0])[1] for cp in c.paragraphs]
                    cells.append("\n".join(i for i in items if i))
                rows.append(cells)
            text_len = sum(len(c) + 1 for r in rows for c in r)
            blocks.append(Block("table", Location(file, paragraph=n, start=offset, end=offset + text_len), rows=rows))
            offset += text_len
    return Document(path, "docx", blocks, links)
