"""The young people's version: the Luton example's generated files are easy to read and hold no
count of 1–5; an edit that brings in a small figure or a name is refused, naming the sentence."""

from __future__ import annotations

import re
import shutil
import subprocess
from html import unescape

import pytest

from masa.checks.privacy import SMALL_COUNT
from masa.report.readability import TARGET_GRADE, measure
from masa.report.young_people import build_draft, problems, write_draft
from tests.conftest import need


@pytest.fixture(scope="module")
def files(dataset, tmp_path_factory):
    draft = build_draft(dataset, "2024-25")
    return write_draft(draft, tmp_path_factory.mktemp("young-people"))


def _visible(html: str) -> str:
    body = html.split("<body>", 1)[1]
    return unescape(re.sub(r"<[^>]+>", "\n", body))


def _small_counts(text: str) -> list[str]:
    """Every whole number 1–5 a reader sees, however written (not a percentage), and 1–5 people in words."""
    digits = [m.group() for m in re.finditer(r"(?<![\d.,])\b[1-5]\b(?![\d.,]\d|\s*%)", text)]
    return digits + [m.group() for m in SMALL_COUNT.finditer(text)]


def assert_readable_without_small_counts(html_file) -> None:
    """What ``masa demo`` writes (tests/report/test_demo.py) and these tests read: easy to read, no 1–5."""
    text = _visible(html_file.read_text(encoding="utf-8"))
    score = measure(text)
    assert score.grade <= TARGET_GRADE, (score.grade, score.longest)
    assert score.sentences >= 15  # a real summary, not an empty page that scores well
    assert _small_counts(text) == []


def test_the_generated_luton_version_meets_the_readability_target(files):
    assert_readable_without_small_counts(files["html"])


def test_the_generated_luton_version_holds_no_count_of_1_to_5(files):
    html = _visible(files["html"].read_text(encoding="utf-8"))
    need(shutil.which("pdftotext") is not None, "pdftotext (poppler-utils) not installed")
    pdf = subprocess.run(["pdftotext", "-enc", "UTF-8", str(files["pdf"]), "-"], capture_output=True, text=True,
                         check=True).stdout
    pdf = re.sub(r"Page \d+ of \d+", "", pdf)  # the print layout's page numbers are not counts
    for text in (html, pdf):
        assert "Who we are" in text and "Some numbers from the year" in text
        figures = text.split("Some numbers from the year")[1].split("You told us")[0]
        assert re.search(r"\d{2,}", figures)  # it does give figures
        assert _small_counts(text) == []
        assert not re.search(r"(?<!\w)c(?!\w)", text)  # no hidden cell written as "c" either


def test_voice_comes_from_appendix_c_answers_without_case_study_detail(dataset):
    voice = build_draft(dataset, "2024-25").sections["voice"]
    assert "knife crime" in voice  # Luton council's answer: what young people asked for
    assert not re.search(r"\bChild [A-Z]\b|case stud|[Nn]ames", voice)


def _sections(dataset, **edits):
    sections = dict(build_draft(dataset, "2024-25").sections)
    for code, extra in edits.items():
        sections[code] += "\n" + extra
    return sections


def test_the_generated_draft_has_no_problems(dataset):
    assert problems(dataset.spec, _sections(dataset)) == []


def test_an_edit_bringing_in_a_small_figure_is_refused_naming_the_sentence(dataset):
    found = problems(dataset.spec, _sections(dataset, figures="Police helped 3 young people at the station."))
    assert found and found[0].section == "figures"
    assert found[0].sentence == "Police helped 3 young people at the station."
    assert "3" in found[0].message


@pytest.mark.parametrize("edit", ["The Primary Care Forum for GPs met three times this year.",
                                  "The group met twice before the summer."])
def test_an_edit_giving_how_often_in_words_is_refused(dataset, edit):
    found = problems(dataset.spec, _sections(dataset, figures=edit))
    assert [p.sentence for p in found] == [edit]


def test_an_edit_bringing_in_a_figure_beside_a_hidden_count_is_refused(dataset):
    found = problems(dataset.spec, _sections(dataset, figures="Some figures were hidden as c (under 4)."))
    assert [p.sentence for p in found] == ["Some figures were hidden as c (under 4)."]


def test_an_edit_bringing_in_a_name_is_refused_naming_the_sentence(dataset):
    found = problems(dataset.spec, _sections(dataset, voice="- Oliver Brandreth told us the bus was late."))
    assert [p.sentence for p in found] == ["Oliver Brandreth told us the bus was late."]
    assert "full name" in found[0].message


def test_percentages_and_years_are_not_small_counts(dataset):
    assert problems(dataset.spec, _sections(dataset, figures="Compliance was 4% higher in 2025 than 2024.")) == []


# --- breaker 12: F4, F5, F14, F16 -------------------------------------------------------------

def _clean(dataset) -> dict:
    return dict(build_draft(dataset, "2024-25").sections)


@pytest.mark.parametrize("edit, named", [
    ("We met J.S. and A.B. in May.", "J.S."),
    ("Call Amy on 07700 900123.", "phone number"),
    ("Mohammed, 14, from Marsh Farm told us school helped.", "Mohammed, 14"),
    ("A boy in Year 9 at Stopsley High School told us he was scared.", "Stopsley High School"),
    ("Pupils from St Mary's Primary made a film.", "St Mary's Primary"),
    ("We met on 12/03/2015 to plan.", "12/03/2015"),
    ("Her mother Fatima helped us.", "Mother Fatima"),
])
def test_every_section_refuses_initials_contacts_a_name_with_an_age_and_a_named_school(dataset, edit, named):
    sections = _clean(dataset)
    assert problems(dataset.spec, sections) == []
    sections["voice"] += "\n- " + edit
    found = [str(p) for p in problems(dataset.spec, sections)]
    assert any(f"“{edit}”" in p and named.lower() in p.lower() for p in found), found


def test_a_plain_school_word_is_not_a_named_school(dataset):
    sections = _clean(dataset)
    sections["voice"] += "\n- Young people said the school nurse helped them."
    assert problems(dataset.spec, sections) == []


def test_a_refused_sentence_is_quoted_whole_from_its_first_letter(dataset):
    sections = _clean(dataset)
    sections["about"] = "Jane Smith told us she felt safe. We are a group of services that work together."
    found = [str(p) for p in problems(dataset.spec, sections)]
    assert any("“Jane Smith told us she felt safe.”" in p for p in found), found
    assert not any("“ane Smith" in p for p in found)


def test_an_empty_section_and_a_direction_character_are_refused(dataset):
    sections = _clean(dataset)
    sections["figures"] = "  "
    sections["about"] += " We listen\u202e to you."
    found = [str(p) for p in problems(dataset.spec, sections)]
    assert "Some numbers from the year: is empty" in " ".join(found), found
    assert any("direction" in p for p in found), found


def test_a_voice_sentence_with_a_dangling_it_is_not_picked(dataset):
    from masa.report.young_people import _changes

    answer = "Every member of staff can ask it for help to understand a problem. Children told us what to change."
    assert _changes(dataset.spec, answer) == ["Children told us what to change."]


def test_no_figures_says_why(dataset):
    from masa.report.young_people import _figures

    text = _figures(dataset.model_copy(update={"returns": []}), "2024-25")
    assert "10 or more" in text and "last year" in text
