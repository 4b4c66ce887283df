"""The seed report (Appendices B and C): every defect family it contains is found, with exact quotes.

EXPECTED is the reviewed list: (code, a substring of the quote). A finding not in the list is
'unexpected'; a few are allowed (≤ 2 per 10 pages, the seeds are about 30 pages), so a new
noisy check fails this test.
"""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from masa.cli import app

pytestmark = pytest.mark.seeds

EXPECTED = [
    ("attachment.broken", "embedded below"),
    ("attachment.placeholder-link", "A positive force in education"),
    ("change.ambiguous-percent", "up 25%"),
    ("change.direction", "substantial rise"),
    ("change.not-like-for-like", "126 in April 2025"),
    ("change.points-as-percent", "26.7%"),
    ("change.unsupported", "marked increase"),
    ("change.unsupported", "notable increase"),
    ("change.wrong-base", "6.7%"),
    ("language.confusion", "Childrens"),  # added with language.confusion (issue 12): "Childrens & Maternity"
    ("language.confusion", "practise"),  # "reflective practise" (the noun is practice)
    ("language.confusion", "there"),  # "there response to young people"
    ("partner.name-variants", "Bedfordshire Luton Integrated Care Board"),
    ("partner.name-variants", "Bedfordshire Fire and Rescue Service"),
    ("privacy.initials", "TJ"),
    ("report.period-label", "2023-24"),
    ("report.period-mismatch", "2023-24"),
    ("spelling.unknown", "sider"),
    ("spelling.unknown", "recued"),
    ("spelling.unknown", "olds"),
    ("spelling.unknown", "practicing"),
    ("spelling.us", "organizations"),
    ("text.duplicate-passage", "ELFT maintains a robust safeguarding governance"),
    ("text.duplicate-passage", "Consideration about the use of the exploitation tool"),
    ("text.duplicate-passage", "Finally, the Trust actively seeks feedback"),
    ("text.other-area", "Bedford Borough"),
    ("text.raw-markup", "<p>"),
    ("text.raw-markup", "<p>"),
    ("wt2023.budget", ""),
    ("wt2023.scrutiny", ""),
    ("report.assumed", ""),  # the JSON list opens with the partnership the check read from the title
]
ALLOWANCE = 6  # dismissable findings: 2 per 10 pages over ~30 pages


@pytest.fixture(scope="module")
def seed_findings(seed_b_path, seed_c_path):
    result = CliRunner().invoke(app, ["check", str(seed_b_path), str(seed_c_path), "--format", "json"])
    assert result.exit_code == 1, result.output  # errors found, no unreadable file
    return json.loads(result.stdout), {str(seed_b_path): seed_b_path.read_text(encoding="utf-8"),
                                       str(seed_c_path): seed_c_path.read_text(encoding="utf-8")}


def test_quotes_are_exact_spans(seed_findings):
    findings, texts = seed_findings
    for f in findings:
        loc = f["location"]
        if loc["file"]:
            text = texts[loc["file"]]
            assert text[loc["start"]:loc["end"]] == f["quote"], f
            assert text.count("\n", 0, loc["start"]) + 1 == loc["line"]


def test_every_seed_defect_family_is_found(seed_findings):
    findings, _ = seed_findings
    remaining = list(findings)
    missing = []
    for code, quote in EXPECTED:
        hit = next((f for f in remaining if f["code"] == code and quote in f["quote"]), None)
        if hit is None:
            missing.append((code, quote))
        else:
            remaining.remove(hit)
    assert not missing, f"expected findings not produced: {missing}"
    unexpected = [(f["code"], f["quote"][:60]) for f in remaining]
    assert len(unexpected) <= ALLOWANCE, f"new unreviewed findings: {unexpected}"
    assert not [f for f in findings if f["severity"] == "crashed"]


def test_arithmetic_messages_show_the_sums(seed_findings):
    findings, _ = seed_findings
    by_code = {f["code"]: f for f in findings}
    assert "83% → 89% is +6.0 percentage points (+7.2% relative); the text says 6.7%" in by_code["change.wrong-base"]["message"]
    assert by_code["change.wrong-base"]["expected_value"] == 7.2
    assert "62.3% → 89% is +26.7 percentage points (+42.9% relative)" in by_code["change.points-as-percent"]["message"]
    assert "420 → 369" in by_code["change.direction"]["message"]


def test_duplicate_block_reported_once_with_both_places(seed_findings, seed_b_path):
    findings, texts = seed_findings
    elft = [f for f in findings if f["code"] == "text.duplicate-passage" and "governance framework" in f["quote"]]
    assert len(elft) == 1
    first = elft[0]["related"][0]
    text = texts[str(seed_b_path)]
    assert text[first["start"]:first["end"]].startswith("ELFT maintains a robust")
    assert first["line"] < elft[0]["location"]["line"]


def test_without_a_spec_the_partnership_is_read_from_the_title_and_said_first(seed_findings):
    findings, _ = seed_findings
    assert findings[0]["code"] == "report.assumed"
    assert findings[0]["message"] == ("Assumed: Luton Safeguarding Children Partnership (Luton) from the title; "
                                      "partnerships as in 2024-25, the report's period")


def test_check_without_spec_still_finds_arithmetic_and_duplicates(seed_b_path):
    result = CliRunner().invoke(app, ["check", str(seed_b_path), "--no-spec", "--format", "json"])
    codes = {f["code"] for f in json.loads(result.stdout)}
    assert {"change.wrong-base", "change.points-as-percent", "text.duplicate-passage", "change.direction"} <= codes
