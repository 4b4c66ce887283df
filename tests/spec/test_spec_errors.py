"""A broken spec is refused with the file, the line and the field of each problem."""

from __future__ import annotations

import shutil

import pytest

from masa.spec import SpecError, load_spec


@pytest.fixture
def spec_dir(tmp_path, example_dir):
    target = tmp_path / "spec"
    shutil.copytree(example_dir / "spec", target)
    return target


def _edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture text {old!r} not found in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _line_of(path, needle):
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            return n
    raise AssertionError(needle)


def _error(spec_dir) -> str:
    with pytest.raises(SpecError) as exc:
        load_spec(spec_dir)
    return str(exc.value)


def test_unknown_area_names_file_line_and_field(spec_dir):
    partners = spec_dir / "partners.yaml"
    _edit(partners, "areas: [luton]\n  - code: cgl", "areas: [lutonn]\n  - code: cgl")
    msg = _error(spec_dir)
    assert f"partners.yaml:{_line_of(partners, '[lutonn]')}" in msg
    assert "partners.7.areas.0" in msg and "unknown area 'lutonn'" in msg


def test_duplicate_code(spec_dir):
    priorities = spec_dir / "priorities.yaml"
    _edit(priorities, "{code: csa,", "{code: neglect,")
    msg = _error(spec_dir)
    assert "priorities.yaml" in msg and "duplicate code 'neglect'" in msg


def test_percent_target_over_100(spec_dir):
    _edit(spec_dir / "indicators.yaml", "target: {value: 90,", "target: {value: 190,")
    msg = _error(spec_dir)
    assert "indicators.yaml" in msg and "outside 0-100" in msg


def test_unknown_field_is_not_ignored(spec_dir):
    partners = spec_dir / "partners.yaml"
    _edit(partners, "    type: police\n", "    type: police\n    colour: blue\n")
    msg = _error(spec_dir)
    assert f"partners.yaml:{_line_of(partners, 'colour: blue')}" in msg and "unknown field 'colour'" in msg


def test_yaml_syntax_error_names_the_line(spec_dir):
    rules = spec_dir / "rules.yaml"
    _edit(rules, "    severity: error\n    applies_to: {unit: percent}", "    severity: [error\n    applies_to: {unit: percent}")
    msg = _error(spec_dir)
    assert "rules.yaml:" in msg and "YAML syntax" in msg


def test_rule_with_unknown_indicator_or_bad_expression(spec_dir):
    rules = spec_dir / "rules.yaml"
    _edit(rules, "left: child_safeguarding_referrals\n", "left: child_referals\n")
    msg = _error(spec_dir)
    assert "unknown indicator 'child_referals'" in msg and "rules.yaml" in msg
    _edit(rules, "left: child_referals\n", "left: child_safeguarding_referrals +\n")
    assert "expected more input" in _error(spec_dir)


def test_rule_selecting_an_option_the_breakdown_lacks(spec_dir):
    _edit(spec_dir / "rules.yaml", "right: sum(child_safeguarding_referrals[sex=*])",
          "right: child_safeguarding_referrals[sex=unknown]")
    assert "'unknown' is not an option of breakdown 'sex'" in _error(spec_dir)


def test_same_section_in_two_files(spec_dir):
    (spec_dir / "zz-extra.yaml").write_text("areas:\n  - {code: x, name: X}\n", encoding="utf-8")
    msg = _error(spec_dir)
    assert "zz-extra.yaml:1" in msg and "already defined in" in msg


@pytest.mark.parametrize("char,name", [("\x00", "NUL"), ("\x07", "BEL")])
def test_a_control_character_names_the_file_and_line(spec_dir, char, name):
    partners = spec_dir / "partners.yaml"
    _edit(partners, "name: Bedfordshire Fire", f"name: Bedfordshire{char} Fire")
    msg = _error(spec_dir)
    assert f"partners.yaml:{_line_of(partners, 'Bedfordshire' + char)}: control character" in msg
    assert f"U+{ord(char):04X} ({name})" in msg
    assert len(msg.splitlines()) == 1
