"""Rough edges of the review workflow a breaker found: a second query while one is open, a
reply posted twice, the approval refusal's wording, the business unit's messages stored
before messages were per partnership, and `masa users add` with several partnerships."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def _as(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_the_business_unit_can_query_another_section_while_a_query_is_open(web):
    from masa.web.workflow.models import Message

    row, bu = web.submitted, _as(web.users["bu"])
    for section, text in (("voice", "Which courses do the staff figures count?"),
                          ("case-studies", "Is the second case study about one family?")):
        r = bu.post(f"/returns/{row.pk}/action/", {"action": "query", "section": section, "reason": text}, follow=True)
        assert "Query sent" in r.content.decode(), r.content.decode()[:2000]
    assert set(Message.objects.filter(ret=row, kind="query").values_list("section", flat=True)) == {"voice", "case-studies"}
    page = bu.get(f"/returns/{row.pk}/").content.decode()
    assert "Open queries (2)" in page or page.count("Waiting for the partner") >= 2
    assert "Send another query" in page


def test_a_reply_posted_twice_is_recorded_and_notified_once(web, monkeypatch):
    from masa.web.workflow import queries
    from masa.web.workflow.models import Message

    row = web.submitted
    _as(web.users["bu"]).post(f"/returns/{row.pk}/action/",
                              {"action": "query", "section": "voice", "reason": "Which courses?"})
    query = Message.objects.get(ret=row, kind="query")
    told = []
    monkeypatch.setattr(queries.notify_events, "message_posted", lambda *a, **k: told.append(a))
    partner = _as(web.users["contributor"])
    for _ in range(2):  # a double click
        r = partner.post(f"/returns/{row.pk}/messages/", {"section": "voice", "query": query.pk,
                                                          "text": "The level 1 and 2 courses."})
        assert r.status_code == 302
    assert Message.objects.filter(ret=row, kind="reply").count() == 1
    assert len(told) == 1


def test_an_approval_refusal_names_the_part_in_the_pages_words(web, monkeypatch):
    from masa.web.workflow import checks_seam

    row = web.draft  # bfrs's Appendix B
    assert _as(web.users["approver"]).post(f"/returns/{row.pk}/action/", {"action": "submit"}).status_code == 302
    monkeypatch.setattr(checks_seam, "findings_for", lambda spec, ret, key=None, **q: [checks_seam.Finding(
        "error", "a date of birth: remove it.", "bfrs/2024-25/appendix-b sections[0] achievements / Referrals",
        "DOB 01/02/2015")])
    r = _as(web.users["bu"]).post(f"/returns/{row.pk}/action/", {"action": "approve"}, follow=True)
    page = r.content.decode()
    assert "block approval, for example: a date of birth: remove it." in page
    assert "sections[" not in page and "(in Achievements and impact, part 1 (Referrals))" in page


def test_old_business_unit_messages_of_a_shared_return_stay_in_the_first_partnership(web):
    from masa.web.accounts.models import PartnershipRole
    from masa.web.workflow.models import Message
    from tests.web.multi_fixtures import BEDFORD, add_bedford

    bedford_bu = add_bedford(web)  # bfrs serves both: its returns are shared
    PartnershipRole.objects.create(user=web.users["bu"], partnership="luton", role="business_unit")
    row = web.submitted
    Message.objects.create(ret=row, section="voice", kind="comment", author=web.users["bu"],
                           text="An old note of Luton's business unit", partnership="")
    Message.objects.create(ret=row, section="voice", kind="reply", author=web.users["contributor"],
                           text="An old comment of the partner", partnership="")
    luton = _as(web.users["bu"]).get(f"/luton/returns/{row.pk}/").content.decode()
    bedford = _as(bedford_bu).get(f"/{BEDFORD}/returns/{row.pk}/").content.decode()
    assert "An old note of Luton" in luton and "An old note of Luton" not in bedford
    assert "An old comment of the partner" in luton and "An old comment of the partner" in bedford


def _run(*args):
    from typer.testing import CliRunner

    from masa.cli import app

    return CliRunner().invoke(app, list(args))


def test_users_add_asks_which_partnership_when_there_are_several(web):
    from django.contrib.auth import get_user_model

    args = ("users", "add", "lead@example.org", "--role", "business_unit", "--password", "a long enough password")
    r = _run(*args)  # one partnership: as before
    assert r.exit_code == 0, r.output
    from tests.web.multi_fixtures import add_bedford

    add_bedford(web)
    r = _run("users", "add", "second@example.org", *args[3:])
    assert r.exit_code != 0
    assert "several partnerships" in r.output and "luton" in r.output and "bedford-borough" in r.output
    assert "--partnership" in r.output
    assert not get_user_model().objects.filter(username="second@example.org").exists()
