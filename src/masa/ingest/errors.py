"""The one exception the import engine raises for bad input: one line, naming file and reason."""

from __future__ import annotations

from pathlib import Path


class IngestError(Exception):
    """A file that cannot be imported. ``str(exc)`` is a complete one-line message."""

    def __init__(self, path: str | Path, reason: str):
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{Path(path).name}: {reason}")
