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


def body_names(ctx: Ctx, headings: bool = False) -> dict[tuple, list]:
    """Key -> [(source, start, end, surface)] for organisation names in non-heading paragraphs
    (and in headings and the title too, each span then with a fifth item: whether it is a heading)."""
    groups: dict[tuple, list] = defaultdict(list)
    for p in ctx.paras():
        if p.heading and not headings:
            continue
        clean = p.clean
        for m in NAME.finditer(clean):
            name = m.group()
            lead = _LEAD.match(name)
            start = m.start() + (lead.end() if lead else 0)
            name = clean[start:m.end()]
            of = re.match(r"[A-Z][a-z]+\s+of\s+(?:the\s+)?(?=[A-Z])", name)
            if of and not re.match(_HEAD, name):  # "Cabinet of Herefordshire Safeguarding Children's Board"
                start += of.end()
                name = clean[start:m.end()]
            words = [w.lower() for w in re.findall(r"[A-Za-z']+", name)]
            if len(words) < 2 or all(w.rstrip("'s") in GENERIC or w in GENERIC for w in words):
                continue
            span = (p.source, p.start + start, p.start + m.end(), _surface(name))
            groups[_key(name)].append(span + (bool(p.heading),) if headings else span)
    return groups


# Acronyms every report may use beside a longer local one ("NHS" beside "NHSE"): never a variant
NATIONAL_ACRONYMS = frozenset("""NHS NHSE ICB ICS CCG LSCB LSCP SCP MASH CAMHS CSC DFE ONS SEND EHCP LADO CSPR SCR CSE CCE
FGM DSL YOS YJS CDOP MARAC MAPPA IRO CIN CLA LAC CYP PCC OFSTED CQC HMICFRS JTAI ILACS ADCS LGA SAB SAR DHR CSP
MACE PREVENT SEN EHA CAF TAF MSP ASC CSPP NSPCC UK HMPPS DWP MOD""".split())
_DEFINED = re.compile(r"[A-Z][\w'’-]*(?:\s+(?:and\s+|of\s+|for\s+|&\s+)?[A-Z][\w'’-]*){1,8}\s*\(([A-Z]{3,8})\)")
_ACRONYM = re.compile(r"(?<![\w(-])([A-Z]{3,8})(?![\w)-])")


def _one_letter_apart(a: str, b: str) -> bool:
    """b is a with one letter left out (or a with one more), or with two neighbouring letters after
    the first swapped ("HCSB" for HSCB)."""
    if len(a) == len(b) and a[0] == b[0] and a != b:
        return any(a[:i] + a[i + 1] + a[i] + a[i + 2:] == b for i in range(1, len(a) - 1))
    if len(a) < len(b):
        a, b = b, a
    return len(a) == len(b) + 1 and a[0] == b[0] and any(a[:i] + a[i + 1:] == b for i in range(len(a)))


def acronym_variants(ctx: Ctx):
    """(source, start, end, written, defined) for an acronym one letter off an acronym the report defines
    in brackets ("Clinical Commissioning Group (NCCCG)", then "NCCG"), never defined itself."""
    defined: dict[str, tuple] = {}
    uses: list[tuple] = []
    for p in ctx.paras():
        for m in _DEFINED.finditer(p.clean):
            defined.setdefault(m.group(1), (p.source, p.start + m.start(1)))
        for m in _ACRONYM.finditer(p.clean):
            uses.append((p.source, p.start + m.start(1), p.start + m.end(1), m.group(1)))
    seen = set()
    for src, a, b, word in uses:
        if word in defined or word in NATIONAL_ACRONYMS or word in seen:
            continue
        near = [d for d in defined if _one_letter_apart(d, word)]
        if len(near) == 1:
            seen.add(word)
            yield src, a, b, word, near[0], defined[near[0]]


_DEFINED_ANY = re.compile(r"((?:[A-Z][\w'’-]*\s+(?:(?:and|of|for|the|&|AND|OF|FOR|THE)\s+)?){2,8})[(\[]([A-Z]{3,8})s?[)\]]")
_SMALL = {"and", "of", "for", "the", "&"}


def misdefined_acronyms(ctx: Ctx):
    """(source, start, end, written, initials) for an acronym defined in brackets that is one letter
    off the initials of the name it follows ("Local Safeguarding Children Board [LSAB]"), or has two
    letters swapped ("Local Safeguarding Children Boards (LCSBs)"), when the
    document uses the acronym of those initials elsewhere (LSCB): the bracket has a slip."""
    uses = {m.group(1) for p in ctx.paras() for m in _ACRONYM.finditer(p.clean)}
    for p in ctx.paras():
        for m in _DEFINED_ANY.finditer(p.clean):
            acr = m.group(2)
            words = [w for w in m.group(1).split() if w.lower() not in _SMALL]
            if len(words) < len(acr):
                continue
            initials = "".join(w[0] for w in words[-len(acr):]).upper()
            diff = sum(x != y for x, y in zip(initials, acr))
            swapped = diff == 2 and any(acr[:i] + acr[i + 1] + acr[i] + acr[i + 2:] == initials for i in range(len(acr) - 1))
            if (diff == 1 or swapped) and initials in uses and acr != initials:
                yield p.source, p.start + m.start(2), p.start + m.end(2), acr, initials


# the sentence is about the old board, or dated before the partnership began
_PAST_BOARD = re.compile(r"\b(?:former(?:ly)?|previous(?:ly)?|predecessor|old|replac\w*|until|legacy|was|were|had|became|"
                         r"transition\w*|transfer\w*|handed|abolished|ceased|closed|final|last|no\s+longer)\b"
                         r"|(?<!Act )(?<!Act\s)\b(?:19\d{2}|20(?:0\d|1\d))\b", re.IGNORECASE)
_PRESENT = re.compile(r"\b(?:is|are|has|have|will|continues?|brings?|works?|leads?|oversees?|coordinates?|sets?)\b")


def predecessor_names(ctx: Ctx):
    """(source, start, end, board, partnership) for a partnership's predecessor board's acronym ("the
    LSCB") in a present-tense sentence of a report that defines its partnership ("... Partnership
    (LSCP)"): safeguarding children boards were replaced by partnerships in 2019, so the sentence
    names the partnership by the old body's name. Sentences about the board's past (a year before
    2019, "former", "replaced", "was") are left alone, and so is a report for a year before 2019-20."""
    partnerships = {}
    for p in ctx.paras():
        for m in _DEFINED.finditer(p.clean):
            acr = m.group(1)
            if acr.endswith("SCP") and re.search(r"Partnership\s*\($", m.group(0)[:m.start(1) - m.start()]):
                partnerships.setdefault(acr[:-1] + "B", acr)
    if not partnerships:
        return
    for p in ctx.paras():
        year = re.match(r"(\d{4})", p.source.period or "")
        if year and int(year.group(1)) < 2019:
            continue
        for a, b in p.sentences():
            sent = p.source.clean[a:b]
            for m in re.finditer(r"(?<![\w(-])(" + "|".join(partnerships) + r")(?![\w)-])", sent):
                if _PAST_BOARD.search(sent) or not _PRESENT.search(sent):
                    continue
                yield p.source, a + m.start(1), a + m.end(1), m.group(1), partnerships[m.group(1)]
                break


_FORCE_WORD = re.compile(r"\b([A-Za-z]+)\s+(POLICE|Police|CONSTABULARY|Constabulary)\b")


def _cut_short_forces() -> dict[str, list[str]]:
    """First words of police force names that are no force's whole name on their own ("West" of
    West Yorkshire, West Midlands and West Mercia Police), with the forces they start."""
    from masa.reference import organisations

    forces = [o for o in organisations() if o.kind == "police"]
    whole = {n.lower() for o in forces for n in o.names}
    out: dict[str, list[str]] = {}
    for o in forces:
        first = o.names[0].split()[0]
        if len(o.names[0].split()) > 2 and f"{first} police".lower() not in whole and \
                f"{first} constabulary".lower() not in whole:
            out.setdefault(first.lower(), []).append(o.names[0])
    return out


def cut_short_forces(ctx: Ctx):
    """(source, start, end, written, forces) for a police force named by the first word of its name
    only ("West Police"): no force has that name, so the reader cannot tell which is meant."""
    starts = _cut_short_forces()
    for p in ctx.paras():
        for m in _FORCE_WORD.finditer(p.clean):
            forces = starts.get(m.group(1).lower())
            if forces and not re.search(r"\b[A-Z][A-Za-z]+\s+$", p.clean[max(0, m.start() - 25):m.start()]):
                yield p.source, p.start + m.start(), p.start + m.end(), m.group(), forces


@check("partner.body-name-variants", "One organisation named two ways in the text", "query", "report",
       "Readers, and anyone searching the report, take two names for two bodies; name each partner and "
       "board one way throughout.",
       modes=("documents",),
       fails=("Lancashire Constabulary trained every officer. Later, Lancashire Police led the audit.",
              ("Northtown Safeguarding Child Board Annual Report 2022-23\n\nThe Northtown Safeguarding Children "
               "Board (NSCB) met six times."),
              ("Appendix A: Herefordshire Safeguarding Children Board Annual Report\n\nTo inform Cabinet of "
               "Herefordshire Safeguarding Children's Board (HSCB) of its work."),
              ("Nottingham City Clinical Commissioning Group (NCCCG) are key partners. NCCG also led work on "
               "missed appointments."),
              ("The Dorset Safeguarding Children Partnership met monthly. The Dorset Children's Safeguarding "
              "Partnership agreed three priorities."),
              ("NORTHTOWN LOCAL SAFEGUARDING CHILDREN BOARD [LSAB] ANNUAL REPORT\n\nThe LSCB met six times."),
              "Contents: WEST POLICE AUDITS 2016-17 ...... 41",
              "Reviews are made by Local Safeguarding Children Boards (LCSBs). Each LSCB publishes them.",
              ("The Northtown Safeguarding Children Board (NSCB) met. Inspectors wrote that the NCSB is "
               "dynamic."),
              ("Appendix A: Northtown Safeguarding Children Partnership Annual Report 2022-23\n\nThe Northtown "
               "Safeguarding Children Partnership (NSCP) met. The work of the NSCB is set by the Children Act 2004.")),
       passes=("Lancashire Constabulary trained every officer. Later, Lancashire Constabulary led the audit.",
               ("Children's Social Care and Adult Social Care met. The Safeguarding Children Partnership and the "
               "Safeguarding Adults Board agreed a joint plan."),
               ("Herefordshire Safeguarding Children Board Annual Report\n\nThe Herefordshire Safeguarding "
                "Children Board (HSCB) met six times."),
               ("NHS England (NHSE) set the standard. Every NHS trust met it, and the Local Safeguarding Children "
                "Board (LSCB) and the LSCP agreed."),
               ("The Local Safeguarding Adults Board (LSAB) and the Local Safeguarding Children Board (LSCB) met. "
                "The LSCB and the LSAB agreed a joint plan."),
               "The Northtown Youth Justice Service (YOS) kept its old acronym.",
               ("The Northtown Safeguarding Children Partnership met. Inspectors praised Northtown's "
                "Safeguarding Children Partnership."),
               "West Yorkshire Police, Durham Police, Nottingham City Police and South Wales Police took part.",
               ("Appendix A: Northtown Safeguarding Children Partnership Annual Report 2022-23\n\nThe Northtown "
                "Safeguarding Children Partnership (NSCP) replaced the NSCB in 2019. NSCB Annual Report 2017-18. The "
                "NSCB was chaired by an independent chair. The NSCP is the body that leads.")))
def body_name_variants(ctx: Ctx, chk):
    for spans in body_names(ctx, headings=True).values():
        if all(s[4] for s in spans):
            continue  # headings only: partner.name-variants compares those
        forms: dict[str, list] = defaultdict(list)
        for s in spans:
            # "Lewisham's Safeguarding Children Partnership" is the place's partnership, the same
            # name: a possessive on the first word (the place) is not a second form
            forms[re.sub(r"^(\S+?)'s\b", r"\1", s[3].lower())].append(s)
        if len(forms) < 2:
            continue
        ranked = sorted(forms.values(), key=lambda xs: (-len(xs), xs[0][1]))
        main = ranked[0]
        for other in ranked[1:]:
            body = [x for x in other if not x[4]]
            src, a, b, surface, _ = (body or other)[0]
            where = main[0][0].location(main[0][1], main[0][2])
            yield ctx.finding(chk, src, a, b,
                              f"'{surface}' is written '{main[0][3]}' elsewhere ({len(main)} time"
                              f"{'s' if len(main) > 1 else ''}, first at {where.label()}): "
                              f"use one name for one body.", related=[where])
    for src, a, b, word, defined, (dsrc, da) in acronym_variants(ctx):
        where = dsrc.location(da, da + len(defined))
        yield ctx.finding(chk, src, a, b,
                          f"'{word}' is a letter off '{defined}', which the report defines ({where.label()}) and "
                          f"never defines '{word}': use one acronym for one body.", related=[where])
    for src, a, b, word, initials in misdefined_acronyms(ctx):
        yield ctx.finding(chk, src, a, b,
                          f"'{word}' is given as the acronym of a name whose initials are '{initials}', and the "
                          f"report uses '{initials}' elsewhere: a letter of the acronym is wrong or out of place.")
    for src, a, b, board, partnership in predecessor_names(ctx):
        yield ctx.finding(chk, src, a, b, f"'{board}' is the name of the board the partnership ('{partnership}', as "
                                          f"this report defines it) replaced in 2019: name the partnership.")
    for src, a, b, word, forces in cut_short_forces(ctx):
        yield ctx.finding(chk, src, a, b, f"'{word}' is no police force's name: a word is missing "
                                          f"({' or '.join(repr(f) for f in forces)}?)")
