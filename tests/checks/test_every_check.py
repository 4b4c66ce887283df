"""Every registered check has a failing and a passing example, run through the real engine.

The text cases are generated from the registry: each check declares the texts it must flag
(``fails``) and leave alone (``passes``) where it is registered (``@check(..., fails=, passes=)``
or ``fails:``/``passes:`` in data/rules.yaml). Checks that read stored figures rather than
text cannot be shown by a text example: they have FIGURE_CASES or a named test below.
"""

from __future__ import annotations

import pytest

from masa.checks import (
    REGISTRY,
    catalogue,  # noqa: F401
    check_dataset,
    check_texts,
)
from masa.returns import Attachment, Dataset, DataValue, Provenance, Return

TITLE = "Appendix B: Luton Safeguarding Children Partnership Yearly Report 2024-25\n\n"


def _files(example) -> list[str]:
    return [example] if isinstance(example, str) else list(example)


def text_cases() -> dict[str, tuple[list[list[str]], list[list[str]]]]:
    """code -> (failing examples, passing examples), each example the files of one report."""
    out = {}
    for code, c in REGISTRY.items():
        if c.fails or c.passes:
            out[code] = ([_files(x) for x in c.fails], [_files(x) for x in c.passes])
    return out


TEXT_CASES = text_cases()


def _run(texts: list[str], code: str, spec):
    files = [(f"doc{i}.txt", t if t.startswith("Appendix") else TITLE + t) for i, t in enumerate(texts)]
    run = check_texts(files, spec, codes=[code])
    return [f for f in run.findings if f.code == code], files


@pytest.mark.parametrize("code", sorted(TEXT_CASES))
def test_text_check_fails_and_passes(code, spec):
    failing, passing = TEXT_CASES[code]
    assert failing and passing, f"{code} declares no failing or no passing example"
    for example in failing:
        found, files = _run(example, code, spec)
        assert found, f"{code} missed its failing example {example!r}"
        for f in found:
            assert f.severity != "crashed", f.message
            assert f.message and f.title
            if f.location.file:
                text = dict(files)[f.location.file]
                assert text[f.location.start:f.location.end] == f.quote
    for example in passing:
        found = _run(example, code, spec)[0]
        assert found == [], f"{code} flagged its passing example {example!r}: {[f.message for f in found]}"


def test_a_check_that_misses_its_own_example_fails_the_table(spec):
    """The generated table really runs the declared examples: a check that finds nothing fails."""
    from masa.checks.registry import Check, register

    register(Check("test.never-fires", "Never fires", "query", "narrative", "tests the table", lambda ctx, c: [],
                   fails=("Anything.",), passes=("Anything.",)))
    try:
        assert _run(["Anything."], "test.never-fires", spec)[0] == []
        assert "test.never-fires" in text_cases()
    finally:
        del REGISTRY["test.never-fires"]


# ---------------------------------------------------------------- figures (stored returns)

def _ret(values, partner="elft", period="2024-25", **kw):
    return Return(partner=partner, period=period, template="appendix-b", values=values, **kw)


def v(indicator, value, period=None, sentence="", **by):
    return DataValue(indicator=indicator, value=value, period=period, by={k.replace("_", "-"): x for k, x in by.items()},
                     provenance=Provenance(sentence=sentence))


def _tc(value):
    return v("training_compliance", value, training_course="l3-children")


def _sex_split(total, f, m, n):
    return [v("child_safeguarding_referrals", total, area="luton"),
            v("child_safeguarding_referrals", f, area="luton", sex="female"),
            v("child_safeguarding_referrals", m, area="luton", sex="male"),
            v("child_safeguarding_referrals", n, area="luton", sex="not-known")]


def _quarters(*values, year=None):
    out = [v("csc_referrals", x, period=f"2024-25 Q{n}", area="luton") for n, x in values]
    return out + ([v("csc_referrals", year, area="luton")] if year is not None else [])


FIGURE_CASES = {
    "figure.percent-range": ([_tc(120)], [_tc(95)]),
    "figure.count-negative": ([v("csc_referrals", -1)], [v("csc_referrals", 1)]),
    "figure.count-whole": ([v("csc_referrals", 2.5)], [v("csc_referrals", 2)]),
    "figure.breakdown-sum": (_sex_split(21, 3, 5, 12), _sex_split(21, 3, 5, 13)),
    "figure.sessions-without-attendance": ([v("training_sessions", 45, training_course="l3-combined")],
                                           [v("training_sessions", 45, training_course="l3-combined"),
                                            v("training_attendance", 2763, training_course="l3-combined")]),
    "figure.attendance-without-sessions": ([v("training_attendance", 2763, training_course="l3-combined")],
                                           [v("training_sessions", 45, training_course="l3-combined"),
                                            v("training_attendance", 2763, training_course="l3-combined")]),
    "figure.year-on-year-jump": ([v("csc_referrals", 100, period="2023-24"), v("csc_referrals", 250)],
                                 [v("csc_referrals", 100, period="2023-24"), v("csc_referrals", 120)]),
    "figure.spec-rule": ([_tc(80)], [_tc(95)]),
    "figure.year-differs-from-quarters": (_quarters((1, 120), (2, 95), (3, 101), (4, 88), year=410),
                                          _quarters((1, 120), (2, 95), (3, 101), (4, 88), year=404)),
    "figure.quarters-missing": (_quarters((1, 120), (2, 95), (4, 88)), _quarters((1, 120), (2, 95), (3, 101), (4, 88))),
    "figure.sentence-mismatch": ([v("csc_referrals", 21, sentence="We made 12 referrals this year.")],
                                 [v("csc_referrals", 21, sentence="We made 21 referrals this year.")]),
}


def _figure_run(spec, values, code, **kw):
    ds = Dataset(spec=spec, returns=[_ret(values, **kw)])
    return [f for f in check_dataset(ds, "2024-25", codes=[code]) if f.code == code]


@pytest.mark.parametrize("code", sorted(FIGURE_CASES))
def test_figure_check_fails_and_passes(code, spec):
    failing, passing = FIGURE_CASES[code]
    found = _figure_run(spec, failing, code)
    assert found and all(f.severity not in ("crashed",) for f in found), found
    assert found[0].location.return_key == "elft/2024-25/appendix-b"
    assert _figure_run(spec, passing, code) == []


def test_below_target_uses_indicator_targets(spec):
    bare = spec.model_copy(update={"rules": []})  # no spec rule covers the indicator: the target pattern does
    found = _figure_run(bare, [_tc(85)], "figure.below-target")
    assert [f.message for f in found] == [
        "training_compliance (Level 3 safeguarding children) is 85, below the target of 90"]
    assert _figure_run(bare, [_tc(92)], "figure.below-target") == []


def test_attachment_status(spec):
    bad = Dataset(spec=spec, returns=[_ret([], attachments=[Attachment(label="Q2 report", filename="Q2 Report.do",
                                                                     status="broken")])])
    good = Dataset(spec=spec, returns=[_ret([], attachments=[Attachment(label="Q2 report", filename="Q2.docx")])])
    found = check_dataset(bad, "2024-25", codes=["attachment.status"])
    assert [f.quote for f in found] == ["Q2 Report.do"] and found[0].severity == "error"
    assert check_dataset(good, "2024-25", codes=["attachment.status"]) == []


def test_every_registered_check_has_examples():
    """Text checks declare ``fails``/``passes`` where they are registered. The rest read stored
    figures, targets, attachment records or last year's carried actions from returns, which no
    text can express, so their examples live here as stored returns instead."""
    covered = set(text_cases()) | set(FIGURE_CASES)
    covered |= {"figure.below-target"}  # test_below_target_uses_indicator_targets: needs the spec's targets
    covered |= {"attachment.status"}  # test_attachment_status: needs a return's attachment records
    covered |= {"carry.unanswered"}  # tests/returns/test_rollover.py::test_carry_unanswered_check_fails_and_passes
    covered |= {"text.part-areas"}  # tests/checks/test_part_areas.py: needs the areas a return's parts are marked for
    covered |= {"privacy.suppressed-figure"}  # tests/checks/test_suppressed_figure.py: text beside the hidden cells
    covered |= {"priority.no-statutory-partner"}  # tests/compare/test_themes.py: needs returns with priority tags
    assert set(REGISTRY) - covered == set(), (
        "add fails=/passes= to these checks' registration (or a stored-figure case here if they read returns)")


def test_claims_in_returns_are_reconciled_with_stored_figures(spec):
    """'89%, a 6.7% increase' with no earlier figure in the text: last year's stored 83% is used."""
    from masa.returns import SectionAnswer

    ret = _ret([_tc(89), v("training_compliance", 83, period="2023-24", training_course="l3-children")],
               sections=[SectionAnswer(section="training", text="Level 3 compliance is 89%, a 6.7% increase on last year.")])
    found = check_dataset(Dataset(spec=spec, returns=[ret]), "2024-25", codes=["change.wrong-base"])
    assert [f.quote for f in found] == ["6.7% increase"]
    assert "83% → 89%" in found[0].message and "stored value for 2023-24" in found[0].message
    ok = ret.model_copy(update={"sections": [SectionAnswer(section="training", text="Level 3 compliance is 89%, "
                                                                                      "a 7.2% increase on last year.")]})
    assert check_dataset(Dataset(spec=spec, returns=[ok]), "2024-25", codes=["change.wrong-base", "change.wrong-percent"]) == []


def test_the_reports_own_comparison_sentences_add_up(dataset):
    """Every 'A to B: up N (P%)' that masa's report writes passes the check that redoes it."""
    from masa.checks.stated_change import STATED, problems
    from masa.report import build_model
    from masa.report.html import render_html

    html = render_html(build_model(dataset, "2024-25", internal=True))
    stated = list(STATED.finditer(html))
    assert len(stated) >= 5
    assert [m.group(0) for m in stated if problems(m)] == []
