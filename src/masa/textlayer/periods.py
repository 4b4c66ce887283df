"""Which period a phrase in a sentence names, as the importer places a figure: a financial year
("2023/24", "Q2 of 2024-25"), "this year", "the previous year" (not "in the last year", which
means the past twelve months), or a month ("March 2025", which is no year or quarter)."""

from __future__ import annotations

import re

from masa.spec import shift_period
from masa.spec.periods import year_code

from .numbers import MONTHS

_MONTHS = "|".join(MONTHS)
_FY = re.compile(r"(?:\bQ([1-4])\s*(?:of\s+)?)?(?<!\d)(20\d{2})\s*[-/–]\s*(?:20)?(\d{2})(?!\d)", re.IGNORECASE)
_REL_CURRENT = re.compile(r"\b(?:this|the current|current)\s+(?:financial\s+|reporting\s+)?year\b", re.IGNORECASE)
_REL_PREVIOUS = re.compile(r"\b(?:the\s+)?(?:previous|prior|preceding)\s+(?:financial\s+|reporting\s+)?year\b"
                           r"|(?<!in the )(?<!over the )(?<!during the )(?<!in )\blast\s+(?:financial\s+)?year\b"
                           r"|\byear before\b", re.IGNORECASE)
_MONTH = re.compile(rf"\b(?:\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?)?(?:{_MONTHS})\s+20\d{{2}}\b", re.IGNORECASE)


def period_mentions(s: str, period: str) -> list[tuple[int, int, str | None, str]]:
    """(start, end, period code or None, as written) for every period named in a sentence;
    ``period`` is the report's, which "this year" and "the previous year" are relative to."""
    out = []
    for m in _FY.finditer(s):
        y = int(m.group(2))
        code = year_code(y) if int(m.group(3)) == (y + 1) % 100 else None
        if code and m.group(1):
            code = f"{code} Q{m.group(1)}"
        out.append((m.start(), m.end(), code, m.group(0)))
    for m in _REL_CURRENT.finditer(s):
        out.append((m.start(), m.end(), period, m.group(0)))
    for m in _REL_PREVIOUS.finditer(s):
        out.append((m.start(), m.end(), shift_period(period, -1), m.group(0)))
    for m in _MONTH.finditer(s):
        out.append((m.start(), m.end(), None, m.group(0)))
    return sorted(out)
