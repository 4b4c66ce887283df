"""Free text in the register, case audits and scrutiny is published in the yearly report, so
personal details are refused on entry (whoever enters it: form, YAML file, any caller), and
anything that slipped in before is left out of the public report (breaker 12 F1, F3, F7, F9, F11)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from pydantic import ValidationError

from masa.assurance import caseaudit as ca
from masa.assurance import reviews as rv
from masa.assurance import scrutiny as sc
from masa.assurance.book import Book, BookError, load_book
from masa.report.assurance_blocks import WITHHELD, assurance_section

NAME, DOB = "Jane Smith", "12/03/2015"


def _action(**k):
    return {"id": "1.1", "text": "Write the pathway", "owner": "Named nurse", "due": date(2025, 3, 31), **k}


@pytest.mark.parametrize("make", [
    lambda t: rv.Review(code="rr-x", kind="rapid-review", title=t, started=date(2024, 5, 5)),
    lambda t: rv.Recommendation(id="1", text=t),
    lambda t: rv.Action(**_action(text=t)),
    lambda t: rv.Action(**_action(owner=t)),
    lambda t: rv.Action(**_action(evidence=t)),
    lambda t: rv.Action(**_action(impact=t)),
    lambda t: ca.CaseAudit(code="a", theme=t, held=date(2024, 6, 1)),
    lambda t: ca.CaseAudit(code="a", theme="Neglect", held=date(2024, 6, 1), themes=[t]),
    lambda t: ca.AuditForm(case="NEG-01", partner="lbc", grade="good", findings=t),
    lambda t: ca.AuditForm(case="NEG-01", partner="lbc", grade="good", findings="Seen.", immediate_concern=True,
                           concern=t),
    lambda t: sc.PlanItem(text=t),
    lambda t: sc.ScrutinyRecommendation(id="S1", text=t, made=date(2025, 1, 1), to=["lbc"]),
    lambda t: sc.Response(partner="lbc", text=t, given=date(2025, 1, 1)),
    lambda t: sc.Scrutiny(period="2024-25", statement=t),
])
@pytest.mark.parametrize("text,said", [
    (f"Rapid review: {NAME}, seen in May", "Jane Smith"),
    (f"Child ({DOB}) needs a visit today", "12/03/2015"),   # F3: a bare date, no cue word
    ("Move Jane Smith to a safe place", "Jane Smith"),        # F3: a name after a verb
    ("Mother Fatima said the plan helped", "Mother Fatima"),  # F3: a first name after a family word
])
def test_every_published_text_field_refuses_personal_details(make, text, said):
    with pytest.raises(ValidationError, match="may identify someone") as exc:
        make(text)
    assert said in str(exc.value)


def test_clean_text_is_kept():
    r = rv.Review(code="rr-x", kind="rapid-review", title="Rapid review: a baby's injuries", started=date(2024, 5, 5))
    assert r.title == "Rapid review: a baby's injuries"
    assert rv.Action(**_action(owner="Head of early help")).owner == "Head of early help"


def test_a_yaml_file_with_a_name_is_refused_naming_the_file_and_field(tmp_path):
    (tmp_path / "assurance").mkdir()
    (tmp_path / "assurance" / "scrutiny.yaml").write_text(
        "scrutiny:\n  - {period: 2024-25, statement: 'We met Jane Smith and her family.'}\n")
    with pytest.raises(BookError, match="scrutiny.0.statement: the statement may identify someone.*Jane Smith"):
        load_book(tmp_path)


@pytest.mark.parametrize("make,limit", [
    (lambda t: rv.Review(code="rr-x", kind="rapid-review", title=t, started=date(2024, 5, 5)), rv.SHORT),
    (lambda t: ca.AuditForm(case="NEG-01", partner="lbc", grade="good", findings=t), rv.LONG),
    (lambda t: rv.Action(**_action(impact=t)), rv.LONG),
    (lambda t: sc.Scrutiny(period="2024-25", statement=t), sc.STATEMENT),
])
def test_long_text_is_refused_with_the_limit(make, limit):
    with pytest.raises(ValidationError, match=f"characters long: keep it to {limit:,}"):
        make("Seen. " * (limit // 6 + 1))


def test_completion_dates_must_be_real():
    review = rv.Review(code="rr-x", kind="rapid-review", title="X", started=date(2023, 11, 14))
    with pytest.raises(ValidationError, match="in the future"):
        rv.Action(**_action(status="done", completed=date.today() + timedelta(days=1)))
    early = rv.Action(**_action(status="done", completed=date(2020, 1, 1)))
    with pytest.raises(ValueError, match="completed on 01 January 2020, before the review started"):
        rv.check_due(review, early)
    with pytest.raises(ValidationError, match="before 2000"):
        rv.Review(code="rr-x", kind="rapid-review", title="X", started=date(1, 1, 1))


def _form(case, grade, partner):
    return ca.AuditForm.model_construct(case=case, partner=partner, grade=grade, findings="x",
                                        immediate_concern=False, concern="")


def _audit(code, held, grades):
    """An audit with the given number of forms of each grade, one case per form."""
    forms = [(g, i) for g, n in grades.items() for i in range(n)]
    refs = [f"NEG-{k}" for k in range(len(forms))]
    return ca.CaseAudit.model_construct(
        code=code, theme="Neglect", held=held, themes=[], actions=[],
        sample=[ca.Case.model_construct(ref=r) for r in refs],
        forms=[_form(r, g, "lbc") for r, (g, _) in zip(refs, forms)])


def test_the_good_share_cannot_give_back_a_suppressed_grade_cell():
    """Breaker's numbers: Outstanding 2, Good 7, RI 6, Inadequate 1 of 16 shows c, 7, 6, c; a
    share of 56.3% would give 9 good-or-outstanding, so Outstanding = 2 and Inadequate = 1."""
    this = _audit("a", date(2024, 9, 1), {"outstanding": 2, "good": 7, "requires-improvement": 6, "inadequate": 1})
    last = _audit("b", date(2023, 9, 1), {"outstanding": 10, "good": 10, "requires-improvement": 10, "inadequate": 10})
    book = Book.model_construct(reviews=[], audits=[this, last], scrutiny=[])
    text = str(assurance_section(book, "2024-25").children[0].blocks)
    assert "'Outstanding', 'c'" in text and "'Inadequate', 'c'" in text and "'Total', '16'" in text
    assert "56.3" not in text and "not shown: the counts are too small" in text
    inside = str(assurance_section(book, "2024-25", internal=True).children[0].blocks)
    assert "56.2% of audit forms" in inside or "56.3% of audit forms" in inside


def test_text_stored_before_the_rule_is_left_out_of_the_public_report_and_flagged_inside():
    bad = rv.Review.model_construct(
        code="rr-x", kind="rapid-review", title=f"Rapid review: {NAME}", started=date(2024, 5, 5), published=None,
        recommendations=[rv.Recommendation.model_construct(id="1", text="Share", actions=[rv.Action.model_construct(
            **_action(status="done", completed=date(2024, 9, 1), impact=f"{NAME} now has a plan"),
            partner="", evidence="")])])
    audit = _audit("t9", date(2024, 9, 1), {"good": 10})
    audit.theme, audit.themes = f"{NAME}, born {DOB}", [f"Visit {NAME}", "Plans were clearer"]
    audit.actions = [rv.Action.model_construct(**_action(text=f"Visit {NAME} at 14 Park Street"), partner="",
                                               status="open", completed=None, evidence="", impact="")]
    year = sc.Scrutiny.model_construct(period="2024-25", plan=[], recommendations=[], signed_off=None,
                                       statement=f"We met {NAME} (born {DOB}) and the team.")
    book = Book.model_construct(reviews=[bad], audits=[audit], scrutiny=[year])
    public = str([b for c in assurance_section(book, "2024-25").children for b in c.blocks])
    assert NAME not in public and DOB not in public and "Park Street" not in public
    assert WITHHELD in public and "Plans were clearer" in public
    internal = str([b for c in assurance_section(book, "2024-25", internal=True).children for b in c.blocks])
    assert NAME in internal and "NOT PUBLISHED, correct it" in internal
