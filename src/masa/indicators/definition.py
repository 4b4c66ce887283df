"""Indicator definitions: declarative YAML, validated strictly, errors naming file and line.

A definition says which extract table it reads (and the columns it expects), which rows
count, what is measured, how it is broken down, and which period logic applies. It is
compiled to portable SQL by :mod:`masa.indicators.compile`.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError, model_validator

from masa.spec.models import Code
from masa.spec.yamlsource import (
    Location,
    SourceDict,
    SourceError,
    SourceList,
    load_yaml,
    locate,
    validation_messages,
)

Name = Annotated[str, StringConstraints(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$", max_length=63)]
ColumnType = Literal["text", "integer", "number", "date", "timestamp", "boolean"]
Scalar = bool | int | float | str

# Columns a definition may use beyond its declared ones, and the derivation that adds them.
AGE = "age"


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Source(Model):
    """The extract table and the columns the definition expects in it."""

    table: Name
    id: Name  # unique record id: duplicates are bad input
    date: Name  # the event date: decides the period, and the age at the event
    person: Name | None = None  # a person identifier, pseudonymised when a key is given
    columns: dict[Name, ColumnType] = Field(min_length=1)
    required: list[Name] = []  # columns that must not be empty (id, date, person always are)
    birth: tuple[Name, Name] | None = None  # (year column, month column) for the age at the event
    date_may_be_empty: bool = False  # e.g. staff who never completed a course: outside every period

    @model_validator(mode="after")
    def _declared(self) -> Source:
        named = [self.id, self.date, *([self.person] if self.person else []), *self.required,
                 *(self.birth or ())]
        for col in named:
            if col not in self.columns:
                raise ValueError(f"column {col!r} is used but not declared under columns")
        if self.columns[self.date] not in ("date", "timestamp"):
            raise ValueError(f"the event date column {self.date!r} must have type date or timestamp")
        for col in self.birth or ():
            if self.columns[col] != "integer":
                raise ValueError(f"birth column {col!r} must have type integer")
        return self

    @property
    def not_null(self) -> list[str]:
        cols = [self.id, *([] if self.date_may_be_empty else [self.date]),
                *([self.person] if self.person else []), *self.required]
        return list(dict.fromkeys(cols))


Op = Literal["=", "!=", "<", "<=", ">", ">=", "in", "not_in", "is_null", "not_null"]


class Filter(Model):
    """``column op value``; the column may be a declared column, ``age`` or a derived flag."""

    column: Name
    op: Op = "="
    value: Scalar | list[Scalar] | None = None

    @model_validator(mode="after")
    def _value_fits(self) -> Filter:
        if self.op in ("in", "not_in"):
            if not isinstance(self.value, list) or not self.value:
                raise ValueError(f"op {self.op!r} needs a non-empty list as value")
        elif self.op in ("is_null", "not_null"):
            if self.value is not None:
                raise ValueError(f"op {self.op!r} takes no value")
        elif self.value is None or isinstance(self.value, list):
            raise ValueError(f"op {self.op!r} needs a single value")
        return self


class RepeatWithin(Model):
    """1 when the same person had an earlier record no more than ``days`` days before."""

    name: Name
    kind: Literal["repeat_within_days"]
    days: int = Field(gt=0)


class WorkingDaysWithin(Model):
    """1 when ``end`` is no more than ``days`` working days (England) after ``start``."""

    name: Name
    kind: Literal["working_days_within"]
    start: Name
    end: Name
    days: int = Field(gt=0)


class HoursWithin(Model):
    """1 when ``end`` happened no later than ``hours`` hours after ``start``."""

    name: Name
    kind: Literal["hours_within"]
    start: Name
    end: Name
    hours: int = Field(gt=0)


Derived = Annotated[RepeatWithin | WorkingDaysWithin | HoursWithin, Field(discriminator="kind")]


class AgeBand(Model):
    option: Code
    min: int | None = Field(default=None, ge=0)
    max: int | None = Field(default=None, ge=0)


class Breakdown(Model):
    """A disaggregation into the options of a spec breakdown (``by``).

    Either a column whose raw values ``map`` to option codes (``options`` is the identity
    map), or ``age_bands`` over the age at the event. A raw value that maps nowhere is bad
    input unless ``other`` names an option for it; an empty value uses ``missing``.

    ``from_areas: true`` takes the map from the partnership's own areas (each area's
    ``ons_code`` -> its code; see ``with_areas``), so one definition serves every partnership;
    a ``map`` stated beside it adds to it (and wins for a code both give)."""

    by: Code
    column: Name | None = None
    from_areas: bool = False
    map: dict[str, Code] = {}
    options: list[Code] = []
    other: Code | None = None
    missing: Code | None = None
    age_bands: list[AgeBand] = []

    @model_validator(mode="after")
    def _one_kind(self) -> Breakdown:
        if bool(self.age_bands) == bool(self.column):
            raise ValueError("a breakdown needs either column (with map or options) or age_bands")
        if self.column and not (self.map or self.options or self.from_areas):
            raise ValueError(f"breakdown {self.by!r}: give map (raw value -> option), options or from_areas")
        if self.from_areas and not self.column:
            raise ValueError(f"breakdown {self.by!r}: from_areas needs the column holding the ONS code")
        if self.age_bands:
            last = -1
            for band in self.age_bands:
                lo = band.min if band.min is not None else 0
                if lo != last + 1:
                    raise ValueError(f"age band {band.option!r} does not start right after the previous band")
                last = band.max if band.max is not None else 10**6
            if last != 10**6:
                raise ValueError("the last age band must have no max, so every age has a band")
        return self

    @property
    def value_map(self) -> dict[str, str]:
        return {**{o: o for o in self.options}, **self.map}

    @property
    def option_codes(self) -> list[str]:
        if self.age_bands:
            return list(dict.fromkeys(b.option for b in self.age_bands))
        extra = [x for x in (self.other, self.missing) if x]
        return list(dict.fromkeys([*self.value_map.values(), *extra]))


class Measure(Model):
    """What is measured over the rows that pass the filters.

    count: rows; distinct: distinct values of ``column``; sum: total of ``column``;
    ratio: rows also passing ``numerator`` over rows (also passing ``denominator``), as a
    percentage; share: each breakdown option's count as a percentage of the total over
    breakdown ``of``; compliance: people whose latest completion of each course (``column``)
    is still in date at the period end (see :mod:`masa.indicators.compile`)."""

    kind: Literal["count", "distinct", "sum", "ratio", "share", "compliance"]
    column: Name | None = None
    numerator: list[Filter] = []
    denominator: list[Filter] = []
    of: Code | None = None
    # compliance
    level: Name | None = None  # the column holding the course level
    completed: Name | None = None  # the completion date column (empty: never completed)
    refresh_years: dict[int, int] = {}  # level -> years a completion stays in date
    default_refresh_years: int = Field(default=3, gt=0)

    @model_validator(mode="after")
    def _fields_for_kind(self) -> Measure:
        need = {"distinct": ["column"], "sum": ["column"], "ratio": ["numerator"], "share": ["of"],
                "compliance": ["column", "level", "completed"]}.get(self.kind, [])
        for name in need:
            if not getattr(self, name):
                raise ValueError(f"measure {self.kind!r} needs {name!r}")
        return self


class Definition(Model):
    id: Code
    version: int = Field(ge=1)
    title: Annotated[str, StringConstraints(min_length=1)]
    description: Annotated[str, StringConstraints(min_length=1)]
    indicator: Code  # the spec indicator the computed values are for
    unit: Literal["count", "percent"]
    source: Source
    derive: list[Derived] = []
    filters: list[Filter] = []
    measure: Measure
    breakdowns: list[Breakdown] = []
    period: Literal["event", "snapshot"] = "event"  # events dated in the period, or state at its end
    threshold: int = Field(default=5, ge=0)  # counts 1..threshold are suppressed
    file: str = Field(default="", exclude=True)

    @model_validator(mode="after")
    def _consistent(self) -> Definition:
        cols = set(self.source.columns)
        usable = cols | {d.name for d in self.derive} | ({AGE} if self.source.birth else set())
        for d in self.derive:
            if d.name in cols:
                raise ValueError(f"derived column {d.name!r} clashes with a declared column")
            if d.kind == "repeat_within_days" and not self.source.person:
                raise ValueError(f"{d.name!r}: repeat_within_days needs source.person")
            for col in (getattr(d, "start", None), getattr(d, "end", None)):
                if col and col not in cols:
                    raise ValueError(f"{d.name!r} uses undeclared column {col!r}")
        for f in [*self.filters, *self.measure.numerator, *self.measure.denominator]:
            if f.column not in usable:
                raise ValueError(f"filter column {f.column!r} is not declared, derived or 'age' "
                                 f"(usable: {', '.join(sorted(usable))})")
        for col in (self.measure.column, self.measure.level, self.measure.completed):
            if col and col not in cols:
                raise ValueError(f"measure column {col!r} is not declared under source.columns")
        seen = set()
        for b in self.breakdowns:
            if b.by in seen:
                raise ValueError(f"breakdown {b.by!r} is given twice")
            seen.add(b.by)
            if b.column and b.column not in cols:
                raise ValueError(f"breakdown {b.by!r} uses undeclared column {b.column!r}")
            if b.age_bands and not self.source.birth:
                raise ValueError(f"breakdown {b.by!r} uses age bands but source.birth is not given")
        if self.measure.kind == "share" and self.measure.of not in seen:
            raise ValueError(f"share of {self.measure.of!r}, which is not one of the breakdowns")
        percent_kinds = {"ratio", "share", "compliance"}
        if (self.measure.kind in percent_kinds) != (self.unit == "percent"):
            raise ValueError(f"measure {self.measure.kind!r} gives unit "
                             f"{'percent' if self.measure.kind in percent_kinds else 'count'}, not {self.unit!r}")
        if (self.period == "snapshot") != (self.measure.kind == "compliance"):
            raise ValueError("period 'snapshot' goes with measure 'compliance', and only with it")
        if self.measure.kind == "compliance" and not self.source.person:
            raise ValueError("compliance needs source.person (the member of staff)")
        return self

    @property
    def ref(self) -> str:
        return f"{self.id}@{self.version}"


class DefinitionError(SourceError):
    """Problems in definition files; ``problems`` lists each with its location."""

    def __init__(self, problems: list[tuple[Location, str]]):
        self.problems = problems
        super().__init__("\n".join(f"{loc}: {msg}" for loc, msg in problems))


def _clean_loc(loc: tuple) -> tuple:
    # Drop pydantic's union tags (e.g. 'repeat_within_days') so locate() can follow the path.
    return tuple(p for p in loc if not (isinstance(p, str) and p in {
        "repeat_within_days", "working_days_within", "hours_within"}))


def parse_definition(raw, file: str) -> Definition:
    if not isinstance(raw, SourceDict):
        raise DefinitionError([(Location(file, 1), "a definition file must be a mapping")])
    try:
        return Definition.model_validate({**raw, "file": file})
    except ValidationError as exc:
        raise DefinitionError([(locate(raw, _clean_loc(loc), file), msg)
                               for loc, msg in validation_messages(exc)]) from None


def load_definitions(path: str | Path) -> list[Definition]:
    """Load one definition file, or every ``*.yaml`` in a folder (sorted); ids must be unique.

    A file may hold one definition (a mapping) or several (a list of mappings)."""
    path = Path(path)
    if path.is_dir():
        files = sorted([*path.glob("*.yaml"), *path.glob("*.yml")])
        if not files:
            raise DefinitionError([(Location(str(path)), "no .yaml definition files in this folder")])
    elif path.exists():
        files = [path]
    else:
        raise DefinitionError([(Location(str(path)), "no such file or folder")])
    out: list[Definition] = []
    problems: list[tuple[Location, str]] = []
    seen: dict[str, str] = {}
    for f in files:
        try:
            raw = load_yaml(f)
        except SourceError as exc:  # YAML syntax, a control character, not UTF-8: file and line
            problems.append((exc.location or Location(str(f)), exc.message))
            continue
        items = list(raw) if isinstance(raw, SourceList) else [raw]
        for item in items:
            try:
                d = parse_definition(item, str(f))
            except DefinitionError as exc:
                problems += exc.problems
                continue
            if d.id in seen:
                line = getattr(item, "key_lines", {}).get("id")
                problems.append((Location(str(f), line, "id"), f"definition {d.id!r} is already defined in {seen[d.id]}"))
                continue
            seen[d.id] = str(f)
            out.append(d)
    if problems:
        raise DefinitionError(problems)
    return out


def area_map(spec) -> dict[str, str]:
    """ONS code -> area code for every area of the spec that has an ONS code (the partnership's
    own and any other a partner covers, as Luton's fire service covers Bedfordshire)."""
    return {a.ons_code: a.code for a in spec.areas if a.ons_code}


def with_areas(definitions: list[Definition], areas: Mapping[str, str]) -> list[Definition]:
    """The definitions with every ``from_areas`` breakdown's map made from ``areas`` (ONS code
    -> area code, e.g. ``area_map(spec)``); a map the definition states is kept and wins."""
    out = []
    for d in definitions:
        if not any(b.from_areas for b in d.breakdowns):
            out.append(d)
            continue
        filled = [b.model_copy(update={"map": {**areas, **b.map}, "from_areas": False})
                  if b.from_areas and (areas or b.map) else b for b in d.breakdowns]
        out.append(d.model_copy(update={"breakdowns": filled}))
    return out


def unresolved_areas(definitions: list[Definition]) -> list[tuple[Location, str]]:
    """A problem for each definition whose area breakdown still waits for the partnership's areas."""
    return [(Location(d.file or d.id), (f"{d.id}: breakdown {b.by!r} takes its areas from the partnership "
                                        "(from_areas); give the partnership's spec, whose areas have ONS codes "
                                        "(masa indicators compute --partnership FOLDER)"))
            for d in definitions for b in d.breakdowns if b.from_areas]


def standard_definitions() -> list[Definition]:
    """The standard set shipped with masa (``masa/indicators/standard``)."""
    return load_definitions(Path(__file__).parent / "standard")
