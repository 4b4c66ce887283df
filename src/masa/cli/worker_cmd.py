"""The background queue's commands: ``masa worker`` (runs queued notifications and report
builds) and ``masa notify daily`` (deadline reminders, overdue notices, digests)."""

from __future__ import annotations

import os
import subprocess
import sys

import typer

from .common import console, fail

notify_app = typer.Typer(help="Email notifications: reminders, overdue notices and daily digests.",
                         no_args_is_help=True)


def worker(batch: bool = typer.Option(False, help="Run every queued task, then exit (for cron or tests)."),
           interval: float = typer.Option(1.0, help="Seconds between looks at an empty queue."),
           parent_pid: int | None = typer.Option(None, hidden=True,
                                                    help="Stop when this process ends (used by masa serve).")) -> None:
    """Run the background worker: sends notifications and builds reports. At start it re-runs
    (or, after two tries, fails with a reason) any task whose worker died mid-run."""
    from masa.web import setup

    setup(migrate=True)
    from masa.web.queue import worker as queue_worker

    if not batch:
        console.print("masa worker: waiting for notifications and report builds (Ctrl+C to stop)")
    queue_worker.run(batch=batch, interval=interval, parent_pid=parent_pid)


def daily(on: str | None = typer.Option(None, help="Pretend today is this date (31/05/2026 or 2026-05-31), for a test run."),
          partnership: str = typer.Option("", help="Partnership code (default: every stored partnership).")) -> None:
    """Queue today's deadline reminders (14, 7 and 1 days before) and overdue notices, and the
    daily digests. Safe to run more than once a day: nobody is told the same thing twice."""
    from masa.web import setup

    setup(migrate=True)
    from masa.spec.deadlines import read_uk_date
    from masa.web.notify.daily import run_daily
    from masa.web.store import stored_partnerships
    from masa.web.workflow.due import today

    try:
        day = read_uk_date(on) if on else today()
    except ValueError as exc:
        fail(f"--on {on!r}: {exc}")
    codes = [partnership] if partnership else stored_partnerships()
    if partnership and partnership not in stored_partnerships():
        fail(f"no partnership {partnership!r} is stored; stored: {', '.join(stored_partnerships()) or 'none'}")
    new = run_daily(day, codes)
    console.print(f"{new} new reminder(s) or overdue notice(s) for {day:%d %B %Y}; sending and digests "
                  f"queued for the worker (masa worker)", highlight=False)


def start_beside(parent_pid: int) -> subprocess.Popen:
    """A worker process that stops when ``parent_pid`` (the server) does."""
    return subprocess.Popen([sys.executable, "-c", "from masa.cli import main; main()", "worker", "--parent-pid",
                             str(parent_pid)],
                            env=os.environ.copy())


def register(app: typer.Typer) -> None:
    app.command("worker")(worker)
    notify_app.command("daily")(daily)
    app.add_typer(notify_app, name="notify")
