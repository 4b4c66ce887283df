"""The quarter checks name both numbers, the quarters used, and exactly which are missing."""

from __future__ import annotations

import pytest

from masa.checks import check_dataset
from masa.returns import Dataset, Return
from tests.returns.quarters_helpers import q, quarter_spec

CODES = ["figure.year-differs-from-quarters", "figure.quarters-missing"]


@pytest.fixture(scope="module")
def qspec(spec):
    return quarter_spec(spec)


def quarterly(partner, n, *values):
    return Return(partner=partner, period=f"2024-25 Q{n}", template="quarterly-figures", status="submitted",
                  values=[v for _, v in values])


def yearly(partner, *values):
    return Return(partner=partner, period="2024-25", template="appendix-b", values=[v for _, v in values])


def test_a_stated_year_its_quarterly_returns_contradict(qspec):
    rets = [quarterly("lbc", n, q("csc_referrals", n, x, area="luton")) for n, x in ((1, 120), (2, 95), (3, 101), (4, 88))]
    rets.append(yearly("lbc", q("csc_referrals", None, 410, area="luton")))
    [f] = check_dataset(Dataset(spec=qspec, returns=rets), "2024-25", codes=CODES)
    assert f.severity == "query" and f.partner == "lbc" and f.expected_value == 404
    assert f.message == ("csc_referrals (Luton) for 2024-25 is stated as 410, but its quarters make 404 "
                         "(the sum of Q1 to Q4: Q1 120, Q2 95, Q3 101, Q4 88)")
    assert f.location.return_key == "lbc/2024-25/appendix-b"


def test_a_ratio_is_compared_to_the_stated_percentage(qspec):
    vals = [q("rhi_held", n, x, area="luton") for n, x in ((1, 30), (2, 40), (3, 20), (4, 10))] + \
           [q("rhi_due", n, x, area="luton") for n, x in ((1, 40), (2, 50), (3, 50), (4, 60))]
    ds = Dataset(spec=qspec, returns=[yearly("lbc", *vals, q("rhi_timely", None, 52.9, area="luton"))])
    [f] = check_dataset(ds, "2024-25", codes=CODES)
    assert "stated as 52.9, but its quarters make 50.0" in f.message and "100 ÷ 200" in f.message
    ok = Dataset(spec=qspec, returns=[yearly("lbc", *vals, q("rhi_timely", None, 50, area="luton"))])
    assert check_dataset(ok, "2024-25", codes=CODES) == []


def test_missing_quarters_are_listed_per_partner_and_indicator(qspec):
    rets = [quarterly("lbc", 1, q("csc_referrals", 1, 120, area="luton")),
            quarterly("lbc", 4, q("csc_referrals", 4, 88, area="luton")),
            quarterly("police", 1, *[q("csc_referrals", 1, 9, area=a) for a in ("luton", "bedford")])]
    rets.append(yearly("lbc", q("csc_referrals", None, 410, area="luton")))
    found = check_dataset(Dataset(spec=qspec, returns=rets), "2024-25", codes=CODES)
    assert sorted((f.partner, f.message) for f in found) == [
        ("lbc", ("csc_referrals has no figure for Q2, Q3 of 2024-25 for Luton (it has Q1, Q4), "
                 "so no yearly figure is made from its quarters")),
        ("police", ("csc_referrals has no figure for Q2, Q3, Q4 of 2024-25 for Bedford Borough; Luton (it has Q1), "
                    "so no yearly figure is made from its quarters")),
    ]
    assert all(f.code == "figure.quarters-missing" for f in found)  # no year made, so nothing to disagree with


def test_a_suppressed_quarter_is_not_read_as_zero(qspec):
    rets = [yearly("lbc", *[q("csc_referrals", n, x, area="luton") for n, x in ((1, 120), (2, "c"), (3, 101), (4, 88))],
                   q("csc_referrals", None, 312, area="luton"))]  # c read as 0 would make 309
    assert check_dataset(Dataset(spec=qspec, returns=rets), "2024-25", codes=CODES) == []


def test_the_example_has_no_quarter_findings(dataset):
    assert check_dataset(dataset, "2024-25", codes=CODES) == []
