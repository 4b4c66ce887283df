"""Safeguarding children partnerships over time: dated rows, validated.

Partnerships change: Pan-Dorset split into a Dorset and a BCP partnership in 2024, Cumbria's
into Cumberland's and Westmorland and Furness's in 2025, the tri-borough partnership ended in
2021. So each row of ``safeguarding_partnerships.csv`` says when it applied: ``from`` and
``until`` are a financial year ("2024-25": from 1 April 2024, until 31 March 2025) or a day
("2024-08-01"); empty means as far back as the list knows, or still in place. One area may be
in only one partnership on any day; an area no row covers on a day has its own
"<area> Safeguarding Children Partnership" then.

Each row is checked like the partnership spec is (pydantic, unknown columns refused), and a
wrong row is named by file, line and column: ``safeguarding_partnerships.csv, line 14
(Pan-Dorset Safeguarding Children Partnership), column until: '2024-13-01' is not ...``.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from datetime import date, timedelta
from itertools import pairwise

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

COLUMNS = ("name", "short_names", "areas", "from", "until")
_FY = re.compile(r"^(\d{4})-(\d{2})$")
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class ReferenceDataError(ValueError):
    """A shipped reference list is wrong; the message names the file, line and column."""


def parse_when(value: str | None, end: bool) -> date | None:
    """'2024-25' (a financial year), '2024-08-01' (a day) or '' (open) as a date: a financial
    year's first day for a ``from``, its last day for an ``until`` (``end``)."""
    text = (value or "").strip()
    if not text:
        return None
    m = _FY.match(text)
    if m and (int(m.group(2)) - int(m.group(1)[2:])) % 100 == 1:
        year = int(m.group(1))
        return date(year + 1, 3, 31) if end else date(year, 4, 1)
    if _DAY.match(text):
        try:
            return date.fromisoformat(text)
        except ValueError:
            pass
    raise ValueError(f"'{text}' is not a financial year like 2024-25 or a day like 2024-08-01")


def period_dates(period: str | None) -> tuple[date, date] | None:
    """The first and last day a report's period covers: '2023-24' is April 2023 to March 2024,
    '2023' the calendar year; None when the period is missing or not of those shapes."""
    text = (period or "").strip()
    m = _FY.match(text)
    if m and (int(m.group(2)) - int(m.group(1)[2:])) % 100 == 1:
        year = int(m.group(1))
        return date(year, 4, 1), date(year + 1, 3, 31)
    if re.fullmatch(r"\d{4}", text):
        return date(int(text), 1, 1), date(int(text), 12, 31)
    return None


def span_text(start: date | None, until: date | None) -> str:
    """'from 1 September 2019 to 31 July 2024', 'until 31 March 2025', 'from 1 August 2024'."""
    def day(d: date) -> str:
        return f"{d.day} {d:%B %Y}"
    if start and until:
        return f"from {day(start)} to {day(until)}"
    if start:
        return f"from {day(start)}"
    if until:
        return f"until {day(until)}"
    return "with no dates"


def _split(value) -> tuple[str, ...]:
    if isinstance(value, (tuple, list)):
        return tuple(value)
    return tuple(v.strip() for v in (value or "").split(";") if v.strip())


class PartnershipRow(BaseModel):
    """One row of safeguarding_partnerships.csv: a partnership and its areas over one span."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    name: str = Field(min_length=1)
    short_names: tuple[str, ...] = ()
    areas: tuple[str, ...] = Field(min_length=1)
    start: date | None = Field(None, alias="from")
    until: date | None = None

    @field_validator("name", mode="before")
    @classmethod
    def _name(cls, v):
        return (v or "").strip()

    @field_validator("short_names", mode="before")
    @classmethod
    def _short(cls, v):
        return _split(v)

    @field_validator("areas", mode="before")
    @classmethod
    def _areas(cls, v, info: ValidationInfo):
        areas = _split(v)
        known = (info.context or {}).get("areas")
        if known is not None:
            unknown = [a for a in areas if a not in known]
            if unknown:
                raise ValueError(f"{', '.join(repr(a) for a in unknown)} not in local_authorities.csv "
                                 "(write the area's name as that list does)")
        if len(set(areas)) != len(areas):
            raise ValueError("an area is listed twice")
        return areas

    @field_validator("start", mode="before")
    @classmethod
    def _start(cls, v):
        return parse_when(v, end=False) if not isinstance(v, date) else v

    @field_validator("until", mode="before")
    @classmethod
    def _until(cls, v):
        return parse_when(v, end=True) if not isinstance(v, date) else v

    @model_validator(mode="after")
    def _order(self):
        if self.start and self.until and self.start > self.until:
            raise ValueError(f"from ({self.start}) is after until ({self.until})")
        return self


_COLUMN = {"start": "from", "until": "until", "name": "name", "short_names": "short_names", "areas": "areas"}


def _messages(exc: ValidationError) -> list[tuple[str, str]]:
    out = []
    for err in exc.errors():
        loc = [str(p) for p in err.get("loc", ())]
        column = _COLUMN.get(loc[0], loc[0]) if loc else ""
        msg = err.get("msg", "").removeprefix("Value error, ")
        if err.get("type") == "extra_forbidden":
            msg = f"not a column of this list (its columns: {', '.join(COLUMNS)})"
        elif err.get("type") == "missing":
            msg = "missing"
        elif err.get("type") == "too_short" and column == "areas":
            msg = "empty: a partnership covers at least one area"
        elif err.get("type") == "string_too_short":
            msg = "empty"
        if not column and "from (" in msg:
            column = "from/until"
        out.append((column, msg))
    return out


def parse_rows(text: str, filename: str, areas: Iterable[str] | None = None) -> list[tuple[int, PartnershipRow]]:
    """The valid rows of a partnerships CSV with their line numbers; ReferenceDataError naming
    every wrong row (file, line, partnership, column) and every area two rows claim on one day."""
    known = frozenset(areas) if areas is not None else None
    lines = [(n, line) for n, line in enumerate(text.splitlines(), start=1)
             if line.strip() and not line.startswith("#")]
    if not lines:
        raise ReferenceDataError(f"{filename}: no header line (expected: {','.join(COLUMNS)})")
    header = next(csv.reader([lines[0][1]]))
    problems: list[str] = []
    rows: list[tuple[int, PartnershipRow]] = []
    for (n, line), values in zip(lines[1:], csv.reader(line for _, line in lines[1:])):
        raw = dict(zip(header, values))
        if len(values) > len(header):
            raw["(values past the last column)"] = ";".join(values[len(header):])
        name = (raw.get("name") or "").strip() or "row"
        try:
            rows.append((n, PartnershipRow.model_validate(raw, context={"areas": known})))
        except ValidationError as exc:
            problems += [f"{filename}, line {n} ({name}), column {col}: {msg}" for col, msg in _messages(exc)]
    problems += _overlaps(rows, filename)
    if problems:
        raise ReferenceDataError("\n".join(problems))
    return rows


def _overlaps(rows: list[tuple[int, PartnershipRow]], filename: str) -> list[str]:
    """One area in two partnerships on the same day."""
    out = []
    by_area: dict[str, list[tuple[int, PartnershipRow]]] = {}
    for n, row in rows:
        for a in row.areas:
            by_area.setdefault(a, []).append((n, row))
    for area, held in by_area.items():
        held.sort(key=lambda t: (t[1].start or date.min, t[0]))
        for (n1, r1), (n2, r2) in pairwise(held):
            if r1.until is None or r2.start is None or r1.until >= r2.start:
                out.append(f"{filename}, line {n2} ({r2.name}), column areas: {area} is already in {r1.name} "
                           f"(line {n1}, {span_text(r1.start, r1.until)}) while this row runs "
                           f"{span_text(r2.start, r2.until)}; an area is in one partnership on any day "
                           "(end the earlier row's until before this row's from)")
    return out


def gaps(spans: list[tuple[date | None, date | None]]) -> list[tuple[date | None, date | None]]:
    """The spans (from, until) no given span covers, given spans that do not overlap."""
    out: list[tuple[date | None, date | None]] = []
    cursor: date | None = None  # the first day not yet covered; None = the beginning of time
    open_start = True
    for start, until in sorted(spans, key=lambda s: s[0] or date.min):
        if start is not None and (open_start or (cursor is not None and cursor < start)):
            out.append((cursor, start - timedelta(days=1)))
        if until is None:
            return out
        cursor, open_start = until + timedelta(days=1), False
    out.append((cursor, None))
    return out
