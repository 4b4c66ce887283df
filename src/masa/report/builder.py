"""Dataset → report model: appendices, partner sections and their blocks, in spec order."""

from __future__ import annotations

import re

from masa.spec import parse_period

from .boundary import partner_values, report_templates
from .figures import SUPPRESSION_NOTE, partner_figures
from .model import Block, Heading, Items, Markdown, Paragraph, PublishedFigure, Report, Section, Table
from .opendata import breakdowns_of

NO_RESPONSE = "No response was received for this period."
INTERNAL = "INTERNAL – NOT FOR PUBLICATION – unsuppressed figures"


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def build_model(dataset, period: str, *, internal: bool = False, findings: list | None = None) -> Report:
    spec = dataset.spec
    p = parse_period(period)  # raises ValueError naming the accepted forms
    if p.kind != "year":
        raise ValueError(f"{period!r} is a quarter: a yearly report is built for a financial year such as {p.year}")
    if period not in spec.period_codes:
        raise ValueError(f"period {period!r} is not in the spec; known years: {', '.join(spec.periods.financial_years)}")
    pship = spec.partnership
    title = f"{pship.name} {pship.report_title} {p.code}"
    figures: list[PublishedFigure] = []
    any_suppressed = False
    appendices: list[Section] = []
    for t in report_templates(spec):
        label = f"Appendix {t.appendix}: {t.name}"
        app = Section(id=f"appendix-{slug(t.appendix)}", title=label)
        if t.question:
            app.blocks.append(Paragraph(f"The question asked of each partner: {t.question}", kind="question"))
        returns = {r.partner: r for r in dataset.returns_for(period, t.code)}
        for partner in spec.partners:
            heading = f"{partner.name} – {t.heading_suffix}" if t.heading_suffix else partner.name
            sec = Section(id=f"{app.id}-{partner.code}", title=heading)
            if internal:
                sec.blocks.append(Paragraph(INTERNAL, kind="internal"))
            ret = returns.get(partner.code)
            if ret is None:
                sec.blocks.append(Paragraph(NO_RESPONSE, kind="missing"))
                app.children.append(sec)
                continue
            for s in t.sections:
                blocks: list[Block] = []
                if s.kind == "figures":
                    values = partner_values(dataset, partner.code, t.code)
                    blocks, rows, supp = partner_figures(spec, partner.code, values, period,
                                                         internal=internal, id_prefix=sec.id)
                    figures += rows
                    any_suppressed |= supp
                else:
                    blocks = _section_blocks(spec, ret, s)
                if blocks:
                    sec.children.append(Section(id=f"{sec.id}-{s.code}", title=s.title, blocks=blocks))
            app.children.append(sec)
        appendices.append(app)
    notes = [
        f"Comparison sentences are worked out by masa from the stored figures for {p.code} and the "
        "same period a year earlier; differences between percentages are given in percentage points.",
    ]
    if any_suppressed:
        notes.append(SUPPRESSION_NOTE)
    if internal:
        notes.insert(0, f"{INTERNAL}. Small counts are shown as recorded. Do not publish this document.")
        if findings is not None:
            appendices.append(_quality_section(findings))
    breakdowns = breakdowns_of(spec, figures)
    return Report(title=title, partnership=pship.code, partnership_name=pship.name, period=p.code,
                  internal=internal, sections=appendices, notes=notes, figures=figures, breakdowns=breakdowns)


def _priorities(spec, codes: list[str]) -> str:
    names = []
    for c in codes:
        try:
            names.append(spec.priority(c).name)
        except KeyError:
            names.append(c)
    return ", ".join(names)


def _section_blocks(spec, ret, s) -> list[Block]:
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
            if a.status != "present":
                text += f" – {a.status.upper()}: the attached file could not be included"
            items.append(text)
            flags.append(a.status != "present")
        out.append(Items(items, flags=flags))
    elif s.kind == "voice" and ret.voice:
        out.append(Markdown(ret.voice))
    elif s.kind == "case_studies":
        for c in ret.case_studies:
            if c.title:
                out.append(Heading(c.title))
            out.append(Markdown(c.text))
    return out


def _action(a) -> str:
    bits = [a.text]
    extra = [x for x in (a.owner and f"owner: {a.owner}", a.due and f"due {a.due:%d %B %Y}",
                         f"status: {a.status}") if x]
    return f"{a.text} ({'; '.join(extra)})" if extra else bits[0]


def _quality_section(findings: list) -> Section:
    attrs = ["code", "severity", "partner", "period", "message", "quote", "location"]
    present = [a for a in attrs if any(getattr(f, a, None) not in (None, "") for f in findings)] or attrs[:5]
    rows = [[_text(getattr(f, a, "")) for a in present] for f in findings]
    blocks: list[Block] = [Paragraph(INTERNAL, kind="internal")]
    if rows:
        blocks.append(Table("Findings from the checks", [a.capitalize() for a in present], rows, row_headers=1))
    else:
        blocks.append(Paragraph("The checks found nothing to report.", kind="note"))
    return Section(id="quality", title="Quality appendix: findings from the checks", blocks=blocks)


def _text(v) -> str:
    if v is None:
        return ""
    if hasattr(v, "value") and not isinstance(v, (int, float, str)):  # enums
        v = v.value
    return str(v)
