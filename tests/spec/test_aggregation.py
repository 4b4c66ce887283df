"""Declared aggregation on indicators: defaults keep every spec valid; a ratio's parts resolve."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from masa.spec import Spec
from masa.spec.models import Indicator, integrity_problems
from tests.returns.quarters_helpers import EXTRA_INDICATORS, quarter_spec


def test_defaults_by_unit(spec):
    got = {i.code: i.year_from_quarters for i in spec.indicators}
    assert got["csc_referrals"] == "sum" and got["family_help_funding"] == "sum"
    assert got["training_compliance"] == "none" and got["repeat_referral_rate"] == "none"
    assert all(i.aggregation is None for i in spec.indicators)  # nothing declared in the example


def test_a_ratio_needs_its_numerator_and_denominator():
    with pytest.raises(ValidationError, match="needs both numerator and denominator"):
        Indicator(code="x", name="X", unit="percent", aggregation="ratio", numerator="a")
    with pytest.raises(ValidationError, match="only with aggregation: ratio"):
        Indicator(code="x", name="X", unit="count", numerator="a")
    with pytest.raises(ValidationError, match="for percent indicators"):
        Indicator(code="x", name="X", unit="count", aggregation="ratio", numerator="a", denominator="b")
    with pytest.raises(ValidationError, match="aggregation"):
        Indicator(code="x", name="X", unit="count", aggregation="average")


def test_the_quarter_spec_is_sound(spec):
    assert integrity_problems(quarter_spec(spec)) == []


@pytest.mark.parametrize("change, message", [
    ({"numerator": "nope"}, "unknown numerator 'nope'"),
    ({"denominator": "rhi_timely"}, "unknown denominator 'rhi_timely'"),
    ({"numerator": "training_compliance"}, "must have aggregation sum or end"),
    ({"denominator": "gp_practice_visits"}, "must have the same breakdowns"),
])
def test_a_ratio_whose_parts_do_not_fit_is_named(spec, change, message):
    doc = spec.model_dump(mode="json")
    ratio = {**EXTRA_INDICATORS[3], **change}
    doc["indicators"] += [*EXTRA_INDICATORS[:3], ratio]
    problems = integrity_problems(Spec.model_validate(doc))
    assert [m for _, m in problems if message in m], problems
    assert problems[0][0][-1] in ("numerator", "denominator")


def test_a_quarterly_template_needs_quarters_in_the_periods(spec):
    doc = quarter_spec(spec).model_dump(mode="json")
    doc["periods"]["quarters"] = False
    problems = integrity_problems(Spec.model_validate(doc))
    assert [(loc[-1], m) for loc, m in problems] == [
        ("frequency", "template 'quarterly-figures' is quarterly, but the spec's periods have quarters: false")]
