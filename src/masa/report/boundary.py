"""The one publishing boundary: stored figures in, published figures out.

Every exit that shows a figure calls this module and applies no disclosure of its own: the
report's tables, charts and comparison sentences, its CSV and XLSX, and the web's public
pages, site CSV and API. So a cell is "c" in one exit exactly when it is "c" in all of them,
and a table that cannot be protected stops every exit with the same ``ReportError``, which
names the partner and indicator. There is no fallback to suppressing 1-5 alone.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from masa.disclosure import SUPPRESSED, DisclosureError, percent, protect, protect_table
from masa.returns import DataValue, Provenance
from masa.returns.quarters import quarter_codes, years_from_quarters
from masa.spec import parse_period, shift_period

from .model import PublishedFigure

__all__ = [
    "Cell",
    "ReportError",
    "figure_rows",
    "in_scope",
    "own_areas",
    "partner_cells",
    "partner_values",
    "published_figures",
    "published_parts",
    "quarter_returns",
    "report_templates",
    "reporting_partners",
    "rows_of",
    "spec_order",
]


class ReportError(ValueError):
    """Data that cannot be published safely; the report is not built (fails closed)."""


ByKey = tuple  # sorted (breakdown, option) pairs


@dataclass
class Cell:
    period: str
    by: ByKey
    value: DataValue
    published: int | float | str | None

    @property
    def from_quarters(self) -> bool:
        """A yearly figure masa made from the partner's quarters (none was stated)."""
        return from_quarters(self.value)


QUARTERS_DEFINITION = "quarters:"  # provenance.definition of a year made from quarters, + aggregation


def from_quarters(v: DataValue) -> bool:
    return v.provenance.kind == "computed" and v.provenance.definition.startswith(QUARTERS_DEFINITION)


def with_years_from_quarters(spec, partner: str, values: list[tuple[str, DataValue]], years: list[str], *,
                             internal: bool) -> list[tuple[str, DataValue]]:
    """``values`` plus, for each of ``years``, the yearly figure made from the quarters
    (``masa.returns.quarters``) wherever the partner stated none. A year from an incomplete or
    suppressed set of quarters is not made. A count's year then goes through disclosure control
    with its quarters (it is their sum, or Q4 for a stock: ``additive_lines``); a percentage made
    from its numerator and denominator is published as ``masa.disclosure.percent`` gives it, so
    a small numerator, denominator or complement is "c"."""
    def at(per, v):
        return per, v.indicator, tuple(sorted(v.by.items()))

    stated = {at(per, v) for per, v in values if v.value is not None or v.suppressed}
    made: list[tuple[str, DataValue]] = []
    for year in years:
        for y in years_from_quarters(spec, partner, values, year):
            if not y.computed or (year, y.indicator, y.by) in stated:
                continue
            value: float | str = y.value
            if y.aggregation == "ratio":
                whole = float(y.numerator).is_integer() and float(y.denominator).is_integer()
                value = (percent(int(y.numerator), int(y.denominator), threshold=0 if internal else 5) if whole
                         else round(y.value, 1))
            prov = Provenance(kind="computed", definition=QUARTERS_DEFINITION + y.aggregation,
                              source=f"{year} Q1–Q4")
            made.append((year, DataValue.published(value, indicator=y.indicator, period=year, by=dict(y.by),
                                                   provenance=prov)))
    # A yearly figure stated as not recorded (blank) gives way to the one its quarters make.
    replaced = {at(per, v) for per, v in made}
    return [(per, v) for per, v in values if at(per, v) not in replaced] + made


def in_scope(value_period: str, period: str) -> bool:
    """Figures shown for ``period``: its year and quarters, and the previous year's."""
    year = parse_period(value_period).year
    return year in (period, shift_period(period, -1))


def publish(spec, partner: str, values: list[tuple[str, DataValue]], *, internal: bool,
            draft: bool = False) -> list[Cell]:
    """Apply disclosure control to a partner's figures, one indicator at a time across all its
    periods and areas, so every line a reader could subtract along is protected together:
    a breakdown total and its parts, a year and its quarters, and the cells the partner did
    not supply (other areas, options with no figure), which stay hidden but are protected.
    An indicator declared a slice of another (``slice_of``) is protected with it, as the
    cells of the other it really is."""
    groups: dict[str, list[tuple[str, ByKey, DataValue]]] = defaultdict(list)
    for per, v in values:
        groups[family(spec, v.indicator)].append((per, tuple(sorted(v.by.items())), v))
    cells: list[Cell] = []
    for code, items in groups.items():
        ind = spec.indicator(code)
        if ind.unit != "count" or internal:
            cells += [Cell(per, k, v, SUPPRESSED if v.suppressed else _number(v.value))
                      for per, k, v in items]
            continue
        place = {id(v): (per, _in_family(spec, v.indicator, k)) for per, k, v in items}
        counts: dict[tuple, int | None] = {}
        for per, k, v in items:
            n = _count(partner, v.indicator, per, k, v.value)
            key = place[id(v)]
            if key in counts and counts[key] != n:
                raise ReportError(f"{partner}: {v.indicator} {per} {dict(k) or ''} is {n}, but the same count "
                                  f"in {code} is {counts[key]}; correct one of them")
            counts[key] = n if key not in counts or n is not None else counts[key]
        lines, hidden = additive_lines(spec, ind, counts)
        try:
            shown = protect({**counts, **hidden}, lines).published
        except DisclosureError as exc:
            if not draft:
                named = " with ".join(f"{c} ({spec.indicator(c).name})" for c in sorted({v.indicator for _, _, v in items}))
                raise ReportError(f"{partner}: {named} cannot be published safely: {exc}. "
                                  "Correct the partner's figures so they add up, then build again.") from None
            # A draft for review still builds: every non-zero count of the table is hidden.
            shown = {key: SUPPRESSED if n else n for key, n in counts.items()}
        cells += [Cell(per, k, v, SUPPRESSED if v.suppressed else shown[place[id(v)]]) for per, k, v in items]
    return _protect_ratios(spec, _protect_shares(spec, cells, internal), internal)


def _protect_shares(spec, cells: list[Cell], internal: bool) -> list[Cell]:
    """A share (``share_of``) of a count total gives its count away when the total is shown:
    5% of 60 is 3. A share is hidden where its count is hidden, or where the count it implies
    from the shown total is 1 to 5; then every share of that split is hidden, since the shown
    ones would give the hidden one away as the rest of 100%."""
    if internal:
        return cells
    counts = {(c.value.indicator, c.period, c.by): c.published for c in cells}
    hide: set[tuple] = set()  # (indicator, period, key without the split)
    for c in cells:
        ind = spec.indicator(c.value.indicator)
        sh = ind.share_of
        if not sh or sh.over not in dict(c.by) or not isinstance(c.published, (int, float)):
            continue
        rest = tuple((d, o) for d, o in c.by if d != sh.over)
        count = counts.get((sh.indicator, c.period, c.by))
        total = counts.get((sh.indicator, c.period, rest))
        implied = round(c.published * total / 100) if isinstance(total, (int, float)) else None
        if count == SUPPRESSED or (implied is not None and 1 <= implied <= 5):
            hide.add((ind.code, c.period, rest))
    if not hide:
        return cells
    out = []
    for c in cells:
        sh = spec.indicator(c.value.indicator).share_of
        rest = tuple((d, o) for d, o in c.by if not sh or d != sh.over)
        if sh and sh.over in dict(c.by) and (c.value.indicator, c.period, rest) in hide:
            c = Cell(c.period, c.by, c.value, SUPPRESSED)
        out.append(c)
    return out


def _protect_ratios(spec, cells: list[Cell], internal: bool) -> list[Cell]:
    """A percentage declared as numerator ÷ denominator (``aggregation: ratio``) gives a hidden
    count away when the other count is shown: 7.5% of 40 is 3. It is shown only where both its
    counts are shown, or where the partner gave neither (then it discloses no count)."""
    if internal:
        return cells
    counts = {(c.value.indicator, c.period, c.by): c.published for c in cells}
    out = []
    for c in cells:
        ind = spec.indicator(c.value.indicator)
        if ind.numerator and ind.denominator and isinstance(c.published, (int, float)):
            pair = [counts.get((code, c.period, c.by)) for code in (ind.numerator, ind.denominator)]
            shown = [isinstance(x, (int, float)) for x in pair]
            if not (all(shown) or all(x is None for x in pair)):
                c = Cell(c.period, c.by, c.value, SUPPRESSED)
        out.append(c)
    return out


def family(spec, code: str) -> str:
    """The indicator whose cells ``code``'s cells are: its ``slice_of`` parent, else itself."""
    ind = spec.indicator(code)
    return ind.slice_of.indicator if ind.slice_of else code


def _in_family(spec, code: str, key: ByKey) -> ByKey:
    ind = spec.indicator(code)
    return tuple(sorted({**dict(key), **ind.slice_of.by}.items())) if ind.slice_of else key


def additive_lines(spec, ind, counts: dict[tuple[str, ByKey], int | None]):
    """Every line total = sum(parts) that runs through a supplied cell, and the hidden cells
    those lines need: (lines, {hidden cell: value or None}).

    A reader knows the options of every breakdown and that a year is the sum of its quarters,
    so a cell the partner did not supply is still a cell: it is the same unknown in every line
    that runs through it (the total of its own parts, a part of each of its totals). Modelling
    it once, rather than as a separate remainder per line, is what stops a reader combining two
    lines that share it. What the shown parts leave of a total (the other areas together, or
    the options with no figure) is a count a reader can work out too, so it is a hidden
    remainder cell, protected like the rest. Lines that cannot hold are left out: parts already
    adding up to more than their total (options that overlap, such as topics of one session)."""
    quartered = {parse_period(per).year for per, _ in counts if parse_period(per).kind == "quarter"}
    options = {d: spec.options(d) for d in ind.breakdowns}

    def with_(key: ByKey, dim: str, opt: str) -> ByKey:
        return tuple(sorted({**dict(key), dim: opt}.items()))

    def without(key: ByKey, dim: str) -> ByKey:
        return tuple((d, o) for d, o in key if d != dim)

    def lines_through(per: str, key: ByKey):
        used = dict(key)
        for dim in ind.breakdowns:  # this cell as a total, and as a part of the total without dim
            if dim not in used:
                yield (per, key), tuple((per, with_(key, dim, o)) for o in options[dim]), dim
            elif used[dim] in options[dim]:
                top = without(key, dim)
                yield (per, top), tuple((per, with_(top, dim, o)) for o in options[dim]), dim
        p = parse_period(per)
        if p.year in quartered:  # a year is the sum of its quarters; a stock's year is its Q4
            ns = (4,) if ind.year_from_quarters == "end" else (1, 2, 3, 4)
            yield (p.year, key), tuple((f"{p.year} Q{n}", key) for n in ns), "quarters"

    seen: set[tuple] = set()
    lines: list[tuple] = []
    hidden: dict[tuple, int | None] = {}
    for cell in counts:
        for total, parts, dim in lines_through(*cell):
            if (total, parts) in seen:
                continue
            seen.add((total, parts))
            known = [p for p in parts if counts.get(p) is not None]
            unknown = [p for p in parts if counts.get(p) is None]
            whole = counts.get(total)
            gap = None if whole is None else whole - sum(counts[p] for p in known)
            if gap is not None and gap < 0:
                continue  # cannot hold: overlapping options
            for k in (total, *unknown):
                if k not in counts:
                    hidden.setdefault(k, None)
            if gap == 0:
                # Counts are never negative, so parts the partner left blank beside a total its
                # other parts already reach are zeros a reader knows (21 = girls c + boys 18, no
                # "not known" figure: girls is 3). Zeros, not unknowns, so the other parts are
                # protected against them.
                for k in unknown:
                    hidden[k] = 0
            if len(unknown) > 1 or (not unknown and gap):
                # What the shown parts leave of the total is itself a count a reader can work
                # out (other areas together, say): a hidden cell protected like any other.
                rest = (total, ("rest of", dim))
                hidden[rest] = gap
                lines.append((total, [*known, rest]))
                if unknown:
                    lines.append((rest, unknown))
            else:
                lines.append((total, list(parts)))
    return lines, hidden


def _number(v: float | None):
    return int(v) if isinstance(v, float) and v.is_integer() else v


def _count(partner: str, code: str, per: str, key: ByKey, v: float | None) -> int | None:
    if v is None:
        return None
    if not float(v).is_integer():
        raise ReportError(f"{partner}: {code} {per} {dict(key)}: a count must be a whole number, got {v}")
    return int(v)


def own_areas(spec, v: DataValue) -> bool:
    """A partnership publishes its own areas' slices only, never another area's figures."""
    own = set(spec.partnership.areas)
    return all(opt in own for dim, opt in v.by.items() if spec.breakdown(dim).from_areas)


def spec_order(spec, ind, key: ByKey) -> tuple:
    by = dict(key)
    return tuple(spec.options(d).index(by[d]) if d in by and by[d] in spec.options(d) else -1
                 for d in ind.breakdowns)


def partner_cells(spec, partner: str, values: list[tuple], period: str, *, internal: bool = False,
                  draft: bool = False) -> list[Cell]:
    """A partner's figures for ``period``'s report (its year, quarters and the year before),
    protected one indicator at a time with every area in view, then cut to this
    partnership's own areas. In spec order: indicator, period (by time), breakdown."""
    values = with_years_from_quarters(spec, partner, values, [period, shift_period(period, -1)], internal=internal)
    values = [(p, v) for p, v in values if in_scope(p, period)]
    if not any(own_areas(spec, v) for _, v in values):
        return []
    cells = [c for c in publish(spec, partner, values, internal=internal, draft=draft) if own_areas(spec, c.value)]
    rank = {i.code: n for n, i in enumerate(spec.indicators)}

    def key(c: Cell):
        ind = spec.indicator(c.value.indicator)
        p = parse_period(c.period)
        return rank.get(ind.code, len(rank)), p.start, p.kind != "year", c.period, spec_order(spec, ind, c.by)

    return sorted(cells, key=key)


def figure_rows(spec, partner: str, cells: list[Cell]) -> list[PublishedFigure]:
    """Open-data rows for a partner's published cells, one per cell, in the cells' order."""
    name = spec.partner(partner).name
    out = []
    for c in cells:
        ind = spec.indicator(c.value.indicator)
        p = c.value.provenance
        out.append(PublishedFigure(
            partner=partner, partner_name=name, indicator=ind.code, indicator_name=ind.name, unit=ind.unit,
            period=c.period, by=dict(c.by), value=c.published, provenance_kind=p.kind,
            provenance_source=p.source, provenance_definition=p.definition, provenance_sha256=p.sha256))
    return out


def report_templates(spec):
    """The yearly templates that make up the report's appendices, in spec order."""
    return [t for t in spec.templates if t.appendix and t.frequency == "yearly"]


def quarterly_templates(spec, template: str) -> set[str]:
    """The quarterly templates whose figures join ``template``'s in the yearly report: those with
    the same appendix letter, or, with no appendix, the first yearly report template that has a
    figures section."""
    yearly = [t for t in report_templates(spec) if any(s.kind == "figures" for s in t.sections)]
    out = set()
    for t in spec.templates:
        if t.frequency != "quarterly":
            continue
        home = next((y for y in yearly if t.appendix and y.appendix == t.appendix), None)
        if home is None and not t.appendix and yearly:
            home = yearly[0]
        if home is not None and home.code == template:
            out.add(t.code)
    return out


def partner_values(dataset, partner: str, template: str) -> list[tuple]:
    """(period, value) for each of a partner's figures, once, from its returns of ``template``
    and of the quarterly templates that feed it. A figure can appear in more than one return
    (last year's return, and this year's as history; a quarter's return, and the yearly one):
    the return of the figure's own period wins, then the return of its year; two returns of
    equal standing that disagree stop the build."""
    templates = {template} | quarterly_templates(dataset.spec, template)
    chosen: dict[tuple, tuple[int, str, float | None, object]] = {}
    for r in dataset.returns:
        if r.partner != partner or r.template not in templates:
            continue
        for v in r.values:
            per = v.period or r.period
            key = (v.indicator, per, tuple(sorted(v.by.items())))
            own = 2 if per == r.period else 1 if per.startswith(r.period) else 0  # held by its own period's return
            seen = chosen.get(key)
            if seen is None or own > seen[0]:
                chosen[key] = (own, r.period, v.value, v)
            elif own == seen[0] and v.value != seen[2]:
                raise ReportError(f"{partner}: {v.indicator} {per} {dict(key[2]) or ''} is {seen[2]} in the "
                                  f"{seen[1]} return but {v.value} in the {r.period} return; correct one of them")
    return [(key[1], v) for key, (_, _, _, v) in chosen.items()]


def quarter_returns(dataset, period: str, template: str) -> list:
    """The returns of ``period``'s quarters whose figures join ``template``'s in the report."""
    feeds = quarterly_templates(dataset.spec, template)
    quarters = set(quarter_codes(period))
    return [r for r in dataset.returns if r.template in feeds and r.period in quarters]


def reporting_partners(dataset, period: str, template: str) -> set[str]:
    """Partners with a ``template`` return for ``period`` or a quarterly return feeding it."""
    return ({r.partner for r in dataset.returns_for(period, template)}
            | {r.partner for r in quarter_returns(dataset, period, template)})


def published_parts(dataset, period: str, *, internal: bool = False) -> dict[tuple[str, str], list[Cell]]:
    """{(template, partner): protected cells} for every partner return of ``period`` in the
    dataset whose template has a figures section: the same cells the report prints. The
    caller chooses which returns the dataset holds (published ones, for the public site)."""
    spec = dataset.spec
    out: dict[tuple[str, str], list[Cell]] = {}
    for t in report_templates(spec):
        if not any(s.kind == "figures" for s in t.sections):
            continue
        have = reporting_partners(dataset, period, t.code)
        for partner in spec.partners:
            if partner.code in have:
                cells = partner_cells(spec, partner.code, partner_values(dataset, partner.code, t.code), period,
                                      internal=internal)
                if cells:
                    out[(t.code, partner.code)] = cells
    return out


def rows_of(spec, parts: dict[tuple[str, str], list[Cell]]) -> list[PublishedFigure]:
    """``published_parts`` as open-data rows, in report order."""
    return [row for (_, partner), cells in parts.items() for row in figure_rows(spec, partner, cells)]


def published_figures(dataset, period: str, *, internal: bool = False) -> list[PublishedFigure]:
    """Every published figure of ``period``'s report, as open-data rows, in report order."""
    return rows_of(dataset.spec, published_parts(dataset, period, internal=internal))


def protect_counts(parts: dict[str, int], *, internal: bool = False) -> tuple[dict[str, int | str], int | str]:
    """A small table of counts of cases and its total (the assurance blocks' case-audit grades),
    protected as every other published count is: 1-5 shown as "c", and enough others that none
    can be worked out from the total. Internal builds show the counts as recorded."""
    total = sum(parts.values())
    if internal:
        return dict(parts), total
    shown = protect({**parts, "__total__": total}, [("__total__", list(parts))]).published
    return {k: shown[k] for k in parts}, shown["__total__"]


def protect_count(n: int, *, internal: bool = False) -> int | str:
    """A lone count published with no table around it (how many partners submitted, say):
    1-5 shown as "c"; internal builds show it as recorded."""
    return n if internal or not 1 <= n <= 5 else SUPPRESSED


def protect_crosstab(cells: dict[tuple[str, str], int], *, internal: bool = False) -> dict[tuple[str, str], int | str]:
    """A two-way table of counts, {(row, column): count}, with its row, column and grand
    totals as ``(row, "total")``, ``("total", column)`` and ``("total", "total")``: each cell
    1-5 shown as "c", and enough others that no "c" can be worked out from the totals
    (``disclosure.protect_table``). Internal builds show the counts as recorded."""
    rows = sorted({r for r, _ in cells})
    cols = sorted({c for _, c in cells})
    row_totals = {r: sum(cells[(r, c)] for c in cols if (r, c) in cells) for r in rows}
    col_totals = {c: sum(cells[(r, c)] for r in rows if (r, c) in cells) for c in cols}
    grand = sum(row_totals.values())
    if not internal:
        return dict(protect_table(cells, row_totals=row_totals, col_totals=col_totals, grand_total=grand).published)
    out: dict[tuple[str, str], int | str] = dict(cells)
    out.update({(r, "total"): v for r, v in row_totals.items()})
    out.update({("total", c): v for c, v in col_totals.items()})
    out[("total", "total")] = grand
    return out


def protect_share(part: int, whole: int, *, internal: bool = False) -> float | str:
    """``part`` of ``whole`` as a percentage, "c" when either side is small (``disclosure.percent``)."""
    if whole == 0:
        return SUPPRESSED
    return round(part * 100 / whole, 1) if internal else percent(part, whole)
