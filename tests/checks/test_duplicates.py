"""The near-duplicate threshold, pinned from both sides (issue 12, item 9).

A passage pasted a second time with a few words changed (a month, a word, the area) is still
one passage pasted twice; two passages written separately about the same piece of work are
not. Together these fail if duplicates.SIMILAR moves above about 93 or below about 80.
"""

from __future__ import annotations

from masa.checks import check_texts

TITLE = "Appendix B: Example Safeguarding Children Partnership Yearly Report 2024-25\n\n"
FIRST = ("The neglect pathway was relaunched in September with new guidance for practitioners, a screening "
         "tool for health visitors and a training offer for every early help team across the borough.")
LIGHTLY_EDITED = ("The neglect pathway was relaunched in October with updated guidance for practitioners, a screening "
                  "tool for health visitors and a training offer for every early help team across the county.")
SAME_TOPIC = [
    ("The neglect strategy was agreed in September with new standards for supervisors, an audit tool for "
     "school nurses and a learning offer for every family help team across the borough."),
    ("The exploitation pathway was relaunched in January with new guidance for schools, a screening tool for "
     "youth workers and a training offer for every community safety team across the borough."),
]
BETWEEN = "The partnership's executive met six times during the year and agreed its priorities."


def _dups(second: str):
    text = TITLE + FIRST + "\n\n" + BETWEEN + "\n\n" + second + "\n"
    return check_texts([("report.txt", text)], None, codes=["text.duplicate-passage"]).findings


def test_a_lightly_edited_pasted_passage_is_still_found():
    found = _dups(LIGHTLY_EDITED)
    assert len(found) == 1
    assert found[0].quote == LIGHTLY_EDITED
    assert found[0].related[0].line == 3  # the first copy's place is given


def test_two_distinct_passages_on_one_topic_are_not_duplicates():
    for other in SAME_TOPIC:
        assert _dups(other) == [], other


def test_an_exact_copy_is_found():
    assert len(_dups(FIRST)) == 1
