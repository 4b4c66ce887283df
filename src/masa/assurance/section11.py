"""Section 11 (Children Act 2004) self-assessment: standards, one assessment per partner per
period, business-unit moderation, carry-forward into the next cycle, the heatmap and its export.

Plain Python, no Django: the web app (masa.web.section11) stores what this module validates,
and the report block (masa.report.section11_block) counts what it returns. A partner serving
several partnerships answers once per period; each partnership moderates the same answers.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from masa.report.safe_cells import csv_bytes, xlsx_bytes

RAG = ("red", "amber", "green")
RAG_ORDER = {"red": 0, "amber": 1, "green": 2}
ACTION_STATUSES = ("open", "in-progress", "done", "dropped")
FINISHED = ("done", "dropped")
VERDICTS = ("agree", "challenge")
SHIPPED = Path(__file__).with_name("section11_standards.yaml")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Standard(Strict):
    code: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    title: str = Field(min_length=1)
    duty: str = Field(min_length=1)
    prompts: list[str] = Field(default_factory=list)


class StandardSet(Strict):
    """The standards a cycle is answered against; configurable, masa ships one (SHIPPED)."""

    code: str = Field(min_length=1)
    name: str = Field(min_length=1)
    standards: list[Standard] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique(self):
        codes = [s.code for s in self.standards]
        dupes = sorted({c for c in codes if codes.count(c) > 1})
        if dupes:
            raise ValueError(f"standard code(s) used twice: {', '.join(dupes)}")
        return self

    def standard(self, code: str) -> Standard:
        for s in self.standards:
            if s.code == code:
                return s
        raise KeyError(code)


def shipped_standards() -> StandardSet:
    return load_standards(SHIPPED)


def load_standards(path: Path) -> StandardSet:
    return StandardSet.model_validate(yaml.safe_load(Path(path).read_text(encoding="utf-8")))


class ActionItem(Strict):
    """One step of a partner's action plan. ``id`` stays the same in every cycle it is carried into."""

    id: str = Field(min_length=1)
    text: str = Field(min_length=1)
    owner: str
    due: date
    status: Literal["open", "in-progress", "done", "dropped"] = "open"
    raised: str = ""  # the period it was first raised in
    carried: bool = False  # brought in from the previous cycle

    @field_validator("owner")
    @classmethod
    def _owner(cls, v: str) -> str:
        if not v.strip():
            raise ValueError("an action needs an owner: the person or role who will do it")
        return v.strip()

    @property
    def is_open(self) -> bool:
        return self.status not in FINISHED


class Response(Strict):
    """The partner's answer to one partnership's challenge: the answer revised, or the rating
    kept with a written reason. The business unit then moderates again."""

    kind: Literal["revised", "kept"]
    reason: str = ""
    by: str = ""

    @model_validator(mode="after")
    def _reason(self):
        self.reason = self.reason.strip()
        if self.kind == "kept" and not self.reason:
            raise ValueError("give your reason for keeping the rating")
        return self


class Moderation(Strict):
    """The business unit's view of one rating, in one partnership, and the partner's response
    to it if it was a challenge. A new moderation by that partnership replaces it."""

    partnership: str = Field(min_length=1)
    verdict: Literal["agree", "challenge"]
    reason: str
    by: str = ""
    response: Response | None = None

    @property
    def open_challenge(self) -> bool:
        return self.verdict == "challenge" and self.response is None

    @field_validator("reason")
    @classmethod
    def _reason(cls, v: str) -> str:
        if not v.strip():
            raise ValueError("give a reason for agreeing or challenging the rating")
        return v.strip()


class Answer(Strict):
    standard: str
    rating: Literal["red", "amber", "green"] | None = None
    evidence: str = ""
    previous_rating: Literal["red", "amber", "green"] | None = None  # last cycle's, shown beside
    actions: list[ActionItem] = Field(default_factory=list)
    moderation: list[Moderation] = Field(default_factory=list)

    def moderation_in(self, partnership: str) -> Moderation | None:
        return next((m for m in self.moderation if m.partnership == partnership), None)

    def open_challenges(self) -> list[Moderation]:
        return [m for m in self.moderation if m.open_challenge]


class Assessment(Strict):
    partner: str = Field(min_length=1)
    period: str = Field(min_length=1)
    status: Literal["draft", "submitted"] = "draft"
    answers: list[Answer] = Field(default_factory=list)

    def answer(self, standard: str) -> Answer | None:
        return next((a for a in self.answers if a.standard == standard), None)

    def challenged(self) -> list[str]:
        """The standards with a challenge the partner has not yet answered (any partnership)."""
        return [a.standard for a in self.answers if a.open_challenges()]


class Cycle(Strict):
    """A loadable file: one period's assessments (the example's assurance/section11/*.yaml)."""

    period: str
    assessments: list[Assessment]


def rating_problem(value) -> str | None:
    """Why ``value`` is not a RAG rating, or None."""
    if value in RAG:
        return None
    return f"{value!r} is not a rating: choose red, amber or green"


def due_problem(due: date, period_start: date) -> str | None:
    if due < period_start:
        return (f"the due date {due:%d/%m/%Y} is before the assessment period starts "
                f"({period_start:%d/%m/%Y}): give a date from then on")
    return None


def problems(assessment: Assessment, standards: StandardSet, period_start: date, *, submitting: bool = False
             ) -> list[tuple[str, str]]:
    """(where, what) for every rule an assessment breaks; the pydantic model has already checked types."""
    out: list[tuple[str, str]] = []
    known = {s.code for s in standards.standards}
    for a in assessment.answers:
        if a.standard not in known:
            out.append((a.standard, f"{a.standard!r} is not one of the standards of {standards.name}"))
        for x in a.actions:
            p = due_problem(x.due, period_start)
            if p and not x.carried:
                out.append((f"{a.standard}.{x.id}", p))
    if submitting:
        answered = {a.standard for a in assessment.answers if a.rating}
        for s in standards.standards:
            if s.code not in answered:
                out.append((s.code, f"{s.title}: choose red, amber or green before submitting"))
    return out


def respond(assessment: Assessment, responses: dict[str, Response], revised: dict[str, Answer]
            ) -> Assessment:
    """The assessment after the partner answers every open challenge: ``responses`` per
    challenged standard, ``revised`` the new answer where the kind is "revised". A revised
    answer drops other partnerships' earlier verdicts on it (they moderated what is no longer
    there); a kept rating leaves them. Raises ValueError naming a challenge left unanswered."""
    if assessment.status != "submitted":
        raise ValueError("only a submitted assessment's challenges can be answered")
    missing = [c for c in assessment.challenged() if c not in responses]
    if missing:
        raise ValueError(f"answer the challenge on {', '.join(missing)} before resubmitting")
    answers = []
    for ans in assessment.answers:
        r = responses.get(ans.standard)
        if r is None or not ans.open_challenges():
            answers.append(ans)
            continue
        answered = [m.model_copy(update={"response": r}) for m in ans.moderation if m.open_challenge]
        if r.kind == "revised":
            new = revised[ans.standard]
            answers.append(ans.model_copy(update={"rating": new.rating, "evidence": new.evidence,
                                                  "actions": new.actions, "moderation": answered}))
        else:
            others = [m for m in ans.moderation if not m.open_challenge]
            answers.append(ans.model_copy(update={"moderation": others + answered}))
    return assessment.model_copy(update={"answers": answers})


def next_action_id(partner: str, taken: set[str]) -> str:
    n = 1
    while f"{partner}-s11-{n}" in taken:
        n += 1
    return f"{partner}-s11-{n}"


def carry_forward(previous: Assessment, period: str, standards: StandardSet) -> Assessment:
    """The next cycle's draft: every standard, last cycle's rating shown beside an empty one,
    and the open actions carried with their ids (finished ones stay in the earlier cycle)."""
    answers = []
    for s in standards.standards:
        old = previous.answer(s.code)
        carried = [x.model_copy(update={"carried": True, "raised": x.raised or previous.period})
                   for x in (old.actions if old else []) if x.is_open]
        answers.append(Answer(standard=s.code, previous_rating=old.rating if old else None, actions=carried))
    return Assessment(partner=previous.partner, period=period, answers=answers)


def fresh(partner: str, period: str, standards: StandardSet) -> Assessment:
    return Assessment(partner=partner, period=period, answers=[Answer(standard=s.code) for s in standards.standards])


# --- heatmap ---------------------------------------------------------------------------------

CHANGE_WORDS = {"up": "improved", "down": "worse", "same": "no change", "new": "first rating", "": ""}


def change(before: str | None, now: str | None) -> str:
    """"up", "down", "same", "new" (rated now, not before) or "" (not rated now)."""
    if now is None:
        return ""
    if before is None:
        return "new"
    diff = RAG_ORDER[now] - RAG_ORDER[before]
    return "up" if diff > 0 else "down" if diff < 0 else "same"


class Cell(Strict):
    partner: str
    standard: str
    rating: str | None
    before: str | None
    change: str
    moderation: str = ""  # this partnership's verdict, if any


class Heatmap(Strict):
    period: str
    previous: str | None
    partners: list[tuple[str, str]]  # (code, name)
    standards: list[tuple[str, str]]  # (code, title)
    cells: list[Cell]

    def cell(self, partner: str, standard: str) -> Cell:
        return next(c for c in self.cells if c.partner == partner and c.standard == standard)

    def rows(self) -> list[tuple[str, list[Cell]]]:
        return [(name, [self.cell(code, s) for s, _ in self.standards]) for code, name in self.partners]


def heatmap(partners: list[tuple[str, str]], standards: StandardSet, period: str, current: list[Assessment],
            previous: list[Assessment], previous_period: str | None, partnership: str = "") -> Heatmap:
    """Partners × standards for ``period``, with the change since ``previous_period``'s ratings.
    Only submitted assessments count: a draft's ratings are the partner's work in progress."""
    now = {a.partner: a for a in current if a.status == "submitted"}
    then = {a.partner: a for a in previous if a.status == "submitted"}
    cells = []
    for code, _ in partners:
        for s in standards.standards:
            a = now.get(code) and now[code].answer(s.code)
            b = then.get(code) and then[code].answer(s.code)
            rating, before = (a.rating if a else None), (b.rating if b else None)
            m = a.moderation_in(partnership) if a and partnership else None
            cells.append(Cell(partner=code, standard=s.code, rating=rating, before=before,
                              change=change(before, rating), moderation=m.verdict if m else ""))
    return Heatmap(period=period, previous=previous_period, partners=partners,
                   standards=[(s.code, s.title) for s in standards.standards], cells=cells)


EXPORT_HEADER = ["partner", "standard", "rating", "previous_rating", "change", "moderation"]


def export_rows(h: Heatmap) -> list[list[str]]:
    names = dict(h.partners)
    titles = dict(h.standards)
    return [EXPORT_HEADER] + [[names[c.partner], titles[c.standard], c.rating or "", c.before or "",
                               CHANGE_WORDS[c.change], c.moderation] for c in h.cells]


def to_csv(rows: list[list]) -> bytes:
    """Formula cells neutralised (``masa.report.safe_cells``)."""
    return csv_bytes(rows)


def to_xlsx(rows: list[list], title: str = "Section 11 heatmap") -> bytes:
    return xlsx_bytes(rows, title)


# --- counts for the yearly report -------------------------------------------------------------

def rag_counts(assessments: list[Assessment], standards: StandardSet) -> dict[str, dict[str, int]]:
    """standard -> {red, amber, green} counts over submitted assessments."""
    out = {s.code: {r: 0 for r in RAG} for s in standards.standards}
    for a in assessments:
        if a.status != "submitted":
            continue
        for ans in a.answers:
            if ans.standard in out and ans.rating:
                out[ans.standard][ans.rating] += 1
    return out


def open_actions(assessments: list[Assessment]) -> int:
    return sum(1 for a in assessments for ans in a.answers for x in ans.actions if x.is_open)
