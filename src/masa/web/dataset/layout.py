"""The dashboard's tables, worded: one block per indicator, one table per frequency (years,
quarters), a row per partner and breakdown, a column per period, the latest rating, the
trend and a small chart. Plain data for the template and the exports; no queries."""

from __future__ import annotations

from masa.compare.formatting import format_value
from masa.compare.trends import RATING_WORDS, Series, period_key, trend_word
from masa.report.figures import by_label
from masa.report.trendsvg import trend_svg

RATING_SHORT = {"green": "Green", "amber": "Amber", "red": "Red"}


def shown(v, unit: str) -> str:
    if v == "c":
        return "c"
    if v is None:
        return "Not recorded"
    return format_value(v, unit)


def target_words(ind) -> str:
    if not ind.target:
        return ""
    word = "at least" if ind.target.direction == "at_least" else "at most"
    text = f"{word} {format_value(ind.target.value, ind.unit)}"
    if ind.rag:
        band = format_value(ind.rag.amber_within, "percent" if ind.unit == "percent" else ind.unit)
        band = band.replace("%", " percentage points") if ind.unit == "percent" else band
        text += f"; amber within {band} of it, red beyond"
    else:
        text += "; any miss is red (no amber band declared)"
    return text


def series_label(spec, s: Series) -> str:
    name = spec.partner(s.partner).name if s.partner in {p.code for p in spec.partners} else s.partner
    by = by_label(spec, spec.indicator(s.indicator), s.by)
    return name if by == "All" else f"{name}, {by}"


def blocks(spec, series: list[Series], commentary: dict[tuple[str, str], str]) -> list[dict]:
    """One dict per indicator with series, in catalogue order, for the template."""
    out: dict[str, dict] = {}
    for s in series:
        ind = spec.indicator(s.indicator)
        block = out.setdefault(ind.code, {"ind": ind, "target": target_words(ind), "tables": {},
                                          "priorities": [_priority_name(spec, c) for c in ind.priorities],
                                          "breakdowns": [_breakdown_name(spec, b) for b in ind.breakdowns]})
        table = block["tables"].setdefault(s.frequency, {"frequency": s.frequency, "periods": set(), "rows": []})
        table["periods"].update(p.period for p in s.points)
        table["rows"].append(s)
    result = []
    for code, block in out.items():
        ind = block["ind"]
        tables = []
        for freq in ("year", "quarter"):
            t = block["tables"].get(freq)
            if not t:
                continue
            periods = sorted(t["periods"], key=period_key)
            rows = []
            for n, s in enumerate(t["rows"]):
                at = {p.period: p for p in s.points}
                label = series_label(spec, s)
                latest = s.latest
                rows.append({
                    "label": label,
                    "cells": [{"text": shown(at[p].value, ind.unit) if p in at else "–",
                               "rating": at[p].rating if p in at else None} for p in periods],
                    "rating": latest.rating if latest else None,
                    "rating_words": RATING_WORDS.get(latest.rating, "") if latest else "",
                    "rating_short": RATING_SHORT.get(latest.rating, "") if latest else "",
                    "trend": trend_word(ind, s),
                    "svg": trend_svg(s, ind, f"chart-{code}-{freq}-{n}", f"{ind.name}, {label}"),
                })
            tables.append({"frequency": freq, "title": "By year" if freq == "year" else "By quarter",
                           "periods": periods, "rows": rows, "id": f"table-{code}-{freq}"})
        notes = sorted(((per, text) for (i, per), text in commentary.items() if i == code),
                       key=lambda x: period_key(x[0]))
        result.append({**block, "code": code, "tables": tables, "commentary": notes})
    return result


def export_rows(spec, series: list[Series], commentary: dict[tuple[str, str], str] | None) -> list[list]:
    """A row per published cell: what the CSV and XLSX hold (commentary only when given)."""
    header = ["indicator", "indicator_name", "unit", "partner", "partner_name", "breakdown", "breakdown_key",
              "period", "value", "rating", "target"]
    if commentary is not None:
        header.append("commentary")
    rows: list[list] = [header]
    for s in series:
        ind = spec.indicator(s.indicator)
        pname = spec.partner(s.partner).name if s.partner in {p.code for p in spec.partners} else s.partner
        for p in s.points:
            value = p.value if isinstance(p.value, (int, float)) else ("c" if p.value == "c" else "")
            key = ";".join(f"{d}={o}" for d, o in s.by)  # machine-readable: "area=luton;sex=female"
            row = [ind.code, ind.name, ind.unit, s.partner, pname, by_label(spec, ind, s.by), key, p.period, value,
                   p.rating or "", target_words(ind)]
            if commentary is not None:
                row.append(commentary.get((ind.code, p.period), ""))
            rows.append(row)
    return rows


def _priority_name(spec, code: str) -> str:
    try:
        return spec.priority(code).name
    except KeyError:
        return code


def _breakdown_name(spec, code: str) -> str:
    try:
        return spec.breakdown(code).name
    except KeyError:
        return code
