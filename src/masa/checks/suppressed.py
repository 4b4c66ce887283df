"""A return's text that states a figure its published tables hide as "c".

The publishing boundary (``masa.report.boundary``) shows counts of 1–5 as "c" and hides
enough other cells (secondary suppression) that no "c" can be worked out from the totals. A
sentence of the partner's returns that states one of those hidden figures undoes that protection,
whatever the figure counts: "7 boys" is not a small count, but with the total and the other
cells published it gives away the "c" beside it. So the hidden cells are computed exactly as
the report computes them, and each figure in the return's text is compared with them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from fractions import Fraction
from itertools import combinations
from math import ceil, floor

from masa.textlayer.numbers import NUMBER_WORDS, labels_not_figures

from .registry import Ctx, check


def _published_cells(ctx: Ctx, partner: str) -> list:
    return published_cells(ctx.spec, ctx.dataset, partner, ctx.period)


def published_cells(spec, dataset, partner: str, period: str) -> list:
    """The partner's cells as ``spec``'s partnership's report publishes them, in every report
    template with figures (an Appendix C answer is published beside the Appendix B table)."""
    from masa.disclosure import DisclosureError
    from masa.report.boundary import ReportError, partner_cells, partner_values, report_templates

    out = []
    for t in report_templates(spec):
        if not any(s.kind == "figures" for s in t.sections):
            continue
        try:
            out += partner_cells(spec, partner, partner_values(dataset, partner, t.code), period)
        except (ReportError, DisclosureError):
            continue  # the report refuses to build; the figure checks say why
    return out


def _hidden_cells(cells: list) -> list:
    """The cells the public report shows as "c": (indicator, period, by, value)."""
    from masa.disclosure import SUPPRESSED

    return [(c.value.indicator, c.period, dict(c.by), c.value.value) for c in cells
            if c.published == SUPPRESSED and c.value.value]


def _names(spec, by: dict[str, str]) -> list[str]:
    """The words a sentence would use for a cell's breakdown (not its area: an area's name is
    in nearly every sentence)."""
    from masa.returns.validate import option_names

    return [n for n in option_names(spec, {k: v for k, v in by.items() if k != "area"}) if len(n) > 2]


_WORD = re.compile(r"[a-z0-9]+")
_NEXT_WORD = re.compile(r"[ \u00a0]+[A-Za-z][\w'’-]*")
NUMBER = re.compile(r"(?<![\w.,£])(\d{1,3}(?:,\d{3})+|\d+)(?:x\b)?(?![.,]?\d)|\b("
                    + "|".join(NUMBER_WORDS) + r"|thrice|twice|once)\b", re.IGNORECASE)
_TIMES = {"once": 1, "twice": 2, "thrice": 3}


# a number that names a thing rather than counting: the importer's labels ("level 3", "Q2",
# "section 4"), and a few more a narrative uses for groups and rounds ("Year 6", "Priority 2")
_LABEL_BEFORE = re.compile(r"\b(?:year|stage|priority|part|no\.?|number|version|band|grade|ward|room|tranche|wave|"
                           r"cohort|case study|case|example|objective|outcome|enquiry|story|scenario|theme|aim|goal|"
                           r"workstream|item|question|chapter)\s*$", re.IGNORECASE)
# ... but "this year 7 boys were referred" states a count: a year that is a time, not a school
# year (breaker br3)
_A_TIME_BEFORE = re.compile(r"\b(?:this|that|the|last|next|each|every|per|a|one|whole|same|previous|financial|"
                            r"reporting)\s+year\s*$", re.IGNORECASE)
# an age, not a count: "a boy of 7", "girls aged 7"
_AGE_BEFORE = re.compile(r"\b(?:boy|girl|child|baby|son|daughter|sibling|person|pupil|aged?)\s+(?:of\s+)?$|"
                         r"\b(?:boys|girls|children|babies|sons|daughters|siblings|people|pupils)\s+"
                         r"(?:of|under|over|below|above|aged)\s+$", re.IGNORECASE)
# a change or a comparison, which the arithmetic below reads: "boys up by 7", "7 more than"
_CHANGE_BEFORE = re.compile(r"\b(?:up|down|rose|fell|risen|fallen|increased?|decreased?|grew|dropped|reduced|"
                            r"higher|lower)\s+by\s+$|\b(?:rose|fell|risen|fallen|increased|decreased|grew|dropped)\s+$|\b(?:increase|decrease|rise|fall|drop|reduction)\s+of\s+$",
                            re.IGNORECASE)


def _numbers(sentence: str):
    """(start, end, value) of every whole number a sentence states, in figures or in words,
    as a count: not a label ("Year 6") or an age ("a boy of 7")."""
    for m in NUMBER.finditer(sentence):
        before = sentence[max(0, m.start() - 24):m.start()]
        if labels_not_figures(before) or (_LABEL_BEFORE.search(before) and not _A_TIME_BEFORE.search(before)):
            continue
        if _AGE_BEFORE.search(before):
            continue
        if re.match(r"\s*:", sentence[m.end():]) and re.fullmatch(r"\s*[A-Z][a-z]+(?: [a-z]+)?\s+", sentence[:m.start()]):
            continue  # a numbered title: "Referral 3: a girl living with hoarding"
        if m.group(1):
            yield m.start(), m.end(), int(m.group(1).replace(",", ""))
        else:
            w = m.group(2).lower()
            yield m.start(), m.end(), _TIMES.get(w, NUMBER_WORDS.get(w, -1))


_GENERIC = frozenset(["made", "number", "total", "child", "children", "young", "people", "safeguarding", "year", "years"])


def _stems(text: str) -> set[str]:
    """Crude stems of a text's content words ("referred", "referrals" -> "refer")."""
    return {w[:5] for w in _WORD.findall(text.lower()) if len(w) > 3 and w not in _GENERIC}


# words that may follow a count of the measure itself: "met 3 times", "5 of the referrals", "5 were boys"
_AFTER_COUNT = frozenset("times time of were was are is in this last during so and or more fewer altogether overall "
                         "in all such these those them".split())


# measures counted in occasions, whose count a sentence gives as "met 3 times"
_OCCASIONS = frozenset("sessi meeti event visit train brief forum cours works semin panel confe audit".split())


def _counts_it(sentence: str, end: int, label: str, names: list[str]) -> bool:
    """Whether the number ending at ``end`` can be a count of the hidden cell: nothing follows it,
    or a word that goes with any count ("of", "were"), or a word of the measure or of the
    cell's breakdown ("referrals", "girls"). "three local authorities" counts something else;
    so do "seven of our crews" and, for a measure not counted in occasions (sessions,
    meetings), "met 7 times"."""
    m = re.match(r"[\s-]*([A-Za-z]+)", sentence[end:])
    if m is None:
        return True
    word = m.group(1).lower()
    own = {w for n in names for w in _WORD.findall(n.lower())}
    if word[:5] in _stems(label) or any(_said(w, {word}) for w in own):
        return True
    if word in ("more", "fewer", "extra", "additional"):  # "7 more referrals", not "7 more crews"
        nxt = re.match(r"[\s-]*[A-Za-z]+[\s-]+(?:of\s+(?:our|the|their)\s+)?([A-Za-z]+)", sentence[end:])
        noun = nxt.group(1).lower() if nxt else ""
        return (not noun or noun in ("than", "were", "was", "in", "this", "last", "and", "on") or noun[:5] in _stems(label)
                or any(_said(w, {noun}) for w in own) or noun in _GENERIC)
    if word in ("times", "time"):
        return bool(_stems(label) & _OCCASIONS) or any(len(_WORD.findall(n)) > 1 for n in names)
    if word == "of":  # "7 of the referrals", "7 of them": what follows says what is counted
        of = re.match(r"[\s-]*of\s+(?:(?:the|our|their|its|these|those|this|all)\s+)?([A-Za-z]+)", sentence[end:],
                      re.IGNORECASE)
        noun = of.group(1).lower() if of else ""
        return (not noun or noun in ("them", "whom", "which", "these", "those") or noun[:5] in _stems(label)
                or any(_said(w, {noun}) for w in own) or noun in _GENERIC)
    return word in _AFTER_COUNT


def _partners_named(spec, sentence: str) -> set[str]:
    """The spec's partners a sentence names (name, short name or alias), for text read against
    several partners' tables at once (the young people's version)."""
    text = sentence.lower()
    return {p.code for p in getattr(spec, "partners", [])
            if any(n and re.search(rf"(?<!\w){re.escape(n.lower())}(?!\w)", text) for n in p.all_names)}


def _another_area(spec, area: str | None, near: str) -> bool:
    """Whether the words around a number name another of the spec's areas and not the cell's."""
    if not area:
        return False
    text = near.lower()
    named = {a.code for a in getattr(spec, "areas", [])
             if any(re.search(rf"\b{re.escape(n.lower())}\b", text) for n in _area_words(a))}
    return bool(named) and area not in named


def _area_words(area) -> list[str]:
    """The ways the spec says an area is written: its name, short name and aliases
    ("Bedford Borough", "Bedford")."""
    return [n for n in (area.name, area.short_name, *area.aliases) if n]


def _periods_named(sentence: str, period: str | None) -> set[str]:
    """The periods a sentence names (``textlayer.periods.period_mentions``: "2023-24", "last
    year", "this year", against the report's ``period``); empty when it names none."""
    from masa.textlayer.periods import period_mentions

    if not period:
        return set()
    return {code for _, _, code, _ in period_mentions(sentence, period) if code}


_LINKING = frozenset(["and", "the", "for", "of", "with", "in", "on", "to", "a", "an"])


# the words a sentence uses for the commonest options ("boys" for the option "Male")
_SAYS = {"male": ("boys", "boy", "males", "men"), "female": ("girls", "girl", "females", "women")}


def _said(word: str, words: set[str]) -> bool:
    return word in words or f"{word}s" in words or any(w in words for w in _SAYS.get(word, ()))


def _named_in(name: str, words: set[str]) -> tuple[bool, bool]:
    """(named, distinctive): a breakdown option is named in a sentence when three quarters of
    its own words are ("the Primary Care Forum" names "Primary care safeguarding forum"); a
    name of two words or more is distinctive on its own, a one-word one ("Male") is not."""
    own = [w for w in _WORD.findall(name.lower()) if w not in _LINKING and w not in _GENERIC] or [
        w for w in _WORD.findall(name.lower()) if w not in _LINKING]
    hits = sum(_said(w, words) for w in own)
    named = bool(own) and hits >= max(1, -(-3 * len(own) // 4))
    return named, named and len(own) > 1


@check("privacy.suppressed-figure", "Text states a figure the published tables show as 'c'", "error", "narrative",
       "Published tables hide counts of 1–5, and enough other cells that none can be worked out, as 'c'; "
       "a sentence that states a hidden figure lets a reader work the small count out again.",
       modes=("dataset",))
def suppressed_in_text(ctx: Ctx, chk):
    if ctx.spec is None or ctx.dataset is None:
        return
    returns = {"/".join(r.key()): r for r in ctx.dataset.returns if r.period == ctx.period}
    cells_of: dict[str, list] = {}
    tables_of: dict[str, list] = {}
    for src in ctx.sources:
        ret = returns.get(src.return_key or "")
        if ret is None:
            continue
        if ret.partner not in cells_of:
            cells_of[ret.partner] = _published_cells(ctx, ret.partner)
            tables_of[ret.partner] = tables_from_cells(ctx.spec, ret.partner, cells_of[ret.partner])
        for start, end, message in given_away(ctx.spec, {ret.partner: cells_of[ret.partner]}, src.text,
                                              ctx.period, tables=tables_of[ret.partner]):
            yield ctx.finding(chk, src, start, end, message)


def given_away(spec, cells_of: dict[str, list], text: str, period: str | None, *,
               skip_small_counts: bool = True, tables: list | None = None,
               areas: set[str] | None = None) -> list[tuple[int, int, str]]:
    """(start, end, message) for each figure of ``text`` that gives away a cell the published
    tables hide: the hidden figure itself, or arithmetic that leads back to it (``areas``: the
    reader's partnership's, so a message never states another partnership's hidden count). ``cells_of``
    holds each partner's published cells (``boundary.partner_cells``, or a web publication's
    ``boundary.published_parts``); ``tables``, their ``tables_from_cells``, when the caller has them."""
    from masa.ingest.figures import sentences

    from .privacy import SMALL_COUNT

    hidden = [(partner, h) for partner, cells in cells_of.items() for h in _hidden_cells(cells)]
    if not hidden:
        return []
    out: list[tuple[int, int, str]] = []
    flagged: list[tuple[int, int]] = []
    previous = ""  # the sentence before: "We made 21 referrals in Luton. Seven of them were boys."
    for offset, sentence in sentences(text):
        before, previous = previous, sentence
        whose = _partners_named(spec, sentence) if len(cells_of) > 1 else set()
        said_when = _periods_named(sentence, period)
        people = [m.span() for m in SMALL_COUNT.finditer(sentence)] if skip_small_counts else []
        flagged += [(offset + a, offset + b) for a, b in people]
        for start, end, value in _numbers(sentence):
            if any(a <= start < b for a, b in people):
                continue  # privacy.small-count already names it
            if _CHANGE_BEFORE.search(sentence[max(0, start - 24):start]) or re.match(
                    r"\s?(?:%|per\s?cent\b|percent)", sentence[end:], re.IGNORECASE):
                continue  # a change ("up by 7") or a percentage: the arithmetic below reads them
            near = sentence[max(0, start - 60):end + 40]  # what the number counts is named close by
            words = set(_WORD.findall(near.lower()))
            stems = _stems(near)
            for partner, (indicator, per, by, hidden_value) in hidden:
                if value != hidden_value or (whose and partner not in whose):
                    continue  # "ELFT: 7 boys helped us" is not the fire service's hidden 7
                names = _names(spec, by)
                named = [_named_in(n, words) for n in names]
                label = _label_of(spec, indicator)
                measure = bool(_stems(label) & stems)
                # its measure named in the sentence before, and its breakdown in this one
                # ("We made 21 referrals. Seven of them were boys.")
                measure_before = not measure and any(n for n, _ in named) and bool(_stems(label) & _stems(before))
                # the cell's own breakdown named in words of two or more ("the Primary Care
                # Forum met three times"), or its measure with any of its breakdown
                # ("3 referrals about girls"), or its measure alone when it has none
                if not _counts_it(sentence, end, label, names):
                    continue  # "three local authorities": the number counts something else
                if _another_area(spec, by.get("area"), (before + " " if measure_before else "") + near):
                    continue  # "in Bedford we referred 7 boys": not the Luton cell
                if said_when and per not in said_when:
                    continue  # "last year we referred 7 boys": not this year's hidden 7
                if any(d for _, d in named) or measure_before or (measure and (any(n for n, _ in named) or not named)):
                    what = label + (f" ({', '.join(names)})" if names else "")
                    after = _NEXT_WORD.match(sentence, end)  # "3 times": the figure with its noun
                    message = (f"the text gives {sentence[start:end]} for {what} in {per}, which the "
                               f"published tables show as 'c'; stated here, it lets a reader work out "
                               f"what the 'c' hides: leave it out or give a combined figure.")
                    out.append((offset + start, offset + (after.end() if after else end), message))
                    flagged.append((offset + start, offset + end))
                    break
    if tables is None:
        tables = [t for partner, cells in cells_of.items() for t in tables_from_cells(spec, partner, cells)]
    for leak in arithmetic_leaks(spec, tables, text, period=period):
        if any(a < leak.end and leak.start < b for a, b in flagged):
            continue  # the figure is a hidden one itself, or a small count, named already
        after = NUMBER.fullmatch(text, leak.start, leak.end) and _NEXT_WORD.match(text, leak.end)
        out.append((leak.start, after.end() if after else leak.end, leak_message(spec, text, leak, areas)))
    return sorted(out)


# ---------------------------------------------------------------------------------------------
# A hidden figure given back by arithmetic: "86% of the referrals were about boys" beside a
# published total of 21 gives 18 boys, and so the 3 girls. Each figure a sentence states about a
# partner's table (a percentage, a sum of parts, a difference, a ratio, "all but three") is one
# more published constraint on the table's cells; the sentence gives a hidden cell away when,
# with that constraint and the published figures, the cell can take only one value. The
# reader's view is what the boundary publishes (``partner_cells``): the printed numbers, every
# "c" at least 1, every cell not printed at least 0, and the table's lines (a total is the sum
# of its parts, ``boundary.additive_lines``). Whether one value remains is decided by the exact
# linear programme of the disclosure engine (``masa.disclosure.simplex``): a cell whose least
# and greatest value round to the same whole number is given away.
# ---------------------------------------------------------------------------------------------



@dataclass
class Table:
    """One indicator (with its slices) of one partner, as a reader of the publication sees it."""

    partner: str
    indicator: str
    labels: list[str]  # the measure's names (the indicator and its slices)
    truth: dict  # cell -> true count (None: not recorded); cell = (period, by) or a remainder
    shown: dict  # cell -> printed count, "c", or None (not printed)
    lines: list  # (total cell, [part cells])
    names: dict = field(default_factory=dict)  # cell -> its option's names, where the line names it
    _base: dict | None = None

    def hidden_targets(self) -> list:
        from masa.disclosure import SUPPRESSED

        return [k for k, v in self.shown.items() if v == SUPPRESSED and self.truth.get(k)]


def tables_from_cells(spec, partner: str, cells) -> list[Table]:
    """The reader's view of a partner's published cells (``boundary.partner_cells`` or the web
    publication's own): one table per count indicator family."""
    from masa.disclosure import SUPPRESSED
    from masa.report.boundary import _in_family, additive_lines, family

    groups: dict[str, list] = {}
    for c in cells:
        try:
            code = family(spec, c.value.indicator)
            ind = spec.indicator(code)
        except KeyError:
            continue
        if ind.unit != "count":
            continue
        groups.setdefault(code, []).append(c)
    out = []
    for code, items in groups.items():
        ind = spec.indicator(code)
        truth: dict = {}
        shown: dict = {}
        for c in items:
            key = (c.period, _in_family(spec, c.value.indicator, c.by))
            v = c.value.value
            truth[key] = int(v) if isinstance(v, (int, float)) and float(v).is_integer() else None
            shown[key] = SUPPRESSED if c.value.suppressed or c.published == SUPPRESSED else (
                int(c.published) if isinstance(c.published, (int, float)) and float(c.published).is_integer()
                else None)
        try:
            lines, hidden = additive_lines(spec, ind, truth)
        except (KeyError, ValueError):
            continue
        for k, v in hidden.items():
            truth.setdefault(k, v)
            shown.setdefault(k, None)
        _fill(truth, lines)
        labels = [str(ind.name)] + [str(i.name) for i in spec.indicators
                                    if i.slice_of and i.slice_of.indicator == code]
        table = Table(partner, code, labels, truth, shown, [(t, list(p)) for t, p in lines])
        for total, parts in table.lines:
            for p in parts:
                dim = _differs(total, p)
                if dim and dim not in table.names.get(p, {}):
                    table.names.setdefault(p, {})[dim] = _option_words(spec, dim, dict(p[1])[dim])
        out.append(table)
    return out


def _fill(truth: dict, lines) -> None:
    """Cells nobody supplied that the others fix: a total whose parts are all known (the
    sessions of every course add up to the year's sessions), a part its total and the other
    parts leave. A sentence stating one is then compared with its real value."""
    changed = True
    while changed:
        changed = False
        for total, parts in lines:
            unknown = [p for p in parts if truth.get(p) is None]
            if truth.get(total) is None and not unknown:
                truth[total] = sum(truth[p] for p in parts)
                changed = True
            elif truth.get(total) is not None and len(unknown) == 1:
                rest = truth[total] - sum(truth[p] for p in parts if p not in unknown)
                if rest >= 0:
                    truth[unknown[0]] = rest
                    changed = True


def _differs(total, part) -> str | None:
    """The breakdown a line's part adds to its total (None for a quarter or a remainder)."""
    if not (isinstance(total, tuple) and isinstance(part, tuple) and len(part) == 2 and isinstance(part[1], tuple)):
        return None
    if total[0] != part[0] or not isinstance(total[1], tuple) or (part[1] and part[1][0] == "rest of"):
        return None
    extra = set(part[1]) - set(total[1])
    return next(iter(extra))[0] if len(extra) == 1 else None


def _option_words(spec, dim: str, opt: str) -> list[str]:
    """An option's names; an area's short name and aliases too ("Bedford" for "Bedford Borough")."""
    from masa.returns.validate import option_names

    names = [n for n in option_names(spec, {dim: opt}) if len(n) > 2]
    if dim == "area":
        try:
            names += [n for n in _area_words(spec.area(opt)) if len(n) > 2 and n not in names]
        except KeyError:
            pass
    return names


def _pinned(table: Table, extra: list) -> dict:
    """The hidden target cells that take a single whole value over every filling a reader could
    try, given the published figures and lines and the ``extra`` constraints
    ((coefficients by cell, "=" / "<=" / ">=", right-hand side)); {} when they cannot all hold."""
    from masa.disclosure import SUPPRESSED
    from masa.disclosure.simplex import Infeasible, Polytope

    hidden = [k for k, v in table.shown.items() if not isinstance(v, int)]
    col = {k: i for i, k in enumerate(hidden)}
    low = [Fraction(1 if table.shown[k] == SUPPRESSED else 0) for k in hidden]
    rows: list[tuple[dict, str, Fraction]] = [({t: Fraction(1), **{p: Fraction(-1) for p in ps}}, "=", Fraction(0))
                                              for t, ps in table.lines]
    rows += [({k: Fraction(a) for k, a in co.items()}, op, Fraction(b)) for co, op, b in extra]
    slack = sum(1 for _, op, _ in rows if op != "=")
    width = len(hidden) + slack
    matrix, rhs = [], []
    s = len(hidden)
    for co, op, b in rows:
        row = [Fraction(0)] * width
        for k, a in co.items():
            if k in col:
                row[col[k]] += a
            else:
                v = table.shown.get(k)
                if not isinstance(v, int):
                    return {}  # a cell outside the table: nothing to say
                b -= a * v
        b -= sum((row[i] * low[i] for i in range(len(hidden))), Fraction(0))
        if op != "=":
            row[s] = Fraction(1 if op == "<=" else -1)
            s += 1
        if not any(row):
            if (op == "=" and b != 0) or (op == "<=" and b < 0) or (op == ">=" and b > 0):
                return {}
            continue
        matrix.append(row)
        rhs.append(b)
    targets = [k for k in table.hidden_targets() if k in col]
    if not matrix or not targets:
        return {}
    try:
        shape = Polytope(matrix, rhs)
    except Infeasible:
        return {}
    out = {}
    for k in targets:
        j = col[k]
        unit = [Fraction(int(i == j)) for i in range(width)]
        top = shape.maximise(unit)
        if top is None:
            continue
        bottom = shape.maximise([-x for x in unit])
        lo, hi = ceil(bottom[j] + low[j]), floor(top[j] + low[j])
        if lo == hi:
            out[k] = lo
    return out


def _newly_pinned(table: Table, extra: list) -> dict:
    if table._base is None:
        table._base = _pinned(table, [])
    return {k: v for k, v in _pinned(table, extra).items() if k not in table._base}


PERCENT = re.compile(r"(?<![\w.,])(\d{1,3}(?:\.(\d{1,2}))?)\s?(?:%|per\s?cent\b)", re.IGNORECASE)
# a share in words: "a third of", "two thirds", "one in seven", "1 in 7" (read as a loose
# percentage, 2.5 points either side, as after "about")
_PARTS = {"half": 2, "third": 3, "quarter": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10}
FRACTION = re.compile(r"\b(?:(a|an|one|two|three|four)\s+(half|third|quarter|fifth|sixth|seventh|eighth|ninth|tenth)s?"
                      r"|(one|1)\s+in\s+(?:every\s+)?(two|three|four|five|six|seven|eight|nine|ten|\d{1,2}))\b", re.IGNORECASE)


def _fractions(sentence: str):
    """(start, end, percentage, half-width) of each share a sentence gives in words."""
    for m in FRACTION.finditer(sentence):
        if m.group(2):
            top = {"a": 1, "an": 1, "one": 1}.get(m.group(1).lower()) or NUMBER_WORDS.get(m.group(1).lower(), 1)
            bottom = _PARTS[m.group(2).lower()]
        else:
            top, word = 1, m.group(4).lower()
            bottom = int(word) if word.isdigit() else NUMBER_WORDS.get(word, 0)
        if bottom and top < bottom:
            yield m.start(), m.end(), Fraction(100 * top, bottom), Fraction(5, 2)


_HEDGE = re.compile(r"\b(?:about|around|approximately|approx\.?|roughly|nearly|almost|some|over|more than|under|"
                    r"less than|fewer than|at least|at most|up to|just|below|above|circa|c\.|~)\s*$", re.IGNORECASE)
_MULTIPLE = re.compile(r"\b(?:(?:(twice|double|treble|triple|half)|(\w+)\s+times)\s+(?:as\s+(?:many|much|often)|more|"
                       r"the\s+number|that|those|the)\b|(\w+)\s*(?:to\s+one|:\s*1)\b)", re.IGNORECASE)
_MULTIPLE_WORDS = {"twice": 2, "double": 2, "treble": 3, "triple": 3, "half": Fraction(1, 2)}
_EXCEPT = re.compile(r"\b(?:all\s+but|all\s+except|except(?:\s+for)?|other\s+than|apart\s+from|save\s+for|"
                     r"(?:were|was|are|is|did|do)\s+not|\w+n't|the\s+rest|remaining|remainder|others?)\b",
                     re.IGNORECASE)
_DIFFERENCE = re.compile(r"\b(?:more|fewer|less|than|difference|gap|outnumber\w*|higher|lower|rose|fell|up|down|"
                         r"increase\w*|decrease\w*|rise|drop\w*)\b", re.IGNORECASE)
_TOGETHER = re.compile(r"\b(?:and|together|combined|between|total|plus|or|both|&)\b|\+|/", re.IGNORECASE)


# "all but three", "except three": the number's noun is the one the sentence counts
_EXCEPT_BEFORE = re.compile(r"\b(?:all\s+but|except(?:\s+for)?|apart\s+from|other\s+than|save\s+for)\s+$",
                            re.IGNORECASE)
_CLAUSE = re.compile(r";|\s[–—-]\s")  # not a colon ("boys and girls together: 21") nor brackets
_COMPARING = frozenset(["more", "fewer", "less", "extra", "additional"])


def _counts_this(sentence: str, end: int, label: str, names: list[str]) -> bool:
    """Whether the number ending at ``end`` counts the measure or its parts: the words after it,
    past "more" and words every measure uses ("safeguarding", "children"), are nothing, a word
    that goes with any count ("of", "were", "in") or one of the measure or of the parts named.
    "15 more stations" counts something else."""
    own = {w for n in names for w in _WORD.findall(n.lower())}
    stems = _stems(label)
    for m in re.finditer(r"[\s-]*([A-Za-z]+)", sentence[end:end + 60]):
        word = m.group(1).lower()
        if word in _COMPARING or word in _GENERIC:
            continue
        return word in _AFTER_COUNT or word[:5] in stems or any(_said(w, {word}) for w in own)
    return True


@dataclass
class Leak:
    start: int  # in the text
    end: int
    table: Table
    given: dict  # hidden cell -> value it gives away
    how: str  # in words: "a percentage of the published total of 21"
    sentence: str = ""  # the sentence that states it


def _part_named(table: Table, key, words: set[str], dim: str | None = None) -> tuple[bool, bool]:
    """(named, distinctive) for a line's part: by the option of the line's own breakdown
    (``dim``), or by any of its options when no line is in view."""
    names = table.names.get(key, {})
    named = [_named_in(n, words) for d, ns in names.items() if dim is None or d == dim for n in ns]
    return any(n for n, _ in named), any(d for _, d in named)


def _fits_percent(k: int, total: int, p: Fraction, half: Fraction) -> bool:
    return total > 0 and p - half <= Fraction(100 * k, total) <= p + half


def arithmetic_leaks(spec, tables: list[Table], text: str, *, period: str | None = None) -> list[Leak]:
    """Statements in ``text`` that, with the published figures of ``tables``, give a hidden
    ("c") cell away: a percentage of a total, a sum or difference of parts, a ratio, "all but
    N". One leak per figure in the text, the first that gives something away. Statements that
    give nothing away alone are read together too, in the text's order: the one that completes
    a set giving a cell away is a leak, quoting the sentences before it that it needs."""
    from masa.ingest.figures import sentences

    out: list[Leak] = []
    said: dict[int, list] = {}  # table -> true statements so far that gave nothing away alone
    given_of: dict[int, set] = {}  # table -> cells already reported as given away
    for offset, sentence in sentences(text):
        low = sentence.lower()
        for table in tables:
            if not table.hidden_targets():
                continue
            if not any(_stems(label) & _stems(sentence) for label in table.labels) and not any(
                    _part_named(table, k, set(_WORD.findall(low)))[1] for k in table.names):
                continue  # neither the measure nor a distinctive breakdown is named in the sentence
            earlier = said.setdefault(id(table), [])
            done = given_of.setdefault(id(table), set())
            plain = " ".join(sentence.split())
            for start, end, how, extra in _statements(table, sentence, period):
                given = _newly_pinned(table, extra)
                if given:
                    out.append(Leak(offset + start, offset + end, table, given, how, plain))
                    done.update(given)
                    continue
                before = [e for e in earlier if e[0] != plain]
                if before:
                    given = {k: v for k, v in _newly_pinned(table, [c for e in before for c in e[1]] + extra).items()
                             if k not in done}
                    if given:
                        quotes = "; ".join(dict.fromkeys(f"'{e[0]}'" for e in before))
                        out.append(Leak(offset + start, offset + end, table, given,
                                        f"{how}, read with what the text says before ({quotes})", plain))
                        done.update(given)
                earlier.append((plain, extra))
        # one leak per span (several tables or forms may give the same figure away)
    seen: set[tuple[int, int]] = set()
    unique = []
    for leak in out:
        if (leak.start, leak.end) not in seen:
            seen.add((leak.start, leak.end))
            unique.append(leak)
    return unique


def _statements(table: Table, sentence: str, period: str | None):
    """(start, end, how, constraints) for each figure of ``sentence`` that, read as a statement
    about ``table``'s cells, is true of the partner's real counts. Whether it gives anything
    away is the caller's linear programme."""
    truth = table.truth
    percents = [(m.start(), m.end(), Fraction(m.group(1)), Fraction(1, 2 * 10 ** len(m.group(2) or "")))
                for m in PERCENT.finditer(sentence)] + list(_fractions(sentence))
    taken = [(a, b) for a, b, _, _ in percents]
    counts = [(a, b, v) for a, b, v in _numbers(sentence) if v >= 0 and not any(x <= a < y for x, y in taken)]
    multiples = []
    for m in _MULTIPLE.finditer(sentence):
        word = (m.group(1) or m.group(2) or m.group(3)).lower()
        factor = _MULTIPLE_WORDS.get(word) or (int(word) if word.isdigit() else NUMBER_WORDS.get(word))
        if factor and factor != 1:
            multiples.append((m.start(), m.end(), Fraction(factor)))
    taken += [(a, b) for a, b, _ in multiples]
    counts = [(a, b, v) for a, b, v in counts if not any(x <= a < y for x, y in taken)]

    def window(a: int, b: int) -> tuple[str, set[str]]:
        # the clause the figure is in ("Boys and girls were both referred; we have 15 more
        # stations": the stations are another clause's), at most 100 characters before it and 80 after
        lo = max([0, a - 100] + [m.end() for m in _CLAUSE.finditer(sentence, 0, a)])
        hi = min([len(sentence), b + 80] + [m.start() for m in _CLAUSE.finditer(sentence, b)])
        near = sentence[lo:hi]
        return near, set(_WORD.findall(near.lower()))

    def value(keys) -> int | None:
        vals = [truth.get(k) for k in keys]
        return None if any(v is None for v in vals) else sum(vals)

    for total, parts in table.lines:
        if not isinstance(total, tuple) or not isinstance(total[0], str):
            continue  # a remainder's own line
        named_parts = [p for p in parts if p in table.names]
        if not named_parts and total not in table.names and table.shown.get(total) is not None:
            continue
        # percentages of the line's total
        for a, b, p, half in percents:
            near, words = window(a, b)
            before = sentence[max(0, a - 24):a]
            if _HEDGE.search(before):
                half = max(half, Fraction(5, 2))
            named = [k for k in named_parts if _part_named(table, k, words, _differs(total, k))[0]]
            T = truth.get(total)
            if not named or not T:
                continue
            if not (any(_stems(lb) & _stems(near) for lb in table.labels)
                    or any(_part_named(table, k, words, _differs(total, k))[1] for k in named)):
                continue  # "15% of our staff are women": a share of something else
            forms = [list(s) for r in range(1, len(named) + 1) for s in combinations(named, r)]
            if _EXCEPT.search(near):
                forms += [[q for q in parts if q not in s] for s in list(forms)]
            for form in forms:
                k = value(form)
                if k is None:
                    continue
                h = half
                if not _fits_percent(k, T, p, h):
                    if half < 1 and _fits_percent(k, T, p, Fraction(1)):
                        h = Fraction(1)  # truncated or rounded up
                    else:
                        continue
                co = {q: Fraction(100) for q in form}
                co[total] = co.get(total, 0) - (p - h)
                co_hi = {q: Fraction(100) for q in form}
                co_hi[total] = co_hi.get(total, 0) - (p + h)
                yield a, b, f"a percentage of {_share(table, total)}", [(co, ">=", 0), (co_hi, "<=", 0)]
        # whole numbers: a sum of parts, the rest ("all but"), a difference, the total itself
        for a, b, n in counts:
            near, words = window(a, b)
            named = [k for k in named_parts if _part_named(table, k, words, _differs(total, k))[0]]
            label = " ".join(table.labels)
            names = [w for k in named for ns in table.names[k].values() for w in ns]
            if not _EXCEPT_BEFORE.search(sentence, 0, a) and not _counts_this(sentence, b, label, names):
                continue
            measure = any(_stems(lb) & _stems(near) for lb in table.labels)
            distinctive = any(_part_named(table, k, words, _differs(total, k))[1] for k in named)
            if not (measure or distinctive):
                continue
            forms: list[tuple[list, str]] = []
            if len(named) >= 2 and _TOGETHER.search(near):
                forms += [(list(s), "a sum of figures the tables do not print")
                          for r in range(2, len(named) + 1) for s in combinations(named, r)]
            if named and _EXCEPT.search(near):
                forms += [([q for q in parts if q not in s], "what is left of a total")
                          for r in range(1, len(named) + 1) for s in combinations(named, r)]
            if not isinstance(table.shown.get(total), int) and measure and not _EXCEPT.search(near):
                forms.append(([total], "a total the tables do not print"))
            for form, how in forms:
                if form and value(form) == n:
                    yield a, b, how, [({q: 1 for q in form}, "=", n)]
            if len(named) >= 2 and _DIFFERENCE.search(near):
                for x, y in combinations(named, 2):
                    vx, vy = truth.get(x), truth.get(y)
                    if vx is None or vy is None or abs(vx - vy) != n or n == 0:
                        continue
                    big, small = (x, y) if vx > vy else (y, x)
                    yield a, b, "the difference between two figures", [({big: 1, small: -1}, "=", n)]
        # ratios: "six times as many boys as girls"
        for a, b, factor in multiples:
            near, words = window(a, b)
            named = [k for k in named_parts if _part_named(table, k, words, _differs(total, k))[0]]
            for x, y in combinations(named, 2):
                for big, small in ((x, y), (y, x)):
                    vb, vs = truth.get(big), truth.get(small)
                    if vb is not None and vs and Fraction(vb) == factor * vs:
                        yield a, b, "a ratio between two figures", [({big: 1, small: -factor}, "=", 0)]
    # year on year: "5 more referrals about girls than last year"
    yield from _changes(table, sentence, counts, window, period)


def _changes(table: Table, sentence: str, counts, window, period):
    """A difference between a cell and the same cell a year before ("3 fewer than last year")."""
    from masa.spec import parse_period, shift_period

    if not period:
        return
    before = shift_period(period, -1)
    by_key = {}
    for k in table.truth:
        if isinstance(k, tuple) and isinstance(k[0], str) and isinstance(k[1], tuple) and (
                not k[1] or k[1][0] != "rest of"):
            try:
                kind = parse_period(k[0]).kind
            except ValueError:
                continue
            if kind == "year":
                by_key.setdefault(k[1], {})[k[0]] = k
    for a, b, n in counts:
        near, words = window(a, b)
        if not n or not _DIFFERENCE.search(near):
            continue
        for cells in by_key.values():
            now, then = cells.get(period), cells.get(before)
            if now is None or then is None:
                continue
            vn, vt = table.truth.get(now), table.truth.get(then)
            if vn is None or vt is None or abs(vn - vt) != n:
                continue
            # the cell named by a breakdown other than its area (an area is named in most sentences)
            dims = [d for d in dict(now[1]) if d != "area"]
            if dims and not any(_part_named(table, now, words, d)[0] for d in dims):
                continue
            if not any(_stems(lb) & _stems(near) for lb in table.labels):
                continue
            big, small = (now, then) if vn > vt else (then, now)
            yield a, b, "a change from the year before", [({big: 1, small: -1}, "=", n)]


def _share(table: Table, total) -> str:
    v = table.shown.get(total)
    return f"the published total of {v}" if isinstance(v, int) else "a total"


def leak_message(spec, text: str, leak: Leak, areas: set[str] | None = None) -> str:
    """What a statement gives away, in plain words for a partner's safeguarding lead. A cell of
    an area outside ``areas`` (the reader's partnership's, when given) is another partnership's
    to hide: the message says a figure is given away, never its count."""
    from masa.returns.validate import option_names

    quote = text[leak.start:leak.end]
    said = leak.sentence if len(leak.sentence) <= 200 else leak.sentence[:197] + "..."
    if areas is not None and any(dict(by).get("area") not in (None, *areas) for _, by in leak.given):
        return (f"'{said}' states {quote}, {leak.how}: with the figures published for this partner, a reader can "
                "work out a figure another partnership's tables hide as 'c' to protect small numbers. "
                "Leave this figure out, or say it without a number (for example 'most of them').")
    items = []
    for (per, by), value in sorted(leak.given.items(), key=lambda kv: str(kv[0])):
        names = option_names(spec, {d: o for d, o in dict(by).items()})
        items.append(f"{value} ({', '.join([_label_of(spec, leak.table.indicator), *names, per])})")
    return (f"'{said}' states {quote}, {leak.how}: with the figures the tables do publish, a reader can work out "
            f"from it "
            f"{' and '.join(items)}, which the published tables hide as 'c' to protect small numbers. "
            "Leave this figure out, or say it without a number (for example 'most of them').")


def _label_of(spec, code: str) -> str:
    try:
        return str(spec.indicator(code).name)
    except KeyError:
        return code
