"""Working Together items: judged only where the guidance applies, with the false alarms of
issue 12 fixed (invented wording in the shapes real reports use)."""

from __future__ import annotations

import pytest

from masa.checks import check_texts
from masa.checks.compliance import guidance, report_period
from masa.checks.documents import build_ctx


def _wt(text: str) -> set[str]:
    run = check_texts([("report.txt", text)], None)
    return {f.code for f in run.findings if f.code.startswith("wt20")}


@pytest.mark.parametrize("period, expected", [("2016-17", None), ("2018-19", None), ("2019-20", "2018"),
                                              ("2022-23", "2018"), ("2023-24", "2023"), ("2025-26", "2023"),
                                              (None, None)])
def test_guidance_is_chosen_by_the_reports_period(period, expected):
    assert guidance(period) == expected


@pytest.mark.parametrize("opening, period", [
    ("Northshire Safeguarding Children Partnership Annual Report 2021/22\n\nText.", "2021-22"),
    ("Northshire Safeguarding Children Board\nAnnual Report\n1st April 2015 - 31st March 2016\n\nText.", "2015-16"),
    ("About this report\n\nThis report covers 1 April 2023 to 31 March 2024.", "2023-24"),
    # breaker br2: written out, across a century, as a financial-year code; two years are not one
    ("Annual Report 2024 to 2025\n\nWe met.", "2024-25"),
    ("Annual Report 1999-00\n\nWe met.", "1999-00"),
    ("FY24/25 annual report\n\nWe met.", "2024-25"),
    ("Annual Report 2022-2024\n\nWe met.", None),
])
def test_the_period_is_read_from_the_document(opening, period):
    assert report_period(build_ctx([("r.txt", opening)])) == period


def test_an_lscb_report_is_not_judged_against_either_guidance():
    assert _wt("Northshire LSCB Annual Report 2016-17\n\nThe board met four times.\n") == set()


def test_a_report_without_a_readable_period_is_not_judged():
    assert _wt("The board met four times.\n") == set()


def test_a_2021_22_report_is_judged_on_the_four_2018_items_only():
    assert _wt("Northshire Safeguarding Children Partnership Annual Report 2021-22\n\nWe met.\n") == {
        "wt2018.impact", "wt2018.little-progress", "wt2018.review-actions", "wt2018.voice"}


def test_a_2024_25_report_is_judged_on_the_2023_items():
    assert _wt("Northshire Safeguarding Children Partnership Yearly Report 2024-25\n\nWe met.\n") == {
        "wt2023.impact", "wt2023.little-progress", "wt2023.review-actions", "wt2023.voice", "wt2023.scrutiny",
        "wt2023.budget"}


TITLE = "Northshire Safeguarding Children Partnership Yearly Report 2024-25\n\n"


def test_commissioned_independent_scrutiny_evidences_the_scrutiny_item():
    text = TITLE + ("Each year the Executive Leadership Group commissioned independent scrutiny in which an "
                    "outside expert looked at how the work was being done.\n")
    assert "wt2023.scrutiny" not in _wt(text)


def test_data_scrutinised_by_a_team_is_not_scrutiny_of_the_arrangements():
    text = TITLE + "The data is reported and scrutinised monthly by the safeguarding team.\n"
    assert "wt2023.scrutiny" in _wt(text)


def test_a_list_under_a_reviews_question_evidences_review_actions():
    text = TITLE + ("What has happened as a result of reviews?\n\n"
                    "- The safe sleep leaflet was rewritten and relaunched in May.\n"
                    "- Midwives now ask about the father's details at booking.\n")
    assert "wt2023.review-actions" not in _wt(text)


def test_a_list_under_an_unrelated_lead_in_is_not_review_evidence():
    text = TITLE + ("What we did this year:\n\n- The safe sleep leaflet was rewritten and relaunched in May.\n"
                    "- Midwives now ask about the father's details at booking.\n")
    assert "wt2023.review-actions" in _wt(text)
