"""One organisation named two ways in the body text ("Lancashire Constabulary" and "Lancashire
Police"; "the Safeguarding Children Partnership" and "the Children's Safeguarding Partnership").

partners.py (partner.name-variants) compares partner section headings; this module reads the
sentences. Organisation names are runs of capitalised words ending in an organisation word
(Partnership, Board, Council, Police, Trust, Service ...). Two names are one body written two
ways when they have the same words once '&' is read as 'and', possessives and plurals are
dropped and 'Constabulary' is read as 'Police', yet are written differently.
"""

from __future__ import annotations

import re
from collections import defaultdict

from .registry import Ctx, check

_HEAD = r"(?:Partnership|Board|Council|Constabulary|Police|Trust|Services?|Authority|Partners|Panel|Executive)"
_WORD = r"(?:[A-Z][A-Za-z]+(?:['’]s)?|NHS|ICB)"
_LINK = r"(?:\s+(?:and|&|of|for|the|in)\s+|\s+|-)"
NAME = re.compile(rf"\b{_WORD}(?:{_LINK}{_WORD}){{0,8}}?{_LINK}{_HEAD}\b")
GENERIC = frozenset(["the", "this", "that", "these", "those", "our", "their", "its", "his", "her", "each", "every",
                     "all", "any", "some", "many", "no", "a", "an", "children", "children's",
                     "childrens", "adult", "adults", "social", "health", "local", "safeguarding",
                     "integrated", "county", "city", "borough", "family", "families", "early",
                     "youth", "care", "education", "national", "community", "public", "mental",
                     "multi", "multi-agency", "statutory", "relevant", "independent", "lead",
                     "key", "executive", "strategic", "partner", "partners", "partnership",
                     "board", "council", "police", "service", "services", "trust", "authority",
                     "panel", "ambulance", "fire", "rescue", "nhs", "icb"])
SYNONYMS = {"constabulary": "police", "&": "and"}
# sentence-opening words caught before a name: "In Lancashire Police ..." is "Lancashire Police"
_LEAD = re.compile(r"(?:(?:The|This|That|These|Our|Their|Its|Each|Every|All|Both|A|An|In|At|By|For|From|With|And|But|"
                   r"When|While|During|Also|Then|Where|As|On|To|Of|Within|Across|Through|Under|Following|After|"
                   r"Before|Since|Via|Including|Whilst|Although|If|Once|Today|Now|Here|There)\s+)+")


def _key(name: str) -> tuple[str, ...]:
    words = re.findall(r"[A-Za-z]+(?:['’]s)?|&", name.lower())
    out = []
    for w in words:
        w = re.sub(r"['’]s$", "", w)
        w = SYNONYMS.get(w, w)
        if w in ("and", "of", "the", "for", "in"):
            continue
        if len(w) > 3 and w.endswith("s") and not w.endswith("ss"):
            w = w[:-1]  # services/service, childrens/children's/children
        if w == "childrens" or w == "children":
            w = "child"
        out.append(w)
    return tuple(sorted(out))


def _surface(name: str) -> str:
    return re.sub(r"\s+", " ", name.replace("’", "'")).strip()


def body_names(ctx: Ctx) -> dict[tuple, list]:
    """Key -> [(source, start, end, surface)] for organisation names in non-heading paragraphs."""
    groups: dict[tuple, list] = defaultdict(list)
    for p in ctx.paras():
        if p.heading:
            continue
        clean = p.clean
        for m in NAME.finditer(clean):
            name = m.group()
            lead = _LEAD.match(name)
            start = m.start() + (lead.end() if lead else 0)
            name = clean[start:m.end()]
            words = [w.lower() for w in re.findall(r"[A-Za-z']+", name)]
            if len(words) < 2 or all(w.rstrip("'s") in GENERIC or w in GENERIC for w in words):
                continue
            groups[_key(name)].append((p.source, p.start + start, p.start + m.end(), _surface(name)))
    return groups


@check("partner.body-name-variants", "One organisation named two ways in the text", "query", "report",
       "Readers, and anyone searching the report, take two names for two bodies; name each partner and "
       "board one way throughout.",
       modes=("documents",),
       fails=("Lancashire Constabulary trained every officer. Later, Lancashire Police led the audit.",
              ("The Dorset Safeguarding Children Partnership met monthly. The Dorset Children's Safeguarding "
              "Partnership agreed three priorities.")),
       passes=("Lancashire Constabulary trained every officer. Later, Lancashire Constabulary led the audit.",
               ("Children's Social Care and Adult Social Care met. The Safeguarding Children Partnership and the "
               "Safeguarding Adults Board agreed a joint plan.")))
def body_name_variants(ctx: Ctx, chk):
    for spans in body_names(ctx).values():
        forms: dict[str, list] = defaultdict(list)
        for s in spans:
            forms[s[3].lower()].append(s)
        if len(forms) < 2:
            continue
        ranked = sorted(forms.values(), key=lambda xs: (-len(xs), xs[0][1]))
        main = ranked[0]
        for other in ranked[1:]:
            src, a, b, surface = other[0]
            where = main[0][0].location(main[0][1], main[0][2])
            yield ctx.finding(chk, src, a, b,
                              f"'{surface}' is written '{main[0][3]}' elsewhere ({len(main)} time"
                              f"{'s' if len(main) > 1 else ''}, first at {where.label()}): "
                              f"use one name for one body.", related=[where])
