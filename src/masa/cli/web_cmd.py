"""Commands for this engine are registered here by its owner."""

import typer


def register(app: typer.Typer) -> None:
    """Add this module's commands to the main app."""
