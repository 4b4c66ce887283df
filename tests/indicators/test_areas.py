"""Area breakdowns come from the partnership's own areas (their ONS codes), so the standard
definitions serve any partnership, not only the example's."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from masa.cli import app
from masa.indicators import standard_definitions, with_areas

runner = CliRunner()


def _run(*args):
    return runner.invoke(app, [str(a) for a in args])


def test_a_new_partnership_gets_area_breakdowns_for_its_own_areas(tmp_path):
    folder = tmp_path / "northtown"
    r = _run("init", "Northtown Safeguarding Children Partnership", "--areas", "Kent,Medway", "--out", folder,
             "--year", "2024-25")
    assert r.exit_code == 0, r.output
    r = _run("synth", "--rows", "6000", "--seed", "2", "--out", tmp_path / "x", "--partnership", folder,
             "--format", "csv")
    assert r.exit_code == 0, r.output
    out = tmp_path / "v.json"
    r = _run("indicators", "compute", "-e", f"safeguarding_referrals={tmp_path / 'x' / 'safeguarding_referrals.csv'}",
             "--period", "2024-25", "--out", out, "--partnership", folder)
    assert r.exit_code == 0, r.output
    values = json.loads(out.read_text())["values"]
    areas = {v["by"]["area"] for v in values if v["indicator"] == "safeguarding_referrals" and "area" in v["by"]}
    assert areas == {"kent", "medway"}
    shown = [v for v in values if v["indicator"] == "safeguarding_referrals" and v["by"] == {"area": "kent"}]
    assert shown and shown[0]["value"] > 50  # about half of a year's referrals: a real number, not 'c'


def test_without_the_partnership_the_command_says_what_to_give(tmp_path):
    r = _run("synth", "--rows", "100", "--out", tmp_path / "x", "--partnership", tmp_path / "nowhere")
    assert r.exit_code == 2 and "--partnership" in r.output
    (tmp_path / "x").mkdir(exist_ok=True)
    r = _run("indicators", "compute", "-e", f"referrals={tmp_path / 'x' / 'referrals.csv'}", "--period", "2024-25",
             "--out", tmp_path / "v.json")
    assert r.exit_code == 2
    assert "csc_referrals: breakdown 'area' takes its areas from the partnership" in r.output
    assert "--partnership FOLDER" in r.output and not (tmp_path / "v.json").exists()


def test_a_map_the_definition_states_is_kept_and_wins():
    [d] = [d for d in standard_definitions() if d.id == "csc_referrals"]
    area = d.breakdowns[0]
    stated = d.model_copy(update={"breakdowns": [area.model_copy(update={"map": {"E06000035": "medway-towns"}}),
                                                 *d.breakdowns[1:]]})
    [made] = with_areas([stated], {"E10000016": "kent", "E06000035": "medway"})
    assert made.breakdowns[0].value_map == {"E10000016": "kent", "E06000035": "medway-towns"}
    assert not made.breakdowns[0].from_areas


def test_the_luton_example_maps_its_three_areas_as_the_tests_assume():
    from masa.indicators import area_map
    from masa.spec import load_spec
    from tests.indicators.indicators_helpers import LUTON_AREAS, LUTON_FOLDER

    assert area_map(load_spec(LUTON_FOLDER / "spec")) == LUTON_AREAS
