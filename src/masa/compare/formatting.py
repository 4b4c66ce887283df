"""How a figure is written in a report: one place, so tables and sentences agree."""

from __future__ import annotations


def _number(value: float, decimals: int | None) -> str:
    """Whole numbers without decimals; others to ``decimals`` places; thousands separated."""
    if decimals is None:
        if float(value).is_integer():
            return f"{int(value):,}"
        return f"{value:,.{1 if abs(value) >= 1 else 2}f}".rstrip("0").rstrip(".")
    return f"{value:,.{decimals}f}"


def format_value(value: float | None, unit: str, decimals: int | None = None) -> str:
    """A stored value as a reader sees it: 89%, 1,234, £3.0 million, 12 days."""
    if value is None:
        return "not recorded"
    if unit == "percent":
        return f"{_number(value, decimals)}%"
    if unit == "currency":
        return format_money(value)
    if unit == "days":
        return f"{_number(value, decimals)} day{'' if value == 1 else 's'}"
    return _number(value, decimals)


def format_money(value: float) -> str:
    """Pounds: £3.0 million from a million up, £45,000 below, pence only when present."""
    sign = "-" if value < 0 else ""
    v = abs(value)
    if v >= 1_000_000_000:
        return f"{sign}£{v / 1_000_000_000:,.1f} billion"
    if v >= 1_000_000:
        return f"{sign}£{v / 1_000_000:,.1f} million"
    if float(v).is_integer():
        return f"{sign}£{int(v):,}"
    return f"{sign}£{v:,.2f}"
