"""The path a new user runs, as separate processes, on SQLite and on PostgreSQL:
load the example twice, then build the report from the database."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

MASA = [sys.executable, "-m", "masa"]


def _run(args, env, cwd):
    return subprocess.run(MASA + args, env=env, cwd=cwd, capture_output=True, text=True, timeout=300)


def _env(**extra):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "MASA_DB", "DJANGO_SETTINGS_MODULE")}
    env.update(extra)
    return env


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_env(request, tmp_path):
    if request.param == "sqlite":
        return _env(MASA_DB=str(tmp_path / "masa.sqlite3"))
    return _env(DATABASE_URL=request.getfixturevalue("postgres_url"))


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def migrated_env(request, tmp_path):
    """A new database already migrated: the first test above migrates a new one itself."""
    if request.param == "sqlite":
        return _env(MASA_DB=str(request.getfixturevalue("migrated_sqlite")(tmp_path / "masa.sqlite3")))
    return _env(DATABASE_URL=request.getfixturevalue("migrated_postgres_url"))


@pytest.mark.slow
def test_load_twice_then_build_report_from_the_database(database_env, example_dir, tmp_path):
    root = Path(example_dir).parents[1]
    first = _run(["load", str(example_dir)], database_env, root)
    assert first.returncode == 0, first.stderr
    assert "returns created" in first.stdout
    second = _run(["load", str(example_dir)], database_env, root)
    assert second.returncode == 0, second.stderr
    assert "nothing changed" in second.stdout
    out = tmp_path / "report"
    built = _run(["report", "build", "--partnership", "luton", "--period", "2024-25",
                  "--format", "html,csv", "--draft", "--out", str(out)], database_env, root)
    assert built.returncode == 0, built.stdout + built.stderr
    html = next(out.rglob("*.html")).read_text(encoding="utf-8")
    assert "Bedfordshire Fire and Rescue Service" in html
    assert "East London NHS Foundation Trust" in html


def test_unknown_partnership_is_a_clear_error(migrated_env, example_dir, tmp_path):
    database_env = migrated_env
    root = Path(example_dir).parents[1]
    assert _run(["load", str(example_dir)], database_env, root).returncode == 0
    bad = _run(["report", "build", "--partnership", "lutton", "--period", "2024-25", "--out", str(tmp_path)],
               database_env, root)
    assert bad.returncode == 2
    assert "valid partnerships: luton" in bad.stderr
    assert "Traceback" not in bad.stderr
