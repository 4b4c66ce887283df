"""Comparison wording: percentage points vs %, direction words, missing and zero bases."""

import pytest

from masa.compare import compare, format_value, judge_target


def test_percentages_differ_in_percentage_points_not_percent():
    c = compare(89, 83, "percent", base_label="2023-24")
    assert c.kind == "percentage points"
    assert c.trend == "up"
    assert c.change == pytest.approx(6.0)
    assert c.sentence().startswith("83% to 89%: up 6.0 percentage points on 2023-24")
    assert "6.7%" not in c.sentence() and "7.2%" not in c.sentence()


def test_falling_count_says_down_with_relative_change_on_the_previous_base():
    c = compare(348, 420, "count", base_label="2023-24")
    assert c.trend == "down"
    assert c.relative_change == pytest.approx(-17.142857, rel=1e-5)
    assert c.sentence() == "420 to 348: down 72 (17.1%) on 2023-24."


def test_rising_count():
    assert compare(21, 13, "count", base_label="2023-24").sentence() == "13 to 21: up 8 (61.5%) on 2023-24."


def test_unchanged_at_printed_precision():
    c = compare(89.01, 89.0, "percent", base_label="2023-24")
    assert c.trend == "unchanged"
    assert "unchanged" in c.sentence() and "up" not in c.sentence()


def test_missing_previous_value_names_the_base_period():
    c = compare(30, None, "count", base_label="2023-24")
    assert c.trend == "no comparison" and c.change is None
    assert c.sentence() == "30: no 2023-24 figure to compare."


def test_missing_current_value():
    c = compare(None, 30, "count", base_label="2023-24")
    assert c.trend == "no comparison"
    assert "2023-24" in c.sentence()


def test_zero_base_gives_no_relative_percent():
    c = compare(5, 0, "count", base_label="2023-24")
    assert c.relative_change is None
    assert c.trend == "up"
    assert "%" not in c.sentence().split("(")[0]
    assert "zero base" in c.sentence()


def test_direction_words_follow_the_indicator_direction():
    assert compare(126, 182, "count", base_label="2023-24", direction="lower_is_better").judgement == "better"
    assert compare(54, 94, "percent", base_label="2023-24 Q4", direction="higher_is_better").judgement == "worse"
    assert "deterioration" in compare(54, 94, "percent", base_label="x", direction="higher_is_better").sentence()
    assert compare(1, 2, "count", base_label="x").judgement is None


def test_currency_is_written_in_millions():
    assert format_value(3_000_000, "currency") == "£3.0 million"
    assert format_value(45_000, "currency") == "£45,000"
    s = compare(3_000_000, 2_500_000, "currency", base_label="2023-24").sentence()
    assert s == "£2.5 million to £3.0 million: up £500,000 (20.0%) on 2023-24."


def test_one_percentage_point_is_singular():
    assert "1.0 percentage point on" in compare(90, 89, "percent", base_label="2023-24").sentence()


@pytest.mark.parametrize("value,met", [(89, False), (90, True), (95.5, True)])
def test_target_at_least(value, met):
    r = judge_target(value, 90, "at_least", "percent")
    assert r.met is met
    assert ("target met" in r.sentence()) is met


def test_target_at_most_and_shortfall_wording():
    r = judge_target(12, 10, "at_most", "percent")
    assert r.met is False
    assert r.sentence() == "12% against a target of at most 10%: target not met, 2.0 percentage points over."
    assert "1.0 percentage point short" in judge_target(89, 90, "at_least", "percent").sentence()
    assert judge_target(None, 90, "at_least", "percent").met is None
    with pytest.raises(ValueError, match="at_least or at_most"):
        judge_target(1, 2, "above", "count")
