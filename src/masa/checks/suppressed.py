"""A return's text that states a figure its published tables hide as "c".

The publishing boundary (``masa.report.boundary``) shows counts of 1–5 as "c" and hides
enough other cells (secondary suppression) that no "c" can be worked out from the totals. A
sentence of the same return that states one of those hidden figures undoes that protection,
whatever the figure counts: "7 boys" is not a small count, but with the total and the other
cells published it gives away the "c" beside it. So the hidden cells are computed exactly as
the report computes them, and each figure in the return's text is compared with them.
"""

from __future__ import annotations

import re

from .registry import Ctx, check

# a figure already reported as a small count of people (privacy.small-count): one finding
# is enough for one defect
_PEOPLE_COUNT = "privacy.small-count"


def _hidden_cells(ctx: Ctx, ret) -> list:
    """The return's cells the public report shows as "c": (indicator, period, by, value)."""
    from masa.disclosure import SUPPRESSED, DisclosureError
    from masa.report.boundary import ReportError, partner_cells, partner_values

    try:
        cells = partner_cells(ctx.spec, ret.partner, partner_values(ctx.dataset, ret.partner, ret.template),
                              ctx.period)
    except (ReportError, DisclosureError):
        return []  # the report refuses to build; the figure checks say why
    return [(c.value.indicator, c.period, dict(c.by), c.value.value) for c in cells
            if c.published == SUPPRESSED and c.value.value]


def _names(ctx: Ctx, by: dict[str, str]) -> list[str]:
    """The words a sentence would use for a cell's breakdown (not its area: an area's name is
    in nearly every sentence)."""
    from masa.returns.validate import option_names

    return [n for n in option_names(ctx.spec, {k: v for k, v in by.items() if k != "area"}) if len(n) > 2]


_WORD = re.compile(r"[a-z0-9]+")
_NEXT_WORD = re.compile(r"[ \u00a0]+[A-Za-z][\w'’-]*")


_GENERIC = frozenset("made number total child children young people safeguarding year years".split())


def _stems(text: str) -> set[str]:
    """Crude stems of a text's content words ("referred", "referrals" -> "refer")."""
    return {w[:5] for w in _WORD.findall(text.lower()) if len(w) > 3 and w not in _GENERIC}


def _label(ctx: Ctx, indicator: str) -> str:
    try:
        return str(ctx.spec.indicator(indicator).name)
    except KeyError:
        return indicator
_LINKING = frozenset("and the for of with in on to a an".split())


def _named_in(name: str, words: set[str]) -> bool:
    """A breakdown option is named in a sentence when most of its own words are ("the Primary
    Care Forum" names the option "Primary care safeguarding forum")."""
    own = [w for w in _WORD.findall(name.lower()) if w not in _LINKING]
    return bool(own) and sum(w in words for w in own) >= max(2, round(0.6 * len(own))) if len(own) > 1 else (
        bool(own) and own[0] in words)


@check("privacy.suppressed-figure", "Text states a figure the published tables show as 'c'", "error", "narrative",
       "Published tables hide counts of 1–5, and enough other cells that none can be worked out, as 'c'; "
       "a sentence that states a hidden figure lets a reader work the small count out again.",
       modes=("dataset",))
def suppressed_in_text(ctx: Ctx, chk):
    from masa.ingest.document import Location
    from masa.ingest.figures import FigureFinder, sentences

    from .privacy import SMALL_COUNT

    if ctx.spec is None or ctx.dataset is None:
        return
    finder = FigureFinder(ctx.spec, ctx.period)
    returns = {"/".join(r.key()): r for r in ctx.dataset.returns if r.period == ctx.period}
    hidden_of: dict[str, list] = {}
    for src in ctx.sources:
        ret = returns.get(src.return_key or "")
        if ret is None:
            continue
        if src.return_key not in hidden_of:
            hidden_of[src.return_key] = _hidden_cells(ctx, ret)
        hidden = hidden_of[src.return_key]
        if not hidden:
            continue
        for offset, sentence in sentences(src.text):
            people = [m.span() for m in SMALL_COUNT.finditer(sentence)]
            pos = 0
            for cand in finder.find(sentence, Location(file=src.name), ret.partner):
                m = re.search(rf"(?<![\d.,]){re.escape(cand.written)}(?![\d.,]\d)", sentence[pos:])
                if cand.kind != "value" or m is None:
                    continue
                start, end = pos + m.start(), pos + m.end()
                pos = end
                if any(a <= start < b for a, b in people):
                    continue  # privacy.small-count already names it
                words = set(_WORD.findall(sentence.lower()))
                for indicator, period, by, value in hidden:
                    # the finder's guess of the measure, or the hidden cell's breakdown named in
                    # the sentence ("the Primary Care Forum met 3 times": the finder guesses
                    # attendance, the hidden cell is the forum's sessions)
                    if abs(cand.value - value) >= 0.051:
                        continue
                    sure = (cand.indicator == indicator and (cand.period or ctx.period) == period) or any(
                        _named_in(n, words) for n in _names(ctx, by))
                    # otherwise only a word in common with the measure ("we referred ... 7 of
                    # them were boys" against "Child safeguarding referrals made"): a query
                    if sure or _stems(_label(ctx, indicator)) & _stems(sentence):
                        names = _names(ctx, by)
                        what = _label(ctx, indicator) + (f" ({', '.join(names)})" if names else "")
                        after = _NEXT_WORD.match(sentence, end)  # "3 times": the figure with its noun
                        yield ctx.finding(chk, src, offset + start, offset + (after.end() if after else end),
                                          f"the text gives {cand.written} for {what} in {period}, which the published tables "
                                          f"show as 'c'; stated here, it lets a reader work out what the 'c' "
                                          f"hides: leave it out or give a combined figure."
                                          + ("" if sure else " (The sentence may be about something else.)"),
                                          severity=None if sure else "query")
                        break
