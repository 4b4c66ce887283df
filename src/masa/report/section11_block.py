"""The yearly report's "Section 11 summary": how the partnership's partners rated themselves
against each Section 11 standard this year and last, counted from the stored assessments.

Every count passes the publishing boundary (``boundary.protect_crosstab``, ``protect_count``:
1-5 as "c", with secondary suppression against the totals), even though partners are
organisations, so no exit shows a small count. A change is worked out only between two published counts.
Plain Python: the caller (web, CLI) reads the assessments and passes them in.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from masa.assurance.section11 import RAG, Assessment, StandardSet, rag_counts
from masa.disclosure import SUPPRESSED

from .boundary import protect_count, protect_crosstab
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
    """(standard, rating) and the totals, each published or "c" (the publishing boundary)."""
    return protect_crosstab({(s, r): counts[s][r] for s in counts for r in COLUMNS}, internal=internal)


def _change(now, before) -> str:
    if now == SUPPRESSED or before == SUPPRESSED:
        return SUPPRESSED
    diff = now - before
    return f"+{diff}" if diff > 0 else str(diff) if diff < 0 else "no change"


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
        f"{data.period}: {protect_count(len(now), internal=internal)}; "
        f"for {data.previous_period}: {protect_count(len(then), internal=internal)}. "
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
