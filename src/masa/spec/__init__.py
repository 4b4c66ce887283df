"""Partnership metadata: areas, partners, periods, priorities, indicators, templates, rules."""

from .loader import SpecError, load_spec
from .models import (
    Area,
    Breakdown,
    Indicator,
    Partner,
    Partnership,
    Priority,
    Rule,
    Section,
    Spec,
    Template,
    fold,
)
from .periods import Period, normalise_period, parse_period, read_period, shift_period
from .yamlsource import Location, SourceError

__all__ = [
    "Area", "Breakdown", "Indicator", "Location", "Partner", "Partnership", "Period", "Priority",
    "Rule", "Section", "SourceError", "Spec", "SpecError", "Template", "fold", "load_spec",
    "normalise_period", "parse_period", "read_period", "shift_period",
]
