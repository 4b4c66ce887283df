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


def test_an_edit_bringing_in_a_figure_beside_a_hidden_count_is_refused(dataset):
    found = problems(dataset.spec, _sections(dataset, figures="Some figures were hidden as c (under 4)."))
    assert [p.sentence for p in found] == ["Some figures were hidden as c (under 4)."]


def test_an_edit_bringing_in_a_name_is_refused_naming_the_sentence(dataset):
    found = problems(dataset.spec, _sections(dataset, voice="- Oliver Brandreth told us the bus was late."))
    assert [p.sentence for p in found] == ["Oliver Brandreth told us the bus was late."]
    assert "full name" in found[0].message


def test_percentages_and_years_are_not_small_counts(dataset):
    assert problems(dataset.spec, _sections(dataset, figures="Compliance was 4% higher in 2025 than 2024.")) == []
