"""The daily run (``masa notify daily``): record the day's reminders and overdue notices, then
queue their sending and the digests for the worker."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from . import reminders, tasks


def run_daily(on: date, partnerships: list[str]) -> int:
    """The number of new reminders and overdue notices; idempotent for a day."""
    with transaction.atomic():
        new = [n for code in partnerships for n in reminders.queue_reminders(code, on)]
        transaction.on_commit(tasks.send_immediate.enqueue)
        transaction.on_commit(tasks.send_digests.enqueue)
    return len(new)
