"""Can a reader work a suppressed cell out exactly?  Linear algebra over the unknowns.

Each published line ``total - sum(parts) = 0`` becomes an equation in the cells a reader
cannot see ("c" and not-recorded None); the published numbers move to the right-hand side.
A suppressed cell is recoverable exactly when its unit vector lies in the row space of that
coefficient matrix: then some combination of published rows isolates it, whatever the
right-hand sides are. Exact ``Fraction`` arithmetic keeps the rank test free of rounding.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any, Collection, Hashable, Iterable, Mapping, Sequence

from .errors import SUPPRESSED, DisclosureError
from .lines import Line, build_lines, check_published, check_sums
from .simplex import Infeasible, Polytope


def recoverable_cells(
    published: Mapping[Hashable, Any], constraints: Iterable[tuple[Hashable, Sequence[Hashable]]]
) -> set[Hashable]:
    """The suppressed cells a reader can compute exactly from the published cells and the
    constraints. Raises ``DisclosureError`` on bad values, unknown keys or sums that do not add up."""
    values = {k: check_published(k, v) for k, v in published.items()}
    lines = build_lines(values, constraints)
    check_sums(values, lines)
    return recoverable_in(values, lines)


def recoverable_in(
    values: Mapping[Hashable, Any], lines: Sequence[Line], extra: Collection[Hashable] = ()
) -> set[Hashable]:
    """Rank test on already validated input; reports "c" cells and any hidden ``extra`` ones."""
    unknowns = _unknowns(values, lines)
    if not unknowns:
        return set()
    rows, _ = _equations(values, lines, unknowns)
    return {
        unknowns[j]
        for j in _isolated_columns(rows, len(unknowns))
        if values[unknowns[j]] == SUPPRESSED or unknowns[j] in extra
    }


def _equations(
    values: Mapping[Hashable, Any], lines: Sequence[Line], hidden: Sequence[Hashable]
) -> tuple[list[list[Fraction]], list[Fraction]]:
    """Each line with a hidden cell as ``row . hidden = rhs`` (published numbers on the right)."""
    column = {k: i for i, k in enumerate(hidden)}
    matrix, rhs = [], []
    for line in lines:
        row = [Fraction(0)] * len(hidden)
        known = Fraction(0)
        for key, sign in ((line.total, 1), *((p, -1) for p in line.parts)):
            if key in column:
                row[column[key]] += sign
            else:
                known += sign * values[key]
        if any(row):
            matrix.append(row)
            rhs.append(-known)
    return matrix, rhs


def _unknowns(values: Mapping[Hashable, Any], lines: Sequence[Line]) -> list[Hashable]:
    """Cells in some line that a reader does not see as a number, in first-seen order."""
    seen: dict[Hashable, None] = {}
    for line in lines:
        for key in line.keys:
            if not isinstance(values[key], int):
                seen.setdefault(key, None)
    return list(seen)


# Two large primes: the rank test runs in exact modular arithmetic on sparse rows, which is
# hundreds of times faster than dense Fractions on the tables masa publishes. A column
# isolated over the rationals is isolated modulo any prime that divides none of the
# elimination's denominators; one that fails for one prime cannot fail for both except with
# vanishing probability. A column isolated modulo a prime but not over the rationals only
# costs one more suppression, never a leak: so a column counts as isolated if either says so.
PRIMES = (2**61 - 1, 2**31 - 1)


def _isolated_columns(rows: list[list[Fraction]], width: int) -> list[int]:
    """Columns j whose unit vector e_j is in the row space: after reduction to reduced row
    echelon form, exactly those pivot columns whose pivot row has no other non-zero entry."""
    found: set[int] = set()
    for prime in PRIMES:
        found |= _isolated_mod(rows, prime)
    return sorted(found)


def _isolated_mod(rows: list[list[Fraction]], p: int) -> set[int]:
    sparse: list[dict[int, int]] = []
    for row in rows:
        entry = {}
        for j, x in enumerate(row):
            if x:
                entry[j] = x.numerator * pow(x.denominator, -1, p) % p
        if entry:
            sparse.append(entry)
    pivots: dict[int, dict[int, int]] = {}  # pivot column -> its row (pivot entry 1)
    for row in sparse:
        row = dict(row)
        while True:  # reduce by the pivots so far; a step can bring in further pivot columns
            hits = [c for c in row if c in pivots]
            if not hits:
                break
            c = hits[0]
            factor = row[c]
            for j, x in pivots[c].items():
                v = (row.get(j, 0) - factor * x) % p
                if v:
                    row[j] = v
                else:
                    row.pop(j, None)
        if not row:
            continue
        c = min(row)
        inv = pow(row[c], -1, p)
        row = {j: x * inv % p for j, x in row.items()}
        for other in pivots.values():  # keep every pivot row reduced
            factor = other.get(c)
            if factor:
                for j, x in row.items():
                    v = (other.get(j, 0) - factor * x) % p
                    if v:
                        other[j] = v
                    else:
                        other.pop(j, None)
        pivots[c] = row
    return {c for c, row in pivots.items() if len(row) == 1}


def exposed_cells(
    published: Mapping[Hashable, Any], constraints: Iterable[tuple[Hashable, Sequence[Hashable]]]
) -> set[Hashable]:
    """Suppressed cells a reader can pin down at all: by rank (``recoverable_cells``) or by
    combining the published totals with the public fact that every "c" is at least 1."""
    values = {k: check_published(k, v) for k, v in published.items()}
    lines = build_lines(values, constraints)
    check_sums(values, lines)
    return recoverable_in(values, lines) | pinned_in(values, lines)


def pinned_in(
    values: Mapping[Hashable, Any],
    lines: Sequence[Line],
    truth: Mapping[Hashable, int | None] | None = None,
    extra: Collection[Hashable] = (),
) -> set[Hashable]:
    """Suppressed cells (and hidden ``extra`` ones) that take a single value over every
    filling a reader could try.

    Zeros are never suppressed, so a reader knows each "c" is at least 1 (a not-recorded
    cell at least 0). Then, for example, total 6 over six "c" parts gives every part away
    although no rank argument does. ``truth`` lets ``protect`` skip the work when nothing
    hidden can sit on its bound: every cell that is not rank-recoverable then moves both ways."""
    hidden = _unknowns(values, lines)
    if truth is not None and all(values[k] == SUPPRESSED and truth[k] != 1 for k in hidden):
        return set()
    targets = [k for k in hidden if values[k] == SUPPRESSED or k in extra]
    return set(single_values(values, lines, targets))


def single_values(
    values: Mapping[Hashable, Any], lines: Sequence[Line], targets: Sequence[Hashable]
) -> dict[Hashable, Fraction]:
    """For each hidden target cell that can take only one value, that value.

    Hidden cells ("c" at least 1, None at least 0) are the variables of a linear programme
    whose equations are the published lines; each target's least and greatest value is found
    exactly. Published tables are totally unimodular (a cell sits in at most one line of each
    direction), so equal bounds mean exactly one whole-number filling for that cell."""
    if not targets:
        return {}
    hidden = _unknowns(values, lines)
    column = {k: i for i, k in enumerate(hidden)}
    low = [Fraction(1 if values[k] == SUPPRESSED else 0) for k in hidden]
    matrix, rhs = _equations(values, lines, hidden)
    # shift every hidden cell by its lower bound so the LP's variables start at 0
    shifted = [b - sum((a * l for a, l in zip(row, low)), Fraction(0)) for row, b in zip(matrix, rhs)]
    try:
        shape = Polytope(matrix, shifted)
    except Infeasible:
        unrecorded = [k for k in hidden if values[k] is None]
        suppressed = [k for k in hidden if values[k] == SUPPRESSED]
        detail = (
            f"no counts for the not-recorded cells {unrecorded!r}"
            if unrecorded
            else f"no counts of at least 1 for the suppressed cells {suppressed!r}"
        )
        raise DisclosureError(
            f"the figures cannot all be true: {detail} make every total add up"
        ) from None
    seen = [shape.vertex()]
    single: dict[Hashable, Fraction] = {}
    for key in targets:
        j = column[key]
        if any(point[j] != seen[0][j] for point in seen):
            continue
        unit = [Fraction(int(i == j)) for i in range(len(hidden))]
        top = shape.maximise(unit)
        if top is None:
            continue
        bottom = shape.maximise([-x for x in unit])
        seen += [top, bottom]
        if top[j] == bottom[j]:
            single[key] = top[j] + low[j]
    return single
