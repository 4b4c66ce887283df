"""The young people's version of the yearly report: a short, plain-language summary.

Generated from a partnership's stored dataset into an editable draft of four sections (who
the partnership is, its priorities, a few key figures, what partners changed because of what
children and families said), written in short sentences to meet a Flesch–Kincaid grade of 7
(:mod:`masa.report.readability`). Figures come only through the publishing boundary
(``boundary.published_parts``), so a hidden count never appears, and no count of 1–5 is
written at all; comparisons with last year are computed, never typed. The voice section is
drawn from the Appendix C answers, never from case studies, and any sentence the narrative
privacy checks flag is left out. :func:`problems` runs the same checks on edited text, so an
edit cannot bring a small count or a name back in.

Plain Python: the web stores and publishes a draft; the demo writes one to a file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import escape

from masa.checks.personal import personal_details
from masa.spec import parse_period, shift_period

from . import boundary
from .boundary import ReportError
from .readability import TARGET_GRADE, measure, sentence_grade

SECTIONS: tuple[tuple[str, str], ...] = (
    ("about", "Who we are"),
    ("priorities", "What we work on"),
    ("figures", "Some numbers from the year"),
    ("voice", "You told us, we changed things"),
)
TITLES = dict(SECTIONS)
PRIVACY_CHECKS = ("privacy.initials", "privacy.identifier", "privacy.small-count", "privacy.name",
                  "privacy.address", "privacy.age")

# Plain words for the standard priorities (by code or name); others are shown by name only.
PLAIN_PRIORITY = {
    "neglect": "when a child does not get the care they need",
    "csa": "keeping children safe from sexual abuse",
    "child sexual abuse": "keeping children safe from sexual abuse",
    "exploitation": "when adults use children to make money or commit crime",
    "mental-health": "helping children feel well in their mind",
    "mental health and emotional wellbeing": "helping children feel well in their mind",
    "domestic-abuse": "when there is hurt or fear at home",
    "domestic abuse": "when there is hurt or fear at home",
}
# A sentence of an Appendix C answer that says what changed, or what children asked for.
CHANGE = re.compile(r"\b(?:led to|as a result|because|changed?|changes|now|asked (?:for|us)|told us|said|"
                    r"so that|introduced|set up|started|created|built|improved|designed|shaped|chose|"
                    r"co-produc\w*|listen\w*|made)\b", re.IGNORECASE)
CASE_STUDY = re.compile(r"\b(?:Child|Young Person|YP|Baby|Sibling|Mother|Father|Parent)\s+[A-Z]\b|"
                        r"\bcase stud(?:y|ies)\b|\banonymi[sz]\w*|\bnames?\b|\bdetails\b", re.IGNORECASE)
# A number written as digits; 1–5 is refused unless it is a percentage.
NUMBER = re.compile(r"(?<![\w.,£/])(\d+(?:\.\d+)?)(?![\w/]|\.\d|\s*(?:%|per\s?cent|percentage points?))")
# A pronoun pointing back to something the chosen sentence does not say ("ask it for help").
DANGLING = re.compile(r"\b(?:[Ii]t|[Ii]ts)\b|^(?:This|These|Those|He|She|His|Her)\b")
MAX_WORDS = 20  # longest sentence taken from a partner's answer
MAX_SENTENCE_GRADE = 9.0
PER_PARTNER = 2
MAX_FIGURES = 4


class YoungPeopleError(ValueError):
    """The version cannot be made or published; the message says why."""


@dataclass
class Draft:
    partnership: str
    partnership_name: str
    period: str
    sections: dict[str, str] = field(default_factory=dict)  # section code -> plain text

    @property
    def text(self) -> str:
        return "\n\n".join(self.sections.get(code, "") for code, _ in SECTIONS)

    @property
    def title(self) -> str:
        return f"{self.partnership_name}: our year {self.period} for children and young people"


@dataclass
class Problem:
    section: str
    sentence: str
    message: str

    def __str__(self) -> str:
        title = TITLES.get(self.section, self.section)
        return f"{title}: “{self.sentence}” {self.message}" if self.sentence else f"{title}: {self.message}"


def build_draft(dataset, period: str) -> Draft:
    """The generated draft for ``period`` from ``dataset`` (the caller chooses its returns)."""
    spec = dataset.spec
    p = parse_period(period)
    if p.kind != "year":
        raise YoungPeopleError(f"{period!r} is a quarter: the young people's version is of a yearly report")
    if not dataset.returns_for(period):
        raise YoungPeopleError(f"no return for {period} is in the data yet, so there is nothing to summarise")
    pship = spec.partnership
    draft = Draft(pship.code, pship.name, period)
    draft.sections = {
        "about": _about(spec, p),
        "priorities": _priorities(spec),
        "figures": _figures(dataset, period),
        "voice": _voice(dataset, period),
    }
    return draft


def _name(partner) -> str:
    return partner.short_name or partner.name


def _about(spec, p) -> str:
    pship = spec.partnership
    statutory = [_name(x) for x in spec.partners if x.statutory]
    others = [_name(x) for x in spec.partners if not x.statutory]
    lines = [f"We are the {pship.name}.",
             "We are a group of services. We work together to keep children safe."]
    if statutory:
        lines.append(f"The main partners are {_join(statutory)}.")
    if others:
        lines.append(f"Other services help too, like {_join(others[:3])}.")
    lines.append(f"This is a short version of our report for {p.start:%B %Y} to {p.end:%B %Y}.")
    lines.append("We wrote it for children and young people.")
    return " ".join(lines)


def _join(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _priorities(spec) -> str:
    main = [x for x in spec.priorities if x.kind == "priority"] or list(spec.priorities)
    if not main:
        return "We did not set main things to work on this year."
    lines = ["These are the main things we worked on:"]
    for x in main:
        plain = PLAIN_PRIORITY.get(x.code) or PLAIN_PRIORITY.get(x.name.lower())
        lines.append(f"- {x.name}: {plain}." if plain else f"- {x.name}.")
    return "\n".join(lines)


def _figures(dataset, period: str) -> str:
    spec = dataset.spec
    before = shift_period(period, -1)
    own = set(spec.partnership.areas)
    picked, used_ind, used_partner = [], set(), set()
    try:
        parts = boundary.published_parts(dataset, period)
    except (ReportError, ValueError):
        parts = {}
    candidates = []
    for (_, partner), cells in parts.items():
        at = {}
        for c in cells:
            by = dict(c.by)
            if by and not (set(by) == {"area"} and len(own) == 1 and by["area"] in own):
                continue  # a whole partner's figure (or its one area's) only
            at.setdefault(c.value.indicator, {})[c.period] = c.published
        for code, vals in at.items():
            now, then = vals.get(period), vals.get(before)
            if _plain_number(now) and _plain_number(then):
                candidates.append((partner, code, now, then))
    for partner, code, now, then in candidates:  # spread over indicators, then partners
        if code in used_ind or (partner in used_partner and len(used_partner) < len(parts)):
            continue
        picked.append((partner, code, now, then))
        used_ind.add(code)
        used_partner.add(partner)
        if len(picked) == MAX_FIGURES:
            break
    if not picked:
        return ("We only share a number here when it is 10 or more and we can compare it with last year. "
                "No number from this year did both yet, so we cannot share figures in this version.")
    lines = ["Here are some numbers from the year:"]
    for partner, code, now, then in picked:
        ind = spec.indicator(code)
        who = _name(spec.partner(partner))
        what = ind.name[0].lower() + ind.name[1:]
        if ind.unit == "percent":
            lines.append(f"- {who}: {what} was {_fmt(now)}%. {_compare(now, then, '%')}")
        else:
            lines.append(f"- {who}: {_fmt(now)} {what}. {_compare(now, then, '')}")
    lines.append("We do not show very small numbers. This keeps children safe.")
    return "\n".join(lines)


def _plain_number(v) -> bool:
    """Only figures no one could read a child into: shown, and 10 or more."""
    return isinstance(v, (int, float)) and not isinstance(v, bool) and v >= 10


def _fmt(v) -> str:
    return f"{v:,.0f}" if float(v).is_integer() else f"{v:,.1f}"


def _compare(now, then, unit: str) -> str:
    if now > then:
        return f"That is more than last year ({_fmt(then)}{unit})."
    if now < then:
        return f"That is less than last year ({_fmt(then)}{unit})."
    return "That is the same as last year."


def _voice(dataset, period: str) -> str:
    spec = dataset.spec
    voiced = {t.code for t in boundary.report_templates(spec) if any(s.kind == "voice" for s in t.sections)}
    answers = {r.partner: r.voice for r in dataset.returns_for(period) if r.template in voiced and r.voice}
    lines = ["Partners asked children and families what they think. This is what they changed:"]
    for partner in spec.partners:
        picked = _changes(spec, answers.get(partner.code, ""))
        if picked:
            lines.append(f"{_name(partner)}:")
            lines += [f"- {s}" for s in picked]
    if len(lines) == 1:
        return "Partners did not tell us about changes this year."
    return "\n".join(lines)


def _changes(spec, answer: str) -> list[str]:
    """Up to ``PER_PARTNER`` short, easy sentences of an answer that say what changed, in the
    answer's order; none that names a child, holds a number 1–5 or fails a privacy check."""
    found = []
    for n, s in enumerate(_clauses(answer)):
        if not CHANGE.search(s) or CASE_STUDY.search(s) or len(s.split()) > MAX_WORDS:
            continue
        grade = sentence_grade(s)
        if grade > MAX_SENTENCE_GRADE or _small_numbers(s) or DANGLING.search(s) or personal_details(s) \
                or _privacy(spec, s):
            continue
        found.append((grade, n, s))
    best = sorted(found)[:PER_PARTNER]
    return [s for _, _, s in sorted(best, key=lambda x: x[1])]


def _clauses(answer: str) -> list[str]:
    """An answer as short sentences: split at sentence ends and at ; and : inside them."""
    out = []
    text = re.sub(r"^\s*[-*•]\s+", "", answer, flags=re.MULTILINE)
    text = re.sub(r"\s*\n\s*", " ", text)
    for sent in re.split(r"(?<=[.!?])\s+", text):
        for c in re.split(r"\s*[;:]\s+", sent):
            c = c.strip().rstrip(".!?").strip()
            if len(c.split()) >= 4:
                out.append(c[0].upper() + c[1:] + ".")
    return out


# how often something small happened, in words ("met three times", "twice"): a count of 1 to 5
# that a table beside it may hide as "c" (breaker br2)
TIMES_IN_WORDS = re.compile(r"\b(?:two|three|four|five)\s+times\b|\b(?:twice|thrice)\b", re.IGNORECASE)


def _small_numbers(sentence: str) -> list[str]:
    return [m.group(1) for m in NUMBER.finditer(sentence)
            if float(m.group(1)).is_integer() and 1 <= int(float(m.group(1))) <= 5] + [
        m.group(0) for m in TIMES_IN_WORDS.finditer(sentence)]


def _privacy(spec, text: str) -> list:
    from masa.checks.registry import Ctx, run_checks
    from masa.checks.text import Source

    src = Source("young-people", text)
    src.split()
    return [f for f in run_checks(Ctx([src], spec=spec), PRIVACY_CHECKS) if f.severity != "info"]


def _pieces(text: str) -> list[str]:
    """Every sentence, line and bullet of a section, however short, as a reader sees it."""
    out = []
    for line in text.splitlines():
        line = re.sub(r"^\s*[-*•]\s+", "", line).strip()
        # a sentence ends after a word or figure, not after initials ("J.S. and A.B.")
        out += [s.strip() for s in re.split(r"(?<=[a-z0-9)”\"'][.!?])\s+", line) if s.strip()]
    return out


def problems(spec, sections: dict[str, str], published: dict | None = None,
             period: str | None = None) -> list[Problem]:
    """Every sentence of an (edited) version that must not be published: an empty section, a
    count of 1–5 written as a number, what the narrative privacy checks find (names, initials,
    addresses, dates of birth, NHS numbers, counts of 1–5 people in words), and what the
    strict reading of published free text finds (:func:`personal`), each naming its sentence.

    With ``published`` (the report's cells, ``{(template, partner): [Cell]}`` as
    ``boundary.published_parts`` gives them, for ``period``), also every figure the published
    report hides as "c" that a sentence states, or gives back by arithmetic (a percentage of a
    shown total, a difference, a sum the report does not print): a secondary-suppressed "18" is
    no small count, but written here it gives away the "c" beside it."""
    from masa.checks.suppressed import given_away

    from .readability import sentences

    out: list[Problem] = []
    hidden = None
    for code, _ in SECTIONS:
        text = sections.get(code, "")
        if not text.strip():
            out.append(Problem(code, "", "is empty: write this section, or the page would show a heading over "
                                         "nothing."))
            continue
        for s in sentences(text) + [line for line in text.splitlines() if line.strip().endswith(":")]:
            small = _small_numbers(s)
            if small:
                out.append(Problem(code, s, f"gives the figure {small[0]}: counts of 1 to 5 are never published, "
                                            "even in words around a hidden “c”. Remove it or give a rounded figure."))
        seen = set()
        for s in _pieces(text):
            for message in personal_details(s):
                if (s, message) not in seen:
                    seen.add((s, message))
                    out.append(Problem(code, s, message))
        for f in _privacy(spec, text):
            s = _sentence_at(text, f.location.start)
            if not any(p.sentence == s and p.message == f.message for p in out):
                out.append(Problem(code, s, f.message))
        if published:
            if hidden is None:
                hidden = _hidden(spec, published)
            for start, _, message in given_away(spec, hidden[0], text, period, tables=hidden[1],
                                                areas=set(spec.partnership.areas)):
                s = _sentence_at(text, start)
                # the problem quotes the sentence already: "“…” states 86%, …", not twice
                out.append(Problem(code, s, message.removeprefix(f"'{s}' ")))
    return out


def _hidden(spec, published: dict) -> tuple[dict, list]:
    """Every partner's published cells, and the tables a reader sees in them, for the check
    ``privacy.suppressed-figure``'s reading (``given_away``)."""
    from masa.checks.suppressed import tables_from_cells

    cells_of: dict[str, list] = {}
    for (_, partner), cells in published.items():
        cells_of.setdefault(partner, []).extend(cells)
    return cells_of, [t for partner, cells in cells_of.items() for t in tables_from_cells(spec, partner, cells)]


def _sentence_at(text: str, offset: int | None) -> str:
    if offset is None:
        return text.strip()[:120]
    dot = text.rfind(". ", 0, offset)
    start = max(dot + 2 if dot >= 0 else 0, text.rfind("\n", 0, offset) + 1)
    ends = [i for i in (text.find(". ", offset), text.find("\n", offset)) if i >= 0]
    end = min(ends) + 1 if ends else len(text)
    return text[start:end].strip().lstrip("-* ").strip()


def readability(sections: dict[str, str]):
    return measure("\n\n".join(sections.get(code, "") for code, _ in SECTIONS))


# --- rendering ------------------------------------------------------------------------------

def section_html(text: str) -> str:
    """A section's plain text as HTML: paragraphs, "- " bullets, lead-in lines."""
    out, items = [], []

    def flush():
        if items:
            out.append("<ul>" + "".join(f"<li>{escape(i)}</li>" for i in items) + "</ul>")
            items.clear()

    for block in re.split(r"\n\s*\n", text.strip()):
        for line in block.splitlines():
            line = line.strip()
            if not line:
                continue
            if line.startswith(("- ", "* ", "• ")):
                items.append(line[2:].strip())
                continue
            flush()
            out.append(f"<p>{escape(line)}</p>")
        flush()
    return "".join(out)


def render_html(draft: Draft, *, marking: str = "") -> str:
    """One self-contained, accessible HTML page (also the PDF's source)."""
    from .html import page_marking_css, stylesheet

    css = stylesheet() + ("\n" + page_marking_css(marking) if marking else "")
    body = [f'<section aria-labelledby="yp-{code}"><h2 id="yp-{code}">{escape(title)}</h2>'
            f"{section_html(draft.sections.get(code, ''))}</section>" for code, title in SECTIONS]
    banner = f'<p class="banner-internal" role="note">{escape(marking)}</p>' if marking else ""
    return "\n".join([
        "<!DOCTYPE html>", '<html lang="en-GB">', "<head>", '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(draft.title)}</title>", f"<style>{css}</style>", "</head>", "<body>",
        '<header class="doc-header">', banner, f"<h1>{escape(draft.title)}</h1>", "</header>",
        '<main id="main">', *body, "</main>",
        (f'<footer class="doc-footer"><p>{escape(draft.partnership_name)}, {escape(draft.period)}. '
         "Made by masa from the partners' returns.</p></footer>"), "</body>", "</html>"])


def render_pdf(draft: Draft, path, *, marking: str = ""):
    from .pdf import render_pdf as pdf

    return pdf(render_html(draft, marking=marking), path)


DRAFT_MARKING = "DRAFT – NOT FOR PUBLICATION"


def write_draft(draft: Draft, out_dir, formats=("html", "pdf")) -> dict:
    """The draft as files marked DRAFT in ``out_dir`` (the demo's); {format: path}."""
    from pathlib import Path

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    stem = f"{draft.partnership}-{draft.period}-young-people-DRAFT"
    written = {}
    for fmt in formats:
        path = out / f"{stem}.{fmt}"
        if fmt == "html":
            path.write_text(render_html(draft, marking=DRAFT_MARKING), encoding="utf-8")
        else:
            render_pdf(draft, path, marking=DRAFT_MARKING)
        written[fmt] = path
    return written


__all__ = [
    "SECTIONS",
    "TARGET_GRADE",
    "Draft",
    "Problem",
    "YoungPeopleError",
    "build_draft",
    "problems",
    "readability",
    "render_html",
    "render_pdf",
    "section_html",
    "write_draft",
]
