"""Details that may identify a child in an "anonymised" case study: initials or names next to
"Child A", dates of birth, NHS numbers (mod-11 checked), postcodes, phone numbers, e-mails."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from .registry import Ctx, check

ANON = re.compile(r"\b(?:Child|Young Person|YP|Baby|Sibling|Mother|Father|Parent)\s+[A-Z]\b|\bcase stud(?:y|ies)\b|\banonymi[sz]ed\b", re.IGNORECASE)
INITIALS = re.compile(r"(?<![\w&/-])(?:[A-Z]{2}|[A-Z]\.\s?[A-Z]\.?)(?![\w&/-])")
TITLE_NAME = re.compile(r"\b(?:Mr|Mrs|Ms|Miss|Master)\.?\s+[A-Z][a-z]+")
DOB = re.compile(r"\b(?:DOB|D\.O\.B\.?|date of birth|born on)\b[:\s]*(?:\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|\d{1,2}\s+[A-Z][a-z]+\s+\d{4})", re.IGNORECASE)
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
       "know the family.")
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
       "not be published.")
def identifiers(ctx: Ctx, chk):
    case = {(src.name, p.index) for src, p in _case_study_paras(ctx)}
    for src in ctx.sources:
        for p in src.paras:
            in_case = (src.name, p.index) in case
            for m in DOB.finditer(p.clean):
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
    r"victims?|care leavers?|siblings?)\b(?!['’])",
    re.IGNORECASE)


@check("privacy.small-count", "A count of 1–5 people in published text", "error", "narrative",
       "Published tables show counts of 1–5 as 'c' so that nobody can be picked out; the same count written "
       "into a sentence undoes that protection.")
def small_count(ctx: Ctx, chk):
    for p in ctx.paras():
        for m in SMALL_COUNT.finditer(p.clean):
            yield ctx.finding(chk, p.source, p.start + m.start(), p.start + m.end(),
                              f"'{m.group()}' states a count of 1–5 people, which published tables suppress "
                              f"as 'c': give a rounded or combined figure instead.")
