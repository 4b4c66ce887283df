"""The yearly report's "Section 11 summary": how the partnership's partners rated themselves
against each Section 11 standard this year and last, counted from the stored assessments.

Every count passes the one disclosure rule (masa.disclosure.protect_table: 1-5 as "c", with
secondary suppression against the totals), even though partners are organisations, so no
exit shows a small count. A change is worked out only between two published counts.
Plain Python: the caller (web, CLI) reads the assessments and passes them in.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from masa.assurance.section11 import RAG, Assessment, StandardSet, rag_counts
from masa.disclosure import SUPPRESSED, protect_table

from .figures import SUPPRESSION_NOTE
from .model import Block, Paragraph, Section, Table

TITLE = "Section 11 summary"
COLUMNS = ("green", "amber", "red")


@dataclass
class Section11Data:
    """The partnership's partners' assessments for the report's year and the year before."""

    standards: StandardSet
    period: str
    previous_period: str
    current: list[Assessment] = field(default_factory=list)
    previous: list[Assessment] = field(default_factory=list)
    partnership: str = ""


def _published(counts: dict[str, dict[str, int]], internal: bool) -> dict:
    """(standard, rating) and the totals, each published or "c"."""
    cells = {(s, r): counts[s][r] for s in counts for r in COLUMNS}
    rows = {s: sum(counts[s].values()) for s in counts}
    cols = {r: sum(counts[s][r] for s in counts) for r in COLUMNS}
    grand = sum(rows.values())
    if internal:
        out = dict(cells)
        out.update({(s, "total"): v for s, v in rows.items()})
        out.update({("total", r): v for r, v in cols.items()})
        out[("total", "total")] = grand
        return out
    return dict(protect_table(cells, row_totals=rows, col_totals=cols, grand_total=grand).published)


def _change(now, before) -> str:
    if now == SUPPRESSED or before == SUPPRESSED:
        return SUPPRESSED
    diff = now - before
    return f"+{diff}" if diff > 0 else str(diff) if diff < 0 else "no change"


def _count(n: int, internal: bool):
    return n if internal or n == 0 or n > 5 else SUPPRESSED


def section(data: Section11Data, *, internal: bool = False) -> Section:
    st = data.standards
    now = [a for a in data.current if a.status == "submitted"]
    then = [a for a in data.previous if a.status == "submitted"]
    blocks: list[Block] = []
    if not now:
        blocks.append(Paragraph(f"No partner has submitted a Section 11 self-assessment for {data.period} yet.",
                                kind="missing"))
        return Section(id="section11-summary", title=TITLE, blocks=blocks)
    blocks.append(Paragraph(
        f"Partners rate themselves red, amber or green against each of the {len(st.standards)} Section 11 "
        f"standards of \"{st.name}\"; the business unit moderates each rating. Submitted assessments for "
        f"{data.period}: {_count(len(now), internal)}; for {data.previous_period}: {_count(len(then), internal)}. "
        "Green means the arrangement is in place and working.", kind="note"))
    cur = _published(rag_counts(now, st), internal)
    has_before = bool(then)
    old = _published(rag_counts(then, st), internal) if has_before else {}
    header = ["Standard", "Green", "Amber", "Red", "Rated"]
    if has_before:
        header += [f"Green in {data.previous_period}", "Change in green"]
    rows = []
    for s in [*st.standards, None]:
        key = s.code if s else "total"
        row = [s.title if s else "All standards"] + [str(cur[(key, r)]) for r in COLUMNS] + [str(cur[(key, "total")])]
        if has_before:
            row += [str(old[(key, "green")]), _change(cur[(key, "green")], old[(key, "green")])]
        rows.append(row)
    notes = [] if internal else [SUPPRESSION_NOTE]
    blocks.append(Table(f"Self-ratings by standard, {data.period}", header, rows, row_headers=1, numeric_from=1,
                        notes=notes, id="section11-ratings"))
    if not has_before:
        blocks.append(Paragraph(f"There is no Section 11 cycle for {data.previous_period} to compare with.",
                                kind="note"))
    return Section(id="section11-summary", title=TITLE, blocks=blocks)


__all__ = ["RAG", "TITLE", "Section11Data", "section"]
