"""``masa report build``: writes the files, names bad formats and periods in one line, and
publishes approved returns only (``--draft`` for review builds)."""

from __future__ import annotations

import re
import shutil

import pytest
from typer.testing import CliRunner

from masa.cli import app

runner = CliRunner()


@pytest.fixture
def partly_approved(example_dir, tmp_path):
    """A copy of the example whose ICB and CCS returns are approved; the rest stay submitted."""
    folder = tmp_path / "example"
    shutil.copytree(example_dir, folder)
    for path in (folder / "returns").rglob("*.yaml"):
        if path.stem in ("icb", "ccs"):
            text = path.read_text(encoding="utf-8")
            assert "status: submitted" in text
            # the ICB's text states the forum's 3 sessions, which its table shows as "c"
            # (privacy.suppressed-figure): the business unit has that fixed before approving
            text = text.replace("Forum met 3 times,", "Forum met through the year,")
            path.write_text(text.replace("status: submitted", "status: approved"), encoding="utf-8")
    return folder


def test_build_from_folder_writes_and_prints_each_path(partly_approved, tmp_path):
    out = tmp_path / "out"
    result = runner.invoke(app, ["report", "build", "--from-folder", str(partly_approved), "--period", "2024/25",
                                 "--format", "csv,html", "--out", str(out)])
    assert result.exit_code == 0, result.output
    for name in ("luton-2024-25-report.csv", "luton-2024-25-report.html"):
        assert (out / name).exists()
        assert name in result.output
    assert "Partial: 15 return(s) not yet approved" in result.output


def test_a_public_build_of_unapproved_returns_is_refused(example_dir, tmp_path):
    result = runner.invoke(app, ["report", "build", "--from-folder", str(example_dir), "--period", "2024-25",
                                 "--format", "csv,html", "--out", str(tmp_path / "report")])
    assert result.exit_code == 2
    assert "no return for 2024-25 is approved or published yet" in result.output and "--draft" in result.output
    assert "Traceback" not in result.output
    assert not list(tmp_path.iterdir()), "a refused build left a folder that looks like a report"


def test_a_partial_public_build_leaves_out_unapproved_returns_and_says_so(partly_approved, tmp_path):
    runner.invoke(app, ["report", "build", "--from-folder", str(partly_approved), "--period", "2024-25",
                        "--format", "html", "--out", str(tmp_path)])
    html = (tmp_path / "luton-2024-25-report.html").read_text(encoding="utf-8")
    top = html[:html.index('<h2 id="appendix-b"')]
    assert "This report is not complete: it includes only returns approved for publication" in top
    assert "Bedfordshire Police (Appendix B): the return has been submitted and is awaiting approval." in top
    assert "Integrated Care Board (Appendix" not in top  # approved: included
    assert "Bedfordshire Fire and Rescue Service (Appendix B)" in top
    assert "3 girls" not in html  # the submitted Fire narrative is not published
    police = html[html.index('id="appendix-b-police"'):html.index('id="appendix-b-ccs"')]
    assert "has been submitted and is awaiting approval; it is not included in this report" in police
    assert "No response was received" not in police
    nspcc_c = html[html.index('id="appendix-c-nspcc"'):]
    assert "No response was received for this period." in nspcc_c[:400]  # no return at all


def test_draft_build_reads_every_return_and_is_marked(example_dir, tmp_path):
    result = runner.invoke(app, ["report", "build", "--from-folder", str(example_dir), "--period", "2024-25",
                                 "--format", "csv,html", "--out", str(tmp_path), "--draft"])
    assert result.exit_code == 0, result.output
    assert "DRAFT – NOT FOR PUBLICATION" in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["luton-2024-25-report-DRAFT.csv",
                                                           "luton-2024-25-report-DRAFT.html"]
    csv_lines = (tmp_path / "luton-2024-25-report-DRAFT.csv").read_text(encoding="utf-8").splitlines()
    assert csv_lines[0] == "DRAFT – NOT FOR PUBLICATION"
    assert all(line.endswith("draft-not-for-publication") for line in csv_lines[2:])


def test_internal_build_is_marked(example_dir, tmp_path):
    result = runner.invoke(app, ["report", "build", "--from-folder", str(example_dir), "--period", "2024-25",
                                 "--format", "csv", "--out", str(tmp_path), "--internal"])
    assert result.exit_code == 0, result.output
    assert "NOT FOR PUBLICATION" in result.output
    assert (tmp_path / "luton-2024-25-report-INTERNAL.csv").exists()


def test_unknown_format_lists_the_valid_ones(example_dir, tmp_path):
    result = runner.invoke(app, ["report", "build", "--from-folder", str(example_dir), "--period", "2024-25",
                                 "--format", "html,odt", "--out", str(tmp_path)])
    assert result.exit_code == 2
    assert "unknown format 'odt'; valid formats: html, pdf, docx, csv, xlsx" in result.output
    assert "Traceback" not in result.output
    assert not list(tmp_path.iterdir())


def test_period_outside_the_spec_is_named(example_dir, tmp_path):
    result = runner.invoke(app, ["report", "build", "--from-folder", str(example_dir), "--period", "2030-31",
                                 "--format", "csv", "--out", str(tmp_path)])
    assert result.exit_code == 2
    assert "2030-31" in result.output and "known years" in result.output


def test_missing_folder_is_a_clear_error(tmp_path):
    result = runner.invoke(app, ["report", "build", "--from-folder", str(tmp_path / "nope"), "--period", "2024-25",
                                 "--format", "csv", "--out", str(tmp_path)])
    assert result.exit_code == 2
    assert "not a folder" in result.output


def _folder_with(example_dir, tmp_path, *faults):
    folder = tmp_path / "in"
    shutil.copytree(example_dir, folder)
    path = folder / "returns" / "appendix-b" / "bfrs.yaml"
    text = path.read_text(encoding="utf-8")
    for old, new in faults:
        assert old in text
        text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")
    return folder, path


@pytest.mark.parametrize("faults,expected", [
    ([("    by: {area: luton}\n", "    by: {area: luton\n")], ["YAML syntax"]),
    ([("    value: 21\n", "    value: lots\n"), ("    value: 5\n", "    value: few\n")],
     ["(values.0.value): Input should be a valid number", "(values.2.value)"]),
])
def test_a_folder_that_does_not_load_gives_one_line_per_problem(example_dir, tmp_path, faults, expected):
    folder, path = _folder_with(example_dir, tmp_path, *faults)
    result = runner.invoke(app, ["report", "build", "--from-folder", str(folder), "--period", "2024-25",
                                 "--format", "csv", "--out", str(tmp_path / "out")])
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit)  # no traceback
    lines = result.output.strip().splitlines()
    assert len(lines) == len(expected), result.output
    for line, word in zip(lines, expected):
        assert re.match(rf"error: {re.escape(str(path))}:\d+", line), line
        assert word in line, line
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("typed", ["2024-25 Q5", "x2024-25", "2024-25;rm", "FY2024", "2024-26"])
def test_a_period_that_is_not_one_is_refused_in_one_line(example_dir, tmp_path, typed):
    """Nothing is read out of a longer text: '2024-25 Q5' is not 2024-25."""
    result = runner.invoke(app, ["report", "build", "--from-folder", str(example_dir), "--period", typed,
                                 "--draft", "--format", "csv", "--out", str(tmp_path)])
    assert result.exit_code == 2, result.output
    assert f"{typed!r} is not a period" in " ".join(result.output.split()) and "Traceback" not in result.output


@pytest.mark.parametrize("typed,code", [("2024/25", "2024-25"), ("FY 2024-2025", "2024-25"), ("Q1 2024/25", "2024-25 Q1"),
                                        (" 2024-25 q2 ", "2024-25 Q2")])
def test_the_ways_people_write_a_period_are_read(typed, code):
    from masa.spec import read_period

    assert read_period(typed) == code
