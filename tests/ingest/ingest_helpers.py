"""Small lookups the import tests share."""

from __future__ import annotations


def by_partner(result, template=None):
    return {r.partner: r for r in result.returns if template is None or r.template == template}


def values_of(ret, indicator):
    """{(period, sorted by-items): value} for one indicator of a return."""
    return {(v.period or ret.period, tuple(sorted(v.by.items()))): v.value for v in ret.values if v.indicator == indicator}
