"""Run the real background worker (``masa worker --batch``) inside a test's transaction."""

from __future__ import annotations


def run_worker(monkeypatch) -> None:
    """Every queued task, run as ``masa worker --batch`` runs them. The worker closes stale
    connections between tasks; inside a test's transaction that would end the test's own
    connection, so that step alone is skipped."""
    from django_tasks_db.management.commands import db_worker

    from masa.web.queue import worker

    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    monkeypatch.setattr(worker, "close_old_connections", lambda: None)
    worker.run(batch=True)
