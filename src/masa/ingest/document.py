"""The common document model every reader produces: an ordered list of blocks with locations.

Readers differ (Word, PDF, markdown, plain text); segmentation and structure recognition
only ever see this model, so they work the same whatever the file type.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

BlockKind = Literal["heading", "paragraph", "list_item", "table", "object"]


@dataclass(frozen=True)
class Location:
    """Where a block came from: file plus line (text), page (PDF) or paragraph (Word)."""

    file: str
    line: int | None = None
    page: int | None = None
    paragraph: int | None = None
    start: int | None = None  # character offsets in the source text (page text for PDF)
    end: int | None = None

    def __str__(self) -> str:
        name = Path(self.file).name
        if self.line is not None:
            return f"{name}:{self.line}"
        if self.page is not None:
            return f"{name} page {self.page}"
        if self.paragraph is not None:
            return f"{name} paragraph {self.paragraph}"
        return name


@dataclass
class Block:
    kind: BlockKind
    loc: Location
    text: str = ""
    level: int = 0  # heading level (1 = title)
    rows: list[list[str]] = field(default_factory=list)  # tables: cells as text, list items split by "\n"

    def plain(self) -> str:
        """The block's text for comparison; tables flattened row by row."""
        if self.kind == "table":
            return "\n".join(" | ".join(r) for r in self.rows)
        return self.text


@dataclass(frozen=True)
class Link:
    text: str
    target: str
    loc: Location


@dataclass
class Document:
    path: Path
    kind: str  # docx | pdf | markdown | text
    blocks: list[Block]
    links: list[Link] = field(default_factory=list)

    @property
    def title(self) -> str:
        """The first heading or first line: the document's own name for itself."""
        for b in self.blocks[:5]:
            if b.kind in ("heading", "paragraph") and b.text.strip():
                return b.text.strip()
        return ""
