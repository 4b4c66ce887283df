"""privacy.suppressed-figure: a hidden figure given back by arithmetic in a partner's prose.

The numbers are invented. BFRS's Luton referrals are made 21 = girls 3 + boys 18 + not known
0: girls is a small count and boys is hidden beside it ("c", secondary suppression), since the
published total and the published 0 would give it away. A sentence that states a percentage of
the total, a difference, a ratio or "all but N" gives both back; one that states only what the
tables already publish must not block approval.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from masa.checks import check_dataset
from masa.returns import load_dataset

from .test_suppressed_figure import _with

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "luton-2024-25"
CODE = "privacy.suppressed-figure"
TOTAL = (("area", "luton"),)
GIRLS, BOYS, UNKNOWN = TOTAL + (("sex", "female"),), TOTAL + (("sex", "male"),), TOTAL + (("sex", "not-known"),)
HIDDEN_BOYS = {GIRLS: 3.0, BOYS: 18.0, UNKNOWN: 0.0}
NO_TOTAL = {TOTAL: None, GIRLS: 3.0, BOYS: 18.0, UNKNOWN: 0.0}  # the total left blank: boys is printed


@pytest.fixture(scope="module")
def example():
    return load_dataset(EXAMPLE)


def _errors(example, partner, sentence, values=None):
    data = _with(example, partner, sentence, values) if sentence is not None else example
    return [f for f in check_dataset(data, "2024-25")
            if f.partner == partner and f.severity == "error" and f.code.startswith("privacy.")
            and f.location.section.startswith("sections[0]")]


def test_the_tables_hide_what_these_tests_assume(example):
    from masa.report.boundary import partner_cells, partner_values

    def shown(values):
        data = _with(example, "bfrs", None, values)
        cells = partner_cells(data.spec, "bfrs", partner_values(data, "bfrs", "appendix-b"), "2024-25")
        return {c.by: c.published for c in cells if c.value.indicator == "child_safeguarding_referrals"
                and c.period == "2024-25"}

    assert shown(HIDDEN_BOYS) == {TOTAL: 21, GIRLS: "c", BOYS: "c", UNKNOWN: 0}
    assert shown(NO_TOTAL) == {TOTAL: None, GIRLS: "c", BOYS: 18, UNKNOWN: 0}


LEAKS = [
    # (partner, sentence, figures changed, the quote, what it is)
    ("bfrs", "We referred 21 children in Luton. 86% of the referrals were about boys.", HIDDEN_BOYS,
     "86%", "a percentage of the published total of 21"),
    ("bfrs", "We referred 21 children in Luton; 85.7 per cent of those referrals concerned boys.", HIDDEN_BOYS,
     "85.7 per cent", "a percentage of the published total of 21"),
    ("bfrs", "Referrals about girls were 14% of the 21 we made in Luton.", HIDDEN_BOYS,
     "14%", "a percentage of the published total of 21"),
    ("bfrs", "We made 15 more referrals about boys than about girls.", HIDDEN_BOYS,
     "15 more", "the difference between two figures"),
    ("bfrs", "All but three of the referrals were about boys.", HIDDEN_BOYS,
     "three of", "what is left of a total"),
    ("bfrs", "Our referrals about boys ran at six times as many as those about girls.", HIDDEN_BOYS,
     "six times as many", "a ratio between two figures"),
    ("bfrs", ("There were twice as many referrals about boys as about girls last year and "
              "six times as many referrals about boys as about girls this year."), HIDDEN_BOYS,
     "six times as many", "a ratio between two figures"),
    ("bfrs", "We made 21 safeguarding referrals for children in Luton this year.", NO_TOTAL,
     "21 safeguarding", "a total the tables do not print"),
    ("bfrs", "Referrals about boys and girls together came to 21 in Luton.", NO_TOTAL,
     "21 in", "a sum of figures the tables do not print"),
    ("icb", "The bitesize sessions and the primary care safeguarding forum together came to 12 sessions.", None,
     "12 sessions", "a sum of figures the tables do not print"),
    ("bfrs", "Most referrals (86%) were about boys.", HIDDEN_BOYS, "86%", "a percentage of the published total"),
    ("bfrs", "Referrals about boys outnumbered those about girls by 15.", HIDDEN_BOYS,
     "15", "the difference between two figures"),
    ("bfrs", "The number of referrals about boys was six times that about girls.", HIDDEN_BOYS,
     "six times that", "a ratio between two figures"),
    ("bfrs", "Boys outnumbered girls six to one in our referrals.", HIDDEN_BOYS, "six to one", "a ratio"),
    ("bfrs", "Every referral except three concerned a boy.", HIDDEN_BOYS, "three concerned", "what is left of a total"),
    ("bfrs", "Girls accounted for 14 per cent of the referrals.", HIDDEN_BOYS, "14 per cent", "a percentage"),
    ("bfrs", "Around 86% of referrals concerned boys.", HIDDEN_BOYS, "86%", "a percentage"),  # 83.5–88.5% of 21
]


@pytest.mark.parametrize(("partner", "sentence", "values", "quote", "how"), LEAKS)
def test_a_hidden_figure_given_back_by_arithmetic_blocks_approval(example, partner, sentence, values, quote, how):
    found = [f for f in _errors(example, partner, sentence, values) if f.code == CODE]
    assert [f.quote for f in found] == [quote], found
    message = found[0].message
    assert how in message and "hide as 'c'" in message
    if partner == "bfrs" and values is HIDDEN_BOYS:
        # it names what a reader learns: both hidden figures, with their breakdown
        assert "3 (Safeguarding referrals made, Child (0-17), Luton, Female, 2024-25)" in message
        assert "18 (Safeguarding referrals made, Child (0-17), Luton, Male, 2024-25)" in message
    if partner == "icb":
        assert "3 (Safeguarding training sessions delivered, Primary care safeguarding forum, 2024-25)" in message


NOT_LEAKS = [
    # what the tables print already: the total, its change on the year, a sum that is the total
    ("bfrs", "We referred 21 children in Luton; our referrals rose by 8 on last year.", HIDDEN_BOYS),
    ("bfrs", "We made 21 referrals about boys and girls in Luton.", HIDDEN_BOYS),
    ("bfrs", "Referrals about girls and boys, 21 in all, came from crews and prevention staff.", HIDDEN_BOYS),
    ("bfrs", ("No referral in Luton was about a child whose sex was not recorded, so 100% of them were "
              "about boys or girls."), HIDDEN_BOYS),
    # a share of something else, a percentage the tables publish, a difference in something else
    ("bfrs", "Of our 21 Luton referrals, 93% of all our referrals across the Service were about adults.",
     HIDDEN_BOYS),
    ("bfrs", "We made 21 referrals in Luton; 14% of our operational staff are women.", HIDDEN_BOYS),
    ("bfrs", "Boys and girls were both referred; we have 15 more stations than in 2010.", HIDDEN_BOYS),
    ("bfrs", "Twice as many crews attended the boys' and girls' school events.", HIDDEN_BOYS),
    ("bfrs", "We made 15 more home safety visits for boys than for girls, and our referrals held steady.",
     HIDDEN_BOYS),
    ("bfrs", "About half of the referrals were about boys.", HIDDEN_BOYS),
    ("bfrs", "Over 80% of referrals concerned boys.", HIDDEN_BOYS),  # 17 to 20 boys: not one value
    ("bfrs", "Our crews worked a four to one shift pattern; referrals about boys and girls rose.", HIDDEN_BOYS),
    ("bfrs", "We made 21 referrals in Luton, six times as many as our target of 3.5.", HIDDEN_BOYS),
    ("bfrs", "In Luton 21 children were referred and 86% of referrals led to a home safety visit.", HIDDEN_BOYS),
    ("bfrs", "Training reached 86% of crews; referrals about boys and girls are both up.", HIDDEN_BOYS),
    ("bfrs", "Boys and girls together: 21 referrals in Luton.", HIDDEN_BOYS),  # the published total
    # the example as it is: published figures and sums of them
    ("icb", "The bitesize and level 3 safeguarding (adults and children) sessions together came to 19.", None),
    ("icb", "We ran one more Level 3 safeguarding (adults and children) session than bitesize sessions.", None),
    ("icb", "We supported 3 primary care networks and ran level 3 training.", None),
    ("icb", "We ran 34 safeguarding training sessions in all.", None),  # other courses' sessions unknown
]


@pytest.mark.parametrize(("partner", "sentence", "values"), NOT_LEAKS)
def test_arithmetic_on_published_figures_or_other_things_does_not_block(example, partner, sentence, values):
    assert [f for f in _errors(example, partner, sentence, values) if f.code == CODE] == [], sentence


def _last_year(example, by_sex: dict):
    """The example with BFRS's 2023-24 Luton referrals broken down by sex as well (13 in all)."""
    returns = []
    for r in example.returns:
        if r.partner == "bfrs" and r.period == "2024-25" and r.template == "appendix-b":
            total = next(v for v in r.values if v.period == "2023-24" and v.by == {"area": "luton"})
            extra = [total.model_copy(update={"by": {"area": "luton", "sex": sex}, "value": n})
                     for sex, n in by_sex.items()]
            r = r.model_copy(update={"values": [*r.values, *extra]})
        returns.append(r)
    return example.model_copy(update={"returns": returns})


def test_a_change_on_last_years_published_figure_gives_this_years_hidden_one_away(example):
    """Last year's boys (7) and girls (6) are published; this year's (18, 3) are hidden. "Up by
    11 on last year" gives this year's boys, and so its girls."""
    def found(sentence):
        data = _last_year(_with(example, "bfrs", sentence, HIDDEN_BOYS), {"female": 6.0, "male": 7.0, "not-known": 0.0})
        return [f for f in _errors(data, "bfrs", None) if f.code == CODE]

    leak = found("Referrals about boys rose by 11 on last year.")
    assert [f.quote for f in leak] == ["11 on"], leak
    assert "a change from the year before" in leak[0].message
    assert "18 (Safeguarding referrals made, Child (0-17), Luton, Male, 2024-25)" in leak[0].message
    # the change in the published total gives nothing away
    assert found("Our referrals in Luton rose by 8 on last year.") == []


def test_two_sentences_that_give_a_hidden_figure_away_only_together(example):
    """Girls 3 and boys 4 are both "c" and the total is left blank: neither "boys and girls
    together came to 7" nor "one more about boys than girls" pins either alone; together they do."""
    values = {TOTAL: None, GIRLS: 3.0, BOYS: 4.0, UNKNOWN: 9.0}
    first, second = ("Referrals about boys and girls together came to 7.",
                     "We made one more referral about boys than about girls.")
    assert [f for f in _errors(example, "bfrs", first, values) if f.code == CODE] == []
    assert [f for f in _errors(example, "bfrs", second, values) if f.code == CODE] == []
    found = [f for f in _errors(example, "bfrs", f"{first} {second}", values) if f.code == CODE]
    assert [f.quote for f in found] == ["one more"], found
    assert f"read with what the text says before ('{first}')" in found[0].message
    assert "3 (Safeguarding referrals made, Child (0-17), Luton, Female, 2024-25)" in found[0].message
