"""Bad extracts: a report naming file, column, rows and count; the run stops, or with
lenient the rows are quarantined and counted in the provenance. Nothing half-written."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from masa.cli import app
from masa.indicators import ExtractError, compute
from masa.indicators.synth import write_broken
from tests.indicators.indicators_helpers import DATA, LUTON_FOLDER, by_key, unsuppressed


@pytest.fixture
def csc(standard):
    return [d for d in standard if d.source.table == "referrals"]


@pytest.mark.parametrize("kind,column,problem,rows,count", [
    ("wrong-type", "birth_year", "cannot be read as a whole number", (5, 9, 13), 3),
    ("bad-date", "referral_date", "cannot be read as a date", (5, 9, 13), 3),
    ("unknown-area", "area", "E06000999", (5, 9, 13), 3),
    ("duplicate-id", "referral_id", "duplicate id", (2, 5, 9, 13), 4),
])
def test_row_problems_name_file_column_rows_and_count(csc, tmp_path, kind, column, problem, rows, count):
    path = write_broken(tmp_path, kind)
    with pytest.raises(ExtractError) as exc:
        compute(csc, {"referrals": path}, "2024-25")
    [issue] = exc.value.issues
    assert (issue.file, issue.column, issue.rows, issue.count) == (path.name, column, rows, count)
    assert problem in str(issue) and path.name in str(exc.value)


def test_missing_column_stops_even_when_lenient(csc, tmp_path):
    path = write_broken(tmp_path, "missing-column")
    with pytest.raises(ExtractError) as exc:
        compute(csc, {"referrals": path}, "2024-25", lenient=True)
    assert exc.value.issues[0].column == "sex"
    assert "missing" in str(exc.value)


HEADER = (DATA / "referrals.csv").read_bytes().splitlines(keepends=True)[0]


@pytest.mark.parametrize("content,message", [(b"", "empty"), (HEADER, "no records")])
def test_empty_files(csc, tmp_path, content, message):
    path = tmp_path / "referrals.csv"
    path.write_bytes(content)
    with pytest.raises(ExtractError, match=message):
        compute(csc, {"referrals": path}, "2024-25", lenient=True)


def test_lenient_quarantines_bad_rows_and_says_how_many(csc, tmp_path):
    path = write_broken(tmp_path, "bad-date", rows=40)
    result = compute(unsuppressed(csc), {"referrals": path}, "2024-25", lenient=True)
    assert {v.provenance.quarantined for v in result.values} == {3}
    assert {v.provenance.rows for v in result.values} == {40}
    assert result.quarantined == 3


def test_lenient_result_leaves_quarantined_rows_out(standard, tmp_path):
    """A row with an unknown area is dropped; the rest still count."""
    text = (DATA / "referrals.csv").read_text().replace("R9,C5,2024-04-01,2016,2,F,E06000032",
                                                        "R9,C5,2024-04-01,2016,2,F,E06000999")
    path = tmp_path / "referrals.csv"
    path.write_text(text)
    defs = unsuppressed([d for d in standard if d.id == "csc_referrals"])
    result = compute(defs, {"referrals": path}, "2024-25", lenient=True)
    assert by_key(result.values)[("csc_referrals", ())] == 5
    assert result.quarantined == 1


def test_missing_extract_names_the_table_and_definitions(standard):
    with pytest.raises(ExtractError, match="no extract given for table 'training'.*training_compliance"):
        compute(standard, {}, "2024-25")


def test_unsupported_file_type(csc, tmp_path):
    path = tmp_path / "referrals.json"
    path.write_text("{}")
    with pytest.raises(ExtractError, match="unsupported file type '.json'"):
        compute(csc, {"referrals": path}, "2024-25")


def test_xlsx_and_parquet_extracts_give_the_same_figures_as_csv(standard, tmp_path):
    import duckdb
    import openpyxl

    defs = unsuppressed([d for d in standard if d.source.table == "referrals"])
    csv = DATA / "referrals.csv"
    wb = openpyxl.Workbook()
    ws = wb.active
    for line in csv.read_text().splitlines():
        ws.append([int(x) if x.isdigit() else x for x in line.split(",")])
    wb.save(tmp_path / "referrals.xlsx")
    duckdb.sql(f"COPY (SELECT * FROM read_csv('{csv}', all_varchar=true)) TO '{tmp_path / 'referrals.parquet'}' (FORMAT PARQUET)")
    want = by_key(compute(defs, {"referrals": csv}, "2024-25").values)
    for name in ("referrals.xlsx", "referrals.parquet"):
        assert by_key(compute(defs, {"referrals": tmp_path / name}, "2024-25").values) == want, name


def test_xlsx_problem_rows_are_sheet_rows(standard, tmp_path):
    import openpyxl

    defs = [d for d in standard if d.id == "csc_referrals"]
    wb = openpyxl.Workbook()
    ws = wb.active
    for line in (DATA / "referrals.csv").read_text().splitlines():
        ws.append(line.split(","))
    ws["C4"] = "not a date"  # third record, sheet row 4
    wb.save(tmp_path / "r.xlsx")
    with pytest.raises(ExtractError) as exc:
        compute(defs, {"referrals": tmp_path / "r.xlsx"}, "2024-25")
    assert exc.value.issues[0].rows == (4,)


def test_cli_writes_nothing_on_bad_input(tmp_path):
    out = tmp_path / "values.json"
    bad = write_broken(tmp_path, "bad-date")
    res = CliRunner().invoke(app, ["indicators", "compute", "--partnership", str(LUTON_FOLDER), "--extract", f"referrals={bad}",
                                   "--period", "2024-25", "--out", str(out)])
    assert res.exit_code == 2
    assert "referrals-bad-date.csv" in res.output and "referral_date" in res.output and "5, 9, 13" in res.output
    assert "Traceback" not in res.output
    assert not out.exists() and not list(tmp_path.glob(".values.json*"))


def test_cli_lenient_writes_with_quarantine_count(tmp_path):
    out = tmp_path / "values.json"
    bad = write_broken(tmp_path, "bad-date")
    res = CliRunner().invoke(app, ["indicators", "compute", "--partnership", str(LUTON_FOLDER), "--extract", f"referrals={bad}", "--lenient",
                                   "--period", "2024-25", "--out", str(out)])
    assert res.exit_code == 0, res.output
    values = json.loads(out.read_text())["values"]
    assert values and all(v["provenance"]["quarantined"] == 3 for v in values)


@pytest.mark.parametrize("name,content,message", [
    ("referrals.csv", b"\x00\xff\xfe garbage \x00\x01\n\x02\x03", "cannot be read|missing"),
    ("referrals.xlsx", b"not a zip file", "corrupt Excel workbook: File is not a zip file"),
    ("referrals.parquet", b"PAR1 not really", "cannot be read"),
])
def test_damaged_files_are_reported_not_raised(csc, tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(ExtractError, match=message):
        compute(csc, {"referrals": path}, "2024-25")


def test_a_failed_run_leaves_an_earlier_output_untouched(tmp_path):
    out = tmp_path / "values.json"
    out.write_text("earlier results\n")
    bad = write_broken(tmp_path, "unknown-area")
    res = CliRunner().invoke(app, ["indicators", "compute", "--partnership", str(LUTON_FOLDER), "--extract", f"referrals={bad}",
                                   "--period", "2024-25", "--out", str(out)])
    assert res.exit_code == 2 and "E06000999" in res.output
    assert out.read_text() == "earlier results\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["referrals-unknown-area.csv", "values.json"]


def _xlsx_bomb(path, member_bytes: int):
    """A zip that claims to be a workbook and expands far beyond its size."""
    import zipfile

    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
        z.writestr("xl/worksheets/sheet1.xml", b"0" * member_bytes)
    return path


def test_an_xlsx_zip_bomb_is_refused_before_it_is_opened(csc, tmp_path, monkeypatch):
    import openpyxl

    def never(*a, **k):
        raise AssertionError("openpyxl must not open a zip bomb")

    monkeypatch.setattr(openpyxl, "load_workbook", never)
    path = _xlsx_bomb(tmp_path / "referrals.xlsx", 3 * 1024 * 1024)
    with pytest.raises(ExtractError) as exc:
        compute(csc, {"referrals": path}, "2024-25")
    assert str(exc.value).startswith(
        "referrals.xlsx: refused as a possible zip bomb: xl/worksheets/sheet1.xml expands")


def test_an_oversized_xlsx_is_refused_by_the_cli_in_one_line(tmp_path, monkeypatch):
    from masa.ingest.readers import guard

    monkeypatch.setattr(guard, "DEFAULT_MAX_BYTES", 1024 * 1024)
    path = tmp_path / "referrals.xlsx"
    path.write_bytes(b"PK" + b"x" * (3 * 1024 * 1024 // 2))
    out = tmp_path / "values.json"
    res = CliRunner().invoke(app, ["indicators", "compute", "--partnership", str(LUTON_FOLDER), "--extract", f"referrals={path}",
                                   "--period", "2024-25", "--out", str(out)])
    assert res.exit_code == 2, res.output
    assert "referrals.xlsx: file is 1.5 MB, over the import limit of 1.0 MB" in res.output
    assert isinstance(res.exception, SystemExit) and not out.exists()


def _broken_definitions(tmp_path):
    """A copy of the standard set with a YAML syntax error in one file and a NUL in another."""
    import shutil
    from pathlib import Path

    import masa.indicators

    folder = tmp_path / "definitions"
    shutil.copytree(Path(masa.indicators.__file__).parent / "standard", folder)
    training = folder / "training.yaml"
    text = training.read_text(encoding="utf-8")
    training.write_text(text.replace("  unit: count\n", "  unit: [count\n", 1), encoding="utf-8")
    missing = folder / "missing.yaml"
    lines = missing.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[3] = lines[3].rstrip("\n") + "\x00\n"
    missing.write_text("".join(lines), encoding="utf-8")
    return folder, training, missing


def test_definition_files_that_are_not_yaml_are_named_with_their_line(tmp_path):
    from masa.indicators import DefinitionError, load_definitions

    folder, training, missing = _broken_definitions(tmp_path)
    with pytest.raises(DefinitionError) as exc:
        load_definitions(folder)
    where = {(loc.file, loc.line) for loc, _ in exc.value.problems}
    assert (str(missing), 4) in where  # every file's problem, not just the first
    assert any(f == str(training) and line in (11, 12) for f, line in where)


def test_cli_names_a_yaml_error_in_a_definition_file_in_one_line(tmp_path):
    folder, training, missing = _broken_definitions(tmp_path)
    missing.unlink()
    res = CliRunner().invoke(app, ["indicators", "list", "--spec", str(folder)])
    assert res.exit_code == 2, res.output
    assert isinstance(res.exception, SystemExit)  # no traceback
    lines = res.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {training}:1"), res.output
    assert "YAML syntax" in lines[0]
