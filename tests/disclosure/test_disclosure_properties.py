"""Property tests on random small tables, with an independent brute-force reader.

The brute force does not use the library's rank test: it searches for another way to fill
the "c" cells with whole numbers that fits every published total. A reader knows each "c"
is at least 1 (zeros are never suppressed), so fillings start at 1. If every "c" can take
two different values, none of them can be worked out.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from masa.disclosure import SUPPRESSED, protect, protect_table, recoverable_cells

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
small_count = st.integers(min_value=0, max_value=14)


# ---------------------------------------------------------------- independent reader
def _tighten(domains, lines):
    """Shrink [lo, hi] of every unknown until each line could still add up; None if impossible."""
    domains = dict(domains)
    changed = True
    while changed:
        changed = False
        for total, parts in lines:
            for x in (total, *parts):
                if x == total:
                    lo = sum(domains[p][0] for p in parts)
                    hi = sum(domains[p][1] for p in parts)
                else:
                    others = [p for p in parts if p != x]
                    lo = domains[total][0] - sum(domains[p][1] for p in others)
                    hi = domains[total][1] - sum(domains[p][0] for p in others)
                old = domains[x]
                new = (max(old[0], lo), min(old[1], hi))
                if new[0] > new[1]:
                    return None
                if new != old:
                    domains[x] = new
                    changed = True
    return domains


def _feasible(domains, lines):
    """Depth-first search for any whole-number filling of the domains."""
    domains = _tighten(domains, lines)
    if domains is None:
        return False
    open_vars = [k for k, (lo, hi) in domains.items() if lo < hi]
    if not open_vars:
        return True
    x = min(open_vars, key=lambda k: domains[k][1] - domains[k][0])
    lo, hi = domains[x]
    return any(_feasible({**domains, x: (v, v)}, lines) for v in range(lo, hi + 1))


def cells_a_reader_can_pin(published, constraints, truth, bound, blank_small=False):
    """Suppressed cells that take only one value over all fillings consistent with what is
    published (each "c" between 1 and ``bound``, a not-recorded cell between 0 and ``bound``).
    With ``blank_small``, not-recorded cells whose true value is 1-5 are checked as well."""
    domains = {
        k: (v, v) if isinstance(v, int) else (1, bound) if v == SUPPRESSED else (0, bound)
        for k, v in published.items()
    }
    lines = list(constraints)
    pinned = set()
    for key, value in published.items():
        small_blank = blank_small and value is None and 1 <= truth[key] <= 5
        if value != SUPPRESSED and not small_blank:
            continue
        alternatives = [truth[key] + d for step in range(1, bound + 1) for d in (step, -step)]
        if not any(domains[key][0] <= v <= bound and _feasible({**domains, key: (v, v)}, lines) for v in alternatives):
            pinned.add(key)
    return pinned


# ---------------------------------------------------------------- table generators
@st.composite
def one_way(draw):
    parts = draw(st.lists(small_count, min_size=1, max_size=7))
    cells = {"total": sum(parts), **{f"p{i}": v for i, v in enumerate(parts)}}
    return cells, [("total", [f"p{i}" for i in range(len(parts))])]


@st.composite
def one_way_with_gaps(draw):
    """A 1-D table where some parts (or the total) were not recorded: the true figure exists
    but is passed as None."""
    truth, lines = draw(one_way())
    recorded = {k: (None if draw(st.integers(0, 4)) == 0 else v) for k, v in truth.items()}
    return truth, recorded, lines


@st.composite
def two_way(draw):
    n_rows = draw(st.integers(1, 3))
    n_cols = draw(st.integers(1, 3))
    body = {(r, c): draw(small_count) for r in range(n_rows) for c in range(n_cols)}
    margins = draw(st.sampled_from(["rows", "cols", "both", "both+grand"]))
    rows = {r: sum(body[r, c] for c in range(n_cols)) for r in range(n_rows)}
    cols = {c: sum(body[r, c] for r in range(n_rows)) for c in range(n_cols)}
    kwargs = {
        "row_totals": rows if margins != "cols" else None,
        "col_totals": cols if margins != "rows" else None,
        "grand_total": sum(body.values()) if margins == "both+grand" else None,
    }
    return body, kwargs


def _table_view(body, kwargs):
    """The flat cells and constraints a reader of the 2-D table can see, built here from the
    table's shape rather than taken from the library."""
    rows = sorted({r for r, _ in body})
    cols = sorted({c for _, c in body})
    cells = dict(body)
    lines = []
    if kwargs["row_totals"] is not None:
        for r in rows:
            cells[(r, "total")] = kwargs["row_totals"][r]
            lines.append(((r, "total"), [(r, c) for c in cols]))
    if kwargs["col_totals"] is not None:
        for c in cols:
            cells[("total", c)] = kwargs["col_totals"][c]
            lines.append((("total", c), [(r, c) for r in rows]))
    if kwargs["grand_total"] is not None:
        cells[("total", "total")] = kwargs["grand_total"]
        lines.append((("total", "total"), [(r, "total") for r in rows]))
        lines.append((("total", "total"), [("total", c) for c in cols]))
    return cells, lines


def _check_safe(cells, lines, published, truth=None):
    truth = truth or cells
    assert set(published) == set(cells)
    for key, value in published.items():
        # (a) no small count is published; (c) everything published is the true figure
        assert not (isinstance(value, int) and 1 <= value <= 5), (key, value)
        if value != SUPPRESSED:
            assert value == cells[key], key
        # (d) zeros stay zero
        if cells[key] == 0:
            assert value == 0, key
        if isinstance(cells[key], int) and 1 <= cells[key] <= 5:
            assert value == SUPPRESSED, key
    # (b) the library's rank test and an independent search agree nothing can be worked out
    assert recoverable_cells(published, lines) == set()
    bound = 2 * sum(truth.values()) + 2
    assert cells_a_reader_can_pin(published, lines, truth, bound, blank_small=True) == set()


@SETTINGS
@given(one_way())
def test_one_way_tables_are_safe(table):
    cells, lines = table
    _check_safe(cells, lines, protect(cells, lines).published)


@SETTINGS
@given(one_way_with_gaps())
def test_not_recorded_cells_stay_blank_and_do_not_leak(table):
    truth, recorded, lines = table
    published = protect(recorded, lines).published
    assert all(published[k] is None for k, v in recorded.items() if v is None)
    _check_safe(recorded, lines, published, truth)


@SETTINGS
@given(two_way())
def test_two_way_tables_are_safe(table):
    body, kwargs = table
    cells, lines = _table_view(body, kwargs)
    _check_safe(cells, lines, protect_table(body, **kwargs).published)


def test_brute_force_reader_does_catch_a_give_away():
    # Guards the guard: the search must flag a lone "c" beside a published total and part.
    published = {"total": 21, "a": SUPPRESSED, "b": 18}
    truth = {"total": 21, "a": 3, "b": 18}
    assert cells_a_reader_can_pin(published, [("total", ["a", "b"])], truth, 50) == {"a"}


def test_brute_force_reader_also_sees_a_blank_that_the_total_fixes():
    published = {"total": 21, "a": None, "b": 18}
    truth = {"total": 21, "a": 3, "b": 18}
    lines = [("total", ["a", "b"])]
    assert cells_a_reader_can_pin(published, lines, truth, 50) == set()
    assert cells_a_reader_can_pin(published, lines, truth, 50, blank_small=True) == {"a"}
