"""National reference lists shipped with masa: plain data files and a small reader.

Each list is a CSV beside this module (its source and date in README.md): England's local
authorities with children's services responsibility (and the district councils inside the
counties), police forces, fire and rescue services, integrated care boards, NHS trusts and
the safeguarding children partnerships. ``masa check`` uses them to tell which partnership a
report belongs to without a spec, and which capitalised names are organisations rather than
people. Nothing here imports Django.
"""

from __future__ import annotations

import csv
import difflib
import re
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources

from masa.spec.models import fold

from .partnerships import ReferenceDataError, gaps, parse_rows, period_dates, span_text

__all__ = ["ReferenceDataError", "period_dates", "span_text"]


@cache
def read_list(filename: str) -> tuple[dict[str, str], ...]:
    """The rows of one shipped CSV list, as dicts keyed by its header."""
    text = resources.files(__package__).joinpath(filename).read_text(encoding="utf-8")
    return tuple(csv.DictReader(line for line in text.splitlines() if not line.startswith("#")))


@dataclass(frozen=True)
class LocalAuthority:
    """An upper-tier local authority: the one with children's services for its area."""

    ons_code: str  # GSS code: E06 unitary, E08 metropolitan district, E09 London borough, E10 county
    name: str  # the short name partnerships use: "Kingston upon Hull"
    official_name: str  # "Hull City Council"
    kind: str  # unitary, metropolitan-district, london-borough, county

    @property
    def code(self) -> str:
        """A spec code for the area: the name in lower case with hyphens."""
        return re.sub(r"[^a-z0-9]+", "-", fold(self.name)).strip("-")


@cache
def local_authorities() -> tuple[LocalAuthority, ...]:
    """England's 153 local authorities with children's services responsibility."""
    return tuple(LocalAuthority(**row) for row in read_list("local_authorities.csv"))


@cache
def _index() -> dict[str, LocalAuthority]:
    out: dict[str, LocalAuthority] = {}
    for la in local_authorities():
        for key in (la.name, la.official_name, la.ons_code, la.code):
            out.setdefault(fold(key), la)
    return out


def find_local_authority(text: str) -> LocalAuthority | None:
    """The local authority a name, official name, code or ONS code means; None if none."""
    return _index().get(fold(text))


@dataclass(frozen=True)
class District:
    """A lower-tier district council (E07): no children's services; its county has them."""

    ons_code: str
    name: str
    county_ons_code: str

    @property
    def county(self) -> LocalAuthority:
        return find_local_authority(self.county_ons_code)


@cache
def districts() -> tuple[District, ...]:
    """England's 164 district councils in two-tier areas, each with its county."""
    return tuple(District(**row) for row in read_list("districts.csv"))


def find_district(text: str) -> District | None:
    """The district a name or ONS code means; None if none."""
    wanted = fold(text)
    return next((d for d in districts() if wanted in (fold(d.name), fold(d.ons_code))), None)


def closest_local_authorities(text: str, n: int = 3) -> list[str]:
    """The names nearest to a mistyped one, best first (for "did you mean" messages)."""
    names = {fold(la.name): la.name for la in local_authorities()}
    wanted = fold(text)
    close = [k for k in names if wanted and wanted in k]  # a fragment: "Hull", "Tyne"
    close += [k for k in difflib.get_close_matches(wanted, list(names), n=n, cutoff=0.6) if k not in close]
    return [names[k] for k in close[:n]]


@dataclass(frozen=True)
class Organisation:
    """A national organisation a report may name: police force, fire service, ICB, NHS trust or
    safeguarding children partnership, with the short forms reports use ("ELFT", "BLMK ICB")."""

    kind: str  # police | fire | icb | nhs-trust | partnership
    name: str
    short_names: tuple[str, ...] = ()
    areas: tuple[str, ...] = ()  # local authority names it covers, where the list says
    start: date | None = None  # partnerships: the first day it covered these areas (None: as far back as known)
    until: date | None = None  # partnerships: the last day (None: still in place)
    listed: bool = True  # False: a partnership masa supposes ("<area> Safeguarding Children Partnership")

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.short_names)

    def in_force(self, on: date) -> bool:
        """Whether it covered its areas on that day."""
        return (self.start is None or self.start <= on) and (self.until is None or on <= self.until)

    def overlaps(self, first: date, last: date) -> bool:
        """Whether it covered its areas on any day from ``first`` to ``last``."""
        return (self.start is None or self.start <= last) and (self.until is None or first <= self.until)

    @property
    def span(self) -> str:
        """'from 1 August 2024', 'until 31 March 2025', ... ('' when undated)."""
        return "" if self.start is None and self.until is None else span_text(self.start, self.until)


def _split(value: str | None) -> tuple[str, ...]:
    return tuple(v.strip() for v in (value or "").split(";") if v.strip())


_LISTS = (("police", "police_forces.csv"), ("fire", "fire_services.csv"), ("icb", "icbs.csv"),
          ("nhs-trust", "nhs_trusts.csv"))


def partnerships_from(text: str, filename: str = "safeguarding_partnerships.csv") -> tuple[Organisation, ...]:
    """The partnerships a partnerships CSV gives, dated, then "<area> Safeguarding Children
    Partnership" for each authority over every span no row covers it: so every area is in
    exactly one partnership on any day. A wrong row raises ReferenceDataError naming the file,
    line and column."""
    rows = parse_rows(text, filename, areas=[la.name for la in local_authorities()])
    listed = tuple(Organisation("partnership", r.name, r.short_names, r.areas, r.start, r.until) for _, r in rows)
    own = []
    for la in local_authorities():
        spans = [(p.start, p.until) for p in listed if la.name in p.areas]
        own += [Organisation("partnership", f"{la.name} Safeguarding Children Partnership", (), (la.name,),
                             start, until, listed=False) for start, until in gaps(spans)]
    return listed + tuple(own)


@cache
def safeguarding_partnerships() -> tuple[Organisation, ...]:
    """Every partnership England's areas have had, as far as safeguarding_partnerships.csv
    knows: its dated rows (joint and specially named partnerships), then each authority's own
    "<area> Safeguarding Children Partnership" for the spans no row covers."""
    text = resources.files(__package__).joinpath("safeguarding_partnerships.csv").read_text(encoding="utf-8")
    return partnerships_from(text)


def partnerships_on(on: date) -> tuple[Organisation, ...]:
    """The partnerships in place on one day: each area in exactly one."""
    return tuple(p for p in safeguarding_partnerships() if p.in_force(on))


def partnership_for_area(area: str, on: date) -> Organisation | None:
    """The partnership an area (reference name) was in on a day."""
    return next((p for p in partnerships_on(on) if area in p.areas), None)


@cache
def organisations() -> tuple[Organisation, ...]:
    """Every listed organisation: police, fire, ICBs, NHS trusts, then the partnerships."""
    out = [Organisation(kind, r["name"], _split(r.get("short_names")), _split(r.get("areas")))
           for kind, filename in _LISTS for r in read_list(filename)]
    return tuple(out) + safeguarding_partnerships()


def _org_key(text: str) -> str:
    return re.sub(r"^(?:the|nhs)\s+", "", fold(text).replace("&", "and")).strip()


@cache
def _org_index() -> dict[str, Organisation]:
    out: dict[str, Organisation] = {}
    for org in organisations():
        for n in org.names:
            out.setdefault(_org_key(n), org)
    return out


def find_organisation(text: str) -> Organisation | None:
    """The organisation a full name or short form means ("ELFT", "NHS BLMK ICB"); None if none.
    Short forms shared by several services (three fire services are "NFRS") give the first listed."""
    return _org_index().get(_org_key(text))


@cache
def first_names() -> frozenset[str]:
    """Common first names in England (for telling a person's name from other capitalised words)."""
    text = resources.files(__package__).joinpath("first_names.txt").read_text(encoding="utf-8")
    return frozenset(w for line in text.splitlines() if not line.startswith("#") for w in line.split())


_GENERIC = frozenset(("nhs", "the", "and", "of", "for", "integrated", "care", "board", "icb", "trust", "foundation",
                      "university", "teaching", "hospital", "hospitals", "service", "services", "fire", "rescue",
                      "police", "constabulary", "force", "partnership", "community", "healthcare", "health", "ft",
                      "safeguarding", "children", "childrens", "brigade", "county", "council"))
_KIND_WORDS = (("icb", ("integrated care board", "icb")), ("police", ("police", "constabulary")),
               ("fire", ("fire", "rescue")), ("nhs-trust", ("trust", "hospital", "hospitals")),
               ("partnership", ("safeguarding",)))


def _distinct(name: str) -> frozenset[str]:
    return frozenset(w for w in fold(name).split() if w not in _GENERIC)


def _kinds(name: str) -> set[str]:
    f = f" {fold(name)} "
    return {kind for kind, words in _KIND_WORDS if any(f" {w} " in f for w in words)}


@cache
def _distinct_index() -> tuple[tuple[Organisation, frozenset[str]], ...]:
    return tuple((org, _distinct(n)) for org in organisations() for n in (org.name,) if _distinct(n))


def match_organisation(name: str) -> Organisation | None:
    """The listed organisation a heading or body name most likely means, tolerating the ways
    reports shorten names ("Bedfordshire Luton Integrated Care Board", "Bedfordshire Hospitals
    Foundation Trust"): an exact name or short form first; else the one organisation of the
    same kind whose distinctive words include all of the name's and at least half of its own."""
    exact = find_organisation(name)
    if exact is not None:
        return exact
    words = _distinct(name)
    if not words:
        return None
    kinds = _kinds(name)
    best: list[tuple[float, Organisation]] = []
    for org, own in _distinct_index():
        if kinds and org.kind not in kinds:
            continue
        if words <= own and len(words) / len(own) >= 0.5:
            best.append((len(words) / len(own), org))
    best.sort(key=lambda t: -t[0])
    if not best or (len(best) > 1 and best[0][0] == best[1][0] and best[0][1] != best[1][1]):
        return None
    return best[0][1]
