"""Commands for storage: load a partnership, and the demo."""

import typer


def register(app: typer.Typer) -> None:
    """Add this module's commands to the main app."""
