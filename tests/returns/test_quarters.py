"""A year from its quarters, by each indicator's declared aggregation: never guessed."""

from __future__ import annotations

import pytest

from masa.returns import Return
from masa.returns.quarters import collect, years_from_quarters

from .quarters_helpers import q, quarter_spec


@pytest.fixture(scope="module")
def qspec(spec):
    return quarter_spec(spec)


def year(qspec, values, indicator=None):
    found = years_from_quarters(qspec, "lbc", values, "2024-25")
    return [y for y in found if indicator is None or y.indicator == indicator]


def test_a_flow_is_the_sum_of_its_quarters(qspec):
    [y] = year(qspec, [q("csc_referrals", n, v, area="luton") for n, v in ((1, 120), (2, 95), (3, 101), (4, 88))])
    assert (y.aggregation, y.value, y.by) == ("sum", 404, (("area", "luton"),))
    assert y.quarters_used() == "Q1 120, Q2 95, Q3 101, Q4 88"


def test_a_stock_is_its_year_end_value(qspec):
    [y] = year(qspec, [q("children_on_plans", n, v, area="luton") for n, v in ((1, 230), (2, 241), (3, 219), (4, 226))])
    assert (y.aggregation, y.value) == ("end", 226)


def test_a_stock_is_not_hidden_by_an_earlier_suppressed_quarter(qspec):
    [y] = year(qspec, [q("children_on_plans", 1, "c", area="luton")] +
               [q("children_on_plans", n, 20, area="luton") for n in (2, 3, 4)])
    assert y.value == 20 and y.suppressed == (("children_on_plans", "2024-25 Q1"),)


def test_a_percentage_is_recomputed_from_its_numerator_and_denominator(qspec):
    held = [q("rhi_held", n, v, area="luton") for n, v in ((1, 30), (2, 40), (3, 20), (4, 10))]
    due = [q("rhi_due", n, v, area="luton") for n, v in ((1, 40), (2, 50), (3, 50), (4, 60))]
    # The quarters' own percentages (75, 80, 40, 16.7) average 52.9: the year is 100 / 200.
    pcts = [q("rhi_timely", n, v, area="luton") for n, v in ((1, 75), (2, 80), (3, 40), (4, 16.7))]
    [y] = year(qspec, held + due + pcts, "rhi_timely")
    assert (y.aggregation, y.value, y.numerator, y.denominator) == ("ratio", 50, 100, 200)


def test_a_ratio_with_a_zero_denominator_has_no_figure(qspec):
    vals = [q("rhi_held", n, 0, area="luton") for n in (1, 2, 3, 4)] + \
           [q("rhi_due", n, 0, area="luton") for n in (1, 2, 3, 4)]
    [y] = year(qspec, vals, "rhi_timely")
    assert y.value is None and not y.computed
    assert "denominator rhi_due is 0" in y.reason


def test_none_gives_no_yearly_figure(qspec):
    # training_compliance is a percentage with no numerator or denominator declared: "none".
    assert year(qspec, [q("training_compliance", n, 90, training_course="l1-children") for n in (1, 2, 3, 4)]) == []


def test_missing_quarters_are_reported_not_guessed(qspec):
    [y] = year(qspec, [q("csc_referrals", 1, 120, area="luton"), q("csc_referrals", 2, 95, area="luton"),
                       q("csc_referrals", 4, 88, area="luton")])
    assert y.value is None
    assert y.missing == (("csc_referrals", "2024-25 Q3"),) and y.reason == "no figure for Q3"
    # A quarter recorded as not known (no value, no "c") is missing too.
    [y] = year(qspec, [q("csc_referrals", n, None if n == 2 else 10, area="luton") for n in (1, 2, 3, 4)])
    assert y.value is None and y.missing == (("csc_referrals", "2024-25 Q2"),)


def test_a_stock_with_a_missing_quarter_is_not_guessed_either(qspec):
    [y] = year(qspec, [q("children_on_plans", n, 20, area="luton") for n in (1, 2, 4)])
    assert y.value is None and y.missing == (("children_on_plans", "2024-25 Q3"),)


def test_a_ratio_names_the_missing_quarters_of_each_count(qspec):
    vals = [q("rhi_held", n, 5, area="luton") for n in (1, 2, 3)] + [q("rhi_due", n, 9, area="luton") for n in (1, 2, 3, 4)]
    [y] = year(qspec, vals, "rhi_timely")
    assert y.value is None and y.missing == (("rhi_held", "2024-25 Q4"),)
    assert y.reason == "numerator rhi_held: no figure for Q4"


def test_a_suppressed_quarter_makes_the_sum_unknown_not_zero(qspec):
    [y] = year(qspec, [q("csc_referrals", 1, 120, area="luton"), q("csc_referrals", 2, "c", area="luton"),
                       q("csc_referrals", 3, 101, area="luton"), q("csc_referrals", 4, 88, area="luton")])
    assert y.value is None and y.missing == ()
    assert y.suppressed == (("csc_referrals", "2024-25 Q2"),)
    assert y.reason == "unknown: Q2 is suppressed (c)"


def test_each_breakdown_is_its_own_year(qspec):
    vals = [q("csc_referrals", n, 10, area="luton") for n in (1, 2, 3, 4)] + \
           [q("csc_referrals", n, 1, area="bedford") for n in (1, 2, 3)]
    got = {dict(y.by)["area"]: y.value for y in year(qspec, vals)}
    assert got == {"luton": 40, "bedford": None}


def test_collect_reads_quarterly_returns_and_quarters_inside_a_yearly_return(qspec):
    yearly = Return(partner="lbc", period="2024-25", template="appendix-b",
                    values=[q("csc_referrals", 1, 120)[1], q("csc_referrals", 2, 95)[1],
                            q("csc_referrals", 3, 999, year="2023-24")[1]])
    q3 = Return(partner="lbc", period="2024-25 Q3", template="quarterly-figures",
                values=[q("csc_referrals", 3, 101)[1].model_copy(update={"period": None})])
    q4 = Return(partner="lbc", period="2024-25 Q4", template="quarterly-figures", values=[q("csc_referrals", 4, 88)[1]])
    other = Return(partner="police", period="2024-25 Q4", template="quarterly-figures",
                   values=[q("csc_referrals", 4, 7)[1]])
    vals = collect([yearly, q3, q4, other], "lbc", "2024-25")
    assert sorted((p, v.value) for p, v in vals) == [("2024-25 Q1", 120), ("2024-25 Q2", 95),
                                                     ("2024-25 Q3", 101), ("2024-25 Q4", 88)]
    [y] = year(qspec, vals)
    assert y.value == 404
