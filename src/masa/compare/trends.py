"""The partnership dataset: every indicator over time, per partner and breakdown, rated
red/amber/green against its target.

Plain Python. It reads figures already through the publishing boundary (a number, "c" or
None per cell), so the same series serve the business unit (true counts) and the public
(published figures only). Nothing here decides what may be shown; it arranges and rates.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from masa.spec.periods import parse_period

SUPPRESSED = "c"
RATINGS = ("green", "amber", "red")
RATING_WORDS = {"green": "Green: target met", "amber": "Amber: just short of target", "red": "Red: short of target"}


@dataclass(frozen=True)
class Observation:
    """One published cell: a partner's figure for one indicator, period and breakdown."""

    partner: str
    indicator: str
    period: str
    by: tuple  # sorted (breakdown, option) pairs
    value: float | int | str | None  # a number, "c" (suppressed) or None (not recorded)


@dataclass
class Point:
    period: str
    value: float | int | str | None
    rating: str | None  # green / amber / red; None with no target or no number


@dataclass
class Series:
    """One indicator × partner × breakdown over its years, or over its quarters (``frequency``):
    a year and a quarter are different measures of a flow, so they are not one line."""

    indicator: str
    partner: str
    by: tuple
    frequency: str  # "year" or "quarter"
    points: list[Point] = field(default_factory=list)

    @property
    def latest(self) -> Point | None:
        """The newest point with a number (what the rating column shows)."""
        numbers = [p for p in self.points if _number(p.value)]
        return numbers[-1] if numbers else None

    @property
    def area(self) -> str | None:
        return dict(self.by).get("area")


def rag(indicator, value) -> str | None:
    """green when the target is met; amber when it misses by no more than the catalogue's
    ``rag.amber_within`` (the boundary itself is amber); red beyond. None with no target or
    no number. Without a declared band, any miss is red."""
    target = indicator.target
    if target is None or not _number(value):
        return None
    gap = target.value - value if target.direction == "at_least" else value - target.value
    gap = round(gap, 9)  # 90 - 85.0000000001 is a float artefact, not a miss
    if gap <= 0:
        return "green"
    band = indicator.rag.amber_within if indicator.rag else 0
    return "amber" if gap <= band else "red"


def trend_word(indicator, series: Series) -> str:
    """'improving', 'worsening' or 'no change' from the last two numbers, by the indicator's
    direction ('up', 'down' when it has none); '' with fewer than two numbers."""
    numbers = [p.value for p in series.points if _number(p.value)]
    if len(numbers) < 2:
        return ""
    a, b = numbers[-2], numbers[-1]
    if a == b:
        return "no change"
    up = b > a
    if indicator.direction == "higher_is_better":
        return "improving" if up else "worsening"
    if indicator.direction == "lower_is_better":
        return "worsening" if up else "improving"
    return "up" if up else "down"


def period_key(code: str) -> tuple:
    p = parse_period(code)
    return (p.start, p.kind != "year", code)


def series_of(spec, observations: Iterable[Observation]) -> list[Series]:
    """Every series, in catalogue order (indicator, partner, breakdown), points in time order.
    Yearly and quarterly figures make separate series; quarters run across year ends."""
    groups: dict[tuple, Series] = {}
    for o in observations:
        freq = "year" if parse_period(o.period).kind == "year" else "quarter"
        key = (o.indicator, o.partner, o.by, freq)
        s = groups.setdefault(key, Series(o.indicator, o.partner, o.by, freq))
        s.points.append(Point(o.period, o.value, rag(spec.indicator(o.indicator), o.value)))
    rank_i = {i.code: n for n, i in enumerate(spec.indicators)}
    rank_p = {p.code: n for n, p in enumerate(spec.partners)}
    for s in groups.values():
        s.points.sort(key=lambda p: period_key(p.period))
    return sorted(groups.values(), key=lambda s: (rank_i.get(s.indicator, len(rank_i)), rank_p.get(s.partner, 0),
                                                  s.frequency != "year", _by_rank(spec, s)))


def _by_rank(spec, s: Series) -> tuple:
    by = dict(s.by)
    out = []
    for dim, opt in sorted(by.items()):
        try:
            out.append((dim, spec.options(dim).index(opt)))
        except (KeyError, ValueError):
            out.append((dim, 999))
    return (len(by), tuple(out))


@dataclass(frozen=True)
class Filters:
    """What the reader narrowed the dashboard to; empty means everything."""

    priority: str = ""
    partner: str = ""
    area: str = ""
    period: str = ""  # a financial year: its figure and its quarters'


def apply_filters(spec, observations: Iterable[Observation], f: Filters) -> list[Observation]:
    """Observations that pass every filter. Priority: indicators tagged with it in the catalogue.
    Area: figures of that area, and whole-partner figures of partners covering it. Period: a
    financial year and its quarters."""
    out = []
    for o in observations:
        ind = spec.indicator(o.indicator)
        if f.priority and f.priority not in ind.priorities:
            continue
        if f.partner and o.partner != f.partner:
            continue
        if f.area:
            area = dict(o.by).get("area")
            if area is not None and area != f.area:
                continue
            if area is None and f.area not in _partner_areas(spec, o.partner):
                continue
        if f.period and parse_period(o.period).year != f.period:
            continue
        out.append(o)
    return out


def _partner_areas(spec, code: str) -> list[str]:
    try:
        return list(spec.partner(code).areas)
    except KeyError:
        return []


def _number(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


__all__ = ["RATINGS", "RATING_WORDS", "Filters", "Observation", "Point", "Series", "apply_filters", "period_key",
           "rag", "series_of", "trend_word"]
