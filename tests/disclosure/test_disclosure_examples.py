"""Hand-worked tables: what a reader of the published figures sees."""

from __future__ import annotations

import pytest

from masa.disclosure import SUPPRESSED, DisclosureError, exposed_cells, percent, protect, protect_table, recoverable_cells

C = SUPPRESSED
FIRE = {"total": 21, "female": 3, "male": 5, "not known": 13}
FIRE_LINE = [("total", ["female", "male", "not known"])]


def test_fire_table_hides_both_small_counts_and_keeps_the_rest():
    # female + male = 21 - 13 = 8 has many solutions, so no further cell is needed.
    p = protect(FIRE, FIRE_LINE)
    assert p.published == {"total": 21, "female": C, "male": C, "not known": 13}
    assert p.primary == {"female", "male"}
    assert p.secondary == set()
    assert recoverable_cells(p.published, FIRE_LINE) == set()


def test_single_small_part_forces_a_second_suppression():
    # Without secondary suppression, female = 21 - 18 would give the 3 away.
    line = [("total", ["female", "male"])]
    assert recoverable_cells({"total": 21, "female": C, "male": 18}, line) == {"female"}
    p = protect({"total": 21, "female": 3, "male": 18}, line)
    assert p.published == {"total": 21, "female": C, "male": C}
    assert p.secondary == {"male"}


def test_secondary_picks_the_smallest_part_not_the_total():
    line = [("all", ["a", "b", "c", "d"])]
    p = protect({"all": 60, "a": 2, "b": 30, "c": 9, "d": 19}, line)
    assert p.published == {"all": 60, "a": C, "b": 30, "c": C, "d": 19}


def test_two_way_table_suppresses_a_rectangle_and_keeps_margins():
    cells = {("a", "x"): 3, ("a", "y"): 10, ("b", "x"): 8, ("b", "y"): 9}
    p = protect_table(cells, row_totals={"a": 13, "b": 17}, col_totals={"x": 11, "y": 19}, grand_total=30)
    assert p.published[("a", "x")] == C
    assert {k for k, v in p.published.items() if v == C} == {("a", "x"), ("a", "y"), ("b", "x"), ("b", "y")}
    assert p.published[("a", "total")] == 13 and p.published[("total", "total")] == 30


def test_zero_is_published_and_never_chosen_as_secondary():
    line = [("t", ["a", "b", "z"])]
    p = protect({"t": 12, "a": 4, "b": 8, "z": 0}, line)
    assert p.published == {"t": 12, "a": C, "b": C, "z": 0}


def test_not_recorded_stays_none():
    p = protect({"t": 21, "a": 3, "b": None}, [("t", ["a", "b"])])
    assert p.published == {"t": 21, "a": C, "b": None}


def test_unknown_key_in_constraint_is_named():
    with pytest.raises(DisclosureError, match="'males'"):
        protect(FIRE, [("total", ["female", "males", "not known"])])


def test_sums_that_do_not_add_up_are_rejected():
    with pytest.raises(DisclosureError, match="'total' is 22"):
        protect({**FIRE, "total": 22}, FIRE_LINE)


@pytest.mark.parametrize("bad", [-1, 2.5, "3", True])
def test_bad_counts_are_rejected_with_the_key(bad):
    with pytest.raises(DisclosureError, match="'male'"):
        protect({**FIRE, "male": bad})


def test_percent_rounds_half_up_from_unrounded_counts():
    assert percent(10, 160) == 6.3  # 6.25
    assert percent(0, 7) == 0.0
    assert percent(3, 40) == C
    assert percent(40, 4) == C


def test_six_ones_under_a_total_of_six_give_themselves_away():
    # Every "c" is at least 1, so 6 = c+c+c+c+c+c pins each part to 1: hide the total too.
    line = [("t", [f"p{i}" for i in range(6)])]
    cells = {"t": 6, **{f"p{i}": 1 for i in range(6)}}
    published = {"t": 6, **{f"p{i}": C for i in range(6)}}
    assert recoverable_cells(published, line) == set()
    assert exposed_cells(published, line) == {f"p{i}" for i in range(6)}
    assert protect(cells, line).published == {k: C for k in cells}


def test_ones_pinned_through_several_lines_are_found():
    # No single line and no rank argument gives (0,0) or (0,1) away, but the column and row
    # totals force (0,0) + (0,1) = 2, and each "c" is at least 1.
    body = {
        (0, 0): 1, (0, 1): 1, (0, 2): 7,
        (1, 0): 20, (1, 1): 3, (1, 2): 0,
        (2, 0): 0, (2, 1): 9, (2, 2): 0,
        (3, 0): 9, (3, 1): 1, (3, 2): 0,
    }
    rows = {0: 9, 1: 23, 2: 9, 3: 10}
    cols = {0: 30, 1: 14, 2: 7}
    lines = [((r, "total"), [(r, c) for c in range(3)]) for r in range(4)]
    lines += [(("total", c), [(r, c) for r in range(4)]) for c in range(3)]
    hidden = {(0, 0), (0, 1), (0, 2), (1, 0), (1, 1), (3, 0), (3, 1), (0, "total"), ("total", 2)}
    published = {**body, **{(r, "total"): v for r, v in rows.items()}, **{("total", c): v for c, v in cols.items()}}
    published.update({k: C for k in hidden})
    assert recoverable_cells(published, lines) == set()
    assert exposed_cells(published, lines) == {(0, 0), (0, 1)}
    safe = protect_table(body, row_totals=rows, col_totals=cols).published
    assert exposed_cells(safe, lines) == set()
    assert safe[(0, 0)] == safe[(0, 1)] == C


def test_threshold_can_be_raised():
    p = protect({"t": 30, "a": 8, "b": 22}, [("t", ["a", "b"])], threshold=10)
    assert p.published == {"t": 30, "a": C, "b": C}
    assert p.is_suppressed("a") and p.is_suppressed("b") and not p.is_suppressed("t")


def test_six_is_published_five_is_not():
    assert protect({"a": 5, "b": 6, "z": 0}).published == {"a": C, "b": 6, "z": 0}


def test_recovery_through_a_chain_of_lines():
    # Only (a,x) is hidden in its row, but also row b and column x each hide one cell:
    # a reader solves row b, then column x, then row a.
    lines = [("ra", ["ax", "ay"]), ("rb", ["bx", "by"]), ("cx", ["ax", "bx"]), ("cy", ["ay", "by"])]
    published = {"ra": 13, "rb": 17, "cx": 11, "cy": 19, "ax": C, "ay": C, "bx": C, "by": 9}
    assert recoverable_cells(published, lines) == {"ax", "ay", "bx"}
    published["by"] = C
    assert recoverable_cells(published, lines) == set()


def test_not_recorded_cells_are_unknown_to_a_reader():
    # total 21 = c + None + 13: the reader cannot tell how the 8 splits.
    line = [("t", ["a", "b", "n"])]
    assert recoverable_cells({"t": 21, "a": C, "b": None, "n": 13}, line) == set()
    assert protect({"t": 21, "a": 3, "b": None, "n": 13}, line).secondary == set()


def test_a_small_total_is_suppressed_and_its_parts_protected():
    # total 4 = 4 + 0: the total is small, the part too, the zero stays.
    p = protect({"t": 4, "a": 4, "z": 0}, [("t", ["a", "z"])])
    assert p.published == {"t": C, "a": C, "z": 0}
    assert p.secondary == set()


def test_secondary_suppression_is_deterministic():
    line = [("t", ["a", "b", "c"])]
    cells = {"t": 32, "a": 2, "b": 15, "c": 15}
    first = protect(cells, line).published
    assert first == {"t": 32, "a": C, "b": C, "c": 15}  # equal sizes: the earlier key
    assert all(protect(cells, line).published == first for _ in range(5))


def test_percent_thresholds_and_rounding():
    assert percent(60, 70) == 85.7
    assert percent(5, 7) == C
    assert percent(6, 5) == C
    assert percent(1, 8000) == C
    assert percent(70, 80) == 87.5
    assert percent(15, 8) == 187.5
    assert percent(13, 21) == 61.9


def test_a_percentage_that_gives_away_a_small_complement_is_suppressed():
    """95% of 20 tells the reader that exactly 1 did not: the complement is a count too."""
    assert percent(19, 20) == C
    assert percent(6, 7) == C
    assert percent(7, 8) == C
    assert percent(14, 20) == 70.0  # 6 did not: publishable
    assert percent(20, 20) == 100.0  # none did not: a true zero complement stays


def test_a_blank_that_the_total_fixes_at_a_small_number_is_protected():
    # 21 - 18 would tell a reader the not-recorded part is 3: hide the 18 as well.
    p = protect({"t": 21, "a": 18, "b": None}, [("t", ["a", "b"])])
    assert p.published == {"t": 21, "a": C, "b": None}
    assert p.secondary == {"a"}
    # A blank the totals fix at 0, or at 6 or more, tells nothing small.
    assert protect({"t": 24, "a": 18, "b": None}, [("t", ["a", "b"])]).secondary == set()
    assert protect({"t": 18, "a": 18, "b": None}, [("t", ["a", "b"])]).secondary == set()


def test_engine_imports_only_the_standard_library():
    import subprocess
    import sys

    code = (
        "import sys, masa.disclosure; "
        "bad = [m for m in sys.modules if m.split('.')[0] in {'django', 'pydantic', 'numpy', 'pandas'}]; "
        "print(bad)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
