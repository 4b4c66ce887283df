"""A new partnership's starter spec (masa.spec.starter), and `masa init` writing it."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from masa.spec import load_spec
from masa.spec.starter import StarterError, financial_year, split_area_names, starter_spec

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "luton-2024-25"


def _run(*args):
    from masa.cli import app

    return CliRunner().invoke(app, list(args))


def test_starter_spec_has_the_areas_statutory_partners_and_standard_catalogue():
    spec = starter_spec("Northtown Safeguarding Children Partnership", ["Kent", "medway council"],
                        today=date(2026, 2, 1))
    assert [(a.name, a.ons_code) for a in spec.areas] == [("Kent", "E10000016"), ("Medway", "E06000035")]
    assert spec.partnership.code == "northtown-safeguarding-children-partnership"
    assert spec.periods.current == "2025-26" and spec.periods.financial_years == ["2024-25", "2025-26"]
    statutory = {p.type for p in spec.partners if p.statutory}
    assert statutory == {"local-authority", "police", "icb"}
    assert [p.areas for p in spec.partners if p.type == "local-authority"] == [["kent"], ["medway"]]
    assert {t.code for t in spec.templates} == {"appendix-b", "appendix-c"}
    assert {"safeguarding_referrals", "training_compliance", "missing_episodes"} <= {i.code for i in spec.indicators}


def test_every_indicator_a_standard_definition_computes_is_in_the_catalogue():
    from masa.indicators.definition import standard_definitions

    spec = starter_spec("X Partnership", ["Kent"])
    assert {d.indicator for d in standard_definitions()} <= {i.code for i in spec.indicators}
    # and each says what it counts, in the definition's words
    assert spec.indicator("first_time_entrants").description.startswith("Children aged 10-17")
    assert spec.indicator("training_compliance").description.startswith("Of the staff who must complete")


def test_financial_year_turns_in_april():
    assert financial_year(date(2026, 3, 31)) == "2025-26"
    assert financial_year(date(2026, 4, 1)) == "2026-27"


def test_area_names_with_commas_stay_whole():
    assert split_area_names("Bournemouth, Christchurch and Poole, Dorset") == [
        "Bournemouth, Christchurch and Poole", "Dorset"]


@pytest.mark.parametrize("name,areas,year,field,message", [
    ("P", ["Northtown"], None, "areas", "'Northtown' is not a local authority"),
    ("P", ["Lestershire"], None, "areas", "did you mean Leicestershire"),
    ("P", ["Kent", "Kent County Council"], None, "areas", "Kent is chosen twice"),
    ("P", ["Canterbury"], None, "areas", "Canterbury is a district of Kent, which has the children's services"),
    ("P", [], None, "areas", "choose at least one"),
    ("  ", ["Kent"], None, "name", "enter the partnership's name"),
    ("P", ["Kent"], "2025/26 Q1", "year", "is not a financial year"),
])
def test_bad_input_names_the_field(name, areas, year, field, message):
    with pytest.raises(StarterError) as exc:
        starter_spec(name, areas, year=year)
    assert exc.value.field == field and message in str(exc.value)


def _example_names() -> list[str]:
    """Every name of the example's partners and areas (official, short and aliases)."""
    raw = yaml.safe_load((EXAMPLE / "spec" / "partners.yaml").read_text())
    names = {"Luton", "Bedfordshire", "LSCP"}
    for p in raw["partners"]:
        names.update([p["name"], p["short_name"], *p.get("aliases", [])])
    return sorted(names)


def test_init_writes_a_folder_that_loads_with_no_example_name_in_it(tmp_path):
    out = tmp_path / "northtown"
    r = _run("init", "Northtown Safeguarding Children Partnership", "--areas", "Kent,Medway", "--out", str(out),
             "--year", "2025-26")
    assert r.exit_code == 0, r.output
    assert "Kent (E10000016)" in r.output and "masa load" in r.output
    spec = load_spec(out / "spec")
    assert spec.periods.current == "2025-26"
    written = [p for p in out.rglob("*") if p.is_file()]
    assert {p.name for p in written} >= {"partnership.yaml", "partners.yaml", "indicators.yaml", "templates.yaml"}
    assert (out / "returns").is_dir()
    names = _example_names()
    assert "Bedfordshire Police" in names and "ELFT" in names  # the list is read, not empty
    pattern = re.compile(r"\b(" + "|".join(re.escape(n) for n in names) + r")\b", re.IGNORECASE)
    for path in written:
        found = pattern.findall(path.read_text(encoding="utf-8"))
        assert not found, f"{path.name} holds the example's names {found}"


@pytest.mark.parametrize("args,message", [
    (["P", "--areas", "Northtown,Kent"], "--areas: 'Northtown' is not a local authority"),
    (["P", "--areas", "Kent,kent"], "--areas: Kent is chosen twice"),
    (["", "--areas", "Kent"], "NAME: enter the partnership's name"),
    (["P", "--areas", "Kent", "--year", "2025"], "--year: '2025' is not a financial year"),
    (["Api", "--areas", "Kent"], "NAME: the partnership code 'api' is one of the web's own paths"),
    (["P", "--areas", "Kent", "--code", "Returns"], "--code: the partnership code 'returns' is one of the web's"),
])
def test_init_bad_input_writes_nothing(tmp_path, args, message):
    out = tmp_path / "new"
    r = _run("init", *args, "--out", str(out))
    assert r.exit_code == 2
    assert message in " ".join(r.output.split())
    assert not out.exists()


def test_init_refuses_a_folder_with_files_in_it(tmp_path):
    (tmp_path / "keep.txt").write_text("mine")
    r = _run("init", "P", "--areas", "Kent", "--out", str(tmp_path))
    assert r.exit_code == 2 and "already exists and is not empty" in r.output
    assert [p.name for p in tmp_path.iterdir()] == ["keep.txt"]
