"""The learning-review register: rapid reviews, local child safeguarding practice reviews and
national panel reviews the partnership adopts; their recommendations; and the actions taken on
them, which may run over several years. An action needs an owner and cannot fall due before
its review began; whether it is overdue is worked out against a given day, never stored."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, field_validator, model_validator

from masa.checks.personal import personal_details

from .common import FINISHED, Strict, year_bounds

EARLIEST = date(2000, 1, 1)  # no review, audit or action in masa's register began before this
LONG, SHORT = 4000, 300  # characters: a statement or finding; a title, owner or recommendation line


def checked_text(v: str, what: str, limit: int = LONG) -> str:
    """Free text the report may publish: within ``limit`` characters and free of personal
    details (``masa.checks.personal``), else refused with the reason in words."""
    if len(v) > limit:
        raise ValueError(f"{what} is {len(v):,} characters long: keep it to {limit:,}")
    found = personal_details(v) if v.strip() else []
    if found:
        raise ValueError(f"{what} may identify someone, and it may be published: {found[0]}")
    return v


def published_text(what: str, limit: int = LONG):
    """A text field the report may publish, checked by ``checked_text`` as ``what``: one
    declaration per field instead of a validator method each."""
    return Annotated[str, AfterValidator(lambda v: checked_text(v, what, limit))]


KINDS = {"rapid-review": "Rapid review", "local-cspr": "Local child safeguarding practice review",
         "national-panel": "National panel review (adopted)"}


class Action(Strict):
    """One thing someone will do. ``partner``: the agency answerable for it (its people may
    update it); ``owner``: the role or team that does it."""

    id: str = Field(min_length=1, max_length=40)
    text: published_text("the action") = Field(min_length=1)
    owner: str
    partner: str = ""
    due: date
    status: Literal["open", "in-progress", "done", "dropped"] = "open"
    completed: date | None = None
    evidence: published_text("the evidence") = ""
    impact: published_text("the impact statement") = ""

    @field_validator("owner")
    @classmethod
    def _owner(cls, v: str) -> str:
        if not v.strip():
            raise ValueError("an action needs an owner: the role or team that will do it")
        return checked_text(v.strip(), "the owner (a role or team, not a person's name)", SHORT)


    @model_validator(mode="after")
    def _done(self):
        if self.status == "done" and self.completed is None:
            raise ValueError(f"action {self.id} is done: give the date it was completed")
        if self.completed and self.completed > date.today():
            raise ValueError(f"action {self.id}: completed on {self.completed:%d %B %Y}, which is in the future: "
                             "give the day it was done")
        return self

    def overdue(self, on: date) -> bool:
        return self.status not in FINISHED and self.due < on


class Recommendation(Strict):
    id: str = Field(min_length=1, max_length=40)
    text: published_text("the recommendation") = Field(min_length=1)
    actions: list[Action] = []


class Review(Strict):
    """``started``: the rapid review's meeting, the practice review's commissioning, or the day
    a national review was adopted; ``published``: when its report came out, if it has."""

    code: str = Field(min_length=1, max_length=40, pattern=r"^[a-z0-9][a-z0-9-]*$")
    kind: Literal["rapid-review", "local-cspr", "national-panel"]
    title: published_text("the title", SHORT) = Field(min_length=1)
    started: date
    published: date | None = None
    recommendations: list[Recommendation] = []

    @field_validator("started")
    @classmethod
    def _started(cls, v: date) -> date:
        if v < EARLIEST:
            raise ValueError(f"the review's date, {v:%d %B %Y}, is before {EARLIEST.year}: check the year")
        return v

    @model_validator(mode="after")
    def _dates(self):
        if self.published and self.published < self.started:
            raise ValueError(f"review {self.code}: published on {self.published} before it started on {self.started}")
        for rec in self.recommendations:
            for a in rec.actions:
                check_due(self, a)
        return self

    def actions(self) -> list[Action]:
        return [a for r in self.recommendations for a in r.actions]


def check_due(review: Review, action: Action) -> None:
    check_dates(action, review.started, "the review started")


def check_dates(action: Action, start: date, what: str) -> None:
    """An action can neither fall due nor be completed before its review began or its audit
    was held (``what`` says which, ``start`` when)."""
    if action.due < start:
        raise ValueError(f"action {action.id} is due on {action.due:%d %B %Y}, before {what} on "
                         f"{start:%d %B %Y}: give a due date on or after it")
    if action.completed and action.completed < start:
        raise ValueError(f"action {action.id}: completed on {action.completed:%d %B %Y}, before {what} on "
                         f"{start:%d %B %Y}: check the date")


class Register(Strict):
    reviews: list[Review] = []

    @model_validator(mode="after")
    def _unique(self):
        seen = set()
        for r in self.reviews:
            if r.code in seen:
                raise ValueError(f"review code {r.code} is used twice")
            seen.add(r.code)
        return self


def overdue(register: Register, on: date) -> list[tuple[Review, Recommendation, Action]]:
    """Actions not done or dropped whose due date is before ``on``."""
    return [(rv, rec, a) for rv in register.reviews for rec in rv.recommendations for a in rec.actions
            if a.overdue(on)]


def year_counts(register: Register, period: str) -> dict[str, int]:
    """What the register shows for one financial year: reviews begun, actions completed in the
    year, actions still open at its end and, of those, overdue then."""
    first, last = year_bounds(period)
    actions = [a for rv in register.reviews if rv.started <= last for a in rv.actions()]
    open_at_end = [a for a in actions if not (a.completed and a.completed <= last) and a.status != "dropped"]
    return {
        "reviews": sum(1 for rv in register.reviews if first <= rv.started <= last),
        "completed": sum(1 for a in actions if a.completed and first <= a.completed <= last),
        "open": len(open_at_end),
        "overdue": sum(1 for a in open_at_end if a.due < last),
    }
