"""`masa export` then `masa load`: the database's spec, returns and assurance round-trip with no change."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

pytestmark = pytest.mark.django_db


def _masa_fresh(tmp_path, *args) -> str:
    """masa in a new process on a new SQLite database (migrated, holding no partnership)."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "MASA_DB", "DJANGO_SETTINGS_MODULE")}
    env["MASA_DB"] = str(tmp_path / "fresh.sqlite3")
    r = subprocess.run([sys.executable, "-m", "masa", *args], env=env, capture_output=True, text=True, timeout=300,
                       check=False)
    assert r.returncode == 0, r.stdout + r.stderr
    return r.stdout


def _tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.slow
def test_export_load_export_is_byte_identical_and_loading_it_back_changes_nothing(web, tmp_path, migrated_sqlite):
    from masa.web import store
    from masa.web.exporting import export_partnership
    from masa.web.site.saving import save_return

    # A change made in the web (the return form's save path): the database now differs from the files.
    row = web.draft
    ret = store.return_from_row(row)
    edited = ret.model_copy(update={"sections": [ret.sections[0].model_copy(update={"text": "Changed in the web."}),
                                                 *ret.sections[1:]]})
    save_return(row, edited, row.lock_version, web.users["contributor"])
    # and assurance work done in the web: an action's progress, a Section 11 answer's evidence
    from masa.web.assurance import models as am
    from masa.web.assurance.service import update_action
    from masa.web.section11 import models as s11m

    action = am.AssuranceAction.objects.filter(status="open").order_by("pk").first()
    update_action(action, web.users["bu"], "in-progress", None,
                  "Closed in the web after the audit.", "Fewer late referrals in the next dip sample.")
    answer = s11m.Answer.objects.order_by("pk").first()
    s11m.Answer.objects.filter(pk=answer.pk).update(evidence="Evidence rewritten in the web.")

    first = export_partnership("luton", tmp_path / "first")
    assert first.returns == 19 and first.values > 0
    files = _tree(tmp_path / "first")
    bfrs = files["returns/2024-25/appendix-b/bfrs.yaml"].decode()
    assert "Changed in the web." in bfrs and "status: draft" in bfrs  # the database's content, not the example's
    assert "status: published" in files["returns/2024-25/appendix-b/police.yaml"].decode()
    assert {"assurance/reviews.yaml", "assurance/case-audits.yaml", "assurance/scrutiny.yaml",
            "assurance/section11/2024-25.yaml", "assurance/section11/2025-26.yaml"} <= set(files)
    assurance = b"".join(v for k, v in files.items() if k.startswith("assurance/")).decode()
    assert "Closed in the web after the audit." in assurance and "Evidence rewritten in the web." in assurance

    # loaded onto its source database, the export changes nothing
    summary = store.load_folder(tmp_path / "first")
    assert not summary.changed, summary
    assert not summary.created and not summary.updated

    # loaded into a new database and exported again, it gives the same bytes
    migrated_sqlite(tmp_path / "fresh.sqlite3")
    said = _masa_fresh(tmp_path, "load", str(tmp_path / "first"))
    assert "19 returns created" in " ".join(said.split())
    _masa_fresh(tmp_path, "export", "--partnership", "luton", "--out", str(tmp_path / "second"))
    assert _tree(tmp_path / "second") == files


def test_export_refuses_an_unknown_partnership_and_a_folder_with_files(web, tmp_path):
    from masa.cli import app

    r = CliRunner().invoke(app, ["export", "--partnership", "lutn", "--out", str(tmp_path / "x")])
    assert r.exit_code == 2 and "unknown partnership 'lutn'; valid partnerships: luton" in " ".join(r.output.split())
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "keep.txt").write_text("mine")
    r = CliRunner().invoke(app, ["export", "--partnership", "luton", "--out", str(tmp_path / "full")])
    assert r.exit_code == 2 and "already exists and is not empty" in r.output
    assert not (tmp_path / "x").exists()
