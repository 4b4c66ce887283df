"""Rollover: last year's unfinished actions and next-year priorities carried into this year's return."""

from __future__ import annotations

import pytest

from masa.checks import check_dataset
from masa.returns import Dataset, Return, load_return_file
from masa.returns.model import Action, Audit, NextYearPriority
from masa.returns.rollover import action_rows, carry_forward, unanswered


def _ret(period: str, **kw) -> Return:
    return Return(partner="elft", period=period, template="appendix-b", **kw)


LAST = _ret("2024-25", audits=[Audit(title="Referral audit", actions=[
    Action(text="Policy updated", status="done"),
    Action(text="Follow-up audit with a larger sample", owner="Safeguarding team", status="open"),
    Action(text="Training on recording", status="in-progress")])],
    next_year=[NextYearPriority(text="Embed the neglect toolkit", priorities=["neglect"])])


def _answer(ret: Return, **by_text) -> Return:
    acts = [a.model_copy(update=dict(zip(("status", "note"), by_text[a.text]))) if a.text in by_text else a
            for a in ret.carried_actions]
    return ret.model_copy(update={"carried_actions": acts})


def test_carries_every_action_not_done_with_its_history_and_each_priority():
    new = carry_forward(LAST, _ret("2025-26"))
    assert [(a.text, a.audit, a.raised, [(h.period, h.status) for h in a.history], a.status)
            for a in new.carried_actions] == [
        ("Follow-up audit with a larger sample", "Referral audit", "2024-25", [("2024-25", "open")], None),
        ("Training on recording", "Referral audit", "2024-25", [("2024-25", "in-progress")], None)]
    assert new.carried_actions[0].owner == "Safeguarding team"
    assert [(p.text, p.set_in, p.priorities, p.answer) for p in new.priority_reviews] == [
        ("Embed the neglect toolkit", "2024-25", ["neglect"], None)]


def test_each_answer_decides_whether_the_action_is_carried_again_and_ids_stay_stable():
    y2 = carry_forward(LAST, _ret("2025-26"))
    ids = {a.text: a.id for a in y2.carried_actions}
    y2 = _answer(y2, **{"Follow-up audit with a larger sample": ("in-progress", "Sample drawn"),
                        "Training on recording": ("dropped", "Replaced by the new system's guidance")})
    y3 = carry_forward(y2, _ret("2026-27"))
    assert [a.text for a in y3.carried_actions] == ["Follow-up audit with a larger sample"]
    again = y3.carried_actions[0]
    assert again.id == ids[again.text] and again.raised == "2024-25"
    assert [(h.period, h.status, h.note) for h in again.history] == [
        ("2024-25", "open", ""), ("2025-26", "in-progress", "Sample drawn")]
    y3 = _answer(y3, **{again.text: ("done", "Audit reported in June")})
    assert carry_forward(y3, _ret("2027-28")).carried_actions == []
    # the register shows the action once, with its whole history, under the same id
    rows = {r["id"]: r for r in action_rows([LAST, y2, y3])}
    row = rows[ids["Follow-up audit with a larger sample"]]
    assert (row["status"], row["period"], [h.period for h in row["history"]]) == (
        "done", "2026-27", ["2024-25", "2025-26", "2026-27"])
    assert rows[ids["Training on recording"]]["status"] == "dropped"


def test_seeding_twice_keeps_the_partners_answers():
    once = _answer(carry_forward(LAST, _ret("2025-26")), **{"Training on recording": ("in-progress", "")})
    twice = carry_forward(LAST, once)
    assert twice.carried_actions == once.carried_actions and len(twice.priority_reviews) == 1


def test_unanswered_items_and_reasons_are_each_named():
    y2 = carry_forward(LAST, _ret("2025-26"))
    assert [t for _, t, _ in unanswered(y2)] == ["Follow-up audit with a larger sample", "Training on recording",
                                                 "Embed the neglect toolkit"]
    y2 = _answer(y2, **{"Follow-up audit with a larger sample": ("dropped", ""),
                        "Training on recording": ("in-progress", "")})
    msgs = [m for _, _, m in unanswered(y2)]
    assert msgs[0] == "Carried action “Follow-up audit with a larger sample” is marked dropped with no reason: say why"
    assert len(msgs) == 2 and "has no answer" in msgs[1]
    done = _answer(y2, **{"Follow-up audit with a larger sample": ("dropped", "No longer needed")})
    done = done.model_copy(update={"priority_reviews": [done.priority_reviews[0].model_copy(
        update={"answer": "partly", "explanation": "Two of four teams use it"})]})
    assert unanswered(done) == []


def test_carry_unanswered_check_fails_and_passes(spec):
    """The registered check's failing and passing examples (see tests/checks/test_every_check.py)."""
    failing = carry_forward(LAST, _ret("2025-26"))
    found = check_dataset(Dataset(spec=spec, returns=[failing]), "2025-26", codes=["carry.unanswered"])
    assert [(f.severity, f.quote, f.location.section) for f in found] == [
        ("error", "Follow-up audit with a larger sample", "carried_actions[0]"),
        ("error", "Training on recording", "carried_actions[1]"),
        ("error", "Embed the neglect toolkit", "priority_reviews[0]")]
    passing = _answer(failing, **{"Follow-up audit with a larger sample": ("done", "Reported in June"),
                                  "Training on recording": ("in-progress", "")})
    passing = passing.model_copy(update={"priority_reviews": [passing.priority_reviews[0].model_copy(
        update={"answer": "not-achieved", "explanation": "Staff turnover delayed it"})]})
    assert check_dataset(Dataset(spec=spec, returns=[passing]), "2025-26", codes=["carry.unanswered"]) == []


def test_partners_words_are_read_by_the_privacy_checks(spec):
    ret = carry_forward(LAST, _ret("2025-26"))
    ret = _answer(ret, **{"Training on recording": ("dropped", "The family's NHS number 943 476 5919 was shared.")})
    found = check_dataset(Dataset(spec=spec, returns=[ret]), "2025-26", codes=["privacy.identifier"])
    assert found and found[0].location.section.startswith("carried_actions[1]")


def test_old_yaml_loads_and_dumps_as_before(example_dir):
    """A return written before carry-forward existed dumps without the new keys, so its hash is unchanged."""
    ret, problems, _ = load_return_file(example_dir / "returns" / "appendix-b" / "elft.yaml")
    assert problems == []
    dumped = ret.model_dump(mode="json")
    assert "carried_actions" not in dumped and "priority_reviews" not in dumped
    assert all("id" not in a for au in dumped["audits"] for a in au["actions"])
    assert Return.model_validate(dumped) == ret.model_copy(update={"source": ""})
    with_carry = carry_forward(ret, _ret("2025-26"))
    assert Return.model_validate(with_carry.model_dump(mode="json")) == with_carry
    assert len(with_carry.carried_actions) == 6  # ELFT's six open or in-progress actions


def test_unknown_fields_are_still_refused():
    with pytest.raises(ValueError):
        Return.model_validate({"partner": "elft", "period": "2025-26", "template": "appendix-b",
                               "carried_actions": [{"id": "a", "raised": "2024-25", "text": "x", "colour": "red"}]})


def test_another_partners_return_is_not_carried():
    with pytest.raises(ValueError):
        carry_forward(LAST, Return(partner="lbc", period="2025-26", template="appendix-b"))


def test_reseeding_follows_last_years_later_edits_but_keeps_answers():
    """Opening a year seeds every draft at once; last year's return may still change. An
    unanswered carried item follows it (renamed, done, removed), an answered one stays."""
    seeded = _answer(carry_forward(LAST, _ret("2025-26")), **{"Training on recording": ("in-progress", "")})
    audit = LAST.audits[0]
    edited = LAST.model_copy(update={
        "audits": [audit.model_copy(update={"actions": [
            audit.actions[0],
            audit.actions[1].model_copy(update={"text": "Follow-up audit with a larger sample of records"}),
            audit.actions[2].model_copy(update={"status": "done"})]})],
        "next_year": []})
    again = carry_forward(edited, seeded)
    assert [(c.text, c.status) for c in again.carried_actions] == [
        ("Training on recording", "in-progress"),  # answered: kept though now done last year
        ("Follow-up audit with a larger sample of records", None)]  # the renamed one, once
    assert again.priority_reviews == []  # removed from last year and never answered
    assert [i[1] for i in unanswered(again)] == ["Follow-up audit with a larger sample of records"]
