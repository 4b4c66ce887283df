"""Year-on-year comparison maths and wording: percentage points for percentages, % for counts."""

from .comparison import Comparison, TargetResult, compare, format_change, format_value, judge_target

__all__ = ["Comparison", "TargetResult", "compare", "format_change", "format_value", "judge_target"]
