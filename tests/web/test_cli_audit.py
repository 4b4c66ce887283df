"""Every CLI command that changes the database leaves an audit entry naming the
operating-system user and the command line that made the change (issue 9).

Each command runs through the real CLI, with ``sys.argv`` set as a shell would set it.
"""

from __future__ import annotations

import getpass
import json
import os
import shutil
import sys

import pytest
from typer.testing import CliRunner

pytestmark = pytest.mark.django_db

SAMPLE = """Appendix B: Partners Safeguarding Snapshot 2024-25

BFRS - achievements and impact

Fire crews passed on 31 safeguarding concerns about children this year.
"""
PASSWORD = "a long enough password 42"


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def run(monkeypatch):
    def _run(*args: str, stdin: str | None = None):
        from masa.cli import app

        monkeypatch.setattr(sys, "argv", ["/usr/local/bin/masa", *args])
        result = CliRunner().invoke(app, list(args), input=stdin)
        assert "Traceback" not in result.output, result.output
        assert result.exit_code == 0, result.output
        return result

    return _run


def _newest(**match):
    from masa.web.auditlog.models import AuditEntry

    entry = AuditEntry.objects.filter(**match).order_by("-seq").first()
    assert entry is not None, f"no audit entry for {match}"
    return entry


def _by_cli(entry, command: str) -> None:
    me = getpass.getuser()
    assert (entry.actor, entry.data.get("command"), entry.data.get("os_user")) == (
        f"{me} (command line)", command, me), (entry.action, entry.actor, entry.data)


@pytest.mark.slow
def test_each_writing_command_is_audited_with_the_command_and_the_os_user(run, example_dir, tmp_path, monkeypatch):
    folder = tmp_path / "luton"
    shutil.copytree(example_dir, folder)
    out = tmp_path / "report"

    run("demo", "--example", str(folder), "--out", str(out))
    _by_cli(_newest(action="spec.stored"), f"masa demo --example {folder} --out {out}")
    _by_cli(_newest(action="return.created", target="return:bfrs/2024-25/appendix-b"),
            f"masa demo --example {folder} --out {out}")

    path = folder / "returns" / "appendix-b" / "cgl.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "sections:\n", "voice: Written in the file later.\nsections:\n", 1), encoding="utf-8")
    run("load", str(folder))
    _by_cli(_newest(action="return.updated", target="return:cgl/2024-25/appendix-b"), f"masa load {folder}")

    from masa.web.core.models import Return

    Return.objects.filter(partner__code="bfrs", template__code="appendix-b").update(status="draft")
    doc = tmp_path / "contribution.txt"
    doc.write_text(SAMPLE, encoding="utf-8")
    run("import", str(doc), "--partnership", "luton", "--period", "2024-25")
    _by_cli(_newest(target="return:bfrs/2024-25/appendix-b"),
            f"masa import {doc} --partnership luton --period 2024-25")

    values = tmp_path / "values.json"
    values.write_text(json.dumps({"period": "2024-25", "values": [
        {"indicator": "child_safeguarding_referrals", "value": 99}]}))
    run("values", "load", str(values), "--partnership", "luton", "--partner", "bfrs")
    _by_cli(_newest(target="return:bfrs/2024-25/appendix-b"),
            f"masa values load {values} --partnership luton --partner bfrs")

    run("users", "add", "lead@example.org", "--role", "business_unit", stdin=f"{PASSWORD}\n{PASSWORD}\n")
    _by_cli(_newest(action="user.added", target="user:lead@example.org"),
            "masa users add lead@example.org --role business_unit")  # the password never reaches the log
    run("users", "add", "lead@example.org", "--role", "scrutineer", stdin=f"{PASSWORD}\n{PASSWORD}\n")
    entry = _newest(action="user.changed", target="user:lead@example.org")
    _by_cli(entry, "masa users add lead@example.org --role scrutineer")
    assert entry.data["role"] == "scrutineer"

    run("users", "token", "lead@example.org", "--label", "dashboards")
    _by_cli(_newest(action="token.issued", target="user:lead@example.org"),
            "masa users token lead@example.org --label dashboards")
    run("users", "totp", "lead@example.org")
    _by_cli(_newest(action="user.totp_set", target="user:lead@example.org"), "masa users totp lead@example.org")

    # serve --demo replaces itself with gunicorn at the end; stop there.
    monkeypatch.setattr(os, "execv", lambda *a: None)
    monkeypatch.setattr("masa.cli.web_cmd.start_beside", lambda pid: None)  # no background worker either
    monkeypatch.delenv("MASA_INSECURE_HTTP", raising=False)  # serve sets these for gunicorn
    monkeypatch.delenv("MASA_WARM_UP", raising=False)
    run("serve", "--demo", "--example", str(folder))
    entry = _newest(action="user.demo_users_set", target="spec:luton")
    _by_cli(entry, f"masa serve --demo --example {folder}")
    assert "bu@example.org" in entry.data["users"]

    from masa.web.auditlog.models import AuditEntry

    unnamed = AuditEntry.objects.filter(actor__in=("", "cli"), action__startswith="return.")
    assert not unnamed.exists(), [(e.action, e.target) for e in unnamed]


def test_serve_demo_loads_the_three_pan_bedfordshire_examples_and_a_business_unit_in_two(run, example_dir, client,
                                                                                          monkeypatch):
    from masa.web.accounts.access import role_in
    from masa.web.demo import DEMO_PASSWORD
    from masa.web.store import stored_partnerships

    monkeypatch.setattr(os, "execv", lambda *a: None)
    monkeypatch.setattr("masa.cli.web_cmd.start_beside", lambda pid: None)
    monkeypatch.delenv("MASA_INSECURE_HTTP", raising=False)
    monkeypatch.delenv("MASA_WARM_UP", raising=False)
    monkeypatch.chdir(example_dir.parents[1])  # the defaults are the repository's examples/
    said = " ".join(run("serve", "--demo").output.split())
    assert set(stored_partnerships()) == {"luton", "bedford-borough", "central-bedfordshire"}
    assert "business unit in luton and bedford-borough" in said
    from django.contrib.auth import get_user_model

    users = {u.username: u for u in get_user_model().objects.all()}
    bu = users["bu@example.org"]
    assert [role_in(bu, c) for c in ("luton", "bedford-borough", "central-bedfordshire")] == [
        "business_unit", "business_unit", "none"]
    assert role_in(users["bu.central-bedfordshire@example.org"], "central-bedfordshire") == "business_unit"
    assert role_in(users["scrutineer@example.org"], "bedford-borough") == "scrutineer"
    assert "bfrs.approver@example.org" in users
    assert bu.check_password(DEMO_PASSWORD)
    client.force_login(bu)
    html = client.get("/luton/bu/").content.decode()
    assert "Switch partnership" in html and 'href="/bedford-borough/' in html
