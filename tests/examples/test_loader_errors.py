"""Broken return files: the example loader must say which file, which line and which field.

Each test copies the real Luton spec into tmp_path, writes one small return with a single
fault, and checks the error a partnership officer would read.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from masa.returns import load_dataset
from masa.spec.loader import SpecError

# A valid return; the line numbers matter (see each test).
GOOD = """\
partner: bfrs
period: 2024-25
template: appendix-b
status: submitted
sections:
  - section: achievements
    text: Referrals went up this year.
values:
  - indicator: child_safeguarding_referrals
    by: {area: luton, sex: female}
    value: 3
  - indicator: referral_share
    by: {age-group: child}
    value: 7
"""


def _folder(tmp_path: Path, example_dir: Path, files: dict[str, str]) -> Path:
    shutil.copytree(example_dir / "spec", tmp_path / "spec")
    for name, text in files.items():
        path = tmp_path / "returns" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return tmp_path


def _problems(tmp_path, example_dir, text: str, name: str = "appendix-b/bfrs.yaml"):
    folder = _folder(tmp_path, example_dir, {name: text})
    with pytest.raises(SpecError) as info:
        load_dataset(folder)
    return info.value, str(folder / "returns" / name)


def _only(exc: SpecError, field: str):
    """The problem reported for one field (there may be others for the same fault)."""
    found = [(loc, msg) for loc, msg in exc.problems if loc.field == field]
    assert found, f"no problem for field {field!r}; got: {exc}"
    return found[0]


def test_the_good_file_loads(tmp_path, example_dir):
    data = load_dataset(_folder(tmp_path, example_dir, {"appendix-b/bfrs.yaml": GOOD}))
    assert [r.partner for r in data.returns] == ["bfrs"]


def test_unknown_partner(tmp_path, example_dir):
    exc, path = _problems(tmp_path, example_dir, GOOD.replace("partner: bfrs", "partner: bfrx"))
    loc, msg = _only(exc, "partner")
    assert (loc.file, loc.line) == (path, 1)
    assert "unknown partner 'bfrx'" in msg and "bfrs" in msg  # lists the valid codes
    assert f"{path}:1 (partner)" in str(exc)


def test_unknown_area(tmp_path, example_dir):
    exc, path = _problems(tmp_path, example_dir, GOOD.replace("area: luton", "area: lutton"))
    loc, msg = _only(exc, "values.0.by.area")
    assert (loc.file, loc.line) == (path, 10)
    assert "'lutton'" in msg and "luton" in msg
    assert f"{path}:10 (values.0.by.area)" in str(exc)


def test_percent_over_100(tmp_path, example_dir):
    exc, path = _problems(tmp_path, example_dir, GOOD.replace("value: 7", "value: 107"))
    loc, msg = _only(exc, "values.1.value")
    assert (loc.file, loc.line) == (path, 14)
    assert "107" in msg and "percentage" in msg


def test_value_for_a_period_not_in_the_spec(tmp_path, example_dir):
    text = GOOD.replace("    value: 7", "    period: 2019-20\n    value: 7")
    exc, path = _problems(tmp_path, example_dir, text)
    loc, msg = _only(exc, "values.1.period")
    assert (loc.file, loc.line) == (path, 14)
    assert "2019-20" in msg and "spec" in msg


def test_breakdown_option_not_in_the_breakdown(tmp_path, example_dir):
    exc, path = _problems(tmp_path, example_dir, GOOD.replace("sex: female", "sex: girl"))
    loc, msg = _only(exc, "values.0.by.sex")
    assert (loc.file, loc.line) == (path, 10)
    assert "'girl'" in msg and "female" in msg  # names the bad option and the valid ones


def test_breakdown_the_indicator_does_not_have(tmp_path, example_dir):
    exc, path = _problems(
        tmp_path, example_dir, GOOD.replace("{age-group: child}", "{age-group: child, sex: male}")
    )
    loc, msg = _only(exc, "values.1.by.sex")
    assert (loc.file, loc.line) == (path, 13)
    assert "no breakdown 'sex'" in msg


def test_the_same_figure_twice(tmp_path, example_dir):
    text = GOOD + "  - indicator: referral_share\n    by: {age-group: child}\n    value: 8\n"
    exc, path = _problems(tmp_path, example_dir, text)
    loc, msg = _only(exc, "values.2")
    assert (loc.file, loc.line) == (path, 15)
    assert "twice" in msg and "values[1]" in msg


def test_yaml_syntax_error(tmp_path, example_dir):
    folder = _folder(
        tmp_path, example_dir, {"appendix-b/bfrs.yaml": GOOD.replace("sex: female}", "sex: female")}
    )
    with pytest.raises(SpecError) as info:
        load_dataset(folder)
    ((loc, msg),) = info.value.problems
    assert loc.file == str(folder / "returns" / "appendix-b" / "bfrs.yaml")
    assert loc.line in (10, 11)  # the unclosed flow mapping is noticed at the next line
    assert msg.startswith("YAML syntax")


@pytest.mark.parametrize("char,name", [("\x00", "NUL"), ("\x07", "BEL"), ("\x1b", "ESC")])
def test_a_control_character_is_named_with_its_line(tmp_path, example_dir, char, name):
    exc, path = _problems(tmp_path, example_dir, GOOD.replace("went up", f"went{char} up"))
    ((loc, msg),) = exc.problems
    assert (loc.file, loc.line) == (path, 7)
    assert f"control character U+{ord(char):04X} ({name}) at column 25" in msg


def _cli(*args):
    from typer.testing import CliRunner

    from masa.cli import app

    return CliRunner().invoke(app, list(args))


@pytest.mark.parametrize("fault", [("went up", "went\x07 up"), ("sex: female}", "sex: female")])
def test_report_build_from_folder_names_the_file_and_line(tmp_path, example_dir, fault):
    folder = _folder(tmp_path / "in", example_dir, {"appendix-b/bfrs.yaml": GOOD.replace(*fault)})
    result = _cli("report", "build", "--from-folder", str(folder), "--period", "2024-25",
                  "--format", "csv", "--out", str(tmp_path / "out"))
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit)  # no traceback
    assert f"{folder / 'returns' / 'appendix-b' / 'bfrs.yaml'}:" in result.output
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())


def test_masa_load_names_a_control_character_and_loads_nothing(tmp_path, example_dir):
    folder = _folder(tmp_path, example_dir, {"appendix-b/bfrs.yaml": GOOD.replace("went up", "went\x00 up")})
    result = _cli("load", str(folder))
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit)
    assert f"{folder / 'returns' / 'appendix-b' / 'bfrs.yaml'}:7: control character U+0000 (NUL)" in result.output
    assert "nothing was loaded" in result.output


def test_duplicate_key(tmp_path, example_dir):
    folder = _folder(
        tmp_path,
        example_dir,
        {"appendix-b/bfrs.yaml": GOOD.replace("status: submitted", "status: submitted\nperiod: 2023-24")},
    )
    with pytest.raises(SpecError) as info:
        load_dataset(folder)
    ((loc, msg),) = info.value.problems
    assert (loc.file, loc.line, loc.field) == (
        str(folder / "returns" / "appendix-b" / "bfrs.yaml"),
        5,
        "period",
    )
    assert "duplicate key" in msg


def test_unknown_field(tmp_path, example_dir):
    exc, path = _problems(
        tmp_path, example_dir, GOOD.replace("status: submitted", "status: submitted\ncolour: red")
    )
    loc, msg = _only(exc, "colour")
    assert (loc.file, loc.line) == (path, 5)
    assert "unknown field 'colour'" in msg


def test_unknown_field_inside_a_value(tmp_path, example_dir):
    exc, path = _problems(
        tmp_path, example_dir, GOOD.replace("    value: 3", "    value: 3\n    unit: count")
    )
    loc, msg = _only(exc, "values.0.unit")
    assert (loc.file, loc.line) == (path, 12)
    assert "unknown field 'unit'" in msg


def test_missing_required_field(tmp_path, example_dir):
    exc, path = _problems(tmp_path, example_dir, GOOD.replace("template: appendix-b\n", ""))
    loc, msg = _only(exc, "template")
    assert loc.file == path
    assert "missing field 'template'" in msg


def test_a_number_that_is_not_a_number(tmp_path, example_dir):
    exc, path = _problems(tmp_path, example_dir, GOOD.replace("value: 3", "value: three"))
    loc, _msg = _only(exc, "values.0.value")
    assert (loc.file, loc.line) == (path, 11)


def test_every_broken_file_is_reported_and_nothing_is_loaded(tmp_path, example_dir):
    """All or nothing: one good file does not get loaded when another is broken, and each
    broken file is named."""
    folder = _folder(
        tmp_path,
        example_dir,
        {
            "appendix-b/bfrs.yaml": GOOD,
            "appendix-b/elft.yaml": GOOD.replace("partner: bfrs", "partner: elft").replace(
                "sex: female", "sex: f"
            ),
            "appendix-b/icb.yaml": GOOD.replace("partner: bfrs", "partner: icb").replace(
                "value: 7", "value: 170"
            ),
        },
    )
    with pytest.raises(SpecError) as info:
        load_dataset(folder)
    files = {Path(loc.file).name for loc, _ in info.value.problems}
    assert files == {"elft.yaml", "icb.yaml"}


def test_two_files_for_the_same_return(tmp_path, example_dir):
    folder = _folder(tmp_path, example_dir, {"appendix-b/bfrs.yaml": GOOD, "appendix-b/bfrs-copy.yaml": GOOD})
    with pytest.raises(SpecError) as info:
        load_dataset(folder)
    ((loc, msg),) = info.value.problems
    assert loc.file.endswith("bfrs.yaml") or loc.file.endswith("bfrs-copy.yaml")
    assert "already in" in msg


def test_a_folder_without_a_spec_is_named_as_not_a_partnership(tmp_path):
    from masa.returns import load_dataset
    from masa.spec import SpecError

    with pytest.raises(SpecError, match="not a partnership folder: it needs a spec/ folder"):
        load_dataset(tmp_path)
