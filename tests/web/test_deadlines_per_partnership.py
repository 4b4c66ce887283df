"""Deadlines, extensions and closed years are each partnership's own. Periods are shared rows,
so a date once hung off the period alone: Bedford Borough's business unit moved Luton's
deadline, closed Luton's year, and Luton's deadline reminded Bedford's partners. Two
partnerships share bfrs (tests/web/multi_fixtures.py)."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.core import mail

from tests.web.multi_fixtures import BEDFORD, BEDFORD_NAME, add_bedford
from tests.web.test_periods import _text

pytestmark = pytest.mark.django_db

LUTON = "luton"


@pytest.fixture
def two(web):
    return add_bedford(web)


def _luton_bu(client, web):
    client.force_login(web.users["bu"])
    return client


def test_bedford_setting_its_deadline_leaves_lutons(client, web, two):
    _luton_bu(client, web).post(f"/{LUTON}/bu/periods/2024-25/deadline/", {"deadline-due": "31/05/2025"})
    client.force_login(two)
    r = client.post(f"/{BEDFORD}/bu/periods/2024-25/deadline/", {"deadline-due": "30/06/2025"})
    assert r.status_code == 302
    assert re.search(r"2024-25 current 30 June 2025", _text(client.get(f"/{BEDFORD}/bu/periods/")))
    luton = _text(_luton_bu(client, web).get(f"/{LUTON}/bu/periods/"))
    assert re.search(r"2024-25 current 31 May 2025", luton), luton
    assert "31 May 2025" in _text(client.get(f"/{LUTON}/bu/?period=2024-25"))


def test_bedford_giving_an_extension_leaves_lutons_partner_on_its_date(client, web, two):
    from masa.web.workflow.models import Extension

    _luton_bu(client, web).post(f"/{LUTON}/bu/periods/2024-25/deadline/", {"deadline-due": "31/05/2025"})
    client.force_login(two)
    client.post(f"/{BEDFORD}/bu/periods/2024-25/deadline/", {"deadline-due": "31/05/2025"})
    r = client.post(f"/{BEDFORD}/bu/periods/2024-25/extensions/",
                    {"extension-partner": "bfrs", "extension-due": "31/07/2025", "extension-reason": "New records system"})
    assert r.status_code == 302
    assert "New records system" in _text(client.get(f"/{BEDFORD}/bu/periods/2024-25/"))
    luton = _text(_luton_bu(client, web).get(f"/{LUTON}/bu/periods/2024-25/"))
    assert "No extensions." in luton and "New records system" not in luton
    assert [e.partnership for e in Extension.objects.all()] == [BEDFORD]


def test_bedford_closing_a_year_leaves_it_open_for_luton(client, web, two):
    client.force_login(two)
    r = client.post(f"/{BEDFORD}/bu/periods/2023-24/state/", {"action": "close"})
    assert r.status_code == 302
    assert re.search(r"2023-24 closed", _text(client.get(f"/{BEDFORD}/bu/periods/")))
    luton = _text(_luton_bu(client, web).get(f"/{LUTON}/bu/periods/"))
    assert not re.search(r"2023-24 closed", luton), luton
    client.force_login(web.users["contributor"])
    assert "2023-24 Partners Safeguarding Snapshot" in _text(client.get(f"/{LUTON}/returns/"))


def test_a_partner_serving_two_partnerships_sees_each_due_date(client, web, two):
    _luton_bu(client, web).post(f"/{LUTON}/bu/periods/2024-25/deadline/", {"deadline-due": "31/05/2025"})
    client.force_login(two)
    client.post(f"/{BEDFORD}/bu/periods/2024-25/deadline/", {"deadline-due": "30/06/2025"})
    client.force_login(web.users["contributor"])  # bfrs, which serves both
    page = _text(client.get(f"/{LUTON}/returns/{web.draft.pk}/"))
    due = page[page.find("Due:"):page.find("History and versions")]
    assert re.search(r"to Luton Safeguarding Children Partnership 31 May 2025 \( \d+ days overdue \)", due), due
    assert re.search(r"to Bedford Borough Safeguarding Children Partnership 30 June 2025 \(", due), due


def test_reminders_follow_each_partnerships_deadline_and_name_it(web, two, monkeypatch,
                                                                 django_capture_on_commit_callbacks):
    from masa.web.core.models import Period
    from masa.web.notify.daily import run_daily
    from masa.web.workflow.models import Deadline
    from tests.web.test_notifications import run_worker

    period = Period.objects.get(code="2024-25")
    luton_due, bedford_due = date(2026, 5, 31), date(2026, 6, 30)
    Deadline.objects.create(partnership=LUTON, period=period, due=luton_due)
    Deadline.objects.create(partnership=BEDFORD, period=period, due=bedford_due)
    with django_capture_on_commit_callbacks(execute=True):
        run_daily(luton_due - timedelta(days=1), [LUTON, BEDFORD])
    run_worker(monkeypatch)
    bfrs = [m for m in mail.outbox if web.users["contributor"].email in m.to]
    assert bfrs and all("Return due tomorrow" in m.subject and BEDFORD_NAME not in m.subject for m in bfrs)
    assert all("31 May 2026" in m.body for m in bfrs)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        run_daily(bedford_due - timedelta(days=1), [LUTON, BEDFORD])
    run_worker(monkeypatch)
    tomorrow = [m for m in mail.outbox if web.users["contributor"].email in m.to and "due tomorrow" in m.subject]
    assert tomorrow and all(m.subject.startswith(BEDFORD_NAME) and "30 June 2026" in m.body for m in tomorrow)
    assert all(f"/{BEDFORD}/returns/" in m.body for m in tomorrow)  # opens in Bedford Borough


def test_the_migration_gives_existing_dates_to_the_first_partnership(web, two):
    """Rows from before partnerships had their own dates were set by the installation's first
    partnership's business unit (the spec stored first), not by one that joined later."""
    import importlib

    from django.apps import apps

    from masa.web.core.models import Partner, Period
    from masa.web.workflow.models import Closure, Deadline, Extension

    migration = importlib.import_module("masa.web.workflow.migrations.0005_deadlines_per_partnership")
    period = Period.objects.get(code="2023-24")
    Deadline.objects.create(partnership="", period=period, due=date(2024, 5, 31))
    Extension.objects.create(partnership="", period=period, partner=Partner.objects.get(code="bfrs"),
                             due=date(2024, 6, 30), reason="Moved offices")
    Closure.objects.create(partnership="", period=period)
    migration._to_first_partnership(apps, None)
    assert {m.objects.get().partnership for m in (Deadline, Extension, Closure)} == {LUTON}
