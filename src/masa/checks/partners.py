"""One partner under two names: section headings that name the same partner differently,
within a file or across the files checked together. Names resolve through the spec's names
and aliases; without a spec, through the national lists of police forces, fire services, ICBs
and NHS trusts (:func:`masa.reference.match_organisation`), and close spellings and acronyms
are grouped."""

from __future__ import annotations

import re
from collections import defaultdict

from rapidfuzz import fuzz

from masa.reference import match_organisation
from masa.spec import fold

from .registry import Ctx, check


def _acronym(name: str) -> str:
    return "".join(w[0] for w in re.findall(r"[A-Za-z]+", name) if w[0].isupper())


def _groups(ctx: Ctx):
    groups: dict[str, list] = defaultdict(list)
    loose: list[list] = []
    for src in ctx.sources:
        for h in ctx.headings.get(src.name, []):
            if h.code:
                groups[h.code].append((src, h))
                continue
            org = match_organisation(h.name) if ctx.spec is None else None
            if org is not None:
                groups[f"national:{org.name}"].append((src, h))
                continue
            for g in loose:
                other = g[0][1].name
                if (fold(other) == fold(h.name) or fuzz.token_set_ratio(fold(other), fold(h.name)) >= 90
                        or _acronym(other) == h.name or _acronym(h.name) == other):
                    g.append((src, h))
                    break
            else:
                loose.append([(src, h)])
    return list(groups.items()) + [(None, g) for g in loose]


@check("partner.name-variants", "One partner under two names", "query", "report",
       "A reader should recognise each partner at once; one organisation under several names looks like two "
       "partners and breaks search and indexes.")
def name_variants(ctx: Ctx, chk):
    for code, items in _groups(ctx):
        firsts: dict[str, tuple] = {}
        for src, h in items:
            firsts.setdefault(fold(h.name), (src, h))
        if len(firsts) < 2:
            continue
        variants = list(firsts.values())
        _, h0 = variants[0]
        official = ""
        if code and code.startswith("national:"):
            official = f" The national list's name is '{code.removeprefix('national:')}'."
            code = None
        elif code and ctx.spec is not None:
            official = f" The spec's name is '{ctx.spec.partner(code).name}'."
        names = " / ".join(f"'{h.name}'" for _, h in variants)
        close = all(fuzz.ratio(fold(h0.name), fold(h.name)) >= 90 for _, h in variants[1:])
        src1, h1 = variants[1]
        yield ctx.finding(chk, src1, h1.name_start, h1.name_end,
                          f"the same partner is headed {names}.{official} Use one name throughout.",
                          severity="info" if close else None, partner=code or h0.name,
                          related=[s.location(h.name_start, h.name_end) for s, h in variants if h is not h1])


@check("partner.unknown", "Section heading names no partner in the spec", "query", "report",
       "A section for an organisation the partnership does not list cannot be matched to its returns.")
def unknown_partner(ctx: Ctx, chk):
    if ctx.spec is None:
        return
    for src in ctx.sources:
        for h in ctx.headings.get(src.name, []):
            if h.code is None:
                yield ctx.finding(chk, src, h.name_start, h.name_end,
                                  f"'{h.name}' is not a partner name or alias in the spec: add an alias or fix the name.",
                                  partner=h.name)
