"""No input text makes a check crash; false-alarm guards for the narrative checks."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from masa.checks import check_texts
from masa.checks.claims import claims, figures, markers, pairs
from masa.checks.privacy import nhs_number_valid

WORDS = st.sampled_from(["from", "to", "up", "down", "rise", "fell", "compared to", "the previous year", "this year",
                         "2023-24", "2024/25", "Q1 2024/25", "April 2025", "%", "£", "12", "3,485", "6.7", "0",
                         "increase", "reduction", "Child A", "TJ", "embedded below", "Report.do", "\t", "\n", "\n\n",
                         "ELFT - achievements and impact", "percentage points", ".", ",", "(", ")", "<p>", "**"])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(WORDS, st.text(max_size=8)), max_size=60))
def test_no_check_crashes_on_any_text(parts):
    text = " ".join(parts)
    run = check_texts([("fuzz.txt", text)], None)
    crashed = [f.message for f in run.findings if f.severity == "crashed"]
    assert not crashed
    for f in run.findings:
        if f.location.file:
            assert text[f.location.start:f.location.end] == f.quote


def test_figures_skip_years_ranges_levels_and_dates():
    text = "In 2024/25 Level 3 training for ages 0-17 on 1st May reached 89% of 2,763 staff (£3 million)."
    got = [(f.text.strip(), f.kind) for f in figures(text)]
    assert got == [("89%", "percent"), ("2,763", "count"), ("£3 million", "money")]


def test_pairs_orient_by_period_markers():
    for text, old, new in [
        ("13 referrals were made in 2023-24, compared to 21 this year.", 13, 21),
        ("In 2024-25 (348 referrals) compared to the previous financial year (420 referrals in 2023-24).", 420, 348),
        ("Compliance rose to 89%, up from 83% in 2023/24.", 83, 89),
        ("Cases fell from 182 to 126.", 182, 126),
    ]:
        (p,) = pairs(text, 0, figures(text), "2024-25")
        assert (p.old.value, p.new.value) == (old, new), text


def test_claim_units():
    assert [(c.value, c.unit, c.direction) for c in claims("a 6.7% increase and a fall of 2 percentage points")] == [
        (6.7, "%", 1), (2.0, "pp", -1)]
    assert [m.kind for m in markers("Q4 2023/24 and April 2025, this year")] == ["quarter", "month", "current"]


def test_nhs_number_mod_11():
    assert nhs_number_valid("9434765919")
    assert not nhs_number_valid("9434765918")
    assert not nhs_number_valid("0000000000")


def test_neighbours_in_a_list_and_repeated_headings_are_not_findings(spec):
    text = ("Appendix B: Luton Safeguarding Children Partnership Yearly Report 2024-25\n\n"
            "ELFT - achievements and impact\n\n"
            "We support children across Luton, Bedford Borough and Central Bedfordshire.\n\n"
            "ELFT - achievements and impact\n\n"
            "The Bedford Borough Youth Cabinet chose knife crime as its theme.\n")
    run = check_texts([("r.txt", text)], spec)
    assert [f.code for f in run.findings if not f.code.startswith("wt2023")] == []


def test_sequential_quarters_are_like_for_like():
    text = "Compliance dropped from 94% to 54% between Q4 2023/24 and Q1 2024/25."
    run = check_texts([("r.txt", text)], None, codes=["change.not-like-for-like", "change.direction"])
    assert run.findings == []
