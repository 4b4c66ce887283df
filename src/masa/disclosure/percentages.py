"""Percentages for publication: from unrounded counts, 1 decimal place, half rounded up."""

from __future__ import annotations

from fractions import Fraction
from math import floor

from .errors import SUPPRESSED, DisclosureError
from .lines import check_count, check_threshold


def percent(numerator: int, denominator: int, *, threshold: int = 5) -> float | str:
    """``numerator / denominator`` as a percentage to 1 d.p., or "c" when either count, or the
    complement (denominator − numerator: "95% of 20" tells the reader 1 did not), is small
    enough to be suppressed. A true zero numerator gives 0.0, and 100% of a large base stays."""
    threshold = check_threshold(threshold)
    num = check_count("numerator", numerator)
    den = check_count("denominator", denominator)
    if num is None or den is None:
        raise DisclosureError("percent: numerator and denominator must both be recorded counts")
    if den == 0:
        raise DisclosureError(f"percent: denominator is 0 (numerator {num}), no percentage exists")
    if 1 <= num <= threshold or 1 <= den <= threshold or 1 <= den - num <= threshold:
        return SUPPRESSED
    tenths = floor(Fraction(num * 1000, den) + Fraction(1, 2))
    return tenths / 10
