"""Rollover in the web: a partner's 2025-26 return starts with last year's unfinished audit
actions and priorities, each must be answered before submitting, and answering unblocks it."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db

ELFT = "elft.approver@example.org"


def open_2025_26(web):
    """Make 2025-26 the current year (helper H5 builds the real "open a year" screen)."""
    from masa.web.demo import ensure_user
    from masa.web.store import store_spec

    from .conftest import PASSWORD

    spec = web.spec
    store_spec(spec.model_copy(update={"periods": spec.periods.model_copy(update={"current": "2025-26"})}))
    return ensure_user(ELFT, "approver", "elft", PASSWORD)


def _start(client, user):
    from masa.web.core.models import Return

    client.force_login(user)
    r = client.post("/returns/start/", {"template": "appendix-b"})
    assert r.status_code == 302
    return Return.objects.select_related("partner", "period", "template").get(
        partner__code="elft", period__code="2025-26", template__code="appendix-b")


def test_a_new_return_starts_with_last_years_open_actions_and_priorities(client, web):
    from masa.web import store
    from masa.web.auditlog.models import AuditEntry

    row = _start(client, open_2025_26(web))
    ret = store.return_from_row(row)
    assert len(ret.carried_actions) == 6  # ELFT's six open or in-progress 2024-25 actions
    assert {a.raised for a in ret.carried_actions} == {"2024-25"}
    last = store.return_from_row(row.__class__.objects.get(partner__code="elft", period__code="2024-25",
                                                           template__code="appendix-b"))
    assert [p.text for p in ret.priority_reviews] == [n.text for n in last.next_year]
    assert AuditEntry.objects.filter(action="return.carried_forward").count() == 1
    html = client.get(f"/returns/{row.pk}/").content.decode()
    assert "Carried from last year" in html and ret.carried_actions[0].text in html
    assert "Say what happened to each" not in html  # the old read-only prompt is replaced by fields


def _answers(row, ret, *, reason="Done in June: audit reported to the board"):
    from .conftest import post_for

    data = post_for(row)
    for i, _ in enumerate(ret.carried_actions):
        data[f"ca-{i}-status"], data[f"ca-{i}-note"] = "done", reason
    for i, _ in enumerate(ret.priority_reviews):
        data[f"pr-{i}-answer"], data[f"pr-{i}-explanation"] = "partly", "Two of the four teams use it now."
    return data


def test_unanswered_carried_items_block_submission_and_answering_unblocks_it(client, web):
    from masa.web import store

    row = _start(client, open_2025_26(web))
    ret = store.return_from_row(row)
    data = _answers(row, ret)
    data["sec-achievements-0-text"] = "We trained staff across the trust."  # the required section
    del data["ca-2-status"]  # one carried action left without a status
    assert client.post(f"/returns/{row.pk}/", data).status_code == 302
    r = client.post(f"/returns/{row.pk}/action/", {"action": "submit"}, follow=True)
    html = r.content.decode()
    row.refresh_from_db()
    assert row.status == "draft"
    assert "cannot be submitted: 1 item(s) carried from last year still to answer" in html
    assert ret.carried_actions[2].text in html
    row.refresh_from_db()
    data = _answers(row, ret)
    data["sec-achievements-0-text"] = "We trained staff across the trust."
    assert client.post(f"/returns/{row.pk}/", data).status_code == 302
    client.post(f"/returns/{row.pk}/action/", {"action": "submit"})
    row.refresh_from_db()
    assert row.status == "submitted"
    stored = store.return_from_row(row)
    assert {a.status for a in stored.carried_actions} == {"done"}
    assert {p.answer for p in stored.priority_reviews} == {"partly"}


def test_a_tampered_answer_is_named_beside_its_field_and_nothing_is_saved(client, web):
    from masa.web import store

    row = _start(client, open_2025_26(web))
    ret = store.return_from_row(row)
    data = _answers(row, ret)
    data["ca-0-status"] = "forgotten"
    r = client.post(f"/returns/{row.pk}/", data)
    html = r.content.decode()
    assert r.status_code == 400
    assert 'href="#f-ca-0-status"' in html and "Choose in progress, done or dropped" in html
    assert store.return_from_row(row).carried_actions == ret.carried_actions


def test_seeding_is_idempotent_and_leaves_a_submitted_return_alone(client, web):
    from masa.web import store
    from masa.web.site.carry import seed_from_previous

    user = open_2025_26(web)
    row = _start(client, user)
    before = store.return_from_row(row)
    assert seed_from_previous(row, user) is False
    assert store.return_from_row(row) == before
    assert seed_from_previous(web.submitted, user) is False  # no 2023-24 return, and not a draft


def test_an_action_added_to_last_year_after_the_new_year_opened_is_carried_on_resubmission(client, web):
    """Opening a year starts every draft at once; a last-year return finished later still
    feeds the new draft, keeping the answers already given there."""
    from masa.returns import Action, Audit
    from masa.web import store
    from masa.web.workflow.transitions import move

    user = open_2025_26(web)
    new = _start(client, user)
    seeded = store.return_from_row(new)
    answered = seeded.model_copy(update={"carried_actions": [
        seeded.carried_actions[0].model_copy(update={"status": "done", "note": "Closed at the May board"}),
        *seeded.carried_actions[1:]]})
    store._save_return(answered)

    last = new.__class__.objects.get(partner__code="elft", period__code="2024-25", template__code="appendix-b")
    move(last, "query", web.users["bu"], reason="Please add the follow-up audit's action")
    ret = store.return_from_row(last)
    extra = Audit(title="Follow-up audit", actions=[Action(text="Repeat the audit in the spring", status="open")])
    store._save_return(ret.model_copy(update={"audits": [*ret.audits, extra]}))
    move(last, "resubmit", user)

    now = store.return_from_row(new.__class__.objects.get(pk=new.pk))
    assert len(now.carried_actions) == 7
    assert "Repeat the audit in the spring" in [a.text for a in now.carried_actions]
    assert now.carried_actions[0].status == "done" and now.carried_actions[0].note == "Closed at the May board"


def test_every_reason_a_submission_is_refused_comes_at_once(client, web):
    row = _start(client, open_2025_26(web))  # required section empty, carried items unanswered
    html = client.post(f"/returns/{row.pk}/action/", {"action": "submit"}, follow=True).content.decode()
    assert "cannot be submitted: required section is empty" in html
    assert "; and 9 item(s) carried from last year still to answer" in html  # 6 actions, 3 priorities
