"""Two-way tables with margins, turned into cells and constraints for ``protect``."""

from __future__ import annotations

from typing import Hashable, Mapping

from .errors import DisclosureError
from .suppression import Protected, protect

TOTAL = "total"


def protect_table(
    cells: Mapping[tuple[Hashable, Hashable], int | None],
    *,
    row_totals: Mapping[Hashable, int | None] | None = None,
    col_totals: Mapping[Hashable, int | None] | None = None,
    grand_total: int | None = None,
    threshold: int = 5,
) -> Protected:
    """Protect a full rows x columns grid and whichever margins are published.

    Keys in the result: ``(r, c)``, ``(r, "total")``, ``("total", c)``, ``("total", "total")``."""
    rows: dict[Hashable, None] = {}
    cols: dict[Hashable, None] = {}
    for key in cells:
        if not (isinstance(key, tuple) and len(key) == 2):
            raise DisclosureError(f"table cell key {key!r} is not a (row, column) pair")
        rows.setdefault(key[0], None)
        cols.setdefault(key[1], None)
    for r in rows:
        if r == TOTAL:
            raise DisclosureError(f"row name {TOTAL!r} is reserved for the column totals")
        for c in cols:
            if c == TOTAL:
                raise DisclosureError(f"column name {TOTAL!r} is reserved for the row totals")
            if (r, c) not in cells:
                raise DisclosureError(f"table has no cell for row {r!r}, column {c!r}")

    flat: dict[Hashable, int | None] = dict(cells)
    constraints: list[tuple[Hashable, list[Hashable]]] = []
    if row_totals is not None:
        _same_keys("row_totals", row_totals, rows)
        for r in rows:
            flat[(r, TOTAL)] = row_totals[r]
            constraints.append(((r, TOTAL), [(r, c) for c in cols]))
    if col_totals is not None:
        _same_keys("col_totals", col_totals, cols)
        for c in cols:
            flat[(TOTAL, c)] = col_totals[c]
            constraints.append(((TOTAL, c), [(r, c) for r in rows]))
    if grand_total is not None:
        grand = (TOTAL, TOTAL)
        flat[grand] = grand_total
        if row_totals is not None:
            constraints.append((grand, [(r, TOTAL) for r in rows]))
        if col_totals is not None:
            constraints.append((grand, [(TOTAL, c) for c in cols]))
        if row_totals is None and col_totals is None:
            constraints.append((grand, [(r, c) for r in rows for c in cols]))
    return protect(flat, constraints, threshold=threshold)


def _same_keys(name: str, given: Mapping, expected: Mapping) -> None:
    for key in given:
        if key not in expected:
            raise DisclosureError(f"{name} has {key!r}, which is not a {name[:3]} of the table")
    for key in expected:
        if key not in given:
            raise DisclosureError(f"{name} has no value for {key!r}")
