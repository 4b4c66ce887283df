"""A small spec for quarter tests: the Luton spec plus a quarterly template, a stock count and
a percentage declared as a ratio of two counts."""

from __future__ import annotations

from masa.returns import DataValue
from masa.spec import Spec

EXTRA_INDICATORS = [
    {"code": "children_on_plans", "name": "Children on child protection plans at the period end", "unit": "count",
     "breakdowns": ["area"], "aggregation": "end"},
    {"code": "rhi_held", "name": "Return home interviews held within 72 hours", "unit": "count",
     "breakdowns": ["area"]},
    {"code": "rhi_due", "name": "Return home interviews due", "unit": "count", "breakdowns": ["area"]},
    {"code": "rhi_timely", "name": "Return home interviews held within 72 hours", "unit": "percent",
     "breakdowns": ["area"], "aggregation": "ratio", "numerator": "rhi_held", "denominator": "rhi_due"},
]
QUARTERLY = {"code": "quarterly-figures", "name": "Quarterly figures", "frequency": "quarterly",
             "sections": [{"code": "figures", "title": "Figures", "kind": "figures"}]}


def quarter_spec(base) -> Spec:
    doc = base.model_dump(mode="json")
    doc["indicators"] += EXTRA_INDICATORS
    doc["templates"] += [QUARTERLY]
    return Spec.model_validate(doc)


def q(indicator, quarter, value, year="2024-25", note="", **by):
    """A quarter figure; value "c" is one suppressed before it reached us."""
    period = f"{year} Q{quarter}" if quarter else year
    if value == "c":
        return period, DataValue(indicator=indicator, period=period, by=by, value=None, note="c")
    return period, DataValue(indicator=indicator, period=period, by=by, value=value, note=note)
