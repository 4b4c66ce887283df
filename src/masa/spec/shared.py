"""Entities shared by the partnerships of one database must agree on what identifies them.

Areas, partners, periods, indicators and templates are rows keyed by code across the
database, so a police force serving three partnerships is one partner with one return per
period. Each partnership's spec names it; if two specs disagree on what the row *is* (a
partner's name or type, an area's name or ONS code, an indicator's unit or how it adds up),
one of them is wrong, and loading it would silently change the other partnership's data.
Two partnerships must not cover the same area either (see :func:`disagreements`).
:func:`disagreements` names each such field with both values; the store refuses the load.
"""

from __future__ import annotations

from .models import Spec

# kind -> (the spec's list attribute, the fields that identify an entity of that kind)
IDENTIFYING = {
    "area": ("areas", ("name", "ons_code")),
    # a partner's areas too: with its areas said differently, each partnership could take the
    # partner's whole-partner figures for its own and publish them beside its area figures
    "partner": ("partners", ("name", "type", "areas")),
    "indicator": ("indicators", ("unit", "year_from_quarters")),
    "period": ("period_list", ("kind", "start", "end")),
}
LABELS = {"year_from_quarters": "aggregation"}


def disagreements(spec: Spec, others: dict[str, Spec]) -> list[tuple[str, str]]:
    """(where, message) for every identifying field of an entity ``spec`` shares with another
    partnership's spec (``others``: partnership code -> its newest spec) but states differently."""
    out = []
    mine = spec.partnership.code
    for other_code, other in sorted(others.items()):
        if other_code == mine:
            continue
        for kind, (attr, fields) in IDENTIFYING.items():
            theirs = {e.code: e for e in getattr(other, attr)}
            for i, e in enumerate(getattr(spec, attr)):
                t = theirs.get(e.code)
                if t is None:
                    continue
                for f in fields:
                    a, b = getattr(e, f), getattr(t, f)
                    if isinstance(a, list):
                        a, b = sorted(a), sorted(b)
                    if kind == "area" and f == "ons_code" and (a is None or b is None):
                        continue  # one spec leaves it out: nothing to disagree with
                    if a != b:
                        label = LABELS.get(f, f)
                        article = "an" if kind[0] in "aeiou" else "a"
                        message = (f"{kind} {e.code!r} has {label} {str(a)!r} here but {str(b)!r} in partnership "
                                   f"{other_code!r}; {article} {kind} shared by partnerships must have the same "
                                   f"{label} in each (or use another code)")
                        out.append((f"spec {attr}[{i}] {e.code}", message))
        for area in sorted(set(spec.partnership.areas) & set(other.partnership.areas)):
            # Each local authority area has one safeguarding partnership. Two publishing the
            # same area's figures could each suppress a different cell of it, and a reader
            # comparing the two publications could work the hidden counts out.
            out.append((f"spec partnership.areas {area}",
                        f"area {area!r} is already covered by partnership {other_code!r}; an area belongs to one "
                        "partnership in a database, so that no figure is published by two partnerships"))
    return out
