"""Markdown via markdown-it-py: headings, paragraphs, lists, pipe tables, HTML blocks."""

from __future__ import annotations

from pathlib import Path

from markdown_it import MarkdownIt

from ..document import Block, Document, Link, Location
from .inline import cell_text, clean_inline, looks_like_heading, split_html


def parse_markdown(text: str, path: Path) -> Document:
    file = str(path)
    starts = [0]
    for line in text.splitlines(keepends=True):
        starts.append(starts[-1] + len(line))

    def loc(tok) -> Location:
        if not tok.map:
            return Location(file)
        a, b = tok.map
        return Location(file, line=a + 1, start=starts[min(a, len(starts) - 1)],
                        end=starts[min(b, len(starts) - 1)])

    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    blocks: list[Block] = []
    links: list[Link] = []
    in_item = 0
    heading_level = 0
    row: list[str] | None = None
    rows: list[list[str]] = []
    table_tok = None
    for i, tok in enumerate(tokens):
        t = tok.type
        if t == "heading_open":
            heading_level = int(tok.tag[1])
        elif t == "list_item_open":
            in_item += 1
        elif t == "list_item_close":
            in_item -= 1
        elif t == "table_open":
            rows, table_tok = [], tok
        elif t == "tr_open":
            row = []
        elif t == "tr_close":
            rows.append(row or [])
            row = None
        elif t == "table_close":
            blocks.append(Block("table", loc(table_tok), rows=rows))
        elif t == "html_block":
            for k, s in split_html(tok.content):
                blocks.append(Block(k, loc(tok), s))
        elif t == "inline":
            if row is not None:
                row.append(cell_text(tok.content))
                continue
            text, found = clean_inline(tok.content)
            where = loc(tokens[i - 1]) if i else loc(tok)
            links.extend(Link(a, b, where) for a, b in found)
            if not text:
                continue
            if heading_level:
                blocks.append(Block("heading", where, text, level=heading_level))
                heading_level = 0
            elif in_item:
                blocks.append(Block("list_item", where, text))
            elif "\n" not in tok.content.strip() and looks_like_heading(text):
                blocks.append(Block("heading", where, text, level=3))
            else:
                blocks.append(Block("paragraph", where, text))
    return Document(path, "markdown", blocks, links)
