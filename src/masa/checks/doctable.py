"""The table of checks in docs/checks.md, generated from the registry so it cannot drift.

``python scripts/write_checks_table.py`` rewrites the part of the document between the two
markers; tests/checks/test_registry.py fails when the document is stale.
"""

from __future__ import annotations

import re
from pathlib import Path

START = "<!-- checks-table:start: generated from the registry by scripts/write_checks_table.py; do not edit -->"
END = "<!-- checks-table:end -->"
DOC = Path(__file__).resolve().parents[3] / "docs" / "checks.md"


def _cell(text: str, limit: int = 70) -> str:
    one = re.sub(r"\s+", " ", text).strip().replace("|", "\\|")
    return one if len(one) <= limit else one[:limit - 1].rstrip() + "…"


def _runs_on(modes: tuple[str, ...]) -> str:
    return "both" if set(modes) >= {"documents", "dataset"} else ("documents" if "documents" in modes else "returns")


def table() -> str:
    from . import catalogue  # noqa: F401  (registers every check)
    from .registry import REGISTRY

    rows = ["| code | title | severity | scope | runs on | kind | flags, for example |",
            "|---|---|---|---|---|---|---|"]
    for code in sorted(REGISTRY):
        c = REGISTRY[code]
        example = c.fails[0] if c.fails else ""
        example = example if isinstance(example, str) else " / ".join(example)
        rows.append(f"| `{code}` | {_cell(c.title, 90)} | {c.severity} | {c.scope} | {_runs_on(c.modes)} | "
                    f"{'entry' if c.entry else 'function'} | {_cell(example) if example else '—'} |")
    return "\n".join(rows)


def render(doc: str) -> str:
    """The document with the generated table between the markers."""
    if START not in doc or END not in doc:
        raise ValueError(f"docs/checks.md has no {START!r} … {END!r} markers")
    head, rest = doc.split(START, 1)
    _, tail = rest.split(END, 1)
    return f"{head}{START}\n{table()}\n{END}{tail}"


def is_current(path: Path = DOC) -> bool:
    doc = path.read_text(encoding="utf-8")
    return render(doc) == doc


def write(path: Path = DOC) -> None:
    path.write_text(render(path.read_text(encoding="utf-8")), encoding="utf-8")
