"""Change phrases: whether a number in a sentence is a value, a change or a target, and the
two figures of "from 420 to 369". The importer stores only values; the checker recomputes
changes; both ask this module, so a "17% reduction" is never a stored figure and never a value
the checker compares."""

from __future__ import annotations

import re
from dataclasses import dataclass

CHANGE_AFTER = re.compile(r"^\s*(?:\w+\s+)?(?:increase|decrease|reduction|rise|drop|fall|decline|improvement|"
                          r"growth|higher|lower|more|fewer|less|up|down|year-on-year)\b", re.IGNORECASE)
CHANGE_BEFORE = re.compile(r"\b(?:up|down|(?:increas|decreas|rose|risen|fell|fallen|grew|grown|dropp|reduc|improv)"
                           r"\w*\s+by|increase of|rise of|reduction of|decrease of|drop of|fall of)\s*$", re.IGNORECASE)
TARGET_AFTER = re.compile(r"^\s*(?:\w+\s+)?target\b", re.IGNORECASE)
TARGET_BEFORE = re.compile(r"\btarget(?:\s+of)?\s*$", re.IGNORECASE)
FROM_TO = re.compile(r"\bfrom\s+(£?\d[\d,.]*\s?%?)\s+(?:to|→)\s+(£?\d[\d,.]*\s?%?)"
                     r"(?:\s+(?:between|from)\s+(.{4,30}?)\s+(?:and|to)\s+(.{4,30}?)(?=[\s.,;)]|$))?", re.IGNORECASE)


def role(text: str, start: int, end: int) -> str:
    """'value', 'change' ("a 17% reduction", "up by 40") or 'target' ("the 90% target") for the
    number written at text[start:end]."""
    before, after = text[:start], text[end:]
    if TARGET_AFTER.match(after) or TARGET_BEFORE.search(before):
        return "target"
    if CHANGE_AFTER.match(after) or CHANGE_BEFORE.search(before):
        return "change"
    return "value"


@dataclass(frozen=True)
class FromTo:
    """'from A to B [between P1 and P2]': A's and B's offsets, and the period words if given."""

    old_start: int
    new_start: int
    old_period: str | None
    new_period: str | None


def from_to(text: str) -> list[FromTo]:
    return [FromTo(m.start(1), m.start(2), m.group(3), m.group(4)) for m in FROM_TO.finditer(text)]
