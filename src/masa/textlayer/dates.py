"""Written dates and date ranges: "1 April 2023", "1st of April 2023", "April 2023",
"01/04/2023", and ranges between two of them ("1 April 2023 to 31 March 2024", "April – June
2024"). A part the writer left out (the year, the day) stays None, so the checks can tell a
range whose year is given once ("1 April to 30 June 2024") from one whose end lost its year.
"""

from __future__ import annotations

import re
from calendar import monthrange
from dataclasses import dataclass
from datetime import date

from .numbers import MONTHS

_MON = r"(?:" + "|".join(m.capitalize() + ("" if len(m) <= 3 else f"|{m[:3].capitalize()}\\.?")
                         + ("|Sept\\.?" if m == "september" else "") for m in MONTHS) + r")"
_WRITTEN = (r"(?:(?P<{p}d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?)?(?P<{p}m>" + _MON + r")"
            r"(?:,?\s+(?P<{p}y>(?:19|20)\d{{2}}))?(?![\w])")
_NUMERIC = r"(?P<{p}nd>\d{{1,2}})/(?P<{p}nm>\d{{1,2}})/(?P<{p}ny>(?:19|20)?\d{{2}})(?![\d/])"


def _date(p: str) -> str:
    return "(?:" + _NUMERIC.format(p=p) + "|" + _WRITTEN.format(p=p) + ")"


RANGE = re.compile(r"(?<![\w/])(?P<lead>from\s+|between\s+)?" + _date("a") + r"\s*(?P<join>to|until|till|–|—|-|and)\s*"
                   + _date("b"))
QUARTER_LABEL = re.compile(r"\b(?:Q|Quarter\s+)([1-4])\b(?:\s+(?:of\s+)?(20\d{2}\s*[-/–]\s*(?:20)?\d{2}))?")


@dataclass(frozen=True)
class Written:
    """One end of a range as written; missing parts are None."""

    day: int | None
    month: int
    year: int | None
    start: int
    end: int

    def first(self) -> date | None:
        return date(self.year, self.month, self.day or 1) if self.year else None

    def last(self) -> date | None:
        if not self.year:
            return None
        return date(self.year, self.month, self.day or monthrange(self.year, self.month)[1])


@dataclass(frozen=True)
class DateRange:
    start: int
    end: int
    a: Written
    b: Written


def _month(name: str) -> int:
    return [m[:3] for m in MONTHS].index(name[:3].lower()) + 1


def _end(m: re.Match, p: str, offset: int) -> Written | None:
    g = m.groupdict()
    if g.get(p + "nm"):
        mon, day = int(g[p + "nm"]), int(g[p + "nd"])
        y = int(g[p + "ny"])
        y = y + 2000 if y < 100 else y
        if not (1 <= mon <= 12 and 1 <= day <= 31):
            return None
        return Written(day, mon, y, offset + m.start(p + "nd"), offset + m.end(p + "ny"))
    if not g.get(p + "m"):
        return None
    s = m.start(p + "d") if g.get(p + "d") else m.start(p + "m")
    e = m.end(p + "y") if g.get(p + "y") else m.end(p + "m")
    day = int(g[p + "d"]) if g.get(p + "d") else None
    year = int(g[p + "y"]) if g.get(p + "y") else None
    mon = _month(g[p + "m"])
    if day is not None and not 1 <= day <= 31:
        return None
    return Written(day, mon, year, offset + s, offset + e)


def ranges(text: str, offset: int = 0) -> list[DateRange]:
    """Every 'date to date' in text."""
    out = []
    for m in RANGE.finditer(text):
        a, b = _end(m, "a", offset), _end(m, "b", offset)
        if m.group("join") == "and" and not (m.group("lead") or "").startswith("between"):
            continue  # "on 5 May 2023 and 12 June": two dates, not a period
        if a and b:
            out.append(DateRange(offset + m.start(), offset + m.end(), a, b))
    return out


def fill_years(r: DateRange) -> tuple[date | None, date | None]:
    """The range's first and last day, with the year given once carried to the other end
    ("1 April to 30 June 2024"); None where it cannot be known."""
    a, b = r.a, r.b
    ya, yb = a.year, b.year
    if ya is None and yb is not None:
        ya = yb if (a.month, a.day or 1) <= (b.month, b.day or 31) else yb - 1
    if a.year is None and yb is None:
        return None, None
    if yb is None:
        return None, None
    first = Written(a.day, a.month, ya, a.start, a.end).first()
    return first, b.last()


# financial-year quarters (April start) and calendar quarters: first month of each
FINANCIAL_Q = {1: 4, 2: 7, 3: 10, 4: 1}
CALENDAR_Q = {1: 1, 2: 4, 3: 7, 4: 10}
