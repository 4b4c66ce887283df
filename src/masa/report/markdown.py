"""Partner narrative (markdown) to safe HTML, and to a simple token stream for Word.

Narrative comes from partners, so the HTML is sanitised with nh3 after rendering: no
scripts, no images or other external loads, no inline styles. Markdown headings are
pushed below the report's own outline so they never break the heading order.
"""

from __future__ import annotations

import nh3
from markdown_it import MarkdownIt

_md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable("table")
ALLOWED = {"p", "ul", "ol", "li", "strong", "em", "a", "br", "code", "blockquote", "h5", "h6",
           "table", "thead", "tbody", "tr", "th", "td"}


def to_html(text: str, *, heading_floor: int = 5) -> str:
    tokens = _md.parse(text)
    for t in tokens:
        if t.type in ("heading_open", "heading_close"):
            t.tag = f"h{min(6, heading_floor + int(t.tag[1]) - 1)}"
        if t.type == "th_open":
            t.attrSet("scope", "col")
    html = _md.renderer.render(tokens, _md.options, {})
    return nh3.clean(html, tags=ALLOWED, attributes={"a": {"href"}, "th": {"scope"}},
                     url_schemes={"http", "https", "mailto"}, link_rel="noopener noreferrer")


def blocks(text: str) -> list[tuple[str, list[tuple[str, bool, bool]]]]:
    """Word-friendly blocks: (kind, runs) with kind 'p', 'bullet', 'number', 'h'; a run is
    (text, bold, italic)."""
    out: list[tuple[str, list[tuple[str, bool, bool]]]] = []
    stack: list[str] = []
    kind = "p"
    for t in _md.parse(text):
        if t.type == "bullet_list_open":
            stack.append("bullet")
        elif t.type == "ordered_list_open":
            stack.append("number")
        elif t.type in ("bullet_list_close", "ordered_list_close"):
            stack.pop()
        elif t.type == "heading_open":
            kind = "h"
        elif t.type == "paragraph_open":
            kind = stack[-1] if stack else "p"
        elif t.type == "inline":
            out.append((kind, _runs(t.children or [])))
            kind = "p"
    return out


def _runs(children) -> list[tuple[str, bool, bool]]:
    runs: list[tuple[str, bool, bool]] = []
    bold = italic = False
    for c in children:
        if c.type == "strong_open":
            bold = True
        elif c.type == "strong_close":
            bold = False
        elif c.type == "em_open":
            italic = True
        elif c.type == "em_close":
            italic = False
        elif c.type in ("text", "code_inline"):
            runs.append((c.content, bold, italic))
        elif c.type == "softbreak":
            runs.append((" ", bold, italic))
        elif c.type == "hardbreak":
            runs.append(("\n", bold, italic))
    return runs
