"""Passages pasted twice: near-duplicate paragraphs, reported once per duplicated run with both places.

Candidates share rare word 4-grams (an inverted index keeps this linear on long reports);
each candidate pair is confirmed with rapidfuzz. Consecutive duplicated paragraphs are
merged so a whole partner block pasted twice gives one finding.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict

from rapidfuzz import fuzz

from masa.spec import fold

from .registry import Ctx, check
from .text import Para

MIN_CHARS = 80
SIMILAR = 90
CONTAINED = 95


def _norm(p: Para) -> str:
    return fold(re.sub(r"[^\w\s]", " ", p.clean))


_PAST = {"has": "had", "have": "had", "is": "was", "are": "were", "will": "would", "can": "could", "does": "did",
         "do": "did", "shall": "should", "may": "might"}


def _tense_shift(a: str, b: str) -> bool:
    """b is a in the past tense (or a is b): "has" / "had", "details" / "detailed"."""
    for x, y in ((a, b), (b, a)):
        if _PAST.get(x) == y or (x.endswith("s") and y.endswith("ed") and x[:-1].rstrip("e") == y[:-2].rstrip("e")):
            return True
    return False


def _reported(a: str, b: str) -> bool:
    """One paragraph restates the other in reported speech (a summary of a report, then the minutes:
    "This report details what the board has achieved" / "The Committee received a report which detailed
    what the board had achieved"): the words that differ include verbs moved into another tense. A
    pasted copy keeps its tenses."""
    from difflib import SequenceMatcher

    if a == b:
        return False  # word for word: a paste
    x, y = a.split(), b.split()
    only_x, only_y = set(x) - set(y), set(y) - set(x)
    if not any(_tense_shift(u, v) for u in only_x for v in only_y):
        return False  # no verb moved tense among the words that differ (cheap: most pairs stop here)
    for op, i1, i2, j1, j2 in SequenceMatcher(None, x, y, autojunk=False).get_opcodes():
        if op == "replace" and any(_tense_shift(u, v) for u in x[i1:i2] for v in y[j1:j2]):
            return True
    return False


def duplicate_runs(ctx: Ctx) -> list[tuple[list[Para], list[Para]]]:
    paras = [p for p in ctx.paras() if not p.heading]
    norms = [_norm(p) for p in paras]
    counts = Counter(n for n in norms if n)
    index: dict[tuple, list[int]] = defaultdict(list)
    grams: list[set] = []
    for i, n in enumerate(norms):
        words = n.split()
        g = set(zip(words, words[1:], words[2:], words[3:])) if len(n) >= MIN_CHARS else set()
        grams.append(g)
        for x in g:
            index[x].append(i)
    pairs: dict[int, int] = {}
    for i, g in enumerate(grams):
        if not g or counts[norms[i]] >= 3:  # boilerplate repeated in every section (a question)
            continue
        shared: Counter = Counter()
        for x in g:
            bucket = index[x]
            if len(bucket) > 50:
                continue
            for j in bucket:
                if j < i:
                    shared[j] += 1
        for j, k in shared.most_common():
            if k < min(3, len(g)) or counts[norms[j]] >= 3:
                break
            a, b = norms[j], norms[i]
            short, long_ = sorted((a, b), key=len)
            if (fuzz.ratio(a, b) >= SIMILAR or (len(short) >= 120 and fuzz.partial_ratio(short, long_) >= CONTAINED)) \
                    and not _reported(a, b):
                pairs[i] = j
                break
    runs: list[tuple[list[Para], list[Para]]] = []
    done: set[int] = set()
    for i in sorted(pairs):
        if i in done:
            continue
        first, second = [pairs[i]], [i]
        done.add(i)
        k = i + 1
        while k < len(paras) and paras[k].source is paras[i].source:
            if k in pairs and pairs[k] > first[-1] and pairs[k] - first[-1] <= 4:
                first.append(pairs[k])
                second.append(k)
                done.add(k)
            elif len(norms[k]) >= MIN_CHARS and k - second[-1] > 2:
                break
            k += 1
        runs.append(([paras[j] for j in first], [paras[j] for j in second]))
    return runs


@check("text.duplicate-passage", "Passage pasted twice", "error", "narrative",
       "A section pasted twice lengthens the report, double-counts the partner's work and shows the "
       "report was not read through.",
       fails=(("The neglect pathway was relaunched with new guidance for practitioners and a training offer for all "
              "teams.\n\nOther work continued.\n\nThe neglect pathway was relaunched with new guidance for "
              "practitioners and a training offer for all teams.\n"),),
       passes=(("The neglect pathway was relaunched with new guidance for practitioners and a training offer for all "
               "teams.\n\nThe exploitation panel met monthly and reviewed every open case with police and the youth "
               "justice service.\n"),
               ("This report describes the work of the exploitation panel and what the partners have achieved "
                "together, reports on the audits of missing episodes and what has been learnt from the rapid reviews "
                "held after each serious incident in the county.\n\nThe Cabinet received a report which described the "
                "work of the exploitation panel and what the partners had achieved together, reported on the audits of "
                "missing episodes and what had been learnt from the rapid reviews held after each serious incident in "
                "the county.\n")))
def duplicate_passage(ctx: Ctx, chk):
    for first, second in duplicate_runs(ctx):
        src = second[0].source
        f0 = first[0]
        where = f0.source.location(f0.start, first[-1].end)
        n = len(second)
        what = f"{n} paragraphs" if n > 1 else "this paragraph"
        yield ctx.finding(chk, src, second[0].start, second[-1].end,
                          f"{what} repeat{'s' if n == 1 else ''} the text at {where.label()}"
                          f"{' (' + (f0.partner_name or '') + ')' if f0.partner_name else ''}; keep one copy.",
                          related=[where])
