"""Compare a figure with its like-for-like previous value, and say so correctly.

The wording rules are the point: a difference between two percentages is in percentage
points; a relative change is a % of the previous value, and only exists on a non-zero
base; the direction word comes from the sign, never from a person.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from .formatting import format_money, format_value

Trend = Literal["up", "down", "unchanged", "no comparison"]
POINTS = "percentage points"
RELATIVE = "relative"


@dataclass(frozen=True)
class Comparison:
    current: float | None
    previous: float | None
    unit: str
    base_label: str  # the previous period, e.g. "2023-24"
    direction: str = "none"  # higher_is_better | lower_is_better | none
    decimals: int = 1
    change: float | None = None  # current - previous, in the unit (points for percentages)
    relative_change: float | None = None  # % of the previous value; None on a zero base
    kind: str = RELATIVE  # "percentage points" or "relative"
    trend: Trend = "no comparison"

    @property
    def judgement(self) -> str | None:
        """'better' or 'worse' when the indicator says which way is good; None otherwise."""
        if self.trend not in ("up", "down") or self.direction == "none":
            return None
        good = "up" if self.direction == "higher_is_better" else "down"
        return "better" if self.trend == good else "worse"

    def sentence(self) -> str:
        """'83% to 89%: up 6.0 percentage points on 2023-24'; '420 to 348: down 72 (17.1%) on 2023-24'."""
        cur = format_value(self.current, self.unit)
        if self.current is None:
            return f"No current figure to compare with {self.base_label}."
        if self.previous is None:
            return f"{cur}: no {self.base_label} figure to compare."
        prev = format_value(self.previous, self.unit)
        head = f"{prev} to {cur}"
        if self.trend == "unchanged":
            return f"{head}: unchanged on {self.base_label}."
        size = format_change(abs(self.change), self.unit, self.decimals)
        if self.kind == POINTS:
            text = f"{head}: {self.trend} {size} on {self.base_label}"
        elif self.relative_change is None:
            text = (f"{head}: {self.trend} {size} on {self.base_label} "
                    f"(no percentage change can be given from a zero base)")
        else:
            text = f"{head}: {self.trend} {size} ({abs(self.relative_change):.{self.decimals}f}%) on {self.base_label}"
        if self.judgement == "better":
            text += ", an improvement"
        elif self.judgement == "worse":
            text += ", a deterioration"
        return text + "."


def format_change(size: float, unit: str, decimals: int = 1) -> str:
    """The size of a change in its own unit: '6.0 percentage points', '72', '£500,000'."""
    if unit == "percent":
        word = "percentage point" if round(size, decimals) == 1 else "percentage points"
        return f"{size:.{decimals}f} {word}"
    if unit == "currency":
        return format_money(size)
    return format_value(size, unit, None if float(size).is_integer() else decimals)


def compare(current: float | None, previous: float | None, unit: str, *, base_label: str,
            direction: str = "none", decimals: int = 1) -> Comparison:
    """Compute the change between two like-for-like values (same indicator, breakdown and
    period kind) and how to describe it."""
    kind = POINTS if unit == "percent" else RELATIVE
    base = dict(current=current, previous=previous, unit=unit, base_label=base_label,
                direction=direction, decimals=decimals, kind=kind)
    if current is None or previous is None:
        return Comparison(**base)
    change = current - previous
    rel = None if previous == 0 else change / abs(previous) * 100
    # Judge "unchanged" at the precision we print, so the words never contradict the numbers.
    if round(change, decimals) == 0:
        trend: Trend = "unchanged"
    else:
        trend = "up" if change > 0 else "down"
    return Comparison(**base, change=change, relative_change=rel, trend=trend)


@dataclass(frozen=True)
class TargetResult:
    value: float | None
    target: float
    direction: str  # at_least | at_most
    unit: str
    met: bool | None  # None when there is no value to judge

    def sentence(self) -> str:
        """'89% against a target of at least 90%: not met, 1.0 percentage point short.'"""
        goal = f"a target of {'at least' if self.direction == 'at_least' else 'at most'} {format_value(self.target, self.unit)}"
        if self.met is None:
            return f"No figure to judge against {goal}."
        head = f"{format_value(self.value, self.unit)} against {goal}"
        if self.met:
            return f"{head}: target met."
        gap = format_change(abs(self.value - self.target), self.unit)
        side = "short" if self.direction == "at_least" else "over"
        return f"{head}: target not met, {gap} {side}."


def judge_target(value: float | None, target: float, direction: str, unit: str) -> TargetResult:
    """Whether a value meets a target of ``at_least`` or ``at_most`` the given figure."""
    if direction not in ("at_least", "at_most"):
        raise ValueError(f"target direction must be at_least or at_most, not {direction!r}")
    met = None if value is None else (value >= target if direction == "at_least" else value <= target)
    return TargetResult(value, target, direction, unit, met)
