"""National reference lists shipped with masa: plain data files and a small reader.

Each list is a CSV beside this module (its source and date in README.md). Only England's
local authorities with children's services responsibility (and the district councils
inside the counties) are here so far; other lists
(police forces, fire services, NHS trusts) sit beside them as more CSV files read by
:func:`read_list`. Nothing here imports Django.
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
