"""Multi-agency case audits: a themed audit of a sample of cases known only by pseudonymous
references; each agency grades its work on each case and writes its findings; a concern that
needs action now is flagged. Names and dates of birth are refused, by the same privacy checks
that read every published narrative (``masa.checks.privacy``)."""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Literal

from pydantic import Field, field_validator, model_validator

from .common import Strict
from .reviews import Action

GRADES = {"outstanding": "Outstanding", "good": "Good", "requires-improvement": "Requires improvement",
          "inadequate": "Inadequate"}
PRIVACY_CHECKS = ("privacy.name", "privacy.identifier", "privacy.age")


def personal_details(text: str, *, reference: bool = False) -> list[str]:
    """What in ``text`` looks like a name, a date of birth or another identifier, in the
    narrative checks' words. A reference is also read as "born <reference>" and with its
    hyphens as spaces, so "2014-03-03" and "Oliver-Brandreth" are caught as a date and a name."""
    from masa.checks.documents import build_ctx
    from masa.checks.registry import run_checks

    texts = [text]
    out: list[str] = []
    if reference:
        spaced = text.replace("-", " ").replace("_", " ")
        texts += [f"Case study: born {text}.", f"Case study: born {text.replace('-', '/')}.",
                  f"Case study: {spaced} was seen."]
        try:
            date.fromisoformat(text.strip())
            out.append("a date, which may be a date of birth: remove it.")
        except ValueError:
            pass
    for i, t in enumerate(texts):
        for f in run_checks(build_ctx([(f"text{i}", t)]), PRIVACY_CHECKS):
            if f.severity != "crashed" and f.message not in out:
                out.append(f.message)
    return out


class Case(Strict):
    ref: str = Field(min_length=1, max_length=20)

    @field_validator("ref")
    @classmethod
    def _pseudonymous(cls, v: str) -> str:
        v = v.strip()
        found = personal_details(v, reference=True)
        if found:
            raise ValueError(f"case reference {v!r} looks like a name or a date of birth ({found[0]}) "
                             "use the pseudonymous reference only, such as NEG-01")
        return v


class AuditForm(Strict):
    """One agency's audit of its work on one case."""

    case: str
    partner: str = Field(min_length=1)
    grade: Literal["outstanding", "good", "requires-improvement", "inadequate"]
    findings: str = Field(min_length=1)
    immediate_concern: bool = False
    concern: str = ""

    @field_validator("findings", "concern")
    @classmethod
    def _no_identifiers(cls, v: str) -> str:
        found = personal_details(v) if v.strip() else []
        if found:
            raise ValueError(f"the text identifies someone: {found[0]}")
        return v

    @model_validator(mode="after")
    def _concern_said(self):
        if self.immediate_concern and not self.concern.strip():
            raise ValueError("an immediate concern needs a few words on what must be done now")
        return self


class CaseAudit(Strict):
    code: str = Field(min_length=1, max_length=40, pattern=r"^[a-z0-9][a-z0-9-]*$")
    theme: str = Field(min_length=1)
    held: date
    sample: list[Case] = []
    forms: list[AuditForm] = []
    themes: list[str] = []  # what the audit found across cases, in the business unit's words
    actions: list[Action] = []

    @model_validator(mode="after")
    def _forms_fit(self):
        refs = [c.ref for c in self.sample]
        if len(set(refs)) != len(refs):
            raise ValueError(f"audit {self.code}: a case reference is listed twice")
        seen = set()
        for f in self.forms:
            if f.case not in refs:
                raise ValueError(f"audit {self.code}: form for case {f.case}, which is not in the sample")
            if (f.case, f.partner) in seen:
                raise ValueError(f"audit {self.code}: {f.partner} has two forms for case {f.case}")
            seen.add((f.case, f.partner))
        for a in self.actions:
            if a.due < self.held:
                raise ValueError(f"action {a.id} is due before the audit was held ({self.held:%d %B %Y})")
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
