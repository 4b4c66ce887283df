"""The dataset engine: red/amber/green against target at its boundaries, series across years
and quarters, filters, trend words, and the SVG chart's text alternative."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from masa.compare.trends import Filters, Observation, apply_filters, rag, series_of, trend_word
from masa.report.trendsvg import trend_svg
from masa.spec.models import Indicator


def _ind(**kw):
    base = {"code": "x", "name": "X", "unit": "percent", "direction": "higher_is_better",
            "target": {"value": 90, "direction": "at_least"}}
    return Indicator.model_validate({**base, **kw})


@pytest.mark.parametrize("value,expected", [
    (95, "green"), (90, "green"), (89.9, "amber"), (85, "amber"), (84.9, "red"), (0, "red"),
    ("c", None), (None, None),
])
def test_rag_at_least_with_an_amber_band(value, expected):
    assert rag(_ind(rag={"amber_within": 5}), value) == expected


@pytest.mark.parametrize("value,expected", [(10, "green"), (12, "green"), (14, "amber"), (14.5, "red")])
def test_rag_at_most_counts_the_gap_the_other_way(value, expected):
    ind = _ind(unit="count", direction="lower_is_better", target={"value": 12, "direction": "at_most"},
               rag={"amber_within": 2})
    assert rag(ind, value) == expected


def test_without_a_band_any_miss_is_red_and_without_a_target_nothing_is_rated():
    assert rag(_ind(), 89.99) == "red"
    assert rag(_ind(), 90) == "green"
    assert rag(_ind(target=None), 50) is None


def test_the_catalogue_refuses_a_band_without_target_or_not_positive_or_misspelt():
    with pytest.raises(ValidationError, match="rag needs a target"):
        _ind(target=None, rag={"amber_within": 5})
    with pytest.raises(ValidationError, match="greater than 0"):
        _ind(rag={"amber_within": 0})
    with pytest.raises(ValidationError, match="amber_witin"):
        _ind(rag={"amber_witin": 5})


def test_the_examples_training_compliance_is_red_then_amber(spec):
    ind = spec.indicator("training_compliance")
    assert (rag(ind, 83), rag(ind, 89)) == ("red", "amber")


def _obs(period, value, partner="elft", by=(("training-course", "l3-children"),), ind="training_compliance"):
    return Observation(partner, ind, period, by, value)


def test_series_split_years_from_quarters_and_run_quarters_across_year_ends(spec):
    obs = [_obs("2024-25 Q1", 54), _obs("2024-25", 89), _obs("2023-24 Q4", 94), _obs("2023-24", 83),
           _obs("2024-25 Q2", "c")]
    series = series_of(spec, obs)
    assert [(s.frequency, [p.period for p in s.points]) for s in series] == [
        ("year", ["2023-24", "2024-25"]), ("quarter", ["2023-24 Q4", "2024-25 Q1", "2024-25 Q2"])]
    years, quarters = series
    assert [p.rating for p in years.points] == ["red", "amber"]
    assert trend_word(spec.indicator("training_compliance"), years) == "improving"
    assert quarters.latest.period == "2024-25 Q1"  # a suppressed point is never the latest rating
    assert trend_word(spec.indicator("training_compliance"), quarters) == "worsening"


def test_filters_by_priority_partner_area_and_year(spec):
    obs = [_obs("2024-25", 89), _obs("2023-24", 83),
           Observation("lbc", "missing_children", "2024-25", (("area", "luton"),), 40),
           Observation("lbc", "missing_children", "2024-25", (("area", "bedford"),), 30)]
    assert {o.indicator for o in apply_filters(spec, obs, Filters(priority="exploitation"))} == {"missing_children"}
    assert {o.partner for o in apply_filters(spec, obs, Filters(partner="elft"))} == {"elft"}
    assert [o.period for o in apply_filters(spec, obs, Filters(period="2023-24"))] == ["2023-24"]
    luton = apply_filters(spec, obs, Filters(area="luton"))
    assert ("area", "bedford") not in {b for o in luton for b in o.by} and len(luton) == 3


def test_chart_has_a_text_alternative_with_every_point_and_leaves_gaps(spec):
    ind = spec.indicator("training_compliance")
    (s,) = series_of(spec, [_obs("2023-24", 83), _obs("2024-25", 89)])
    svg = trend_svg(s, ind, "c1", "Training, ELFT")
    assert 'role="img"' in svg and "2023-24 83%, 2024-25 89%; target at least 90%" in svg
    (one,) = series_of(spec, [_obs("2024-25", 89)])
    assert trend_svg(one, ind, "c2", "x") == ""  # one point is no trend: the table says it
    (gap,) = series_of(spec, [_obs("2022-23", 80), _obs("2023-24", "c"), _obs("2024-25", 89)])
    svg = trend_svg(gap, ind, "c3", "x")
    assert "2023-24 c (suppressed)" in svg and "<polyline" not in svg  # no line drawn through a hidden point
