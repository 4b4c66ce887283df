"""Multi-agency case audits: a themed audit of a sample of cases known only by pseudonymous
references; each agency grades its work on each case and writes its findings; a concern that
needs action now is flagged. References have one strict shape; names, dates and other personal
details in the text are refused by ``masa.checks.personal``."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date
from typing import Literal

from pydantic import Field, field_validator, model_validator

from .common import Strict
from .reviews import LONG, SHORT, Action, check_dates, checked_text, published_text

GRADES = {"outstanding": "Outstanding", "good": "Good", "requires-improvement": "Requires improvement",
          "inadequate": "Inadequate"}
# A reference is the audit's own prefix, a hyphen and a number (NEG-01): no shape a date of
# birth, initials or a name fits, and it is always safe in a web address.
REF = re.compile(r"^[A-Z]{2,5}-\d{1,3}$")
MAX_CASES = 300


class Case(Strict):
    ref: str = Field(min_length=1)

    @field_validator("ref")
    @classmethod
    def _pseudonymous(cls, v: str) -> str:
        typed = v.strip()
        v = typed.upper()
        if not REF.match(v):
            shown = typed if len(typed) <= 20 else typed[:20] + "..."
            raise ValueError(f"case reference {shown!r} is not in the shape PREFIX-number, such as NEG-01 "
                             "(2 to 5 letters, a hyphen, 1 to 3 digits): use the pseudonymous reference only")
        return v


class AuditForm(Strict):
    """One agency's audit of its work on one case."""

    case: str
    partner: str = Field(min_length=1)
    grade: Literal["outstanding", "good", "requires-improvement", "inadequate"]
    findings: published_text("the findings") = Field(min_length=1)
    immediate_concern: bool = False
    concern: published_text("what must be done now") = ""

    @model_validator(mode="after")
    def _concern_said(self):
        if self.immediate_concern and not self.concern.strip():
            raise ValueError("an immediate concern needs a few words on what must be done now")
        return self


class CaseAudit(Strict):
    code: str = Field(min_length=1, max_length=40, pattern=r"^[a-z0-9][a-z0-9-]*$")
    theme: published_text("the theme", SHORT) = Field(min_length=1)
    held: date
    sample: list[Case] = []
    forms: list[AuditForm] = []
    themes: list[str] = []  # what the audit found across cases, in the business unit's words
    actions: list[Action] = []

    @field_validator("themes")
    @classmethod
    def _themes(cls, v: list[str]) -> list[str]:
        return [checked_text(t, "a finding across cases", LONG) for t in v]

    @field_validator("held")
    @classmethod
    def _held(cls, v: date) -> date:
        if v.year < 2000:
            raise ValueError(f"the audit's date, {v:%d %B %Y}, is before 2000: check the year")
        return v

    @model_validator(mode="after")
    def _forms_fit(self):
        refs = [c.ref for c in self.sample]
        if len(refs) > MAX_CASES:
            raise ValueError(f"audit {self.code}: {len(refs)} case references; an audit holds at most {MAX_CASES}")
        if len(set(refs)) != len(refs):
            raise ValueError(f"audit {self.code}: a case reference is listed twice")
        prefixes = sorted({r.split("-")[0] for r in refs})
        if len(prefixes) > 1:
            raise ValueError(f"audit {self.code}: every case reference starts with the audit's one prefix, "
                             f"but these use {', '.join(prefixes)}")
        seen = set()
        for f in self.forms:
            if f.case not in refs:
                raise ValueError(f"audit {self.code}: form for case {f.case}, which is not in the sample")
            if (f.case, f.partner) in seen:
                raise ValueError(f"audit {self.code}: {f.partner} has two forms for case {f.case}")
            seen.add((f.case, f.partner))
        for a in self.actions:
            check_dates(a, self.held, "the audit was held")
        return self


class Summary(Strict):
    code: str
    theme: str
    held: date
    cases: int
    forms: int
    grades: dict[str, int]
    concerns: int
    themes: list[str]
    actions: int


def summary(audit: CaseAudit) -> Summary:
    counts = Counter(f.grade for f in audit.forms)
    return Summary(code=audit.code, theme=audit.theme, held=audit.held, cases=len(audit.sample),
                   forms=len(audit.forms), grades={g: counts.get(g, 0) for g in GRADES},
                   concerns=sum(1 for f in audit.forms if f.immediate_concern), themes=audit.themes,
                   actions=len(audit.actions))
