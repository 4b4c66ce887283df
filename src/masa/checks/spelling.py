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


# productive prefixes hunspell does not compose: "nonattendance", "preassessment"
PREFIXES = ("intra", "extra", "inter", "multi", "over", "under", "non", "pre", "post", "cross", "anti", "self",
            "sub", "co", "re", "un", "mis", "out", "semi", "counter")


def _undoubled(word: str) -> str | None:
    """The dictionary word this is with one letter doubled ("comission" -> "commission"): the
    commonest slip, and one a prefix can hide (co- + "mission")."""
    for i in range(1, len(word)):
        if word[i].isalpha():
            cand = word[:i] + word[i] + word[i:]
            if _known(cand):
                return cand
    return None


def _prefixed(word: str) -> bool:
    """A known prefix joined to a dictionary word of at least five letters, unless the word is a
    dictionary word with a doubled letter written once ("comission" is not co- + "mission")."""
    if _undoubled(word):
        return False
    for pre in PREFIXES:
        rest = word[len(pre):]
        if word.startswith(pre) and len(rest) >= 5 and _known(rest):
            return True
    return False


def _proper_forms(ctx: Ctx) -> frozenset[str]:
    """Lower-cased words the document writes with a capital or in capitals elsewhere ("Cumbria",
    "LSCB"): the same word in lower case on a logo or strapline line is that name, not a slip."""
    def make():
        out = set()
        for src in ctx.sources:
            for m in re.finditer(r"\b[A-Z][\w’'-]*", src.clean):
                out.add(m.group().lower())
        return frozenset(out)
    return ctx.cached("spelling:proper", make)


CAP_WORD = re.compile(r"(?<![\w@/.’'-])[A-Z][a-z]{4,}(?![\w@/’'-]|\.\w)")
_NAME_BEFORE = re.compile(r"(?:\b[A-Z][a-z]+|\b(?:Dr|Mr|Mrs|Ms|Miss|Cllr|Councillor|Prof|Sir|Dame)\.?)\s+$")


def _doc_words(ctx: Ctx) -> dict[str, frozenset[str]]:
    """The document's own dictionary words (lower case, five letters or more), by first letter."""
    def make():
        out: dict[str, set[str]] = {}
        for src in ctx.sources:
            for w in set(re.findall(r"\b[A-Za-z]{5,}\b", src.clean)):
                lw = w.lower()
                if _known(lw) or _known(w):
                    out.setdefault(lw[0], set()).add(lw)
        return {k: frozenset(v) for k, v in out.items()}
    return ctx.cached("spelling:docwords", make)


@lru_cache(maxsize=1)
def title_words() -> dict[str, frozenset[str]]:
    """Words of office holders' titles and public bodies' names (a shipped list, and the words of the
    reference lists' organisation names), lower case, five letters or more, by first letter."""
    from masa.reference import organisations

    text = (DATA / "title_words.txt").read_text(encoding="utf-8")
    words = {w.lower() for line in text.splitlines() if not line.startswith("#") for w in line.split()}
    words |= {w.lower() for o in organisations() for n in o.names for w in re.findall(r"[A-Za-z]{5,}", n)}
    out: dict[str, set[str]] = {}
    for w in words:
        if len(w) >= 5 and w.isalpha():
            out.setdefault(w[0], set()).add(w)
    return {k: frozenset(v) for k, v in out.items()}


_INITIAL_BEFORE = re.compile(r"\b[A-Z]\.?\s+$")
_TITLE_BEFORE = re.compile(r"\b(?:Dr|Mr|Mrs|Ms|Mx|Miss|Cllr|Councillor|Prof|Professor|Sir|Dame|Lord|Lady|Rev|Revd|DCI|DI|DS|DC|"
                           r"PC|Supt|Insp|Chief\s+Inspector|Superintendent|Inspector|Sergeant|Detective)\.?\s+$")


def _capital_slips(ctx: Ctx, allowed: frozenset[str]):
    """A capitalised word that is in no dictionary but is one or two letters off a word the same
    document spells right ("Comittee" beside "Committee", "Partnersihp" beside "Partnership"), or off a
    word of an office holder's title or a public body's name ("Councllior", "Bourgh Commander"): names
    and places are rarely that close to an ordinary word the report also uses. A word after a first
    name, an initial or a title ("Mr") is a surname and is left alone, there and everywhere else in the
    document."""
    from rapidfuzz.distance import DamerauLevenshtein as DL

    from masa.reference import first_names

    firsts = first_names()
    words = _doc_words(ctx)
    titles = title_words()
    candidates, named = [], set()
    for src in ctx.sources:
        clean = URLISH.sub(lambda m: " " * len(m.group()), src.clean)
        for m in CAP_WORD.finditer(clean):
            word = m.group()
            lw = word.lower()
            if lw in allowed or lw in titles.get(lw[0], ()) or word in firsts or _known(word) or _known(lw) or \
                    _prefixed(lw):
                continue  # a word of a real body's name ("Oxleas", "Maudsley") is that name
            before = clean[max(0, m.start() - 30):m.start()]
            prev = re.search(r"\b([A-Z][a-z]+) +$", before)
            if _NAME_BEFORE.search(before) and before.rstrip().split()[-1] in firsts or _INITIAL_BEFORE.search(before) or \
                    _TITLE_BEFORE.search(before) or prev and _known(prev.group(1)) and not _known(prev.group(1).lower()):
                named.add(word)
                continue  # a surname after a first name, an initial, a title or another name ("Nigel Leeder")
            limit = 1 if len(lw) < 6 else 2
            # a letter left out, doubled wrongly or swapped; a word longer than its neighbour is more
            # often another word ("Childrens", "Strats", "Parentline") than a slip
            near = [w for w in words.get(lw[0], set()) | titles.get(lw[0], set())
                    if 0 <= len(w) - len(lw) <= limit and DL.distance(lw, w) <= limit]
            if near:
                near.sort(key=lambda w: DL.distance(lw, w))
                candidates.append((src, m.start(), m.end(), word, near[0], near[0] in words.get(lw[0], ())))
    # a surname the document names in full once ("Nigel Leeder ... Leeder said") is a name everywhere
    yield from (c for c in candidates if c[3] not in named)


def _spelt_out(text: str, pos: int, word: str) -> bool:
    """An acronym written in lower case beside its words ("lscb ... local safeguarding children
    board"): some run of words in the 300 characters around it has the acronym's initials."""
    if not 2 <= len(word) <= 6 or not word.isalpha():
        return False
    initials = "".join(w[0] for w in re.findall(r"[A-Za-z][\w’'-]*", text[max(0, pos - 300):pos + 300])).lower()
    return word in initials


# a figure typed against the next word ("the Children Act 2004requires", "with 12children"): digits then
# a dictionary word of three letters or more. Units and suffixes written against a number are right
# ("10am", "24hrs", "1990s", "21st", "500ml") and a %-escape in a link ("%20report") is not text.
RUN_ON = re.compile(r"(?<![\w%.,£$-])(\d[\d,]*)([a-z]{3,})\b")
UNITS = frozenset("""hrs hr yrs mins min secs sec mph kph kms kmh mgs mls kgs lbs ish pcs pts tbsp tsp
bpm gbp usd eur kwh mwh gwh""".split())


def _run_on(ctx: Ctx):
    for src in ctx.sources:
        clean = URLISH.sub(lambda m: " " * len(m.group()), src.clean)
        for m in RUN_ON.finditer(clean):
            word = m.group(2)
            if word not in UNITS and len(word) >= 3 and _known(word):
                yield src, m.start(), m.end(), m.group(1), word


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
       fails=("The team recieved training.", "Work with 14-15 olds continued.",
              "The Committee met the Partnership. The Comittee and the Northtown Partnersihp agreed the plan.",
              "Councllior Smith will attend. Partners include the Bourgh Commander.",
              "Section 11 of the Children Act 2004requires checks.",
              "The comission met the Comissioner."),
       passes=("The team received training.", "The rate per 1,000 0-18 year olds rose.",
               "northtown lscb: keeping children safe in Northtown. The Northtown LSCB met.",
               "nscp: the Northtown safeguarding children partnership annual report",
               "Parenting support includes Parentline and the Strats group, beside stats on parenting.",
               "Nonattendance and preassessment visits were discussed at the termly meeting.",
               "Nigel Leeder, Partnership Manager, and J Leeder attended. Oxleas and Maudsley staff took part.",
               "Mr Nursey presented the report. Questions were put to Nursey by members. Cllr Panell spoke.",
               "Open 9am to 5pm, 24hrs a day, 20mins each, in the 1990s, on the 21st, see https://example.org/a%20report."))
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
        if _prefixed(w) or w in _proper_forms(ctx) or _known(w.capitalize()) or _known(w.upper()) or \
                _spelt_out(src.clean, a, w):
            continue  # "nonattendance"; "cumbria lscb" on a logo line is the name written in lower case
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
    for src, a, b, number, word in _run_on(ctx):
        yield ctx.finding(chk, src, a, b, f"'{number}{word}': a space is missing between '{number}' and '{word}'")
    for src, a, b, word, near, in_doc in _capital_slips(ctx, allowed):
        where = "which this document uses" if in_doc else "a word of office holders' titles and public bodies' names"
        yield ctx.finding(chk, src, a, b, f"'{word}' is not in the British English dictionary and is a letter or two "
                                          f"off '{near.capitalize()}', {where}: a slip? (add it to "
                                          f"the spec's vocabulary if it is a name)")


@check("spelling.us", "US spelling", "query", "narrative",
       "UK public bodies write British English (-ise, -our, -re); mixed spellings look careless.",
       fails=("Partner organizations met.",), passes=("Partner organisations met.",))
def us_words(ctx: Ctx, chk):
    allowed = _allowed(ctx)
    for src, a, b, word in _tokens(ctx):
        uk = us_to_uk(word)
        if uk and word.lower() not in allowed:
            yield ctx.finding(chk, src, a, b, f"'{word}' is a US spelling: write '{uk}'.")
