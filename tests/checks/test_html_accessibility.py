"""The HTML review page passes axe-core (WCAG 2.2 A/AA and best practice) in Debian's Chromium."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from masa.checks import check_texts
from masa.checks.render import to_html

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
TEXT = ("Appendix B: Luton Safeguarding Children Partnership Yearly Report 2024-25\n\n"
        "ELFT - achievements and impact\n\n"
        "Compliance rose from 50% to 60%, a 10% improvement. There was a marked increase in supervision.\n\n"
        "Case study: Child A met our worker. JB said he felt listened to.\n")


@pytest.mark.browser
def test_review_page_has_no_axe_violations(tmp_path, browser, spec):
    page_file = tmp_path / "review.html"
    page_file.write_text(to_html(check_texts([("draft.txt", TEXT)], spec), "Report check: draft.txt"), encoding="utf-8")
    page = browser.new_context().new_page()  # the process's shared Chromium (tests/conftest.py)
    page.goto(page_file.as_uri())
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    # resultTypes: every rule still runs on every element; only passes get no CSS selectors
    result = page.evaluate("""async () => await axe.run(document, {runOnly: {type: 'tag', values:
        ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']}, resultTypes: ['violations']})""")
    violations = [{"id": v["id"], "nodes": [n["target"] for n in v["nodes"][:3]]} for v in result["violations"]]
    assert not violations, json.dumps(violations, indent=1)
