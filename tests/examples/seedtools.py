"""Seed-text helpers for the example tests: partner sections, 12-word runs, whitespace."""

from __future__ import annotations

import re

HEADING_SUFFIX = re.compile(r"\s*[-–:]?\s*achievements and impact\s*$", re.IGNORECASE)


def words(text: str) -> list[str]:
    """Lower-case word tokens; punctuation and dashes split words, as a copy detector would."""
    return re.findall(r"[a-z0-9%£']+", text.lower().replace("’", "'"))


def runs(text: str, n: int = 12) -> set[tuple[str, ...]]:
    w = words(text)
    return {tuple(w[i : i + n]) for i in range(len(w) - n + 1)}


def squash(text: str) -> str:
    """Collapse whitespace so a phrase wrapped across YAML lines still matches."""
    return re.sub(r"\s+", " ", text).strip()


def sections_by_partner(text: str, spec) -> dict[str, str]:
    """Split a seed appendix into each partner's text, using the partner headings.

    A heading is a short line whose name (minus "achievements and impact") resolves to a
    partner through the spec's names and aliases."""
    out: dict[str, list[str]] = {}
    current = None
    for line in text.splitlines():
        head = HEADING_SUFFIX.sub("", line.strip())
        code = spec.resolve_partner(head) if head and len(head) < 90 else None
        if code:
            current = code
            continue
        if current:
            out.setdefault(current, []).append(line)
    return {k: "\n".join(v) for k, v in out.items()}
