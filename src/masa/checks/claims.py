"""Read figures and claims of change out of narrative text.

Finds counts, percentages and money; claimed changes ("a 17% reduction", "up 25%"); pairs
of figures for two periods ("from A to B", "rose to B, up from A", "A in 2023-24 compared
to B this year"); and the period each figure belongs to, so the checks can redo the sums.
All offsets are offsets in the source text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from masa.spec import normalise_period

MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august",
          "september", "october", "november", "december"]
_MONTH_RE = r"(?:" + "|".join(m.capitalize() for m in MONTHS) + r"|" + "|".join(m[:3].capitalize() for m in MONTHS) + r")"

_NUM = re.compile(
    r"(?<![\w.£/-])(£\s?)?((?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)"
    r"(\s?(?:%|percentage points?\b|per ?cent\b|pp\b|\s?million\b|m\b|k\b))?(?![\w/])")
_BEFORE_NOT_FIGURE = re.compile(
    r"(?:\b(?:level|levels|q|aged?|ages|years?|year|regulation|act|edition|section|phq|gad|page|appendix|"
    r"under the age of|over the age of|chapter|step|phase|tier|ks|key stage)\s*)$|\d\s*[-–/]\s*$", re.IGNORECASE)
_AFTER_NOT_FIGURE = re.compile(r"^(?:\s*[-–/]\s*\d|st\b|nd\b|rd\b|th\b|\s*(?:out of|or \d)|\s*" + _MONTH_RE + r"\b|\s*(?:days?|weeks?|hours?|months?|years?|year-olds?|olds?)\b)")

FY = re.compile(r"(?<!\d)(20\d{2})\s*[-/–]\s*(?:20)?(\d{2})(?!\d)")
MONTH_YEAR = re.compile(r"\b(" + _MONTH_RE + r")\.?\s+(?:20)?(\d{2})\b(?!\d)")
QUARTER = re.compile(r"\bQ([1-4])\s+(20\d{2}\s*[-/–]\s*(?:20)?\d{2})")
CURRENT = re.compile(r"\bthis (?:financial |reporting |academic )?year\b|\bthe current year\b", re.IGNORECASE)
PREVIOUS = re.compile(r"\b(?:the )?(?:previous|last|prior|preceding) (?:financial |reporting |academic )?year\b|\bthe year before\b", re.IGNORECASE)

UP_WORDS = r"increase[sd]?|increasing|rise|rises|rose|risen|rising|growth|grew|grown|uplift|higher|up"
DOWN_WORDS = r"decrease[sd]?|decreasing|reduction|reductions|reduced|reduce|decline[sd]?|declining|fall|falls|fell|fallen|drop|drops|dropped|lower|down"
NEUTRAL_WORDS = r"improvement|improved|change|difference"
_UP_RE = re.compile(r"(?:" + UP_WORDS + r")", re.IGNORECASE)
_DOWN_RE = re.compile(r"(?:" + DOWN_WORDS + r")", re.IGNORECASE)

_PCT = r"(\d+(?:\.\d+)?)\s?(%|percentage points?\b|per ?cent\b|pp\b)"
CLAIM_AFTER = re.compile(_PCT + r"\s+(?:(?:year[- ]on[- ]year|relative|overall|net)\s+)?(" + UP_WORDS + "|" + DOWN_WORDS + "|" + NEUTRAL_WORDS + r")\b", re.IGNORECASE)
CLAIM_BEFORE = re.compile(r"\b(" + UP_WORDS + "|" + DOWN_WORDS + "|" + NEUTRAL_WORDS + r")\s+(?:of\s+|by\s+)?" + _PCT, re.IGNORECASE)


def direction_of(word: str) -> int:
    """+1 for a rise, -1 for a fall, 0 when the word does not say which way."""
    if _UP_RE.fullmatch(word):
        return 1
    if _DOWN_RE.fullmatch(word):
        return -1
    return 0


@dataclass(frozen=True)
class Figure:
    value: float
    kind: str  # "count" | "percent" | "money" | "pp"
    start: int
    end: int
    text: str
    decimals: int = 0


@dataclass(frozen=True)
class Marker:
    """A period reference: a financial year, a quarter, a month, or 'this/previous year'."""

    start: int
    end: int
    kind: str  # "fy" | "quarter" | "month" | "current" | "previous"
    fy: str | None = None
    quarter: int | None = None
    month: int | None = None
    year: int | None = None


@dataclass(frozen=True)
class Claim:
    """A stated change: '17% reduction', 'up 25%', '26.7% improvement'."""

    value: float
    unit: str  # "%" or "pp"
    direction: int  # +1, -1, 0 (direction not stated)
    start: int
    end: int
    figure_start: int
    figure_end: int
    decimals: int


def figures(clean: str, offset: int = 0) -> list[Figure]:
    """Counts, percentages and money in ``clean`` (years, levels, ranges and dates excluded)."""
    out = []
    for m in _NUM.finditer(clean):
        money, digits, unit = m.group(1), m.group(2), (m.group(3) or "").strip().lower()
        before, after = clean[max(0, m.start() - 25):m.start()], clean[m.end():m.end() + 20]
        if not unit and not money:
            if _BEFORE_NOT_FIGURE.search(before) or _AFTER_NOT_FIGURE.match(after):
                continue
            if "," not in digits and "." not in digits and 1990 <= int(digits) <= 2039:
                continue  # a year
            if re.search(r"\bQ$", before) or re.search(r"[A-Za-z]$", before):
                continue
        elif unit and re.search(r"\d\s*[-–/]\s*$", before):
            continue
        value = float(digits.replace(",", ""))
        if unit in ("million", "m"):
            value *= 1_000_000
        elif unit == "k":
            value *= 1_000
        kind = "money" if money else "percent" if unit in ("%", "percent", "per cent") else (
            "pp" if unit.startswith(("percentage", "pp")) else "count")
        dec = len(digits.split(".")[1]) if "." in digits else 0
        out.append(Figure(value, kind, offset + m.start(), offset + m.end(), m.group(), dec))
    return out


def markers(clean: str, offset: int = 0) -> list[Marker]:
    out: list[Marker] = []
    taken: list[tuple[int, int]] = []
    for m in QUARTER.finditer(clean):
        out.append(Marker(offset + m.start(), offset + m.end(), "quarter", normalise_period(m.group(2)), int(m.group(1))))
        taken.append((m.start(), m.end()))
    for m in FY.finditer(clean):
        if any(a <= m.start() < b for a, b in taken):
            continue
        fy = normalise_period(m.group())
        if fy:
            out.append(Marker(offset + m.start(), offset + m.end(), "fy", fy))
    for m in MONTH_YEAR.finditer(clean):
        month = [x[:3] for x in MONTHS].index(m.group(1)[:3].lower()) + 1
        year = 2000 + int(m.group(2)[-2:])
        out.append(Marker(offset + m.start(), offset + m.end(), "month", None, None, month, year))
    for m in CURRENT.finditer(clean):
        out.append(Marker(offset + m.start(), offset + m.end(), "current"))
    for m in PREVIOUS.finditer(clean):
        out.append(Marker(offset + m.start(), offset + m.end(), "previous"))
    return sorted(out, key=lambda k: k.start)


def _unit(text: str) -> str:
    t = text.lower()
    return "pp" if t.startswith(("percentage", "pp")) else "%"


def claims(clean: str, offset: int = 0) -> list[Claim]:
    out: list[Claim] = []
    seen: set[int] = set()
    for m in CLAIM_AFTER.finditer(clean):
        unit = _unit(m.group(2))
        dec = len(m.group(1).split(".")[1]) if "." in m.group(1) else 0
        out.append(Claim(float(m.group(1)), unit, direction_of(m.group(3)), offset + m.start(), offset + m.end(),
                         offset + m.start(1), offset + m.end(2), dec))
        seen.add(m.start(1))
    for m in CLAIM_BEFORE.finditer(clean):
        if m.start(2) in seen:
            continue
        unit = _unit(m.group(3))
        dec = len(m.group(2).split(".")[1]) if "." in m.group(2) else 0
        out.append(Claim(float(m.group(2)), unit, direction_of(m.group(1)), offset + m.start(), offset + m.end(),
                         offset + m.start(2), offset + m.end(3), dec))
    return sorted(out, key=lambda c: c.start)


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
    up_from = re.compile(r"(?:[^.;]{0,80}?\b(?:up|down|increased|decreased|rising|falling)|[^.;\d]{0,12}?,?)\s+from\s+(?:£\s?)?" + num, re.IGNORECASE)
    for f in figs:
        m = up_from.match(clean, f.end - offset)
        if m:
            a = fig_at(m.start(1))
            if a:
                add(a, f, "up-from")
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
