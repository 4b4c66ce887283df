"""Plain text, as people paste it: one paragraph per line or hard-wrapped, tab-separated
tables, stray HTML fragments, bullet characters and emoji bullets."""

from __future__ import annotations

import re
from pathlib import Path

from ..document import Block, Document, Link, Location
from .inline import (
    HTML_TAG,
    cell_text,
    clean_inline,
    looks_like_heading,
    split_html,
    strip_bullet,
    strip_symbol,
)

_JOIN_END = re.compile(r"(?:[&,/(\-–]|\b(?:and|or|of|to|the|a|an|for|with|in|on|by|including))$", re.IGNORECASE)
_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*)$")
_TICKS = ("-", "*", "•", "✓", "✔", "☑", "➢", "►", "▪", "◦", "‣")  # always bullets; other symbols may lead a heading
_WRAP = 60  # a line at least this long that stops mid-sentence is hard-wrapped


def _lines(text: str):
    pos = 0
    for n, line in enumerate(text.splitlines(keepends=True), start=1):
        yield n, pos, pos + len(line.rstrip("\r\n")), line.rstrip("\r\n")
        pos += len(line)


def _joins(prev: str, nxt: str) -> bool:
    """Does ``nxt`` continue the paragraph that ``prev`` ends?"""
    p = prev.rstrip()
    if not p or not nxt:
        return False
    if nxt[0].islower() or _JOIN_END.search(p):
        return True
    return len(p) >= _WRAP and not p.endswith((".", "!", "?", ":", ";"))


def parse_text(text: str, path: Path, kind: str = "text") -> Document:
    file = str(path)
    blocks: list[Block] = []
    links: list[Link] = []
    para: list[tuple[int, int, int, str]] = []  # (line, start, end, text)
    table: list[tuple[int, int, int, list[str]]] = []

    def flush_para() -> None:
        if not para:
            return
        raw = " ".join(t.strip() for _, _, _, t in para)
        text_, found = clean_inline(raw)
        loc = Location(file, line=para[0][0], start=para[0][1], end=para[-1][2])
        links.extend(Link(t, u, loc) for t, u in found)
        if text_:
            heading = len(para) == 1 and looks_like_heading(text_)
            blocks.append(Block("heading" if heading else "paragraph", loc, text_, level=2 if heading else 0))
        para.clear()

    def flush_table() -> None:
        if not table:
            return
        width = max(len(r) for *_, r in table)
        rows = [[cell_text(c) for c in r] + [""] * (width - len(r)) for *_, r in table]
        loc = Location(file, line=table[0][0], start=table[0][1], end=table[-1][2])
        blocks.append(Block("table", loc, rows=rows))
        table.clear()

    for n, start, end, line in _lines(text):
        stripped = line.strip()
        if not stripped:
            flush_para()
            flush_table()
            continue
        core = line.rstrip(" \t")
        if "\t" in core.strip():
            flush_para()
            table.append((n, start, end, [c.strip() for c in core.strip().split("\t")]))
            continue
        flush_table()
        loc = Location(file, line=n, start=start, end=end)
        if HTML_TAG.search(stripped):
            flush_para()
            for k, t in split_html(stripped):
                if k == "paragraph" and looks_like_heading(t):
                    blocks.append(Block("heading", loc, t, level=3))
                else:
                    blocks.append(Block(k, loc, t))
            continue
        m = _MD_HEADING.match(stripped)
        if m:
            flush_para()
            blocks.append(Block("heading", loc, clean_inline(m.group(2))[0], level=len(m.group(1))))
            continue
        bullet, rest = strip_bullet(stripped)
        if bullet:
            flush_para()
            item, found = clean_inline(rest)
            links.extend(Link(t, u, loc) for t, u in found)
            symbol_led = strip_symbol(stripped) != stripped and not stripped.startswith(_TICKS)
            if symbol_led and looks_like_heading(item):
                blocks.append(Block("heading", loc, item, level=3))
            elif item:
                blocks.append(Block("list_item", loc, item))
            continue
        if para and not _joins(para[-1][3], stripped):
            flush_para()
        para.append((n, start, end, stripped))
    flush_para()
    flush_table()
    if blocks and blocks[0].kind == "heading":
        blocks[0].level = 1
    return Document(path, kind, blocks, links)
