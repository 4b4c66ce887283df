"""The real thing: `masa worker` is killed (SIGKILL) in the middle of a report build; the next
`masa worker` finds the task's worker dead, runs the build again, and it ends done."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]

QUEUE_A_BUILD = """
from masa.web import setup; setup()
from masa.web.core.models import Return
from masa.web.queue.builds import enqueue_build
from masa.web.workflow.models import ReportBuild
Return.objects.filter(period__code="2024-25", status="submitted").update(status="approved")
b = ReportBuild.objects.create(partnership="luton", period="2024-25")
enqueue_build(b.pk)  # outside a transaction: queued at once
print(b.pk)
"""


def _state(db: Path, pk: int) -> tuple[str, str]:
    with sqlite3.connect(db, timeout=20) as c:
        return c.execute("select state, message from workflow_reportbuild where id=?", (pk,)).fetchone()


def test_a_build_survives_its_worker_being_killed(tmp_path, migrated_sqlite):
    env = {**os.environ, "MASA_DB": str(tmp_path / "masa.sqlite3"), "MASA_MEDIA_ROOT": str(tmp_path / "media"),
           "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")])}
    env.pop("DATABASE_URL", None)  # the processes share the SQLite file this test reads; the PostgreSQL pass too
    db = migrated_sqlite(tmp_path / "masa.sqlite3")
    run = lambda *a, **kw: subprocess.run([sys.executable, *a], env=env, cwd=ROOT, capture_output=True, text=True,
                                          timeout=300, check=False, **kw)
    masa = ["-c", "from masa.cli import main; main()"]
    assert run(*masa, "load", "examples/luton-2024-25").returncode == 0
    done = run("-c", QUEUE_A_BUILD)
    assert done.returncode == 0, done.stderr
    pk = int(done.stdout.split()[-1])
    worker = subprocess.Popen([sys.executable, *masa, "worker", "--interval", "0.1"], env=env, cwd=ROOT,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while _state(db, pk)[0] != "running":
            assert time.monotonic() < deadline, "the worker never started the build"
            assert worker.poll() is None, "the worker exited"
            time.sleep(0.05)
    finally:
        worker.send_signal(signal.SIGKILL)  # no clean shutdown: the task row is left RUNNING
        worker.wait()
    assert _state(db, pk)[0] == "running"
    again = run(*masa, "worker", "--batch")
    assert again.returncode == 0, again.stderr
    state, message = _state(db, pk)
    assert state == "done", message
