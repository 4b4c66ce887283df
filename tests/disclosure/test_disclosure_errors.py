"""Bad input fails closed with a message naming what is wrong; nothing is returned."""

from __future__ import annotations

import pytest

from masa.disclosure import DisclosureError, exposed_cells, percent, protect, protect_table, recoverable_cells

CELLS = {"total": 21, "female": 3, "male": 5, "not known": 13}


@pytest.mark.parametrize(
    ("constraints", "message"),
    [
        ([("total", ["female", "men"])], r"unknown key 'men'"),
        ([("all", ["female", "male"])], r"unknown key 'all'"),
        ([("total", [])], r"'total'\): has no parts"),
        ([("total", ["female", "female", "male", "not known"])], r"part 'female' is listed twice"),
        ([("total", ["total", "male"])], r"the total is also listed as a part"),
        ([("total", "female")], r"parts must be a list of keys"),
        ([("total",)], r"expected \(total_key, \[part_keys\]\)"),
        ([("total", [["female"]])], r"cannot be a cell key"),
        ([("total", ["female", "male"])], r"'total' is 21 but its parts \['female', 'male'\] add up to 8"),
    ],
)
def test_bad_constraints(constraints, message):
    with pytest.raises(DisclosureError, match=message):
        protect(CELLS, constraints)


def test_known_parts_exceeding_a_total_with_unrecorded_parts():
    with pytest.raises(DisclosureError, match=r"'total' is 21 but its published parts already add up to 26"):
        protect({"total": 21, "a": 13, "b": 13, "c": None}, [("total", ["a", "b", "c"])])


def test_unrecorded_cells_that_no_count_could_fill():
    lines = [("t", ["a", "b"]), ("u", ["a", "b"])]
    with pytest.raises(DisclosureError, match=r"not-recorded cells \['a'\]"):
        protect({"t": 10, "u": 12, "a": None, "b": 3}, lines)


@pytest.mark.parametrize("threshold", [-1, 2.5, "5", None])
def test_bad_threshold(threshold):
    with pytest.raises(DisclosureError, match="threshold"):
        protect(CELLS, threshold=threshold)


@pytest.mark.parametrize("bad", ["C", "x", "", 3.0, -2])
def test_published_values_must_be_counts_c_or_none(bad):
    with pytest.raises(DisclosureError, match="cell 'male'"):
        recoverable_cells({**CELLS, "male": bad}, [])


def test_published_sums_must_add_up():
    published = {"total": 20, "female": "c", "male": "c", "not known": 13, "other": 8}
    with pytest.raises(DisclosureError, match="'total' is 20 but its published parts already add up to 21"):
        recoverable_cells(published, [("total", ["female", "male", "not known", "other"])])


def test_suppressed_cells_that_no_count_of_one_or_more_could_fill():
    with pytest.raises(DisclosureError, match=r"suppressed cells \['a', 'b'\]"):
        exposed_cells({"t": 10, "a": "c", "b": "c", "d": 9}, [("t", ["a", "b", "d"])])


def test_table_needs_every_cell():
    with pytest.raises(DisclosureError, match="no cell for row 'b', column 'x'"):
        protect_table({("a", "x"): 1, ("a", "y"): 2, ("b", "y"): 3})


def test_table_margins_must_match_its_rows_and_columns():
    cells = {("a", "x"): 7, ("b", "x"): 8}
    with pytest.raises(DisclosureError, match="row_totals has 'c'"):
        protect_table(cells, row_totals={"a": 7, "b": 8, "c": 0})
    with pytest.raises(DisclosureError, match="col_totals has no value for 'x'"):
        protect_table(cells, col_totals={})
    with pytest.raises(DisclosureError, match=r"\('total', 'x'\) is 16 but its parts"):
        protect_table(cells, col_totals={"x": 16})


def test_table_keys_must_be_pairs_and_not_reuse_total():
    with pytest.raises(DisclosureError, match="not a \\(row, column\\) pair"):
        protect_table({"a": 7})
    with pytest.raises(DisclosureError, match="row name 'total' is reserved"):
        protect_table({("total", "x"): 7})


def test_is_suppressed_rejects_unknown_keys():
    with pytest.raises(DisclosureError, match="unknown cell 'men'"):
        protect(CELLS).is_suppressed("men")


@pytest.mark.parametrize(
    ("num", "den", "message"),
    [(3, 0, "denominator is 0"), (-1, 10, "'numerator'.*negative"), (6, 7.5, "'denominator'.*whole number"), (None, 8, "recorded")],
)
def test_percent_errors(num, den, message):
    with pytest.raises(DisclosureError, match=message):
        percent(num, den)
