"""Year-on-year claims, redone: percent change, percentage points, direction, like for like.

Every claim of change found in the narrative is recomputed from the figures beside it. The
message shows the arithmetic, e.g. "83% → 89% is +6.0 percentage points (+7.2% relative);
the text says 6.7%".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from masa.spec import shift_period

from .claims import DOWN_WORDS, UP_WORDS, Claim, Figure, Pair, claims, direction_of, figures, markers, pairs
from .registry import Ctx, check
from .text import Para, Source

INTENSIFIED = re.compile(
    r"\b(?:marked|substantial|significant|notable|considerable|dramatic|sharp|huge|massive|major|remarkable|"
    r"noticeable|large|big|steep|strong)\s+(?:(?:and|but)\s+\w+\s+)?(increase|rise|decrease|reduction|fall|decline|drop|"
    r"improvement|growth|uplift|upturn|downturn)s?\b", re.IGNORECASE)
_DIR_WORD = re.compile(r"\b(" + "|".join(w for w in (UP_WORDS + "|" + DOWN_WORDS).split("|")
                                       if w not in ("up", "down", "higher", "lower")) + r")\b|\b(up|down)\s+(?=from\b|\d)", re.IGNORECASE)


_DIGIT = re.compile(r"\d")
_PCTISH = re.compile(r"%|per ?cent|percentage|\bpp\b", re.IGNORECASE)


@dataclass
class Sentence:
    source: Source
    para: Para
    start: int
    end: int
    figs: list[Figure] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    pairs: list[Pair] = field(default_factory=list)

    @property
    def clean(self) -> str:
        return self.source.clean[self.start:self.end]


def fmt(v: float, kind: str) -> str:
    s = f"{v:,.1f}".rstrip("0").rstrip(".") if v != int(v) else f"{int(v):,}"
    return f"£{s}" if kind == "money" else f"{s}%" if kind == "percent" else s


def sentences(ctx: Ctx) -> list[Sentence]:
    def make() -> list[Sentence]:
        out = []
        for src in ctx.sources:
            for p in src.paras:
                if p.heading:
                    continue
                for a, b in p.sentences():
                    clean = src.clean[a:b]
                    if not _DIGIT.search(clean):
                        out.append(Sentence(src, p, a, b))
                        continue
                    s = Sentence(src, p, a, b, figures(clean, a), claims(clean, a) if _PCTISH.search(clean) else [])
                    claim_figs = {c.figure_start for c in s.claims}
                    usable = [f for f in s.figs if f.start not in claim_figs]
                    if len(usable) >= 2:
                        s.pairs = pairs(clean, a, usable, src.period or ctx.period)
                    out.append(s)
        return out

    return ctx.cached("sentences", make)


def _window_pairs(ctx: Ctx, sents: list[Sentence], i: int, claim: Claim) -> list[Pair]:
    s = sents[i]
    own = [p for p in s.pairs if not (p.old.start == claim.figure_start or p.new.start == claim.figure_start)]
    if own:
        return own
    if i > 0 and sents[i - 1].para is s.para:
        prev = sents[i - 1]
        src = s.source
        clean = src.clean[prev.start:s.end]
        figs = [f for f in figures(clean, prev.start) if f.start != claim.figure_start]
        return pairs(clean, prev.start, figs, src.period or ctx.period)
    return []


def _stored_index(ctx: Ctx) -> dict[str, dict[tuple, dict[str, float]]]:
    """return key -> (indicator, by) -> {period: value}, from the stored figures."""

    def make():
        out: dict[str, dict[tuple, dict[str, float]]] = {}
        if ctx.dataset is None:
            return out
        for r in ctx.dataset.returns:
            idx = out.setdefault("/".join(r.key()), {})
            for v in r.values:
                if v.value is not None:
                    idx.setdefault((v.indicator, tuple(sorted(v.by.items()))), {})[v.period or r.period] = v.value
        return out

    return ctx.cached("stored-index", make)


def _stored_pairs(ctx: Ctx, s: Sentence, claim: Claim) -> list[Pair]:
    """For stored returns: a claim with one figure in the text, the other from last year's stored value."""
    if ctx.mode != "dataset" or not s.source.return_key or not s.source.period:
        return []
    try:
        previous = shift_period(s.source.period, -1)
    except ValueError:
        return []
    index = _stored_index(ctx).get(s.source.return_key, {})
    out = []
    for f in s.figs:
        if f.start == claim.figure_start or f.kind == "pp":
            continue
        for series in index.values():
            now, before = series.get(s.source.period), series.get(previous)
            if now is not None and before is not None and abs(now - f.value) < 0.051:
                old = Figure(before, f.kind, f.start, f.end, f"{fmt(before, f.kind)} (stored for {previous})")
                out.append(Pair(old, f, None, None, "stored"))
    return out[:1]


def _tolerance(decimals: int) -> float:
    return 0.5 * 10 ** -decimals + 0.05


def _stated_direction(text: str, skip: tuple[int, int] | None = None) -> int:
    signs = set()
    for m in _DIR_WORD.finditer(text):
        signs.add(direction_of(m.group(1) or m.group(2)))
    signs.discard(0)
    return signs.pop() if len(signs) == 1 else 0


def _describe(p: Pair) -> tuple[str, float, float]:
    old, new = p.old.value, p.new.value
    rel = (new - old) / old * 100 if old else float("nan")
    kind = p.new.kind
    if kind == "percent":
        text = f"{fmt(old, kind)} → {fmt(new, kind)} is {new - old:+.1f} percentage points ({rel:+.1f}% relative)"
    else:
        text = f"{fmt(old, kind)} → {fmt(new, kind)} is {rel:+.1f}% ({new - old:+,g})"
    return text, rel, new - old


def _claim_findings(ctx: Ctx):
    """(kind, sentence, claim, pair, details) for every claim with its figures."""

    def make():
        out = []
        sents = sentences(ctx)
        for i, s in enumerate(sents):
            for c in s.claims:
                prs = _window_pairs(ctx, sents, i, c) or _stored_pairs(ctx, s, c)
                if not prs:
                    out.append(("no-pair", s, c, None))
                    continue
                out.append(("pair", s, c, min(prs, key=lambda p: abs(p.end - c.start))))
        return out

    return ctx.cached("claim-findings", make)


def _classify(c: Claim, p: Pair) -> tuple[str, str, float] | None:
    """None if the claim is right; else (code, message tail, expected value)."""
    desc, rel, diff = _describe(p)
    old, new = p.old.value, p.new.value
    if old == 0 or new == old:
        return None
    tol = _tolerance(c.decimals)
    stated = f"the text says {fmt(c.value, 'count')}{'%' if c.unit == '%' else ' percentage points'}"
    if c.unit == "pp":
        if p.new.kind == "percent" and abs(abs(diff) - c.value) > tol:
            return "wrong-percent", f"{desc}; {stated}", round(diff, 1)
        return None
    if abs(abs(rel) - c.value) <= tol:
        return None
    if p.new.kind == "percent" and abs(abs(diff) - c.value) <= tol:
        return "points-as-percent", f"{desc}; {stated}: that is the change in percentage points, not a percent change", round(rel, 1)
    wrong_base = abs(new - old) / new * 100
    if abs(wrong_base - c.value) <= tol:
        return ("wrong-base", (f"{desc}; {stated}, which divides by the new figure ({fmt(new, p.new.kind)}) "
                              f"instead of the old one ({fmt(old, p.old.kind)})"), round(rel, 1))
    return "wrong-percent", f"{desc}; {stated}", round(rel, 1)


def _emit_claims(ctx: Ctx, chk, want: str):
    for kind, s, c, p in _claim_findings(ctx):
        if kind != "pair":
            continue
        if c.direction and p.new.value != p.old.value and (p.new.value > p.old.value) != (c.direction > 0):
            continue  # reported by change.direction
        res = _classify(c, p)
        if res and res[0] == want:
            _, msg, expected = res
            if p.how == "stored":
                msg += f" (the earlier figure is the stored value for {shift_period(s.source.period, -1)})"
            yield ctx.finding(chk, s.source, c.start, c.end, msg, expected_value=expected,
                              expected=f"({fmt(p.new.value, 'count')} − {fmt(p.old.value, 'count')}) ÷ "
                                       f"{fmt(p.old.value, 'count')} × 100 = {expected:+.1f}%")


@check("change.wrong-percent", "Percent change does not match its figures", "error", "narrative",
       "A year-on-year percentage that cannot be reproduced from the two figures beside it misleads the "
       "board; every stated change must be recomputable.",
       fails=("Referrals rose from 200 in 2023-24 to 260 in 2024-25, a 20% increase.",),
       passes=("Referrals rose from 200 in 2023-24 to 260 in 2024-25, a 30% increase.",))
def wrong_percent(ctx: Ctx, chk):
    yield from _emit_claims(ctx, chk, "wrong-percent")


@check("change.wrong-base", "Percent change computed on the wrong base", "error", "narrative",
       "A percent change is relative to the earlier figure; dividing by the later one understates rises "
       "and overstates falls.",
       fails=("Referrals rose from 200 in 2023-24 to 250 in 2024-25, a 20% increase.",),
       passes=("Referrals rose from 200 in 2023-24 to 250 in 2024-25, a 25% increase.",))
def wrong_base(ctx: Ctx, chk):
    yield from _emit_claims(ctx, chk, "wrong-base")


@check("change.points-as-percent", "Percentage-point change reported as a percent change", "error", "narrative",
       "The difference between two percentages is in percentage points; calling it a percent change "
       "misstates the size of the improvement.",
       fails=("Compliance rose from 50% to 60%, a 10% improvement.",),
       passes=("Compliance rose from 50% to 60%, a 10 percentage point improvement.",))
def points_as_percent(ctx: Ctx, chk):
    yield from _emit_claims(ctx, chk, "points-as-percent")


@check("change.ambiguous-percent", "Ambiguous 'up N%' applied to a percentage", "query", "narrative",
       "'84%, up 25%' can mean up 25 percentage points (from 59%) or up by a quarter (from 67.2%); the "
       "reader cannot tell which.",
       fails=("Programme completion reached 80%, up 10% on last year.",),
       passes=("Programme completion reached 80%, up from 70% last year.",))
def ambiguous_percent(ctx: Ctx, chk):
    for kind, s, c, _ in _claim_findings(ctx):
        if kind != "no-pair" or c.unit != "%":
            continue
        others = [f for f in s.figs if f.start != c.figure_start]
        before = [f for f in others if f.end <= c.start and c.start - f.end <= 80]
        if not before or before[-1].kind != "percent" or any(f.kind in ("count", "money") for f in others):
            continue
        base = before[-1]
        sign = c.direction or 1
        as_pp = base.value - sign * c.value
        as_rel = base.value / (1 + sign * c.value / 100)
        yield ctx.finding(
            chk, s.source, base.start, c.end,
            f"{fmt(base.value, 'percent')} with a change of {fmt(c.value, 'count')}%: if percentage points, the "
            f"earlier figure was {as_pp:.1f}%; if a relative change, it was {as_rel:.1f}%. Give both figures and "
            f"say 'percentage points' or 'relative'.")


@check("change.direction", "Direction word contradicts its figures", "error", "narrative",
       "A 'rise' over figures that fall (or the reverse) tells the board the opposite of what happened.",
       fails=("Incidents saw a sharp rise: 300 in 2024-25 compared to 350 in 2023-24.",
              "There were 1,260 missing episodes in 2022-23, and the number rose this year to 1,012.",
              "Referrals fell to 2,310 in 2023-24 from 2,145 in 2022-23."),
       passes=("Incidents saw a sharp fall: 300 in 2024-25 compared to 350 in 2023-24.",
               "There were 1,260 missing episodes in 2022-23, and the number rose this year to 1,412.",
               "There were 1,260 missing episodes in 2023-24; referrals fell to 1,012 by March.",
               "Referrals fell to 2,145 in 2023-24 from 2,310 in 2022-23."))
def direction(ctx: Ctx, chk):
    sents = sentences(ctx)
    claimed = {(id(s), c.start) for k, s, c, p in _claim_findings(ctx)}
    for k, s, c, p in _claim_findings(ctx):
        if k == "pair" and c.direction and p.new.value != p.old.value and (p.new.value > p.old.value) != (c.direction > 0):
            desc, _, _ = _describe(p)
            yield ctx.finding(chk, s.source, c.start, c.end,
                              f"the text says {'a rise' if c.direction > 0 else 'a fall'}, but {desc}")
    del claimed
    for i, s in enumerate(sents):
        if s.claims:
            continue
        stated = _stated_direction(s.clean)
        if not stated:
            continue
        prs = s.pairs
        span = None
        if not prs and not s.figs:
            prs = _following_pairs(ctx, sents, i)
        for p in prs:
            if p.new.value == p.old.value or (p.new.value > p.old.value) == (stated > 0):
                continue
            m = next((m for m in _DIR_WORD.finditer(s.clean) if direction_of(m.group(1) or m.group(2)) == stated), None)
            if m is None:
                continue
            span = (s.start + m.start(), s.start + m.end())
            im = INTENSIFIED.search(s.clean)
            if im and im.start(1) <= m.start() < im.end():
                span = (s.start + im.start(), s.start + im.end())
            desc, _, _ = _describe(p)
            line = s.source.line_col(p.start)[0]
            yield ctx.finding(chk, s.source, *span,
                              f"the text says {'a rise' if stated > 0 else 'a fall'}, but the figures "
                              f"{'beside it' if p in s.pairs else f'that follow (line {line})'} "
                              f"{'fall' if stated > 0 else 'rise'}: {desc}")
            break


def _following_pairs(ctx: Ctx, sents: list[Sentence], i: int) -> list[Pair]:
    """Pairs in the list or paragraph right after a sentence that states a change without figures."""
    s = sents[i]
    paras = s.source.paras
    j = s.para.index + 1
    out: list[Pair] = []
    for p in paras[j:j + 3]:
        if p.heading:
            break
        for t in sents:
            if t.para is p:
                out += t.pairs
        if out or not p.is_list_item:
            break
    return out


def _month_index(mk) -> int | None:
    if mk is None:
        return None
    if mk.kind == "month":
        return mk.year * 12 + mk.month
    return None


def _quarter_index(mk) -> int | None:
    if mk is None or mk.kind != "quarter" or not mk.fy:
        return None
    return int(mk.fy[:4]) * 4 + mk.quarter


@check("change.not-like-for-like", "Comparison of periods that are not like for like", "query", "narrative",
       "Comparing one month with a different month of another year (or one quarter with a different quarter) "
       "mixes seasonal and trend effects; compare the same month or quarter, or consecutive ones.",
       fails=("Missing episodes fell to 40 in March 2025, down from 55 in June 2024.",),
       passes=("Missing episodes fell to 40 in March 2025, down from 55 in March 2024.",))
def not_like_for_like(ctx: Ctx, chk):
    from masa.textlayer.dates import ranges

    for s in sentences(ctx):
        spans = [(r.start, r.end) for r in ranges(s.clean, s.start)] if s.pairs else []
        for p in s.pairs:
            if any(a <= mk.start < b for mk in (p.old_marker, p.new_marker) if mk for a, b in spans):
                continue  # a month that starts or ends a longer period ("1 April 2023 to 31 March 2024")
            for index, unit in ((_month_index, "month"), (_quarter_index, "quarter")):
                a, b = index(p.old_marker), index(p.new_marker)
                if a is None or b is None:
                    continue
                step = 12 if unit == "month" else 4
                if (b - a) % step == 0 or abs(b - a) == 1:
                    continue
                old_t = s.source.text[p.old_marker.start:p.old_marker.end]
                new_t = s.source.text[p.new_marker.start:p.new_marker.end]
                start = min(p.start, p.old_marker.start, p.new_marker.start)
                end = max(p.end, p.old_marker.end, p.new_marker.end)
                yield ctx.finding(chk, s.source, start, end,
                                  f"compares {fmt(p.new.value, p.new.kind)} in {new_t} with "
                                  f"{fmt(p.old.value, p.old.kind)} in {old_t}: different {unit}s "
                                  f"{abs(b - a)} {unit}s apart. Compare the same {unit} a year earlier.")


# "significant improvements had been put in place", "we made major improvements to": changes made
# to a service (countable things done), not a rise or fall that a figure could show
_ACTION_VERBS = r"(?:put\s+in\s+place|made|introduced|implemented|delivered|carried\s+out|undertaken|brought\s+in)"
_ACTION_AFTER = re.compile(rf"^\s+(?:(?:have|has|had|were|was|are|being|been|will\s+be|to\s+be)\s+)*{_ACTION_VERBS}\b",
                           re.IGNORECASE)
_ACTION_BEFORE = re.compile(r"\b(?:made|make|makes|making|put\s+in\s+place|introduced|implemented|delivered|brought\s+in)"
                            r"\s+(?:(?:a|some|several|many|further|a\s+number\s+of|the)\s+)?$", re.IGNORECASE)


@check("change.unsupported", "Claim of change with no figure", "query", "narrative",
       "WT2023 asks for evidence of impact; 'a marked increase' with no figure cannot be checked or "
       "compared.",
       fails=("There was a significant increase in early help referrals.",
              "There have been significant improvements in school attendance."),
       passes=("There was a significant increase in early help referrals, from 120 to 180.",
               "Significant improvements had been put in place to meet mental health needs.",
               "The service made major improvements to its front door."))
def unsupported(ctx: Ctx, chk):
    sents = sentences(ctx)
    for i, s in enumerate(sents):
        m = INTENSIFIED.search(s.clean)
        if not m or s.figs:
            continue
        if m.group(1).lower() == "improvement" and (_ACTION_AFTER.match(s.clean[m.end():]) or
                                                     _ACTION_BEFORE.search(s.clean[:m.start()])):
            continue  # improvements put in place or made are things done, not a measured change
        if _following_pairs(ctx, sents, i) or _following_figures(s):
            continue
        yield ctx.finding(chk, s.source, s.start + m.start(), s.start + m.end(),
                          f"'{m.group()}' is stated without a figure: give the numbers for both periods.")


def _following_figures(s: Sentence) -> bool:
    if not s.clean.rstrip().endswith(":"):
        return False
    for p in s.source.paras[s.para.index + 1:s.para.index + 4]:
        if p.heading:
            return False
        if figures(p.clean, p.start):
            return True
    return False


__all__ = ["fmt", "markers", "sentences"]
