"""Notifications: emailed by the background worker after the request, never inside it, to the
right people with the right link; immediate or a daily digest; reminders told once."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core import mail

from tests.web.worker_helpers import run_worker

pytestmark = pytest.mark.django_db
SITE = "https://masa.example.org"


@pytest.fixture
def site(settings):
    settings.MASA_SITE_URL = SITE
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def _to(box) -> dict[str, list]:
    out: dict[str, list] = {}
    for m in box:
        for addr in m.to:
            out.setdefault(addr, []).append(m)
    return out


def test_a_query_is_emailed_by_the_worker_after_the_request_to_the_partner(
        client, web, site, monkeypatch, django_capture_on_commit_callbacks):
    from masa.web.core.models import Return

    pk = web.submitted.pk
    client.force_login(web.users["bu"])
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(f"/returns/{pk}/action/", {"action": "query", "section": "voice",
                                                   "reason": "Which courses do the 40 staff figures count?"})
    assert r.status_code == 302 and Return.objects.get(pk=pk).status == "queried"
    assert mail.outbox == [], "an email was sent inside the request"
    run_worker(monkeypatch)
    got = _to(mail.outbox)
    assert set(got) == {web.users["contributor"].email, web.users["approver"].email}, got.keys()
    for m in mail.outbox:
        assert len(m.to) == 1  # one email each: nobody sees who else was told
        assert f"{SITE}/returns/{pk}/" in m.body
        assert "Which courses do the 40 staff figures count?" in m.body
        assert "Luton" in m.subject and "2024-25" in m.subject and web.submitted.partner.short_name in m.subject
        assert web.submitted.partner.name in m.body and "Partnership: Luton Safeguarding Children Partnership" in m.body
        assert "Query on your return" in m.subject
    run_worker(monkeypatch)
    assert len(mail.outbox) == 2, "running the worker again sent the query again"


def test_a_reply_to_a_query_tells_the_business_unit(client, web, site, monkeypatch,
                                                     django_capture_on_commit_callbacks):
    from masa.web.workflow.models import Message

    client.force_login(web.users["contributor"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/returns/{web.submitted.pk}/messages/", {"section": "training", "text": "A note, no query."})
    run_worker(monkeypatch)
    assert mail.outbox == [], "a comment answering no query was sent as a reply"
    Message.objects.create(ret=web.submitted, section="training", kind="query", author=web.users["bu"],
                           text="Which level?")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/returns/{web.submitted.pk}/messages/", {"section": "training", "text": "It counts level 2."})
    assert mail.outbox == []
    run_worker(monkeypatch)
    got = _to(mail.outbox)
    assert set(got) == {web.users["bu"].email}
    assert "replied" in got[web.users["bu"].email][0].body and "It counts level 2." in mail.outbox[0].body


def test_an_action_rolled_back_tells_nobody(web, site, monkeypatch, django_capture_on_commit_callbacks):
    from django.db import transaction

    from masa.web.notify import events

    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                events.transition(web.submitted, "approve", web.users["bu"])
                raise RuntimeError("the approval failed after the hook")
        except RuntimeError:
            pass
    run_worker(monkeypatch)
    assert mail.outbox == []


def test_a_digest_reader_gets_one_daily_email_instead(client, web, site, monkeypatch,
                                                      django_capture_on_commit_callbacks):
    from masa.web.notify.daily import run_daily

    client.force_login(web.users["approver"])
    r = client.post("/account/notifications/", {"mode": "digest"})
    assert r.status_code == 302
    from masa.web.auditlog.models import AuditEntry

    assert AuditEntry.objects.filter(action="notify.preference_set", data__mode="digest").exists()
    assert "one email a day" in client.get("/account/notifications/").content.decode()
    client.force_login(web.users["bu"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/returns/{web.submitted.pk}/action/", {"action": "query", "section": "voice",
                                                             "reason": "Please give the date of the audit."})
    run_worker(monkeypatch)
    assert set(_to(mail.outbox)) == {web.users["contributor"].email}, "the digest reader was emailed at once"
    with django_capture_on_commit_callbacks(execute=True):
        run_daily(date.today(), ["luton"])
    run_worker(monkeypatch)
    digest = _to(mail.outbox)[web.users["approver"].email]
    assert len(digest) == 1 and "digest" in digest[0].subject.lower()
    assert "Please give the date of the audit." in digest[0].body and f"{SITE}/returns/" in digest[0].body
    with django_capture_on_commit_callbacks(execute=True):
        run_daily(date.today(), ["luton"])
    run_worker(monkeypatch)
    assert len(_to(mail.outbox)[web.users["approver"].email]) == 1, "the same digest went out twice"


def test_deadline_reminders_are_sent_once_per_person_return_and_threshold(web, site, monkeypatch,
                                                                           django_capture_on_commit_callbacks):
    from masa.web.core.models import Period
    from masa.web.notify.daily import run_daily
    from masa.web.workflow.models import Deadline

    due = date(2026, 5, 31)
    Deadline.objects.update_or_create(partnership="luton", period=Period.objects.get(code="2024-25"), defaults={"due": due})

    def day(on):
        with django_capture_on_commit_callbacks(execute=True):
            run_daily(on, ["luton"])
        run_worker(monkeypatch)
        return [m for m in mail.outbox if web.users["contributor"].email in m.to]

    assert day(due - timedelta(days=20)) == [], "a reminder 20 days before"
    first = day(due - timedelta(days=14))
    assert [m.subject.split(": ")[-1] for m in first] == ["Return due in 14 days"], [m.subject for m in first]
    assert "31 May 2026" in first[0].body and f"{SITE}/returns/{web.draft.pk}/" in first[0].body
    assert day(due - timedelta(days=14)) == first, "the daily command run twice reminded twice"
    assert day(due - timedelta(days=10)) == first
    assert [m.subject.split(": ")[-1] for m in day(due - timedelta(days=6))][1:] == ["Return due in 7 days"]
    assert [m.subject.split(": ")[-1] for m in day(due - timedelta(days=1))][2:] == ["Return due tomorrow"]
    assert [m.subject.split(": ")[-1] for m in day(due + timedelta(days=1))][3:] == ["Return overdue"]
    assert len(day(due + timedelta(days=2))) == 4, "the overdue notice went out twice"
    police = [m for m in mail.outbox if web.users["other"].email in m.to]
    assert len(police) == 4 and all(web.published.partner.short_name in m.subject for m in police)
    bu = [m for m in mail.outbox if web.users["bu"].email in m.to]
    assert bu == [], "the business unit got partners' reminders"


def test_a_submitted_return_gets_no_reminder(web):
    from masa.web.core.models import Period
    from masa.web.notify.reminders import owed
    from masa.web.workflow.models import Deadline

    due = date(2026, 5, 31)
    Deadline.objects.update_or_create(partnership="luton", period=Period.objects.get(code="2024-25"), defaults={"due": due})
    owing = {(p.code, t.code) for _, p, t, _, _, _ in owed("luton", due - timedelta(days=7))}
    assert ("bfrs", "appendix-b") in owing  # a draft
    assert ("bfrs", "appendix-c") not in owing and ("police", "appendix-b") not in owing  # submitted, published


def test_email_settings_come_from_masa_email_variables():
    import os
    import subprocess
    import sys

    from masa.web.notify.mailconfig import CONSOLE, SMTP, email_settings

    assert email_settings({})["EMAIL_BACKEND"] == CONSOLE
    s = email_settings({"MASA_EMAIL_HOST": "smtp.example.org", "MASA_EMAIL_PORT": "2525", "MASA_EMAIL_USER": "masa",
                        "MASA_EMAIL_PASSWORD": "secret", "MASA_EMAIL_FROM": "SCP <scp@example.org>",
                        "MASA_SITE_URL": "https://masa.example.org/"})
    assert (s["EMAIL_BACKEND"], s["EMAIL_HOST"], s["EMAIL_PORT"], s["EMAIL_HOST_USER"], s["EMAIL_HOST_PASSWORD"],
            s["EMAIL_USE_TLS"], s["EMAIL_USE_SSL"], s["DEFAULT_FROM_EMAIL"], s["MASA_SITE_URL"]) == (
        SMTP, "smtp.example.org", 2525, "masa", "secret", True, False, "SCP <scp@example.org>",
        "https://masa.example.org")
    ssl = email_settings({"MASA_EMAIL_HOST": "smtp.example.org", "MASA_EMAIL_USE_SSL": "1"})
    assert (ssl["EMAIL_PORT"], ssl["EMAIL_USE_SSL"], ssl["EMAIL_USE_TLS"]) == (465, True, False)
    # and Django's own settings read them
    env = {**os.environ, "MASA_EMAIL_HOST": "smtp.example.org", "MASA_EMAIL_PORT": "2525",
           "DJANGO_SETTINGS_MODULE": "masa.web.settings"}
    show = "from django.core.mail import get_connection as g; c = g(); print(type(c).__name__, c.host, c.port)"
    out = subprocess.run([sys.executable, "-c", show], env=env, capture_output=True, text=True, check=True).stdout
    assert out.split() == ["EmailBackend", "smtp.example.org", "2525"]
    show = "from django.conf import settings; print(settings.EMAIL_BACKEND)"
    assert "smtp" in subprocess.run([sys.executable, "-c", show], env=env, capture_output=True, text=True,
                                    check=True).stdout


def test_the_preference_page_refuses_no_choice(client, web):
    client.force_login(web.users["scrutineer"])
    page = client.get("/account/notifications/").content.decode()
    assert 'value="immediate" checked' in page and web.users["scrutineer"].email in page
    page = client.post("/account/notifications/", {}).content.decode()
    assert "Choose how to get notifications" in page and 'href="#mode-0"' in page


def test_with_several_partnerships_each_business_unit_hears_of_its_own(client, web, site, monkeypatch,
                                                                         django_capture_on_commit_callbacks):
    """bfrs serves Luton and a synthetic Bedford Borough: a submission tells both business
    units, each in its own partnership's words and link; a reply to Bedford's query tells
    Bedford's business unit only; Bedford's and Luton's actions name who acted."""
    from tests.web.multi_fixtures import BEDFORD, BEDFORD_NAME, add_bedford
    from tests.web.public_fixtures import CLEAN_TEXT, enter

    bedford_bu, luton_bu, row = add_bedford(web), web.users["bu"], web.draft
    enter(client, web, row, {"area=luton;sex=female": 12}, **{"sec-achievements-0-text": CLEAN_TEXT})

    def act(user, code, action, **data):
        client.force_login(user)
        with django_capture_on_commit_callbacks(execute=True):
            client.post(f"/{code}/returns/{row.pk}/action/", {"action": action, **data})
        run_worker(monkeypatch)
        got = _to(mail.outbox)
        mail.outbox.clear()
        return got

    got = act(web.users["approver"], "luton", "submit")
    assert set(got) == {luton_bu.email, bedford_bu.email}
    assert f"{SITE}/luton/returns/{row.pk}/" in got[luton_bu.email][0].body
    assert "Luton" in got[luton_bu.email][0].subject and BEDFORD_NAME not in got[luton_bu.email][0].body
    assert f"{SITE}/{BEDFORD}/returns/{row.pk}/" in got[bedford_bu.email][0].body
    assert got[bedford_bu.email][0].subject.startswith(BEDFORD_NAME)
    got = act(bedford_bu, BEDFORD, "query", section="achievements", reason="Which Bedford stations?")
    assert set(got) == {web.users["contributor"].email, web.users["approver"].email}
    m = got[web.users["contributor"].email][0]
    assert m.subject.startswith(BEDFORD_NAME) and f"{SITE}/{BEDFORD}/returns/{row.pk}/" in m.body
    query = row.messages.get(kind="query")
    client.force_login(web.users["contributor"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/luton/returns/{row.pk}/messages/", {"query": query.pk, "text": "Kempston and Bedford."})
    run_worker(monkeypatch)
    assert set(_to(mail.outbox)) == {bedford_bu.email}, "Luton was told of a reply to Bedford's query"
    mail.outbox.clear()
    got = act(luton_bu, "luton", "approve")
    m = got[web.users["contributor"].email][0]
    assert m.subject.startswith("Luton") and f"{SITE}/luton/returns/{row.pk}/" in m.body
