"""The Luton 2024-25 example: complete, faithful to the seed's figures, restated in new words.

The expected figures below were reviewed by hand against the seed. Each test checks them
twice: the example dataset must hold the value, and the seed must print the number, in
that partner's own section, the way the list says (e.g. "2,763", "62.3%"). So a typo in
either the example or this list fails.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from tests.examples.seedtools import runs, squash

PARTNERS = ["bfrs", "bhft", "icb", "police", "ccs", "elft", "nspcc", "lbc", "cgl", "yps"]
NO_APPENDIX_C = {"nspcc"}  # NSPCC gives no Appendix C answer in the seed

# partner, indicator, by, period, value, the number as the seed prints it
EXPECTED = [
    ("bfrs", "child_safeguarding_referrals", {"area": "luton"}, "2024-25", 21, "21"),
    ("bfrs", "child_safeguarding_referrals", {"area": "luton", "sex": "female"}, "2024-25", 3, "3"),
    ("bfrs", "child_safeguarding_referrals", {"area": "luton", "sex": "male"}, "2024-25", 5, "5"),
    ("bfrs", "child_safeguarding_referrals", {"area": "luton", "sex": "not-known"}, "2024-25", 13, "13"),
    ("bfrs", "child_safeguarding_referrals", {"area": "luton"}, "2023-24", 13, "13"),
    ("bfrs", "referral_share", {"age-group": "adult"}, "2024-25", 93, "93%"),
    ("bfrs", "referral_share", {"age-group": "child"}, "2024-25", 7, "7%"),
    ("elft", "csc_referrals", {}, "2024-25", 348, "348"),
    ("elft", "csc_referrals", {}, "2023-24", 420, "420"),
    ("elft", "training_compliance", {"training-course": "l3-children"}, "2024-25", 89, "89%"),
    ("elft", "training_compliance", {"training-course": "l3-children"}, "2023-24", 83, "83%"),
    ("elft", "training_compliance", {"training-course": "l3-adults"}, "2024-25", 89, "89%"),
    ("elft", "training_compliance", {"training-course": "l3-adults"}, "2023-24", 62.3, "62.3%"),
    ("elft", "training_compliance", {"training-course": "all-safeguarding"}, "2024-25", 88, "88%"),
    ("elft", "training_compliance", {"training-course": "prevent-l3"}, "2023-24 Q4", 94, "94%"),
    ("elft", "training_compliance", {"training-course": "prevent-l3"}, "2024-25 Q1", 54, "54%"),
    ("elft", "training_compliance", {"training-course": "prevent-l3"}, "2024-25", 83, "83%"),
    ("elft", "training_sessions", {"training-course": "l3-combined"}, "2024-25", 45, "45"),
    ("elft", "training_attendance", {"training-course": "l3-combined"}, "2024-25", 2763, "2,763"),
    ("elft", "training_attendance", {"training-course": "l3-combined"}, "2023-24", 3485, "3,485"),
    ("elft", "training_confidence", {}, "2024-25", 96, "96%"),
    ("elft", "safeguarding_incidents_children", {}, "2024-25", 369, "369"),
    ("elft", "safeguarding_incidents_children", {}, "2023-24", 420, "420"),
    ("elft", "safeguarding_incidents_children", {"service": "specialist-childrens"}, "2024-25", 147, "147"),
    ("icb", "gp_practice_visits", {}, "2024-25", 33, "33"),
    ("icb", "training_sessions", {"training-course": "l3-combined"}, "2024-25", 10, "10"),
    ("icb", "training_attendance", {"training-course": "l3-combined"}, "2024-25", 168, "168"),
    ("icb", "training_sessions", {"training-course": "bitesize"}, "2024-25", 9, "9"),
    ("icb", "training_attendance", {"training-course": "bitesize"}, "2024-25", 126, "126"),
    ("icb", "training_sessions", {"training-course": "mca-bitesize"}, "2024-25", 12, "12"),
    ("icb", "training_attendance", {"training-course": "mca-bitesize"}, "2024-25", 228, "228"),
    ("icb", "training_sessions", {"training-course": "gp-forum"}, "2024-25", 3, "3"),
    ("icb", "training_attendance", {"training-course": "gp-forum"}, "2024-25", 307, "307"),
    ("police", "children_engaged", {}, "2024-25", 58252, "58,252"),
    ("police", "early_interventions", {}, "2024-25", 762, "762"),
    ("police", "educational_inputs", {}, "2024-25", 574, "574"),
    ("police", "partner_events", {}, "2024-25", 300, "300"),
    ("police", "pol_ed_reach", {}, "2024-25", 69690, "69,690"),
    ("police", "pol_ed_reach", {"education-topic": "mvawg"}, "2024-25", 2700, "2,700"),
    ("police", "pol_ed_reach", {"education-topic": "harassment"}, "2024-25", 1740, "1,740"),
    ("police", "pol_ed_reach", {"education-topic": "digital-safeguarding"}, "2024-25", 3260, "3,260"),
    ("police", "pol_ed_reach", {"education-topic": "sexual-offences"}, "2024-25", 2460, "2,460"),
    ("police", "schools_signed_up", {}, "2024-25", 99, "99%"),
    ("police", "schools_signed_up", {"area": "bedford"}, "2024-25", 100, "100%"),
    ("police", "schools_signed_up", {"area": "central-bedfordshire"}, "2024-25", 100, "100%"),
    ("police", "vr_headsets", {}, "2024-25", 35, "35"),
    ("police", "theatre_attendance", {}, "2024-25", 15192, "15,192"),
    ("lbc", "repeat_referral_rate", {}, "2024-25", 20, "20%"),
    ("lbc", "rhi_offered", {}, "2024-25", 92.9, "92.9%"),
    ("lbc", "rhi_accepted", {}, "2024-25", 66.7, "66.7%"),
    ("lbc", "first_time_entrants", {}, "2024-25", 30, "30"),
    ("lbc", "children_diverted", {}, "2024-25", 157, "157"),
    ("lbc", "cp_conference_timeliness", {}, "2024-25", 91, "91%"),
    ("lbc", "family_help_funding", {}, "2024-25", 3000000, "£3 million"),
    ("yps", "first_time_entrants", {}, "2024-25", 30, "30"),
    ("yps", "turnaround_children", {}, "2024-25", 78, "78"),
    ("yps", "programme_completion", {}, "2024-25", 84, "84%"),
    ("yps", "reoffending_rate", {"cohort": "diversion"}, "2024-25", 20, "20%"),
    ("yps", "reoffending_rate", {"cohort": "youth-conditional-caution"}, "2024-25", 13, "13%"),
    ("yps", "desistance_rate", {}, "2024-25", 80, "80%"),
]


def _key(partner, indicator, by, period):
    return (indicator, partner, period, tuple(sorted(by.items())))


def _printed(number: str) -> re.Pattern:
    """The number as a whole token: "13" must not match inside "2013" or "13.5"."""
    return re.compile(rf"(?<![\d.,]){re.escape(number)}(?!\d|[.,]\d)")


def test_every_partner_has_an_appendix_b_return(dataset):
    got = {r.partner for r in dataset.returns_for("2024-25", "appendix-b")}
    assert got == set(PARTNERS)


def test_nine_partners_have_an_appendix_c_return(dataset):
    got = {r.partner for r in dataset.returns_for("2024-25", "appendix-c")}
    assert got == set(PARTNERS) - NO_APPENDIX_C


def test_all_returns_are_submitted_and_have_narrative(dataset):
    for r in dataset.returns:
        assert r.status == "submitted", r.source
        assert r.text_blocks(), f"{r.source} has no narrative"
        if r.template == "appendix-c":
            assert r.voice.strip(), f"{r.source} has no answer to the Appendix C question"


@pytest.mark.seeds
@pytest.mark.parametrize(
    "partner,indicator,by,period,value,printed",
    EXPECTED,
    ids=[f"{e[0]}-{e[1]}-{'-'.join(e[2].values()) or 'all'}-{e[3]}" for e in EXPECTED],
)
def test_figure_is_in_the_dataset_and_in_the_seed(
    dataset, seed_b_sections, partner, indicator, by, period, value, printed
):
    index = dataset.value_index()
    key = _key(partner, indicator, by, period)
    assert key in index, f"the example has no value for {key}"
    assert index[key] == value
    section = seed_b_sections.get(partner, "")
    assert _printed(printed).search(section), f"the seed's {partner} section does not print {printed!r}"


def test_every_stored_figure_was_reviewed(dataset):
    """No figure enters the example without a row in EXPECTED (and so a check on the seed)."""
    reviewed = {_key(p, i, b, per) for p, i, b, per, _v, _s in EXPECTED}
    stored = set(dataset.value_index())
    assert stored - reviewed == set()


def test_imported_figures_name_their_source(dataset):
    for partner, _period, v in dataset.values():
        assert v.provenance.kind == "imported", (partner, v.indicator)
        assert "Appendix B" in v.provenance.source


def _elft_b(dataset):
    return next(r for r in dataset.returns if r.partner == "elft" and r.template == "appendix-b")


def test_elft_has_four_audits_with_findings_and_actions(dataset):
    audits = _elft_b(dataset).audits
    assert len(audits) == 4
    for a in audits:
        assert a.findings and a.actions, a.title
        assert all(x.owner == "ELFT safeguarding team" for x in a.actions)


def test_elft_has_seven_highlights(dataset):
    highlights = _elft_b(dataset).highlights
    assert len(highlights) == 7
    assert all(h.delivered and h.impact for h in highlights)


def test_bhft_quarterly_reports_are_recorded_as_unusable(dataset):
    bhft = next(r for r in dataset.returns if r.partner == "bhft" and r.template == "appendix-b")
    assert [a.period for a in bhft.attachments] == [f"2024-25 Q{q}" for q in (1, 2, 3, 4)]
    assert all(a.status in ("missing", "broken") for a in bhft.attachments)


def _defect_rows(path: Path) -> list[tuple[str, str, str]]:
    """(partner, file, quote) from every table row of DEFECTS.md that names a return file."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 4 and cells[2].endswith(".yaml"):
            rows.append((cells[1], cells[2], cells[3]))
    return rows


def test_defects_table_quotes_are_in_the_returns_they_name(example_dir, dataset):
    """Each kept defect must be in the return's narrative (or attachment names), where the
    checks read it; a match inside a YAML comment does not count."""
    rows = _defect_rows(example_dir / "DEFECTS.md")
    assert len(rows) >= 30
    by_file = {Path(r.source).resolve(): r for r in dataset.returns}
    for partner, file, quote in rows:
        ret = by_file[(example_dir / "returns" / file).resolve()]
        assert ret.partner == partner, f"DEFECTS.md row {quote!r}: {file} is not {partner}'s return"
        readable = [t for _, t in ret.text_blocks()] + [a.filename for a in ret.attachments]
        assert squash(quote) in squash(" ".join(readable)), f"{quote!r} is not in the narrative of {file}"


@pytest.mark.seeds
def test_fire_case_study_keeps_its_shape_but_not_the_seeds_initials(dataset, seed_c_sections):
    seed_initials = set(re.findall(r"\b[A-Z]{2}\b", seed_c_sections["bfrs"])) - {"CP", "UK"}
    assert seed_initials, "expected the seed's fire case study to contain a two-letter initial"
    fire = next(r for r in dataset.returns if r.partner == "bfrs" and r.template == "appendix-c")
    text = " ".join(t for _, t in fire.text_blocks())
    assert "Child A" in text
    assert not seed_initials & set(re.findall(r"\b[A-Z]{2}\b", text))
    assert re.search(r"\b[A-Z]{2}\b", text), "the stray initial (the defect a check must find) is gone"


@pytest.mark.seeds
def test_no_file_shares_a_twelve_word_run_with_the_seeds(seeds_dir, example_dir):
    seed = set()
    for f in sorted(seeds_dir.glob("*.txt")):
        seed |= runs(f.read_text(encoding="utf-8"))
    ours = [
        *sorted(example_dir.rglob("*.yaml")),
        *sorted(example_dir.rglob("*.md")),
        *sorted(Path(__file__).parent.glob("*.py")),
    ]
    assert len(ours) > 20
    shared = {
        str(f): sorted(" ".join(r) for r in runs(f.read_text(encoding="utf-8")) & seed)[:2] for f in ours
    }
    assert {f: s for f, s in shared.items() if s} == {}
