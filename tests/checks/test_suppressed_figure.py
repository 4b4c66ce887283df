"""privacy.suppressed-figure: a return's text must not state a figure its published tables hide."""

from __future__ import annotations

from pathlib import Path

import pytest

from masa.checks import check_dataset
from masa.returns import load_dataset

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "luton-2024-25"
CODE = "privacy.suppressed-figure"


@pytest.fixture(scope="module")
def example():
    return load_dataset(EXAMPLE)


def _with(dataset, partner: str, text: str | None = None, values: dict | None = None):
    """The example with one return's first section's text and some of its figures replaced."""
    returns = []
    for r in dataset.returns:
        if r.partner == partner and r.period == "2024-25" and r.template == "appendix-b":
            if text is not None:
                r = r.model_copy(update={"sections": [r.sections[0].model_copy(update={"text": text}),
                                                      *r.sections[1:]]})
            if values:
                r = r.model_copy(update={"values": [
                    v.model_copy(update={"value": values.get(tuple(sorted(v.by.items())), v.value)})
                    for v in r.values]})
        returns.append(r)
    return dataset.model_copy(update={"returns": returns})


def _found(dataset):
    return [f for f in check_dataset(dataset, "2024-25") if f.code == CODE]


def test_the_examples_forum_count_hidden_in_the_table_but_written_in_the_text(example):
    """The ICB's table shows the primary care forum's 3 sessions as "c"; its text says the forum
    met 3 times. (Breaker 10 saw this on the published pages.)"""
    found = _found(example)
    assert [(f.partner, f.quote) for f in found] == [("icb", "3 times")]
    assert found[0].severity == "error" and "show as 'c'" in found[0].message
    assert "Primary care safeguarding forum" in found[0].message


def test_a_secondarily_suppressed_figure_stated_in_words_is_found(example):
    """Not a small count at all: 7 boys is hidden only so that the 3 girls cannot be worked out
    from the total and the published 'not recorded'. Stating it gives the girls away."""
    girls, boys, unknown = (("area", "luton"), ("sex", "female")), (("area", "luton"), ("sex", "male")), \
        (("area", "luton"), ("sex", "not-known"))
    data = _with(example, "bfrs", "We referred 21 children in Luton; 7 of them were boys.",
                 {girls: 3.0, boys: 7.0, unknown: 11.0})
    found = [f for f in _found(data) if f.partner == "bfrs"]
    assert [(f.quote, f.severity) for f in found] == [("7 of", "error")], found


def test_a_published_figure_and_a_people_count_already_reported_are_left_alone(example):
    girls, boys, unknown = (("area", "luton"), ("sex", "female")), (("area", "luton"), ("sex", "male")), \
        (("area", "luton"), ("sex", "not-known"))
    # 11 is published; "3 girls" is privacy.small-count's finding, not a second one here
    data = _with(example, "bfrs", "We referred 21 children in Luton, 11 with no sex recorded, and 3 girls.",
                 {girls: 3.0, boys: 7.0, unknown: 11.0})
    codes = [(f.code, f.quote) for f in check_dataset(data, "2024-25") if f.partner == "bfrs"]
    assert (CODE, "11 with") not in codes and not any(c == CODE and q.startswith("3") for c, q in codes)
    assert any(c == "privacy.small-count" and q.startswith("3 girls") for c, q in codes), codes


# Breaker br2's sentences. BFRS hides girls 3 and boys 5; the ICB hides the primary care forum's
# 3 sessions. A leak is an error (errors block approval and publication), from this check or from
# privacy.small-count; a sentence about something else is left alone.
LEAKS = [
    ("bfrs", "We made 3 referrals about girls in Luton."),
    ("bfrs", "We referred 21 children; girls: 3; boys: 5."),
    ("bfrs", "We referred 21 children in Luton, including 3 females."),
    ("bfrs", "Boys made up 5 of the referrals."),
    ("icb", "The Primary Care Forum met three times this year."),
    ("icb", "The Primary Care Forum met 3x this year."),
    ("icb", "The Primary Care Forum for GPs and practice staff met thrice."),
]
NOT_LEAKS = [
    ("bfrs", "Our male staff attended 5 briefings on exploitation."),
    ("bfrs", "In the child referrals across all three local authorities, the share was low."),
    ("icb", "The primary care team completed 3 audits of safeguarding records."),
    ("icb", "We supported 3 primary care networks and ran level 3 training."),
]


def _errors(example, partner, sentence):
    section = 0
    data = _with(example, partner, sentence)
    return [(f.code, f.quote) for f in check_dataset(data, "2024-25")
            if f.partner == partner and f.severity == "error" and f.code.startswith("privacy.")
            and f.location.section.startswith(f"sections[{section}]")]


@pytest.mark.parametrize(("partner", "sentence"), LEAKS)
def test_a_hidden_figure_however_it_is_written_blocks_approval(example, partner, sentence):
    assert _errors(example, partner, sentence), sentence


@pytest.mark.parametrize(("partner", "sentence"), NOT_LEAKS)
def test_a_number_about_something_else_does_not_block_approval(example, partner, sentence):
    assert _errors(example, partner, sentence) == [], sentence


# Breaker br3: bfrs's table hides 7 boys (and 3 girls) beside 11 not recorded and 21 in all.
BR3_VALUES = {(("area", "luton"), ("sex", "female")): 3.0, (("area", "luton"), ("sex", "male")): 7.0,
              (("area", "luton"), ("sex", "not-known")): 11.0}


def _br3(example, sentence):
    return [f.quote for f in _found(_with(example, "bfrs", sentence, BR3_VALUES)) if f.partner == "bfrs"]


@pytest.mark.parametrize("sentence", [
    "This year 7 boys were referred in Luton.",  # "year 7" read as a school year before
    "Over the year 7 boys were referred.",
])
def test_a_year_that_is_a_time_is_not_a_label(example, sentence):
    assert _br3(example, sentence) == ["7 boys"]


@pytest.mark.parametrize("sentence", [
    "In Year 7 we ran sessions for boys in Luton about referrals.",  # a school year
    "About 7% of our referrals were about boys.",  # a percentage, which the arithmetic reads
    "Seven of our crews made referrals about boys.",  # counts crews
    "Our referral panel met 7 times to review boys' referrals.",  # meetings, not referrals
    "A boy of 7 was referred after a fire.",  # an age
    "In Bedford we referred 7 boys.",  # another area than the hidden Luton cell's
    "Referrals rose, with boys up by 7.",  # a change, which the arithmetic reads
])
def test_what_breaker_br3_saw_block_wrongly_does_not(example, sentence):
    assert _br3(example, sentence) == []


def test_titles_are_read_too(example):
    """Breaker br3 (L7): a section's heading, an audit's title and a case study's title are
    published above their text; a hidden figure in one gives the 'c' away as well."""
    from masa.returns import Audit, CaseStudy

    data = _with(example, "bfrs", "We referred children in Luton.", BR3_VALUES)
    returns = []
    for r in data.returns:
        if (r.partner, r.template) == ("bfrs", "appendix-b"):
            r = r.model_copy(update={
                "sections": [r.sections[0].model_copy(update={"heading": "Referrals: 7 boys"}), *r.sections[1:]],
                "audits": [Audit(title="Audit of the 7 boys we referred", findings=["Most were complete."])]})
        if (r.partner, r.template) == ("bfrs", "appendix-c"):
            r = r.model_copy(update={"case_studies": [CaseStudy(title="Seven boys referred in Luton",
                                                                text="Our youth officer worked with them.")]})
        returns.append(r)
    found = [(f.quote, f.location.section) for f in _found(data.model_copy(update={"returns": returns}))
             if f.partner == "bfrs"]
    assert found == [("7 boys", "sections[0] achievements / heading"), ("7 boys", "audits[0] title"),
                     ("Seven boys", "case_studies[0] title")], found


@pytest.mark.parametrize("sentence, quote", [
    # breaker br4 (P2): the measure in one sentence, the hidden figure and its breakdown in the next
    ("Our crews made 21 referrals about children in Luton this year. Seven of them were boys.", "Seven of"),
    ("We referred 21 children. Of these, 7 were boys.", "7 were"),
])
def test_the_measure_named_in_the_sentence_before(example, sentence, quote):
    assert _br3(example, sentence) == [quote]


def test_the_sentence_before_naming_another_area_is_not_the_hidden_cell(example):
    assert _br3(example, "In Bedford we made 30 referrals. Seven were boys.") == []


@pytest.mark.parametrize("sentence", [
    # breaker br4's wrong blocks: "N more <something else>", numbered titles and labels, ages
    "Boys and girls were both referred, and we trained 7 more crews.",
    "We referred boys and girls alike, and 7 more of our staff completed training.",
    "Objective 7: improve referrals about boys.",
    "Outcome 3 was fewer repeat referrals about girls.",
    "Referral 3: a girl living with hoarding",
    "Case study 3: a girl referred after a kitchen fire",
    "Boys under 7 were referred after fires.",
    "Referrals about boys of 7 and over rose.",
])
def test_what_breaker_br4_saw_block_wrongly_does_not(example, sentence):
    assert _br3(example, sentence) == []


def test_last_years_printed_figure_is_not_this_years_hidden_one(example):
    """Breaker br4 (W5): last year's boys (7) are printed; this year's 7 are hidden. A sentence
    about last year states the printed figure."""
    from masa.returns import DataValue

    data = _with(example, "bfrs", "Last year we referred 7 boys in Luton.", BR3_VALUES)
    returns = []
    for r in data.returns:
        if (r.partner, r.template) == ("bfrs", "appendix-b"):
            r = r.model_copy(update={"values": [*r.values, *(
                DataValue(indicator="child_safeguarding_referrals", period="2023-24", by={"area": "luton", "sex": s}, value=v)
                for s, v in (("female", 6.0), ("male", 7.0), ("not-known", 0.0)))]})
        returns.append(r)
    data = data.model_copy(update={"returns": returns})
    assert [f.quote for f in _found(data) if f.partner == "bfrs"] == []
    this_year = _with(data, "bfrs", "This year we referred 7 boys in Luton.")
    assert [f.quote for f in _found(this_year) if f.partner == "bfrs"] == ["7 boys"]


def test_text_read_against_several_partners_compares_a_named_partner_with_its_own_cells(example):
    """Breaker br4 (W6): the young people's version is read against every partner's hidden
    cells at once; a sentence that names ELFT is not about the fire service's hidden 7."""
    from masa.checks.suppressed import given_away
    from masa.report.boundary import partner_cells, partner_values

    data = _with(example, "bfrs", None, BR3_VALUES)
    cells = {p: partner_cells(data.spec, p, partner_values(data, p, "appendix-b"), "2024-25") for p in ("bfrs", "elft")}
    assert given_away(data.spec, cells, "ELFT: 7 boys helped us write a new referral leaflet.", "2024-25") == []
    found = given_away(data.spec, cells, "The fire service made 7 referrals about boys this year.", "2024-25")
    assert [m for _, _, m in found] and "gives 7" in found[0][2]


@pytest.mark.parametrize("sentence, quote", [
    # breaker br4's P5: a share in words gives the hidden 7 boys (of 21) or 3 girls away
    ("Of the 21 children we referred, a third were boys.", "a third"),
    ("Boys accounted for one third of our 21 referrals.", "one third"),
    ("One in seven of our 21 referrals were about girls.", "One in seven"),
    ("1 in 7 of our 21 referrals was about a girl.", "1 in 7"),
])
def test_a_share_in_words_is_read_as_a_percentage(example, sentence, quote):
    assert _br3(example, sentence) == [quote]


@pytest.mark.parametrize("sentence", [
    "A third of our staff attended training on referrals.",
    "One in three referrals came from crews at incidents.",
    "Two thirds of the referrals were about children in Luton.",
])
def test_a_share_in_words_of_something_else_does_not_block(example, sentence):
    assert _br3(example, sentence) == []
