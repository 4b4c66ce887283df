"""The storage commands as an administrator runs them: fresh processes on a new SQLite
database, where Django is set up by the command itself and not by a test."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys

import pytest


def _env(tmp_path, **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "MASA_DB", "DJANGO_SETTINGS_MODULE")}
    env.update(extra or {"MASA_DB": str(tmp_path / "masa.sqlite3")})
    return env


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def new_database(request, tmp_path) -> dict:
    if request.param == "sqlite":
        return _env(tmp_path)
    return _env(tmp_path, DATABASE_URL=request.getfixturevalue("postgres_url"))


def _masa(env, *args):
    return subprocess.Popen([sys.executable, "-m", "masa", *args], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def _done(proc):
    out, err = proc.communicate(timeout=300)
    assert "Traceback" not in out + err, out + err
    return proc.returncode, out, err


@pytest.fixture(scope="module")
def small_example(example_dir, tmp_path_factory):
    """The example's spec and assurance register with one partner's two returns (BFRS, with
    figures): every kind of row a load writes, for a third of the full example's load time.
    What is raced here is migrating and loading a new database, not the example's content."""
    out = tmp_path_factory.mktemp("small") / "luton-2024-25"
    shutil.copytree(example_dir / "spec", out / "spec")
    shutil.copytree(example_dir / "assurance", out / "assurance")
    for template in ("appendix-b", "appendix-c"):
        (out / "returns" / template).mkdir(parents=True)
        shutil.copyfile(example_dir / "returns" / template / "bfrs.yaml", out / "returns" / template / "bfrs.yaml")
    return out


def test_two_loads_at_once_on_a_new_database_both_succeed(new_database, small_example):
    env = new_database
    first, second = _masa(env, "load", str(small_example)), _masa(env, "load", str(small_example))
    results = [_done(first), _done(second)]
    assert [code for code, _, _ in results] == [0, 0], results
    said = sorted(" ".join(out.split()) for _, out, _ in results)
    assert said[0].startswith("luton: already up to date") and "2 returns created" in said[1], said
    assert "2 returns created, 0 updated, 0 unchanged; 7 figures" in said[1] and "assurance: 6 added" in said[1], said
    code, out, _ = _done(_masa(env, "load", str(small_example)))
    assert code == 0 and "already up to date" in out


def test_values_load_works_in_a_fresh_process_and_refuses_a_submitted_return(tmp_path, example_dir, migrated_sqlite):
    env = _env(tmp_path)  # a database already migrated: the other tests here migrate new ones
    migrated_sqlite(tmp_path / "masa.sqlite3")
    assert _done(_masa(env, "load", str(example_dir)))[0] == 0
    values = tmp_path / "values.json"
    values.write_text(json.dumps({"period": "2024-25", "values": [
        {"indicator": "child_safeguarding_referrals", "value": 40}]}))

    code, out, err = _done(_masa(env, "values", "load", str(values), "--partnership", "luton", "--partner", "bfrs"))
    assert code == 2
    said = [line for line in (out + err).splitlines() if line.strip()]
    assert said == [(f"error: {values}: the bfrs return for 2024-25 (appendix-b) is submitted: figures can only be "
                     "loaded into a draft or a queried return; nothing was loaded")]

    values.write_text(json.dumps({"period": "2025-26", "values": [
        {"indicator": "child_safeguarding_referrals", "value": 40}]}))
    code, out, err = _done(_masa(env, "values", "load", str(values), "--partnership", "luton", "--partner", "bfrs"))
    assert code == 0, err
    assert "1 figures loaded into the bfrs 2025-26 appendix-b return (draft)" in " ".join(out.split())

    with sqlite3.connect(env["MASA_DB"]) as db:
        actor, data = db.execute("SELECT actor, data FROM auditlog_auditentry ORDER BY seq DESC LIMIT 1").fetchone()
    assert actor.endswith("(command line)")
    assert json.loads(data)["command"] == f"masa values load {values} --partnership luton --partner bfrs"
    assert _done(_masa(env, "audit", "verify"))[0] == 0


def test_two_user_commands_at_once_on_a_new_database_each_say_one_clear_line(new_database):
    """Every command that migrates takes the store's migration lock, not only `masa load`."""
    env = new_database
    procs = [_masa(env, "users", "token", "nobody@example.org") for _ in range(3)]
    for code, out, err in (_done(p) for p in procs):
        assert code == 2, out + err
        assert "no user 'nobody@example.org'" in " ".join((out + err).split())
