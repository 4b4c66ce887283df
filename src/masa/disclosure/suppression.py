"""Primary and secondary suppression of a set of counts linked by published totals.

Primary: counts 1..threshold become "c"; a true zero stays 0. Secondary: while any
suppressed cell can be worked out (see ``recovery``), suppress one more published cell in a
line that gives it away: the smallest non-zero one, parts before totals, earliest key first.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Hashable, Iterable, Mapping, Sequence

from .errors import SUPPRESSED, DisclosureError
from .lines import Line, build_lines, check_count, check_sums, check_threshold
from .recovery import pinned_in, recoverable_in, single_values


@dataclass(frozen=True)
class Protected:
    """The publishable result: ``published`` maps every key to its count, "c" or None."""

    published: dict[Hashable, int | str | None]
    primary: set[Hashable] = field(default_factory=set)
    secondary: set[Hashable] = field(default_factory=set)

    def is_suppressed(self, key: Hashable) -> bool:
        if key not in self.published:
            raise DisclosureError(f"unknown cell {key!r}")
        return self.published[key] == SUPPRESSED


def protect(
    cells: Mapping[Hashable, int | None],
    constraints: Iterable[tuple[Hashable, Sequence[Hashable]]] = (),
    *,
    threshold: int = 5,
) -> Protected:
    """Suppress small counts and enough others that none of them can be recovered."""
    threshold = check_threshold(threshold)
    counts = {k: check_count(k, v) for k, v in cells.items()}
    lines = build_lines(counts, constraints)
    check_sums(counts, lines)

    published: dict[Hashable, int | str | None] = dict(counts)
    primary = {k for k, v in counts.items() if v is not None and 1 <= v <= threshold}
    for key in primary:
        published[key] = SUPPRESSED
    secondary: set[Hashable] = set()
    order = {k: i for i, k in enumerate(counts)}

    implied = _implied_small_counts(counts, lines, threshold)
    while True:
        exposed = recoverable_in(published, lines, implied) or pinned_in(
            published, lines, counts, implied
        )
        if not exposed:
            break
        choice = _next_suppression(exposed, published, lines, order)
        published[choice] = SUPPRESSED
        secondary.add(choice)
    return Protected(published, primary, secondary)


def _implied_small_counts(
    counts: Mapping[Hashable, int | None], lines: Sequence[Line], threshold: int
) -> set[Hashable]:
    """Not-recorded cells whose value the totals fix at 1..threshold (e.g. a total of 21 with
    recorded parts 18 and None implies 3). They are published blank, but must stay as
    impossible to work out as a "c"."""
    unrecorded = [k for k in counts if counts[k] is None and any(k in ln.keys for ln in lines)]
    fixed = single_values(counts, lines, unrecorded)
    return {k for k, v in fixed.items() if 1 <= v <= threshold}


def _next_suppression(
    exposed: set[Hashable], published: Mapping[Hashable, Any], lines: Sequence[Line], order: Mapping
) -> Hashable:
    """One more cell to suppress. Look first at the lines that give an exposed cell away most
    directly (fewest hidden cells), take the smallest non-zero published cell there, body
    cells before any total; if those lines have nothing left, widen to every line linked to
    an exposed cell through hidden cells."""
    totals = {ln.total for ln in lines}

    def hidden(line: Line) -> int:
        return sum(1 for k in line.keys if not isinstance(published[k], int))

    def candidates(line: Line) -> list[Hashable]:
        return [k for k in line.keys if isinstance(published[k], int) and published[k] > 0]

    def rank(k: Hashable) -> tuple:
        return (k in totals, published[k], -_helps(k, published, lines), order[k])

    near = sorted(
        (ln for ln in lines if exposed.intersection(ln.keys)), key=lambda ln: (hidden(ln), ln.index)
    )
    for allow_totals in (False, True):
        for line in near:
            pool = [k for k in candidates(line) if allow_totals or k not in totals]
            if pool:
                return min(pool, key=rank)
    pool = {k for ln in _component(exposed, published, lines) for k in candidates(ln)}
    if not pool:
        first = min(exposed, key=order.__getitem__)
        raise DisclosureError(
            f"cell {first!r} can be worked out from the published figures and there is no "
            "other non-zero cell left to suppress"
        )
    return min(pool, key=rank)


def _helps(key: Hashable, published: Mapping[Hashable, Any], lines: Sequence[Line]) -> int:
    """Lines through ``key`` with a single hidden cell, which suppressing ``key`` also
    protects; used only to break ties between equally small candidates."""
    return sum(
        1
        for ln in lines
        if key in ln.keys
        and sum(1 for k in ln.keys if not isinstance(published[k], int)) == 1
    )


def _component(
    start: set[Hashable], published: Mapping[Hashable, Any], lines: Sequence[Line]
) -> list[Line]:
    """Lines connected to the ``start`` cells through hidden cells."""
    reached: list[Line] = []
    frontier = set(start)
    seen: set[Hashable] = set()
    while frontier:
        key = frontier.pop()
        seen.add(key)
        for ln in lines:
            if key in ln.keys and ln not in reached:
                reached.append(ln)
                frontier |= {k for k in ln.keys if not isinstance(published[k], int)} - seen
    return reached
