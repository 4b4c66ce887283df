"""``masa report build``: writes the files, names bad formats and periods in one line."""

from __future__ import annotations

from typer.testing import CliRunner

from masa.cli import app

runner = CliRunner()


def test_build_from_folder_writes_and_prints_each_path(example_dir, tmp_path):
    result = runner.invoke(app, ["report", "build", "--from-folder", str(example_dir), "--period", "2024/25",
                                 "--format", "csv,html", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    for name in ("luton-2024-25-report.csv", "luton-2024-25-report.html"):
        assert (tmp_path / name).exists()
        assert name in result.output


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
