"""``masa import``: the dry-run summary, clear errors, and draft returns stored in one go."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

MASA = [sys.executable, "-m", "masa"]


def _env(**extra):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "MASA_DB", "DJANGO_SETTINGS_MODULE")}
    env.update(extra, COLUMNS="160")
    return env


def _run(args, env):
    return subprocess.run(MASA + args, env=env, capture_output=True, text=True, check=False, timeout=300)


@pytest.mark.seeds
def test_dry_run_prints_the_summary_and_stores_nothing(seed_b_path, example_dir, tmp_path):
    env = _env(MASA_DB=str(tmp_path / "never.sqlite3"))
    out = _run(["import", str(seed_b_path), "--partnership", "luton", "--period", "2024/25",
                "--spec", str(example_dir / "spec"), "--dry-run"], env)
    assert out.returncode == 0, out.stderr
    for code in ("bfrs", "bhft", "icb", "police", "ccs", "elft", "nspcc", "lbc", "cgl", "yps"):
        assert f"│ {code} " in out.stdout
    assert "duplicate: elft:" in out.stdout
    assert "attachment broken: Q2 Childrens & Maternity Report.do" in out.stdout
    assert "nothing stored" in out.stdout
    assert not (tmp_path / "never.sqlite3").exists()


def test_bad_file_is_one_line_on_stderr_and_exit_2(example_dir, tmp_path):
    bad = tmp_path / "locked.docx"
    bad.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    out = _run(["import", str(bad), "--partnership", "luton", "--period", "2024-25",
                "--spec", str(example_dir / "spec")], _env(MASA_DB=str(tmp_path / "db.sqlite3")))
    assert out.returncode == 2
    assert out.stderr.strip().startswith("error: locked.docx: ")
    assert len(out.stderr.strip().splitlines()) == 1 and "Traceback" not in out.stderr
    assert not (tmp_path / "db.sqlite3").exists(), "nothing may be created for a refused file"


def test_spec_of_another_partnership_is_refused(example_dir, tmp_path):
    f = tmp_path / "x.txt"
    f.write_text("Appendix B\n\nELFT - achievements and impact\n\nText.\n", encoding="utf-8")
    out = _run(["import", str(f), "--partnership", "bedford", "--period", "2024-25",
                "--spec", str(example_dir / "spec"), "--dry-run"], _env())
    assert out.returncode == 2 and "not 'bedford'" in out.stderr


READ_BACK = """
import json
from masa.web.store import dataset_for
ds = dataset_for("luton", "2024-25")
print(json.dumps(sorted([r.partner, r.template, r.status, len(r.values)] for r in ds.returns)))
"""


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_env(request, tmp_path):
    """A new database, already migrated (tests/store/test_cli_processes.py migrates new ones)."""
    if request.param == "sqlite":
        return _env(MASA_DB=str(request.getfixturevalue("migrated_sqlite")(tmp_path / "masa.sqlite3")))
    return _env(DATABASE_URL=request.getfixturevalue("migrated_postgres_url"))


@pytest.mark.seeds
@pytest.mark.slow
def test_import_stores_draft_returns_then_reuses_the_stored_spec(database_env, seed_b_path, seed_c_path,
                                                                 example_dir):
    first = _run(["import", str(seed_b_path), "--partnership", "luton", "--period", "2024-25",
                  "--spec", str(example_dir / "spec")], database_env)
    assert first.returncode == 0, first.stderr
    assert "stored 10 draft returns for 2024-25" in first.stdout
    second = _run(["import", str(seed_c_path), "--partnership", "luton", "--period", "2024-25"], database_env)
    assert second.returncode == 0, second.stderr  # no --spec: the spec stored by the first import
    assert "stored 9 draft returns" in second.stdout
    back = subprocess.run([sys.executable, "-c", READ_BACK], env=database_env, capture_output=True, text=True, check=False,
                          timeout=300)
    assert back.returncode == 0, back.stderr
    rows = json.loads(back.stdout.strip().splitlines()[-1])
    assert len(rows) == 19 and {r[2] for r in rows} == {"draft"}
    elft_b = next(r for r in rows if r[:2] == ["elft", "appendix-b"])
    assert elft_b[3] >= 10
