"""Pairs of figures for two periods in narrative text, on top of the shared reading of
numbers (:mod:`masa.textlayer.numbers`): "from A to B", "rose to B, up from A", "A in 2023-24
compared to B this year", so the checks can redo the sums. Offsets are offsets in the source text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from masa.textlayer.numbers import (  # noqa: F401  (re-exported: the checks import them from here)
    CURRENT,
    DOWN_WORDS,
    FY,
    MONTH_YEAR,
    MONTHS,
    NEUTRAL_WORDS,
    PREVIOUS,
    QUARTER,
    UP_WORDS,
    Claim,
    Figure,
    Marker,
    claims,
    direction_of,
    figures,
    markers,
)


@dataclass(frozen=True)
class Pair:
    """Two figures for two periods, oldest first."""

    old: Figure
    new: Figure
    old_marker: Marker | None
    new_marker: Marker | None
    how: str  # which wording gave the pair

    @property
    def start(self) -> int:
        return min(self.old.start, self.new.start)

    @property
    def end(self) -> int:
        return max(self.old.end, self.new.end)


def _compatible(a: Figure, b: Figure) -> bool:
    kinds = {a.kind, b.kind}
    return kinds <= {"count", "money"} or kinds == {"percent"}


def _marker_for(fig: Figure, figs: list[Figure], marks: list[Marker]) -> Marker | None:
    """The period marker closest to a figure, not crossing another figure."""
    prev_end = max([f.end for f in figs if f.end <= fig.start], default=-1)
    next_start = min([f.start for f in figs if f.start >= fig.end], default=10**9)
    best, dist = None, 10**9
    for mk in marks:
        if prev_end <= mk.start and mk.end <= fig.start:
            d = fig.start - mk.end
        elif fig.end <= mk.start and mk.end <= next_start:
            d = mk.start - fig.end
        else:
            continue
        if d < dist and d <= 60:
            best, dist = mk, d
    return best


def _age(mk: Marker | None, period: str | None) -> int | None:
    """-1 older, +1 newer, relative to the report period; None if unknown."""
    if mk is None:
        return None
    if mk.kind == "current":
        return 1
    if mk.kind == "previous":
        return -1
    return None


def pairs(clean: str, offset: int, figs: list[Figure], period: str | None = None) -> list[Pair]:
    """Pairs of like figures for two periods in one stretch of text."""
    marks = markers(clean, offset)
    by_start = {f.start - offset: f for f in figs}
    out: list[Pair] = []
    used: set[int] = set()

    def fig_at(pos: int) -> Figure | None:
        return by_start.get(pos)

    def add(old: Figure, new: Figure, how: str) -> None:
        if old.start in used or new.start in used or not _compatible(old, new):
            return
        used.update({old.start, new.start})
        out.append(Pair(old, new, _marker_for(old, figs, marks), _marker_for(new, figs, marks), how))

    num = r"(?<![\w.])(\d[\d,]*(?:\.\d+)?)"
    for m in re.finditer(r"\bfrom\s+(?:£\s?)?" + num + r"[^.;()]{0,25}?\s+to\s+(?:£\s?)?" + num, clean, re.IGNORECASE):
        a, b = fig_at(m.start(1)), fig_at(m.start(2))
        if a and b:
            add(a, b, "from-to")
    up_from = re.compile(r"(?:[^.;]{0,80}?\b(?:up|down|increased|decreased|rising|falling)|[^.;\d]{0,12}?,?"
                         # "fell to 2,310 in 2023-24 from 2,145 in 2022-23"
                         r"|\s+(?:in|during)\s+(?:20\d{2}\s*[-/–]\s*(?:20)?\d{2}|this\s+year),?)\s+from\s+(?:£\s?)?" + num,
                         re.IGNORECASE)
    for f in figs:
        m = up_from.match(clean, f.end - offset)
        if m:
            a = fig_at(m.start(1))
            if a:
                add(a, f, "up-from")
    # "1,260 episodes in 2022-23, and the number rose this year to 1,012": the earlier figure, tied to an
    # earlier period, and the one a direction verb goes "to"
    for m in re.finditer(r"\b(?:rose|risen|fell|fallen|increased|decreased|dropped|reduced|grew|grown|climbed|declined)"
                         r"(?:\s+(?:this|last|in|during|over|the|year|again|further|slightly|sharply|\d{4}[-/]\d{2,4})){0,4}"
                         r"\s+to\s+(?:£\s?)?" + num, clean, re.IGNORECASE):
        b = fig_at(m.start(1))
        before = [f for f in figs if f.end - offset <= m.start() and f.start not in used and f.kind != "pp"]
        if b is None or not before:
            continue
        a = before[-1]
        ma, mb = _marker_for(a, figs, marks), _marker_for(b, figs, marks)
        if ma is None or ma.kind not in ("fy", "previous") or b.start - a.end > 160:
            continue
        oa, ob = _order(ma, mb if mb is not None and mb is not ma else None, period)
        if oa is not None and oa < ob:
            add(a, b, "verb-to")
    for m in re.finditer(r"\b(?:compared (?:to|with)|against|versus|vs\.?|up on|down on)\b", clean, re.IGNORECASE):
        before = [f for f in figs if f.end - offset <= m.start() and f.start not in used and f.kind != "pp"]
        after = [f for f in figs if f.start - offset >= m.end() and f.start not in used and f.kind != "pp"]
        if not before or not after:
            continue
        a = before[-1]
        b = next((f for f in after if _compatible(a, f)), None)
        if b is None or b.start - a.end > 220:
            continue
        ma, mb = _marker_for(a, figs, marks), _marker_for(b, figs, marks)
        oa, ob = _order(ma, mb, period)
        if oa is None:
            add(b, a, "compared")  # "X compared to Y": Y is the baseline
        elif oa < ob:
            add(a, b, "compared")
        else:
            add(b, a, "compared")
    return out


def _order(ma: Marker | None, mb: Marker | None, period: str | None) -> tuple[int | None, int | None]:
    now = int(period[:4]) * 10 + 5 if period else 10**9
    before = int(period[:4]) * 10 - 5 if period else -10**9

    def rank(mk: Marker | None) -> int | None:
        if mk is None:
            return None
        if mk.kind == "current":
            return now
        if mk.kind == "previous":
            return before
        if mk.kind in ("fy", "quarter") and mk.fy:
            return int(mk.fy[:4]) * 10 + (mk.quarter or 0)
        if mk.kind == "month" and mk.year:
            return mk.year * 10 + (mk.month or 0) // 12
        return None

    ra, rb = rank(ma), rank(mb)
    if ra is None and rb is None or ra == rb:
        return None, None
    if ra is None:
        ra = rb - 1 if mb.kind == "current" else rb + 1
    if rb is None:
        rb = ra - 1 if ma.kind == "current" else ra + 1
    return ra, rb
