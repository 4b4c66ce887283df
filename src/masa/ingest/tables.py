"""Tables → structure: audits (type | findings | actions), highlights (what we delivered |
impact) and figure tables (row and column labels naming breakdown options)."""

from __future__ import annotations

import re

from masa.returns import Action, Audit, Highlight
from masa.spec import Spec, fold

from .document import Block
from .figures import Candidate, _compatible
from .readers.inline import strip_symbol
from .words import cell_options, content

_CELL_NUMBER = re.compile(r"^\s*(£)?\s*(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)\s*(%)?\s*$")
_SENTENCE_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")


def kind(rows: list[list[str]]) -> str:
    """audits | highlights | figures | other."""
    if not rows:
        return "other"
    head = [fold(c) for c in rows[0]]
    joined = " | ".join(head)
    if "audit" in joined and "finding" in joined and "action" in joined:
        return "audits"
    if len(head) >= 2 and "deliver" in head[0] and "impact" in head[1]:
        return "highlights"
    if any(_CELL_NUMBER.match(c) for r in rows[1:] for c in r[1:]):
        return "figures"
    return "other"


def _items(cell: str) -> list[str]:
    """A cell's list: one item per line, or one per sentence when it was run together."""
    lines = [x.strip() for x in cell.split("\n") if x.strip()]
    if len(lines) > 1:
        return lines
    return [x.strip() for x in _SENTENCE_SPLIT.split(cell) if x.strip()]


def _column(head: list[str], *words: str) -> int | None:
    for i, h in enumerate(head):
        if any(w in h for w in words):
            return i
    return None


def audits(rows: list[list[str]]) -> list[Audit]:
    head = [fold(c) for c in rows[0]]
    t = _column(head, "type", "audit") or 0
    f = _column(head, "finding")
    a = _column(head, "action")
    out = []
    for r in rows[1:]:
        title = r[t].strip() if t < len(r) else ""
        if not title:
            continue
        findings = _items(r[f]) if f is not None and f < len(r) else []
        actions = [Action(text=x) for x in (_items(r[a]) if a is not None and a < len(r) else [])]
        out.append(Audit(title=title, findings=findings, actions=actions))
    return out


def highlights(rows: list[list[str]]) -> list[Highlight]:
    out = []
    for r in rows[1:]:
        if len(r) >= 2 and (r[0].strip() or r[1].strip()):
            out.append(Highlight(delivered=strip_symbol(r[0]), impact=r[1].strip()))
    return out


def _number(cell: str) -> tuple[float, str] | None:
    m = _CELL_NUMBER.match(cell)
    if not m:
        return None
    value = float(m.group(2).replace(",", ""))
    return value, "percent" if m.group(3) else "currency" if m.group(1) else "count"


def figures(spec: Spec, block: Block, partner: str | None, period: str, lead: str) -> list[Candidate]:
    """One candidate per numeric cell, with breakdown options read from the row and column labels."""
    rows = block.rows
    dims = [b.code for b in spec.breakdowns]
    head = rows[0]
    col_opts = [cell_options(spec, dims, h) for h in head]
    row_opts = [cell_options(spec, dims, r[0]) if r else [] for r in rows[1:]]
    found = {d for opts in col_opts + row_opts for d, _ in opts}
    words = content(" ".join([lead, *head]))
    ranked = []
    for ind in spec.indicators:
        if ind.partner and ind.partner != partner:
            continue
        iw = content(ind.name)
        cover = len(iw & words) / len(iw) if iw else 0
        dim_hits = len(found & set(ind.breakdowns))
        if dim_hits or cover >= 0.6:
            ranked.append((dim_hits + cover + (0.05 if ind.partner else 0), ind.code))
    ranked.sort(reverse=True)
    choice = ranked[0][1] if ranked and (len(ranked) == 1 or ranked[0][0] - ranked[1][0] >= 0.02) else None
    ind = spec.indicator(choice) if choice else None
    out: list[Candidate] = []
    seen: dict[tuple, Candidate] = {}
    for ri, r in enumerate(rows[1:]):
        for ci, cell in enumerate(r[1:], start=1):
            num = _number(cell)
            if num is None:
                continue
            value, unit = num
            label = f"row {r[0]!r}, column {head[ci] if ci < len(head) else ci!r}"
            c = Candidate(value, unit, cell.strip(), label, block.loc, partner, period, source="table")
            if ind is None:
                c.reason = "no indicator in the spec matches this table"
            elif not _compatible(unit, ind.unit):
                c.reason = f"a {unit} cell in a table of {ind.code} ({ind.unit})"
            else:
                by: dict[str, str] = {}
                for d, o in row_opts[ri] + (col_opts[ci] if ci < len(col_opts) else []):
                    if d in ind.breakdowns and d not in by:
                        by[d] = o
                key = tuple(sorted(by.items()))
                if key in seen:
                    c.reason = f"same breakdown as {seen[key].written} in this table: labels not recognised"
                else:
                    c.indicator, c.by, c.score = ind.code, by, 1.0
                    seen[key] = c
            out.append(c)
    return out
