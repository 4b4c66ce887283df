"""Open data (CSV, XLSX): every published figure, small counts suppressed, formulas neutralised."""

from __future__ import annotations

import csv

from masa.report.opendata import safe


def _csv(path) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _xlsx(path) -> tuple[list[str], list[dict], object]:
    from openpyxl import load_workbook

    wb = load_workbook(path)
    ws = wb["Figures"]
    rows = list(ws.iter_rows(values_only=True))
    return list(rows[0]), [dict(zip(rows[0], r)) for r in rows[1:]], wb


def _is_small_count(value) -> bool:
    try:
        return 1 <= float(value) <= 5
    except (TypeError, ValueError):
        return False


def test_no_published_count_is_between_1_and_5(published):
    rows = _csv(published["csv"])
    head, xrows, _ = _xlsx(published["xlsx"])
    for source in (rows, xrows):
        counts = [r for r in source if r["unit"] == "count"]
        assert counts
        assert not [r for r in counts if _is_small_count(r["value"])]
        assert any(r["value"] == "c" for r in counts)


def test_internal_open_data_has_the_true_counts_and_says_so(internal):
    lines = internal["csv"].read_text(encoding="utf-8").splitlines()
    assert lines[0] == "INTERNAL – NOT FOR PUBLICATION – unsuppressed figures"
    rows = list(csv.DictReader(lines[1:]))
    fire = {r["sex"]: r["value"] for r in rows
            if r["indicator"] == "child_safeguarding_referrals" and r["period"] == "2024-25"}
    assert fire["female"] == "3" and fire["male"] == "5"
    assert {r["publication"] for r in rows} == {"internal-unsuppressed"}
    assert "INTERNAL" in internal["csv"].name


def test_one_row_per_figure_in_the_report(published, dataset):
    rows = _csv(published["csv"])
    skip = {"value", "publication"}
    keys = [tuple(v for k, v in r.items() if k not in skip and not k.startswith("provenance")) for r in rows]
    assert len(keys) == len(set(keys))
    elft = [r for r in rows if r["partner"] == "elft" and r["indicator"] == "csc_referrals"]
    assert {(r["period"], r["value"]) for r in elft} == {("2023-24", "420"), ("2024-25", "348")}
    first = rows[0]
    for col in ("partnership", "partner_name", "indicator_name", "unit", "provenance_kind", "provenance_source",
                "provenance_definition", "provenance_sha256"):
        assert col in first
    assert {r["partnership"] for r in rows} == {"luton"}


def test_other_areas_figures_are_not_published(published):
    rows = _csv(published["csv"])
    assert {r["area"] for r in rows} <= {"", "luton"}


def test_xlsx_has_header_frozen_panes_widths_and_readme(published):
    head, rows, wb = _xlsx(published["xlsx"])
    ws = wb["Figures"]
    assert head[:3] == ["partnership", "partner", "partner_name"]
    assert ws.freeze_panes == "A2"
    assert ws.column_dimensions["C"].width > 10
    readme = [r[0] for r in wb["README"].iter_rows(values_only=True) if r[0]]
    assert any("c = a count from 1 to 5" in line for line in readme)


def test_formula_injection_is_neutralised():
    for bad in ("=HYPERLINK(\"http://x\")", "+1", "-2+3", "@SUM(A1)", "\tx", "\rx"):
        assert safe(bad) == "'" + bad
    assert safe("Luton") == "Luton"
    assert safe(-3) == -3 and safe(2.5) == 2.5
