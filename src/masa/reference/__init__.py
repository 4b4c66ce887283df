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
from functools import cache
from importlib import resources

from masa.spec.models import fold


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

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.short_names)


def _split(value: str | None) -> tuple[str, ...]:
    return tuple(v.strip() for v in (value or "").split(";") if v.strip())


_LISTS = (("police", "police_forces.csv"), ("fire", "fire_services.csv"), ("icb", "icbs.csv"),
          ("nhs-trust", "nhs_trusts.csv"))


@cache
def safeguarding_partnerships() -> tuple[Organisation, ...]:
    """One partnership per upper-tier authority: the joint and specially named ones from
    safeguarding_partnerships.csv, and "<area> Safeguarding Children Partnership" for the rest."""
    listed = tuple(Organisation("partnership", r["name"], _split(r["short_names"]), _split(r["areas"]))
                   for r in read_list("safeguarding_partnerships.csv"))
    covered = {a for p in listed for a in p.areas}
    own = tuple(Organisation("partnership", f"{la.name} Safeguarding Children Partnership", (), (la.name,))
                for la in local_authorities() if la.name not in covered)
    return listed + own


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
