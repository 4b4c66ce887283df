"""The yearly report's assurance blocks and the Working Together check, from stored data."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from masa.assurance.book import Book, load_book
from masa.report.assurance_blocks import AUDITS, REVIEWS, SCRUTINY, assurance_section

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "luton-2024-25"


@lru_cache(maxsize=1)
def _dataset():
    from masa.returns import load_dataset

    return load_dataset(EXAMPLE)


def _texts(section) -> str:
    out = []
    for s in [section, *section.children]:
        for b in s.blocks:
            out.append(str(b))
    return "\n".join(out)


def test_the_report_carries_the_three_blocks_with_comparisons_against_last_year():
    from masa.report import build_model

    report = build_model(_dataset(), "2024-25", draft=True, assurance=load_book(EXAMPLE))
    part = next(s for s in report.sections if s.id == "assurance")
    assert [c.title for c in part.children] == [REVIEWS, AUDITS, SCRUTINY]
    text = _texts(part)
    assert "2 reviews began or were adopted, up from 1 the year before" in text
    assert "2 actions on their recommendations were completed, up from 1 the year before" in text
    assert "Good" in text and "13" in text  # 13 audit forms; 7 graded good
    assert "synthetic statement" in text and "not yet signed off" in text
    assert "Bedfordshire Police" in text  # awaiting a response, named as the report names partners


def test_small_case_counts_are_suppressed_in_a_public_build_but_not_an_internal_one():
    book = load_book(EXAMPLE)
    public = _texts(assurance_section(book, "2024-25"))
    assert "'Inadequate', 'c'" in public and "'Outstanding', 'c'" in public
    assert "'Requires improvement', 'c'" in public and "'Total', '13'" in public
    internal = _texts(assurance_section(book, "2024-25", internal=True))
    assert "'Inadequate', '1'" in internal and "'Good', '7'" in internal


def test_nothing_stored_gives_no_block():
    assert assurance_section(Book(), "2024-25") is None
    assert assurance_section(None, "2024-25") is None


def _wt(codes, assurance):
    from masa.checks import check_dataset

    return [f for f in check_dataset(_dataset(), "2024-25", codes=codes, assurance=assurance)
            if f.severity != "info"]


def test_working_together_reads_the_register_and_scrutiny_data_instead_of_the_prose():
    book = load_book(EXAMPLE)
    assert _wt(["wt2023.review-actions", "wt2023.scrutiny"], book) == []
    stalled = book.model_copy(update={
        "reviews": [r.model_copy(update={"recommendations": []}) for r in book.reviews],
        "scrutiny": [s.model_copy(update={"statement": ""}) for s in book.scrutiny]})
    found = {f.code for f in _wt(["wt2023.review-actions", "wt2023.scrutiny"], stalled)}
    assert found == {"wt2023.review-actions", "wt2023.scrutiny"}, "data showing no action still passed on prose"
