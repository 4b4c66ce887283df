"""The return's life through the web pages: validation beside the field, save, conflict,
submit, query, resubmit, approve, publish, and what the public can then see."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.django_db


def _as(client, web, who):
    client.force_login(web.users[who])
    return client


def test_a_bad_figure_is_reported_beside_its_field_and_nothing_is_saved(client, web, form_data):
    from masa.web.core.models import DataValue

    _as(client, web, "contributor")
    before = list(DataValue.objects.filter(partner__code="bfrs").values_list("pk", "value"))
    data = form_data(web.draft, **{"fig|child_safeguarding_referrals|area=luton": "twenty one"})
    r = client.post(f"/returns/{web.draft.pk}/", data)
    html = r.content.decode()
    assert r.status_code == 400
    assert "There is a problem" in html
    # the summary links to the field, and the message sits beside it
    field_id = "f-fig-child_safeguarding_referrals-area-luton"
    assert f'href="#{field_id}"' in html
    assert re.search(rf'id="{field_id}-error"[^>]*>.*Enter a number', html, re.DOTALL)
    assert 'value="twenty one"' in html  # what the user typed is shown again
    assert list(DataValue.objects.filter(partner__code="bfrs").values_list("pk", "value")) == before


def test_a_rule_breaking_percentage_and_a_missing_required_section_are_refused(client, web, form_data):
    _as(client, web, "contributor")
    data = form_data(web.draft, **{"fig|referral_share|age-group=child": "140"})
    data = {k: v for k, v in data.items() if not k.startswith("sec-achievements-")}
    r = client.post(f"/returns/{web.draft.pk}/", data)
    html = r.content.decode()
    assert r.status_code == 400
    assert "not a percentage between 0 and 100" in html
    assert "achievements and impact: this section is required" in html


def test_save_then_a_stale_second_save_gets_the_conflict_page(client, web, form_data):
    from masa.web.core.models import SectionAnswer

    _as(client, web, "contributor")
    first = form_data(web.draft, **{"sec-training-0-text": "Mine: the training text as I wrote it."})
    stale = form_data(web.draft, **{"sec-training-0-text": "Theirs: a different training text."})
    r = client.post(f"/returns/{web.draft.pk}/", first)
    assert r.status_code == 302
    assert SectionAnswer.objects.filter(ret=web.draft, section="training", text__startswith="Mine").exists()
    r = client.post(f"/returns/{web.draft.pk}/", stale)
    html = r.content.decode()
    assert r.status_code == 409
    assert "Someone else saved this return" in html
    assert "Mine: the training text" in html and "Theirs: a different training text" in html
    # nothing was overwritten
    assert SectionAnswer.objects.filter(ret=web.draft, section="training", text__startswith="Mine").exists()
    assert not SectionAnswer.objects.filter(text__startswith="Theirs").exists()


def test_autosave_saves_a_valid_draft_and_reports_problems_without_saving(client, web, form_data):
    from masa.web.core.models import DataValue

    _as(client, web, "contributor")
    data = form_data(web.draft, **{"fig|child_safeguarding_referrals|area=luton": "22",
                                   "fig|child_safeguarding_referrals|area=luton;sex=not-known": "14"})
    r = client.post(f"/returns/{web.draft.pk}/autosave/", data)
    assert r.status_code == 200 and r.json()["saved"] is True
    assert DataValue.objects.get(partner__code="bfrs", indicator__code="child_safeguarding_referrals",
                                 by_key="area=luton", period__code="2024-25").value == 22
    data = form_data(web.draft, **{"fig|child_safeguarding_referrals|area=luton": "x", "lock_version": str(r.json()["lock_version"])})
    r = client.post(f"/returns/{web.draft.pk}/autosave/", data)
    assert r.status_code == 400 and r.json()["saved"] is False
    assert "Enter a number" in r.json()["errors"]["fig|child_safeguarding_referrals|area=luton"][0]


def test_full_workflow_to_the_public_page(client, web, form_data, monkeypatch):
    from masa.web.core.models import Return, ReturnVersion
    from masa.web.site import editing
    from masa.web.workflow import checks_seam
    from masa.web.workflow.models import Message, Transition

    # Approval blocking by findings is tested on its own below; here the checks engine's
    # (growing) catalogue must not decide whether the workflow itself works.
    monkeypatch.setattr(editing, "findings_for_row", lambda spec, row, ret=None, **_: [])
    monkeypatch.setattr(checks_seam, "findings_for", lambda spec, ret, key=None, **quarters: [])

    pk = web.draft.pk
    _as(client, web, "contributor")
    client.post(f"/returns/{pk}/", form_data(web.draft, **{"sec-training-0-text": "Level 1 training was rebuilt."}))
    assert client.post(f"/returns/{pk}/action/", {"action": "submit"}).status_code == 403  # contributors cannot submit
    _as(client, web, "approver")
    client.post(f"/returns/{pk}/action/", {"action": "submit", "reason": "signed off"})
    assert Return.objects.get(pk=pk).status == "submitted"
    # the public cannot see it yet
    client.logout()
    assert client.get("/published/2024-25/").status_code == 200  # police is published
    assert "Level 1 training was rebuilt" not in client.get("/published/2024-25/").content.decode()
    _as(client, web, "bu")
    client.post(f"/returns/{pk}/action/", {"action": "query", "section": "training", "reason": ""})
    assert Return.objects.get(pk=pk).status == "submitted"  # a query needs a question
    client.post(f"/returns/{pk}/action/", {"action": "query", "section": "training",
                                           "reason": "Which staff groups does this cover?"})
    assert Return.objects.get(pk=pk).status == "queried"
    assert Message.objects.get(ret_id=pk, kind="query").section == "training"
    _as(client, web, "contributor")
    page = client.get(f"/returns/{pk}/").content.decode()
    assert "Which staff groups does this cover?" in page
    row = Return.objects.get(pk=pk)
    client.post(f"/returns/{pk}/", form_data(row, **{"sec-training-0-text": "Level 1 training was rebuilt for all crews."}))
    _as(client, web, "approver")
    client.post(f"/returns/{pk}/action/", {"action": "resubmit"})
    assert Return.objects.get(pk=pk).status == "resubmitted"
    _as(client, web, "bu")
    client.post(f"/returns/{pk}/action/", {"action": "approve"})
    client.post(f"/returns/{pk}/action/", {"action": "publish", "confirm": "yes"})
    assert Return.objects.get(pk=pk).status == "published"
    steps = list(Transition.objects.filter(ret_id=pk).values_list("from_status", "to_status", "actor__username"))
    assert steps == [("draft", "submitted", "bfrs.approver@example.org"),
                     ("submitted", "queried", "bu@example.org"),
                     ("queried", "resubmitted", "bfrs.approver@example.org"),
                     ("resubmitted", "approved", "bu@example.org"),
                     ("approved", "published", "bu@example.org")]
    versions = ReturnVersion.objects.filter(ret_id=pk).order_by("number")
    assert [v.status for v in versions][-1] == "published"
    # the diff between the first submitted version and the published one shows the edit
    history = client.get(f"/returns/{pk}/history/?a={versions.first().number}&b={versions.last().number}").content.decode()
    assert "for all crews" in history
    client.logout()
    public = client.get("/published/2024-25/").content.decode()
    assert "Level 1 training was rebuilt for all crews." in public
    assert "Which staff groups" not in public  # queries are never public


def _errors(monkeypatch, *messages):
    """The checks engine reports these error findings for every return, and nothing else."""
    from masa.web.workflow import checks_seam
    from masa.web.workflow.checks_seam import Finding

    monkeypatch.setattr(checks_seam, "findings_for",
                        lambda spec, ret, key=None, **quarters: [Finding("error", m) for m in messages])


def test_approval_is_blocked_by_error_findings(client, web, form_data, monkeypatch):
    from masa.web.core.models import Return
    from masa.web.site import editing

    monkeypatch.setattr(editing, "findings_for_row", lambda spec, row, ret=None, **_: [])  # the page computes nothing
    _errors(monkeypatch, "total is not the sum of its parts")
    _as(client, web, "bu")
    r = client.post(f"/returns/{web.submitted.pk}/action/", {"action": "approve"}, follow=True)
    assert Return.objects.get(pk=web.submitted.pk).status == "submitted"
    assert "error finding(s) that block approval, for example: total is not the sum of its parts" in r.content.decode()


def test_publishing_through_the_page_is_refused_with_the_services_reason(client, web, monkeypatch):
    from masa.web.core.models import Return

    _errors(monkeypatch, "a count of 1-5 children is written out")
    Return.objects.filter(pk=web.submitted.pk).update(status="approved")  # approved before the finding appeared
    _as(client, web, "bu")
    r = client.post(f"/returns/{web.submitted.pk}/action/", {"action": "publish", "confirm": "yes"}, follow=True)
    assert Return.objects.get(pk=web.submitted.pk).status == "approved"
    assert ("1 error finding(s) that block publication, for example: a count of 1-5 children is written out"
            in r.content.decode())


def test_the_service_finds_blocking_findings_itself_for_approve_and_publish(web, monkeypatch):
    """No caller can skip the gate: what a caller passes as ``blocking`` does not matter."""
    from masa.web.core.models import Return
    from masa.web.workflow.transitions import TransitionError, move

    _errors(monkeypatch, "a count of 1-5 children is written out")
    with pytest.raises(TransitionError, match="block approval, for example: a count of 1-5 children"):
        move(web.submitted, "approve", web.users["bu"], blocking=[])
    assert Return.objects.get(pk=web.submitted.pk).status == "submitted"
    Return.objects.filter(pk=web.submitted.pk).update(status="approved")  # approved before the finding appeared
    with pytest.raises(TransitionError, match="block publication"):
        move(web.submitted, "publish", web.users["bu"], blocking=[])
    assert Return.objects.get(pk=web.submitted.pk).status == "approved"
    _errors(monkeypatch)  # the finding is fixed
    move(web.submitted, "publish", web.users["bu"])
    assert Return.objects.get(pk=web.submitted.pk).status == "published"


def test_only_an_approved_return_can_be_published(web, monkeypatch):
    from masa.web.core.models import Return
    from masa.web.workflow.transitions import TransitionError, move

    _errors(monkeypatch)
    for status in ("draft", "submitted", "queried", "resubmitted"):
        Return.objects.filter(pk=web.submitted.pk).update(status=status)
        with pytest.raises(TransitionError, match=f"A return that is {status} cannot be published"):
            move(web.submitted, "publish", web.users["bu"])
        assert Return.objects.get(pk=web.submitted.pk).status == status


def _blank(row, section_text="   ", voice=None):
    from masa.web.core.models import Return as Row
    from masa.web.core.models import SectionAnswer

    SectionAnswer.objects.filter(ret=row).update(text=section_text)
    if voice is not None:
        Row.objects.filter(pk=row.pk).update(voice=voice)


def test_a_return_with_empty_required_sections_cannot_be_submitted(client, web):
    from masa.web.core.models import Return

    _blank(web.draft, " \n\t ")
    _as(client, web, "approver")
    r = client.post(f"/returns/{web.draft.pk}/action/", {"action": "submit"}, follow=True)
    assert Return.objects.get(pk=web.draft.pk).status == "draft"
    assert "This return cannot be submitted: required section is empty: Achievements and impact" \
        in r.content.decode()


def test_an_empty_required_answer_blocks_submit_through_the_service(web):
    """Appendix C's required question (a voice section), refused in the service itself."""
    from masa.web.core.models import Return
    from masa.web.workflow.transitions import TransitionError, move

    _blank(web.other_draft, voice="  ")
    with pytest.raises(TransitionError, match="required section is empty: Feedback and how it was used"):
        move(web.other_draft, "submit", web.users["other"])
    assert Return.objects.get(pk=web.other_draft.pk).status == "draft"


def test_a_queried_return_emptied_meanwhile_cannot_be_resubmitted_or_approved(web, monkeypatch):
    from masa.web.core.models import Return
    from masa.web.workflow.transitions import TransitionError, move

    _errors(monkeypatch)
    Return.objects.filter(pk=web.draft.pk).update(status="queried")
    _blank(web.draft, "")
    with pytest.raises(TransitionError, match="cannot be resubmitted: required section is empty: Achievements"):
        move(web.draft, "resubmit", web.users["approver"])
    Return.objects.filter(pk=web.draft.pk).update(status="submitted")  # e.g. loaded from a file
    with pytest.raises(TransitionError, match="cannot be approved: required section is empty"):
        move(web.draft, "approve", web.users["bu"])
    assert Return.objects.get(pk=web.draft.pk).status == "submitted"


def test_every_luton_example_return_has_its_required_sections_and_submits(web, monkeypatch):
    from masa.web.core.models import Return
    from masa.web.workflow.transitions import move

    _errors(monkeypatch)
    Return.objects.update(status="draft")
    rows = list(Return.objects.select_related("partner", "template"))
    assert len(rows) == 19
    for row in rows:
        move(row, "submit", web.users["bu"])
    assert set(Return.objects.values_list("status", flat=True)) == {"submitted"}


def test_the_dashboard_shows_status_and_lateness(client, web, form_data):
    from masa.web.core.models import Period
    from masa.web.workflow.models import Deadline

    Deadline.objects.create(partnership="luton", period=Period.objects.get(code="2024-25"), due="2020-01-01")
    _as(client, web, "bu")
    html = client.get("/bu/?period=2024-25").content.decode()
    assert re.search(r"Bedfordshire Fire.*?Partners Safeguarding Snapshot.*?draft, late", html, re.DOTALL)
    assert "published" in html
    assert "not started" in html  # nspcc has no Appendix C return


def test_messages_and_figures_of_another_partner_stay_hidden(client, web, form_data):
    _as(client, web, "bu")
    client.post(f"/returns/{web.draft.pk}/messages/", {"section": "training", "text": "Secret note about bfrs"})
    _as(client, web, "other")
    assert client.get(f"/returns/{web.draft.pk}/").status_code == 404
    assert client.get(f"/returns/{web.draft.pk}/history/").status_code == 404
    assert client.get(f"/returns/{web.draft.pk}/figures.xlsx").status_code == 404
    listing = client.get("/returns/").content.decode()
    assert "Bedfordshire Fire" not in listing


def test_stale_saves_of_different_parts_are_combined(client, web, form_data):
    from masa.web.core.models import DataValue, SectionAnswer

    _as(client, web, "contributor")
    page = client.get(f"/returns/{web.draft.pk}/").content.decode()
    base = re.search(r'name="base_parts" value="([^"]+)"', page).group(1).replace("&quot;", '"')
    training = form_data(web.draft, base_parts=base, **{"sec-training-0-text": "Training text from tab one."})
    figure = form_data(web.draft, base_parts=base, **{"fig|child_safeguarding_referrals|area=luton": "22",
                                                      "fig|child_safeguarding_referrals|area=luton;sex=not-known": "14"})
    assert client.post(f"/returns/{web.draft.pk}/", training).status_code == 302
    r = client.post(f"/returns/{web.draft.pk}/", figure, follow=True)
    assert r.status_code == 200 and "their changes were kept too" in r.content.decode()
    # both edits survive: nothing silently overwritten
    assert SectionAnswer.objects.filter(ret=web.draft, section="training", text="Training text from tab one.").exists()
    assert DataValue.objects.get(partner__code="bfrs", indicator__code="child_safeguarding_referrals",
                                 by_key="area=luton", period__code="2024-25").value == 22
    # the same part changed differently in both is still a conflict
    again = form_data(web.draft, base_parts=base, **{"sec-training-0-text": "Training text from tab three."})
    r = client.post(f"/returns/{web.draft.pk}/", again)
    assert r.status_code == 409 and "section:training" in r.content.decode()
    assert SectionAnswer.objects.filter(text="Training text from tab one.").exists()
