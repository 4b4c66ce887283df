"""Files are an import route, never a second source of truth that wins: `masa load`,
`masa import` and `masa values load` leave a return the workflow has moved on unchanged,
say so one line per return, and every change they do make is in the audit log with the
command line and the operating-system user.

The commands run through the real CLI (Typer's runner, with ``sys.argv`` set as a shell
would set it); the documents and figures are written here.
"""

from __future__ import annotations

import getpass
import json
import shutil
import sys

import pytest
from typer.testing import CliRunner

pytestmark = pytest.mark.django_db

SAMPLE = """Appendix B: Partners Safeguarding Snapshot 2024-25

BFRS - achievements and impact

Fire crews passed on 31 safeguarding concerns about children this year.

Each watch now reviews its concerns at the start of the month.
"""

STEPS = {"submitted": ["submit"], "approved": ["submit", "approve"], "published": ["submit", "approve", "publish"]}


@pytest.fixture
def folder(tmp_path, example_dir):
    """The example, with the BFRS Appendix B return as a draft, so the web can move it on."""
    out = tmp_path / "luton"
    shutil.copytree(example_dir, out)
    _edit(out, "bfrs", "status: submitted", "status: draft")
    return out


@pytest.fixture
def run(monkeypatch):
    def _run(*args: str):
        from masa.cli import app

        monkeypatch.setattr(sys, "argv", ["/usr/local/bin/masa", *args])
        result = CliRunner().invoke(app, list(args))
        assert "Traceback" not in result.output, result.output
        return result

    return _run


def _edit(folder, partner: str, old: str, new: str, template: str = "appendix-b") -> None:
    path = folder / "returns" / template / f"{partner}.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _row(partner: str, template: str = "appendix-b"):
    from masa.web.core.models import Return

    return Return.objects.select_related("partner", "period", "template").get(
        partner__code=partner, template__code=template, period__code="2024-25")


def _state(partner: str) -> dict:
    """Everything a user could see of a stored return: its content, status and versions."""
    from masa.web.store import return_from_row

    row = _row(partner)
    return {"content": return_from_row(row).model_dump(mode="json"), "status": row.status,
            "versions": row.versions.count()}


def _move(partner: str, *actions: str) -> None:
    from masa.web.workflow.transitions import move

    for action in actions:
        move(_row(partner), action, None, reason="Please add the quarterly figures" if action == "query" else "")


def _one_line(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("status", STEPS)
def test_cli_writes_leave_a_return_the_workflow_moved_on_unchanged(run, folder, tmp_path, status):
    # The example's bfrs text gives small counts away, an error that (rightly) blocks approval:
    # the partner corrects it first, as they would before the business unit approves.
    _edit(folder, "bfrs", "3 girls, 5 boys", "girls and boys")
    assert run("load", str(folder)).exit_code == 0
    _move("bfrs", *STEPS[status])
    before = _state("bfrs")

    _edit(folder, "bfrs", "heading: Referrals", "heading: Referrals (changed in the file)")
    loaded = run("load", str(folder))
    assert loaded.exit_code == 0, loaded.output
    assert f"kept: bfrs 2024-25 appendix-b is {status} in the database; the file was not applied" in \
        _one_line(loaded.output)

    doc = tmp_path / "contribution.txt"
    doc.write_text(SAMPLE, encoding="utf-8")
    imported = run("import", str(doc), "--partnership", "luton", "--period", "2024-25")
    assert f"refused: bfrs 2024-25 appendix-b is {status} in the database" in _one_line(imported.output)
    assert imported.exit_code == 2  # nothing else in the document could be stored

    values = tmp_path / "values.json"
    values.write_text(json.dumps({"period": "2024-25", "values": [
        {"indicator": "child_safeguarding_referrals", "value": 99}]}))
    refused = run("values", "load", str(values), "--partnership", "luton", "--partner", "bfrs")
    assert refused.exit_code == 2
    lines = [x for x in refused.output.splitlines() if x.strip()]
    assert len(_one_line(refused.output).split("error:")) == 2, refused.output  # one error, not a list
    assert f"the bfrs return for 2024-25 (appendix-b) is {status}" in _one_line(refused.output), lines
    assert "nothing was loaded" in _one_line(refused.output)

    assert _state("bfrs") == before


def test_load_keeps_edited_and_queried_returns_and_still_applies_the_rest(run, folder):
    from masa.web.site.saving import save_return
    from masa.web.store import return_from_row

    assert run("load", str(folder)).exit_code == 0
    # In the web: BFRS edits its draft; the business unit queries the police return.
    row = _row("bfrs")
    edited = return_from_row(row)
    edited.sections[0].text += "\n\nAdded in the web form."
    save_return(row, edited, row.lock_version, None)
    _move("police", "query")
    kept = {p: _state(p) for p in ("bfrs", "police")}

    for partner in ("bfrs", "police", "cgl"):
        _edit(folder, partner, "sections:\n", "voice: Written in the file later.\nsections:\n")
    _edit(folder, "ccs", "status: submitted", "status: approved")
    spec = folder / "spec" / "indicators.yaml"
    spec.write_text(spec.read_text(encoding="utf-8").replace(
        "name: Child safeguarding referrals made", "name: Child safeguarding referrals sent"), encoding="utf-8")

    out = _one_line(run("load", str(folder)).output)
    assert "kept: bfrs 2024-25 appendix-b was changed in the database since it was loaded (draft); " \
           "the file was not applied" in out
    assert "kept: police 2024-25 appendix-b is queried in the database; the file was not applied" in out
    assert "spec updated" in out and "2 updated" in out
    assert {p: _state(p) for p in kept} == kept
    assert "Written in the file later." in _state("cgl")["content"]["voice"]  # untouched since loaded: applied
    assert _row("ccs").status == "approved"
    from masa.web.core.models import Indicator
    assert Indicator.objects.get(code="child_safeguarding_referrals").name == "Child safeguarding referrals sent"

    again = _one_line(run("load", str(folder)).output)  # idempotent: nothing more to do
    assert "nothing changed; 2 kept" in again
    assert "kept: police 2024-25 appendix-b is queried" in again


def test_a_return_entered_in_the_web_is_not_replaced_by_a_file(run, folder, tmp_path):
    """A return no load wrote (here: imported before the folder was first loaded) is the database's."""
    doc = tmp_path / "contribution.txt"
    doc.write_text(SAMPLE, encoding="utf-8")
    assert run("import", str(doc), "--partnership", "luton", "--period", "2024-25",
               "--spec", str(folder / "spec")).exit_code == 0
    imported = _state("bfrs")
    assert "31 safeguarding concerns" in json.dumps(imported["content"])
    out = _one_line(run("load", str(folder)).output)
    assert "kept: bfrs 2024-25 appendix-b was entered in the database (draft), not loaded from a file" in out
    assert _state("bfrs") == imported


def test_each_cli_change_is_in_the_audit_log_with_the_command_and_the_user(run, folder, tmp_path):
    from masa.web.auditlog.models import AuditEntry

    user = f"{getpass.getuser()} (command line)"
    assert run("load", str(folder)).exit_code == 0
    loaded = AuditEntry.objects.filter(actor=user, action="return.created")
    assert loaded.count() == 19
    assert loaded.first().data["command"] == f"masa load {folder}"
    assert loaded.first().data["os_user"] == getpass.getuser()
    spec = AuditEntry.objects.get(action="spec.stored", target="spec:luton")
    assert (spec.actor, spec.data["command"]) == (user, f"masa load {folder}")

    doc = tmp_path / "contribution.txt"
    doc.write_text(SAMPLE, encoding="utf-8")
    assert run("import", str(doc), "--partnership", "luton", "--period", "2024-25").exit_code == 0
    entry = AuditEntry.objects.filter(target="return:bfrs/2024-25/appendix-b").order_by("-seq").first()
    assert (entry.actor, entry.action, entry.data["command"]) == (
        user, "return.updated", f"masa import {doc} --partnership luton --period 2024-25")

    values = tmp_path / "values.json"
    values.write_text(json.dumps({"period": "2024-25", "values": [
        {"indicator": "child_safeguarding_referrals", "value": 99}]}))
    done = run("values", "load", str(values), "--partnership", "luton", "--partner", "bfrs")
    assert done.exit_code == 0, done.output
    assert "1 figures loaded into the bfrs 2024-25 appendix-b return (draft)" in _one_line(done.output)
    entry = AuditEntry.objects.filter(target="return:bfrs/2024-25/appendix-b").order_by("-seq").first()
    assert entry.actor == user and entry.data["command"].startswith(f"masa values load {values}")

    before = AuditEntry.objects.count()
    assert run("load", str(folder)).exit_code == 0  # nothing changed: nothing to record
    assert AuditEntry.objects.count() == before


def test_a_database_loaded_before_load_kept_track_is_not_overwritten_either(run, folder):
    """Rows written by a load that recorded nothing (an older masa) are adopted only when
    they still hold what the file says, status included."""
    from masa.web.core.models import Return

    assert run("load", str(folder)).exit_code == 0
    for row in Return.objects.all():
        row.part_sha256.pop("loaded", None)
        Return.objects.filter(pk=row.pk).update(part_sha256=row.part_sha256)
    _move("ccs", "approve")
    approved = _state("ccs")
    assert "kept: ccs 2024-25 appendix-b is approved in the database" in _one_line(run("load", str(folder)).output)
    _edit(folder, "ccs", "sections:\n", "voice: Written in the file later.\nsections:\n")
    out = _one_line(run("load", str(folder)).output)
    assert "kept: ccs 2024-25 appendix-b is approved in the database; the file was not applied" in out
    assert _state("ccs") == approved


def test_values_load_writes_into_a_queried_return(run, folder, tmp_path):
    assert run("load", str(folder)).exit_code == 0
    _move("police", "query")
    values = tmp_path / "values.json"
    values.write_text(json.dumps({"period": "2024-25", "values": [{"indicator": "csc_referrals", "value": 12}]}))
    done = run("values", "load", str(values), "--partnership", "luton", "--partner", "police")
    assert done.exit_code == 0, done.output
    assert "1 figures loaded into the police 2024-25 appendix-b return (queried)" in _one_line(done.output)
    assert _row("police").status == "queried"


def test_a_file_cannot_approve_or_publish_a_return_the_checks_would_stop(run, folder):
    """A YAML file saying "published" over text that gives away small counts and initials
    would skip review: the return is stored as submitted, with one line saying why, and
    nothing of it reaches the public site. A clean return may still arrive approved."""
    _edit(folder, "bfrs", "status: draft", "status: published")
    _edit(folder, "ccs", "status: submitted", "status: approved")
    out = _one_line(run("load", str(folder)).output)
    assert "not approved: bfrs 2024-25 appendix-b: the file says published, but the checks find" in out
    assert "stored as submitted for review" in out
    assert _row("bfrs").status == "submitted" and _row("ccs").status == "approved"
    again = _one_line(run("load", str(folder)).output)
    assert _row("bfrs").status == "submitted" and "returns created" not in again


def test_a_folder_build_reads_an_unearned_approval_as_submitted(run, folder, tmp_path):
    _edit(folder, "bfrs", "status: draft", "status: approved")
    _edit(folder, "ccs", "status: submitted", "status: approved")
    out_dir = tmp_path / "out"
    result = run("report", "build", "--from-folder", str(folder), "--period", "2024-25", "--format", "html",
                 "--out", str(out_dir))
    assert result.exit_code == 0, result.output
    assert "not approved: bfrs 2024-25 appendix-b: the file says approved" in _one_line(result.output)
    html = (out_dir / "luton-2024-25-report.html").read_text(encoding="utf-8")
    assert "3 girls" not in html and "Cambridgeshire Community Services" in html


def test_a_later_years_public_build_takes_no_history_from_an_unapproved_return(run, folder, tmp_path):
    """2025-26 has one approved bfrs return; bfrs's 2024-25 return is still a draft. The
    public 2025-26 report must not show the draft's 2024-25 figures (21), nor compare with them."""
    (folder / "returns" / "appendix-b" / "bfrs-2025-26.yaml").write_text(
        "partner: bfrs\nperiod: 2025-26\ntemplate: appendix-b\nstatus: approved\n"
        "sections:\n  - section: achievements\n    text: Crews referred children for help across the year.\n"
        "values:\n  - indicator: child_safeguarding_referrals\n    by: {area: luton}\n    value: 30\n",
        encoding="utf-8")
    assert run("load", str(folder)).exit_code == 0
    assert _row("bfrs").status == "draft"
    out_dir = tmp_path / "out"
    result = run("report", "build", "--partnership", "luton", "--period", "2025-26", "--format", "csv,html",
                 "--out", str(out_dir))
    assert result.exit_code == 0, result.output
    csv_text = (out_dir / "luton-2025-26-report.csv").read_text(encoding="utf-8")
    assert ",2025-26," in csv_text and ",2024-25," not in csv_text, csv_text
    assert "21 to 30" not in (out_dir / "luton-2025-26-report.html").read_text(encoding="utf-8")
    draft = run("report", "build", "--partnership", "luton", "--period", "2025-26", "--format", "csv",
                "--draft", "--out", str(tmp_path / "draft"))
    assert ",2024-25," in next((tmp_path / "draft").glob("*.csv")).read_text(encoding="utf-8")  # review sees it
