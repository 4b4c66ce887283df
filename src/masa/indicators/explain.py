"""A definition in plain English, with the SQL it runs, for ``masa indicators explain``."""

from __future__ import annotations

from masa.spec.periods import parse_period

from .compile import _col_types, compile_sql, filter_sql
from .definition import Definition, RepeatWithin, WorkingDaysWithin

_MEASURES = {
    "count": "the number of records",
    "distinct": "the number of different values of {column}",
    "sum": "the total of {column}",
    "ratio": "the percentage of records that also meet the numerator conditions",
    "share": "each {of} option's share (percentage) of the total",
    "compliance": "the percentage of people whose latest completion is still in date at the period end",
}


def _derived(defn: Definition, d) -> str:
    if isinstance(d, RepeatWithin):
        return (f"1 when the same {defn.source.person} has an earlier record on or up to {d.days} days before "
                f"this one's {defn.source.date}, at any date (not only in the period)")
    if isinstance(d, WorkingDaysWithin):
        return (f"1 when {d.end} is no more than {d.days} working days after {d.start} "
                "(weekends and England bank holidays do not count)")
    return f"1 when {d.end} is no more than {d.hours} hours after {d.start}"


def explain(defn: Definition, period: str = "2024-25") -> str:
    types = _col_types(defn)
    m = defn.measure
    lines = [f"{defn.title} ({defn.ref})", "", " ".join(defn.description.split()), "",
             f"Reads table {defn.source.table!r}; columns: "
             + ", ".join(f"{c} ({t})" for c, t in defn.source.columns.items()) + ".",
             (f"Measures {_MEASURES[m.kind].format(column=m.column, of=m.of)}, as indicator {defn.indicator!r} "
             f"({defn.unit}).")]
    if defn.period == "event":
        lines.append(f"Counts records whose {defn.source.date} falls in the period.")
    else:
        lines.append("Takes the position at the last day of the period.")
    for f in defn.filters:
        lines.append(f"Only where {filter_sql(f, types)}.")
    for f in m.numerator:
        lines.append(f"Numerator: where {filter_sql(f, types)}.")
    for f in m.denominator:
        lines.append(f"Denominator: where {filter_sql(f, types)}.")
    for d in defn.derive:
        lines.append(f"Derives {d.name!r}: {_derived(defn, d)}.")
    if defn.breakdowns:
        lines.append("Broken down by " + ", ".join(b.by for b in defn.breakdowns)
                     + ", with every subtotal and the total.")
    for b in defn.breakdowns:
        if b.from_areas:
            lines.append(f"The {b.by!r} breakdown maps each of the partnership's areas by its ONS code in "
                         f"{b.column!r}; give the partnership (--partnership) to see them in the SQL.")
    if defn.threshold:
        lines.append(f"Counts of 1 to {defn.threshold} are published as 'c', with further cells "
                     "suppressed so that none can be worked out from the totals.")
    lines += ["", f"SQL for {period}:", compile_sql(defn, parse_period(period))]
    return "\n".join(lines)
