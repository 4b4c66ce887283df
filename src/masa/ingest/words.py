"""Word matching against the spec: light stemming, stopwords, and guessing breakdown
options and areas from text. Shared by table and prose figure recognition."""

from __future__ import annotations

import re
from functools import lru_cache

from masa.spec import Spec, fold

STOP = frozenset(["the", "of", "to", "and", "in", "a", "an", "for", "at", "by", "on", "with", "from", "or", "as", "is", "are", "was", "were", "be", "been", "its", "their", "our", "this", "that", "within", "per", "than", "into"])
# An indicator reserved for one partner is what that partner reports: when the partner matches,
# it outranks general indicators whose words fit as well.
PARTNER_BONUS = 1.0
_SUFFIXES = ("ances", "ance", "ees", "ings", "ing", "ed", "s")


def stem(word: str) -> str:
    for suf in _SUFFIXES:
        if word.endswith(suf) and len(word) - len(suf) >= 4:
            return word[: -len(suf)]
    return word


_LEVEL = re.compile(r"\blevel (\d+)\b")


def tokens(text: str) -> list[str]:
    """Folded, stemmed words of at least two characters (digits kept). "Level 3" is one token,
    so a stray digit of a figure ("2,763") never matches a training level."""
    return [stem(w) for w in _LEVEL.sub(r"level\1", fold(text)).split() if len(w) > 1 or w.isdigit()]


def content(text: str) -> frozenset[str]:
    return frozenset(t for t in tokens(text) if t not in STOP)


@lru_cache(maxsize=4096)
def _option_words(name: str) -> frozenset[str]:
    return content(name)


def option_names(spec: Spec, breakdown: str) -> list[tuple[str, list[str]]]:
    """[(option code, [name, aliases...])] for a breakdown, areas included."""
    b = spec.breakdown(breakdown)
    if b.from_areas:  # areas are options too, under their names and aliases
        return [(a.code, [a.name, *([a.short_name] if a.short_name else []), *a.aliases]) for a in spec.areas]
    return [(o.code, [o.name, *o.aliases, o.code.replace("-", " ")]) for o in b.options]


def best_option(spec: Spec, breakdown: str, words: frozenset[str], minimum: float = 0.6) -> str | None:
    """The option whose name is best covered by ``words``; None when none or a tie."""
    scored: list[tuple[float, int, str]] = []
    for code, names in option_names(spec, breakdown):
        best = (0.0, 0)
        for n in names:
            ow = _option_words(n)
            if ow:
                best = max(best, (len(ow & words) / len(ow), len(ow & words)))
        if best[0] >= minimum:
            scored.append((best[0], best[1], code))
    if not scored:
        return None
    scored.sort(reverse=True)
    if len(scored) > 1 and scored[0][:2] == scored[1][:2]:
        return None
    return scored[0][2]


def only_option(spec: Spec, breakdown: str, words: frozenset[str]) -> str | None:
    """The option a whole sentence names, only when unambiguous: one option fully named, or one
    whose words contain every other fully named option's ("Level 3 adults and children")."""
    full: list[tuple[str, frozenset[str]]] = []
    for code, names in option_names(spec, breakdown):
        for n in names:
            ow = _option_words(n)
            if ow and ow <= words:
                full.append((code, ow))
                break
    for code, ow in full:
        if all(other <= ow for _, other in full):
            return code
    return None


def areas_named(spec: Spec, text: str) -> list[str]:
    """Area codes whose name, short name or alias appears as whole words in text."""
    f = f" {fold(text)} "
    out = []
    for a in spec.areas:
        names = [a.name, *([a.short_name] if a.short_name else []), *a.aliases]
        if any(fold(n) and f" {fold(n)} " in f for n in names):
            out.append(a.code)
    return out


def cell_options(spec: Spec, breakdowns: list[str], text: str) -> list[tuple[str, str]]:
    """(breakdown, option) pairs named by a table header or row label, longest name first:
    'Female child' → [sex/female, age-group/child]."""
    f = f" {fold(re.sub(r'[(].*?[)]', ' ', text))} "
    full = f" {fold(text)} "
    hits = []
    for b in breakdowns:
        for code, names in option_names(spec, b):
            for n in names:
                fn = fold(n)
                if fn and (f" {fn} " in f or f" {fn} " in full):
                    hits.append((len(fn), b, code))
    hits.sort(reverse=True)
    out: list[tuple[str, str]] = []
    for _, b, code in hits:
        if (b, code) not in out and all(b != d for d, _ in out):
            out.append((b, code))
    return out
