"""Figures in prose → candidate values: the number, its unit, its period and a guessed
indicator and breakdown, with the sentence kept. Year-on-year statements give two values.

The guess is deliberately conservative: a figure is assigned to an indicator only when
most of the indicator's name words are in the sentence and some are near the figure;
otherwise it stays an unassigned candidate for a person to place. Changes ("a 17%
reduction") and targets ("the 90% target") are recognised and never stored as values.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import pairwise

from masa.spec import Spec, fold, shift_period
from masa.textlayer.changes import FROM_TO, role
from masa.textlayer.numbers import figures
from masa.textlayer.periods import period_mentions

from .document import Location
from .words import PARTNER_BONUS, STOP, areas_named, best_option, content, only_option, stem

_CLAUSE = re.compile(r",(?!\d{3})|[;:()–—]|\b(?:compared|while|whereas|which|including|includes|but)\b", re.IGNORECASE)
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9£\"“(])")
_ANAPHOR = re.compile(r"^(?:while this|this is|this represents|this was|this adjustment|this led|this means)\b", re.IGNORECASE)
_ABBREV = re.compile(r"\b(?:e\.g|i\.e|etc|vs|no)\.$", re.IGNORECASE)
_WORD = re.compile(r"\w+")
WINDOW = 10  # words either side of a figure in which an indicator's name words count as near


@dataclass
class Candidate:
    """A figure found in a document, assigned to an indicator or not (``reason`` says why not)."""

    value: float
    unit: str  # count | percent | currency
    written: str
    sentence: str
    loc: Location
    partner: str | None = None
    period: str | None = None
    indicator: str | None = None
    by: dict[str, str] = field(default_factory=dict)
    kind: str = "value"  # value | change | target
    reason: str = ""
    score: float = 0.0
    source: str = "prose"  # prose | table


def sentences(text: str) -> list[tuple[int, str]]:
    """(offset, sentence), with 'This is a 21% decrease...' joined to the sentence it refers to."""
    out: list[tuple[int, str]] = []
    pos = 0
    for part in _SENTENCE.split(text):
        start = text.find(part, pos)
        pos = start + len(part)
        if out and (_ANAPHOR.match(part) or _ABBREV.search(out[-1][1])):
            o = out[-1][0]
            out[-1] = (o, text[o:pos])
        else:
            out.append((start, part))
    return out


def _period_mentions(spec: Spec, s: str, period: str) -> list[tuple[int, int, str | None, str]]:
    return period_mentions(s, period)


_UNITS = {"percent": "percent", "money": "currency", "count": "count", "pp": "percent"}


def _compatible(unit: str, indicator_unit: str) -> bool:
    return {"percent": ("percent", "rate"), "count": ("count", "days", "score"),
            "currency": ("currency",)}[unit].__contains__(indicator_unit)


def _clauses(s: str) -> list[tuple[int, int]]:
    cuts = [0, *(m.start() for m in _CLAUSE.finditer(s)), len(s)]
    return [(a, b) for a, b in pairwise(cuts) if b > a]


def _clause_of(clauses, pos) -> tuple[int, int]:
    for a, b in clauses:
        if a <= pos < b:
            return a, b
    return 0, 0


class FigureFinder:
    """Finds figures in a partner's prose and guesses indicator, breakdown and period."""

    def __init__(self, spec: Spec, period: str):
        self.spec = spec
        self.period = period
        self.indicator_words = {i.code: content(i.name) for i in spec.indicators}

    def find(self, text: str, loc: Location, partner: str | None) -> list[Candidate]:
        out: list[Candidate] = []
        for _, s in sentences(text):
            out.extend(self._sentence(s, loc, partner))
        return out

    # ------------------------------------------------------------------
    def _sentence(self, s: str, loc: Location, partner: str | None) -> list[Candidate]:
        # the checker's reading of numbers (masa.textlayer.numbers): both agree on what a figure is
        numbers = figures(s)
        if not numbers:
            return []
        words = [(w.start(), stem(fold(w.group(0)) or w.group(0).lower())) for w in _WORD.finditer(s)]
        # per-word stems, plus the phrase tokens option names use ("level 3" -> "level3")
        sentence_words = frozenset(w for _, w in words if w not in STOP) | content(s)
        mentions = _period_mentions(self.spec, s, self.period)
        clauses = _clauses(s)
        from_to = self._from_to(s)
        areas = areas_named(self.spec, s)
        found: list[Candidate] = []
        fig_positions = [f.start for f in numbers]
        for f in numbers:
            c = Candidate(f.value, _UNITS[f.kind], f.text.strip(), s.strip(), loc, partner)
            c.kind = "change" if f.kind == "pp" else role(s, f.start, f.end)
            if c.kind == "target":
                c.reason = "a target, not a result"
            elif c.kind == "change":
                c.reason = "a change between periods, not a value"
            if c.kind == "value":
                c.period, why = self._period_for(f.start, s, mentions, clauses, from_to, fig_positions)
                self._guess_indicator(c, f.start, f.end, words, sentence_words, partner, s, clauses, areas,
                                      fig_positions)
                if c.period is None:
                    c.reason = why  # the indicator guess is kept for the person placing it
            found.append(c)
        return found

    def _from_to(self, s: str) -> dict[int, str | None]:
        """Figure offset → period for 'from X to Y [between P1 and P2]'."""
        out: dict[int, str | None] = {}
        for m in FROM_TO.finditer(s):
            p1 = p2 = None
            if m.group(3) and m.group(4):
                p1 = self._period_text(m.group(3))
                p2 = self._period_text(m.group(4))
            out[m.start(1)] = p1 or shift_period(self.period, -1)
            out[m.start(2)] = p2 or self.period
        return out

    def _period_text(self, text: str) -> str | None:
        hits = _period_mentions(self.spec, text, self.period)
        return hits[0][2] if hits else None

    def _period_for(self, pos, s, mentions, clauses, from_to, figs) -> tuple[str | None, str]:
        for start, code in from_to.items():
            if abs(start - pos) <= 2:
                return code, ""
        a, b = _clause_of(clauses, pos)

        def between_free(x, y) -> bool:
            return not any(x < f < y for f in figs)

        def near(x, y) -> bool:
            return len(_WORD.findall(s[x:y])) <= 8

        for start, end, code, written in mentions:  # right, same clause, nothing in between
            if pos < start < b and between_free(pos, start) and near(pos, start):
                return (code, "") if code else (None, f"the period is a month ({written}), not a year or quarter")
        for start, end, code, written in reversed(mentions):  # left, same clause
            if a <= start < pos and between_free(end, pos) and near(end, pos):
                return (code, "") if code else (None, f"the period is a month ({written}), not a year or quarter")
        if re.match(r"\W*(?:compared|against)\b", s[a:b].lstrip(" ,(")):
            return shift_period(self.period, -1), ""
        for start, end, code, written in reversed(mentions):  # anywhere earlier in the sentence
            if start < pos:
                return (code, "") if code else (None, f"the period is a month ({written}), not a year or quarter")
        return self.period, ""

    def _guess_indicator(self, c: Candidate, pos, end, words, sentence_words, partner, s, clauses, areas,
                         figs) -> None:
        idx = next((i for i, (start, _) in enumerate(words) if start >= pos), len(words))
        best: list[tuple[float, str]] = []
        for ind in self.spec.indicators:
            if ind.partner and ind.partner != partner:
                continue
            if not _compatible(c.unit, ind.unit):
                continue
            iw = self.indicator_words[ind.code]
            if not iw:
                continue
            hit = iw & sentence_words
            cover = len(hit) / len(iw)
            unit_word = next((x for start, x in words if start >= end), "")
            follows = unit_word in iw  # "228 attendees", "45 ... sessions": the figure's own noun
            # a count with a short indicator name needs every word, or the figure's noun to match
            strict = c.unit == "count" and len(iw) <= 3 and cover < 1 and not follows
            if cover < 0.6 or len(hit) < min(2, len(iw)) or strict:
                continue
            near = 0.0
            for w in hit:
                d = min(abs(i - idx) for i, (_, x) in enumerate(words) if x == w)
                near += max(0.0, 1 - d / WINDOW)
            if near == 0:
                continue
            best.append((cover + near / len(iw) + (0.5 if follows else 0) + (PARTNER_BONUS if ind.partner else 0), ind.code))
        if not best:
            c.reason = c.reason or "no indicator in the spec matches the words around this figure"
            return
        best.sort(reverse=True)
        if len(best) > 1 and best[0][0] - best[1][0] < 0.02:
            c.reason = f"ambiguous: {best[0][1]} or {best[1][1]}"
            return
        c.score, c.indicator = best[0]
        self._guess_breakdowns(c, pos, end, s, clauses, areas, sentence_words, figs)

    def _guess_breakdowns(self, c: Candidate, pos, end, s, clauses, areas, sentence_words, figs) -> None:
        """Options named after the figure, else before it, else in its clause, else the sentence."""
        ind = self.spec.indicator(c.indicator)
        a, b = _clause_of(clauses, pos)
        nxt = min([f for f in figs if f > pos] + [b])
        prv = max([f for f in figs if f < pos] + [a])
        spans = [content(s[end:nxt]), content(s[prv:pos]), content(s[a:b])]
        for dim in ind.breakdowns:
            if dim == "area" or self.spec.breakdown(dim).from_areas:
                if len(areas) == 1:
                    c.by[dim] = areas[0]
                continue
            for words in spans:
                opt = best_option(self.spec, dim, words)
                if opt:
                    c.by[dim] = opt
                    break
            else:
                opt = only_option(self.spec, dim, sentence_words)
                if opt:
                    c.by[dim] = opt
