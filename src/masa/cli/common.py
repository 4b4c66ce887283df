"""Shared CLI helpers: one console, and errors printed as one clear line, never a traceback."""

from __future__ import annotations

from typing import NoReturn

import typer
from rich.console import Console

console = Console()
err_console = Console(stderr=True)


def fail(message: str, code: int = 2) -> NoReturn:
    """Print a specific error on stderr and exit; for bad input, exit code 2."""
    err_console.print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)


def typed_period(text: str) -> str:
    """A --period option as a period code, or one clear line and exit 2 (never a period read
    out of something longer, such as '2024-25 Q5')."""
    from masa.spec import read_period

    try:
        return read_period(text)
    except ValueError as exc:
        fail(str(exc))
