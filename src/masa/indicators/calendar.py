"""Working days in England, as a small table the compiled SQL can join.

``masa_calendar(day, wd)``: ``wd`` is the number of working days (Monday to Friday, not
an England bank holiday) up to and including ``day``. The working days after ``a`` up to
and including ``b`` are then ``wd(b) - wd(a)``, in any SQL dialect.
"""

from __future__ import annotations

from datetime import date, timedelta

import holidays

from .compile import CALENDAR


def working_day_numbers(start: date, end: date) -> list[tuple[date, int]]:
    bank = holidays.country_holidays("GB", subdiv="ENG", years=range(start.year, end.year + 1))
    out, n, day = [], 0, start
    while day <= end:
        if day.weekday() < 5 and day not in bank:
            n += 1
        out.append((day, n))
        day += timedelta(days=1)
    return out


def create_calendar(conn, start: date, end: date) -> None:
    """Create the calendar table in a DuckDB connection."""
    rows = working_day_numbers(start, end)
    conn.execute(f"CREATE TABLE {CALENDAR} (day DATE PRIMARY KEY, wd INTEGER NOT NULL)")
    conn.execute(f"INSERT INTO {CALENDAR} SELECT unnest($1::DATE[]), unnest($2::INTEGER[])",
                 [[d for d, _ in rows], [n for _, n in rows]])
