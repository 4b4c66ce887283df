"""Importing the two seed appendices: partners, merges, duplicates, tables, figures, attachments."""

from __future__ import annotations

import re

import pytest
from tests.ingest.ingest_helpers import by_partner, values_of

from masa.returns import reference_problems

pytestmark = pytest.mark.seeds

ALL_PARTNERS = {"bfrs", "bhft", "icb", "police", "ccs", "elft", "nspcc", "lbc", "cgl", "yps"}


def test_appendix_b_gives_a_valid_draft_return_for_each_of_the_ten_partners(imported_b, spec):
    rets = imported_b.returns
    assert {r.partner for r in rets} == ALL_PARTNERS
    assert len(rets) == 10, "a partner split by page breaks must come back as one return"
    for r in rets:
        assert (r.template, r.status, r.period) == ("appendix-b", "draft", "2024-25")
        assert r.sections, f"{r.partner} has no narrative"
        assert [p for p in reference_problems(spec, r) if p.severity == "error"] == []
    assert imported_b.report.unknown_names == []


def test_appendix_c_gives_returns_for_the_nine_partners_that_answer(imported_c, seed_c_path):
    rets = by_partner(imported_c)
    assert set(rets) == ALL_PARTNERS - {"nspcc"}  # the seed has no NSPCC answer in Appendix C
    question = next(line for line in seed_c_path.read_text(encoding="utf-8").splitlines() if line.endswith("?"))
    for r in rets.values():
        assert r.template == "appendix-c"
        assert r.voice.strip(), f"{r.partner} answer is empty"
        assert question not in r.voice, "the repeated question line is not part of the answer"
        assert "<p>" not in r.voice and "<ul" not in r.voice
    assert imported_c.report.questions_removed == 9


def test_appendix_c_title_naming_another_year_is_warned(imported_c):
    assert any("2023-24" in w and "2024-25" in w for w in imported_c.report.warnings)


def test_template_is_detected_from_each_title(imported_b, imported_c):
    assert imported_b.report.templates == ["appendix-b"]
    assert imported_c.report.templates == ["appendix-c"]


def test_the_pasted_twice_elft_block_is_kept_once_and_reported(imported_b):
    elft = by_partner(imported_b)["elft"]
    assert len(elft.highlights) == 7
    narrative = "\n".join(s.text for s in elft.sections)
    assert narrative.count("robust safeguarding governance framework") == 1
    assert values_of(elft, "csc_referrals") == {("2024-25", ()): 348, ("2023-24", ()): 420}
    runs = [run for run in imported_b.report.duplicate_runs if run[0] == "elft"]
    assert runs, "the dropped copy must be reported"
    _, first_dropped, kept, count = runs[0]
    assert count >= 7 and first_dropped.line > kept.line


def test_fire_referrals_table_gives_figures_by_area_and_sex(imported_b, seed_b_path):
    fire = by_partner(imported_b)["bfrs"]
    now = {by: v for (period, by), v in values_of(fire, "child_safeguarding_referrals").items() if period == "2024-25"}
    assert now == {
        (("area", "luton"),): 21,
        (("area", "luton"), ("sex", "female")): 3,
        (("area", "luton"), ("sex", "male")): 5,
        (("area", "luton"), ("sex", "not-known")): 13,
    }
    table_line = next(i for i, line in enumerate(seed_b_path.read_text(encoding="utf-8").splitlines(), 1)
                      if line.startswith("Local Authority\t"))
    female = next(v for v in fire.values if v.by.get("sex") == "female")
    assert female.provenance.kind == "imported"
    assert female.provenance.source == f"{seed_b_path.name}:{table_line}"


def test_elft_audits_table_gives_four_audits_with_findings_and_actions(imported_b):
    audits = by_partner(imported_b)["elft"].audits
    assert [a.title for a in audits] == [
        "Think Family Approach", "Voice of the Child in Adult Services",
        "Domestic Abuse (DA) Practice and Reporting", "Child Neglect"]
    assert [len(a.findings) for a in audits][:2] == [3, 2]
    assert [len(a.actions) for a in audits] == [4, 4, 4, 4]
    assert all(not re.search(r"<|•", f) for a in audits for f in [*a.findings, *(x.text for x in a.actions)])


def test_elft_highlights_lose_their_emoji_bullets(imported_b):
    hl = by_partner(imported_b)["elft"].highlights
    assert len(hl) == 7
    assert all(h.delivered[0].isalpha() and h.impact for h in hl)
    assert hl[0].delivered.startswith("Launched QI Project")


@pytest.mark.parametrize("partner, indicator, by, before, after", [
    ("bfrs", "child_safeguarding_referrals", (("area", "luton"),), 13, 21),
    ("elft", "training_compliance", (("training-course", "l3-children"),), 83, 89),
    ("elft", "csc_referrals", (), 420, 348),
    ("elft", "training_compliance", (("training-course", "l3-adults"),), 62.3, 89),
    ("elft", "training_attendance", (("training-course", "l3-combined"),), 3485, 2763),
    ("elft", "safeguarding_incidents_children", (), 420, 369),
])
def test_year_on_year_statements_give_values_for_both_periods(imported_b, partner, indicator, by, before, after):
    ret = by_partner(imported_b)[partner]
    got = values_of(ret, indicator)
    assert got.get(("2023-24", by)) == before
    assert got.get(("2024-25", by)) == after
    for v in ret.values:
        if v.indicator == indicator and tuple(sorted(v.by.items())) == by and v.provenance.sentence:
            assert v.provenance.kind == "imported" and re.search(r":\d+$", v.provenance.source)


def test_changes_and_targets_are_noted_not_stored(imported_b):
    noted = {(c.partner, c.written) for c in imported_b.report.changes_and_targets}
    assert {("bfrs", "62%"), ("elft", "17%"), ("elft", "6.7%"), ("elft", "90%")} <= noted
    elft = by_partner(imported_b)["elft"]
    assert 17 not in {v.value for v in elft.values}


def test_a_quarter_to_quarter_drop_keeps_its_quarters(imported_b):
    got = values_of(by_partner(imported_b)["elft"], "training_compliance")
    assert got[("2023-24 Q4", (("training-course", "prevent-l3"),))] == 94
    assert got[("2024-25 Q1", (("training-course", "prevent-l3"),))] == 54


def test_unplaced_figures_are_kept_with_a_reason(imported_b):
    un = imported_b.report.unassigned
    assert un and all(c.reason and c.loc.line for c in un)
    months = [c for c in un if c.partner == "lbc" and c.value in (126, 182)]
    assert len(months) == 2 and all("month" in c.reason for c in months)


def test_page_break_headers_merge_and_subsections_keep_their_priorities(imported_b):
    report = imported_b.report
    ccs = next(p for p in report.partners if p.code == "ccs")
    assert ccs.pieces >= 6
    sections = {(s.heading, tuple(s.priorities)) for s in by_partner(imported_b)["ccs"].sections}
    assert ("Neglect: Worked well", ("neglect",)) in sections
    assert ("Exploitation: Impact", ("exploitation",)) in sections
    assert any(h.startswith("Mental Health") and p == ("mental-health",) for h, p in sections)
    assert ("Golden threads", ()) in sections
    ccs_challenges = by_partner(imported_b)["ccs"].challenges
    assert {"neglect", "exploitation"} <= {p for c in ccs_challenges for p in c.priorities}


def test_a_sentence_cut_by_a_page_break_is_joined(imported_b):
    challenges = [c.text for c in by_partner(imported_b)["elft"].challenges]
    joined = [t for t in challenges if t.startswith("Rising Complexity")]
    assert len(joined) == 1 and "These complex presentations often require" in joined[0]
    assert not any(t.startswith("presentations") for t in challenges)


def test_running_headers_are_removed(imported_b):
    texts = [s.text for r in imported_b.returns for s in r.sections]
    assert not any("Partners Safeguarding Snapshot" in t for t in texts)
    assert not any(re.search(r"achievements and impact\s*$", t, re.MULTILINE) for t in texts)
    assert imported_b.report.running_headers_removed >= 20


def test_quarterly_reports_that_did_not_survive_are_missing_or_broken(imported_b):
    att = by_partner(imported_b)["bhft"].attachments
    assert [(a.status, a.period) for a in att] == [
        ("missing", "2024-25 Q1"), ("broken", "2024-25 Q2"), ("broken", "2024-25 Q3"), ("broken", "2024-25 Q4")]


def test_next_year_priorities_follow_their_lead_in(imported_b):
    nxt = by_partner(imported_b)["bhft"].next_year
    assert len(nxt) == 4 and nxt[0].text.startswith("Development of Mental Health Act Policy")


def test_case_study_is_separated_from_the_answer(imported_c):
    fire = by_partner(imported_c)["bfrs"]
    assert [c.title for c in fire.case_studies] == ["Case study: Child A"]
    assert "Youth Justice Order" in fire.case_studies[0].text
    assert "Youth Justice Order" not in fire.voice


def test_a_link_without_an_address_is_reported(imported_b):
    assert any("no address" in n.message for n in imported_b.report.unrecognised)
