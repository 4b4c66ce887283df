"""Constraint lines (total = sum of parts) and the checks every caller's input goes through.

Validation is shared by ``protect`` (true counts) and ``recoverable_cells`` (published
values), so both fail closed with the same specific messages.
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass
from typing import Any, Hashable, Iterable, Mapping, Sequence

from .errors import SUPPRESSED, DisclosureError


@dataclass(frozen=True)
class Line:
    """One published additive relation: ``total == sum(parts)``."""

    index: int
    total: Hashable
    parts: tuple[Hashable, ...]

    @property
    def keys(self) -> tuple[Hashable, ...]:
        return (self.total, *self.parts)

    def is_total(self, key: Hashable) -> bool:
        return key == self.total


def check_count(key: Hashable, value: Any) -> int | None:
    """A true count: a non-negative int, or None for "not recorded"."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise DisclosureError(f"cell {key!r}: count must be a whole number, got {value!r}")
    if value < 0:
        raise DisclosureError(f"cell {key!r}: count must not be negative, got {value}")
    return int(value)


def check_published(key: Hashable, value: Any) -> int | str | None:
    """A published value: a count, None, or the suppression marker."""
    if value == SUPPRESSED and isinstance(value, str):
        return SUPPRESSED
    return check_count(key, value)


def check_threshold(threshold: Any) -> int:
    if isinstance(threshold, bool) or not isinstance(threshold, int) or threshold < 0:
        raise DisclosureError(f"threshold must be a non-negative whole number, got {threshold!r}")
    return threshold


def build_lines(
    cells: Mapping[Hashable, Any], constraints: Iterable[tuple[Hashable, Sequence[Hashable]]]
) -> list[Line]:
    """Turn ``(total, parts)`` pairs into lines, rejecting unknown or repeated keys."""
    lines: list[Line] = []
    for index, constraint in enumerate(constraints):
        try:
            total, parts = constraint
        except (TypeError, ValueError):
            raise DisclosureError(
                f"constraint {index}: expected (total_key, [part_keys]), got {constraint!r}"
            ) from None
        if isinstance(parts, (str, bytes)) or not isinstance(parts, Iterable):
            raise DisclosureError(
                f"constraint {index} (total {total!r}): parts must be a list of keys, got {parts!r}"
            )
        parts = tuple(parts)
        if not parts:
            raise DisclosureError(f"constraint {index} (total {total!r}): has no parts")
        for key in (total, *parts):
            try:
                present = key in cells
            except TypeError:
                raise DisclosureError(
                    f"constraint {index} (total {total!r}): key {key!r} cannot be a cell key"
                ) from None
            if not present:
                raise DisclosureError(
                    f"constraint {index} (total {total!r}): unknown key {key!r} is not among the cells"
                )
        if total in parts:
            raise DisclosureError(
                f"constraint {index} (total {total!r}): the total is also listed as a part"
            )
        seen: set[Hashable] = set()
        for key in parts:
            if key in seen:
                raise DisclosureError(
                    f"constraint {index} (total {total!r}): part {key!r} is listed twice"
                )
            seen.add(key)
        lines.append(Line(index, total, parts))
    return lines


def check_sums(values: Mapping[Hashable, Any], lines: Iterable[Line]) -> None:
    """Every line whose cells are all known numbers must add up, and no line may be
    impossible (known parts already exceeding a known total)."""
    for line in lines:
        total = values[line.total]
        known_parts = [values[k] for k in line.parts if isinstance(values[k], int)]
        if not isinstance(total, int):
            continue
        if len(known_parts) == len(line.parts):
            if sum(known_parts) != total:
                raise DisclosureError(
                    f"constraint {line.index}: total {line.total!r} is {total} but its parts "
                    f"{list(line.parts)!r} add up to {sum(known_parts)}"
                )
        elif sum(known_parts) > total:
            raise DisclosureError(
                f"constraint {line.index}: total {line.total!r} is {total} but its published "
                f"parts already add up to {sum(known_parts)}"
            )
