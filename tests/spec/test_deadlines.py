"""Deadline arithmetic and UK date reading (masa.spec.deadlines): plain Python, milliseconds."""

from __future__ import annotations

from datetime import date

import pytest

from masa.spec.deadlines import effective_due, how_late, months_between, read_uk_date, standing, time_left


@pytest.mark.parametrize("typed", ["31/05/2026", "31 May 2026", "2026-05-31", "31-5-2026", "31.05.2026",
                                   "31st May 2026", "31 may 2026", " 31  MAY  2026 "])
def test_uk_ways_of_writing_a_date_are_all_read(typed):
    assert read_uk_date(typed) == date(2026, 5, 31)


def test_day_comes_first_as_in_england():
    assert read_uk_date("01/05/2026") == date(2026, 5, 1)
    assert read_uk_date("1 Sept 2026") == date(2026, 9, 1)
    assert read_uk_date("29/02/2028") == date(2028, 2, 29)  # a leap year


@pytest.mark.parametrize("typed, says", [
    ("", "Enter a date"),
    ("next Friday", "is not a date"),
    ("31/02/2026", "is not a real date"),
    ("05/31/2026", "is not a real date"),  # American order: there is no 31st month
    ("29/02/2027", "is not a real date"),
    ("31 Maybe 2026", "is not a date"),
    ("2026/05/31x", "is not a date"),
])
def test_nonsense_dates_are_refused_with_a_message(typed, says):
    with pytest.raises(ValueError, match=says):
        read_uk_date(typed)


def test_an_extension_replaces_the_deadline():
    assert effective_due(date(2026, 5, 31), None) == date(2026, 5, 31)
    assert effective_due(date(2026, 5, 31), date(2026, 6, 30)) == date(2026, 6, 30)
    assert effective_due(None, None) is None


def test_whole_months_across_month_ends():
    assert months_between(date(2025, 1, 31), date(2025, 2, 28)) == 0  # February has no 31st
    assert months_between(date(2025, 1, 31), date(2025, 3, 1)) == 1
    assert months_between(date(2025, 5, 31), date(2026, 10, 31)) == 17
    assert months_between(date(2025, 12, 15), date(2026, 1, 15)) == 1  # over the year end
    assert months_between(date(2025, 12, 15), date(2026, 1, 14)) == 0


def test_how_late():
    due = date(2025, 5, 31)
    assert how_late(due, date(2025, 5, 31)) == ""  # on the day is on time
    assert how_late(due, date(2025, 5, 1)) == ""
    assert how_late(due, date(2025, 6, 1)) == "1 day late"
    assert how_late(due, date(2025, 6, 3)) == "3 days late"
    assert how_late(due, date(2025, 7, 30)) == "60 days late"  # under two whole months: days
    assert how_late(due, date(2025, 7, 31)) == "submitted 2 months late"
    assert how_late(due, date(2025, 8, 1)) == "submitted 2 months late"
    assert how_late(due, date(2026, 10, 31)) == "submitted 17 months late"
    assert how_late(date(2028, 2, 28), date(2028, 3, 1)) == "2 days late"  # over 29 February


def test_time_left():
    due = date(2026, 5, 31)
    assert time_left(due, date(2026, 5, 19)) == "12 days left"
    assert time_left(due, date(2026, 5, 30)) == "1 day left"
    assert time_left(due, date(2026, 5, 31)) == "due today"
    assert time_left(due, date(2026, 6, 5)) == "5 days overdue"
    assert time_left(date(2026, 3, 1), date(2026, 2, 28)) == "1 day left"  # month end, not a leap year


def test_standing_of_a_return():
    due = date(2026, 5, 31)
    assert standing(due, None, date(2026, 5, 19)).words == "12 days left"
    assert not standing(due, None, date(2026, 5, 19)).late
    overdue = standing(due, None, date(2026, 6, 5))
    assert (overdue.state, overdue.late) == ("overdue", True)
    late = standing(due, date(2026, 6, 3), date(2027, 1, 1))
    assert (late.state, late.words, late.late) == ("late", "3 days late", True)
    assert standing(due, date(2026, 5, 31), date(2027, 1, 1)).state == "on time"
    # the partner's extension moves the due date, so the same submission is on time
    extended = effective_due(due, date(2026, 6, 30))
    assert standing(extended, date(2026, 6, 3), date(2027, 1, 1)).state == "on time"
    assert standing(None, None, date(2026, 1, 1)).state == "no deadline"
