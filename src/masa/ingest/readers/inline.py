"""Inline clean-up shared by the text and markdown readers: markdown emphasis and links,
stray HTML fragments (<p>, <ul>, <li>, <u>, style attributes) and bullet characters."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

_LINK = re.compile(r"\[([^\]]*)\]\(([^)\s]*)\)")
_EMPH = re.compile(r"(\*\*|__)(.+?)\1")
_SPACE = re.compile(r"\s+")
HTML_TAG = re.compile(r"</?(?:p|ul|ol|li|u|br|div|span|b|i|strong|em|font|table|tr|td|th)\b[^>]*>", re.IGNORECASE)
# "-", "*", "•" and friends, a number with "." or ")", or a pictographic symbol (✓, ♥, 💡, ★...)
_SYMBOL = "\u2190-\u21ff\u2600-\u27bf\u2b00-\u2bff\U0001f000-\U0001faff"
BULLET = re.compile(rf"^\s*(?:[-*•▪◦‣➢►·]|\d{{1,2}}[.)]|[{_SYMBOL}](?:\ufe0f)?)\s+")
_SYMBOL_ONLY = re.compile(rf"^[{_SYMBOL}\ufe0f\u200d]+\s*")
_INNER_BULLET = re.compile(r"\s*[•▪◦]\s+")


def clean_inline(text: str) -> tuple[str, list[tuple[str, str]]]:
    """Plain text and the (text, target) links found in it."""
    links = [(m.group(1), m.group(2)) for m in _LINK.finditer(text)]
    text = _LINK.sub(lambda m: m.group(1), text)
    text = _EMPH.sub(lambda m: m.group(2), text)
    text = html.unescape(text).replace("\u00a0", " ")
    return _SPACE.sub(" ", text).strip(), links


def strip_bullet(text: str) -> tuple[bool, str]:
    """(was it a bullet, text without it)."""
    m = BULLET.match(text)
    if m:
        return True, text[m.end():].strip()
    return False, text.strip()


def strip_symbol(text: str) -> str:
    """Drop leading pictographic symbols, as in an emoji-bulleted table cell."""
    return _SYMBOL_ONLY.sub("", text.strip()).strip()


def split_bullets(text: str) -> list[str]:
    """Split "intro • one • two" into ["intro", "one", "two"], dropping empty parts."""
    return [p.strip() for p in _INNER_BULLET.split(" " + text) if p.strip()]


class _Fragment(HTMLParser):
    """Collect paragraphs and list items from an HTML fragment, ignoring style attributes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[tuple[str, str]] = []
        self.buf: list[str] = []
        self.in_list = 0

    def _flush(self) -> None:
        text = "".join(self.buf)
        self.buf = []
        text = _SPACE.sub(" ", text).strip()
        if not text:
            return
        parts = split_bullets(text)
        if self.in_list or len(parts) > 1:
            bulleted = text.lstrip().startswith(("•", "▪", "◦"))
            if not self.in_list and not bulleted:
                self.out.append(("paragraph", parts[0]))
                parts = parts[1:]
            self.out.extend(("list_item", p) for p in parts)
        else:
            self.out.append(("paragraph", text))

    def handle_starttag(self, tag, attrs):
        if tag in ("p", "div", "li", "br", "tr"):
            self._flush()
        if tag in ("ul", "ol"):
            self._flush()
            self.in_list += 1
        if tag in ("td", "th"):
            self.buf.append(" ")

    def handle_endtag(self, tag):
        if tag in ("p", "div", "li", "tr"):
            self._flush()
        if tag in ("ul", "ol"):
            self._flush()
            self.in_list = max(0, self.in_list - 1)

    def handle_data(self, data):
        self.buf.append(data)

    def close(self):
        super().close()
        self._flush()


def split_html(fragment: str) -> list[tuple[str, str]]:
    """[(kind, text)] with kind paragraph | list_item, tags gone."""
    p = _Fragment()
    p.feed(fragment)
    p.close()
    out = []
    for kind, text in p.out:
        clean, _ = clean_inline(text)
        if clean:
            out.append((kind, clean))
    return out


def cell_text(cell: str) -> str:
    """A table cell as text, with any list inside it as one item per line."""
    if HTML_TAG.search(cell) or "•" in cell:
        return "\n".join(t for _, t in split_html(cell))
    return clean_inline(cell)[0]


_TERMINAL = (".", "!", "?", ";", ",", ":")


def looks_like_heading(text: str) -> bool:
    """A short line without sentence punctuation: 'Neglect', 'Worked well:', 'ELFT - achievements'."""
    t = text.strip()
    if not t or t[0].islower():
        return False
    words = t.split()
    if re.match(r"appendix [a-z]\b", t, re.IGNORECASE):
        return True
    if len(t) > 90:
        return False
    if t.endswith(":"):
        return len(words) <= 3
    return not (t.endswith(_TERMINAL) or len(words) > 12)
