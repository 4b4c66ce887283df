"""Section 11 engine: RAG ratings only, actions need an owner and a due date in the period,
carry-forward keeps open actions with their ids, the heatmap shows change since last cycle."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError

from masa.assurance import section11 as s11


@pytest.fixture(scope="module")
def standards():
    return s11.shipped_standards()


def _action(**kw):
    base = {"id": "bfrs-s11-1", "text": "Refresh training", "owner": "Head of training", "due": "2025-03-31"}
    return s11.ActionItem.model_validate(base | kw)


def test_shipped_set_has_eight_standards_each_with_prompts(standards):
    assert len(standards.standards) == 8
    assert all(s.prompts for s in standards.standards)


def test_a_rating_outside_red_amber_green_is_refused():
    with pytest.raises(ValidationError, match="red"):
        s11.Answer(standard="training", rating="purple")
    assert s11.rating_problem("purple") == "'purple' is not a rating: choose red, amber or green"
    assert s11.rating_problem("amber") is None


def test_an_action_without_an_owner_is_refused():
    with pytest.raises(ValidationError, match="needs an owner"):
        _action(owner="  ")


def test_a_due_date_before_the_period_is_a_problem(standards):
    a = s11.Assessment(partner="bfrs", period="2024-25",
                       answers=[s11.Answer(standard="training", rating="amber", actions=[_action(due="2024-01-31")])])
    found = s11.problems(a, standards, date(2024, 4, 1))
    assert len(found) == 1 and "before the assessment period starts (01/04/2024)" in found[0][1]


def test_submitting_needs_every_standard_rated(standards):
    a = s11.fresh("bfrs", "2024-25", standards)
    assert len(s11.problems(a, standards, date(2024, 4, 1), submitting=True)) == 8


def test_carry_forward_shows_last_ratings_and_keeps_open_actions_with_their_ids(standards):
    before = s11.fresh("bfrs", "2024-25", standards)
    before.answer("training").rating = "amber"
    before.answer("training").actions = [_action(), _action(id="bfrs-s11-2", status="done")]
    after = s11.carry_forward(before, "2025-26", standards)
    t = after.answer("training")
    assert t.previous_rating == "amber" and t.rating is None
    assert [(x.id, x.carried, x.raised) for x in t.actions] == [("bfrs-s11-1", True, "2024-25")]
    assert after.period == "2025-26" and after.status == "draft"


def test_heatmap_shows_change_since_last_cycle(standards):
    last = s11.fresh("bfrs", "2024-25", standards)
    now = s11.fresh("bfrs", "2025-26", standards)
    for a, r in ((last, "amber"), (now, "green")):
        a.status = "submitted"
        a.answer("training").rating = r
    now.answer("leadership").rating = "red"
    last.answer("leadership").rating = "green"
    now.answer("childs-voice").rating = "amber"
    h = s11.heatmap([("bfrs", "Fire")], standards, "2025-26", [now], [last], "2024-25")
    assert h.cell("bfrs", "training").change == "up"
    assert h.cell("bfrs", "leadership").change == "down"
    assert h.cell("bfrs", "childs-voice").change == "new"
    assert h.cell("bfrs", "safer-recruitment").change == ""


def test_a_draft_does_not_count_in_the_heatmap(standards):
    now = s11.fresh("bfrs", "2025-26", standards)
    now.answer("training").rating = "green"
    h = s11.heatmap([("bfrs", "Fire")], standards, "2025-26", [now], [], None)
    assert h.cell("bfrs", "training").rating is None


def test_export_neutralises_formula_cells(standards):
    h = s11.heatmap([("bfrs", "=HYPERLINK(\"x\")")], standards, "2025-26", [], [], None)
    rows = s11.export_rows(h)
    assert s11.to_csv(rows).decode("utf-8-sig").splitlines()[1].startswith('"\'=HYPERLINK')
    import io

    from openpyxl import load_workbook
    ws = load_workbook(io.BytesIO(s11.to_xlsx(rows))).active
    assert ws["A2"].value.startswith("'=") and ws["A2"].data_type == "s"


def test_counts_per_standard(standards):
    a = s11.fresh("bfrs", "2024-25", standards)
    a.status = "submitted"
    a.answer("training").rating = "red"
    assert s11.rag_counts([a], standards)["training"] == {"red": 1, "amber": 0, "green": 0}


def _challenged():
    mods = [s11.Moderation(partnership="luton", verdict="challenge", reason="Figures are old"),
            s11.Moderation(partnership="bedford-borough", verdict="agree", reason="Fine")]
    return s11.Assessment(partner="bfrs", period="2024-25", status="submitted", answers=[
        s11.Answer(standard="training", rating="green", evidence="Old figures", moderation=mods),
        s11.Answer(standard="leadership", rating="green")])


def test_keeping_a_challenged_rating_needs_a_reason():
    with pytest.raises(ValidationError, match="reason for keeping"):
        s11.Response(kind="kept", reason="  ")
    assert s11.Response(kind="revised").reason == ""


def test_every_open_challenge_must_be_answered_before_resubmitting():
    a = _challenged()
    assert a.challenged() == ["training"]
    with pytest.raises(ValueError, match="answer the challenge on training"):
        s11.respond(a, {}, {})


def test_a_revised_answer_drops_other_verdicts_and_a_kept_one_leaves_them():
    a = _challenged()
    new = a.answer("training").model_copy(update={"rating": "amber", "evidence": "New figures"})
    after = s11.respond(a, {"training": s11.Response(kind="revised", by="c")}, {"training": new})
    t = after.answer("training")
    assert (t.rating, t.evidence) == ("amber", "New figures")
    assert [(m.partnership, m.response.kind) for m in t.moderation] == [("luton", "revised")]
    assert after.challenged() == []
    kept = s11.respond(a, {"training": s11.Response(kind="kept", reason="Refreshed in March")}, {})
    t = kept.answer("training")
    assert t.rating == "green"
    assert {m.partnership: (m.response.reason if m.response else None) for m in t.moderation} == {
        "luton": "Refreshed in March", "bedford-borough": None}
