"""PDF text via pdfplumber: lines grouped into paragraphs by vertical gaps, larger or bold
short lines as headings, ruled tables as table blocks, in reading order per page."""

from __future__ import annotations

import statistics
from pathlib import Path

import pdfplumber

from ..document import Block, Document, Location
from .inline import cell_text, clean_inline, looks_like_heading, strip_bullet


def _inside(obj, boxes) -> bool:
    x = (obj["x0"] + obj["x1"]) / 2
    y = (obj["top"] + obj["bottom"]) / 2
    return any(b[0] <= x <= b[2] and b[1] <= y <= b[3] for b in boxes)


def _line_size(line) -> float:
    chars = line.get("chars") or []
    return max((c.get("size", 0) for c in chars), default=0)


def _line_bold(line) -> bool:
    chars = [c for c in line.get("chars") or [] if c.get("text", "").strip()]
    return bool(chars) and all("Bold" in c.get("fontname", "") for c in chars)


def _paragraph(para: list[dict], file: str, pno: int, offset: int, body: float) -> tuple[float, Block]:
    """One block from consecutive lines: a heading when short and larger or bold."""
    raw = " ".join(ln["text"].strip() for ln in para)
    text, _ = clean_inline(raw)
    loc = Location(file, page=pno, start=offset, end=offset + len(raw))
    first = para[0]
    size = _line_size(first)
    if len(para) == 1 and looks_like_heading(text) and (size > body * 1.1 or _line_bold(first)):
        return first["top"], Block("heading", loc, text, level=1 if size > body * 1.6 else 2)
    bullet, rest = strip_bullet(text)
    if bullet:
        return first["top"], Block("list_item", loc, rest)
    return first["top"], Block("paragraph", loc, text)


def parse_pdf(pdf: pdfplumber.PDF, path: Path) -> Document:
    file = str(path)
    blocks: list[Block] = []
    for pno, page in enumerate(pdf.pages, start=1):
        tables = page.find_tables()
        boxes = [t.bbox for t in tables]
        rest = page.filter(lambda o, boxes=boxes: not _inside(o, boxes)) if boxes else page
        lines = rest.extract_text_lines(keep_blank_chars=False)
        body = statistics.median([_line_size(ln) for ln in lines] or [0])
        items: list[tuple[float, Block]] = []
        paras: list[list[dict]] = []
        prev = None
        for ln in lines:
            new_para = prev is None
            if prev is not None:
                height = max(prev["bottom"] - prev["top"], 1)
                gap = ln["top"] - prev["bottom"]
                new_size = abs(_line_size(ln) - _line_size(prev)) > 0.5
                new_para = gap > height * 0.6 or new_size or strip_bullet(ln["text"])[0]
            if new_para:
                paras.append([])
            paras[-1].append(ln)
            prev = ln
        offset = 0
        for para in paras:
            items.append(_paragraph(para, file, pno, offset, body))
            offset += sum(len(ln["text"]) + 1 for ln in para)
        for t in tables:
            rows = [[cell_text(c or "") for c in r] for r in t.extract()]
            rows = [r for r in rows if any(c.strip() for c in r)]
            if rows:
                items.append((t.bbox[1], Block("table", Location(file, page=pno), rows=rows)))
        items.sort(key=lambda x: x[0])
        blocks.extend(b for _, b in items)
    return Document(path, "pdf", blocks)
