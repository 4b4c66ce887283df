"""Figures in prose: indicator, breakdown and period guessed from the spec; changes, targets and
figures without a usable period are kept apart. Sentences here are written for the tests."""

from __future__ import annotations

import pytest

from masa.ingest.document import Location
from masa.ingest.figures import FigureFinder, sentences


@pytest.fixture(scope="module")
def find(spec):
    finder = FigureFinder(spec, "2024-25")

    def run(text, partner):
        return finder.find(text, Location("note.txt", 7), partner)

    return run


def _values(cands):
    return {(c.indicator, c.period, tuple(sorted(c.by.items())), c.value) for c in cands if c.kind == "value" and c.indicator}


def test_two_periods_in_one_sentence(find):
    got = find("We made 40 referrals to children's social care in 2023-24, compared to 55 this year.", "elft")
    assert _values(got) == {("csc_referrals", "2023-24", (), 40), ("csc_referrals", "2024-25", (), 55)}
    assert all(c.sentence.startswith("We made 40") and c.loc.line == 7 for c in got)


def test_from_to_gives_previous_then_current(find):
    got = find("Level 3 Adult Safeguarding training compliance went from 70% to 91% over the year.", "elft")
    assert _values(got) == {
        ("training_compliance", "2023-24", (("training-course", "l3-adults"),), 70),
        ("training_compliance", "2024-25", (("training-course", "l3-adults"),), 91),
    }


def test_from_to_between_quarters(find):
    got = find("Prevent awareness (BAP) level 3 training compliance fell from 92% to 61% between Q3 2023/24 and Q2 2024/25.",
               "elft")
    assert {(c.period, c.value) for c in got if c.indicator} == {("2023-24 Q3", 92), ("2024-25 Q2", 61)}


def test_change_and_target_are_not_values(find):
    got = find("Compliance with Level 3 Safeguarding Children training reached 85%, a 4% rise, "
               "short of the 90% target.", "elft")
    kinds = {c.written: c.kind for c in got}
    assert kinds == {"85%": "value", "4%": "change", "90%": "target"}


def test_percent_is_never_given_to_a_count_indicator(find):
    got = find("Referrals to children's social care were 30% of all contacts.", "elft")
    assert not any(c.indicator == "csc_referrals" for c in got)


def test_a_month_is_not_a_period_and_the_figure_stays_unplaced(find):
    got = find("Children reported missing in the month fell to 90 in March 2025.", "lbc")
    assert len(got) == 1 and got[0].period is None and "month" in got[0].reason


def test_partner_only_indicators_are_not_guessed_for_other_partners(find):
    got = find("We visited 12 GP practices to give safeguarding support in 2024-25.", "police")
    assert not any(c.indicator == "gp_practice_visits" for c in got)
    mine = find("We visited 12 GP practices to give safeguarding support in 2024-25.", "icb")
    assert [c.indicator for c in mine] == ["gp_practice_visits"]


def test_unmatched_figure_has_a_reason(find):
    got = find("The choir sang 12 songs at the summer fair.", "lbc")
    assert [(c.indicator, bool(c.reason)) for c in got] == [(None, True)]


def test_years_levels_ranges_and_quarters_are_not_figures(find):
    got = find("In 2024/25 our level 3 course for ages 5-19 ran in Q2 of 2024.", "lbc")
    assert got == []


def test_breakdown_named_after_each_figure(find):
    text = ("This year 5,000 children and young people received a Pol-Ed input which includes 900 receiving "
            "an input around harassment, 700 receiving an input around digital safeguarding.")
    got = {c.value: c.by.get("education-topic") for c in find(text, "police") if c.indicator == "pol_ed_reach"}
    assert got == {5000: None, 900: "harassment", 700: "digital-safeguarding"}


def test_area_named_in_the_sentence(find):
    got = find("For Luton, 17 child referrals were made in 2024-25.", "bfrs")
    assert _values(got) == {("child_safeguarding_referrals", "2024-25", (("area", "luton"),), 17)}


def test_money(find):
    got = find("Early help services and Family Hubs were funded with £2.5 million.", "lbc")
    assert _values(got) == {("family_help_funding", "2024-25", (), 2_500_000)}


def test_a_sentence_referring_back_is_read_with_the_one_before():
    parts = sentences("We trained 500 staff in 2024/25. While this is a 10% fall on 550 in 2023/24, it met need. Next.")
    assert len(parts) == 2 and "550" in parts[0][1]
