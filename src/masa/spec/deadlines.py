"""Deadlines as people read them: dates typed the UK way, days left, and how late.

Plain Python (no Django) so the arithmetic is tested in milliseconds. The web's periods
screen parses what the business unit types with :func:`read_uk_date`; the returns list and
the dashboard word a return's standing with :func:`standing`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

MONTHS = {name: i for i, name in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september",
     "october", "november", "december"], start=1)}
MONTHS.update({name[:3]: i for name, i in list(MONTHS.items())})
MONTHS["sept"] = 9

_NUMERIC_UK = re.compile(r"^(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4}|\d{2})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_WORDS = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]+)\.?,?\s+(\d{4}|\d{2})$")

EXAMPLE = "31/05/2026, 31 May 2026 or 2026-05-31"


def read_uk_date(text: str) -> date:
    """A date typed as 31/05/2026, 31-5-2026, 31 May 2026, 31st May 2026 or 2026-05-31; a
    two-digit year (31/5/26, 31 May 26) is this century's.

    Day first, as people in England write it: 01/05/2026 is 1 May. Raises ValueError with a
    message to show beside the field when the text is not one of those forms or is no date
    (31/02/2026)."""
    raw = (text or "").strip()
    if not raw:
        raise ValueError("Enter a date, for example 31/05/2026")
    low = " ".join(raw.lower().split())
    m = _ISO.match(low)
    if m:
        y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
    elif (m := _NUMERIC_UK.match(low)):
        d, mo, y = int(m.group(1)), int(m.group(2)), int(m.group(3))
    elif (m := _WORDS.match(low)) and m.group(2) in MONTHS:
        d, mo, y = int(m.group(1)), MONTHS[m.group(2)], int(m.group(3))
    else:
        raise ValueError(f"{raw[:40]!r} is not a date: enter it as {EXAMPLE}")
    if y < 100:
        y += 2000
    try:
        return date(y, mo, d)
    except ValueError:
        raise ValueError(f"{raw[:40]} is not a real date: enter it as {EXAMPLE}") from None


def effective_due(deadline: date | None, extension: date | None) -> date | None:
    """The date a partner's return is due: its extension when it has one, else the deadline."""
    return extension or deadline


def _days(n: int) -> str:
    return f"{n} day{'s' if n != 1 else ''}"


def months_between(earlier: date, later: date) -> int:
    """Whole calendar months from ``earlier`` to ``later`` (31 Jan to 28 Feb is 0, to 1 Mar is 1).

    A month is complete when the same day of the month comes round again, so a month that
    has no such day (30 February) does not complete it until the next month begins."""
    months = (later.year - earlier.year) * 12 + later.month - earlier.month
    if later.day < earlier.day:
        months -= 1
    return max(months, 0)


def how_late(due: date, submitted: date) -> str:
    """'3 days late', 'submitted 17 months late'; '' when submitted on or before the due date."""
    days = (submitted - due).days
    if days <= 0:
        return ""
    months = months_between(due, submitted)
    if months >= 2:
        return f"submitted {months} months late"
    return f"{_days(days)} late"


def time_left(due: date, today: date) -> str:
    """'12 days left', 'due today', '5 days overdue' for a return not yet submitted."""
    days = (due - today).days
    if days > 0:
        return f"{_days(days)} left"
    if days == 0:
        return "due today"
    return f"{_days(-days)} overdue"


@dataclass(frozen=True)
class Standing:
    """Where one return stands against its due date."""

    state: str  # "no deadline" | "on time" | "late" | "outstanding" | "overdue"
    words: str  # what the page shows: "12 days left", "submitted 17 months late"...

    @property
    def late(self) -> bool:
        return self.state in ("late", "overdue")


def standing(due: date | None, submitted: date | None, today: date) -> Standing:
    """A return's standing: ``submitted`` is the day of its first submission, None if never.

    Submitted on or before ``due`` is on time; after it, late for good (resubmitting or
    approval does not undo it). Not submitted: outstanding with days left, or overdue."""
    if due is None:
        return Standing("no deadline", "submitted" if submitted else "no deadline set")
    if submitted is not None:
        late = how_late(due, submitted)
        return Standing("late", late) if late else Standing("on time", "submitted on time")
    words = time_left(due, today)
    return Standing("overdue" if today > due else "outstanding", words)
