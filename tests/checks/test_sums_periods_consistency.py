"""The sums, periods and consistency checks beyond their declared examples (which
tests/checks/test_every_check.py runs): months bounding a period, page headers, per-return
consistency, and never crashing on odd text."""

from __future__ import annotations

from masa.checks import REGISTRY, catalogue, check_texts  # noqa: F401

PREFIXES = ("sum.", "period.", "consistency.", "report.period-label", "table.total-not-sum")
TITLE = "Northtown Safeguarding Children Partnership Yearly Report 2024-25\n\n"
CODES = sorted(c for c, chk in REGISTRY.items() if c.startswith(PREFIXES) and (chk.fails or chk.passes))


def _found(code: str, example) -> list:
    texts = example if isinstance(example, tuple) else (example,)
    files = [(f"doc{i}.txt", t if "Report" in t.split("\n", 1)[0] else TITLE + t) for i, t in enumerate(texts)]
    run = check_texts(files, None, codes=[code])
    for f in run.findings:
        assert f.severity != "crashed", f.message
        if f.location.file:
            assert dict(files)[f.location.file][f.location.start:f.location.end] == f.quote
    return [f for f in run.findings if f.code == code]


def test_months_that_bound_a_period_are_not_compared_as_months():
    """'Between 1 April 2023 and 31 March 2024 ... compared with ... 1 April 2022 and 31 March 2023'
    compares two years; only a lone month against another month is change.not-like-for-like."""
    text = ("Between 1 April 2023 and 31 March 2024 we held 9 reviews, compared with 7 between "
            "1 April 2022 and 31 March 2023.")
    assert _found("change.not-like-for-like", text) == []
    assert _found("change.not-like-for-like", "Missing episodes fell to 40 in March 2025, down from 55 in June 2024.")


from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

PIECES = st.sampled_from(["1 April 2023", "to", "31 March", "2024", "Q2", "(", ")", "July", "-", "September",
                          "a total of", "1,210", "comprising", "806", "and", "395", "out of", "90", "(84%)", "Of the",
                          "per 10,000", "rate of", "41.7", "children", "sessions:", "\n- item", "\n\n", "|", "Total",
                          "\t", "grew", "fell", "2022-23", "2023-24", "baseline of", "19%", "Annual Report 2020-21",
                          ",", ".", "between", "Quarter 3", "Sept", "of which", "making", "in total"])


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(PIECES, st.text(max_size=6)), max_size=50))
def test_sum_period_and_consistency_checks_never_crash(parts):
    text = TITLE + " ".join(parts)
    run = check_texts([("fuzz.txt", text)], None, codes=[*CODES, "report.period-label"])
    assert not [f.message for f in run.findings if f.severity == "crashed"]
    for f in run.findings:
        assert text[f.location.start:f.location.end] == f.quote


def test_in_stored_returns_each_partners_text_is_consistent_on_its_own(spec):
    """Two partners may give different figures for 'referrals in 2024-25' (their own); within one
    return two values for one measure are a finding."""
    from masa.checks import check_dataset
    from masa.returns import Dataset, Return, SectionAnswer

    def ret(partner, *texts):
        return Return(partner=partner, period="2024-25", template="appendix-b",
                      sections=[SectionAnswer(section=f"s{i}", text=t) for i, t in enumerate(texts)])

    a = "In 2024-25 we made 412 referrals about neglect to children's social care."
    b = "In 2024-25 we made 398 referrals about neglect to children's social care, most by phone."
    codes = ["consistency.two-values"]
    apart = check_dataset(Dataset(spec=spec, returns=[ret("elft", a), ret("police", b)]), "2024-25", codes=codes)
    assert apart == []
    together = check_dataset(Dataset(spec=spec, returns=[ret("elft", a, b)]), "2024-25", codes=codes)
    assert [f.quote for f in together] == ["398"]


def test_a_page_header_two_years_older_than_the_body_is_found():
    header = "Eastshire Safeguarding Children Partnership 2019/20 | Page {}"
    body = ("Contacts in 2022-23 were 4,100.\n\nIn June 2022 the board met.\n\nThe audit in 2022-23 found "
            "good practice.\n\nPlans for 2023-24 follow.")
    text = "\n\n".join([header.format(3), body, header.format(4), "More text.", header.format(5)])
    found = [f for f in check_texts([("x.txt", text)], None, codes=["report.period-label"]).findings]
    assert [f.quote for f in found] == ["2019/20"]
    fresh = text.replace("2019/20", "2022/23")
    assert check_texts([("x.txt", fresh)], None, codes=["report.period-label"]).findings == []
