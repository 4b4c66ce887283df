"""Which periods are open and the spec with a year opened (masa.spec.opening): plain Python."""

from __future__ import annotations

import pytest

from masa.spec.opening import OpenRefused, fits, next_year, open_periods, read_year, state, with_year_opened
from masa.spec.periods import parse_period
from tests.web.conftest import _example_parsed


@pytest.fixture(scope="module")
def spec():
    return _example_parsed().spec  # 2023-24, 2024-25 (current), 2025-26; with quarters


def test_years_up_to_the_current_one_are_open_with_their_quarters(spec):
    codes = [p.code for p in open_periods(spec)]
    assert codes[:5] == ["2023-24", "2023-24 Q1", "2023-24 Q2", "2023-24 Q3", "2023-24 Q4"]
    assert "2024-25 Q4" in codes and not any(c.startswith("2025-26") for c in codes)
    assert (state(spec, "2024-25"), state(spec, "2024-25 Q2"), state(spec, "2023-24"), state(spec, "2025-26")) == (
        "current", "open", "open", "not yet open")


def test_a_closed_year_closes_its_quarters(spec):
    codes = [p.code for p in open_periods(spec, closed={"2023-24"})]
    assert not any(c.startswith("2023-24") for c in codes)
    assert state(spec, "2023-24 Q2", {"2023-24"}) == "closed"
    assert [p.code for p in open_periods(spec, closed={"2024-25 Q1"})].count("2024-25") == 1
    assert "2024-25 Q1" not in [p.code for p in open_periods(spec, closed={"2024-25 Q1"})]


def test_opening_the_next_year_makes_it_current(spec):
    assert next_year(spec) == "2025-26"
    new = with_year_opened(spec, "2025-26")
    assert (new.periods.current, new.periods.financial_years) == ("2025-26", ["2023-24", "2024-25", "2025-26"])
    newer = with_year_opened(new, "2026-27")
    assert newer.periods.financial_years[-1] == "2026-27" and newer.periods.current == "2026-27"
    assert spec.periods.current == "2024-25"  # the old spec is untouched


@pytest.mark.parametrize("year, says", [("2024-25", "already open"), ("2023-24", "already open"),
                                        ("2027-28", "Open 2025-26 first")])
def test_opening_out_of_turn_is_refused(spec, year, says):
    with pytest.raises(OpenRefused, match=says):
        with_year_opened(spec, year)


def test_years_typed_several_ways():
    assert read_year("2025/26") == read_year("2025-2026") == read_year(" 2025-26 ") == "2025-26"
    with pytest.raises(OpenRefused, match="not a quarter"):
        read_year("2025-26 Q1")
    with pytest.raises(OpenRefused, match="Enter a financial year"):
        read_year("2025-27")


def test_templates_fit_periods_by_frequency(spec):
    yearly = spec.template("appendix-b")
    quarterly = yearly.model_copy(update={"frequency": "quarterly"})
    year, quarter = parse_period("2024-25"), parse_period("2024-25 Q1")
    assert (fits(yearly, year), fits(yearly, quarter), fits(quarterly, quarter), fits(quarterly, year)) == (
        True, False, True, False)


def test_opening_a_year_can_turn_quarters_on(spec):
    without = spec.model_copy(update={"periods": spec.periods.model_copy(update={"quarters": False})})
    assert [p.kind for p in open_periods(without)] == ["year", "year"]
    assert not with_year_opened(without, "2025-26").periods.quarters
    opened = with_year_opened(without, "2025-26", quarters=True)
    assert "2023-24 Q1" in [p.code for p in open_periods(opened)]  # for every open year
