"""Period codes and the rule expression language."""

from __future__ import annotations

import pytest

from masa.spec.periods import normalise_period, parse_period, shift_period
from masa.spec.rules import Evaluator, ExprError, Missing, parse_expr


@pytest.mark.parametrize("text,code", [
    ("2024/25", "2024-25"), ("2024-2025", "2024-25"), ("in 2023/24 the", "2023-24"),
    ("Q1 2024/25", "2024-25 Q1"), ("2024–25", "2024-25"), ("2024/26", None), ("no year here", None),
])
def test_normalise_period(text, code):
    assert normalise_period(text) == code


def test_bad_period_codes_explain_the_accepted_forms():
    with pytest.raises(ValueError, match="like 2024-25"):
        parse_period("FY2024")
    with pytest.raises(ValueError, match="must follow"):
        parse_period("2024-26")


def test_like_for_like_previous_period():
    assert shift_period("2024-25", -1) == "2023-24"
    assert shift_period("2024-25 Q1", -1) == "2023-24 Q1"


def _fire(values):
    def lookup(ind, by):
        return values.get((ind, tuple(sorted(by.items()))))
    return Evaluator(lookup, lambda b: ["female", "male", "not-known"], context={"area": "luton"})


def test_sum_over_a_breakdown_within_the_context():
    ev = _fire({("r", (("area", "luton"),)): 21.0, ("r", (("area", "luton"), ("sex", "female"))): 3.0,
                ("r", (("area", "luton"), ("sex", "male"))): 5.0,
                ("r", (("area", "luton"), ("sex", "not-known"))): 13.0})
    assert ev.eval(parse_expr("r")) == 21
    assert ev.eval(parse_expr("sum(r[sex=*])")) == 21
    assert ev.eval(parse_expr("r[sex=female] * 2 + (1 - 1)")) == 6


def test_a_missing_figure_is_reported_not_treated_as_zero():
    with pytest.raises(Missing):
        _fire({}).eval(parse_expr("r[sex=male]"))


@pytest.mark.parametrize("bad", ["r +", "r[sex]", "(r", "r ) ", "r $ 2"])
def test_malformed_expressions_are_refused(bad):
    with pytest.raises(ExprError):
        parse_expr(bad)
