"""Which partnership a report belongs to, read from the report itself (no hidden default).

Without ``--spec``, ``masa check`` must not assume any one partnership. It reads the report's
title, headings and first pages for a safeguarding partnership's name ("North Tyneside
Safeguarding Children Partnership", "Pan-Dorset Safeguarding Children Partnership"), resolves
it through the national lists in :mod:`masa.reference`, and says at the top of its output
what it assumed and from where. Areas named beside the own one as joint partners ("a joint
partnership with Rutland") are neighbours, not copying slips.

Partnerships change over time (Pan-Dorset split into Dorset's and BCP's in 2024), and the list
dates each one, so the partnership is read as it was in the report's own period (the period
the Working Together choice also reads): a name in force then wins over one that was not
("since the dissolution of the Pan-Dorset partnership" in BCP's 2024-25 report), and joint
partners are the areas sharing the partnership at the period's end. A report stating no
period is read against the partnerships in place today, and the line says so.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date
from functools import cache

from masa.reference import local_authorities, period_dates, safeguarding_partnerships

FRONT = 6000  # characters of each file read as its first pages

_KIND = (r"(?:(?:Local\s+)?(?:Safeguarding\s+Children(?:'s|’s|s)?|Children(?:'s|’s|s)?\s+Safeguarding|Safeguarding)"
         r"\s+(?:Partnerships?|Boards?|Assurance\s+Partnership)|L?SC[BP]s?\b)")
_JOINT = re.compile(r"\bjoint(?:ly)?\b[^.]{0,80}?\b(?:partnership|arrangements?|board)\b[^.]{0,40}?"
                    r"\b(?:with|between|across|covering|for)\b(?P<rest>[^.]{0,160})"
                    r"|\b(?:two|three|four|both)\s+(?:local\s+authorit(?:y|ies)|councils|boroughs|(?:local\s+)?areas)"
                    r"(?:\s+areas)?\s*(?:of|:|,|–|-|\()\s*(?P<listed>[^.;)]{0,120})", re.IGNORECASE)


@dataclass(frozen=True)
class Assumption:
    """The partnership a check run works for, its own areas, joint neighbours, and why."""

    partnership: str = ""
    areas: tuple[str, ...] = ()
    joint: tuple[str, ...] = ()  # other areas named as joint partners: not "other areas"
    where: str = ""  # "the title", "the headings", "the first pages", "the spec (PATH)"
    from_spec: bool = False
    period: str = ""  # the report's period the partnership was read for ("2024-25"); "" = none found
    note: str = ""  # e.g. the partnership named had ended before the period

    def line(self) -> str:
        if not self.partnership and not self.areas:
            return ("Assumed: no partnership recognised in the title, headings or first pages; "
                    "other-area checks are off (give --spec to name one).")
        verb = "Using" if self.from_spec else "Assumed"
        areas = ", ".join(self.areas) or "areas not recognised"
        joint = f"; joint partners: {', '.join(self.joint)}" if self.joint else ""
        out = f"{verb}: {self.partnership or 'the partnership for ' + areas} ({areas}){joint} from {self.where}"
        if self.from_spec:
            return out
        if self.period:
            out += f"; partnerships as in {self.period}, the report's period"
        else:
            out += "; partnerships as they are now: the report states no period"
        return out + (f" ({self.note})" if self.note else "")


# Short forms that are also other places ("Richmond" in North Yorkshire, "Newcastle-under-Lyme",
# "Stoke Newington"): they show a report's own area but never make another area's finding.
AMBIGUOUS = frozenset({"Richmond", "Newcastle", "Stoke"})


def area_names() -> dict[str, str]:
    """Every way a report writes an upper-tier area -> the area's reference name."""
    return dict(_area_names())


@cache
def _area_names() -> tuple[tuple[str, str], ...]:
    out: dict[str, str] = {}
    for la in local_authorities():
        out[la.name] = la.name
        official = re.sub(r"^(?:The\s+)?(?:Royal Borough of|London Borough of|City of|Borough of)\s+", "",
                          la.official_name)
        official = re.sub(r"\s+(?:Metropolitan Borough|Metropolitan District|City|County|District)?\s*Council$", "",
                          official).strip()
        if official and official != la.name and len(official) > 3:
            out.setdefault(official, la.name)  # "Bedford Borough", "Telford & Wrekin"
    for alias, name in (("Hull", "Kingston upon Hull"), ("Durham", "County Durham"), ("Southend", "Southend-on-Sea"),
                        ("BCP", "Bournemouth, Christchurch and Poole"), ("Stoke", "Stoke-on-Trent"),
                        ("Richmond", "Richmond upon Thames"), ("Brighton & Hove", "Brighton and Hove"),
                        ("Telford & Wrekin", "Telford and Wrekin"), ("Newcastle", "Newcastle upon Tyne"),
                        ("Windsor & Maidenhead", "Windsor and Maidenhead"), ("B&NES", "Bath and North East Somerset"),
                        ("BANES", "Bath and North East Somerset"), ("Hammersmith & Fulham", "Hammersmith and Fulham"),
                        ("Barking & Dagenham", "Barking and Dagenham"), ("York", "York"), ("City of York", "York"),
                        ("Bedford Borough", "Bedford"), ("Stockton", "Stockton-on-Tees")):
        out.setdefault(alias, name)
    return tuple(sorted(out.items(), key=lambda kv: -len(kv[0])))


@cache
def _area_pattern() -> re.Pattern:
    return re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(k) for k, _ in _area_names()) + r")(?![\w-])")


def areas_in(text: str) -> list[str]:
    """Reference area names written in ``text``, in order, each once."""
    names = dict(_area_names())
    seen: list[str] = []
    for m in _area_pattern().finditer(text):
        a = names[m.group()]
        if a not in seen:
            seen.append(a)
    return seen


def _loose(name: str) -> str:
    """A regex for a partnership name as reports vary it: '&' for 'and', "Children's" for
    'Children', any spacing."""
    words = []
    for w in name.split():
        if w in ("and", "&"):
            words.append("(?:and|&)")
        elif w == "Children":
            words.append("Children(?:'s|’s|s)?")
        else:
            words.append(re.escape(w))
    return r"\s+".join(words)


@cache
def _listed_patterns() -> tuple[tuple[re.Pattern, object], ...]:
    return tuple((re.compile(r"(?<![\w-])" + _loose(n) + r"(?![\w-])"), p)
                 for p in safeguarding_partnerships() for n in p.names if len(n) > 5)


_GENERIC = re.compile(r"(?P<place>(?:[A-Z][\w'’&-]*|&|and|upon|on|of|the|with)(?:[ ,]+(?:[A-Z][\w'’&-]*|&|and|upon|on|of|the|with)){0,8})\s+"
                      + _KIND)


def _window(period: str | None, today: date | None) -> tuple[date, date]:
    """The days the partnership is read for: the report's period, else today."""
    span = period_dates(period)
    if span:
        return span
    day = today or date.today()
    return day, day


def _rank(p, window: tuple[date, date]) -> int:
    """0: in place at the period's end; 1: for part of the period; 2: not during the period."""
    first, last = window
    return 0 if p.in_force(last) else 1 if p.overlaps(first, last) else 2


def _joint_in_force(areas: tuple[str, ...], window: tuple[date, date]) -> tuple[str, ...]:
    """The other areas of the partnership the areas shared at the period's end ("Dorset" in
    2023-24: Bournemouth, Christchurch and Poole, its Pan-Dorset partner)."""
    out: list[str] = []
    for p in safeguarding_partnerships():
        if p.in_force(window[1]) and set(areas) <= set(p.areas) and len(p.areas) > len(areas):
            out += [a for a in p.areas if a not in areas and a not in out]
    return tuple(out)


def _partnership_for(text: str, window: tuple[date, date]):
    """(partnership name, its areas, joint areas from the national list, note) for the
    partnership ``text`` names: a listed name first (one in place at the period's end before
    one in place for part of it, before one not in place then; then the first written), else
    "<area> Safeguarding Children Partnership/Board" with a known area. A name that gives fewer
    areas than the joint partnership the list holds for them then ("Dorset Safeguarding
    Children Partnership" in 2023-24, part of Pan-Dorset) keeps its own areas and takes the
    others as joint partners."""
    hits = [(_rank(p, window), m.start(), i, p) for i, (rx, p) in enumerate(_listed_patterns())
            for m in [rx.search(text)] if m]
    if hits:
        rank, _, _, p = min(hits, key=lambda h: h[:3])
        note = ""
        if rank == 2 and p.listed:
            then = [q.name for q in safeguarding_partnerships()
                    if q.in_force(window[1]) and set(p.areas) & set(q.areas) and q.name != p.name]
            note = f"the list has {p.name} only {p.span}" + (f"; then: {', '.join(then)}" if then else "")
        return p.name, p.areas, _joint_in_force(p.areas, window), note
    for m in _GENERIC.finditer(text):
        areas = areas_in(m.group("place"))
        if not areas:
            continue
        name = " ".join(m.group().split())
        first = next(k for k, v in _area_names() if v == areas[0] and k in name)
        return name[name.find(first):], tuple(areas), _joint_in_force(tuple(areas), window), ""
    return None


def _title_lines(text: str) -> list[str]:
    lines = [ln.strip() for ln in text[:FRONT].splitlines() if ln.strip()]
    return lines[:3]


def infer(sources, headings: dict | None = None, period: str | None = None, today: date | None = None) -> Assumption:
    """Read the report's own partnership from its title, then headings, then first pages;
    fall back on the area its first pages name most (at least three times). The partnership is
    the one in place in ``period`` (the report's own, "2024-25"), else ``today``."""
    window = _window(period, today)
    used = period if period_dates(period) else ""
    titles = "\n".join(ln for s in sources for ln in _title_lines(s.text))
    heads = "\n".join(p.clean for s in sources for p in s.paras if p.heading)
    front = "\n".join(s.text[:FRONT] for s in sources)
    found = None
    for where, text in (("the title", titles), ("the headings", heads), ("the first pages", front)):
        found = _partnership_for(text, window)
        if found:
            break
    if found is None:
        counts = Counter(a for m in _area_pattern().finditer(titles + "\n" + heads + "\n" + front)
                         for a in [dict(_area_names())[m.group()]])
        if not counts:
            return Assumption()
        top, n = counts.most_common(1)[0]
        if n < 3:
            return Assumption()
        found = (f"the partnership for {top}", (top,), (), "")
        where = "the area the first pages name most"
    name, areas, listed_joint, note = found
    joint = [a for a in (*listed_joint, *joint_partners(front)) if a not in areas]
    return Assumption(partnership=name, areas=tuple(areas), joint=tuple(dict.fromkeys(joint)), where=where,
                      period=used, note=note)


def joint_partners(text: str) -> list[str]:
    """Areas a passage names as joint partners ("a joint partnership with Rutland")."""
    out: list[str] = []
    for m in _JOINT.finditer(text):
        out += [a for a in areas_in(m.group("rest") or m.group("listed") or "") if a not in out]
    return out


def from_spec(spec, path: str = "") -> Assumption:
    """The assumption a given spec makes: its partnership and areas, neighbours as joint."""
    mine = set(spec.partnership.areas)
    own = tuple(a.name for a in spec.areas if a.code in mine)
    return Assumption(partnership=spec.partnership.name, areas=own, where=f"the spec{f' ({path})' if path else ''}",
                      from_spec=True)


def for_ctx(ctx) -> Assumption:
    """The run's assumption, computed once per check run."""
    def make():
        if ctx.spec is not None:
            return from_spec(ctx.spec)
        from .compliance import report_period  # the period the Working Together choice reads

        return infer(ctx.sources, ctx.headings, period=report_period(ctx))
    return ctx.cached("assumption", make)
