"""Definition files: strict validation with errors naming the file, line and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from masa.indicators import DefinitionError, load_definitions, standard_definitions
from masa.indicators.compute import compute

STANDARD = Path(__file__).resolve().parents[2] / "src/masa/indicators/standard/incidents.yaml"


def write(tmp_path, text: str) -> Path:
    path = tmp_path / "defs.yaml"
    path.write_text(text)
    return path


def base() -> str:
    return STANDARD.read_text()


def test_standard_set_loads_with_unique_ids():
    defs = standard_definitions()
    assert len({d.id for d in defs}) == len(defs) >= 17
    assert all(d.description.strip() and d.title for d in defs)


def test_unknown_field_names_file_line_and_field(tmp_path):
    text = base().replace("  unit: count\n", "  unit: count\n  colour: blue\n")
    path = write(tmp_path, text)
    line = text.splitlines().index("  colour: blue") + 1
    with pytest.raises(DefinitionError) as exc:
        load_definitions(path)
    loc, msg = exc.value.problems[0]
    assert (loc.file, loc.line, loc.field) == (str(path), line, "colour")
    assert "unknown field 'colour'" in msg and f"{path}:{line}" in str(exc.value)


def test_bad_measure_kind_points_at_its_line(tmp_path):
    text = base().replace("measure: {kind: count}", "measure: {kind: median}")
    path = write(tmp_path, text)
    line = next(i for i, l in enumerate(text.splitlines(), 1) if "median" in l)
    with pytest.raises(DefinitionError) as exc:
        load_definitions(path)
    assert exc.value.problems[0][0].line == line
    assert "measure.kind" in (exc.value.problems[0][0].field or "")


def test_filter_on_undeclared_column_is_explained(tmp_path):
    text = base().replace("  measure: {kind: count}", "  filters: [{column: colour, value: red}]\n  measure: {kind: count}")
    with pytest.raises(DefinitionError, match="filter column 'colour' is not declared"):
        load_definitions(write(tmp_path, text))


def test_duplicate_id_across_files(tmp_path):
    (tmp_path / "a.yaml").write_text(base())
    (tmp_path / "b.yaml").write_text(base())
    with pytest.raises(DefinitionError, match="already defined in .*a.yaml"):
        load_definitions(tmp_path)


def test_conflicting_column_types_for_one_table(tmp_path):
    other = base().replace("id: safeguarding_incidents_children", "id: other").replace(
        "category: text", "category: integer")
    (tmp_path / "a.yaml").write_text(base())
    (tmp_path / "b.yaml").write_text(other)
    defs = load_definitions(tmp_path)
    with pytest.raises(DefinitionError, match="column 'category' of table 'incidents' has type 'integer'"):
        compute(defs, {"incidents": tmp_path / "x.csv"}, "2024-25")


def test_yaml_syntax_error_has_a_line(tmp_path):
    with pytest.raises(Exception, match=r"defs.yaml:\d+"):
        load_definitions(write(tmp_path, "id: [unclosed\n"))


def test_bad_period_is_a_clear_error(tmp_path):
    with pytest.raises(ValueError, match="not a period"):
        compute(standard_definitions()[:1], {}, "2024")
