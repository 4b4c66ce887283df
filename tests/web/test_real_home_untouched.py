"""No test writes masa's per-installation files (audit key and anchor) into the real home."""

from __future__ import annotations

import os
from pathlib import Path


def test_a_server_database_keeps_its_audit_files_outside_the_real_home(monkeypatch):
    """A PostgreSQL database has no folder of its own: its audit folder is the data folder,
    which under tests is a temporary one (tests/conftest.py), never ~/.local/share/masa."""
    from masa.web.auditlog import keys

    monkeypatch.setattr(keys, "database", lambda: (None, "masa@127.0.0.1"))
    folder = keys.audit_dir()
    home = Path(os.path.expanduser("~")).resolve()
    assert folder is not None
    assert not folder.resolve().is_relative_to(home / ".local"), folder
    assert not folder.resolve().is_relative_to(home / ".config"), folder
