"""The finding record: what a check says, where, and (for arithmetic) what the figure should be.

This schema is stable: the JSON output of ``masa check`` is a list of these, and
docs/checks.md documents every field. Add fields only with defaults; never rename.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

Severity = Literal["error", "query", "info", "crashed"]
Scope = Literal["figure", "narrative", "return", "report", "across-years"]
SEVERITY_ORDER = {"crashed": 0, "error": 1, "query": 2, "info": 3}


class Location(BaseModel):
    """Where a finding points: a file span (documents) or a return and section (stored returns)."""

    model_config = ConfigDict(frozen=True)

    file: str | None = None
    line: int | None = None  # 1-based line of ``start``
    column: int | None = None  # 1-based column of ``start``
    start: int | None = None  # character offset in the file's text (or in the section text)
    end: int | None = None
    section: str | None = None  # partner heading, or a return's section label
    return_key: str | None = None  # "partner/period/template" for stored returns

    def label(self) -> str:
        parts = []
        if self.return_key:
            parts.append(self.return_key)
        if self.file:
            parts.append(f"{self.file}:{self.line}" if self.line else self.file)
        if self.section and not self.file:
            parts.append(self.section)
        return " ".join(parts) or "(whole report)"


class Finding(BaseModel):
    """One problem (or, for severity ``info``, one observation) found by one check."""

    model_config = ConfigDict(frozen=True)

    code: str
    title: str
    severity: Severity
    scope: Scope
    message: str
    partner: str | None = None  # spec partner code when resolved, else the name as written
    period: str | None = None
    quote: str = ""  # exactly text[location.start:location.end]
    location: Location = Location()
    expected: str | None = None  # for arithmetic: how the right value is computed
    expected_value: float | None = None
    related: list[Location] = []  # other places involved (the first copy of a duplicate, ...)


class FileError(BaseModel):
    """A file that could not be checked, and why (one line)."""

    model_config = ConfigDict(frozen=True)

    file: str
    reason: str


class ComplianceItem(BaseModel):
    """One Working Together 2023 yearly-report item: evidenced or not, with quotes."""

    model_config = ConfigDict(frozen=True)

    item: int
    title: str
    evidenced: bool
    evidence: list[Finding] = []  # info findings quoting the evidence


class CheckRun(BaseModel):
    """Everything one run produced: findings sorted by place, per-file errors, WT2023 items."""

    findings: list[Finding] = []
    errors: list[FileError] = []
    files: list[str] = []
    compliance: list[ComplianceItem] = []
    assumed: str = ""  # "Assumed: <partnership> (<areas>) from <where>", printed before the findings

    @property
    def has_errors(self) -> bool:
        return any(f.severity in ("error", "crashed") for f in self.findings)

    def counts(self) -> dict[str, int]:
        out = {s: 0 for s in SEVERITY_ORDER}
        for f in self.findings:
            out[f.severity] += 1
        return out
