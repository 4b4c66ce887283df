"""Write the corpus figures (tests/corpus/score.py) into docs/checks.md between its markers.

    PYTHONPATH=$PWD/src .venv/bin/python tests/corpus/write_docs.py          # rewrite the block
    PYTHONPATH=$PWD/src .venv/bin/python tests/corpus/write_docs.py --check  # exit 1 if it is stale

The document never holds a typed figure: run this after any change to a check or the corpus
(tests/checks/test_corpus.py fails while the block is stale).
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
DOC = HERE.parents[1] / "docs" / "checks.md"
BEGIN = "<!-- corpus-figures: begin (written by tests/corpus/write_docs.py; do not edit) -->"
END = "<!-- corpus-figures: end -->"


def _scorer():
    if "corpus_score" in sys.modules:
        return sys.modules["corpus_score"]
    spec = importlib.util.spec_from_file_location("corpus_score", HERE / "score.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def render(fig: dict) -> str:
    """The markdown block for these figures."""
    def pct(x):
        return "–" if x is None else f"{x:.0%}"

    summary = (f"Measured on {fig['excerpts']} excerpts ({fig['real_excerpts']} real, from "
               f"{fig['real_partnerships']} partnerships; the rest synthetic), {fig['pages']} pages of "
               f"3,000 characters, {fig['clear_defects']} clear defects ({fig['debatable_defects']} debatable "
               f"ones not counted). Targets: recall ≥ {fig['targets']['recall']:.0%}, false alarms ≤ "
               f"{fig['targets']['false_alarms_per_10_pages']:g} per 10 pages.")
    lines = [BEGIN, "", summary, "",
             "| code | clear defects | found | recall | false alarms | false alarms per 10 pages |",
             "|---|---:|---:|---:|---:|---:|"]
    for r in fig["rows"]:
        lines.append(f"| `{r['code']}` | {r['clear_defects']} | {r['found']} | {pct(r['recall'])} | "
                     f"{r['false_alarms']} | {r['false_alarms_per_10_pages']:.2f} |")
    lines.append(f"| **all** | **{fig['clear_defects']}** | **{fig['found']}** | **{pct(fig['recall'])}** | "
                 f"**{fig['false_alarms']}** | **{fig['false_alarms_per_10_pages']:.2f}** |")
    for kind, k in list(fig["by_kind"].items()) + list(fig["by_set"].items()):
        lines.append("")
        lines.append(f"{kind.capitalize()} excerpts alone: {k['found']} of {k['clear_defects']} clear defects found "
                     f"({pct(k['recall'])}), {k['false_alarms']} false alarms in {k['pages']} pages "
                     f"({k['false_alarms_per_10_pages']:.2f} per 10 pages).")
    lines += ["", END]
    return "\n".join(lines)


def replace_block(doc: str, block: str) -> str:
    if BEGIN not in doc or END not in doc:
        raise SystemExit(f"{DOC}: the corpus-figures markers are missing")
    head, rest = doc.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    return head + block + tail


def main(argv: list[str]) -> int:
    fig, _, _ = _scorer().run()
    doc = DOC.read_text(encoding="utf-8")
    new = replace_block(doc, render(fig))
    if "--check" in argv:
        if new != doc:
            print(f"{DOC} is stale: run python tests/corpus/write_docs.py", file=sys.stderr)
            return 1
        return 0
    DOC.write_text(new, encoding="utf-8")
    print(f"wrote the corpus figures into {DOC}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
