"""Working Together: does the report cover what a yearly report must?

Items 1-5 of docs BRIEF: impact evidence (not only activity counts), analysis of little
progress, actions on practice reviews, children's feedback and how it was used, and the
arrangements' effectiveness (scrutiny) and shared budget. Each item is evidenced by
sentences that meet both halves of its test (topic and substance), quoted with their place;
a lead-in that names the topic ("What has happened as a result of reviews?") followed by a
list whose items carry the substance counts too.

The guidance is chosen by the report's own period, read from the document (its title, or the
"1 April 2023 to 31 March 2024" it says it covers): Working Together 2023 for periods from
2023-24 (codes wt2023.*), Working Together 2018 for 2019-20 to 2022-23 (items 1-4, codes
wt2018.*). Earlier reports (Local Safeguarding Children Boards) and reports whose period
cannot be read are not judged against either.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from masa.textlayer.numbers import MONTHS

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
    in_2018: bool = True  # also a Working Together 2018 yearly-report item


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
             r"(?:and national )?reviews?|reviews identified|as a result of (?:the |our |these )?reviews|learning reviews?|"
             r"(?:local|national) reviews)\b"),
         _rx(r"\b(actions?|recommendations?|implement\w*|updated|introduced|added|developed|changed|in response|set up|"
             r"(?:re)?launched|rewritten|revised|now|embedded|new|improved|strengthened|created|agreed|shared)\b"),
         missing="no record of decisions and actions taken on practice review recommendations."),
    Item(4, "wt2023.voice", "Feedback from children and families, and how it was used",
         _rx(r"\b(feedback|views|voices?|consult\w*|co-?produc\w*|survey|listening|participation)\b"),
         _rx(r"\b(used to|using|helped|shaped|shaping|informed|inform|led to|changed|as a result|guided?|in response|"
             r"acted on|developed with|driven|highlighted|triangulated)\b"),
         missing="no account of how children's and families' feedback changed services."),
    Item(5, "wt2023.scrutiny", "Effectiveness of the arrangements and independent scrutiny",
         _rx(r"\b(scrutin\w+|scrutineer|effectiveness|independent (?:chair|scrutiny|review))\b"),
         _rx(r"\b(partnership|safeguarding partners|arrangements|MASA|LSCP|board|executive|leadership group)\b"
             r"|\bcommission\w*\b.*\b(independent|external)\b|\b(independent|external)\b.*\bcommission\w*"),
         missing="no assessment of how effective the arrangements were, or of independent scrutiny.", in_2018=False),
    Item(5, "wt2023.budget", "The arrangements' shared budget",
         _rx(r"\b(budget|financial contributions?|pooled fund\w*|partner contributions?|funding formula)\b"),
         None,
         missing="no account of the shared budget (partners' contributions and spending).", in_2018=False),
]


_MONTHS = "|".join(MONTHS)  # matched ignoring case
_FY = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*(?:[-/–]|\bto\b)\s*(?:19|20)?(\d{2})(?!\d)|\bFY\s?(\d{2})/(\d{2})\b")
_SPAN = re.compile(rf"(?:1st|1)?\s*(?:{_MONTHS})\s+(20\d{{2}})\s*(?:-|–|to)\s*(?:\d{{1,2}}(?:st|nd|rd|th)?\s*)?"
                   rf"(?:{_MONTHS})\s+(20\d{{2}})", re.IGNORECASE)
_REPORT_YEAR = re.compile(r"\b(?:annual|yearly)\s+report\s+(?:for\s+)?(20\d{2})\b(?!\s*(?:[-/–]|to)\s*\d)", re.IGNORECASE)


def report_period(ctx: Ctx) -> str | None:
    """The period the report covers, as "2023-24": the title label, else the first period the
    opening text states ("1 April 2023 to 31 March 2024", "Annual Report 2022/23")."""
    if ctx.period:
        return ctx.period
    for src in ctx.sources:
        head = src.clean[:2000]
        found = []
        m = _SPAN.search(head)
        if m and int(m.group(2)) - int(m.group(1)) == 1:
            found.append((m.start(), f"{m.group(1)}-{m.group(2)[2:]}"))
        for m in _FY.finditer(head):  # "2023-24", "2023/24", "2023 to 2024", "1999-00", "FY23/24"
            first, second = (m.group(1), m.group(2)) if m.group(1) else (f"20{m.group(3)}", m.group(4))
            if (int(second) - int(first[2:])) % 100 == 1:
                found.append((m.start(), f"{first}-{second}"))
                break
        m = _REPORT_YEAR.search(head)
        if m:
            found.append((m.start(), m.group(1)))
        if found:
            return min(found)[1]
    return None


def guidance(period: str | None) -> str | None:
    """'2023', '2018' or None: the Working Together whose yearly-report items apply to the period.

    Working Together 2023 was published in December 2023, so it governs reports on 2023-24 and
    later; the 2018 guidance's safeguarding partners first reported on 2019-20 (their
    arrangements started in 2019; earlier reports are Local Safeguarding Children Boards')."""
    if not period or not period[:4].isdigit():
        return None
    year = int(period[:4])
    if year >= 2023:
        return "2023"
    return "2018" if year >= 2019 else None


def applicable(ctx: Ctx) -> tuple[str | None, list[Item]]:
    g = guidance(report_period(ctx))
    if g is None:
        return None, []
    return g, [i for i in ITEMS if g == "2023" or i.in_2018]


def _code(item: Item, g: str) -> str:
    return item.code if g == "2023" else item.code.replace("wt2023.", "wt2018.")


def _lead_in_lists(ctx: Ctx):
    """(lead-in paragraph, [list-item paragraphs]) for each list introduced by a short line."""
    for src in ctx.sources:
        paras = src.paras
        for i, p in enumerate(paras[:-1]):
            if p.is_list_item or len(p.clean) > 200:
                continue
            items = []
            for q in paras[i + 1:i + 12]:
                if not q.is_list_item:
                    break
                items.append(q)
            if items:
                yield p, items


def assess(ctx: Ctx) -> list[ComplianceItem]:
    def make():
        g, items = applicable(ctx)
        out = []
        sents = sentences(ctx)
        lists = list(_lead_in_lists(ctx)) if items else []
        for item in items:
            chk = _CHECKS[_code(item, g)]
            structured = _structured(ctx, item, chk)
            if structured is not None:  # the register or scrutiny data answers it, not the prose
                out.append(ComplianceItem(item=item.number, title=f"{item.title} (Working Together {g})",
                                          evidenced=bool(structured), evidence=structured))
                continue
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
                evidence.append(ctx.finding(chk, s.source, s.start, s.end,
                                            f"evidence for WT{g} item {item.number}", severity="info"))
                if len(evidence) >= 5:
                    break
            if not evidence and item.substance is not None and not item.needs_figure:
                for lead, entries in lists:
                    if not item.topic.search(lead.clean):
                        continue
                    hit = next((q for q in entries if item.substance.search(q.clean)), None)
                    if hit is not None:
                        evidence.append(ctx.finding(chk, lead.source, lead.start, hit.end,
                                                    f"evidence for WT{g} item {item.number}", severity="info"))
                        break
            out.append(ComplianceItem(item=item.number, title=f"{item.title} (Working Together {g})",
                                      evidenced=bool(evidence), evidence=evidence))
        return out

    return ctx.cached("wt-items", make)


def _structured(ctx: Ctx, item: Item, chk) -> list[Finding] | None:
    """Evidence for the practice-review and scrutiny items from the partnership's stored
    assurance data (``ctx.assurance``): None when it holds nothing for them, so the prose is
    read as before; else the findings that evidence the item ([] when the data shows none)."""
    book, period = ctx.assurance, report_period(ctx)
    if book is None or not period or not period[:4].isdigit():
        return None
    from masa.assurance.common import year_bounds

    first, last = year_bounds(period)
    if item.code == "wt2023.review-actions":
        reviews = [r for r in book.reviews if r.started <= last]
        if not reviews:
            return None
        acted = [a for r in reviews for a in r.actions()
                 if (a.completed and first <= a.completed <= last) or a.status == "in-progress"]
        return [ctx.report_finding(chk, f"evidence for item {item.number}: the learning-review register records "
                                        f"{len(acted)} actions on practice reviews completed or under way in {period}",
                                   severity="info")] if acted else []
    if item.code == "wt2023.scrutiny":
        s = book.scrutiny_for(period)
        if s is None:
            return None
        return [ctx.report_finding(chk, f"evidence for item {item.number}: the independent scrutineer's statement "
                                        f"for {period} is stored" + (" and signed off" if s.signed_off else ""),
                                   severity="info")] if s.statement.strip() else []
    return None


_CHECKS = {}


def _register(item: Item, g: str):
    code = _code(item, g)
    fails = ("We held meetings.",) if g == "2023" else (
        "Appendix A: Yearly Report 2021-22\n\nWe held meetings.",)
    passes = {"wt2023.impact": "As a result, repeat referrals for children fell to 18% from 24%.",
              "wt2023.little-progress": "The neglect tool is not yet embedded because staff lacked time; we will review it.",
              "wt2023.review-actions": "Following the CSPR, we updated the neglect pathway.",
              "wt2023.voice": "Feedback from young people shaped the new leaflet.",
              "wt2023.scrutiny": "The independent scrutineer judged the partnership arrangements effective.",
              "wt2023.budget": "The shared budget of £300,000 came from partner contributions."}[item.code]
    passes = (passes, "Appendix A: Annual Report 2016-17\n\nWe held meetings.") if g == "2023" else (
        "Appendix A: Yearly Report 2021-22\n\n" + passes, "Appendix A: Yearly Report 2024-25\n\n" + passes)

    @check(code, f"WT{g} item {item.number}: {item.title}", "query", "report",
           f"Working Together {g} expects the yearly report to cover this; scrutineers look for it first. "
           f"Judged only when the report's own period falls under the {g} guidance.",
           modes=("documents", "dataset"), fails=fails, passes=passes)
    def run(ctx: Ctx, chk, item=item, g=g):
        if applicable(ctx)[0] != g:
            return
        result = next(c for c in assess(ctx) if c.title.startswith(item.title + " ("))
        if not result.evidenced:
            yield ctx.report_finding(chk, f"WT{g} item {item.number} not evidenced: {item.missing}")

    from .registry import REGISTRY

    _CHECKS[code] = REGISTRY[code]


for _item in ITEMS:
    _register(_item, "2023")
    if _item.in_2018:
        _register(_item, "2018")
