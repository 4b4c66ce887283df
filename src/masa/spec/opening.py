"""Which periods are open, which fit a template, and the spec with one more year opened.

A spec lists its financial years and names the ``current`` one. Years up to and including
the current one are **open**: partners may start returns for them (and for their quarters,
when the spec has quarters), so a partner can still send last year's missing return after
the year has moved on. Years listed after the current one are **not yet open**. Opening a
year makes it the current one. The business unit may **close** an earlier year (or a
quarter) to new returns; ``closed`` is the set of codes it closed, and a closed year's
quarters are closed with it. Plain Python: the web's periods screen calls it.
"""

from __future__ import annotations

from collections.abc import Collection

from .models import Spec, Template
from .periods import Period, parse_period, periods_for_years, read_period, year_code


class OpenRefused(ValueError):
    """Why a year cannot be opened, worded for the form field that named it."""


def open_years(spec: Spec) -> list[str]:
    return [y for y in spec.periods.financial_years if y <= spec.periods.current]


def open_periods(spec: Spec, closed: Collection[str] = ()) -> list[Period]:
    """Open years, each followed by its quarters when the spec has quarters, less those closed."""
    return [p for p in periods_for_years(open_years(spec), spec.periods.quarters)
            if p.code not in closed and p.year not in closed]


def fits(template: Template, period: Period) -> bool:
    """A yearly template's returns are for years, a quarterly template's for quarters."""
    return (template.frequency == "quarterly") == (period.kind == "quarter")


def state(spec: Spec, code: str, closed: Collection[str] = ()) -> str:
    """'current', 'open', 'closed' or 'not yet open' for a listed year or quarter."""
    year = parse_period(code).year
    if year <= spec.periods.current and (code in closed or year in closed):
        return "closed"
    if year == spec.periods.current:
        return "current" if code == year else "open"
    return "open" if year < spec.periods.current else "not yet open"


def next_year(spec: Spec) -> str:
    """The year a business unit opens next: the one after the current year."""
    return year_code(int(spec.periods.current[:4]) + 1)


def read_year(text: str) -> str:
    """A financial year typed as 2025-26, 2025/26 or 2025-2026; a quarter is refused."""
    try:
        code = read_period(text)
    except ValueError:
        raise OpenRefused(f"Enter a financial year such as 2025-26 (you entered {text.strip()[:20]!r})") from None
    if parse_period(code).kind != "year":
        raise OpenRefused(f"Enter a financial year such as {code[:7]}, not a quarter: "
                          "a year's quarters open with it")
    return code


def with_year_opened(spec: Spec, year: str, quarters: bool = False) -> Spec:
    """The spec with ``year`` listed and made current (and quarters turned on if asked).

    Refuses a year already open (it would overlap an open year: financial years cannot
    overlap except by being the same year) and a year that skips the next one."""
    current = spec.periods.current
    if year <= current:
        raise OpenRefused(f"{year} is already open; the current year is {current}")
    expected = next_year(spec)
    if year != expected:
        raise OpenRefused(f"Open {expected} first: years open one after another, after the current year {current}")
    doc = spec.model_dump(mode="json")
    doc["periods"]["financial_years"] = sorted(set(spec.periods.financial_years) | {year})
    doc["periods"]["current"] = year
    doc["periods"]["quarters"] = bool(spec.periods.quarters or quarters)
    return Spec.model_validate(doc)
