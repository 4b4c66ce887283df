"""A year's figure from its four quarters, by each indicator's declared aggregation.

Quarter figures reach masa two ways: in quarterly returns (period "2024-25 Q1"), and as
quarter-period values inside a yearly return. Either way this module makes the year from
them: flows summed ("sum"), stocks taken at the year end ("end": Q4's value), percentages
recomputed from their numerator and denominator ("ratio"), and nothing for "none".

It never guesses. A year is made only from all four quarters; a quarter with no figure is
reported as missing, and a quarter published as "c" (suppressed before it reached us) makes
the year unknown, reported as such, never counted as 0. Plain Python: the checks and the
report both read it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from masa.spec.periods import parse_period

from .model import DataValue

QUARTERS = (1, 2, 3, 4)
ByKey = tuple  # sorted (breakdown, option) pairs
Slot = tuple[str, str]  # (indicator code, quarter code): one quarter of one indicator
AGGREGATION_WORDS = {"sum": "the sum of Q1 to Q4", "end": "Q4's value (the year-end figure)",
                     "ratio": "100 × numerator ÷ denominator, each made from its quarters"}


def quarter_codes(year: str) -> list[str]:
    return [f"{year} Q{n}" for n in QUARTERS]


def year_and_quarters(year: str) -> list[str]:
    """A year's code and its four quarters' codes: the periods a year's report reads."""
    return [year, *quarter_codes(year)]


@dataclass(frozen=True)
class YearFromQuarters:
    """One indicator × breakdown's year made from its quarters, or why it could not be."""

    partner: str
    indicator: str
    year: str
    by: ByKey
    aggregation: str
    value: float | None  # None: not computed (missing or suppressed quarters, zero denominator)
    used: tuple[tuple[str, str, float], ...] = ()  # (indicator, quarter, value) the year was made from
    missing: tuple[Slot, ...] = ()  # quarters with no figure
    suppressed: tuple[Slot, ...] = ()  # quarters published as "c": the year is unknown
    reason: str = ""  # why no value, in words
    numerator: float | None = None  # for "ratio": the yearly numerator and denominator
    denominator: float | None = None

    @property
    def computed(self) -> bool:
        return self.value is not None

    def quarters_used(self) -> str:
        """'Q1 120, Q2 95, Q3 101, Q4 88' (prefixed by indicator for a ratio's two counts)."""
        many = len({i for i, _, _ in self.used}) > 1
        return ", ".join(f"{i + ' ' if many else ''}{q[-2:]} {v:g}" for i, q, v in self.used)


def collect(returns: Iterable, partner: str, year: str) -> list[tuple[str, DataValue]]:
    """(period, value) for each of ``partner``'s figures of ``year`` and its quarters, once,
    from every return (quarterly and yearly, any template). A figure held by the return of its
    own period (a quarterly return for a quarter) wins over the same figure elsewhere."""
    chosen: dict[tuple, tuple[bool, str, DataValue]] = {}
    for r in returns:
        if r.partner != partner:
            continue
        for v in r.values:
            per = v.period or r.period
            try:
                if parse_period(per).year != year:
                    continue
            except ValueError:
                continue
            key = (v.indicator, per, tuple(sorted(v.by.items())))
            own = per == r.period
            if key not in chosen or (own and not chosen[key][0]):
                chosen[key] = (own, per, v)
    return [(per, v) for _, per, v in chosen.values()]


def years_from_quarters(spec, partner: str, values: Iterable[tuple[str, DataValue]], year: str,
                        ) -> list[YearFromQuarters]:
    """The year of every indicator × breakdown with at least one quarter figure in ``values``
    (a ratio: with a quarter of its numerator or denominator), in spec order. Indicators whose
    aggregation is "none" get no entry. ``values``: (period, value) pairs, one per figure."""
    quarters = set(quarter_codes(year))
    grid: dict[str, dict[ByKey, dict[str, DataValue]]] = {}
    for per, v in values:
        if per in quarters:
            grid.setdefault(v.indicator, {}).setdefault(tuple(sorted(v.by.items())), {})[per] = v
    out: list[YearFromQuarters] = []
    for ind in spec.indicators:
        how = ind.year_from_quarters
        if how in ("sum", "end"):
            for key, got in grid.get(ind.code, {}).items():
                out.append(_one(partner, ind.code, year, key, how, got))
        elif how == "ratio":
            keys = set(grid.get(ind.numerator, {})) | set(grid.get(ind.denominator, {}))
            for key in sorted(keys):
                out.append(_ratio(spec, partner, ind, year, key, grid))
    return out


def _one(partner: str, code: str, year: str, key: ByKey, how: str, got: dict[str, DataValue]) -> YearFromQuarters:
    used, missing, suppressed = [], [], []
    for q in quarter_codes(year):
        v = got.get(q)
        if v is not None and v.suppressed:
            suppressed.append((code, q))
        elif v is None or v.value is None:
            missing.append((code, q))
        else:
            used.append((code, q, v.value))
    # A stock is Q4's value: an earlier quarter published as "c" does not hide it.
    blocking = [s for s in suppressed if how == "sum" or s[1].endswith("Q4")]
    value = reason = None
    if missing:
        reason = "no figure for " + ", ".join(q[-2:] for _, q in missing)
    elif blocking:
        reason = "unknown: " + ", ".join(q[-2:] for _, q in blocking) + " is suppressed (c)"
    elif how == "sum":
        value = sum(x for _, _, x in used)
    else:
        value = used[-1][2]
    return YearFromQuarters(partner, code, year, key, how, value, tuple(used), tuple(missing), tuple(suppressed),
                            reason or "")


def _ratio(spec, partner: str, ind, year: str, key: ByKey, grid) -> YearFromQuarters:
    parts = {}
    for field in ("numerator", "denominator"):
        code = getattr(ind, field)
        parts[field] = _one(partner, code, year, key, spec.indicator(code).year_from_quarters,
                            grid.get(code, {}).get(key, {}))
    num, den = parts["numerator"], parts["denominator"]
    used = num.used + den.used
    missing = num.missing + den.missing
    suppressed = num.suppressed + den.suppressed
    value = None
    reasons = [f"{f} {getattr(ind, f)}: {p.reason}" for f, p in parts.items() if p.reason]
    if not reasons and den.value == 0:
        reasons = [f"the denominator {ind.denominator} is 0 for the year, so there is no percentage"]
    elif not reasons:
        value = 100 * num.value / den.value
    return YearFromQuarters(partner, ind.code, year, key, "ratio", value, used, missing, suppressed,
                            "; ".join(reasons), num.value, den.value)
