"""The shared text layer: what a number in a sentence is, read once for the checker and the
importer. Sentences here are invented."""

from __future__ import annotations

import pytest

from masa.ingest.document import Location
from masa.ingest.figures import FigureFinder
from masa.textlayer.changes import from_to, role
from masa.textlayer.dates import fill_years, ranges
from masa.textlayer.numbers import figures

SENTENCES = [
    "This academic year 6,120 pupils took part in the Level 1, 2 and 3 sessions.",
    "We received 1,210 contacts in 2023-24, 14% more than the 1,061 in 2022-23.",
    "Compliance reached 91% on 14 June, above the 90% target.",
    "Referrals fell from 420 to 369, a 12.1% reduction, and £2.5 million was spent.",
    "Children in year 9 and those aged 12 attended 3 workshops lasting 2 hours.",
]


def _texts(s: str) -> list[str]:
    return [f.text.strip() for f in figures(s)]


def test_figures_leave_out_years_levels_dates_and_durations():
    assert _texts(SENTENCES[0]) == ["6,120"]
    assert _texts(SENTENCES[2]) == ["91%", "90%"]
    assert _texts(SENTENCES[4]) == ["3"]
    assert [f.value for f in figures(SENTENCES[3])] == [420, 369, 12.1, 2_500_000]


@pytest.mark.parametrize("sentence", SENTENCES)
def test_the_importer_reads_the_same_figures_as_the_checker(sentence, spec):
    """Every number the importer considers (value, change or target) is one the checker reads."""
    found = FigureFinder(spec, "2024-25").find(sentence, Location(file="x.txt"), None)
    assert [c.written for c in found] == _texts(sentence)


def test_role_tells_values_from_changes_and_targets():
    s = SENTENCES[3]
    at = s.index("12.1%")
    assert role(s, at, at + 5) == "change"
    t = SENTENCES[2]
    at = t.index("90%")
    assert role(t, at, at + 3) == "target"
    assert role(t, t.index("91%"), t.index("91%") + 3) == "value"
    ft = from_to(SENTENCES[3])
    assert [SENTENCES[3][x.old_start:x.old_start + 3] for x in ft] == ["420"]


def test_date_ranges_keep_what_was_left_out():
    (r,) = ranges("It covers 1 April 2023 to 31 March.")
    assert (r.a.year, r.b.year, r.b.day) == (2023, None, 31)
    (r,) = ranges("It covers 1 April to 30 June 2024.")
    assert [d.isoformat() for d in fill_years(r)] == ["2024-04-01", "2024-06-30"]
    assert ranges("We met on 5 May 2023 and 12 June.") == []
