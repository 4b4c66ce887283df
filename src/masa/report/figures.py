"""A partner's figures as published: disclosure control, tables, comparisons, targets, charts.

This is the one place figures become published output. Counts go through
``masa.disclosure.protect`` (a breakdown total and its parts form a constraint); percentages
and money are published as stored. Every comparison sentence is computed here from the
published values with ``masa.compare``; none is typed.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from masa.compare import compare, format_value, judge_target
from masa.disclosure import SUPPRESSED, DisclosureError, protect
from masa.returns import DataValue
from masa.spec import parse_period, shift_period

from .charts import make_chart
from .model import Block, Chart, Items, Paragraph, PublishedFigure, Table

SUPPRESSION_NOTE = ("c: a count from 1 to 5 is not published, nor any figure from which such "
                    "a count could be worked out. A true zero is shown as 0.")


class ReportError(ValueError):
    """Data that cannot be published safely; the report is not built (fails closed)."""


ByKey = tuple  # sorted (breakdown, option) pairs


@dataclass
class Cell:
    period: str
    by: ByKey
    value: DataValue
    published: int | float | str | None


def in_scope(value_period: str, period: str) -> bool:
    """Figures shown for ``period``: its year and quarters, and the previous year's."""
    year = parse_period(value_period).year
    return year in (period, shift_period(period, -1))


def publish(spec, partner: str, values: list[tuple[str, DataValue]], *, internal: bool) -> list[Cell]:
    """Apply disclosure control to a partner's figures, one indicator at a time across all its
    periods and areas, so every line a reader could subtract along is protected together:
    a breakdown total and its parts, a year and its quarters, and what the published parts
    leave of a total (other areas, options with no figure) as a hidden remainder cell."""
    groups: dict[str, list[tuple[str, ByKey, DataValue]]] = defaultdict(list)
    for per, v in values:
        groups[v.indicator].append((per, tuple(sorted(v.by.items())), v))
    cells: list[Cell] = []
    for code, items in groups.items():
        ind = spec.indicator(code)
        if ind.unit != "count" or internal:
            cells += [Cell(per, k, v, SUPPRESSED if v.suppressed else _number(v.value))
                      for per, k, v in items]
            continue
        counts = {(per, k): _count(partner, code, per, k, v.value) for per, k, v in items}
        lines, remainders = additive_lines(spec, ind, counts)
        try:
            result = protect({**counts, **remainders}, lines)
        except DisclosureError as exc:
            raise ReportError(f"{partner}: {code}: cannot publish safely: {exc}") from None
        cells += [Cell(per, k, v, SUPPRESSED if v.suppressed else result.published[(per, k)])
                  for per, k, v in items]
    return cells


def additive_lines(spec, ind, counts: dict[tuple[str, ByKey], int | None]):
    """Lines total = sum(parts) over (period, breakdown key) cells, plus remainder cells.

    Where the parts of a total are not all given, or do not add up to it, the gap is a count a
    reader can work out (total minus the parts); it becomes a remainder cell that is never
    printed but is protected like any other. Parts that add up to more than the total (options
    that overlap, such as topics of one session) form no line."""
    lines: list[tuple] = []
    remainders: dict[tuple, int] = {}

    def line(total, parts, complete, tag):
        known = [counts[p] for p in parts]
        if counts[total] is None or None in known:
            if complete:  # unknowns: a line only when every part is there, so it really holds
                lines.append((total, parts))
            return
        gap = counts[total] - sum(known)
        if gap < 0:
            return
        if gap == 0:
            lines.append((total, parts))
        else:
            rest = (total, tag)
            remainders[rest] = gap
            lines.append((total, [*parts, rest]))

    for (per, key) in counts:
        used = dict(key)
        for dim in ind.breakdowns:
            if dim in used:
                continue
            every = [(per, tuple(sorted({**used, dim: opt}.items()))) for opt in spec.options(dim)]
            parts = [p for p in every if p in counts]
            if parts:
                line((per, key), parts, len(parts) == len(every), ("rest of", dim))
        p = parse_period(per)
        if p.kind == "year":
            quarters = [q for q in ((f"{per} Q{n}", key) for n in (1, 2, 3, 4)) if q in counts]
            if quarters:
                line((per, key), quarters, len(quarters) == 4, ("rest of", "quarters"))
    return lines, remainders


def table_notes(cells: list[Cell]) -> list[str]:
    """The notes under a figure table: suppression, the partner's own notes, and where the
    figures came from (typed, imported from a document, or computed from an extract)."""
    notes = [SUPPRESSION_NOTE] if any(c.published == SUPPRESSED for c in cells) else []
    notes += sorted({c.value.note for c in cells if c.value.note and not c.value.suppressed})
    sources = sorted({source_phrase(c.value.provenance) for c in cells})
    if sources:
        notes.append("Source: " + "; ".join(sources) + ".")
    return notes


def source_phrase(p) -> str:
    if p.kind == "computed":
        out = f"computed by masa with {p.definition or 'an indicator definition'} from {p.source or 'an extract'}"
        details = [f"SHA-256 {p.sha256[:12]}…" if p.sha256 else "",
                   f"{p.rows:,} rows" if p.rows is not None else "",
                   f"{p.quarantined:,} rows set aside" if p.quarantined else ""]
        details = [d for d in details if d]
        return out + (f" ({', '.join(details)})" if details else "")
    if p.kind == "imported":
        return f"imported from {p.source}" if p.source else "imported from a document"
    return "entered by the partner"


def _number(v: float | None):
    return int(v) if isinstance(v, float) and v.is_integer() else v


def _count(partner: str, code: str, per: str, key: ByKey, v: float | None) -> int | None:
    if v is None:
        return None
    if not float(v).is_integer():
        raise ReportError(f"{partner}: {code} {per} {dict(key)}: a count must be a whole number, got {v}")
    return int(v)


def _own_areas(spec, v: DataValue) -> bool:
    """A partnership publishes its own areas' slices only, never another area's figures."""
    own = set(spec.partnership.areas)
    return all(opt in own for dim, opt in v.by.items() if spec.breakdown(dim).from_areas)


# --- labels ---------------------------------------------------------------------------------

def by_label(spec, ind, key: ByKey) -> str:
    by = dict(key)
    return ", ".join(spec.option_name(d, by[d]) for d in ind.breakdowns if d in by) or "All"


def _order(spec, ind, key: ByKey) -> tuple:
    by = dict(key)
    return tuple(spec.options(d).index(by[d]) if d in by and by[d] in spec.options(d) else -1
                 for d in ind.breakdowns)


def show(v, unit: str) -> str:
    if v == SUPPRESSED:
        return SUPPRESSED
    if v is None:
        return "Not recorded"
    return format_value(v, unit)


UNIT_WORD = {"count": "number", "percent": "per cent", "currency": "pounds", "rate": "rate",
             "days": "days", "score": "score"}


# --- blocks ---------------------------------------------------------------------------------

def partner_figures(spec, partner: str, values: list[tuple[str, DataValue]], period: str, *,
                    internal: bool, id_prefix: str) -> tuple[list[Block], list[PublishedFigure], bool]:
    """Blocks for a partner's figures, the open-data rows, and whether any cell is suppressed."""
    values = [(p, v) for p, v in values if in_scope(p, period)]
    if not any(_own_areas(spec, v) for _, v in values):
        return [], [], False
    # Protect with every area's figures in view, then print only this partnership's areas:
    # showing a reader less than the protection allowed for is always safe.
    cells = [c for c in publish(spec, partner, values, internal=internal) if _own_areas(spec, c.value)]
    by_ind: dict[str, list[Cell]] = defaultdict(list)
    for c in cells:
        by_ind[c.value.indicator].append(c)
    order = [i.code for i in spec.indicators if i.code in by_ind]
    blocks: list[Block] = []
    sentences: list[str] = []
    suppressed = any(c.published == SUPPRESSED for c in cells)
    key_rows: list[tuple] = []
    key_charts: list[Chart] = []
    key_id = f"{id_prefix}-key-figures"
    for n, code in enumerate(order):
        ind = spec.indicator(code)
        group = by_ind[code]
        periods = sorted({c.period for c in group}, key=lambda p: (parse_period(p).start, p))
        lookup = {(c.period, c.by): c for c in group}
        keys = sorted({c.by for c in group}, key=lambda k: _order(spec, ind, k))
        sentences += _comparisons(spec, ind, group, lookup)
        sentences += _targets(spec, ind, group, period)
        chart_rows = [(by_label(spec, ind, k) if ind.breakdowns else ind.name, p, lookup[(p, k)].published)
                      for k in keys for p in periods if (p, k) in lookup]
        if not ind.breakdowns:
            for p in periods:
                for k in keys:
                    if (p, k) in lookup:
                        key_rows.append((ind, p, lookup[(p, k)]))
            if len(periods) > 1:
                chart = make_chart(ind.name, chart_rows, ind.unit, chart_id=f"{id_prefix}-chart-{n}", table_id=key_id)
                if chart:
                    key_charts.append(chart)
            continue
        table_id = f"{id_prefix}-table-{n}"
        dims = [spec.breakdown(d).name for d in ind.breakdowns]
        rows = []
        for k in keys:
            by = dict(k)
            label = [spec.option_name(d, by[d]) if d in by else "All" for d in ind.breakdowns]
            rows.append(label + [show(lookup[(p, k)].published, ind.unit) if (p, k) in lookup else "–"
                                 for p in periods])
        notes = table_notes(group)
        blocks.append(Table(caption=f"{ind.name} ({UNIT_WORD.get(ind.unit, ind.unit)})",
                            header=dims + periods, rows=rows, row_headers=1, numeric_from=len(dims),
                            notes=notes, id=table_id))
        chart = make_chart(ind.name, chart_rows, ind.unit, chart_id=f"{id_prefix}-chart-{n}", table_id=table_id)
        if chart:
            blocks.append(chart)
    if key_rows:
        rows = [[ind.name, p, show(c.published, ind.unit)] for ind, p, c in key_rows]
        notes = table_notes([c for _, _, c in key_rows])
        blocks.insert(0, Table(caption="Key figures", header=["Indicator", "Period", "Value"], rows=rows,
                               row_headers=1, numeric_from=2, notes=notes, id=key_id))
        for i, chart in enumerate(key_charts):
            blocks.insert(1 + i, chart)
    if sentences:
        blocks.append(Items(sentences, title="Comparisons and targets"))
    name = spec.partner(partner).name
    figures = [PublishedFigure(
        partner=partner, partner_name=name, indicator=c.value.indicator,
        indicator_name=spec.indicator(c.value.indicator).name, unit=spec.indicator(c.value.indicator).unit,
        period=c.period, by=dict(c.by), value=c.published,
        provenance_kind=c.value.provenance.kind, provenance_source=c.value.provenance.source,
        provenance_definition=c.value.provenance.definition, provenance_sha256=c.value.provenance.sha256,
    ) for code in order for c in sorted(by_ind[code], key=lambda c: (c.period, _order(spec, spec.indicator(code), c.by)))]
    return blocks, figures, suppressed


def _label(spec, ind, key: ByKey, per: str) -> str:
    extra = by_label(spec, ind, key)
    return f"{ind.name}{'' if extra == 'All' else ', ' + extra} ({per})"


def _comparisons(spec, ind, group: list[Cell], lookup) -> list[str]:
    out = []
    for c in group:
        prev = shift_period(c.period, -1)
        before = lookup.get((prev, c.by))
        if before is None or before.published is None:
            continue
        head = f"{ind.name}{'' if not c.by else ', ' + by_label(spec, ind, c.by)}"
        if SUPPRESSED in (c.published, before.published):
            out.append(f"{head}: no comparison with {prev} is shown because a figure is suppressed (c).")
            continue
        if c.published is None:
            continue
        cmp = compare(c.published, before.published, ind.unit, base_label=prev, direction=ind.direction)
        out.append(f"{head}: {cmp.sentence()}")
    return out


def _targets(spec, ind, group: list[Cell], period: str) -> list[str]:
    if not ind.target:
        return []
    out = []
    for c in group:
        if parse_period(c.period).year != period or not isinstance(c.published, (int, float)):
            continue
        r = judge_target(c.published, ind.target.value, ind.target.direction, ind.unit)
        out.append(f"{_label(spec, ind, c.by, c.period)}: {r.sentence()}")
    return out


def internal_notice() -> Paragraph:
    return Paragraph("INTERNAL – NOT FOR PUBLICATION – unsuppressed figures", kind="internal")
