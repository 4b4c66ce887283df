"""Split a multi-partner document into one section per partner.

Partner headers are recognised with ``spec.resolve_partner`` (names and aliases), with or
without the template's heading suffix ("X - achievements and impact", "X: ..."). A header
repeated at a page break continues the same section; a sentence or table cut by the page
break is joined back; exact and near-duplicate blocks are dropped and recorded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from rapidfuzz import fuzz, process

from masa.spec import Spec, fold

from .document import Block, Document, Location
from .readers.inline import looks_like_heading

NEAR_DUPLICATE = 95  # rapidfuzz ratio on folded text
_MIN_DUP_CHARS = 40  # shorter blocks ("Impact:", "Neglect") repeat legitimately
_TAG_LINE = re.compile(r"^priorit(?:y|ies)\s*:", re.IGNORECASE)  # "Priorities: Neglect" lines repeat by design
_APPENDIX = re.compile(r"^appendix\s+[a-z]\b", re.IGNORECASE)
_MIN_NEAR_CHARS = 200  # near (not exact) duplicates only for long blocks: short lists share boilerplate


@dataclass
class PartnerSection:
    partner: str | None  # spec code; None when the name is not known to the spec
    name: str  # as written in the document
    loc: Location
    blocks: list[Block] = field(default_factory=list)
    pieces: int = 1  # how many headers (page-break repeats included) it was built from


@dataclass(frozen=True)
class Duplicate:
    partner: str
    dropped: Location
    kept: Location
    score: float
    kind: str


@dataclass
class Segmented:
    template: str | None
    title: str
    sections: list[PartnerSection]
    raw_sections: int = 0
    preamble: list[Block] = field(default_factory=list)
    running_headers: int = 0
    questions: int = 0
    duplicates: list[Duplicate] = field(default_factory=list)


def detect_template(doc: Document, spec: Spec) -> str | None:
    """The template a document follows, from its title ("Appendix B", the template name),
    else from its content (suffixed partner headers, or the template question repeated)."""
    head = " ".join(b.text for b in doc.blocks[:6] if b.kind in ("heading", "paragraph"))
    for t in spec.templates:
        if t.appendix and re.search(rf"\bappendix\s+{re.escape(t.appendix)}\b", head, re.IGNORECASE):
            return t.code
    folded = fold(head)
    for t in spec.templates:
        if fold(t.name) in folded:
            return t.code
    scores: dict[str, int] = {}
    for t in spec.templates:
        for b in doc.blocks:
            if t.heading_suffix and b.kind == "heading" and fold(t.heading_suffix) in fold(b.text) or t.question and b.text.endswith("?") and fuzz.token_set_ratio(t.question, b.text) >= 60:
                scores[t.code] = scores.get(t.code, 0) + 1
    return max(scores, key=scores.get) if scores else None


def resolve(spec: Spec, name: str) -> str | None:
    """Partner code for a name as written, trying it without a trailing parenthesis too."""
    code = spec.resolve_partner(name)
    if code is None:
        bare = re.sub(r"\s*\([^)]*\)\s*$", "", name).strip()
        if bare and bare != name:
            code = spec.resolve_partner(bare)
    return code


def suggest_partner(spec: Spec, name: str) -> tuple[str | None, float]:
    """The nearest known partner for an unknown name, and how near (0-100)."""
    choices = {fold(n): p.code for p in spec.partners for n in p.all_names}
    hit = process.extractOne(fold(name), list(choices), scorer=fuzz.token_set_ratio)
    if not hit:
        return None, 0.0
    return choices[hit[0]], float(hit[1])


def _suffix_re(spec: Spec) -> re.Pattern | None:
    suffixes = sorted({t.heading_suffix for t in spec.templates if t.heading_suffix}, key=len, reverse=True)
    if not suffixes:
        return None
    alt = "|".join(re.escape(s) for s in suffixes)
    return re.compile(rf"^(?P<name>.+?)\s*(?:[-–—:]+\s*)(?:{alt})\s*$", re.IGNORECASE)


def _header(b: Block, spec: Spec, suffix: re.Pattern | None, next_is_question: bool):
    """(code or None, name) when the block opens a partner section, else None."""
    if b.kind not in ("heading", "paragraph") or len(b.text) > 160:
        return None
    text = b.text.strip()
    if _APPENDIX.match(text):
        return None
    m = suffix.match(text) if suffix else None
    if m:
        name = m.group("name").strip(" -–—:")
        return resolve(spec, name), name
    if b.kind == "heading" or (next_is_question and looks_like_heading(text)):
        code = resolve(spec, text)
        if code or next_is_question:
            return code, text
    return None


def _is_question(b: Block | None, question: str | None) -> bool:
    if b is None or b.kind != "paragraph" or not b.text.rstrip().endswith("?") or len(b.text) > 300:
        return False
    return question is None or fuzz.ratio(fold(question), fold(b.text)) >= 85


def _ends_open(b: Block) -> bool:
    return b.kind in ("paragraph", "list_item") and not b.text.rstrip().endswith((".", "!", "?", ":", ";"))


def _continues(b: Block) -> bool:
    return b.kind in ("paragraph", "list_item") and b.text[:1].islower()


@cache
def _partnership_sections() -> frozenset[str]:
    """Headings masa's own report gives the partnership's sections after the appendices (quality,
    theme coverage, assurance, Section 11): none is a partner's, so each ends the partner section
    before it; read back as part of the last partner, a heading became one of its case studies."""
    from masa.report import assurance_blocks, section11_block, themes
    from masa.report.builder import QUALITY_TITLE

    return frozenset(fold(t) for t in (QUALITY_TITLE, themes.TITLE, section11_block.TITLE, assurance_blocks.TITLE))


def segment(doc: Document, spec: Spec, template: str | None = None) -> Segmented:
    template = template or detect_template(doc, spec)
    title = doc.title
    tfold = fold(title)
    suffix = _suffix_re(spec)
    out = Segmented(template, title, [])
    by_key: dict[str, PartnerSection] = {}
    current: PartnerSection | None = None
    page_break = False
    question: str | None = None
    blocks = doc.blocks
    ours = _partnership_sections()
    for i, b in enumerate(blocks):
        nxt = blocks[i + 1] if i + 1 < len(blocks) else None
        if b.kind == "heading" and fold(b.text) in ours:
            current = None  # what follows is the partnership's, not a partner's
            continue
        hdr = _header(b, spec, suffix, _is_question(nxt, None))
        if not hdr and i == 0 and b.kind == "heading" and b.text.strip() == title:
            continue
        if not hdr and b.kind == "heading" and fold(b.text) == tfold:
            out.running_headers += 1
            page_break = True
            continue
        if hdr:
            code, name = hdr
            key = code or fold(name)
            if current is not None and key == (current.partner or fold(current.name)):
                out.running_headers += 1
                current.pieces += 1
                page_break = True
                continue
            out.raw_sections += 1
            page_break = False
            if key in by_key:
                current = by_key[key]
                current.pieces += 1
            else:
                current = PartnerSection(code, name, b.loc)
                by_key[key] = current
                out.sections.append(current)
            continue
        if current is None:
            out.preamble.append(b)
            continue
        if _is_question(b, question) and (not current.blocks):
            question = question or b.text
            out.questions += 1
            continue
        last = current.blocks[-1] if current.blocks else None
        if last is not None and page_break and _ends_open(last) and _continues(b):
            last.text = f"{last.text} {b.text}"
            page_break = False
            continue
        if last is not None and b.kind == "table" and last.kind == "table" and b.rows and last.rows \
                and len(b.rows[0]) == len(last.rows[0]) and b.rows[0] != last.rows[0]:
            last.rows.extend(b.rows)
            page_break = False
            continue
        page_break = False
        current.blocks.append(b)
    for s in out.sections:
        s.blocks = _dedupe(s, out.duplicates)
    return out


def _dedupe(section: PartnerSection, found: list[Duplicate]) -> list[Block]:
    """Keep the first of any exact or near-duplicate block; record each one dropped."""
    kept: list[Block] = []
    keys: list[str] = []
    exact: dict[str, int] = {}
    owners: list[Block] = []
    label = section.partner or section.name
    for b in section.blocks:
        key = fold(b.plain())
        if (b.kind != "table" and len(key) < _MIN_DUP_CHARS) or _TAG_LINE.match(b.text):
            kept.append(b)
            continue
        if key in exact:
            hit = (key, 100.0, exact[key])
        elif len(key) >= _MIN_NEAR_CHARS and keys:
            hit = process.extractOne(key, keys, scorer=fuzz.ratio, score_cutoff=NEAR_DUPLICATE)
        else:
            hit = None
        if hit:
            found.append(Duplicate(label, b.loc, owners[hit[2]].loc, float(hit[1]),
                                   "exact" if hit[1] >= 100 else "near"))
            continue
        exact[key] = len(keys)
        keys.append(key)
        owners.append(b)
        kept.append(b)
    return kept
