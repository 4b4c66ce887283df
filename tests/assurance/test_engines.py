"""The assurance engines without Django: the rules a business unit relies on."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from pydantic import ValidationError

from masa.assurance import caseaudit as ca
from masa.assurance import reviews as rv
from masa.assurance import scrutiny as sc
from masa.assurance.book import BookError, load_book

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "luton-2024-25"


def _action(**k):
    return {"id": "1.1", "text": "Write the pathway", "owner": "Named nurse", "due": date(2025, 3, 31), **k}


def _review(actions):
    return {"code": "rr-x", "kind": "rapid-review", "title": "X", "started": date(2024, 6, 1),
            "recommendations": [{"id": "1", "text": "Share sooner", "actions": actions}]}


def test_an_action_needs_an_owner():
    with pytest.raises(ValidationError, match="an action needs an owner"):
        rv.Action(**_action(owner="   "))


def test_an_action_cannot_fall_due_before_its_review():
    with pytest.raises(ValidationError, match="before the review started on 01 June 2024"):
        rv.Review(**_review([_action(due=date(2024, 5, 1))]))
    assert rv.Review(**_review([_action()])).actions()[0].due == date(2025, 3, 31)


def test_overdue_is_worked_out_against_the_day_given_and_spans_years():
    reg = rv.Register(reviews=[rv.Review(**_review([_action(), _action(id="1.2", status="done",
                                                                        completed=date(2025, 5, 1))]))])
    assert rv.overdue(reg, date(2025, 3, 31)) == []
    assert [a.id for _, _, a in rv.overdue(reg, date(2026, 1, 1))] == ["1.1"]


def test_year_counts_compare_a_year_with_the_one_before():
    book = load_book(EXAMPLE)
    this, last = rv.year_counts(book.register(), "2024-25"), rv.year_counts(book.register(), "2023-24")
    assert this["reviews"] == 2 and last["reviews"] == 1
    assert this["completed"] == 2 and last["completed"] == 1
    assert this["overdue"] == 2  # H2.1 and W2.1 were open past their due dates at 31 March 2025


@pytest.mark.parametrize("ref", ["Oliver Brandreth", "Oliver-Brandreth", "03/03/2014", "2014-03-03", "3 March 2014",
                                 # breaker 12 F2 and F8: each of these was accepted before
                                 "JS-12/03/2015", "J.S. 12.03.2015", "Smith J 120315", "jane-smith-2015",
                                 "DOB 2015-03-12", "Mohammed", "JS-2015", "A/1", "B?2", "C#3", "%2e%2e", "C123"])
def test_a_case_reference_not_in_the_strict_shape_is_refused(ref):
    with pytest.raises(ValidationError, match="not in the shape PREFIX-number, such as NEG-01"):
        ca.Case(ref=ref)


@pytest.mark.parametrize("ref", ["NEG-01", "EX-7", "DV-123"])
def test_a_pseudonymous_reference_is_accepted(ref):
    assert ca.Case(ref=ref).ref == ref
    assert ca.Case(ref=ref.lower()).ref == ref  # typed in lower case, stored as the shape says


def test_every_reference_in_one_audit_shares_its_prefix():
    with pytest.raises(ValidationError, match="one prefix, but these use JS, NEG"):
        ca.CaseAudit(code="a", theme="Neglect", held=date(2024, 6, 1), sample=[{"ref": "NEG-01"}, {"ref": "JS-15"}])


def test_findings_naming_someone_or_giving_a_date_of_birth_are_refused():
    with pytest.raises(ValidationError, match="Jessica Hartwell"):
        ca.AuditForm(case="NEG-01", partner="lbc", grade="good", findings="We met Jessica Hartwell at home.")
    with pytest.raises(ValidationError, match="date of birth"):
        ca.AuditForm(case="NEG-01", partner="lbc", grade="good", findings="The child, DOB 3 March 2014, was seen.")


def test_an_immediate_concern_says_what_must_be_done():
    with pytest.raises(ValidationError, match="immediate concern needs"):
        ca.AuditForm(case="NEG-01", partner="lbc", grade="inadequate", findings="Unsafe.", immediate_concern=True)


def test_grade_outside_the_four_is_refused_and_summary_counts_grades():
    with pytest.raises(ValidationError):
        ca.AuditForm(case="NEG-01", partner="lbc", grade="amber", findings="x")
    s = ca.summary(load_book(EXAMPLE).audits[0])
    assert s.cases == 6 and s.forms == 13 and sum(s.grades.values()) == 13 and s.grades["inadequate"] == 1


def test_a_response_from_a_partner_not_addressed_is_refused_and_awaiting_is_tracked():
    rec = {"id": "S1", "text": "Share data", "made": date(2025, 1, 1), "to": ["lbc", "police"]}
    with pytest.raises(ValidationError, match="not addressed"):
        sc.ScrutinyRecommendation(**rec, responses=[{"partner": "icb", "text": "ok", "given": date(2025, 2, 1)}])
    r = sc.ScrutinyRecommendation(**rec, responses=[{"partner": "lbc", "text": "ok", "given": date(2025, 2, 1)}])
    assert r.awaiting() == ["police"]


def test_sign_off_needs_a_statement():
    with pytest.raises(ValidationError, match="before the statement is written"):
        sc.Scrutiny(period="2024-25", signed_off={"by": "Scrutineer", "day": date(2025, 6, 30)})


def test_a_bad_assurance_file_names_the_file_and_field(tmp_path):
    (tmp_path / "assurance").mkdir()
    (tmp_path / "assurance" / "reviews.yaml").write_text(
        "reviews:\n  - {code: a, kind: rapid-review, title: T, started: 2024-06-01, recommendations: "
        "[{id: '1', text: t, actions: [{id: '1', text: t, owner: '', due: 2025-01-01}]}]}\n")
    with pytest.raises(BookError, match="reviews.0.recommendations.0.actions.0.owner: .*needs an owner"):
        load_book(tmp_path)
    assert load_book(tmp_path / "nothing").empty()
