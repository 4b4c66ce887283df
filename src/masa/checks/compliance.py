"""Working Together 2023: does the report cover what a yearly report must?

Items 1-5 of docs BRIEF: impact evidence (not only activity counts), analysis of little
progress, actions on practice reviews, children's feedback and how it was used, and the
arrangements' effectiveness (scrutiny) and shared budget. Each item is evidenced by
sentences that meet both halves of its test (topic and substance), quoted with their place.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .arithmetic import sentences
from .finding import ComplianceItem, Finding
from .registry import Ctx, check


@dataclass(frozen=True)
class Item:
    number: int
    code: str
    title: str
    topic: re.Pattern
    substance: re.Pattern | None
    needs_figure: bool = False
    missing: str = ""


def _rx(s: str) -> re.Pattern:
    return re.compile(s, re.IGNORECASE)


ITEMS = [
    Item(1, "wt2023.impact", "Evidence of impact on outcomes for children and families",
         _rx(r"\b(impact|outcomes?|as a result|resulted in|led to|reduc\w*|improv\w*|fewer|increas\w*|decreas\w*|desist\w*|diverted)\b"),
         _rx(r"\b(children|young people|families|referrals?|compliance|reoffend\w*|entrants|cases|incidents)\b"),
         needs_figure=True,
         missing="no sentence gives a measured outcome for children or families (only activity)."),
    Item(2, "wt2023.little-progress", "Analysis of areas with little or no progress",
         _rx(r"\b(not (?:yet |fully )?embedded|not yet \w+|slow(?:er)? (?:than planned|progress)|little (?:or no )?progress|"
             r"no progress|not (?:yet )?achieved|below (?:the )?target|"
             r"off track|remains? (?:a|an) (?:ongoing |key |persistent )?(?:challenge|concern|area for improvement|discussion)|"
             r"barriers?|further work|not as utilised|declin\w+|drop in)\b"),
         _rx(r"\b(because|due to|attributed|reasons?|caused|as a result|will|plan\w*|actions?|address\w*|review\w*|"
             r"why|next year|so that)\b"),
         missing="no analysis of priorities where progress was slow, with reasons and next steps."),
    Item(3, "wt2023.review-actions", "Actions taken on local and national practice reviews",
         _rx(r"\b(CSPRs?|practice reviews?|rapid reviews?|case reviews?|serious case reviews?|learning from (?:the )?(?:local |national )?"
             r"(?:and national )?reviews?|reviews identified)\b"),
         _rx(r"\b(action|recommendation|implement\w*|updated|introduced|added|developed|changed|in response|set up|launched)\b"),
         missing="no record of decisions and actions taken on practice review recommendations."),
    Item(4, "wt2023.voice", "Feedback from children and families, and how it was used",
         _rx(r"\b(feedback|views|voices?|consult\w*|co-?produc\w*|survey|listening|participation)\b"),
         _rx(r"\b(used to|helped|shaped|informed|led to|changed|as a result|guided?|in response|acted on|developed with|"
             r"driven|highlighted)\b"),
         missing="no account of how children's and families' feedback changed services."),
    Item(5, "wt2023.scrutiny", "Effectiveness of the arrangements and independent scrutiny",
         _rx(r"\b(scrutin\w+|scrutineer|effectiveness|independent (?:chair|scrutiny|review))\b"),
         _rx(r"\b(partnership|arrangements|MASA|LSCP|safeguarding partners|board)\b"),
         missing="no assessment of how effective the arrangements were, or of independent scrutiny."),
    Item(5, "wt2023.budget", "The arrangements' shared budget",
         _rx(r"\b(budget|financial contributions?|pooled fund\w*|partner contributions?|funding formula)\b"),
         None,
         missing="no account of the shared budget (partners' contributions and spending)."),
]


def assess(ctx: Ctx) -> list[ComplianceItem]:
    def make():
        out = []
        sents = sentences(ctx)
        for item in ITEMS:
            chk = _CHECKS[item.code]
            evidence: list[Finding] = []
            partners_seen: set = set()
            for s in sents:
                text = s.clean
                if not item.topic.search(text):
                    continue
                if item.substance and not item.substance.search(text):
                    continue
                if item.needs_figure and not s.figs:
                    continue
                key = s.para.partner
                if key in partners_seen and len(evidence) >= 2:
                    continue
                partners_seen.add(key)
                evidence.append(ctx.finding(chk, s.source, s.start, s.end, f"evidence for WT2023 item {item.number}",
                                            severity="info"))
                if len(evidence) >= 5:
                    break
            out.append(ComplianceItem(item=item.number, title=item.title, evidenced=bool(evidence), evidence=evidence))
        return out

    return ctx.cached("wt2023", make)


_CHECKS = {}


def _register(item: Item):
    @check(item.code, f"WT2023 item {item.number}: {item.title}", "query", "report",
           "Working Together 2023 expects the yearly report to cover this; scrutineers look for it first.",
           modes=("documents", "dataset"))
    def run(ctx: Ctx, chk, item=item):
        result = next(c for c in assess(ctx) if c.title == item.title)
        if not result.evidenced:
            yield ctx.report_finding(chk, f"WT2023 item {item.number} not evidenced: {item.missing}")

    from .registry import REGISTRY

    _CHECKS[item.code] = REGISTRY[item.code]


for _item in ITEMS:
    _register(_item)
