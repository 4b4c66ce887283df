"""Generic implementations of the declarative check patterns in ``data/rules.yaml``.

One function per pattern; each entry in the YAML becomes a registered check bound to it.
Figure patterns need stored returns (``check_dataset``); phrase patterns read any text.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from masa.returns.validate import option_names
from masa.spec import shift_period

from .finding import Finding, Location
from .registry import Check, Ctx, register

RULES = Path(__file__).with_name("data") / "rules.yaml"


def _value_finding(ctx: Ctx, c: Check, ret, i: int | None, message: str, *, severity=None, expected=None,
                   expected_value=None) -> Finding:
    key = "/".join(ret.key())
    v = ret.values[i] if i is not None else None
    quote = v.provenance.sentence if v is not None else ""
    return Finding(code=c.code, title=c.title, severity=severity or c.severity, scope=c.scope, message=message,
                   partner=ret.partner, period=(v.period if v is not None and v.period else ret.period), quote=quote,
                   location=Location(return_key=key, file=ret.source or None,
                                     section=f"values[{i}]" if i is not None else "values"),
                   expected=expected, expected_value=expected_value)


def _label(spec, v) -> str:
    by = ", ".join(option_names(spec, v.by))
    return f"{v.indicator}{' (' + by + ')' if by else ''}"


def _current(ctx: Ctx):
    """The returns of the period being checked (earlier ones are read only as history)."""
    return [r for r in ctx.dataset.returns if ctx.period is None or r.period == ctx.period]


def phrase(ctx: Ctx, c: Check):
    e = c.entry
    rx = re.compile(e["regex"], re.IGNORECASE if e.get("ignore_case", False) else 0)
    for src in ctx.sources:
        text = src.text if e.get("read") == "text" else src.clean
        matches = list(rx.finditer(text))
        if not matches:
            continue
        more = len(matches) - 1
        if e.get("once_per") == "source":
            matches = matches[:1]
        for m in matches:
            yield ctx.finding(c, src, m.start(), m.end(), e["message"].format(match=m.group(), more=more))


def _applies(spec, e, v) -> bool:
    try:
        ind = spec.indicator(v.indicator)
    except KeyError:
        return False
    if "unit" in e and ind.unit != e["unit"]:
        return False
    return "indicators" not in e or v.indicator in e["indicators"]


def range_(ctx: Ctx, c: Check):
    e = c.entry
    for ret in _current(ctx):
        for i, v in enumerate(ret.values):
            if v.value is None or not _applies(ctx.spec, e, v):
                continue
            lo, hi = e.get("min"), e.get("max")
            if (lo is not None and v.value < lo) or (hi is not None and v.value > hi):
                bounds = f"between {lo:g} and {hi:g}" if lo is not None and hi is not None else (
                    f"at least {lo:g}" if lo is not None else f"at most {hi:g}")
                yield _value_finding(ctx, c, ret, i, f"{_label(ctx.spec, v)} is {v.value:g}; it must be {bounds}")


def whole_number(ctx: Ctx, c: Check):
    for ret in _current(ctx):
        for i, v in enumerate(ret.values):
            if v.value is not None and _applies(ctx.spec, c.entry, v) and v.value != int(v.value):
                yield _value_finding(ctx, c, ret, i, f"{_label(ctx.spec, v)} is {v.value:g}, not a whole number")


def breakdown_sum(ctx: Ctx, c: Check):
    spec = ctx.spec
    for ret in _current(ctx):
        index = {}
        for i, v in enumerate(ret.values):
            if v.value is not None:
                index[(v.indicator, v.period or ret.period, tuple(sorted(v.by.items())))] = (i, v.value)
        for (ind, period, by), (i, total) in index.items():
            try:
                dims = spec.indicator(ind).breakdowns
            except KeyError:
                continue
            fixed = dict(by)
            for dim in dims:
                if dim in fixed or dim not in c.entry.get("breakdowns", []):
                    continue
                parts = [index.get((ind, period, tuple(sorted({**fixed, dim: o}.items())))) for o in spec.options(dim)]
                given = [p[1] for p in parts if p]
                if len(given) < 2 or len(given) < len(parts):
                    continue  # only a complete breakdown must add up
                if abs(sum(given) - total) > 1e-6:
                    yield _value_finding(ctx, c, ret, i,
                                         f"{_label(spec, ret.values[i])} is {total:g} in {period} but its breakdown by "
                                         f"{spec.breakdown(dim).name.lower()} adds up to {sum(given):g}",
                                         expected=" + ".join(f"{g:g}" for g in given), expected_value=sum(given))


def required_if(ctx: Ctx, c: Check):
    e = c.entry
    for ret in _current(ctx):
        present = {v.indicator for v in ret.values if v.value is not None}
        if e["if_indicator"] in present and e["then_indicator"] not in present:
            i = next(i for i, v in enumerate(ret.values) if v.indicator == e["if_indicator"])
            yield _value_finding(ctx, c, ret, i, f"{e['if_indicator']} is given but {e['then_indicator']} is not")


def target(ctx: Ctx, c: Check):
    spec = ctx.spec
    ruled = {code for r in spec.rules if r.applies_to for code in r.applies_to.indicators}
    for ret in _current(ctx):
        for i, v in enumerate(ret.values):
            try:
                ind = spec.indicator(v.indicator)
            except KeyError:
                continue
            if v.value is None or not ind.target or ind.code in ruled or (v.period or ret.period) != ret.period:
                continue
            t = ind.target
            ok = v.value >= t.value if t.direction == "at_least" else v.value <= t.value
            if not ok:
                yield _value_finding(ctx, c, ret, i, f"{_label(spec, v)} is {v.value:g}, "
                                                     f"{'below' if t.direction == 'at_least' else 'above'} the target of {t.value:g}")


def year_on_year(ctx: Ctx, c: Check):
    ratio = float(c.entry.get("max_ratio", 2.0))
    index = {}
    for partner, period, v in ctx.dataset.values():
        index[(v.indicator, partner, period, tuple(sorted(v.by.items())))] = v.value
    for ret in _current(ctx):
        for i, v in enumerate(ret.values):
            period = v.period or ret.period
            if v.value is None or period != ret.period:
                continue
            try:
                prev = index.get((v.indicator, ret.partner, shift_period(period, -1), tuple(sorted(v.by.items()))))
            except ValueError:
                continue
            if not prev or not v.value:
                continue
            if v.value / prev >= ratio or prev / v.value >= ratio:
                yield _value_finding(ctx, c, ret, i,
                                     f"{_label(ctx.spec, v)} went from {prev:g} to {v.value:g} "
                                     f"({(v.value - prev) / prev * 100:+.1f}%): check the figure or explain the change")


def spec_rules(ctx: Ctx, c: Check):
    from masa.returns import rule_problems

    for ret in _current(ctx):
        for p in rule_problems(ctx.spec, ret):
            i = p.loc[1] if len(p.loc) > 1 and isinstance(p.loc[1], int) else None
            period = (ret.values[i].period or ret.period) if i is not None else None
            if period and not period.startswith(ret.period):
                continue  # history is read for comparisons, not re-checked against this year's rules
            if i is None and " in 20" in p.message and f" in {ret.period}" not in p.message:
                continue
            yield _value_finding(ctx, c, ret, i, p.message, severity=p.severity)


PATTERNS = {"phrase": (phrase, ("documents", "dataset")), "range": (range_, ("dataset",)),
            "whole_number": (whole_number, ("dataset",)), "breakdown_sum": (breakdown_sum, ("dataset",)),
            "required_if": (required_if, ("dataset",)), "target": (target, ("dataset",)),
            "year_on_year": (year_on_year, ("dataset",)), "spec_rules": (spec_rules, ("dataset",))}
FIELDS = {"code", "title", "severity", "scope", "pattern", "rationale"}


def load_entries(path: Path = RULES) -> list[Check]:
    """Bind each YAML entry to its pattern; a bad entry is an error naming it."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    entries = yaml.load(path.read_text(encoding="utf-8"), Loader=loader) or []
    out = []
    for n, e in enumerate(entries):
        missing = FIELDS - set(e)
        if missing:
            raise ValueError(f"{path.name} entry {n + 1}: missing {', '.join(sorted(missing))}")
        if e["pattern"] not in PATTERNS:
            raise ValueError(f"{path.name} entry {e['code']}: unknown pattern {e['pattern']!r}; "
                             f"known: {', '.join(PATTERNS)}")
        fn, modes = PATTERNS[e["pattern"]]
        out.append(Check(e["code"], e["title"], e["severity"], e["scope"], e["rationale"], fn, modes, e,
                         fails=tuple(e.get("fails", ())), passes=tuple(e.get("passes", ()))))
    return out


for _c in load_entries():
    register(_c)
