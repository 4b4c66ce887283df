"""Flesch–Kincaid grade of plain text, and its longest sentences.

Written here rather than taken from ``textstat``: textstat's current releases download a
pronouncing dictionary (nltk's cmudict) from the network on first use, and its older ones
import ``pkg_resources``, which newer setuptools no longer ship. The formula is the published
one, counted as textstat 0.7.3 counts (checked against it): punctuation and hyphens are
removed before words are split, a sentence of two words or fewer is not counted, and a word
has the hyphenation points ``pyphen`` (already installed for WeasyPrint) finds in it, plus one.

A line on its own ending in ":" is a lead-in or heading, not a sentence, and is not scored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

TARGET_GRADE = 7.0  # a reading age of about 11–12

_SENTENCE = re.compile(r"(?<=[.!?])[\"”’)]?\s+|\n+")
_PUNCT = re.compile(r"[^\w\s']")
_BULLET = re.compile(r"^\s*[-*•]\s+")


@lru_cache(maxsize=1)
def _hyphenator():
    from pyphen import Pyphen

    return Pyphen(lang="en_US")


@lru_cache(maxsize=4096)
def syllables(word: str) -> int:
    return len(_hyphenator().positions(word.lower())) + 1


def sentences(text: str) -> list[str]:
    """Sentences of ``text``: split at . ! ? and at line ends; bullets and lead-ins handled."""
    out = []
    for s in _SENTENCE.split(text):
        s = _BULLET.sub("", s).strip()
        if s and not s.endswith(":") and len(words(s)) > 2:
            out.append(s)
    return out


def words(sentence: str) -> list[str]:
    return _PUNCT.sub("", sentence.replace("’", "'")).split()


def grade_of(parts: list[str]) -> float:
    ws = [w for s in parts for w in words(s)]
    if not parts or not ws:
        return 0.0
    syl = sum(syllables(w) for w in ws)
    return round(0.39 * len(ws) / len(parts) + 11.8 * syl / len(ws) - 15.59, 1)


@dataclass
class Readability:
    grade: float
    sentences: int
    words: int
    longest: list[tuple[int, str]]  # (words, sentence), longest first

    @property
    def meets_target(self) -> bool:
        return self.grade <= TARGET_GRADE


def measure(text: str, longest: int = 3) -> Readability:
    """The Flesch–Kincaid grade of ``text`` and its ``longest`` longest sentences."""
    parts = sentences(text)
    ranked = sorted(((len(words(s)), s) for s in parts), key=lambda x: -x[0])
    return Readability(grade_of(parts), len(parts), sum(len(words(s)) for s in parts), ranked[:longest])


def sentence_grade(sentence: str) -> float:
    return grade_of([sentence])
