"""'A to B: up/down N (P%)': the comparison wording masa's report writes. Someone may edit a
generated sentence in the Word file, or copy the pattern by hand, so each one is redone."""

from __future__ import annotations

import re

from .arithmetic import fmt
from .registry import Ctx, check

_N = r"(\d[\d,]*(?:\.\d+)?)"
STATED = re.compile(
    _N + r"(%?) to " + _N + r"(%?):\s*(up|down|unchanged)"
    r"(?:\s+" + _N + r"(\s+percentage points?|%)?)?(?:\s*\(" + _N + r"%\))?",
    re.IGNORECASE)


def _num(text: str) -> float:
    return float(text.replace(",", ""))


def problems(match: re.Match) -> list[str]:
    """What is wrong with one stated comparison; empty when it adds up."""
    a, pa, b, pb, word, n, n_unit, rel = match.groups()
    old, new = _num(a), _num(b)
    change = new - old
    out = []
    want = "up" if change > 0 else "down" if change < 0 else "unchanged"
    if word.lower() != want:
        out.append(f"{fmt(old, 'count')} to {fmt(new, 'count')} is {want}, not {word.lower()}")
    if n is not None and abs(abs(change) - _num(n)) > 0.051:
        unit = " percentage points" if (pa or pb) else ""
        out.append(f"the difference is {fmt(abs(change), 'count')}{unit}, not {n}")
    if rel is not None and old:
        exact = abs(change) / old * 100
        if abs(exact - _num(rel)) > 0.051:
            out.append(f"the relative change is {exact:.1f}%, not {rel}%")
    return out


@check("change.stated-difference", "A stated difference does not match its two figures", "error", "narrative",
       "'A to B: up N (P%)' states three things that follow from A and B; an edited or hand-copied "
       "sentence can keep the form and lose the arithmetic.",
       fails=("Referrals fell: 420 to 348: down 100 (23.8%) on 2023-24.",),
       passes=(("Referrals fell: 420 to 348: down 72 (17.1%) on 2023-24. "
                "Compliance: 83% to 89%: up 6.0 percentage points on 2023-24."),))
def stated_difference(ctx: Ctx, chk):
    for p in ctx.paras():
        for m in STATED.finditer(p.clean):
            found = problems(m)
            if found:
                yield ctx.finding(chk, p.source, p.start + m.start(), p.start + m.end(), "; ".join(found))
