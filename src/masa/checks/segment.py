"""Recognise a report's title (its period label) and its partner sections.

A partner section starts at a heading line naming a partner: "ELFT - achievements and
impact", or a bare partner name followed by the template question. Names resolve through
the spec's names and aliases when a spec is given; without one, the heading shape is enough.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from masa.spec import fold, normalise_period

from .text import LIST_MARK, Para, Source

DEFAULT_SUFFIXES = ["achievements and impact"]
QUESTION = re.compile(r"^\s*(what have you done with the feedback|how has your agency used the feedback)", re.IGNORECASE)
_FY_SPAN = re.compile(r"(?<!\d)20\d{2}\s*[-/–]\s*(?:20)?\d{2}(?!\d)")
_TITLE = re.compile(r"^\s*(appendix\s+[a-z0-9]+\b|.*\b(yearly|annual)\s+report\b)", re.IGNORECASE)


@dataclass
class Heading:
    para: Para
    name: str  # partner name as written
    name_start: int
    name_end: int
    code: str | None  # spec partner code, if resolved


def resolve(spec, name: str) -> str | None:
    if spec is None:
        return None
    code = spec.resolve_partner(name)
    if code:
        return code
    # tolerate a trailing organisation-type word the alias list does not carry
    stripped = re.sub(r"\b(icb|nhs|trust|service|services)$", "", fold(name)).strip()
    return spec.resolve_partner(stripped) if stripped else None


def segment(source: Source, spec=None) -> list[Heading]:
    """Mark headings, assign each paragraph its partner, and read the title's period label."""
    suffixes = DEFAULT_SUFFIXES
    if spec is not None:
        suffixes = sorted({t.heading_suffix for t in spec.templates if t.heading_suffix} | set(suffixes))
    suffix_re = re.compile(r"\s*[-–—:]\s*(?:" + "|".join(re.escape(s) for s in suffixes) + r")\s*$", re.IGNORECASE)
    paras = source.paras or source.split()
    headings: list[Heading] = []
    current: str | None = source.partner
    for i, p in enumerate(paras):
        raw = p.clean
        text = raw.strip()
        if _TITLE.match(text) and len(text) < 200 and _FY_SPAN.search(text):
            p.heading = True
            m = _FY_SPAN.search(raw)
            if m and source.label_span is None:
                source.period = normalise_period(m.group())
                source.label_span = (p.start + m.start(), p.start + m.end())
            p.partner = current
            continue
        h = _heading(p, paras[i + 1] if i + 1 < len(paras) else None, suffix_re, spec)
        if h:
            headings.append(h)
            current = h.code or h.name
            p.heading = True
        elif QUESTION.match(text):
            p.heading = True
        p.partner = current
        if h:
            p.partner_name = h.name
    for p in paras:
        if p.partner_name is None:
            p.partner_name = _name_for(headings, p)
    return headings


def _name_for(headings: list[Heading], p: Para) -> str | None:
    name = None
    for h in headings:
        if h.para.start <= p.start:
            name = h.name
    return name


def _heading(p: Para, nxt: Para | None, suffix_re, spec) -> Heading | None:
    raw = p.clean
    text = raw.strip()
    if not text or len(text) > 110 or text.endswith((".", ",", ";")) or LIST_MARK.match(p.text):
        return None
    m = suffix_re.search(raw)
    if m:
        name = raw[:m.start()].strip()
        return Heading(p, name, p.start + raw.index(name), p.start + raw.index(name) + len(name), resolve(spec, name))
    code = resolve(spec, text)
    if code and len(text.split()) <= 10:
        return Heading(p, text, p.start + raw.index(text), p.start + raw.index(text) + len(text), code)
    if nxt is not None and QUESTION.match(nxt.clean) and len(text.split()) <= 10:
        return Heading(p, text, p.start + raw.index(text), p.start + raw.index(text) + len(text), None)
    return None
