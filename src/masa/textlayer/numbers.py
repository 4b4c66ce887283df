"""Figures, period markers and claimed changes in prose: what a number in a sentence is.

One reading for the checker and the importer (:mod:`masa.ingest.figures`), so both agree on
what a figure is: counts, percentages and money (years, levels, ranges and dates excluded),
claims of change ("a 17% reduction", "up 25%"), and period markers. Offsets are offsets in
the text given.
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
    r"(\s?(?:%|percentage points?\b|per ?cent\b|pp\b|\s?million\b|\s?billion\b|bn\b|m\b|k\b))?(?![\w/])")
_BEFORE_NOT_FIGURE = re.compile(
    r"(?:\b(?:level|levels|q|quarter|quarters|aged?|ages|regulation|act|edition|section|phq|gad|page|appendix|"
    r"under the age of|over the age of|chapter|step|phase|tier|ks|key stage)\s*)$|\d\s*[-–/]\s*$", re.IGNORECASE)
_AFTER_NOT_FIGURE = re.compile(r"^(?:\s*[-–/]\s*\d|st\b|nd\b|rd\b|th\b|\s*(?:out of|or \d)|\s*" + _MONTH_RE + r"\b|\s*(?:days?|weeks?|hours?|months?|years?|year-olds?|olds?)\b)")

# whole numbers written as words, for the checks that read "three times" as well as "3 times"
NUMBER_WORDS = {w: n for n, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen twenty".split())}


def labels_not_figures(before: str) -> bool:
    """Whether the words just before a number make it a label, not a figure ("level 3",
    "section 4", "Q2", "key stage 2"): the importer's own test, shared."""
    return bool(_BEFORE_NOT_FIGURE.search(before))


_MONTHS_ALT = "|".join(MONTHS)
# Spans that hold numbers which are not figures (the importer's list, shared): financial years,
# ranges, levels and sections with lists of numbers ("Level 1, 2 and 3"), durations, ordinals,
# school years ("year 9"), scores ("4 out of 5"), dates without a year ("14 June")
NOT_FIGURE = re.compile(
    r"(?:\bQ[1-4]\s*(?:of\s+)?)?(?<!\d)20\d{2}\s*[-/–]\s*(?:20)?\d{2}(?!\d)"
    r"|\d+\s*[-–/]\s*\d+(?!\d)"
    r"|(?<![\w])(?:19|20)\d{2}(?![\d,])"
    r"|\b(?:level|levels|q|quarter|tier|phase|section|regulation|act|edition|aged?|ages|step|page|appendix"
    r"|version|op|week|gad|phq|cohort|age of)\s+\d+(?:\s*(?:,|and|&|or|/|-|–)\s*\d+)*"
    r"|\d+\s*-\s*(?:day|week|month|year|hour)s?\b"
    r"|\d+\s+(?:months?|years?|weeks?|hours?|minutes?|days?)\b"
    r"|\d+(?:st|nd|rd|th)\b|\byears?\s+\d{1,2}(?![\d,])"
    r"|\d+\s+or\s+\d+\s+out\s+of\s+\d+|\bout\s+of\s+\d+|\d+\s*/\s*7\b"
    rf"|\b\d{{1,2}}\s+(?:{_MONTHS_ALT})\b|\b(?:{_MONTHS_ALT})\s+\d{{2}}\b",
    re.IGNORECASE)

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
    masked: list[tuple[int, int]] | None = None
    for m in _NUM.finditer(clean):
        money, digits, unit = m.group(1), m.group(2), (m.group(3) or "").strip().lower()
        before, after = clean[max(0, m.start() - 25):m.start()], clean[m.end():m.end() + 20]
        if not unit and not money:
            if _BEFORE_NOT_FIGURE.search(before) or _AFTER_NOT_FIGURE.match(after):
                continue
            if masked is None:
                masked = [(x.start(), x.end()) for x in NOT_FIGURE.finditer(clean)]
            if any(a <= m.start(2) < b for a, b in masked):
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
        elif unit in ("billion", "bn"):
            value *= 1_000_000_000
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
