"""Names, addresses, dates of birth and ages that identify people; credited public figures and
titles that only look like counts are left alone. Every name and place here is invented."""

from __future__ import annotations

import pytest

from masa.checks import check_texts

CODES = ["privacy.name", "privacy.address", "privacy.age", "privacy.identifier", "privacy.small-count"]


def _quotes(text, code):
    return [f.quote for f in check_texts([("r.txt", text)], codes=[code]).findings]


@pytest.mark.parametrize("text", [
    "Child D's mother, Sophie Kettleborough, asked for help twice.",
    "The referral came from Tom Jones, a neighbour.",
])
def test_a_private_persons_full_name_is_found(text):
    assert len(_quotes(text, "privacy.name")) == 1


@pytest.mark.parametrize("text", [
    "Foreword by Dr Helen Wardle, Independent Scrutineer.",
    "Helen Wardle, Independent Chair, opened the meeting. Later Helen Wardle thanked partners.",
    "This report was written by Helen Wardle with the business unit.",
    "Staff at the Robert Jones and Agnes Hunt Orthopaedic Hospital NHS Foundation Trust were trained.",
    "Sessions were held at George Eliot Hospital and at Amelia Earhart School.",
    "The national review into the murders of Arthur Bramley and Poppy Lunn was discussed.",
    "In March Early Help referrals rose.",
    "Staff completed the Daniel Barrowby training programme.",
    "Board members\nName\tRole\nSophie Kettleborough\tDirector of Children's Services\n",
    "Thank you to Sarah Penhallow and Tom Ferris for their work this year.",
    "The review (Josh Castleton, 2022) set out the reforms.",
    "Megan Trelawny joined the partnership in May as business manager.",
    "Foreword\nCarol Pendleby Director Children's Services Millbrook Council\n",
    "Young people met at Albert Square and at Florence Nightingale Hospital.",
])
def test_credited_people_organisations_and_public_cases_are_not_private_names(text):
    assert _quotes(text, "privacy.name") == []


@pytest.mark.parametrize("text,quote", [
    ("The child was born 5 May 2012 in the area.", "born 5 May 2012"),
    ("DOB 05/05/2012 was on the form.", "DOB 05/05/2012"),
    ("Child C (date of birth: 12th June 2015) was seen.", "date of birth: 12th June 2015"),
    ("She was born on March 3, 2011.", "born on March 3, 2011"),
    ("The youngest child was born in May 2012.", "was born in May 2012"),
])
def test_dates_of_birth_in_any_written_form(text, quote):
    assert _quotes(text, "privacy.identifier") == [quote]


def test_a_birth_cohort_is_not_a_date_of_birth():
    assert _quotes("We saw 40 babies born 1 April 2023 to 31 March 2024.", "privacy.identifier") == []
    assert _quotes("Twelve babies were born in March 2024 to mothers under 18.", "privacy.identifier") == []


def test_a_street_address_but_not_the_partnership_office_or_a_chapter_number():
    assert _quotes("The family lived at 8 Orchard Close, Millbrook.", "privacy.address") == ["8 Orchard Close, Millbrook"]
    assert _quotes("Write to the Partnership, Town Hall, 1 George Street, Millbrook.", "privacy.address") == []
    assert _quotes("Chapter 10 The View of Children and Young People", "privacy.address") == []


def test_an_age_next_to_initials_or_a_name_but_not_alone():
    assert _quotes("R.T., aged 15, was reported missing.", "privacy.age") == ["R.T., aged 15"]
    assert _quotes("Tom Jones (14) was reported missing.", "privacy.age") == ["Tom Jones (14)"]
    assert _quotes("We spoke to Megan, aged 15, about the service.", "privacy.age") == ["Megan, aged 15"]
    assert _quotes("Young people aged 15 were reported missing more often.", "privacy.age") == []
    assert _quotes("Child A (aged 12) was seen.", "privacy.age") == []
    assert _quotes("The CSE team, aged 15 years on average, ...", "privacy.age") == []


@pytest.mark.parametrize("text", [
    "The partnership published 1 Child Safeguarding Practice Review this year.",
    "Two Child Death Review meetings were held.",
    "We opened 3 Family Hubs.",
])
def test_titles_are_not_counts_of_people(text):
    assert _quotes(text, "privacy.small-count") == []


def test_a_real_small_count_is_still_found():
    assert _quotes("Three children were placed out of area.", "privacy.small-count") == ["Three children"]
