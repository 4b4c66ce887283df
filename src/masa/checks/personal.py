"""Personal details in short free text that masa will publish or send on: strict reading.

The narrative checks (``masa.checks.privacy``) read a partner's return leniently outside a
case study: two capitals may be an acronym, a phone number may be the service's. Text typed
into an assurance register, a case audit, a scrutineer's statement or the young people's
version has no such excuse, so here every paragraph is read as a case study, and three more
things are refused: any full date written with numbers (a date of birth looks like any other
date), a family word followed by a first name ("Mother Fatima"), a first name with an age
("Mohammed, 14,"), a named school, and invisible direction characters that can disguise what a
reader sees.

One function, :func:`personal_details`, used by every place that takes such text, so a gap
found once is closed everywhere.
"""

from __future__ import annotations

import re
from datetime import date

# Read by the privacy checks as a case study, so initials, phone numbers and e-mail addresses
# are refused, not queried.
PRIVACY_CHECKS = ("privacy.initials", "privacy.identifier", "privacy.name", "privacy.address", "privacy.age")
CASE = "Case study: "

# 12/03/2015, 12.03.15, 12-3-2015, 2015-03-12, 2015/03/12 and run-together 12032015 / 120315
NUMERIC_DATE = re.compile(
    r"(?<![\d/.])(?:\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})|\d{4}[/.-]\d{1,2}[/.-]\d{1,2})(?![\d/.-]?\d)")
RUN_TOGETHER = re.compile(r"(?<!\d)(\d{2})(\d{2})(\d{2}|\d{4})(?!\d)")
FAMILY_NAME = re.compile(
    r"\b(?i:mother|mum|father|dad|brother|sister|son|daughter|grandmother|grandfather|nan|aunt|uncle|"
    r"cousin|stepfather|stepmother|stepbrother|stepsister|boyfriend|girlfriend)\s+"
    r"[A-Z][a-z]{2,}\b")
# A named school beside a child's year group or age can identify the child: "St Mary's Primary",
# "Marsh Academy", "Stopsley High School". Two capitalised words before a school word, or one
# capitalised word before "Academy"/"School"/"College"/"Primary"/"Infants"/"Juniors".
SCHOOL = re.compile(
    r"\b(?:St\.?\s+)?(?:[A-Z][\w'’-]+\s+){1,3}"
    r"(?:Primary|Secondary|Infants?|Juniors?|Academy|College|School|High|Grammar|Nursery)\b"
    r"(?:\s+(?:School|Academy|College))?")
NOT_SCHOOL = re.compile(r"^(?:The|A|An|Our|Their|Every|Each|Some|Most|All|This|That|In|At|Our|My|Your)\s",)
# A capitalised word then an age between commas or brackets: "Mohammed, 14, from ...", "Amy (9)".
NAME_AGE = re.compile(r"\b([A-Z][a-z]{2,}),?\s*(?:\(\s*(?:aged\s+)?\d{1,2}\s*\)|,\s*(?:aged\s+)?\d{1,2}\s*,)")
BIDI = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _real_date(day: int, month: int, year: int) -> bool:
    try:
        date(year if year > 99 else 2000 + year, month, day)
        return True
    except ValueError:
        return False


def _dates(text: str) -> list[str]:
    out = [m.group() for m in NUMERIC_DATE.finditer(text)]
    for m in RUN_TOGETHER.finditer(text):
        d, mth, y = (int(g) for g in m.groups())
        if _real_date(d, mth, y):
            out.append(m.group())
    return out


def schools(text: str) -> list[str]:
    """Capitalised school names in ``text`` ("Stopsley High School"): each can identify a child."""
    out = []
    for m in SCHOOL.finditer(text):
        name = NOT_SCHOOL.sub("", m.group()).strip()
        if len(name.split()) >= 2 and name not in out:
            out.append(name)
    return out


def personal_details(text: str) -> list[str]:
    """What in ``text`` looks like a name, initials, a date (of birth), an address, an age, a
    contact detail or an NHS number, each said in words a form can show. Empty when clean."""
    from masa.checks.documents import build_ctx
    from masa.checks.registry import run_checks

    out: list[str] = []
    if not text or not text.strip():
        return out
    if BIDI.search(text):
        out.append("an invisible direction-changing character: retype the text without it.")
    for d in _dates(text):
        out.append(f"'{d}' is a date, which may be a date of birth: give the month or year only.")
    for m in FAMILY_NAME.finditer(text):
        out.append(f"'{m.group()}' names a family member: use a role only, such as 'the mother'.")
    out += [f"'{m.group().strip(' ,')}' gives a first name with an age: with a place or a school that can "
            "identify a child. Say 'a young person'." for m in NAME_AGE.finditer(text)]
    out += [f"names a school ('{n}'): with a year group or an age that can identify a child. Say 'a school'."
            for n in schools(text)]
    paras = [p for p in re.split(r"\n\s*\n|\n", text) if p.strip()]
    ctx = build_ctx([(f"text{i}", CASE + p) for i, p in enumerate(paras)])
    for f in run_checks(ctx, PRIVACY_CHECKS):
        if f.severity != "crashed" and f.message not in out:
            out.append(f.message)
    return out
