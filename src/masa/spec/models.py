"""The partnership spec: declarative metadata, DHIS2-style, validated with pydantic.

Every model forbids unknown fields, so a typo in YAML is an error, not a silently
ignored key. Cross-references (a partner's areas, an indicator's breakdowns, a rule's
indicators) are checked by :func:`integrity_problems`.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cached_property
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from .periods import Period, parse_period, periods_for_years
from .reserved import reserved_code_problem
from .rules import ExprError, parse_expr, refs

Code = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]*$", max_length=64)]
Text = Annotated[str, StringConstraints(min_length=1, strip_whitespace=True)]


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Area(Model):
    """A local authority."""

    code: Code
    name: Text
    short_name: str = ""
    # E06 unitary, E07 district, E08 metropolitan district, E09 London borough, E10 county
    ons_code: Annotated[str, StringConstraints(pattern=r"^E(0[6-9]|10)\d{6}$")] | None = None
    aliases: list[str] = []


class Partnership(Model):
    code: Code
    name: Text
    short_name: str = ""
    areas: list[Code] = Field(min_length=1)
    report_title: str = "Yearly Report"


PartnerType = Literal[
    "local-authority", "police", "icb", "nhs-trust", "fire-and-rescue",
    "youth-justice", "charity", "education", "other",
]


class Contact(Model):
    """A named role at a partner, e.g. the safeguarding lead, and how to reach them."""

    role: Text
    email: Annotated[str, StringConstraints(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
    name: str = ""


class Partner(Model):
    """An organisation that sends returns; covers one or more areas."""

    code: Code
    name: Text
    short_name: Text
    aliases: list[str] = []
    type: PartnerType
    statutory: bool = False
    areas: list[Code] = Field(min_length=1)
    contacts: list[Contact] = []

    @property
    def all_names(self) -> list[str]:
        return [self.name, self.short_name, *self.aliases]


class PeriodsSpec(Model):
    financial_years: list[Annotated[str, StringConstraints(pattern=r"^\d{4}-\d{2}$")]] = Field(min_length=1)
    quarters: bool = True
    current: str

    @model_validator(mode="after")
    def _valid(self) -> PeriodsSpec:
        for fy in self.financial_years:
            parse_period(fy)
        if self.current not in self.financial_years:
            raise ValueError(f"current period {self.current!r} is not one of financial_years")
        return self


class Priority(Model):
    code: Code
    name: Text
    kind: Literal["priority", "theme"] = "priority"
    aliases: list[str] = []
    # Retired from this financial year on: returns of earlier years keep their tags; returns
    # from this year on are not offered it (the business unit's setup screen sets it).
    retired_from: Annotated[str, StringConstraints(pattern=r"^\d{4}-\d{2}$")] | None = None

    def live_in(self, year: str) -> bool:
        """True if partners can tag their work with this priority in financial year ``year``."""
        return self.retired_from is None or year < self.retired_from


class Option(Model):
    code: Code
    name: Text
    aliases: list[str] = []


class Breakdown(Model):
    """A disaggregation. ``from_areas`` takes its options from the spec's areas."""

    code: Code
    name: Text
    options: list[Option] = []
    from_areas: bool = False

    @model_validator(mode="after")
    def _has_options(self) -> Breakdown:
        if not self.options and not self.from_areas:
            raise ValueError("a breakdown needs options, or from_areas: true")
        return self


class Target(Model):
    value: float
    direction: Literal["at_least", "at_most"]


Unit = Literal["count", "percent", "currency", "rate", "days", "score"]


class Rag(Model):
    """Red/amber/green against the target: green when the target is met, amber when the figure
    misses it by no more than ``amber_within`` (in the indicator's unit: percentage points for a
    percentage), red beyond (masa.compare.trends.rag)."""

    amber_within: float = Field(gt=0)


class SliceOf(Model):
    """This count is, by definition, one slice of another count indicator: e.g. child
    referrals are the age-group=child slice of all referrals. The report protects the two
    together, or one table could give away what the other hides."""

    indicator: Code
    by: dict[Code, Code]


class ShareOf(Model):
    """This percentage is each option's share of another count indicator's total over one
    breakdown (e.g. referrals by age group as a share of all referrals): with that total
    shown, a share gives its count away, so the report protects them together."""

    indicator: Code
    over: Code  # the breakdown the shares divide


Aggregation = Literal["sum", "end", "ratio", "none"]

# How a year is made from its quarters when an indicator does not say: counts of events and
# money spent are flows (the year is the sum of its quarters); a percentage, rate, number of
# days or score cannot be added up or averaged safely, so no yearly figure is made from them
# unless the indicator declares ``ratio`` with its numerator and denominator.
DEFAULT_AGGREGATION: dict[str, str] = {"count": "sum", "currency": "sum", "percent": "none", "rate": "none",
                                       "days": "none", "score": "none"}


class Indicator(Model):
    code: Code
    name: Text
    unit: Unit
    breakdowns: list[Code] = []
    direction: Literal["higher_is_better", "lower_is_better", "none"] = "none"
    target: Target | None = None
    rag: Rag | None = None  # the amber band below (or above) the target; needs a target
    priorities: list[Code] = []  # the priorities and themes it evidences (the dataset dashboard's filter)
    description: str = ""
    partner: Code | None = None  # set when only one partner reports it
    slice_of: SliceOf | None = None
    share_of: ShareOf | None = None
    # Retired from this financial year on: kept (with its figures) for earlier years' reports,
    # left out of returns from this year (docs/web.md, "Spec versions").
    retired_from: Annotated[str, StringConstraints(pattern=r"^\d{4}-\d{2}$")] | None = None

    # The yearly figure from the four quarters: "sum" (a flow), "end" (a stock: Q4's value),
    # "ratio" (a percentage: 100 x numerator / denominator, each a yearly figure from its own
    # quarters) or "none". Unset: DEFAULT_AGGREGATION for the unit (see ``year_from_quarters``).
    aggregation: Aggregation | None = None
    numerator: Code | None = None  # with aggregation: ratio, the indicator codes of the two counts
    denominator: Code | None = None

    def live_in(self, year: str) -> bool:
        """True if partners report this indicator in financial year ``year``."""
        return self.retired_from is None or year < self.retired_from

    @model_validator(mode="after")
    def _bounds(self) -> Indicator:
        if self.rag and not self.target:
            raise ValueError("rag needs a target: amber is a margin below (or above) the target")
        if self.target and self.unit == "percent" and not 0 <= self.target.value <= 100:
            raise ValueError(f"target {self.target.value} is outside 0-100 for a percent indicator")
        if self.aggregation == "ratio":
            if self.unit != "percent":
                raise ValueError(f"aggregation 'ratio' is for percent indicators; {self.code!r} is {self.unit}")
            if not (self.numerator and self.denominator):
                raise ValueError("aggregation 'ratio' needs both numerator and denominator (indicator codes)")
        elif self.numerator or self.denominator:
            raise ValueError("numerator and denominator are used only with aggregation: ratio")
        return self

    @property
    def year_from_quarters(self) -> str:
        """The aggregation in force: the declared one, else the unit's default."""
        return self.aggregation or DEFAULT_AGGREGATION[self.unit]


SectionKind = Literal[
    "narrative", "figures", "audits", "highlights", "challenges", "next_year",
    "voice", "case_studies", "attachments",
]


class Section(Model):
    code: Code
    title: Text
    kind: SectionKind
    prompt: str = ""
    required: bool = False


class Template(Model):
    code: Code
    name: Text
    appendix: str = ""
    heading_suffix: str = ""  # e.g. "achievements and impact", added after the partner's name
    question: str = ""
    frequency: Literal["yearly", "quarterly"] = "yearly"
    sections: list[Section] = Field(min_length=1)


class AppliesTo(Model):
    unit: Unit | None = None
    indicators: list[Code] = []


class Rule(Model):
    """left op right, with what to do when a figure is missing."""

    code: Code
    description: Text
    left: str
    op: Literal["==", "!=", "<", "<=", ">", ">="]
    right: str
    severity: Literal["error", "query"]
    missing: Literal["skip", "zero", "fail"] = "skip"
    applies_to: AppliesTo | None = None

    @model_validator(mode="after")
    def _parses(self) -> Rule:
        for side in (self.left, self.right):
            try:
                parse_expr(side)
            except ExprError as exc:
                raise ValueError(str(exc)) from None
        return self


def fold(name: str) -> str:
    """Fold a name for matching: case, accents, '&' vs 'and', punctuation and spacing."""
    s = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    s = s.replace("&", " and ")
    s = re.sub(r"[^a-z0-9]+", " ", s)
    return " ".join(s.split())


class Spec(Model):
    partnership: Partnership
    areas: list[Area] = Field(min_length=1)
    partners: list[Partner] = Field(min_length=1)
    periods: PeriodsSpec
    priorities: list[Priority] = []
    breakdowns: list[Breakdown] = []
    indicators: list[Indicator] = []
    templates: list[Template] = Field(min_length=1)
    rules: list[Rule] = []
    vocabulary: list[str] = []  # words the spelling check must accept: acronyms, systems

    # lookups -----------------------------------------------------------------
    @cached_property
    def period_list(self) -> list[Period]:
        return periods_for_years(self.periods.financial_years, self.periods.quarters)

    @cached_property
    def period_codes(self) -> set[str]:
        return {p.code for p in self.period_list}

    def period(self, code: str) -> Period:
        for p in self.period_list:
            if p.code == code:
                return p
        raise KeyError(code)

    def area(self, code: str) -> Area:
        return _by_code(self.areas, code)

    def partner(self, code: str) -> Partner:
        return _by_code(self.partners, code)

    def indicator(self, code: str) -> Indicator:
        return _by_code(self.indicators, code)

    def template(self, code: str) -> Template:
        return _by_code(self.templates, code)

    def breakdown(self, code: str) -> Breakdown:
        return _by_code(self.breakdowns, code)

    def priority(self, code: str) -> Priority:
        return _by_code(self.priorities, code)

    def options(self, breakdown: str) -> list[str]:
        b = self.breakdown(breakdown)
        if b.from_areas:
            return [a.code for a in self.areas]
        return [o.code for o in b.options]

    def option_name(self, breakdown: str, option: str) -> str:
        b = self.breakdown(breakdown)
        if b.from_areas:
            return self.area(option).name
        return _by_code(b.options, option).name

    @cached_property
    def _partner_names(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for p in self.partners:
            for n in p.all_names:
                out.setdefault(fold(n), p.code)
        return out

    def resolve_partner(self, name: str) -> str | None:
        """The partner code for an official name, short name or alias; None if unknown."""
        return self._partner_names.get(fold(name))


def _by_code(items, code):
    for item in items:
        if item.code == code:
            return item
    raise KeyError(code)


def integrity_problems(spec: Spec) -> list[tuple[tuple, str]]:
    """Every reference that does not resolve, and every duplicate code, with its location."""
    out: list[tuple[tuple, str]] = []

    def unique(name: str, items) -> set[str]:
        seen: set[str] = set()
        for i, item in enumerate(items):
            if item.code in seen:
                out.append(((name, i, "code"), f"duplicate code {item.code!r} in {name}"))
            seen.add(item.code)
        return seen

    areas = unique("areas", spec.areas)
    unique("partners", spec.partners)
    priorities = unique("priorities", spec.priorities)
    breakdowns = unique("breakdowns", spec.breakdowns)
    indicators = unique("indicators", spec.indicators)
    unique("templates", spec.templates)
    unique("rules", spec.rules)
    partners = {p.code for p in spec.partners}

    clash = reserved_code_problem(spec.partnership.code)
    if clash:  # its pages would live under /<code>/, which the web already uses
        out.append((("partnership", "code"), clash))
    for i, a in enumerate(spec.partnership.areas):
        if a not in areas:
            out.append((("partnership", "areas", i), f"unknown area {a!r}; known: {sorted(areas)}"))
    for pi, p in enumerate(spec.partners):
        for i, a in enumerate(p.areas):
            if a not in areas:
                out.append((("partners", pi, "areas", i), f"partner {p.code!r} covers unknown area {a!r}"))
    for bi, b in enumerate(spec.breakdowns):
        seen: set[str] = set()
        for oi, o in enumerate(b.options):
            if o.code in seen:
                out.append((("breakdowns", bi, "options", oi), f"duplicate option {o.code!r} in {b.code!r}"))
            seen.add(o.code)
    for ii, ind in enumerate(spec.indicators):
        for i, b in enumerate(ind.breakdowns):
            if b not in breakdowns:
                out.append((("indicators", ii, "breakdowns", i), f"indicator {ind.code!r} uses unknown breakdown {b!r}"))
        for i, code in enumerate(ind.priorities):
            if code not in priorities:
                out.append((("indicators", ii, "priorities", i), f"indicator {ind.code!r} names unknown priority {code!r}"))
        if ind.partner and ind.partner not in partners:
            out.append((("indicators", ii, "partner"), f"indicator {ind.code!r} names unknown partner {ind.partner!r}"))
        if ind.slice_of:
            out += [(("indicators", ii, "slice_of", *loc), msg) for loc, msg in _slice_problems(spec, ind, indicators)]
        if ind.share_of:
            out += [(("indicators", ii, "share_of", *loc), msg) for loc, msg in _share_problems(spec, ind, indicators)]
        if ind.aggregation == "ratio":
            out += [(("indicators", ii, field), msg) for field, msg in _ratio_problems(spec, ind, indicators)]
    for ti, t in enumerate(spec.templates):
        if t.frequency == "quarterly" and not spec.periods.quarters:
            out.append((("templates", ti, "frequency"),
                        f"template {t.code!r} is quarterly, but the spec's periods have quarters: false"))
        seen = set()
        for si, s in enumerate(t.sections):
            if s.code in seen:
                out.append((("templates", ti, "sections", si, "code"), f"duplicate section {s.code!r} in {t.code!r}"))
            seen.add(s.code)
    for ri, r in enumerate(spec.rules):
        for side in ("left", "right"):
            for ref in refs(parse_expr(getattr(r, side))):
                if ref.indicator == "value":
                    if not r.applies_to:
                        out.append(((("rules", ri, side)), "'value' needs applies_to"))
                    continue
                if ref.indicator not in indicators:
                    out.append((("rules", ri, side), f"rule {r.code!r} uses unknown indicator {ref.indicator!r}"))
                    continue
                ind = spec.indicator(ref.indicator)
                for dim, opt in ref.select:
                    if dim not in ind.breakdowns:
                        out.append((("rules", ri, side), f"indicator {ind.code!r} has no breakdown {dim!r}"))
                    elif opt != "*" and dim in breakdowns and opt not in spec.options(dim):
                        out.append((("rules", ri, side), f"{opt!r} is not an option of breakdown {dim!r}"))
        if r.applies_to:
            for i, code in enumerate(r.applies_to.indicators):
                if code not in indicators:
                    out.append((("rules", ri, "applies_to", "indicators", i), f"unknown indicator {code!r}"))
    return out


def _slice_problems(spec, ind, indicators) -> list[tuple[tuple, str]]:
    """A slice must be a count of a count indicator, fixing parent breakdowns it does not have."""
    sl = ind.slice_of
    if sl.indicator not in indicators or sl.indicator == ind.code:
        return [(("indicator",), f"indicator {ind.code!r} is a slice of unknown indicator {sl.indicator!r}")]
    parent = spec.indicator(sl.indicator)
    out = []
    if ind.unit != "count" or parent.unit != "count":
        out.append((("indicator",), f"only counts can be slices: {ind.code!r} is {ind.unit}, {parent.code!r} is {parent.unit}"))
    for dim, opt in sl.by.items():
        if dim not in parent.breakdowns:
            out.append((("by", dim), f"{parent.code!r} has no breakdown {dim!r}"))
        elif dim in ind.breakdowns:
            out.append((("by", dim), f"{ind.code!r} cannot both fix and break down by {dim!r}"))
        elif dim in {b.code for b in spec.breakdowns} and opt not in spec.options(dim):
            out.append((("by", dim), f"unknown option {opt!r} of {dim!r}"))
    for b in ind.breakdowns:
        if b not in parent.breakdowns:
            out.append((("indicator",), f"{ind.code!r} breaks down by {b!r}, which {parent.code!r} does not"))
    return out


def _share_problems(spec, ind, indicators) -> list[tuple[tuple, str]]:
    """A share must be a percentage of a count indicator, split by a breakdown both have."""
    sh = ind.share_of
    if sh.indicator not in indicators:
        return [(("indicator",), f"indicator {ind.code!r} is a share of unknown indicator {sh.indicator!r}")]
    base = spec.indicator(sh.indicator)
    out = []
    if ind.unit != "percent" or base.unit != "count":
        out.append((("indicator",), f"a share is a percent of a count: {ind.code!r} is {ind.unit}, "
                                    f"{base.code!r} is {base.unit}"))
    if sh.over not in ind.breakdowns or sh.over not in base.breakdowns:
        out.append((("over",), f"{sh.over!r} must be a breakdown of both {ind.code!r} and {base.code!r}"))
    for b in ind.breakdowns:
        if b not in base.breakdowns:
            out.append((("indicator",), f"{ind.code!r} breaks down by {b!r}, which {base.code!r} does not"))
    return out


def _ratio_problems(spec, ind, indicators) -> list[tuple[str, str]]:
    """A ratio's numerator and denominator must be other indicators, with the ratio's breakdowns,
    whose own yearly figure comes from their quarters (a sum or a period-end value)."""
    out = []
    for field in ("numerator", "denominator"):
        code = getattr(ind, field)
        if code not in indicators or code == ind.code:
            out.append((field, f"indicator {ind.code!r} has unknown {field} {code!r}"))
            continue
        other = spec.indicator(code)
        if other.year_from_quarters not in ("sum", "end"):
            out.append((field, (f"the {field} of {ind.code!r}, {code!r}, must have aggregation sum or end "
                                f"(it has {other.year_from_quarters})")))
        if sorted(other.breakdowns) != sorted(ind.breakdowns):
            out.append((field, (f"the {field} of {ind.code!r}, {code!r}, must have the same breakdowns "
                                f"({ind.breakdowns}); it has {other.breakdowns}")))
    return out
