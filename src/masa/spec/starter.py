"""A new partnership's spec from nothing: its name and areas plus the standard catalogue.

``masa init`` and the web's first-run page both call :func:`starter_spec`, so a partnership
set up either way starts the same: the chosen local authorities (with ONS codes from
masa.reference), one starter partner per statutory or relevant agency type with a generic
name the business unit edits, and the standard priorities, indicators, templates, rules
and vocabulary from ``starter_catalogue.yaml``. Nothing here imports Django.
"""

from __future__ import annotations

import re
from datetime import date
from functools import cache
from importlib import resources

import yaml

from masa.reference import LocalAuthority, closest_local_authorities, find_district, find_local_authority

from .models import Spec, fold, integrity_problems
from .periods import parse_period
from .reserved import reserved_code_problem


class StarterError(ValueError):
    """Bad input for a new partnership; ``field`` names the input at fault."""

    def __init__(self, field: str, message: str):
        self.field = field
        super().__init__(message)


def financial_year(day: date) -> str:
    """The financial year (April to March) containing a day: 2025-11-28 -> "2025-26"."""
    y = day.year if day.month >= 4 else day.year - 1
    return f"{y}-{(y + 1) % 100:02d}"


def previous_year(fy: str) -> str:
    y = int(fy[:4]) - 1
    return f"{y}-{(y + 1) % 100:02d}"


def code_for(name: str) -> str:
    """A spec code from a name: lower case, hyphens, at most 64 characters."""
    return re.sub(r"[^a-z0-9]+", "-", fold(name)).strip("-")[:64].strip("-")


def choose_areas(names: list[str]) -> list[LocalAuthority]:
    """The local authorities the names mean, in the order given; StarterError names any
    unknown one (with the closest names) or any named twice."""
    names = [n.strip() for n in names if n.strip()]
    if not names:
        raise StarterError("areas", "choose at least one local authority")
    chosen: list[LocalAuthority] = []
    for name in names:
        la = find_local_authority(name)
        district = find_district(name) if la is None else None
        if district is not None:
            raise StarterError("areas", f"{district.name} is a district of {district.county.name}, which has the "
                                        f"children's services: choose {district.county.name}")
        if la is None:
            close = closest_local_authorities(name)
            hint = f"; did you mean {', '.join(close)}?" if close else ""
            raise StarterError("areas", f"{name!r} is not a local authority with children's services in England{hint}")
        if la in chosen:
            raise StarterError("areas", f"{la.name} is chosen twice")
        chosen.append(la)
    return chosen


def split_area_names(text: str) -> list[str]:
    """Comma-separated area names, keeping names that hold a comma whole:
    "Bournemouth, Christchurch and Poole, Dorset" -> two names, not four."""
    parts = [p.strip() for p in text.split(",")]
    out, i = [], 0
    while i < len(parts):
        for j in range(len(parts), i, -1):  # the longest run of parts that names an authority
            joined = ", ".join(parts[i:j])
            if j - i == 1 or find_local_authority(joined):
                out.append(joined)
                i = j
                break
    return [n for n in out if n]


@cache
def _catalogue() -> dict:
    text = resources.files(__package__).joinpath("starter_catalogue.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


@cache
def _standard_descriptions() -> dict[str, str]:
    """What each indicator counts, from the standard definition that computes it, so the
    catalogue and the definitions cannot describe an indicator two ways."""
    from masa.indicators.definition import standard_definitions

    out: dict[str, str] = {}
    for d in standard_definitions():
        out.setdefault(d.indicator, " ".join(d.description.split()))
    return out


# (code, name, short name, type, statutory): one partner each, covering every area. Names are
# generic on purpose: the business unit replaces them with the agencies' real names.
AGENCIES = [
    ("police", "Police force", "Police", "police", True),
    ("icb", "Integrated care board", "ICB", "icb", True),
    ("acute-trust", "Acute hospital trust", "Acute trust", "nhs-trust", False),
    ("community-trust", "Community health services trust", "Community health", "nhs-trust", False),
    ("mental-health-trust", "Mental health trust", "Mental health trust", "nhs-trust", False),
    ("fire", "Fire and rescue service", "Fire and rescue", "fire-and-rescue", False),
    ("youth-justice", "Youth justice service", "Youth justice", "youth-justice", False),
    ("education", "Schools and education settings", "Education", "education", False),
]


def starter_spec(name: str, areas: list[str], year: str | None = None, code: str | None = None,
                 today: date | None = None) -> Spec:
    """A valid spec for a new partnership. ``areas`` are names from masa.reference; ``year``
    is the current financial year (default: the one containing today); the partnership's
    code defaults to its name in lower case with hyphens. StarterError names bad input."""
    name = " ".join((name or "").split())
    if not name:
        raise StarterError("name", "enter the partnership's name")
    explicit, code = bool(code), code_for(code or name)
    if not code:
        raise StarterError("name", f"{name!r} has no letters or digits to make a code from")
    clash = reserved_code_problem(code)
    if clash:
        raise StarterError("code" if explicit else "name", clash)
    chosen = choose_areas(areas)
    year = (year or "").strip() or financial_year(today or date.today())
    try:
        if parse_period(year).kind != "year":
            raise ValueError
    except ValueError:
        raise StarterError("year", f"{year!r} is not a financial year: write it like 2025-26") from None
    area_codes = [la.code for la in chosen]
    partners = [
        {"code": f"{la.code}-childrens-services" if len(chosen) > 1 else "childrens-services",
         "name": f"{la.official_name} children's services", "short_name": f"{la.name} children's services",
         "aliases": [f"{la.name} children's social care"], "type": "local-authority", "statutory": True,
         "areas": [la.code]}
        for la in chosen
    ] + [
        {"code": c, "name": n, "short_name": s, "type": t, "statutory": st, "areas": area_codes}
        for c, n, s, t, st in AGENCIES
    ]
    document = {
        "partnership": {"code": code, "name": name, "short_name": _initials(name), "areas": area_codes},
        "areas": [{"code": la.code, "name": la.name, "ons_code": la.ons_code, "aliases": [la.official_name]}
                  for la in chosen],
        "partners": partners,
        "periods": {"financial_years": [previous_year(year), year], "quarters": True, "current": year},
        **_catalogue(),
        "indicators": [{**i, "description": _standard_descriptions().get(i["code"], i.get("description", ""))}
                       for i in _catalogue()["indicators"]],
    }
    spec = Spec.model_validate(document)
    problems = integrity_problems(spec)
    if problems:  # the catalogue and the builder disagree: a bug here, not bad input
        raise AssertionError(f"starter spec is inconsistent: {problems}")
    return spec


def _initials(name: str) -> str:
    """ "Northtown Safeguarding Children Partnership" -> "NSCP"; "" when under two words."""
    words = [w for w in re.findall(r"[A-Za-z]+", name) if w[0].isupper()]
    return "".join(w[0] for w in words) if len(words) > 1 else ""
