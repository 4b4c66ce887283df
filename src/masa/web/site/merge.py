"""Three-way merge of a stale save at the level of parts (a section, a list, a figure cell).

The form carries a short hash of each part as it was shown (``base_parts``). When someone
else saved in between, parts only one side changed are combined; a part both sides changed
differently is a conflict, shown to the user. Nothing is ever overwritten silently.
"""

from __future__ import annotations

import hashlib
import json

from masa.returns import Return

from .returnform import by_key, fmt
from .versions import normalise

LISTS = ("highlights", "audits", "challenges", "next_year", "case_studies", "carried_actions", "priority_reviews")


def _norm(obj):
    """What the form cannot preserve (surrounding whitespace, line endings) is not a change."""
    if isinstance(obj, str):
        return normalise(obj)
    if isinstance(obj, list):
        return [_norm(x) for x in obj]
    if isinstance(obj, dict):
        return {k: _norm(v) for k, v in obj.items()}
    return obj


def _h(obj) -> str:
    return hashlib.sha256(json.dumps(_norm(obj), sort_keys=True, default=str).encode()).hexdigest()[:16]


def parts(ret: Return) -> dict[str, object]:
    """Each mergeable part's content (JSON-able)."""
    out: dict[str, object] = {}
    for s in ret.sections:
        out.setdefault(f"section:{s.section}", []).append(s.model_dump(mode="json"))
    for name in LISTS:
        out[name] = [x.model_dump(mode="json") for x in getattr(ret, name)]
    out["voice"] = ret.voice
    for v in ret.values:
        if (v.period or ret.period) == ret.period:
            out[f"fig|{v.indicator}|{by_key(v.by)}"] = [fmt(v.value), v.note]
    return out


def part_hashes(ret: Return) -> str:
    return json.dumps({k: _h(v) for k, v in parts(ret).items()}, separators=(",", ":"), sort_keys=True)


def read_base(text: str) -> dict[str, str] | None:
    try:
        base = json.loads(text or "")
    except ValueError:
        return None
    return base if isinstance(base, dict) and all(isinstance(v, str) for v in base.values()) else None


def merge(current: Return, mine: Return, base: dict[str, str]) -> tuple[Return | None, list[str]]:
    """(merged return, []) or (None, the parts both sides changed differently)."""
    cur, new = parts(current), parts(mine)
    take_mine, clashes = set(), []
    for key in set(cur) | set(new):
        b = base.get(key)  # None: the part did not exist when the form was shown
        hc, hm = (_h(cur[key]) if key in cur else None), (_h(new[key]) if key in new else None)
        mine_changed, theirs_changed = hm != b, hc != b
        if mine_changed and theirs_changed and hm != hc:
            clashes.append(key)
        elif mine_changed:
            take_mine.add(key)
    if clashes:
        return None, sorted(clashes)
    sections = []
    codes = list(dict.fromkeys([s.section for s in current.sections] + [s.section for s in mine.sections]))
    for code in codes:
        src = mine if f"section:{code}" in take_mine else current
        sections += [s for s in src.sections if s.section == code]
    update: dict = {"sections": sections}
    for name in LISTS:
        update[name] = getattr(mine if name in take_mine else current, name)
    update["voice"] = mine.voice if "voice" in take_mine else current.voice
    values = [v for v in current.values if (v.period or current.period) != current.period]
    cur_vals = {f"fig|{v.indicator}|{by_key(v.by)}": v for v in current.values
                if (v.period or current.period) == current.period}
    my_vals = {f"fig|{v.indicator}|{by_key(v.by)}": v for v in mine.values if (v.period or mine.period) == mine.period}
    for key in list(dict.fromkeys([*cur_vals, *my_vals])):
        chosen = my_vals.get(key) if key in take_mine else cur_vals.get(key)
        if chosen is not None:
            values.append(chosen)
    update["values"] = values
    return current.model_copy(update=update), []
