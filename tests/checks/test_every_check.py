"""Every registered check has a failing and a passing example, run through the real engine.

The text cases are generated from the registry: each check declares the texts it must flag
(``fails``) and leave alone (``passes``) where it is registered (``@check(..., fails=, passes=)``
or ``fails:``/``passes:`` in data/rules.yaml). Checks that read stored figures only have
FIGURE_CASES below. LEGACY_TEXT_CASES holds the examples of checks whose modules have not yet
moved theirs into the registration (issue 12: areas, partners, privacy, arithmetic, claims,
tables, stated_change, labels belong to other work in flight); move a row into the module's
``@check`` and delete it here.
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

# code -> (failing files, passing files): one example each, a list of file texts checked as one report
LEGACY_TEXT_CASES: dict[str, tuple[list[str], list[str]]] = {
    "change.wrong-percent": (["Referrals rose from 200 in 2023-24 to 260 in 2024-25, a 20% increase."],
                             ["Referrals rose from 200 in 2023-24 to 260 in 2024-25, a 30% increase."]),
    "change.wrong-base": (["Referrals rose from 200 in 2023-24 to 250 in 2024-25, a 20% increase."],
                          ["Referrals rose from 200 in 2023-24 to 250 in 2024-25, a 25% increase."]),
    "change.points-as-percent": (["Compliance rose from 50% to 60%, a 10% improvement."],
                                 ["Compliance rose from 50% to 60%, a 10 percentage point improvement."]),
    "change.ambiguous-percent": (["Programme completion reached 80%, up 10% on last year."],
                                 ["Programme completion reached 80%, up from 70% last year."]),
    "change.direction": (["Incidents saw a sharp rise: 300 in 2024-25 compared to 350 in 2023-24."],
                         ["Incidents saw a sharp fall: 300 in 2024-25 compared to 350 in 2023-24."]),
    "change.not-like-for-like": (["Missing episodes fell to 40 in March 2025, down from 55 in June 2024."],
                                 ["Missing episodes fell to 40 in March 2025, down from 55 in March 2024."]),
    "change.unsupported": (["There was a significant increase in early help referrals."],
                           ["There was a significant increase in early help referrals, from 120 to 180."]),
    "table.total-not-sum": (["Area\tTotal\tFemale\tMale\nLuton\t20\t8\t9\n"],
                              ["Area\tTotal\tFemale\tMale\nLuton\t20\t8\t12\n"]),
    "text.other-area": (["We worked hard to safeguard children in Milton Keynes this year."],
                        ["We worked with children across Luton, Bedford Borough and Central Bedfordshire."]),
    "report.period-label": (
        [("Appendix C: Luton Safeguarding Children Partnership Yearly Report 2022-23\n\n"
         "The youth council met in May 2025. A survey followed in June 2025.\n")],
        [("Appendix C: Luton Safeguarding Children Partnership Yearly Report 2024-25\n\n"
         "The youth council met in May 2025. A survey followed in June 2025.\n")]),
    "report.period-mismatch": (
        ["Appendix B: Luton Safeguarding Children Partnership Yearly Report 2024-25\n\nText.\n",
         "Appendix C: Luton Safeguarding Children Partnership Yearly Report 2023-24\n\nText.\n"],
        ["Appendix B: Luton Safeguarding Children Partnership Yearly Report 2024-25\n\nText.\n",
         "Appendix C: Luton Safeguarding Children Partnership Yearly Report 2024-25\n\nText.\n"]),
    "partner.name-variants": (
        ["ELFT - achievements and impact\n\nWe trained staff.\n\nEast London Foundation Trust - achievements and impact\n\nMore.\n"],
        ["ELFT - achievements and impact\n\nWe trained staff.\n\nELFT - achievements and impact\n\nMore.\n"]),
    "partner.unknown": (["Acme Widgets Ltd - achievements and impact\n\nWe trained staff.\n"],
                        ["ELFT - achievements and impact\n\nWe trained staff.\n"]),
    "privacy.initials": (["Case study: Child A met our worker. JB said he felt listened to."],
                         ["Case study: Child A met our worker and the GP. He said he felt listened to."]),
    "privacy.identifier": (["The family's NHS number 943 476 5919 was shared.", "Child B was born on the 3rd of March 2014."],
                           ["The reference 943 476 5918 was shared."]),
    "change.stated-difference": (["Referrals fell: 420 to 348: down 100 (23.8%) on 2023-24."],
                                 [("Referrals fell: 420 to 348: down 72 (17.1%) on 2023-24. "
                                  "Compliance: 83% to 89%: up 6.0 percentage points on 2023-24.")]),
    "privacy.small-count": (["We referred 21 children: 3 girls, 5 boys and 13 whose sex was not recorded."],
                            ["We referred 21 children, and rolled out level 1 children's training to 4 teams.",
                             "The partnership published 1 Child Safeguarding Practice Review."]),
    "privacy.name": (["Case study: Child A lived with Oliver Brandreth, her uncle."],
                     ["The report was written by the Independent Scrutineer, Dr Oliver Brandreth."]),
    "privacy.address": (["Case study: Child A's family moved to 27 Quarry Lane, Ashton."],
                        ["Case study: Child A's family moved to another part of the town."]),
    "privacy.age": (["The worker met JT, aged 13, at school."], ["The worker met Child A at school."]),
}


def _files(example) -> list[str]:
    return [example] if isinstance(example, str) else list(example)


def text_cases() -> dict[str, tuple[list[list[str]], list[list[str]]]]:
    """code -> (failing examples, passing examples), each example the files of one report."""
    out = {}
    for code, c in REGISTRY.items():
        if c.fails or c.passes:
            out[code] = ([_files(x) for x in c.fails], [_files(x) for x in c.passes])
    for code, (failing, passing) in LEGACY_TEXT_CASES.items():
        if code in REGISTRY and code not in out:
            out[code] = ([failing], [passing])
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
    covered = set(text_cases()) | set(FIGURE_CASES) | {"figure.below-target", "attachment.status"}
    covered |= {"carry.unanswered"}  # tests/returns/test_rollover.py::test_carry_unanswered_check_fails_and_passes
    assert set(REGISTRY) - covered == set(), "add a failing and a passing example for these checks"


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
