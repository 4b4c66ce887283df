"""``masa demo``: the example's deliberate defects are shown for what they are; nothing it
writes outside a draft/ or internal/ folder carries them, and it says what to do next."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import need

DEFECTS = ("3 girls", "KD", "BROKEN", "MISSING:")


def _text(path: Path) -> str:
    """What a reader of the file would see: PDF text, Word/Excel XML, or the file itself."""
    if path.suffix == ".pdf":
        need(shutil.which("pdftotext") is not None, "pdftotext (poppler-utils) not installed")
        return subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True,
                              check=True).stdout
    if path.suffix in (".docx", ".xlsx"):
        with zipfile.ZipFile(path) as z:
            return "".join(z.read(n).decode("utf-8", "replace") for n in z.namelist() if n.endswith(".xml"))
    return path.read_text(encoding="utf-8", errors="replace")


@pytest.mark.slow
def test_demo_keeps_defects_inside_draft_and_internal_folders_and_says_what_next(example_dir, tmp_path,
                                                                                 migrated_sqlite):
    out = tmp_path / "report"
    out.mkdir()
    stale = out / "luton-2024-25-report.html"  # what an earlier demo presented as the published report
    stale.write_text("<p>3 girls, 5 boys</p>", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "MASA_DB", "DJANGO_SETTINGS_MODULE")}
    # A database already migrated (a copy): migrating a new one is tests/store/test_cli_processes.py's subject.
    env["MASA_DB"] = str(migrated_sqlite(tmp_path / "masa.sqlite3"))
    env["COLUMNS"] = "300"
    run = subprocess.run([sys.executable, "-m", "masa", "demo", "--example", str(example_dir), "--out", str(out)],
                         env=env, cwd=tmp_path, capture_output=True, text=True, timeout=600, check=False)
    assert run.returncode == 0, run.stdout + run.stderr
    said = " ".join(run.stdout.split())
    assert "Traceback" not in run.stderr

    files = [p for p in out.rglob("*") if p.is_file()]
    text = {p: _text(p) for p in files}  # each file read once (pdftotext, unzip), then searched for each defect
    outside = [p for p in files if not {"draft", "internal"} & set(p.relative_to(out).parts[:-1])]
    leaks = {p.name: [d for d in DEFECTS if d in text[p]] for p in outside}
    assert not any(leaks.values()), leaks
    assert not stale.exists()
    draft = out / "draft"
    assert sorted(p.suffix for p in draft.glob("luton-2024-25-report-DRAFT.*")) == [
        ".csv", ".docx", ".html", ".pdf", ".xlsx"]
    found = {d: [p.name for p in files if d in text[p]] for d in DEFECTS}
    assert all(found.values()), found  # the defects are there to be seen, in the review copies

    findings = draft / "findings.html"
    assert findings.is_file() and "attachment" in findings.read_text(encoding="utf-8").lower()
    assert f"findings {findings}" in said
    assert "Checks: " in said and " errors, " in said and " queries, " in said
    assert "DRAFT – NOT FOR PUBLICATION" in said and "No public report was built for luton" in said
    assert "Next: run masa serve --demo, sign in as bu@example.org" in said
    assert "DRAFT – NOT FOR PUBLICATION" in (draft / "luton-2024-25-report-DRAFT.html").read_text(encoding="utf-8")
    young = draft / "luton-2024-25-young-people-DRAFT.html"  # the young people's version, said where it is
    assert f"html {young.resolve()}" in said
    from tests.report.test_young_people import assert_readable_without_small_counts

    assert_readable_without_small_counts(young)
