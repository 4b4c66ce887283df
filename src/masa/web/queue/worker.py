"""``masa worker``: django-tasks-db's worker with a heartbeat, and a sweep that recovers tasks
whose worker died, at start and every minute while it runs."""

from __future__ import annotations

import os
import socket
import threading
import time

from django.db import close_old_connections
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Worker

from . import recovery
from .models import WorkerBeat

SWEEP_EVERY = 60


class MasaWorker(Worker):
    """The database worker; between tasks a side thread beats and sweeps. With ``parent_pid``
    it stops when that process is gone (``masa serve`` starts one beside gunicorn)."""

    def __init__(self, *, parent_pid: int | None = None, **kw):
        super().__init__(**kw)
        self.parent_pid = parent_pid
        self._stop = threading.Event()

    def _beat(self) -> None:
        WorkerBeat.objects.update_or_create(worker_id=self.worker_id, defaults={
            "host": socket.gethostname(), "pid": os.getpid(), "seen": timezone.now()})

    def _side(self) -> None:
        last_sweep = time.monotonic()
        while not self._stop.wait(recovery.BEAT_SECONDS):
            try:
                self._beat()
                if time.monotonic() - last_sweep >= SWEEP_EVERY:
                    recovery.sweep()
                    last_sweep = time.monotonic()
            except Exception:  # noqa: BLE001 - a busy database must not kill the heartbeat; retry next beat
                pass
            finally:
                close_old_connections()
            if self.parent_pid and os.getppid() != self.parent_pid:  # the server is gone: we were re-parented
                self.running = False
                os.kill(os.getpid(), 15)  # the worker's own SIGTERM handler stops it cleanly

    def run(self) -> None:
        self._beat()
        recovery.sweep()
        if not self.batch:  # a batch run is short: its beat at start is enough
            threading.Thread(target=self._side, name="masa-worker-beat", daemon=True).start()
        try:
            super().run()
        finally:
            self._stop.set()
            WorkerBeat.objects.filter(worker_id=self.worker_id).delete()


def run(batch: bool = False, interval: float = 1.0, max_tasks: int | None = None,
        parent_pid: int | None = None) -> None:
    """Run a worker on every queue (batch: until the queue is empty, then return)."""
    worker = MasaWorker(queue_names=["*"], interval=interval, batch=batch, backend_name="default",
                        startup_delay=False, max_tasks=max_tasks, excluded_queue_names=[],
                        worker_id=f"{socket.gethostname()[:40]}-{get_random_string(12)}", parent_pid=parent_pid)
    if not batch:
        worker.configure_signals()
    worker.run()
