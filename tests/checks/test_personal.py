"""Strict reading of free text masa publishes outside a return (assurance registers, case
audits, the scrutineer's statement, the young people's version). The refused examples are the
forms a breaker typed in and saw published (/work/notes/break-12.md, F1–F4)."""

import pytest

from masa.checks.personal import personal_details

REFUSED = [
    "J.S. 12.03.2015",
    "JS-12/03/2015",
    "DOB 2015-03-12",
    "Smith J 120315",
    "Child (12/03/2015) needs a visit today",
    "Move Jane Smith to a safe place",
    "Findings: born 2015-03-12, seen at home",
    "Mother Fatima did not attend",
    "Call 07700 900123 after school",
    "Sarah, aged 14, lives nearby",
    "The family live at 12 Acacia Avenue",
    "reversed \u202etext",
]
CLEAN = [
    "The partnership met in March 2024 and agreed its actions.",
    "Police and health visitors shared information more quickly.",
    "The mother and father attended the meeting.",
    "Bedfordshire Police and Luton Borough Council reviewed the thresholds.",
    "Child Protection conferences were held within 15 working days.",
    "The audit covered 2023-24 and 2024-25.",
]


@pytest.mark.parametrize("text", REFUSED)
def test_personal_details_are_named(text):
    assert personal_details(text), text


@pytest.mark.parametrize("text", CLEAN)
def test_ordinary_report_sentences_pass(text):
    assert personal_details(text) == [], text


@pytest.mark.parametrize("text", [
    "Mohammed, 14, from the estate told us school helped.",
    "A boy in Year 9 at Stopsley High School told us he was scared.",
])
def test_a_name_with_an_age_and_a_named_school_are_refused_everywhere(text):
    """Found in the young people's version first (helper py); one rule now serves every caller."""
    assert personal_details(text)


@pytest.mark.parametrize("text", ["The school nurse and the Youth Service met.", "Schools across the town took part."])
def test_schools_in_general_pass(text):
    assert personal_details(text) == []
