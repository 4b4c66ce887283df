"""The text the narrative checks read: sources split into paragraphs and sentences, with offsets.

A *source* is one file's text or one stored return's text block. ``clean`` is the same text
with markdown emphasis and HTML tags blanked out by spaces, so every offset found in
``clean`` is also an offset in ``text`` and quotes are always exact spans of the input.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from .finding import Location

_MASK = re.compile(r"^(?:```|~~~)[^\n]*\n.*?^(?:```|~~~)[ \t]*$|`[^`\n]{1,200}`|<[^<>\n]{1,200}>|\*\*|__|&nbsp;",
                   re.MULTILINE | re.DOTALL)
_PARA_BREAK = re.compile(r"</p>\s*<p>|<p>|</p>|\s•\s|(?<=\t)•\s")
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’)]?\s+(?=[A-Z0-9£“\"‘(•-])|\s+[–-]\s+(?=[A-Z])|\s•\s")
LIST_MARK = re.compile(r"^\s*(?:[-*•✓♥]|\d+[.)])\s+")


def mask(text: str) -> str:
    """Blank markup and code (markdown code spans and fences) with spaces; offsets and line
    breaks are unchanged."""
    return _MASK.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), text)


@dataclass
class Para:
    """A paragraph (a line, or a <p> / bullet inside a line) of a source."""

    source: Source
    start: int
    end: int
    index: int = 0
    partner: str | None = None  # spec code if resolved, else the heading name
    partner_name: str | None = None  # the name as written in the heading
    heading: bool = False  # a partner or report heading line

    @property
    def text(self) -> str:
        return self.source.text[self.start:self.end]

    @property
    def clean(self) -> str:
        return self.source.clean[self.start:self.end]

    @property
    def is_list_item(self) -> bool:
        return bool(LIST_MARK.match(self.text))

    def sentences(self) -> list[tuple[int, int]]:
        """(start, end) offsets in the source of each sentence of this paragraph."""
        out, pos, clean = [], 0, self.clean
        for m in _SENTENCE_END.finditer(clean):
            out.append((pos, m.start()))
            pos = m.end()
        out.append((pos, len(clean)))
        res = []
        for a, b in out:
            seg = clean[a:b]
            lead = len(seg) - len(seg.lstrip())
            trail = len(seg.rstrip())
            if trail > lead:
                res.append((self.start + a + lead, self.start + a + trail))
        return res


@dataclass
class Source:
    """One checked text: a file, or one narrative block of a stored return."""

    name: str
    text: str
    return_key: str | None = None
    section: str | None = None
    partner: str | None = None
    period: str | None = None  # the period the text claims to cover (title label or return period)
    label_span: tuple[int, int] | None = None  # where that label is written
    paras: list[Para] = field(default_factory=list)
    clean: str = ""
    _lines: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.clean = mask(self.text)
        self._lines = [0] + [m.end() for m in re.finditer(r"\n", self.text)]

    def line_col(self, offset: int) -> tuple[int, int]:
        i = bisect.bisect_right(self._lines, offset) - 1
        return i + 1, offset - self._lines[i] + 1

    def location(self, start: int, end: int, section: str | None = None) -> Location:
        if self.return_key:
            return Location(return_key=self.return_key, section=self.section, start=start, end=end)
        line, col = self.line_col(start)
        return Location(file=self.name, line=line, column=col, start=start, end=end, section=section)

    def split(self) -> list[Para]:
        """Paragraphs: lines (wrapped prose lines joined), further split at <p> tags and inline bullets."""
        paras: list[Para] = []
        for ls, le in self._logical_lines():
            pos = ls
            for b in _PARA_BREAK.finditer(self.text, ls, le):
                paras += self._para(pos, b.start())
                pos = b.end()
            paras += self._para(pos, le)
        for i, p in enumerate(paras):
            p.index = i
            p.partner = self.partner
        self.paras = paras
        return paras

    def _logical_lines(self) -> list[tuple[int, int]]:
        """Physical lines, with hard-wrapped prose (markdown, YAML blocks) joined back together."""
        lines = [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", self.text)]
        out: list[tuple[int, int]] = []
        for a, b in lines:
            if out:
                pa, pb = out[-1]
                prev = self.clean[pa:pb]
                cur = self.clean[a:b]
                last = prev.rstrip().splitlines()[-1] if prev.strip() else ""
                if (self.text[pb:a].count("\n") == 1 and len(last.strip()) >= 50 and "\t" not in prev + cur
                        and not re.search(r"[.!?:;]\s*$", last) and not LIST_MARK.match(cur) and cur.strip()):
                    out[-1] = (pa, b)
                    continue
            out.append((a, b))
        return out

    def _para(self, a: int, b: int) -> list[Para]:
        seg = self.clean[a:b]
        if not seg.strip():
            return []
        lead = len(seg) - len(seg.lstrip())
        return [Para(self, a + lead, a + len(seg.rstrip()))]
