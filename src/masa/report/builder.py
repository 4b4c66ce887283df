"""Dataset → report model: appendices, partner sections and their blocks, in spec order."""

from __future__ import annotations

import re

from masa.returns import PUBLIC_STATUSES
from masa.spec import parse_period

from .boundary import partner_values, quarter_returns, report_templates
from .figures import SUPPRESSION_NOTE, ReportError, partner_figures
from .model import Block, Heading, Items, Markdown, Paragraph, PublishedFigure, Report, Section, Table
from .opendata import breakdowns_of
from .themes import theme_section

NO_RESPONSE = "No response was received for this period."
INTERNAL = "INTERNAL – NOT FOR PUBLICATION – unsuppressed figures"
DRAFT = "DRAFT – NOT FOR PUBLICATION"
NOT_AVAILABLE = "not available"
QUARTERS_ONLY = ("No yearly return was received from this partner; the figures below are from its quarterly "
                 "returns.")
DASH_NOTE = "–: no figure was recorded for this period or breakdown."
# Why a return that exists is left out of a public build, by its workflow status.
WAITING = {
    "draft": "is still a draft with the partner (not yet submitted)",
    "submitted": "has been submitted and is awaiting approval",
    "resubmitted": "has been resubmitted and is awaiting approval",
    "queried": "has been queried by the business unit and is being corrected",
}


QUALITY_TITLE = "Quality appendix: findings from the checks"


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def build_model(dataset, period: str, *, internal: bool = False, draft: bool = False,
                findings: list | None = None, assurance=None, section11=None) -> Report:
    """The report model. A public build (neither ``internal`` nor ``draft``) reads approved and
    published returns only, and says at its top which partners' returns are left out and why;
    the rule lives here so no caller (CLI, web, folder) can publish an unapproved return."""
    spec = dataset.spec
    p = parse_period(period)  # raises ValueError naming the accepted forms
    if p.kind != "year":
        raise ValueError(f"{period!r} is a quarter: a yearly report is built for a financial year such as {p.year}")
    if period not in spec.period_codes:
        raise ValueError(f"period {period!r} is not in the spec; known years: {', '.join(spec.periods.financial_years)}")
    public = not (internal or draft)
    waiting: dict[tuple[str, str], str] = {}  # (template, partner) -> status of a return left out
    waiting_quarters: list = []  # quarterly returns left out
    if public:
        used = [r for r in dataset.returns if r.status in PUBLIC_STATUSES]
        waiting = {(r.template, r.partner): r.status for r in dataset.returns_for(period)
                   if r.status not in PUBLIC_STATUSES}
        waiting_quarters = [r for t in report_templates(spec) for r in quarter_returns(dataset, period, t.code)
                            if r.status not in PUBLIC_STATUSES]
        if not any(parse_period(r.period).year == period for r in used):  # the year's quarters count too
            raise ReportError(f"no return for {period} is approved or published yet, so there is nothing to "
                              "publish; build a draft (masa report build --draft) to review the returns")
        dataset = dataset.model_copy(update={"returns": used})
    pship = spec.partnership
    title = f"{pship.name} {pship.report_title} {p.code}"
    figures: list[PublishedFigure] = []
    any_suppressed = any_dash = False
    appendices: list[Section] = []
    for t in report_templates(spec):
        label = f"Appendix {t.appendix}: {t.name}"
        app = Section(id=f"appendix-{slug(t.appendix)}", title=label)
        if t.question:
            app.blocks.append(Paragraph(f"The question asked of each partner: {t.question}", kind="question"))
        returns = {r.partner: r for r in dataset.returns_for(period, t.code)}
        quarterly = {r.partner for r in quarter_returns(dataset, period, t.code)}
        for partner in spec.partners:
            heading = f"{partner.name} – {t.heading_suffix}" if t.heading_suffix else partner.name
            sec = Section(id=f"{app.id}-{partner.code}", title=heading)
            ret = returns.get(partner.code)
            if not public:  # the banner names the return's status, so a reviewer knows what they read
                banner = INTERNAL if internal else DRAFT
                sec.blocks.append(Paragraph(f"{banner} – return status: {ret.status}" if ret else banner,
                                            kind="internal"))
            if ret is None and partner.code in quarterly:
                status = waiting.get((t.code, partner.code))
                sec.blocks.append(Paragraph(
                    f"This partner's yearly return {WAITING.get(status, 'is not yet approved')}; it is not included "
                    "in this report. The figures below are from its approved quarterly returns." if status
                    else QUARTERS_ONLY, kind="note"))
            elif ret is None:
                status = waiting.get((t.code, partner.code))
                text = (f"This partner's return {WAITING.get(status, 'is not yet approved')}; it is not "
                        "included in this report." if status else NO_RESPONSE)
                sec.blocks.append(Paragraph(text, kind="missing"))
                app.children.append(sec)
                continue
            for s in t.sections:
                blocks: list[Block] = []
                if s.kind == "figures":
                    values = partner_values(dataset, partner.code, t.code)
                    blocks, rows, supp = partner_figures(spec, partner.code, values, period,
                                                         internal=internal, draft=draft, id_prefix=sec.id)
                    any_dash |= _explain_dashes(blocks)
                    figures += rows
                    any_suppressed |= supp
                elif ret is not None:
                    blocks = _section_blocks(spec, ret, s, public=public)
                if blocks:
                    sec.children.append(Section(id=f"{sec.id}-{s.code}", title=s.title, blocks=blocks))
            progress = _progress_blocks(ret) if ret is not None else []
            if progress:
                sec.children.append(Section(id=f"{sec.id}-progress", title=PROGRESS_TITLE, blocks=progress))
            app.children.append(sec)
        appendices.append(app)
    notes = [
        f"Comparison sentences are worked out by masa from the stored figures for {p.code} and the "
        "same period a year earlier; differences between percentages are given in percentage points.",
    ]
    if any_suppressed:
        notes.append(SUPPRESSION_NOTE)
    if any_dash:
        notes.append(DASH_NOTE)
    if internal:
        notes.insert(0, f"{INTERNAL}. Small counts are shown as recorded. Do not publish this document.")
    elif draft:
        notes.insert(0, f"{DRAFT}. Built from every return, including those not yet approved, for review; "
                        "the checks may still have findings on it.")
    from .assurance_blocks import assurance_section  # the partnership's stored assurance (masa.assurance)

    assured = assurance_section(assurance, p.code, internal=internal,
                                names={x.code: x.short_name for x in spec.partners})
    if assured is not None:
        appendices.append(assured)
    if section11 is not None:  # stored Section 11 assessments (section11_block.Section11Data)
        from .section11_block import section as section11_section

        appendices.append(section11_section(section11, internal=internal))
    if not public and findings is not None:
        appendices.append(_quality_section(findings, INTERNAL if internal else DRAFT))
    if internal:
        appendices.append(theme_section(dataset, period, INTERNAL))
    breakdowns = breakdowns_of(spec, figures)
    return Report(title=title, partnership=pship.code, partnership_name=pship.name, period=p.code,
                  internal=internal, draft=draft and not internal, sections=appendices, notes=notes,
                  figures=figures, breakdowns=breakdowns, front=_partial_notice(spec, waiting, waiting_quarters))


def _partial_notice(spec, waiting: dict[tuple[str, str], str], waiting_quarters: list = ()) -> list[Block]:
    """The top-of-report statement that a public report is partial: which returns, and why."""
    if not waiting and not waiting_quarters:
        return []
    lines = [f"{partner.name} (Appendix {t.appendix}): the return {WAITING.get(waiting[(t.code, partner.code)], 'is not yet approved')}."
             for t in report_templates(spec) for partner in spec.partners if (t.code, partner.code) in waiting]
    lines += [f"{spec.partner(r.partner).name} ({spec.template(r.template).name}, {r.period}): the return "
              f"{WAITING.get(r.status, 'is not yet approved')}." for r in waiting_quarters]
    if not lines:
        return []
    return [Paragraph("This report is not complete: it includes only returns approved for publication. "
                      f"{len(lines)} return(s) received are not yet approved and are not included:", kind="notice"),
            Items(lines)]


def _explain_dashes(blocks: list[Block]) -> bool:
    """Put the meaning of "–" beside the meaning of "c" under each table that shows one."""
    found = False
    for b in blocks:
        if isinstance(b, Table) and any("–" in row[b.numeric_from or 0:] for row in b.rows):
            found = True
            if DASH_NOTE not in b.notes:
                at = 1 if b.notes and b.notes[0] == SUPPRESSION_NOTE else 0
                b.notes.insert(at, DASH_NOTE)
    return found


def _priorities(spec, codes: list[str]) -> str:
    names = []
    for c in codes:
        try:
            names.append(spec.priority(c).name)
        except KeyError:
            names.append(c)
    return ", ".join(names)


def _section_blocks(spec, ret, s, *, public: bool = True) -> list[Block]:
    out: list[Block] = []
    if s.kind == "narrative":
        for a in ret.sections:
            if a.section != s.code:
                continue
            if a.heading:
                out.append(Heading(a.heading))
            if a.priorities:
                out.append(Paragraph(f"Priorities: {_priorities(spec, a.priorities)}", kind="tags"))
            out.append(Markdown(a.text))
    elif s.kind == "highlights" and ret.highlights:
        out.append(Table("Key highlights", ["What we delivered", "Impact"],
                         [[h.delivered, h.impact] for h in ret.highlights], row_headers=1))
    elif s.kind == "audits" and ret.audits:
        rows = []
        for a in ret.audits:
            actions = "\n".join(_action(x) for x in a.actions) or "None recorded"
            rows.append([a.title, "\n".join(a.findings) or "None recorded", actions])
        out.append(Table("Audits", ["Audit", "Findings", "Actions taken"], rows, row_headers=1))
    elif s.kind == "challenges" and ret.challenges:
        out.append(Items([c.text for c in ret.challenges]))
    elif s.kind == "next_year" and ret.next_year:
        out.append(Items([n.text for n in ret.next_year]))
    elif s.kind == "attachments" and ret.attachments:
        items, flags = [], []
        for a in ret.attachments:
            where = ", ".join(x for x in (a.area and spec.area(a.area).name, a.period) if x)
            text = a.label + (f" ({where})" if where else "")
            if a.status != "present":  # the problem is the checks' finding (attachment.status), not the reader's
                text += f" – {NOT_AVAILABLE}" if public else f" – {a.status.upper()}: the attached file could not be included"
            items.append(text)
            flags.append(a.status != "present" and not public)
        out.append(Items(items, flags=flags))
    elif s.kind == "voice" and ret.voice:
        out.append(Markdown(ret.voice))
    elif s.kind == "case_studies":
        for c in ret.case_studies:
            if c.title:
                out.append(Heading(c.title))
            out.append(Markdown(c.text))
    return out


PROGRESS_TITLE = "Progress on last year's priorities"
NOT_ANSWERED = "Not answered"


def _progress_blocks(ret) -> list[Block]:
    """What became of the priorities a partner set last year, and of its audit actions carried
    from earlier years: Working Together's evidence on areas with little or no progress.
    Narrative only (the partner's answers, worded choices); no figures."""
    from masa.returns.rollover import ANSWER_WORDS, STATUS_WORDS

    out: list[Block] = []
    if ret.priority_reviews:
        out.append(Table(f"Priorities set for {ret.period}", ["Priority", "Outcome", "Explanation"],
                         [[p.text, ANSWER_WORDS[p.answer].capitalize() if p.answer else NOT_ANSWERED, p.explanation]
                          for p in ret.priority_reviews], row_headers=1))
    if ret.carried_actions:
        rows = []
        for a in ret.carried_actions:
            history = "; ".join(f"{h.period}: {STATUS_WORDS[h.status]}" for h in a.history)
            status = STATUS_WORDS[a.status].capitalize() if a.status else NOT_ANSWERED
            rows.append([a.text, f"{a.audit} (raised in {a.raised})" if a.audit else f"Raised in {a.raised}",
                         history, status + (f": {a.note}" if a.note else "")])
        out.append(Table("Audit actions carried from earlier years", ["Action", "Audit", "Earlier years", "This year"],
                         rows, row_headers=1))
    return out


def _action(a) -> str:
    bits = [a.text]
    extra = [x for x in (a.owner and f"owner: {a.owner}", a.due and f"due {a.due:%d %B %Y}",
                         f"status: {a.status}") if x]
    return f"{a.text} ({'; '.join(extra)})" if extra else bits[0]


def _quality_section(findings: list, marking: str) -> Section:
    attrs = ["code", "severity", "partner", "period", "message", "quote", "location"]
    present = [a for a in attrs if any(getattr(f, a, None) not in (None, "") for f in findings)] or attrs[:5]
    rows = [[_text(getattr(f, a, "")) for a in present] for f in findings]
    blocks: list[Block] = [Paragraph(marking, kind="internal")]
    if rows:
        blocks.append(Table("Findings from the checks", [a.capitalize() for a in present], rows, row_headers=1))
    else:
        blocks.append(Paragraph("The checks found nothing to report.", kind="note"))
    return Section(id="quality", title=QUALITY_TITLE, blocks=blocks)


def _text(v) -> str:
    if v is None:
        return ""
    if hasattr(v, "value") and not isinstance(v, (int, float, str)):  # enums
        v = v.value
    return str(v)
