"""The report's Section 11 summary: counts per standard from the stored assessments, small
counts suppressed by the one disclosure rule, and the change in green since last year."""

from __future__ import annotations

from masa.assurance import section11 as s11
from masa.report.builder import build_model
from masa.report.model import Table
from masa.report.section11_block import TITLE, Section11Data, section

ST = s11.shipped_standards()


def _many(n: int, period: str, rating: str, training: str | None = None) -> list[s11.Assessment]:
    out = []
    for i in range(n):
        a = s11.fresh(f"p{i}", period, ST)
        a.status = "submitted"
        for ans in a.answers:
            ans.rating = rating
        if training:
            a.answer("training").rating = training
        out.append(a)
    return out


def _table(sec) -> Table:
    return next(b for b in sec.blocks if isinstance(b, Table))


def test_counts_and_change_in_green_since_last_year():
    data = Section11Data(ST, "2025-26", "2024-25", current=_many(12, "2025-26", "green"),
                         previous=_many(12, "2024-25", "green", training="amber"))
    t = _table(section(data))
    training = next(r for r in t.rows if r[0] == "Training and supervision")
    assert training == ["Training and supervision", "12", "0", "0", "12", "0", "+12"]
    assert t.rows[-1][:5] == ["All standards", "96", "0", "0", "96"]


def test_small_counts_are_c_in_a_public_build_and_shown_internally():
    now = _many(10, "2025-26", "green") + _many(3, "2025-26", "amber")
    data = Section11Data(ST, "2025-26", "2024-25", current=now, previous=[])
    row = next(r for r in _table(section(data)).rows if r[0] == "Training and supervision")
    assert row[1:5] == ["c", "c", "0", "13"]  # 10 green would reveal the 3 amber: both "c"
    internal = next(r for r in _table(section(data, internal=True)).rows if r[0] == "Training and supervision")
    assert internal[1:5] == ["10", "3", "0", "13"]
    assert "There is no Section 11 cycle for 2024-25" in " ".join(b.text for b in section(data).blocks
                                                                    if hasattr(b, "text"))


def test_a_draft_assessment_is_not_counted():
    drafts = _many(8, "2025-26", "green")
    for a in drafts:
        a.status = "draft"
    sec = section(Section11Data(ST, "2025-26", "2024-25", current=drafts))
    assert "No partner has submitted" in sec.blocks[0].text


def test_the_report_carries_the_block_when_given_data(dataset):
    data = Section11Data(ST, "2024-25", "2023-24", current=_many(7, "2024-25", "green"))
    report = build_model(dataset, "2024-25", draft=True, section11=data)
    assert TITLE in [s.title for s in report.sections]
    assert TITLE not in [s.title for s in build_model(dataset, "2024-25", draft=True).sections]
