"""Checks on quarter figures: a stated year that its quarters contradict, and a year with
some but not all of its quarters (``masa.returns.quarters`` makes the year; these say so).

Both are queries, not errors. Partners revise a quarter's figures after it closes (late
recording, duplicates merged), so a yearly figure taken from a later extract can rightly
differ from the four quarterly returns; the business unit should ask which is right, not be
stopped from approving a return that may be correct. A missing quarter may still be on its
way; until it comes, the report shows no yearly figure made from quarters.
"""

from __future__ import annotations

from masa.returns.quarters import AGGREGATION_WORDS, collect, quarter_codes, years_from_quarters
from masa.returns.validate import option_names
from masa.spec import parse_period

from .finding import Finding, Location
from .registry import Ctx, check


def _year(ctx: Ctx) -> str | None:
    try:
        p = parse_period(ctx.period)
    except (TypeError, ValueError):
        return None
    return ctx.period if p.kind == "year" else None


def _label(spec, code: str, by) -> str:
    names = option_names(spec, dict(by))
    return f"{code}{' (' + ', '.join(names) + ')' if names else ''}"


def _years(ctx: Ctx, year: str):
    """(partner, its figures of the year and quarters, the years made from them), per partner."""
    def make():
        out = []
        for partner in sorted({r.partner for r in ctx.dataset.returns}):
            values = collect(ctx.dataset.returns, partner, year)
            out.append((partner, values, years_from_quarters(ctx.spec, partner, values, year)))
        return out

    return ctx.cached(f"quarters:{year}", make)


def _where(ctx: Ctx, partner: str, year: str, indicator: str, by: dict, period: str) -> Location:
    """The return holding the figure; else the partner's yearly return; else its latest quarter's."""
    mine = [r for r in ctx.dataset.returns if r.partner == partner and parse_period(r.period).year == year]
    for r in mine:
        for i, v in enumerate(r.values):
            if v.indicator == indicator and (v.period or r.period) == period and v.by == by:
                return Location(return_key="/".join(r.key()), file=r.source or None, section=f"values[{i}]")
    mine.sort(key=lambda r: (r.period != year, [-ord(c) for c in r.period]))
    r = mine[0]
    return Location(return_key="/".join(r.key()), file=r.source or None, section="values")


@check("figure.year-differs-from-quarters", "Yearly figure differs from the one its quarters make", "query",
       "figure",
       "A partner that sends quarterly figures and a yearly one must not publish two different years; "
       "the business unit asks which is right (quarters are often revised after they close).",
       modes=("dataset",))
def year_differs(ctx: Ctx, chk):
    year = _year(ctx)
    if year is None:
        return
    for partner, values, years in _years(ctx, year):
        stated = {(v.indicator, tuple(sorted(v.by.items()))): v for per, v in values if per == year}
        for y in years:
            v = stated.get((y.indicator, y.by))
            if not y.computed or v is None or v.value is None:
                continue
            tolerance = 0.05 if y.aggregation == "ratio" else 1e-9  # a stated percentage has 1 decimal
            if abs(v.value - y.value) <= tolerance:
                continue
            made = f"{y.value:.1f}" if y.aggregation == "ratio" else f"{y.value:g}"
            sums = (f"{y.numerator:g} ÷ {y.denominator:g}; " if y.aggregation == "ratio" else "")
            yield Finding(
                code=chk.code, title=chk.title, severity=chk.severity, scope=chk.scope, partner=partner,
                period=year, quote=f"{v.value:g}",
                message=f"{_label(ctx.spec, y.indicator, y.by)} for {year} is stated as {v.value:g}, but its "
                        f"quarters make {made} ({AGGREGATION_WORDS[y.aggregation]}: {sums}{y.quarters_used()})",
                location=_where(ctx, partner, year, y.indicator, v.by, year),
                expected=f"{AGGREGATION_WORDS[y.aggregation]}: {sums}{y.quarters_used()}", expected_value=y.value)


@check("figure.quarters-missing", "Some but not all quarters of a year", "query", "figure",
       "A year is made from its quarters only when all four are there; masa never guesses a missing one, "
       "so the partner should send it (or say why there is none).",
       modes=("dataset",))
def quarters_missing(ctx: Ctx, chk):
    year = _year(ctx)
    if year is None:
        return
    for partner, _, years in _years(ctx, year):
        groups: dict[tuple, list] = {}  # one finding per indicator and set of missing quarters
        for y in years:
            if y.aggregation != "ratio" and y.missing:  # a ratio's counts are reported as themselves
                groups.setdefault((y.indicator, tuple(q for _, q in y.missing)), []).append(y)
        for (code, missing), ys in groups.items():
            gone = ", ".join(q[-2:] for q in missing)
            have = ", ".join(q[-2:] for q in quarter_codes(year) if q not in missing)
            slices = [", ".join(option_names(ctx.spec, dict(y.by))) for y in ys if y.by]
            where = f" for {'; '.join(sorted(slices))}" if slices else ""
            yield Finding(
                code=chk.code, title=chk.title, severity=chk.severity, scope=chk.scope, partner=partner,
                period=year, quote=gone,
                message=f"{code} has no figure for {gone} of {year}{where} (it has {have}), so no yearly "
                        "figure is made from its quarters",
                location=_where(ctx, partner, year, code, dict(ys[0].by), missing[0]))
