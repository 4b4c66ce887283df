"""What an import found, kept, dropped and could not place: nothing is silently lost."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from .document import Location
from .figures import Candidate
from .segment import Duplicate


@dataclass(frozen=True)
class PartnerFound:
    code: str
    template: str
    written: str  # the name as the document writes it
    loc: Location
    pieces: int  # headers merged into this section (page-break repeats included)
    blocks: int


@dataclass(frozen=True)
class UnknownName:
    """A partner-like name the spec does not know: offer it as a new partner or an alias."""

    name: str
    loc: Location
    nearest: str | None  # nearest known partner code
    similarity: float
    blocks: int = 0  # paragraphs, lists and tables under it, not imported until the name is known

    @property
    def offer(self) -> str:
        if self.nearest and self.similarity >= 70:
            return f"add {self.name!r} as an alias of {self.nearest}, or as a new partner"
        return f"add {self.name!r} as a new partner (or as an alias of an existing one)"


@dataclass(frozen=True)
class TableFound:
    partner: str
    kind: str  # audits | highlights | figures | other
    rows: int
    loc: Location


@dataclass(frozen=True)
class Note:
    loc: Location
    message: str


@dataclass
class ImportReport:
    file: str
    templates: list[str] = field(default_factory=list)
    title: str = ""
    title_period: str | None = None
    period: str = ""
    reader: str = ""
    partners: list[PartnerFound] = field(default_factory=list)
    sections_before_merge: int = 0
    running_headers_removed: int = 0
    questions_removed: int = 0
    tables: list[TableFound] = field(default_factory=list)
    figures: list[Candidate] = field(default_factory=list)  # assigned and stored as values
    corroborated: list[Candidate] = field(default_factory=list)  # the same figure stated again
    unassigned: list[Candidate] = field(default_factory=list)  # values a person must place
    changes_and_targets: list[Candidate] = field(default_factory=list)
    duplicates: list[Duplicate] = field(default_factory=list)
    unknown_names: list[UnknownName] = field(default_factory=list)
    unrecognised: list[Note] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def template(self) -> str:
        return ", ".join(self.templates)

    @property
    def duplicate_runs(self) -> list[tuple[str, Location, Location, int]]:
        """Consecutive dropped blocks grouped: (partner, first dropped, first kept, count)."""
        runs: list[list] = []
        for d in self.duplicates:
            if runs and runs[-1][0] == d.partner and _next_to(runs[-1][3], d.dropped):
                runs[-1][3] = d.dropped
                runs[-1][4] += 1
            else:
                runs.append([d.partner, d.dropped, d.kept, d.dropped, 1])
        return [(p, first, kept, n) for p, first, kept, _, n in runs]

    def to_dict(self) -> dict:
        out = asdict(self)
        out["duplicate_runs"] = [(p, str(a), str(b), n) for p, a, b, n in self.duplicate_runs]
        return out


def _next_to(a: Location, b: Location) -> bool:
    if a.line is not None and b.line is not None:
        return 0 < b.line - a.line <= 25
    if a.page is not None and b.page is not None:
        return 0 <= b.page - a.page <= 1
    if a.paragraph is not None and b.paragraph is not None:
        return 0 < b.paragraph - a.paragraph <= 5
    return False
