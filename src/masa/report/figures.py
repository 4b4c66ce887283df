"""A partner's published figures as report blocks: tables, comparisons, targets, charts.

The cells come from the publishing boundary (``boundary.partner_cells``), which applies
disclosure control; this module only lays them out. Every comparison sentence is computed
here from the published values with ``masa.compare``; none is typed.
"""

from __future__ import annotations

from collections import defaultdict

from masa.compare import compare, format_value, judge_target
from masa.disclosure import SUPPRESSED
from masa.returns import DataValue
from masa.spec import parse_period, shift_period

from .boundary import QUARTERS_DEFINITION, ByKey, Cell, ReportError, figure_rows, partner_cells, spec_order
from .charts import make_chart
from .model import Block, Chart, Items, Paragraph, PublishedFigure, Table

__all__ = ["SUPPRESSION_NOTE", "ReportError", "partner_figures"]

SUPPRESSION_NOTE = ("c: a count from 1 to 5 is not published, nor any figure from which such "
                    "a count could be worked out. A true zero is shown as 0.")


def table_notes(cells: list[Cell]) -> list[str]:
    """The notes under a figure table: suppression, the partner's own notes, and where the
    figures came from (typed, imported from a document, or computed from an extract)."""
    notes = [SUPPRESSION_NOTE] if any(c.published == SUPPRESSED for c in cells) else []
    notes += sorted({c.value.note for c in cells if c.value.note and not c.value.suppressed})
    sources = sorted({source_phrase(c.value.provenance) for c in cells})
    if sources:
        notes.append("Source: " + "; ".join(sources) + ".")
    return notes


FROM_QUARTERS = "computed from quarters"
QUARTER_WORDS = {"sum": "the sum of Q1 to Q4", "end": "Q4, the figure at the year end",
                 "ratio": "recomputed from the quarters' numerators and denominators"}


def source_phrase(p) -> str:
    if p.kind == "computed" and p.definition.startswith(QUARTERS_DEFINITION):
        how = QUARTER_WORDS.get(p.definition[len(QUARTERS_DEFINITION):], "its quarters")
        return (f"yearly figures marked \"{FROM_QUARTERS}\" were worked out by masa from the partner's "
                f"quarterly figures ({how}), as no yearly figure was stated")
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


# --- labels ---------------------------------------------------------------------------------

def by_label(spec, ind, key: ByKey) -> str:
    by = dict(key)
    return ", ".join(spec.option_name(d, by[d]) for d in ind.breakdowns if d in by) or "All"


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
                    internal: bool, id_prefix: str, draft: bool = False,
                    ) -> tuple[list[Block], list[PublishedFigure], bool]:
    """Blocks for a partner's figures, the open-data rows, and whether any cell is suppressed."""
    cells = partner_cells(spec, partner, values, period, internal=internal, draft=draft)
    if not cells:
        return [], [], False
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
        keys = sorted({c.by for c in group}, key=lambda k: spec_order(spec, ind, k))
        sentences += _comparisons(spec, ind, group, lookup)
        sentences += _targets(spec, ind, group, period)
        chart_rows = [(by_label(spec, ind, k) if ind.breakdowns else ind.name, p, lookup[(p, k)].published)
                      for k in keys for p in periods if (p, k) in lookup]
        if not ind.breakdowns:
            for p in periods:
                for k in keys:
                    if (p, k) in lookup:
                        key_rows.append((ind, period_label(p, [lookup[(p, k)]]), lookup[(p, k)]))
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
        notes = table_notes(group) + _partly_notes(spec, ind, group, periods)
        header = [period_label(p, [c for c in group if c.period == p]) for p in periods]
        blocks.append(Table(caption=f"{ind.name} ({UNIT_WORD.get(ind.unit, ind.unit)})",
                            header=dims + header, rows=rows, row_headers=1, numeric_from=len(dims),
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
    figures = figure_rows(spec, partner, cells)
    return blocks, figures, suppressed


def period_label(per: str, cells: list[Cell]) -> str:
    """A period as a column or row heading, marked when masa made its figures from quarters:
    "2024-25 (computed from quarters)", or "(partly computed from quarters)" when the column
    mixes stated and computed figures."""
    made = [c.from_quarters for c in cells]
    if not any(made):
        return per
    return f"{per} ({FROM_QUARTERS})" if all(made) else f"{per} (partly {FROM_QUARTERS})"


def _partly_notes(spec, ind, group: list[Cell], periods: list[str]) -> list[str]:
    """For a column only partly made from quarters, which rows were."""
    out = []
    for p in periods:
        col = [c for c in group if c.period == p]
        made = [c for c in col if c.from_quarters]
        if made and len(made) < len(col):
            rows = "; ".join(by_label(spec, ind, c.by) for c in made)
            out.append(f"{p}: {FROM_QUARTERS} for {rows}.")
    return out


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
