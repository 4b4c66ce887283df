"""Spelling slips, with an offline British English dictionary (hunspell en_GB read by spylls).

Precision over recall: only lower-case words are checked (capitalised words are names,
acronyms or sentence starts), URLs, e-mails and words touching digits are skipped, and the
spec's vocabulary plus a shipped list of safeguarding words are accepted. US spellings are
reported separately, against a shipped list.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from .registry import Ctx, check

DIC = Path("/usr/share/hunspell/en_GB")
DATA = Path(__file__).with_name("data")
WORD = re.compile(r"(?<![\w@/.’'-])[a-z][a-z’'-]*[a-z](?![\w@/’'-]|\.\w)")
URLISH = re.compile(r"\S+@\S+|\bhttps?://\S+|\bwww\.\S+|\S+\.(?:uk|com|org|net|gov)\b\S*")
MAX_SUGGEST = 50


@lru_cache(maxsize=1)
def dictionary():
    """The en_GB dictionary, loaded once per process (about a second)."""
    from spylls.hunspell import Dictionary

    if not DIC.with_suffix(".dic").exists():
        return None
    return Dictionary.from_files(str(DIC))


@lru_cache(maxsize=1)
def shipped_words() -> frozenset[str]:
    text = (DATA / "safeguarding_words.txt").read_text(encoding="utf-8")
    return frozenset(w.lower() for w in text.split() if not w.startswith("#"))


@lru_cache(maxsize=1)
def us_spellings() -> dict[str, str]:
    out = {}
    for line in (DATA / "us_spellings.txt").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            us, uk = line.split()
            out[us] = uk
    return out


@lru_cache(maxsize=1)
def _us_stem_re() -> re.Pattern:
    stems = sorted(us_spellings(), key=len, reverse=True)
    return re.compile(r"^(" + "|".join(map(re.escape, stems)) + r")(\w{0,8})$")


@lru_cache(maxsize=20000)
def us_to_uk(word: str) -> str | None:
    """The British form of a US spelling (stems cover inflections: organizations -> organisations)."""
    m = _us_stem_re().match(word.lower())
    return us_spellings()[m.group(1)] + m.group(2) if m else None


@lru_cache(maxsize=20000)
def _known(word: str) -> bool:
    d = dictionary()
    return True if d is None else bool(d.lookup(word))


@lru_cache(maxsize=1)
def _stems() -> tuple[str, ...]:
    d = dictionary()
    return tuple({w.stem for w in d.dic.words if w.stem.isalpha() and w.stem.islower()}) if d else ()


@lru_cache(maxsize=2000)
def _suggest(word: str) -> tuple[str, ...]:
    """Close dictionary words (hunspell's own suggester takes seconds per word in pure Python)."""
    from rapidfuzz import fuzz, process

    return tuple(m[0] for m in process.extract(word, _stems(), scorer=fuzz.ratio, limit=3, score_cutoff=70))


def _tokens(ctx: Ctx):
    for src in ctx.sources:
        clean = URLISH.sub(lambda m: " " * len(m.group()), src.clean)
        for m in WORD.finditer(clean):
            yield src, m.start(), m.end(), m.group()


def _allowed(ctx: Ctx) -> frozenset[str]:
    vocab = ctx.spec.vocabulary if ctx.spec is not None else []
    return shipped_words() | {v.lower() for v in vocab}


@check("spelling.unknown", "Spelling slip", "query", "narrative",
       "Slips undermine confidence in a public report; a British English dictionary catches most of them.",
       fails=("The team recieved training.", "Work with 14-15 olds continued."),
       passes=("The team received training.", "The rate per 1,000 0-18 year olds rose."))
def unknown_words(ctx: Ctx, chk):
    if dictionary() is None:
        return
    allowed = _allowed(ctx)
    suggested = 0
    for src, a, b, word in _tokens(ctx):
        w = word.replace("’", "'").strip("'")
        w = w.removesuffix("'s")
        parts = [x for x in w.split("-") if x]
        if w in allowed or all(x in allowed or len(x) < 3 or _known(x) for x in parts) or _known(w):
            continue
        if us_to_uk(w):
            continue  # reported as a US spelling
        if w == "olds" and re.search(r"year[\s-]$", src.clean[max(0, a - 6):a], re.IGNORECASE):
            continue  # "0-18 year olds" is right; "14-15 olds" has lost its "year"
        tips = ""
        if suggested < MAX_SUGGEST:
            suggested += 1
            s = _suggest(w)
            tips = f"; did you mean {' / '.join(repr(x) for x in s)}?" if s else ""
        yield ctx.finding(chk, src, a, b, f"'{word}' is not in the British English dictionary{tips} "
                                          f"(add it to the spec's vocabulary if it is right)")


@check("spelling.us", "US spelling", "query", "narrative",
       "UK public bodies write British English (-ise, -our, -re); mixed spellings look careless.",
       fails=("Partner organizations met.",), passes=("Partner organisations met.",))
def us_words(ctx: Ctx, chk):
    allowed = _allowed(ctx)
    for src, a, b, word in _tokens(ctx):
        uk = us_to_uk(word)
        if uk and word.lower() not in allowed:
            yield ctx.finding(chk, src, a, b, f"'{word}' is a US spelling: write '{uk}'.")
