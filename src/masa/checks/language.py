"""Real-word slips a dictionary cannot see: a curated confusion list and grammar.

``language.confusion`` reads ``data/confusions.yaml`` (practise/practice, licence/license,
affect/effect, "Forward" for Foreword, principal/principle, "there response", "Childrens"),
capitalised words included. ``language.grammar`` runs masa's own agreement rules ("1 Sessions",
"an 139%", "every child and young people") and the Harper rule families (harper-py, offline,
British English) that measured precise on partnership reports; every other Harper rule is off.
The families and their measured precision are listed in docs/checks.md.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml

from .registry import Ctx, check

DATA = Path(__file__).with_name("data")

# Harper rules kept, by family. Each family was measured on the seeds and the corpus of other
# partnerships' reports (docs/checks.md, "Grammar"); families that raised false alarms there
# (AnA on "Child A", ToTwoToo on "compared to", DoToDueTo on "should do to", ItsContraction on
# "gets its heading", SpellCheck, style rules) are left off.
HARPER_FAMILIES: dict[str, tuple[str, ...]] = {
    "homophone": ("ThereToTheir", "TheirToThere", "TheirToTheyre", "TheyreToTheir",
                  "WereWhere", "ThenThan", "LetsConfusion", "WaistWaste", "BoarderBorder", "AllReady",
                  "ExtendOrExtent", "SeamToSeem", "TheWhetherWeather", "RelayOnForRely", "PeaceOfMind",
                  "BareInMind", "WorseOrWorst", "ToLoseTooLoose", "PrincipleToPrincipalRoleNoun",
                  "NounVerbConfusion"),
    "verb-form": ("ModalOf", "SimplePastToPastParticiple", "PronounInflectionBe", "DoubleModal",
                  "IsBeenAuxSequence", "HadOf"),
    "repeated-word": ("RepeatedWords",),
}
FAMILY_OF = {rule: fam for fam, rules in HARPER_FAMILIES.items() for rule in rules}


# ------------------------------------------------------------------ the curated confusion list

@lru_cache(maxsize=1)
def confusions() -> list[dict]:
    entries = yaml.safe_load((DATA / "confusions.yaml").read_text(encoding="utf-8"))
    for e in entries:
        flags = 0 if e.get("case") == "sensitive" else re.IGNORECASE
        e["rx"] = re.compile(e["regex"], flags)
    return entries


@lru_cache(maxsize=1)
def _keys() -> tuple[re.Pattern, dict[str, list[dict]]]:
    """One pass finds every misused word; each entry's regex then runs only around them."""
    by_key: dict[str, list[dict]] = {}
    for e in confusions():
        for k in e["key"]:
            by_key.setdefault(k, []).append(e)
    return re.compile(r"\b" + _trie(sorted(by_key)) + r"\b", re.IGNORECASE), by_key


def _trie(words: list[str]) -> str:
    """One regular expression for a list of words, as a trie ("area's|are" -> "are(?:a's)?"): the
    regex engine tries one branch per letter instead of every word at every position."""
    tree: dict = {}
    for w in words:
        node = tree
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def walk(node: dict) -> str:
        end = "" in node
        alts = [(r"\s+" if ch == " " else re.escape(ch)) + walk(sub) for ch, sub in sorted(node.items()) if ch]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        if end:
            return "(?:" + body + ")?"
        return body

    return "(?:" + walk(tree) + ")"


# "the activities of the LSCB's in the period": an acronym with an apostrophe and nothing after it
# that it could own (a preposition or a verb follows) is a plural written with an apostrophe
_ACRONYM_PLURAL = re.compile(r"\b(?P<bad>[A-Z]{2,6}['’]s)\s+(?:in|during|from|were|are|have|who|which|across|within)\b(?!-)")
# "three CSPR's were published", "these LSCB's": a number or a plural determiner before it
_COUNTED_ACRONYM_PLURAL = re.compile(r"\b(?:these|those|several|many|both|numerous|various|two|three|four|five|six|seven|"
                                     r"eight|nine|ten|twelve|(?<![\d/.,-])\d{1,3}(?![\d/.,]))\s+(?P<bad>[A-Z]{2,6}['’]s)\b",
                                     re.IGNORECASE)
ACRONYM_PLURAL = {"name": "an apostrophe in an acronym's plural", "write": None,
                  "why": "a plural takes no apostrophe (the LSCBs in the region); \"the LSCB's\" owns what follows it"}


def _fix(entry: dict, bad: str) -> str:
    write = entry["write"]
    if write is None:  # an acronym's plural: drop the apostrophe
        return re.sub(r"['’]s$", "s", bad)
    good = (write.get(bad.lower()) or write.get(bad.lower().replace("’", "'"), bad)) if isinstance(write, dict) else write
    if bad.isupper() and len(bad) > 1:
        return good.upper()
    return good[0].upper() + good[1:] if bad[0].isupper() else good


def confusion_spans(ctx: Ctx) -> list[tuple]:
    """(source, start, end, entry) of every curated confusion, once per run."""

    def make():
        key_rx, by_key = _keys()
        out = []
        for src in ctx.sources:
            text = src.clean
            for k in key_rx.finditer(text):
                word = re.sub(r"\s+", " ", k.group().lower())
                for e in by_key.get(word, []):
                    for m in e["rx"].finditer(text, max(0, k.start() - 200), min(len(text), k.end() + 200)):
                        # the misused word, or (for a two-word key such as "serious care") the phrase, starts here
                        if m.start("bad") == k.start() or (" " in word and m.start() == k.start()):
                            out.append((src, m.start("bad"), m.end("bad"), e))
                            break
            for rx in (_ACRONYM_PLURAL, _COUNTED_ACRONYM_PLURAL):
                for m in rx.finditer(text):
                    if m.group("bad")[:-2].isupper():
                        out.append((src, m.start("bad"), m.end("bad"), ACRONYM_PLURAL))
        return out

    return ctx.cached("language.confusions", make)


@check("language.confusion", "Real-word confusion", "query", "narrative",
       "A right word in the wrong place (\"poor practise\", \"there response\", \"Childrens\") passes "
       "the spelling check but reads as careless in a public report.",
       fails=("Staff challenged poor practise in the team.", "Forward\n\nThis year the partnership grew.",
              "The service reviewed there response to neglect.", "Childrens Social Care led the work.",
              "The principle aim was early help.", "Staff who are licenced to drive took part.",
              "Delays had a negative affect on families.", "The Forward to this report is written by the partners.",
              "We make sure all staff practice what they learn.", "Childrens' services changed the process.",
              "The child was not bought to appointments.", "Learning from serious care reviews was shared.",
              "The audit found three area's of improvement.", "Success is dependant on every partner.",
              "The board reviewed it's own work.", "A child who's parents had separated was seen.",
              "We will insure that every child is heard.", "The two roles are complimentary to each other.",
              "Staff from Womens Aid attended.", "There were 40 s47 enquires in the year.",
              "Staff follow the 5th Edition of the procedures and the 6th Addition of the manual is due.",
              "Staff put the learning in to practice.", "The new arrangements came in to force in May.", "We are preparing to handover our duties to the new board.",
              "The group will setup a new panel.", "The report set out the work of the LSCB's in the region.",
              "The panel asked the chair questions. Where there any gaps in the audit?",
              "Funding for pubic health fell.", "Three chid protection plans ended.",
              "The Safeguarding Manger left.", "We received form the police 40 referrals.",
              "Staff complete a referral from.", "All stuff were trained.", "The plan was signed of by the chair.",
              "The audit trial was incomplete.", "It was a breech of the policy.", "Staff moral was low.",
              "Three CSPR's were published.", "We held 4 MARAC's."),
       passes=("The team enquires into every missed visit. An Addition to the plan was agreed.",
               ("Officers went in to force entry to the flat. "
                "Staff put the learning into practice; parents log in to the portal and opt in to reminders. "
                "The handover to the new board went well, and prior to handover the files were checked. "
                "The setup of the panel took a month. The LSCB's in-house team and the LSCB's 2023 report and "
                "the LSCBs in the region met. Where there is a concern, staff act. Were there any gaps? Where "
                "there were any gaps, they were closed."),
               ("Public health led. The child protection plan ended. The manager left. We received 40 referrals "
                "from the police and the referral form. A referral from the school came in. All staff were "
                "trained. The plan was signed off; signs of neglect were seen. The audit trail and the trial "
                "ran. It was a breach. Staff morale was high; good moral values guide staff."),
               ("Three CSPRs were published in 2023. Each CSPR's findings were shared; 2023 CSPR's findings too. "
                "Both Luton's and Bedford's boards met. Version 1.2 ICB's guidance applies."),
               "Staff follow the 5th Edition; a new Addition to the procedures covers neglect.",
               "Staff challenged poor practice and will practise the new model.",
               "Foreword\n\nWe moved forward with the plan.", "There were 12 cases. Their response was quick.",
               "Children's Social Care led the work.", ("The principal aim was to agree the principles of "
               "early help."), "Delays affected families; the effect on children was measured.",
               "We want to effect change for children.",
               "We look forward to this report's next edition. Taking this forward, the board agreed.",
               "Staff practice was audited, and all staff practise what they learn.",
               "Children's services and young people's groups met.", "Laptops were bought to support remote work.",
               "Serious case reviews and the care review were published.",
               "The area's partners met; we found three areas of improvement.",
               ("Success is dependent on every partner. The board reviewed its own work; it's clear it worked. "
                "A child whose parents had separated was seen; who's responsible is agreed."),
               "We will ensure that every child is heard, and insure the building.",
               "The two roles are complementary; refreshments were complimentary. Staff from Women's Aid attended."))
def confusion(ctx: Ctx, chk):
    """One finding per slip and file (a label repeated down a list is one slip), with the other places."""
    seen: dict[tuple, list] = {}
    for src, a, b, e in confusion_spans(ctx):
        seen.setdefault((id(src), e["name"], src.text[a:b].lower()), []).append((src, a, b, e))
    for spans in seen.values():
        src, a, b, e = spans[0]
        bad = src.text[a:b]
        more = [src.location(x, y) for _, x, y, _ in spans[1:]]
        again = f" It occurs {len(more)} more time{'s' if len(more) > 1 else ''} in this file." if more else ""
        yield ctx.finding(chk, src, a, b, f"'{bad}': write '{_fix(e, bad)}' here ({e['why'].rstrip('.')}).{again}",
                          related=more)


# ------------------------------------------------------------------ grammar: masa's own rules

# "1 Sessions"; not "1 starts a new list" (a verb: the number is the subject)
_ONE_PLURAL = re.compile(r"(?<![\d.,£$/-])\b1\s+(?P<bad>[A-Za-z][a-z]{2,}(?<![su]s)(?<!ic)s)\b(?!['’]| of\b| in\b| to\b)"
                         r"(?!\s+(?:a|an|the|that|this|these|to|with|its|their|our|up|out|how|what|whether)\b)")
# "Level 1 Services", "Key Stage 1 Pupils", "Table 1 Sessions": the 1 is a label, not a count
_LABEL_BEFORE = re.compile(r"\b(?:level|tier|stage|phase|step|part|page|year|table|figure|section|appendix|annex|priority|"
                           r"grade|band|number|no\.|round|wave|cohort|chapter|quarter|q|week|day|module|item|group)\s*$",
                           re.IGNORECASE)
_PLURAL_OK = frozenset(["news", "series", "species", "means", "lens", "bus", "gas", "plus", "bonus", "census",
                        "status", "focus", "always", "perhaps", "whereas", "across",
                        "towards", "afterwards", "various", "serious", "famous", "previous",
                        "obvious",
                        # verbs: "option 1 does not", "1 remains open" (the 1 is the subject)
                        "does", "goes", "seems", "remains", "shows", "needs", "takes", "makes", "gives",
                        "includes", "covers", "refers", "applies", "relates", "becomes", "starts", "ends",
                        "follows", "appears", "occurs", "works", "stands", "sits", "says", "has", "was"])
_ARTICLE_NUMBER = re.compile(r"(?<![\w-])(?P<bad>an|An|a)\s+(?P<num>\d[\d,]*(?:\.\d+)?)(?![\d,]*\.?\d)")
# "able speak": a bare verb after "able" has lost its "to"
_ABLE_VERB = re.compile(r"\b(?:un)?able\s+(?P<bad>speak|access|attend|share|support|make|take|identify|engage|use|provide|"
                        r"see|get|report|respond|understand|talk|communicate|express|say|tell|ask|find|keep|live|"
                        r"participate|contribute|demonstrate|complete|offer|ensure|manage|recognise|help|learn|"
                        r"evidence|challenge|attend|join|return|reach|meet|give|put|do|be)\b")
# "The needs to be clarity": "There needs to be" lost its "re"
_THE_NEEDS = re.compile(r"\b(?P<bad>[Tt]he) needs to be (?:a|an|more|further|greater|better|clearer|clarity|clear|improved|"
                        r"stronger|consistent|some|increased|an? \w+)\b")
_EVERY_PLURAL = re.compile(r"\b(?:every|each)\s+(?:child|young person)\s+and\s+(?P<bad>young people)\b"
                           r"|\b(?:every|each)\s+(?P<bad2>children|young people|families|parents|professionals|practitioners)"
                           r"\b(?!['’])",
                           re.IGNORECASE)


# "several keys aspects": an adjective does not take a plural -s
_PLURAL_ADJ = re.compile(r"\b(?:several|many|various|numerous|some|few|multiple|the|these|those|our|its|their|two|three|"
                         r"four|five|six)\s+(?P<bad>(?:key|main|different|important|significant|additional|major)s)"
                         r"\s+(?P<noun>[a-z]{3,}s)\b")
# "set up to specifically to collect": a 'to' written twice around an adverb
_TO_ADV_TO = re.compile(r"\bto\s+(?P<adv>[a-z]{3,}ly)\s+to\s+(?P<verb>[a-z]{3,})\b")
_NOT_ADVERBS = frozenset(["family", "early", "only", "supply", "reply", "apply", "rely", "ally", "assembly", "anomaly",
                          "monopoly", "italy", "july", "bully", "holy", "jolly", "belly", "fly", "daily", "weekly",
                          "monthly", "quarterly", "yearly", "elderly", "friendly", "lonely", "likely", "unlikely",
                          "poly", "homily", "rally", "tally", "sully", "folly"])
# "arrangements to safeguarding children": a word that takes 'to' + verb, then a verb in -ing with its object
_TO_ING = re.compile(r"\bto\s+(?P<bad>(?!being\b|bring\b|during\b)[a-z]{3,}ing)"
                     r"\s+(?:children|the|their|our|young|them|and|families|staff|practitioners|people|a|an|its|this|these|those)\b")
_TAKES_TO_VERB = re.compile(r"\b(?:arrangements|plans?|ability|duty|duties|needs?|efforts?|steps|failed|decided|agreed|"
                            r"able|unable|continues?|continued|aims?|aimed|seeks?|sought|wants?|wanted|intends?|intended|"
                            r"helps?|helped|tries|tried|attempts?|attempted|chose|chosen|opportunity|opportunities|"
                            r"designed|established|set up)\s*$")
# "whether it would be assist": a bare verb after 'be'
_BE_BARE = re.compile(r"\b(?:would|will|could|should|may|might|must|can|cannot|to)\s+be\s+(?P<bad>assist|provide|ensure|improve|"
                      r"develop|enable|deliver|identify|consider|address|attend|promote|undertake|establish|strengthen|"
                      r"enhance|achieve|reduce|prevent|protect|safeguard|inform|agree)\b(?!-)")
# "which had also considered by the panel": a passive that lost its 'been'
_HAD_BY = re.compile(r"\bha(?:d|s|ve)\s+(?:also\s+|already\s+|previously\s+|not\s+|now\s+)?"
                     r"(?P<bad>considered|reviewed|agreed|approved|endorsed|audited|commissioned|chaired|presented|discussed|"
                     r"received|noted|scrutinised|scrutinized|ratified|signed off|published|shared|led|written|"
                     r"completed|undertaken|requested)\s+by\s+(?!(?:the\s+)?(?:end|start|beginning|middle|close|time|"
                     r"[Jj]anuary|[Ff]ebruary|[Mm]arch|[Aa]pril|[Mm]ay|[Jj]une|[Jj]uly|[Aa]ugust|[Ss]eptember|[Oo]ctober|"
                     r"[Nn]ovember|[Dd]ecember|spring|summer|autumn|winter|then|now|\d))")
# ... with a subject that is a thing acted on, not an actor ("the panel had considered by then")
_HAD_BY_SUBJECT = re.compile(r"\b(?:which|that|who|it|this|they|these|report|plan|review|reviews|recommendations?|"
                             r"findings?|actions?|policy|procedures?)\s*$", re.IGNORECASE)
# "every parent and carer are": 'every' takes a singular verb
_EVERY_ARE = re.compile(r"\b(?:every|each)\s+(?P<n1>[a-z]+)\s+(?:and|or)\s+(?P<n2>[a-z]+)(?:\s+[a-z]+)?\s+(?P<bad>are|were|have)\b",
                        re.IGNORECASE)
# "The core objectives of the Safeguarding Children Partnership is": the verb agrees with 'objectives'
_PLURAL_OF_IS = re.compile(r"(?m)(?:^|(?<=[.!?]\s))(?:The|Our|Its|Their)\s+(?:[a-z]+\s+)?(?P<noun>[a-z]{4,}s)\s+of\s+"
                           r"(?:the\s+)?(?:[A-Z][\w'’&-]*\s+(?:and\s+|of\s+|for\s+)?){1,7}(?P<bad>is|was|has)\b")


def _vowel_sound(num: str) -> bool:
    """Whether a number written in figures is said with a vowel sound (8, 11, 18, 80-89, 800...)."""
    whole = num.split(".")[0].replace(",", "")
    if not whole.isdigit():
        return False
    n = int(whole)
    while n >= 1000:
        n //= 1000
    return str(n).startswith("8") or n in (11, 18)


@lru_cache(maxsize=4000)
def _singular_known(word: str) -> bool:
    from .spelling import _known

    return word.lower() not in _PLURAL_OK and _known(word[:-1].lower())


@lru_cache(maxsize=4000)
def _known_word(word: str) -> bool:
    from .spelling import _known

    return _known(word.lower())


# "has meet", "have take": an irregular verb's plain form after has/have/had, where its past
# participle differs (met, taken). Verbs whose plain form is also a common noun after "have"
# ("have lead responsibility", "have leave", "have pay parity", "have hold") are left out.
_PARTICIPLE = {"meet": "met", "take": "taken", "give": "given", "make": "made", "see": "seen", "do": "done",
               "go": "gone", "write": "written", "speak": "spoken", "know": "known", "grow": "grown",
               "begin": "begun", "bring": "brought", "buy": "bought", "choose": "chosen", "find": "found",
               "get": "got", "keep": "kept", "lose": "lost", "say": "said", "send": "sent", "teach": "taught",
               "tell": "told", "think": "thought", "understand": "understood", "seek": "sought",
               "undertake": "undertaken", "become": None, "attend": "attended", "receive": "received",
               "develop": "developed", "identify": "identified", "agree": "agreed",
               "establish": "established", "deliver": "delivered", "improve": "improved"}
_HAVE_PLAIN = re.compile(r"\b(?:[Hh]as|[Hh]ave|[Hh]ad)\s+(?:also\s+|already\s+|now\s+|not\s+|recently\s+)?(?P<bad>"
                         + "|".join(k for k, v in _PARTICIPLE.items() if v) + r")\b(?!['’-])")
# "there had improvements": "there" + had/has/have + a plural noun is a passive that lost "been"
# "there" opening a clause (not "staff there had concerns", where it is a place)
_THERE_HAD = re.compile(r"(?:^|[.;:,!?(]\s*|\b(?:that|and|but|as|because|since|so|when|whether|if|year|also|now|then|"
                        r"overall|however|again|where)\s+)(?P<there>[Tt]here)\s+(?P<aux>had|has|have)\s+(?:also\s+|already\s+)?(?P<bad>[a-z]+s)\b")
# "the Partnerships five priority areas": a capitalised body's name + s before a number and a plural
_NUMBER_WORDS = r"(?:two|three|four|five|six|seven|eight|nine|ten|\d{1,2})"
_POSSESSIVE_S = re.compile(rf"\b[Tt]he\s+(?P<bad>(?:Partnership|Board|Council|Trust|Panel|Group|Committee|Service|"
                           rf"Authority|Executive)s)\s+{_NUMBER_WORDS}\s+"
                           rf"(?:[a-z]+\s+)?[a-z]+s\b")


# "the report of the of the board": a two-word run typed twice (Harper sees only one word repeated)
_REPEATED_PAIR = re.compile(r"\b(?P<pair>(?:of|in|to|for|on|at|by|from|with|and|that|is|as)\s+(?:the|a|an|our|their|this|"
                            r"its|all|each|every|[a-z]+))\s+(?P=pair)\b", re.IGNORECASE)


# "a number of recommendation were": "a number of" counts, so a count noun is plural; only when the
# noun ends a phrase (a stop or a verb/preposition follows), so "a number of round table events" passes
_NUMBER_OF = re.compile(r"\b[Aa]\s+(?:(?:small|large|significant|growing|high|low|increasing|greater|limited|"
                        r"considerable|total|smaller|larger)\s+)?number\s+of\s+(?P<bad>[a-z]{3,})"
                        r"(?=\s*[.,;:)]|\s+(?:were|was|have|has|had|are|is|to|in|for|from|which|that|who|"
                        r"with|on|at|by|across|within|where|being)\b)")
_MASS = frozenset("""staff training work support information evidence research feedback data learning advice
practice guidance funding money time progress equipment provision development concern harm abuse neglect
policy governance care help activity attendance analysis engagement people children men women police
youth cattle personnel clergy""".split())


# "the What Works Centre for Children's within the ...": a possessive with nothing after it to own
_POSSESSIVE_ALONE = re.compile(r"\b(?P<bad>(?:[Cc]hildren|CHILDREN|[Pp]eople|[Ww]omen|[Mm]en)['’]s)\s+(?:within|during|from|"
                               r"were|are|was|is|have|has|who|which|across|in|at|by|with)\b(?!-)")
# "the Lambeth's Safeguarding Board": a place's possessive already makes the name definite
_THE_PLACE_S = re.compile(r"\b(?P<bad>[Tt]he)\s+(?P<place>[A-Z][a-z]+(?:\s+[A-Z][a-z]+){0,2})['’]s\s+(?:[A-Z][a-z]+\s+){0,3}"
                          r"(?:Board|Partnership|Council|Committee|Panel|Services?|Trust|Group|Arrangements)\b")


# "For further information can be found in the report": the sentence has lost its subject
# ("Further information can be found", or "For further information, see")
_FOR_INFO_CAN = re.compile(r"\b(?P<bad>For(?<![\w,;] For)\s+(?:further|more|additional)\s+information)\s+"
                           r"(?:can|could|may|will|is|are)\s+(?:be\s+)?(?:found|seen|read|obtained|accessed|available)\b")
# "leadership is now a shared by the partners": an article before a past participle and "by"
_A_PARTICIPLE_BY = re.compile(r"\b(?P<bad>an?)\s+(?:shared|led|chaired|funded|owned|hosted|commissioned|managed|"
                              r"jointly\s+(?:led|funded|owned|chaired|commissioned))\s+by\b")
# "the report was for the 2018-19 and was the last": "the" before a year with no noun after it
_THE_YEAR_NO_NOUN = re.compile(r"\b(?:for|in|of|during|over|from)\s+the\s+(?P<bad>(?:19|20)\d{2}\s*[-/–]\s*(?:19|20)?\d{2})"
                               r"\s+(?:and|was|is|were|has|had)\b(?!\s+(?:the\s+)?(?:19|20)?\d{2})")


# "the rate is now in slightly higher than the national": a stray "in" before a comparison ("is in more
# than 20 schools" is a place, so only comparatives of level and quality)
_IN_COMPARATIVE = re.compile(r"\b(?:is|are|was|were|remains|remained|stays|stayed)\s+(?:now\s+|still\s+)?(?P<bad>in)\s+"
                             r"(?:(?:slightly|much|significantly|considerably|far|marginally|somewhat|a\s+little)\s+)?"
                             r"(?:higher|lower|greater|better|worse|larger|smaller|bigger)\s+than\b")
# a council resolution that lost its verb before "and": "That the Annual Report and be noted"
_RESOLUTION_AND_BE = re.compile(r"(?m)^[ \t]*(?:\(?\w{1,3}[.)]\s*)?That\s+the\s+(?P<np>[^.\n]{3,120}?)\s+(?P<bad>and\s+be)\s+"
                                r"(?:noted|agreed|approved|endorsed|received|adopted|accepted)\b")


# "a increase", "an review": the article against the sound of an ordinary lower-case word (capital
# letters are labels or acronyms: "Child A", "an MP", "a LSCB" are left alone)
_A_AN_WORD = re.compile(r"(?<![\w/’'(.-])(?P<bad>an?)[ \t\n]{1,3}(?P<w>[a-z][a-z-]{2,})\b(?![’')])")
_SILENT_H = ("hour", "honest", "honour", "honor", "heir")
_YOU_SOUND = ("uni", "use", "usu", "uti", "ure", "uro", "ura", "uk", "utop", "eu", "ewe", "one", "once", "ubiq")
_EITHER_ARTICLE = ("histor", "hotel", "hypothe", "habitual", "heroic")
_NOT_AFTER_ARTICLE = frozenset("""and or of on in at as is if it its into onto off out are an all any also each either
even ever every only other our upon up until under over above after about across against among""".split())


# places English names with "the" ("the Wirral's partnership" is right)
_PLACES_WITH_THE = frozenset(["Wirral", "Fylde", "Wrekin", "Cotswolds", "Cotswold", "Broads", "Weald"])


@lru_cache(maxsize=1)
def _place_names() -> frozenset[str]:
    from masa.reference import districts, local_authorities

    return frozenset(x.name for x in local_authorities()) | frozenset(x.name for x in districts())


@lru_cache(maxsize=1)
def national_bodies() -> tuple[str, ...]:
    text = (DATA / "national_bodies.txt").read_text(encoding="utf-8")
    return tuple(line.strip().replace("’", "'") for line in text.splitlines() if line.strip() and not line.startswith("#"))


def _cut_short_body(text: str, end: int) -> str | None:
    """The national body whose full name the words ending at `end` begin ("What Works Centre for
    Children's" -> the What Works Centre for Children's Social Care)."""
    before = text[max(0, end - 120):end].replace("’", "'")
    for name in national_bodies():
        words = name.split()
        for k in range(len(words) - 1, 2, -1):
            if before.endswith(" ".join(words[:k])):
                return name
    return None


def own_grammar(ctx: Ctx):
    """(source, start, end, message) from masa's own agreement rules."""
    for src in ctx.sources:
        text = src.clean
        for m in _NUMBER_OF.finditer(text):
            noun = m.group("bad")
            if noun.endswith(("s", "ing", "ed", "ly")) or noun in _MASS or not _known_word(noun + "s") \
                    or not _known_word(noun):
                continue
            yield src, m.start(), m.end("bad"), (f"'{m.group(0)}': 'a number of' takes a plural noun "
                                                 f"('{noun}s')")
        for m in _REPEATED_PAIR.finditer(text):
            yield src, m.start(), m.end(), f"'{m.group(0)}': '{m.group('pair')}' is written twice"
        for m in _HAVE_PLAIN.finditer(text):
            word = m.group("bad")
            fix = _PARTICIPLE[word.lower()]
            yield src, m.start(), m.end("bad"), (f"'{m.group(0)}': after '{m.group(0).split()[0]}' write the past "
                                                 f"participle ('{fix}')")
        for m in _THERE_HAD.finditer(text):
            noun = m.group("bad")
            if noun.endswith(("ss", "us", "ous", "is")) or not _singular_known(noun) or _known_word(noun[:-1] + "ed"):
                continue
            yield src, m.start("there"), m.end("bad"), (f"'{text[m.start('there'):m.end('bad')]}': 'been' is "
                                                         f"missing ('there {m.group('aux')} "
                                                 f"been {noun}')")
        for m in _FOR_INFO_CAN.finditer(text):
            yield src, m.start(), m.end(), (f"'{m.group(0)}': the sentence has no subject; write "
                                            f"'{m.group('bad')[4:].capitalize()} ...' or '{m.group('bad')}, see ...'")
        for m in _A_PARTICIPLE_BY.finditer(text):
            yield src, m.start(), m.end(), f"'{m.group(0)}': '{m.group('bad')}' has no noun to go with; a word is missing or stray"
        for m in _THE_YEAR_NO_NOUN.finditer(text):
            yield src, m.start(), m.end("bad"), (f"'{m.group(0)}': a noun is missing after '{m.group('bad')}' (the "
                                                 f"{m.group('bad')} year? report?), or drop 'the'")
        for m in _A_AN_WORD.finditer(text):
            art, w = m.group("bad"), m.group("w")
            vowel = w[0] in "aeiou" and not w.startswith(_YOU_SOUND) or w.startswith(_SILENT_H)
            if (art == "an") != vowel and (w in _NOT_AFTER_ARTICLE or not _known_word(w) or w[1] == "-" or
                                           w.startswith(_EITHER_ARTICLE)):
                continue  # "item a or b": the letter a; "an x-ray": a letter's name; "an historic": both are used
            if art == "an" and not vowel:
                yield src, m.start(), m.end("w"), f"'{m.group(0)}': '{w}' starts with a consonant sound, so write 'a {w}'"
            elif art == "a" and vowel:
                yield src, m.start(), m.end("w"), f"'{m.group(0)}': '{w}' starts with a vowel sound, so write 'an {w}'"
        for m in _IN_COMPARATIVE.finditer(text):
            yield src, m.start(), m.end(), f"'{m.group(0)}': 'in' is stray before the comparison"
        for m in _RESOLUTION_AND_BE.finditer(text):
            if not re.search(r"\b(?:be|is|are|was|were|been)\b", m.group("np")):
                yield src, m.start("bad"), m.end("bad"), (f"'{m.group(0).strip()}': 'and' has nothing before it to join "
                                                          f"(write '... be noted', or say what else is resolved)")
        for m in _POSSESSIVE_ALONE.finditer(text):
            body = _cut_short_body(text, m.end("bad"))
            why = f"a name cut short? (the body is the {body})" if body else "a word missing, or an apostrophe too many?"
            yield src, m.start("bad"), m.end("bad"), f"'{m.group(0)}': '{m.group('bad')}' owns nothing after it: {why}"
        for m in _THE_PLACE_S.finditer(text):
            if m.group("place") in _place_names() and m.group("place") not in _PLACES_WITH_THE:
                yield src, m.start(), m.end(), (f"'{m.group(0)}': '{m.group('place')}'s' already makes the name definite; "
                                                f"drop 'the' (or write 'the {m.group('place')} ...')")
        for m in _POSSESSIVE_S.finditer(text):
            word = m.group("bad")
            yield src, m.start("bad"), m.end("bad"), (f"'{m.group(0)}': the {word[:-1]}'s priorities belong to it; "
                                                      f"write '{word[:-1]}'s'")
        for m in _ONE_PLURAL.finditer(text):
            word = m.group("bad")
            if _singular_known(word) and not _LABEL_BEFORE.search(text[max(0, m.start() - 20):m.start()]):
                yield src, m.start("bad"), m.end("bad"), (f"'1 {word}': one of something is singular; "
                                                         f"write '1 {word[:-1]}'")
        for m in _ARTICLE_NUMBER.finditer(text):
            art, num = m.group("bad"), m.group("num")
            vowel = _vowel_sound(num)
            if art.lower() == "an" and not vowel:
                yield src, m.start(), m.end("num"), (f"'{m.group(0)}': {num} is said with a consonant sound, "
                                                     f"so write '{'A' if art[0] == 'A' else 'a'} {num}'")
            elif art == "a" and vowel:
                yield src, m.start(), m.end("num"), f"'{m.group(0)}': {num} is said with a vowel sound, so write 'an {num}'"
        for m in _ABLE_VERB.finditer(text):
            yield src, m.start(), m.end(), f"'{m.group(0)}': 'to' is missing; write 'able to {m.group('bad')}'"
        for m in _THE_NEEDS.finditer(text):
            yield src, m.start(), m.end("bad") + len(" needs to be"), (
                f"'{m.group(0)}': write 'There needs to be'")
        for m in _PLURAL_ADJ.finditer(text):
            if _singular_known(m.group("noun")):
                adj = m.group("bad")
                yield src, m.start("bad"), m.end("noun"), (f"'{adj} {m.group('noun')}': an adjective takes no plural "
                                                           f"-s; write '{adj[:-1]} {m.group('noun')}'")
        for m in _TO_ADV_TO.finditer(text):
            if m.group("adv") not in _NOT_ADVERBS and m.group("verb") not in ("be", "the", "date"):
                yield src, m.start(), m.end("verb"), (f"'{m.group(0)}': 'to' is written twice; write "
                                                      f"'to {m.group('adv')} {m.group('verb')}'")
        for m in _TO_ING.finditer(text):
            if not _TAKES_TO_VERB.search(text, max(0, m.start() - 20), m.start()):
                continue
            verb = m.group("bad")
            base = verb[:-3]
            if not (_known_word(base) or _known_word(base + "e")) or base.endswith(("th", "sp")):
                continue
            before = text[max(0, m.start() - 20):m.start()].split()[-1]
            yield src, m.start("bad"), m.end("bad"), (f"'to {verb}': after '{before}' write the "
                                                      f"verb's plain form ('to {base if _known_word(base) else base + 'e'}')")
        for m in _BE_BARE.finditer(text):
            yield src, m.start(), m.end("bad"), (f"'{m.group(0)}': 'be' and a plain verb do not go together; drop "
                                                 f"'be' ('{m.group(0).split()[0]} {m.group('bad')}')")
        for m in _HAD_BY.finditer(text):
            if not _HAD_BY_SUBJECT.search(text, max(0, m.start() - 20), m.start()):
                continue
            yield src, m.start(), m.end("bad") + 3, (f"'{text[m.start():m.end('bad')]} by': a passive needs 'been' "
                                                     f"('had been {m.group('bad')} by')")
        for m in _EVERY_ARE.finditer(text):
            n1, n2 = m.group("n1").lower(), m.group("n2").lower()
            if any(n.endswith("s") and not n.endswith("ss") or n in ("of", "the", "year", "day", "week", "month", "time")
                   for n in (n1, n2)):
                continue
            yield src, m.start(), m.end("bad"), (f"'{m.group(0)}': 'every' takes a singular verb; write "
                                                 f"'{ {'are': 'is', 'were': 'was', 'have': 'has'}[m.group('bad').lower()]}'")
        for m in _PLURAL_OF_IS.finditer(text):
            noun = m.group("noun")
            if _singular_known(noun) and not noun.endswith(("ss", "us", "is", "ics")):
                yield src, m.start(), m.end("bad"), (f"'{noun} ... {m.group('bad')}': the subject is '{noun}', so write "
                                                     f"'{ {'is': 'are', 'was': 'were', 'has': 'have'}[m.group('bad')]}'")
        for m in _EVERY_PLURAL.finditer(text):
            g = "bad" if m.group("bad") else "bad2"
            fix = "young person" if g == "bad" else "each of the " + m.group(g)
            yield src, m.start(g), m.end(g), (f"'{m.group(0)}': 'every' takes a singular noun; write "
                                              f"'{fix}' or use 'all'")


# ------------------------------------------------------------------ grammar: Harper

@lru_cache(maxsize=1)
def linter():
    """Harper's British English linter with only the kept families on (built once, about a second)."""
    try:
        from harper import Dialect, Linter
    except ImportError:  # harper-py missing: masa's own rules still run
        return None
    lin = Linter(Dialect.BRITISH)
    lin.set_lint_config({rule: rule in FAMILY_OF for rule in lin.get_default_lint_config()})
    return lin


# Harper reads only the sentences that hold a word its kept rules can fire on: on a long report
# this is a fraction of the text, and Harper's time grows with the text it parses.
TRIGGERS = re.compile(
    r"\b(?:there|their|they['’]?re|its|were|where|then|than|lets|waist|waste|boarder|border|all ready|extend|extent|"
    r"seam|whether|weather|relay|piece of mind|bare in mind|worse|worst|loose|lose|principle|affect|effect|"
    r"(?:could|should|would|must|might|had) of|is been|(?:we|they|you) was|(?:he|she|it) were|"
    r"(?:have|has|had) (?:went|came|ran|wrote|took|gave|began|saw|did|spoke|broke|chose|drove|fell|forgot|grew|knew|"
    r"rose|shook|stole|threw|woke|wore)|(?:will|would|could|should|might|must|can|may) (?:will|would|could|should|"
    r"might|must|can|may))\b|\b(\w+)\s+\1\b", re.IGNORECASE)


_INVERTED_THERE = re.compile(r"\b(?:is|are|was|were|has|have|had|will|would|could|can|should|may|might|must|"
                             r"does|do|did|isn['’]t|aren['’]t|wasn['’]t)\s+$", re.IGNORECASE)


# a word doubled on purpose: past perfect of "have" ("the difference it had had"), and "that" as
# conjunction then determiner ("agreed that that plan")
_GRAMMATICAL_DOUBLE = re.compile(r"(had|that)\s+\1", re.IGNORECASE)


def harper_lints(text: str) -> list[tuple[int, int, str, str]]:
    """(start, end, family, message) of the kept Harper rules on plain text (offsets are str indices)."""
    lin = linter()
    if lin is None or not text.strip():
        return []
    out = []
    for rule, lints in lin.organized_lints(text, language="plaintext").items():
        fam = FAMILY_OF.get(rule)
        if fam is None:
            continue
        for lint in lints:
            if "\n" in text[lint.span.start:lint.span.end]:
                continue  # a word repeated across a line break is a heading and its paragraph
            if rule == "RepeatedWords" and _GRAMMATICAL_DOUBLE.fullmatch(text[lint.span.start:lint.span.end]):
                continue  # "the impact it had had", "said that that plan": English, not a slip
            if rule == "ThereToTheir" and _INVERTED_THERE.search(text[:lint.span.start]):
                continue  # "Is there evidence", "were there any": a question's "there", never "their"
            tip = ""
            sugg = [s.replacement_text for s in lint.suggestions if s.replacement_text]
            if sugg:
                tip = f"; suggested: '{sugg[0]}'"
            out.append((lint.span.start, lint.span.end, fam, f"{lint.message.rstrip('.')}{tip}"))
    return out


MAX_SENTENCE = 1500  # longer "sentences" are tables or text extracted without stops, not prose


def harper_findings(src) -> list[tuple[int, int, str, str]]:
    """Harper's lints over the sentences of a source that hold a trigger word, as source offsets."""
    out = []
    for p in src.paras:
        for a, b in p.sentences():
            sent = src.clean[a:b]
            if len(sent) <= MAX_SENTENCE and TRIGGERS.search(sent):
                out.extend((a + x, a + y, fam, msg) for x, y, fam, msg in harper_lints(sent))
    return out


@check("language.grammar", "Grammar slip", "query", "narrative",
       "Agreement slips (\"1 Sessions\", \"an 139% increase\", \"every child and young people\") and "
       "confused words are what a reader notices first; only rules measured precise on partnership "
       "reports run.",
       fails=("We delivered 1 Sessions on neglect.", "Referrals saw an 139% increase.",
              "Our aim is that every child and young people is safe.", "We should of acted sooner.",
              "The the panel met monthly.", "The chair noted several keys aspects of the report.",
              "A group was set up to specifically to collect views.", "The arrangements to safeguarding children are set out.",
              "The board asked whether it would be assist the review.",
              "The plan, which had also considered by the panel, was agreed.",
              "We make sure every parent and carer are invited.",
              "The core objectives of the Safeguarding Children Partnership is to protect children.",
              "The panel has meet four times this year.", "This year there had improvements in attendance.",
              "Progress was made against the Partnerships five priority areas.",
              "The chair presented the report of the of the board.",
              "The review made a number of recommendation to the partners.",
              "Reviews went to the What Works Centre for Children's within the year.",
              "The Luton's Safeguarding Children Board met.",
              "For more information can be found in the plan.", "The chair is now a shared by the three partners.",
              "The report was for the 2022-23 and was approved in May.",
              "The rate is now in slightly higher than the national average.",
              "RESOLVED:\n\n1. That the Annual Report and be noted.", "There was a increase in referrals.",
              "The panel held an review of the case."),
       passes=("We delivered 1 session on neglect and 12 sessions on exploitation.",
               "Referrals saw a 139% increase and an 18% fall in repeats.",
               "Our aim is that every child and young person is safe.", "We should have acted sooner.",
               "Level 1 Sessions are open to all staff. Child A was seen.",
               "Is there evidence of any injuries to the child?", "We saw the impact the review had had on practice.",
               ("1 Child Safeguarding Practice Review"
               " was published."), "The key aspects are listed. Our commitment to safeguarding children is clear.",
               ("We were able to specifically target support. The numbers had increased by 10% and the reviews had "
                "been considered by the panel."),
               "Referrals had reduced by March 2024. It would be assisted by the police. Staff had reviewed by hand "
               "every case.",
               "Every parent and carer is invited. Cases reviewed every month are presented.",
               ("The core objectives of the Safeguarding Children Partnership are to protect children. The status of "
                "the plan is agreed."),
               ("The panel has met four times. Partners have lead responsibility. There had been improvements and "
                "there has always been a plan. We have to meet twice. The Partnership's five priorities were set. "
                "There have increased referrals. The Partnerships in the region met. Partners have complete confidence "
                "in the know-how staff have. Cases rose month by month, side by side, and day to day "
                "work went on from time to time. A number of round table events and a number of staff were "
                "involved; a number of recommendations were made, and a number of people and children. Families "
                "living there had problems. A number of audit and review reports were read. The Grow project will have "
                "Grow sessions."),
               ("Children's and young people's services met Barnardo's in Luton. The children's in-house team and "
                "Luton's Safeguarding Children Board met the Children's Society. The King's Fund Board met. The "
                "Wirral's Safeguarding Children Partnership met."),
               ("Further information can be found in the plan. For more information, see the plan. It is a shared "
                "plan, led by the partners, and a jointly funded post. The chair will serve for the 2024/25 and "
                "2025/26 financial years; the report for the 2022-23 year was approved."),
               ("The project is in more than 20 schools and the rate is now slightly higher than the national "
                "average.\n\n1. That the Annual Report be noted and be endorsed.\n\n2. That the report and its "
                "appendices be noted."),
               ("An increase and a one-off grant came from a user group, a university and a European fund; an hour "
                "with an honest broker and a union, an historic x-ray and an x-ray. Child A saw an MP. Options a and b, item a or b; masa's a/an rule "
                "was a useful, unique step.")))
def grammar(ctx: Ctx, chk):
    taken = [(s, a, b) for s, a, b, _ in confusion_spans(ctx)]
    for src, a, b, msg in own_grammar(ctx):
        yield ctx.finding(chk, src, a, b, msg)
    for src in ctx.sources:
        for a, b, fam, msg in harper_findings(src):
            if any(s is src and x < b and a < y for s, x, y in taken):
                continue  # the curated list already says this, with a reason
            yield ctx.finding(chk, src, a, b, f"{msg} (Harper, {fam})")
