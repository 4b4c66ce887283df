"""axe-core in Debian's Chromium finds no WCAG 2.x A/AA or best-practice violation."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
# Every rule of these tags runs on every element; resultTypes only stops axe working out a CSS
# selector for each element that passed (axe's documented speed option, as tests/web/test_browser.py).
AXE_RUN = """async () => await axe.run(document, {runOnly: {type: 'tag', values:
   ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']}, resultTypes: ['violations']})"""


def _axe(browser, page_file: Path) -> list[dict]:
    page = browser.new_context().new_page()  # the process's shared Chromium (tests/conftest.py)
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(page_file.as_uri())
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    result = page.evaluate(AXE_RUN)
    external = [u for u in requests if not u.startswith(("file:", "data:", "about:"))]
    assert not external, f"the report loaded external resources: {external}"
    return result["violations"]


@pytest.mark.browser
@pytest.mark.parametrize("build", ["published", "internal"])
def test_no_axe_violations(build, request, browser):
    paths = request.getfixturevalue(build)
    violations = _axe(browser, paths["html"])
    summary = [{"id": v["id"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"][:5]]}
               for v in violations]
    assert not violations, json.dumps(summary, indent=1)
