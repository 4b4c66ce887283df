"""Periods and dates that contradict themselves: a range that ends before it starts, a range
whose end lost its year, a quarter label with another quarter's months."""

from __future__ import annotations

import re

from masa.textlayer.dates import CALENDAR_Q, FINANCIAL_Q, QUARTER_LABEL, ranges
from masa.textlayer.numbers import MONTHS

from .registry import Ctx, check

_MONTH_NAMES = [m.capitalize() for m in MONTHS]


def _ranges(ctx: Ctx):
    def make():
        out = []
        for p in ctx.paras():
            for r in ranges(p.clean, p.start):
                out.append((p, r))
        return out

    return ctx.cached("date-ranges", make)


@check("period.reversed", "A period ends before it starts", "error", "report",
       "A year running from April 2017 to March 2017 cannot be right: one of its dates is mistyped, "
       "and the reader cannot tell which period the figures cover.",
       fails=("The figures cover 1 April 2023 to 31 March 2023.",),
       passes=("The figures cover 1 April 2023 to 31 March 2024.",))
def reversed_period(ctx: Ctx, chk):
    for p, r in _ranges(ctx):
        if r.a.year is None or r.b.year is None:
            continue
        first, last = r.a.first(), r.b.last()
        if last < first:
            yield ctx.finding(chk, p.source, r.start, r.end,
                              f"the period ends ({last:%-d %B %Y}) before it starts ({first:%-d %B %Y}); "
                              f"check the years")


@check("period.incomplete-date", "A date in a period has lost its year", "query", "report",
       "'1 April 2023 to 31 March' leaves the reader to guess which March; the end of a period needs its "
       "year when the start has one.",
       fails=("The figures cover 1 April 2023 to 31 March.", "Data runs from April 2023 to March."),
       passes=("The figures cover 1 April to 30 June 2024 and 1 April 2023 to 31 March 2024.",
               "The pilot ran from 1 April 2023 to 30 June, then stopped."))
def incomplete_date(ctx: Ctx, chk):
    for p, r in _ranges(ctx):
        # the end is earlier in the year than the start, so the year must change, and it is not written
        # ("1 April 2023 to 31 March"); "1 April 2023 to 30 June" stays in the year it names
        if r.a.year is not None and r.b.year is None and (r.b.month, r.b.day or 1) < (r.a.month, r.a.day or 1):
            tail = p.source.clean[r.b.end:r.b.end + 12]
            if re.match(r"\s*(?:\d|of each|each|every)", tail):
                continue  # "1 April 2023 to 31 March 2024" split oddly, or a recurring date
            yield ctx.finding(chk, p.source, r.start, r.end,
                              f"the period starts in {r.a.year} but its end ({_MONTH_NAMES[r.b.month - 1]}) "
                              f"has no year")




def _quarter_fits(q: int, first_month: int, last_month: int, fy: str | None) -> bool:
    span = (last_month - first_month) % 12
    if span not in (2,):
        return True  # not a three-month quarter written out; say nothing
    if fy:
        return first_month == FINANCIAL_Q[q]
    return first_month in (FINANCIAL_Q[q], CALENDAR_Q[q])


def _quarter_labels(ctx: Ctx):
    """(para, range, label match, label start) for every quarter label written with its months."""
    out = []
    for p, r in _ranges(ctx):
        src = p.source
        before = src.clean[max(p.start, r.start - 40):r.start]
        m = None
        for m in QUARTER_LABEL.finditer(before):
            pass
        if m is None or before[m.end():].strip(" (:,–-") not in ("", "from"):
            continue
        out.append((p, r, m, max(p.start, r.start - 40) + m.start()))
    return out


def _convention(labels) -> str | None:
    """'financial' or 'calendar' when most of the document's quarter labels (at least two, and more
    than the other kind) fit only that one (Q1 April to June is financial only; Q1 January to March
    calendar only), else None."""
    seen = {"financial": 0, "calendar": 0}
    for _, r, m, _ in labels:
        q, first, last = int(m.group(1)), r.a.month, r.b.month
        if (last - first) % 12 != 2 or FINANCIAL_Q[q] == CALENDAR_Q[q]:
            continue
        if m.group(2) or first == FINANCIAL_Q[q]:
            seen["financial"] += 1
        elif first == CALENDAR_Q[q]:
            seen["calendar"] += 1
    best = max(seen, key=seen.get)
    other = seen["calendar" if best == "financial" else "financial"]
    return best if seen[best] >= 2 and seen[best] > other else None


@check("period.quarter-dates", "A quarter label with another quarter's months", "error", "report",
       "Quarter 2 of a financial year is July to September; a label with the wrong months puts the "
       "figures in the wrong quarter. When a document's other quarters are financial ones (Q1 is April "
       "to June), a Q3 of July to September is wrong even though a calendar Q3 has those months.",
       fails=("In Q1 (July to September 2024) referrals rose.", "Q3 2024-25 (July to September 2024) was busy.",
              ("Quarter | Contacts\nQ1 (April to June 2024) | 598\nQ2 (July to September 2024) | 574\n"
               "Q3 (July to September 2024) | 611\nQ4 (January to March 2025) | 640\n")),
       passes=("In Q2 (July to September 2024) referrals rose. Q3 (October – December) was quieter.",
               "Q1 2024 (January to March) and Q4 2024-25 (January to March 2025).",
               ("Quarter | Contacts\nQ1 (January to March 2024) | 598\nQ2 (April to June 2024) | 574\n"
                "Q3 (July to September 2024) | 611\n"),
               ("Quarter | Contacts\nQ1 (April to June 2024) | 598\nQ2 (July to September 2024) | 574\n"
                "Q3 (October to December 2024) | 611\nQ4 (January to March 2025) | 640\n")))
def quarter_dates(ctx: Ctx, chk):
    labels = ctx.cached("quarter-labels", lambda: _quarter_labels(ctx))
    conv = _convention(labels)
    for p, r, m, start in labels:
        src = p.source
        q = int(m.group(1))
        first, last = r.a.month, r.b.month
        fy = m.group(2) or (conv == "financial")
        if _quarter_fits(q, first, last, fy):
            continue
        fq = next(k for k, v in FINANCIAL_Q.items() if v == first) if first in FINANCIAL_Q.values() else None
        why = "" if m.group(2) or not fy else " (the document's other quarters are financial ones)"
        yield ctx.finding(chk, src, start, r.end,
                          f"Q{q} is {_MONTH_NAMES[FINANCIAL_Q[q] - 1]} to {_MONTH_NAMES[(FINANCIAL_Q[q] + 1) % 12]} "
                          f"in a financial year ({_MONTH_NAMES[CALENDAR_Q[q] - 1]} to "
                          f"{_MONTH_NAMES[CALENDAR_Q[q] + 1]} in a calendar year), but the months given are "
                          f"{_MONTH_NAMES[first - 1]} to {_MONTH_NAMES[last - 1]}"
                          + (f" (financial Q{fq})" if fq else "") + why)
