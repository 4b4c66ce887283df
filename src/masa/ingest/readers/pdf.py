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


def parse_pdf(pdf: "pdfplumber.PDF", path: Path) -> Document:
    file = str(path)
    blocks: list[Block] = []
    for pno, page in enumerate(pdf.pages, start=1):
        tables = page.find_tables()
        boxes = [t.bbox for t in tables]
        rest = page.filter(lambda o: not _inside(o, boxes)) if boxes else page
        lines = rest.extract_text_lines(keep_blank_chars=False)
        items: list[tuple[float, Block]] = []
        sizes = [_line_size(ln) for ln in lines] or [0]
        body = statistics.median(sizes)
        offset = 0
        para: list[dict] = []

        def flush() -> None:
            nonlocal offset
            if not para:
                return
            raw = " ".join(ln["text"].strip() for ln in para)
            text, _ = clean_inline(raw)
            loc = Location(file, page=pno, start=offset, end=offset + len(raw))
            offset += len(raw) + 1
            first = para[0]
            heading = len(para) == 1 and looks_like_heading(text) and (
                _line_size(first) > body * 1.1 or _line_bold(first))
            bullet, rest_text = strip_bullet(text)
            if heading:
                level = 1 if _line_size(first) > body * 1.6 else 2
                items.append((first["top"], Block("heading", loc, text, level=level)))
            elif bullet:
                items.append((first["top"], Block("list_item", loc, rest_text)))
            else:
                items.append((first["top"], Block("paragraph", loc, text)))
            para.clear()

        prev = None
        for ln in lines:
            if prev is not None:
                height = max(prev["bottom"] - prev["top"], 1)
                gap = ln["top"] - prev["bottom"]
                new_size = abs(_line_size(ln) - _line_size(prev)) > 0.5
                if gap > height * 0.6 or new_size or strip_bullet(ln["text"])[0]:
                    flush()
            para.append(ln)
            prev = ln
        flush()
        for t in tables:
            rows = [[cell_text(c or "") for c in r] for r in t.extract()]
            rows = [r for r in rows if any(c.strip() for c in r)]
            if rows:
                items.append((t.bbox[1], Block("table", Location(file, page=pno), rows=rows)))
        items.sort(key=lambda x: x[0])
        blocks.extend(b for _, b in items)
    return Document(path, "pdf", blocks)
