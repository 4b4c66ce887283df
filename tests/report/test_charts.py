"""The report's bar charts, drawn directly as SVG and cached by their content (issue 15)."""

from __future__ import annotations

import re

import pytest

from masa.report.charts import CURRENT, PNG_CACHE, SVG_CACHE, make_chart
from masa.report.figures import ReportError
from masa.report.pdf import PdfWorker

ROWS = [("Luton", "2023-24", 13), ("Luton", "2024-25", 21), ("Luton, Not known", "2024-25", 13)]


def _bars(svg: str) -> list[float]:
    """Widths of the drawn bars (the legend's 12 x 12 swatches are not bars)."""
    return [float(w) for w, h in re.findall(r'<rect [^>]*width="([0-9.]+)" height="([0-9.]+)"', svg) if h != "12"]


def _texts(svg: str) -> list[str]:
    return re.findall(r">([^<>]+)</(?:text|tspan)>", svg)


def test_a_chart_shows_its_title_every_value_and_its_periods():
    chart = make_chart("Child safeguarding referrals made", ROWS, "count", chart_id="c1", table_id="t1")
    svg = chart.svg
    head = svg[: svg.index(">") + 1]
    assert 'role="img"' in head and 'aria-labelledby="c1-title c1-desc"' in head
    assert '<title id="c1-title">Child safeguarding referrals made</title>' in svg
    assert "Luton, 2023-24: 13; Luton, 2024-25: 21; Luton, Not known, 2024-25: 13" in chart.description
    texts = _texts(svg)
    assert {"Child safeguarding referrals made", "Luton", "Luton, Not known", "13", "21", "2023-24", "2024-25",
            "Number"} <= set(texts)
    bars = _bars(svg)
    assert len(bars) == 3
    assert bars[1] == pytest.approx(bars[0] * 21 / 13, rel=0.02)  # 21 is drawn 21/13 as long as 13
    assert CURRENT in svg


def test_a_suppressed_value_is_described_but_never_drawn():
    rows = [("Female", "2024-25", "c"), ("Male", "2024-25", 14), ("Not known", "2024-25", 9)]
    chart = make_chart("Referrals by sex", rows, "count", chart_id="c2", table_id="t2")
    assert "Female, 2024-25: suppressed (c), not plotted" in chart.description
    assert len(_bars(chart.svg)) == 2
    assert "Female" not in _texts(chart.svg)


def test_a_percentage_chart_runs_to_100_and_writes_the_per_cent_sign():
    rows = [("Level 3", "2024-25", 89), ("Prevent", "2024-25", 62.3)]
    svg = make_chart("Training compliance", rows, "percent", chart_id="c3", table_id="t3").svg
    assert {"89%", "62.3%", "100", "Per cent"} <= set(_texts(svg))


def test_charts_with_different_figures_differ_and_equal_ones_come_from_the_cache():
    SVG_CACHE.clear()
    first = make_chart("Referrals", ROWS, "count", chart_id="c4", table_id="t4").svg
    changed = [(lab, per, v + 1) for lab, per, v in ROWS]
    second = make_chart("Referrals", changed, "count", chart_id="c4", table_id="t4").svg
    assert second != first and "22" in _texts(second) and "21" not in _texts(second)
    renamed = make_chart("Referrals made", ROWS, "count", chart_id="c4", table_id="t4").svg
    assert renamed != first
    hits = SVG_CACHE.hits
    again = make_chart("Referrals", ROWS, "count", chart_id="c4", table_id="t4").svg
    assert again == first and SVG_CACHE.hits == hits + 1


def test_the_word_picture_is_cached_by_the_svg():
    PNG_CACHE.clear()
    chart = make_chart("Referrals", ROWS, "count", chart_id="c5", table_id="t5")
    png = chart.png()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and chart.png() is png and PNG_CACHE.hits == 1
    other = make_chart("Referrals", [(a, b, v * 2) for a, b, v in ROWS], "count", chart_id="c5", table_id="t5")
    assert other.png() != png


def test_a_pdf_process_that_fails_says_why(tmp_path):
    worker = PdfWorker().start()
    worker.submit(tmp_path / "missing.html", tmp_path / "out.pdf")
    with pytest.raises(ReportError, match="the PDF could not be written.*missing.html"):
        worker.wait()
    worker.cancel()


def test_a_chart_of_zeros_and_negatives_is_drawn_not_a_crash():
    zeros = make_chart("Referrals", [("Female", "2024-25", 0), ("Male", "2024-25", 0)], "count",
                       chart_id="c6", table_id="t6").svg
    assert _texts(zeros).count("0") >= 2
    change = make_chart("Change", [("A", "2024-25", -5), ("B", "2024-25", 10)], "count",
                        chart_id="c7", table_id="t7").svg
    assert {"-5", "10"} <= set(_texts(change)) and len(_bars(change)) == 2
