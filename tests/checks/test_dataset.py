"""check_dataset over the example partnership's stored returns (restated from the seeds)."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from masa.checks import check_dataset
from masa.cli import app


def test_example_returns_give_errors_and_queries(dataset, example_dir):
    found = check_dataset(dataset, "2024-25")
    codes = {f.code for f in found}
    assert not [f for f in found if f.severity == "crashed"]
    claim = [f for f in found if f.code == "change.wrong-base" and "6.7%" in f.quote]
    assert claim and claim[0].partner == "elft" and claim[0].severity == "error"
    assert "+7.2% relative" in claim[0].message
    assert claim[0].location.return_key == "elft/2024-25/appendix-b"
    assert {"change.points-as-percent", "change.direction", "text.duplicate-passage", "attachment.status",
            "text.other-area", "change.ambiguous-percent"} <= codes
    assert any(f.severity == "query" for f in found)
    # quotes in returns are exact spans of the section text they came from
    ret = next(r for r in dataset.returns if r.partner == "elft" and r.template == "appendix-b")
    blocks = dict(ret.text_blocks())
    section = claim[0].location.section
    assert blocks[section][claim[0].location.start:claim[0].location.end] == claim[0].quote


def test_report_check_from_folder_exits_1_on_errors(example_dir, tmp_path):
    out = tmp_path / "findings.json"
    result = CliRunner().invoke(app, ["report", "check", "--from-folder", str(example_dir), "--period", "2024-25",
                                      "--format", "json", "--out", str(out)])
    assert result.exit_code == 1, result.output
    findings = json.loads(out.read_text(encoding="utf-8"))
    assert any(f["code"] == "change.wrong-base" for f in findings)


def test_report_check_unknown_period_is_one_line_error(example_dir):
    result = CliRunner().invoke(app, ["report", "check", "--from-folder", str(example_dir), "--period", "1999-00"])
    assert result.exit_code == 2
    assert "unknown period '1999-00'" in result.stderr and "Traceback" not in result.output


def test_report_check_needs_partnership_or_folder():
    result = CliRunner().invoke(app, ["report", "check"])
    assert result.exit_code == 2 and "--partnership" in result.stderr


@pytest.mark.django_db  # the command brings the schema up to date before it reads the store
def test_report_check_from_the_store(example_dir):
    """`masa report check --partnership --period` reads the returns stored in the database (here
    the example loaded, with one finding's text then changed in the store only); unknown
    choices are one-line errors."""
    from masa.web.core.models import SectionAnswer
    from masa.web.store import load_folder

    load_folder(example_dir)
    args = ["report", "check", "--partnership", "luton", "--period", "2024-25", "--format", "json"]
    ok = CliRunner().invoke(app, args)
    assert ok.exit_code == 1, ok.output
    claims = [f for f in json.loads(ok.stdout) if f["code"] == "change.wrong-base"]
    assert claims and claims[0]["partner"] == "elft", "the stored elft return's wrong-base claim was not checked"
    # the fix is made in the store alone: the command must see it, so it reads the store
    answer = next(a for a in SectionAnswer.objects.filter(ret__partner__code="elft") if claims[0]["quote"] in a.text)
    SectionAnswer.objects.filter(pk=answer.pk).update(text=answer.text.replace(claims[0]["quote"], "a rise"))
    again = CliRunner().invoke(app, args)
    assert again.exit_code in (0, 1), again.output
    assert not [f for f in json.loads(again.stdout) if f["code"] == "change.wrong-base" and f["partner"] == "elft"]
    bad = CliRunner().invoke(app, ["report", "check", "--partnership", "lutn", "--period", "2024-25"])
    assert bad.exit_code == 2 and "unknown partnership 'lutn'; valid partnerships: luton" in bad.stderr


def test_checks_engine_never_imports_django(tmp_path):
    import subprocess
    import sys

    f = tmp_path / "r.txt"
    f.write_text("Compliance rose from 50% to 60%, a 10% improvement.", encoding="utf-8")
    code = ("import sys; from masa.checks import check_documents; r = check_documents([sys.argv[1]]); "
            "assert r.findings; assert not [m for m in sys.modules if m.startswith('django')], 'django imported'")
    done = subprocess.run([sys.executable, "-c", code, str(f)], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
