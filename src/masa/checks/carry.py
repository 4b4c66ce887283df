"""Carried items left unanswered: last year's unfinished audit actions and next-year priorities.

Working Together asks partnerships to say what became of what they planned, including where
there was little or no progress; an unanswered carried item is an error, and it blocks
submission (``masa.web.workflow.transitions``)."""

from __future__ import annotations

from masa.returns.rollover import unanswered

from .finding import Finding, Location
from .registry import Ctx, check

CODE = "carry.unanswered"


@check(CODE, "Carried action or last year's priority left unanswered", "error", "return",
       "Each audit action carried from last year needs a status (done and dropped need a reason), and each of "
       "last year's next-year priorities needs an answer and an explanation.", modes=("dataset",))
def carry_unanswered(ctx: Ctx, chk):
    for r in ctx.dataset.returns:
        if r.period != ctx.period:
            continue
        for where, text, message in unanswered(r):
            yield Finding(code=chk.code, title=chk.title, severity=chk.severity, scope=chk.scope, partner=r.partner,
                          period=r.period, quote=text, message=message,
                          location=Location(return_key="/".join(r.key()), file=r.source or None, section=where))
