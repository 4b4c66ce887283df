"""A part of a return that names an area it is not marked for.

A partner covering several areas writes one return; each part says which areas it concerns
(``areas``; empty: all the partner's), and each partnership's report shows only the parts
about its own areas (:mod:`masa.returns.scope`). A part marked for Luton that says "children
in Bedford Borough" would then reach Luton's report with Bedford's text, the seed's defect.
This check tells the partner before submission: "this part mentions Bedford Borough but is
marked for Luton only". Area names and aliases come from the spec; partner names that
contain an area's name ("Bedfordshire Luton Milton Keynes ICB") are not mentions of it.
Partners covering one area cannot mark a part otherwise, so only multi-area partners'
returns are read (another area's name in a one-area return is ``text.other-area``'s).
"""

from __future__ import annotations

import re

from .registry import Ctx, check

CODE = "text.part-areas"


def _names(spec) -> dict[str, list[str]]:
    """area code -> the names it is written as, longest first."""
    out = {}
    for a in spec.areas:
        names = {a.name, *a.aliases} | ({a.short_name} if a.short_name and len(a.short_name) > 3 else set())
        out[a.code] = sorted(names, key=len, reverse=True)
    return out


def _partner_names(spec) -> list[str]:
    names = set()
    for p in spec.partners:
        names |= {p.name, p.short_name, *p.aliases}
    return sorted((n for n in names if n), key=len, reverse=True)


def _listing(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def mentions(text: str, names: dict[str, list[str]], partner_names: list[str]) -> list[tuple[str, int, int]]:
    """(area code, start, end) of each area named in ``text``, partner names blanked out first
    (so "Luton" in "Bedfordshire Luton Milton Keynes ICB" is not a mention of Luton)."""
    blank = text
    for n in partner_names:
        blank = re.sub(rf"(?<![\w-]){re.escape(n)}(?![\w-])", lambda m: " " * len(m.group(0)), blank)
    out, taken = [], []
    for code, written in names.items():
        for n in written:
            for m in re.finditer(rf"(?<![\w-]){re.escape(n)}(?![\w-])", blank):
                if any(s <= m.start() < e for s, e in taken):
                    continue  # inside a longer name already found ("Bedford" in "Bedford Borough Council")
                taken.append((m.start(), m.end()))
                out.append((code, m.start(), m.end()))
    return sorted(out, key=lambda x: x[1])


@check(CODE, "A part names an area it is not marked for", "query", "narrative",
       "A partner serving several partnerships writes one return; each part goes only to the reports of the "
       "areas it is marked for, so a part that names another area would carry that area's text into the "
       "wrong partnership's report.", modes=("dataset",))
def part_areas(ctx: Ctx, chk):
    spec = ctx.spec
    if spec is None or ctx.dataset is None:
        return
    names, partner_names = _names(spec), _partner_names(spec)
    area_name = {a.code: a.name for a in spec.areas}
    sources = {(s.return_key, s.section): s for s in ctx.sources}
    for r in ctx.dataset.returns:
        if r.period != ctx.period or r.partner not in {p.code for p in spec.partners}:
            continue
        covered = spec.partner(r.partner).areas
        if len(covered) < 2:
            continue
        key = "/".join(r.key())
        for label, _text, marked in r.area_blocks():
            src = sources.get((key, label))
            if marked is None or src is None:
                continue
            allowed = set(marked or covered)
            seen = set()
            for code, a, b in mentions(src.text, names, partner_names):
                if code in allowed or code in seen:
                    continue
                seen.add(code)
                if marked:
                    where = f"is marked for {_listing([area_name[c] for c in sorted(marked)])} only"
                else:
                    where = (f"is marked for all {r.partner}'s areas, which are "
                             f"{_listing([area_name[c] for c in covered])}")
                yield ctx.finding(chk, src, a, b, f"this part mentions {area_name[code]} but {where}: mark it "
                                  f"for {area_name[code]} too, or take the other area's text out")
