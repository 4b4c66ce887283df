"""Which Harper rules fire on real report text, and how often: the measurement behind the
families language.grammar keeps (docs/checks.md, "Grammar"). Every Harper rule is switched on
here; each firing is printed with its context so a person can mark it right or wrong.

    .venv/bin/python bench/grammar_families.py ../shared/seeds/*.txt /work/wt-corpus/tests/corpus/excerpts/*.txt
    .venv/bin/python bench/grammar_families.py --summary FILES...     # counts per rule only
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from masa.checks.language import FAMILY_OF
from masa.checks.text import mask


def body(text: str) -> str:
    """The text without a corpus excerpt's front matter."""
    if text.startswith("---\n"):
        end = text.find("\n---\n", 4)
        if end > 0:
            return text[end + 5:]
    return text


def main() -> None:
    from harper import Dialect, Linter

    ap = argparse.ArgumentParser()
    ap.add_argument("files", nargs="+")
    ap.add_argument("--summary", action="store_true")
    args = ap.parse_args()
    lin = Linter(Dialect.BRITISH)
    lin.set_lint_config({rule: True for rule in lin.get_default_lint_config()})
    hits = defaultdict(list)
    chars = 0
    for f in args.files:
        text = mask(body(Path(f).read_text(encoding="utf-8")))
        chars += len(text)
        for rule, lints in lin.organized_lints(text, language="plaintext").items():
            for lint in lints:
                a, b = lint.span.start, lint.span.end
                hits[rule].append((Path(f).name, text[max(0, a - 50):a], text[a:b], text[b:b + 30]))
    print(f"{len(args.files)} files, {chars / 3000:.1f} pages of 3,000 characters")
    for rule, xs in sorted(hits.items(), key=lambda kv: -len(kv[1])):
        print(f"{len(xs):5} {rule}{'  [kept: ' + FAMILY_OF[rule] + ']' if rule in FAMILY_OF else ''}")
        if not args.summary:
            for name, before, word, after in xs[:20]:
                print("       ", name[:28], repr(before.replace("\n", " ")[-40:]), "[", word, "]",
                      repr(after.replace("\n", " ")))


if __name__ == "__main__":
    main()
