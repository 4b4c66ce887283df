"""Another area's name written as if it were this report's area ("children in Bedford Borough"
in Luton's report). Naming neighbours in a list ("across Luton, Bedford Borough and Central
Bedfordshire") or in passing ("a Bedford family") is fine and is not reported.

Which areas are the report's own comes from the spec when one is given, otherwise from the
report itself (:mod:`masa.checks.assumption`): never from a default partnership. Areas the
report names as joint partners count as its own."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from .assumption import AMBIGUOUS, area_names, for_ctx
from .registry import Ctx, check

DATA = Path(__file__).with_name("data") / "english_local_authorities.txt"
_HOME_CONTEXT = (
    (r"\b(?:children|young people|families|residents|pupils|schools|communities|people|babies)\s+"
    r"(?:living\s+|who live\s+)?(?:in|across|of|throughout)\s+(?:the\s+)?{name}\b"),
    r"\b(?:our|this)\s+(?:area|borough|town|city|county|local authority|partnership)\s*,?\s+(?:of\s+)?{name}\b",
    r"\bhere in {name}\b",
    r"\b{name}(?:\s+Borough)?(?:'s)?\s+Safeguarding\s+(?:Children\s+)?(?:Partnership|Board)\b",
)


_LONGER_PLACE = re.compile(r"(?:[ -]+(?:upon|under|on|in|le)-?)?[ -]+(?!(?:Council|Borough|County|City|District)\b)[A-Z][a-z]")


@lru_cache(maxsize=1)
def english_authorities() -> tuple[str, ...]:
    return tuple(line.strip() for line in DATA.read_text(encoding="utf-8").splitlines()
                 if line.strip() and not line.startswith("#"))


def _names(ctx: Ctx) -> tuple[list[str], list[str]]:
    """(own area names, other area names), longest first."""
    own: set[str] = set()
    other: set[str] = set()
    if ctx.spec is not None:
        mine = set(ctx.spec.partnership.areas)
        for a in ctx.spec.areas:
            names = {a.name, *a.aliases} | ({a.short_name} if a.short_name and len(a.short_name) > 3 else set())
            (own if a.code in mine else other).update(names)
    else:
        assumed = for_ctx(ctx)
        mine = set(assumed.areas) | set(assumed.joint)
        for written, name in area_names().items():
            if name in mine:
                own.add(written)
            elif written not in AMBIGUOUS:
                other.add(written)
    for n in english_authorities():
        if not any(n == o or n.startswith(o + " ") or o.startswith(n + " ") for o in own):
            other.add(n)
    other -= own
    return sorted(own, key=len, reverse=True), sorted(other, key=len, reverse=True)


@check("text.other-area", "Another area's name as if it were this report's area", "query", "narrative",
       "Sections copied from a neighbouring partnership's report keep its area name; readers then cannot tell "
       "which children the work covers.")
def other_area(ctx: Ctx, chk):
    own, other = _names(ctx)
    if not own and ctx.spec is None:
        return
    any_area = "|".join(re.escape(n) for n in own + other)
    pattern = re.compile("|".join(p.format(name=f"(?P<n{i}>" + "|".join(re.escape(n) for n in other) + ")")
                                  for i, p in enumerate(_HOME_CONTEXT)))
    listed = re.compile(rf"^\s*(?:,|and|&|or|/)\s*(?:the\s+)?(?:{any_area})\b") if any_area else None
    listed_before = re.compile(rf"\b(?:{any_area})\s*(?:,|and|&|or|/)\s*$") if any_area else None
    own_rx = re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(n) for n in own) + r")(?![\w-])") if own else None
    for src in ctx.sources:
        own_spans = [(m.start(), m.end()) for m in own_rx.finditer(src.clean)] if own_rx else []
        for m in pattern.finditer(src.clean):
            g = next(k for k, v in m.groupdict().items() if v)
            a, b = m.start(g), m.end(g)
            if any(s <= a and b <= e for s, e in own_spans):
                continue  # "Lincolnshire" inside the report's own "North East Lincolnshire"
            if _LONGER_PLACE.match(src.clean, b):
                continue  # "Sutton Coldfield", "Stoke Newington": another place that starts with an area's name
            if listed and (listed.match(src.clean[b:b + 80]) or listed_before.search(src.clean[max(0, a - 80):a])):
                continue
            name = m.group(g)
            yield ctx.finding(chk, src, a, b,
                              f"'{name}' is written as if it were this report's area"
                              f"{' (' + ', '.join(own[:2]) + ')' if own else ''}: was this copied from another "
                              f"partnership's report?")
