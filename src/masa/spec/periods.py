"""Financial years (April to March) and their quarters.

Codes are canonical: ``2024-25`` for a year, ``2024-25 Q3`` for a quarter. People write
them many ways (2024/25, 2024-2025, Q3 2024/25); :func:`normalise_period` reads those.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

_FY = re.compile(r"^(\d{4})-(\d{2})$")
_Q = re.compile(r"^(\d{4})-(\d{2}) Q([1-4])$")
_LOOSE_FY = re.compile(r"(?<!\d)(20\d{2})\s*[-/–]\s*(20)?(\d{2})(?!\d)")
_LOOSE_Q = re.compile(r"\bQ([1-4])\b")

QUARTER_MONTHS = {1: (4, 6), 2: (7, 9), 3: (10, 12), 4: (1, 3)}


@dataclass(frozen=True, order=True)
class Period:
    code: str
    kind: str  # "year" | "quarter"
    start: date
    end: date
    year: str  # the financial year code this period belongs to

    @property
    def label(self) -> str:
        return self.code

    def previous(self) -> str:
        """The like-for-like previous period: last year, or the same quarter last year."""
        return shift_period(self.code, -1)


def _month_end(y: int, m: int) -> date:
    if m == 12:
        return date(y, 12, 31)
    return date.fromordinal(date(y, m + 1, 1).toordinal() - 1)


def parse_period(code: str) -> Period:
    """Parse a canonical code; raise ValueError with the accepted forms otherwise."""
    m = _FY.match(code)
    if m:
        y = int(m.group(1))
        if int(m.group(2)) != (y + 1) % 100:
            raise ValueError(f"{code!r} is not a financial year: the second year must follow the first")
        return Period(code, "year", date(y, 4, 1), date(y + 1, 3, 31), code)
    m = _Q.match(code)
    if m:
        fy = f"{m.group(1)}-{m.group(2)}"
        parse_period(fy)
        y, q = int(m.group(1)), int(m.group(3))
        first, last = QUARTER_MONTHS[q]
        cal_year = y if q < 4 else y + 1
        return Period(code, "quarter", date(cal_year, first, 1), _month_end(cal_year, last), fy)
    raise ValueError(f"{code!r} is not a period: use a financial year like 2024-25 or a quarter like 2024-25 Q1")


def year_code(start_year: int) -> str:
    return f"{start_year}-{(start_year + 1) % 100:02d}"


def shift_period(code: str, years: int) -> str:
    p = parse_period(code)
    y = int(p.year[:4]) + years
    return year_code(y) + (code[7:] if p.kind == "quarter" else "")


def periods_for_years(years: list[str], quarters: bool = True) -> list[Period]:
    out: list[Period] = []
    for fy in years:
        out.append(parse_period(fy))
        if quarters:
            out.extend(parse_period(f"{fy} Q{q}") for q in (1, 2, 3, 4))
    return out


def period_containing(day: date) -> str:
    """The financial year code that contains a calendar date."""
    return year_code(day.year if day.month >= 4 else day.year - 1)


_TYPED = re.compile(r"^\s*(?:FY\s*)?(?:Q[1-4]\s+)?(?:FY\s*)?20\d{2}\s*[-/–]\s*(?:20)?\d{2}(?:\s+Q[1-4])?\s*$",
                    re.IGNORECASE)


def read_period(text: str) -> str:
    """A period someone typed (a command-line option): the whole text must be one period,
    '2024-25', '2024/25', '2024-2025' or 'FY2024-25', with an optional quarter ('2024-25 Q1',
    'Q1 2024/25'). Raises ValueError naming the accepted forms; never reads a period out of
    something longer, as ``normalise_period`` does for prose."""
    code = normalise_period(text.upper()) if _TYPED.match(text or "") else None
    if code is None:
        raise ValueError(f"{text!r} is not a period: give a financial year such as 2024-25 (or 2024/25), "
                         "with an optional quarter such as '2024-25 Q1'")
    return code


def normalise_period(text: str) -> str | None:
    """Read '2024/25', '2024-2025', 'Q1 2024/25' and similar; None if no period is named."""
    m = _LOOSE_FY.search(text)
    if not m:
        return None
    y = int(m.group(1))
    if int(m.group(3)) != (y + 1) % 100:
        return None
    fy = year_code(y)
    q = _LOOSE_Q.search(text)
    return f"{fy} Q{q.group(1)}" if q else fy
