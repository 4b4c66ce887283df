"""Theme coverage: partners × priorities from the tags on their returns' parts, and the check
that queries a priority no statutory partner reported against."""

from __future__ import annotations

from masa.checks import check_dataset
from masa.compare.themes import coverage
from masa.returns import Challenge, Dataset, Return, SectionAnswer

CODE = "priority.no-statutory-partner"


def _ret(partner, tags, period="2024-25"):
    return Return(partner=partner, period=period, template="appendix-b",
                  sections=[SectionAnswer(section="achievements", text="We did work.", priorities=tags)],
                  challenges=[Challenge(text="Staffing stayed hard.", priorities=tags[:1])])


def test_counts_and_names_each_tagged_part(spec):
    ds = Dataset(spec=spec, returns=[_ret("police", ["neglect", "csa"]), _ret("bfrs", ["neglect"]),
                                     _ret("lbc", ["neglect"], period="2023-24")])
    cov = coverage(ds, "2024-25")
    assert [p.code for p in cov.partners] == ["bfrs", "police"]  # spec order; 2023-24 left out
    assert cov.count("police", "neglect") == 2 and cov.count("police", "csa") == 1 and cov.count("bfrs", "csa") == 0
    kinds = sorted(p.kind for p in cov.cells[("police", "neglect")])
    assert kinds == ["challenge", "section"]
    assert [p.code for p in cov.uncovered()] == ["exploitation", "mental-health", "domestic-abuse"]
    assert [p.code for p in cov.uncovered(statutory_only=False)] == ["exploitation", "mental-health", "domestic-abuse"]
    assert [p.code for p in cov.priorities][-3:] == ["think-family", "voice-of-the-child", "transitions"]


def test_example_has_every_priority_covered_by_a_statutory_partner(dataset):
    assert coverage(dataset, "2024-25").uncovered() == []
    assert check_dataset(dataset, "2024-25", codes=[CODE]) == []


def test_check_queries_a_priority_only_non_statutory_partners_reported(spec):
    statutory_tags = ["neglect", "csa", "exploitation", "domestic-abuse"]  # not mental-health
    ds = Dataset(spec=spec, returns=[_ret("police", statutory_tags), _ret("bfrs", ["mental-health"])])
    found = check_dataset(ds, "2024-25", codes=[CODE])
    assert [f.quote for f in found] == ["Mental health and emotional wellbeing"]
    assert found[0].severity == "query" and found[0].message.startswith("No statutory partner")
    ok = Dataset(spec=spec, returns=[_ret("police", [*statutory_tags, "mental-health"])])
    assert check_dataset(ok, "2024-25", codes=[CODE]) == []


def test_the_internal_report_has_the_theme_block_and_the_draft_does_not(dataset):
    from masa.report.builder import build_model
    from masa.report.model import Table
    from masa.report.themes import TITLE

    internal = build_model(dataset, "2024-25", internal=True)
    (block,) = [s for s in internal.sections if s.title == TITLE]
    (table,) = [b for b in block.blocks if isinstance(b, Table)]
    assert table.header[1:3] == ["Neglect", "Child sexual abuse"]
    police = next(r for r in table.rows if r[0] == "Bedfordshire Police")
    assert police[1:4] == ["2", "3", "3"]  # its parts tagged neglect, CSA, exploitation
    assert TITLE not in [s.title for s in build_model(dataset, "2024-25", draft=True).sections]
