"""A partner's return, as plain validated data.

This is the contract between the engines: the import engine produces it, the example
files are written in it, the Django layer stores and rebuilds it, and the checks and
report engines read it. Nothing here imports Django.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, model_serializer

from masa.spec.models import Code

SUPPRESSED = "c"  # as masa.disclosure.SUPPRESSED; the data contract must not import an engine
Status = Literal["draft", "submitted", "queried", "resubmitted", "approved", "published"]
PUBLIC_STATUSES = ("approved", "published")  # the only returns a public build or page may read


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


# Priority tags are a set: kept sorted and unique so equal content always hashes the same.
Tags = Annotated[list[Code], AfterValidator(lambda tags: sorted(set(tags)))]
# The areas a part concerns, a set like the tags; empty means "all my areas" (the partner's).
Areas = Annotated[list[Code], AfterValidator(lambda areas: sorted(set(areas)))]


def _without_empty(handler, obj, keys: tuple[str, ...]) -> dict:
    """Dump, leaving out optional carry-forward fields that are empty, so a return written
    before they existed dumps (and hashes) exactly as it did."""
    data = handler(obj)
    for k in keys:
        if k in data and not data[k]:
            del data[k]
    return data


class AreaPart(BaseModel):
    """A part of a return that says which of the partner's areas it concerns (``areas``; empty:
    all of them). A partnership's view of the return keeps only the parts about its areas
    (:func:`masa.returns.scope.scope_return`). Empty is left out of the dump, so a return
    written before parts had areas dumps and hashes as it did."""

    model_config = ConfigDict(extra="forbid")
    areas: Areas = []

    @model_serializer(mode="wrap")
    def _dump(self, handler):
        return _without_empty(handler, self, ("areas",))


class Provenance(Model):
    """Where a figure came from: typed by a person, imported from a file, or computed."""

    kind: Literal["typed", "imported", "computed"] = "typed"
    source: str = ""  # file name, or "report 2024-25 page 3", or the extract
    definition: str = ""  # indicator definition id@version, for computed values
    sha256: str = ""
    rows: int | None = None
    quarantined: int | None = None
    computed_at: datetime | None = None
    sentence: str = ""  # the sentence a figure was read from, when imported from prose


class DataValue(Model):
    """indicator × breakdown options × period → number, for one partner."""

    indicator: Code
    period: str | None = None  # defaults to the return's period
    by: dict[str, str] = {}  # breakdown code -> option code, e.g. {"area": "luton", "sex": "female"}
    value: float | None  # None: not recorded
    note: str = ""
    provenance: Provenance = Provenance()
    # For a figure with no area in ``by`` (the partner as a whole, e.g. its staff's training):
    # the areas whose partnerships' reports show it. Empty: only a partnership that covers every
    # one of the partner's areas (masa.returns.scope.figure_in_scope).
    areas: Areas = []

    @model_serializer(mode="wrap")
    def _dump(self, handler):
        return _without_empty(handler, self, ("areas",))

    def key(self, partner: str, default_period: str) -> tuple:
        return (self.indicator, partner, self.period or default_period, tuple(sorted(self.by.items())))

    @classmethod
    def published(cls, value, **fields) -> "DataValue":
        """A figure after disclosure control: a suppressed one ("c") travels as no value with
        the note "c", so the count itself never leaves the machine that suppressed it."""
        if value == SUPPRESSED:
            return cls(value=None, note=SUPPRESSED, **fields)
        return cls(value=value, **fields)

    @property
    def suppressed(self) -> bool:
        """Suppressed before it reached us: nobody downstream knows the count."""
        return self.value is None and self.note.strip() == SUPPRESSED


class SectionAnswer(AreaPart):
    section: Code  # template section code
    heading: str = ""  # a sub-heading within the section, e.g. "Neglect: what worked well"
    priorities: Tags = []
    text: str  # markdown


class Action(Model):
    id: str = ""  # stable across years once carried; empty: derived by masa.returns.rollover.action_id
    text: Annotated[str, StringConstraints(min_length=1)]
    owner: str = ""
    due: date | None = None
    status: Literal["open", "in-progress", "done"] = "open"

    @model_serializer(mode="wrap")
    def _dump(self, handler):
        return _without_empty(handler, self, ("id",))


class ActionUpdate(Model):
    """One line of an action's history: its status as a year's return left it."""

    period: str
    status: Literal["open", "in-progress", "done", "dropped"]
    note: str = ""


CarriedStatus = Literal["in-progress", "done", "dropped"]
ReviewAnswer = Literal["achieved", "partly", "not-achieved"]


class CarriedAction(AreaPart):
    """An audit action not done by the end of an earlier year, carried into this year's return.

    ``status`` and ``note`` are this year's answer (None: not answered yet); done and dropped
    need a reason. ``id`` is the same in every year the action is carried. ``areas`` are the
    raising audit's, so a partnership reads only the carried actions about its areas."""

    id: Annotated[str, StringConstraints(min_length=1)]
    audit: str = ""  # title of the audit that raised it
    raised: str  # the period whose return raised it
    text: Annotated[str, StringConstraints(min_length=1)]
    owner: str = ""
    due: date | None = None
    history: list[ActionUpdate] = []
    status: CarriedStatus | None = None
    note: str = ""


class PriorityReview(AreaPart):
    """One of last year's next-year priorities, with this year's answer on what became of it
    (``areas``: the priority's, as for the part it came from)."""

    text: Annotated[str, StringConstraints(min_length=1)]
    priorities: Tags = []
    set_in: str  # the period whose return set it
    answer: ReviewAnswer | None = None
    explanation: str = ""


class Audit(AreaPart):
    title: Annotated[str, StringConstraints(min_length=1)]
    findings: list[str] = []
    actions: list[Action] = []
    priorities: Tags = []


class Highlight(AreaPart):
    delivered: str
    impact: str


class Challenge(AreaPart):
    text: str
    priorities: Tags = []


class NextYearPriority(AreaPart):
    text: str
    priorities: Tags = []


class CaseStudy(AreaPart):
    title: str = ""
    text: str
    anonymised: bool = True


class Attachment(Model):
    label: str
    filename: str = ""
    status: Literal["present", "missing", "broken"] = "present"
    area: Code | None = None
    period: str | None = None


class Return(Model):
    partner: Code
    period: str
    template: Code
    status: Status = "draft"
    sections: list[SectionAnswer] = []
    values: list[DataValue] = []
    audits: list[Audit] = []
    highlights: list[Highlight] = []
    challenges: list[Challenge] = []
    next_year: list[NextYearPriority] = []
    voice: str = ""  # the answer to the template's question (Appendix C)
    voice_areas: Areas = []  # the areas the voice answer concerns, as a part's ``areas`` ([]: all)
    case_studies: list[CaseStudy] = []
    attachments: list[Attachment] = []
    carried_actions: list[CarriedAction] = []  # last year's unfinished audit actions (masa.returns.rollover)
    priority_reviews: list[PriorityReview] = []  # last year's next-year priorities, answered
    source: str = Field(default="", exclude=True)  # file it was read from (for messages)

    @model_serializer(mode="wrap")
    def _dump(self, handler):
        return _without_empty(handler, self, ("carried_actions", "priority_reviews", "voice_areas"))

    def key(self) -> tuple[str, str, str]:
        return (self.partner, self.period, self.template)

    def text_blocks(self) -> list[tuple[str, str]]:
        """Every piece of narrative with a location label: what the checks read."""
        return [(label, text) for label, text, _ in self.area_blocks()]

    def title_blocks(self) -> list[tuple[str, str]]:
        """The titles a published return prints above its text (a section's heading, an audit's
        and a case study's title), each with a location label: the checks read them too, since a
        figure or a name in a title is as public as one in the text."""
        out = [(f"sections[{i}] {s.section} / heading", s.heading) for i, s in enumerate(self.sections) if s.heading]
        out += [(f"audits[{i}] title", a.title) for i, a in enumerate(self.audits) if a.title]
        out += [(f"case_studies[{i}] title", c.title) for i, c in enumerate(self.case_studies) if c.title]
        return out

    def area_blocks(self) -> list[tuple[str, str, list[str] | None]]:
        """:meth:`text_blocks` with the areas each block is marked for ([]: all the partner's;
        None: a block that cannot be marked, such as the voice answer)."""
        out: list[tuple[str, str, list[str] | None]] = []
        for i, s in enumerate(self.sections):
            out.append((f"sections[{i}] {s.section}{' / ' + s.heading if s.heading else ''}", s.text, s.areas))
        for i, h in enumerate(self.highlights):
            out.append((f"highlights[{i}]", f"{h.delivered}: {h.impact}", h.areas))
        for i, a in enumerate(self.audits):
            out.append((f"audits[{i}] {a.title}", "\n".join([*a.findings, *(x.text for x in a.actions)]), a.areas))
        for i, c in enumerate(self.challenges):
            out.append((f"challenges[{i}]", c.text, c.areas))
        for i, n in enumerate(self.next_year):
            out.append((f"next_year[{i}]", n.text, n.areas))
        if self.voice:
            out.append(("voice", self.voice, self.voice_areas))
        for i, c in enumerate(self.case_studies):
            out.append((f"case_studies[{i}] {c.title}", c.text, c.areas))
        for i, a in enumerate(self.carried_actions):
            out.append((f"carried_actions[{i}] {a.text[:60]}", a.note, None))
        for i, p in enumerate(self.priority_reviews):
            out.append((f"priority_reviews[{i}] {p.text[:60]}", p.explanation, None))
        return out


class Dataset(BaseModel):
    """A partnership's spec plus its returns: everything the checks and report read."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    spec: object  # masa.spec.Spec (kept loose to avoid a pydantic rebuild of the spec)
    returns: list[Return] = []

    def values(self, partner: str | None = None) -> list[tuple[str, str, DataValue]]:
        """(partner, period, value) for every stored figure, periods filled in."""
        out = []
        for r in self.returns:
            if partner and r.partner != partner:
                continue
            for v in r.values:
                out.append((r.partner, v.period or r.period, v))
        return out

    def value_index(self) -> dict[tuple, float | None]:
        """(indicator, partner, period, sorted by-items) -> value."""
        return {v.key(p, per): v.value for p, per, v in self.values()}

    def returns_for(self, period: str, template: str | None = None) -> list[Return]:
        return [r for r in self.returns if r.period == period and (template is None or r.template == template)]
