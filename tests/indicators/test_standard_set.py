"""Every standard indicator against tiny hand-made extracts with hand-computed answers.

Threshold 0 switches suppression off here so the counting logic itself is visible;
disclosure control is tested in test_disclosure.py.
"""

from __future__ import annotations

import pytest
from tests.indicators.indicators_helpers import by_key, tiny_extracts, unsuppressed

from masa.indicators import compute

L, B, C = ("area", "luton"), ("area", "bedford"), ("area", "central-bedfordshire")


@pytest.fixture(scope="module")
def values(standard):
    result = compute(unsuppressed(standard), tiny_extracts(), "2024-25")
    return by_key(result.values)


def k(*pairs):
    return tuple(sorted(pairs))


EXPECTED = {
    # CSC referrals in 2024-25: R2 R4 R5 (a UK-format date) R6 R7 R9; R8 is 1 April 2025.
    ("csc_referrals", k()): 6,
    ("csc_referrals", k(L)): 6,
    ("csc_referrals", k(B)): 0,
    ("csc_referrals", k(("referral-source", "police"))): 3,
    ("csc_referrals", k(("referral-source", "health"))): 1,
    ("csc_referrals", k(("referral-source", "individual"))): 0,
    ("csc_referrals", k(L, ("referral-source", "education"))): 1,
    # R2 is exactly 365 days after R1 (counts); R4 is 366 days after R3 (does not); R6 is 31 days after R5.
    ("repeat_referral_rate", k()): 33.3,
    ("repeat_referral_rate", k(L)): 33.3,
    ("repeat_referral_rate", k(B)): None,
    # P1 turns 18 in October 2024: S1 (September) is a child's referral, S2 (October) an adult's.
    ("safeguarding_referrals", k()): 5,
    ("safeguarding_referrals", k(L)): 3,
    ("safeguarding_referrals", k(("age-group", "child"))): 2,
    ("safeguarding_referrals", k(("age-group", "adult"))): 3,
    ("safeguarding_referrals", k(("sex", "not-known"))): 2,  # U, and an empty sex
    ("safeguarding_referrals", k(L, ("age-group", "child"), ("sex", "female"))): 1,
    ("safeguarding_referrals", k(L, ("age-group", "adult"), ("sex", "female"))): 1,
    ("safeguarding_referrals", k(C, ("age-group", "child"))): 0,
    ("child_safeguarding_referrals", k()): 2,
    ("child_safeguarding_referrals", k(L, ("sex", "female"))): 1,
    ("child_safeguarding_referrals", k(B, ("sex", "male"))): 1,
    ("child_safeguarding_referrals", k(("sex", "not-known"))): 0,
    ("referral_share", k(("age-group", "child"))): 40.0,
    ("referral_share", k(("age-group", "adult"))): 60.0,
    ("safeguarding_incidents_children", k()): 5,
    ("safeguarding_incidents_children", k(("incident-category", "neglect"))): 3,
    ("safeguarding_incidents_children", k(("service", "specialist-childrens"))): 3,
    ("safeguarding_incidents_children", k(("incident-category", "neglect"), ("service", "specialist-childrens"))): 2,
    ("safeguarding_incidents_children", k(("incident-category", "sexual"))): 0,
    # Sessions S1 (two people) and S2 completed in the year.
    ("training_sessions", k()): 2,
    ("training_sessions", k(("training-course", "l3-children"))): 1,
    ("training_attendance", k()): 3,
    ("training_attendance", k(("training-course", "l3-children"))): 2,
    # Level 3: A done exactly 3 years before 31 March 2025 (out of date), B a day later (in),
    # C renewed (in), D never, G only after the period end, H (in): 3 of 6.
    ("training_compliance", k(("training-course", "l3-children"))): 50.0,
    # Level 1 is yearly: E exactly a year old (out), F (in).
    ("training_compliance", k(("training-course", "prevent-l1"))): 50.0,
    # Level 2 is refreshed every 3 years: I done exactly 3 years before 31 March 2025 (out,
    # the refresher fell due that day), J one day later (in). A 2- or 4-year period fails this.
    ("training_compliance", k(("training-course", "l2-children"))): 50.0,
    ("training_compliance", k()): 50.0,  # 3 of 6 + 1 of 2 + 1 of 2
    ("training_compliance", k(("training-course", "l3-adults"))): None,
    # M4 returned at midnight starting 1 April 2025: next year.
    ("missing_episodes", k()): 3,
    ("missing_episodes", k(L)): 2,
    ("missing_episodes", k(C)): 0,
    ("missing_children", k()): 2,
    ("missing_children", k(L)): 1,
    # M1 offered exactly 72 hours after return (in time), M2 a minute later, M3 never.
    ("rhi_offered", k()): 33.3,
    ("rhi_offered", k(L)): 50.0,
    ("rhi_offered", k(B)): 0.0,
    ("rhi_accepted", k()): 50.0,
    ("rhi_accepted", k(B)): None,
    # Strategy Fri 20 Dec 2024: 15 working days, skipping 25-26 Dec and 1 Jan, end Wed 15 Jan.
    ("cp_conference_timeliness", k(L)): 50.0,
    ("cp_conference_timeliness", k(B)): 100.0,
    ("cp_conference_timeliness", k()): 66.7,
    # Y1 (twice, counted once), Y5; Y2 is 18, Y3 is 9, Y4's disposal was not a first.
    ("first_time_entrants", k()): 2,
    ("first_time_entrants", k(L)): 1,
    ("first_time_entrants", k(B)): 1,
    ("encompass_notifications", k()): 2,
    ("encompass_timeliness", k()): 50.0,
}


@pytest.mark.parametrize("key", list(EXPECTED), ids=lambda key: f"{key[0]}{dict(key[1])}")
def test_standard_indicator_value(values, key):
    assert values[key] == EXPECTED[key]


def test_every_standard_definition_is_exercised(standard):
    assert {d.indicator for d in standard} == {key[0] for key in EXPECTED}


def test_quarter_period_counts_only_that_quarter(standard):
    defs = [d for d in unsuppressed(standard) if d.id == "csc_referrals"]
    q1 = by_key(compute(defs, tiny_extracts(), "2024-25 Q1").values)
    # Q1 = April-June 2024: R9 (1 Apr), R2 (31 May), R4 (1 Jun).
    assert q1[("csc_referrals", ())] == 3


def test_bank_holidays_matter(standard):
    """Without England's bank holidays, 16 Jan would be 18 working days after 20 Dec and
    15 Jan 17: both late. With them, 15 Jan is the 15th working day."""
    from datetime import date

    from masa.indicators.calendar import working_day_numbers

    wd = dict(working_day_numbers(date(2024, 12, 1), date(2025, 1, 31)))
    assert wd[date(2025, 1, 15)] - wd[date(2024, 12, 20)] == 15
    assert wd[date(2025, 1, 16)] - wd[date(2024, 12, 20)] == 16


def test_compliance_is_per_person_per_course_even_without_a_course_breakdown(standard):
    defn = next(d for d in unsuppressed(standard) if d.id == "training_compliance")
    plain = defn.model_copy(update={"breakdowns": []})
    got = by_key(compute([plain], tiny_extracts(), "2024-25").values)
    assert got == {("training_compliance", ()): 50.0}


@pytest.mark.parametrize(("completed", "expected"), [("2022-04-01", 100.0), ("2022-03-31", 0.0)],
                         ids=["one-day-inside-3-years", "exactly-3-years-old"])
def test_level_2_refresh_is_three_years_to_the_day(standard, tmp_path, completed, expected):
    """Level 2 training done on 1 April 2022 still counts on 31 March 2025; done on
    31 March 2022 its refresher fell due on 31 March 2025, so the person is not compliant."""
    extract = tmp_path / "training.csv"
    extract.write_text("record_id,staff_id,course,level,session_id,completion_date\n"
                       f"T1,A,l2-children,2,S1,{completed}\n", encoding="utf-8")
    defn = next(d for d in unsuppressed(standard) if d.id == "training_compliance")
    got = by_key(compute([defn], {"training": extract}, "2024-25").values)
    assert got[("training_compliance", k(("training-course", "l2-children")))] == expected
