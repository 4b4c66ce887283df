"""What the assurance engines share: strict models, action statuses, and the financial year
a date falls in (April to March), so every comparison is "this year against last"."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict

STATUSES = ("open", "in-progress", "done", "dropped")
STATUS_WORDS = {"open": "Open", "in-progress": "In progress", "done": "Done", "dropped": "Dropped"}
FINISHED = ("done", "dropped")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


def year_of(day: date) -> str:
    """The financial year ("2024-25") containing ``day``."""
    start = day.year if day.month >= 4 else day.year - 1
    return f"{start}-{(start + 1) % 100:02d}"


def year_bounds(period: str) -> tuple[date, date]:
    """First and last day of a financial year given as "2024-25"."""
    start = int(period[:4])
    return date(start, 4, 1), date(start + 1, 3, 31)


def previous_year(period: str) -> str:
    start = int(period[:4]) - 1
    return f"{start}-{(start + 1) % 100:02d}"
