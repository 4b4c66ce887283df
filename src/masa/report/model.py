"""The one intermediate report model every format is rendered from, so formats cannot drift.

A report is a title plus a tree of sections; each section holds blocks. Blocks carry
text already worded and figures already published (disclosure control applied), so a
renderer only lays them out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Union


@dataclass
class Markdown:
    """Partner narrative, markdown; rendered safely by each format."""

    text: str


@dataclass
class Paragraph:
    """Plain text worded by masa. ``kind`` styles it: note, notice, internal, missing."""

    text: str
    kind: str = "note"


@dataclass
class Items:
    """A bulleted list of plain-text items; ``flags`` marks items to highlight (e.g. missing)."""

    items: list[str]
    title: str = ""
    flags: list[bool] = field(default_factory=list)


@dataclass
class Table:
    """A real table: ``header`` cells; the first ``row_headers`` cells of each row are row headers."""

    caption: str
    header: list[str]
    rows: list[list[str]]
    row_headers: int = 1
    numeric_from: int | None = None  # first column index holding figures (right-aligned)
    notes: list[str] = field(default_factory=list)
    id: str = ""


@dataclass
class Chart:
    """A chart as inline SVG with its text alternative; ``table_id`` names the data table beside it."""

    title: str
    description: str
    table_id: str
    id: str
    svg: str = ""  # the accessible SVG (``charts.make_chart`` draws it)

    @property
    def width_px(self) -> float | None:
        """The SVG's drawn width, so a format can place it at its natural size (text legible)."""
        import re

        m = re.search(r'<svg[^>]*?\swidth="([0-9.]+)', self.svg)
        return float(m.group(1)) if m else None

    def png(self) -> bytes:
        """PNG rasterised from the same SVG (for Word); cached by the SVG's content."""
        from .charts import png_of

        return png_of(self.svg)


@dataclass
class Heading:
    """A sub-heading inside a section (e.g. a partner's own sub-heading)."""

    text: str


Block = Union[Markdown, Paragraph, Items, Table, Chart, Heading]


@dataclass
class Section:
    id: str
    title: str
    blocks: list[Block] = field(default_factory=list)
    children: list["Section"] = field(default_factory=list)


@dataclass
class PublishedFigure:
    """One row of open data: a figure exactly as the report publishes it."""

    partner: str
    partner_name: str
    indicator: str
    indicator_name: str
    unit: str
    period: str
    by: dict[str, str]
    value: int | float | str | None  # "c" when suppressed
    provenance_kind: str = ""
    provenance_source: str = ""
    provenance_definition: str = ""
    provenance_sha256: str = ""


@dataclass
class Report:
    title: str
    partnership: str  # code
    partnership_name: str
    period: str
    internal: bool
    sections: list[Section]  # appendices (and the quality appendix when internal)
    notes: list[str]
    figures: list[PublishedFigure]
    breakdowns: list[str]  # breakdown codes that occur in figures, in spec order
    lang: str = "en-GB"
    draft: bool = False  # built from returns not yet approved, for review
    front: list[Block] = field(default_factory=list)  # shown first: what a partial report lacks, and why

    @property
    def banner(self) -> str:
        """The marking every page of every format carries; empty for a public build."""
        if self.internal:
            return "INTERNAL – NOT FOR PUBLICATION – unsuppressed figures"
        return "DRAFT – NOT FOR PUBLICATION" if self.draft else ""

    @property
    def public(self) -> bool:
        return not (self.internal or self.draft)

    def walk(self):
        """(depth, section) for every section, depth 1 for appendices."""
        def rec(sections, depth):
            for s in sections:
                yield depth, s
                yield from rec(s.children, depth + 1)
        yield from rec(self.sections, 1)
