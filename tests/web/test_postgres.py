"""The key web workflow, audit-chain and authorisation tests again, on PostgreSQL.

Django's database is chosen at start-up, so they run in a child pytest with DATABASE_URL
pointing at a fresh PostgreSQL database (pytest-django creates its test_ database there).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.postgres, pytest.mark.slow]
HERE = Path(__file__).resolve().parent


def test_workflow_audit_and_authorisation_on_postgresql(postgres_url, tmp_path):
    env = {**os.environ, "DATABASE_URL": postgres_url, "MASA_MEDIA_ROOT": str(tmp_path),
           "MASA_AUDIT_DIR": str(tmp_path)}  # the child's audit key never goes into the real home
    files = [str(HERE / f) for f in ("test_workflow.py", "test_audit_log.py", "test_authorisation.py",
                                               "test_setup_service.py")]
    proc = subprocess.run([sys.executable, "-m", "pytest", *files, "-q", "-x", "-p", "no:cacheprovider",
                           "-p", "no:xdist", "--rootdir", str(HERE.parents[1])],
                          check=False, env=env, capture_output=True, text=True, timeout=300, cwd=HERE.parents[1])
    tail = (proc.stdout + proc.stderr)[-3000:]
    assert proc.returncode == 0, tail
    assert " passed" in tail and "skipped" not in tail.split(" passed")[0][-40:], tail
