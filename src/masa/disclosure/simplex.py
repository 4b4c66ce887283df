"""A tiny exact linear-programming solver (dense tableau, Fraction arithmetic, Bland's rule).

Published tables are small, so exactness and certain termination matter more than speed;
this keeps the disclosure checks free of floating-point doubt and of extra dependencies.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Sequence


class Infeasible(Exception):
    """No point satisfies the equations and bounds."""


class Polytope:
    """The points ``y >= 0`` with ``A y = b``; finds one vertex, then optimises from it."""

    def __init__(self, a: Sequence[Sequence[Fraction]], b: Sequence[Fraction]):
        self.n = len(a[0]) if a else 0
        rows = []
        for row, rhs in zip(a, b):
            sign = -1 if rhs < 0 else 1
            rows.append([Fraction(sign * x) for x in row] + [Fraction(sign * rhs)])
        self._phase_one(rows)

    def _phase_one(self, rows: list[list[Fraction]]) -> None:
        m, n = len(rows), self.n
        tableau = [r[:n] + [Fraction(int(i == k)) for k in range(m)] + [r[n]] for i, r in enumerate(rows)]
        basis = [n + i for i in range(m)]
        # maximise -(sum of artificials); reduced costs start as the column sums
        cost = [sum((t[j] for t in tableau), Fraction(0)) for j in range(n)] + [Fraction(0)] * m
        cost.append(sum((t[-1] for t in tableau), Fraction(0)))
        _optimise(tableau, basis, cost, n + m)
        if cost[-1] != 0:
            raise Infeasible
        # drive artificial columns out of the basis; drop rows that are redundant
        keep = []
        for i, col in enumerate(basis):
            if col >= n:
                j = next((j for j in range(n) if tableau[i][j] != 0), None)
                if j is None:
                    continue
                _pivot(tableau, basis, None, i, j)
            keep.append(i)
        self.tableau = [tableau[i][:n] + [tableau[i][-1]] for i in keep]
        self.basis = [basis[i] for i in keep]

    def vertex(self) -> list[Fraction]:
        return _point(self.tableau, self.basis, self.n)

    def maximise(self, c: Sequence[Fraction]) -> list[Fraction] | None:
        """A point maximising ``c . y``, or None when ``c . y`` is unbounded above."""
        tableau = [r[:] for r in self.tableau]
        basis = self.basis[:]
        cost = [Fraction(x) for x in c] + [Fraction(0)]
        for i, col in enumerate(basis):
            if cost[col] != 0:
                factor = cost[col]
                cost = [x - factor * y for x, y in zip(cost, tableau[i])]
        if not _optimise(tableau, basis, cost, self.n):
            return None
        return _point(tableau, basis, self.n)


def _point(tableau, basis, n) -> list[Fraction]:
    y = [Fraction(0)] * n
    for i, col in enumerate(basis):
        y[col] = tableau[i][-1]
    return y


def _optimise(tableau, basis, cost, columns: int) -> bool:
    """Pivot until no reduced cost is positive; False if the objective is unbounded."""
    while True:
        entering = next((j for j in range(columns) if cost[j] > 0), None)
        if entering is None:
            return True
        best = None
        for i, row in enumerate(tableau):
            if row[entering] > 0:
                ratio = row[-1] / row[entering]
                if best is None or (ratio, basis[i]) < best[0]:
                    best = ((ratio, basis[i]), i)
        if best is None:
            return False
        _pivot(tableau, basis, cost, best[1], entering)


def _pivot(tableau, basis, cost, i: int, j: int) -> None:
    lead = tableau[i][j]
    tableau[i] = [x / lead for x in tableau[i]]
    pivot_row = tableau[i]
    for k, row in enumerate(tableau):
        if k != i and row[j] != 0:
            factor = row[j]
            tableau[k] = [x - factor * y for x, y in zip(row, pivot_row)]
    if cost is not None and cost[j] != 0:
        factor = cost[j]
        cost[:] = [x - factor * y for x, y in zip(cost, pivot_row)]
    basis[i] = j
