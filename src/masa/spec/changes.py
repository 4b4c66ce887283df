"""Entity-level differences between two versions of a partnership spec, and undoing them.

Each stored spec version records, against the one before it, what was added, changed or
retired (an area, a partner, an indicator...), with the financial year the change applies
from. A year's spec is the newest spec with every change that applies from a later year
undone (:func:`revert`), so an earlier year's report keeps its own definitions. Plain
Python on JSON documents (``Spec.model_dump(mode="json")``): no Django here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# kind -> the spec document's list of entities with a ``code``
LISTS = {
    "area": "areas", "partner": "partners", "priority": "priorities", "breakdown": "breakdowns",
    "indicator": "indicators", "template": "templates", "rule": "rules",
}
# kind -> a single part of the document, recorded whole
SINGLES = {"partnership": "partnership", "periods": "periods", "vocabulary": "vocabulary"}
KINDS = tuple(LISTS) + tuple(SINGLES)
ADDED, CHANGED, RETIRED = "added", "changed", "retired"


@dataclass(frozen=True)
class Change:
    kind: str  # one of KINDS
    code: str  # the entity's code; for a single part, its name (the partnership's code)
    change: str  # added | changed | retired
    before: Any  # the entity's JSON before (None when added)
    after: Any  # the entity's JSON after (None when removed)

    @property
    def summary(self) -> str:
        return f"{self.kind} {self.code} {self.change}"


def diff(old: dict | None, new: dict) -> list[Change]:
    """What changed from ``old`` to ``new`` (spec documents), entity by entity, in a stable order.

    An entity that disappears, or an indicator that gains ``retired_from``, is ``retired``.
    With no ``old`` (a partnership's first version) everything is ``added``."""
    old = old or {}
    out: list[Change] = []
    for kind, key in SINGLES.items():
        code = new["partnership"]["code"] if kind == "partnership" else kind
        before, after = old.get(key), new.get(key)
        if before is None and after is not None:
            out.append(Change(kind, code, ADDED, None, after))
        elif before != after:
            out.append(Change(kind, code, CHANGED, before, after))
    for kind, key in LISTS.items():
        before = {e["code"]: e for e in old.get(key) or []}
        after = {e["code"]: e for e in new.get(key) or []}
        for code, entity in after.items():
            if code not in before:
                out.append(Change(kind, code, ADDED, None, entity))
            elif before[code] != entity:
                retiring = entity.get("retired_from") and not before[code].get("retired_from")
                out.append(Change(kind, code, RETIRED if retiring else CHANGED, before[code], entity))
        for code, entity in before.items():
            if code not in after:
                out.append(Change(kind, code, RETIRED, entity, None))
    return out


def revert(doc: dict, changes: list[Change]) -> dict:
    """``doc`` with ``changes`` undone, newest first (pass them in the order they were made).

    Returns a new document; ``doc`` is not modified."""
    out = {k: (list(v) if isinstance(v, list) else v) for k, v in doc.items()}
    for ch in reversed(changes):
        if ch.kind in SINGLES:
            if ch.before is not None:  # a document always has its single parts
                out[SINGLES[ch.kind]] = ch.before
            continue
        key = LISTS[ch.kind]
        items = [e for e in out.get(key) or [] if e["code"] != ch.code]
        if ch.before is not None:
            at = next((i for i, e in enumerate(out.get(key) or []) if e["code"] == ch.code), len(items))
            items.insert(at, ch.before)
        out[key] = items
    return out


@dataclass(frozen=True)
class Kept:
    """A part of the spec the database keeps over the file on ``masa load``, and why."""

    kind: str
    code: str
    why: str  # "changed in the database since the last load" | "changed in both ..."

    @property
    def line(self) -> str:
        return f"{self.kind} {self.code}: {self.why}; the file's version was not applied"


def merge(base: dict | None, file: dict, db: dict | None) -> tuple[dict, list[Kept]]:
    """The spec ``masa load`` stores: the file's changes since the last load (``base``) applied
    to the database's spec, entity by entity, never undoing work done in the database.

    For each entity (and each single part: partnership, periods, vocabulary):
    - the same in file and database: nothing to do;
    - unchanged in the database since the last load: the file's version (added, changed, or
      gone, which ``store_spec`` records as retired);
    - changed in the database and not in the file: the database's, silently (nothing lost);
    - changed in both, differently: the database's, listed in the ``Kept`` lines.
    With no ``base`` (the database's spec never came from a file) every difference is kept.
    Plain dictionaries in, a new document out; the caller validates the result."""
    if db is None:
        return file, []
    base = base or {}
    out = {k: (list(v) if isinstance(v, list) else v) for k, v in db.items()}
    kept: list[Kept] = []

    def choose(kind: str, code: str, b, f, d):
        """(take the file's?, Kept or None)"""
        if f == d:
            return False, None
        if d == b:
            return True, None
        if f == b:
            return False, None
        why = ("changed in the database since the last load, and differently in the file" if base
               else "differs from the file, and the database's spec did not come from a file")
        return False, Kept(kind, code, why)

    for kind, key in SINGLES.items():
        take, k = choose(kind, kind, base.get(key), file.get(key), db.get(key))
        if take:
            out[key] = file.get(key)
        if k:
            kept.append(k)
    for kind, key in LISTS.items():
        b = {e["code"]: e for e in base.get(key) or []}
        f = {e["code"]: e for e in file.get(key) or []}
        d = {e["code"]: e for e in db.get(key) or []}
        items = list(db.get(key) or [])
        for code in list(dict.fromkeys([*d, *f])):
            take, k = choose(kind, code, b.get(code), f.get(code), d.get(code))
            if k:
                kept.append(k)
            if not take:
                continue
            at = next((i for i, e in enumerate(items) if e["code"] == code), None)
            if f.get(code) is None:
                items.pop(at)
            elif at is None:
                items.append(f[code])
            else:
                items[at] = f[code]
        if key in db or key in file:
            out[key] = items
    return out, kept
