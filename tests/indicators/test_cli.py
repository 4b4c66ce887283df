"""The command line: compute (with a key file), explain, list, synth."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from masa.cli import app
from tests.indicators.indicators_helpers import DATA, LUTON_FOLDER

runner = CliRunner()


def test_list_shows_every_standard_definition():
    res = runner.invoke(app, ["indicators", "list"], env={"COLUMNS": "200"})
    assert res.exit_code == 0
    for ref in ("repeat_referral_rate@1", "training_compliance@1", "cp_conference_timeliness@1"):
        assert ref in res.output


def test_explain_gives_plain_english_and_sql():
    res = runner.invoke(app, ["indicators", "explain", "repeat_referral_rate"], env={"COLUMNS": "200"})
    assert res.exit_code == 0
    assert "365 days" in res.output and "LAG(" in res.output and "GROUP BY CUBE" in res.output


def test_explain_unknown_id():
    res = runner.invoke(app, ["indicators", "explain", "nope"])
    assert res.exit_code == 2 and "unknown definition 'nope'" in res.output


def test_compute_with_key_file_and_only_the_extracts_given(tmp_path):
    key = tmp_path / "key"
    key.write_text("a-long-enough-partner-secret\n")
    out = tmp_path / "sub" / "values.json"
    res = runner.invoke(app, ["indicators", "compute", "--partnership", str(LUTON_FOLDER), "-e", f"referrals={DATA / 'referrals.csv'}",
                              "-e", f"training={DATA / 'training.csv'}", "--period", "2024/25",
                              "--out", str(out), "--key-file", str(key)])
    assert res.exit_code == 0, res.output
    data = json.loads(out.read_text())
    assert data["period"] == "2024-25"
    assert {v["provenance"]["source"] for v in data["values"]} == {"referrals.csv", "training.csv"}


def test_compute_rejects_short_key_and_bad_extract_syntax(tmp_path):
    key = tmp_path / "key"
    key.write_text("short")
    res = runner.invoke(app, ["indicators", "compute", "--partnership", str(LUTON_FOLDER), "-e", f"referrals={DATA / 'referrals.csv'}",
                              "--period", "2024-25", "--out", str(tmp_path / "v.json"), "--key-file", str(key)])
    assert res.exit_code == 2 and "too short" in res.output
    res = runner.invoke(app, ["indicators", "compute", "--partnership", str(LUTON_FOLDER), "-e", "referrals.csv",
                              "--period", "2024-25", "--out", str(tmp_path / "v.json")])
    assert res.exit_code == 2 and "NAME=FILE" in res.output


def test_synth_then_compute_end_to_end(tmp_path):
    res = runner.invoke(app, ["synth", "--rows", "600", "--seed", "4", "--out", str(tmp_path / "x")])
    assert res.exit_code == 0, res.output
    args = ["indicators", "compute", "--partnership", str(LUTON_FOLDER), "--period", "2024-25", "--out", str(tmp_path / "v.json")]
    for f in sorted((tmp_path / "x").glob("*.csv")):
        args += ["-e", f"{f.stem}={f}"]
    res = runner.invoke(app, args)
    assert res.exit_code == 0, res.output
    indicators = {v["indicator"] for v in json.loads((tmp_path / "v.json").read_text())["values"]}
    assert len(indicators) == 17


def test_synth_to_an_unwritable_place_is_one_clear_line(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    res = runner.invoke(app, ["synth", "--rows", "100", "--out", str(blocker / "inside")])
    assert res.exit_code == 2
    assert "cannot write the extracts to" in res.output and "Traceback" not in res.output
