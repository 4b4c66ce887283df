"""Web application commands: ``masa serve`` and ``masa audit verify``."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import typer

from .common import console, fail

audit_app = typer.Typer(help="The tamper-evident audit log of the web application.", no_args_is_help=True)


def serve(
    port: int = typer.Option(8000, help="Port on 127.0.0.1."),
    host: str = typer.Option("127.0.0.1", help="Address to listen on."),
    demo: bool = typer.Option(False, help="Load the example partnership and create demo users (see docs/web.md)."),
    example: Path = typer.Option(Path("examples/luton-2024-25"), help="Partnership folder loaded with --demo."),
    dev: bool = typer.Option(False, help="Django's development server instead of gunicorn."),
    workers: int = typer.Option(3, help="gunicorn worker processes."),
    insecure_http: bool = typer.Option(True, help="Allow cookies over plain HTTP (local use; turn off behind TLS)."),
) -> None:
    """Migrate the database, optionally load the demo, and run the web application."""
    if insecure_http:
        os.environ["MASA_INSECURE_HTTP"] = "1"
    from masa.web import setup

    setup(migrate=True)
    if demo:
        if not example.is_dir():
            fail(f"example folder {example} not found; pass --example FOLDER")
        from masa.spec import SpecError
        from masa.web.demo import DEMO_PASSWORD, create_demo_users
        from masa.web.store import load_folder, spec_for

        try:
            summary = load_folder(example)
        except SpecError as exc:
            fail(f"the example does not load: {exc}")
        users = create_demo_users(spec_for(summary.partnership))
        console.print(f"Demo: {len(users)} users, password [bold]{DEMO_PASSWORD}[/], e.g. bu@example.org")
    console.print(f"Serving masa on http://{host}:{port}/")
    if dev:
        from django.core.management import call_command

        call_command("runserver", f"{host}:{port}", use_reloader=False)
        return
    cmd = [sys.executable, "-m", "gunicorn", "masa.web.wsgi:application", "--bind", f"{host}:{port}",
           "--workers", str(workers), "--threads", "4", "--timeout", "60", "--keep-alive", "30", "--access-logfile", "-"]
    sys.stdout.flush()
    # Replace this process with gunicorn, so a signal to `masa serve` reaches the server itself.
    os.execv(sys.executable, cmd)


def verify() -> None:
    """Check the audit log's hash chain; names every edited or deleted row; exit 1 if tampered."""
    from masa.web import setup

    setup(migrate=True)
    from masa.web.auditlog.chain import verify as run

    rows, problems = run()
    if problems:
        for p in problems:
            console.print(f"[bold red]tampered:[/] {p.message}", highlight=False)
        console.print(f"{len(problems)} problem(s) in {rows} audit log row(s)")
        raise typer.Exit(1)
    console.print(f"audit log intact: {rows} row(s), hash chain verified")


def register(app: typer.Typer) -> None:
    """Add this module's commands to the main app."""
    app.command()(serve)
    audit_app.command()(verify)
    app.add_typer(audit_app, name="audit")
