"""Tasks left "running" by a worker that died (restart, crash, kill) are run again, or failed
with a clear reason once they have been tried ``MAX_ATTEMPTS`` times; never running for ever."""

from __future__ import annotations

import socket
from datetime import timedelta

import psutil
from django.db import transaction
from django.utils import timezone

from .models import WorkerBeat

BEAT_SECONDS = 5
STALE_AFTER = timedelta(seconds=60)  # twelve missed beats: that worker is gone
MAX_ATTEMPTS = 2


class WorkerLost(RuntimeError):
    """Recorded as a task's failure when its worker died on every attempt."""


def alive_workers(now=None) -> set[str]:
    """Ids of workers that beat recently and, when on this host, whose process still runs."""
    now = now or timezone.now()
    host = socket.gethostname()
    out = set()
    for b in WorkerBeat.objects.filter(seen__gte=now - STALE_AFTER):
        if b.host == host and not psutil.pid_exists(b.pid):
            continue  # killed without a goodbye: no need to wait for the beat to go stale
        out.add(b.worker_id)
    return out


def any_worker_alive() -> bool:
    return bool(alive_workers())


def sweep() -> tuple[int, int]:
    """Requeue or fail every running task whose worker is dead; (requeued, failed)."""
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    alive = alive_workers()
    requeued = failed = 0
    with transaction.atomic():
        for row in DBTaskResult.objects.select_for_update().filter(status=TaskResultStatus.RUNNING):
            if row.worker_ids and row.worker_ids[-1] in alive:
                continue
            if len(row.worker_ids) < MAX_ATTEMPTS:
                row.status = TaskResultStatus.READY
                row.started_at = None
                row.save(update_fields=["status", "started_at"])
                requeued += 1
            else:
                row.set_failed(WorkerLost(
                    f"the background worker stopped (restart or crash) while running this task, "
                    f"{len(row.worker_ids)} times"))
                failed += 1
    WorkerBeat.objects.filter(seen__lt=timezone.now() - STALE_AFTER * 10).delete()
    from . import builds

    builds.reconcile()
    return requeued, failed
