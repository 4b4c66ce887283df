"""A priority no statutory partner reported against.

The three statutory safeguarding partners (the local authority, the police, the integrated
care board) share the duty for the arrangements, so each priority the partnership set should
be evidenced by at least one of them. Read from the priority tags on the parts of their
returns (masa.compare.themes), the same matrix the dataset dashboard and the internal report show.
"""

from __future__ import annotations

from masa.compare.themes import coverage

from .finding import Finding, Location
from .registry import Ctx, check

CODE = "priority.no-statutory-partner"


@check(CODE, "Priority with no statutory partner reporting against it", "query", "report",
       "Each partnership priority should be evidenced by at least one statutory safeguarding partner "
       "(local authority, police, integrated care board); none tagging it may mean the work is not "
       "happening, or is happening and not reported.", modes=("dataset",))
def no_statutory_partner(ctx: Ctx, chk):
    spec = ctx.spec or ctx.dataset.spec
    statutory = {p.code for p in spec.partners if p.statutory}
    if not spec.priorities or not any(r.period == ctx.period and r.partner in statutory for r in ctx.dataset.returns):
        return  # no statutory partner's return yet: the returns list says so, not this check
    cov = coverage(ctx.dataset, ctx.period)
    names = ", ".join(p.short_name for p in spec.partners if p.statutory)
    for pr in cov.uncovered():
        yield Finding(code=chk.code, title=chk.title, severity=chk.severity, scope=chk.scope, period=ctx.period,
                      quote=pr.name,
                      message=f"No statutory partner ({names}) tagged any part of its {ctx.period} return "
                              f"with the priority {pr.name!r}; ask them whether and how they worked on it",
                      location=Location(section=f"priorities: {pr.code}"))
