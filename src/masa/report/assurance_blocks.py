"""The yearly report's assurance blocks, from the partnership's stored assurance data
(``masa.assurance.book.Book``): what was done as a result of practice reviews, what case
audits found, and the independent scrutineer's statement. Every comparison with the year
before is computed here from the same data; counts of audited cases and their grades pass the
publishing boundary (``boundary.protect_counts``), so small ones show as "c"."""

from __future__ import annotations

from masa.assurance import caseaudit as ca
from masa.assurance import reviews as rv
from masa.assurance.common import STATUS_WORDS, previous_year, year_bounds, year_of

from .boundary import protect_counts, protect_share
from .model import Items, Markdown, Paragraph, Section, Table

TITLE = "Assurance: learning from reviews, case audits and independent scrutiny"
REVIEWS = "What we did as a result of practice reviews"
AUDITS = "Case-audit findings"
SCRUTINY = "The independent scrutineer's statement"


def _compare(this: int, last: int, what: str) -> str:
    """A sentence comparing two yearly counts, worked out, never typed."""
    if this == last:
        return f"{this} {what}, the same as the year before."
    return f"{this} {what}, {'up' if this > last else 'down'} from {last} the year before."


def reviews_section(book, period: str) -> Section | None:
    register = book.register()
    first, last = year_bounds(period)
    relevant = [r for r in register.reviews if r.started <= last]
    if not relevant:
        return None
    now, before = rv.year_counts(register, period), rv.year_counts(register, previous_year(period))
    blocks = [Paragraph(" ".join([
        f"In {period}: " + _compare(now["reviews"], before["reviews"], "reviews began or were adopted"),
        _compare(now["completed"], before["completed"], "actions on their recommendations were completed"),
        f"At 31 March {last.year}, {now['open']} actions were still open, {now['overdue']} of them past their due date."]),
        kind="note")]
    rows = []
    for r in relevant:
        acts = r.actions()
        rows.append([r.title, rv.KINDS[r.kind], f"{r.started:%d %B %Y}".lstrip("0"), str(len(r.recommendations)),
                     str(sum(1 for a in acts if a.completed and a.completed <= last)),
                     str(sum(1 for a in acts if a.overdue(last) and not (a.completed and a.completed <= last)))])
    blocks.append(Table(caption=f"Practice reviews and their actions at 31 March {last.year}",
                        header=["Review", "Kind", "Date", "Recommendations", "Actions completed", "Actions overdue"],
                        rows=rows, numeric_from=3, id="assurance-reviews"))
    done = [(r, a) for r in relevant for a in r.actions() if a.completed and first <= a.completed <= last]
    if done:
        blocks.append(Items([f"{a.text} ({r.title}): {a.impact or 'no impact statement yet'}" for r, a in done],
                            title="Actions completed this year and what changed as a result"))
    late = [(r, a) for r in relevant for a in r.actions() if a.overdue(last) and not (a.completed and a.completed <= last)]
    if late:
        blocks.append(Items([f"{a.text}: {a.owner}, due {a.due:%d %B %Y}".replace(" 0", " ") +
                             f" ({STATUS_WORDS[a.status].lower()})" for r, a in late],
                            title="Actions past their due date"))
    return Section(id="assurance-reviews-section", title=REVIEWS, blocks=blocks)


def audits_section(book, period: str, *, internal: bool = False) -> Section | None:
    this = [a for a in book.audits if year_of(a.held) == period]
    last = [a for a in book.audits if year_of(a.held) == previous_year(period)]
    if not this:
        return None
    blocks = [Paragraph(f"In {period}: " + _compare(len(this), len(last), "themed multi-agency case audits were held"),
                        kind="note")]
    good = lambda audits: (sum(ca.summary(a).grades["outstanding"] + ca.summary(a).grades["good"] for a in audits),
                           sum(ca.summary(a).forms for a in audits))
    share_now = protect_share(*good(this), internal=internal)
    if last:
        share_then = protect_share(*good(last), internal=internal)
        blocks.append(Paragraph(f"Agencies graded their work good or outstanding in {share_now}% of audit forms, "
                                f"against {share_then}% the year before." if "c" not in (share_now, share_then) else
                                "The share of work graded good or outstanding is not shown: the counts are too small.",
                                kind="note"))
    for a in this:
        s = ca.summary(a)
        grades, total = protect_counts({ca.GRADES[g]: n for g, n in s.grades.items()}, internal=internal)
        cases = protect_counts({"cases": s.cases}, internal=internal)[1]
        blocks.append(Table(caption=f"{a.theme} ({a.held:%B %Y}): grades given by agencies to their own work, "
                                    f"{cases} cases",
                            header=["Grade", "Audit forms"], rows=[[g, str(n)] for g, n in grades.items()]
                            + [["Total", str(total)]], numeric_from=1, id=f"assurance-audit-{a.code}"))
        if s.themes:
            blocks.append(Items(list(s.themes), title=f"What the {a.theme.split(':')[0].lower()} audit found"))
        if a.actions:
            blocks.append(Items([f"{x.text} ({x.owner}): {STATUS_WORDS[x.status].lower()}" for x in a.actions],
                                title="Actions arising from the audit"))
    return Section(id="assurance-audits-section", title=AUDITS, blocks=blocks)


def scrutiny_section(book, period: str, names: dict[str, str] | None = None) -> Section | None:
    s, before = book.scrutiny_for(period), book.scrutiny_for(previous_year(period))
    if s is None or not (s.statement.strip() or s.recommendations):
        return None
    blocks = [Markdown(s.statement)] if s.statement.strip() else [
        Paragraph("The scrutineer's statement for this year has not been written yet.", kind="missing")]
    given, asked = s.responded()
    line = f"The scrutineer made {_compare(len(s.recommendations), len(before.recommendations) if before else 0, 'recommendations to the lead partners')}"
    blocks.append(Paragraph(f"{line} They answered {given} of the {asked} responses asked for.", kind="note"))
    if s.recommendations:
        blocks.append(Table(caption="The scrutineer's recommendations and the lead partners' responses",
                            header=["Recommendation", "Made", "Responses", "Awaiting"],
                            rows=[[r.text, f"{r.made:%d %B %Y}".lstrip("0"), str(len(r.responses)),
                                   ", ".join((names or {}).get(c, c) for c in r.awaiting()) or "none"] for r in s.recommendations],
                            numeric_from=2, id="assurance-scrutiny"))
    blocks.append(Paragraph(f"Signed off by {s.signed_off.by} on {s.signed_off.day:%d %B %Y}.".replace(" 0", " ")
                            if s.signed_off else "The scrutineer has not yet signed off this report.", kind="note"))
    return Section(id="assurance-scrutiny-section", title=SCRUTINY, blocks=blocks)


def assurance_section(book, period: str, *, internal: bool = False,
                      names: dict[str, str] | None = None) -> Section | None:
    """The report's assurance part, or None when nothing is stored for the year."""
    if book is None:
        return None
    parts = [p for p in (reviews_section(book, period), audits_section(book, period, internal=internal),
                         scrutiny_section(book, period, names)) if p is not None]
    return Section(id="assurance", title=TITLE, children=parts) if parts else None
