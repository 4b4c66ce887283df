"""axe-core in Debian's Chromium finds no WCAG 2.x A/AA or best-practice violation."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]


def _axe(chromium_path: str, page_file: Path) -> list[dict]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path, args=ARGS)
        try:
            page = browser.new_page()
            requests: list[str] = []
            page.on("request", lambda r: requests.append(r.url))
            page.goto(page_file.as_uri())
            page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
            result = page.evaluate(
                """async () => await axe.run(document, {runOnly: {type: 'tag', values:
                   ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']}})"""
            )
        finally:
            browser.close()
    external = [u for u in requests if not u.startswith(("file:", "data:", "about:"))]
    assert not external, f"the report loaded external resources: {external}"
    return result["violations"]


@pytest.mark.browser
@pytest.mark.parametrize("build", ["published", "internal"])
def test_no_axe_violations(build, request, chromium_path):
    paths = request.getfixturevalue(build)
    violations = _axe(chromium_path, paths["html"])
    summary = [{"id": v["id"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"][:5]]}
               for v in violations]
    assert not violations, json.dumps(summary, indent=1)
