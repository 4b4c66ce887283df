"""Details that may identify a child or family: initials or names next to "Child A", a private
person's full name, a street address, dates of birth in any written form, an age next to a
name or initials, NHS numbers (mod-11 checked), postcodes, phone numbers, e-mails, and counts
of 1-5 people written into sentences.

A full name is a listed first name followed by a capitalised surname. It is not reported when
it is part of an organisation's name (the national lists in :mod:`masa.reference`, or a
following "Hospital", "School", "House"...), or when the document credits the person in a role
anywhere ("Dr Helen Ward", "Jane Smith, Independent Chair", "written by"): authors, chairs and
scrutineers are public figures of the report, not people to protect."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from .registry import Ctx, check

ANON = re.compile(r"\b(?:Child|Young Person|YP|Baby|Sibling|Mother|Father|Parent)\s+[A-Z]\b|\bcase stud(?:y|ies)\b|\banonymi[sz]ed\b", re.IGNORECASE)
INITIALS = re.compile(r"(?<![\w&/-])(?:[A-Z]{2}|[A-Z]\.\s?[A-Z]\.?)(?![\w&/-])")
TITLE_NAME = re.compile(r"\b(?:Mr|Mrs|Ms|Miss|Master)\.?\s+[A-Z][a-z]+")
_MONTH = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
          r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?")
# a day in figures or in words ("the fourth of May 2012")
_DAY = (r"(?:\d{1,2}(?:st|nd|rd|th)?|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|"
        r"twelfth|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|"
        r"twenty[- ](?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth)|thirtieth|thirty[- ]first)")
DOB = re.compile(
    r"\b(?:DOB\b|D\.O\.B\b\.?|date\s+of\s+birth\b|born\b)[:,\s]*(?:(?:was|is|as|of|given\s+as|recorded\s+as)\s+)?"
    r"(?:on\s+)?(?:the\s+)?"
    rf"(?:\d{{1,2}}[/.-]\d{{1,2}}[/.-]\d{{2,4}}|{_DAY}\s+(?:of\s+)?{_MONTH}(?:,?\s+\d{{4}})?|{_MONTH}\s+{_DAY}(?:,?\s+\d{{4}})?)"
    r"(?![\w/])(?![\d\s,]*(?:to|and|until|-|–)\s*\d)", re.IGNORECASE)  # "born 1 April 2023 to ..." is a cohort
# one person's month and year of birth ("she was born in May 2012"); "were born in" is a cohort
DOB_MONTH = re.compile(rf"\bwas\s+born\s+(?:in\s+)?{_MONTH}\s+\d{{4}}\b", re.IGNORECASE)
NHS = re.compile(r"(?<!\d)(\d{3})[ -]?(\d{3})[ -]?(\d{4})(?!\d)")
POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s+\d[A-Z]{2}\b")
PHONE = re.compile(r"(?<!\d)(?:\+44\s?7\d{3}|\+44\s?\d{2,4}|07\d{3}|0\d{2,4})[\s-]?\d{3,4}[\s-]?\d{3,4}(?!\d)")
EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
ACRONYMS = Path(__file__).with_name("data") / "two_letter_acronyms.txt"


@lru_cache(maxsize=1)
def known_acronyms() -> frozenset[str]:
    return frozenset(w.strip() for w in ACRONYMS.read_text(encoding="utf-8").split() if not w.startswith("#"))


def nhs_number_valid(digits: str) -> bool:
    """NHS numbers carry a modulus-11 check digit."""
    if len(digits) != 10 or not digits.isdigit() or len(set(digits)) == 1:
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1)))
    check_digit = 11 - total % 11
    if check_digit == 11:
        check_digit = 0
    return check_digit != 10 and check_digit == int(digits[9])


def _case_study_paras(ctx: Ctx, reach: int = 6):
    """Paragraphs of a case study: one naming an anonymised child (or 'case study') and the few
    that follow it, up to the next heading."""
    for src in ctx.sources:
        taken: set[int] = set()
        for p in src.paras:
            if p.heading or not ANON.search(p.clean):
                continue
            for q in src.paras[p.index:p.index + reach + 1]:
                if q.heading:
                    break
                if q.index not in taken:
                    taken.add(q.index)
                    yield src, q


@check("privacy.initials", "Initials or a name that may identify a child", "error", "narrative",
       "Case studies are published; an initial or name beside 'Child A' can identify the child to people who "
       "know the family.",
       fails=("Case study: Child A met our worker. JB said he felt listened to.",),
       passes=("Case study: Child A met our worker and the GP. He said he felt listened to.",))
def initials(ctx: Ctx, chk):
    vocab = {w for w in (ctx.spec.vocabulary if ctx.spec is not None else [])}
    known = known_acronyms() | vocab
    for src, p in _case_study_paras(ctx):
        for m in INITIALS.finditer(p.clean):
            token = m.group().replace(".", "").replace(" ", "")
            if token in known:
                continue
            yield ctx.finding(chk, src, p.start + m.start(), p.start + m.end(),
                              f"'{m.group()}' in an anonymised case study may be a child's initials: use the "
                              f"pseudonym ('Child A') throughout.")
        for m in TITLE_NAME.finditer(p.clean):
            yield ctx.finding(chk, src, p.start + m.start(), p.start + m.end(),
                              f"'{m.group()}' names a person in a case study: remove or replace with a role.")


@check("privacy.identifier", "Personal identifier in the text", "error", "narrative",
       "Dates of birth, NHS numbers, postcodes, phone numbers and e-mail addresses identify people and must "
       "not be published.",
       fails=(("The family's NHS number 943 476 5919 was shared.",
               "Child B was born on the 3rd of March 2014."),
              "She was born on the fourth of May 2012.",
              "The child's date of birth, 14/02/2011, was recorded wrongly.",
              "Her date of birth was 3 May 2012.", "The child (d.o.b. 14/02/2011) was seen.",
              # a word like "address" or "house" beside a postcode does not make it an organisation's
              "The family's address in NT4 7QP was visited by the police."),
       passes=("The reference 943 476 5918 was shared.",
               "Children born between 1 April 2010 and 31 March 2011 were in the cohort."))
def identifiers(ctx: Ctx, chk):
    case = {(src.name, p.index) for src, p in _case_study_paras(ctx)}
    for src in ctx.sources:
        for p in src.paras:
            in_case = (src.name, p.index) in case
            for rx in (DOB, DOB_MONTH):
                for m in rx.finditer(p.clean):
                    yield ctx.finding(chk, src, p.start + m.start(), p.start + m.end(), "a date of birth: remove it.")
            for m in NHS.finditer(p.clean):
                if nhs_number_valid("".join(m.groups())):
                    yield ctx.finding(chk, src, p.start + m.start(), p.start + m.end(),
                                      "a valid NHS number (its check digit is right): remove it.")
            for m in POSTCODE.finditer(p.clean):
                yield ctx.finding(chk, src, p.start + m.start(), p.start + m.end(),
                                  "a full postcode can point to a family's home: give the area only.",
                                  severity=None if in_case else "query")
            if in_case:
                for rx, what in ((PHONE, "a phone number"), (EMAIL, "an e-mail address")):
                    for m in rx.finditer(p.clean):
                        yield ctx.finding(chk, src, p.start + m.start(), p.start + m.end(),
                                          f"{what} in a case study: remove it.")


SMALL_COUNT = re.compile(
    r"(?<![Ll]evel )(?<![\d.,£])\b([1-5]|one|two|three|four|five)\s+"
    r"(children|child|girls?|boys?|young (?:people|persons?)|famil(?:y|ies)|pupils?|bab(?:y|ies)|"
    r"victims?|care leavers?|siblings?)\b(?!['’])"
    # "1 Child Safeguarding Practice Review", "2 child death reviews", "3 Family Hubs": the noun
    # names a kind of review, meeting or service, not people
    r"(?!\s+(?:safeguarding|practice|death|exploitation|sexual|criminal|protection\s+(?:conference|review|meeting)s?\b|"
    r"friendly|centred|focused|hubs?|court|in\s+need\s+review|and\s+family\s+(?:court|assessment|hub)|"
    r"(?:and\s+)?young\s+people['’]s\s+(?:plan|service)))",
    re.IGNORECASE)


_PEOPLE = (r"(?:children|child|girls?|boys?|young\s+(?:people|persons?)|famil(?:y|ies)|pupils?|bab(?:y|ies)|victims?|"
           r"care\s+leavers?|siblings?)")
# the count and its people apart: "Of these, 5 were boys", "girls: 3", "boys numbered 4"
SMALL_COUNT_APART = re.compile(
    rf"(?<![\d.,£])\b(?:[1-5]|one|two|three|four|five)\s+(?:of\s+(?:them|these|those)\s+)?(?:were|was)\s+"
    rf"(?:(?:also|all|either)\s+)?{_PEOPLE}\b"
    rf"|\b{_PEOPLE}\s*(?:[:=]|numbered|totalled|came\s+to)\s*(?:[1-5]|one|two|three|four|five)\b(?![\d.,]\d)",
    re.IGNORECASE)


@check("privacy.small-count", "A count of 1–5 people in published text", "error", "narrative",
       "Published tables show counts of 1–5 as 'c' so that nobody can be picked out; the same count written "
       "into a sentence undoes that protection.",
       fails=("We referred 21 children: 3 girls, 5 boys and 13 whose sex was not recorded.",
              "Three children joined the youth council.", "4 girls joined the council.",
              "3 children placed in care after the fire in June",
              "We referred 21 children in Luton. Of these, 5 were boys.", "We referred 21 children; girls: 3."),
       passes=(("We referred 21 children, and rolled out level 1 children's training to 4 teams.",
                "The partnership published 1 Child Safeguarding Practice Review.",
                "Of these, 25 were boys, and the girls' group met 3 times. Children: 45 in all."),))
def small_count(ctx: Ctx, chk):
    for p in ctx.paras():
        for m in [*SMALL_COUNT.finditer(p.clean), *SMALL_COUNT_APART.finditer(p.clean)]:
            yield ctx.finding(chk, p.source, p.start + m.start(), p.start + m.end(),
                              f"'{m.group()}' states a count of 1–5 people, which published tables suppress "
                              f"as 'c': give a rounded or combined figure instead.")


# a family member, a child or a victim named beside the name: a private person, whatever role
# words stand near ("Child A's mother, Karen Ashworth, was a senior nurse"; "Jack Thornley, the
# officer's son"; "Amy Pendleton, a young member of the youth council")
FAMILY = re.compile(
    r"\b(?:mother|father|mum|dad|parents?|step-?(?:father|mother|dad|mum|brother|sister)|brother|sister|siblings?|"
    r"son|daughter|cousin|uncle|aunt|aunty|auntie|grand(?:mother|father|parent|ma|pa|son|daughter)s?|nan|"
    r"boyfriend|girlfriend|baby|girl|boy|teenager|pupil|victim|perpetrator|young\s+(?:member|person|carer))\b",
    re.IGNORECASE)
CREDIT_BEFORE = re.compile(
    # "by" credits only after a word of authorship: "abused by <name>" names a private person
    r"\b(?:(?:written|prepared|compiled|produced|authored|chaired|led|presented|delivered|signed|commissioned|"
    r"edited|facilitated|hosted|opened|introduced|funded)\s+by|thanks?|thanking|thank\s+you\s+to|acknowledge|welcomed?|appointed|appoint|joined\s+by|replaced|succeeded|"
    r"congratulat\w*)\s+$", re.IGNORECASE)
CREDIT_AFTER = re.compile(
    # not "said", "became" or any "joined": "Amy Pendleton said she felt safe" quotes a child
    r"^(?:['’]s\s+)?\s*(?:joined\s+the\s+(?:partnership|board|executive|panel|business\s+unit)\b|was\s+appointed|has\s+been\s+appointed|retired|stepped\s+down|took\s+over|"
    r"left\s+the|chaired|wrote)\b|^\s*,?\s*\(?(?:19|20)\d{2}\b", re.IGNORECASE)
ROLE = re.compile(
    r"\b(?:chair(?:person|man|woman)?|co-chair|scrutineer|scrutiny|director|chief|executive|officer|manager|lead|"
    r"head(?:teacher)?|author|written|prepared|compiled|signed|councillor|cllr|commissioner|superintendent|"
    r"inspector|detective|sergeant|constable|nurse|doctor|paediatrician|professor|minister|secretary|designated|"
    r"consultant|co-?ordinator|principal|mayor|leader|member|portfolio|reviewer|trainer|facilitator|"
    r"practitioner|advis[eo]r|representative|deputy|assistant|interim|acting|senior|president|ceo|dcs|mp)\b",
    re.IGNORECASE)
HONORIFIC = re.compile(r"\b(?:Dr|Prof|Professor|Cllr|Councillor|Sir|Dame|Lord|Lady|Baroness|Rev|Revd|DCI|DI|DS|DC|"
                       r"Supt|Ch\s?Supt|Insp|Sgt|PC|Judge)\.?\s+$")
PUBLIC_CASE = re.compile(r"\b(?:murders?|deaths?|killing|inquiry|inquest|case\s+of|review\s+(?:into|of)|named)\b[^.]{0,60}$",
                         re.IGNORECASE)
NAME = re.compile(r"(?<![\w'’-])(?P<first>[A-Z][a-z]+)\s+(?P<last>(?:Mc|Mac|O['’])?[A-Z][a-z]+(?:-[A-Z][a-z]+)?)(?![\w-])")
ORG_WORD = re.compile(
    r"^\s+(?:Hospital|House|Centre|Center|School|Academy|College|University|Trust|Foundation|Court|Road|Street|Lane|"
    r"Avenue|Way|Unit|Ward|Building|Institute|Award|Programme|Lecture|Report|Review|Memorial|Primary|Infant|"
    r"Junior|Nursery|Library|Park|Hall|Clinic|Surgery|Practice|Medical|Health|Children['’]s|Campus|Group|Fund|"
    r"Mandatory|Training|Law|Act|Rule|Principles?|Scheme|Model|Approach|Framework|Tool|Toolkit|Method|Centre|"
    r"Square|Valley|Bridge|Dock|Quay|Gate|Place|Estate|Close|Drive|Crescent|Gardens|Terrace|Hill|Green|Common|"
    r"Wood|Fields?|Station|Airport|Prison|Barracks|Cathedral|Church|Mosque|Temple|Synagogue|Stadium|Arena)\b",
    re.IGNORECASE)  # "the Oliver McGowan programme": named after a person, not naming one
_NOT_SURNAME_WORDS = """
Safeguarding Children Child Partnership Partnerships Board Council Trust Police Hospital School Academy College
University House Centre Court Road Street Lane Avenue Team Teams Service Services Review Reviews Report Plan Group
Project Programme Award Day Week Month Year Annual Yearly Quarter Strategy Policy Act Care Health Social Local
January February March April May June July August September October November December Monday Tuesday Wednesday
Thursday Friday Saturday Sunday Early Help Family Families Young People Voice Impact Learning Practice The And Of
In On For With From Our Their This That These Those Council's Forum Panel Hub Unit Network Partners Agency
Agencies Directorate Division Foundation Act Board's Partnership's Standards Framework Guidance Together
Square Valley Bridge Dock Quay Gate Place Estate Close Drive Crescent Gardens Terrace Hill Green Common Wood Field
Fields Park Station Airport Prison Church Cathedral Hall Way Walk Row Mews Rise
"""
NOT_SURNAME = frozenset(_NOT_SURNAME_WORDS.split())
ADDRESS = re.compile(
    r"(?<![\w£.,])\d{1,4}[A-Za-z]?,?\s+(?:[A-Z][a-z]+\s+){1,3}"
    r"(?:Road|Street|Lane|Avenue|Close|Drive|Way|Crescent|Place|Gardens|Grove|Terrace|Court|Walk|Square|Rise|Row|"
    r"Mews|Hill|Green|View|Parade|Boulevard)\b(?:,\s*[A-Z][a-z]+(?:[ -][A-Z][a-z]+){0,2})?")
ORG_ADDRESS = re.compile(r"\b(?:Council|Town\s+Hall|Civic|Offices?|House|Centre|PO\s+Box|Headquarters|HQ|Station|"
                         r"Hospital|write\s+to|address|contact|Unit|Floor|Suite|Business\s+Park)\b", re.IGNORECASE)
# "Sarah, aged 15", "Sarah (15)", "Sarah, a 15-year-old", "Sarah, 15,"
# Any capitalised word: only those in the first-name list count (age_with_name), and only when
# an age stands within a few characters ("Sarah was 14 years old when", "Sarah, who was fourteen").
FIRST_NAME = re.compile(r"(?<![\w'’-])[A-Z][a-z]+\b")
# an age in figures or words, one to nineteen ("who was fourteen", "Fourteen-year-old Amy")
_YEARS = (r"(?:\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
          r"sixteen|seventeen|eighteen|nineteen)")
AGE = re.compile(rf"\b(?:aged|age)\s+{_YEARS}\b|"
                 r",\s*(?:now\s+|then\s+|just\s+|only\s+)?\d{1,2}\s*,|"  # "JT, 15, had been missing"
                 rf"\b(?:was|is|turned)\s+{_YEARS}\s+(?:when|at\s+the\s+time)\b|"  # "KM was 14 when"
                 rf"\bwho\s+(?:was|is|had\s+turned|turned|was\s+then|is\s+now|was\s+only|was\s+just)\s+{_YEARS}\b"
                 rf"(?!\s*(?:%|per\b|years?\s+ago|times|months?|weeks?|days?|hours?|minutes?|[.,]\d))|\b{_YEARS}[- ]years?[- ]old\b|\(\s*\d{{1,2}}\s*(?:yrs?|years?)?\s*\)",
                 re.IGNORECASE)


@lru_cache(maxsize=1)
def _org_names_with_people() -> re.Pattern | None:
    """Organisation names in the national lists that contain a person's name ("Robert Jones and
    Agnes Hunt Orthopaedic Hospital", "George Eliot Hospital")."""
    from masa.reference import first_names, organisations

    firsts = first_names()
    names = sorted({n for o in organisations() for n in o.names if any(w in firsts for w in n.split())},
                   key=len, reverse=True)
    return re.compile("|".join(re.escape(n) for n in names)) if names else None


def _case_keys(ctx: Ctx) -> set[tuple[str, int]]:
    return ctx.cached("privacy:case", lambda: {(src.name, p.index) for src, p in _case_study_paras(ctx)})


def _name_candidates(text: str):
    """NAME's matches, each word tried as a first name: "Move Jane Smith" tries "Move Jane",
    then "Jane Smith" (plain finditer would skip it, the capital of a sentence's first word
    hiding the name that follows)."""
    pos = 0
    while (m := NAME.search(text, pos)) is not None:
        yield m
        pos = m.start("last")


def _full_names(ctx: Ctx):
    """(source, para, match) for each private person's full name, credited people left out."""
    def make():
        from masa.reference import first_names

        firsts = first_names()
        found, credited = [], set()
        orgs = _org_names_with_people()
        for src in ctx.sources:
            org_spans = [(m.start(), m.end()) for m in orgs.finditer(src.clean)] if orgs else []
            for p in src.paras:
                last_credited = -1
                for m in _name_candidates(p.clean):
                    first, last = m.group("first"), m.group("last")
                    if first not in firsts or last in NOT_SURNAME or last.upper() == last:
                        continue
                    a, b = p.start + m.start(), p.start + m.end()
                    if any(s <= a and b <= e for s, e in org_spans) or ORG_WORD.match(p.clean[m.end():m.end() + 30]):
                        continue
                    before, after = p.clean[max(0, m.start() - 80):m.start()], p.clean[m.end():m.end() + 60]
                    sentence_before = re.split(r"[.!?]\s", before)[-1]
                    sentence_after = re.split(r"[.!?]\s", after)[0]
                    apposition = re.match(r"[ \t]*(?:,|\(|–|—|-|:|\t|\|)\s*((?:[^\s,;()]+\s+){0,4}[^\s,;()]+)", sentence_after)
                    listed = last_credited >= 0 and re.fullmatch(r"\s*(?:,|and|&|,\s*and)\s*",
                                                                 p.clean[last_credited:m.start()])
                    titled = re.match(r"\s+((?:[A-Z][\w'’&-]*\s+){0,3}[A-Z][\w'’&-]*)", sentence_after)
                    kin = FAMILY.search(sentence_before[-30:]) or (apposition and FAMILY.search(apposition.group(1)))
                    if not kin and (listed or HONORIFIC.search(before) or (titled and ROLE.search(titled.group(1))) or ROLE.search(sentence_before[-40:])
                            or CREDIT_BEFORE.search(sentence_before) or CREDIT_AFTER.match(sentence_after)
                            or (apposition and ROLE.search(apposition.group(1)))):
                        credited.add(m.group())
                        last_credited = m.end()
                        continue
                    if PUBLIC_CASE.search(before):
                        continue
                    found.append((src, p, m))
        return [(src, p, m) for src, p, m in found if m.group() not in credited]
    return ctx.cached("privacy:names", make)


@check("privacy.name", "A private person's full name", "error", "narrative",
       "A published report must not name children, family members or other private people; a full name "
       "identifies them to anyone who reads it.",
       fails=("Case study: Child A lived with Oliver Brandreth, her uncle.",
              # a child who tells someone is a private person, whatever the verb: a return's narrative
              # is not a meeting's minutes
              "Sarah Pendle reported to her teacher that she was frightened at home.",
              # a role word after a name does not make a child an office holder; a place word can be a surname
              "Amy Pendleton is a member of the youth council and was placed in care in March.",
              "Emma Ward was placed in foster care after the assessment.",
              # "by" and "said" credit nobody on their own: an abuser and a child quoted are private
              "Child A was abused by Darren Ashworth, her step-father.",
              "Amy Pendleton said she felt safe at her foster home.",
              # a role word beside a family member or a child credits nobody
              "Child A's mother, Karen Ashworth, was a senior nurse at the hospital.",
              "Jack Thornley, the officer's son, was reported missing.",
              "Amy Pendleton, a young member of the youth council, was placed in care."),
       passes=("The report was written by the Independent Scrutineer, Dr Oliver Brandreth.",))
def full_name(ctx: Ctx, chk):
    case = _case_keys(ctx)
    for src, p, m in _full_names(ctx):
        yield ctx.finding(chk, src, p.start + m.start(), p.start + m.end(),
                          f"'{m.group()}' looks like a person's full name: remove it or use a role or a pseudonym "
                          f"('Child A', 'the mother').",
                          severity=None if (src.name, p.index) in case else "query")


@check("privacy.address", "A street address in the text", "error", "narrative",
       "A house number and street point to a family's home; reports give the area only.",
       fails=("Case study: Child A's family moved to 27 Quarry Lane, Ashton.",),
       passes=("Case study: Child A's family moved to another part of the town.",))
def address(ctx: Ctx, chk):
    case = _case_keys(ctx)
    for src in ctx.sources:
        for p in src.paras:
            for m in ADDRESS.finditer(p.clean):
                if re.search(r"\b(?:chapter|section|part|appendix|page|item|table|figure|priority|step)\s*$",
                             p.clean[max(0, m.start() - 12):m.start()], re.IGNORECASE):
                    continue  # "Chapter 10 The View of Children": a heading number, not a house number
                if ORG_ADDRESS.search(p.clean[max(0, m.start() - 100):m.start()] + p.clean[m.end():m.end() + 40]):
                    continue  # the partnership's or a service's own address
                yield ctx.finding(chk, src, p.start + m.start(), p.start + m.end(),
                                  f"'{m.group()}' is a street address: give the area only.",
                                  severity=None if (src.name, p.index) in case else "query")


@check("privacy.age", "An age next to a name or initials", "error", "narrative",
       "An exact age beside a name or initials narrows a child down to one person for anyone who knows "
       "the family.",
       fails=("The worker met JT, aged 13, at school.", "K.M., who was 14, had been reported missing.",
              "JT, 15, had been reported missing.", "KM was 14 when she was first reported missing.",
              "Sarah, a 15 year old girl, had been reported missing.",
              # ages in words, and a first name with "was ... years old"
              "Sarah was 14 years old when she was first reported missing.",
              "Sarah, who was fourteen, was reported missing.", "Fourteen-year-old Amy was exploited."),
       passes=("The worker met Child A at school.", "JT, who was 15 minutes late, met the worker.",
               "In the MASH, 15, 20 and 25 contacts came on three days.", "Referrals in 2023, 15, were low.",
               "JT, who was fifteen minutes late, met the worker."))
def age_with_name(ctx: Ctx, chk):
    from masa.reference import first_names

    firsts = first_names()
    known = known_acronyms() | set(ctx.spec.vocabulary if ctx.spec is not None else [])
    names = {(src.name, p.index): [(m.start(), m.end()) for s2, p2, m in _full_names(ctx) if s2 is src and p2 is p]
             for src in ctx.sources for p in src.paras}
    for src in ctx.sources:
        for p in src.paras:
            people = list(names.get((src.name, p.index), []))
            people += [(m.start(), m.end()) for m in INITIALS.finditer(p.clean)
                       if m.group().replace(".", "").replace(" ", "") not in known]
            people += [(m.start(), m.end()) for m in FIRST_NAME.finditer(p.clean) if m.group() in firsts]
            if not people:
                continue
            for m in AGE.finditer(p.clean):
                near = [(a, b) for a, b in people if 0 <= m.start() - b <= 12 or 0 <= a - m.end() <= 12]
                if not near:
                    continue
                a = min(m.start(), *(x for x, _ in near))
                b = max(m.end(), *(y for _, y in near))
                yield ctx.finding(chk, src, p.start + a, p.start + b,
                                  f"'{p.clean[a:b]}' gives an age beside a name or initials: drop the age or the "
                                  f"initials.")
