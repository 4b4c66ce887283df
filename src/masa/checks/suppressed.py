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

from masa.textlayer.numbers import NUMBER_WORDS, labels_not_figures

from .registry import Ctx, check


def _hidden_cells(ctx: Ctx, partner: str) -> list:
    """The partner's cells the public report shows as "c", in every report template with
    figures (an Appendix C answer is published beside the Appendix B table): (indicator,
    period, by, value)."""
    from masa.disclosure import SUPPRESSED, DisclosureError
    from masa.report.boundary import ReportError, partner_cells, partner_values, report_templates

    out = []
    for t in report_templates(ctx.spec):
        if not any(s.kind == "figures" for s in t.sections):
            continue
        try:
            cells = partner_cells(ctx.spec, partner, partner_values(ctx.dataset, partner, t.code), ctx.period)
        except (ReportError, DisclosureError):
            continue  # the report refuses to build; the figure checks say why
        out += [(c.value.indicator, c.period, dict(c.by), c.value.value) for c in cells
                if c.published == SUPPRESSED and c.value.value]
    return out


def _names(ctx: Ctx, by: dict[str, str]) -> list[str]:
    """The words a sentence would use for a cell's breakdown (not its area: an area's name is
    in nearly every sentence)."""
    from masa.returns.validate import option_names

    return [n for n in option_names(ctx.spec, {k: v for k, v in by.items() if k != "area"}) if len(n) > 2]


_WORD = re.compile(r"[a-z0-9]+")
_NEXT_WORD = re.compile(r"[ \u00a0]+[A-Za-z][\w'’-]*")
NUMBER = re.compile(r"(?<![\w.,£])(\d{1,3}(?:,\d{3})+|\d+)(?:x\b)?(?![.,]?\d)|\b("
                    + "|".join(NUMBER_WORDS) + r"|thrice|twice|once)\b", re.IGNORECASE)
_TIMES = {"once": 1, "twice": 2, "thrice": 3}


# a number that names a thing rather than counting: the importer's labels ("level 3", "Q2",
# "section 4"), and a few more a narrative uses for groups and rounds ("Year 6", "Priority 2")
_LABEL_BEFORE = re.compile(r"\b(?:year|stage|priority|part|no\.?|number|version|band|grade|ward|room|tranche|wave|"
                           r"cohort)\s*$", re.IGNORECASE)


def _numbers(sentence: str):
    """(start, end, value) of every whole number a sentence states, in figures or in words."""
    for m in NUMBER.finditer(sentence):
        before = sentence[max(0, m.start() - 24):m.start()]
        if labels_not_figures(before) or _LABEL_BEFORE.search(before):
            continue
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


def _counts_it(sentence: str, end: int, label: str, names: list[str]) -> bool:
    """Whether the number ending at ``end`` can be a count of the hidden cell: nothing follows it,
    or a word that goes with any count ("times", "of", "were"), or a word of the measure or of the
    cell's breakdown ("referrals", "girls"). "three local authorities" counts something else."""
    m = re.match(r"[\s-]*([A-Za-z]+)", sentence[end:])
    if m is None:
        return True
    word = m.group(1).lower()
    if word in _AFTER_COUNT or word[:5] in _stems(label):
        return True
    own = {w for n in names for w in _WORD.findall(n.lower())}
    return any(_said(w, {word}) for w in own)


def _label(ctx: Ctx, indicator: str) -> str:
    try:
        return str(ctx.spec.indicator(indicator).name)
    except KeyError:
        return indicator
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
    from masa.ingest.figures import sentences

    from .privacy import SMALL_COUNT

    if ctx.spec is None or ctx.dataset is None:
        return
    returns = {"/".join(r.key()): r for r in ctx.dataset.returns if r.period == ctx.period}
    hidden_of: dict[str, list] = {}
    for src in ctx.sources:
        ret = returns.get(src.return_key or "")
        if ret is None:
            continue
        if ret.partner not in hidden_of:
            hidden_of[ret.partner] = _hidden_cells(ctx, ret.partner)
        hidden = hidden_of[ret.partner]
        if not hidden:
            continue
        for offset, sentence in sentences(src.text):
            people = [m.span() for m in SMALL_COUNT.finditer(sentence)]
            for start, end, value in _numbers(sentence):
                if any(a <= start < b for a, b in people):
                    continue  # privacy.small-count already names it
                near = sentence[max(0, start - 60):end + 40]  # what the number counts is named close by
                words = set(_WORD.findall(near.lower()))
                stems = _stems(near)
                for indicator, period, by, hidden_value in hidden:
                    if value != hidden_value:
                        continue
                    named = [_named_in(n, words) for n in _names(ctx, by)]
                    measure = bool(_stems(_label(ctx, indicator)) & stems)
                    # the cell's own breakdown named in words of two or more ("the Primary Care
                    # Forum met three times"), or its measure with any of its breakdown
                    # ("3 referrals about girls"), or its measure alone when it has none
                    if not _counts_it(sentence, end, _label(ctx, indicator), _names(ctx, by)):
                        continue  # "three local authorities": the number counts something else
                    if any(d for _, d in named) or (measure and (any(n for n, _ in named) or not named)):
                        names = _names(ctx, by)
                        what = _label(ctx, indicator) + (f" ({', '.join(names)})" if names else "")
                        after = _NEXT_WORD.match(sentence, end)  # "3 times": the figure with its noun
                        yield ctx.finding(chk, src, offset + start, offset + (after.end() if after else end),
                                          f"the text gives {sentence[start:end]} for {what} in {period}, which the "
                                          f"published tables show as 'c'; stated here, it lets a reader work out "
                                          f"what the 'c' hides: leave it out or give a combined figure.")
                        break
