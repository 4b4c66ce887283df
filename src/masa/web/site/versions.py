"""Two versions of a return compared as people read them: each section as a text diff
(word by word inside a changed paragraph) and each figure as old → new.

What the form cannot keep is not a change: the form strips surrounding whitespace and turns
CRLF into LF (``returnform._text``), while a return loaded from a folder keeps the YAML
block's trailing newline. So both sides are normalised with :func:`normalise` before they
are compared, here, in the audit of a save (``saving.changes``) and in the merge of a stale
save (``merge``).
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from masa.returns import Return

from .returnform import by_key, fmt

CONTEXT = 2  # unchanged paragraphs shown around a change


def normalise(text: str) -> str:
    """Text as the form would store it: LF line ends, no trailing spaces, no blank ends."""
    lines = [ln.rstrip() for ln in (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return "\n".join(lines).strip()


@dataclass
class Line:
    """One paragraph line of a diff: ``kind`` is same, add, del or changed; ``segments`` are
    (same|add|del, text) pieces, so a changed line marks only the words that changed."""

    kind: str
    segments: list[tuple[str, str]]


@dataclass
class SectionDiff:
    title: str
    lines: list[Line | None] = field(default_factory=list)  # None: unchanged lines left out


@dataclass
class FigureDiff:
    label: str
    old: str
    new: str

    @property
    def what(self) -> str:
        return "added" if self.old == "–" else "removed" if self.new == "–" else "changed"


@dataclass
class Comparison:
    sections: list[SectionDiff]
    figures: list[FigureDiff]
    unchanged: list[str]

    @property
    def empty(self) -> bool:
        return not self.sections and not self.figures


def _narrative(ret: Return, code: str) -> str:
    parts = []
    for s in ret.sections:
        if s.section == code:
            parts.append((f"{s.heading}\n" if s.heading else "") + normalise(s.text))
    return "\n\n".join(parts)


def _section_texts(spec, ret: Return) -> list[tuple[str, str]]:
    """(title as the form shows it, the section's text) for every part of the return."""
    out = []
    template = spec.template(ret.template) if spec is not None else None
    sections = template.sections if template is not None else []
    for s in sections:
        k = s.kind
        if k == "narrative":
            text = _narrative(ret, s.code)
        elif k == "voice":
            text = normalise(ret.voice)
        elif k == "highlights":
            text = "\n".join(f"{normalise(h.delivered)}: {normalise(h.impact)}" for h in ret.highlights)
        elif k in ("challenges", "next_year"):
            text = "\n".join(normalise(c.text) for c in getattr(ret, k))
        elif k == "case_studies":
            text = "\n\n".join(f"{c.title}\n{normalise(c.text)}".strip() for c in ret.case_studies)
        elif k == "audits":
            text = "\n\n".join("\n".join([a.title, *(f"Finding: {f}" for f in a.findings),
                                          *(_action(x) for x in a.actions)]) for a in ret.audits)
        else:
            continue
        out.append((s.title, text))
    carried = [f"{a.text}: {a.status or 'not answered'}{' – ' + normalise(a.note) if a.note else ''}"
               for a in ret.carried_actions]
    carried += [f"{p.text}: {p.answer or 'not answered'}{' – ' + normalise(p.explanation) if p.explanation else ''}"
                for p in ret.priority_reviews]
    if carried:
        out.append(("Carried from last year", "\n".join(carried)))
    return out


def _action(x) -> str:
    bits = [b for b in (x.owner and f"owner {x.owner}", x.due and f"due {x.due:%d/%m/%Y}", x.status) if b]
    return f"Action: {x.text} ({', '.join(bits)})"


_WORDS = re.compile(r"\s+|[^\s]+")


def _words(a: str, b: str) -> list[tuple[str, str]]:
    wa, wb = _WORDS.findall(a), _WORDS.findall(b)
    out: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, wa, wb, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(("same", "".join(wa[i1:i2])))
            continue
        if i2 > i1:
            out.append(("del", "".join(wa[i1:i2])))
        if j2 > j1:
            out.append(("add", "".join(wb[j1:j2])))
    return out


def text_diff(old: str, new: str) -> list[Line | None]:
    """Line by line, with word marks inside a line changed in place; None marks a gap of
    unchanged lines left out. Empty when the texts are the same once normalised."""
    la, lb = normalise(old).split("\n") if old.strip() else [], normalise(new).split("\n") if new.strip() else []
    if la == lb:
        return []
    out: list[Line | None] = []
    end = 0
    for group in difflib.SequenceMatcher(None, la, lb, autojunk=False).get_grouped_opcodes(CONTEXT):
        if group[0][1] > end:
            out.append(None)
        for op, i1, i2, j1, j2 in group:
            if op == "equal":
                out += [Line("same", [("same", ln)]) for ln in la[i1:i2]]
            elif op == "replace" and i2 - i1 == j2 - j1:
                out += [Line("changed", _words(x, y)) for x, y in zip(la[i1:i2], lb[j1:j2])]
            else:
                out += [Line("del", [("del", ln)]) for ln in la[i1:i2]]
                out += [Line("add", [("add", ln)]) for ln in lb[j1:j2]]
        end = group[-1][2]
    if end < len(la):
        out.append(None)
    return out


def _figure_label(spec, indicator: str, by: dict, period: str, own_period: str) -> str:
    ind = next((i for i in spec.indicators if i.code == indicator), None) if spec is not None else None
    parts = [spec.option_name(d, o) if ind and d in ind.breakdowns else f"{d} {o}" for d, o in sorted(by.items())]
    label = (ind.name if ind else indicator) + (": " + ", ".join(parts) if parts else " (total)")
    return label if period == own_period else f"{label}, {period}"


def compare(spec, old: Return, new: Return) -> Comparison:
    """What changed from ``old`` to ``new``, section by section and figure by figure."""
    a, b = dict(_section_texts(spec, old)), dict(_section_texts(spec, new))
    sections, unchanged = [], []
    for title in dict.fromkeys([*a, *b]):
        lines = text_diff(a.get(title, ""), b.get(title, ""))
        if lines:
            sections.append(SectionDiff(title, lines))
        else:
            unchanged.append(title)

    def figs(ret: Return) -> dict:
        return {(v.indicator, v.period or ret.period, by_key(v.by)): v for v in ret.values}

    fa, fb = figs(old), figs(new)
    figures = []
    for key in sorted(set(fa) | set(fb), key=lambda k: (k[1] != new.period, k)):
        va, vb = fa.get(key), fb.get(key)
        old_s = fmt(va.value) if va is not None and va.value is not None else "–"
        new_s = fmt(vb.value) if vb is not None and vb.value is not None else "–"
        if old_s != new_s:
            src = vb or va
            figures.append(FigureDiff(_figure_label(spec, key[0], src.by, key[1], new.period), old_s, new_s))
    return Comparison(sections, figures, unchanged)
