"""Independent scrutiny: the scrutineer's plan for a year, recommendations addressed to the
lead partners with each one's response tracked, the statement the yearly report carries, and
the scrutineer's sign-off of that report."""

from __future__ import annotations

from datetime import date

from pydantic import Field, model_validator

from .common import Strict
from .reviews import SHORT, published_text

STATEMENT = 20000  # characters: the statement is the longest text the report carries from here


class PlanItem(Strict):
    text: published_text("a plan item", SHORT) = Field(min_length=1)
    when: str = ""
    done: bool = False


class Response(Strict):
    partner: str = Field(min_length=1)
    text: published_text("the response") = Field(min_length=1)
    given: date


class ScrutinyRecommendation(Strict):
    id: str = Field(min_length=1, max_length=40)
    text: published_text("the recommendation") = Field(min_length=1)
    made: date
    to: list[str] = Field(min_length=1)  # lead partners' codes
    responses: list[Response] = []

    @model_validator(mode="after")
    def _answerers(self):
        for r in self.responses:
            if r.partner not in self.to:
                raise ValueError(f"recommendation {self.id}: {r.partner} answered but it was not addressed to them")
        return self

    def awaiting(self) -> list[str]:
        answered = {r.partner for r in self.responses}
        return [p for p in self.to if p not in answered]


class SignOff(Strict):
    by: str = Field(min_length=1)
    day: date


class Scrutiny(Strict):
    period: str = Field(pattern=r"^\d{4}-\d{2}$")
    plan: list[PlanItem] = []
    recommendations: list[ScrutinyRecommendation] = []
    statement: published_text("the statement", STATEMENT) = ""
    signed_off: SignOff | None = None

    @model_validator(mode="after")
    def _sign_needs_statement(self):
        if self.signed_off and not self.statement.strip():
            raise ValueError(f"{self.period}: the report cannot be signed off before the statement is written")
        return self

    def responded(self) -> tuple[int, int]:
        """(responses given, responses asked for)."""
        asked = sum(len(r.to) for r in self.recommendations)
        return asked - sum(len(r.awaiting()) for r in self.recommendations), asked
