"""Rewrite the table of checks in docs/checks.md from the registry (codes, titles, severities,
scopes and each check's first declared failing example).

    .venv/bin/python scripts/write_checks_table.py
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from masa.checks.doctable import DOC, write

if __name__ == "__main__":
    write(DOC)
    print(f"wrote the checks table in {DOC}")
