"""The report model on small hand-made datasets: disclosure at the boundary, like-for-like
comparisons, missing returns and attachments, formula injection, fail-closed errors."""

from __future__ import annotations

import csv
import subprocess
import sys

import pytest

from masa.disclosure import recoverable_cells
from masa.report import ReportError, build_model, build_report, check_formats
from masa.report.html import render_html
from masa.returns import Attachment, DataValue, Dataset, Provenance, Return


def _value(ind, value, period=None, **by):
    return DataValue(indicator=ind, value=value, period=period, by=by)


def _dataset(spec, values, status="approved", **extra) -> Dataset:
    ret = Return(partner="bfrs", period="2024-25", template="appendix-b", values=values, status=status, **extra)
    return Dataset(spec=spec, returns=[ret])


def _figures(report, indicator):
    return {(f.period, tuple(sorted(f.by.items()))): f.value for f in report.figures if f.indicator == indicator}


def test_zero_stays_zero_and_no_suppressed_count_can_be_worked_out(spec):
    ds = _dataset(spec, [
        _value("child_safeguarding_referrals", 20, area="luton"),
        _value("child_safeguarding_referrals", 0, area="luton", sex="female"),
        _value("child_safeguarding_referrals", 2, area="luton", sex="male"),
        _value("child_safeguarding_referrals", 18, area="luton", sex="not-known"),
    ])
    report = build_model(ds, "2024-25")
    pub = _figures(report, "child_safeguarding_referrals")
    female = ("2024-25", (("area", "luton"), ("sex", "female")))
    male = ("2024-25", (("area", "luton"), ("sex", "male")))
    assert pub[female] == 0
    assert pub[male] == "c"
    total = ("2024-25", (("area", "luton"),))
    parts = [k for k in pub if k != total]
    assert recoverable_cells(pub, [(total, parts)]) == set()
    assert "c" in render_html(report)


def test_a_figure_suppressed_on_the_partners_machine_is_published_as_c(spec):
    """The indicators engine sends a suppressed count as no value with the note "c"."""
    computed = Provenance(kind="computed", definition="csc_referrals@1", source="referrals.csv")
    ds = _dataset(spec, [
        DataValue(indicator="csc_referrals", value=40, by={"area": "luton"}, provenance=computed),
        DataValue(indicator="csc_referrals", value=None, note="c", by={"area": "luton", "referral-source": "health"},
                  provenance=computed),
    ])
    for internal in (False, True):
        pub = _figures(build_model(ds, "2024-25", internal=internal), "csc_referrals")
        assert pub[("2024-25", (("area", "luton"), ("referral-source", "health")))] == "c"
        assert pub[("2024-25", (("area", "luton"),))] == 40
    html = render_html(build_model(ds, "2024-25"))
    assert "Not recorded" not in html
    assert "Source: computed by masa with csc_referrals@1 from referrals.csv." in html


def test_comparison_with_a_suppressed_prior_count_is_not_shown(spec):
    ds = _dataset(spec, [
        _value("child_safeguarding_referrals", 21, area="luton"),
        _value("child_safeguarding_referrals", 4, period="2023-24", area="luton"),
    ])
    html = render_html(build_model(ds, "2024-25"))
    assert "no comparison with 2023-24 is shown because a figure is suppressed" in html
    assert "4 to 21" not in html and "up 17" not in html
    internal = render_html(build_model(ds, "2024-25", internal=True))
    assert "4 to 21: up 17 (425.0%) on 2023-24" in internal


def test_quarters_compare_with_the_same_quarter_last_year_only(spec):
    ds = _dataset(spec, [
        _value("training_compliance", 54, period="2024-25 Q1", **{"training-course": "prevent-l3"}),
        _value("training_compliance", 94, period="2023-24 Q4", **{"training-course": "prevent-l3"}),
        _value("training_compliance", 80, period="2023-24 Q1", **{"training-course": "prevent-l3"}),
    ])
    html = render_html(build_model(ds, "2024-25"))
    assert "80% to 54%: down 26.0 percentage points on 2023-24 Q1" in html
    assert "94% to 54%" not in html


def test_another_areas_figures_are_left_out(spec):
    ds = _dataset(spec, [
        _value("child_safeguarding_referrals", 21, area="luton"),
        _value("child_safeguarding_referrals", 40, area="bedford"),
    ])
    report = build_model(ds, "2024-25")
    assert {f.by.get("area") for f in report.figures} == {"luton"}
    assert "Bedford Borough" not in render_html(report)


def test_a_missing_attachment_is_not_available_in_public_and_flagged_only_for_review(spec):
    attachments = [
        Attachment(label="Quarter 3 report", filename="q3.pdf", status="missing", area="luton", period="2024-25 Q3"),
        Attachment(label="Quarter 2 report", filename="q2.pdf", status="broken"),
        Attachment(label="Quarter 4 report", filename="q4.pdf"),
    ]
    html = render_html(build_model(_dataset(spec, [], attachments=attachments), "2024-25"))
    assert "<li>Quarter 3 report (Luton, 2024-25 Q3) – not available</li>" in html
    assert "<li>Quarter 2 report – not available</li>" in html
    assert "<li>Quarter 4 report</li>" in html
    for word in ("MISSING", "BROKEN", "could not be included", 'class="flagged"'):
        assert word not in html
    assert html.count("No response was received for this period.") == 2 * len(spec.partners) - 1
    for review in ({"draft": True}, {"internal": True}):
        html = render_html(build_model(_dataset(spec, [], status="submitted", attachments=attachments), "2024-25",
                                       **review))
        assert '<li class="flagged">Quarter 3 report (Luton, 2024-25 Q3) – MISSING' in html
        assert '<li class="flagged">Quarter 2 report – BROKEN' in html


def test_a_public_build_never_reads_a_return_that_is_not_approved(spec):
    for status in ("draft", "submitted", "resubmitted", "queried"):
        waiting = Return(partner="police", period="2024-25", template="appendix-b", status=status,
                         values=[_value("child_safeguarding_referrals", 44, area="luton")],
                         challenges=[{"text": "Unapproved words"}])
        ds = Dataset(spec=spec, returns=[*_dataset(spec, [], status="published").returns, waiting])
        report = build_model(ds, "2024-25")
        html = render_html(report)
        assert "Unapproved words" not in html and not [f for f in report.figures if f.partner == "police"]
        police = html[html.index('id="appendix-b-police"'):html.index('id="appendix-b-ccs"')]
        assert "it is not included in this report" in police and "No response" not in police, status
        assert "This report is not complete" in html[:html.index('<h2 id="appendix-b"')], status
        draft = render_html(build_model(ds, "2024-25", draft=True))
        assert "Unapproved words" in draft and f"return status: {status}" in draft
    with pytest.raises(ReportError, match="no return for 2024-25 is approved or published yet"):
        build_model(_dataset(spec, [], status="submitted"), "2024-25")


def test_text_that_looks_like_a_formula_is_neutralised_in_csv_and_xlsx(spec, tmp_path):
    from openpyxl import load_workbook

    evil = "=HYPERLINK(\"http://example.invalid\",\"x\")"
    ds = _dataset(spec, [DataValue(indicator="child_safeguarding_referrals", by={"area": "luton"}, value=21,
                                   provenance=Provenance(kind="imported", source=evil))])
    paths = build_report(ds, "2024-25", ["csv", "xlsx"], tmp_path)
    with open(paths["csv"], newline="", encoding="utf-8") as fh:
        row = next(csv.DictReader(fh))
    assert row["provenance_source"] == "'" + evil
    ws = load_workbook(paths["xlsx"])["Figures"]
    col = [c.value for c in ws[1]].index("provenance_source")
    cell = ws.cell(row=2, column=col + 1)
    assert cell.value == "'" + evil and cell.data_type == "s"


def test_a_count_that_is_not_whole_stops_the_build(spec, tmp_path):
    ds = _dataset(spec, [_value("child_safeguarding_referrals", 2.5, area="luton")])
    with pytest.raises(ReportError, match="bfrs: child_safeguarding_referrals 2024-25.*whole number"):
        build_report(ds, "2024-25", ["csv"], tmp_path)
    assert not list(tmp_path.iterdir())


def test_bad_period_and_format_are_named(spec, tmp_path):
    ds = _dataset(spec, [])
    with pytest.raises(ValueError, match="known years: 2023-24, 2024-25, 2025-26"):
        build_model(ds, "2030-31")
    with pytest.raises(ValueError, match="quarter"):
        build_model(ds, "2024-25 Q1")
    with pytest.raises(ValueError, match="valid formats: html, pdf, docx, csv, xlsx"):
        check_formats(["html", "odt"])


def test_published_is_the_default(spec, tmp_path):
    ds = _dataset(spec, [_value("child_safeguarding_referrals", 3, area="luton")])
    paths = build_report(ds, "2024-25", ["csv"], tmp_path)
    assert "INTERNAL" not in paths["csv"].name
    assert ",c," in paths["csv"].read_text()


def test_engine_never_imports_django():
    code = ("import sys, masa.report, masa.compare; from masa.report import html, pdf, docx_out, opendata, charts; "
            "print(any(m == 'django' or m.startswith('django.') for m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_a_quarter_cannot_be_worked_out_from_the_year_and_the_other_quarters(spec):
    ds = _dataset(spec, [
        _value("child_safeguarding_referrals", 22, area="luton"),
        _value("child_safeguarding_referrals", 3, period="2024-25 Q1", area="luton"),
        _value("child_safeguarding_referrals", 6, period="2024-25 Q2", area="luton"),
        _value("child_safeguarding_referrals", 6, period="2024-25 Q3", area="luton"),
        _value("child_safeguarding_referrals", 7, period="2024-25 Q4", area="luton"),
    ])
    pub = _figures(build_model(ds, "2024-25"), "child_safeguarding_referrals")
    year = ("2024-25", (("area", "luton"),))
    quarters = [(f"2024-25 Q{n}", (("area", "luton"),)) for n in (1, 2, 3, 4)]
    assert pub[quarters[0]] == "c"
    assert recoverable_cells(pub, [(year, quarters)]) == set()


def test_figures_that_contradict_each_other_stop_a_public_build_naming_the_indicator(spec):
    """Luton's children (21) cannot outnumber Luton's total (17) within an all-areas total of
    20: no filling of the unshown cells adds up, so protection cannot be proven and a public
    build stops; a draft still builds, with every non-zero count of that table hidden."""
    ds = _dataset(spec, [
        _value("safeguarding_referrals", 20),
        _value("safeguarding_referrals", 17, area="luton"),
        _value("safeguarding_referrals", 21, area="luton", **{"age-group": "child"}),
    ])
    with pytest.raises(ReportError, match=r"bfrs: safeguarding_referrals \(Safeguarding referrals made\) cannot be"):
        build_model(ds, "2024-25")
    pub = _figures(build_model(ds, "2024-25", draft=True), "safeguarding_referrals")
    assert set(pub.values()) == {"c"}, pub


def test_what_other_areas_or_missing_options_leave_of_a_total_is_protected(spec):
    ds = _dataset(spec, [
        _value("safeguarding_referrals", 20),                     # all areas
        _value("safeguarding_referrals", 17, area="luton"),      # leaves 3 for the other areas
        _value("safeguarding_referrals", 9, area="luton", **{"age-group": "child"}),
    ])
    ds2 = _dataset(spec, [
        _value("child_safeguarding_referrals", 21, area="luton"),
        _value("child_safeguarding_referrals", 10, area="luton", sex="female"),
        _value("child_safeguarding_referrals", 8, area="luton", sex="male"),  # not known: 3, not given
    ])
    pub = _figures(build_model(ds, "2024-25"), "safeguarding_referrals")
    shown = [v for v in (pub.get(("2024-25", ())), pub.get(("2024-25", (("area", "luton"),)))) if v is not None]
    assert "c" in shown or len(shown) < 2, pub  # 20 and 17 together would give away the 3
    pub2 = _figures(build_model(ds2, "2024-25"), "child_safeguarding_referrals")
    total, female, male = (("2024-25", k) for k in ((("area", "luton"),), (("area", "luton"), ("sex", "female")),
                                                     (("area", "luton"), ("sex", "male"))))
    # 21 − 10 − 8 = 3 not known: the unprinted rest is hidden, and no cell may be workable
    seen = {**pub2, "rest": "c"}
    assert recoverable_cells(seen, [(total, [female, male, "rest"])]) == set(), pub2


def test_a_chart_gives_the_current_colour_to_the_report_year_not_a_quarter(spec):
    from masa.report.charts import CURRENT, PREVIOUS, make_chart

    rows = [("Prevent level 3", "2023-24 Q4", 94), ("Prevent level 3", "2024-25 Q1", 54),
            ("Prevent level 3", "2024-25", 83), ("Level 2", "2024-25", 90)]
    svg = make_chart("Training compliance", rows, "percent", chart_id="t", table_id="x").svg
    # the legend lists the colour scale's domain in order; the last entry gets CURRENT
    where = {p: svg.index(f">{p}<") for p in ("2023-24 Q4", "2024-25 Q1", "2024-25")}
    assert sorted(where, key=where.get) == ["2023-24 Q4", "2024-25 Q1", "2024-25"]
    assert CURRENT.lower() in svg.lower() and PREVIOUS.lower() in svg.lower()


def test_a_figure_in_two_returns_is_published_once_from_its_own_years_return(spec):
    this_year = Return(partner="bfrs", period="2024-25", template="appendix-b", status="approved",
                       values=[_value("child_safeguarding_referrals", 21, area="luton"),
                               _value("child_safeguarding_referrals", 13, period="2023-24", area="luton")])
    last_year = Return(partner="bfrs", period="2023-24", template="appendix-b", status="published",
                       values=[_value("child_safeguarding_referrals", 12, area="luton")])
    report = build_model(Dataset(spec=spec, returns=[this_year, last_year]), "2024-25")
    rows = [(f.period, f.value) for f in report.figures if f.indicator == "child_safeguarding_referrals"]
    assert sorted(rows) == [("2023-24", 12), ("2024-25", 21)]  # last year's own return wins, once


def test_two_returns_of_equal_standing_that_disagree_stop_the_build(spec):
    a = Return(partner="bfrs", period="2024-25", template="appendix-b", status="approved",
               values=[_value("child_safeguarding_referrals", 21, area="luton")])
    b = Return(partner="bfrs", period="2024-25", template="appendix-b", status="approved",
               values=[_value("child_safeguarding_referrals", 20, area="luton")])
    with pytest.raises(ReportError, match="is 21.0 in the 2024-25 return but 20.0"):
        build_model(Dataset(spec=spec, returns=[a, b]), "2024-25")


def test_a_failing_format_leaves_the_earlier_files_untouched(spec, tmp_path, monkeypatch):
    import masa.report.opendata as opendata

    ds = _dataset(spec, [_value("child_safeguarding_referrals", 21, area="luton")])
    first = build_report(ds, "2024-25", ["html", "csv"], tmp_path)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}

    def broken(*_args, **_kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(opendata, "render_csv", broken)
    ds2 = _dataset(spec, [_value("child_safeguarding_referrals", 30, area="luton")])
    with pytest.raises(OSError):
        build_report(ds2, "2024-25", ["html", "csv"], tmp_path)
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before
    assert set(first) == {"html", "csv"}


def test_a_partial_word_file_says_so_before_its_contents_and_keeps_its_a4_pages(spec, tmp_path):
    from docx import Document

    waiting = Return(partner="police", period="2024-25", template="appendix-c", status="queried")
    ds = Dataset(spec=spec, returns=[*_dataset(spec, [_value("child_safeguarding_referrals", 21, area="luton")])
                                     .returns, waiting])
    doc = Document(str(build_report(ds, "2024-25", ["docx"], tmp_path)["docx"]))
    texts = [p.text for p in doc.paragraphs]
    notice = next(i for i, t in enumerate(texts) if t.startswith("This report is not complete"))
    police = texts.index("Bedfordshire Police (Appendix C): the return has been queried by the business unit "
                         "and is being corrected.")
    assert notice < police < texts.index("Contents")
    assert doc.element.body[-1].tag.endswith("}sectPr")
    assert round(doc.sections[0].page_height.cm, 1) == 29.7
