"""The yearly report's assurance blocks, from the partnership's stored assurance data
(``masa.assurance.book.Book``): what was done as a result of practice reviews, what case
audits found, and the independent scrutineer's statement. Every comparison with the year
before is computed here from the same data; counts of audited cases and their grades pass the
publishing boundary (``boundary.protect_counts``), so small ones show as "c".

Free text is refused on entry when it holds personal details; text stored before that rule (or
written straight to the database) is read again here with ``masa.checks.personal``: the public
build leaves it out, the internal build shows it flagged so the business unit can correct it."""

from __future__ import annotations

from masa.assurance import caseaudit as ca
from masa.assurance import reviews as rv
from masa.assurance.common import STATUS_WORDS, previous_year, year_bounds, year_of
from masa.checks.personal import personal_details

from .boundary import protect_counts, protect_share
from .model import Items, Markdown, Paragraph, Section, Table

TITLE = "Assurance: learning from reviews, case audits and independent scrutiny"
REVIEWS = "What we did as a result of practice reviews"
AUDITS = "Case-audit findings"
SCRUTINY = "The independent scrutineer's statement"
WITHHELD = "(left out: it may identify someone)"


def _said(text: str, internal: bool) -> str | None:
    """``text`` as the report may print it: None (public) or flagged (internal) when it holds
    personal details."""
    found = personal_details(text) if text and text.strip() else []
    if not found:
        return text
    return f"[NOT PUBLISHED, correct it: {found[0]}] {text}" if internal else None


def _all_said(parts: list[str], internal: bool) -> list[str] | None:
    """Each part as ``_said`` gives it, or None when the public build leaves any out."""
    said = [_said(p, internal) for p in parts]
    return None if None in said else said


def _cell(text: str, internal: bool) -> str:
    said = _said(text, internal)
    return WITHHELD if said is None else said


def _compare(this: int, last: int, what: str) -> str:
    """A sentence comparing two yearly counts, worked out, never typed."""
    if this == last:
        return f"{this} {what}, the same as the year before."
    return f"{this} {what}, {'up' if this > last else 'down'} from {last} the year before."


def reviews_section(book, period: str, *, internal: bool = False) -> Section | None:
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
        rows.append([_cell(r.title, internal), rv.KINDS[r.kind], f"{r.started:%d %B %Y}".lstrip("0"), str(len(r.recommendations)),
                     str(sum(1 for a in acts if a.completed and a.completed <= last)),
                     str(sum(1 for a in acts if a.overdue(last) and not (a.completed and a.completed <= last)))])
    blocks.append(Table(caption=f"Practice reviews and their actions at 31 March {last.year}",
                        header=["Review", "Kind", "Date", "Recommendations", "Actions completed", "Actions overdue"],
                        rows=rows, numeric_from=3, id="assurance-reviews"))
    done = [(r, a) for r in relevant for a in r.actions() if a.completed and first <= a.completed <= last]
    if done:
        lines = [_all_said([a.text, r.title, a.impact or "no impact statement yet"], internal) for r, a in done]
        if any(lines):
            blocks.append(Items([f"{x[0]} ({x[1]}): {x[2]}" for x in lines if x],
                                title="Actions completed this year and what changed as a result"))
    late = [(r, a) for r in relevant for a in r.actions() if a.overdue(last) and not (a.completed and a.completed <= last)]
    if late:
        lines = [_all_said([a.text, a.owner], internal) for r, a in late]
        blocks.append(Items([f"{x[0]}: {x[1]}, due {a.due:%d %B %Y}".replace(" 0", " ") + f" ({STATUS_WORDS[a.status].lower()})"
                             if x else f"An action {WITHHELD}, due {a.due:%d %B %Y}".replace(" 0", " ")
                             for x, (r, a) in zip(lines, late)], title="Actions past their due date"))
    return Section(id="assurance-reviews-section", title=REVIEWS, blocks=blocks)


def audits_section(book, period: str, *, internal: bool = False) -> Section | None:
    this = [a for a in book.audits if year_of(a.held) == period]
    last = [a for a in book.audits if year_of(a.held) == previous_year(period)]
    if not this:
        return None
    blocks = [Paragraph(f"In {period}: " + _compare(len(this), len(last), "themed multi-agency case audits were held"),
                        kind="note")]
    share_now = _good_share(this, internal)
    if last:
        share_then = _good_share(last, internal)
        blocks.append(Paragraph(f"Agencies graded their work good or outstanding in {share_now}% of audit forms, "
                                f"against {share_then}% the year before." if "c" not in (share_now, share_then) else
                                "The share of work graded good or outstanding is not shown: the counts are too small.",
                                kind="note"))
    for a in this:
        s = ca.summary(a)
        grades, total = protect_counts({ca.GRADES[g]: n for g, n in s.grades.items()}, internal=internal)
        cases = protect_counts({"cases": s.cases}, internal=internal)[1]
        theme = _cell(a.theme, internal)
        blocks.append(Table(caption=f"{theme} ({a.held:%B %Y}): grades given by agencies to their own work, "
                                    f"{cases} cases",
                            header=["Grade", "Audit forms"], rows=[[g, str(n)] for g, n in grades.items()]
                            + [["Total", str(total)]], numeric_from=1, id=f"assurance-audit-{a.code}"))
        found = [t for t in (_said(x, internal) for x in s.themes) if t]
        name = theme.split(":")[0].lower() if _said(a.theme, internal) is not None else "case"
        if found:
            blocks.append(Items(found, title=f"What the {name} audit found"))
        acts = [(_all_said([x.text, x.owner], internal), x) for x in a.actions]
        acts = [f"{t[0]} ({t[1]}): {STATUS_WORDS[x.status].lower()}" for t, x in acts if t]
        if acts:
            blocks.append(Items(acts, title="Actions arising from the audit"))
    return Section(id="assurance-audits-section", title=AUDITS, blocks=blocks)


def _good_share(audits, internal: bool) -> float | str:
    """The share of audit forms graded good or outstanding: "c" whenever any grade cell of
    these audits' tables is, since the share times the shown total would give it back."""
    sums = [ca.summary(a) for a in audits]
    if not internal:
        for s in sums:
            grades, total = protect_counts({ca.GRADES[g]: n for g, n in s.grades.items()})
            if total == "c" or "c" in grades.values():
                return "c"
    return protect_share(sum(s.grades["outstanding"] + s.grades["good"] for s in sums), sum(s.forms for s in sums),
                         internal=internal)


def scrutiny_section(book, period: str, names: dict[str, str] | None = None, *,
                     internal: bool = False) -> Section | None:
    s, before = book.scrutiny_for(period), book.scrutiny_for(previous_year(period))
    if s is None or not (s.statement.strip() or s.recommendations):
        return None
    statement = _said(s.statement, internal)
    blocks = [Markdown(statement)] if s.statement.strip() and statement else [
        Paragraph("The scrutineer's statement for this year has not been written yet." if not s.statement.strip()
                  else f"The scrutineer's statement is {WITHHELD[1:-1]}.", kind="missing")]
    given, asked = s.responded()
    line = f"The scrutineer made {_compare(len(s.recommendations), len(before.recommendations) if before else 0, 'recommendations to the lead partners')}"
    blocks.append(Paragraph(f"{line} They answered {given} of the {asked} responses asked for.", kind="note"))
    if s.recommendations:
        blocks.append(Table(caption="The scrutineer's recommendations and the lead partners' responses",
                            header=["Recommendation", "Made", "Responses", "Awaiting"],
                            rows=[[_cell(r.text, internal), f"{r.made:%d %B %Y}".lstrip("0"), str(len(r.responses)),
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
    parts = [p for p in (reviews_section(book, period, internal=internal),
                         audits_section(book, period, internal=internal),
                         scrutiny_section(book, period, names, internal=internal)) if p is not None]
    return Section(id="assurance", title=TITLE, children=parts) if parts else None
