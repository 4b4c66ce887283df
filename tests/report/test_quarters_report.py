"""Quarters in the yearly report: quarterly returns are read, the year is made from them
where none is stated (marked as computed), and disclosure control protects the made year with
its quarters so a "c" quarter cannot be worked out."""

from __future__ import annotations

import pytest

from masa.disclosure import SUPPRESSED, recoverable_cells
from masa.report import boundary
from masa.report.builder import QUARTERS_ONLY, build_model
from masa.report.model import Items, Paragraph, Table
from masa.returns import Dataset, Return
from tests.returns.quarters_helpers import q, quarter_spec

YEAR = "2024-25"
QS = [f"{YEAR} Q{n}" for n in (1, 2, 3, 4)]


@pytest.fixture(scope="module")
def qspec(spec):
    return quarter_spec(spec)


def yearly(partner, values, status="approved"):
    return Return(partner=partner, period=YEAR, template="appendix-b", status=status, values=[v for _, v in values])


def quarterly(partner, n, values, status="approved"):
    return Return(partner=partner, period=f"{YEAR} Q{n}", template="quarterly-figures", status=status,
                  values=[v for _, v in values])


def referrals(*per_quarter, area="luton"):
    return [q("csc_referrals", n, x, area=area) for n, x in enumerate(per_quarter, 1)]


def tables(report, partner="lbc"):
    sec = next(s for a in report.sections for s in a.children if s.id.endswith(f"-{partner}"))
    out = []

    def walk(s):
        out.extend(b for b in s.blocks if isinstance(b, (Table, Paragraph)))
        for c in s.children:
            walk(c)
    walk(sec)
    return out


def referral_table(report, partner="lbc"):
    return next(b for b in tables(report, partner) if isinstance(b, Table) and b.caption.startswith("Referrals to"))


def test_quarters_in_a_yearly_return_get_a_computed_year_column(qspec):
    ds = Dataset(spec=qspec, returns=[yearly("lbc", referrals(120, 95, 101, 88))])
    report = build_model(ds, YEAR)
    t = referral_table(report)
    assert t.header == ["Local authority", "Referral source", f"{YEAR} (computed from quarters)", *QS]
    assert t.rows == [["Luton", "All", "404", "120", "95", "101", "88"]]
    assert any("worked out by masa from the partner's quarterly figures (the sum of Q1 to Q4)" in n for n in t.notes)
    [row] = [f for f in report.figures if f.period == YEAR]
    assert (row.value, row.provenance_kind, row.provenance_definition) == (404, "computed", "quarters:sum")


def test_quarterly_returns_join_the_report_and_feed_the_comparison(qspec):
    history = yearly("lbc", [q("csc_referrals", None, 420, year="2023-24", area="luton")])
    rets = [history] + [quarterly("lbc", n, [v]) for n, v in enumerate(referrals(120, 95, 101, 88), 1)]
    report = build_model(Dataset(spec=qspec, returns=rets), YEAR)
    t = referral_table(report)
    assert t.rows[0][2:] == ["420", "404", "120", "95", "101", "88"]
    assert QUARTERS_ONLY not in [b.text for b in tables(report) if isinstance(b, Paragraph)]
    sec = next(s for a in report.sections for s in a.children if s.id.endswith("-lbc"))
    items = [i for c in sec.children for b in c.blocks if isinstance(b, Items) for i in b.items]
    assert any("420 to 404: down 16 (3.8%) on 2023-24" in i for i in items), items


def test_a_stated_year_is_shown_as_stated(qspec):
    ds = Dataset(spec=qspec, returns=[yearly("lbc", referrals(120, 95, 101, 88) + [q("csc_referrals", None, 410,
                                                                                       area="luton")])])
    t = referral_table(build_model(ds, YEAR))
    assert t.header[2] == YEAR and t.rows[0][2] == "410"


def test_no_year_from_a_missing_quarter(qspec):
    ds = Dataset(spec=qspec, returns=[yearly("lbc", referrals(120, 95, None, 88))])
    t = referral_table(build_model(ds, YEAR))
    assert YEAR not in t.header and f"{YEAR} (computed from quarters)" not in t.header


def test_a_public_build_reads_approved_quarterly_returns_only(qspec):
    rets = [quarterly("lbc", n, [v], status="approved" if n != 3 else "submitted")
            for n, v in enumerate(referrals(120, 95, 101, 88), 1)]
    report = build_model(Dataset(spec=qspec, returns=[yearly("lbc", [])] + rets), YEAR)
    t = referral_table(report)
    assert t.header[2:] == [QS[0], QS[1], QS[3]]  # no Q3, so no year made from quarters
    notice = " ".join(i for b in report.front for i in getattr(b, "items", []))
    assert "Quarterly figures, 2024-25 Q3): the return has been submitted and is awaiting approval" in notice


def test_a_partner_with_quarterly_returns_only(qspec):
    rets = [yearly("police", [])] + [quarterly("lbc", n, [v]) for n, v in enumerate(referrals(1, 2, 30, 40), 1)]
    report = build_model(Dataset(spec=qspec, returns=rets), YEAR, internal=True)
    blocks = tables(report)
    assert any(isinstance(b, Paragraph) and b.text == QUARTERS_ONLY for b in blocks)
    assert referral_table(report).rows[0][2:] == ["73", "1", "2", "30", "40"]  # internal: true counts


def test_a_ratio_year_is_recomputed_and_small_counts_are_c(qspec):
    held = [q("rhi_held", n, x, area="luton") for n, x in ((1, 30), (2, 40), (3, 20), (4, 10))]
    due = [q("rhi_due", n, x, area="luton") for n, x in ((1, 40), (2, 50), (3, 50), (4, 60))]
    ds = Dataset(spec=qspec, returns=[yearly("lbc", held + due)])
    cells = boundary.partner_cells(qspec, "lbc", boundary.partner_values(ds, "lbc", "appendix-b"), YEAR)
    [made] = [c for c in cells if c.value.indicator == "rhi_timely"]
    assert (made.period, made.published, made.from_quarters) == (YEAR, 50.0, True)
    held[0], held[3] = q("rhi_held", 1, 80, area="luton"), q("rhi_held", 4, 57, area="luton")  # 197 of 200
    ds = Dataset(spec=qspec, returns=[yearly("lbc", held + due)])
    cells = boundary.partner_cells(qspec, "lbc", boundary.partner_values(ds, "lbc", "appendix-b"), YEAR)
    [made] = [c for c in cells if c.value.indicator == "rhi_timely"]
    assert made.published == SUPPRESSED  # 197 of 200: the 3 who were not seen in time would show


def test_a_suppressed_quarter_cannot_be_recovered_from_the_computed_year(qspec):
    ds = Dataset(spec=qspec, returns=[yearly("lbc", [q("gp_practice_visits", n, x) for n, x in
                                                     ((1, 10), (2, 3), (3, 12), (4, 9))])])
    cells = boundary.partner_cells(qspec, "lbc", boundary.partner_values(ds, "lbc", "appendix-b"), YEAR)
    shown = {c.period: c.published for c in cells if c.value.indicator == "gp_practice_visits"}
    assert set(shown) == {YEAR, *QS} and shown[f"{YEAR} Q2"] == SUPPRESSED
    assert recoverable_cells(shown, [(YEAR, QS)]) == set(), shown  # the reader knows year = Q1+Q2+Q3+Q4


def test_a_stocks_year_is_protected_as_its_q4_and_a_flows_as_its_quarters_sum(qspec):
    luton = (("area", "luton"),)
    for code, year, parts in (("children_on_plans", 10, [f"{YEAR} Q4"]), ("csc_referrals", 40, QS)):
        counts = {(YEAR, luton): year, **{(p, luton): 10 for p in QS}}
        lines, _ = boundary.additive_lines(qspec, qspec.indicator(code), counts)
        [line] = [ps for t, ps in lines if t == (YEAR, luton)
                  and all(isinstance(p, str) and p.startswith(f"{YEAR} Q") for p, _ in ps)]
        assert [p for p, _ in line] == parts, code


def test_last_years_quarters_make_the_year_compared_with(qspec):
    before = [q("csc_referrals", n, 100, year="2023-24", area="luton") for n in (1, 2, 3, 4)]
    report = build_model(Dataset(spec=qspec, returns=[yearly("lbc", before + referrals(120, 95, 101, 88))]), YEAR)
    t = referral_table(report)
    assert {"2023-24 (computed from quarters)", f"{YEAR} (computed from quarters)"} <= set(t.header)
    sec = next(s for a in report.sections for s in a.children if s.id.endswith("-lbc"))
    items = [i for c in sec.children for b in c.blocks if isinstance(b, Items) for i in b.items]
    assert any("400 to 404: up 4 (1.0%) on 2023-24" in i for i in items), items


def test_a_year_stated_as_not_recorded_gives_way_to_its_quarters(qspec):
    blank = q("csc_referrals", None, None, area="luton")
    t = referral_table(build_model(Dataset(spec=qspec, returns=[yearly("lbc", [blank, *referrals(120, 95, 101, 88)])]),
                                   YEAR))
    assert t.header[2] == f"{YEAR} (computed from quarters)" and t.rows[0][2] == "404"


def _ratio_row(report):
    [table] = [b for b in tables(report) if isinstance(b, Table) and b.caption.endswith("(per cent)")]
    return table.header, table.rows[0]


def test_a_stated_percentage_never_gives_its_hidden_count_away(qspec):
    """held ÷ due: with 'due' shown, a shown percentage is the hidden 'held' (7.5% of 40 is 3)."""
    year = [q("rhi_held", 0, 3, area="luton"), q("rhi_due", 0, 40, area="luton"),
            q("rhi_timely", 0, 7.5, area="luton")]
    _, row = _ratio_row(build_model(Dataset(spec=qspec, returns=[yearly("lbc", year)]), "2024-25"))
    assert row[1:] == [SUPPRESSED]
    held = [q("rhi_held", n, v, area="luton") for n, v in ((1, 3), (2, 40), (3, 20), (4, 10))]
    due = [q("rhi_due", n, v, area="luton") for n, v in ((1, 40), (2, 50), (3, 50), (4, 60))]
    pct = [q("rhi_timely", n, v, area="luton") for n, v in ((1, 7.5), (2, 80), (3, 40), (4, 16.7))]
    rets = [quarterly("lbc", n, [held[n - 1], due[n - 1], pct[n - 1]]) for n in (1, 2, 3, 4)]
    header, row = _ratio_row(build_model(Dataset(spec=qspec, returns=rets), "2024-25"))
    shown = dict(zip(header[1:], row[1:]))
    # Q1 holds the small count; Q4's count is hidden to protect it, so its percentage goes too
    assert shown["2024-25 Q1"] == SUPPRESSED and shown["2024-25 Q4"] == SUPPRESSED
    assert shown["2024-25 Q2"] == "80%"
