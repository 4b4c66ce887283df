"""`masa users ...`: adding users with roles, API tokens and TOTP, with specific errors."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

pytestmark = pytest.mark.django_db


def _run(*args):
    from masa.cli import app

    return CliRunner().invoke(app, list(args))


def test_add_user_token_and_totp(web, client):
    r = _run("users", "add", "new.approver@example.org", "--role", "approver", "--partner", "police",
             "--password", "a long enough password")
    assert r.exit_code == 0, r.output
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username="new.approver@example.org")
    assert user.membership.role == "approver" and user.membership.partner.code == "police"
    r = _run("users", "token", "new.approver@example.org")
    key = r.output.strip()
    assert client.get(f"/api/returns/{web.other_draft.pk}", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200
    assert client.get(f"/api/returns/{web.draft.pk}", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 404
    r = _run("users", "totp", "new.approver@example.org")
    assert r.output.startswith("otpauth://totp/")
    r = client.post("/login/", {"username": "new.approver@example.org", "password": "a long enough password"})
    assert r.status_code == 400 and "6-digit code" in r.content.decode()


@pytest.mark.parametrize("args,message", [
    (["--role", "boss"], "unknown role 'boss'"),
    (["--role", "contributor"], "pass --partner CODE"),
    (["--role", "scrutineer", "--partner", "police"], "leave out --partner"),
    (["--role", "contributor", "--partner", "mi5"], "unknown partner 'mi5'; valid partners: bfrs"),
])
def test_add_user_errors_are_specific(web, args, message):
    r = _run("users", "add", "x@example.org", *args, "--password", "a long enough password")
    assert r.exit_code == 2
    assert message in " ".join(r.output.split())


def test_a_user_name_that_is_not_an_email_is_refused(web):
    from django.contrib.auth import get_user_model

    r = _run("users", "add", "not an email", "--role", "scrutineer", "--password", "a long enough password")
    assert r.exit_code == 2 and "'not an email' is not an email address" in " ".join(r.output.split())
    assert not get_user_model().objects.filter(username="not an email").exists()


def test_serving_beyond_this_machine_needs_a_real_secret_key(monkeypatch):
    from masa.cli import app

    monkeypatch.delenv("MASA_SECRET_KEY", raising=False)
    result = CliRunner().invoke(app, ["serve", "--host", "0.0.0.0"])
    assert result.exit_code == 2
    assert "needs MASA_SECRET_KEY" in result.output


@pytest.mark.slow
def test_user_commands_work_in_a_fresh_process(tmp_path, migrated_sqlite):
    """As an administrator runs them: Django is set up by the command itself, not by a test.
    (On an already migrated database: tests/store/test_cli_processes.py runs them on a new one.)"""
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    env["MASA_DB"] = str(migrated_sqlite(tmp_path / "users.sqlite3"))

    def masa(*args):
        return subprocess.run([sys.executable, "-m", "masa", *args], env=env, capture_output=True, text=True,
                              timeout=120)

    assert masa("users", "add", "lead@example.org", "--role", "business_unit",
                "--password", "a long enough password 42").returncode == 0
    issued = masa("users", "token", "lead@example.org", "--label", "power bi")
    assert issued.returncode == 0, issued.stderr
    assert len(issued.stdout.strip()) >= 32
    totp = masa("users", "totp", "lead@example.org")
    assert totp.returncode == 0 and "otpauth://" in totp.stdout, totp.stderr
    verified = masa("audit", "verify")
    assert verified.returncode == 0 and "intact" in verified.stdout


def test_load_refuses_a_partnership_code_that_is_one_of_the_webs_paths(tmp_path):
    import shutil
    from pathlib import Path

    from masa.web import store

    folder = tmp_path / "clash"
    shutil.copytree(Path(__file__).parents[2] / "examples" / "luton-2024-25", folder)
    spec = folder / "spec" / "partnership.yaml"
    spec.write_text(spec.read_text(encoding="utf-8").replace("  code: luton\n", "  code: published\n", 1),
                    encoding="utf-8")
    r = _run("load", str(folder))
    out = " ".join(r.output.split())
    assert r.exit_code == 2, r.output
    assert "partnership.yaml" in out and "the partnership code 'published' is one of the web's own paths" in out
    assert "nothing was loaded" in out and "published" not in store.stored_partnerships()
