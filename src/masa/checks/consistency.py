"""Consistency across the document: one measure for one period given two values, one
comparison described as a rise in one place and a fall in another, and a claim of growth
beside figures that fell.

A *statement* is a figure (a value, not a change or target: :mod:`masa.textlayer.changes`)
with the period it is for and the words that name its measure. Two statements are about the
same measure when their measure words and the words around them mostly agree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from masa.spec import shift_period
from masa.textlayer.changes import role

from .arithmetic import _DIR_WORD, Sentence, fmt, sentences
from .claims import Figure, _marker_for, direction_of, figures, markers
from .registry import Ctx, check

_STOP = frozenset([
    "the", "of", "to", "and", "in", "a", "an", "for", "at", "by", "on", "with", "from", "or", "as", "is",
    "are", "was", "were", "be", "been", "its", "their", "our", "this", "that", "these", "those", "there",
    "which", "who", "has", "have", "had", "we", "they", "it", "per", "than", "into", "across", "all",
    "over", "under", "during", "total", "number", "around", "about", "approximately", "some", "more",
    "fewer", "less", "compared", "previous", "last", "year", "years", "current", "reporting", "financial",
    "increase", "increased", "decrease", "decreased", "rise", "rose", "fall", "fell", "up", "down", "while",
    "whereas", "also", "further", "same", "against", "saw", "seen", "continued", "continue", "here"
])
_WORD = re.compile(r"[a-z][a-z'-]{2,}")


def _stem(w: str) -> str:
    w = w.strip("'-")
    for suf in ("ies", "es", "s"):
        if w.endswith(suf) and len(w) - len(suf) >= 4:
            return w[: -len(suf)] + ("y" if suf == "ies" else "")
    return w


def _content(text: str) -> list[str]:
    return [_stem(w) for w in _WORD.findall(text.lower()) if w not in _STOP]


@dataclass(frozen=True)
class Statement:
    sentence: Sentence
    figure: Figure
    period: str
    measure: tuple[str, ...]
    context: frozenset[str]


def _period_of(mk, src_period: str | None) -> str | None:
    if mk is None:
        return None
    if mk.kind in ("fy",) and mk.fy:
        return mk.fy
    if mk.kind == "quarter" and mk.fy:
        return f"{mk.fy} Q{mk.quarter}"
    if src_period and mk.kind == "current":
        return src_period
    if src_period and mk.kind == "previous":
        try:
            return shift_period(src_period, -1)
        except ValueError:
            return None
    return None


_SNAPSHOT = re.compile(r"\b(?:at|as\s+at|as\s+of|on)\s+(?:the\s+)?(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?$", re.IGNORECASE)


def _snapshot(text: str, mk) -> str | None:
    """A count on one day ("at 31 March 2024", "as at 31st March 2024"): the day is its period, so two
    values for one measure on one day contradict each other. A month alone ("in March 2024") is not."""
    if mk is None or mk.kind != "month" or not mk.year:
        return None
    m = _SNAPSHOT.search(text[max(0, mk.start - 25):mk.start])
    return f"{m.group(1)}/{mk.month}/{mk.year}" if m else None


def _measure(s: Sentence, f: Figure) -> tuple[str, ...]:
    src = s.source
    after = src.clean[f.end:min(s.end, f.end + 60)]
    after = re.split(r"[\d,.;:()–—]|\b(?:compared|against|while|whereas|which|but)\b", after)[0]
    words = _content(after)[:4]
    if words:
        return tuple(words)
    # "Referrals from schools rose to 398": the sentence's subject names the measure
    return tuple(_content(re.split(r"[\d,;:()]", src.clean[s.start:f.start])[0])[:3])


def statements(ctx: Ctx) -> list[Statement]:
    def make():
        out = []
        for s in sentences(ctx):
            if len(s.figs) == 0 or "|" in s.para.text or "\t" in s.para.text:
                continue  # table rows: the table checks read them
            marks = markers(s.clean, s.start)
            if not marks:
                continue
            text = s.source.clean
            claimed = {c.figure_start for c in s.claims}
            for f in s.figs:
                if f.kind not in ("count", "percent") or f.start in claimed:
                    continue
                if role(text[s.start:s.end], f.start - s.start, f.end - s.start) != "value":
                    continue
                mk = _marker_for(f, s.figs, marks)
                period = _period_of(mk, s.source.period or ctx.period) or _snapshot(text, mk)
                if period is None:
                    continue
                measure = _measure(s, f)
                if not measure:
                    continue
                out.append(Statement(s, f, period, measure, frozenset(_content(s.clean))))
        return out

    return ctx.cached("statements", make)


def _same_measure(a: Statement, b: Statement) -> bool:
    if a.sentence.source.return_key != b.sentence.source.return_key:
        return False  # stored returns: each partner's return speaks for itself
    if a.measure != b.measure or a.figure.kind != b.figure.kind or a.period != b.period:
        return False
    union = a.context | b.context
    return bool(union) and len(a.context & b.context) / len(union) >= 0.35


@check("consistency.two-values", "One measure for one period given two different values", "query", "report",
       "When the same measure for the same year appears twice with different values, at least one is "
       "wrong, and readers cannot tell which to believe.",
       fails=(("In 2023-24 we received 412 referrals from schools.\n\nLater in the year we reviewed them. "
              "In 2023-24 we received 398 referrals from schools, most by email."),
              ("There were 412 children on a child protection plan at 31 March 2024.\n\nTraining grew.\n\n"
               "At 31 March 2024, 421 children were on a child protection plan.")),
       passes=(("In 2023-24 we received 412 referrals from schools.\n\nIn 2022-23 we received 398 referrals "
               "from schools."),
               "In 2023-24 there were 45 rapid reviews notified.\n\nIn 2023-24 there were 12 rapid reviews held.",
               ("In 2023-24, 412 children in the borough were referred to the front door by schools.\n\n"
                "In 2023-24, 398 children in the borough were assessed at the front door after contact by schools."),
               ("In 2023-24 we received 412 referrals from schools.\n\nIn 2023-24 we received 398 referrals "
               "about neglect from health visitors and GPs across the county."),
               ("There were 412 children on a child protection plan at 31 March 2024.\n\nTraining grew.\n\n"
                "At 31 March 2023, 421 children were on a child protection plan. In March 2024, 380 children were "
                "on a child protection plan.")))
def two_values(ctx: Ctx, chk):
    seen: list[Statement] = []
    reported = set()
    for st in statements(ctx):
        for earlier in seen:
            if earlier.sentence is st.sentence or earlier.figure.value == st.figure.value:
                continue
            if _same_measure(earlier, st) and st.figure.start not in reported:
                reported.add(st.figure.start)
                line = earlier.sentence.source.line_col(earlier.figure.start)[0]
                yield ctx.finding(chk, st.sentence.source, st.figure.start, st.figure.end,
                                  f"'{_phrase(earlier)}' on line {line} gives {fmt(earlier.figure.value, earlier.figure.kind)} "
                                  f"for {earlier.period}; here the same measure for {st.period} is "
                                  f"{fmt(st.figure.value, st.figure.kind)}",
                                  related=[earlier.sentence.source.location(earlier.figure.start, earlier.figure.end)])
                break
        seen.append(st)


def _phrase(st: Statement, width: int = 60) -> str:
    """The words around a statement's figure, as written, for a message."""
    src, s = st.sentence.source, st.sentence
    a = max(s.start, st.figure.start - width // 2)
    b = min(s.end, st.figure.end + width // 2)
    if a > s.start:  # whole words only
        a = src.text.find(" ", a, st.figure.start) + 1 or st.figure.start
    if b < s.end:
        b = max(src.text.rfind(" ", st.figure.end, b), st.figure.end)
    text = " ".join(src.text[a:b].split())
    return ("…" if a > s.start else "") + text + ("…" if b < s.end else "")


def _direction_statements(ctx: Ctx):
    """(statement of the later figure, baseline statement or None, direction word match) for
    every sentence that states a rise or fall with a figure for a named period."""
    out = []
    by_sentence: dict[int, list[Statement]] = {}
    for st in statements(ctx):
        by_sentence.setdefault(id(st.sentence), []).append(st)
    for s in sentences(ctx):
        sts = by_sentence.get(id(s))
        if not sts:
            continue
        words = [m for m in _DIR_WORD.finditer(s.clean) if direction_of(m.group(1) or m.group(2))]
        dirs = {direction_of(m.group(1) or m.group(2)) for m in words}
        if len(dirs) != 1:
            continue
        for st in sts:
            out.append((st, dirs.pop() if len(dirs) == 1 else next(iter(dirs)), words[0]))
            dirs = {direction_of(m.group(1) or m.group(2)) for m in words}
    return out


@check("consistency.direction", "One comparison described as a rise in one place and a fall in another",
       "error", "report",
       "If one passage says a measure rose against its baseline and another says it fell, the reader is "
       "told two opposite things about the same year.",
       fails=(("Referrals from schools increased, with 398 in 2022-23.\n\nOther text.\n\n"
              "Referrals from schools decreased against 398 in 2022-23."),),
       passes=(("Referrals from schools increased, with 398 in 2022-23.\n\nOther text.\n\n"
               "Referrals from schools rose again from the 398 in 2022-23."),))
def direction_across(ctx: Ctx, chk):
    items = _direction_statements(ctx)
    reported = set()
    for i, (st, d, word) in enumerate(items):
        for st2, d2, word2 in items[i + 1:]:
            if st2.sentence is st.sentence or d2 == d or st2.figure.start in reported:
                continue
            if _same_measure(st, st2) and st.figure.value == st2.figure.value:
                reported.add(st2.figure.start)
                src = st2.sentence.source
                line = st.sentence.source.line_col(st.sentence.start)[0]
                yield ctx.finding(chk, src, st2.sentence.start + word2.start(), st2.sentence.start + word2.end(),
                                  f"'{word2.group()}' here, but line {line} says '{word.group()}' about the same "
                                  f"comparison ('{_phrase(st)}', {st.period})")


_GROWTH = re.compile(r"\b(?:(increase[sd]?|increasing|rise|rising|rose|risen|growth|grew|grown|grow(?:ing|s)?|more)|"
                     r"(decrease[sd]?|decreasing|reduction|reduced|decline[sd]?|declining|fall|falling|fell|fallen|"
                     r"drop(?:ped|s)?|fewer))\b", re.IGNORECASE)


def _series(ctx: Ctx, s: Sentence) -> tuple[list[tuple[str, float, int, int]], str] | None:
    """Figures by period beside a sentence: in its own paragraph's other sentences, or a table or
    list right after it. [(period, value, start, end)] oldest first, and where they are."""
    src = s.source
    rest = src.clean[s.end:s.para.end]
    if len(rest.strip()) > 10:  # "Attendance grew. 540 came in 2022-23 and 470 in 2023-24."
        return _series_in(ctx, src, s.end, s.para.end)
    paras = [s.para] + [q for q in src.paras[s.para.index + 1:s.para.index + 8]]
    if len(paras) < 3 or not any(q.is_list_item or "|" in q.text or "\t" in q.text for q in paras[1:3]):
        return None
    # a table: a header row naming two or more periods, then rows of figures
    rows = []
    for q in paras[1:]:
        if "\t" not in q.text and q.text.count("|") < 2:
            if rows:
                break
            if q is not paras[1]:
                break
            continue
        rows.append(q)
    if len(rows) >= 2:
        head = markers(rows[0].clean, rows[0].start)
        years = [(_period_of(mk, src.period or ctx.period), mk) for mk in head if mk.kind == "fy"]
        if len(years) >= 2:
            words = set(_content(s.clean))
            best = None
            for r in rows[1:]:
                cells = re.split(r"\t|\|", r.clean)
                label = cells[0] if cells[0].strip() else (cells[1] if len(cells) > 1 else "")
                nums = [f for f in _figs(r) if f.kind in ("count", "percent")]
                if len(nums) < len(years):
                    continue
                overlap = len(words & set(_content(label)))
                if best is None or overlap > best[0]:
                    best = (overlap, r, nums[-len(years):])
            if best and (best[0] > 0 or len(rows) == 2):
                pts = [(p, f.value, f.start, f.end) for (p, _), f in zip(years, best[2]) if p]
                return sorted(pts), "the table below", rows[0].clean + " " + best[1].clean
    # a list, or a table with one row per period: one period and one figure per item
    pts = []
    kind = None
    seen = []
    for q in paras[1:]:
        this = "list" if q.is_list_item else "table" if ("|" in q.text or "\t" in q.text) else None
        if this is None or (kind and this != kind):
            break
        kind = this
        seen.append(q.clean)
        mk = [m for m in markers(q.clean, q.start) if m.kind == "fy"]
        nums = [f for f in _figs(q) if f.kind in ("count", "percent")]
        if len(mk) == 1 and len(nums) == 1:
            pts.append((mk[0].fy, nums[0].value, nums[0].start, nums[0].end))
    if len(pts) >= 2:
        return sorted(pts), f"the {kind} below", " ".join(seen)
    return None


# "improve" is a rise only for a measure where more is better
_IMPROVE = re.compile(r"\b(improve[sd]?|improving|improvement)\b", re.IGNORECASE)
_MORE_IS_BETTER = re.compile(r"\b(?:take-?up|uptake|attendance|participation|engagement|completion|use of|usage|"
                             r"coverage|compliance|response rate|return rate)\b", re.IGNORECASE)


def _series_next(ctx: Ctx, s: Sentence):
    """A claim that ends its paragraph, and a short next paragraph (not a heading) giving the figures
    by year: "Take-up continued to grow." then "Assessments: 2,310 in 2022-23 and 2,145 in 2023-24." """
    src = s.source
    if src.clean[s.end:s.para.end].strip() or s.para.index + 1 >= len(src.paras):
        return None
    q = src.paras[s.para.index + 1]
    if q.heading or len(q.clean) > 240:
        return None
    return _series_in(ctx, src, q.start, q.end)


def _series_in(ctx: Ctx, src, start: int, end: int):
    """Figures tied to two or more financial years in the sentences after a claim, same paragraph."""
    text = src.clean[start:end]
    figs = [f for f in figures(text, start) if f.kind in ("count", "percent")]
    marks = [m for m in markers(text, start) if m.kind == "fy"]
    if len(figs) < 2 or len({m.fy for m in marks}) < 2 or len({f.kind for f in figs}) != 1:
        return None
    pts = {}
    for f in figs:
        mk = _marker_for(f, figs, marks)
        if mk is None or mk.kind != "fy" or mk.fy in pts:
            return None  # a figure with no year, or two for one year: not a simple series
        pts[mk.fy] = (mk.fy, f.value, f.start, f.end)
    return sorted(pts.values()), "the figures that follow", text


def _figs(q):
    return figures(q.clean, q.start)


@check("consistency.claim-vs-figures", "A claim of growth or decline contradicted by the figures beside it",
       "error", "narrative",
       "'Attendance continued to grow' above a table in which it fell tells the board the opposite of what "
       "the report's own figures show.",
       fails=(("Attendance at our training continued to grow. There were 540 training places taken in 2022-23 "
              "and 470 in 2023-24."),
              ("Attendance at our training continued to grow.\n\nCourse\t2022-23\t2023-24\n"
              "Training attendance\t540\t470\n"),
              "Use of the neglect toolkit has increased:\n\n- 2022-23: 130 assessments\n- 2023-24: 95 assessments\n",
              ("Take-up of early help continued to improve.\n\nEarly help assessments: 2,310 in 2022-23 and "
               "2,145 in 2023-24.\n")),
       passes=(("Attendance at our training continued to grow. There were 470 training places taken in 2022-23 "
               "and 540 in 2023-24."),
               "Demand for early help grew. We had 12 staff in 2022-23 and 10 in 2023-24.",
               ("Attendance at our training continued to grow.\n\nCourse\t2022-23\t2023-24\n"
               "Training attendance\t470\t540\n"),
               "Use of the neglect toolkit has increased:\n\n- 2022-23: 95 assessments\n- 2023-24: 130 assessments\n",
               ("Take-up of early help continued to improve.\n\nEarly help assessments: 2,145 in 2022-23 and "
                "2,310 in 2023-24.\n"),
               ("Timeliness of early help continued to improve.\n\nDays waiting for early help: 31 in 2022-23 and "
                "24 in 2023-24.\n")))
def claim_vs_figures(ctx: Ctx, chk):
    for s in sentences(ctx):
        if s.pairs or s.claims:
            continue  # figures in the sentence itself are change.direction's
        ms = [m for m in _GROWTH.finditer(s.clean)]
        if not ms and _MORE_IS_BETTER.search(s.clean):
            ms = [m for m in _IMPROVE.finditer(s.clean)]  # "take-up continued to improve": a rise
        if not ms:
            continue
        dirs = {1 if m.group(1) else -1 for m in ms}
        if len(dirs) != 1 or re.search(r"\b(?:not|no|rather than|despite|although|fewer than)\b", s.clean, re.IGNORECASE):
            continue
        if ms[0].group(0).lower() == "more" or ms[0].group(0).lower() == "fewer":
            continue
        d = dirs.pop()
        found = _series(ctx, s) or _series_next(ctx, s)
        if not found:
            continue
        pts, where, about = found
        if not s.clean.rstrip().endswith(":") and not set(_content(s.clean)) & set(_content(about)):
            continue  # the figures are not about what the sentence says grew (unless it introduces them)
        first, last = pts[0], pts[-1]
        if first[1] == last[1] or (last[1] > first[1]) == (d > 0):
            continue
        m = ms[0]
        kind = "percent" if "%" in s.source.clean[first[2]:first[3]] else "count"
        yield ctx.finding(chk, s.source, s.start + m.start(), s.start + m.end(),
                          f"the text says {'a rise' if d > 0 else 'a fall'}, but {where} go{'' if where.startswith('the figures') else 'es'} from "
                          f"{fmt(first[1], kind)} in {first[0]} to {fmt(last[1], kind)} in {last[0]}",
                          related=[s.source.location(last[2], last[3])])
