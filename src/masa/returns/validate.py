"""Checks that keep obviously invalid returns out of storage.

These are the spec's references (partner, period, template, sections, indicators,
breakdown options, priorities) and the spec's rules of severity ``error``. The full checks
engine (``masa.checks``) goes much further; this is the gate at the door.
"""

from __future__ import annotations

from dataclasses import dataclass

from masa.spec.models import Spec
from masa.spec.rules import OPS, Evaluator, Missing, parse_expr, refs

from .model import Return

# parts with areas; the carried ones take theirs from the part of last year's return they came from
AREA_PARTS = ("sections", "audits", "highlights", "challenges", "next_year", "case_studies", "carried_actions",
              "priority_reviews")


@dataclass(frozen=True)
class Problem:
    loc: tuple  # path inside the return, e.g. ("values", 3, "by", "sex")
    message: str
    severity: str = "error"  # "error" blocks loading; "query" is reported only


def reference_problems(spec: Spec, ret: Return) -> list[Problem]:
    out: list[Problem] = []
    partners = {p.code for p in spec.partners}
    if ret.partner not in partners:
        out.append(Problem(("partner",), f"unknown partner {ret.partner!r}; known: {', '.join(sorted(partners))}"))
    if ret.period not in spec.period_codes:
        out.append(Problem(("period",), f"period {ret.period!r} is not in the spec; known years: "
                                        f"{', '.join(spec.periods.financial_years)}"))
    templates = {t.code for t in spec.templates}
    if ret.template not in templates:
        out.append(Problem(("template",), f"unknown template {ret.template!r}; known: {', '.join(sorted(templates))}"))
        return out
    template = spec.template(ret.template)
    if ret.period in spec.period_codes:
        kind = spec.period(ret.period).kind
        if template.frequency == "quarterly" and kind != "quarter":
            out.append(Problem(("period",), f"template {ret.template!r} is quarterly: its returns are for a quarter "
                                            f"such as '{ret.period} Q1', not {ret.period!r}"))
        elif template.frequency == "yearly" and kind != "year":
            out.append(Problem(("period",), f"template {ret.template!r} is yearly: its returns are for a financial "
                                            f"year such as {spec.period(ret.period).year!r}, not {ret.period!r}"))
    sections = {s.code for s in template.sections}
    priorities = {p.code for p in spec.priorities}
    areas = {a.code for a in spec.areas}
    for i, s in enumerate(ret.sections):
        if s.section not in sections:
            out.append(Problem(("sections", i, "section"), f"template {ret.template!r} has no section {s.section!r}"))
        out += _priorities(("sections", i), s.priorities, priorities)
    for name in ("audits", "challenges", "next_year"):
        for i, item in enumerate(getattr(ret, name)):
            out += _priorities((name, i), item.priorities, priorities)
    mine = set(spec.partner(ret.partner).areas) if ret.partner in partners else areas
    for name in AREA_PARTS:
        for i, item in enumerate(getattr(ret, name)):
            for j, code in enumerate(item.areas):
                if code not in mine:
                    out.append(Problem((name, i, "areas", j),
                                       f"area {code!r} is not one of the areas partner {ret.partner!r} covers "
                                       f"({', '.join(sorted(mine))})"))
    for j, code in enumerate(ret.voice_areas):
        if code not in mine:
            out.append(Problem(("voice_areas", j), f"area {code!r} is not one of the areas partner {ret.partner!r} covers "
                                                   f"({', '.join(sorted(mine))})"))
    for i, a in enumerate(ret.attachments):
        if a.area and a.area not in areas:
            out.append(Problem(("attachments", i, "area"), f"unknown area {a.area!r}"))
    indicators = {i.code for i in spec.indicators}
    seen: dict[tuple, int] = {}
    for i, v in enumerate(ret.values):
        if v.indicator not in indicators:
            out.append(Problem(("values", i, "indicator"), f"unknown indicator {v.indicator!r}"))
            continue
        for j, code in enumerate(v.areas):
            if code not in mine:
                out.append(Problem(("values", i, "areas", j), f"area {code!r} is not one of the areas "
                                                               f"partner {ret.partner!r} covers ({', '.join(sorted(mine))})"))
        period = v.period or ret.period
        if period not in spec.period_codes:
            out.append(Problem(("values", i, "period"), f"value for period {period!r}, which does not exist in the spec"))
        ind = spec.indicator(v.indicator)
        for dim, opt in v.by.items():
            if dim not in ind.breakdowns:
                out.append(Problem(("values", i, "by", dim),
                                   f"indicator {ind.code!r} has no breakdown {dim!r}; it has: {', '.join(ind.breakdowns) or 'none'}"))
            elif opt not in spec.options(dim):
                out.append(Problem(("values", i, "by", dim),
                                   f"{opt!r} is not an option of breakdown {dim!r}; options: {', '.join(spec.options(dim))}"))
        if v.value is not None:
            if ind.unit == "percent" and not 0 <= v.value <= 100:
                out.append(Problem(("values", i, "value"), f"{v.value:g} is not a percentage between 0 and 100"))
            if ind.unit == "count" and (v.value < 0 or v.value != int(v.value)):
                out.append(Problem(("values", i, "value"), f"{v.value:g} is not a count (a whole number, 0 or more)"))
        key = v.key(ret.partner, ret.period)
        if key in seen:
            out.append(Problem(("values", i), f"the same figure is given twice (first at values[{seen[key]}])"))
        seen[key] = i
    return out


def _priorities(loc: tuple, given: list[str], known: set[str]) -> list[Problem]:
    return [Problem((*loc, "priorities", j), f"unknown priority {p!r}; known: {', '.join(sorted(known))}")
            for j, p in enumerate(given) if p not in known]


def option_names(spec: Spec, by: dict[str, str]) -> list[str]:
    """The names of a figure's breakdown options, in words (a code where the spec has none)."""
    names = []
    for dim, opt in by.items():
        try:
            names.append(spec.option_name(dim, opt))
        except KeyError:
            names.append(opt)
    return names


def figure_label(spec: Spec, v, default_period: str) -> str:
    """'training_compliance, Level 3 safeguarding children, 2024-25': which figure, in words."""
    return ", ".join([v.indicator, *option_names(spec, v.by), v.period or default_period])


def rule_problems(spec: Spec, ret: Return) -> list[Problem]:
    """Evaluate the spec's rules over this return's figures, per period and area context."""
    index: dict[tuple, float | None] = {}
    for v in ret.values:
        index[(v.indicator, v.period or ret.period, tuple(sorted(v.by.items())))] = v.value
    periods = sorted({v.period or ret.period for v in ret.values})
    out: list[Problem] = []
    for rule in spec.rules:
        left, right = parse_expr(rule.left), parse_expr(rule.right)
        used = {r.indicator for r in refs(left) + refs(right)} - {"value"}
        if rule.applies_to:
            targets = set(rule.applies_to.indicators)
            for i, v in enumerate(ret.values):
                ind = spec.indicator(v.indicator) if v.indicator in {x.code for x in spec.indicators} else None
                if ind is None or v.value is None:
                    continue
                if (rule.applies_to.unit and ind.unit == rule.applies_to.unit) or ind.code in targets:
                    ev = Evaluator(lambda *_: None, spec.options, value=v.value)
                    a, b = ev.eval(left), ev.eval(right)
                    if not OPS[rule.op](a, b):
                        out.append(Problem(("values", i, "value"),
                                           f"{rule.code}: {rule.description} ({figure_label(spec, v, ret.period)} = "
                                           f"{v.value:g})", rule.severity))
            continue
        if not used & {v.indicator for v in ret.values}:
            continue
        for period in periods:
            contexts = {tuple(sorted((d, o) for d, o in v.by.items() if d == "area"))
                        for v in ret.values if v.indicator in used and (v.period or ret.period) == period}
            for ctx in contexts:
                def lookup(ind: str, by: dict[str, str], period=period) -> float | None:
                    return index.get((ind, period, tuple(sorted(by.items()))))
                ev = Evaluator(lookup, spec.options, context=dict(ctx))
                try:
                    a, b = ev.eval(left), ev.eval(right)
                except Missing as exc:
                    if rule.missing == "fail":
                        out.append(Problem(("values",), f"{rule.code}: {exc.ref.indicator} is missing for {period}", rule.severity))
                    if rule.missing != "zero":
                        continue
                    continue
                if not OPS[rule.op](a, b):
                    where = f" for {dict(ctx).get('area')}" if ctx else ""
                    out.append(Problem(("values",), f"{rule.code}: {rule.description}: {a:g} {rule.op} {b:g} "
                                                    f"does not hold{where} in {period}", rule.severity))
    return out
