"""The background queue: a report build survives its worker's death (run again, or failed with
a reason after two tries), never "running" for ever; a live worker's task is left alone."""

from __future__ import annotations

import os
import socket
from datetime import timedelta

import pytest

from tests.web.worker_helpers import run_worker

pytestmark = pytest.mark.django_db


@pytest.fixture
def queued_build(client, web, monkeypatch, settings, tmp_path, django_capture_on_commit_callbacks):
    """A build started from the dashboard, as the business unit starts one: queued, not run."""
    from masa.web.core.models import Return
    from masa.web.site import dashboard
    from masa.web.workflow.models import ReportBuild

    settings.MEDIA_ROOT = str(tmp_path)
    monkeypatch.setattr(dashboard, "FORMATS", ["html", "csv"])
    Return.objects.filter(pk=web.submitted.pk).update(status="approved")
    client.force_login(web.users["bu"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/bu/build/", {"period": "2024-25"})
    build = ReportBuild.objects.get()
    assert build.state == "queued" and "masa worker" in build.message  # says what it waits for
    return build


def _task():
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.get(task_path="masa.web.queue.builds.build_report_task")


def _killed_mid_run(build, *worker_ids):
    """As if each worker claimed the build's task, started building, and was killed."""
    from masa.web.workflow.models import ReportBuild

    task = _task()
    for w in worker_ids:
        task.claim(w)
    ReportBuild.objects.filter(pk=build.pk).update(state="running", progress=40, message="Building HTML")


def test_a_build_whose_worker_died_is_finished_by_the_next_worker(queued_build, monkeypatch):
    _killed_mid_run(queued_build, "worker-killed-by-a-restart")
    run_worker(monkeypatch)  # the restarted worker
    queued_build.refresh_from_db()
    assert queued_build.state == "done", queued_build.message
    assert any(f.endswith(".html") for f in queued_build.files)
    assert _task().status == "SUCCESSFUL"


def test_a_build_whose_worker_died_twice_fails_with_a_reason(queued_build, monkeypatch):
    from masa.web.queue.builds import LOST

    _killed_mid_run(queued_build, "first-worker", "second-worker")
    run_worker(monkeypatch)
    queued_build.refresh_from_db()
    assert (queued_build.state, queued_build.message) == ("failed", LOST)
    assert "start the build again" in queued_build.message
    assert _task().status == "FAILED"


def test_a_live_workers_build_is_left_running(queued_build):
    from django.utils import timezone

    from masa.web.queue import recovery
    from masa.web.queue.models import WorkerBeat

    WorkerBeat.objects.create(worker_id="busy", host=socket.gethostname(), pid=os.getpid(), seen=timezone.now())
    _killed_mid_run(queued_build, "busy")
    recovery.sweep()
    queued_build.refresh_from_db()
    assert queued_build.state == "running" and _task().status == "RUNNING"


def test_a_worker_killed_without_a_goodbye_is_known_dead_by_its_process(queued_build):
    from django.utils import timezone

    from masa.web.queue import recovery
    from masa.web.queue.models import WorkerBeat

    gone = 2 ** 22 + 12345  # above Linux's default pid_max: no such process
    WorkerBeat.objects.create(worker_id="killed", host=socket.gethostname(), pid=gone, seen=timezone.now())
    _killed_mid_run(queued_build, "killed")
    assert recovery.sweep() == (1, 0)
    assert _task().status == "READY"


def test_a_build_lost_from_the_queue_fails_instead_of_running_for_ever(web):
    """A build left running by the old in-process thread, or whose task row is gone."""
    from django.utils import timezone

    from masa.web.queue import recovery
    from masa.web.queue.builds import ORPHANED
    from masa.web.workflow.models import ReportBuild

    old = ReportBuild.objects.create(partnership="luton", period="2024-25", state="running", progress=40)
    ReportBuild.objects.filter(pk=old.pk).update(created=timezone.now() - timedelta(minutes=5))
    new = ReportBuild.objects.create(partnership="luton", period="2024-25")  # its task is about to be queued
    recovery.sweep()
    old.refresh_from_db()
    new.refresh_from_db()
    assert (old.state, old.message) == ("failed", ORPHANED)
    assert new.state == "queued"
