"""Tables → structure: audits (type | findings | actions), highlights (what we delivered |
impact) and figure tables (row and column labels naming breakdown options)."""

from __future__ import annotations

import re
from datetime import datetime

from masa.returns import Action, Audit, Highlight
from masa.spec import Spec, fold, normalise_period

from .document import Block
from .figures import Candidate, _compatible
from .readers.inline import strip_symbol
from .words import PARTNER_BONUS, cell_options, content

_CELL_NUMBER = re.compile(r"^\s*(£)?\s*(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)\s*(%)?\s*$")
_SENTENCE_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")
_META_SPLIT = re.compile(r"(?<=\))\s+(?=[A-Z])")  # "... (owner: X; status: done) Next action"


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
    split = _META_SPLIT if re.search(r"\((?:owner|status)\b", cell) else _SENTENCE_SPLIT
    return [x.strip() for x in split.split(cell) if x.strip()]


_ACTION_META = re.compile(r"\s*\(((?:owner|due|status)\b[^()]*)\)\s*$", re.IGNORECASE)


def _action(text: str) -> Action:
    """An action, reading a trailing '(owner: X; due 31 March 2026; status: open)' if present."""
    m = _ACTION_META.search(text)
    if not m:
        return Action(text=text)
    fields: dict = {}
    for part in m.group(1).split(";"):
        key, _, val = part.strip().partition(":" if ":" in part else " ")
        key, val = key.strip().lower(), val.strip()
        if key == "owner":
            fields["owner"] = val
        elif key == "status" and val in ("open", "in-progress", "done"):
            fields["status"] = val
        elif key == "due":
            try:
                fields["due"] = datetime.strptime(val, "%d %B %Y").date()
            except ValueError:
                pass
    return Action(text=text[: m.start()].strip() or text, **fields)


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
        actions = [_action(x) for x in (_items(r[a]) if a is not None and a < len(r) else [])]
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


def indicator_named(spec: Spec, text: str, partner: str | None = None) -> str | None:
    """The indicator whose name a caption or cell gives, e.g. 'Child safeguarding referrals made (number)'."""
    f = fold(re.sub(r"\s*\([^)]*\)\s*$", "", text))
    for ind in spec.indicators:
        if fold(ind.name) == f and (not ind.partner or not partner or ind.partner == partner):
            return ind.code
    return None


def _period_label(spec: Spec, text: str) -> str | None:
    t = text.strip()
    if t in spec.period_codes:
        return t
    code = normalise_period(t) if len(t) <= 16 else None
    return code if code in spec.period_codes else None


_TOTAL = {"all", "total", "all areas", "overall"}


def figures(spec: Spec, block: Block, partner: str | None, period: str, lead: str) -> list[Candidate]:
    """One candidate per numeric cell. Three layouts: options across the top (the seed's
    referrals table), periods across the top with breakdown columns (masa's own report),
    and 'Indicator | Period | Value' key-figure lists."""
    head = [fold(h) for h in block.rows[0]]
    if "indicator" in head and "value" in head:
        return _key_figures(spec, block, partner, period)
    periods = {j: p for j, h in enumerate(block.rows[0]) if (p := _period_label(spec, h))}
    if periods:
        return _by_period(spec, block, partner, lead, periods)
    return _options_across(spec, block, partner, period, lead)


def _candidate(cell: str, label: str, block: Block, partner, period) -> Candidate | None:
    num = _number(cell)
    if num is None:
        return None
    return Candidate(num[0], num[1], cell.strip(), label, block.loc, partner, period, source="table")


def _key_figures(spec: Spec, block: Block, partner, period) -> list[Candidate]:
    head = [fold(h) for h in block.rows[0]]
    ic, vc = head.index("indicator"), head.index("value")
    pc = head.index("period") if "period" in head else None
    out = []
    for r in block.rows[1:]:
        if max(ic, vc) >= len(r):
            continue
        per = _period_label(spec, r[pc]) if pc is not None and pc < len(r) else period
        c = _candidate(r[vc], f"row {r[ic]!r}", block, partner, per)
        if c is None:
            continue
        code = indicator_named(spec, r[ic], partner)
        if code is None:
            c.reason = f"no indicator in the spec is called {r[ic]!r}"
        elif not _compatible(c.unit, spec.indicator(code).unit):
            c.reason = f"a {c.unit} value for {code} ({spec.indicator(code).unit})"
        else:
            c.indicator, c.score = code, 1.0
        out.append(c)
    return out


def _by_period(spec: Spec, block: Block, partner, lead: str, periods: dict[int, str]) -> list[Candidate]:
    rows = block.rows
    code = indicator_named(spec, lead, partner)
    labels = [j for j in range(len(rows[0])) if j not in periods]
    dims = {}
    for j in labels:
        h = fold(rows[0][j])
        for b in spec.breakdowns:
            if fold(b.name) == h or b.code == h.replace(" ", "-"):
                dims[j] = b.code
    out = []
    for r in rows[1:]:
        by: dict[str, str] = {}
        bad = ""
        for j, dim in dims.items():
            cell = r[j] if j < len(r) else ""
            if fold(cell) in _TOTAL or not cell.strip():
                continue
            opts = [o for d, o in cell_options(spec, [dim], cell) if d == dim]
            if opts:
                by[dim] = opts[0]
            else:
                bad = f"{cell!r} is not an option of {dim}"
        for j, per in periods.items():
            c = _candidate(r[j] if j < len(r) else "", f"row {' / '.join(r[k] for k in labels if k < len(r))!r}, "
                           f"column {rows[0][j]!r}", block, partner, per)
            if c is None:
                continue
            if code is None:
                c.reason = "the table's caption names no indicator of the spec"
            elif bad:
                c.reason = bad
            else:
                c.indicator, c.by, c.score = code, dict(by), 1.0
            out.append(c)
    return out


def _options_across(spec: Spec, block: Block, partner: str | None, period: str, lead: str) -> list[Candidate]:
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
            # an indicator reserved for this partner is what the partner reports: it wins
            ranked.append((dim_hits + cover + (PARTNER_BONUS if ind.partner else 0), ind.code))
    ranked.sort(reverse=True)
    named = indicator_named(spec, lead, partner)
    clear = ranked and (len(ranked) == 1 or ranked[0][0] - ranked[1][0] >= 0.02)
    choice = named or (ranked[0][1] if clear else None)
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
