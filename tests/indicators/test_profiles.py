"""Source profiles: agency systems' exports read onto masa's extracts, checked before computing."""

from __future__ import annotations

import json

import duckdb
import pytest
from typer.testing import CliRunner

from masa.cli import app
from masa.indicators import ExtractError, compute
from masa.indicators.extracts import _register_raw, table_schemas
from masa.indicators.profiles import (
                                      Profile,
                                      ProfileError,
                                      apply_profile,
                                      get_profile,
                                      kept_columns,
                                      load_profile,
                                      shipped_profiles,
                                      write_sample,
)
from tests.indicators.indicators_helpers import by_key, unsuppressed

runner = CliRunner()
SHIPPED = shipped_profiles()


@pytest.fixture(scope="module")
def schemas(standard):
    return table_schemas(standard)


def test_the_systems_named_in_the_issue_each_have_a_profile():
    assert {p.system.split()[0] for p in SHIPPED.values()} >= {"Datix", "InPhase", "RiO", "Local-authority",
                                                               "Learning", "Athena"}
    assert len({(p.system, p.extract) for p in SHIPPED.values()}) == len(SHIPPED)


@pytest.mark.parametrize("name", sorted(SHIPPED))
def test_profile_maps_every_column_and_only_to_codes_the_definitions_know(name, schemas):
    profile = SHIPPED[name]
    schema = schemas[profile.extract]
    assert set(profile.columns) == set(schema.columns)
    for target, col in profile.columns.items():
        if target in schema.allowed:
            assert set(col.codes.values()) <= schema.allowed[target][0], target


@pytest.mark.parametrize("name", sorted(SHIPPED))
def test_synthetic_export_computes_the_same_figures_as_masas_own_schema(name, standard, schemas, tmp_path):
    """One seeded record set, written twice: in the system's shape and in masa's."""
    profile = SHIPPED[name]
    system, own = tmp_path / f"{name}.csv", tmp_path / f"{profile.extract}.csv"
    write_sample(profile, schemas[profile.extract], system, rows=600, seed=5, masa_copy=own)
    header = system.read_text(encoding="utf-8").splitlines()[0]
    assert header.split(",")[0] == next(iter(profile.columns.values())).names[0]  # really the system's shape
    defs = unsuppressed([d for d in standard if d.source.table == profile.extract])
    via_profile = by_key(compute(defs, {profile.extract: system}, "2024-25", profiles={profile.extract: profile}).values)
    direct = by_key(compute(defs, {profile.extract: own}, "2024-25").values)
    assert via_profile == direct
    assert sum(1 for v in direct.values() if v) >= 3  # the comparison is about real figures


def test_free_text_and_unlisted_columns_never_reach_the_engine(schemas, tmp_path):
    profile = SHIPPED["datix-incidents"]
    path = tmp_path / "datix.csv"
    path.write_text("Incident ID,incident date ,SAFEGUARDING-CATEGORY,Reporting Service,LA Code,Description,Ward\n"
                    "I1,01/05/2024, NEGLECT ,other  services,E06000032,free text about a person,Ward 7\n", encoding="utf-8")
    conn = duckdb.connect()
    _register_raw(conn, "raw", path)
    view = apply_profile(conn, profile, "raw", path.name, schemas["incidents"], lenient=False)
    cols = [r[0] for r in conn.execute(f"DESCRIBE {view}").fetchall()]
    assert cols == [*schemas["incidents"].columns, "_row"]
    assert conn.execute(f"SELECT incident_date, category, service FROM {view}").fetchone() == (
        "2024-05-01", "neglect", "other-services")
    # when computing, a CSV's free text and unlisted columns are not even loaded
    conn = duckdb.connect()
    _register_raw(conn, "raw", path, keep=lambda header: kept_columns(profile, header, schemas["incidents"]))
    loaded = [r[0] for r in conn.execute("DESCRIBE raw").fetchall()]
    assert "Description" not in loaded and "Ward" not in loaded and len(loaded) == 6


def _datix(tmp_path, standard, schemas, edit=None):
    profile = SHIPPED["datix-incidents"]
    path = tmp_path / "datix.csv"
    write_sample(profile, schemas["incidents"], path, rows=60, seed=2)
    if edit:
        lines = path.read_text(encoding="utf-8").splitlines()
        edit(lines)
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_profile_check_names_an_unmapped_column_and_its_closest_expected_name(tmp_path, standard, schemas):
    def typo(lines):
        lines[0] = lines[0].replace("Incident Date", "Incidnt Dte")

    path = _datix(tmp_path, standard, schemas, typo)
    res = runner.invoke(app, ["indicators", "profile-check", str(path), "--profile", "datix-incidents"],
                        env={"COLUMNS": "300"})
    assert res.exit_code == 2
    lines = [x for x in res.output.splitlines() if "Incidnt Dte" in x and "closest expected name" in x]
    expected = ("unmapped column 'Incidnt Dte': not a name profile datix-incidents knows; the closest "
                "expected name is 'Incident Date' (masa column 'incident_date')")
    assert lines == [expected]  # one line, in the list of problems
    assert "Traceback" not in res.output
    res, out = _compute(tmp_path, path, "datix-incidents")  # compute stops on the same line, writing nothing
    assert res.exit_code == 2 and f"datix.csv: (profile datix-incidents) {expected}" in res.output
    assert not out.exists()


def test_profile_check_names_an_ambiguous_column(tmp_path, standard, schemas):
    def second_id(lines):
        lines[0] += ",ID"
        for i in range(1, len(lines)):
            lines[i] += f",X{i}"

    path = _datix(tmp_path, standard, schemas, second_id)
    res = runner.invoke(app, ["indicators", "profile-check", str(path), "-p", "datix-incidents"], env={"COLUMNS": "300"})
    assert res.exit_code == 2
    assert ("ambiguous column 'ID': it and 'Incident ID' both match masa column 'incident_id'; the closest expected "
            "name is 'Incident ID': remove or rename the other") in res.output


def test_profile_check_reports_what_maps_and_what_is_dropped(tmp_path, standard, schemas):
    path = _datix(tmp_path, standard, schemas)
    res = runner.invoke(app, ["indicators", "profile-check", str(path), "-p", "datix-incidents"], env={"COLUMNS": "200"})
    assert res.exit_code == 0, res.output
    assert "incidents.incident_date" in res.output and "free text" in res.output
    assert "ready: 60 rows map onto masa's 'incidents' extract (5 columns kept, 5 dropped)" in res.output


def _compute(tmp_path, path, *profile):
    out = tmp_path / "values.json"
    args = ["indicators", "compute", "-e", f"incidents={path}", "--period", "2024-25", "--out", str(out)]
    for p in profile:
        args += ["--profile", p]
    return runner.invoke(app, args, env={"COLUMNS": "300"}), out


def test_compute_with_a_profile_writes_the_figures(tmp_path, standard, schemas):
    path = _datix(tmp_path, standard, schemas)
    res, out = _compute(tmp_path, path, "datix-incidents:incidents")
    assert res.exit_code == 0, res.output
    assert json.loads(out.read_text())["values"][0]["provenance"]["source"] == "datix.csv"


def test_unknown_profile_is_named_with_the_known_ones(tmp_path, standard, schemas):
    path = _datix(tmp_path, standard, schemas)
    res, out = _compute(tmp_path, path, "datix-incident")
    assert res.exit_code == 2 and isinstance(res.exception, SystemExit)
    assert "unknown profile 'datix-incident' (did you mean 'datix-incidents'?); known: athena-encompass" in res.output
    assert not out.exists()


def test_unknown_code_names_column_value_count_and_allowed_values(tmp_path, standard, schemas):
    def unknown(lines):
        for i in (3, 7):
            lines[i] = lines[i].replace(",Other Services,", ",Estates,").replace(",Specialist Children's Services,",
                                                                                  ",Estates,")

    path = _datix(tmp_path, standard, schemas, unknown)
    res, out = _compute(tmp_path, path, "datix-incidents")
    assert res.exit_code == 2 and isinstance(res.exception, SystemExit), res.output
    assert ("datix.csv: column 'Reporting Service': 2 rows with the value 'Estates', which profile datix-incidents "
            "does not list for masa column 'service' (allowed: Adult Services, Childrens Specialist, Community "
            "Services, Other Services, Specialist Children's Services) (rows 4, 8)") in res.output
    assert not out.exists()


def test_bad_date_names_column_format_example_and_rows(tmp_path, standard, schemas):
    def bad(lines):
        cells = lines[5].split(",")
        cells[1] = "31/13/2024"
        lines[5] = ",".join(cells)

    path = _datix(tmp_path, standard, schemas, bad)
    res, out = _compute(tmp_path, path, "datix-incidents")
    assert res.exit_code == 2 and isinstance(res.exception, SystemExit), res.output
    assert ("column 'Incident Date': 1 row cannot be read as a date in the profile's formats (%d/%m/%Y, %d-%b-%Y, "
            "ISO (2025-03-31)), e.g. '31/13/2024' (row 6)") in res.output
    assert not out.exists()


def test_lenient_quarantines_a_row_with_an_unknown_code_instead_of_stopping(standard, schemas, tmp_path):
    def unknown(lines):
        lines[3] = lines[3].replace(",Other Services,", ",Estates,").replace(",Specialist Children's Services,",
                                                                              ",Estates,")

    path = _datix(tmp_path, standard, schemas, unknown)
    defs = [d for d in standard if d.source.table == "incidents"]
    profile = SHIPPED["datix-incidents"]
    with pytest.raises(ExtractError, match="Estates"):
        compute(defs, {"incidents": path}, "2024-25", profiles={"incidents": profile})
    result = compute(defs, {"incidents": path}, "2024-25", lenient=True, profiles={"incidents": profile})
    assert result.quarantined == 1


def test_profile_for_a_table_without_its_extract_is_refused(tmp_path, standard, schemas):
    path = _datix(tmp_path, standard, schemas)
    res, _ = _compute(tmp_path, path, "datix-incidents", "training-platform")
    assert res.exit_code == 2 and "--profile training-platform: no --extract training=FILE" in res.output


def test_synth_profile_writes_a_seeded_sample_in_the_systems_shape(tmp_path):
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    for path in (a, b):
        res = runner.invoke(app, ["synth", "--profile", "training-platform", "--rows", "300", "--seed", "3",
                                  "--out", str(path)])
        assert res.exit_code == 0, res.output
    assert a.read_bytes() == b.read_bytes()
    assert a.read_text(encoding="utf-8").startswith("Enrolment ID,Employee Number,Course Code,Level,")
    res = runner.invoke(app, ["synth", "--profile", "nope", "--out", str(tmp_path / "c.csv")])
    assert res.exit_code == 2 and "unknown profile 'nope'" in res.output
    res = runner.invoke(app, ["synth", "--profile", "datix-incidents", "--format", "parquet", "--out", str(tmp_path / "d")])
    assert res.exit_code == 2 and "a --profile sample is a CSV export" in res.output


def test_a_partners_own_profile_file_is_validated(tmp_path):
    path = tmp_path / "mine.yaml"
    path.write_text("name: mine\ntitle: t\nsystem: s\nextract: incidents\ncolumns: {}\ncolour: red\n", encoding="utf-8")
    with pytest.raises(ProfileError, match="colour: Extra inputs are not permitted"):
        load_profile(path)
    with pytest.raises(ProfileError, match="unknown profile"):
        get_profile("nope")


def test_a_header_listed_twice_is_refused():
    with pytest.raises(ValueError, match="listed for both"):
        Profile.model_validate({"name": "x", "title": "t", "system": "s", "extract": "incidents",
                                "columns": {"a": {"names": ["Ref"]}, "b": {"names": ["REF"]}}})


def test_the_worked_example_in_the_docs_reads_its_sample_export(tmp_path, standard):
    """docs/indicators.md shows a partner's own profile; it must stay valid and working."""
    from pathlib import Path

    text = (Path(__file__).resolve().parents[2] / "docs" / "indicators.md").read_text(encoding="utf-8")
    block = text.split("<!-- profile-example -->\n```yaml\n", 1)[1].split("```", 1)[0]
    mine = tmp_path / "school-log.yaml"
    mine.write_text(block, encoding="utf-8")
    export = tmp_path / "log.csv"
    export.write_text("Log No,Logged,Concern,Team,LA,Details,Pupil Name\n"
                      "L1,01/05/2024,Neglect,Pastoral,E06000032,placeholder,placeholder\n"
                      "L2,02/05/2024,Peer on peer,Safeguarding Lead,E06000032,placeholder,placeholder\n",
                      encoding="utf-8")
    res = runner.invoke(app, ["indicators", "profile-check", str(export), "--profile", str(mine)],
                        env={"COLUMNS": "200"})
    assert res.exit_code == 0, res.output
    defs = unsuppressed([d for d in standard if d.source.table == "incidents"])
    got = by_key(compute(defs, {"incidents": export}, "2024-25", profiles={"incidents": load_profile(mine)}).values)
    assert got[("safeguarding_incidents_children", (("incident-category", "other"),))] == 1
    assert got[("safeguarding_incidents_children", (("service", "specialist-childrens"),))] == 1


def test_an_xlsx_export_with_real_date_cells_reads_through_the_profile(tmp_path, standard):
    """Excel stores dates as dates, not in the system's text format: they still read."""
    from datetime import datetime

    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Record Number", "Date Occurred", "Concern Type", "Care Group", "Residence LA", "Summary"])
    ws.append(["1", datetime(2024, 5, 1, 14, 30), "NEG", "Other", "E06000032", "placeholder"])
    ws.append(["2", "02/05/2024 09:00", "da", "CYP Specialist", "E06000055", "placeholder"])
    path = tmp_path / "inphase.xlsx"
    wb.save(path)
    defs = unsuppressed([d for d in standard if d.source.table == "incidents"])
    got = by_key(compute(defs, {"incidents": path}, "2024-25", profiles={"incidents": SHIPPED["inphase-incidents"]}).values)
    assert got[("safeguarding_incidents_children", (("incident-category", "neglect"),))] == 1
    assert got[("safeguarding_incidents_children", (("incident-category", "domestic-abuse"),))] == 1
